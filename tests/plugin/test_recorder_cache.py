"""The recorder's header metrics go through the collector's per-interval sink cache."""

from __future__ import annotations

from typing import Any

from locust.env import Environment

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.sinks import RateSink, TrendSink
from genesis_load.plugin.recorder import Recorder


class _Response:
    status_code = 200

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


def _request(rec: Recorder, name: str, headers: dict[str, str]) -> None:
    rec.on_request("GET", name, 10.0, 5, _Response(headers), {}, None)


def _sinks(c: Collector) -> dict[tuple[str, Any], Any]:
    return dict(c.current.sinks)


def test_header_metrics_land_in_one_sink_per_name_and_interval() -> None:
    c = Collector(0.0)
    rec = Recorder(Environment(), c)
    headers = {"X-Cache": "HIT", "Server-Timing": "db;dur=1.5, app;dur=2"}
    for name in ("/a", "/b", "/a"):
        _request(rec, name, headers)
    _request(rec, "/a", {"X-Cache": "MISS", "Server-Timing": "db;dur=4"})
    sinks = _sinks(c)
    hit_a = sinks[("cache_hit", (("name", "/a"),))]
    assert isinstance(hit_a, RateSink) and (hit_a.trues, hit_a.total) == (2, 3)
    db_a = sinks[("server_timing_db", (("name", "/a"),))]
    assert isinstance(db_a, TrendSink) and (db_a.count, db_a.min, db_a.max) == (3, 1500, 4000)
    app_b = sinks[("server_timing_app", (("name", "/b"),))]
    assert isinstance(app_b, TrendSink) and app_b.count == 1
    assert set(sinks) == {
        (m, (("name", n),))
        for m in ("cache_hit", "server_timing_db", "server_timing_app")
        for n in ("/a", "/b")
    }


def test_after_a_roll_header_metrics_go_to_the_new_interval() -> None:
    c = Collector(0.0)
    rec = Recorder(Environment(), c)
    headers = {"X-Cache": "HIT", "Server-Timing": "db;dur=1"}
    _request(rec, "/a", headers)
    old = _sinks(c)
    c.roll(1.0)
    _request(rec, "/a", headers)
    _request(rec, "/a", headers)
    new = _sinks(c)
    assert set(new) == set(old)
    for key, sink in new.items():
        assert sink is not old[key]
        assert (sink.count if isinstance(sink, TrendSink) else sink.total) == 2
        assert (old[key].count if isinstance(sink, TrendSink) else old[key].total) == 1


def test_record_named_equals_record_with_a_name_tag() -> None:
    from genesis_load.metrics.metric import BUILTIN_METRICS, Metric

    a, b = Collector(0.0), Collector(0.0)
    trend = Metric("server_timing_db", "trend", "time")
    for i, name in enumerate(["/a", "/b", "/a", "/c", "/a"]):
        a.record_named(trend, i * 1.25, name)
        b.record(trend, i * 1.25, {"name": name})
        a.record_named(BUILTIN_METRICS["cache_hit"], i % 2 == 0, name)
        b.record(BUILTIN_METRICS["cache_hit"], i % 2 == 0, {"name": name})
        a.record_named(BUILTIN_METRICS["vus"], i, name, now_s=float(i))
        b.record(BUILTIN_METRICS["vus"], i, {"name": name}, now_s=float(i))
    assert a.current.to_wire() == b.current.to_wire()
