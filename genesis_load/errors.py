"""Exceptions raised by genesis-load, and the process exit codes they map to.

The hierarchy::

    GenesisLoadError
    ├── ConfigError            invalid input found before any load is sent (exit 104)
    │   └── SelectorError      a malformed ``metric{tag:value}`` expression
    └── ResultsError           a results file that cannot be read or written

``ConfigError`` carries every problem found, not only the first, so a user fixes a file
in one pass (STYLE habit 7).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "EXIT_ABORTED",
    "EXIT_CONFIG_ERROR",
    "EXIT_OK",
    "EXIT_THRESHOLDS_FAILED",
    "ConfigError",
    "GenesisLoadError",
    "ResultsError",
    "SelectorError",
]

EXIT_OK = 0
#: A threshold failed (k6's code).
EXIT_THRESHOLDS_FAILED = 99
#: Invalid configuration found before the start (k6's ``InvalidConfig``).
EXIT_CONFIG_ERROR = 104
#: The run was aborted before its planned end (k6's ``ScriptAborted``).
EXIT_ABORTED = 108


class GenesisLoadError(Exception):
    """Base class of every error genesis-load raises on purpose."""


class ConfigError(GenesisLoadError):
    """One or more problems in options, files or expressions, all reported at once."""

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(self.problems))


class SelectorError(ConfigError):
    """A ``metric{tag:value,...}`` expression that does not parse.

    ``position`` is the 0-based character offset of the problem in ``expression``.
    """

    def __init__(self, expression: str, position: int, reason: str) -> None:
        self.expression = expression
        self.position = position
        self.reason = reason
        pointer = " " * position + "^"
        super().__init__(
            f"invalid metric selector {expression!r} at position {position}: {reason}\n"
            f"  {expression}\n  {pointer}"
        )


class ResultsError(GenesisLoadError):
    """A results file or directory that cannot be written or read."""
