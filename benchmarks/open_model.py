"""The highest constant arrival rate one Locust process holds within 1%, against nginx.

    python benchmarks/open_model.py [--rates 500,1000,2000,3000,4000] [--seconds 10]

nginx (installed from Debian if missing) runs pinned to core 1 and counts every request in its
access log; one Locust process runs pinned to core 0. For each rate, two ways of asking for it:

- genesis-load's open model: a ``constant-arrival-rate`` scenario (tests/locustfiles/arrival.py);
- plain Locust: FastHttpUser with ``constant_throughput(10)``, rate / 10 users.

A rate is *held* when nginx counted, over the steady window (after a 3 s warm-up), within 1%
of rate x window, and the arrivals were spread (fewer than 5% of 10-ms slots empty at 1000/s and
above would show bursts; reported, not required). Prints one table.
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

sys.path.insert(0, str(Path(__file__).parent))

from _nginx import Nginx

ROOT = Path(__file__).resolve().parents[1]
CLOSED = """
from locust import FastHttpUser, constant_throughput, task
class Closed(FastHttpUser):
    wait_time = constant_throughput(10)
    @task
    def hit(self):
        self.client.get("/", name="/")
"""


def _run(cmd: list[str], env: dict[str, str], nginx: Nginx, seconds: int) -> tuple[float, int]:
    """Requests/s nginx counted in the steady window, and the process's exit code."""
    proc = subprocess.Popen(
        ["taskset", "-c", "0", *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(3)  # start-up, VU spawn, connection set-up
        c1, t1 = nginx.served(), time.monotonic()
        time.sleep(seconds)
        c2, t2 = nginx.served(), time.monotonic()
        proc.wait(timeout=seconds + 120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return (c2 - c1) / (t2 - t1), proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rates", default="500,1000,2000,3000,4000,5000")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, Nginx(cpu=1) as nginx:
        closed = Path(tmp, "closed.py")
        closed.write_text(CLOSED)
        for rate in rates:
            total_s = args.seconds + 6
            cfg = {
                "executor": "constant-arrival-rate",
                "rate": rate,
                "duration": f"{total_s}s",
                "preAllocatedVUs": max(20, rate // 50),
                "maxVUs": max(100, rate // 5),
            }
            env = {**os.environ, "ARRIVAL_JSON": json.dumps(cfg), "PYTHONPATH": str(ROOT)}
            open_cmd = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "tests" / "locustfiles" / "arrival.py"),
                "--headless",
                "--host",
                nginx.url,
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--no-genesis-summary",
                "--summary-json",
                str(Path(tmp, f"open-{rate}.json")),
            ]
            env_open = {**env, "ARRIVAL_PATH": "/"}
            got_open, _ = _run(open_cmd, env_open, nginx, args.seconds)
            doc = json.loads(Path(tmp, f"open-{rate}.json").read_text())
            dropped = doc["metrics"].get("dropped_iterations", {}).get("values", {}).get("count", 0)
            cpu = doc["meta"]["loadgen_cpu_percent"]
            users = max(1, rate // 10)
            closed_cmd = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(closed),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(min(users, 1000)),
                "-t",
                f"{total_s}s",
                "--host",
                nginx.url,
                "--only-summary",
                "--loglevel",
                "ERROR",
            ]
            got_closed, _ = _run(closed_cmd, env, nginx, args.seconds)
            rows.append((rate, got_open, dropped, cpu, got_closed))
            print(
                f"  {rate}/s: open {got_open:.0f}/s (dropped {dropped:.0f}, cpu {cpu:.0f}%), "
                f"constant_throughput {got_closed:.0f}/s",
                flush=True,
            )

    def held(got: float, rate: int) -> str:
        return "✓" if abs(got - rate) <= 0.01 * rate else "✗"

    print("\n## Constant rate held within 1%, one Locust process (core 0) vs nginx (core 1)")
    print(
        "| asked | genesis-load open model | held | dropped | loadgen CPU | "
        "plain Locust constant_throughput | held |"
    )
    print("|---:|---:|:-:|---:|---:|---:|:-:|")
    for rate, got_open, dropped, cpu, got_closed in rows:
        print(
            f"| {rate}/s | {got_open:.1f}/s | {held(got_open, rate)} | {dropped:.0f} | "
            f"{cpu:.0f}% | {got_closed:.1f}/s | {held(got_closed, rate)} |"
        )
    best_open = max((r for r, g, *_ in rows if abs(g - r) <= 0.01 * r), default=0)
    best_closed = max((r for r, *_, g in rows if abs(g - r) <= 0.01 * r), default=0)
    print(
        f"\nhighest held: genesis-load {best_open}/s, plain Locust {best_closed}/s "
        f"(counted at nginx, steady {args.seconds} s window)"
    )


if __name__ == "__main__":
    main()
