"""Test locustfile: closed-model users paced every 100 ms, with HDR pacing correction."""

from locust import FastHttpUser, task

import genesis_load  # noqa: F401
from genesis_load.executors import PacedUser


class Paced(PacedUser, FastHttpUser):
    pacing_interval_s = 0.1

    @task
    def health(self) -> None:
        self.client.get("/health", name="/health")
