"""Test locustfile: one open-model scenario with named stages, from env STAGED_JSON.

STAGED_JSON holds k6 keys plus ``stageNames`` (one per stage), so the results carry
``meta.stages`` and the report draws stage boundaries.
"""

import json
import os

from locust import FastHttpUser

from genesis_load.executors import ArrivalRateUser, ScenarioShape, scenario_from_config

_cfg = json.loads(os.environ["STAGED_JSON"])
_names = _cfg.pop("stageNames", [])


class Staged(ArrivalRateUser, FastHttpUser):
    scenario = scenario_from_config("staged", _cfg, "STAGED_JSON", stage_names=_names)

    def iteration(self) -> None:
        self.client.get("/health", name="/health")


class Shape(ScenarioShape):
    user_classes = (Staged,)
