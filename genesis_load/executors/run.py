"""One scenario's run in one Locust process: the open-model pool and loop, or the VU count.

Owns the per-process state of a scenario while it runs: :class:`ScenarioRun` (arrival rate: the
VU pool, the loop greenlet, how many VUs it wants) and :class:`VURun` (VU-based executors: which
VU may iterate and when the scenario is done). A worker of a distributed run takes
``share(pacer, index, count)`` of every schedule. Samples go out through the ``emit`` callable
the owner (:class:`~genesis_load.executors.runs.ScenarioRuns`) hands in; nothing here knows
about Locust's environment or the collector.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

import gevent

from ..metrics.metric import BUILTIN_METRICS, Metric
from ..pacing import share
from .arrival import ArrivalLoop, Ticket, VUPool
from .scenario import Scenario
from .vus import VUScenario

__all__ = ["Emit", "ScenarioRun", "VURun", "part"]

log = logging.getLogger("genesis_load")

_M = BUILTIN_METRICS
#: How long a scenario waits for its pre-allocated VUs before it starts anyway.
_READY_TIMEOUT_S = 10.0

#: Where a run's samples go: ``emit(metric, value, tags)``.
Emit = Callable[[Metric, float, Mapping[str, str] | None], None]


def _no_emit(metric: Metric, value: float, tags: Mapping[str, str] | None) -> None:
    pass


def part(total: int, index: int, count: int) -> int:
    """Worker ``index``'s part of ``total`` split ``count`` ways (the parts sum to total)."""
    return total // count + (1 if index < total % count else 0)


class ScenarioRun:
    """One scenario in this process: the pool, the loop, and how many VUs it wants."""

    def __init__(
        self, scenario: Scenario, worker: tuple[int, int] = (0, 1), emit: Emit = _no_emit
    ) -> None:
        self.scenario = scenario
        self._emit = emit
        index, count = worker
        self.pool = VUPool(scenario.drop_policy)
        # a worker issues hits n % count == index: the union over workers is the schedule
        pacer = share(scenario.pacer, index, count) if count > 1 else scenario.pacer
        self.pre_allocated_vus = max(1, part(scenario.pre_allocated_vus, index, count))
        self.max_vus = max(1, part(scenario.max_vus, index, count))
        self.wanted_vus = self.pre_allocated_vus
        self.loop = ArrivalLoop(pacer, self._offer, self._dropped)
        self.started_s: float | None = None
        self.vus = 0
        self._tags = {"scenario": scenario.name, **scenario.tags}
        self._greenlet = gevent.spawn(self._run)

    def _run(self) -> None:
        deadline = time.time() + _READY_TIMEOUT_S
        while self.pool.free < self.pre_allocated_vus and time.time() < deadline:
            gevent.sleep(0.01)
        start = time.time() + self.scenario.start_time_s
        self.started_s = start
        self.loop.run(start)
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

    @property
    def finished(self) -> bool:
        return self.loop.finished

    @property
    def idle(self) -> bool:
        """No iteration in flight (every VU is waiting for a ticket)."""
        return self.pool.waiting >= self.wanted_vus

    def register_vu(self) -> int:
        self.vus += 1
        return self.vus - 1

    def active_vus(self) -> int:
        """VUs allowed to take tickets: pre-allocated at first, grown after drops."""
        return self.wanted_vus

    def next_ticket(self, user: object) -> Ticket | None:
        return self.pool.take()

    def stop(self) -> None:
        self._greenlet.kill(block=False)


class VURun:
    """One closed-model scenario in this process: hands out iterations until it is done."""

    def __init__(self, scenario: VUScenario, worker: tuple[int, int] = (0, 1)) -> None:
        self.scenario = scenario
        self.worker = worker
        self.started_s: float | None = time.time()
        self.issued = 0
        self.in_flight = 0
        self.vus = 0
        self._per_vu: dict[int, int] = {}
        self._done_vus: set[int] = set()

    def _elapsed_s(self) -> float:
        return time.time() - (self.started_s or time.time())

    def register_vu(self) -> int:
        self.vus += 1
        return self.vus - 1

    def active_vus(self) -> int:
        """VUs that may iterate now (ramping-vus: the stage's current target)."""
        return part(self.scenario.vus_at(self._elapsed_s()), *self.worker)

    def next_ticket(self, user: object) -> Ticket | None:
        sc = self.scenario
        elapsed = self._elapsed_s()
        out_of_time = elapsed >= sc.planned_s
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
