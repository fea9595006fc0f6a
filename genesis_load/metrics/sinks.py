"""Aggregates for k6's four metric types, each mergeable exactly.

A sink owns the running aggregate of one metric for one tag set over one span of time. It
knows nothing of Locust, tags or time: the store decides which sink a sample goes to.

Merging is what makes distributed runs exact: ``a.merge(b)`` equals the sink that would have
seen both sample streams (HDR histogram addition, integer counts, exact sums). Every sink
round-trips through ``to_wire()`` / ``from_wire()`` (plain JSON-able dicts) so a worker can
ship it to a master.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hdrh.histogram import HdrHistogram

from .hdr import (
    decode_histogram,
    encode_histogram,
    new_histogram,
    percentiles,
)

__all__ = ["CounterSink", "GaugeSink", "RateSink", "Sink", "TrendSink", "sink_from_wire"]


@dataclass(eq=False)
class TrendSink:
    """HDR histogram of integer values plus the exact count, sum, min and max.

    Values outside ``[0, HIGHEST_TRACKABLE]`` cannot go in the histogram; they are counted in
    ``out_of_range`` (and in min/max/avg), never dropped silently.
    """

    kind: ClassVar[str] = "trend"
    hist: HdrHistogram = field(default_factory=new_histogram)
    count: int = 0
    total: int = 0
    min: int = 0
    max: int = 0
    out_of_range: int = 0

    def add(self, value: int) -> None:
        if self.count == 0:
            self.min = self.max = value
        elif value < self.min:
            self.min = value
        elif value > self.max:
            self.max = value
        self.count += 1
        self.total += value
        if not self.hist.record_value(value):
            self.out_of_range += 1

    def add_corrected(self, value: int, expected_interval: int) -> None:
        """HdrHistogram's coordinated-omission correction for a fixed pacing interval.

        As ``record_corrected_value``: a value ``v`` longer than the interval ``i`` also stands
        for the samples a paced client would have taken meanwhile, ``v - i, v - 2i, ...`` while
        they stay above 0. They are added one by one so count, sum, min and max stay exact.
        """
        self.add(value)
        if expected_interval <= 0 or value <= expected_interval:
            return
        missing = value - expected_interval
        while missing > 0:
            self.add(missing)
            missing -= expected_interval

    def merge(self, other: TrendSink) -> None:
        if other.count == 0:
            return
        if self.count == 0:
            self.min, self.max = other.min, other.max
        else:
            self.min = min(self.min, other.min)
            self.max = max(self.max, other.max)
        self.count += other.count
        self.total += other.total
        self.out_of_range += other.out_of_range
        if other.hist.get_total_count():
            self.hist.add(other.hist)

    @property
    def avg(self) -> float:
        return self.total / self.count if self.count else 0.0

    def percentiles(self, pcts: list[float]) -> dict[float, int]:
        """Percentiles from the histogram (see ``hdr`` for the definition).

        ``p(0)`` and ``p(100)`` are the exact min and max, so no percentile can exceed max.
        """
        values = percentiles(self.hist, [p for p in pcts if 0 < p < 100])
        out: dict[float, int] = {}
        for p in pcts:
            if p <= 0:
                out[p] = self.min
            elif p >= 100:
                out[p] = self.max
            else:
                out[p] = min(values[p], self.max)
        return out

    def to_wire(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "hist": encode_histogram(self.hist) if self.hist.get_total_count() else "",
            "count": self.count,
            "total": self.total,
            "min": self.min,
            "max": self.max,
            "out_of_range": self.out_of_range,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> TrendSink:
        sink = cls(
            count=int(data["count"]),
            total=int(data["total"]),
            min=int(data["min"]),
            max=int(data["max"]),
            out_of_range=int(data["out_of_range"]),
        )
        if data["hist"]:
            sink.hist.add(decode_histogram(data["hist"]))
        return sink


@dataclass(eq=False)
class RateSink:
    """Share of non-zero samples: ``trues / total``."""

    kind: ClassVar[str] = "rate"
    trues: int = 0
    total: int = 0

    def add(self, value: bool | float) -> None:
        self.total += 1
        if value:
            self.trues += 1

    def merge(self, other: RateSink) -> None:
        self.trues += other.trues
        self.total += other.total

    @property
    def rate(self) -> float:
        return self.trues / self.total if self.total else 0.0

    def to_wire(self) -> dict[str, Any]:
        return {"kind": self.kind, "trues": self.trues, "total": self.total}

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> RateSink:
        return cls(trues=int(data["trues"]), total=int(data["total"]))


@dataclass(eq=False)
class CounterSink:
    """A cumulative sum; its per-second rate is computed by outputs from the run's duration."""

    kind: ClassVar[str] = "counter"
    value: float = 0.0
    count: int = 0

    def add(self, value: float) -> None:
        self.value += value
        self.count += 1

    def merge(self, other: CounterSink) -> None:
        self.value += other.value
        self.count += other.count

    def to_wire(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "count": self.count}

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> CounterSink:
        return cls(value=float(data["value"]), count=int(data["count"]))


@dataclass(eq=False)
class GaugeSink:
    """The last value seen, with min and max. Merging keeps the later value by wall time."""

    kind: ClassVar[str] = "gauge"
    value: float = 0.0
    min: float = math.inf
    max: float = -math.inf
    time_s: float = -math.inf
    count: int = 0

    def add(self, value: float, time_s: float = 0.0) -> None:
        self.count += 1
        self.min = min(self.min, value)
        self.max = max(self.max, value)
        if time_s >= self.time_s:
            self.value, self.time_s = value, time_s

    def merge(self, other: GaugeSink) -> None:
        if other.count == 0:
            return
        self.count += other.count
        self.min = min(self.min, other.min)
        self.max = max(self.max, other.max)
        if other.time_s >= self.time_s:
            self.value, self.time_s = other.value, other.time_s

    def to_wire(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "min": self.min if self.count else None,
            "max": self.max if self.count else None,
            "time_s": self.time_s if self.count else None,
            "count": self.count,
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> GaugeSink:
        if not data["count"]:
            return cls()
        return cls(
            value=float(data["value"]),
            min=float(data["min"]),
            max=float(data["max"]),
            time_s=float(data["time_s"]),
            count=int(data["count"]),
        )


Sink = TrendSink | RateSink | CounterSink | GaugeSink

_SINKS: dict[str, type[TrendSink] | type[RateSink] | type[CounterSink] | type[GaugeSink]] = {
    "trend": TrendSink,
    "rate": RateSink,
    "counter": CounterSink,
    "gauge": GaugeSink,
}


def sink_from_wire(data: dict[str, Any]) -> Sink:
    """Rebuild any sink from its ``to_wire()`` form."""
    return _SINKS[data["kind"]].from_wire(data)
