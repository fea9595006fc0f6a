"""Per-interval time series with a fixed memory bound.

Owns the list of interval points and how it stays bounded. Each point holds, per series key
(a selector string such as ``http_req_duration{name:/health}``), the interval's numbers and the
sink's wire form (for trends, the compressed HDR interval histogram), so that any window of
points can be merged exactly later: ``Series.window`` gives the exact p95 over, say, seconds
30..40 of a run.

Bound: at most ``max_points`` points, all of one resolution. When the series is full, adjacent
pairs are merged (exactly, through their wire forms), halving the count and doubling the step
(``coalesced`` intervals per point); later intervals are then merged into the last point until
it covers as many intervals as the others. Every point but the newest is packed (see
:class:`IntervalPoint`), and every ``BLOCK_POINTS`` consecutive packed points share one
compressed block, so memory stays below ``max_points`` x (packed point size), about 6 MB for
ten keys, whatever the run's length; an 11-key 500/s open-model run adds about 1.7 KB per
second until the series is full (2.2 KB with one blob per point).
"""

from __future__ import annotations

import base64
import binascii
import zlib
from array import array
from collections.abc import Iterable
from typing import Any

import msgspec

from .sinks import Sink, sink_from_wire
from .stats import sink_values

__all__ = ["BLOCK_POINTS", "IntervalPoint", "Series", "point_entry"]

#: msgpack keeps every float exact (inf and nan included) and ints as ints. A base64 HDR wire
#: form is packed as its bytes, tagged with this msgpack extension code, and decodes back to
#: the same text.
_B64_EXT = 1


def _ext_hook(code: int, data: memoryview) -> Any:
    if code != _B64_EXT:
        raise ValueError(f"unknown msgpack extension {code}")
    return base64.b64encode(data).decode("ascii")


_ENCODE = msgspec.msgpack.Encoder()
_DECODE = msgspec.msgpack.Decoder(ext_hook=_ext_hook)

#: Packed points per shared block. One zlib stream over 16 points finds what repeats from one
#: second to the next (keys, stat names): about 1.7 KB a point for 11 keys, against 2.2 KB
#: compressed one by one. Reading a point inflates its block (about 50 KB, the last one kept).
BLOCK_POINTS = 16

SERIES_TREND_STATS: tuple[str, ...] = ("avg", "min", "med", "max", "p(90)", "p(95)", "p(99)")


def point_entry(sink: Sink, duration_s: float) -> dict[str, Any]:
    """The stored form of one sink in one interval: its numbers plus its wire form."""
    entry = sink_values(sink, SERIES_TREND_STATS, duration_s)
    entry["wire"] = sink.to_wire()
    return entry


def _pack_entries(entries: dict[str, dict[str, Any]]) -> bytes:
    """msgpack of the entries, each HDR wire form as its bytes (base64 is 4/3 of them)."""
    out = {}
    for key, entry in entries.items():
        wire = entry.get("wire")
        if isinstance(wire, dict) and isinstance(wire.get("hist"), str) and wire["hist"]:
            try:
                raw = base64.b64decode(wire["hist"], validate=True)
            except binascii.Error:
                raw = b""
            if raw and base64.b64encode(raw).decode("ascii") == wire["hist"]:  # the same text
                hist = msgspec.msgpack.Ext(_B64_EXT, raw)
                entry = {**entry, "wire": {**wire, "hist": hist}}
        out[key] = entry
    return _ENCODE.encode(out)


def _unpack_entries(data: bytes | memoryview) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = _DECODE.decode(data)  # base64 text back: _ext_hook
    return entries


class _Inflated:
    """Which block of a series holds its inflated bytes (one at a time: a bounded cache)."""

    __slots__ = ("block",)

    def __init__(self) -> None:
        self.block: _Block | None = None


