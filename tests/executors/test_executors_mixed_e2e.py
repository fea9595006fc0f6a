"""k6's six executors through real Locust, several at once, counted at the server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow


def test_open_and_closed_scenarios_run_together_each_exactly_as_planned(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target("--latency-ms", "5")
    scenarios = {
        "arrivals": {
            "executor": "constant-arrival-rate",
            "rate": 50,
            "duration": "4s",
            "preAllocatedVUs": 5,
            "maxVUs": 20,
        },
        "pervu": {
            "executor": "per-vu-iterations",
            "vus": 3,
            "iterations": 10,
            "maxDuration": "30s",
        },
        "shared": {
            "executor": "shared-iterations",
            "vus": 4,
            "iterations": 25,
            "maxDuration": "30s",
        },
        "steady": {"executor": "constant-vus", "vus": 2, "duration": "3s"},
        "ramp": {
            "executor": "ramping-vus",
            "startVUs": 0,
            "stages": [{"duration": "2s", "target": 4}, {"duration": "2s", "target": 0}],
        },
    }
    paths = {
        "arrivals": "/health",
        "pervu": "/api/v1/plans",
        "shared": "/api/v1/agents",
        "steady": "/api/v1/users",
        "ramp": "/api/v1/workouts",
    }
    out = tmp_path / "r.json"
    proc = run_locust(
        "mixed.py", target.base_url, "--summary-json", str(out), run_time="60s", users=1,
        env={"SCENARIOS_JSON": json.dumps(scenarios), "SCENARIO_PATHS_JSON": json.dumps(paths)},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    served = server_counts(target.metrics_text())
    doc = json.loads(out.read_text())
    assert served[("/health", "GET", "200")] == 200
    assert served[("/api/v1/plans", "GET", "200")] == 30
    assert served[("/api/v1/agents", "GET", "200")] == 25
    assert served[("/api/v1/users", "GET", "200")] > 50  # 2 VUs back to back for 3 s
    assert served[("/api/v1/workouts", "GET", "200")] > 20
    assert doc["meta"]["duration_s"] < 30
    rows = {r["name"]: r["count"] for r in doc["requests"]}
    assert rows["/api/v1/plans"] == 30 and rows["/api/v1/agents"] == 25


def test_bad_scenarios_are_all_reported_before_any_load(target: TargetProcess) -> None:
    before = sum(server_counts(target.metrics_text()).values())
    scenarios = {
        "a": {
            "executor": "constant-arrival-rate",
            "rate": -1,
            "duration": "1s",
            "preAllocatedVUs": 5,
            "maxVUs": 2,
        },
        "b": {"executor": "ramping-vus", "stages": [{"target": 3}]},
        "c": {"executor": "teleport"},
    }
    proc = run_locust(
        "mixed.py", target.base_url, run_time="10s", env={"SCENARIOS_JSON": json.dumps(scenarios)}
    )
    assert proc.returncode != 0
    for fragment in (
        "SCENARIOS_JSON.a.rate",
        "SCENARIOS_JSON.a.maxVUs",
        "SCENARIOS_JSON.b.stages[0].duration: missing",
        "SCENARIOS_JSON.c.executor: unknown executor 'teleport'",
    ):
        assert fragment in proc.stderr, fragment
    assert sum(server_counts(target.metrics_text()).values()) == before
