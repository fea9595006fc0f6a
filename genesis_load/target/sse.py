"""The SSE tick feed: ``GET /api/v1/stream/events?count=N&interval_ms=M[&keepalive_ms=K]``.

Stream layout (``text/event-stream``)::

    id: <seq>
    event: tick
    data: {"seq": <seq>, "server_send_ns": <time.time_ns()>}
                                           ... one per interval_ms, seq = 1..count
    : keepalive                            ... every keepalive_ms while waiting (0 = never)
    event: end
    data: {"last_seq": <count>, "sent": <ticks sent on this connection>}

A ``Last-Event-ID: k`` request header resumes after seq k (the first tick is k + 1). Tick k is
due at ``start + (k - first) * interval_ms``; a late tick is sent at once, never skipped.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web

from genesis_load.target.params import int_param
from genesis_load.target.responses import dumps, json_error
from genesis_load.target.sse_wire import sse_comment, sse_frame
from genesis_load.target.state import STATE

__all__ = ["stream_events"]

log = logging.getLogger("genesis_load.target")
MAX_COUNT = 100_000
MAX_INTERVAL_MS = 60_000


async def stream_events(request: web.Request) -> web.StreamResponse:
    problems: dict[str, str] = {}
    query = request.query
    count = int_param(query, "count", problems, default=10, low=1, high=MAX_COUNT)
    interval_ms = int_param(
        query, "interval_ms", problems, default=100, low=0, high=MAX_INTERVAL_MS
    )
    keepalive_ms = int_param(
        query, "keepalive_ms", problems, default=0, low=0, high=MAX_INTERVAL_MS
    )
    last_id = int_param(
        request.headers, "Last-Event-ID", problems, default=0, low=0, high=MAX_COUNT
    )
    if problems or count is None or interval_ms is None or keepalive_ms is None:
        return json_error(400, "invalid stream parameters", problems=problems)
    state = request.app[STATE]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    start = last_write = loop.time()
    first = (last_id or 0) + 1
    sent = 0
    path = request.path
    with state.streaming():
        try:
            for seq in range(first, count + 1):
                due = start + (seq - first) * interval_ms / 1000.0
                while keepalive_ms and last_write + keepalive_ms / 1000.0 < due:
                    await asyncio.sleep(max(0.0, last_write + keepalive_ms / 1000.0 - loop.time()))
                    await response.write(sse_comment("keepalive"))
                    last_write = loop.time()
                delay_s = due - loop.time()
                if delay_s > 0:
                    await asyncio.sleep(delay_s)
                data = dumps({"seq": seq, "server_send_ns": time.time_ns()})
                malformed = state.faults.malformed(path)
                await response.write(
                    sse_frame(data, event="tick", event_id=str(seq), malformed=malformed)
                )
                state.metrics.sse_events.inc()
                last_write = loop.time()
                sent += 1
            await response.write(sse_frame(dumps({"last_seq": count, "sent": sent}), event="end"))
            state.metrics.sse_events.inc()
            await response.write_eof()
        except ConnectionError:
            log.debug("SSE client left after %d events", sent)
        except asyncio.CancelledError:
            if not state.closing:
                raise
            log.debug("SSE stream ended by shutdown after %d events", sent)
        except Exception:
            log.exception("error in SSE stream")
    return response
