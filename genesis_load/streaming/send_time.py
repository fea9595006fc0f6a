"""Server send times carried in a payload, as epoch seconds: the default extractor.

``sse_event_latency`` and ``ws_push_latency`` are ``received_wall_s - sent_wall_s``: the client's
``time.time()`` when the message arrived minus the time the server wrote into it. That is only
meaningful when both clocks agree: the same host (the demo target, loopback tests) or clocks
synchronised well below the latency measured (NTP on a LAN is ~0.1-1 ms; across the internet
use PTP or do not trust one-way latency).

An extractor is any ``Callable[[object], float | None]`` taking the parsed JSON payload (or
``None`` for non-JSON data) and returning epoch seconds, or ``None`` when there is no send time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["SEND_TIME_KEYS", "epoch_seconds", "server_send_time"]

#: Keys looked up, in order, by :func:`server_send_time`.
SEND_TIME_KEYS: Final = ("server_send_ns", "sent_at", "ts", "timestamp", "server_send_ms")


def epoch_seconds(value: float) -> float:
    """A Unix timestamp in s, ms, µs or ns (told apart by magnitude) as seconds.

    Since 2001 a time in seconds is > 1e9; the same instant in ms is > 1e12, µs > 1e15,
    ns > 1e18. The cut points sit between these ranges: ``< 1e11`` s, ``< 1e14`` ms,
    ``< 1e17`` µs, else ns.
    """
    if value < 1e11:
        return float(value)
    if value < 1e14:
        return value / 1e3
    if value < 1e17:
        return value / 1e6
    return value / 1e9


def server_send_time(payload: object) -> float | None:
    """The first of :data:`SEND_TIME_KEYS` in a JSON object payload, as epoch seconds."""
    if not isinstance(payload, Mapping):
        return None
    for key in SEND_TIME_KEYS:
        value = payload.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return epoch_seconds(value)
    return None
