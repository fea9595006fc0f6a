"""Why a stream or a WebSocket session failed: one exception, its ``reason`` a fixed kind.

The hierarchy (``GenesisLoadError`` is genesis-load's base class)::

    GenesisLoadError
    └── StreamFailure          reason in REASONS, message for a human

Sessions never let a failure escape to the user's task: they record it (a ``reason`` tag on
``sse_stream_completed`` / ``ws_failures``, ``exception=`` on Locust's ``events.request``) and
return. ``StreamFailure`` is what lands in Locust's failures table.
"""

from __future__ import annotations

from typing import Final

from genesis_load.errors import GenesisLoadError
from genesis_load.redact import redact_text

__all__ = ["REASONS", "StreamFailure"]

#: Failure kinds, and what each means.
REASONS: Final[dict[str, str]] = {
    "connect": "no response: host unreachable, connection refused, reset or closed before headers",
    "http_error": "an HTTP status other than 200 (SSE) or a refused WebSocket upgrade",
    "content_type": "a 200 whose Content-Type is not text/event-stream",
    "timeout": "no headers, no first event or no reply in time, or the whole stream too long",
    "stall": "a gap between two events longer than the stall limit",
    "error_event": "an 'event: error' or a JSON payload with an 'error' key after HTTP 200",
    "invalid_data": "event data that is not what was expected (e.g. not JSON)",
    "broken": "the connection ended before the terminal event (after any reconnects)",
    "closed": "the WebSocket closed while a reply was awaited, or a send on a closed socket",
}


class StreamFailure(GenesisLoadError):
    """A stream or session failure of one kind (``reason``, a key of :data:`REASONS`)."""

    def __init__(self, reason: str, message: str, *, status: int = 0) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown stream failure reason {reason!r}")
        self.reason = reason
        # messages name URLs (a socket, a stream): never with their credentials or tokens
        self.message = redact_text(message)
        #: the HTTP status when there was one (``http_error``, ``content_type``), else 0
        self.status = status
        super().__init__(f"{reason}: {self.message}")
