"""Memory of a long run: a 30-minute, 200 requests/s run replayed on a fake clock.

    python benchmarks/memory.py [--minutes 30] [--rps 200] [--max-points 3600] [--mallopt]

Feeds the collector exactly what the Locust listener would (5 request names, 2 statuses,
lognormal latencies) and rolls one interval per simulated second, then prints the process's
resident memory after 1 minute and at the end, the growth, and the series size: the points
as kept (all but the newest packed) and as dicts (``str`` of their entries, for scale). No
sleeping: a 30-minute run replays in well under a minute.

Before commit 00a7036, most of the RSS growth this showed was not data kept: hdrh's
histogram and its encoder referenced each other, so every 184-KiB interval histogram dropped
waited for a full garbage collection, and the heap fragmented meanwhile (design note 0012,
"Memory"). ``--mallopt`` fixes glibc's mmap threshold at 128 KiB first, to tell fragmentation
apart. For a real run against
nginx, use ``python -m benchmarks.memory_run``.
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
    parser.add_argument("--mallopt", action="store_true", help="M_MMAP_THRESHOLD = 128 KiB")
    args = parser.parse_args()
    if args.mallopt:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD

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
    points = collector.series.points
    packed = sum(getattr(p, "packed_size", 0) for p in points)  # 0 before packing existed
    as_text = sum(len(str(p.entries)) for p in points)
    print(
        "| simulated | requests | RSS after 1 min | RSS at end | growth | series points "
        "| series packed | as text | replay time |\n|---|---|---|---|---|---|---|---|---|"
    )
    print(
        f"| {args.minutes:g} min at {args.rps}/s | {seconds * args.rps:,} | {at_1min:.1f} MB "
        f"| {end:.1f} MB | {end - at_1min:+.1f} MB | {len(points)} "
        f"(x{collector.series.coalesced}) | {packed / 1e6:.2f} MB | {as_text / 1e6:.1f} MB "
        f"| {time.perf_counter() - wall:.1f} s |"
    )


if __name__ == "__main__":
    main()
