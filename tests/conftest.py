"""Shared fixtures: the demo target as a real subprocess on a free loopback port.

* ``target`` (session): one shared target with fast AI (``--ai-speed 1000``), defaults
  otherwise. Never change its faults or other runtime state: tests share it.
* ``start_target`` (function): a factory ``start_target(*args) -> TargetProcess`` for tests
  that need their own options or faults; each is started with ``--ai-speed 1000`` (later args
  win) and stopped at teardown.
* ``collect_locust_clients`` (function): for tests that run Locust users in this process; see
  its docstring.
"""

from __future__ import annotations

# Some tests use Locust in this process (the web UI's Flask app, the plugin's listeners), and
# importing Locust monkey-patches the process with gevent. Patching after ssl is imported (by
# requests, in other tests) breaks ssl, so patch first, as Locust's own test suite does.
from gevent import monkey

monkey.patch_all()

import gc
from collections.abc import Callable, Iterator

import pytest

from genesis_load.target import TargetProcess

FAST_AI_ARGS = ("--ai-speed", "1000")


@pytest.fixture(scope="session")
def target() -> Iterator[TargetProcess]:
    with TargetProcess(FAST_AI_ARGS) as process:
        yield process


@pytest.fixture
def start_target() -> Iterator[Callable[..., TargetProcess]]:
    started: list[TargetProcess] = []

    def start(*args: str) -> TargetProcess:
        process = TargetProcess((*FAST_AI_ARGS, *args))
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.close()


@pytest.fixture
def collect_locust_clients() -> Iterator[None]:
    """Collect, at the test's teardown, the Locust users the test ran in this process.

    Locust's ``FastHttpSession`` has no ``close()`` and a stopped user does not close its
    geventhttpclient connection pool: the pooled sockets are closed only when the garbage
    collector breaks the user's reference cycles, with a ``ResourceWarning`` each, in whichever
    later test that happens. Collecting here keeps them in the test that ran the users, which
    ignores exactly that warning (``filterwarnings`` mark, naming Locust as the reason).
    """
    yield
    gc.collect()


#: Fixtures that start a real server process (the demo target, an independent SSE, WebSocket
#: or OpenAI-style server): a test using one is an integration test and runs as ``slow``, so
#: ``pytest -m "not slow"`` is the pure core and the in-process checks, in seconds.
SERVER_FIXTURES = frozenset(
    {"target", "start_target", "sse_server", "plain_sse_server", "ws_server", "openai_server"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
