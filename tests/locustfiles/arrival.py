"""Test locustfile: one open-model scenario configured from the ARRIVAL_JSON env var (k6 keys)."""

import json
import os

from locust import FastHttpUser

from genesis_load.executors import ArrivalRateUser, ScenarioShape, scenario_from_config

_cfg = json.loads(os.environ["ARRIVAL_JSON"])
_path = os.environ.get("ARRIVAL_PATH", "/health")


class Arrivals(ArrivalRateUser, FastHttpUser):
    scenario = scenario_from_config("arrivals", _cfg, "ARRIVAL_JSON")

    def iteration(self) -> None:
        self.client.get(_path, name=_path)


class Shape(ScenarioShape):
    user_classes = (Arrivals,)
