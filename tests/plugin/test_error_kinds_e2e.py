"""Failures by kind, counted at the target: no hidden retries, no invisible iteration errors.

Before: FastHttpUser silently resent dropped requests (600 recorded, 0% failed; the target saw
721 and dropped 121), every transport error was ``status 0`` with no kind, and a task that
raised showed only in Locust's log.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow

ROUTE = "/api/v1/users/{id}"


def _run(host: str, case: str, tmp_path: Path, users: int = 4, *extra: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "r.json"
    proc = run_locust(
        "faulty.py", host, "--summary-json", str(out), *extra, run_time="3s", users=users,
        env={"ERROR_CASE": case},
    )  # fmt: skip
    assert out.exists(), proc.stderr[-3000:]
    doc: dict = json.loads(out.read_text())  # type: ignore[type-arg]
    return doc


def _count(doc: dict, key: str) -> int:  # type: ignore[type-arg]
    entry = doc["metrics"].get(key)
    return int(entry["values"]["count"]) if entry else 0


def test_dropped_connections_are_failures_and_the_count_is_what_the_target_saw(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target("--drop-rate", "0.2", "--fault-path", "/api/v1/users")
    doc = _run(target.base_url, "drop", tmp_path)
    served = server_counts(target.metrics_text())
    dropped = served.get((ROUTE, "GET", "444"), 0)
    seen = sum(n for (route, _, _), n in served.items() if route == ROUTE)
    assert dropped > 10, served
    assert _count(doc, "http_reqs") == seen, "every request the target saw, and no more"
    failed = doc["metrics"]["http_req_failed"]["values"]["passes"]
    assert failed == dropped == _count(doc, "http_reqs{error:reset}")


def test_an_unreachable_host_fails_fast_and_without_the_check_is_kind_refused(
    tmp_path: Path,
) -> None:
    with socket.socket() as s:  # a port nothing listens on (bound, never listening)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        host = f"http://127.0.0.1:{port}"
        probed = run_locust("faulty.py", host, run_time="3s", env={"ERROR_CASE": "refused"})
        doc = _run(host, "refused", tmp_path, 1, "--no-host-check")
    # by default an unreachable host fails fast, before any load (exit 104, one clear line)
    assert probed.returncode == 104, probed.stderr[-2000:]
    assert f"host '{host}' is not reachable" in probed.stderr
    total = _count(doc, "http_reqs")
    assert total > 0 and _count(doc, "http_reqs{error:refused}") == total


def test_a_timeout_is_kind_timeout_and_5xx_are_http_5xx(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    slow = start_target("--latency-ms", "2000", "--fault-path", "/api/v1/users")
    doc = _run(slow.base_url, "timeout", tmp_path, users=2)
    assert _count(doc, "http_reqs{error:timeout}") == _count(doc, "http_reqs") > 0
    failing = start_target("--error-rate", "0.5", "--fault-path", "/api/v1/users")
    doc = _run(failing.base_url, "error", tmp_path)
    served = server_counts(failing.metrics_text())
    assert _count(doc, "http_reqs{error:http_5xx}") == served[(ROUTE, "GET", "500")]


def test_an_iteration_that_raises_is_counted_by_exception(
    target: TargetProcess, tmp_path: Path
) -> None:
    doc = _run(target.base_url, "raise", tmp_path, users=2)
    errors = _count(doc, "iteration_errors")
    assert errors > 0 and errors == _count(doc, "iteration_errors{exception:ValueError}")
    assert errors == _count(doc, "http_reqs")  # one request, then the raise, per iteration
