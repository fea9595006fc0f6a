"""JSON response helpers shared by every handler: success bodies and the one error shape.

Error body (every non-OpenAI error the target sends)::

    {"error": "<summary>", "status": <int>, "problems": {"<field or key>": "<message>", ...}}

``problems`` is present only when specific fields, query parameters or fault keys are at fault.
OpenAI-compatible routes use OpenAI's own error shape instead (see ``chat``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from aiohttp import web

__all__ = ["dumps", "json_error", "json_response"]


def dumps(value: object) -> str:
    """Compact JSON (no spaces), the wire form of every body and frame."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_response(
    value: object, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=dumps(value).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def json_error(
    status: int,
    message: str,
    *,
    problems: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> web.Response:
    body: dict[str, object] = {"error": message, "status": status, **extra}
    if problems:
        body["problems"] = dict(problems)
    return json_response(body, status=status, headers=headers)
