"""``SSESession``: one user's SSE streams, measured end to end (metrics in ``_metrics.py``).

Owns the stream loop: open (``sse_connection``), read as bytes arrive (``arrival_feed``),
parse (sseclient-py), judge (``sse_judge``), reconnect with ``Last-Event-ID`` after a broken
stream, and record. Usable from any Locust user::

    class Mixed(HttpUser):
        def on_start(self):
            self.sse = SSESession.for_user(self, SSEOptions(stall_s=5))

        @task
        def feed(self):
            self.sse.stream("/api/v1/stream/events?count=20&interval_ms=50")

A stream never raises: failures are recorded and returned in :class:`StreamResult`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import gevent
import requests
import sseclient

from . import _metrics as m
from ._fire import fire_stream_request
from .arrival_feed import ArrivalFeed
from .errors import StreamFailure
from .sse_connection import open_stream
from .sse_judge import judge_event, numeric_id
from .sse_types import SSEEvent, SSEOptions, SSERequest, StreamResult

__all__ = ["EventHandler", "SSESession"]

#: Called for each event; returning True ends the stream as completed.
EventHandler = Callable[[SSEEvent], bool | None]


@dataclass
class _Run:
    start_s: float
    events: int = 0
    bytes: int = 0
    reconnects: int = 0
    lost: int = 0
    status: int = 0
    connections: int = 0
    last_id: str | None = None
    resumed_from: str | None = None
    retry_s: float | None = None


class SSESession:
    """Opens streams against ``base_url`` with a ``requests.Session`` (the user's, if any)."""

    def __init__(
        self,
        environment: Any,
        base_url: str,
        *,
        http: requests.Session | None = None,
        options: SSEOptions | None = None,
    ) -> None:
        self.environment = environment
        self.base_url = base_url.rstrip("/")
        self._owns_http = http is None
        self.http = http if http is not None else requests.Session()
        self.options = options or SSEOptions()

    @classmethod
    def for_user(cls, user: Any, options: SSEOptions | None = None) -> SSESession:
        """A session for a Locust user: its HttpUser client (pool, cookies) when it has one."""
        client = getattr(user, "client", None)
        http = client if isinstance(client, requests.Session) else None
        base = getattr(client, "base_url", None) or user.host or ""
        return cls(user.environment, base, http=http, options=options)

    def stream(
        self, request: SSERequest | str, on_event: EventHandler | None = None
    ) -> StreamResult:
        """Run one stream to its end; record it; never raise a stream failure."""
        req = SSERequest(request) if isinstance(request, str) else request
        name = req.name or req.path
        tags = {"name": name}
        run = _Run(start_s=time.perf_counter())
        failure: StreamFailure | None = None
        try:
            self._run(req, tags, run, on_event)
        except StreamFailure as exc:
            failure = exc
        duration_ms = (time.perf_counter() - run.start_s) * 1000.0
        reason = "completed" if failure is None else failure.reason
        m.SSE_DURATION.add(duration_ms, {**tags, "reason": reason})
        m.SSE_COMPLETED.add(failure is None, {**tags, "reason": reason})
        fire_stream_request(
            self.environment, request_type="SSE", name=name, response_time_ms=duration_ms,
            response_length=run.bytes, stream="sse", exception=failure,
        )  # fmt: skip
        return StreamResult(
            failure is None, reason, "" if failure is None else failure.message, run.events,
            run.bytes, run.reconnects, run.lost, duration_ms, run.status, run.last_id,
        )  # fmt: skip

    def close(self) -> None:
        """Release the HTTP pool (only a pool this session created)."""
        if self._owns_http:
            self.http.close()

    def _url(self, path: str) -> str:
        return path if "://" in path else f"{self.base_url}{path}"

    def _run(
        self, req: SSERequest, tags: Mapping[str, str], run: _Run, on_event: EventHandler | None
    ) -> None:
        options, url = self.options, self._url(req.path)
        while True:
            sent_s = time.perf_counter()
            try:
                response = open_stream(self.http, url, req, options, run.last_id)
            except StreamFailure as exc:
                run.status = exc.status
                if run.connections and exc.reason in ("connect", "timeout"):
                    self._reconnect(run, exc)  # a failed reconnect: try again if allowed
                    continue
                raise
            run.status = response.status_code
            run.connections += 1
            headers_s = time.perf_counter()
            m.SSE_CONNECT.add((headers_s - sent_s) * 1000.0, tags)
            try:
                if self._read(response, headers_s, tags, run, on_event):
                    return
                if options.eof_completes:
                    return
                broken = StreamFailure(
                    "broken", f"stream ended after {run.events} events without a terminal event"
                )
            except StreamFailure as exc:
                if exc.reason != "broken":
                    raise
                broken = exc
            finally:
                response.close()
            self._reconnect(run, broken)

    def _reconnect(self, run: _Run, failure: StreamFailure) -> None:
        """Wait the server's ``retry`` (or the default), then let the loop reconnect."""
        options = self.options
        if run.reconnects >= options.max_reconnects:
            raise failure
        retry_s = options.reconnect_delay_s if run.retry_s is None else run.retry_s
        delay_s = min(retry_s, options.max_retry_s)
        if time.perf_counter() + delay_s >= run.start_s + options.timeout_s:
            raise failure
        gevent.sleep(delay_s)
        run.reconnects += 1
        run.resumed_from = run.last_id
        m.SSE_RECONNECTS.add(1)

    def _read(
        self,
        response: requests.Response,
        headers_s: float,
        tags: Mapping[str, str],
        run: _Run,
        on_event: EventHandler | None,
    ) -> bool:
        """Read one connection's events; True when the stream completed."""
        options = self.options
        last_s: float | None = None  # last event on this connection

        def deadline() -> tuple[float, str, str]:
            end = (
                run.start_s + options.timeout_s,
                "timeout",
                f"stream over {options.timeout_s:g} s",
            )
            if run.events == 0:
                first = options.first_event_s
                return min(end, (headers_s + first, "timeout", f"no event within {first:g} s"))
            since = headers_s if last_s is None else last_s
            stall = (since + options.stall_s, "stall", f"no event for {options.stall_s:g} s")
            return min(end, stall)

        feed = ArrivalFeed(response, deadline)
        counted = 0
        try:
            for raw in sseclient.SSEClient(iter(feed)).events():
                at_s, wall_s = feed.arrived_s, feed.arrived_wall_s
                run.events += 1
                m.SSE_EVENTS.add(1, tags)
                m.SSE_BYTES.add(feed.bytes - counted, tags)
                counted = feed.bytes
                if run.events == 1:
                    m.SSE_TTFE.add((at_s - run.start_s) * 1000.0, tags)
                if last_s is not None:
                    m.SSE_EVENT_GAP.add((at_s - last_s) * 1000.0, tags)
                last_s = at_s
                self._note_ids(raw, run)
                event, terminal = judge_event(raw, options, run.events, at_s, wall_s)
                sent_wall_s = options.send_time(event.payload)
                if sent_wall_s is not None:
                    m.SSE_EVENT_LATENCY.add((wall_s - sent_wall_s) * 1000.0, tags)
                stop = on_event(event) if on_event is not None else None
                if terminal or stop is True or run.events == options.max_events:
                    return True
            return False
        finally:
            run.bytes += feed.bytes
            if feed.bytes > counted:
                m.SSE_BYTES.add(feed.bytes - counted, tags)

    @staticmethod
    def _note_ids(raw: Any, run: _Run) -> None:
        if raw.retry:
            retry_ms = numeric_id(raw.retry)
            if retry_ms is not None and retry_ms >= 0:
                run.retry_s = retry_ms / 1000.0
        if run.resumed_from is not None and raw.id is not None:
            before, now = numeric_id(run.resumed_from), numeric_id(raw.id)
            if before is not None and now is not None and now > before + 1:
                run.lost += now - before - 1
                m.SSE_EVENTS_LOST.add(now - before - 1)
            run.resumed_from = None
        if raw.id is not None:
            run.last_id = raw.id
