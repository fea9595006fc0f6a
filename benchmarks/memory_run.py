"""Memory of a real 500/s open-model run: genesis-load next to plain Locust (issue 15's row).

    python -m benchmarks.memory_run                  # 10-minute runs, about 21 minutes in all
    python -m benchmarks.memory_run --quick          # 60-s runs (about 2.5 minutes)
    python -m benchmarks.memory_run --minutes 3 --json /tmp/mem.json
    python -m benchmarks.memory_run --minutes 3 --tracemalloc /tmp/snaps   # where it goes

nginx (Debian's, as in ``python -m benchmarks``) answers ``200 ok`` on 127.0.0.1, pinned to
core 0. Each generator runs alone, pinned to core 1, for ``--minutes`` at ``--rate`` requests/s:

* plain Locust: ``rate / 10`` ``FastHttpUser`` with ``wait_time = constant_throughput(10)``;
* genesis-load: an ``ArrivalRateUser`` with a ``constant-arrival-rate`` scenario
  (preAllocatedVUs ``rate / 50``, maxVUs ``rate / 5``, k6's sizing in ``python -m benchmarks``).

The generator's resident memory (psutil) is sampled every second, plus its high-water mark
(``VmHWM`` in ``/proc/PID/status``). The table gives RSS at 10 s and at the end of the load,
the growth per hour extrapolated from those two (and, more robust, from a least-squares line
over the second half of the run), the peak, and genesis-load's peak as a multiple of plain
Locust's. Every process is started here and stopped by its PID; every run is bounded.

``--tracemalloc DIR`` instead runs each generator with ``tracemalloc`` on (a bench-only prelude in
the generated locustfile, never in the package), writes snapshots at 30 s and just before the
end into ``DIR``, and prints what grew between them by traceback and what is held at 30 s by
file. Memory numbers of such a run are inflated by tracemalloc itself: use them for where the
memory goes, never for the RSS row.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from ._generators import ARRIVAL, THROUGHPUT
from ._nginx import Nginx

ROOT = Path(__file__).resolve().parents[1]

#: Bench-only: with GENESIS_BENCH_TRACEMALLOC=DIR, snapshots at the seconds listed in
#: GENESIS_BENCH_SNAP_AT (since the locustfile was imported) go to DIR/<tag>-<s>.snap.
TRACE_PRELUDE = """
import os as _os
if _os.environ.get("GENESIS_BENCH_TRACEMALLOC"):
    import gc as _gc
    import json as _json
    import time as _time
    import tracemalloc as _tm

    import gevent as _gevent

    _tm.start(int(_os.environ.get("GENESIS_BENCH_FRAMES", "12")))
    _t0 = _time.monotonic()

    def _dump_at(seconds, path):
        _gevent.sleep(max(0.0, _t0 + seconds - _time.monotonic()))
        hists = sum(1 for o in _gc.get_objects() if type(o).__name__ == "HdrHistogram")
        traced = _tm.get_traced_memory()[0]
        unreachable = _gc.collect()  # what only a full collection frees (reference cycles)
        with open(path + ".gc.json", "w") as f:
            _json.dump(
                {
                    "at_s": seconds,
                    "hdr_histograms_before_collect": hists,
                    "hdr_histograms_after_collect": sum(
                        1 for o in _gc.get_objects() if type(o).__name__ == "HdrHistogram"
                    ),
                    "unreachable_objects": unreachable,
                    "traced_mb_before_collect": traced / 1e6,
                    "traced_mb_after_collect": _tm.get_traced_memory()[0] / 1e6,
                },
                f,
            )
        _tm.take_snapshot().dump(path)

    for _s in _os.environ["GENESIS_BENCH_SNAP_AT"].split(","):
        _gevent.spawn(
            _dump_at,
            float(_s),
            _os.path.join(
                _os.environ["GENESIS_BENCH_TRACEMALLOC"],
                _os.environ["GENESIS_BENCH_TAG"] + "-" + _s + ".snap",
            ),
        )
