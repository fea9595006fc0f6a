"""Streaming traffic: SSE streams and WebSocket sessions, measured end to end.

Owns the streaming users and sessions and their ``sse_*`` / ``ws_*`` metrics (see
docs/streaming.md for every definition). Sessions are usable from any Locust user; the user
classes wrap them. Each stream or message is also fired on Locust's ``events.request``
(``request_type`` ``"SSE"`` or ``"WS"``) for Locust's statistics and web UI; genesis-load's
collector keeps those out of ``http_*``.

Modules: ``sse_session`` (with ``sse_connection``, ``sse_read``, ``arrival_feed``, ``sse_judge``,
``sse_types``), ``sse_user``, ``ws_session`` (with ``ws_connect``, ``ws_receiver``,
``ws_pending``, ``ws_types``), ``ws_user``, ``genesis_users`` (for the demo target),
``http_stream`` (a streamed plain-HTTP body timed to its end), ``send_time``, ``errors``.
"""

from __future__ import annotations

from .._lazy import lazy_attributes

#: Public name -> its module. Loaded on first use, so that importing a leaf module (the metric
#: declarations in ``_metrics``, the pure types) does not import Locust and gevent.
_NAMES = {
    "REASONS": ".errors",
    "StreamFailure": ".errors",
    "GenesisChatStreamUser": ".genesis_users",
    "GenesisSSEUser": ".genesis_users",
    "GenesisWebSocketUser": ".genesis_users",
    "StreamedBody": ".http_stream",
    "timed_stream": ".http_stream",
    "epoch_seconds": ".send_time",
    "server_send_time": ".send_time",
    "EventHandler": ".sse_read",
    "SSESession": ".sse_session",
    "SSEEvent": ".sse_types",
    "SSEOptions": ".sse_types",
    "SSERequest": ".sse_types",
    "StreamResult": ".sse_types",
    "SSEUser": ".sse_user",
    "Pending": ".ws_pending",
    "PushHandler": ".ws_session",
    "WebSocketSession": ".ws_session",
    "NORMAL_CLOSE_CODES": ".ws_types",
    "WSOptions": ".ws_types",
    "WSReply": ".ws_types",
    "WebSocketUser": ".ws_user",
}


__getattr__ = lazy_attributes(__name__, _NAMES)


__all__ = [
    "NORMAL_CLOSE_CODES",
    "REASONS",
    "EventHandler",
    "GenesisChatStreamUser",
    "GenesisSSEUser",
    "GenesisWebSocketUser",
    "Pending",
    "PushHandler",
    "SSEEvent",
    "SSEOptions",
    "SSERequest",
    "SSESession",
    "SSEUser",
    "StreamFailure",
    "StreamResult",
    "StreamedBody",
    "WSOptions",
    "WSReply",
    "WebSocketSession",
    "WebSocketUser",
    "epoch_seconds",
    "server_send_time",
    "timed_stream",
]
