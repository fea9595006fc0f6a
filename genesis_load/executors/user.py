"""Open-model users on Locust: VUs that wait for iteration tickets instead of sleeping.

Owns the gevent side of an arrival-rate scenario in one Locust process: the per-scenario run
(:class:`ScenarioRun`: the VU pool and the loop greenlet) and the user class whose instances
are the VUs. Every iteration records ``iterations``, ``iteration_duration``, ``schedule_lag``
(actual minus intended start) and ``iteration_duration_corrected`` (measured from the intended
start), all tagged ``scenario``; requests made during it carry the ``scenario`` tag and the lag,
so the collector also records ``http_req_duration_corrected``.

Write the iteration as a method (k6's ``exec`` function)::

    class Checkout(ArrivalRateUser, FastHttpUser):
        scenario = Scenario("checkout", ConstantPacer(200, duration_s=60), 20, 200)

        def iteration(self):
            self.client.get("/api/v1/plans")

or reuse a closed-model class's tasks with :func:`arrival_rate_user`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import gevent
from locust import User, constant, events, task
from locust.runners import MasterRunner, WorkerRunner
from locust.user.users import LOCUST_STATE_RUNNING, LOCUST_STATE_WAITING

from ..metrics.metric import BUILTIN_METRICS, samples
from ..pacing import share
from .arrival import ArrivalLoop, Ticket, VUPool
from .scenario import Scenario
from .vus import VUScenario

__all__ = [
    "ArrivalRateUser",
    "ScenarioRun",
    "ScenarioUser",
    "VURun",
    "arrival_rate_user",
    "reset_runs",
    "run_for",
    "scenario_user",
]

log = logging.getLogger("genesis_load")

_M = BUILTIN_METRICS
#: How long a scenario waits for its pre-allocated VUs before it starts anyway.
_READY_TIMEOUT_S = 10.0
#: How often a parked VU looks whether it is needed.
_PARKED_POLL_S = 0.05

_runs: dict[str, ScenarioRun | VURun] = {}
#: This process's part of every scenario: (worker index, worker count); (0, 1) when alone.
_share: tuple[int, int] = (0, 1)
_SHARE_MESSAGE = "genesis_load_share"


def part(total: int, index: int, count: int) -> int:
    """Worker ``index``'s part of ``total`` split ``count`` ways (the parts sum to total)."""
    return total // count + (1 if index < total % count else 0)


#: Tasks that may be inherited and silently replaced (set by scenario_user).
_INHERITED_OK: set[Any] = set()


class ScenarioRun:
    """One scenario in this process: the pool, the loop, and how many VUs it wants."""

    def __init__(self, scenario: Scenario, worker: tuple[int, int] = (0, 1)) -> None:
        self.scenario = scenario
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
        samples.fire(_M["offered_iterations"], 1, self._tags)
        return self.pool.offer(ticket)

    def _dropped(self, ticket: Ticket) -> None:
        samples.fire(_M["dropped_iterations"], 1, self._tags)
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


def run_for(scenario: Scenario | VUScenario) -> ScenarioRun | VURun:
    """This process's run of a scenario, started by its first VU."""
    run = _runs.get(scenario.name)
    if run is None:
        if isinstance(scenario, VUScenario):
            run = _runs[scenario.name] = VURun(scenario, _share)
        else:
            run = _runs[scenario.name] = ScenarioRun(scenario, _share)
    return run


def reset_runs() -> None:
    """Stop every scenario loop (at test stop) so a new test starts from scratch."""
    for run in _runs.values():
        run.stop()
    _runs.clear()


@contextmanager
def _parked(environment: Any) -> Iterator[None]:
    """Count this VU out of the active ones (the ``vus`` gauge) while it waits to be needed.

    The count lives on the Environment, Locust's shared context, as ``genesis_parked_vus``.
    """
    environment.genesis_parked_vus = getattr(environment, "genesis_parked_vus", 0) + 1
    try:
        yield
    finally:
        environment.genesis_parked_vus -= 1


def active_runs() -> dict[str, ScenarioRun | VURun]:
    return dict(_runs)


@events.test_stop.add_listener
def _on_test_stop(**_: Any) -> None:
    reset_runs()


@events.init.add_listener
def _on_init(environment: Any, **_: Any) -> None:
    """Distributed runs: the master tells every worker how many share the schedule."""
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.register_message(_SHARE_MESSAGE, _on_share)
    elif isinstance(runner, MasterRunner):
        environment.events.test_start.add_listener(_send_share)


