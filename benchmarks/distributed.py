"""1 vs 2 Locust worker processes on loopback: ``python benchmarks/distributed.py``.

Runs the same closed-model load (``--users`` FastHttpUsers without think time, requests spread
over ``--names`` request names) for ``--duration-s`` against nginx on 127.0.0.1 (``--target
demo``: the demo target instead) as one local process, as a master with one worker and as a
master with two workers, and prints a table: requests per second the generator recorded, what
the target served, and the bytes per second each worker's genesis-load wire data cost (the
time-stamped interval stores in Locust's reports, measured on the master as msgpack bytes,
Locust's own encoding). A worker process saturates one core: on a 2-core machine shared with
the target, the second worker mostly competes with the target for CPU.

Only 127.0.0.1 is targeted; every run is bounded in time; every process is stopped by PID.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _nginx import Nginx
from rich.console import Console
from rich.table import Table

from genesis_load.suite.workers import free_port, master_args, start_workers, stop_workers

LOCUSTFILE = """
import json, os, msgpack
from locust import FastHttpUser, events, task
import genesis_load  # noqa: F401  (the plugin: recording, the wire)

NAMES = int(os.environ["BENCH_NAMES"])
wire_bytes = {}


@events.worker_report.add_listener
def _count(client_id, data, **_):
    payload = data.get("genesis_load")
    if payload:
        wire_bytes[client_id] = wire_bytes.get(client_id, 0) + len(msgpack.packb(payload))


@events.quitting.add_listener
def _dump(**_):
    path = os.environ.get("BENCH_WIRE_PATH")
    if path and wire_bytes:
        with open(path, "w") as f:
            json.dump(wire_bytes, f)


class Load(FastHttpUser):
    n = 0

    @task
    def hit(self):
        Load.n += 1
        self.client.get(os.environ["BENCH_PATH"], name=f"/name{Load.n % NAMES}")
"""


def run(
    mode: str, host: str, path: str, users: int, duration_s: int, names: int, tmp: Path
) -> dict[str, float]:
    locustfile = tmp / "bench_locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    out = tmp / f"{mode}.json"
    wire = tmp / f"{mode}.wire.json"
    env = {
        **os.environ,
        "BENCH_NAMES": str(names),
        "BENCH_WIRE_PATH": str(wire),
        "BENCH_PATH": path,
    }
    base = [sys.executable, "-m", "locust", "-f", str(locustfile), "--loglevel", "WARNING"]
    cmd = [*base, "--headless", "-u", str(users), "-r", str(users), "-t", f"{duration_s}s",
           "--host", host, "--summary-json", str(out), "--only-summary",
           "--no-genesis-summary", "--no-host-check"]  # fmt: skip
    workers = {"1 process": 0, "master + 1 worker": 1, "master + 2 workers": 2}[mode]
    port = free_port()
    if workers:
        cmd += master_args(workers, port)
    started = time.monotonic()
    master = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # fmt: skip
    procs = start_workers(base, workers, port, env) if workers else []
    try:
        master.wait(duration_s + 90)
    finally:
        if master.poll() is None:
            master.kill()
            master.wait()
        stop_workers(procs)
    wall_s = time.monotonic() - started
    doc = json.loads(out.read_text())
    m = doc["metrics"]
    per_worker = json.loads(wire.read_text()) if wire.exists() else {}
    run_s = float(doc["meta"]["duration_s"])
    return {
        "reqs": float(m["http_reqs"]["values"]["count"]),
        "rps": float(m["http_reqs"]["values"]["count"]) / run_s,
        "p95": float(m["http_req_duration"]["values"]["p(95)"]),
        "wire_bps": (sum(per_worker.values()) / len(per_worker) / run_s) if per_worker else 0.0,
        "wall_s": wall_s,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration-s", type=int, default=10)
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--names", type=int, default=50)
    ap.add_argument("--target", choices=("nginx", "demo"), default="nginx")
    args = ap.parse_args()
    if not 1 <= args.duration_s <= 120:
        ap.error("--duration-s must be within 1..120")
    table = Table(title=f"{args.users} users, {args.names} request names, {args.duration_s} s, "
                        f"{args.target} on 127.0.0.1, {os.cpu_count()} cores")  # fmt: skip
    for col in (
        "processes",
        "recorded req/s",
        "served",
        "recorded",
        "p95 ms",
        "wire B/s per worker",
    ):
        table.add_column(col, justify="right")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if args.target == "nginx":
            target_cm: object = Nginx(cpu=0)
        else:
            from genesis_load.target import TargetProcess

            target_cm = TargetProcess().start()
        try:
            host = target_cm.url if isinstance(target_cm, Nginx) else target_cm.base_url  # type: ignore[attr-defined]
            for mode in ("1 process", "master + 1 worker", "master + 2 workers"):
                before = _served(target_cm)
                path = "/" if args.target == "nginx" else "/health"
                r = run(mode, host, path, args.users, args.duration_s, args.names, tmp)
                served = _served(target_cm) - before
                wire = f"{r['wire_bps']:,.0f}" if r["wire_bps"] else "-"
                cells = (f"{r['rps']:,.0f}", f"{served:,}", f"{r['reqs']:,.0f}", f"{r['p95']:.1f}")
                table.add_row(mode, *cells, wire)
        finally:
            if isinstance(target_cm, Nginx):
                target_cm.stop()
            else:
                target_cm.close()  # type: ignore[attr-defined]
    Console().print(table)


def _served(target: object) -> int:
    if isinstance(target, Nginx):
        return target.served()
    from prometheus_client.parser import text_string_to_metric_families

    text = target.metrics_text()  # type: ignore[attr-defined]
    return sum(
        int(s.value)
        for family in text_string_to_metric_families(text)
        if family.name == "genesis_http_requests"
        for s in family.samples
        if s.name.endswith("_total")
    )


if __name__ == "__main__":
    main()
