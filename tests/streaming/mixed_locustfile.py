"""A mixed run for the e2e test: REST, the SSE tick feed and WebSocket users in one process."""

from locust import FastHttpUser, constant, task

import genesis_load  # noqa: F401  (installs the HDR listeners)
from genesis_load.streaming import GenesisSSEUser, GenesisWebSocketUser


class Rest(FastHttpUser):
    wait_time = constant(0.05)

    @task
    def health(self) -> None:
        self.client.get("/health")


class Feed(GenesisSSEUser):
    events = 10
    interval_ms = 50


class Socket(GenesisWebSocketUser):
    pass
