"""``Collector.live_view()`` answers every query exactly as the merged copy ``live()`` does."""

from __future__ import annotations

import random

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import BUILTIN_METRICS, Metric
from genesis_load.metrics.selector import Selector, parse_selector
from genesis_load.metrics.sinks import GaugeSink, Sink
from genesis_load.metrics.store import MergedView, Store
from genesis_load.thresholds import ThresholdEngine, thresholds_from_mapping

GAUGE = Metric("queue_depth", "gauge")
TREND = Metric("ai_ttft", "trend", "time")
COUNTER = BUILTIN_METRICS["iterations"]
RATE = BUILTIN_METRICS["checks"]

SELECTORS = [
    "http_reqs",
    "http_reqs{status:500}",
    "http_req_duration",
    "http_req_duration{name:/a}",
    "http_req_duration{name:/nowhere}",
    "http_req_duration_corrected",
    "http_req_duration_corrected{scenario:s1}",
    "http_req_waiting",
    "http_req_waiting{name:/b}",
    "http_req_failed",
    "http_req_failed{method:POST}",
    "data_received",
    "data_sent",
    "data_sent{name:/a}",
    "queue_depth",
    "queue_depth{q:1}",
    "ai_ttft",
    "ai_ttft{agent:B}",
    "iterations",
    "iterations{scenario:s2}",
    "checks",
    "checks{check:x}",
    "never_recorded",
]


def _wire(sink: Sink | None) -> object:
    return None if sink is None else sink.to_wire()


def _fill(c: Collector, rnd: random.Random, n: int, now: float) -> None:
    for _ in range(n):
        ctx = rnd.choice([None, {"scenario": "s1", "_lag_ms": rnd.uniform(0, 5)}, {"x": "y"}])
        c.record_request(
            rnd.choice(["GET", "POST"]),
            rnd.choice(["/a", "/b", "/c"]),
            rnd.choice([200, 500, 0]),
            rnd.uniform(0, 80),
            rnd.random() < 0.2,
            rnd.randint(0, 100),
            ctx,
            rnd.choice([None, 1.5]),
            rnd.choice([None, None, 64]),
        )
        # gauge times collide on purpose: ties must break as the merged copy breaks them
        c.record(GAUGE, rnd.randint(0, 9), {"q": rnd.choice(["1", "2"])}, float(rnd.randint(0, 3)))
        c.record(TREND, rnd.uniform(1, 900), {"agent": rnd.choice(["A", "B"])})
        c.record(COUNTER, 1, {"scenario": rnd.choice(["s1", "s2"])})
        c.record(RATE, rnd.random() < 0.7, {"check": rnd.choice(["x", "y"])})


def _same_everywhere(c: Collector) -> None:
    live, view = c.live(), c.live_view()
    for text in SELECTORS:
        sel = parse_selector(text)
        assert _wire(view.query(sel)) == _wire(live.query(sel)), text
        name = sel.metric
        assert view.metric(name) == live.metric(name), name


def test_the_view_equals_the_merged_copy_after_rolls_with_data_open() -> None:
    rnd = random.Random(7)
    c = Collector(0.0)
    _same_everywhere(c)  # nothing recorded
    for t in range(4):
        _fill(c, rnd, 300, float(t))
        _same_everywhere(c)
        c.roll(float(t + 1))
        _same_everywhere(c)


def test_the_view_equals_the_merged_copy_on_the_masters_grid() -> None:
    rnd = random.Random(8)
    master = Collector(0.0)
    master.use_grid(1.0, 5.0)  # cells stay open for 5 s: the view must read them too
    for t in range(4):
        worker = Collector(float(t))
        _fill(worker, rnd, 200, float(t))
        worker.close_interval(float(t) + 1.0)
        for shipped in worker.drain_intervals():
            master.merge_interval(shipped["store"], shipped["start_s"], shipped["end_s"])
        _fill(master, rnd, 50, float(t))
        master.advance(float(t) + 1.0)
        assert master._cells  # open cells are part of what the check sees
        _same_everywhere(master)


def test_gauge_ties_break_in_the_merged_copys_order() -> None:
    a, b, c = Store(), Store(), Store()
    for store, q, value in ((a, "2", 1.0), (b, "1", 2.0), (c, "2", 3.0), (b, "2", 4.0)):
        sink = store.sink(GAUGE, (("q", q),))
        assert isinstance(sink, GaugeSink)
        sink.add(value, 5.0)  # one time for all
    merged = Store()
    for store in (a, b, c):
        merged.merge(store)
    sel = Selector("queue_depth")
    assert _wire(MergedView([a, b, c]).query(sel)) == _wire(merged.query(sel))
    got = MergedView([a, b, c]).query(sel)
    assert isinstance(got, GaugeSink) and got.value == 2.0  # the last tag set to appear wins


def test_abort_checks_give_the_same_verdicts_on_the_view() -> None:
    mapping = {
        "http_req_duration": [{"threshold": "p(95)<60", "abortOnFail": True}],
        "http_req_failed{method:POST}": [{"threshold": "rate<0.3", "abortOnFail": True}],
        "ai_ttft{agent:B}": [{"threshold": "med<400", "abortOnFail": True}],
        "queue_depth": [{"threshold": "max<9", "abortOnFail": True}],
        "http_reqs": [{"threshold": "rate<100000", "abortOnFail": True}],
    }
    hits = 0
    for seed in range(6):
        rnd = random.Random(seed)
        on_live = ThresholdEngine(thresholds_from_mapping(mapping))
        on_view = ThresholdEngine(thresholds_from_mapping(mapping))
        c = Collector(0.0)
        c.interval_listeners += [on_live.on_interval, on_view.on_interval]
        for t in range(5):
            _fill(c, rnd, 60, float(t))
            a = on_live.check_abort(c.live(), t + 0.5)
            b = on_view.check_abort(c.live_view(), t + 0.5)
            assert (a is None) == (b is None)
            if a is not None and b is not None:
                assert (a.threshold, a.observed) == (b.threshold, b.observed)
                hits += 1
            c.roll(float(t + 1))
    assert hits  # the data does breach some thresholds
