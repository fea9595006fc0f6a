"""The API key of an OpenAI-compatible server: read from an environment variable, sent as a
Bearer header, and kept out of every message, log line and result.

Owns :class:`ApiKey` (its ``repr`` and ``str`` never show the value), the check that a server
needing a key has one before any load is sent (:func:`require_key`), and
:class:`RedactingEnvironment`, which hands a stream session an ``events.request`` that
replaces the key in failure messages (a server may echo the ``Authorization`` header in an
error body, and the session quotes the start of error bodies).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..errors import ConfigError

__all__ = ["REDACTED", "ApiKey", "RedactingEnvironment", "require_key"]

REDACTED = "[redacted]"


class ApiKey:
    """The key read from ``env_var`` (None when the variable is unset or empty)."""

    def __init__(self, env_var: str | None, environ: Mapping[str, str] | None = None) -> None:
        self.env_var = env_var
        source = os.environ if environ is None else environ
        self._value = (source.get(env_var) or None) if env_var else None

    def __bool__(self) -> bool:
        return self._value is not None

    def __repr__(self) -> str:
        state = "set" if self._value else "not set"
        return f"ApiKey(env_var={self.env_var!r}, {state})"

    __str__ = __repr__

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._value}"} if self._value else {}

    def redact(self, text: str) -> str:
        return text.replace(self._value, REDACTED) if self._value else text


def require_key(key: ApiKey, user: str) -> None:
    """ConfigError, naming the variable (never a value), when a needed key is missing."""
    if not key:
        raise ConfigError(
            f"{user}: the server needs an API key and the environment variable "
            f"{key.env_var or '(none configured: set api_key_env)'} is not set; "
            "export it before the run (it is sent as 'Authorization: Bearer ...' and never logged)"
        )


class _RedactedException(Exception):
    """A failure whose message had the key removed; keeps the original's type name."""


class RedactingEnvironment:
    """A view of a Locust environment for a stream session: only ``events.request``, redacted."""

    def __init__(self, environment: Any, key: ApiKey) -> None:
        self._environment = environment
        self._key = key
        self.events = self  # the session calls environment.events.request.fire(...)
        self.request = self

    def fire(self, **kwargs: Any) -> None:
        exc = kwargs.get("exception")
        if exc is not None and self._key:
            text = str(exc)
            clean = self._key.redact(text)
            if clean != text:
                redacted = _RedactedException(clean)
                redacted.reason = getattr(exc, "reason", None)  # type: ignore[attr-defined]
                kwargs["exception"] = redacted
        self._environment.events.request.fire(**kwargs)
