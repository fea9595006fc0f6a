"""A roll pauses while it merges and summarises, and readers meanwhile count every sample once.

Closing an interval merges it into the run's cumulative store and summarises each series key;
with many request names that is tens of milliseconds of CPU, so the roll pauses between pieces
(``pause``) to let due arrivals go out. An abort check may then read the collector in the middle
of a roll: ``live()`` and ``live_view()`` must see each sample exactly once at every pause.
"""

from __future__ import annotations

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.selector import parse_selector
from genesis_load.metrics.sinks import CounterSink, TrendSink
from genesis_load.metrics.store import MERGE_PAUSE_EVERY_S, Store

NAMES = 60


def _fill(c: Collector, per_name: int = 5) -> None:
    for n in range(NAMES):
        for i in range(per_name):
            c.record_request("GET", f"/r{n}", 200, 1.0 + i, False, 100, waiting_ms=0.5)


def _counts(c: Collector) -> tuple[float, int, float, int]:
    view = c.live_view()
    reqs = view.query(parse_selector("http_reqs"))
    dur = view.query(parse_selector("http_req_duration"))
    snap = c.live()
    snap_reqs = snap.query(parse_selector("http_reqs"))
    snap_dur = snap.query(parse_selector("http_req_duration"))
    assert isinstance(reqs, CounterSink) and isinstance(dur, TrendSink)
    assert isinstance(snap_reqs, CounterSink) and isinstance(snap_dur, TrendSink)
    return reqs.value, dur.hist.get_total_count(), snap_reqs.value, snap_dur.count


def test_at_every_pause_of_a_roll_the_live_views_count_each_sample_once() -> None:
    c = Collector(start_s=1000.0)
    _fill(c)
    c.roll(1001.0)
    _fill(c)  # the second interval merges into a cumulative store that has every key already
    seen: list[tuple[float, int, float, int]] = []
    c.roll(1002.0, pause=lambda: seen.append(_counts(c)))
    total = 2 * NAMES * 5
    assert len(seen) > NAMES  # it paused in the merge as well as between series keys
    assert all(s == (total, total, total, total) for s in seen), sorted(set(seen))
    assert _counts(c) == (total, total, total, total)
    after = c.query(parse_selector("http_reqs"))
    assert isinstance(after, CounterSink) and after.value == total


def test_a_merge_pauses_by_time_and_consuming_leaves_the_original_whole() -> None:
    a, b = Collector(start_s=0.0), Collector(start_s=0.0)
    _fill(b)
    store: Store = b.current
    keys = len(store.requests)
    rest = store.shallow_copy()
    pauses: list[int] = []
    a.current.merge(rest, pause=lambda: pauses.append(len(rest.requests)), consume=True)
    assert rest.requests == {} and rest.sinks == {}
    assert len(store.requests) == keys == NAMES  # the original is untouched
    assert len(a.current.requests) == NAMES
    merged = a.current.query(parse_selector("http_reqs"))
    assert isinstance(merged, CounterSink) and merged.value == NAMES * 5
    # 60 new trend sinks (histograms, ~0.3 ms each) is well over one pause period of work
    assert MERGE_PAUSE_EVERY_S < 0.01 and pauses
    assert pauses == sorted(pauses, reverse=True)  # each pause saw fewer keys left