class _Block:
    """Consecutive packed points as one zlib stream of their msgpack forms, end to end."""

    __slots__ = ("_inflated", "_raw", "blob", "ends")

    def __init__(self, packed: list[bytes], inflated: _Inflated) -> None:
        self.blob = zlib.compress(b"".join(packed), 6)
        self.ends = array("L")
        end = 0
        for data in packed:
            end += len(data)
            self.ends.append(end)
        self._inflated = inflated
        self._raw: bytes | None = None

    def __len__(self) -> int:
        return len(self.ends)

    def point_bytes(self, index: int) -> memoryview:
        """The msgpack form of the block's ``index``-th point (inflating the block if needed)."""
        if self._raw is None:
            previous = self._inflated.block
            if previous is not None:
                previous._raw = None
            self._raw = zlib.decompress(self.blob)
            self._inflated.block = self
        start = self.ends[index - 1] if index else 0
        return memoryview(self._raw)[start : self.ends[index]]


class IntervalPoint:
    """Everything recorded between ``start_s`` and ``end_s`` (seconds since the run start).

    ``entries`` maps a series key to its numbers and wire form. A point the series stores is
    *packed* once a newer point follows it (:meth:`pack`): its entries are kept as msgpack
    bytes (HDR wire forms as bytes, not base64), first zlib-compressed on their own (about
    2 KB for ten keys, against about 11 KB as dicts), then in a block shared with the next
    packed points (:data:`BLOCK_POINTS`), and ``entries`` decodes a fresh dict on each read.
    Exact: every number and wire form comes back as it went in. Writing into the dict of a
    packed point changes nothing; assign ``entries``.
    """

    __slots__ = ("_block", "_entries", "_index", "_packed", "end_s", "intervals", "start_s")

    def __init__(
        self,
        start_s: float,
        end_s: float,
        entries: dict[str, dict[str, Any]] | None = None,
        intervals: int = 1,
    ) -> None:
        self.start_s = start_s
        self.end_s = end_s
        self.intervals = intervals
        self._entries: dict[str, dict[str, Any]] | None = {} if entries is None else entries
        self._packed: bytes | None = None  # zlib of the msgpack form, alone
        self._block: _Block | None = None  # or: in a block, at ``_index``
        self._index = 0

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        if self._entries is not None:
            return self._entries
        return _unpack_entries(self._msgpack())

    @entries.setter
    def entries(self, value: dict[str, dict[str, Any]]) -> None:
        self._entries, self._packed, self._block = value, None, None

    @property
    def packed(self) -> bool:
        return self._entries is None

    @property
    def packed_size(self) -> int:
        """Bytes of the packed form: its blob, or its share of its block's (0 if not packed)."""
        if self._block is not None:
            return round(len(self._block.blob) / len(self._block))
        return len(self._packed) if self._packed is not None else 0

    def pack(self) -> None:
        """Keep the entries as one compressed blob from now on (exact; see the class)."""
        if self._entries is not None:
            self._packed = zlib.compress(_pack_entries(self._entries), 6)
            self._entries = None

    def _msgpack(self) -> bytes | memoryview:
        if self._block is not None:
            return self._block.point_bytes(self._index)
        assert self._packed is not None
        return zlib.decompress(self._packed)

    @property
    def duration_s(self) -> float:
        return max(self.end_s - self.start_s, 1e-9)

    def to_json(self, with_wire: bool = False) -> dict[str, Any]:
        entries = {
            key: {k: v for k, v in entry.items() if with_wire or k != "wire"}
            for key, entry in self.entries.items()
        }
        return {"start_s": self.start_s, "end_s": self.end_s, "metrics": entries}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IntervalPoint):
            return NotImplemented
        return (self.start_s, self.end_s, self.intervals, self.entries) == (
            other.start_s,
            other.end_s,
            other.intervals,
            other.entries,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"IntervalPoint(start_s={self.start_s!r}, end_s={self.end_s!r}, "
            f"intervals={self.intervals!r}, keys={len(self.entries)}, packed={self.packed})"
        )


