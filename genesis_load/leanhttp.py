"""A lean HTTP user: Locust's user model on geventhttpclient's ``HTTPClient``, nothing between.

Locust's ``FastHttpUser`` runs each request through a ``urllib``-style compatibility layer
(``UserAgent``, ``CompatRequest``, a cookie jar, a ``gevent.Timeout`` per request, redirect
handling and a response wrapper) before geventhttpclient's ``HTTPClient`` sends it. That layer
is about a third of the CPU a request costs the generator (``benchmarks/``: 190-245 against
110-150 µs per request in a closed loop on one core), and a generator that runs out of CPU
reports its own slowness as the server's. :class:`LeanHttpUser` sends with ``HTTPClient``
directly, one keep-alive connection per VU (k6's model), with socket timeouts instead of a timer
per request, and reports every request through Locust's ``request`` event exactly as
``FastHttpUser`` does (type, name, response time, length, response, context, exception), so
Locust's statistics, genesis-load's metrics, checks and thresholds see no difference.

What it leaves out, on purpose (use ``FastHttpUser`` or ``HttpUser`` when a test needs them):
cookies, redirects (a 3xx is returned as it is), compressed responses (it asks for none),
``auth=``, ``params=``, ``files=`` and streamed bodies. An unknown keyword is a ``TypeError``,
never silently ignored::

    class Api(LeanHttpUser):
        @task
        def plans(self):
            self.client.get("/api/v1/plans")
            with self.client.post("/api/v1/chat", json={"q": "hi"}, catch_response=True) as r:
                if b"answer" not in r.content:
                    r.failure("no answer")

It combines with the scenario executors like any Locust user: ``class Checkout(ArrivalRateUser,
LeanHttpUser)``.
"""

from __future__ import annotations

import json as jsonlib
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from geventhttpclient import HTTPClient
from geventhttpclient.response import HTTPConnectionClosed, HTTPProtocolViolationError
from locust import User
from locust.exception import CatchResponseError, LocustError, ResponseError

__all__ = ["HTTPStatusError", "LeanHttpUser", "LeanResponse", "LeanSession"]

#: What a failed send or read raises: the request is reported failed (status 0), never lost.
_SEND_ERRORS = (OSError, HTTPConnectionClosed, HTTPProtocolViolationError)


class HTTPStatusError(ResponseError):
    """A response with a 4xx or 5xx status."""


class LeanResponse:
    """A response read to its end: ``status_code``, ``headers``, ``content``, ``text``,
    ``json()``, ``ok``, ``raise_for_status()``; ``error`` when the request failed to send or
    read (then ``status_code`` is 0)."""

    __slots__ = ("_elapsed", "content", "error", "headers", "status_code", "url")

    def __init__(
        self,
        url: str,
        status_code: int = 0,
        headers: Any = None,
        content: bytes = b"",
        elapsed_s: float | None = None,
        error: BaseException | None = None,
    ) -> None:
        self.url = url
        self.status_code = status_code
        self.headers: Mapping[str, Any] = headers if headers is not None else {}
        self.content = content
        #: Seconds from sending to the response headers (genesis-load's ``http_req_waiting``).
        self._elapsed = elapsed_s
        self.error = error

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)

    @property
    def ok(self) -> bool:
        return self.error is None and 0 < self.status_code < 400

    def raise_for_status(self) -> None:
        if self.error is not None:
            raise self.error
        if self.status_code >= 400:
            raise HTTPStatusError(f"{self.status_code} for url: {self.url}")

    def __repr__(self) -> str:
        return f"<LeanResponse [{self.status_code}] {self.url}>"


class LeanResponseContext(LeanResponse):
    """``catch_response=True``: decide in a ``with`` block whether the request succeeded
    (Locust's ``ResponseContextManager`` semantics: reported when the block exits)."""

    __slots__ = ("_entered", "_fire", "_manual", "_meta")

    def __init__(self, response: LeanResponse, fire: Any, meta: dict[str, Any]) -> None:
        super().__init__(
            response.url,
            response.status_code,
            response.headers,
            response.content,
            response._elapsed,
            response.error,
        )
        self._fire = fire
        self._meta = meta
        self._manual: bool | BaseException | None = None
        self._entered = False

    def __enter__(self) -> LeanResponseContext:
        self._entered = True
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        """Report the request once, whatever happened in the block (the server answered it):
        the verdict set with success()/failure(), else a ``ResponseError`` raised in the block,
        else an exception the block raised (reported failed, then raised on), else the
        status. A VU stopped in the block (``GreenletExit``) keeps the status's verdict."""
        meta = self._meta
        if self._manual is True:
            meta["exception"] = None
        elif self._manual is not None:
            meta["exception"] = self._manual
        elif isinstance(exc, Exception):
            meta["exception"] = exc
        self._fire(**meta)
        if exc is None:
            return True
        return self._manual is None and isinstance(exc, ResponseError)

    def success(self) -> None:
        if not self._entered:
            raise LocustError("success() needs a with-block and catch_response=True")
        self._manual = True

    def failure(self, exc: BaseException | str) -> None:
        if not self._entered:
            raise LocustError("failure() needs a with-block and catch_response=True")
        self._manual = exc if isinstance(exc, BaseException) else CatchResponseError(exc)


