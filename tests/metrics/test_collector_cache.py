"""The collector's fast-path caches (issue 15): same sinks, same tag sets, same values.

The rule tested here: a cached bucket or sink is found by the *contents* of the tags (their
keys in order and their values), never by the identity of the dict, and only for ``str`` keys
and values; every interval boundary (any assignment of ``Collector.current``) drops the caches.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import pytest

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import BUILTIN_METRICS, Metric
from genesis_load.metrics.sinks import GaugeSink, TrendSink
from genesis_load.metrics.stats import STORED_PER_UNIT
from genesis_load.metrics.store import Store, tag_items

LAG = BUILTIN_METRICS["schedule_lag"]
ITERS = BUILTIN_METRICS["iterations"]
VUS = BUILTIN_METRICS["vus"]


def _sink(c: Collector, metric: Metric, tags: Mapping[str, Any] | None) -> Any:
    return c.current.sinks.get((metric.name, tag_items(tags)))


# -- one interval ---------------------------------------------------------------------------
def test_equal_tag_dicts_that_are_different_objects_share_one_sink() -> None:
    c = Collector(0.0)
    c.record(LAG, 1.0, {"scenario": "a", "flow": "x"})
    c.record(LAG, 2.0, {"scenario": "a", "flow": "x"})
    c.record(LAG, 3.0, {"flow": "x", "scenario": "a"})  # other key order, same tag set
    assert list(c.current.sinks) == [("schedule_lag", (("flow", "x"), ("scenario", "a")))]
    sink = _sink(c, LAG, {"scenario": "a", "flow": "x"})
    assert isinstance(sink, TrendSink) and sink.count == 3


def test_a_dict_mutated_between_samples_goes_to_its_new_tag_set() -> None:
    c = Collector(0.0)
    tags = {"scenario": "a"}
    c.record(ITERS, 1, tags)
    tags["scenario"] = "b"
    c.record(ITERS, 1, tags)
    tags["flow"] = "x"
    c.record(ITERS, 1, tags)
    del tags["flow"]
    tags["scenario"] = "a"
    c.record(ITERS, 1, tags)
    counts = {t: s.value for (_, t), s in c.current.sinks.items()}  # type: ignore[union-attr]
    assert counts == {
        (("scenario", "a"),): 2,
        (("scenario", "b"),): 1,
        (("flow", "x"), ("scenario", "b")): 1,
    }


def test_a_request_context_mutated_in_place_is_read_anew_each_time() -> None:
    c = Collector(0.0)
    context: dict[str, Any] = {"scenario": "a", "_lag_ms": 5.0}
    c.record_request("GET", "/x", 200, 10.0, False, 0, context)
    context["_lag_ms"] = 20.0
    c.record_request("GET", "/x", 200, 10.0, False, 0, context)
    context["scenario"] = "b"
    c.record_request("GET", "/x", 200, 10.0, False, 0, context)
    a = c.current.requests[tag_items({"scenario": "a", "method": "GET", "name": "/x"} | _200())]
    b = c.current.requests[tag_items({"scenario": "b", "method": "GET", "name": "/x"} | _200())]
    assert a.count == 2 and b.count == 1
    assert a.corrected is not None and (a.corrected.min, a.corrected.max) == (15_000, 30_000)
    assert b.corrected is not None and b.corrected.max == 30_000


def _200() -> dict[str, str]:
    return {"status": "200"}


def test_values_that_are_not_str_keep_their_printed_form() -> None:
    # 1, 1.0 and True are equal dict keys but print differently: never one cache entry
    c = Collector(0.0)
    for value in (1, True, 1.0, "1", 1, True):
        c.record(ITERS, 1, {"n": value})
        c.record_request("GET", "/x", 200, 1.0, False, 0, {"n": value})
    counts = {t: s.value for (_, t), s in c.current.sinks.items()}  # type: ignore[union-attr]
    assert counts == {(("n", "1"),): 3, (("n", "True"),): 2, (("n", "1.0"),): 1}
    by_n = {dict(b.tags)["n"]: b.count for b in c.current.requests.values()}
    assert by_n == {"1": 3, "True": 2, "1.0": 1}


def test_unhashable_values_and_keys_that_are_not_str_still_record() -> None:
    c = Collector(0.0)
    for _ in range(2):
        c.record(ITERS, 1, {"ids": [1, 2]})
        c.record(ITERS, 1, {7: "x"})  # type: ignore[dict-item]
        c.record_request("GET", "/x", 200, 1.0, False, 0, {"ids": [1, 2]})
        c.record_request("GET", "/x", 200, 1.0, False, 0, {7: "x", "_lag_ms": 1.0})  # type: ignore[dict-item]
    counts = {t: s.value for (_, t), s in c.current.sinks.items()}  # type: ignore[union-attr]
    assert counts == {(("ids", "[1, 2]"),): 2, (("7", "x"),): 2}
    tags = {b.tags: b.count for b in c.current.requests.values()}
    assert tags[tag_items({"ids": "[1, 2]", "method": "GET", "name": "/x", "status": "200"})] == 2
    seven = tags[tag_items({"7": "x", "method": "GET", "name": "/x", "status": "200"})]
    assert seven == 2


def test_underscore_entries_are_data_not_tags() -> None:
    c = Collector(0.0)
    c.record(LAG, 1.0, {"scenario": "a", "_lag_ms": 1.0})
    c.record(LAG, 1.0, {"scenario": "a", "_lag_ms": 2.0})
    c.record(LAG, 1.0, {"_only": 1})
    c.record(LAG, 1.0, None)
    c.record(LAG, 1.0, {})
    assert {t: s.count for (_, t), s in c.current.sinks.items()} == {  # type: ignore[union-attr]
        (("scenario", "a"),): 2,
        (): 3,
    }


def test_a_gauge_keeps_its_time_through_the_cache() -> None:
    c = Collector(0.0)
    c.record(VUS, 5, {"scenario": "a"}, now_s=2.0)
    c.record(VUS, 7, {"scenario": "a"}, now_s=1.0)  # older: min/max only
    sink = _sink(c, VUS, {"scenario": "a"})
    assert isinstance(sink, GaugeSink)
    assert (sink.value, sink.min, sink.max, sink.count) == (5.0, 5.0, 7.0, 2)


# -- interval boundaries ----------------------------------------------------------------------
def _boundaries() -> list[tuple[str, Any]]:
    def grid(c: Collector, now: float) -> None:
        if c.grid_interval_s is None:
            c.use_grid(1.0, 0.0)
        c.advance(now)

    return [
        ("roll", lambda c, now: c.roll(now)),
        ("close_interval", lambda c, now: c.close_interval(now)),
        ("drain_wire", lambda c, now: c.drain_wire()),
        ("advance", grid),
        ("assign", lambda c, now: setattr(c, "current", Store())),
    ]


@pytest.mark.parametrize(("label", "close"), _boundaries(), ids=[b[0] for b in _boundaries()])
def test_a_new_interval_resolves_fresh_sinks_in_its_own_store(label: str, close: Any) -> None:
    c = Collector(0.0)
    tags = {"scenario": "a"}
    context = {"scenario": "a", "_lag_ms": 1.0}
    c.record(LAG, 1.0, tags)
    c.record_request("GET", "/x", 200, 1.0, False, 0, context)
    c.record_request("GET", "/x", 200, 1.0, False)
    first = c.current
    old_sink = _sink(c, LAG, tags)
    old_buckets = dict(first.requests)
    close(c, 1.0)
    assert c.current is not first
    c.record(LAG, 2.0, tags)
    c.record_request("GET", "/x", 200, 2.0, False, 0, context)
    c.record_request("GET", "/x", 200, 2.0, False)
    new_sink = _sink(c, LAG, tags)
    assert new_sink is not None and new_sink is not old_sink and new_sink.count == 1
    assert old_sink.count == 1  # the closed interval is never written again
    assert all(b.count == 1 for b in old_buckets.values())
    assert sorted(b.count for b in c.current.requests.values()) == [1, 1]
    assert all(c.current.requests[t] is not b for t, b in old_buckets.items())


def test_merging_into_the_open_interval_keeps_the_cached_sinks_valid() -> None:
    # merge_wire merges into the current store's own sinks (no swap): later samples still
    # land in the very sink the merge went to
    worker, master = Collector(0.0), Collector(0.0)
    master.record(LAG, 1.0, {"scenario": "a"})
    worker.record(LAG, 3.0, {"scenario": "a"})
    master.merge_wire(worker.drain_wire())
    master.record(LAG, 5.0, {"scenario": "a"})
    sink = _sink(master, LAG, {"scenario": "a"})
    assert isinstance(sink, TrendSink) and (sink.count, sink.min, sink.max) == (3, 1000, 5000)


# -- bit-identical to the canonical path ------------------------------------------------------
def _reference_request(
    store: Store,
    method: str,
    name: str,
    status: int | str,
    duration_ms: float,
    failed: bool,
    context: Mapping[str, Any] | None,
    waiting_ms: float | None,
) -> None:
    """The collector's request path before the fast path (canonical tags every time)."""
    tags = dict(context) if context else {}
    tags.update(method=method, name=name, status=str(status))
    bucket = store.request_bucket(tag_items(tags))
    bucket.duration.add(round(duration_ms * STORED_PER_UNIT))
    lag = context.get("_lag_ms") if context else None
    interval = context.get("_expected_interval_ms") if context else None
    if lag is not None:
        if bucket.corrected is None:
            bucket.corrected = TrendSink()
        bucket.corrected.add(round((duration_ms + max(lag, 0.0)) * STORED_PER_UNIT))
    elif interval is not None:
        if bucket.corrected is None:
            bucket.corrected = TrendSink()
        bucket.corrected.add_corrected(
            round(duration_ms * STORED_PER_UNIT), round(interval * STORED_PER_UNIT)
        )
    if failed:
        bucket.failed += 1
    if waiting_ms is not None:
        if bucket.waiting is None:
            bucket.waiting = TrendSink()
        bucket.waiting.add(round(waiting_ms * STORED_PER_UNIT))


