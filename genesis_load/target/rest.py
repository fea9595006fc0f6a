"""REST handlers for users, workouts and plans, plain and through the cache.

Routes per resource ``res`` (see ``resources.RESOURCES``)::

    GET  /api/v1/{res}?limit=1..100&offset=N   -> {"items", "limit", "offset", "total"}
    GET  /api/v1/{res}/{id}                    -> the row, or 404; Server-Timing: db;dur=<ms>
    POST /api/v1/{res}                         -> 201 + row + Location, or 400 naming fields
    GET  /api/v1/cached/{res}/{id}             -> the row via the LRU+TTL cache;
                                                  X-Cache: HIT|MISS,
                                                  Server-Timing: cache;dur=<ms>[, db;dur=<ms>]

Server-Timing durations are measured with ``perf_counter_ns`` around the cache lookup and the
SQLite query, in milliseconds with microsecond resolution rounded up (never shown as 0).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from genesis_load.target.params import int_param, read_json
from genesis_load.target.resources import RESOURCES
from genesis_load.target.responses import dumps, json_error, json_response
from genesis_load.target.state import STATE

__all__ = ["add_rest_routes"]

_Handler = Callable[[web.Request], Awaitable[web.Response]]
MAX_LIMIT = 100
MAX_ID = 2**62


def timing_ms(duration_ns: int) -> str:
    """A Server-Timing ``dur`` value: ms with µs resolution, rounded up so never 0.000."""
    return f"{max(1, -(-duration_ns // 1000)) / 1000:.3f}"


def _row_id(request: web.Request) -> int | None:
    raw = request.match_info["id"]
    # ASCII digits only ("²" is a digit to str.isdigit), and short: a 5000-digit id is a 400
    if raw.isascii() and raw.isdigit() and len(raw) <= 19 and 1 <= int(raw) <= MAX_ID:
        return int(raw)
    return None


def _bad_id(request: web.Request) -> web.Response:
    raw = request.match_info["id"]
    return json_error(
        400, "invalid id", problems={"id": f"must be a positive integer, got {raw!r}"}
    )


def _list(name: str) -> _Handler:
    async def handler(request: web.Request) -> web.Response:
        problems: dict[str, str] = {}
        limit = int_param(request.query, "limit", problems, default=20, low=1, high=MAX_LIMIT)
        offset = int_param(request.query, "offset", problems, default=0, low=0, high=MAX_ID)
        if problems or limit is None or offset is None:
            return json_error(400, "invalid query parameters", problems=problems)
        store = request.app[STATE].store
        start = time.perf_counter_ns()
        items = store.list(name, limit, offset)
        db_ns = time.perf_counter_ns() - start
        body = {"items": items, "limit": limit, "offset": offset, "total": store.total(name)}
        return json_response(body, headers={"Server-Timing": f"db;dur={timing_ms(db_ns)}"})

    return handler


def _get(name: str) -> _Handler:
    async def handler(request: web.Request) -> web.Response:
        row_id = _row_id(request)
        if row_id is None:
            return _bad_id(request)
        start = time.perf_counter_ns()
        row = request.app[STATE].store.get(name, row_id)
        headers = {"Server-Timing": f"db;dur={timing_ms(time.perf_counter_ns() - start)}"}
        if row is None:
            return json_error(404, f"{name} {row_id} not found", headers=headers)
        return json_response(row, headers=headers)

    return handler


def _create(name: str) -> _Handler:
    resource = RESOURCES[name]

    async def handler(request: web.Request) -> web.Response:
        body, error = await read_json(request)
        if error is not None:
            return error
        values, problems = resource.validate(body)
        store = request.app[STATE].store
        user_id = values.get("user_id")
        if (
            name == "workouts"
            and "user_id" not in problems
            and isinstance(user_id, int)
            and not store.exists("users", user_id)
        ):
            problems["user_id"] = f"no user with id {user_id}"
        if problems:
            return json_error(400, f"invalid {name} fields", problems=problems)
        row = store.insert(name, values)
        return json_response(row, status=201, headers={"Location": f"/api/v1/{name}/{row['id']}"})

    return handler


def _cached_get(name: str) -> _Handler:
    async def handler(request: web.Request) -> web.Response:
        row_id = _row_id(request)
        if row_id is None:
            return _bad_id(request)
        state = request.app[STATE]
        start = time.perf_counter_ns()
        body = state.cache.get((name, row_id))
        cache_ns = time.perf_counter_ns() - start
        if body is not None:
            state.metrics.cache["hit"].inc()
            headers = {"X-Cache": "HIT", "Server-Timing": f"cache;dur={timing_ms(cache_ns)}"}
            return web.Response(body=body, content_type="application/json", headers=headers)
        state.metrics.cache["miss"].inc()
        start = time.perf_counter_ns()
        row = state.store.get(name, row_id)
        db_ns = time.perf_counter_ns() - start
        headers = {
            "X-Cache": "MISS",
            "Server-Timing": f"cache;dur={timing_ms(cache_ns)}, db;dur={timing_ms(db_ns)}",
        }
        if row is None:
            return json_error(404, f"{name} {row_id} not found", headers=headers)
        body = dumps(row).encode()
        state.cache.put((name, row_id), body)
        return web.Response(body=body, content_type="application/json", headers=headers)

    return handler


def add_rest_routes(router: web.UrlDispatcher) -> None:
    for name in RESOURCES:
        router.add_get(f"/api/v1/{name}", _list(name))
        router.add_post(f"/api/v1/{name}", _create(name))
        router.add_get(f"/api/v1/{name}/{{id}}", _get(name))
        router.add_get(f"/api/v1/cached/{name}/{{id}}", _cached_get(name))
