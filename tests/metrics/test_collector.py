"""The collector on a fake clock: intervals, series, queries, the memory bound."""

from __future__ import annotations

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import Metric
from genesis_load.metrics.selector import parse_selector
from genesis_load.metrics.sinks import CounterSink, RateSink, TrendSink
from genesis_load.metrics.store import Store


def _fill(c: Collector, second: int) -> None:
    for i in range(10):
        c.record_request("GET", "/a", 200, 10.0 + i, False, 100)
    c.record_request("POST", "/b", 500, 100.0, True, 10, context={"scenario": "spike"})


def test_intervals_roll_into_series_and_cumulative() -> None:
    c = Collector(start_s=1000.0)
    for s in range(3):
        _fill(c, s)
        c.roll(1001.0 + s)
    assert len(c.series.points) == 3
    p = c.series.points[1]
    assert (p.start_s, p.end_s) == (1.0, 2.0)
    assert p.entries["http_reqs"]["count"] == 11
    assert p.entries["http_req_failed{name:/b}"]["rate"] == 1.0
    assert p.entries["http_req_duration{name:/a}"]["max"] == 19.0

    reqs = c.query(parse_selector("http_reqs"))
    assert isinstance(reqs, CounterSink) and reqs.value == 33
    failed = c.query(parse_selector("http_req_failed"))
    assert isinstance(failed, RateSink) and (failed.trues, failed.total) == (3, 33)
    spike = c.query(parse_selector("http_req_duration{scenario:spike}"))
    assert isinstance(spike, TrendSink) and spike.count == 3
    assert c.query(parse_selector("http_req_duration{status:404}")) is None
    data = c.query(parse_selector("data_received{method:GET}"))
    assert isinstance(data, CounterSink) and data.value == 3000


def test_custom_metrics_are_recorded_with_tags() -> None:
    c = Collector(start_s=0.0)
    ttft = Metric("ai_ttft", "trend", "time")
    for ms, agent in ((100, "BLAZE"), (200, "SAGE"), (300, "BLAZE")):
        c.record(ttft, ms, {"agent": agent})
    c.roll(1.0)
    blaze = c.query(parse_selector("ai_ttft{agent:BLAZE}"))
    assert isinstance(blaze, TrendSink)
    assert (blaze.count, blaze.min, blaze.max) == (2, 100_000, 300_000)
    assert c.series.points[0].entries["ai_ttft"]["count"] == 3


def test_series_memory_is_bounded_by_coalescing_exactly() -> None:
    c = Collector(start_s=0.0, max_points=8)
    for s in range(40):
        c.record_request("GET", "/a", 200, float(s + 1), False)
        c.roll(float(s + 1))
    assert len(c.series.points) <= 8
    assert c.series.coalesced == 8
    # one resolution throughout: every point but the last covers exactly 8 intervals
    assert [p.intervals for p in c.series.points[:-1]] == [8] * (len(c.series.points) - 1)
    assert [p.end_s - p.start_s for p in c.series.points[:-1]] == [8.0] * 4
    total = sum(p.entries["http_reqs"]["count"] for p in c.series.points)
    assert total == 40
    assert c.series.points[0].start_s == 0.0
    assert c.series.points[-1].end_s == 40.0
    window = c.series.window(0.0, 40.0)
    assert window is not None and window.entries["http_req_duration"]["max"] == 40.0


def test_worker_wire_merges_exactly_into_master() -> None:
    worker_a, worker_b, master = Collector(0.0), Collector(0.0), Collector(0.0)
    for i in range(100):
        (worker_a if i % 3 else worker_b).record_request("GET", "/x", 200, i + 0.5, i % 10 == 0)
    master.merge_wire(worker_a.drain_wire())
    master.merge_wire(worker_b.drain_wire())
    master.roll(1.0)
    single = Collector(0.0)
    for i in range(100):
        single.record_request("GET", "/x", 200, i + 0.5, i % 10 == 0)
    single.roll(1.0)
    sel = parse_selector("http_req_duration")
    a, b = master.query(sel), single.query(sel)
    assert isinstance(a, TrendSink) and isinstance(b, TrendSink)
    assert list(a.hist.counts) == list(b.hist.counts)
    assert Store.from_wire(master.cumulative.to_wire()).to_wire() == master.cumulative.to_wire()
