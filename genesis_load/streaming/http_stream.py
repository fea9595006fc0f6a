"""Timing a streamed plain-HTTP response to its last byte: :func:`timed_stream`.

Locust's clients stop the clock at the response headers when ``stream=True`` (HttpUser and
FastHttpUser alike), so a streamed request lands in ``http_req_duration`` at its time to
headers. ``timed_stream`` reads the whole body (as it arrives, bounded by ``timeout_s``) and
fires ``events.request`` once with the full duration; genesis-load records it as an ordinary
HTTP request: ``http_req_duration`` = request sent -> last body byte, ``http_req_waiting`` =
request sent -> headers (from ``response.elapsed``). Use it from any user::

    from genesis_load.streaming import timed_stream

    class Chat(HttpUser):
        @task
        def ask(self):
            timed_stream(self.environment, self.client, "POST", f"{self.host}/v1/chat/completions",
                         name="chat stream", json={"model": "nova", "stream": True, ...})

``http`` is any ``requests.Session`` (an HttpUser's ``self.client`` shares its pool and
cookies; a FastHttpUser passes ``requests.Session()``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import gevent
import requests

__all__ = ["StreamedBody", "timed_stream"]


@dataclass(frozen=True, slots=True)
class StreamedBody:
    """A streamed response read to its end. Times in ms from the request being sent."""

    status: int
    headers_ms: float
    first_byte_ms: float | None
    duration_ms: float
    content: bytes
    error: str | None


def timed_stream(
    environment: Any,
    http: requests.Session,
    method: str,
    url: str,
    *,
    name: str | None = None,
    timeout_s: float = 300.0,
    read_bytes: int = 65536,
    **kwargs: Any,
) -> StreamedBody:
    """Send, read the body as it arrives, fire ``events.request`` with the full duration."""
    start_s, start_wall_s = time.perf_counter(), time.time()
    response: requests.Response | None = None
    parts: list[bytes] = []
    headers_ms = 0.0
    first_ms: float | None = None
    exception: BaseException | None = None
    timer = gevent.Timeout(timeout_s)
    timer.start()
    try:
        kwargs.setdefault("timeout", (min(timeout_s, 30.0), timeout_s))
        response = requests.Session.request(http, method, url, stream=True, **kwargs)
        headers_ms = (time.perf_counter() - start_s) * 1000.0
        while data := response.raw.read1(read_bytes):
            if first_ms is None:
                first_ms = (time.perf_counter() - start_s) * 1000.0
            parts.append(data)
        response.raise_for_status()
    except gevent.Timeout as exc:
        if exc is not timer:
            raise
        exception = TimeoutError(f"{method} {url}: not finished within {timeout_s:g} s")
    except (OSError, requests.exceptions.RequestException, ValueError) as exc:
        exception = exc
    finally:
        timer.close()
        if response is not None:
            response.close()
    duration_ms = (time.perf_counter() - start_s) * 1000.0
    content = b"".join(parts)
    environment.events.request.fire(
        request_type=method,
        name=name or urlsplit(url).path,
        response_time=duration_ms,
        response_length=len(content),
        response=response,
        context={},
        exception=exception,
        start_time=start_wall_s,
        url=url,
    )
    status = response.status_code if response is not None else 0
    error = None if exception is None else str(exception)
    return StreamedBody(status, headers_ms, first_ms, duration_ms, content, error)