def _send_share(environment: Any, **_: Any) -> None:
    # fired on the master before it sends the workers their users, so this arrives first
    environment.runner.send_message(_SHARE_MESSAGE, {"count": environment.runner.worker_count})


def _on_share(environment: Any, msg: Any, **_: Any) -> None:
    global _share
    _share = (int(environment.runner.worker_index), max(1, int(msg.data["count"])))
    log.debug("genesis-load: this worker takes part %d of %d of every scenario", *_share)


class ScenarioUser(User):
    """Base for scenario VUs; combine with an HTTP user: ``(ScenarioUser, FastHttpUser)``.

    ``scenario`` is an open-model :class:`Scenario` (arrival rate) or a closed-model
    :class:`VUScenario` (VU count); either way the VU runs ``iteration()`` once per ticket.
    """

    abstract = True
    scenario: ClassVar[Scenario | VUScenario]
    wait_time = constant(0)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Locust merges the tasks of every base class; a VU must run nothing but tickets,
        # or it would send unscheduled load between them.
        own = [t for t in cls.tasks if t is not ScenarioUser._run_iteration]
        extra = [getattr(t, "__name__", repr(t)) for t in own if t not in _INHERITED_OK]
        if extra and "iteration" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__}: a ScenarioUser runs iteration() once per ticket; "
                f"remove the @task methods {extra} or use arrival_rate_user() to schedule them"
            )
        cls.tasks = [ScenarioUser._run_iteration]
        scenario = cls.__dict__.get("scenario")
        if scenario is not None:
            # Every VU the scenario may ever use is spawned at the start and parked until
            # needed: Locust's dispatcher then never has to re-balance user classes.
            cls.fixed_count = scenario.max_vus

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lag_ms = 0.0
        self._slot: int | None = None
        self._tags = {"scenario": self.scenario.name, **self.scenario.tags}

    def context(self) -> dict[str, Any]:
        return {**super().context(), **self._tags, "_lag_ms": self._lag_ms}

    def iteration(self) -> None:
        """One iteration (k6's exec function). Override it."""
        raise NotImplementedError(f"{type(self).__name__} must define iteration()")

    @task
    def _run_iteration(self) -> None:
        run = run_for(self.scenario)
        if self._slot is None:
            self._slot = run.register_vu()
        self._state = LOCUST_STATE_WAITING  # a stop may end us while idle
        if self._slot >= run.active_vus():  # parked: not needed (yet, or any more)
            with _parked(self.environment):
                while self._slot >= run.active_vus():
                    gevent.sleep(_PARKED_POLL_S)
        ticket = run.next_ticket(self)
        if ticket is None:  # this VU's share of the scenario is done: idle until the end
            with _parked(self.environment):
                while True:
                    gevent.sleep(3600)
        self._state = LOCUST_STATE_RUNNING
        began_s = time.time()
        self._lag_ms = max(0.0, (began_s - ticket.intended_s) * 1000.0)
        tags = self._tags
        samples.fire(_M["schedule_lag"], self._lag_ms, tags)
        start = time.perf_counter()
        try:
            self.iteration()
        finally:
            duration_ms = (time.perf_counter() - start) * 1000.0
            samples.fire(_M["iterations"], 1, tags)
            samples.fire(_M["iteration_duration"], duration_ms, tags)
            samples.fire(_M["iteration_duration_corrected"], duration_ms + self._lag_ms, tags)
            if isinstance(run, VURun):
                run.iteration_done()


def scenario_user(
    base: type[User], scenario: Scenario | VUScenario, name: str | None = None
) -> type[User]:
    """A scenario version of a Locust user class: each iteration runs one of its tasks (picked
    by weight, as Locust would); its ``on_start``, client and host are kept."""
    tasks = list(getattr(base, "tasks", []))
    if not tasks or not all(callable(t) and not isinstance(t, type) for t in tasks):
        raise TypeError(f"{base.__name__}: scenario_user needs plain @task methods")

    def iteration(self: Any) -> None:
        random.choice(tasks)(self)

    _INHERITED_OK.update(tasks)

    return type(
        name or f"{base.__name__}_{scenario.name}",
        (ScenarioUser, base),
        {
            "scenario": scenario,
            "iteration": iteration,
            "tasks": [ScenarioUser._run_iteration],
            "abstract": False,
            "__module__": base.__module__,
        },
    )


#: k6 users think in executors: the same base class under its open-model name.
ArrivalRateUser = ScenarioUser
#: The same factory under its open-model name.
arrival_rate_user = scenario_user
