"""Test locustfile: FastHttpUser requests that fail in known ways (ERROR_CASE picks one).

refused: a closed port; timeout: a 2-s latency fault against a 0.5-s client timeout;
drop / error: the target's drop_rate / error_rate faults; raise: a task that raises.
"""

import os

from locust import FastHttpUser, constant, task

import genesis_load  # noqa: F401

CASE = os.environ["ERROR_CASE"]


class Faulty(FastHttpUser):
    wait_time = constant(0.02)
    network_timeout = 0.5
    connection_timeout = 0.5

    @task
    def one(self) -> None:
        if CASE == "raise":
            self.client.get("/health")
            raise ValueError("a bug in the iteration")
        self.client.get("/api/v1/users/1", name="/api/v1/users/{id}")
