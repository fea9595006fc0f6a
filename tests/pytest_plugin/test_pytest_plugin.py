"""The pytest plugin in a fresh pytest session in a temporary directory (pytester).

Each session runs in a subprocess with warnings as errors, found through the ``pytest11`` entry
point as in any project that installed genesis-load.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import pytest

pytest_plugins = ("pytester",)

LOAD_TEST = """
import pytest
from locust import FastHttpUser, task

from genesis_load import ConfigError, check


class Api(FastHttpUser):
    @task
    def health(self):
        r = self.client.get("/health")
        check(r, {"status is 200": lambda r: r.status_code == 200})


@pytest.mark.load
def test_health_is_fast(load_test, genesis_target):
    result = load_test(Api, rate=20, duration="2s")
    assert result.passed, result.summary()
    assert result.metric("http_req_duration").p(95) < 200
    assert result.metric("http_reqs").count == pytest.approx(40, abs=2)
    assert result.checks == {"status is 200": 1.0}
    assert result.meta.host == genesis_target.base_url


def test_bad_input_is_a_config_error_before_load(load_test):
    with pytest.raises(ConfigError, match="rate: expected"):
        load_test(Api, rate="fast", duration="2s")
"""


def test_the_plugin_is_registered_and_imports_neither_locust_nor_gevent() -> None:
    names = {ep.value for ep in entry_points(group="pytest11")}
    assert "genesis_load.pytest_plugin" in names
    code = (
        "import sys, genesis_load.pytest_plugin; "
        "print('locust' in sys.modules, 'gevent' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_project_without_load_tests_is_untouched(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="""
        import sys

        def test_nothing_loaded():
            assert "genesis_load.pytest_plugin" in sys.modules
            assert "locust" not in sys.modules and "gevent" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-W", "error", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.mark.slow
def test_load_test_fixture_runs_a_load_and_returns_the_result(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        addopts = -p no:anyio
        genesis_load_patch_gevent = true
        genesis_load_target_args = --ai-speed 1000
        filterwarnings =
            error
            ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning
        """
    )
    pytester.makepyfile(test_load=LOAD_TEST)
    result = pytester.runpytest_subprocess("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    # the marker selects load tests
    result = pytester.runpytest_subprocess("--strict-markers", "-m", "not load")
    result.assert_outcomes(passed=1, deselected=1)
