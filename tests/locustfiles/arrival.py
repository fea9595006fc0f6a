"""Test locustfile: one open-model scenario configured from the ARRIVAL_JSON env var (k6 keys)."""

import itertools
import json
import os

from locust import FastHttpUser

from genesis_load.executors import ArrivalRateUser, ScenarioShape, scenario_from_config

_cfg = json.loads(os.environ["ARRIVAL_JSON"])
_path = os.environ.get("ARRIVAL_PATH", "/health")
# ARRIVAL_NAMES=N: name the requests /health#0 .. #N-1 in turn (N series keys to summarise each s)
_names = [f"{_path}#{i}" for i in range(int(os.environ.get("ARRIVAL_NAMES", "0")))] or [_path]
_turn = itertools.count()


class Arrivals(ArrivalRateUser, FastHttpUser):
    scenario = scenario_from_config("arrivals", _cfg, "ARRIVAL_JSON")

    def iteration(self) -> None:
        self.client.get(_path, name=_names[next(_turn) % len(_names)])


class Shape(ScenarioShape):
    user_classes = (Arrivals,)
