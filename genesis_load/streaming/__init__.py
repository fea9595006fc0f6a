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

from .errors import REASONS, StreamFailure
from .genesis_users import GenesisChatStreamUser, GenesisSSEUser, GenesisWebSocketUser
from .http_stream import StreamedBody, timed_stream
from .send_time import epoch_seconds, server_send_time
from .sse_read import EventHandler
from .sse_session import SSESession
from .sse_types import SSEEvent, SSEOptions, SSERequest, StreamResult
from .sse_user import SSEUser
from .ws_pending import Pending
from .ws_session import PushHandler, WebSocketSession
from .ws_types import NORMAL_CLOSE_CODES, WSOptions, WSReply
from .ws_user import WebSocketUser

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
