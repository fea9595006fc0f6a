"""Reading one SSE connection: events as they arrive, timed, judged and recorded.

Owns the per-connection loop of a stream (``SSESession`` owns the stream across
reconnects) and :class:`StreamState`, what a stream has seen so far. Per event it records
``sse_time_to_first_event`` (first of the stream), ``sse_event_gap`` (from the previous
event on this connection), ``sse_event_latency`` (when the payload has a send time); the
counters ``sse_events`` / ``sse_bytes`` are added at most once a second and when the
connection ends, to keep the per-event cost low.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
import sseclient

from . import _metrics as m
from .arrival_feed import ArrivalFeed
from .sse_judge import judge_event, numeric_id
from .sse_types import SSEEvent, SSEOptions

__all__ = ["EventHandler", "StreamState", "read_connection"]

#: Called for each event; returning True ends the stream as completed.
EventHandler = Callable[[SSEEvent], bool | None]

_FLUSH_S = 1.0


@dataclass
class StreamState:
    """What one stream (all its connections) has seen so far."""

    start_s: float
    events: int = 0
    bytes: int = 0
    reconnects: int = 0
    lost: int = 0
    status: int = 0
    connections: int = 0
    last_id: str | None = None
    resumed_from: str | None = None
    retry_s: float | None = None
    last_event_s: float | None = None  # on the current connection
    headers_s: float | None = None  # response headers of the first connection

    def note_ids(self, raw: Any) -> None:
        """Track ``retry:``, the last id, and ids skipped since a reconnect (lost)."""
        if raw.retry:
            retry_ms = numeric_id(raw.retry)
            if retry_ms is not None and retry_ms >= 0:
                self.retry_s = retry_ms / 1000.0
        if self.resumed_from is not None and raw.id is not None:
            before, now = numeric_id(self.resumed_from), numeric_id(raw.id)
            if before is not None and now is not None and now > before + 1:
                self.lost += now - before - 1
                m.SSE_EVENTS_LOST.add(now - before - 1)
            self.resumed_from = None
        if raw.id is not None:
            self.last_id = raw.id


def read_connection(
    response: requests.Response,
    headers_s: float,
    tags: Mapping[str, str],
    state: StreamState,
    options: SSEOptions,
    on_event: EventHandler | None,
) -> bool:
    """Read one connection's events; True when the stream completed, False at its end."""
    state.last_event_s = None
    end = (state.start_s + options.timeout_s, "timeout", f"stream over {options.timeout_s:g} s")
    first_msg = f"no event within {options.first_event_s:g} s"
    stall_msg = f"no event for {options.stall_s:g} s"

    def deadline() -> tuple[float, str, str]:
        if state.events == 0:
            return min(end, (headers_s + options.first_event_s, "timeout", first_msg))
        since = headers_s if state.last_event_s is None else state.last_event_s
        return min(end, (since + options.stall_s, "stall", stall_msg))

    feed = ArrivalFeed(response, deadline)
    events = counted_bytes = 0
    flushed_s = headers_s
    try:
        for raw in sseclient.SSEClient(iter(feed)).events():
            at_s, wall_s = feed.arrived_s, feed.arrived_wall_s
            state.events += 1
            events += 1
            if state.events == 1:
                m.SSE_TTFE.add((at_s - state.start_s) * 1000.0, tags)
            if state.last_event_s is not None:
                m.SSE_EVENT_GAP.add((at_s - state.last_event_s) * 1000.0, tags)
            state.last_event_s = at_s
            state.note_ids(raw)
            event, terminal = judge_event(raw, options, state.events, at_s, wall_s)
            sent_wall_s = options.send_time(event.payload)
            if sent_wall_s is not None:
                m.SSE_EVENT_LATENCY.add((wall_s - sent_wall_s) * 1000.0, tags)
            if at_s - flushed_s >= _FLUSH_S:
                m.SSE_EVENTS.add(events, tags)
                m.SSE_BYTES.add(feed.bytes - counted_bytes, tags)
                events, counted_bytes, flushed_s = 0, feed.bytes, at_s
            stop = on_event(event) if on_event is not None else None
            if terminal or stop is True or state.events == options.max_events:
                return True
        return False
    finally:
        state.bytes += feed.bytes
        if events:
            m.SSE_EVENTS.add(events, tags)
        if feed.bytes > counted_bytes:
            m.SSE_BYTES.add(feed.bytes - counted_bytes, tags)
