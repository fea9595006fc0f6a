"""Time-stamped worker intervals merged into the master's time grid, on a fake clock."""

from __future__ import annotations

import pytest

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.selector import parse_selector
from genesis_load.metrics.sinks import CounterSink, TrendSink

T0 = 1_000.0


def _per_second(c: Collector) -> list[int]:
    return [p.entries.get("http_reqs", {}).get("count", 0) for p in c.series.points]


def _run_workers(ship_every_s: int, seconds: int, lag_s: float) -> tuple[Collector, Collector]:
    """Two workers at 10/s each (one request every 0.1 s, offset), shipped every few seconds;
    the master ticks every second. Returns (master, single-process reference)."""
    master, single = Collector(T0), Collector(T0)
    master.use_grid(1.0, lag_s=lag_s)
    workers = [Collector(T0 + 0.3), Collector(T0 + 0.7)]  # their own starts, unaligned
    for tick in range(1, seconds * 10 + 1):
        now = T0 + tick / 10
        for k, w in enumerate(workers):
            ms = float(tick % 50 + k)
            w.record_request("GET", "/x", 200, ms, False)
            single.record_request("GET", "/x", 200, ms, False)
        if tick % 10 == 0:  # every worker and the master tick on whole seconds
            for w in workers:
                w.close_interval(now)
            single.roll(now)
            master.advance(now)
        if tick % (ship_every_s * 10) == 0:
            for w in workers:
                for iv in w.drain_intervals():
                    master.merge_interval(iv["store"], iv["start_s"], iv["end_s"])
    end = T0 + seconds
    for w in workers:
        w.close_interval(end)
        for iv in w.drain_intervals():
            master.merge_interval(iv["store"], iv["start_s"], iv["end_s"])
    master.advance(end, flush=True)
    return master, single


@pytest.mark.parametrize(
    ("ship_every_s", "lag_s"),
    [(3, 4.0), (3, 0.0), (1, 1.5)],
    ids=[
        "shipped every 3 s, closed 4 s late -> every second in its own bucket",
        "shipped every 3 s, closed at once -> late data merged into its point",
        "shipped every second, closed 1.5 s late -> every second in its own bucket",
    ],
)
def test_master_series_equals_single_process_series(ship_every_s: int, lag_s: float) -> None:
    master, single = _run_workers(ship_every_s, seconds=12, lag_s=lag_s)
    assert _per_second(single) == [20] * 12
    assert _per_second(master) == [20] * 12
    assert [(p.start_s, p.end_s) for p in master.series.points] == [
        (float(s), float(s + 1)) for s in range(12)
    ]
    sel = parse_selector("http_req_duration")
    a, b = master.query(sel), single.query(sel)
    assert isinstance(a, TrendSink) and isinstance(b, TrendSink)
    assert list(a.hist.counts) == list(b.hist.counts)
    for pm, ps in zip(master.series.points, single.series.points, strict=True):
        assert pm.entries["http_req_duration"]["p(95)"] == ps.entries["http_req_duration"]["p(95)"]
        assert pm.entries["http_reqs"]["rate"] == pytest.approx(20.0)
    if lag_s == 0.0:
        assert master.late_intervals > 0
    else:
        assert master.late_intervals == 0


def test_a_cell_closes_only_after_the_lag_and_flush_closes_the_rest() -> None:
    c = Collector(T0)
    c.use_grid(1.0, lag_s=2.5)
    c.merge_interval(_wire_with(3), T0 + 0.0, T0 + 1.0)
    assert c.advance(T0 + 1.0) == []
    assert c.advance(T0 + 3.0) == []  # cell 0 ended at 1.0; 1.0 <= 3.0 - 2.5 is false
    closed = c.advance(T0 + 3.5)
    assert [(x.start_s - T0, x.end_s - T0) for x in closed] == [(0.0, 1.0)]
    assert closed[0].point.entries["http_reqs"]["count"] == 3
    c.merge_interval(_wire_with(2), T0 + 4.0, T0 + 4.2)  # the run ends at 4.2
    rest = c.advance(T0 + 4.2, flush=True)
    assert [(round(x.start_s - T0, 6), round(x.end_s - T0, 6)) for x in rest] == [
        (1.0, 2.0),
        (2.0, 3.0),
        (3.0, 4.0),
        (4.0, 4.2),
    ]
    assert [x.point.entries.get("http_reqs", {}).get("count", 0) for x in rest] == [0, 0, 0, 2]
    total = c.query(parse_selector("http_reqs"))
    assert isinstance(total, CounterSink) and total.value == 5


def test_data_before_the_masters_start_goes_to_the_first_cell() -> None:
    c = Collector(T0)
    c.use_grid(1.0, lag_s=0.0)
    c.merge_interval(_wire_with(1), T0 - 0.4, T0 + 0.2)
    closed = c.advance(T0 + 1.0)
    assert closed[0].point.entries["http_reqs"]["count"] == 1


def test_a_worker_ships_only_intervals_with_data() -> None:
    w = Collector(T0)
    w.close_interval(T0 + 1)
    w.record_request("GET", "/x", 200, 1.0, False)
    w.close_interval(T0 + 2)
    shipped = w.drain_intervals()
    assert [(iv["start_s"], iv["end_s"]) for iv in shipped] == [(T0 + 1, T0 + 2)]
    assert w.drain_intervals() == []


def _wire_with(n: int) -> dict[str, object]:
    w = Collector(0.0)
    for _ in range(n):
        w.record_request("GET", "/x", 200, 5.0, False)
    w.close_interval(1.0)
    return w.drain_intervals()[0]["store"]  # type: ignore[no-any-return]
