"""Package attributes loaded on first use: names whose modules import Locust (and gevent).

A package that lists such names in a mapping ``{name: ".module"}`` gets its module
``__getattr__`` from :func:`lazy_attributes`, so ``import genesis_load`` (or a leaf module of
``streaming`` / ``ai``) loads neither Locust nor gevent's monkey-patching until a user class
is actually asked for::

    __getattr__ = lazy_attributes(__name__, {"SSEUser": ".sse_user"})
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``names[name]`` (relative to ``package``) once."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module, package), name)

    return __getattr__
