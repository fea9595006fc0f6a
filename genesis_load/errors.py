"""Exceptions raised by genesis-load, and the process exit codes they map to.

Exit codes (k6's numbers where k6 has one; README and docs/exit-codes.md have the table)::

    0    every threshold passed, the run completed
    1    compare: a regression; suite: a Locust run crashed
    2    report/compare: unreadable or foreign results; command-line usage errors
    99   a threshold failed
    103  the results could not be written (full disk, removed folder)
    104  invalid configuration, or an unreachable host, found before any load
    105  incomplete: SIGINT (Ctrl-C) or SIGTERM ended the run early (k6's ExternalAbort), or
         a distributed run lost a worker or a worker's final data (meta.ended worker_lost)
    108  aborted by an abortOnFail threshold (k6's ScriptAborted)

When several apply, the first of 104, 108, 105, 103, 99 wins: a run that did not go as
planned is never reported as a mere threshold failure, and never as a pass.

The hierarchy::

    GenesisLoadError
    ├── ConfigError            invalid input found before any load is sent (exit 104)
    │   ├── SelectorError      a malformed ``metric{tag:value}`` expression
    │   └── MissingExtraError  a command needs an optional extra (``_extras``)
    └── ResultsError           a results file that cannot be read or written

``ConfigError`` carries every problem found, not only the first, so a user fixes a file
in one pass (STYLE habit 7).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "EXIT_ABORTED",
    "EXIT_CONFIG_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RESULTS_NOT_WRITTEN",
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
#: SIGINT or SIGTERM ended the run before its planned end (k6's ``ExternalAbort``); also a
#: distributed run that lost a worker or a worker's final data: incomplete either way.
EXIT_INTERRUPTED = 105
#: An output could not write the results (k6's ``GenericEngine`` error).
EXIT_RESULTS_NOT_WRITTEN = 103


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
