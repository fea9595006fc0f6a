"""What kind of failure a failed request was: the ``error`` tag (k6's ``error_code`` idea).

One pure function over the exception Locust reports and the HTTP status. Kinds::

    refused      the connection was refused (nothing listens)
    reset        the peer reset or closed the connection mid-request (dropped, broken pipe)
    timeout      connect or read timed out
    dns          the host name did not resolve
    tls          the TLS handshake or a TLS record failed
    http_4xx     a 4xx response (e.g. 429 rate limited)
    http_5xx     a 5xx response (e.g. 503 shed)
    protocol     a malformed HTTP response
    failed_check the response arrived but the user marked it failed (``response.failure()``)
    other        anything else (the exception's class is in Locust's error report)

A failed request is tagged ``error:<kind>``, so ``http_reqs{error:reset}`` and
``http_req_failed{error:timeout}`` work in sub-metrics and thresholds, and the results list
every kind the run saw. Exceptions raised by a task itself are not requests: they are counted as
``iteration_errors{error:iteration_exception,exception:<class>}``.
"""

from __future__ import annotations

import errno
import socket
import ssl

__all__ = ["ERROR_KINDS", "error_kind"]

ERROR_KINDS = (
    "refused", "reset", "timeout", "dns", "tls", "http_4xx", "http_5xx", "protocol",
    "failed_check", "other",
)  # fmt: skip

_RESET_ERRNOS = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED, errno.ENOTCONN}


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes / contexts (requests wraps socket errors deeply)."""
    out: list[BaseException] = []
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        out.append(e)
        todo += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
    return out


def _kind_of(e: BaseException) -> str | None:
    name = type(e).__name__
    text = str(e).lower()
    if isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED:
        return "refused"
    if isinstance(e, socket.gaierror) or "name or service not known" in text:
        return "dns"
    if isinstance(e, ssl.SSLError) or name.startswith("SSL"):
        return "tls"
    if isinstance(e, TimeoutError | socket.timeout) or "timed out" in text or name == "Timeout":
        return "timeout"
    if isinstance(e, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return "reset"
    if getattr(e, "errno", None) in _RESET_ERRNOS or name == "HTTPConnectionClosed":
        return "reset"
    if "connection reset" in text or "remotedisconnected" in name.lower():
        return "reset"
    if name in ("HTTPParseError", "HTTPProtocolViolationError", "BadStatusLine"):
        return "protocol"
    if "refused" in text:
        return "refused"
    return None


def error_kind(exception: BaseException | None, status: int) -> str:
    """The kind of a failed request: from its exception chain, else from its status."""
    if exception is not None:
        for e in _chain(exception):
            kind = _kind_of(e)
            if kind is not None:
                return kind
    if 400 <= status < 500:
        return "http_4xx"
    if status >= 500:
        return "http_5xx"
    if exception is not None and type(exception).__name__ == "CatchResponseError" and status:
        return "failed_check"
    return "other"
