"""Library use: :func:`run` a load in this process and read its :class:`Result`.

``Result`` (``.result``) imports no Locust; ``run`` (``.loadrun``) does, and loads on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .result import MetricView, Result

__all__ = ["MetricView", "Result", "run"]


def __getattr__(name: str) -> Any:
    if name == "run":
        return importlib.import_module(".loadrun", __name__).run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
