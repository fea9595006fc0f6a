"""The scenario runs of one Locust Environment: created by :func:`attach_runs`, gone with it.

Owns what the VUs of one environment share: the run of each scenario (started by its first VU,
stopped at test stop), this process's share of every schedule in a distributed run (the master
tells each worker how many workers split it), how many VUs are parked (spawned but not needed,
which the ``vus`` gauge leaves out, as k6's ``vus`` vs ``vus_max``), and the hook the runs'
samples go through. Two environments in one process never share any of it; listeners are
registered on ``environment.events`` and the runner, never on Locust's global events.

    runs = attach_runs(environment)      # once, when the environment is set up
    runs_of(environment).run_for(scenario)
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from ..metrics.metric import SampleHook
from .run import ScenarioRun, VURun
from .scenario import Scenario
from .vus import VUScenario

__all__ = ["ScenarioRuns", "attach_runs", "runs_of"]

log = logging.getLogger("genesis_load")

_SHARE_MESSAGE = "genesis_load_share"

#: One ScenarioRuns per live Environment; an entry disappears with its environment.
_BY_ENVIRONMENT: WeakKeyDictionary[Environment, ScenarioRuns] = WeakKeyDictionary()


class ScenarioRuns:
    """The scenario runs, worker share, parked VUs and sample hook of one environment."""

    def __init__(self, environment: Environment) -> None:
        self.runs: dict[str, ScenarioRun | VURun] = {}
        #: This process's part of every scenario: (worker index, worker count).
        self.share: tuple[int, int] = (0, 1)
        #: VUs spawned but parked until their scenario needs them.
        self.parked = 0
        #: Samples of this environment's scenarios (iterations, lag, drops): the recorder
        #: of the same environment listens here.
        self.samples = SampleHook()
        self._runner_hooked: Any = None
        environment.events.test_stop.add_listener(self._on_test_stop)
        environment.events.init.add_listener(self._on_init)
        self.hook_runner(environment)

    def run_for(self, scenario: Scenario | VUScenario) -> ScenarioRun | VURun:
        """This process's run of a scenario, started by its first VU."""
        run = self.runs.get(scenario.name)
        if run is None:
            if isinstance(scenario, VUScenario):
                run = self.runs[scenario.name] = VURun(scenario, self.share)
            else:
                run = self.runs[scenario.name] = ScenarioRun(
                    scenario, self.share, self.samples.fire
                )
        return run

    def reset(self) -> None:
        """Stop every scenario loop (at test stop) so a new test starts from scratch."""
        for run in self.runs.values():
            run.stop()
        self.runs.clear()

    @contextmanager
    def parking(self) -> Iterator[None]:
        """Count a VU out of the active ones while it waits to be needed."""
        self.parked += 1
        try:
            yield
        finally:
            self.parked -= 1

    # -- Locust events ---------------------------------------------------------------------
    def _on_test_stop(self, **_: Any) -> None:
        self.reset()

    def _on_init(self, environment: Environment, **_: Any) -> None:
        self.hook_runner(environment)

    def hook_runner(self, environment: Environment) -> None:
        """Distributed runs: the master tells every worker how many share the schedule."""
        runner = environment.runner
        if runner is None or runner is self._runner_hooked:
            return
        self._runner_hooked = runner
        if isinstance(runner, WorkerRunner):
            runner.register_message(_SHARE_MESSAGE, self._on_share)
        elif isinstance(runner, MasterRunner):
            environment.events.test_start.add_listener(self._send_share)

    def _send_share(self, environment: Environment, **_: Any) -> None:
        # fired on the master before it sends the workers their users, so this arrives first
        runner = environment.runner
        assert isinstance(runner, MasterRunner)
        runner.send_message(_SHARE_MESSAGE, {"count": runner.worker_count})

    def _on_share(self, environment: Environment, msg: Any, **_: Any) -> None:
        runner = environment.runner
        assert isinstance(runner, WorkerRunner)
        self.share = (int(runner.worker_index), max(1, int(msg.data["count"])))
        log.debug("genesis-load: this worker takes part %d of %d of every scenario", *self.share)


def attach_runs(environment: Environment) -> ScenarioRuns:
    """The environment's scenario runs, created (and its listeners registered) on first use."""
    runs = _BY_ENVIRONMENT.get(environment)
    if runs is None:
        runs = _BY_ENVIRONMENT[environment] = ScenarioRuns(environment)
    else:
        runs.hook_runner(environment)
    return runs


#: Looking up is attaching: a VU of an environment built without the plugin still works.
runs_of = attach_runs
