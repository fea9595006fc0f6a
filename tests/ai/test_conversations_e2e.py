"""Real Locust runs: 15 conversations over the seven agents in one process, the same with a
master and two workers (merged exactly), and an API key that appears in no output."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from genesis_load.target import TargetProcess
from genesis_load.target.agents import AGENTS
from tests.ai.conftest import server_stats
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
CHAT_200 = ("/api/v1/agents/{name}/chat", "POST", "200")


def _count(metrics: dict[str, Any], key: str) -> float:
    values = metrics[key]["values"]
    return float(values.get("count", values.get("passes", 0) + values.get("fails", 0)))


def _check_merged(metrics: dict[str, Any], served: int) -> None:
    """Every turn sent reached the server once; per-agent sub-metrics add up to the total."""
    turns = _count(metrics, "ai_turns")
    assert turns == served > 0
    answered = _count(metrics, "ai_response_time")
    assert answered == metrics["ai_request_failed"]["values"]["fails"] == turns
    for metric in ("ai_response_time", "ai_ttft", "ai_quality"):
        per_agent = [_count(metrics, f"{metric}{{agent:{a}}}") for a in AGENTS]
        assert sum(per_agent) == _count(metrics, metric), metric
        per_pair = [
            _count(metrics, k)
            for k in metrics
            if k.startswith(f"{metric}{{agent:") and ",complexity:" in k
        ]
        assert sum(per_pair) == _count(metrics, metric), metric
    assert metrics["ai_quality"]["values"]["avg"] == 1.0
    assert metrics["ai_goodput"]["values"]["rate"] == 1.0


def test_15_conversations_over_all_agents_in_one_process(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target("--ai-speed", "20")
    out = tmp_path / "r.json"
    proc = run_locust(
        HERE / "conversations_locustfile.py", target.base_url,
        "--summary-json", str(out), "--stop-timeout", "20",
        "--threshold", "ai_response_time{agent:BLAZE,complexity:simple}: p(95)<20000",
        "--threshold", "ai_quality: avg>0.85",
        run_time="8s", users=15,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(out.read_text())
    assert [(t["metric"], t["ok"]) for t in doc["thresholds"]] == [
        ("ai_response_time{agent:BLAZE,complexity:simple}", True),
        ("ai_quality", True),
    ]
    metrics = doc["metrics"]
    assert metrics["ai_conversations_active"]["values"]["max"] == 15
    _check_merged(metrics, server_counts(target.metrics_text())[CHAT_200])
    # the per-agent sub-metrics are in the terminal summary too
    for agent in AGENTS:
        assert f"ai_response_time{{agent:{agent}}}" in proc.stdout, agent
        assert f"ai_response_time{{agent:{agent},complexity:simple}}" in proc.stdout, agent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_merge_exactly(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target("--ai-speed", "20")
    out, port = tmp_path / "r.json", _free_port()
    locustfile = str(HERE / "scenario_locustfile.py")
    common = [sys.executable, "-m", "locust", "-f", locustfile, "--loglevel", "WARNING"]
    master = subprocess.Popen(
        [*common, "--master", "--headless", "--expect-workers", "2",
         "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
         "--host", target.base_url,
         "--summary-json", str(out), "--only-summary"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [*common, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        _, err = master.communicate(timeout=120)
        for w in workers:
            w.wait(timeout=30)
    finally:
        for p in (master, *workers):
            if p.poll() is None:
                p.kill()
                p.wait()
    assert master.returncode == 0, err[-3000:]
    metrics = json.loads(out.read_text())["metrics"]
    _check_merged(metrics, server_counts(target.metrics_text())[CHAT_200])


def test_the_api_key_is_sent_and_never_written(openai_server: str, tmp_path: Path) -> None:
    key = "sk-planted-0123456789abcdef"
    server_stats(openai_server, clear=True)
    out = tmp_path / "out"
    out.mkdir()
    proc = run_locust(
        HERE / "openai_locustfile.py", openai_server,
        "--summary-json", str(out / "chat.json"), "--csv", str(out / "locust"),
        "--out", f"csv={out / 'metrics.csv'}", "--hdr-log", str(out / "run.hlog"),
        "--logfile", str(out / "locust.log"), "--loglevel", "INFO",
        run_time="4s", users=3, env={"GL_AI_KEY": key},
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    served = server_stats(openai_server)
    assert {r["auth"] for r in served} == {f"Bearer {key}"}, "every request carried the key"
    assert any(r["model"] == "echoauth" for r in served), "the server echoed it back"
    metrics = json.loads((out / "chat.json").read_text())["metrics"]
    assert metrics["ai_failures{reason:http_error}"]["values"]["count"] > 0
    report = subprocess.run(
        [sys.executable, "-m", "genesis_load.cli", "report", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (out / "report.md").exists(), report.stderr[-2000:]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 8
    for path in files:
        assert key.encode() not in path.read_bytes(), path.name
    for text in (proc.stdout, proc.stderr, report.stdout, report.stderr):
        assert key not in text
    # the server's 401 body, quoted in Locust's failures, had the bare key: redacted there
    assert "Incorrect API key provided: [redacted]" in (out / "locust_failures.csv").read_text()


def test_a_missing_key_stops_before_any_request(openai_server: str) -> None:
    server_stats(openai_server, clear=True)
    env = {k: v for k, v in os.environ.items() if k != "GL_AI_KEY"}
    proc = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(HERE / "openai_locustfile.py"), "--headless",
         "-u", "2", "-r", "2", "-t", "2s", "--host", openai_server, "--only-summary"],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert "GL_AI_KEY is not set" in proc.stderr
    assert proc.stderr.count("GL_AI_KEY is not set") == 1
    assert server_stats(openai_server) == []
