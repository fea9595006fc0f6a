"""Benchmarks (the performance suite): REST reads, writes and cached reads at once, per endpoint.

Open model (arrival rate): see ``genesis_load.executors.presets`` for the schedule, scaled by
``GENESIS_RATE_FACTOR`` / ``GENESIS_TIME_FACTOR``. Thresholds: the seed's targets.
"""

from typing import ClassVar

from genesis_load import users
from genesis_load.executors import ScenarioShape, arrival_rate_user, preset_from_env
from genesis_load.scenarios._seed import SEED_CACHE_THRESHOLDS

Benchmarks = arrival_rate_user(users.GenesisApiUser, preset_from_env("benchmarks"), "Benchmarks")


class BenchmarksShape(ScenarioShape):
    user_classes = (Benchmarks,)
    thresholds: ClassVar[dict[str, object]] = SEED_CACHE_THRESHOLDS
