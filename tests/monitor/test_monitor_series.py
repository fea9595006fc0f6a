"""ResourceSeries on fake samples: CPU % from deltas, exact averages and peaks, the RSS slope,
bounded storage that keeps peaks exact, and a shape the readiness report can read."""

from __future__ import annotations

import itertools
import json
import random
import tracemalloc

import pytest

from genesis_load.monitor import ProcessSample, ResourceSeries
from genesis_load.report.generic import resource_series

MB = 1e6


def series_of(*samples: ProcessSample, max_samples: int = 3600) -> ResourceSeries:
    series = ResourceSeries("pid 1", interval_s=1.0, max_samples=max_samples)
    for sample in samples:
        series.add(sample)
    return series


def cpu_samples(series: ResourceSeries) -> list[float | None]:
    return [s["cpu_percent"] for s in series.to_dict()["samples"]]


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(0, 1.0), (1, 1.5)], [None, 50.0]),
        ([(0, 0.0), (1, 0.25), (2, 1.25)], [None, 25.0, 100.0]),
        ([(0, 2.0), (0.5, 2.5)], [None, 100.0]),
        ([(0, 0.0), (1, 2.0)], [None, 200.0]),
        ([(0, 5.0), (1, 5.0)], [None, 0.0]),
        ([(0, 5.0), (1, 0.5), (2, 1.0)], [None, None, 50.0]),
    ],
    ids=[
        "0.5 CPU s in 1 s -> 50%",
        "each interval on its own deltas -> 25% then 100%",
        "0.5 CPU s in 0.5 s -> 100%",
        "two cores busy -> 200%",
        "idle -> 0%",
        "counter went backwards (restart) -> no value for that interval",
    ],
)
def test_cpu_percent_comes_from_consecutive_deltas(
    points: list[tuple[float, float]], expected: list[float | None]
) -> None:
    series = series_of(*(ProcessSample(t, cpu_seconds=cpu) for t, cpu in points))
    assert cpu_samples(series) == expected


def test_a_restart_is_counted() -> None:
    series = series_of(*(ProcessSample(t, cpu_seconds=c) for t, c in [(0, 5), (1, 0.5), (2, 1)]))
    assert series.counter_resets == 1
    assert series.to_dict()["counter_resets"] == 1


def test_a_failed_read_makes_the_next_cpu_percent_span_the_gap() -> None:
    series = ResourceSeries("x")
    series.add(ProcessSample(0.0, cpu_seconds=0.0))
    series.add_failure("URLError: refused")
    series.add(ProcessSample(2.0, cpu_seconds=1.0))
    assert cpu_samples(series) == [None, 50.0]
    out = series.to_dict()
    assert (out["failed_samples"], out["last_error"]) == (1, "URLError: refused")


def test_averages_and_peaks_of_every_field() -> None:
    series = series_of(
        ProcessSample(0, rss_bytes=40 * MB, cpu_seconds=0.0, open_fds=10, connections=1),
        ProcessSample(1, rss_bytes=50 * MB, cpu_seconds=0.8, open_fds=14, connections=5),
        ProcessSample(3, rss_bytes=45 * MB, cpu_seconds=1.0, open_fds=12, connections=3),
    )
    summary = series.to_dict()["summary"]
    assert summary["rss_mb"] == {"avg": pytest.approx(45.0), "peak": 50.0}
    assert summary["open_fds"] == {"avg": 12.0, "peak": 14.0}
    assert summary["connections"] == {"avg": 3.0, "peak": 5.0}
    # 80% for 1 s then 10% for 2 s: time-weighted 1.0 CPU s / 3 s, not the mean of 80 and 10
    assert summary["cpu_percent"] == {"avg": pytest.approx(100 / 3), "peak": pytest.approx(80.0)}


