"""Server-Sent Events wire encoding: event frames, comment lines and the malformed variant.

Frame layout (one event; fields omitted when None)::

    id: <event_id>\\n
    event: <event>\\n
    data: <data>\\n          (one line per line of data)
    \\n

A malformed frame keeps the id and event lines but cuts the data in half, so a client that
parses ``data`` as JSON fails on it (the ``malformed_rate`` fault).
"""

from __future__ import annotations

__all__ = ["sse_comment", "sse_frame"]


def sse_frame(
    data: str, *, event: str | None = None, event_id: str | None = None, malformed: bool = False
) -> bytes:
    if malformed:
        data = data[: max(1, len(data) // 2)]
    head = ""
    if event_id is not None:
        head += f"id: {event_id}\n"
    if event is not None:
        head += f"event: {event}\n"
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"{head}{lines}\n".encode()


def sse_comment(text: str) -> bytes:
    """A comment line (ignored by clients; used as keepalive)."""
    return f": {text}\n\n".encode()
