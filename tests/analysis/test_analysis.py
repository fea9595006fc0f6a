"""Breaking point, recovery and shed share over a series built on a fake clock."""

from __future__ import annotations

from genesis_load.analysis import analyze
from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import BUILTIN_METRICS

OFFERED = BUILTIN_METRICS["offered_iterations"]


def _second(
    c: Collector, t: int, rps: int, latency_ms: float, errors: int = 0, shed: int = 0
) -> None:
    c.record(OFFERED, rps)
    for i in range(rps):
        if i < shed:
            c.record_request("GET", "/x", 503, 1.0, True)
        elif i < shed + errors:
            c.record_request("GET", "/x", 500, latency_ms, True)
        else:
            c.record_request("GET", "/x", 200, latency_ms, False)
    c.roll(float(t + 1))


def test_breaking_point_is_the_lowest_load_of_a_sustained_breach() -> None:
    c = Collector(0.0)
    # a ramp 10, 20, ... 200/s; latency crosses 500 ms from 120/s on; one bad blip at 60/s
    for t in range(20):
        rps = 10 * (t + 1)
        _second(c, t, rps, 900.0 if rps >= 120 or rps == 60 else 20.0)
    a = analyze(c.series, sustain_s=3)
    bp = a["breaking_point"]
    assert bp is not None
    assert bp["offered_rps"] == 120
    assert bp["at_s"] == 11.0
    assert "p95" in bp["reason"]
    assert a["max_offered_rps"] == 200
    assert a["definitions"]["offered"] == "iterations/s"


def test_no_breaking_point_when_the_system_holds() -> None:
    c = Collector(0.0)
    for t in range(10):
        _second(c, t, 50, 20.0, errors=0)
    a = analyze(c.series)
    assert a["breaking_point"] is None
    assert a["recovery"] is None


def test_errors_alone_break_it_too() -> None:
    c = Collector(0.0)
    for t in range(10):
        _second(c, t, 100, 20.0, errors=5 if t >= 4 else 0)
    bp = analyze(c.series, sustain_s=5)["breaking_point"]
    assert bp is not None and bp["at_s"] == 4.0 and "error rate" in bp["reason"]


def test_recovery_time_and_shed_share_around_a_spike() -> None:
    c = Collector(0.0)
    stages = {"warm": (0.0, 5.0), "spike": (5.0, 10.0), "recovery": (10.0, 25.0)}
    for t in range(25):
        if t < 5:
            _second(c, t, 20, 10.0)
        elif t < 10:
            _second(c, t, 100, 800.0, shed=40)
        elif t < 14:  # still draining the backlog
            _second(c, t, 20, 300.0)
        else:
            _second(c, t, 20, 11.0)
    a = analyze(c.series, stages, sustain_s=3)
    rec = a["recovery"]
    assert rec["baseline_p95_ms"] == 10.0
    assert rec["recovery_time_s"] == 4.0
    assert a["shed"]["count"] == 200
    assert a["shed"]["by_stage"]["spike"]["share"] == 0.4
    assert a["shed"]["by_stage"]["warm"]["share"] == 0.0


def test_a_spike_that_never_recovers_says_so() -> None:
    c = Collector(0.0)
    stages = {"warm": (0.0, 3.0), "spike": (3.0, 6.0)}
    for t in range(10):
        _second(c, t, 20, 10.0 if t < 3 else 900.0)
    assert analyze(c.series, stages)["recovery"]["recovery_time_s"] is None
