"""The pure arithmetic of the side-by-side benchmark's rows (benchmarks/_measures.py)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks._measures import analytic_stall_p99_ms, empty_interval_share, growth_mb_per_h


@pytest.mark.parametrize(
    ("times_s", "start_s", "end_s", "want"),
    [
        pytest.param(
            list(np.arange(1000) / 1000 + 0.0005),
            0.0,
            1.0,
            0.0,
            id="1,000/s evenly -> no empty 10-ms interval",
        ),
        pytest.param(
            list(np.arange(10) / 10 + 0.001),
            0.0,
            1.0,
            0.9,
            id="10 requests 100 ms apart -> 90 of 100 empty",
        ),
        pytest.param(
            [0.0011] * 500 + [0.5001] * 500,
            0.0,
            1.0,
            0.98,
            id="two bursts of 500 -> 98 of 100 empty",
        ),
        pytest.param([], 10.0, 10.5, 1.0, id="no request -> every interval empty"),
        pytest.param(
            [9.999, 10.5, 10.001], 10.0, 10.5, 0.98, id="times outside the window are ignored"
        ),
        pytest.param([1.0], 1.0, 1.009, None, id="a window shorter than one interval -> None"),
    ],
)
def test_empty_interval_share(
    times_s: list[float], start_s: float, end_s: float, want: float | None
) -> None:
    got = empty_interval_share(times_s, start_s, end_s)
    assert got == (None if want is None else pytest.approx(want))


def test_empty_interval_share_counts_an_interval_once_however_many_requests_it_holds() -> None:
    # 20-ms intervals of 1,000 requests per second: each interval holds 20, none empty
    times = list(np.arange(2000) / 1000 + 100.0)
    assert empty_interval_share(times, 100.0, 102.0, interval_s=0.02) == 0.0


@pytest.mark.parametrize(
    ("rate", "duration_s", "stall_s", "base_ms", "want_ms"),
    [
        # 2,000 arrivals, rank 1,980: the 21st longest, arrival 20 of the stall, 100 ms into it
        pytest.param(200, 10, 1.0, 0.0, 900.0, id="200/s for 10 s, 1-s stall -> 900 ms"),
        pytest.param(200, 4, 1.0, 0.0, 960.0, id="200/s for 4 s, 1-s stall -> 960 ms"),
        pytest.param(200, 20, 1.0, 0.0, 800.0, id="200/s for 20 s, 1-s stall -> 800 ms"),
        pytest.param(200, 10, 1.0, 0.5, 900.5, id="a 0.5-ms normal latency is added"),
        pytest.param(
            100, 200, 1.0, 2.0, 2.0, id="a stall under 1% of the run -> the normal latency"
        ),
    ],
)
def test_analytic_stall_p99_ms(
    rate: float, duration_s: float, stall_s: float, base_ms: float, want_ms: float
) -> None:
    assert analytic_stall_p99_ms(rate, duration_s, stall_s, base_ms) == pytest.approx(want_ms)


@pytest.mark.parametrize(
    ("rss_mb", "from_s", "fit", "want"),
    [
        pytest.param(
            {10.0: 60.0, 600.0: 61.0},
            10.0,
            False,
            1.0 / 590 * 3600,
            id="+1 MB from 10 s to 600 s -> 6.1 MB/h",
        ),
        pytest.param(
            {5.0: 1.0, 10.0: 60.0, 130.0: 62.0},
            10.0,
            False,
            60.0,
            id="samples before from_s are ignored",
        ),
        pytest.param({10.0: 60.0, 20.0: 60.0, 30.0: 61.0}, 10.0, False, 180.0, id="endpoints only"),
        pytest.param(
            {float(t): 50.0 + t / 360 for t in range(300, 610, 10)},
            300.0,
            True,
            10.0,
            id="a line of 10 MB/h -> 10 MB/h",
        ),
        pytest.param(
            {300.0: 50.0, 310.0: 52.0, 320.0: 50.0, 330.0: 52.0},
            300.0,
            True,
            144.0,
            id="a saw-tooth -> the least-squares slope, 20 / 500 MB/s",
        ),
        pytest.param({10.0: 60.0}, 10.0, False, None, id="one sample -> None"),
        pytest.param(
            {10.0: 60.0, 20.0: 61.0}, 30.0, True, None, id="no sample after from_s -> None"
        ),
    ],
)
def test_growth_mb_per_h(
    rss_mb: dict[float, float], from_s: float, fit: bool, want: float | None
) -> None:
    got = growth_mb_per_h(rss_mb, from_s, fit=fit)
    assert got == (None if want is None else pytest.approx(want))
