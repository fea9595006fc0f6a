"""CPU per iteration of the open model: ``python benchmarks/micro_open_model.py``.

    python benchmarks/micro_open_model.py [--rate 2000] [--seconds 10] [--repeat 3]
                                          [--pre 40] [--max-vus 400]

Runs ``tests/locustfiles/arrival.py`` (one ``constant-arrival-rate`` scenario, one GET per
iteration) at a rate one core holds, against nginx on 127.0.0.1, and prints the CPU time the
Locust process used per iteration (user + system, from the kernel's accounting of the finished
process: ``os.wait4``), the iterations started and dropped, and the ``schedule_lag`` median.
CPU time per iteration is what the executor's hot path costs; unlike a saturation rate it holds
still on a machine whose other core is busy. Every run is bounded by its duration; only
127.0.0.1 is targeted; nginx and Locust are stopped by PID.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _nginx import Nginx

ROOT = Path(__file__).resolve().parents[1]


def once(
    url: str, rate: int, seconds: int, pre: int, max_vus: int, tmp: Path, code: Path
) -> dict[str, float]:
    cfg = {
        "executor": "constant-arrival-rate",
        "rate": rate,
        "duration": f"{seconds}s",
        "preAllocatedVUs": pre,
        "maxVUs": max_vus,
    }
    out = tmp / "r.json"
    env = {**os.environ, "ARRIVAL_JSON": json.dumps(cfg), "ARRIVAL_PATH": "/",
           "PYTHONPATH": str(code)}  # fmt: skip
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "tests/locustfiles/arrival.py"),
           "--headless", "--host", url, "--only-summary", "--loglevel", "ERROR",
           "--no-genesis-summary", "--summary-json", str(out)]  # fmt: skip
    proc = subprocess.Popen(
        ["taskset", "-c", "1", *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _, _, usage = os.wait4(proc.pid, 0)
    finally:
        if proc.poll() is None and proc.returncode is None:
            proc.kill()
    proc.returncode = 0
    doc = json.loads(out.read_text())
    m = doc["metrics"]

    def value(name: str, key: str) -> float:
        return float(m.get(name, {}).get("values", {}).get(key, 0.0))

    iterations = value("iterations", "count")
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "cpu_us_per_iteration": (usage.ru_utime + usage.ru_stime) * 1e6 / max(iterations, 1),
        "iterations": iterations,
        "dropped": value("dropped_iterations", "count"),
        "lag_p50_ms": value("schedule_lag", "med"),
        "req_p50_ms": value("http_req_duration", "med"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rate", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pre", type=int, default=40)
    parser.add_argument("--max-vus", type=int, default=400)
    parser.add_argument(
        "--code", action="append", type=Path, help="a genesis-load checkout to measure (A/B)"
    )
    args = parser.parse_args()
    codes = args.code or [ROOT]
    runs: dict[Path, list[dict[str, float]]] = {c: [] for c in codes}
    with tempfile.TemporaryDirectory() as tmp, Nginx(cpu=0) as nginx:
        # what starting, the VUs and stopping cost without load: 1 iteration/s, same length
        idle = {
            c: once(nginx.url, 1, args.seconds, args.pre, args.max_vus, Path(tmp), c)["cpu_s"]
            for c in codes
        }
        for _ in range(args.repeat):
            for code in codes:  # interleaved
                r = once(
                    nginx.url, args.rate, args.seconds, args.pre, args.max_vus, Path(tmp), code
                )
                r["cpu_us_per_iteration_net"] = (r["cpu_s"] - idle[code]) * 1e6 / r["iterations"]
                runs[code].append(r)
                print(f"  {code}: " + ", ".join(f"{k} {v:.3g}" for k, v in r.items()), flush=True)
    print(f"\n## open model {args.rate}/s for {args.seconds} s, medians of {args.repeat}")
    print("| code | CPU µs/iteration (whole process) | net of an idle run | iterations | dropped "
          "| schedule_lag p50 ms | http_req_duration p50 ms |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    for code, rs in runs.items():
        med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        cells = [f"{med['cpu_us_per_iteration']:.1f}", f"{med['cpu_us_per_iteration_net']:.1f}"]
        cells += [f"{med['iterations']:.0f}"]
        cells += [f"{med['dropped']:.0f}", f"{med['lag_p50_ms']:.3f}", f"{med['req_p50_ms']:.3f}"]
        print(f"| {code} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
