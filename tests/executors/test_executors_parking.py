"""Parked VUs (spawned, not needed yet) cost nothing while nothing changes.

Before: every parked VU polled every 50 ms; at 5,000/s with ``maxVUs`` 1,000 that was 18,000
wake-ups a second of a process that had no CPU to spare. Now a parked VU sleeps on its own
event and wakes when the VUs wanted reach its slot (after a drop) or a lower slot comes back (a
VU that Locust stopped); a change wakes only the VUs it concerns.
"""

from __future__ import annotations

import gevent

from genesis_load.executors import Scenario
from genesis_load.executors.run import ScenarioRun
from genesis_load.pacing import ConstantPacer


def _parked(run: ScenarioRun, n: int, wakes: list[int]) -> list[gevent.Greenlet]:
    """``n`` VUs as ScenarioUser runs them: a slot each, parked while it is not needed."""

    def vu() -> None:
        slot = run.register_vu()
        while slot >= run.active_vus():
            run.park(slot)
            wakes.append(slot)
            slot = run.slots.better(slot)

    return [gevent.spawn(vu) for _ in range(n)]


def test_parked_vus_sleep_until_the_run_needs_them() -> None:
    # a schedule that starts in an hour: nothing is issued while the test watches
    scenario = Scenario("parking", ConstantPacer(10, duration_s=1.0), 1, 100, start_time_s=3600)
    run = ScenarioRun(scenario)
    wakes: list[int] = []
    vus = _parked(run, 50, wakes)  # slot 0 works (preAllocatedVUs 1), 49 are parked
    try:
        gevent.sleep(0.3)
        assert wakes == [], "no change, no wake-up (49 VUs polling every 50 ms: 294)"
        run._dropped(None)  # type: ignore[arg-type]  # a drop asks for one VU more
        gevent.sleep(0.05)
        assert run.wanted_vus == 2
        assert wakes == [1], "only the VU that is now needed wakes, not all 49"
        run.slots.give(0)  # Locust stopped the VU on slot 0: the lowest parked one moves down
        gevent.sleep(0.05)
        assert wakes == [1, 2]
        assert vus[2].dead and run.slots.taken == 49
    finally:
        gevent.killall(vus)
        run.stop()
