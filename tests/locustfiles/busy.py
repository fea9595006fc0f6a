"""Test locustfile: each iteration holds the CPU for 40 ms inside a request's measurement.

At 20 iterations/s a VU is running Python code 80% of the time, so a signal almost always
arrives while a VU greenlet, not the hub, is running.
"""

import time

from locust import FastHttpUser

from genesis_load.executors import ArrivalRateUser, ScenarioShape, scenario_from_config

_CFG = {"executor": "constant-arrival-rate", "rate": 20, "duration": "30s",
        "preAllocatedVUs": 2, "maxVUs": 4}  # fmt: skip


class Busy(ArrivalRateUser, FastHttpUser):
    scenario = scenario_from_config("busy", _CFG, "busy.py")

    def iteration(self) -> None:
        with self.client.get("/health", name="/health", catch_response=True) as response:
            end = time.perf_counter() + 0.04
            while time.perf_counter() < end:  # CPU-bound work inside the measurement
                pass
            response.success()


class Shape(ScenarioShape):
    user_classes = (Busy,)
