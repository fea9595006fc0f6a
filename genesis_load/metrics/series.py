"""Per-interval time series with a fixed memory bound.

Owns the list of interval points and how it stays bounded. Each point holds, per series key
(a selector string such as ``http_req_duration{name:/health}``), the interval's numbers and the
sink's wire form (for trends, the compressed HDR interval histogram), so that any window of
points can be merged exactly later: ``Series.window`` gives the exact p95 over, say, seconds
30..40 of a run.

Bound: at most ``max_points`` points, all of one resolution. When the series is full, adjacent
pairs are merged (exactly, through their wire forms), halving the count and doubling the step
(``coalesced`` intervals per point); later intervals are then merged into the last point until
it covers as many intervals as the others. Every point but the newest is packed (its entries
as one compressed blob, about 0.2 KB per key; see :class:`IntervalPoint`), so memory stays
below ``max_points`` x (packed point size), about 8 MB for ten keys, whatever the run's length;
a one-name 500/s open-model run adds about 2 KB per second until the series is full.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

import msgspec

from .sinks import Sink, sink_from_wire
from .stats import sink_values

__all__ = ["IntervalPoint", "Series", "point_entry"]

#: msgpack keeps every float exact (inf and nan included) and ints as ints.
_ENCODE = msgspec.msgpack.Encoder()
_DECODE = msgspec.msgpack.Decoder()

SERIES_TREND_STATS: tuple[str, ...] = ("avg", "min", "med", "max", "p(90)", "p(95)", "p(99)")


def point_entry(sink: Sink, duration_s: float) -> dict[str, Any]:
    """The stored form of one sink in one interval: its numbers plus its wire form."""
    entry = sink_values(sink, SERIES_TREND_STATS, duration_s)
    entry["wire"] = sink.to_wire()
    return entry


class IntervalPoint:
    """Everything recorded between ``start_s`` and ``end_s`` (seconds since the run start).

    ``entries`` maps a series key to its numbers and wire form. A point the series stores is
    *packed* once a newer point follows it (:meth:`pack`): its entries are kept as one
    zlib-compressed msgpack blob (about 2 KB for ten keys, against about 11 KB as dicts) and
    ``entries`` decodes a fresh dict on each read. Exact: every number and wire form comes back
    as it went in. Writing into the dict of a packed point changes nothing; assign ``entries``.
    """

    __slots__ = ("_entries", "_packed", "end_s", "intervals", "start_s")

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
        self._packed: bytes | None = None

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        if self._entries is not None:
            return self._entries
        assert self._packed is not None
        entries: dict[str, dict[str, Any]] = _DECODE.decode(zlib.decompress(self._packed))
        return entries

    @entries.setter
    def entries(self, value: dict[str, dict[str, Any]]) -> None:
        self._entries, self._packed = value, None

    @property
    def packed(self) -> bool:
        return self._packed is not None

    @property
    def packed_size(self) -> int:
        """Bytes of the packed blob (0 while the point is not packed)."""
        return len(self._packed) if self._packed is not None else 0

    def pack(self) -> None:
        """Keep the entries as one compressed blob from now on (exact; see the class)."""
        if self._entries is not None:
            self._packed = zlib.compress(_ENCODE.encode(self._entries), 6)
            self._entries = None

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

    def append(self, point: IntervalPoint) -> None:
        """Add the next interval; the point before it is packed (the newest stays a dict)."""
        if self.points and self.points[-1].intervals < self.coalesced:
            self.points[-1] = merge_points([self.points[-1], point])
            return
        if len(self.points) >= self.max_points:
            halved = []
            for i in range(0, len(self.points), 2):
                merged = merge_points(self.points[i : i + 2])
                merged.pack()  # one at a time: never max_points / 2 points as dicts at once
                halved.append(merged)
            self.points = halved
            self.coalesced *= 2
            if self.points[-1].intervals < self.coalesced:
                self.points[-1] = merge_points([self.points[-1], point])
                return
        if self.points:
            self.points[-1].pack()
        self.points.append(point)

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
        self.points[i] = merge_points([self.points[i], late], bounds=self.points[i])
        if i < len(self.points) - 1:
            self.points[i].pack()

    def window(self, start_s: float, end_s: float) -> IntervalPoint | None:
        """The exact merge of every point lying inside ``[start_s, end_s]``."""
        inside = [p for p in self.points if p.start_s >= start_s and p.end_s <= end_s]
        return merge_points(inside) if inside else None
