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
from typing import Any, ClassVar

import gevent
from locust import User, constant, events, task
from locust.user.users import LOCUST_STATE_RUNNING, LOCUST_STATE_WAITING

from ..metrics.metric import BUILTIN_METRICS, samples
from .arrival import ArrivalLoop, Ticket, VUPool
from .scenario import Scenario

__all__ = ["ArrivalRateUser", "ScenarioRun", "arrival_rate_user", "reset_runs", "run_for"]

log = logging.getLogger("genesis_load")

_M = BUILTIN_METRICS
#: How long a scenario waits for its pre-allocated VUs before it starts anyway.
_READY_TIMEOUT_S = 10.0

_runs: dict[str, ScenarioRun] = {}
#: Tasks that may be inherited and silently replaced (set by arrival_rate_user).
_INHERITED_OK: set[Any] = set()


class ScenarioRun:
    """One scenario in this process: the pool, the loop, and how many VUs it wants."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.pool = VUPool(scenario.drop_policy)
        self.wanted_vus = scenario.pre_allocated_vus
        self.loop = ArrivalLoop(scenario.pacer, self._offer, self._dropped)
        self.created_s = time.time()
        self.started_s: float | None = None
        self._tags = {"scenario": scenario.name, **scenario.tags}
        self._greenlet = gevent.spawn(self._run)

    def _run(self) -> None:
        deadline = time.time() + _READY_TIMEOUT_S
        while self.pool.free < self.scenario.pre_allocated_vus and time.time() < deadline:
            gevent.sleep(0.01)
        start = time.time() + self.scenario.start_time_s
        self.started_s = start
        self.loop.run(start)
        log.debug(
            "scenario %s: %d issued, %d started, %d dropped",
            self.scenario.name, self.loop.issued, self.loop.started, self.loop.dropped,
        )

    def _offer(self, ticket: Ticket) -> bool:
        samples.fire(_M["offered_iterations"], 1, self._tags)
        return self.pool.offer(ticket)

    def _dropped(self, ticket: Ticket) -> None:
        samples.fire(_M["dropped_iterations"], 1, self._tags)
        if self.wanted_vus < self.scenario.max_vus:
            grow = max(1, self.wanted_vus // 10)
            self.wanted_vus = min(self.scenario.max_vus, self.wanted_vus + grow)

    @property
    def finished(self) -> bool:
        return self.loop.finished

    def stop(self) -> None:
        self._greenlet.kill(block=False)


def run_for(scenario: Scenario) -> ScenarioRun:
    """This process's run of a scenario, started by its first VU."""
    run = _runs.get(scenario.name)
    if run is None:
        run = _runs[scenario.name] = ScenarioRun(scenario)
    return run


def reset_runs() -> None:
    """Stop every scenario loop (at test stop) so a new test starts from scratch."""
    for run in _runs.values():
        run.stop()
    _runs.clear()


def active_runs() -> dict[str, ScenarioRun]:
    return dict(_runs)


@events.test_stop.add_listener
def _on_test_stop(**_: Any) -> None:
    reset_runs()


class ArrivalRateUser(User):
    """Base for open-model VUs; combine with an HTTP user: ``(ArrivalRateUser, FastHttpUser)``."""

    abstract = True
    scenario: ClassVar[Scenario]
    wait_time = constant(0)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Locust merges the tasks of every base class; a VU must run nothing but tickets,
        # or it would send unscheduled load between them.
        own = [t for t in cls.tasks if t is not ArrivalRateUser._run_iteration]
        extra = [getattr(t, "__name__", repr(t)) for t in own if t not in _INHERITED_OK]
        if extra and "iteration" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__}: an ArrivalRateUser runs iteration() once per ticket; "
                f"remove the @task methods {extra} or use arrival_rate_user() to schedule them"
            )
        cls.tasks = [ArrivalRateUser._run_iteration]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lag_ms = 0.0
        self._tags = {"scenario": self.scenario.name, **self.scenario.tags}

    def context(self) -> dict[str, Any]:
        return {**super().context(), **self._tags, "_lag_ms": self._lag_ms}

    def iteration(self) -> None:
        """One iteration (k6's exec function). Override it."""
        raise NotImplementedError(f"{type(self).__name__} must define iteration()")

    @task
    def _run_iteration(self) -> None:
        run = run_for(self.scenario)
        self._state = LOCUST_STATE_WAITING  # a stop may end us while idle
        ticket = run.pool.take()
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


def arrival_rate_user(base: type[User], scenario: Scenario, name: str | None = None) -> type[User]:
    """An open-model version of a closed-model user class: each iteration runs one of its
    tasks (picked by weight, as Locust would); its ``on_start``, client and host are kept."""
    tasks = list(getattr(base, "tasks", []))
    if not tasks or not all(callable(t) and not isinstance(t, type) for t in tasks):
        raise TypeError(f"{base.__name__}: arrival_rate_user needs plain @task methods")

    def iteration(self: Any) -> None:
        random.choice(tasks)(self)

    _INHERITED_OK.update(tasks)

    return type(
        name or f"{base.__name__}_{scenario.name}",
        (ArrivalRateUser, base),
        {
            "scenario": scenario,
            "iteration": iteration,
            "tasks": [ArrivalRateUser._run_iteration],
            "abstract": False,
            "__module__": base.__module__,
        },
    )
