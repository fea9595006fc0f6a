"""Ctrl-C and SIGTERM on an open-model (ScenarioShape) run: results written, marked, exit 105.

Before: Locust's shape path swallowed Ctrl-C (``interrupted: false``, exit 0, report READY),
and SIGTERM killed the process before Locust installed its handler (exit 143, no results).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.errors import EXIT_INTERRUPTED
from genesis_load.target import TargetProcess
from tests.helpers import LOCUSTFILES, server_counts

pytestmark = pytest.mark.slow


def _signal_after(
    cmd: list[str], sig: signal.Signals, after_s: float, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Start a run, send it ``sig`` after ``after_s``, and wait (at most 60 s) for it to end."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        time.sleep(after_s)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, stdout, stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_a_signal_to_a_shape_run_writes_partial_results_and_exits_105(
    start_target: Callable[..., TargetProcess], tmp_path: Path, sig: signal.Signals
) -> None:
    target = start_target()
    out = tmp_path / "r.json"
    env = {
        **os.environ,
        "ARRIVAL_JSON": json.dumps({"executor": "constant-arrival-rate", "rate": 50,
                                    "duration": "30s", "preAllocatedVUs": 5}),
    }  # fmt: skip
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILES / "arrival.py"), "--headless",
        "--host", target.base_url, "--summary-json", str(out), "--loglevel", "WARNING",
    ]  # fmt: skip
    returncode, stdout, stderr = _signal_after(cmd, sig, 4.0, env)
    assert returncode == EXIT_INTERRUPTED, stderr[-2000:]
    doc = json.loads(out.read_text())
    meta = doc["meta"]
    assert meta["interrupted"] is True and meta["ended"] == "interrupted"
    assert meta["interrupted_by"] == sig.name
    assert meta["duration_s"] < 15, "stopped early, not at the schedule's end"
    recorded = doc["metrics"]["http_reqs"]["values"]["count"]
    assert recorded == server_counts(target.metrics_text())[("/health", "GET", "200")]
    assert "genesis-load summary" in stdout


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_a_signal_that_lands_in_a_busy_vu_loses_no_request(
    start_target: Callable[..., TargetProcess], tmp_path: Path, sig: signal.Signals
) -> None:
    """Before: the handler raised KeyboardInterrupt in whichever greenlet was running, so a VU
    busy inside a request's measurement died with it: the server had answered a request the
    results never counted (1 in ~20 signals at 50/s; nearly every one here, 80% busy)."""
    target = start_target()
    out = tmp_path / "r.json"
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILES / "busy.py"), "--headless",
        "--host", target.base_url, "--summary-json", str(out), "--loglevel", "WARNING",
    ]  # fmt: skip
    recorded = 0
    for attempt in range(3):  # 3 signals, each with an 80% chance to land in a VU
        returncode, _, stderr = _signal_after(cmd, sig, 3 + 0.013 * attempt)
        assert returncode == EXIT_INTERRUPTED, stderr[-2000:]
        assert "Traceback" not in stderr, stderr[-2000:]
        doc = json.loads(out.read_text())
        assert doc["meta"]["interrupted_by"] == sig.name
        served = server_counts(target.metrics_text())[("/health", "GET", "200")]
        recorded += int(doc["metrics"]["http_reqs"]["values"]["count"])
        assert recorded == served, f"after signal {attempt + 1}: recorded {recorded} of {served}"
