"""ResourceMonitor on a fake clock: the sampling grid (no drift, catching up), stop(), failures
and warnings. Nothing here sleeps."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from genesis_load.monitor import Reading, ResourceMonitor, next_tick


class FakeClock:
    """``clock()`` reads fake time; ``sleep(s)`` advances it by ``s`` plus an overshoot."""

    def __init__(self, overshoot_s: float = 0.0) -> None:
        self.now_s = 1000.0
        self.overshoot_s = overshoot_s
        self.on_sleep: Callable[[], None] = lambda: None

    def __call__(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now_s += seconds + self.overshoot_s
        self.on_sleep()


class ScriptedSource:
    """Gives ``readings`` in turn (the last one forever), each costing ``cost_s`` of fake time."""

    def __init__(self, clock: FakeClock, *readings: Reading, cost_s: float = 0.0) -> None:
        self.clock = clock
        self.readings = list(readings) or [Reading(rss_bytes=1e6)]
        self.cost_s = cost_s
        self.costs_s: dict[int, float] = {}  # call index -> cost, overriding cost_s
        self.calls_at_s: list[float] = []

    def __str__(self) -> str:
        return "scripted"

    def sample(self) -> Reading:
        self.calls_at_s.append(self.clock.now_s)
        self.clock.now_s += self.costs_s.get(len(self.calls_at_s) - 1, self.cost_s)
        return self.readings[min(len(self.calls_at_s) - 1, len(self.readings) - 1)]


def run_for(monitor: ResourceMonitor, clock: FakeClock, ticks: int) -> None:
    """Run until ``ticks`` ticks were sampled; stop() is called from inside a sleep, as another
    greenlet would."""

    def maybe_stop() -> None:
        if monitor.ticks >= ticks:
            monitor.stop()

    clock.on_sleep = maybe_stop
    monitor.run()


def elapsed(source: ScriptedSource, start_s: float = 1000.0) -> list[float]:
    return [round(t - start_s, 6) for t in source.calls_at_s]


@pytest.mark.parametrize(
    ("tick", "elapsed_s", "expected"),
    [(0, 0.0, 1), (3, 3.4, 4), (3, 3.999, 4), (3, 5.5, 6), (3, 2.0, 4), (0, 10.0, 11)],
    ids=[
        "first tick sampled at once -> tick 1",
        "on time -> the next tick",
        "just before the next tick -> that tick",
        "sampling took 2.5 s -> ticks 4 and 5 skipped",
        "clock behind the tick (never happens) -> still the next tick",
        "woke 10 s late -> the next grid point ahead",
    ],
)
def test_next_tick(tick: int, elapsed_s: float, expected: int) -> None:
    assert next_tick(tick, elapsed_s, 1.0) == expected


def test_samples_on_the_grid_from_the_start() -> None:
    clock = FakeClock()
    source = ScriptedSource(clock)
    monitor = ResourceMonitor({"target": source}, interval_s=0.5, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 5)
    assert elapsed(source) == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert [s["t_s"] for s in monitor.results()["target"]["samples"]] == [0, 0.5, 1, 1.5, 2]
    assert monitor.missed_ticks == 0


def test_late_wake_ups_and_slow_sources_do_not_drift() -> None:
    clock = FakeClock(overshoot_s=0.05)  # every sleep wakes 50 ms late
    source = ScriptedSource(clock, cost_s=0.01)
    monitor = ResourceMonitor({"target": source}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 50)
    assert elapsed(source)[-3:] == [47.05, 48.05, 49.05]  # not 49 × 60 ms behind
    assert monitor.max_lag_s == pytest.approx(0.05)
    assert monitor.warnings() == []


def test_a_slow_sample_skips_overdue_ticks_and_says_so() -> None:
    clock = FakeClock()
    source = ScriptedSource(clock)
    source.costs_s[3] = 2.5  # the read at t=3 takes 2.5 s
    monitor = ResourceMonitor({"target": source}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 7)
    assert elapsed(source) == [0.0, 1.0, 2.0, 3.0, 6.0, 7.0, 8.0]
    assert (monitor.ticks, monitor.missed_ticks) == (7, 2)
    assert monitor.warnings() == [
        "resource monitor skipped 2 of 9 sampling ticks: a source answered slowly or the load "
        "generator's event loop was blocked (woke up to 0.0 s late)"
    ]


def test_a_blocked_loop_samples_once_then_rejoins_the_grid() -> None:
    clock = FakeClock()
    source = ScriptedSource(clock)
    monitor = ResourceMonitor({"target": source}, clock=clock, sleep=clock.sleep)
    clock.on_sleep = lambda: None

    def block_once() -> None:
        if monitor.ticks == 2 and clock.now_s < 1003:
            clock.now_s += 3.2  # the event loop was blocked while sleeping towards t=2
        if monitor.ticks >= 5:
            monitor.stop()

    clock.on_sleep = block_once
    monitor.run()
    assert elapsed(source) == [0.0, 1.0, 5.2, 6.0, 7.0]
    assert monitor.missed_ticks == 3
    assert monitor.max_lag_s == pytest.approx(3.2)


def test_every_source_is_sampled_each_tick_at_its_own_time() -> None:
    clock = FakeClock()
    first, second = ScriptedSource(clock, cost_s=0.1), ScriptedSource(clock, cost_s=0.2)
    monitor = ResourceMonitor({"target": first, "loadgen": second}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 3)
    assert elapsed(first) == [0.0, 1.0, 2.0]
    assert elapsed(second) == [0.1, 1.1, 2.1]
    results = monitor.results()
    assert list(results) == ["target", "loadgen"]
    assert [s["t_s"] for s in results["loadgen"]["samples"]] == [0.1, 1.1, 2.1]
    assert results["target"]["source"] == "scripted"


def test_stop_ends_run_without_another_sample() -> None:
    clock = FakeClock()
    source = ScriptedSource(clock)
    monitor = ResourceMonitor({"target": source}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 2)
    assert len(source.calls_at_s) == 2
    monitor.run()  # stopped for good
    assert len(source.calls_at_s) == 2


def test_stop_before_run_samples_nothing() -> None:
    clock = FakeClock()
    source = ScriptedSource(clock)
    monitor = ResourceMonitor({"target": source}, clock=clock, sleep=clock.sleep)
    monitor.stop()
    monitor.run()
    assert source.calls_at_s == []
    assert monitor.results()["target"]["samples"] == []


def test_failed_readings_and_raising_sources_are_counted_not_raised() -> None:
    clock = FakeClock()

    class Broken:
        def sample(self) -> Reading:
            raise RuntimeError("boom")

    flaky = ScriptedSource(
        clock, Reading(rss_bytes=5e6), Reading.failed("TimeoutError: slow"), Reading(rss_bytes=6e6)
    )
    monitor = ResourceMonitor({"target": flaky, "extra": Broken()}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 4)
    results = monitor.results()
    assert results["target"]["failed_samples"] == 1
    assert [s["rss_mb"] for s in results["target"]["samples"]] == [5.0, 6.0, 6.0]
    assert results["extra"]["failed_samples"] == 4
    assert results["extra"]["last_error"] == "RuntimeError: boom"
    assert monitor.warnings() == [
        "resource monitor could not read target (scripted) for 1 of 4 samples; last error: "
        "TimeoutError: slow",
        f"resource monitor could not read extra ({results['extra']['source']}) for 4 of 4 "
        "samples; last error: RuntimeError: boom",
    ]


def loadgen_warnings(cpu_seconds: list[float]) -> list[str]:
    clock = FakeClock()
    source = ScriptedSource(clock, *(Reading(cpu_seconds=c) for c in cpu_seconds))
    monitor = ResourceMonitor({"loadgen": source}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, len(cpu_seconds))
    return monitor.warnings()


@pytest.mark.parametrize(
    ("cpu_seconds", "expected"),
    [
        ([0, 0.5, 1.0, 1.5], []),
        ([0, 0.9], []),
        ([0, 0.95, 1.9, 2.8], ["load generator CPU peaked at 95% (avg 93%)"]),
        ([0, 0.2, 1.17, 1.4], ["load generator CPU peaked at 97% (avg 47%)"]),
    ],
    ids=[
        "50% throughout -> no warning",
        "exactly 90% -> no warning",
        "avg above 90% -> warning",
        "one interval above 90% -> warning",
    ],
)
def test_loadgen_cpu_warning(cpu_seconds: list[float], expected: list[str]) -> None:
    warnings = loadgen_warnings(cpu_seconds)
    assert [w.split(":")[0] for w in warnings] == expected
    for warning in warnings:
        assert warning.endswith(
            ": above ~90% the latency figures include the generator's own queueing"
        )


def test_cpu_of_other_sources_is_not_judged_as_the_generator() -> None:
    clock = FakeClock()
    busy = ScriptedSource(clock, *(Reading(cpu_seconds=float(c)) for c in range(4)))
    monitor = ResourceMonitor({"target": busy}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 4)
    assert monitor.results()["target"]["summary"]["cpu_percent"]["peak"] == 100.0
    assert monitor.warnings() == []


def test_a_restarted_process_is_a_warning() -> None:
    clock = FakeClock()
    source = ScriptedSource(clock, *(Reading(cpu_seconds=c) for c in (3.0, 3.5, 0.1, 0.2)))
    monitor = ResourceMonitor({"target": source}, clock=clock, sleep=clock.sleep)
    run_for(monitor, clock, 4)
    assert monitor.warnings() == [
        "target (scripted): the CPU counter went backwards 1 time(s), so the process restarted "
        "during the run"
    ]


def test_a_non_positive_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="interval_s"):
        ResourceMonitor({}, interval_s=0)
