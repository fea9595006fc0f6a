"""The arrival loop on a fake clock: due times, catch-up, exact drop accounting."""

from __future__ import annotations

import pytest

from genesis_load.executors import ArrivalLoop, Ticket
from genesis_load.pacing import ConstantPacer, Stage, StagesPacer


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_tickets_are_issued_at_their_intended_times_without_drift() -> None:
    clock = FakeClock()
    issued: list[Ticket] = []
    loop = ArrivalLoop(
        ConstantPacer(4, duration_s=2.0),
        lambda t: issued.append(t) or True,
        clock=clock,
        sleep=clock.sleep,
    )
    loop.run(start_s=1000.0)
    assert [t.intended_s - 1000.0 for t in issued] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75]
    assert (loop.issued, loop.started, loop.dropped, loop.finished) == (8, 8, 0, True)
    assert clock.sleeps == pytest.approx([0.25] * 7)


def test_a_late_wake_up_catches_up_at_once_instead_of_drifting() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def offer(t: Ticket) -> bool:
        seen.append(clock.now)
        if t.n == 2:
            clock.now += 1.0  # the process stalled for a second
        return True

    ArrivalLoop(ConstantPacer(10, duration_s=1.0), offer, clock=clock, sleep=clock.sleep).run(
        1000.0
    )
    # hits 3..10 were due during the stall: issued immediately, then back on the grid
    assert seen[3:10] == [1001.2] * 7
    assert len(seen) == 10


@pytest.mark.parametrize("free_every", [1, 2, 3, 7], ids=lambda k: f"a VU free for 1 in {k}")
def test_dropped_equals_planned_minus_started_exactly(free_every: int) -> None:
    clock = FakeClock()
    drops: list[int] = []
    pacer = StagesPacer(50, [Stage(10, 1000), Stage(5, 0)])
    loop = ArrivalLoop(
        pacer,
        lambda t: t.n % free_every == 0,
        lambda t: drops.append(t.n),
        clock=clock,
        sleep=clock.sleep,
    )
    loop.run(1000.0)
    planned = pacer.planned_hits()
    assert planned == loop.issued
    assert loop.dropped == planned - loop.started == len(drops)