def test_only_fields_that_had_data_appear() -> None:
    series = series_of(
        ProcessSample(0, rss_bytes=30 * MB, open_fds=9),
        ProcessSample(1, rss_bytes=31 * MB, open_fds=9),
    )
    out = series.to_dict()
    assert list(out["summary"]) == ["rss_mb", "open_fds"]
    assert out["samples"] == [
        {"t_s": 0.0, "rss_mb": 30.0, "open_fds": 9.0},
        {"t_s": 1.0, "rss_mb": 31.0, "open_fds": 9.0},
    ]


def test_a_field_missing_from_some_samples_is_null_there() -> None:
    series = series_of(ProcessSample(0, rss_bytes=30 * MB), ProcessSample(1, open_fds=3))
    assert series.to_dict()["samples"] == [
        {"t_s": 0.0, "rss_mb": 30.0, "open_fds": None},
        {"t_s": 1.0, "rss_mb": None, "open_fds": 3.0},
    ]


def test_no_samples_gives_an_empty_but_complete_shape() -> None:
    assert ResourceSeries("http://127.0.0.1:1/metrics", interval_s=0.5).to_dict() == {
        "source": "http://127.0.0.1:1/metrics", "interval_s": 0.5, "failed_samples": 0,
        "last_error": None, "counter_resets": 0, "samples_per_point": 1, "summary": {},
        "samples": [], "trend": {"rss_mb_per_min": None},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("rss_mb", "slope"),
    [
        ([40 + t / 10 for t in range(120)], 6.0),
        ([40.0] * 60, 0.0),
        ([40 + (t % 2) for t in range(61)], 0.0),
        ([100 - t / 60 for t in range(600)], -1.0),
        ([40.0], None),
    ],
    ids=[
        "0.1 MB/s growth -> 6 MB/min",
        "flat -> 0",
        "a sawtooth with no drift -> 0",
        "shrinking 1 MB/min -> -1",
        "one sample -> no slope",
    ],
)
def test_rss_trend_is_the_least_squares_slope(rss_mb: list[float], slope: float | None) -> None:
    series = series_of(*(ProcessSample(float(t), rss_bytes=v * MB) for t, v in enumerate(rss_mb)))
    trend = series.to_dict()["trend"]["rss_mb_per_min"]
    assert trend == (None if slope is None else pytest.approx(slope, abs=1e-9))


def test_the_slope_is_exact_after_downsampling() -> None:
    series = series_of(
        *(ProcessSample(float(t), rss_bytes=(50 + t / 30) * MB) for t in range(10_000)),
        max_samples=16,
    )
    assert series.rss_mb_per_min() == pytest.approx(2.0)


