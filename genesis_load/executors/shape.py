"""``ScenarioShape``: the Locust shape that sizes the VU pools of open-model scenarios.

Owns how many VUs each scenario has (its ``preAllocatedVUs`` at first, grown after drops up to
``maxVUs``, through Locust's ``fixed_count``) and when the test ends (every schedule done plus its
graceful stop). It also names the stages so thresholds can be scoped to one
(``{"threshold": "p(95)<800", "stage": "spike"}``).

    class Shape(ScenarioShape):
        user_classes = (BaselineUser,)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, ClassVar

from locust import LoadTestShape, User

from .user import ArrivalRateUser, active_runs

__all__ = ["ScenarioShape"]

#: Users per second Locust starts: pools are allocated quickly, as k6 pre-allocates VUs (the
#: schedule starts once the pre-allocated VUs wait for work).
_SPAWN_RATE = 100.0


class ScenarioShape(LoadTestShape):
    """Runs the ``user_classes`` (ArrivalRateUser subclasses) until their schedules end."""

    abstract: ClassVar[bool] = True  # Locust picks only concrete subclasses
    user_classes: ClassVar[Sequence[type[User]]] = ()
    #: Seconds after the last schedule ends that in-flight iterations may take, at most.
    settle_s: ClassVar[float] = 5.0

    def _scenario_classes(self) -> list[type[ArrivalRateUser]]:
        classes = [c for c in self.user_classes if issubclass(c, ArrivalRateUser)]
        if not classes:
            raise TypeError(f"{type(self).__name__}.user_classes has no ArrivalRateUser class")
        return classes

    def tick(self) -> tuple[int, float, list[type[User]]] | None:
        classes = self._scenario_classes()
        runs = active_runs()
        total = 0
        for cls in classes:
            run = runs.get(cls.scenario.name)
            wanted = run.wanted_vus if run is not None else cls.scenario.pre_allocated_vus
            cls.fixed_count = wanted
            total += wanted
        if self._all_done(classes, runs):
            return None
        return total, _SPAWN_RATE, list(classes)

    def _all_done(self, classes: list[type[ArrivalRateUser]], runs: dict[str, Any]) -> bool:
        now = time.time()
        for cls in classes:
            run = runs.get(cls.scenario.name)
            if run is None or run.started_s is None:
                return False
            end_s = run.started_s + float(cls.scenario.pacer.duration_s or 0.0)
            if not run.finished or now < end_s:
                return False
            if run.pool.waiting < run.wanted_vus and now < end_s + min(
                cls.scenario.graceful_stop_s, self.settle_s
            ):
                return False  # iterations still in flight
        return True

    def stage_windows(self) -> dict[str, tuple[float, float]]:
        windows: dict[str, tuple[float, float]] = {}
        for cls in self._scenario_classes():
            windows.update(cls.scenario.stage_windows())
        return windows