def merge_points(
    points: Iterable[IntervalPoint], bounds: IntervalPoint | None = None
) -> IntervalPoint:
    """One point covering all the given points, merged exactly through the wire forms.

    With ``bounds``, the result keeps that point's start, end and interval count (late data
    merged into a point already made).
    """
    points = list(points)
    sinks: dict[str, Sink] = {}
    for p in points:
        for key, entry in p.entries.items():
            sink = sink_from_wire(entry["wire"])
            if key in sinks:
                sinks[key].merge(sink)  # type: ignore[arg-type]
            else:
                sinks[key] = sink
    if bounds is None:
        merged = IntervalPoint(points[0].start_s, points[-1].end_s)
        merged.intervals = sum(p.intervals for p in points)
    else:
        merged = IntervalPoint(bounds.start_s, bounds.end_s, intervals=bounds.intervals)
    merged.entries = {k: point_entry(s, merged.duration_s) for k, s in sinks.items()}
    return merged


class Series:
    """Interval points in time order, never more than ``max_points`` of them."""

    def __init__(self, max_points: int = 3600) -> None:
        if max_points < 2:
            raise ValueError("max_points must be at least 2")
        self.max_points = max_points
        self.points: list[IntervalPoint] = []
        self.coalesced = 1  # how many original intervals one point covers at most
        self._inflated = _Inflated()
        self._loose = 0  # packed points at the end of ``points`` not yet in a block

    def append(self, point: IntervalPoint) -> None:
        """Add the next interval; the point before it is packed (the newest stays a dict)."""
        if self.points and self.points[-1].intervals < self.coalesced:
            self.points[-1] = merge_points([self.points[-1], point])
            return
        if len(self.points) >= self.max_points:
            halved: list[IntervalPoint] = []
            self._loose = 0
            for i in range(0, len(self.points), 2):
                merged = merge_points(self.points[i : i + 2])
                if halved:  # one at a time: never max_points / 2 points as dicts at once
                    self._pack_last(halved)
                halved.append(merged)  # the last one stays a dict: it is the newest
            self.points = halved
            self.coalesced *= 2
            if self.points[-1].intervals < self.coalesced:
                self.points[-1] = merge_points([self.points[-1], point])
                return
        if self.points:
            self._pack_last(self.points)
        self.points.append(point)

    def _pack_last(self, points: list[IntervalPoint]) -> None:
        """Pack the last of ``points`` (the newest, a dict); once ``BLOCK_POINTS`` packed points
        are not in a block yet, they become one."""
        points[-1].pack()
        self._loose += 1
        if self._loose == BLOCK_POINTS:
            self._rebuild(points[-BLOCK_POINTS:])
            self._loose = 0

    def _rebuild(self, members: list[IntervalPoint]) -> None:
        """One new block for ``members`` (in order; packed first if they were not)."""
        for p in members:
            p.pack()
        block = _Block([bytes(p._msgpack()) for p in members], self._inflated)
        for index, p in enumerate(members):
            p._block, p._index, p._packed = block, index, None

    def merge_at(self, late: IntervalPoint) -> None:
        """Merge data that arrived after its interval's point was made into that point, exactly.

        The point that holds ``late``'s midpoint keeps its bounds and interval count; a
        ``late`` point past the last point goes into the last one.
        """
        if not self.points:
            self.points.append(late)
            return
        mid = (late.start_s + late.end_s) / 2
        i = next(
            (k for k, p in enumerate(self.points) if p.start_s <= mid < p.end_s),
            len(self.points) - 1,
        )
        old = self.points[i]
        self.points[i] = merge_points([old, late], bounds=old)
        if i < len(self.points) - 1:
            self.points[i].pack()
            block = old._block
            if block is not None:  # the block again, with the new point in its place
                first = i - old._index
                self._rebuild(self.points[first : first + len(block)])

    def window(self, start_s: float, end_s: float) -> IntervalPoint | None:
        """The exact merge of every point lying inside ``[start_s, end_s]``."""
        inside = [p for p in self.points if p.start_s >= start_s and p.end_s <= end_s]
        return merge_points(inside) if inside else None
