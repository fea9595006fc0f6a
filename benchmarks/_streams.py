"""A reduced pass of benchmarks/streaming.py and benchmarks/ai.py for the side-by-side table.

    python -m benchmarks._streams --sse 100 --ws 50 --ai 25 --seconds 3   # prints one JSON

One level of each (N SSE streams at 20 events/s, N WebSocket echo sessions at 20/s, N
streaming AI conversations), run with those scripts' own functions, servers and error
definitions (read their docstrings); this module only picks the levels and reduces each to
its headline figures: |error| p50 / p99 in ms, the share of the expected samples measured,
and this process's CPU. A separate process because those scripts monkey-patch with gevent;
``python -m benchmarks`` runs it as a subprocess (bounded) and turns the JSON into rows.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()  # as benchmarks/streaming.py and benchmarks/ai.py do, before any import

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from locust.env import Environment  # noqa: E402

from benchmarks import ai, streaming  # noqa: E402
from genesis_load.metrics import Collector  # noqa: E402
from genesis_load.metrics.metric import samples  # noqa: E402


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process)."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.perf_counter() - wall0, time.process_time() - cpu0


def _percentiles(errors: Any, absolute: bool = True) -> dict[str, float | None]:
    """p50 / p99 of the errors (of their absolute values unless told: as those scripts do)."""
    values = np.asarray(errors, dtype=float)
    values = np.abs(values) if absolute else values
    if not values.size:
        return {"p50_ms": None, "p99_ms": None}
    p50, p99 = np.percentile(values, [50, 99])
    return {"p50_ms": float(p50), "p99_ms": float(p99)}


def measure(sse_n: int, ws_n: int, ai_n: int, seconds: float) -> dict[str, Any]:
    env = Environment()
    collector = Collector(time.time())

    def record(metric: Any, value: float, tags: Any) -> None:  # as ai.main records
        collector.record(metric, value, tags)
        if metric.name == "sse_events":
            ai._EVENTS[0] += int(value)

    samples.add_listener(record)
    per_stream = int(seconds / streaming.INTERVAL_S)
    servers = [streaming._server(script) for script in ("sse_server.py", "ws_server.py")]
    servers.append(streaming._server("../ai/openai_server.py"))  # tests/ai/openai_server.py
    (_, sse_port), (_, ws_port), (_, ai_port) = servers
    gc.freeze()  # docs/streaming.md: keep full collections from pausing every stream
    out: dict[str, Any] = {"seconds": seconds}
    try:
        base = f"http://127.0.0.1:{sse_port}"
        errors, wall, cpu = _timed(lambda: streaming._sse(base, sse_n, seconds, env))
        out["sse"] = {
            "n": sse_n,
            **_percentiles(errors),
            "measured_share": len(errors) / (sse_n * (per_stream - 1)),
            "cpu_percent": 100 * cpu / wall,
        }
        base = f"ws://127.0.0.1:{ws_port}"
        errors, wall, cpu = _timed(lambda: streaming._ws(base, ws_n, seconds, env))
        out["ws"] = {
            "n": ws_n,
            **_percentiles(errors),
            "measured_share": len(errors) / (ws_n * per_stream),
            "cpu_percent": 100 * cpu / wall,
        }
        itl_ms = 25
        r = ai._level(f"http://127.0.0.1:{ai_port}", ai_n, seconds, itl_ms, env)
        ttft, itl = _percentiles(r["ttft"], absolute=False), _percentiles(r["itl"])
        out["ai"] = {
            "n": ai_n,
            "itl_ms": itl_ms,
            "turns": r["turns"],
            "ttft_p50_ms": ttft["p50_ms"],
            "ttft_p99_ms": ttft["p99_ms"],
            "itl_p50_ms": itl["p50_ms"],
            "itl_p99_ms": itl["p99_ms"],
            "cpu_us_per_chunk": r["cpu"] / max(r["events"], 1) * 1e6,
            "cpu_percent": 100 * r["cpu"] / r["wall"],
        }
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(10)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sse", type=int, default=100, help="SSE streams at 20 events/s")
    parser.add_argument("--ws", type=int, default=50, help="WebSocket echo sessions at 20/s")
    parser.add_argument("--ai", type=int, default=25, help="streaming AI conversations")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print(json.dumps(measure(args.sse, args.ws, args.ai, args.seconds)))


if __name__ == "__main__":
    main()
