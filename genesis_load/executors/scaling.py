"""The one scaling path: a run's scenario user classes times its rate and time factors.

``rate_factor`` multiplies arrival rates and VU counts, ``time_factor`` multiplies durations
and start times. The factors come from ``--profile`` (its ``rate_factor`` / ``time_factor``)
or from the ``GENESIS_RATE_FACTOR`` / ``GENESIS_TIME_FACTOR`` environment variables
(:func:`factors_from_env`); never both (``plugin.options`` refuses that). They are applied
once, by ``plugin.attach`` after the locustfile is loaded and before any VU starts, to every
class with a ``scenario``. Scaling starts from the schedule the locustfile wrote (kept on the
class), so applying it again, for a second Environment in the same process, never compounds.
No Locust here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ConfigError
from ..pacing import scaled
from .scenario import Scenario
from .vus import VUScenario, VUStage

__all__ = [
    "RATE_FACTOR_ENV",
    "TIME_FACTOR_ENV",
    "factors_from_env",
    "scale_scenario",
    "scale_user_classes",
]

#: Environment variables that scale a run without a profile (``genesis-load demo`` uses them).
RATE_FACTOR_ENV = "GENESIS_RATE_FACTOR"
TIME_FACTOR_ENV = "GENESIS_TIME_FACTOR"
#: On a scaled class: (the schedule its locustfile wrote, the scaled one set in its place).
_SCALED_FROM = "_genesis_scaled_from"


def factors_from_env(environ: Mapping[str, str]) -> dict[str, float]:
    """``{"rate_factor": ..., "time_factor": ...}`` for the variables that are set (non-empty).

    A value that is not a finite number > 0 is a :class:`ConfigError` (all of them at once).
    """
    problems = []
    factors: dict[str, float] = {}
    for key, env in (("rate_factor", RATE_FACTOR_ENV), ("time_factor", TIME_FACTOR_ENV)):
        raw = environ.get(env)
        if raw is None or raw == "":
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (value > 0 and math.isfinite(value)):
            problems.append(f"{env}={raw!r}: expected a number > 0")
            continue
        factors[key] = value
    if problems:
        raise ConfigError(problems)
    return factors


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
    """Set every scenario user class to its written schedule times the factors.

    Returns the scenario names. Idempotent: the factors apply to the schedule the class was
    written with, however often this runs; factors of 1 restore it.
    """
    names = []
    for cls in classes:
        sc = getattr(cls, "scenario", None)
        if not isinstance(sc, Scenario | VUScenario):
            continue
        written, scaled_sc = getattr(cls, _SCALED_FROM, (sc, None))
        if sc is not scaled_sc:  # never scaled, or its scenario was replaced since
            written = sc
        new = (
            written
            if rate_factor == 1 and time_factor == 1
            else scale_scenario(written, rate_factor, time_factor)
        )
        setattr(cls, _SCALED_FROM, (written, new))
        cls.scenario = new
        cls.fixed_count = new.max_vus
        names.append(new.name)
    return names
