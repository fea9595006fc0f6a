"""Opening one SSE connection: send the request, wait for headers, check status and type.

Owns the HTTP exchange up to the first body byte and its failure kinds (``connect``,
``timeout``, ``http_error``, ``content_type``). Returns the open ``requests`` response
(``stream=True``); reading it belongs to ``arrival_feed`` and ``sse_session``.
"""

from __future__ import annotations

from typing import Any

import gevent
import requests

from .errors import StreamFailure
from .sse_types import SSEOptions, SSERequest

__all__ = ["open_stream"]

_EXCERPT_BYTES = 200
_EXCERPT_TIMEOUT_S = 1.0


def open_stream(
    http: requests.Session,
    url: str,
    request: SSERequest,
    options: SSEOptions,
    last_event_id: str | None,
) -> requests.Response:
    """The response of a 200 ``text/event-stream``, headers read, body unread."""
    headers: dict[str, str] = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
    headers.update(request.headers)
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    # requests' read timeout also bounds every body receive: keep it above the session's own
    # (gevent) deadlines, which are the ones that decide; it is only a backstop here.
    read_backstop_s = max(options.stall_s, options.first_event_s, options.connect_timeout_s) + 5
    timer = gevent.Timeout(options.connect_timeout_s)
    timer.start()
    try:
        # requests.Session.request, not a Locust HttpSession's own request(): the session
        # reports the stream itself, once, when it ends (see _fire.py)
        response = requests.Session.request(
            http,
            request.method,
            url,
            headers=headers,
            json=request.json,
            stream=True,
            timeout=(options.connect_timeout_s, read_backstop_s),
        )
    except gevent.Timeout as exc:
        if exc is not timer:
            raise
        raise StreamFailure(
            "timeout", f"no response headers within {options.connect_timeout_s:g} s from {url}"
        ) from None
    except requests.exceptions.Timeout as exc:
        raise StreamFailure("timeout", f"no response from {url}: {exc}") from exc
    except requests.exceptions.RequestException as exc:
        raise StreamFailure("connect", f"could not get a response from {url}: {exc}") from exc
    finally:
        timer.close()
    _check(response, url)
    return response


def _check(response: requests.Response, url: str) -> None:
    status = response.status_code
    content_type = response.headers.get("Content-Type", "")
    if status != 200:
        excerpt = _excerpt(response)
        response.close()
        raise StreamFailure("http_error", f"HTTP {status} from {url}: {excerpt!r}", status=status)
    if content_type.split(";")[0].strip().lower() != "text/event-stream":
        excerpt = _excerpt(response)
        response.close()
        raise StreamFailure(
            "content_type",
            f"expected text/event-stream from {url}, got {content_type or 'no Content-Type'!r}"
            f" (HTTP 200): {excerpt!r}",
            status=status,
        )


def _excerpt(response: requests.Response) -> str:
    """The start of the body, for the failure message (bounded in size and time)."""
    raw: Any = response.raw
    try:
        with gevent.Timeout(_EXCERPT_TIMEOUT_S, False):
            data: bytes = raw.read1(_EXCERPT_BYTES)
            return data.decode("utf-8", "replace")
    except Exception:  # an excerpt is best effort; the failure is reported anyway
        return ""
    return ""
