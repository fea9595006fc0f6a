"""Optional dependencies (pyproject's extras) and the error raised when one is not installed.

Owns the map from an extra to the modules it provides, and the check a command makes before
it starts work that needs them. It does not import those modules: ``require`` only looks them
up (``importlib.util.find_spec``), so checking costs nothing and never half-imports a library.

    target    aiohttp       the demo target's server (``genesis-load target``, ``demo``,
                            ``suite`` against ``host = "demo"``, ``TargetProcess``)
    charts    matplotlib    the report's charts (``genesis-load report``, ``suite``, ``run``)
    otel      opentelemetry the OTLP metrics output (``--out otel=URL``)

Example::

    require("charts", "genesis-load report")  # raises MissingExtraError if matplotlib is absent
"""

from __future__ import annotations

import importlib.util

from .errors import ConfigError

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: extra name -> the top-level modules it installs (keep in step with pyproject.toml)
EXTRAS: dict[str, tuple[str, ...]] = {
    "target": ("aiohttp",),
    "charts": ("matplotlib",),
    "otel": ("opentelemetry.sdk", "opentelemetry.exporter.otlp.proto.http"),
}


class MissingExtraError(ConfigError):
    """A command needs an optional dependency that is not installed (exit 104, before any load).

    The message names the extra and the pip command that installs it."""

    def __init__(self, extra: str, module: str, needed_by: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"{needed_by} needs {module}, from the optional '{extra}' extra: "
            f"pip install 'genesis-load[{extra}]'"
        )


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a broken module entry
        return False


def require(extra: str, needed_by: str) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` is installed."""
    for module in EXTRAS[extra]:
        if not _installed(module):
            raise MissingExtraError(extra, module, needed_by)
