"""Test locustfile: plain closed-model Locust users pacing themselves with constant_throughput."""

import os

from locust import FastHttpUser, constant_throughput, task

import genesis_load  # noqa: F401


class Closed(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("PER_USER_RPS", "10")))

    @task
    def health(self) -> None:
        self.client.get("/health", name="/health")
