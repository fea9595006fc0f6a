"""1 vs 2 Locust worker processes on loopback: ``python benchmarks/distributed.py``.

Runs the same closed-model load (``--users`` FastHttpUsers without think time, requests spread
over ``--names`` request names) for ``--duration-s`` against nginx on 127.0.0.1 (``--target
demo``: the demo target instead) as one local process, as a master with one worker and as a
master with two workers, and prints a table: requests per second the generator recorded, what
the target served, and the bytes per second each worker's genesis-load wire data cost (the
time-stamped interval stores in Locust's reports, measured on the master as msgpack bytes,
Locust's own encoding). A worker process saturates one core: on a 2-core machine shared with
the target, the second worker mostly competes with the target for CPU.

``--metrics`` picks the metric sets: ``http`` (the 50 names only), ``all`` (the same HTTP load
*plus* every streaming and AI metric: SSE tick feeds, WebSocket echo / subscription / ping
sessions, OpenAI-style chat streams and GENESIS agent conversations, from genesis_load.streaming
and genesis_load.ai users against the embedded demo target, ``genesis-load target --port 0`` on
127.0.0.1, with a light fault mix so the failure series tagged by reason are shipped too) or
``both`` (default: the ``all`` rows under the ``http`` rows of the same table). For each run
with workers, the master also reads what was shipped: the distinct metric names and series
(metric + tag set) in the wire data, and the metric names in the merged results JSON, so the
byte count is known to hold the ``sse_*`` / ``ws_*`` / ``ai_*`` trends with their tags.

Rates are taken over the load itself (test start -> the time limit), not over the graceful stop
after it (the AI conversations in progress may take seconds to end, with no HTTP load): HTTP
req/s = requests recorded / that window; wire B/s per worker = the bytes of the periodic reports
whose data ends within it, over the seconds of data they span, averaged over the workers. Each
worker's final message (its last interval, at test stop: sessions closed by the stop are
recorded there) is measured apart; the names and series it holds are counted with the rest.
With ``--target demo``, ``served`` counts every request the demo target served (streams too).

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
from typing import Any

from _nginx import Nginx
from rich.console import Console
from rich.table import Table

from genesis_load.ai import _metrics as ai_metrics
from genesis_load.streaming import _metrics as streaming_metrics
from genesis_load.suite.workers import free_port, master_args, start_workers, stop_workers
from genesis_load.target import TargetProcess

LOCUSTFILE = """
import json, os, time, msgpack
from locust import FastHttpUser, events, task
from locust.runners import WorkerRunner
import genesis_load  # noqa: F401  (the plugin: recording, the wire)

NAMES = int(os.environ["BENCH_NAMES"])
wire = {"log": [], "final_bytes": {}, "finals": 0, "metrics": set(), "series": set(),
        "requests": set(), "start": None, "stopping": None}


def _note(payload):
    for interval in payload.get("intervals", ()):
        store = interval["store"]
        wire["metrics"].update(store["metrics"])
        for sink in store["sinks"]:
            wire["series"].add((sink["metric"], tuple(tuple(p) for p in sink["tags"])))
        for bucket in store["requests"]:
            wire["requests"].add(tuple(tuple(p) for p in bucket["tags"]))


@events.worker_report.add_listener
def _count(client_id, data, **_):
    payload = data.get("genesis_load")
    if not payload:
        return
    intervals = payload.get("intervals", ())
    # (worker, msgpack bytes, received, data from, data to): the rate is taken over the data's
    # own time span, up to the end of the load (not the graceful stop after it)
    wire["log"].append((
        client_id, len(msgpack.packb(payload)), time.time(),
        min((iv["start_s"] for iv in intervals), default=None),
        max((iv["end_s"] for iv in intervals), default=None),
    ))
    _note(payload)


@events.test_start.add_listener
def _start(environment, **_):
    if isinstance(environment.runner, WorkerRunner):
        return
    wire["start"] = time.time()
    # the final message (each worker's last interval, at test stop): counted apart
    handlers = getattr(environment.runner, "custom_messages", {})
    if "genesis_load_final" not in handlers:
        return
    listener, concurrent = handlers["genesis_load_final"]

    def counting(environment, msg, **kw):
        data = msg.data or {}
        size = len(msgpack.packb(data))
        wire["final_bytes"][msg.node_id] = wire["final_bytes"].get(msg.node_id, 0) + size
        wire["finals"] += 1
        _note(data)
        return listener(environment=environment, msg=msg, **kw)

    handlers["genesis_load_final"] = (counting, concurrent)


