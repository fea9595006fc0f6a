"""The pure arithmetic behind the side-by-side benchmark's newer rows (no I/O, no clocks).

* :func:`empty_interval_share`: evenness, the share of empty 10-ms intervals at the server.
* :func:`analytic_stall_p99_ms`: the p99 a tool should report for a stall in an open model.
* :func:`growth_mb_per_h`: memory growth from RSS samples, from two points or a fitted line.

The e2e test of the open model's stall correction imports :func:`analytic_stall_p99_ms` too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["analytic_stall_p99_ms", "empty_interval_share", "growth_mb_per_h"]


def empty_interval_share(
    times_s: Sequence[float], start_s: float, end_s: float, interval_s: float = 0.01
) -> float | None:
    """Share of the whole ``interval_s`` intervals from ``start_s`` on (up to ``end_s``) in
    which no time of ``times_s`` falls; None when the window holds no whole interval.

    Interval k is ``[start_s + k * interval_s, start_s + (k + 1) * interval_s)``; times outside
    the intervals are ignored. An evenly paced 1,000/s gives 0 at 10 ms; bursts give more.
    """
    n = int(round((end_s - start_s) / interval_s, 9))
    if n <= 0:
        return None
    times = np.asarray(times_s, dtype=float)
    k = np.floor((times - start_s) / interval_s)
    hit = np.unique(k[(k >= 0) & (k < n)])
    return float(1.0 - hit.size / n)


def analytic_stall_p99_ms(
    rate_per_s: float, duration_s: float, stall_s: float, base_ms: float = 0.0
) -> float:
    """p99 (nearest rank) of the latencies an open model at ``rate_per_s`` should report for a
    run of ``duration_s`` with one ``stall_s`` stall of the server inside it.

    Arrivals come every ``1/rate`` s: n = rate * duration of them. The ones due during the
    stall wait until it ends, so arrival k of the stall takes ``stall_s - k / rate`` (spread
    uniformly over 0..stall_s) plus the normal latency ``base_ms``; the others take ``base_ms``.
    Where the stall starts does not matter as long as it lies inside the run.
    """
    n = int(rate_per_s * duration_s)
    latencies = np.full(n, base_ms)
    stalled = int(rate_per_s * stall_s)
    latencies[:stalled] = base_ms + (stall_s - np.arange(stalled) / rate_per_s) * 1000
    rank = max(1, int(0.99 * n + 0.5))
    return float(np.sort(latencies)[rank - 1])


def growth_mb_per_h(
    rss_mb: Mapping[float, float], from_s: float, fit: bool = False
) -> float | None:
    """Growth of the resident memory in MB per hour from the samples at or after ``from_s``
    (seconds since the start -> MB): from the first such sample to the last, or with ``fit``
    the slope of the least-squares line through all of them. None with fewer than 2 samples.
    """
    points = sorted((t, mb) for t, mb in rss_mb.items() if t >= from_s)
    if len(points) < 2 or points[-1][0] == points[0][0]:
        return None
    if not fit:
        (t0, m0), (t1, m1) = points[0], points[-1]
        return (m1 - m0) / (t1 - t0) * 3600
    t, mb = np.array(points).T
    slope = np.polyfit(t, mb, 1)[0]
    return float(slope * 3600)
