"""Test locustfile: three kinds of user, plus a raw log of every response time.

RAW_TIMES_PATH (env) receives one Locust response_time (ms) per line at quit, so tests can
compare genesis-load's HDR percentiles with numpy over the very same samples.
"""

import os
import time

from locust import FastHttpUser, HttpUser, User, constant, events, task

from genesis_load import Trend

raw: list[float] = []
custom = Trend("custom_step", time=True)


@events.request.add_listener
def _keep_raw(response_time: float, **_: object) -> None:
    raw.append(response_time)


@events.quitting.add_listener
def _dump(**_: object) -> None:
    path = os.environ.get("RAW_TIMES_PATH")
    if path:
        with open(path, "w") as f:
            f.write("\n".join(repr(v) for v in raw))


class Fast(FastHttpUser):
    wait_time = constant(0.05)
    weight = int(os.environ.get("FAST_WEIGHT", "1"))

    @task
    def health(self) -> None:
        self.client.get("/health", name="/health")


class Classic(HttpUser):
    wait_time = constant(0.05)
    weight = int(os.environ.get("CLASSIC_WEIGHT", "1"))

    @task
    def user(self) -> None:
        self.client.get("/api/v1/users/7", name="/api/v1/users/{id}")


class Custom(User):
    """A non-HTTP client that fires events.request itself, as Locust documents."""

    wait_time = constant(0.1)
    weight = int(os.environ.get("CUSTOM_WEIGHT", "1"))

    @task
    def step(self) -> None:
        start = time.perf_counter()
        time.sleep(0.002)
        elapsed_ms = (time.perf_counter() - start) * 1000
        custom.add(elapsed_ms, tags={"kind": "custom"})
        self.environment.events.request.fire(
            request_type="CUSTOM",
            name="step",
            response_time=elapsed_ms,
            response_length=0,
            response=None,
            context={"scenario": "custom"},
            exception=None,
        )
