"""Test locustfile for distributed runs: a closed model for ``-t`` runs (MODE=tput, RATE per
user) or an open-model shape (MODE=shape, ARRIVAL_JSON in k6 keys); every process writes the
raw response times (ms) it recorded to RAW_DIR/<pid>.txt at test stop, so a test can build one
histogram from every worker's samples."""

import json
import os

from locust import FastHttpUser, constant_throughput, events, task

from genesis_load.executors import ArrivalRateUser, ScenarioShape, scenario_from_config

raw: list[float] = []


@events.request.add_listener
def _keep_raw(response_time: float, **_: object) -> None:
    raw.append(response_time)


@events.test_stop.add_listener
def _dump(**_: object) -> None:
    folder = os.environ.get("RAW_DIR")
    if folder and raw:
        with open(os.path.join(folder, f"{os.getpid()}.txt"), "a") as f:
            f.write("".join(f"{v!r}\n" for v in raw))
        raw.clear()


if os.environ.get("MODE", "tput") == "shape":
    _cfg = json.loads(os.environ["ARRIVAL_JSON"])

    class Arrivals(ArrivalRateUser, FastHttpUser):
        scenario = scenario_from_config("arrivals", _cfg, "ARRIVAL_JSON")

        def iteration(self) -> None:
            self.client.get("/health", name="/health")

    class Shape(ScenarioShape):
        user_classes = (Arrivals,)

else:

    class Steady(FastHttpUser):
        wait_time = constant_throughput(float(os.environ.get("RATE", "25")))

        @task
        def health(self) -> None:
            self.client.get("/health", name="/health")
