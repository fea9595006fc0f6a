"""One TCP probe of the target before any load: an unreachable host fails fast (exit 104).

A load run against a host where nothing listens would send its whole schedule into refused
connections and report a wall of failures minutes later. ``genesis-load run``/``suite`` and
plain ``locust`` runs with genesis-load (``--no-host-check`` skips it) probe once first. The
probe is a TCP connect to the host's port, nothing more: it sends no request.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from .errors import ConfigError
from .redact import redact_url

__all__ = ["check_host"]


def check_host(url: str, timeout_s: float = 3.0) -> None:
    """Raise ConfigError when nothing accepts a TCP connection at the URL's host and port."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise ConfigError(f"host {redact_url(url)!r}: {e}") from e
    if not parts.hostname:
        raise ConfigError(f"host {redact_url(url)!r} has no host name")
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout_s):
            pass
    except OSError as e:
        shown = redact_url(url)
        raise ConfigError(f"host {shown!r} is not reachable ({e}); no load was sent") from e
