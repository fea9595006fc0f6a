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
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from ..metrics.metric import BUILTIN_METRICS, SampleHook
from ..pacing import Pacer, share
from ..pacing._base import count_due, pace_from_due
from .run import ScenarioRun, VURun, part
from .scenario import Scenario
from .vus import VUScenario

__all__ = [
    "HELLO_MESSAGE",
    "SHARE_MESSAGE",
    "HandoverPacer",
    "ScenarioRuns",
    "attach_runs",
    "handover",
    "runs_of",
]

log = logging.getLogger("genesis_load")

SHARE_MESSAGE = "genesis_load_share"
#: A worker's first word to the master: it can take share messages from now on.
HELLO_MESSAGE = "genesis_load_hello"
_DROPPED = BUILTIN_METRICS["dropped_iterations"]

#: One ScenarioRuns per live Environment; an entry disappears with its environment.
_BY_ENVIRONMENT: WeakKeyDictionary[Environment, ScenarioRuns] = WeakKeyDictionary()


class ScenarioRuns:
    """The scenario runs, worker share, parked VUs and sample hook of one environment."""

    def __init__(self, environment: Environment) -> None:
        self.runs: dict[str, ScenarioRun | VURun] = {}
        #: This process's part of every scenario: (worker index, worker count).
        self.share: tuple[int, int] = (0, 1)
        #: The master's run start and series interval (a worker aligns its intervals to them).
        self.master_start_s: float | None = None
        self.grid_interval_s: float | None = None
        #: On a master: every worker said its schedules are done (the shape may end).
        self.workers_done = False
        #: A worker that joined mid-run, held without a share until the master sends one.
        self.no_share = False
        #: A worker that joined mid-run: (from_s, scenario starts, the hand-over point in each
        #: scenario's common time), so the runs it starts keep the clock of the workers that
        #: started the scenarios.
        self.aligned: tuple[float, dict[str, float], dict[str, float]] | None = None
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
        if run is not None:
            return run
        start_s = self.aligned[1].get(scenario.name) if self.aligned is not None else None
        if isinstance(scenario, VUScenario):
            run = self.runs[scenario.name] = VURun(scenario, self.share, start_s)
        elif self.no_share or (self.aligned is not None and start_s is None):
            # held, or a scenario nobody started yet as far as the master knows: no share
            run = self.runs[scenario.name] = ScenarioRun(
                scenario, self.share, self.samples.fire, pacer=NoHits(scenario.pacer.duration_s)
            )
        elif self.aligned is not None and start_s is not None:
            at_el = self.aligned[2].get(scenario.name, self.aligned[0] - start_s)
            pacer = _joined_share(scenario, self.share, at_el)
            run = self.runs[scenario.name] = ScenarioRun(
                scenario, self.share, self.samples.fire, pacer=pacer, start_s=start_s
            )
        else:
            run = self.runs[scenario.name] = ScenarioRun(scenario, self.share, self.samples.fire)
        return run

    def starts(self) -> dict[str, float]:
        """When each scenario with a share started here (epoch s): a late worker's clock."""
        return {
            name: run.started_s
            for name, run in self.runs.items()
            if run.started_s is not None
            and not (isinstance(run, ScenarioRun) and isinstance(run.loop.pacer, NoHits))
        }

    def schedules_done(self, now_s: float) -> bool:
        """Every scenario this process started has ended its schedule, nothing in flight."""
        if not self.runs or self.no_share:  # held: its share is still to come
            return False
        for run in self.runs.values():
            if not (run.finished and run.idle):
                return False
            if isinstance(run, ScenarioRun) and not isinstance(run.loop.pacer, NoHits):
                end_s = (run.started_s or now_s) + float(run.scenario.pacer.duration_s or 0.0)
                if now_s < end_s:
                    return False
        return True

    def reset(self) -> None:
        """Stop every scenario loop (at test stop) so a new test starts from scratch."""
        for run in self.runs.values():
            run.stop()
        self.runs.clear()
        self.aligned = None
        if isinstance(self._runner_hooked, WorkerRunner):
            self.no_share = True  # the next test's share comes with its start

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
            # a worker runs no open-model hit until the master says which part is its own (at
            # test start, before any user; a worker that joins mid-run gets users at once)
            self.no_share = True
            runner.register_message(SHARE_MESSAGE, self._on_share)
            runner.send_message(HELLO_MESSAGE, None)  # the master may send shares now
        elif isinstance(runner, MasterRunner):
            environment.events.test_start.add_listener(self._send_share)

    def _send_share(self, environment: Environment, **_: Any) -> None:
        # fired on the master before it sends the workers their users, so this arrives first
        runner = environment.runner
        assert isinstance(runner, MasterRunner)
        runner.send_message(SHARE_MESSAGE, {"count": runner.worker_count})

    def _on_share(self, environment: Environment, msg: Any, **_: Any) -> None:
        """This worker's part of every schedule; from ``from_s`` on, when the split changes."""
        runner = environment.runner
        assert isinstance(runner, WorkerRunner)
        data = msg.data
        index = int(data.get("index", runner.worker_index))
        count = max(1, int(data["count"]))
        if data.get("start_s") is not None:
            self.master_start_s = float(data["start_s"])
        if data.get("interval_s") is not None:
            self.grid_interval_s = float(data["interval_s"])
        if data.get("none"):
            self.no_share = True
            for run in self.runs.values():
                if isinstance(run, ScenarioRun):
                    run.loop.pacer = NoHits(run.scenario.pacer.duration_s)
        else:
            self.no_share = False
        from_s = data.get("from_s")
        from_el = {str(k): float(v) for k, v in (data.get("from_el") or {}).items()}
        if data.get("join") and from_s is not None:
            self._join(index, count, float(from_s), dict(data.get("starts") or {}), from_el)
            return
        if from_s is not None and (index, count) != self.share:
            log.warning(
                "genesis-load: from %.3f this worker takes part %d of %d of every scenario "
                "(was %d of %d)",
                from_s,
                index,
                count,
                *self.share,
            )
            for run in self.runs.values():
                if isinstance(run, ScenarioRun):
                    at_el = from_el.get(run.scenario.name)
                    self._handover(run, index, count, float(from_s), data.get("dropped"), at_el)
                else:
                    run.worker = (index, count)
        self.share = (index, count)
        log.debug("genesis-load: this worker takes part %d of %d of every scenario", *self.share)

    def _join(
        self,
        index: int,
        count: int,
        from_s: float,
        starts: dict[str, float],
        from_el: dict[str, float],
    ) -> None:
        """A worker that joined mid-run: part ``index`` of ``count`` of every schedule from
        ``from_s`` (epoch; ``from_el``: per scenario, in its common time), on the scenarios'
        common clock (``starts``)."""
        log.warning(
            "genesis-load: this worker joined mid-run; from %.3f it takes part %d of %d of "
            "every scenario",
            from_s,
            index,
            count,
        )
        self.share = (index, count)
        self.no_share = False
        self.aligned = (from_s, starts, from_el)
        for name, run in self.runs.items():
            start_s = starts.get(name)
            if isinstance(run, VURun):
                run.worker = (index, count)
                if start_s is not None:
                    run.started_s = start_s
            elif start_s is not None and isinstance(run.loop.pacer, NoHits):
                run.max_vus = max(run.max_vus, part(run.scenario.max_vus, index, count))
                at_el = from_el.get(name, from_s - start_s)
                run.rejoin(_joined_share(run.scenario, self.share, at_el), start_s)

    def _handover(
        self,
        run: ScenarioRun,
        index: int,
        count: int,
        from_s: float,
        dropped: dict[str, Any] | None,
        from_el: float | None = None,
    ) -> None:
        """Give a running scenario its new share from ``from_s`` (epoch; ``from_el``: the
        same moment in the scenario's common time, when the master knows it); count a lost
        worker's hits between its last data and ``from_s`` as dropped."""
        base = run.scenario.pacer
        run.max_vus = max(run.max_vus, part(run.scenario.max_vus, index, count))
        started = run.started_s
        if started is None:  # still waiting for its VUs: the new share from the start
            run.loop.pacer = share(base, index, count)
            return
        if from_el is None:
            from_el = from_s - started
        run.loop.pacer = handover(run.loop.pacer, base, run.loop.issued, index, count, from_el)
        if dropped:
            lost = share(base, int(dropped["index"]), int(dropped["count"]))
            since_el = max(0.0, float(dropped["since_s"]) - started)
            unsent = first_due_at(lost, from_el) - first_due_at(lost, since_el)
            tags = {"scenario": run.scenario.name, **run.scenario.tags}
            for _ in range(max(0, unsent)):
                self.samples.fire(_DROPPED, 1, tags)


