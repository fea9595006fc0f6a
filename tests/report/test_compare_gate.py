"""``genesis-load compare`` as a CI gate on real runs: identical runs pass, a 2x slowdown fails.

Three in-process runs (``genesis_load.run``) of the same open-model load against one demo
target, after a short warm-up run: two back to back with a 10 ms latency fault (the same
configuration: any difference is noise), then one with a 22 ms fault (p95 about doubled). The
results files go through the real command line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from locust import FastHttpUser, task

import genesis_load
from genesis_load.cli import main
from genesis_load.target import TargetProcess

pytestmark = pytest.mark.slow


class Health(FastHttpUser):
    @task
    def health(self) -> None:
        self.client.get("/health")


@pytest.mark.usefixtures("collect_locust_clients")
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning"
)
def test_identical_runs_pass_and_a_doubled_latency_fails(
    start_target: Callable[..., TargetProcess], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = start_target()

    def run(name: str, latency_ms: float, duration_s: float = 4) -> str:
        target.set_faults({"latency_ms": latency_ms})
        path = tmp_path / f"{name}.json"
        result = genesis_load.run(
            Health, rate=100, duration=duration_s, host=target.base_url, out=[f"json={path}"]
        )
        assert result.metric("http_reqs").count >= 100 * duration_s - 10
        return str(path)

    run("warm-up", 10, 1)  # the process's first connections and imports
    first, second = run("first", 10), run("second", 10)
    slow = run("slow", 22)
    capsys.readouterr()

    same = tmp_path / "same.json"
    assert main(["compare", first, second, "--json", str(same)]) == 0, capsys.readouterr().out
    rows = json.loads(same.read_text())["rows"]
    assert not any(r["regressions"] for r in rows)

    worse = tmp_path / "worse.json"
    assert main(["compare", first, slow, "--json", str(worse)]) == 1, capsys.readouterr().out
    overall = next(r for r in json.loads(worse.read_text())["rows"] if r["endpoint"] is None)
    assert overall["new"]["p95_ms"] - overall["old"]["p95_ms"] > 6  # the faults differ by 12 ms
    assert [r.split()[0] for r in overall["regressions"]] == ["p95"]