def test_storage_is_bounded_and_summary_peaks_stay_exact() -> None:
    n = 1000
    rss = [40.0 + (t % 7) for t in range(n)]
    rss[501] = 400.0  # a one-sample spike
    series = series_of(
        *(
            ProcessSample(float(t), rss_bytes=v * MB, cpu_seconds=t * 0.5)
            for t, v in enumerate(rss)
        ),
        max_samples=64,
    )
    out = series.to_dict()
    stored = out["samples"]
    assert len(stored) <= 64
    assert out["samples_per_point"] == 16  # 1000 samples over <= 64 points: 4 merges
    assert out["summary"]["rss_mb"]["peak"] == 400.0
    assert out["summary"]["rss_mb"]["avg"] == pytest.approx(sum(rss) / n)
    assert out["summary"]["cpu_percent"] == {
        "avg": pytest.approx(50.0),
        "peak": pytest.approx(50.0),
    }
    assert max(s["rss_mb"] for s in stored) < 400.0  # merged points hold averages
    # every full point stands for 16 consecutive samples: evenly spaced, time-ordered
    times = [s["t_s"] for s in stored]
    assert times[:3] == [7.5, 23.5, 39.5]
    assert all(b - a == 16 for a, b in itertools.pairwise(times[:-1]))  # last: partial
    assert times == sorted(times)
    # with equal-weight points the stored average is the stream's average
    full = stored[: n // 16]
    assert sum(s["rss_mb"] for s in full) / len(full) == pytest.approx(
        sum(rss[: 16 * len(full)]) / (16 * len(full)), abs=1e-3
    )


def test_a_stored_point_costs_under_150_bytes() -> None:
    """An hour of 1-s samples is 3,600 stored points: flat columns of numbers (about 90 bytes
    a point), not one object with two dicts each (about 600 bytes)."""
    series = ResourceSeries("pid 1", interval_s=1.0, max_samples=3600)
    samples = [
        ProcessSample(float(t), rss_bytes=(60 + t / 1e3) * MB, cpu_seconds=t * 0.4, open_fds=30)
        for t in range(2000)
    ]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for sample in samples:
            series.add(sample)
        per_point = (tracemalloc.get_traced_memory()[0] - before) / len(samples)
    finally:
        tracemalloc.stop()
    assert per_point < 150


def test_merged_points_keep_the_same_numbers_as_one_by_one_sums() -> None:
    rng = random.Random(2)
    cpu = 0.0
    samples = []
    for t in range(77):
        cpu += rng.random()
        samples.append(
            ProcessSample(
                float(t),
                rss_bytes=rng.random() * 1e8,
                cpu_seconds=cpu,
                open_fds=None if t % 3 else rng.randrange(50),
                connections=None if t < 40 else 7,
            )
        )
    out = series_of(*samples, max_samples=5).to_dict()  # 4 merges: 16 samples a point
    assert out["samples_per_point"] == 16
    first = out["samples"][0]
    assert first["t_s"] == round(sum(range(16)) / 16, 3)
    assert first["rss_mb"] == round(sum(s.rss_bytes or 0 for s in samples[:16]) / MB / 16, 3)
    assert first["connections"] is None
    fds = [s.open_fds for s in samples[:16] if s.open_fds is not None]
    assert first["open_fds"] == round(sum(fds) / len(fds), 3)
    assert out["samples"][-1]["connections"] == 7.0


@pytest.mark.parametrize("max_samples", [2, 3, 5, 8])
def test_bounded_for_any_limit(max_samples: int) -> None:
    series = series_of(
        *(ProcessSample(float(t), rss_bytes=t * MB) for t in range(333)), max_samples=max_samples
    )
    stored = series.to_dict()["samples"]
    assert 1 <= len(stored) <= max_samples
    assert [s["t_s"] for s in stored] == sorted(s["t_s"] for s in stored)
    assert series.to_dict()["summary"]["rss_mb"]["peak"] == pytest.approx(332.0)


def test_samples_out_of_time_order_are_refused() -> None:
    series = series_of(ProcessSample(2.0, rss_bytes=MB))
    with pytest.raises(ValueError, match="time order"):
        series.add(ProcessSample(1.0, rss_bytes=MB))


def test_too_small_a_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="max_samples"):
        ResourceSeries("x", max_samples=1)


def test_the_result_is_strict_json_and_the_report_reads_it() -> None:
    series = series_of(
        *(
            ProcessSample(
                float(t), rss_bytes=(40 + t) * MB, cpu_seconds=t * 0.25, open_fds=10, connections=t
            )
            for t in range(5)
        )
    )
    resources = json.loads(json.dumps({"target": series.to_dict()}, allow_nan=False))
    rows = {row.name: row for row in resource_series(resources)}
    # the report shows one row per measured field, from the exact summary
    assert set(rows) == {
        "target.rss_mb",
        "target.cpu_percent",
        "target.open_fds",
        "target.connections",
    }
    assert rows["target.rss_mb"].samples == 5
    assert rows["target.rss_mb"].peak == 44.0
    assert rows["target.cpu_percent"].samples == 4  # the first sample has none
    assert rows["target.cpu_percent"].avg == pytest.approx(25.0)
    assert rows["target.connections"].peak == 4.0


def test_the_average_of_equal_values_is_never_above_their_peak() -> None:
    series = series_of(*(ProcessSample(float(t), rss_bytes=43_843_584) for t in range(7)))
    stats = series.stats("rss_mb")
    assert stats is not None and stats.avg == stats.peak == 43.843584
