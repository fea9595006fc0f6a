"""Open-model users on Locust: VUs that wait for iteration tickets instead of sleeping.

Owns the user class whose instances are the VUs: a VU takes tickets from its scenario's run
(``executors.run``; one per scenario and environment, see ``executors.runs``), parks while it
is not needed, and runs ``iteration()`` once per ticket. Every iteration records
``iterations``, ``iteration_duration``, ``schedule_lag`` (actual minus intended start) and
``iteration_duration_corrected`` (measured from the intended start), all tagged
``scenario``; requests made during it carry the ``scenario`` tag and the lag,
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
import traceback
from typing import Any, ClassVar

import gevent
from locust import User, constant, task
from locust.exception import (
    InterruptTaskSet,
    RescheduleTask,
    RescheduleTaskImmediately,
    StopTest,
    StopUser,
)
from locust.user.users import LOCUST_STATE_RUNNING, LOCUST_STATE_STOPPING, LOCUST_STATE_WAITING

from ..metrics.metric import BUILTIN_METRICS
from .run import ScenarioRun, VURun
from .runs import ScenarioRuns, runs_of
from .scenario import Scenario
from .timer import yield_to_io
from .vus import VUScenario

__all__ = ["ArrivalRateUser", "ScenarioUser", "arrival_rate_user", "scenario_user"]

log = logging.getLogger("genesis_load")
#: Where Locust logs an exception a task raised (the VU's loop logs there too).
_task_log = logging.getLogger("locust.user.task")

_M = BUILTIN_METRICS

#: Tasks that may be inherited and silently replaced (set by scenario_user).
_INHERITED_OK: set[Any] = set()


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
        self._slot_run: ScenarioRun | VURun | None = None
        self._runs: ScenarioRuns | None = None
        self._tags = {"scenario": self.scenario.name, **self.scenario.tags}

    def stop(self, force: bool = False) -> bool:
        """Locust stops this VU (test stop, or a re-balance across workers): its slot goes
        back to the run, so a parked VU takes over its place."""
        if self._slot is not None and self._slot_run is not None:
            self._slot_run.slots.give(self._slot)
            self._slot = self._slot_run = None
        return bool(super().stop(force))

    def context(self) -> dict[str, Any]:
        return {**super().context(), **self._tags, "_lag_ms": self._lag_ms}

    def iteration(self) -> None:
        """One iteration (k6's exec function). Override it."""
        raise NotImplementedError(f"{type(self).__name__} must define iteration()")

    @task
    def _run_iteration(self) -> None:
        """Iterations back to back, all in this one task call.

        Locust's task loop would wait between tasks (``wait_time``: a greenlet switch through
        the hub even for 0 s) and pick the next task each time; a VU has one task and waits
        for its tickets, so it loops here and does what Locust's loop does around a task: an
        exception is a ``user_error`` (logged, or raised without ``catch_exceptions``), a
        graceful stop ends it after the iteration in flight, and an iteration that never
        waited for anything still lets the other greenlets run.
        """
        env = self.environment
        hub_loop = gevent.get_hub().loop
        while True:
            before = getattr(hub_loop, "iteration", None)
            try:
                if not self._iterate():
                    return
            except (RescheduleTask, RescheduleTaskImmediately):
                pass
            except (StopUser, StopTest, InterruptTaskSet):
                raise
            except Exception as e:
                env.events.user_error.fire(user_instance=self, exception=e, tb=e.__traceback__)
                if not env.catch_exceptions:
                    raise
                _task_log.error("%s\n%s", e, traceback.format_exc())
            if self._state == LOCUST_STATE_STOPPING:
                raise StopUser()
            if before is None or getattr(hub_loop, "iteration", None) == before:
                yield_to_io()  # the iteration never waited: let the others and the I/O run

    def _iterate(self) -> bool:
        """One iteration (False: Locust is stopping this VU)."""
        runs = self._runs
        if runs is None:  # an environment's runs live as long as it: looked up once per VU
            runs = self._runs = runs_of(self.environment)
        run = runs.run_for(self.scenario)
        if self._slot is None or self._slot_run is not run:
            self._slot, self._slot_run = run.register_vu(), run
        self._state = LOCUST_STATE_WAITING  # a stop may end us while idle
        if self._slot >= run.active_vus():  # parked: not needed (yet, or any more)
            with runs.parking():
                while (slot := self._slot) is not None and slot >= run.active_vus():
                    run.park(slot)
                    if self._slot is not None:  # None: Locust is stopping this VU
                        self._slot = run.slots.better(self._slot)  # a stopped VU's lower slot
            if self._slot is None:
                return False
        ticket = run.next_ticket(self)
        if ticket is None:  # this VU's share of the scenario is done: idle until the end
            with runs.parking():
                while True:
                    gevent.sleep(3600)
        self._state = LOCUST_STATE_RUNNING
        began_s = time.time()
        self._lag_ms = max(0.0, (began_s - ticket.intended_s) * 1000.0)
        tags = self._tags
        runs.samples.fire(_M["schedule_lag"], self._lag_ms, tags)
        start = time.perf_counter()
        try:
            self.iteration()
        finally:
            duration_ms = (time.perf_counter() - start) * 1000.0
            runs.samples.fire(_M["iterations"], 1, tags)
            runs.samples.fire(_M["iteration_duration"], duration_ms, tags)
            runs.samples.fire(_M["iteration_duration_corrected"], duration_ms + self._lag_ms, tags)
            if isinstance(run, VURun):
                run.iteration_done()
        return True


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
