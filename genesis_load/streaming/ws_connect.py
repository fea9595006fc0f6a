"""Opening a WebSocket with websocket-client: the handshake and its failure kinds.

Owns the upgrade only (``connect``, ``http_error`` for a refused upgrade, ``timeout``);
the session owns everything after it.
"""

from __future__ import annotations

import gevent
import websocket

from .errors import StreamFailure
from .ws_types import WSOptions

__all__ = ["open_websocket", "ws_url"]


def ws_url(base: str, path: str) -> str:
    """``http://h:p`` + ``/ws`` -> ``ws://h:p/ws`` (``https`` -> ``wss``); full URLs kept."""
    if "://" in path:
        return path
    base = base.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base[len("http") :]
    return f"{base}{path}"


def open_websocket(url: str, options: WSOptions) -> websocket.WebSocket:
    """A connected socket (thread-safe sends and receives: one reader, one writer)."""
    timer = gevent.Timeout(options.connect_timeout_s + 1.0)
    timer.start()
    try:
        ws = websocket.create_connection(
            url,
            timeout=options.connect_timeout_s,
            enable_multithread=True,
            # websocket-client checks UTF-8 in pure Python byte by byte (~75 µs for an 80-byte
            # message); the receive loop decodes text itself, replacing invalid bytes
            skip_utf8_validation=True,
            header=[f"{k}: {v}" for k, v in options.headers.items()],
        )
    except gevent.Timeout as exc:
        if exc is not timer:
            raise
        raise StreamFailure(
            "timeout", f"no handshake within {options.connect_timeout_s:g} s from {url}"
        ) from None
    except websocket.WebSocketBadStatusException as exc:
        status = int(getattr(exc, "status_code", 0) or 0)
        raise StreamFailure(
            "http_error", f"upgrade refused by {url}: HTTP {status}", status=status
        ) from exc
    except (TimeoutError, websocket.WebSocketTimeoutException) as exc:
        raise StreamFailure("timeout", f"handshake with {url} timed out: {exc}") from exc
    except (OSError, websocket.WebSocketException) as exc:
        raise StreamFailure("connect", f"could not open {url}: {exc}") from exc
    finally:
        timer.close()
    ws.settimeout(options.idle_timeout_s)
    return ws
