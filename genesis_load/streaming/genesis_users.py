"""Streaming users ready for the embedded demo target (docs/target.md).

* :class:`GenesisSSEUser`: the SSE tick feed ``GET /api/v1/stream/events`` (ids, terminal
  ``event: end``, ``server_send_ns`` for ``sse_event_latency``).
* :class:`GenesisChatStreamUser`: OpenAI-style token streams ``POST /v1/chat/completions``
  (terminal ``data: [DONE]``; an OpenAI error payload is an ``error_event``).
* :class:`GenesisWebSocketUser`: ``GET /ws`` echo requests (``ws_rtt``), tick subscriptions
  (``ws_push_latency``; a malformed tick is an ``invalid_data`` failure) and pings.

Class attributes set the shape; a subclass changes them (``GenesisSSEUser.events = 100``).
"""

from __future__ import annotations

import json
import random
from typing import Any, ClassVar

from locust import constant, task

from .errors import StreamFailure
from .sse_types import SSEOptions, SSERequest
from .sse_user import SSEUser
from .ws_types import WSReply
from .ws_user import WebSocketUser

__all__ = ["AGENTS", "GenesisChatStreamUser", "GenesisSSEUser", "GenesisWebSocketUser"]

AGENTS = ("BLAZE", "SAGE", "NOVA", "SPARK", "STELLA", "WAVE", "NEXUS")
_PROMPTS = (
    "Give me a quick hiit session for today",
    "How should I recover after a long run?",
    "Plan a step by step program to build muscle",
)


class GenesisSSEUser(SSEUser):
    """Subscribes to the tick feed: ``events`` ticks ``interval_ms`` apart, then ``end``."""

    abstract = False
    events: ClassVar[int] = 20
    interval_ms: ClassVar[int] = 50
    sse_options: ClassVar[SSEOptions] = SSEOptions(stall_s=5.0, timeout_s=120.0)

    def stream_request(self) -> SSERequest:
        path = f"/api/v1/stream/events?count={self.events}&interval_ms={self.interval_ms}"
        return SSERequest(path, name="/api/v1/stream/events")


class GenesisChatStreamUser(SSEUser):
    """Asks a random agent a random question as an OpenAI chat-completions stream."""

    abstract = False
    wait_time = constant(1)
    sse_options: ClassVar[SSEOptions] = SSEOptions(
        stall_s=10.0, first_event_timeout_s=30.0, timeout_s=300.0
    )

    def stream_request(self) -> SSERequest:
        body = {
            "model": random.choice(AGENTS).lower(),
            "stream": True,
            "messages": [{"role": "user", "content": random.choice(_PROMPTS)}],
        }
        return SSERequest(
            "/v1/chat/completions", name="/v1/chat/completions", method="POST", json=body
        )


class GenesisWebSocketUser(WebSocketUser):
    """Echo requests (weight 8), a tick subscription (weight 1) and a ping (weight 1)."""

    abstract = False
    wait_time = constant(0.1)
    ws_path: ClassVar[str] = "/ws"
    ticks: ClassVar[int] = 20
    tick_rate_per_s: ClassVar[float] = 20.0

    @task(8)
    def echo(self) -> None:
        if self.ensure_connected():
            self.ws.request({"op": "echo", "n": random.randrange(1_000_000)})

    @task(1)
    def subscribe(self) -> None:
        if not self.ensure_connected():
            return
        sub_id = f"sub-{random.randrange(1 << 30)}"
        spec = {"type": "subscribe", "rate_per_s": self.tick_rate_per_s, "count": self.ticks}
        if self.ws.send({**spec, "id": sub_id}):
            timeout_s = self.ticks / self.tick_rate_per_s + self.ws.options.reply_timeout_s
            self.ws.wait_for(lambda p: _is_done(p, sub_id), timeout_s, name="WS subscription")

    @task(1)
    def ping(self) -> None:
        if self.ensure_connected():
            self.ws.ping()

    def on_push(self, reply: WSReply) -> None:
        if reply.payload is None and isinstance(reply.data, str):
            text = reply.data[:80]
            self.ws.record_failure("WS push", StreamFailure("invalid_data", f"not JSON: {text!r}"))
        elif isinstance(reply.payload, dict) and reply.payload.get("type") == "error":
            error = json.dumps(reply.payload.get("error"))
            self.ws.record_failure("WS push", StreamFailure("error_event", error))


def _is_done(payload: Any, sub_id: str) -> bool:
    return (
        isinstance(payload, dict) and payload.get("type") == "done" and payload.get("id") == sub_id
    )
