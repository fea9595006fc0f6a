"""Memory of a long run: a 30-minute, 200 requests/s run replayed on a fake clock.

    python benchmarks/memory.py [--minutes 30] [--rps 200] [--max-points 3600]

Feeds the collector exactly what the Locust listener would (5 request names, 2 statuses,
lognormal latencies) and rolls one interval per simulated second, then prints the process's
resident memory after 1 minute and at the end, the growth, and the series size. No sleeping:
a 30-minute run replays in well under a minute.
"""

from __future__ import annotations

import argparse
import gc
import random
import time

import psutil

from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import Metric

NAMES = [
    "/health",
    "/api/v1/users/{id}",
    "/api/v1/cached/workouts/{id}",
    "/api/v1/plans",
    "/api/v1/workouts",
]


def rss_mb() -> float:
    gc.collect()
    return float(psutil.Process().memory_info().rss) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rps", type=int, default=200)
    parser.add_argument("--max-points", type=int, default=3600)
    args = parser.parse_args()

    rng = random.Random(1)
    collector = Collector(start_s=0.0, max_points=args.max_points)
    ttft = Metric("ai_ttft", "trend", "time")
    seconds = int(args.minutes * 60)
    wall = time.perf_counter()
    at_1min = 0.0
    for s in range(seconds):
        for _ in range(args.rps):
            name = NAMES[rng.randrange(5)]
            failed = rng.random() < 0.01
            collector.record_request(
                "GET", name, 500 if failed else 200, rng.lognormvariate(2.5, 0.6), failed, 512
            )
        collector.record(ttft, rng.lognormvariate(6, 0.3), {"agent": "BLAZE"})
        collector.roll(float(s + 1))
        if s == 59:
            at_1min = rss_mb()
    end = rss_mb()
    wire_bytes = sum(len(str(p.entries)) for p in collector.series.points)
    print(
        "| simulated | requests | RSS after 1 min | RSS at end | growth | series points "
        "| series size | replay time |\n|---|---|---|---|---|---|---|---|"
    )
    print(
        f"| {args.minutes:g} min at {args.rps}/s | {seconds * args.rps:,} | {at_1min:.1f} MB "
        f"| {end:.1f} MB | {end - at_1min:+.1f} MB | {len(collector.series.points)} "
        f"(x{collector.series.coalesced}) | {wire_bytes / 1e6:.1f} MB "
        f"| {time.perf_counter() - wall:.1f} s |"
    )


if __name__ == "__main__":
    main()
