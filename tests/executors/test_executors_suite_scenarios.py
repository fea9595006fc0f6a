"""The packaged seed scenarios through real Locust: scheduled load only, counted at the server."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import server_counts

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _run(locustfile: str, host: str, out: Path, rate: float, time: float, *args: str):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "locustfiles" / locustfile),
         "--headless", "--host", host, "--only-summary", "--summary-json", str(out), *args],
        capture_output=True, text=True, timeout=180, check=False,
        env={**__import__("os").environ, "GENESIS_RATE_FACTOR": str(rate),
             "GENESIS_TIME_FACTOR": str(time)},
    )  # fmt: skip


def test_baseline_sends_exactly_the_scheduled_iterations(
    target: TargetProcess, tmp_path: Path
) -> None:
    before = sum(server_counts(target.metrics_text()).values())
    out = tmp_path / "baseline.json"
    proc = _run("baseline.py", target.base_url, out, rate=1.0, time=6 / 300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(out.read_text())
    m = doc["metrics"]
    served = sum(server_counts(target.metrics_text()).values()) - before
    assert m["offered_iterations"]["values"]["count"] == 600
    assert m["iterations"]["values"]["count"] == m["http_reqs"]["values"]["count"] == served
    assert doc["verdict"]["thresholds_ok"], doc["thresholds"]
    assert doc["meta"]["stages"] == {"steady": [0.0, 6.0]}


def test_spike_sheds_load_and_the_analysis_reports_recovery(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    # a small target: 8 in flight, 20 ms each -> ~400/s capacity; the spike offers 750/s
    target = start_target("--max-inflight", "8", "--latency-ms", "20")
    out = tmp_path / "spike.json"
    proc = _run("spike.py", target.base_url, out, 0.5, 0.05, "--breaking-sustain", "1")
    assert proc.returncode == 99, proc.stderr[-3000:]  # the seed's error-rate target fails
    doc = json.loads(out.read_text())
    a = doc["analysis"]
    assert set(doc["meta"]["stages"]) == {"warm", "surge", "spike", "drop", "recovery"}
    assert a["shed"]["by_stage"]["spike"]["share"] > 0.2
    assert a["shed"]["by_stage"]["warm"]["share"] == 0.0
    shed_503 = server_counts(target.metrics_text())
    assert a["shed"]["count"] == sum(v for (_, _, s), v in shed_503.items() if s == "503")
    assert a["breaking_point"] is not None
    assert a["breaking_point"]["offered_rps"] > 300
    assert a["recovery"]["recovery_time_s"] is not None
    assert 0 <= a["recovery"]["recovery_time_s"] < 8
    failed = [t for t in doc["thresholds"] if not t["ok"]]
    assert any(t["metric"] == "http_req_failed" for t in failed)


def test_an_arrival_user_with_extra_tasks_is_refused() -> None:
    code = (
        "from locust import FastHttpUser, task\n"
        "from genesis_load.executors import ArrivalRateUser, preset\n"
        "class Bad(ArrivalRateUser, FastHttpUser):\n"
        "    scenario = preset('baseline')\n"
        "    def iteration(self): pass\n"
        "    @task\n"
        "    def extra(self): pass\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode != 0
    assert "remove the @task methods ['extra']" in proc.stderr
