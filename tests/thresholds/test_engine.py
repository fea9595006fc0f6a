"""The engine on a fake clock: final verdicts, aborts, sustained breaches, stage scopes."""

from __future__ import annotations

from genesis_load.metrics.collector import Collector
from genesis_load.thresholds import ThresholdEngine, thresholds_from_mapping


def _second(c: Collector, t: int, latency_ms: float, failed: int = 0, n: int = 10) -> None:
    for i in range(n):
        c.record_request("GET", "/x", 500 if i < failed else 200, latency_ms, i < failed)
    c.roll(float(t + 1))


def _run(mapping: dict, seconds: list[tuple[float, int]], stages=None):  # type: ignore[no-untyped-def]
    engine = ThresholdEngine(thresholds_from_mapping(mapping), stages)
    c = Collector(0.0)
    c.interval_listeners.append(engine.on_interval)
    aborts = []
    for t, (latency, failed) in enumerate(seconds):
        _second(c, t, latency, failed)
        hit = engine.check_abort(c.live(), float(t + 1))
        aborts.append(hit is not None)
    return engine, c, aborts


def test_final_verdict_over_all_data() -> None:
    engine, c, _ = _run(
        {
            "http_req_duration": ["p(95)<100", "avg<30"],
            "http_req_failed": ["rate<0.05"],
            "http_reqs": ["count>=50", "rate>100"],
        },
        [(20.0, 0)] * 5,
    )
    ok = {r.threshold.key: (r.ok, r.observed) for r in engine.final(c.cumulative, 5.0)}
    assert ok["http_req_duration: p(95)<100"][0]
    assert ok["http_req_duration: avg<30"] == (True, 20.0)
    assert ok["http_req_failed: rate<0.05"] == (True, 0.0)
    assert ok["http_reqs: count>=50"] == (True, 50.0)
    assert ok["http_reqs: rate>100"] == (False, 10.0)


def test_a_threshold_with_no_data_fails_at_the_end_but_never_aborts() -> None:
    engine, c, aborts = _run(
        {"http_req_duration{name:/never}": [{"threshold": "p(95)<100", "abortOnFail": True}]},
        [(20.0, 0)] * 3,
    )
    assert aborts == [False] * 3
    [r] = engine.final(c.cumulative, 3.0)
    assert (r.ok, r.observed) == (False, None)


def test_abort_on_fail_waits_for_delay_abort_eval() -> None:
    _, _, aborts = _run(
        {
            "http_req_failed": [
                {"threshold": "rate<0.1", "abortOnFail": True, "delayAbortEval": "3s"}
            ]
        },
        [(10.0, 5)] * 5,
    )
    assert aborts == [False, False, True, True, True]


def test_sustained_breach_aborts_only_after_the_whole_window() -> None:
    # 2 bad seconds, a good one, then 4 bad ones: a 3-second sustained window aborts at t=6
    seconds = [(900.0, 0)] * 2 + [(10.0, 0)] + [(900.0, 0)] * 4
    engine, c, aborts = _run(
        {
            "http_req_duration": [
                {"threshold": "p(95)<500", "abortOnFail": True, "abortWhenFailingFor": "3s"}
            ]
        },
        seconds,
    )
    assert aborts == [False, False, False, False, False, True, True]
    [r] = engine.final(c.cumulative, 7.0)
    assert r.aborted and not r.ok


def test_stage_scoped_threshold_judges_only_its_stage() -> None:
    seconds = [(10.0, 0)] * 3 + [(700.0, 0)] * 2 + [(10.0, 0)] * 3
    engine, c, _ = _run(
        {
            "http_req_duration": [
                {"threshold": "p(95)<800", "stage": "spike"},
                {"threshold": "max<100", "stage": "recovery"},
                {"threshold": "max<100"},
            ]
        },
        seconds,
        stages={"warmup": (0.0, 3.0), "spike": (3.0, 5.0), "recovery": (5.0, 8.0)},
    )
    results = engine.final(c.cumulative, 8.0)
    assert [r.ok for r in results] == [True, True, False]
    assert results[0].observed is not None and results[0].observed >= 700


def test_a_counter_that_never_counted_is_zero_not_missing() -> None:
    engine, c, _ = _run(
        {"dropped_iterations": ["count<1"], "http_reqs{name:/never}": ["count>0"]}, [(20.0, 0)] * 2
    )
    results = engine.final(c.cumulative, 2.0)
    assert [(r.ok, r.observed) for r in results] == [(True, 0.0), (False, 0.0)]
