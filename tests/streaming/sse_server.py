"""An independent SSE server for the streaming tests: sse-starlette on uvicorn (not ours).

Run as ``python -m tests.streaming.sse_server``; it binds 127.0.0.1:0 and prints
``listening <port>``. Routes (query parameters control the timing the tests assert on):

* ``/ticks?count=N&interval_ms=M&stall_before=K&stall_ms=S&pad=B&end=1&error_after=E``:
  events ``id: i``, ``event: tick``, ``data: {"seq": i, "sent_at": <epoch s>, "mono": <s>}`` due at
  ``start + (i - 1) * M`` (plus ``S`` from event K on), then ``event: end`` when ``end=1``.
  ``error_after=E`` sends ``event: error`` after tick E instead of going on.
* ``/resume?count=N&break_after=K&skip=L&retry_ms=R``: like ticks with ``retry: R``; the first
  connection breaks (closes) after K events; a reconnect with ``Last-Event-ID: j`` resumes at
  ``j + 1 + L`` (L ids skipped, i.e. lost).
* ``/error-payload``: one tick, then ``data: {"error": "quota exceeded"}``.
* ``/invalid``: one tick, then ``data: not json``.
* ``/json``: a 200 ``application/json`` (not a stream); ``/status/500``: an HTTP 500.
* ``/silent``: headers, then nothing; ``/never``: no headers at all (the handler hangs).
* ``/stats``: ``{"connections": {path: n}, "events": {path: n}}`` counted by this server.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator

import uvicorn
from sse_starlette.sse import EventSourceResponse, ServerSentEvent
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

CONNECTIONS: Counter[str] = Counter()
EVENTS: Counter[str] = Counter()
NO_PING = 3600  # sse-starlette's keepalive comment period, seconds (off for these tests)


def _int(request: Request, key: str, default: int) -> int:
    return int(request.query_params.get(key, default))


def _tick(seq: int, pad: int) -> dict[str, object]:
    # mono: the server's CLOCK_MONOTONIC (time.perf_counter on Linux, the same clock in every
    # process), so a test can compare the client's gaps with the server's send gaps
    data = json.dumps(
        {"seq": seq, "sent_at": time.time(), "mono": time.perf_counter(), "pad": "x" * pad}
    )
    return {"id": str(seq), "event": "tick", "data": data}


async def ticks(request: Request) -> Response:
    count, interval = _int(request, "count", 10), _int(request, "interval_ms", 50) / 1000
    stall_before, stall = _int(request, "stall_before", 0), _int(request, "stall_ms", 0) / 1000
    pad, end, error_after = (
        _int(request, "pad", 0),
        _int(request, "end", 1),
        _int(request, "error_after", 0),
    )
    CONNECTIONS["/ticks"] += 1

    async def events() -> AsyncIterator[dict[str, object]]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        for seq in range(1, count + 1):
            due = (
                start
                + (seq - 1) * interval
                + (stall if stall_before and seq >= stall_before else 0)
            )
            await asyncio.sleep(max(0.0, due - loop.time()))
            EVENTS["/ticks"] += 1
            yield _tick(seq, pad)
            if error_after and seq == error_after:
                yield {"event": "error", "data": json.dumps({"message": "backend failed"})}
                return
        if end:
            yield {"event": "end", "data": json.dumps({"last_seq": count})}

    return EventSourceResponse(events(), ping=NO_PING)


async def resume(request: Request) -> Response:
    count, break_after = _int(request, "count", 10), _int(request, "break_after", 3)
    skip, retry_ms = _int(request, "skip", 0), _int(request, "retry_ms", 100)
    last = request.headers.get("last-event-id")
    first = 1 if last is None else int(last) + 1 + skip
    CONNECTIONS["/resume"] += 1

    async def events() -> AsyncIterator[ServerSentEvent]:
        for n, seq in enumerate(range(first, count + 1), start=1):
            await asyncio.sleep(0.01)
            EVENTS["/resume"] += 1
            yield ServerSentEvent(
                json.dumps({"seq": seq}), id=str(seq), event="tick", retry=retry_ms
            )
            if last is None and n == break_after:
                return  # ends the body without the terminal event: the client sees a break
        yield ServerSentEvent(json.dumps({"last_seq": count}), event="end")

    return EventSourceResponse(events(), ping=NO_PING)


def _one_then(data: str) -> Response:
    async def events() -> AsyncIterator[dict[str, object]]:
        yield _tick(1, 0)
        await asyncio.sleep(0.01)
        yield {"data": data}

    return EventSourceResponse(events(), ping=NO_PING)


async def error_payload(request: Request) -> Response:
    return _one_then(json.dumps({"error": "quota exceeded"}))


async def invalid(request: Request) -> Response:
    return _one_then("not json")


async def wrong_type(request: Request) -> Response:
    return JSONResponse({"events": []})


async def status_500(request: Request) -> Response:
    return PlainTextResponse("upstream exploded", status_code=500)


async def silent(request: Request) -> Response:
    async def events() -> AsyncIterator[dict[str, object]]:
        await asyncio.sleep(3600)
        yield {"data": "{}"}

    return EventSourceResponse(events(), ping=NO_PING)


async def never(request: Request) -> Response:
    await asyncio.sleep(3600)
    return PlainTextResponse("late")


async def stats(request: Request) -> Response:
    return JSONResponse({"connections": dict(CONNECTIONS), "events": dict(EVENTS)})


app = Starlette(
    routes=[
        Route("/ticks", ticks),
        Route("/resume", resume),
        Route("/error-payload", error_payload),
        Route("/invalid", invalid),
        Route("/json", wrong_type),
        Route("/status/500", status_500),
        Route("/silent", silent),
        Route("/never", never),
        Route("/stats", stats),
    ]
)


def main() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)  # connections queue from now on, before uvicorn starts accepting
    print(f"listening {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