"""

#: Bench-only (``--mallopt``): what a fixed glibc mmap threshold does, set the way a plugin
#: would set it at import (``mallopt(M_MMAP_THRESHOLD, 128 KiB)``, which also turns off glibc's
#: dynamic threshold), so every block of 128 KiB or more (an HDR histogram is 184 KiB) is
#: mapped on its own and given back to the system when freed.
MALLOPT_PRELUDE = """
import ctypes as _ctypes

_ctypes.CDLL("libc.so.6").mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD
"""

# the same files as the side-by-side benchmark's open-model rows
LOCUST = THROUGHPUT
GENESIS = ARRIVAL

TOOLS = ("locust", "genesis")
LABELS = {"locust": "plain Locust", "genesis": "genesis-load"}


@dataclass
class MemRun:
    tool: str
    load_s: float
    samples: list[tuple[float, float]] = field(default_factory=list)  # (s since start, MB)
    peak_mb: float = 0.0  # VmHWM: the high-water mark, whole process life
    served: int = 0
    exit_code: int | None = None

    def rss_at(self, t_s: float) -> float | None:
        before = [mb for s, mb in self.samples if s <= t_s]
        return before[-1] if before else None

    @property
    def end_s(self) -> float:
        """The last sample inside the load (the scenario ends at ``load_s``)."""
        inside = [s for s, _ in self.samples if s <= self.load_s - 0.5]
        return inside[-1] if inside else 0.0

    def growth_per_h(self) -> float | None:
        a, b = self.rss_at(10.0), self.rss_at(self.end_s)
        if a is None or b is None or self.end_s <= 10.0:
            return None
        return (b - a) / (self.end_s - 10.0) * 3600

    def slope_per_h(self) -> float | None:
        """Least-squares MB/h over the second half of the load."""
        pts = [(s, mb) for s, mb in self.samples if self.end_s / 2 <= s <= self.end_s]
        if len(pts) < 3:
            return None
        mx = sum(s for s, _ in pts) / len(pts)
        my = sum(mb for _, mb in pts) / len(pts)
        den = sum((s - mx) ** 2 for s, _ in pts)
        return sum((s - mx) * (mb - my) for s, mb in pts) / den * 3600 if den else None


def _hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return 0.0


@dataclass(frozen=True)
class Options:
    rate: int = 500
    load_s: float = 600.0
    trace_dir: Path | None = None
    genesis_path: Path | None = None
    env: tuple[tuple[str, str], ...] = ()
    mallopt: bool = False
    vus: tuple[int, int] | None = None  # genesis-load's (preAllocatedVUs, maxVUs)


def _locustfile(tool: str, opts: Options) -> str:
    if tool == "locust":
        body = LOCUST
    else:
        pre, max_vus = opts.vus or (max(20, opts.rate // 50), max(100, opts.rate // 5))
        cfg = {
            "executor": "constant-arrival-rate",
            "rate": opts.rate,
            "duration": f"{opts.load_s:g}s",
            "preAllocatedVUs": pre,
            "maxVUs": max_vus,
            "gracefulStop": "2s",
        }
        body = GENESIS.format(cfg=cfg)
    prelude = (TRACE_PRELUDE if opts.trace_dir else "") + (MALLOPT_PRELUDE if opts.mallopt else "")
    return prelude + body


def run_one(tool: str, nginx: Nginx, tmp: Path, opts: Options) -> MemRun:
    rate, load_s, trace_dir = opts.rate, opts.load_s, opts.trace_dir
    path = tmp / f"mem_{tool}.py"
    path.write_text(_locustfile(tool, opts))
    argv = [
        "taskset",
        "-c",
        "1",
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(path),
        "--headless",
        "--host",
        nginx.url,
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--stop-timeout",
        "2",
    ]
    if tool == "locust":
        users = max(1, rate // 10)
        argv += ["-u", str(users), "-r", str(min(users, 1000)), "-t", f"{load_s:g}s"]
        argv += ["--csv", str(tmp / "mem_locust")]
    else:  # the scenario ends the run; -t only bounds it
        argv += ["-t", f"{load_s + 10:g}s", "--no-genesis-summary"]
        argv += ["--summary-json", str(tmp / "mem_genesis.json")]
    paths = [str(opts.genesis_path)] if opts.genesis_path else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, str(ROOT)]), **dict(opts.env)}
    if trace_dir is not None:
        env.update(
            GENESIS_BENCH_TRACEMALLOC=str(trace_dir),
            GENESIS_BENCH_TAG=tool,
            GENESIS_BENCH_SNAP_AT=f"30,{max(31.0, load_s - 3):g}",
        )
    result = MemRun(tool, load_s)
    served0 = nginx.served()
    started = time.monotonic()
    popen = subprocess.Popen(  # cwd: `python -m` puts it first on sys.path
        argv, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    proc = psutil.Process(popen.pid)
    deadline = started + load_s + 60
    try:
        while popen.poll() is None and time.monotonic() < deadline:
            t = time.monotonic() - started
            try:
                result.samples.append((t, proc.memory_info().rss / 1e6))
                result.peak_mb = max(result.peak_mb, _hwm_mb(popen.pid))
            except psutil.Error:
                break
            # sample on whole seconds since the start
            time.sleep(max(0.05, started + int(t) + 1 - time.monotonic()))
    finally:
        if popen.poll() is None:
            popen.send_signal(signal.SIGTERM)
            try:
                popen.wait(10)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()
    result.exit_code = popen.returncode
    result.served = nginx.served() - served0
    if popen.returncode not in (0, 1):  # 1: Locust's "some requests failed"
        err = popen.stderr.read().decode(errors="replace") if popen.stderr else ""
        print(f"  {tool} exited {popen.returncode}: {err[-1500:]}", file=sys.stderr)
    if popen.stderr:
        popen.stderr.close()
    print(
        f"  {LABELS[tool]}: {result.served / load_s:,.0f}/s at nginx, RSS "
        f"{result.rss_at(10.0) or 0:.1f} → {result.rss_at(result.end_s) or 0:.1f} MB, "
        f"peak {result.peak_mb:.1f} MB, exit code {result.exit_code}",
        file=sys.stderr,
        flush=True,
    )
    return result


def render(runs: dict[str, MemRun], rate: int) -> str:
    lines = [
        f"| {rate:,}/s open model | RSS at 10 s | RSS at end | growth per hour (10 s → end) "
        "| growth per hour (2nd half, least squares) | peak RSS | peak vs plain Locust |",
        "|---|---|---|---|---|---|---|",
    ]
    base = runs.get("locust")
    for tool, r in runs.items():
        a, b = r.rss_at(10.0), r.rss_at(r.end_s)
        g, sl = r.growth_per_h(), r.slope_per_h()
        ratio = f"{r.peak_mb / base.peak_mb:.2f}×" if base and base.peak_mb else "—"
        lines.append(
            f"| {LABELS[tool]} | {a or 0:.1f} MB | {b or 0:.1f} MB at {r.end_s:.0f} s "
            f"| {'—' if g is None else f'{g:+.0f} MB/h'} "
            f"| {'—' if sl is None else f'{sl:+.0f} MB/h'} | {r.peak_mb:.1f} MB | {ratio} |"
        )
    return "\n".join(lines)


def report_snapshots(trace_dir: Path, tools: list[str], load_s: float, top: int) -> None:
    import tracemalloc

    end = f"{max(31.0, load_s - 3):g}"
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    for tool in tools:
        first, last = trace_dir / f"{tool}-30.snap", trace_dir / f"{tool}-{end}.snap"
        if not (first.exists() and last.exists()):
            print(f"\n{LABELS[tool]}: snapshots missing in {trace_dir}")
            continue
        s1 = tracemalloc.Snapshot.load(str(first)).filter_traces(ignore)
        s2 = tracemalloc.Snapshot.load(str(last)).filter_traces(ignore)
        total1 = sum(st.size for st in s1.statistics("filename"))
        total2 = sum(st.size for st in s2.statistics("filename"))
        print(
            f"\n## {LABELS[tool]}: traced {total1 / 1e6:.1f} MB at 30 s, "
            f"{total2 / 1e6:.1f} MB at {end} s (after a full garbage collection)"
        )
        for snap in (first, last):
            gc_info = Path(str(snap) + ".gc.json")
            if gc_info.exists():
                g = json.loads(gc_info.read_text())
                print(
                    f"  at {g['at_s']:g} s, a full collection found "
                    f"{g['unreachable_objects']:,} unreachable objects: HdrHistogram objects "
                    f"{g['hdr_histograms_before_collect']} → "
                    f"{g['hdr_histograms_after_collect']}, traced "
                    f"{g['traced_mb_before_collect']:.1f} → {g['traced_mb_after_collect']:.1f} MB"
                )
        print("\nHeld at 30 s, by file:")
        for st in s1.statistics("filename")[:top]:
            print(f"  {st.size / 1e6:8.2f} MB {st.count:8d} blocks  {st.traceback[0].filename}")
        print(f"\nGrowth 30 s → {end} s, by traceback (innermost frame last):")
        for diff in s2.compare_to(s1, "traceback")[:top]:
            if diff.size_diff <= 0:
                continue
            print(f"  {diff.size_diff / 1e6:+8.2f} MB {diff.count_diff:+8d} blocks")
            for line in diff.traceback.format(limit=8, most_recent_first=False):
                print(f"      {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.memory_run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="load per generator")
    parser.add_argument("--quick", action="store_true", help="60-s runs")
    parser.add_argument("--rate", type=int, default=500, help="requests/s (default 500)")
    parser.add_argument("--tools", default="locust,genesis", help="locust,genesis")
    parser.add_argument("--json", type=Path, help="write the samples here")
    parser.add_argument("--tracemalloc", type=Path, metavar="DIR", help="snapshot diff run")
    parser.add_argument("--top", type=int, default=15, help="rows of the snapshot report")
    parser.add_argument(
        "--genesis-path",
        type=Path,
        metavar="DIR",
        help="import genesis_load from DIR (a `git archive COMMIT genesis_load` unpacked there)",
    )
    parser.add_argument(
        "--mallopt",
        action="store_true",
        help="bench-only: fix glibc's mmap threshold at 128 KiB in the generated locustfiles",
    )
    parser.add_argument("--vus", help="genesis-load's PRE,MAX VUs (default rate/50,rate/5)")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the generators (e.g. MALLOC_ARENA_MAX=2), repeatable",
    )
    args = parser.parse_args(argv)
    load_s = 60.0 if args.quick else args.minutes * 60
    if load_s < 20:
        parser.error("needs at least 20 s of load")
    tools = [t for t in args.tools.split(",") if t]
    if not set(tools) <= set(TOOLS):
        parser.error(f"--tools: choose among {', '.join(TOOLS)}")
    if (os.cpu_count() or 0) < 2:
        print("needs 2 cores (nginx on core 0, the generator on core 1)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds: nginx stopped
    if args.tracemalloc:
        args.tracemalloc.mkdir(parents=True, exist_ok=True)
    vus = [int(v) for v in args.vus.split(",")] if args.vus else None
    opts = Options(
        rate=args.rate,
        load_s=load_s,
        trace_dir=args.tracemalloc,
        genesis_path=args.genesis_path,
        env=tuple((k, v) for k, _, v in (kv.partition("=") for kv in args.env)),
        mallopt=args.mallopt,
        vus=(vus[0], vus[1]) if vus else None,
    )
    started = time.monotonic()
    runs: dict[str, MemRun] = {}
    with tempfile.TemporaryDirectory(prefix="genesis-mem-") as tmp, Nginx(cpu=0) as nginx:
        for tool in tools:
            runs[tool] = run_one(tool, nginx, Path(tmp), opts)
    if args.tracemalloc:
        report_snapshots(args.tracemalloc, tools, load_s, args.top)
        print("\n(tracemalloc on: the RSS below is inflated by it)")
    print(render(runs, args.rate))
    print(f"\n{load_s:g}-s runs, {time.monotonic() - started:.0f} s in all")
    if args.json:
        args.json.write_text(json.dumps({k: asdict(r) for k, r in runs.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
