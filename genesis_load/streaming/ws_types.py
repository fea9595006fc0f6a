"""WebSocket configuration and replies: :class:`WSOptions`, :class:`WSReply`. No I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .send_time import server_send_time

__all__ = ["NORMAL_CLOSE_CODES", "WSOptions", "WSReply"]

#: Close codes counted as normal (RFC 6455 1000 normal closure, 1001 going away); any other
#: code, and 1006 (the connection ended without a closing handshake), is abnormal.
NORMAL_CLOSE_CODES = frozenset({1000, 1001})


@dataclass(frozen=True, slots=True)
class WSOptions:
    """Timeouts (seconds) and matching rules of a WebSocket session.

    * ``connect_timeout_s``: TCP connect plus the upgrade handshake.
    * ``reply_timeout_s``: default wait for a matched reply, a pong or an awaited message.
    * ``close_timeout_s``: wait for the server's close frame after ours.
    * ``idle_timeout_s``: no frame at all for this long ends the session (``timeout``).
    * ``id_key``: a JSON object reply is matched to its request by this key; requests
      without it get a fresh integer id.
    * ``send_time``: payload -> server send time in epoch seconds, for ``ws_push_latency``.
    * ``headers``: extra handshake headers.
    """

    connect_timeout_s: float = 10.0
    reply_timeout_s: float = 10.0
    close_timeout_s: float = 2.0
    idle_timeout_s: float = 300.0
    id_key: str = "id"
    send_time: Callable[[object], float | None] = server_send_time
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WSReply:
    """A received message: raw ``data``, parsed JSON ``payload`` (or None), timing."""

    data: str | bytes
    payload: Any
    received_s: float  # time.perf_counter() when the frame was decoded
    received_wall_s: float  # time.time() at the same moment
    rtt_ms: float | None = None  # set for a reply matched to a request
