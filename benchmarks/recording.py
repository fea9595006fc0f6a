"""Cost of genesis-load's recording: a micro-benchmark and a whole-hook comparison.

    python benchmarks/recording.py            # both parts, prints two tables
    python benchmarks/recording.py --micro    # only the micro-benchmark

1. Micro: µs per request for ``Collector.record_request`` and for the full Locust listener
   (``GenesisRuntime.on_request`` with a response carrying headers).
2. Whole hook: the most requests/s one Locust process (core 0) gets from FastHttpUser against
   nginx (core 1), plain Locust vs the same locustfile with genesis-load imported, alternating
   runs in the same invocation. Requests are counted at the server (nginx's access log).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _nginx import Nginx

PLAIN = """
from locust import FastHttpUser, task
class Plain(FastHttpUser):
    @task
    def hit(self):
        self.client.get("/", name="/")
"""
HOOKED = "import genesis_load  # noqa: F401\n" + PLAIN


def micro(n: int = 200_000) -> list[tuple[str, float]]:
    from genesis_load.metrics.collector import Collector

    c = Collector(start_s=time.time())
    names = [f"/api/v1/item{i}" for i in range(10)]

    def one(i: list[int] = [0]) -> None:  # noqa: B006 - a cheap counter
        i[0] += 1
        c.record_request("GET", names[i[0] % 10], 200, 12.345, False, 512)

    rows = [("Collector.record_request", timeit.timeit(one, number=n) / n * 1e6)]

    code = (
        "import gevent.monkey; gevent.monkey.patch_all()\n"
        "import time, timeit\n"
        "from locust.env import Environment\n"
        "from genesis_load.plugin import attach\n"
        "class R:\n"
        "    status_code = 200\n"
        "    headers = {'Content-Type': 'application/json', 'X-Cache': 'HIT'}\n"
        "class Bare:\n"
        "    status_code = 200\n"
        "    headers = {'Content-Type': 'application/json'}\n"
        "env = Environment()\n"
        "rt = attach(env)\n"
        "for label, resp in (('on_request, plain response', Bare()),"
        " ('on_request, X-Cache header', R())):\n"
        f"    t = timeit.timeit(lambda: env.events.request.fire(request_type='GET', name='/x',"
        f" response_time=12.3, response_length=100, response=resp, context={{}},"
        f" exception=None), number={n})\n"
        f"    print(label + '\\t' + str(t / {n} * 1e6))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    for line in out.stdout.strip().splitlines():
        label, us = line.split("\t")
        rows.append((f"events.request.fire -> {label}", float(us)))
    return rows


def max_rps(locustfile: Path, url: str, nginx: Nginx, seconds: int, users: int) -> float:
    """Steady-state req/s counted at nginx, between warm-up and the last second of the run."""
    cmd = [
        "taskset",
        "-c",
        "0",
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(locustfile),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds + 5}s",
        "--host",
        url,
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]
    if "genesis" in locustfile.read_text():
        cmd.append("--no-genesis-summary")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)  # start-up and ramp
        c1, t1 = nginx.served(), time.monotonic()
        time.sleep(seconds)
        c2, t2 = nginx.served(), time.monotonic()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return (c2 - c1) / (t2 - t1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--micro", action="store_true", help="only the micro-benchmark")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--users", type=int, default=32)
    args = parser.parse_args()

    print("\n## Micro-benchmark (µs per request, lower is better; target < 2 µs)")
    print(f"| {'what':<48} | {'µs':>6} |\n|{'-' * 50}|{'-' * 8}|")
    for label, us in micro():
        print(f"| {label:<48} | {us:6.2f} |")
    if args.micro:
        return

    with tempfile.TemporaryDirectory() as tmp, Nginx(cpu=1) as nginx:
        plain, hooked = Path(tmp, "plain.py"), Path(tmp, "hooked.py")
        plain.write_text(PLAIN)
        hooked.write_text(HOOKED)
        results: dict[str, list[float]] = {"plain": [], "hooked": []}
        for _ in range(args.rounds):
            results["plain"].append(max_rps(plain, nginx.url, nginx, args.seconds, args.users))
            results["hooked"].append(max_rps(hooked, nginx.url, nginx, args.seconds, args.users))
    p = max(results["plain"])
    h = max(results["hooked"])
    print(
        f"\n## FastHttpUser max req/s on one core vs nginx, counted at nginx "
        f"({args.rounds} rounds x {args.seconds} s, best of each; target ratio >= 0.90)"
    )
    print("| locustfile | runs (req/s) | best | ratio |\n|---|---|---|---|")
    print(f"| plain Locust | {', '.join(f'{v:.0f}' for v in results['plain'])} | {p:.0f} | 1.00 |")
    print(
        f"| + genesis-load | {', '.join(f'{v:.0f}' for v in results['hooked'])} | {h:.0f} | "
        f"{h / p:.3f} |"
    )
    print(f"\n(cpu count {os.cpu_count()}; locust pinned to core 0, nginx to core 1)")


if __name__ == "__main__":
    main()
