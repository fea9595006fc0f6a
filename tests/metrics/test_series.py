"""The series keeps old points packed (compact, exact, in shared blocks) and stays bounded by
coalescing."""

from __future__ import annotations

import math
import random

import pytest

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import Metric
from genesis_load.metrics.selector import Selector
from genesis_load.metrics.series import (
    BLOCK_POINTS,
    IntervalPoint,
    Series,
    merge_points,
    point_entry,
)
from genesis_load.metrics.sinks import GaugeSink, TrendSink, sink_from_wire

ITER = Metric("iteration_duration", "trend", "time")
LAG = Metric("schedule_lag", "trend", "time")
GAUGE = Metric("vus", "gauge")


def _run(seconds: int, rps: int = 200, max_points: int = 3600) -> Collector:
    rng = random.Random(7)
    c = Collector(start_s=0.0, max_points=max_points)
    for s in range(seconds):
        for _ in range(rps):
            d = rng.lognormvariate(-0.8, 0.5)
            ctx = {"scenario": "open", "_lag_ms": rng.expovariate(2)}
            c.record_request("GET", "/", 200 if rng.random() > 0.02 else 503, d, False, 3, ctx)
            c.record(ITER, d + 0.05, {"scenario": "open"})
            c.record(LAG, rng.expovariate(2), {"scenario": "open"})
        c.record(GAUGE, float(s), now_s=float(s))
        c.roll(float(s + 1))
    return c


def test_every_point_but_the_newest_is_packed_and_reads_back_exactly() -> None:
    plain = Series(max_points=100)
    c = _run(5)
    # the same points again, never packed: a reference to compare the packed ones against
    for p in c.series.points:
        plain.points.append(IntervalPoint(p.start_s, p.end_s, p.entries, p.intervals))
    assert [p.packed for p in c.series.points] == [True, True, True, True, False]
    for packed, ref in zip(c.series.points, plain.points, strict=True):
        assert packed.entries == ref.entries
        for key, entry in packed.entries.items():
            assert type(entry.get("count")) is type(ref.entries[key].get("count"))
    # the newest point is the one roll() returned, still a plain dict for the outputs
    assert c.series.points[-1]._entries is not None


def test_packing_keeps_inf_nan_and_int_types() -> None:
    gauge = GaugeSink()
    gauge.add(math.inf, 1.0)
    gauge.add(-math.inf, 0.5)
    trend = TrendSink()
    for v in (3, 5, 2**40):
        trend.add(v)
    entries = {"g": point_entry(gauge, 1.0), "t": point_entry(trend, 1.0)}
    p = IntervalPoint(0.0, 1.0, entries)
    p.pack()
    back = p.entries
    assert back["g"]["max"] == math.inf and back["g"]["min"] == -math.inf
    assert back["t"]["wire"] == trend.to_wire()
    assert isinstance(back["t"]["count"], int) and back["t"]["wire"]["total"] == 2**40 + 8
    nan = IntervalPoint(0.0, 1.0, {"x": {"value": math.nan}})
    nan.pack()
    assert math.isnan(nan.entries["x"]["value"])


@pytest.mark.parametrize(
    "hist",
    ["HISTFAAAAB14nJNpmSzMwMDAxAABzFCaEUzOmSS4V4EBAEQ8Awk=", "not base64!", "YWJj", b"raw", ""],
    ids=["HDR text", "not base64", "base64 of no HDR", "bytes stay bytes", "empty"],
)
def test_a_packed_wire_form_comes_back_as_it_went_in(hist: str | bytes) -> None:
    entries = {"t": {"count": 1, "wire": {"kind": "trend", "hist": hist, "count": 1}}}
    p = IntervalPoint(0.0, 1.0, entries)
    p.pack()
    back = p.entries["t"]["wire"]["hist"]
    assert back == hist and type(back) is type(hist)


def test_a_packed_point_is_a_fraction_of_its_dicts() -> None:
    c = _run(3, rps=500)
    p = c.series.points[0]
    assert p.packed and c.series.points[-1].packed_size == 0
    keys = len(p.entries)
    assert keys >= 10
    assert 0 < p.packed_size < 350 * keys  # about 0.2 KB a key (about 1.1 KB as dicts)


