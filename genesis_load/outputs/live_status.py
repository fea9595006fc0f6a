"""A small progress file rewritten every interval (``--out live=PATH``, alias ``--live-status``).

The suite runner reads it to draw its progress line: the last interval's request rate, p95 and
error rate, the active users, and the requests counted so far. Written atomically, so a reader
never sees half a file.
"""

from __future__ import annotations

import msgspec

from ..results.io import write_atomic
from .base import IntervalSample, Output

__all__ = ["LiveStatus", "LiveStatusOutput"]


class LiveStatus(msgspec.Struct, frozen=True):
    elapsed_s: float
    rps: float
    p95_ms: float | None
    error_rate: float
    vus: float
    requests: int


class LiveStatusOutput(Output):
    def __init__(self, path: str) -> None:
        self.path = path
        self._requests = 0

    def start(self, start_s: float) -> None:
        self._requests = 0

    def interval(self, sample: IntervalSample) -> None:
        point, e = sample.point, sample.point.entries
        count = int(e.get("http_reqs", {}).get("count", 0))
        self._requests += count
        status = LiveStatus(
            elapsed_s=point.end_s,
            rps=count / point.duration_s if point.duration_s > 0 else 0.0,
            p95_ms=e.get("http_req_duration", {}).get("p(95)"),
            error_rate=float(e.get("http_req_failed", {}).get("rate", 0.0)),
            vus=float(e.get("vus", {}).get("value", 0)),
            requests=self._requests,
        )
        write_atomic(self.path, msgspec.json.encode(status))
