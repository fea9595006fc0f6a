"""How many streams are open at once, per environment: the ``*_open`` gauges.

Each session counts itself in when its stream or socket opens and out when it ends, and the
count is recorded as a Gauge sample at each change, so the run's ``max`` is the peak number held
at once in this process (a distributed run's master shows the highest worker's peak, not the
sum). Counts live per Locust environment, so two environments never share them.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from genesis_load.metrics import Gauge

__all__ = ["SSE_OPEN", "SSE_STREAMS", "WS_OPEN", "WS_SESSIONS", "OpenStreams"]

SSE_OPEN = Gauge("sse_streams_open", description="SSE streams open at once in this process")
WS_OPEN = Gauge("ws_sessions_open", description="WebSocket sessions open at once in this process")


class OpenStreams:
    """One gauge's count for each environment (weakly held: it goes with its environment)."""

    def __init__(self, gauge: Gauge) -> None:
        self.gauge = gauge
        self._counts: WeakKeyDictionary[Any, int] = WeakKeyDictionary()

    def change(self, environment: Any, delta: int) -> None:
        count = max(0, self._counts.get(environment, 0) + delta)
        self._counts[environment] = count
        self.gauge.add(count)


SSE_STREAMS = OpenStreams(SSE_OPEN)
WS_SESSIONS = OpenStreams(WS_OPEN)
