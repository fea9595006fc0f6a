"""Shared fixtures: the demo target as a real subprocess on a free loopback port.

* ``target`` (session): one shared target with fast AI (``--ai-speed 1000``), defaults
  otherwise. Never change its faults or other runtime state: tests share it.
* ``start_target`` (function): a factory ``start_target(*args) -> TargetProcess`` for tests
  that need their own options or faults; each is started with ``--ai-speed 1000`` (later args
  win) and stopped at teardown.
"""

from __future__ import annotations

# Some tests use Locust in this process (the web UI's Flask app, the plugin's listeners), and
# importing Locust monkey-patches the process with gevent. Patching after ssl is imported (by
# requests, in other tests) breaks ssl, so patch first, as Locust's own test suite does.
from gevent import monkey

monkey.patch_all()

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
