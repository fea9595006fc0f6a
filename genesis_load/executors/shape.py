"""``ScenarioShape``: the Locust shape that runs scenarios until they are done.

Every scenario's VUs (its ``maxVUs``, or its largest VU target) are spawned at the start, each
class with Locust's ``fixed_count``, and parked until the scenario needs them (pre-allocated VUs
first, more after drops; ramping-vus follows its targets). The user count therefore never
changes during the run, which keeps Locust's dispatcher from re-balancing classes. The shape
owns when the test ends (every schedule done, in-flight iterations given up to their graceful
stop) and names the stages so thresholds can be scoped to one
(``{"threshold": "p(95)<800", "stage": "spike"}``).

    class Shape(ScenarioShape):
        user_classes = (BaselineUser,)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any, ClassVar

from locust import LoadTestShape, User
from locust.runners import MasterRunner

from .run import VURun
from .runs import runs_of
from .user import ScenarioUser
from .vus import VUScenario

__all__ = ["ScenarioShape"]

log = logging.getLogger("genesis_load")

#: Users per second Locust starts: pools are allocated quickly, as k6 pre-allocates VUs (the
#: schedule starts once the pre-allocated VUs wait for work).
_SPAWN_RATE = 100.0
#: On a master: how long workers may take to spawn their VUs before the schedules start.
_MASTER_LEAD_S = 3.0


class ScenarioShape(LoadTestShape):
    """Runs the ``user_classes`` (ArrivalRateUser subclasses) until their schedules end."""

    abstract: ClassVar[bool] = True  # Locust picks only concrete subclasses
    user_classes: ClassVar[Sequence[type[User]]] = ()
    #: Seconds after the last schedule ends that in-flight iterations may take, at most.
    settle_s: ClassVar[float] = 5.0

    def _scenario_classes(self) -> list[type[ScenarioUser]]:
        classes = [c for c in self.user_classes if issubclass(c, ScenarioUser)]
        if not classes:
            raise TypeError(f"{type(self).__name__}.user_classes has no ScenarioUser class")
        return classes

    def planned_s(self) -> float:
        """Run-relative seconds when the last scenario's schedule ends (its planned length)."""
        return max(
            c.scenario.planned_s if isinstance(c.scenario, VUScenario) else c.scenario.duration_s
            for c in self._scenario_classes()
        )

    def tick(self) -> tuple[int, float, list[type[User]]] | None:
        classes = self._scenario_classes()
        runs = dict(runs_of(self.runner.environment).runs) if self.runner else {}
        elapsed_s = self.get_run_time()
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "shape at %.1fs: %s",
                elapsed_s,
                {name: (type(r).__name__, r.finished, r.idle) for name, r in runs.items()},
            )
        if self._all_done(classes, runs, elapsed_s):
            return None
        # constant: every VU is spawned at once and parked until its scenario needs it
        total = sum(int(c.fixed_count) for c in classes)
        return total, _SPAWN_RATE, list(classes)

    def _all_done(
        self, classes: list[type[ScenarioUser]], runs: dict[str, Any], elapsed_s: float
    ) -> bool:
        if isinstance(self.runner, MasterRunner):
            # the scenarios run on the workers: end when every worker says its schedules are
            # done (plugin.distributed), at the latest after the longest schedule plus the
            # time VUs take to spawn and in-flight iterations to finish
            if runs_of(self.runner.environment).workers_done:
                return True
            return elapsed_s > self.planned_s() + _MASTER_LEAD_S + self.settle_s
        now = time.time()
        for cls in classes:
            sc = cls.scenario
            run = runs.get(sc.name)
            if isinstance(sc, VUScenario) and elapsed_s < sc.start_time_s:
                return False
            if run is None or run.started_s is None:
                return False
            if not run.finished:
                return False
            if isinstance(run, VURun):
                end_s = now  # finished: out of time or out of iterations
            else:
                end_s = run.started_s + float(run.scenario.pacer.duration_s or 0.0)
                if now < end_s:
                    return False
            if not run.idle and now < end_s + min(sc.graceful_stop_s, self.settle_s):
                return False  # iterations still in flight
        return True

    def stage_windows(self) -> dict[str, tuple[float, float]]:
        windows: dict[str, tuple[float, float]] = {}
        for cls in self._scenario_classes():
            windows.update(cls.scenario.stage_windows())
        return windows