@events.test_stopping.add_listener
def _stopping(environment, **_):
    if wire["stopping"] is None and not isinstance(environment.runner, WorkerRunner):
        wire["stopping"] = time.time()  # the load's end: the graceful stop starts


@events.quitting.add_listener
def _dump(environment, **_):
    path = os.environ.get("BENCH_WIRE_PATH")
    if path and not isinstance(environment.runner, WorkerRunner):
        with open(path, "w") as f:
            json.dump({
                "start": wire["start"],
                "stopping": wire["stopping"],
                "log": wire["log"],
                "final_bytes": wire["final_bytes"],
                "finals": wire["finals"],
                "metrics": sorted(wire["metrics"]),
                "series": sorted(([m, dict(t)] for m, t in wire["series"]), key=json.dumps),
                "requests": sorted(dict(t).get("name", "") for t in wire["requests"]),
                "request_series": len(wire["requests"]),
            }, f)


class Load(FastHttpUser):
    host = os.environ["BENCH_HTTP_HOST"]
    n = 0

    @task
    def hit(self):
        Load.n += 1
        self.client.get(os.environ["BENCH_PATH"], name=f"/name{Load.n % NAMES}")


if os.environ.get("BENCH_METRICS") == "all":
    import genesis_load.ai as ai
    import genesis_load.streaming as st

    MIX = json.loads(os.environ["BENCH_MIX"])
    DEMO = os.environ["BENCH_DEMO_HOST"]

    class Sse(st.GenesisSSEUser):  # sse_* on the tick feed (20 events, 50 ms apart)
        host = DEMO
        fixed_count = MIX["sse"]

    class Ws(st.GenesisWebSocketUser):  # ws_* (echo rtt, subscription pushes, pings)
        host = DEMO
        fixed_count = MIX["ws"]

    class ChatStream(st.GenesisChatStreamUser):  # sse_* on /v1/chat/completions
        host = DEMO
        fixed_count = MIX["chat"]

    class Agent(ai.GenesisAgentUser):  # ai_* tagged agent, complexity (+ reason on failure)
        host = DEMO
        fixed_count = MIX["agents"]
