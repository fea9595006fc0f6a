"""A master and two workers share one arrival-rate schedule; counted at the server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import LOCUSTFILES

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_together_send_the_configured_rate_exactly_once(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    target = start_target("--access-log", str(log))
    cfg = {
        "executor": "constant-arrival-rate",
        "rate": 200,
        "duration": "5s",
        "preAllocatedVUs": 10,
        "maxVUs": 40,
    }
    env = {**os.environ, "ARRIVAL_JSON": json.dumps(cfg)}
    port = _free_port()
    out = tmp_path / "r.json"
    locustfile = str(LOCUSTFILES / "arrival.py")
    master = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", locustfile, "--master", "--headless",
         "--expect-workers", "2", "--master-bind-host", "127.0.0.1",
         "--master-bind-port", str(port), "--host", target.base_url,
         "--summary-json", str(out), "--only-summary", "--loglevel", "WARNING"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                locustfile,
                "--worker",
                "--master-host",
                "127.0.0.1",
                "--master-port",
                str(port),
                "--loglevel",
                "WARNING",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        _, err = master.communicate(timeout=90)
        for w in workers:
            w.wait(timeout=30)
    finally:
        for p in (master, *workers):
            if p.poll() is None:
                p.kill()
                p.wait()
    assert master.returncode == 0, err[-3000:]
    target.stop()
    rows = [line.split() for line in log.read_text().splitlines()]
    arrivals = sorted(int(r[0]) for r in rows if len(r) >= 5 and r[2] == "/health")
    doc = json.loads(out.read_text())
    m = doc["metrics"]
    dropped = m.get("dropped_iterations", {}).get("values", {}).get("count", 0)
    assert dropped <= 10
    assert len(arrivals) == 1000 - dropped, "each hit sent once, by one worker"
    assert m["http_reqs"]["values"]["count"] == len(arrivals), "the master merged both workers"
    assert m["offered_iterations"]["values"]["count"] == 1000
    # interleaved, not in bursts: both workers' hits alternate every 5 ms
    per_100ms = Counter((a - arrivals[0]) // 100_000_000 for a in arrivals)
    steady = [per_100ms[b] for b in range(2, 48)]
    assert min(steady) >= 15 and max(steady) <= 25, steady
