"""How many SSE streams and WebSocket echo sessions one process measures accurately.

    python benchmarks/streaming.py [--sse 50,100,150,200] [--ws 25,50,100] [--seconds 5] [--pin]

Servers genesis-load did not write run as subprocesses (tests/streaming/sse_server.py:
sse-starlette on uvicorn; tests/streaming/ws_server.py: the ``websockets`` package); this
process runs gevent, genesis_load.streaming and a genesis-load Collector recording every
sample as a Locust run would. ``--pin`` puts the servers on core 0 and this process on core 1
(on a machine shared with other work, pinning made the tails worse: off by default).

* SSE: N streams of 20 events/s (``interval_ms=50``), each ``--seconds`` long. Error per
  event = client gap - server gap, both CLOCK_MONOTONIC (the server writes
  ``time.perf_counter()`` into each event), so server jitter is not counted.
* WebSocket: N sessions, each sending an echo request every 50 ms (20/s) to an echo that
  answers at once. Error per reply = ``ws_rtt`` - the server's hold time (its recv -> send).

Streams and sessions start at random times over the first second (random phases: no
connection storm, no lock-step bursts). After set-up the process calls ``gc.freeze()`` (see
docs/streaming.md). A level is *held* when |error| is under 1 ms at p50 and 5 ms at p99.
Each ladder stops at the first level not held. Prints one table; ``others`` is the share of
all CPUs used meanwhile by processes other than this one and the two servers (on a shared
machine, read a level with a high ``others`` as a lower bound).
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import itertools  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402
from locust.env import Environment  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from genesis_load.metrics import Collector  # noqa: E402
from genesis_load.metrics.metric import samples  # noqa: E402
from genesis_load.streaming import SSEEvent, SSEOptions, SSESession, WebSocketSession  # noqa: E402

PIN = "--pin" in sys.argv
INTERVAL_S = 0.05  # 20 events or requests per second per stream or session
P50_MS, P99_MS = 1.0, 5.0


def _server(script: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "streaming" / script)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    port = int(proc.stdout.readline().split()[1])
    if PIN:
        _pin(proc.pid, 0)
    return proc, port


def _pin(pid: int, core: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(pid, {core})


def _sse(base: str, n: int, seconds: float, env: Environment) -> list[float]:
    errors: list[float] = []
    count = int(seconds / INTERVAL_S)

    def one() -> None:
        seen: list[tuple[float, float]] = []

        def note(event: SSEEvent) -> None:
            if isinstance(event.payload, dict) and "mono" in event.payload:
                seen.append((event.received_s, event.payload["mono"]))

        session = SSESession(env, base, options=SSEOptions(stall_s=5))
        session.stream(f"/ticks?count={count}&interval_ms={int(INTERVAL_S * 1000)}", note)
        session.close()
        errors.extend(
            ((r1 - r0) - (s1 - s0)) * 1000.0 for (r0, s0), (r1, s1) in itertools.pairwise(seen)
        )

    rng = random.Random(n)
    greenlets = [gevent.spawn_later(rng.uniform(0, 1), one) for _ in range(n)]
    gevent.joinall(greenlets, timeout=seconds + 60)
    return errors


def _ws(base: str, n: int, seconds: float, env: Environment) -> list[float]:
    errors: list[float] = []

    def one(phase_s: float) -> None:
        session = WebSocketSession(env, f"{base}/echo")
        if not session.connect():
            return
        gevent.sleep(max(0.0, start_at - time.perf_counter()))  # all connected before measuring
        start = time.perf_counter() + phase_s
        k = 0
        while (due := start + k * INTERVAL_S) < start + seconds:
            gevent.sleep(max(0.0, due - time.perf_counter()))
            reply = session.request({"k": k}, timeout_s=5)
            if reply is not None and reply.rtt_ms is not None:
                errors.append(reply.rtt_ms - reply.payload["held_ms"])
            k += 1
        session.close()

    rng = random.Random(n)
    start_at = time.perf_counter() + 1.0
    greenlets = [
        gevent.spawn_later(rng.uniform(0, 0.9), one, rng.uniform(0, INTERVAL_S)) for _ in range(n)
    ]
    gevent.joinall(greenlets, timeout=seconds + 60)
    return errors


def _busy_s(pids: list[int]) -> tuple[float, float]:
    """(CPU seconds used by the whole machine, by these processes) so far."""
    t = psutil.cpu_times()
    ours = sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0)), ours


def _ladder(
    kind: str, levels: list[int], run: Callable[[int], list[float]], table: Table, pids: list[int]
) -> int:
    held = 0
    for n in levels:
        cpu_s, wall_s = time.process_time(), time.perf_counter()
        machine0, ours0 = _busy_s(pids)
        errors = np.abs(run(n))
        wall = time.perf_counter() - wall_s
        cpu = (time.process_time() - cpu_s) / wall
        machine1, ours1 = _busy_s(pids)
        others = max(0.0, (machine1 - machine0) - (ours1 - ours0)) / (wall * (os.cpu_count() or 1))
        p50, p95, p99 = np.percentile(errors, [50, 95, 99]) if len(errors) else (np.inf,) * 3
        ok = bool(p50 < P50_MS and p99 < P99_MS)
        table.add_row(
            kind, str(n), f"{n / INTERVAL_S:.0f}", str(len(errors)), f"{p50:.2f}", f"{p95:.2f}",
            f"{p99:.2f}", f"{cpu:.0%}", f"{others:.0%}", "held" if ok else "NOT held",
        )  # fmt: skip
        if not ok:
            break
        held = n
    return held


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sse", default="25,50,100,150,200,250,300")
    parser.add_argument("--ws", default="10,25,50,75,100,150,200")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--pin", action="store_true", help="servers on core 0, client on core 1")
    args = parser.parse_args()
    env = Environment()
    collector = Collector(time.time())
    samples.add_listener(lambda metric, value, tags: collector.record(metric, value, tags))
    if args.pin:
        _pin(0, 1)
    sse_proc, sse_port = _server("sse_server.py")
    ws_proc, ws_port = _server("ws_server.py")
    gc.freeze()  # docs/streaming.md: keep full collections from pausing every stream
    table = Table(title="streams one process measures within |error| p50 < 1 ms, p99 < 5 ms")
    for column in ("kind", "concurrent", "msgs/s", "samples", "p50 ms", "p95 ms", "p99 ms",
                   "client CPU", "others", "verdict"):  # fmt: skip
        table.add_column(column, justify="right")
    try:
        sse_base, ws_base = f"http://127.0.0.1:{sse_port}", f"ws://127.0.0.1:{ws_port}"
        levels = [int(x) for x in args.sse.split(",")]
        pids = [os.getpid(), sse_proc.pid, ws_proc.pid]
        sse = _ladder("SSE", levels, lambda n: _sse(sse_base, n, args.seconds, env), table, pids)
        levels = [int(x) for x in args.ws.split(",")]
        ws = _ladder("WebSocket", levels, lambda n: _ws(ws_base, n, args.seconds, env), table, pids)
    finally:
        for proc in (sse_proc, ws_proc):
            proc.terminate()
            proc.wait(10)
    console = Console()
    console.print(table)
    console.print(f"held: {sse} SSE streams at 20 events/s, {ws} WebSocket echo sessions at 20/s")


if __name__ == "__main__":
    main()
