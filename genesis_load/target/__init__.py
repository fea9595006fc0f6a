"""The embedded GENESIS demo target: an aiohttp server for every load test to hit on loopback.

Public surface::

    TargetConfig                      all server options (frozen dataclass)
    create_app(config) -> web.Application
    TargetProcess(args, env)          the target as a child process on a free port
    FaultSpec, FaultSpecError         the runtime fault specification (POST /admin/faults)

Run it with ``python -m genesis_load.target`` (or ``genesis-load target``); see docs/target.md.
``create_app`` is imported lazily, so ``from genesis_load.target import TargetProcess`` does not
import aiohttp (useful in a gevent-patched Locust process that only starts the target, and
needed without the optional 'target' extra, which installs aiohttp).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genesis_load._extras import require
from genesis_load.target.config import TargetConfig
from genesis_load.target.fault_spec import FaultSpec, FaultSpecError
from genesis_load.target.process import TargetProcess

if TYPE_CHECKING:
    from genesis_load.target.app import create_app

__all__ = ["FaultSpec", "FaultSpecError", "TargetConfig", "TargetProcess", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        require("target", "genesis_load.target.create_app")
        from genesis_load.target.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