def _reference_sample(store: Store, metric: Metric, value: float, tags: Any, now_s: float) -> None:
    sink = store.sink(metric, tag_items(tags))
    if isinstance(sink, GaugeSink):
        sink.add(float(value), now_s)
    elif isinstance(sink, TrendSink):
        sink.add(round(value * STORED_PER_UNIT))
    else:
        sink.add(value)


def test_random_samples_land_exactly_where_the_canonical_path_puts_them() -> None:
    rnd = random.Random(15)
    statuses: list[int | str] = [200, "200", 500, 0]
    metrics = [LAG, ITERS, VUS, BUILTIN_METRICS["checks"], Metric("x_t", "trend")]
    values: list[Any] = ["a", "b", 1, True, 1.0, "1", None]
    keys = ["scenario", "flow", "name", "_lag_ms", "_expected_interval_ms", "group"]
    # reused, mutated objects
    shared: list[dict[str, Any]] = [{"scenario": "a"}, {"scenario": "a", "_lag_ms": 2.5}]

    def tags() -> dict[str, Any] | None:
        roll = rnd.random()
        if roll < 0.1:
            return None
        if roll < 0.3:
            d = rnd.choice(shared)
            if rnd.random() < 0.3:
                d["scenario"] = rnd.choice(["a", "b", 3.5])
            if "_lag_ms" in d and rnd.random() < 0.3:
                d["_lag_ms"] = rnd.uniform(0, 9)
            return d
        out: dict[str, Any] = {}
        for k in rnd.sample(keys, rnd.randint(0, 4)):
            out[k] = rnd.uniform(0, 50) if k.startswith("_") else rnd.choice(values)
        return out

    c = Collector(0.0)
    for interval in range(4):
        ref = Store()
        for _ in range(3000):
            t = tags()
            if rnd.random() < 0.5:
                m = rnd.choice(metrics)
                v = rnd.choice([0, 1, 2.5, 17.25, True, False])
                now = rnd.uniform(0, 10)
                c.record(m, v, t, now)
                _reference_sample(ref, m, v, t, now)
            else:
                method, name = rnd.choice(["GET", "POST"]), rnd.choice(["/a", "/b"])
                status = rnd.choice(statuses)
                ms, failed = rnd.uniform(0, 100), rnd.random() < 0.2
                waiting = rnd.choice([None, 3.25])
                c.record_request(method, name, status, ms, failed, 0, t, waiting)
                _reference_request(ref, method, name, status, ms, failed, t, waiting)
        assert c.current.to_wire() == ref.to_wire(), f"interval {interval}"
        c.roll(float(interval + 1))
