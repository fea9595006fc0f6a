"""A real Prometheus server scrapes ``--out prometheus`` during a run and agrees with the results.

Debian's ``prometheus`` package (``.ci/run`` installs it) is started here on 127.0.0.1 with a
temporary config and storage folder, scraping every second; a ``genesis_load.run()`` exports
on a free port and lingers long enough for a last scrape; a PromQL query through Prometheus'
HTTP API must return the run's exact request count.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from locust import FastHttpUser, task

import genesis_load
from genesis_load.target import TargetProcess

pytestmark = pytest.mark.slow

PROMETHEUS = shutil.which("prometheus")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Health(FastHttpUser):
    @task
    def health(self) -> None:
        self.client.get("/health")


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """(Prometheus API base URL, the port it scrapes genesis-load on)."""
    if PROMETHEUS is None:
        pytest.skip("the prometheus binary is not installed (Debian: apt-get install prometheus)")
    scrape_port, web_port = _free_port(), _free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "scrape_configs:\n  - job_name: genesis_load\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{scrape_port}']\n"
    )
    log = (tmp_path / "prometheus.log").open("w")
    proc = subprocess.Popen(
        [
            PROMETHEUS,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{web_port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            # ready, and the scrape target known (Prometheus applies target sets every 5 s)
            try:
                with urllib.request.urlopen(f"{base}/api/v1/targets", timeout=2) as resp:
                    if json.loads(resp.read())["data"]["activeTargets"]:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                text = (tmp_path / "prometheus.log").read_text()
                pytest.fail(f"prometheus did not start:\n{text}")
            time.sleep(0.2)
        yield base, scrape_port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _query(base: str, promql: str) -> list[dict[str, Any]]:
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
    with urllib.request.urlopen(url, timeout=5) as resp:
        answer = json.loads(resp.read())
    assert answer["status"] == "success", answer
    result: list[dict[str, Any]] = answer["data"]["result"]
    return result


@pytest.mark.usefixtures("collect_locust_clients")
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning"
)
def test_prometheus_scrapes_the_run_and_counts_every_request(
    prometheus: tuple[str, int], target: TargetProcess
) -> None:
    base, port = prometheus
    result = genesis_load.run(
        Health,
        rate=30,
        duration="3s",
        host=target.base_url,
        thresholds={"http_req_duration": ["p(95)<1000"]},
        out=[f"prometheus=127.0.0.1:{port},linger=3s"],
    )
    assert result.passed
    count = result.metric("http_reqs").count
    assert count == pytest.approx(90, abs=2)  # scrapes never stall the schedule
    found = _query(base, "sum(max_over_time(genesis_load_http_reqs_total[5m]))")
    assert [float(r["value"][1]) for r in found] == [count]
    by_name = _query(base, "sum by (name) (max_over_time(genesis_load_http_reqs_total[5m]))")
    assert {r["metric"]["name"]: float(r["value"][1]) for r in by_name} == {"/health": count}
    p95 = _query(
        base,
        'max_over_time(genesis_load_trend_quantile{metric="http_req_duration",name="",'
        'quantile="0.95"}[5m])',
    )
    assert len(p95) == 1 and float(p95[0]["value"][1]) > 0
    live = _query(base, "min_over_time(genesis_load_threshold_live_ok[5m])")
    assert [(r["metric"]["expression"], float(r["value"][1])) for r in live] == [
        ("p(95)<1000", 1.0)
    ]
    ok = _query(base, "max_over_time(genesis_load_threshold_ok[5m])")
    assert [(r["metric"]["expression"], float(r["value"][1])) for r in ok] == [("p(95)<1000", 1.0)]
