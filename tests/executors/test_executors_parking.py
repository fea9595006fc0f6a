"""Parked VUs (spawned, not needed yet) cost nothing while nothing changes.

Before: every parked VU polled every 50 ms; at 5,000/s with ``maxVUs`` 1,000 that was 18,000
wake-ups a second of a process that had no CPU to spare. Now a parked VU sleeps on its run's
event and wakes when the VUs wanted grow (a drop) or a slot comes back (a stopped VU).
"""

from __future__ import annotations

import gevent

from genesis_load.executors import Scenario
from genesis_load.executors.run import ScenarioRun
from genesis_load.pacing import ConstantPacer


def _parked(run: ScenarioRun, n: int, wakes: list[int]) -> list[gevent.Greenlet]:
    def vu() -> None:
        while True:
            run.park()
            wakes.append(1)

    return [gevent.spawn(vu) for _ in range(n)]


def test_parked_vus_sleep_until_the_run_needs_more_vus() -> None:
    # a schedule that starts in an hour: nothing is issued while the test watches
    scenario = Scenario("parking", ConstantPacer(10, duration_s=1.0), 1, 100, start_time_s=3600)
    run = ScenarioRun(scenario)
    wakes: list[int] = []
    vus = _parked(run, 50, wakes)
    try:
        gevent.sleep(0.3)
        assert wakes == [], "no change, no wake-up (50 VUs polling every 50 ms: 300)"
        run._dropped(None)  # type: ignore[arg-type]  # a drop asks for more VUs
        gevent.sleep(0.05)
        assert len(wakes) == 50 and run.wanted_vus == 2
        slot = run.register_vu()
        run.slots.give(slot)  # a VU that Locust stopped gives its slot back
        gevent.sleep(0.05)
        assert len(wakes) == 100
    finally:
        gevent.killall(vus)
        run.stop()
