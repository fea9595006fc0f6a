"""Request input parsing shared by handlers: integer query parameters and JSON bodies.

Problems are collected into a ``{name: message}`` dict so a handler can report all of them in
one 400 (see ``responses.json_error``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from aiohttp import web

from genesis_load.target.responses import json_error

__all__ = ["int_param", "read_json"]


def int_param(
    query: Mapping[str, str],
    name: str,
    problems: dict[str, str],
    *,
    default: int | None,
    low: int,
    high: int,
) -> int | None:
    """Parse ``query[name]`` as an integer in [low, high]; ``default`` when absent."""
    raw = query.get(name)
    if raw is None:
        if default is None:
            problems[name] = f"required: an integer in [{low}, {high}]"
        return default
    try:
        value = int(raw)
    except ValueError:
        problems[name] = f"must be an integer in [{low}, {high}], got {raw!r}"
        return default
    if not low <= value <= high:
        problems[name] = f"must be an integer in [{low}, {high}], got {value}"
        return default
    return value


async def read_json(request: web.Request) -> tuple[object, web.Response | None]:
    """(parsed body, None) or (None, a 400 JSON error). Oversized bodies raise aiohttp's 413."""
    raw = await request.read()
    if not raw:
        return None, json_error(400, "request body must be JSON", problems={"(body)": "empty"})
    try:
        return json.loads(raw), None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, json_error(400, "invalid JSON", problems={"(body)": str(exc)})
