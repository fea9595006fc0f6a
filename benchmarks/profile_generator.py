"""Where a generator's CPU goes per request: py-spy over one pinned run against nginx.

    python -m benchmarks.profile_generator [closed|open] [--tool genesis|genesis-vus|locust]
        [--rate 5000] [--seconds 12] [--svg PATH]

nginx runs pinned to core 0, the generator (under ``py-spy record``) to core 1; py-spy's
collapsed stacks are then folded into two tables: the functions that were on CPU themselves
(self time) and the genesis-load functions with everything they called (inclusive), each as a
share of the samples and as CPU µs per request (samples / sampling rate / requests nginx
logged). py-spy drops idle samples, so the shares are of the generator's busy time.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import _generators as gen
from ._nginx import Nginx

RATE_HZ = 250
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*)\)$")


def _where(frame: str) -> str:
    """``func (path)`` -> ``package/module.py:func`` (the path from site-packages or the repo)."""
    m = FRAME.match(frame)
    if not m:
        return frame
    path = m["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{m['func']}"


def fold(raw: Path) -> tuple[int, collections.Counter[str], collections.Counter[str]]:
    total = 0
    leaf: collections.Counter[str] = collections.Counter()
    ours: collections.Counter[str] = collections.Counter()
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_where(f) for f in stack.split(";")]
        total += count
        leaf[frames[-1]] += count
        for name in set(frames):
            if name.startswith("genesis_load/"):
                ours[name] += count
    return total, leaf, ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", choices=("closed", "open"))
    parser.add_argument(
        "--tool", default="genesis", choices=("genesis", "genesis-vus", "genesis-lean", "locust")
    )
    parser.add_argument("--rate", type=int, default=5000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--svg", type=Path, help="also write a flame graph here")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    py_spy = shutil.which("py-spy")
    if not py_spy:
        print("py-spy not found: pip install py-spy", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="genesis-prof-") as tmp_s, Nginx(cpu=0) as nginx:
        tmp = Path(tmp_s)
        if args.model == "closed":
            cmd = gen.closed(args.tool, tmp, nginx.url, args.users, args.seconds, "")
        else:
            cmd = gen.open_model(args.tool, tmp, nginx.url, args.rate, args.seconds, "")
        raw = tmp / "stacks.txt"
        record = [py_spy, "record", "--nonblocking", "--nolineno", "-r", str(RATE_HZ)]
        before = nginx.served()
        subprocess.run(
            [*record, "--format", "raw", "-o", str(raw), "--", "taskset", "-c", "1", *cmd.argv],
            env=cmd.env,
            check=False,
            capture_output=True,
            timeout=args.seconds + 90,
        )
        requests = nginx.served() - before
        if args.svg:
            # a second, shorter run for the picture only; the numbers come from the raw one
            subprocess.run(
                [*record, "-o", str(args.svg), "-d", "6", "--", "taskset", "-c", "1", *cmd.argv],
                env=cmd.env,
                check=False,
                capture_output=True,
                timeout=args.seconds + 90,
            )
        total, leaf, ours = fold(raw)
    if not total or not requests:
        print("no samples or no requests", file=sys.stderr)
        return 1
    us_per_sample = 1e6 / RATE_HZ / requests
    print(
        f"{args.model} {args.tool}: {requests:,} requests, {total:,} busy samples at {RATE_HZ} Hz "
        f"= {total * us_per_sample:.0f} CPU µs per request\n"
    )
    for title, counter in (("self time", leaf), ("genesis-load, inclusive", ours)):
        print(f"| {title} | share | µs/request |\n|---|---:|---:|")
        for name, count in counter.most_common(args.top):
            print(f"| `{name}` | {100 * count / total:.1f}% | {count * us_per_sample:.1f} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
