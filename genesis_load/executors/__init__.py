"""Scheduling on Locust: open-model (arrival-rate) scenarios, their VUs and shape.

Importing this imports Locust. The pure schedule math is in :mod:`genesis_load.pacing`.
"""

from .arrival import ArrivalLoop, Ticket, VUPool
from .scenario import Scenario, scenario_from_config
from .shape import ScenarioShape
from .user import ArrivalRateUser, arrival_rate_user, reset_runs

__all__ = [
    "ArrivalLoop",
    "ArrivalRateUser",
    "Scenario",
    "ScenarioShape",
    "Ticket",
    "VUPool",
    "arrival_rate_user",
    "reset_runs",
    "scenario_from_config",
]
