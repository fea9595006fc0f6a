"""Reporting a stream or a WebSocket message to Locust's ``events.request``.

Locust's statistics and web UI see streams through this one function; genesis-load's
collector ignores these request types (``STREAM_REQUEST_TYPES``), so they never enter
``http_reqs`` / ``http_req_duration``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

__all__ = ["fire_stream_request"]


def fire_stream_request(
    environment: Any,
    *,
    request_type: str,
    name: str,
    response_time_ms: float,
    response_length: int,
    stream: str,
    exception: BaseException | None = None,
    context: Mapping[str, Any] | None = None,
) -> None:
    """Fire ``events.request`` once (keyword-only payload, as Locust's clients do)."""
    environment.events.request.fire(
        request_type=request_type,
        name=name,
        response_time=response_time_ms,
        response_length=response_length,
        response=None,
        context={**(context or {}), "stream": stream},
        exception=exception,
        start_time=time.time() - response_time_ms / 1000.0,
        url=name,
    )
