"""Two Locust Environments in one process share no genesis-load state.

Each environment runs an open-model scenario with the *same* scenario name at a different rate
against its own route, at the same time, with a custom metric recorded from its users. Each
session's results must hold exactly its own environment's work, counted at the server too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

import gevent
import pytest
from locust import FastHttpUser
from locust.env import Environment
from locust.event import Events

from genesis_load.executors import ArrivalRateUser, Scenario, ScenarioShape, runs_of
from genesis_load.metrics import Trend
from genesis_load.pacing import ConstantPacer
from genesis_load.plugin import PluginConfig, attach, session_of
from genesis_load.target import TargetProcess
from tests.helpers import server_counts

pytestmark = pytest.mark.slow

marker = Trend("two_env_marker")


class HealthVU(ArrivalRateUser, FastHttpUser):
    scenario = Scenario("same", ConstantPacer(40, duration_s=3), 4, 8)

    def iteration(self) -> None:
        self.client.get("/health")
        marker.add(1.0, tags={"env": "health"})


class PlansVU(ArrivalRateUser, FastHttpUser):
    scenario = Scenario("same", ConstantPacer(20, duration_s=3), 4, 8)

    def iteration(self) -> None:
        self.client.get("/api/v1/plans")
        marker.add(2.0, tags={"env": "plans"})


class HealthShape(ScenarioShape):
    user_classes: ClassVar = (HealthVU,)
    settle_s: ClassVar[float] = 1.0


class PlansShape(ScenarioShape):
    user_classes: ClassVar = (PlansVU,)
    settle_s: ClassVar[float] = 1.0


def _environment(user: type, shape: type[ScenarioShape], host: str) -> Environment:
    env = Environment(user_classes=[user], shape_class=shape(), host=host, events=Events())
    attach(env, PluginConfig(print_summary=False))
    env.create_local_runner()
    return env


@pytest.mark.usefixtures("collect_locust_clients")  # Locust never closes FastHttpUser pools
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning"
)
def test_two_environments_run_two_scenarios_without_sharing_state(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target()
    before = server_counts(target.metrics_text())
    a = _environment(HealthVU, HealthShape, target.base_url)
    b = _environment(PlansVU, PlansShape, target.base_url)
    assert runs_of(a) is not runs_of(b)
    for env in (a, b):
        assert env.runner is not None
        env.runner.start_shape()
    deadline = time.monotonic() + 40  # 3-s schedules plus settling: bounded either way
    while time.monotonic() < deadline and any(
        env.runner is not None and env.runner.state != "stopped" for env in (a, b)
    ):
        gevent.sleep(0.2)
    for env in (a, b):
        assert env.runner is not None and env.runner.state == "stopped", env.runner
        env.runner.quit()
    after = server_counts(target.metrics_text())

    def served(route: str) -> int:
        return sum(n - before.get(k, 0) for k, n in after.items() if k[0] == route)

    results = {}
    for env, route, value in ((a, "/health", 1.0), (b, "/api/v1/plans", 2.0)):
        session = session_of(env)
        assert session is not None and session.results is not None
        r = session.results
        results[route] = r
        names = {row.name for row in r.requests}
        assert names == {route}, f"{route}: the other environment's requests leaked in: {names}"
        count = next(row.count for row in r.requests)
        assert count == served(route), "each session counts what the server served for it"
        marks = r.metrics["two_env_marker"].values
        assert marks["count"] == count and marks["min"] == marks["max"] == value
        assert r.metrics["iterations"].values["count"] == count
    # the schedules were not merged into one run named "same": each kept its own rate
    assert results["/health"].requests[0].count == pytest.approx(120, abs=2)
    assert results["/api/v1/plans"].requests[0].count == pytest.approx(60, abs=2)
