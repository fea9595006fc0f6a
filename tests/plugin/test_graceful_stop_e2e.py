"""Requests in flight when ``-t`` ends are finished and recorded: recorded = served, always.

Before: Locust killed users mid-request at the end of ``-t`` (``--stop-timeout 0``), so
requests that reached the target were never recorded (159 recorded, 162 served, now and then).
genesis-load gives in-flight iterations k6's gracefulStop (30 s by default).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow

ROUTE = "/api/v1/users/{id}"


def _recorded_and_served(
    start_target: Callable[..., TargetProcess], tmp_path: Path, *extra: str
) -> tuple[int, int]:
    # every request takes 400 ms, so when -t ends nearly every user is in the middle of one
    target = start_target("--latency-ms", "400", "--fault-path", "/api/v1/users")
    out = tmp_path / f"r{len(extra)}.json"
    proc = run_locust(
        "faulty.py", target.base_url, "--summary-json", str(out), *extra,
        run_time="2s", users=6, env={"ERROR_CASE": "slow"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    recorded = json.loads(out.read_text())["metrics"]["http_reqs"]["values"]["count"]
    # every request the target saw on the route, answered or cut off by the client (499)
    served = sum(n for (route, _, _), n in server_counts(target.metrics_text()).items()
                 if route == ROUTE)  # fmt: skip
    return int(recorded), served


def test_in_flight_requests_finish_and_are_recorded_when_the_run_time_ends(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    recorded, served = _recorded_and_served(start_target, tmp_path)
    assert recorded == served > 0


def test_without_a_graceful_stop_in_flight_requests_are_lost(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    """The defect, reproduced on purpose: users killed mid-request are never recorded."""
    recorded, served = _recorded_and_served(start_target, tmp_path, "--graceful-stop", "0")
    assert served > recorded
