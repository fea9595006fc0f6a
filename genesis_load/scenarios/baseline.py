"""Baseline scenario of the GENESIS suite: the REST mix on the seed's baseline schedule.

Open model (arrival rate): see ``genesis_load.executors.presets`` for the schedule, scaled by
``GENESIS_RATE_FACTOR`` / ``GENESIS_TIME_FACTOR``. Thresholds: the seed's targets.
"""

from typing import ClassVar

from genesis_load import users
from genesis_load.executors import ScenarioShape, arrival_rate_user, preset_from_env
from genesis_load.scenarios._seed import SEED_THRESHOLDS

Baseline = arrival_rate_user(users.GenesisApiUser, preset_from_env("baseline"), "Baseline")


class BaselineShape(ScenarioShape):
    user_classes = (Baseline,)
    thresholds: ClassVar[dict[str, object]] = SEED_THRESHOLDS
