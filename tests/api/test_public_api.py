"""The public surface: what ``import genesis_load`` offers a locustfile author, and nothing more."""

from __future__ import annotations

import subprocess
import sys

import genesis_load

EXPECTED = [
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


def test_all_is_the_documented_surface_sorted() -> None:
    assert genesis_load.__all__ == EXPECTED
    assert genesis_load.__all__ == sorted(genesis_load.__all__, key=lambda n: (not n.isupper(), n))


def test_every_exported_name_resolves() -> None:
    for name in genesis_load.__all__:
        assert getattr(genesis_load, name) is not None, name


def test_importing_the_package_imports_neither_locust_nor_gevent() -> None:
    code = "import sys, genesis_load; print('locust' in sys.modules, 'gevent' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
