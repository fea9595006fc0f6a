"""Running a real distributed Locust run (a master and workers, or ``--processes``) in tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genesis_load.metrics.sinks import TrendSink
from genesis_load.metrics.stats import STORED_PER_UNIT
from tests.helpers import server_counts

LOCUSTFILE = Path(__file__).parent / "dist_locustfile.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class DistRun:
    returncode: int
    stderr: str
    doc: dict[str, Any]
    raw_ms: list[float]
    worker_pids: list[int] = field(default_factory=list)
    #: How many raw samples each process (by PID) recorded.
    raw_by_pid: dict[int, int] = field(default_factory=dict)

    @property
    def metrics(self) -> dict[str, Any]:
        return self.doc["metrics"]  # type: ignore[no-any-return]

    def count(self, metric: str) -> float:
        return float(self.metrics.get(metric, {}).get("values", {}).get("count", 0))

    def per_second(self, key: str = "http_reqs") -> list[float]:
        return [p["metrics"].get(key, {}).get("count", 0) for p in self.doc["series"]["points"]]

    def raw_histogram(self) -> TrendSink:
        sink = TrendSink()
        for v in self.raw_ms:
            sink.add(round(v * STORED_PER_UNIT))
        return sink


def _start_worker(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[str]:
    """A worker process; its log goes to ``log`` (read it when a test fails)."""
    with log.open("w") as err:
        return subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            text=True,
            start_new_session=True,
        )


def health_count(metrics_text: str) -> int:
    return sum(
        n
        for (route, method, _), n in server_counts(metrics_text).items()
        if route == "/health" and method == "GET"
    )


def run_distributed(
    host: str,
    tmp_path: Path,
    *,
    mode: str = "master",
    workers: int = 2,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    kill_one_after_s: float | None = None,
    add_worker_after_s: float | None = None,
    timeout_s: float = 120,
) -> DistRun:
    """A master and ``workers`` workers (``mode="master"``), or ``--processes`` (``"processes"``).

    ``kill_one_after_s``: SIGKILL the last worker (by its PID) that long after the start.
    ``add_worker_after_s``: start one more worker that long after the start (it joins mid-run).
    """
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir(exist_ok=True)
    out = tmp_path / "results.json"
    full_env = {**os.environ, "RAW_DIR": str(raw_dir), **(env or {})}
    base = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--loglevel", "INFO"]
    common = ["--headless", "--host", host, "--summary-json", str(out), "--only-summary",
              "--no-genesis-summary", *args]  # fmt: skip
    started: list[subprocess.Popen[str]] = []
    try:
        if mode == "processes":
            master = subprocess.Popen(
                [*base, *common, "--processes", str(workers)],
                env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                start_new_session=True,
            )  # fmt: skip
            started.append(master)
        else:
            port = free_port()
            master = subprocess.Popen(
                [*base, *common, "--master", "--expect-workers", str(workers),
                 "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port)],
                env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                start_new_session=True,
            )  # fmt: skip
            started.append(master)
            worker_cmd = [*base, "--worker", "--master-host", "127.0.0.1",
                          "--master-port", str(port)]  # fmt: skip
            for n in range(workers):
                started.append(_start_worker(worker_cmd, full_env, tmp_path / f"worker-{n}.log"))
        if add_worker_after_s is not None:
            assert mode == "master", "a worker can join a master run only"
            time.sleep(add_worker_after_s)
            started.append(_start_worker(worker_cmd, full_env, tmp_path / "worker-joined.log"))
        if kill_one_after_s is not None:
            time.sleep(kill_one_after_s)
            os.kill(started[-1].pid, signal.SIGKILL)
        _, err = master.communicate(timeout=timeout_s)
        for p in started[1:]:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=30)
    finally:
        for p in started:
            if p.poll() is None:
                p.kill()
                p.wait()
    raw: list[float] = []
    raw_by_pid: dict[int, int] = {}
    for f in sorted(raw_dir.glob("*.txt")):
        values = [float(line) for line in f.read_text().split()]
        raw += values
        raw_by_pid[int(f.stem)] = len(values)
    doc = json.loads(out.read_text()) if out.exists() else {}
    pids = [p.pid for p in started[1:]]
    return DistRun(master.returncode, err, doc, raw, pids, raw_by_pid)
