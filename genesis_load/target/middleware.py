"""The one middleware every request passes: admission, faults, error shaping, accounting.

Order for a request (``/metrics`` and ``/admin/*`` skip steps 2-4 and the in-flight count)::

    1. 413 if Content-Length exceeds max_body_bytes
    2. per-client rate limit            -> 429 + Retry-After   (genesis_shed_total{rate_limit})
    3. in-flight limit (incl. streams)  -> 503 + Retry-After: 1 (genesis_shed_total{inflight})
    4. faults: stall hold, added latency, then drop (close, no response) or 500
    5. the handler; aiohttp HTTP errors become JSON, any other exception a 500 JSON
    6. count route/method/status + duration, write the access-log line

The route label is the matched route pattern (``/api/v1/users/{id}``; for a 405, the pattern
whose path matched) or ``unmatched``.
A dropped connection is counted with status 444 (nginx's "closed without response"); a handler
cancelled before it answered (server shutdown) with 499 (nginx's "client closed request").
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from genesis_load.target.faults import FaultInjector
from genesis_load.target.metrics import TargetMetrics
from genesis_load.target.responses import json_error
from genesis_load.target.state import STATE

__all__ = ["CANCELLED_STATUS", "DROPPED_STATUS", "accounting_middleware"]

log = logging.getLogger("genesis_load.target")

DROPPED_STATUS = 444
CANCELLED_STATUS = 499
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_UNMETERED = ("/metrics", "/admin/")


@web.middleware
async def accounting_middleware(request: web.Request, handler: _Handler) -> web.StreamResponse:
    arrival_ns = time.time_ns()
    start = time.perf_counter()
    state = request.app[STATE]
    path = request.path
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else await _unmatched_route(request)
    if route == "/metrics":
        return await handler(request)
    status = 500
    admitted = False
    try:
        response: web.StreamResponse | None = None
        if not path.startswith(_UNMETERED):
            response = _admit(request, state.config.max_body_bytes)
            if response is None:
                state.inflight += 1
                admitted = True
                response = _shed(state.inflight, state.config.max_inflight, state.metrics)
            if response is None:
                response = await _inject_faults(request, state.faults)
        if response is None:
            response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        if exc.status < 400:
            raise
        return json_error(exc.status, exc.reason, headers=_keep_headers(exc))
    except asyncio.CancelledError:
        status = CANCELLED_STATUS
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, path)
        status = 500
        return json_error(500, "internal server error")
    finally:
        if admitted:
            state.inflight -= 1
        duration_s = time.perf_counter() - start
        state.metrics.observe_request(route, request.method, status, duration_s)
        if state.access_log is not None:
            state.access_log.write(
                arrival_ns,
                request.method,
                request.rel_url.raw_path,
                status,
                int(duration_s * 1_000_000),
            )


async def _unmatched_route(request: web.Request) -> str:
    """For a 405 the pattern of the path's resource (aiohttp leaves it out), else 'unmatched'."""
    error = getattr(request.match_info, "http_exception", None)
    if isinstance(error, web.HTTPMethodNotAllowed):
        for resource in request.app.router.resources():
            _, allowed = await resource.resolve(request)
            if allowed:
                return resource.canonical
    return "unmatched"


def _admit(request: web.Request, max_body_bytes: int) -> web.Response | None:
    """Body-size and rate-limit checks; a response if the request is refused, else None."""
    length = request.content_length
    if length is not None and length > max_body_bytes:
        return json_error(
            413,
            f"request body too large: {length} bytes > {max_body_bytes}",
            max_body_bytes=max_body_bytes,
        )
    state = request.app[STATE]
    if state.limiter is not None:
        client = request.headers.get("X-Client-Id") or request.remote or "unknown"
        retry_after_s = state.limiter.acquire(client)
        if retry_after_s > 0:
            state.metrics.shed["rate_limit"].inc()
            return json_error(
                429,
                "rate limit exceeded",
                reason="rate_limit",
                client=client,
                rate_limit_per_s=state.limiter.rate_per_s,
                headers={"Retry-After": str(max(1, math.ceil(retry_after_s)))},
            )
    return None


async def _inject_faults(request: web.Request, faults: FaultInjector) -> web.Response | None:
    """Apply this request's faults: hold, delay, then a drop or an error replaces the handler."""
    plan = faults.for_request(request.path)
    if plan is None:
        return None
    if plan.hold_s > 0:
        await asyncio.sleep(plan.hold_s)
    if plan.delay_s > 0:
        await asyncio.sleep(plan.delay_s)
    if plan.drop:
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=DROPPED_STATUS)  # counted, but never reaches the client
    if plan.error:
        return json_error(500, "injected fault: internal error", fault="error")
    return None


def _shed(inflight: int, max_inflight: int, metrics: TargetMetrics) -> web.Response | None:
    """The circuit breaker: a 503 when this request pushed in-flight past the limit."""
    if inflight <= max_inflight:
        return None
    metrics.shed["inflight"].inc()
    return json_error(
        503,
        "overloaded: too many requests in flight",
        reason="inflight",
        max_inflight=max_inflight,
        headers={"Retry-After": "1"},
    )


def _keep_headers(exc: web.HTTPException) -> dict[str, str]:
    """Headers of an aiohttp HTTP error worth keeping on its JSON replacement (e.g. Allow)."""
    return {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After")}
