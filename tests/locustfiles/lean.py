"""Test locustfile: LeanHttpUser as a plain Locust user (LEAN_MODE=plain, the default) or as the
VUs of an open-model and a closed-model scenario (LEAN_MODE=scenarios)."""

import os

import gevent
from locust import constant, task

from genesis_load import LeanHttpUser

if os.environ.get("LEAN_MODE", "plain") == "plain":

    class Plain(LeanHttpUser):
        wait_time = constant(0.01)

        @task
        def health(self) -> None:
            self.client.get("/health")
            self.client.get("/api/v1/users/1", name="/api/v1/users/{id}")

else:
    from genesis_load.executors import (
        ScenarioShape,
        ScenarioUser,
        scenario_from_config,
        vu_scenario_from_config,
    )

    class Open(ScenarioUser, LeanHttpUser):
        scenario = scenario_from_config(
            "open",
            {"executor": "constant-arrival-rate", "rate": 50, "duration": "4s",
             "preAllocatedVUs": 5},
            "lean.py",
        )  # fmt: skip

        def iteration(self) -> None:
            self.client.get("/health")

    class Closed(ScenarioUser, LeanHttpUser):
        scenario = vu_scenario_from_config(
            "closed", {"executor": "constant-vus", "vus": 2, "duration": "4s"}, "lean.py"
        )

        def iteration(self) -> None:
            self.client.get("/api/v1/users/1", name="/api/v1/users/{id}")
            gevent.sleep(0.01)

    class Shape(ScenarioShape):
        user_classes = (Open, Closed)