"""

#: Streaming and AI users per run in ``all`` mode (fixed counts, split over the workers).
MIX = {"sse": 4, "ws": 4, "chat": 2, "agents": 14}
#: The demo target for ``all``: AI answers 5x faster than real time, and a light fault mix so
#: that failures (tagged by reason) are shipped as well.
DEMO_ARGS = ["--ai-speed", "5", "--max-inflight", "4096"]
DEMO_FAULTS = {"malformed_rate": 0.01, "truncate_rate": 0.03, "empty_rate": 0.01}
DECLARED = sorted(
    {getattr(streaming_metrics, n).name for n in streaming_metrics.__all__}
    | {getattr(ai_metrics, n).name for n in ai_metrics.__all__}
)
MODES = ("1 process", "master + 1 worker", "master + 2 workers")
FAMILIES = ("http_", "sse_", "ws_", "ai_")


def run(
    mode: str,
    metrics: str,
    http_host: str,
    path: str,
    demo_host: str | None,
    users: int,
    duration_s: int,
    names: int,
    tmp: Path,
) -> dict[str, Any]:
    locustfile = tmp / "bench_locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    tag = f"{metrics}-{mode.replace(' ', '_')}"
    out = tmp / f"{tag}.json"
    wire = tmp / f"{tag}.wire.json"
    env = {
        **os.environ,
        "BENCH_NAMES": str(names),
        "BENCH_WIRE_PATH": str(wire),
        "BENCH_PATH": path,
        "BENCH_HTTP_HOST": http_host,
        "BENCH_METRICS": metrics,
        "BENCH_MIX": json.dumps(MIX),
        "BENCH_DEMO_HOST": demo_host or "",
    }
    total = users + (sum(MIX.values()) if metrics == "all" else 0)
    base = [sys.executable, "-m", "locust", "-f", str(locustfile), "--loglevel", "WARNING"]
    cmd = [*base, "--headless", "-u", str(total), "-r", str(total), "-t", f"{duration_s}s",
           "--summary-json", str(out), "--only-summary",
           "--no-genesis-summary", "--no-host-check"]  # fmt: skip
    workers = MODES.index(mode)
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
    shipped = json.loads(wire.read_text()) if wire.exists() else {}
    reqs = float(m["http_reqs"]["values"]["count"])
    start, stopping = shipped.get("start"), shipped.get("stopping")
    # the load's own window (test start -> the time limit), not the graceful stop after it: the
    # AI conversations may take seconds to end, with no HTTP traffic meanwhile
    load_s = stopping - start if start and stopping else float(doc["meta"]["duration_s"])
    wire_bps, in_window, reports = _wire_rate(shipped.get("log", []), stopping)
    shipped["reports"], shipped["reports_in_window"] = reports, in_window
    return {
        "reqs": reqs,
        "rps": reqs / load_s,
        "p95": float(m["http_req_duration"]["values"]["p(95)"]),
        "wire_bps": wire_bps,
        "wall_s": wall_s,
        "load_s": load_s,
        "results_metrics": sorted(m),
        "shipped": shipped if shipped.get("log") else {},
    }


def _wire_rate(log: list[list[Any]], stopping: float | None) -> tuple[float, int, int]:
    """Mean over the workers of (report bytes / seconds of data they span), load window only.

    A report counts when the data it carries ends by the load's end (one 1-s interval of
    slack: the interval the time limit falls in); its bytes are divided by the span from the
    worker's first data to its last counted data. Returns (B/s, reports counted, reports).
    """
    per_worker: dict[str, list[float]] = {}  # worker -> [bytes, data from, data to]
    counted = 0
    for worker, size, received, lo, hi in log:
        if stopping is not None and (hi if hi is not None else received) > stopping + 1.0:
            continue
        counted += 1
        acc = per_worker.setdefault(worker, [0.0, float("inf"), float("-inf")])
        acc[0] += size
        if lo is not None and hi is not None:
            acc[1], acc[2] = min(acc[1], lo), max(acc[2], hi)
    rates = [b / (hi - lo) for b, lo, hi in per_worker.values() if hi > lo]
    return (sum(rates) / len(rates) if rates else 0.0), counted, len(log)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration-s", type=int, default=20)
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--names", type=int, default=50)
    ap.add_argument("--target", choices=("nginx", "demo"), default="nginx")
    ap.add_argument("--metrics", choices=("http", "all", "both"), default="both")
    ap.add_argument("--wire-dump", type=Path, help="write what each run shipped to this JSON file")
    args = ap.parse_args()
    if not 1 <= args.duration_s <= 120:
        ap.error("--duration-s must be within 1..120")
    sets = ("http", "all") if args.metrics == "both" else (args.metrics,)
    mix = ", ".join(f"{v} {k}" for k, v in MIX.items())
    table = Table(title=f"{args.users} HTTP users, {args.names} request names, {args.duration_s} s"
                        f", {args.target} on 127.0.0.1, {os.cpu_count()} cores; all = + {mix} "
                        "users on the demo target")  # fmt: skip
    for col in ("metrics", "processes", "HTTP req/s", "served", "recorded", "p95 ms",
                "wire B/s per worker", "names / series shipped"):  # fmt: skip
        table.add_column(col, justify="right")
    notes: list[str] = []
    dump: dict[str, Any] = {}
    problems = 0
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        nginx = Nginx(cpu=0) if args.target == "nginx" else None
        demo: TargetProcess | None = None
        try:
            if args.target == "demo" or "all" in sets:
                faults = ["--faults", json.dumps(DEMO_FAULTS)] if "all" in sets else []
                demo = TargetProcess([*DEMO_ARGS, *faults]).start()
            if nginx is not None:
                http_host, path = nginx.url, "/"
            else:
                assert demo is not None
                http_host, path = demo.base_url, "/health"
            for metrics in sets:
                if demo is not None and args.target == "demo":
                    demo.set_faults({} if metrics == "http" else DEMO_FAULTS)
                for mode in MODES:
                    before = _served(nginx, demo)
                    r = run(mode, metrics, http_host, path, demo.base_url if demo else None,
                            args.users, args.duration_s, args.names, tmp)  # fmt: skip
                    served = _served(nginx, demo) - before
                    line, note, ok = _shipped(mode, metrics, r)
                    problems += not ok
                    if note:
                        notes.append(note)
                    dump[f"{metrics} / {mode}"] = {
                        k: v for k, v in r.items() if k in ("shipped", "results_metrics", "load_s")
                    }
                    wire = f"{r['wire_bps']:,.0f}" if r["wire_bps"] else "-"
                    cells = (f"{r['rps']:,.0f}", f"{served:,}", f"{r['reqs']:,.0f}",
                             f"{r['p95']:.1f}", wire, line)  # fmt: skip
                    table.add_row(metrics, mode, *cells)
                table.add_section()
        finally:
            if nginx is not None:
                nginx.stop()
            if demo is not None:
                demo.close()
    console = Console(width=160)
    console.print(table)
    for note in notes:
        console.print(note, highlight=False)
    if args.wire_dump:
        args.wire_dump.write_text(json.dumps(dump, indent=1))
    if problems:
        console.print(f"[red]{problems} run(s) did not ship what they should (see above)[/red]")
        sys.exit(1)


def _shipped(mode: str, metrics: str, r: dict[str, Any]) -> tuple[str, str, bool]:
    """The table cell, a note on what the wire and the results held, and whether it is whole."""
    results = r["results_metrics"]
    missing_families = [f for f in FAMILIES if not any(n.startswith(f) for n in results)]
    want = FAMILIES if metrics == "all" else ("http_",)
    ok = not any(f in missing_families for f in want)
    note = ""
    if not ok:
        note = f"{metrics}, {mode}: no {', '.join(f + '*' for f in want if f in missing_families)}"
        note += " metric in the results JSON"
    shipped = r["shipped"]
    if not shipped:
        return "-", note, ok
    sink_metrics = set(shipped["metrics"])
    series = shipped["series"]
    from_requests = {n for n in results if n.startswith(("http_", "data_")) and "{" not in n}
    names = len(sink_metrics) + len(from_requests)
    cell = f"{names} / {len(series) + shipped['request_series']}"
    if metrics != "all":
        note = (
            f"{metrics}, {mode}: shipped {names} metric names and "
            f"{len(series) + shipped['request_series']} series in {shipped['reports']} reports "
            f"({shipped['reports_in_window']} in the load window, in B/s) and "
            f"{shipped.get('finals', 0)} finals ({_kb(shipped.get('final_bytes', {}))} kB per "
            "worker, not in B/s)" + (f". {note}" if note else "")
        )
    else:
        by_family = {
            f: (
                len([n for n in sink_metrics if n.startswith(f)]),
                len([s for s in series if s[0].startswith(f)]),
            )
            for f in FAMILIES[1:]
        }
        tag_keys = sorted({k for _, tags in series for k in tags})
        absent = [n for n in DECLARED if n not in sink_metrics]
        note = (
            f"{metrics}, {mode}: shipped {names} metric names and "
            f"{len(series) + shipped['request_series']} series in {shipped['reports']} reports "
            f"({shipped['reports_in_window']} in the load window, in B/s) "
            f"and {shipped.get('finals', 0)} finals "
            f"({_kb(shipped.get('final_bytes', {}))} kB per worker, not in B/s): "
            f"{shipped['request_series']} HTTP request series ({len(set(shipped['requests']))} "
            "names); "
            + "; ".join(f"{f}*: {a} names, {b} series" for f, (a, b) in by_family.items())
            + f"; tag keys {', '.join(tag_keys)}; declared sse_/ws_/ai_ metrics not shipped "
            f"(no sample in the run): {', '.join(absent) or 'none'}" + (f". {note}" if note else "")
        )
        if not all(a for a, _ in by_family.values()):
            ok = False
            note += " -- a family is MISSING from the wire"
    return cell, note, ok


def _kb(per_worker: dict[str, int]) -> str:
    return f"{sum(per_worker.values()) / max(len(per_worker), 1) / 1000:.1f}"


def _served(nginx: Nginx | None, demo: TargetProcess | None) -> int:
    """Requests the HTTP target served so far (nginx's access log, else the demo's /metrics)."""
    if nginx is not None:
        return nginx.served()
    from prometheus_client.parser import text_string_to_metric_families

    assert demo is not None
    text = demo.metrics_text()
    return sum(
        int(s.value)
        for family in text_string_to_metric_families(text)
        if family.name == "genesis_http_requests"
        for s in family.samples
        if s.name.endswith("_total")
    )


if __name__ == "__main__":
    main()
