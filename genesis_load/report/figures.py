"""Numbers derived from one run: throughput, sustained and peak rates, offered load, latency.

Pure functions over :class:`~genesis_load.report.load.Run` and its series points; no I/O, no
wording (see ``content``), no judgement (see ``verdict``). Definitions, as the report states
them:

* **achieved RPS** = ``http_reqs.count / meta.duration_s`` (the whole run, ramps included).
* **peak RPS** = the highest ``count / (end_s - start_s)`` of one series point (1 s unless the
  series was coalesced), ignoring points shorter than 90% of the nominal point length (the
  last, partial interval would otherwise give a rate from a handful of requests).
* **sustained RPS** = the highest ``sum(count) / sum(duration)`` over a window of consecutive
  points lasting at least ``window_s`` (30 s; the whole series when the run is shorter) whose
  error share ``sum(failed) / sum(count)`` is below ``max_error_share`` (1%). For each first
  point the window is the shortest one reaching ``window_s``. None when no window qualifies.
* **offered load** of an open-model (arrival-rate) run = iterations the schedule called for:
  the ``offered_iterations`` counter, or, in files written before it existed, those started
  (the ``schedule_lag`` count, one sample per started iteration) plus ``dropped_iterations``;
  per point, the same count over the point's length. A closed-model run offers no rate: its
  users send as fast as responses and think time allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..metrics.hdr import decode_histogram
from .load import Point, Run

__all__ = [
    "Offered",
    "Window",
    "achieved_rps",
    "error_share",
    "full_points",
    "latency_ms",
    "nominal_point_s",
    "offered_load",
    "peak_rps",
    "peak_vus",
    "percentile_spectrum",
    "point_error_share",
    "point_offered_per_s",
    "point_rps",
    "request_count",
    "sustained_rps",
]

SUSTAINED_WINDOW_S = 30.0
SUSTAINED_MAX_ERROR_SHARE = 0.01
#: A series point shorter than this share of the nominal point length is partial.
FULL_POINT_SHARE = 0.9


@dataclass(frozen=True)
class Window:
    """A rate over ``[start_s, end_s)`` of the run, with its error share."""

    rps: float
    start_s: float
    end_s: float
    error_share: float

    @property
    def length_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Offered:
    """What the schedule asked for. ``open_model`` False: closed model, no rate was offered."""

    open_model: bool
    issued: int = 0  # iterations started + dropped
    dropped: int = 0
    mean_per_s: float = 0.0  # issued / run duration
    peak_per_s: float | None = None  # highest per-point issue rate
    requests_per_iteration: float | None = None


def request_count(run: Run) -> int:
    """``http_reqs.count``, or the sum of the per-endpoint counts when the counter is absent."""
    count = run.stat("http_reqs", "count")
    if count is not None:
        return int(count)
    return sum(e.count for e in run.endpoints)


def achieved_rps(run: Run) -> float:
    return request_count(run) / run.duration_s if run.duration_s > 0 else 0.0


def error_share(run: Run) -> float | None:
    """``http_req_failed.rate`` (share of failed requests), None without requests."""
    return run.stat("http_req_failed", "rate")


def latency_ms(run: Run, stat: str, metric: str = "http_req_duration") -> float | None:
    """A whole-run stat of a time trend in ms: ``med``, ``p(95)``, ``max``...

    When the stat was not among the run's ``trend_stats`` but the whole-run histogram is in
    the document, percentiles (``p(N)``, ``med``) are read from the histogram."""
    value = run.stat(metric, stat)
    if value is not None:
        return value
    encoded = run.histograms.get(metric)
    pct = 50.0 if stat == "med" else _percent_of(stat)
    if encoded is None or pct is None:
        return None
    hist = decode_histogram(encoded)
    if hist.get_total_count() == 0:
        return None
    return float(hist.get_value_at_percentile(pct)) / 1000.0


def _percent_of(stat: str) -> float | None:
    if stat.startswith("p(") and stat.endswith(")"):
        try:
            return float(stat[2:-1])
        except ValueError:
            return None
    return None


def point_rps(point: Point) -> float | None:
    count = point.value("http_reqs", "count")
    return None if count is None else count / point.duration_s


def point_error_share(point: Point) -> float | None:
    failed = point.value("http_req_failed", "passes")
    ok = point.value("http_req_failed", "fails")
    if failed is None or ok is None or failed + ok == 0:
        return None
    return failed / (failed + ok)


def point_offered_per_s(point: Point) -> float | None:
    """Iterations offered in the point per second; None if the point records none."""
    offered = point.value("offered_iterations", "count")
    if offered is not None:
        return offered / point.duration_s
    started = point.value("schedule_lag", "count")
    dropped = point.value("dropped_iterations", "count")
    if started is None and dropped is None:
        return None
    return ((started or 0.0) + (dropped or 0.0)) / point.duration_s


def nominal_point_s(run: Run) -> float:
    """Length of one series point: the interval times the coalescing factor."""
    return max(run.interval_s, 1e-3) * max(run.coalesced, 1)


def full_points(points: Sequence[Point], nominal_s: float) -> list[Point]:
    """The points at least 90% as long as ``nominal_s`` (drops the partial first/last one)."""
    return [p for p in points if p.duration_s >= FULL_POINT_SHARE * nominal_s]


def peak_rps(points: Sequence[Point], nominal_s: float) -> Window | None:
    """The series point with the highest request rate (partial points ignored)."""
    best: Window | None = None
    for p in full_points(points, nominal_s):
        rps = point_rps(p)
        if rps is None:
            continue
        if best is None or rps > best.rps:
            share = point_error_share(p)
            best = Window(rps, p.start_s, p.end_s, share or 0.0)
    return best


def _window(points: Sequence[Point]) -> Window | None:
    count = sum(p.value("http_reqs", "count") or 0.0 for p in points)
    failed = sum(p.value("http_req_failed", "passes") or 0.0 for p in points)
    judged = failed + sum(p.value("http_req_failed", "fails") or 0.0 for p in points)
    duration = sum(p.duration_s for p in points)
    if count == 0 or duration <= 0:
        return None
    share = failed / judged if judged else 0.0
    return Window(count / duration, points[0].start_s, points[-1].end_s, share)


def sustained_rps(
    points: Sequence[Point],
    window_s: float = SUSTAINED_WINDOW_S,
    max_error_share: float = SUSTAINED_MAX_ERROR_SHARE,
) -> Window | None:
    """The highest rate held over ``window_s`` with an error share below ``max_error_share``."""
    if not points:
        return None
    if points[-1].end_s - points[0].start_s < window_s:
        whole = _window(points)
        return whole if whole is not None and whole.error_share < max_error_share else None
    best: Window | None = None
    j = 0
    for i in range(len(points)):
        j = max(j, i)
        while j < len(points) and points[j].end_s - points[i].start_s < window_s:
            j += 1
        if j == len(points):
            break
        w = _window(points[i : j + 1])
        if w is not None and w.error_share < max_error_share and (best is None or w.rps > best.rps):
            best = w
    return best


def peak_vus(run: Run) -> int | None:
    """Most users running at once: the ``vus`` gauge's max (or ``vus_max``'s value)."""
    for key, stat in (("vus", "max"), ("vus_max", "max"), ("vus_max", "value")):
        value = run.stat(key, stat)
        if value is not None:
            return int(value)
    return None


def offered_load(run: Run) -> Offered:
    """What an open-model run's schedule issued; ``Offered(open_model=False)`` otherwise."""
    offered = run.stat("offered_iterations", "count")
    started = run.stat("schedule_lag", "count")
    dropped = run.stat("dropped_iterations", "count")
    if offered is None and started is None and dropped is None:
        return Offered(open_model=False)
    issued = int(offered if offered is not None else (started or 0.0) + (dropped or 0.0))
    rates = [
        r
        for p in full_points(run.points, nominal_point_s(run))
        if (r := point_offered_per_s(p)) is not None
    ]
    requests = request_count(run)
    return Offered(
        open_model=True,
        issued=issued,
        dropped=int(dropped or 0),
        mean_per_s=issued / run.duration_s if run.duration_s > 0 else 0.0,
        peak_per_s=max(rates) if rates else None,
        requests_per_iteration=requests / started if started else None,
    )


def percentile_spectrum(
    encoded: str, ticks_per_half_distance: int = 5
) -> list[tuple[float, float]]:
    """``(percentile, latency_ms)`` pairs of an encoded µs histogram, HdrHistogram's way.

    Percentile 100 is left out (its ``1/(1-p)`` is infinite); the max is the caller's to show.
    """
    hist = decode_histogram(encoded)
    if hist.get_total_count() == 0:
        return []
    out = []
    for item in hist.get_percentile_iterator(ticks_per_half_distance):
        pct = float(item.percentile_level_iterated_to)
        if pct >= 100.0:
            break
        out.append((pct, float(item.value_iterated_to) / 1000.0))
    return out
