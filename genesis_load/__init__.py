"""genesis-load: load testing on Locust with exact HDR percentiles and k6-style results.

Import it in a locustfile and every request is recorded into HDR histograms::

    import genesis_load  # noqa: F401  (registers the listeners and options)
    from locust import HttpUser, task

Importing this package does not import Locust (or gevent's monkey-patching) by itself: the
names that need Locust (user classes, shapes, ``attach``) load on first use, and the options
and ``init`` listener are added to Locust's CLI only when Locust is already loaded, as it is
in a locustfile. All state lives in one session per Locust ``Environment``
(:func:`attach`); see docs/design/0009-shell.md.
"""

from __future__ import annotations

import sys

from ._lazy import lazy_attributes
from .checks import check, group
from .errors import (
    EXIT_ABORTED,
    EXIT_CONFIG_ERROR,
    EXIT_THRESHOLDS_FAILED,
    ConfigError,
    GenesisLoadError,
    ResultsError,
)
from .executors.scenario import Scenario
from .executors.vus import VUScenario
from .metrics import Counter, Gauge, Rate, Trend
from .pacing import ConstantPacer, GammaPacer, PoissonPacer, Stage, StagesPacer
from .results import Results, read_results
from .runapi.result import Result
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
    "AIConversationUser",
    "ArrivalRateUser",
    "ConfigError",
    "ConstantPacer",
    "Counter",
    "GammaPacer",
    "Gauge",
    "GenesisAgentUser",
    "GenesisApiUser",
    "GenesisLoadError",
    "GenesisSSEUser",
    "GenesisWebSocketUser",
    "LeanHttpUser",
    "OpenAIChatUser",
    "PacedUser",
    "PoissonPacer",
    "Rate",
    "Result",
    "Results",
    "ResultsError",
    "SSESession",
    "SSEUser",
    "Scenario",
    "ScenarioShape",
    "Stage",
    "StagesPacer",
    "Trend",
    "VUScenario",
    "WebSocketSession",
    "WebSocketUser",
    "__version__",
    "arrival_rate_user",
    "attach",
    "check",
    "group",
    "read_results",
    "run",
    "scenario_user",
    "set_thresholds",
    "timed_stream",
]

#: Names whose modules import Locust (and so gevent's monkey-patching): loaded on first use.
_ON_LOCUST = {
    "ArrivalRateUser": ".executors.user",
    "PacedUser": ".executors.paced",
    "ScenarioShape": ".executors.shape",
    "arrival_rate_user": ".executors.user",
    "scenario_user": ".executors.user",
    "GenesisApiUser": ".users",
    "LeanHttpUser": ".leanhttp",
    "GenesisSSEUser": ".streaming",
    "GenesisWebSocketUser": ".streaming",
    "SSESession": ".streaming",
    "SSEUser": ".streaming",
    "WebSocketSession": ".streaming",
    "WebSocketUser": ".streaming",
    "timed_stream": ".streaming",
    "AIConversationUser": ".ai",
    "GenesisAgentUser": ".ai",
    "OpenAIChatUser": ".ai",
    "attach": ".plugin",
    "run": ".runapi.loadrun",
}


__getattr__ = lazy_attributes(__name__, _ON_LOCUST)


if "locust" in sys.modules:  # imported from a locustfile: Locust's CLI will find the plugin
    from .plugin import install

    install()
