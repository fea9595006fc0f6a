"""Judging one parsed SSE event: error, invalid data, terminal, or an ordinary event.

Pure: takes sseclient-py's event and the options, returns an :class:`SSEEvent` and whether it
ends the stream, or raises :class:`StreamFailure` (``error_event``, ``invalid_data``).
"""

from __future__ import annotations

import json
from typing import Any

from .errors import StreamFailure
from .sse_types import SSEEvent, SSEOptions

__all__ = ["judge_event", "numeric_id"]

_EXCERPT = 120


def judge_event(
    raw: Any, options: SSEOptions, number: int, received_s: float, received_wall_s: float
) -> tuple[SSEEvent, bool]:
    """(the event, is it terminal). ``number`` counts events from 1, for messages."""
    data: str = raw.data
    where = f"event {number}" + (f" (id {raw.id})" if raw.id else "")
    if raw.event == "error":
        raise StreamFailure("error_event", f"{where} is 'event: error': {data[:_EXCERPT]!r}")
    payload: Any = None
    done = data == options.done_data
    if options.json_data and not done:
        try:
            payload = json.loads(data)
        except ValueError as exc:
            raise StreamFailure(
                "invalid_data", f"{where} data is not JSON ({exc}): {data[:_EXCERPT]!r}"
            ) from None
        if isinstance(payload, dict) and payload.get("error"):
            raise StreamFailure(
                "error_event", f"{where} carries an error: {json.dumps(payload['error'])[:200]}"
            )
    event = SSEEvent(raw.event, data, raw.id, payload, received_s, received_wall_s)
    return event, done or raw.event in options.terminal_events


def numeric_id(event_id: str | None) -> int | None:
    """An event id as an integer, when it is one (ids lost are counted only then)."""
    if event_id is None:
        return None
    try:
        return int(event_id)
    except ValueError:
        return None