def test_coalesced_packed_points_merge_exactly() -> None:
    c = _run(40, rps=50, max_points=8)
    assert c.series.coalesced == 8 and len(c.series.points) == 5
    assert all(p.packed for p in c.series.points[:-1])
    whole = c.series.window(0.0, 40.0)
    assert whole is not None
    total = c.query(Selector("http_req_duration"))
    assert isinstance(total, TrendSink)
    assert whole.entries["http_req_duration"]["wire"] == total.to_wire()
    assert whole.entries["http_req_duration"]["p(95)"] == point_entry(total, 40.0)["p(95)"]
    assert sum(p.entries["http_reqs"]["count"] for p in c.series.points) == 40 * 50


def test_merge_at_repacks_an_old_point_and_keeps_it_exact() -> None:
    c = _run(4, rps=20)
    late = _run(1, rps=10).series.points[0]
    late.start_s, late.end_s = 1.2, 1.8
    before = c.series.points[1].entries["http_reqs"]["count"]
    c.series.merge_at(late)
    p = c.series.points[1]
    assert p.packed and (p.start_s, p.end_s) == (1.0, 2.0)
    assert p.entries["http_reqs"]["count"] == before + 10
    assert merge_points([p]).entries == p.entries


def test_points_compare_by_content_packed_or_not() -> None:
    c = _run(2, rps=10)
    a = c.series.points[0]
    b = IntervalPoint(a.start_s, a.end_s, a.entries, a.intervals)
    assert a.packed and not b.packed and a == b
    b.entries = {}
    assert a != b


def _plain_copy(series: Series) -> list[IntervalPoint]:
    return [IntervalPoint(p.start_s, p.end_s, p.entries, p.intervals) for p in series.points]


def test_points_in_shared_blocks_read_back_exactly_in_any_order() -> None:
    c = _run(2 * BLOCK_POINTS + 3, rps=20)
    points = c.series.points
    in_blocks = [p._block is not None for p in points]
    assert in_blocks == [True] * 2 * BLOCK_POINTS + [False] * 3
    assert points[0]._block is points[BLOCK_POINTS - 1]._block is not points[BLOCK_POINTS]._block
    ref = [p.entries for p in points]  # in order
    for i in random.Random(1).sample(range(len(points)), len(points)):  # then jumping around
        assert points[i].entries == ref[i]
        if points[i].packed:
            assert points[i].entries is not points[i].entries  # a fresh dict on each read
    ref_wire = ref[3]["http_req_duration"]["wire"]
    assert isinstance(ref_wire["hist"], str)
    assert sink_from_wire(ref_wire).to_wire() == ref_wire  # the HDR text comes back as it was


def test_a_packed_point_costs_at_most_170_bytes_a_key() -> None:
    """11 keys of a 500/s run: 1.69 KB a point in blocks of 16 (2.2 KB zlib'd one by one)."""
    c = _run(4 * BLOCK_POINTS + 1, rps=500)
    points = c.series.points[:-1]
    keys = len(points[0].entries)
    assert keys == 11
    per_point = sum(p.packed_size for p in points) / len(points)
    assert per_point < 170 * keys


def test_coalescing_and_late_data_keep_blocks_exact() -> None:
    c = _run(3 * BLOCK_POINTS + 5, rps=30, max_points=2 * BLOCK_POINTS + 4)
    assert c.series.coalesced == 2
    before = _plain_copy(c.series)
    late = _run(1, rps=10).series.points[0]
    late.start_s, late.end_s = 4.2, 4.8  # in the first block's third point (4..6)
    c.series.merge_at(late)
    points = c.series.points
    assert points[2].packed and points[2]._block is points[0]._block
    expected = merge_points([before[2], late], bounds=before[2])
    assert points[2].entries == expected.entries
    assert [p.entries for i, p in enumerate(points) if i != 2] == [
        p.entries for i, p in enumerate(before) if i != 2
    ]
    whole = c.series.window(0.0, 1e9)
    total = c.query(Selector("http_req_duration"))
    assert whole is not None and isinstance(total, TrendSink)
    total.merge(sink_from_wire(late.entries["http_req_duration"]["wire"]))  # type: ignore[arg-type]
    assert whole.entries["http_req_duration"]["wire"] == total.to_wire()
