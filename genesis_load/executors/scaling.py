"""Scaling the scenarios of a run's user classes by a profile's factors.

``rate_factor`` multiplies arrival rates and VU counts, ``time_factor`` multiplies durations
and start times. Used when ``--profile`` is given to Locust, after the locustfile is loaded and
before any VU starts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

from ..pacing import scaled
from .scenario import Scenario
from .vus import VUScenario, VUStage

__all__ = ["scale_scenario", "scale_user_classes"]


def _vus(n: int, factor: float) -> int:
    return max(1, math.ceil(n * factor))


def scale_scenario(
    scenario: Scenario | VUScenario, rate_factor: float, time_factor: float
) -> Scenario | VUScenario:
    if isinstance(scenario, Scenario):
        return dataclasses.replace(
            scenario,
            pacer=scaled(scenario.pacer, rate_factor, time_factor),
            pre_allocated_vus=_vus(scenario.pre_allocated_vus, rate_factor),
            max_vus=_vus(scenario.max_vus, rate_factor),
            start_time_s=scenario.start_time_s * time_factor,
        )
    return dataclasses.replace(
        scenario,
        vus=_vus(scenario.vus, rate_factor) if scenario.vus else 0,
        stages=tuple(
            VUStage(s.duration_s * time_factor, math.ceil(s.target * rate_factor))
            for s in scenario.stages
        ),
        duration_s=None if scenario.duration_s is None else scenario.duration_s * time_factor,
        max_duration_s=scenario.max_duration_s * time_factor,
        start_time_s=scenario.start_time_s * time_factor,
    )


def scale_user_classes(
    classes: Iterable[type[Any]], rate_factor: float, time_factor: float
) -> list[str]:
    """Rescale every scenario user class in place; returns the scenario names scaled."""
    names = []
    for cls in classes:
        sc = getattr(cls, "scenario", None)
        if isinstance(sc, Scenario | VUScenario):
            new = scale_scenario(sc, rate_factor, time_factor)
            cls.scenario = new
            cls.fixed_count = new.max_vus
            names.append(new.name)
    return names
