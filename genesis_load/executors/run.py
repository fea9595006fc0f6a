"""One scenario's run in one Locust process: the open-model pool and loop, or the VU count.

Owns the per-process state of a scenario while it runs: :class:`ScenarioRun` (arrival rate: the
VU pool, the loop greenlet, how many VUs it wants) and :class:`VURun` (VU-based executors: which
VU may iterate and when the scenario is done). A worker of a distributed run takes
``share(pacer, index, count)`` of every schedule. Samples go out through the ``emit`` callable
the owner (:class:`~genesis_load.executors.runs.ScenarioRuns`) hands in; nothing here knows
about Locust's environment or the collector.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import Callable, Mapping

import gevent
from gevent.event import Event

from ..metrics.metric import BUILTIN_METRICS, Metric
from ..pacing import Pacer, share
from .arrival import ArrivalLoop, Ticket, VUPool
from .scenario import Scenario
from .timer import precise_sleep
from .vus import VUScenario

__all__ = ["Emit", "ScenarioRun", "Slots", "VURun", "part"]

log = logging.getLogger("genesis_load")

_M = BUILTIN_METRICS
#: How long a scenario waits for its pre-allocated VUs before it starts anyway.
_READY_TIMEOUT_S = 10.0
#: A parked open-model VU looks again at least this often (it is woken on every change).
_PARK_TIMEOUT_S = 1.0
#: How often a parked closed-model VU looks whether the stage wants it now.
_VU_POLL_S = 0.05

#: Where a run's samples go: ``emit(metric, value, tags)``.
Emit = Callable[[Metric, float, Mapping[str, str] | None], None]


def _no_emit(metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
    pass


def part(total: int, index: int, count: int) -> int:
    """Worker ``index``'s part of ``total`` split ``count`` ways (the parts sum to total)."""
    return total // count + (1 if index < total % count else 0)


class Slots:
    """VU slot numbers: a VU with slot ``s`` may work while ``s < active VUs``.

    A stopped VU gives its slot back (Locust stops VUs of its choice when it re-balances users
    across workers), and a parked VU moves down to a lower free slot, so the active VUs are
    always slots ``0 .. n-1`` of the VUs alive, whichever of them Locust stopped.

    >>> s = Slots(); [s.take() for _ in range(3)]
    [0, 1, 2]
    >>> s.give(0); s.better(2), s.take()
    (0, 2)
    """

    def __init__(self, on_give: Callable[[], None] | None = None) -> None:
        self._free: list[int] = []
        self._next = 0
        self.taken = 0
        self._on_give = on_give

    def take(self) -> int:
        self.taken += 1
        if self._free:
            return heapq.heappop(self._free)
        self._next += 1
        return self._next - 1

    def give(self, slot: int) -> None:
        self.taken -= 1
        heapq.heappush(self._free, slot)
        if self._on_give is not None:
            self._on_give()

    def free_below(self, limit: int) -> int:
        """How many free slots are lower than ``limit``."""
        return sum(1 for s in self._free if s < limit)

    def better(self, slot: int) -> int:
        """A lower free slot instead of ``slot`` if there is one (``slot`` is given back)."""
        if self._free and self._free[0] < slot:
            lower = heapq.heapreplace(self._free, slot)
            return lower
        return slot


