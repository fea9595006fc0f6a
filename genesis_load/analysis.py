"""Analysis over a run's time series: breaking point, recovery time, shed share.

Pure functions of the interval series (and the shape's named stages); nothing here touches
Locust or a clock. Definitions (also in docs/open-model.md):

- **Offered load** of an interval: ``offered_iterations`` per second (what the schedule called
  for, started or dropped) when the run used open-model scenarios, else requests per second.
- **Breaking point**: the lowest offered load at which the error rate exceeds
  ``error_rate_limit`` (1%) or p95 exceeds ``p95_target_ms`` in every interval for at least
  ``sustain_s`` consecutive seconds. ``None`` when that never happened (the report then says the
  system held up to the highest load offered, and no more is claimed).
- **Recovery time** after a spike: from the end of the stage named ``spike`` until p95 and the
  error rate are back within the baseline's bounds (p95 <= max(1.5 x baseline p95, baseline
  p95 + 10 ms), errors <= baseline error rate + 1%) for ``sustain_s`` consecutive seconds; the
  baseline is the exact merge of the stage before the spike (``warm``). ``None`` when it did not
  recover before the run ended.
- **Shed share**: responses with status 503 (load shedding, circuit breaker) or 429 (rate
  limit) over all responses, for the whole run and for each named stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .metrics.series import IntervalPoint, Series, merge_points

__all__ = ["Interval", "analyze"]

_SHED_STATUSES = ("503", "429")


@dataclass(frozen=True)
class Interval:
    start_s: float
    end_s: float
    offered_rps: float
    achieved_rps: float
    error_rate: float
    p95_ms: float | None
    requests: int
    shed: int


def _interval(p: IntervalPoint, open_model: bool) -> Interval:
    e = p.entries
    d = p.duration_s
    requests = int(e.get("http_reqs", {}).get("count", 0))
    offered = e.get("offered_iterations", {}).get("count", 0) if open_model else requests
    shed = sum(int(e.get(f"http_reqs{{status:{s}}}", {}).get("count", 0)) for s in _SHED_STATUSES)
    return Interval(
        p.start_s, p.end_s, offered / d, requests / d,
        float(e.get("http_req_failed", {}).get("rate", 0.0)),
        e["http_req_duration"]["p(95)"] if "http_req_duration" in e else None,
        requests, shed,
    )  # fmt: skip


def _bad(i: Interval, p95_limit_ms: float, error_limit: float) -> str | None:
    if i.requests == 0:
        return None
    if i.error_rate > error_limit:
        return f"error rate {i.error_rate:.1%} > {error_limit:.0%}"
    if i.p95_ms is not None and i.p95_ms > p95_limit_ms:
        return f"p95 {i.p95_ms:.0f} ms > {p95_limit_ms:.0f} ms"
    return None


def _first_sustained(
    intervals: Sequence[Interval], sustain_s: float, is_bad: Any
) -> tuple[int, str] | None:
    """Index of the first interval starting a run of bad intervals lasting >= sustain_s."""
    start: int | None = None
    for k, i in enumerate(intervals):
        reason = is_bad(i)
        if reason is None:
            start = None
            continue
        if start is None:
            start = k
        if i.end_s - intervals[start].start_s >= sustain_s - 1e-9:
            return start, is_bad(intervals[start]) or reason
    return None


def analyze(
    series: Series,
    stages: Mapping[str, tuple[float, float]] | None = None,
    p95_target_ms: float = 500.0,
    error_rate_limit: float = 0.01,
    sustain_s: float = 5.0,
) -> dict[str, Any]:
    """Breaking point, recovery and shed share of one run, as JSON-able values."""
    points = series.points
    open_model = any("offered_iterations" in p.entries for p in points)
    intervals = [_interval(p, open_model) for p in points]
    out: dict[str, Any] = {
        "definitions": {"p95_target_ms": p95_target_ms, "error_rate_limit": error_rate_limit,
                        "sustain_s": sustain_s,
                        "offered": "iterations/s" if open_model else "requests/s"},
        "max_offered_rps": max((i.offered_rps for i in intervals), default=0.0),
        "peak_achieved_rps": max((i.achieved_rps for i in intervals), default=0.0),
    }  # fmt: skip
    hit = _first_sustained(intervals, sustain_s, lambda i: _bad(i, p95_target_ms, error_rate_limit))
    if hit is None:
        out["breaking_point"] = None
    else:
        k, reason = hit
        # the lowest offered load inside the failing stretch is where it broke
        stretch = [i for i in intervals[k:] if i.start_s < intervals[k].start_s + sustain_s]
        low = min(stretch, key=lambda i: i.offered_rps)
        out["breaking_point"] = {
            "at_s": intervals[k].start_s,
            "offered_rps": low.offered_rps,
            "achieved_rps": intervals[k].achieved_rps,
            "reason": reason,
        }
    total = sum(i.requests for i in intervals)
    shed = sum(i.shed for i in intervals)
    out["shed"] = {"count": shed, "share": shed / total if total else 0.0, "by_stage": {}}
    for name, (a, b) in (stages or {}).items():
        inside = [i for i in intervals if a <= (i.start_s + i.end_s) / 2 < b]
        n = sum(i.requests for i in inside)
        s = sum(i.shed for i in inside)
        out["shed"]["by_stage"][name] = {"count": s, "share": s / n if n else 0.0}
    out["recovery"] = _recovery(series, intervals, stages or {}, sustain_s)
    return out


def _recovery(
    series: Series,
    intervals: Sequence[Interval],
    stages: Mapping[str, tuple[float, float]],
    sustain_s: float,
) -> dict[str, Any] | None:
    if "spike" not in stages:
        return None
    spike_start, spike_end = stages["spike"]
    before = [n for n, (a, b) in stages.items() if b <= spike_start]
    warm = stages[before[0]] if before else (0.0, spike_start)
    window = [p for p in series.points if warm[0] <= (p.start_s + p.end_s) / 2 < warm[1]]
    if not window:
        return {"recovery_time_s": None, "reason": "no baseline data before the spike"}
    base = merge_points(window).entries
    base_p95 = base["http_req_duration"]["p(95)"] if "http_req_duration" in base else 0.0
    base_err = float(base.get("http_req_failed", {}).get("rate", 0.0))
    p95_bound = max(1.5 * base_p95, base_p95 + 10.0)
    err_bound = base_err + 0.01
    after = [i for i in intervals if i.start_s >= spike_end - 1e-9]
    result: dict[str, Any] = {
        "spike_end_s": spike_end, "baseline_p95_ms": base_p95, "baseline_error_rate": base_err,
        "p95_bound_ms": p95_bound, "error_rate_bound": err_bound,
    }  # fmt: skip
    good = _first_sustained(
        after, sustain_s,
        lambda i: "ok" if i.requests and i.error_rate <= err_bound
        and (i.p95_ms or 0.0) <= p95_bound else None,
    )  # fmt: skip
    result["recovery_time_s"] = None if good is None else after[good[0]].start_s - spike_end
    return result
