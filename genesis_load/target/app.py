"""``create_app``: the aiohttp Application of the demo target, wired and ready to run.

Owns the route table and the lifecycle hooks (start the access-log flusher; on shutdown end open
SSE streams and close WebSockets; on cleanup flush the log and close the database). Listening,
signals and the CLI are ``server``'s job; each handler module owns its own routes.
"""

from __future__ import annotations

import asyncio

from aiohttp import WSCloseCode, web

from genesis_load.target.admin import add_admin_routes
from genesis_load.target.chat import add_chat_routes
from genesis_load.target.config import TargetConfig
from genesis_load.target.middleware import accounting_middleware
from genesis_load.target.ops import health, metrics
from genesis_load.target.rest import add_rest_routes
from genesis_load.target.sse import stream_events
from genesis_load.target.state import STATE, TargetState
from genesis_load.target.ws import websocket

__all__ = ["create_app"]


def create_app(config: TargetConfig) -> web.Application:
    """Build the application; its state (database, cache, metrics) is created here, eagerly."""
    app = web.Application(
        client_max_size=config.max_body_bytes, middlewares=[accounting_middleware]
    )
    app[STATE] = TargetState.build(config)
    router = app.router
    router.add_get("/health", health)
    router.add_get("/metrics", metrics)
    add_rest_routes(router)
    add_chat_routes(router)
    router.add_get("/api/v1/stream/events", stream_events)
    router.add_get("/ws", websocket)
    add_admin_routes(router)
    app.on_startup.append(_on_startup)
    app.on_shutdown.append(_on_shutdown)
    app.on_cleanup.append(_on_cleanup)
    return app


async def _on_startup(app: web.Application) -> None:
    access_log = app[STATE].access_log
    if access_log is not None:
        access_log.start()


async def _on_shutdown(app: web.Application) -> None:
    state = app[STATE]
    state.end_streams()
    closing = [
        ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown")
        for ws in list(state.websockets)
    ]
    await asyncio.gather(*closing, return_exceptions=True)


async def _on_cleanup(app: web.Application) -> None:
    await app[STATE].close()
