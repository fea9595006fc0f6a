"""``SSESession``: one user's SSE streams, measured end to end (metrics in ``_metrics.py``).

Owns a stream across its connections: open (``sse_connection``), read (``sse_read``, which
feeds sseclient-py as bytes arrive), reconnect with ``Last-Event-ID`` after a broken stream,
and record the stream's outcome. Usable from any Locust user::

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
from collections.abc import Mapping
from typing import Any

import gevent
import requests

from . import _metrics as m
from ._fire import fire_stream_request
from ._open import SSE_STREAMS
from .errors import StreamFailure
from .sse_connection import open_stream
from .sse_read import EventHandler, StreamState, read_connection
from .sse_types import SSEOptions, SSERequest, StreamResult

__all__ = ["SSESession"]


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
        run = StreamState(start_s=time.perf_counter())
        failure: StreamFailure | None = None
        SSE_STREAMS.change(self.environment, +1)
        try:
            self._run(req, tags, run, on_event)
        except StreamFailure as exc:
            failure = exc
        finally:
            SSE_STREAMS.change(self.environment, -1)
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
            None if run.headers_s is None else (run.headers_s - run.start_s) * 1000.0,
        )  # fmt: skip

    def close(self) -> None:
        """Release the HTTP pool (only a pool this session created)."""
        if self._owns_http:
            self.http.close()

    def _url(self, path: str) -> str:
        return path if "://" in path else f"{self.base_url}{path}"

    def _run(
        self,
        req: SSERequest,
        tags: Mapping[str, str],
        run: StreamState,
        on_event: EventHandler | None,
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
            if run.headers_s is None:
                run.headers_s = headers_s
            m.SSE_CONNECT.add((headers_s - sent_s) * 1000.0, tags)
            try:
                if read_connection(response, headers_s, tags, run, options, on_event):
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

    def _reconnect(self, run: StreamState, failure: StreamFailure) -> None:
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