class ScenarioRun:
    """One scenario in this process: the pool, the loop, and how many VUs it wants.

    ``pacer`` and ``start_s`` (epoch) override the share and the start: a worker that joins a
    run late runs its part of the schedule on the clock of the workers that started it.
    """

    def __init__(
        self,
        scenario: Scenario,
        worker: tuple[int, int] = (0, 1),
        emit: Emit = _no_emit,
        pacer: Pacer | None = None,
        start_s: float | None = None,
    ) -> None:
        self.scenario = scenario
        self._emit = emit
        index, count = worker
        self.pool = VUPool(scenario.drop_policy)
        if pacer is None:
            # a worker issues hits n % count == index: the union over workers is the schedule
            pacer = share(scenario.pacer, index, count) if count > 1 else scenario.pacer
        self.pre_allocated_vus = max(1, part(scenario.pre_allocated_vus, index, count))
        self.max_vus = max(1, part(scenario.max_vus, index, count))
        self.wanted_vus = self.pre_allocated_vus
        self.loop = ArrivalLoop(pacer, self._offer, self._dropped)
        self.started_s: float | None = None
        #: The parked VUs' wake-up events, by slot.
        self._parked: dict[int, Event] = {}
        self.slots = Slots(self._changed)
        self._tags = {"scenario": scenario.name, **scenario.tags}
        self._greenlet = gevent.spawn(self._run, start_s)

    @property
    def vus(self) -> int:
        """VUs of this scenario alive in this process."""
        return self.slots.taken

    def _run(self, start_s: float | None) -> None:
        if start_s is None:
            deadline = time.time() + _READY_TIMEOUT_S
            while self.pool.free < self.pre_allocated_vus and time.time() < deadline:
                gevent.sleep(0.01)
            start_s = time.time() + self.scenario.start_time_s
        self.started_s = start_s
        # the loop wakes on a timerfd: gevent's own timer ends about 1 ms late, and that delay
        # would be charged to the server as schedule_lag and in every corrected latency
        self.loop.sleep, close = precise_sleep()
        try:
            self.loop.run(start_s)
        finally:
            close()
        log.debug(
            "scenario %s: %d issued, %d started, %d dropped",
            self.scenario.name,
            self.loop.issued,
            self.loop.started,
            self.loop.dropped,
        )

    def _offer(self, ticket: Ticket) -> bool:
        self._emit(_M["offered_iterations"], 1, self._tags)
        return self.pool.offer(ticket)

    def _dropped(self, ticket: Ticket) -> None:
        self._emit(_M["dropped_iterations"], 1, self._tags)
        if self.wanted_vus < self.max_vus:
            grow = max(1, self.wanted_vus // 10)
            self.wanted_vus = min(self.max_vus, self.wanted_vus + grow)
            self._changed()

    def park(self, slot: int) -> None:
        """Wait (the VU parked on ``slot``) until it may be needed: the VUs wanted reach its
        slot, or a lower slot came back.

        Parked VUs sleep on an event, not a poll: at 5,000/s with ``maxVUs`` 1,000, 900 parked
        VUs polling every 50 ms woke the process 18,000 times a second for nothing; and a
        change wakes only the VUs it concerns, not every parked one (a drop, when the
        generator is already behind, must not start a stampede)."""
        event = self._parked[slot] = Event()
        try:
            event.wait(timeout=_PARK_TIMEOUT_S)
        finally:
            if self._parked.get(slot) is event:
                del self._parked[slot]

    def _changed(self) -> None:
        """The VUs wanted grew, or a slot came back: wake the parked VUs that now fit."""
        if not self._parked:  # e.g. every VU stopping at the end of a test
            return
        fits = self.wanted_vus  # slots below it work
        lowest = sorted(self._parked)
        free = self.slots.free_below(fits)
        for i, slot in enumerate(lowest):
            if slot < fits or i < free:
                self._parked[slot].set()

    @property
    def finished(self) -> bool:
        return self.loop.finished

    @property
    def idle(self) -> bool:
        """No iteration in flight (every VU is waiting for a ticket)."""
        return self.pool.waiting >= self.wanted_vus

    def rejoin(self, pacer: Pacer, start_s: float) -> None:
        """Run ``pacer`` from ``start_s`` (epoch) instead: a late worker's share on the common
        clock. Only for a run that has issued nothing yet (it held no share)."""
        assert self.loop.issued == 0, "only a run without a share can rejoin"
        self._greenlet.kill(block=False)
        self.loop = ArrivalLoop(pacer, self._offer, self._dropped)
        self._greenlet = gevent.spawn(self._run, start_s)

    def register_vu(self) -> int:
        return self.slots.take()

    def active_vus(self) -> int:
        """VUs allowed to take tickets: pre-allocated at first, grown after drops."""
        return self.wanted_vus

    def next_ticket(self, user: object) -> Ticket | None:
        return self.pool.take()

    def stop(self) -> None:
        self._greenlet.kill(block=False)


class VURun:
    """One closed-model scenario in this process: hands out iterations until it is done."""

    def __init__(
        self,
        scenario: VUScenario,
        worker: tuple[int, int] = (0, 1),
        start_s: float | None = None,
    ) -> None:
        self.scenario = scenario
        self.worker = worker
        self.started_s: float | None = time.time() if start_s is None else start_s
        self.issued = 0
        self.in_flight = 0
        self.slots = Slots()
        self._per_vu: dict[int, int] = {}
        self._done_vus: set[int] = set()
        self._planned_s = scenario.planned_s  # asked per iteration: computed once

    @property
    def vus(self) -> int:
        """VUs of this scenario alive in this process."""
        return self.slots.taken

    def _elapsed_s(self) -> float:
        return time.time() - (self.started_s or time.time())

    def register_vu(self) -> int:
        return self.slots.take()

    def active_vus(self) -> int:
        """VUs that may iterate now (ramping-vus: the stage's current target)."""
        return part(self.scenario.vus_at(self._elapsed_s()), *self.worker)

    def next_ticket(self, user: object) -> Ticket | None:
        sc = self.scenario
        elapsed = self._elapsed_s()
        out_of_time = elapsed >= self._planned_s
        vu = id(user)
        if sc.executor == "per-vu-iterations":
            exhausted = self._per_vu.get(vu, 0) >= (sc.iterations or 0)
        elif sc.executor == "shared-iterations":
            exhausted = self.issued >= part(sc.iterations or 0, *self.worker)
        else:
            exhausted = False
        if out_of_time or exhausted:
            self._done_vus.add(vu)
            return None
        self._per_vu[vu] = self._per_vu.get(vu, 0) + 1
        self.issued += 1
        self.in_flight += 1
        return Ticket(self.issued - 1, time.time())

    def iteration_done(self) -> None:
        self.in_flight -= 1

    def park(self, slot: int) -> None:
        """Wait a little (a parked VU): the VUs wanted change with time (ramping-vus)."""
        gevent.sleep(_VU_POLL_S)

    @property
    def finished(self) -> bool:
        sc = self.scenario
        if self._elapsed_s() >= sc.planned_s:
            return True
        if sc.executor == "per-vu-iterations":
            return len(self._done_vus) >= part(sc.vus, *self.worker)
        if sc.executor == "shared-iterations":
            return self.issued >= part(sc.iterations or 0, *self.worker)
        return False

    @property
    def idle(self) -> bool:
        return self.in_flight <= 0

    def stop(self) -> None:
        pass
