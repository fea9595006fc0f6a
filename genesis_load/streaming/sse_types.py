"""SSE configuration and results: :class:`SSEOptions`, :class:`SSEEvent`, :class:`StreamResult`.

Plain frozen dataclasses; no I/O. Defaults suit a feed with a terminal event (the demo
target's ``event: end``) or an OpenAI-style stream (``data: [DONE]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .send_time import server_send_time

__all__ = ["SSEEvent", "SSEOptions", "SSERequest", "StreamResult"]


@dataclass(frozen=True, slots=True)
class SSEOptions:
    """How a stream is judged. Times in seconds.

    * ``stall_s``: a gap between two events longer than this ends the stream (``stall``).
      Keepalive comments do not reset it: a stall is "no event", not "no bytes".
    * ``first_event_timeout_s``: no event this long after the response headers -> ``timeout``
      (default: ``stall_s``).
    * ``timeout_s``: the whole stream, reconnects included -> ``timeout``.
    * ``connect_timeout_s``: TCP connect and response headers -> ``connect`` / ``timeout``.
    * ``max_reconnects``: reconnections (with ``Last-Event-ID``) after a ``broken`` stream; the
      wait before each is the server's last ``retry:`` (capped at ``max_retry_s``), else
      ``reconnect_delay_s``.
    * ``terminal_events``, ``done_data``: an event with one of these names, or data equal to
      ``done_data``, completes the stream. ``eof_completes``: a clean end of the body completes
      it too (for servers without a terminal event).
    * ``max_events``: stop after this many events, counted as completed (for endless feeds).
    * ``json_data``: data must be JSON (except ``done_data``), else ``invalid_data``; a JSON
      object with an ``error`` key is an ``error_event``.
    * ``send_time``: payload -> server send time in epoch seconds (see ``send_time.py``).
    """

    stall_s: float = 10.0
    first_event_timeout_s: float | None = None
    timeout_s: float = 300.0
    connect_timeout_s: float = 10.0
    max_reconnects: int = 3
    reconnect_delay_s: float = 1.0
    max_retry_s: float = 30.0
    terminal_events: frozenset[str] = frozenset({"end", "done"})
    done_data: str = "[DONE]"
    eof_completes: bool = False
    max_events: int | None = None
    json_data: bool = True
    send_time: Callable[[object], float | None] = server_send_time

    @property
    def first_event_s(self) -> float:
        return self.stall_s if self.first_event_timeout_s is None else self.first_event_timeout_s


@dataclass(frozen=True, slots=True)
class SSERequest:
    """Which stream to open: ``path`` (or a full URL), method, body and headers."""

    path: str
    name: str | None = None
    method: str = "GET"
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One event as parsed by sseclient-py, with its arrival times and parsed JSON payload."""

    event: str
    data: str
    id: str | None
    payload: Any
    received_s: float  # time.perf_counter() when its last byte arrived
    received_wall_s: float  # time.time() at the same moment


@dataclass(frozen=True, slots=True)
class StreamResult:
    """How one stream ended. ``reason`` is ``completed`` or a failure kind (errors.REASONS)."""

    completed: bool
    reason: str
    message: str
    events: int
    bytes: int
    reconnects: int
    events_lost: int
    duration_ms: float
    status: int
    last_event_id: str | None
    #: request sent -> response headers of the first connection (None: no response)
    headers_ms: float | None = None
