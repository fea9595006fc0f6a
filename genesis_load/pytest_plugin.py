"""genesis-load's pytest plugin: load tests as ordinary pytest tests.

Registered through the ``pytest11`` entry point, so installing genesis-load is enough. It adds:

* ``genesis_target`` (session fixture): the demo target (:class:`~genesis_load.target.
  TargetProcess`) on a free 127.0.0.1 port, stopped at the end of the session. Needs the
  ``target`` extra.
* ``load_test`` (fixture): ``load_test(User, rate=50, duration="10s", ...) -> Result``, i.e.
  :func:`genesis_load.run` with ``host`` defaulting to ``genesis_target`` when the classes name
  none. Every keyword of ``run()`` is accepted.
* the ``load`` marker, to select or skip load tests (``pytest -m "not load"``).

A test reads::

    import pytest
    from locust import FastHttpUser, task

    class Api(FastHttpUser):
        @task
        def health(self):
            self.client.get("/health")

    @pytest.mark.load
    def test_health_is_fast(load_test):
        result = load_test(Api, rate=50, duration="10s")
        assert result.metric("http_req_duration").p(95) < 200

**gevent.** Locust needs gevent's monkey-patching, which must happen before ``ssl`` is
imported. Importing this plugin imports neither Locust nor gevent: projects that never use the
fixtures are untouched. A project that does can either import Locust first in its test modules
or ``conftest.py`` (the usual case: ``from locust import ...`` at the top of the test file
patches at collection), or set the ini option ``genesis_load_patch_gevent = true``, which
patches before any conftest or test module is imported, the safest choice when a conftest
imports ``requests`` or another ``ssl`` user. A pytest plugin that imports ``ssl`` when pytest
loads it is earlier still: anyio's (installed with httpx or Starlette) does, so disable it
(``addopts = -p no:anyio``) unless a test needs it; gevent's ``MonkeyPatchWarning`` names the
module that was first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .runapi import Result
    from .target import TargetProcess

__all__ = ["genesis_target", "load_test"]

_PATCH_INI = "genesis_load_patch_gevent"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        _PATCH_INI,
        "genesis-load: gevent.monkey.patch_all() before conftests and test modules are "
        "imported (needed when they import ssl before Locust)",
        type="bool",
        default=False,
    )
    parser.addini(
        "genesis_load_target_args",
        "genesis-load: options of the demo target the genesis_target fixture starts",
        type="args",
        default=[],
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    if early_config.getini(_PATCH_INI):
        from gevent import monkey

        monkey.patch_all()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "load: a genesis-load load test (real load against a target; slow)"
    )


@pytest.fixture(scope="session")
def genesis_target(pytestconfig: pytest.Config) -> Iterator[TargetProcess]:
    """The demo target on a free 127.0.0.1 port for the whole session."""
    from .target import TargetProcess

    args = tuple(pytestconfig.getini("genesis_load_target_args"))
    with TargetProcess(args) as process:
        yield process


@pytest.fixture
def load_test(request: pytest.FixtureRequest) -> Callable[..., Result]:
    """``load_test(User, rate=..., duration=..., **run_kwargs) -> Result`` (see the module)."""
    from .runapi.loadrun import run

    def load(user: Any, **kwargs: Any) -> Result:
        if "host" not in kwargs and not _have_hosts(user):
            target: TargetProcess = request.getfixturevalue("genesis_target")
            kwargs["host"] = target.base_url
        return run(user, **kwargs)

    return load


def _have_hosts(user: Any) -> bool:
    if isinstance(user, str):
        return False
    classes = list(user) if isinstance(user, list | tuple) else [user]
    return all(getattr(c, "host", None) for c in classes)
