"""Scheduling on Locust: open-model (arrival-rate) scenarios, their VUs and shape.

The pure schedule math is in :mod:`genesis_load.pacing`. ``scenario`` and ``presets`` do not
import Locust; the Locust-facing names (users, shape, pool) are imported on first use, so the
CLI can read presets without gevent's monkey-patching.
"""

from __future__ import annotations

from .._lazy import lazy_attributes
from .config import EXECUTOR_NAMES, scenarios_from_config
from .presets import PRESETS, preset, preset_from_env
from .scenario import Scenario, scenario_from_config
from .vus import VUScenario, vu_scenario_from_config

__all__ = [
    "EXECUTOR_NAMES",
    "PRESETS",
    "ArrivalLoop",
    "ArrivalRateUser",
    "PacedUser",
    "Scenario",
    "ScenarioRuns",
    "ScenarioShape",
    "ScenarioUser",
    "Ticket",
    "VUPool",
    "VUScenario",
    "arrival_rate_user",
    "preset",
    "preset_from_env",
    "runs_of",
    "scenario_from_config",
    "scenario_user",
    "scenarios_from_config",
    "vu_scenario_from_config",
]

_LAZY = {
    "ArrivalLoop": ".arrival",
    "Ticket": ".arrival",
    "VUPool": ".arrival",
    "ScenarioShape": ".shape",
    "PacedUser": ".paced",
    "ArrivalRateUser": ".user",
    "ScenarioUser": ".user",
    "arrival_rate_user": ".user",
    "scenario_user": ".user",
    "ScenarioRuns": ".runs",
    "runs_of": ".runs",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