@dataclass(frozen=True)
class HandoverPacer:
    """A worker's schedule after a re-split: its own hits before ``m0``, then a new share.

    Hit ``m < m0`` is ``before``'s; hit ``m >= m0`` is the global hit
    ``n0 + (m - m0) * count + index`` of ``base``, where ``n0`` is the first global hit due at
    or after the hand-over time. Build it with :func:`handover`.
    """

    before: Pacer
    base: Pacer
    m0: int
    n0: int
    index: int
    count: int

    @property
    def duration_s(self) -> float | None:
        return self.base.duration_s

    def due_s(self, n: int) -> float | None:
        if n < self.m0:
            return self.before.due_s(n)
        return self.base.due_s(self.n0 + (n - self.m0) * self.count + self.index)

    def rate_at(self, elapsed_s: float) -> float:
        after = self.due_s(self.m0)
        if after is None or elapsed_s < after:
            return self.before.rate_at(elapsed_s)
        return self.base.rate_at(elapsed_s) / self.count

    def hits_at(self, elapsed_s: float) -> float:
        after = self.due_s(self.m0)
        if after is None or elapsed_s < after:
            return min(self.before.hits_at(elapsed_s), float(self.m0))
        return self.m0 + max(0.0, self.base.hits_at(elapsed_s) - self.n0 - self.index) / self.count

    def pace(self, elapsed_s: float, hits: int) -> tuple[float, bool]:
        return pace_from_due(self.due_s(hits), elapsed_s)

    def planned_hits(self) -> int | None:
        return count_due(self)


