"""genesis-load: load testing on Locust with exact HDR percentiles and k6-style results.

Import it in a locustfile and every request is recorded into HDR histograms::

    import genesis_load  # noqa: F401  (registers the listeners and options)
    from locust import HttpUser, task

Importing this package does not import Locust (or gevent's monkey-patching) by itself: the
listeners are installed only when Locust is already loaded, as it is in a locustfile.
"""

from __future__ import annotations

import sys

from .checks import check, group
from .errors import (
    EXIT_ABORTED,
    EXIT_CONFIG_ERROR,
    EXIT_THRESHOLDS_FAILED,
    ConfigError,
    GenesisLoadError,
)
from .metrics import Counter, Gauge, Rate, Trend
from .thresholds import set_thresholds

try:  # the version is written once, in pyproject.toml, and read from the installed metadata
    from importlib.metadata import PackageNotFoundError as _NotInstalled
    from importlib.metadata import version as _installed_version

    __version__ = _installed_version("genesis-load")
except _NotInstalled:  # a checkout on sys.path that was never pip-installed
    __version__ = "0+unknown"

__all__ = [
    "EXIT_ABORTED",
    "EXIT_CONFIG_ERROR",
    "EXIT_THRESHOLDS_FAILED",
    "ConfigError",
    "Counter",
    "Gauge",
    "GenesisLoadError",
    "Rate",
    "Trend",
    "__version__",
    "check",
    "group",
    "set_thresholds",
]

if "locust" in sys.modules:
    from .plugin import install

    install()
