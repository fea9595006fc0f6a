"""Throughput of the demo target on one core: ``python benchmarks/target_throughput.py``.

Starts the target pinned to CPU core 0 and drives it from core 1 for ``--duration-s`` per
endpoint, on ``/health`` and on the cached read path with a warm cache, then prints a table
(endpoint, req/s, p50, p99, errors, server CPU share, and requests per server CPU-second: what
one fully available core would sustain, useful when the machine is shared). The load comes from
``wrk`` when it is installed (``apt-get install -y wrk``) and otherwise from a bounded
multi-process Python client, which is itself the bottleneck, so its numbers are a lower bound.

Only 127.0.0.1 is targeted; every run is bounded in time (and the Python client also in
request count); the target is stopped by PID at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import multiprocessing
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from rich.console import Console
from rich.table import Table

from genesis_load.target import TargetProcess

SERVER_CORE = 0
CLIENT_CORE = 1
WARM_IDS = 500
MAX_DURATION_S = 60.0
MAX_PY_REQUESTS_PER_WORKER = 2_000_000

_WRK_SCRIPT = """
local counter = 0
local cycle = tonumber(os.getenv("GENESIS_CYCLE_IDS") or "0")
request = function()
  if cycle > 0 then
    counter = counter + 1
    return wrk.format("GET", wrk.path .. ((counter % cycle) + 1))
  end
  return wrk.format("GET", wrk.path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("GENESIS_RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass(frozen=True)
class Result:
    endpoint: str
    client: str
    requests: int
    duration_s: float
    p50_us: float
    p99_us: float
    errors: int
    server_cpu_s: float

    @property
    def rate_per_s(self) -> float:
        return self.requests / self.duration_s if self.duration_s else 0.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # for the cached endpoint: a prefix completed with ids 1..WARM_IDS
    cycle_ids: int = 0


ENDPOINTS = (
    Endpoint("/health", "/health"),
    Endpoint("/api/v1/cached/workouts/{id} (warm)", "/api/v1/cached/workouts/", WARM_IDS),
)


def server_cpu_s(target: TargetProcess) -> float:
    for family in text_string_to_metric_families(target.metrics_text()):
        if family.name == "process_cpu_seconds":
            return float(family.samples[0].value)
    return float("nan")


def run_wrk(base_url: str, endpoint: Endpoint, duration_s: float, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT)
    try:
        out = subprocess.run(
            [
                "taskset", "-c", str(CLIENT_CORE), "wrk", "-t1", f"-c{connections}",
                f"-d{duration_s:g}s", "--timeout", "5s", "-s", script.name,
                f"{base_url}{endpoint.path}",
            ],
            capture_output=True, text=True, timeout=duration_s + 30, check=True,
            env={**os.environ, "GENESIS_CYCLE_IDS": str(endpoint.cycle_ids)},
        ).stdout  # fmt: skip
    finally:
        Path(script.name).unlink()
    line = next(ln for ln in out.splitlines() if ln.startswith("GENESIS_RESULT"))
    count, duration_us, p50_us, p99_us, errors = (int(x) for x in line.split()[1:])
    return Result(endpoint.name, "wrk", count, duration_us / 1e6, p50_us, p99_us, errors, 0.0)


def _python_worker(
    args: tuple[int, Endpoint, float, int],
) -> tuple[int, int, list[float], float]:
    """One client process on CLIENT_CORE: keep-alive GETs until the deadline."""
    port, endpoint, duration_s, worker = args
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {CLIENT_CORE})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    latencies_us: list[float] = []
    errors = 0
    started_s = time.perf_counter()
    deadline = started_s + duration_s
    n = worker
    while time.perf_counter() < deadline and len(latencies_us) < MAX_PY_REQUESTS_PER_WORKER:
        n += 1
        path = (
            f"{endpoint.path}{n % endpoint.cycle_ids + 1}" if endpoint.cycle_ids else endpoint.path
        )
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            continue
        latencies_us.append((time.perf_counter() - started) * 1e6)
    conn.close()
    return len(latencies_us), errors, latencies_us, time.perf_counter() - started_s


def run_python(port: int, endpoint: Endpoint, duration_s: float, workers: int) -> Result:
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        parts = pool.map(_python_worker, [(port, endpoint, duration_s, w) for w in range(workers)])
    elapsed_s = max(part[3] for part in parts)  # the workers' load windows overlap
    latencies = sorted(lat for part in parts for lat in part[2])
    if len(latencies) >= 100:
        cuts = statistics.quantiles(latencies, n=100)
        p50, p99 = cuts[49], cuts[98]
    else:
        p50 = p99 = float("nan")
    count = sum(part[0] for part in parts)
    errors = sum(part[1] for part in parts)
    return Result(endpoint.name, "python", count, elapsed_s, p50, p99, errors, 0.0)


def warm_cache(base_url: str, endpoint: Endpoint) -> None:
    for row_id in range(1, endpoint.cycle_ids + 1):
        with urllib.request.urlopen(f"{base_url}{endpoint.path}{row_id}", timeout=5) as resp:
            resp.read()


def print_table(results: list[Result], console: Console) -> None:
    table = Table(title="genesis-load demo target, server on core 0, client on core 1")
    columns = ("endpoint", "client", "req/s", "p50", "p99", "errors", "server CPU", "req/CPU-s")
    for column in columns:
        table.add_column(column, justify="left" if column == "endpoint" else "right", no_wrap=True)
    for r in results:
        table.add_row(
            r.endpoint,
            r.client,
            f"{r.rate_per_s:,.0f}",
            f"{r.p50_us / 1000:.2f} ms",
            f"{r.p99_us / 1000:.2f} ms",
            f"{r.errors:,}",
            f"{100 * r.server_cpu_s / r.duration_s:.0f} %",
            f"{r.requests / r.server_cpu_s:,.0f}" if r.server_cpu_s > 0 else "-",
        )
    console.print(table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration-s", type=float, default=10.0, help="per endpoint, max 60")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--py-workers", type=int, default=4, help="Python client processes")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    duration_s = min(args.duration_s, MAX_DURATION_S)
    console = Console(width=120)
    if (os.cpu_count() or 1) < 2:
        console.print("[yellow]fewer than 2 cores: server and client will share a core[/]")
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    if args.client == "auto" and not use_wrk:
        console.print("wrk not found (apt-get install -y wrk); using the Python client instead")
    results: list[Result] = []
    with TargetProcess(["--cache-ttl-s", "3600"], cpu_affinity={SERVER_CORE}) as t:
        console.print(f"target pid {t.pid} at {t.base_url}, pinned to core {SERVER_CORE}")
        for endpoint in ENDPOINTS:
            if endpoint.cycle_ids:
                warm_cache(t.base_url, endpoint)
            cpu_before = server_cpu_s(t)
            if use_wrk:
                result = run_wrk(t.base_url, endpoint, duration_s, args.connections)
            else:
                result = run_python(t.port, endpoint, duration_s, args.py_workers)
            cpu = server_cpu_s(t) - cpu_before
            results.append(dataclasses.replace(result, server_cpu_s=cpu))
    print_table(results, console)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
