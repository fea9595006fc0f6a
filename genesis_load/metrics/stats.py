"""Reading a sink out as the numbers people look at (k6 names: avg, min, med, max, p(N)...).

Owns the stat names and their validation (``--summary-trend-stats``); trend values come out
in the user's unit (milliseconds for time trends), converted from the stored integers.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ConfigError
from .sinks import CounterSink, GaugeSink, RateSink, Sink, TrendSink

__all__ = [
    "DEFAULT_TREND_STATS",
    "STORED_PER_UNIT",
    "parse_trend_stats",
    "sink_values",
    "trend_values",
]

#: Stored integer units per user unit: µs per ms for time trends, milli-units otherwise.
STORED_PER_UNIT = 1000

DEFAULT_TREND_STATS: tuple[str, ...] = ("avg", "min", "med", "max", "p(90)", "p(95)", "p(99)")

_PCT = re.compile(r"^p\((\d{1,2}(?:\.\d+)?|100)\)$")
_FIXED = ("avg", "min", "med", "max", "count")


def _percentile_of(stat: str) -> float | None:
    m = _PCT.match(stat)
    return float(m.group(1)) if m else None


def parse_trend_stats(text: str, source: str = "--summary-trend-stats") -> tuple[str, ...]:
    """Validate a comma-separated list like ``avg,p(95),p(99.9)``; all problems at once."""
    stats = tuple(s.strip() for s in text.split(",") if s.strip())
    problems = []
    for s in stats:
        if s in _FIXED:
            continue
        p = _percentile_of(s)
        if p is None or not 0 <= p <= 100:
            problems.append(
                f"{source}: unknown stat {s!r} (use avg, min, med, max, count or p(N) "
                "with 0 <= N <= 100)"
            )
    if not stats:
        problems.append(f"{source}: no stats given")
    if problems:
        raise ConfigError(problems)
    return stats


def trend_values(sink: TrendSink, stats: tuple[str, ...] = DEFAULT_TREND_STATS) -> dict[str, float]:
    """The requested stats of a trend, in user units."""
    pcts = {s: _percentile_of(s) for s in stats}
    wanted = [p for p in pcts.values() if p is not None]
    if "med" in stats:
        wanted.append(50.0)
    found = sink.percentiles(wanted) if sink.count else dict.fromkeys(wanted, 0)
    out: dict[str, float] = {}
    for s in stats:
        if s == "avg":
            out[s] = sink.avg / STORED_PER_UNIT
        elif s == "min":
            out[s] = sink.min / STORED_PER_UNIT
        elif s == "max":
            out[s] = sink.max / STORED_PER_UNIT
        elif s == "count":
            out[s] = float(sink.count)
        elif s == "med":
            out[s] = found[50.0] / STORED_PER_UNIT
        else:
            p = pcts[s]
            assert p is not None
            out[s] = found[p] / STORED_PER_UNIT
    return out


def sink_values(
    sink: Sink, trend_stats: tuple[str, ...] = DEFAULT_TREND_STATS, duration_s: float = 0.0
) -> dict[str, Any]:
    """Every number of a sink, named as in k6's JSON summary."""
    if isinstance(sink, TrendSink):
        values: dict[str, Any] = trend_values(sink, trend_stats)
        values["count"] = sink.count
        if sink.out_of_range:
            values["out_of_range"] = sink.out_of_range
        return values
    if isinstance(sink, RateSink):
        return {"rate": sink.rate, "passes": sink.trues, "fails": sink.total - sink.trues}
    if isinstance(sink, CounterSink):
        return {
            "count": sink.value,
            "rate": sink.value / duration_s if duration_s > 0 else 0.0,
        }
    assert isinstance(sink, GaugeSink)
    if not sink.count:
        return {"value": 0.0, "min": 0.0, "max": 0.0}
    return {"value": sink.value, "min": sink.min, "max": sink.max}
