"""The ``sse_*`` and ``ws_*`` metrics, declared once; definitions in docs/streaming.md.

Owns only the declarations (names, kinds, units). Sessions add samples; the collector the
genesis-load plugin installs records them like any custom metric.
"""

from __future__ import annotations

from genesis_load.metrics import Counter, Rate, Trend

__all__ = [
    "SSE_BYTES",
    "SSE_COMPLETED",
    "SSE_CONNECT",
    "SSE_DURATION",
    "SSE_EVENTS",
    "SSE_EVENTS_LOST",
    "SSE_EVENT_GAP",
    "SSE_EVENT_LATENCY",
    "SSE_RECONNECTS",
    "SSE_TTFE",
    "WS_CLOSED_NORMALLY",
    "WS_CLOSES",
    "WS_CONNECTING",
    "WS_FAILURES",
    "WS_MSGS_RECEIVED",
    "WS_MSGS_SENT",
    "WS_PING",
    "WS_PUSH_LATENCY",
    "WS_REQUEST_FAILED",
    "WS_RTT",
    "WS_SESSION_DURATION",
]

SSE_CONNECT = Trend("sse_connect", time=True, description="request sent -> response headers")
SSE_TTFE = Trend("sse_time_to_first_event", time=True, description="request sent -> first event")
SSE_EVENT_GAP = Trend("sse_event_gap", time=True, description="between consecutive events")
SSE_EVENT_LATENCY = Trend(
    "sse_event_latency", time=True, description="event received minus its server send time"
)
SSE_DURATION = Trend("sse_stream_duration", time=True, description="request sent -> stream end")
SSE_EVENTS = Counter("sse_events", description="SSE events received")
SSE_BYTES = Counter("sse_bytes", contains="data", description="SSE body bytes received")
SSE_COMPLETED = Rate("sse_stream_completed", description="streams that reached their end")
SSE_RECONNECTS = Counter("sse_reconnects", description="reconnections with Last-Event-ID")
SSE_EVENTS_LOST = Counter("sse_events_lost", description="event ids skipped across reconnects")

WS_CONNECTING = Trend("ws_connecting", time=True, description="WebSocket handshake time")
WS_SESSION_DURATION = Trend(
    "ws_session_duration", time=True, description="connect started -> socket closed"
)
WS_MSGS_SENT = Counter("ws_msgs_sent", description="WebSocket data messages sent")
WS_MSGS_RECEIVED = Counter("ws_msgs_received", description="WebSocket data messages received")
WS_RTT = Trend("ws_rtt", time=True, description="request sent -> its matched reply received")
WS_PUSH_LATENCY = Trend(
    "ws_push_latency", time=True, description="push received minus its server send time"
)
WS_PING = Trend("ws_ping", time=True, description="ping sent -> pong received")
WS_CLOSES = Counter("ws_closes", description="closed sessions, tagged by close code")
WS_CLOSED_NORMALLY = Rate(
    "ws_sessions_closed_normally", description="sessions closed with code 1000 or 1001"
)
WS_FAILURES = Counter("ws_failures", description="WebSocket failures, tagged by reason")
WS_REQUEST_FAILED = Rate(
    "ws_request_failed",
    description="share of WebSocket requests (replies, waits, pings) that failed",
)