@dataclass(frozen=True)
class NoHits:
    """No hit at all (a worker that takes no part of a schedule)."""

    duration_s: float | None

    def due_s(self, n: int) -> float | None:
        return None

    def rate_at(self, elapsed_s: float) -> float:
        return 0.0

    def hits_at(self, elapsed_s: float) -> float:
        return 0.0

    def pace(self, elapsed_s: float, hits: int) -> tuple[float, bool]:
        return 0.0, True

    def planned_hits(self) -> int | None:
        return 0


def _joined_share(scenario: Scenario, worker: tuple[int, int], from_el: float) -> HandoverPacer:
    """Nothing until ``from_el`` (scenario seconds), then part ``worker`` of the schedule."""
    none = NoHits(scenario.pacer.duration_s)
    return handover(none, scenario.pacer, 0, *worker, from_el)


def first_due_at(pacer: Pacer, elapsed_s: float, lo: int = 0) -> int:
    """The first hit index ``>= lo`` due at or after ``elapsed_s`` (or past the last hit)."""
    hi, step = lo, 1
    while True:  # gallop: bounded by the schedule's own length (due_s is None past the end)
        due = pacer.due_s(hi)
        if due is None or due >= elapsed_s:
            break
        lo, hi, step = hi + 1, hi + step, step * 2
    while lo < hi:
        mid = (lo + hi) // 2
        due = pacer.due_s(mid)
        if due is None or due >= elapsed_s:
            hi = mid
        else:
            lo = mid + 1
    return lo


def handover(
    before: Pacer, base: Pacer, issued: int, index: int, count: int, from_s: float
) -> HandoverPacer:
    """``before`` until ``from_s`` (scenario seconds), then hits ``index`` of ``count`` of the
    rest of ``base``. ``issued``: hits of ``before`` already issued (they stay).

    >>> from genesis_load.pacing import ConstantPacer, share
    >>> p = handover(share(ConstantPacer(10), 1, 2), ConstantPacer(10), 0, 0, 1, 1.0)
    >>> [round(p.due_s(m), 2) for m in range(8)]
    [0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2]
    """
    m0 = first_due_at(before, from_s, lo=issued)
    n0 = first_due_at(base, from_s)
    return HandoverPacer(before, base, m0, n0, index, count)


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
