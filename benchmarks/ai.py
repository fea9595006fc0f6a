"""How many streaming AI conversations one process measures accurately, and the CPU per chunk.

    python benchmarks/ai.py [--levels 1,10,25,50,75,100,150] [--seconds 6] [--itl-ms 25]

The server is tests/ai/openai_server.py (Starlette + sse-starlette on uvicorn, not
genesis-load), an OpenAI-compatible ``/v1/chat/completions`` that streams 40 tokens, one per
chunk, the first 200 ms after the request and then every ``--itl-ms``, with a usage chunk and
``[DONE]``. This process runs gevent and genesis_load.ai's ChatTurns (SSESession, the chunk
log, the scorer, every ``ai_*`` and ``sse_*`` sample recorded into a genesis-load Collector
as a Locust run would). N conversations run at once, each turn after turn, starting at random
times over the first second; after set-up the process calls ``gc.freeze()``.

Errors are measured against the server's own clock (CLOCK_MONOTONIC, shared by processes):
the server records when each request reached the app and when it handed each content chunk to
the transport. TTFT error = client ``ai_ttft`` - server (first chunk - arrival); it holds the
request's way in through requests' own preparation (~1 ms here) and the loopback, present with
one conversation already, so the table also shows it *above the first level's p50*. ITL error
= client ``ai_itl`` gap - the server's gap between the same two chunks. A level is *held* when
the ITL error is under 1 ms at p50 and 5 ms at p99, and the TTFT error p50 is under 1 ms above
the first level's. CPU per chunk = this process's CPU time / SSE events received (content,
role, finish and usage chunks, ``[DONE]``). ``others``: the share of all CPUs other processes
used meanwhile (on a shared machine, read a level with a high ``others`` as a lower bound).
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import numpy as np  # noqa: E402
import psutil  # noqa: E402
from locust.env import Environment  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from genesis_load.ai import KeywordScorer, OpenAIChatAPI, Prompt, TurnTargets  # noqa: E402
from genesis_load.ai.chat_turn import ChatTurns, chat_http  # noqa: E402
from genesis_load.ai.users import AI_SSE_OPTIONS  # noqa: E402
from genesis_load.metrics import Collector  # noqa: E402
from genesis_load.metrics.metric import samples  # noqa: E402
from genesis_load.streaming import SSESession  # noqa: E402

TOKENS, TTFT_MS = 40, 200
P50_MS, P99_MS = 1.0, 5.0


def _stats(base: str) -> list[dict[str, Any]]:
    req = urllib.request.Request(f"{base}/stats", method="DELETE")
    with urllib.request.urlopen(req, timeout=30) as resp:
        records: list[dict[str, Any]] = json.loads(resp.read())["requests"]
    return records


def _level(base: str, n: int, seconds: float, itl_ms: int, env: Environment) -> dict[str, Any]:
    """Run n conversations for ``seconds``; errors (ms) against the server, chunks, CPU."""
    per_greenlet: dict[Any, list[list[float]]] = defaultdict(list)  # [ttft, gap, gap, ...]

    def listen(metric: Any, value: float, tags: Any) -> None:
        if metric.name == "ai_ttft":
            per_greenlet[gevent.getcurrent()].append([value])
        elif metric.name == "ai_itl":
            per_greenlet[gevent.getcurrent()][-1].append(value)

    samples.add_listener(listen)
    ids: dict[Any, str] = {}
    model = f"ttft{TTFT_MS}-itl{itl_ms}-tok{TOKENS}"

    def one(client_id: str, end_s: float) -> None:
        ids[gevent.getcurrent()] = client_id
        sse = SSESession(env, base, http=chat_http(), options=AI_SSE_OPTIONS)
        chat = ChatTurns(
            sse, OpenAIChatAPI(), KeywordScorer(), TurnTargets(),
            headers={"X-Client-Id": client_id},
        )  # fmt: skip
        while time.perf_counter() < end_s:
            chat.turn(Prompt(model, "Tell me something."), [], client_id)
        sse.http.close()

    _stats(base)
    rng = random.Random(n)
    cpu0, wall0, events0 = time.process_time(), time.perf_counter(), _events()
    end_s = wall0 + 1.0 + seconds
    greenlets = [gevent.spawn_later(rng.uniform(0, 1), one, f"c{i}", end_s) for i in range(n)]
    gevent.joinall(greenlets, timeout=seconds + 60)
    cpu, wall, events = time.process_time() - cpu0, time.perf_counter() - wall0, _events() - events0
    samples.remove_listener(listen)
    served: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in _stats(base):
        served[record["client"]].append(record)
    ttft_err, itl_err = [], []
    for g, turns in per_greenlet.items():
        for turn, record in zip(turns, served[ids[g]], strict=False):
            writes = record["writes"]
            ttft_err.append(turn[0] - (writes[0] - record["arrival"]) * 1000.0)
            gaps = np.diff(writes) * 1000.0
            itl_err += [c - s for c, s in zip(turn[1:], gaps, strict=False)]
    return {
        "ttft": np.array(ttft_err), "itl": np.array(itl_err), "events": events,
        "cpu": cpu, "wall": wall, "turns": sum(len(t) for t in per_greenlet.values()),
    }  # fmt: skip


_EVENTS = [0]


def _events() -> int:
    return _EVENTS[0]


def _busy_s(pids: list[int]) -> tuple[float, float]:
    t = psutil.cpu_times()
    ours = sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)
    return float(sum(t) - t.idle - getattr(t, "iowait", 0.0)), ours


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--levels", default="1,10,25,50,75,100,150")
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--itl-ms", type=int, default=25)
    args = parser.parse_args()
    env = Environment()
    collector = Collector(time.time())

    def record(metric: Any, value: float, tags: Any) -> None:
        collector.record(metric, value, tags)
        if metric.name == "sse_events":
            _EVENTS[0] += int(value)

    samples.add_listener(record)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "ai" / "openai_server.py")],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.stdout is not None
    base = f"http://127.0.0.1:{int(proc.stdout.readline().split()[1])}"
    gc.freeze()  # docs/streaming.md: keep full collections from pausing every stream
    table = Table(
        title=f"AI conversations one process measures (40 tokens, TTFT {TTFT_MS} ms, "
        f"ITL {args.itl_ms} ms); errors vs the server's clock, ms"
    )
    columns = ("concurrent", "chunks/s", "turns", "TTFT err p50", "p99", "above 1st p50",
               "ITL err p50", "p99", "CPU/chunk", "client CPU", "others", "verdict")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right")
    held, first_p50 = 0, None
    try:
        for n in (int(x) for x in args.levels.split(",")):
            machine0, ours0 = _busy_s([os.getpid(), proc.pid])
            r = _level(base, n, args.seconds, args.itl_ms, env)
            machine1, ours1 = _busy_s([os.getpid(), proc.pid])
            others = max(0.0, (machine1 - machine0) - (ours1 - ours0)) / (
                r["wall"] * (os.cpu_count() or 1)
            )
            t50, t99 = np.percentile(r["ttft"], [50, 99])
            i50, i99 = np.percentile(np.abs(r["itl"]), [50, 99])
            first_p50 = t50 if first_p50 is None else first_p50
            ok = bool(i50 < P50_MS and i99 < P99_MS and t50 - first_p50 < P50_MS)
            table.add_row(
                str(n), f"{r['events'] / r['wall']:.0f}", str(r["turns"]), f"{t50:.2f}",
                f"{t99:.2f}", f"{t50 - first_p50:+.2f}", f"{i50:.2f}", f"{i99:.2f}",
                f"{r['cpu'] / max(r['events'], 1) * 1e6:.0f} µs", f"{r['cpu'] / r['wall']:.0%}",
                f"{others:.0%}", "held" if ok else "NOT held",
            )  # fmt: skip
            if not ok:
                break
            held = n
    finally:
        proc.terminate()
        proc.wait(10)
    console = Console(width=170)
    console.print(table)
    console.print(f"held: {held} concurrent streaming conversations in one process")


if __name__ == "__main__":
    main()
