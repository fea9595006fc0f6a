"""An independent OpenAI-compatible chat server for the AI tests: Starlette + sse-starlette on
uvicorn (genesis-load did not write it). Run as ``python tests/ai/openai_server.py``; it binds
127.0.0.1:0 and prints ``listening <port>``.

``POST /v1/chat/completions``: the model name sets the behaviour, ``-``-separated:
``ttft<ms>``, ``itl<ms>``, ``tok<n>`` (completion tokens), ``tpc<n>`` (tokens per chunk), and
a mode: ``ok`` (default), ``err200`` (two chunks then an OpenAI error object, after HTTP 200),
``malformed`` (a chunk that is not JSON), ``nodone`` (finish chunk, then the body ends without
``[DONE]``), ``nonjson`` (a 200 ``text/plain``), ``oaierr`` (HTTP 400 with an OpenAI error
object), ``echoauth`` (HTTP 401 quoting the bare key of the Authorization header). A model named
``missing`` is a 404 ``model_not_found``. The role chunk is sent at once, content from
``ttft`` on, every ``itl`` ms; the usage chunk when ``stream_options.include_usage``.
Without ``stream`` it answers a ``chat.completion`` after ``ttft + tok/tpc * itl``.

``GET /stats``: ``{"requests": [{"model", "auth", "client", "arrival", "writes": [...]}, ...]}``
(``client``: the ``X-Client-Id`` header), times
in the server's ``time.perf_counter()`` (CLOCK_MONOTONIC: the same clock in every process),
``writes`` the times just before each content chunk was handed to the transport.
``DELETE /stats`` returns them and clears them.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

REQUESTS: list[dict[str, Any]] = []
NO_PING = 3600


def _spec(model: str) -> dict[str, Any]:
    spec: dict[str, Any] = {"ttft": 20, "itl": 10, "tok": 12, "tpc": 1, "mode": "ok"}
    for part in model.split("-"):
        m = re.fullmatch(r"(ttft|itl|tok|tpc)(\d+)", part)
        if m:
            spec[m.group(1)] = int(m.group(2))
        elif part in ("ok", "err200", "malformed", "nodone", "nonjson", "oaierr", "echoauth"):
            spec["mode"] = part
    return spec


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> str:
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
    )


def _error(status: int, message: str, code: str | None = None) -> Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "code": code}}
    return JSONResponse(body, status_code=status)


async def completions(request: Request) -> Response:
    arrival = request.scope["arrival"]
    body = await request.json()
    model = str(body.get("model", ""))
    auth = request.headers.get("authorization", "")
    record: dict[str, Any] = {"model": model, "auth": auth, "arrival": arrival, "writes": []}
    record["client"] = request.headers.get("x-client-id")
    record["turns"] = sum(1 for m in body.get("messages", []) if m.get("role") == "user")
    REQUESTS.append(record)
    if model == "missing":
        return _error(404, f"The model `{model}` does not exist.", "model_not_found")
    spec = _spec(model)
    if spec["mode"] == "oaierr":
        return _error(400, "max_tokens is too large", "invalid_value")
    if spec["mode"] == "echoauth":
        key = auth.removeprefix("Bearer ")  # the bare key, as OpenAI quotes it
        return _error(401, f"Incorrect API key provided: {key}", "invalid_api_key")
    if spec["mode"] == "nonjson":
        return PlainTextResponse("upstream says hello")
    chunks = -(-spec["tok"] // spec["tpc"])
    if not body.get("stream"):
        await asyncio.sleep((spec["ttft"] + (chunks - 1) * spec["itl"]) / 1000)
        text = " tok" * spec["tok"]
        usage = {"prompt_tokens": 5, "completion_tokens": spec["tok"], "total_tokens": 5}
        return JSONResponse(
            {
                "id": "chatcmpl-test", "object": "chat.completion", "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": usage,
            }
        )  # fmt: skip
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    async def events() -> AsyncIterator[dict[str, str]]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        yield {"data": _chunk(model, {"role": "assistant", "content": ""})}
        left = spec["tok"]
        for i in range(chunks):
            due = start + (spec["ttft"] + i * spec["itl"]) / 1000
            await asyncio.sleep(max(0.0, due - loop.time()))
            n = min(spec["tpc"], left)
            left -= n
            record["writes"].append(time.perf_counter())
            yield {"data": _chunk(model, {"content": " tok" * n})}
            if spec["mode"] == "err200" and i == 1:
                yield {"data": json.dumps({"error": {"message": "model overloaded"}})}
                return
            if spec["mode"] == "malformed" and i == 1:
                yield {"data": '{"choices": [{"delta": {"content": "x"'}
                return
        yield {"data": _chunk(model, {}, "stop")}
        if include_usage:
            usage = {"prompt_tokens": 5, "completion_tokens": spec["tok"], "total_tokens": 5}
            yield {"data": json.dumps({"id": "chatcmpl-test", "choices": [], "usage": usage})}
        if spec["mode"] != "nodone":
            yield {"data": "[DONE]"}

    return EventSourceResponse(events(), ping=NO_PING)


async def stats(request: Request) -> Response:
    records = list(REQUESTS)
    if request.method == "DELETE":
        REQUESTS.clear()
    return JSONResponse({"requests": records})


routes = Starlette(
    routes=[
        Route("/v1/chat/completions", completions, methods=["POST"]),
        Route("/stats", stats, methods=["GET", "DELETE"]),
    ]
)


async def app(scope: Any, receive: Any, send: Any) -> None:
    """Notes when uvicorn hands the parsed request over, before any routing or body read."""
    scope["arrival"] = time.perf_counter()
    await routes(scope, receive, send)


def main() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"listening {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
