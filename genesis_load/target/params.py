"""Request input parsing shared by handlers: integer query parameters and JSON bodies.

Problems are collected into a ``{name: message}`` dict so a handler can report all of them in
one 400 (see ``responses.json_error``). Every JSON body is read by :func:`read_json`, which
parses through :func:`genesis_load.target.json_body.parse_json` (depth, integer length) and
logs a refused body in one INFO line, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web

from genesis_load.target.json_body import JsonInputError, parse_json
from genesis_load.target.responses import json_error

__all__ = ["int_param", "read_json"]

log = logging.getLogger("genesis_load.target")

_SUMMARIES = {
    "empty": "request body must be JSON",
    "invalid": "invalid JSON",
    "too_deep": "JSON nested too deep",
    "integer_too_long": "JSON integer too long",
}


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
    """(parsed body, None) or (None, a 400 JSON error with the reason, e.g. ``too_deep``).

    Oversized bodies raise aiohttp's 413 (the middleware makes it a JSON 413)."""
    raw = await request.read()
    try:
        return parse_json(raw), None
    except JsonInputError as exc:
        log.info("refused a JSON body on %s %s: %s", request.method, request.path, exc)
        summary = _SUMMARIES.get(exc.reason, "invalid JSON")
        return None, json_error(400, summary, problems={"(body)": str(exc)}, reason=exc.reason)