class LeanSession:
    """The client of one :class:`LeanHttpUser`: one keep-alive connection per origin."""

    def __init__(
        self,
        base_url: str,
        request_event: Any,
        user: User | None = None,
        connection_timeout: float = 60.0,
        network_timeout: float = 60.0,
        insecure: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise LocustError(f"LeanHttpUser: host must be an http(s) URL, got {base_url!r}")
        self._base = (parts.scheme, parts.hostname, parts.port)
        self._base_path = parts.path.rstrip("/")
        self._fire = request_event.fire
        self.user = user
        self._timeouts = (connection_timeout, network_timeout)
        self._insecure = insecure
        self._headers = dict(headers or {})
        self._clients: dict[tuple[str, str, int | None], HTTPClient] = {}

    def _client(self, origin: tuple[str, str, int | None]) -> HTTPClient:
        client = self._clients.get(origin)
        if client is None:
            scheme, host, port = origin
            client = self._clients[origin] = HTTPClient(
                host,
                port,
                concurrency=1,
                connection_timeout=self._timeouts[0],
                network_timeout=self._timeouts[1],
                ssl=scheme == "https",
                insecure=self._insecure,
                headers=self._headers,
            )
        return client

    def _target(self, url: str) -> tuple[tuple[str, str, int | None], str, str]:
        """(origin, request URI, URL for the report) of a path or an absolute URL."""
        if url.startswith(("http://", "https://")):
            parts = urlsplit(url)
            if not parts.hostname:
                raise ValueError(f"no host in URL {url!r}")
            uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return (parts.scheme, parts.hostname, parts.port), uri, url
        return self._base, self._base_path + url, url

    def request(
        self,
        method: str,
        url: str,
        name: str | None = None,
        data: str | bytes | Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        catch_response: bool = False,
        context: Mapping[str, Any] | None = None,
    ) -> LeanResponse:
        """Send one request, read the whole response, and report it (now, or when the
        ``catch_response`` block exits)."""
        send_headers = dict(headers) if headers else {}
        body: bytes | str = b""
        if data is not None:
            if isinstance(data, Mapping):
                body = urlencode(data)
                send_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            else:
                body = data
        elif json is not None:
            body = jsonlib.dumps(json)
            send_headers.setdefault("Content-Type", "application/json")
        ctx = self.user.context() if self.user is not None else {}
        if context:
            ctx = {**ctx, **context}
        start_time = time.time()
        start = time.perf_counter()
        try:
            origin, uri, report_url = self._target(url)
            raw = self._client(origin).request(method, uri, body=body, headers=send_headers)
            headers_s = time.perf_counter() - start
            try:
                content = bytes(raw.read())
            finally:
                raw.release()
            response = LeanResponse(report_url, raw.status_code, raw.info(), content, headers_s)
        except _SEND_ERRORS as e:
            response = LeanResponse(url, error=e)
        meta = {
            "request_type": method,
            "name": name or url,
            "response_time": (time.perf_counter() - start) * 1000.0,
            "response_length": len(response.content),
            "response": response,
            "context": ctx,
            "exception": response.error,
            "start_time": start_time,
            "url": response.url,
        }
        if response.error is None and response.status_code >= 400:
            meta["exception"] = HTTPStatusError(f"{response.status_code} for url: {url}")
        if catch_response:
            return LeanResponseContext(response, self._fire, meta)
        self._fire(**meta)
        return response

    def get(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("DELETE", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("HEAD", url, **kwargs)

    def options(self, url: str, **kwargs: Any) -> LeanResponse:
        return self.request("OPTIONS", url, **kwargs)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


class LeanHttpUser(User):
    """A Locust user whose ``client`` is a :class:`LeanSession` (see the module's doc)."""

    abstract = True
    #: Seconds to connect, and to wait for any read or write on the connection.
    connection_timeout: float = 60.0
    network_timeout: float = 60.0
    #: Skip TLS certificate checks (``FastHttpUser``'s default too).
    insecure: bool = True
    #: Headers sent with every request.
    default_headers: dict[str, str] | None = None

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        if self.host is None:
            raise LocustError(
                "You must specify the base host. Either in the host attribute in the User "
                "class, or on the command line using the --host option."
            )
        self.client = LeanSession(
            self.host,
            environment.events.request,
            user=self,
            connection_timeout=self.connection_timeout,
            network_timeout=self.network_timeout,
            insecure=self.insecure,
            headers=self.default_headers,
        )
