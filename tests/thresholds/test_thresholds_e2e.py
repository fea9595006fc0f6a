"""Thresholds, checks and groups in real Locust runs: verdicts and exit codes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from genesis_load.errors import (
    EXIT_ABORTED,
    EXIT_CONFIG_ERROR,
    EXIT_THRESHOLDS_FAILED,
)
from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow


def _run(host: str, tmp: Path, thresholds: dict[str, Any], *args: str, run_time: str = "4s"):  # type: ignore[no-untyped-def]
    out = tmp / "r.json"
    proc = run_locust(
        "judged.py", host, "--summary-json", str(out), *args, run_time=run_time, users=4,
        env={"THRESHOLDS_JSON": json.dumps(thresholds)},
    )  # fmt: skip
    doc = json.loads(out.read_text()) if out.exists() else None
    return proc, doc


def test_passing_thresholds_exit_0_and_show_checks_and_groups(
    target: TargetProcess, tmp_path: Path
) -> None:
    proc, doc = _run(
        target.base_url, tmp_path,
        {"http_req_duration": ["p(95)<2000", "max<5000"], "http_req_failed": ["rate<0.01"],
         "checks": ["rate>0.99"], "checks{check:says ok}": ["rate==1"],
         "http_req_duration{group:::onboarding}": ["count>5"]},
        "--threshold", "http_reqs: count>10",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert doc is not None
    assert doc["verdict"] == {"thresholds_ok": True, "aborted": None, "exit_code": 0}
    assert len(doc["thresholds"]) == 7 and all(t["ok"] for t in doc["thresholds"])
    m = doc["metrics"]
    assert m["checks"]["values"]["rate"] == 1.0
    assert m["checks{check:says ok}"]["values"]["passes"] > 0
    assert m["http_req_duration"]["thresholds"]["p(95)<2000"] == {"ok": True}
    grouped = m["http_req_duration{group:::onboarding}"]["values"]["count"]
    assert grouped == m["http_reqs"]["values"]["count"]
    assert m["group_duration"]["values"]["count"] > 0
    assert "✓" in proc.stdout and "thresholds passed" in proc.stdout


def test_a_failing_threshold_exits_99_and_names_it(target: TargetProcess, tmp_path: Path) -> None:
    proc, doc = _run(target.base_url, tmp_path, {"http_req_duration": ["p(95)<0.001", "max<60000"]})
    assert proc.returncode == EXIT_THRESHOLDS_FAILED, proc.stderr
    assert doc is not None
    assert [t["ok"] for t in doc["thresholds"]] == [False, True]
    assert doc["thresholds"][0]["observed"] > 0.001
    assert "✗" in proc.stdout and "1 of 2 thresholds failed" in proc.stdout


def test_abort_on_fail_ends_the_run_early_and_says_why(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target("--latency-ms", "100")
    started = time.monotonic()
    proc, doc = _run(
        target.base_url, tmp_path,
        {"http_req_duration": [{"threshold": "p(95)<20", "abortOnFail": True,
                                "delayAbortEval": "1s"}]},
        "--threshold-eval-interval", "0.5", run_time="60s",
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert proc.returncode == EXIT_ABORTED, proc.stderr
    assert elapsed < 30
    assert doc is not None
    assert doc["meta"]["duration_s"] < 20
    assert "p(95)<20" in doc["verdict"]["aborted"]
    assert doc["thresholds"][0]["aborted_run"] is True
    assert "aborted" in proc.stdout


def test_exit_code_on_error_applies_only_without_thresholds(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target("--error-rate", "0.5")
    proc, _ = _run(target.base_url, tmp_path, {}, "--exit-code-on-error", "3")
    assert proc.returncode == 3, "no thresholds: Locust's --exit-code-on-error decides"
    proc, doc = _run(
        target.base_url, tmp_path, {"http_req_failed": ["rate<0.9"]}, "--exit-code-on-error", "3"
    )
    assert proc.returncode == 0, "thresholds declared: they decide, and rate<0.9 passed"
    assert doc is not None and 0.2 < doc["thresholds"][0]["observed"] < 0.8


def test_bad_thresholds_fail_before_any_load_with_every_problem(
    target: TargetProcess, tmp_path: Path
) -> None:
    before = sum(server_counts(target.metrics_text()).values())
    proc, doc = _run(
        target.base_url, tmp_path,
        {"http_req_duration": ["p95<500"], "no_such_metric": ["avg<1"]},
        "--threshold", "http_req_failed: avg<1", "--threshold", "checks{check: rate>1",
    )  # fmt: skip
    assert proc.returncode == EXIT_CONFIG_ERROR
    assert doc is None
    for fragment in (
        "expected '(' after 'p'",
        "unknown metric 'no_such_metric'",
        "'avg' does not apply to rate metric 'http_req_failed'",
        "--threshold 'checks{check: rate>1'",
    ):
        assert fragment in proc.stderr, fragment
    time.sleep(0.2)
    assert sum(server_counts(target.metrics_text()).values()) == before
