"""Operational endpoints: ``GET /health`` (the cheapest route) and ``GET /metrics``.

``/health`` is the throughput benchmark's target, so it does no more than format one small
JSON object. ``/metrics`` renders the dedicated registry (see ``metrics``).
"""

from __future__ import annotations

import time

from aiohttp import web

from genesis_load.target.state import STATE

__all__ = ["health", "metrics"]


async def health(request: web.Request) -> web.Response:
    uptime_s = time.monotonic() - request.app[STATE].started_monotonic
    body = b'{"status":"ok","uptime_s":%.3f}' % uptime_s
    return web.Response(body=body, content_type="application/json")


async def metrics(request: web.Request) -> web.Response:
    body, content_type = request.app[STATE].metrics.render()
    return web.Response(body=body, headers={"Content-Type": content_type})
