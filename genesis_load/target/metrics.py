"""The target's Prometheus metrics on a dedicated registry, with hot-path label caching.

Owns metric names, labels and buckets, and rendering ``/metrics``. It does not decide what to
count: the middleware and handlers call the ``count_*`` / ``observe_*`` methods.

Metrics (all on ``TargetMetrics.registry``; process_*, python_info and python_gc_* come from
prometheus_client's standard collectors registered on the same registry)::

    genesis_http_requests_total{route,method,status}    every response (and dropped connection)
    genesis_http_request_duration_seconds{route}        histogram, arrival to last byte
    genesis_inflight_requests                           gauge
    genesis_shed_total{reason="inflight|rate_limit"}
    genesis_cache_requests_total{result="hit|miss"}
    genesis_ai_tokens_total{agent}                      completion tokens generated
    genesis_sse_events_total                            SSE events written (ticks, chunks, ends)
    genesis_ws_messages_total{direction="in|out"}
    genesis_ws_dropped_total{reason="slow_reader"}      WebSocket connections dropped
    genesis_faults_injected_total{kind}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from genesis_load.target.faults import FAULT_KINDS

__all__ = ["DURATION_BUCKETS_S", "TargetMetrics"]

DURATION_BUCKETS_S = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
    60.0,
    float("inf"),
)


class TargetMetrics:
    """Creates the metrics and caches labelled children so the hot path does one dict lookup."""

    def __init__(self, agents: Iterable[str] = (), inflight: Callable[[], float] | None = None):
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        r = self.registry
        self._requests = Counter(
            "genesis_http_requests",
            "HTTP responses by route pattern, method and status",
            ["route", "method", "status"],
            registry=r,
        )
        self._duration = Histogram(
            "genesis_http_request_duration_seconds",
            "Arrival to response end, by route pattern",
            ["route"],
            buckets=DURATION_BUCKETS_S,
            registry=r,
        )
        self._inflight = Gauge("genesis_inflight_requests", "Requests in flight", registry=r)
        if inflight is not None:
            self._inflight.set_function(inflight)
        shed = Counter("genesis_shed", "Requests shed", ["reason"], registry=r)
        cache = Counter("genesis_cache_requests", "Cache lookups", ["result"], registry=r)
        tokens = Counter("genesis_ai_tokens", "AI completion tokens", ["agent"], registry=r)
        self.sse_events = Counter("genesis_sse_events", "SSE events written", registry=r)
        ws = Counter("genesis_ws_messages", "WebSocket messages", ["direction"], registry=r)
        ws_dropped = Counter(
            "genesis_ws_dropped", "WebSocket connections dropped", ["reason"], registry=r
        )
        faults = Counter("genesis_faults_injected", "Faults injected", ["kind"], registry=r)
        # Children are created up front so every series shows 0 before it first moves.
        self.shed = {reason: shed.labels(reason) for reason in ("inflight", "rate_limit")}
        self.cache = {result: cache.labels(result) for result in ("hit", "miss")}
        self.ai_tokens = {agent: tokens.labels(agent) for agent in agents}
        self.ws_messages = {d: ws.labels(d) for d in ("in", "out")}
        self.ws_dropped = {"slow_reader": ws_dropped.labels("slow_reader")}
        self.faults = {kind: faults.labels(kind) for kind in FAULT_KINDS}
        self._request_children: dict[tuple[str, str, int], Callable[[float], None]] = {}
        self._duration_children: dict[str, Callable[[float], None]] = {}

    def observe_request(self, route: str, method: str, status: int, duration_s: float) -> None:
        """Count one response and record its duration; cached children, one lookup each."""
        key = (route, method, status)
        inc = self._request_children.get(key)
        if inc is None:
            inc = self._request_children[key] = self._requests.labels(
                route, method, str(status)
            ).inc
        inc(1.0)
        observe = self._duration_children.get(route)
        if observe is None:
            observe = self._duration_children[route] = self._duration.labels(route).observe
        observe(duration_s)

    def count_fault(self, kind: str) -> None:
        self.faults[kind].inc()

    def render(self) -> tuple[bytes, str]:
        """The Prometheus text exposition and its Content-Type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
