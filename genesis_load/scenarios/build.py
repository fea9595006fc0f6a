"""Locust classes from a suite registry entry: what every packaged locustfile does.

Owns turning one :class:`~genesis_load.suite.registry.SuiteScenario` into the two classes a
locustfile exposes: the open-model user (``arrival_rate_user`` over the entry's user class and
preset) and its ``ScenarioShape`` carrying the entry's thresholds. Imports Locust; a
locustfile's whole body is::

    from genesis_load.scenarios.build import suite_classes

    Spike, SpikeShape = suite_classes("spike", __name__)

The classes hold the preset's full schedule; ``--profile`` or ``GENESIS_RATE_FACTOR`` /
``GENESIS_TIME_FACTOR`` scale it once, when the run starts (``genesis_load.executors.scaling``).
"""

from __future__ import annotations

import importlib
from typing import Any

from locust import User

from ..executors import ScenarioShape, arrival_rate_user, preset
from ..suite.registry import SUITE

__all__ = ["suite_classes"]


def _import(ref: str) -> type[User]:
    module, _, name = ref.partition(":")
    cls = getattr(importlib.import_module(module), name)
    if not (isinstance(cls, type) and issubclass(cls, User)):
        raise TypeError(f"{ref}: not a Locust User class")
    return cls


def suite_classes(name: str, module: str) -> tuple[Any, ...]:
    """The user classes (``Spike``; ``Streaming``, ``StreamingWs``) and then the shape
    (``SpikeShape``) of suite scenario ``name``: ``Spike, SpikeShape = suite_classes(...)``.

    ``module``: the locustfile's ``__name__``, so the shape reads as defined there.
    """
    entry = SUITE[name]
    users = tuple(
        arrival_rate_user(_import(part.user), preset(part.preset), cls_name)
        for part, cls_name in zip(entry.parts, entry.class_names, strict=True)
    )
    attrs: dict[str, Any] = {
        "user_classes": users,
        "thresholds": dict(entry.thresholds),
        "__module__": module,
        "__doc__": f"{entry.name}: {entry.description} (suite registry entry).",
    }
    shape = type(f"{entry.class_name}Shape", (ScenarioShape,), attrs)
    return (*users, shape)
