"""Master and workers: time-stamped interval data, final reports, lost workers.

Owns the wire between the processes of one distributed run (Locust's master and workers):

- **Workers** close their own intervals on their own ticker, aligned to the master's grid (the
  master's start and interval come with the share message), and ship every closed interval
  with its wall-clock bounds in Locust's ``report_to_master`` payload (encoded HDR histograms
  and counters, not rounded statistics). At test stop a worker closes its open interval and
  sends it at once in a ``genesis_load_final`` message: nothing waits for the next report.
- **The master** merges each interval into the cell of its own time grid
  (:meth:`~genesis_load.metrics.collector.Collector.merge_interval`), so a distributed run's
  series is binned by when requests happened, not when reports arrived. At test stop it asks
  every worker still running to stop (``genesis_load_stop``) and waits, bounded, for every
  final; a worker whose final never comes is named in the results.
- **Lost workers.** A worker Locust marks ``missing`` (no heartbeat for ~3 s), or that leaves
  without its final, is lost: the master logs it, keeps what it received, gives its share of
  every open-model schedule to the others from a moment just ahead (a new share message with
  ``from_s``), and has them count the lost worker's hits since its last data as dropped. The
  run ends ``worker_lost``: partial, never READY.
- **Joining workers.** A worker that connects mid-run gets users from Locust (it re-balances
  the users across the workers) and, from a moment just ahead, its part of every open-model
  schedule: the master re-splits the schedules among all the workers (a share message with
  ``from_s``), and the newcomer runs its part on the clock of the workers that started each
  scenario (their start times ride along in every report), so the offered rate holds and no
  hit is sent twice. Until the master knows those start times it holds the newcomer without
  a share.

Clock: every bound is epoch seconds of the process that measured it. Master and workers on one
host share a clock; on several hosts run NTP (skew shifts a worker's data by the skew).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import gevent
from locust.env import Environment
from locust.exception import RPCError, RPCSendError
from locust.runners import WORKER_REPORT_INTERVAL, MasterRunner, WorkerRunner

from ..executors.runs import HELLO_MESSAGE, SHARE_MESSAGE, attach_runs
from ..metrics.collector import Collector
from .ticker import IntervalTicker

__all__ = ["FINAL_MESSAGE", "STOP_MESSAGE", "WIRE_KEY", "LostWorker", "WireLink"]

log = logging.getLogger("genesis_load")

WIRE_KEY = "genesis_load"
FINAL_MESSAGE = "genesis_load_final"
DONE_MESSAGE = "genesis_load_done"
STOP_MESSAGE = "genesis_load_stop"
#: Wire format of the shipped data: 2 = a list of time-stamped intervals.
WIRE_VERSION = 2
#: How late the master closes an interval: a worker ships every WORKER_REPORT_INTERVAL s.
GRID_LAG_S = WORKER_REPORT_INTERVAL + 1.5
#: How far ahead a re-split share takes effect (time for the message to arrive).
HANDOVER_AHEAD_S = 1.0
#: How long the master waits for the workers' finals beyond the graceful stop.
FINAL_WAIT_S = 10.0
_WATCH_EVERY_S = 0.5


@dataclass(frozen=True)
class LostWorker:
    """A worker that went away during the run."""

    worker: str
    #: Seconds since the run start when the master noticed.
    at_s: float
    #: Seconds since the run start of the end of its last interval received (0: none came).
    last_data_s: float
    #: Its share of every open-model schedule when lost: (index, count).
    share: tuple[int, int]
    #: Why: ``missing`` (no heartbeat), ``left`` (gone without its final data).
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "worker": self.worker,
            "at_s": round(self.at_s, 3),
            "last_data_s": round(self.last_data_s, 3),
            "share_index": self.share[0],
            "share_count": self.share[1],
            "reason": self.reason,
        }


class WireLink:
    """The distributed side of one environment's session (master or worker)."""

    def __init__(self, collector: Collector, interval_s: float = 1.0) -> None:
        self.collector = collector
        self.interval_s = interval_s
        self.environment: Environment | None = None
        # worker
        self._ticker: IntervalTicker | None = None
        #: The grid the worker's ticker runs on: (start_s, interval_s).
        self._grid: tuple[float | None, float] = (None, interval_s)
        self._shipping = False
        self._done_sent = False
        # master
        self.expected: set[str] = set()
        self.finals: set[str] = set()
        #: Workers whose schedules are all done.
        self.done: set[str] = set()
        self.lost: list[LostWorker] = []
        #: Workers whose final data never came within the wait.
        self.missing_finals: list[str] = []
        self.shares: dict[str, tuple[int, int]] = {}
        #: Workers that joined mid-run: seconds since the run start when each connected.
        self.joined: dict[str, float] = {}
        #: Joined workers held without a share until the scenarios' start times are known.
        self.holding: set[str] = set()
        #: When each scenario started on the workers (epoch s, the earliest reported).
        self.scenario_starts: dict[str, float] = {}
        self.max_workers = 0
        self._last_data_s: dict[str, float] = {}
        self._watcher: gevent.Greenlet | None = None
        self._runner_hooked: Any = None

    # -- wiring ------------------------------------------------------------------------------
    def attach(self, environment: Environment) -> None:
        self.environment = environment
        environment.events.report_to_master.add_listener(self.on_report_to_master)
        environment.events.worker_report.add_listener(self.on_worker_report)
        environment.events.test_stop.add_listener(self.on_test_stop)
        environment.events.init.add_listener(self._on_init)
        self._hook_runner(environment)

    def detach(self, environment: Environment) -> None:
        environment.events.report_to_master.remove_listener(self.on_report_to_master)
        environment.events.worker_report.remove_listener(self.on_worker_report)
        environment.events.test_stop.remove_listener(self.on_test_stop)
        environment.events.init.remove_listener(self._on_init)
        self._stop_ticker()
        self._stop_watcher()

    def _on_init(self, environment: Environment, **_: Any) -> None:
        self._hook_runner(environment)

    def _hook_runner(self, environment: Environment) -> None:
        runner = environment.runner
        if runner is None or runner is self._runner_hooked:
            return
        self._runner_hooked = runner
        if isinstance(runner, WorkerRunner):
            runner.register_message(STOP_MESSAGE, self._on_stop_request, concurrent=True)
        elif isinstance(runner, MasterRunner):
            runner.register_message(FINAL_MESSAGE, self._on_final)
            runner.register_message(DONE_MESSAGE, self._on_done)
            runner.register_message(HELLO_MESSAGE, self._on_hello)

    @property
    def partial(self) -> bool:
        return bool(self.lost or self.missing_finals)

    # -- worker --------------------------------------------------------------------------------
    def start_worker(self, now_s: float) -> None:
        """Test start on a worker: close intervals on the master's grid from now on."""
        assert self.environment is not None
        runs = attach_runs(self.environment)
        interval_s = runs.grid_interval_s or self.interval_s
        start_s = runs.master_start_s if runs.master_start_s is not None else now_s
        if not start_s <= now_s + interval_s:  # a clock far off: keep our own
            start_s = now_s
        self._stop_ticker()
        self._ticker = IntervalTicker(self._worker_tick, interval_s)
        self._done_sent = False
        # the first tick is the first grid line after now
        k = max(0, int((now_s - start_s) // interval_s))
        self._ticker.start(start_s + k * interval_s)
        self._grid = (start_s, interval_s)
        self._shipping = True

    def _worker_tick(self, now_s: float) -> None:
        self.collector.close_interval(now_s)
        assert self.environment is not None
        runs = attach_runs(self.environment)
        grid = (runs.master_start_s, runs.grid_interval_s or self.interval_s)
        if grid[0] is not None and grid != self._grid and self._ticker is not None:
            # the master's grid came after our start (a worker that joined mid-run)
            self._grid = (grid[0], grid[1])
            self._ticker.rephase(grid[0], grid[1])
        runner = self.environment.runner
        if not self._done_sent and runs.schedules_done(now_s):
            self._done_sent = True  # the master's shape may end the run now
            if isinstance(runner, WorkerRunner):
                runner.send_message(DONE_MESSAGE, None)

    def on_report_to_master(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        if self._shipping or self.collector.outbox:
            data[WIRE_KEY] = {"v": WIRE_VERSION, "intervals": self.collector.drain_intervals()}
            if self.environment is not None:
                data[WIRE_KEY]["starts"] = attach_runs(self.environment).starts()

    def on_test_stop(self, environment: Environment, **_: Any) -> None:
        runner = environment.runner
        if isinstance(runner, WorkerRunner) and self._shipping:
            self._send_final(runner)
        elif isinstance(runner, MasterRunner):
            self._stop_watcher()

    def _send_final(self, runner: WorkerRunner) -> None:
        """Close the open interval and send everything not shipped yet, now."""
        self._stop_ticker()
        self.collector.close_interval(time.time())
        self._shipping = False
        runner.send_message(
            FINAL_MESSAGE, {"v": WIRE_VERSION, "intervals": self.collector.drain_intervals()}
        )

    def _on_stop_request(self, environment: Environment, msg: Any, **_: Any) -> None:
        """The master finalizes: stop our users (graceful stop) and send the final data."""
        runner = environment.runner
        assert isinstance(runner, WorkerRunner)
        if runner.state not in ("stopped", "ready"):
            runner.stop()  # fires test_stop, which sends the final
        if self._shipping:
            self._send_final(runner)
        elif not self.collector.outbox:
            # stopped already (its final went out): say so again, idempotently
            runner.send_message(FINAL_MESSAGE, {"v": WIRE_VERSION, "intervals": []})

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    # -- master --------------------------------------------------------------------------------
    def start_master(self, now_s: float) -> None:
        """Test start on the master: the time grid, the workers to hear from, the watcher."""
        assert self.environment is not None
        runner = self.environment.runner
        assert isinstance(runner, MasterRunner)
        self.collector.use_grid(self.interval_s, GRID_LAG_S)
        self.expected = {c.id for c in runner.clients.all if c.state != "missing"}
        self.finals = set()
        self.done = set()
        attach_runs(self.environment).workers_done = False
        self.lost = []
        self.missing_finals = []
        self._last_data_s = {}
        self.max_workers = len(self.expected)
        self.shares = {}
        self.joined = {}
        self.holding = set()
        self.scenario_starts = {}
        self._stop_watcher()
        self._watcher = gevent.spawn(self._watch)

    def on_worker_report(self, client_id: str, data: dict[str, Any], **_: Any) -> None:
        wire = data.get(WIRE_KEY)
        if not wire:
            return
        if isinstance(wire, dict) and wire.get("v") == WIRE_VERSION:
            self._merge(client_id, wire["intervals"])
            for name, start_s in (wire.get("starts") or {}).items():
                known = self.scenario_starts.get(name, float(start_s))
                self.scenario_starts[name] = min(known, float(start_s))
        else:  # an older worker: untimed, into the current interval
            self.collector.merge_wire(wire)

    def _on_final(self, environment: Environment, msg: Any, **_: Any) -> None:
        self._merge(msg.node_id, msg.data.get("intervals", []))
        self.finals.add(msg.node_id)

    def _on_done(self, environment: Environment, msg: Any, **_: Any) -> None:
        self.done.add(msg.node_id)
        self._update_done()

    def _update_done(self) -> None:
        assert self.environment is not None
        alive = self._alive()
        runs = attach_runs(self.environment)
        runs.workers_done = bool(alive) and all(w in self.done for w in alive)

    def _merge(self, client_id: str, intervals: list[dict[str, Any]]) -> None:
        for iv in intervals:
            self.collector.merge_interval(iv["store"], iv["start_s"], iv["end_s"])
            end = float(iv["end_s"])
            self._last_data_s[client_id] = max(self._last_data_s.get(client_id, 0.0), end)

    def _on_hello(self, environment: Environment, msg: Any, **_: Any) -> None:
        """A worker is set up (its message handlers too): one that connected mid-run joins.

        Not Locust's ``worker_connect``: that fires as the worker connects, before its
        locustfile's ``init`` registered the handlers, so a share sent then would be lost (the
        worker holds its VUs without a share until one arrives)."""
        self.on_worker_ready(msg.node_id)

    def on_worker_ready(self, client_id: str) -> None:
        runner = self.environment.runner if self.environment is not None else None
        if not isinstance(runner, MasterRunner) or self._watcher is None:
            return
        if runner.state not in ("spawning", "running") or client_id in self.expected:
            return
        # Locust gives it users (it re-balances the users across the workers when one
        # connects to a running test); it must not run a whole schedule of its own: it is held
        # without a share until the re-split below reaches it
        at_s = time.time() - self.collector.start_s
        self.expected.add(client_id)
        self.joined[client_id] = at_s
        self.max_workers = max(self.max_workers, len(self.expected))
        if set(self.scenario_starts) >= self._started_anywhere():
            log.warning(
                "genesis-load: worker %s joined %.1f s into the run; the schedules are re-split",
                client_id,
                at_s,
            )
            self._reshare(None, joining=client_id)
            return
        log.warning(
            "genesis-load: worker %s joined %.1f s into the run; it waits for the scenarios' "
            "start times before it takes a share",
            client_id,
            at_s,
        )
        self.holding.add(client_id)
        hold = {"index": 0, "count": 1, "none": True, "start_s": self.collector.start_s,
                "interval_s": self.interval_s}  # fmt: skip
        _send(runner, SHARE_MESSAGE, hold, client_id)
        gevent.spawn(self._share_when_started, client_id)

    def _started_anywhere(self) -> set[str]:
        """The open-model scenarios of this run (the master's view: its user classes)."""
        assert self.environment is not None
        names: set[str] = set()
        for cls in self.environment.user_classes:
            scenario = getattr(cls, "scenario", None)
            if scenario is not None:
                names.add(scenario.name)
        return names

    def _share_when_started(self, worker: str) -> None:
        deadline = time.time() + FINAL_WAIT_S
        while time.time() < deadline and not set(self.scenario_starts) >= self._started_anywhere():
            gevent.sleep(0.1)
        if worker not in self.holding or self._watcher is None:
            return
        if not set(self.scenario_starts) >= self._started_anywhere():
            log.warning(
                "genesis-load: no start time of every scenario came from the workers; worker %s "
                "takes no part of the open-model schedules",
                worker,
            )
            return
        self.holding.discard(worker)
        self._reshare(None, joining=worker)

    def _alive(self) -> list[str]:
        gone = {w.worker for w in self.lost}
        return sorted(w for w in self.expected if w not in gone)

    def _sharing(self) -> list[str]:
        """The live workers that split the open-model schedules (not those held without one)."""
        return [w for w in self._alive() if w not in self.holding]

    def _watch(self) -> None:
        while True:
            gevent.sleep(_WATCH_EVERY_S)
            self.check_workers()

    def check_workers(self) -> None:
        """Find workers gone missing (no heartbeat) or gone without their final data."""
        assert self.environment is not None
        runner = self.environment.runner
        if not isinstance(runner, MasterRunner):
            return
        for worker in self._alive():
            if worker in self.finals:
                continue
            client = runner.clients.get(worker)
            if client is None:
                self._lose(worker, "left")
            elif client.state == "missing":
                self._lose(worker, "missing")

    def _lose(self, worker: str, reason: str) -> None:
        now = time.time()
        share = self.shares.get(worker, (0, 1))
        lost = LostWorker(
            worker,
            at_s=now - self.collector.start_s,
            last_data_s=max(0.0, self._last_data_s.get(worker, 0.0) - self.collector.start_s),
            share=share,
            reason=reason,
        )
        self.lost.append(lost)
        log.warning(
            "genesis-load: lost worker %s (%s) %.1f s into the run, its share %d of %d; "
            "data up to %.1f s kept; the others take over its share",
            worker,
            reason,
            lost.at_s,
            share[0],
            share[1],
            lost.last_data_s,
        )
        assert self.environment is not None
        runner = self.environment.runner
        if reason == "missing" and isinstance(runner, MasterRunner):
            # only slow, perhaps (a blocked loop): if it comes back, it must not run the share
            # the others now run; it stops and sends its final data, which is merged exactly
            _send(runner, STOP_MESSAGE, None, worker)
        if self._sharing():
            self._reshare(lost)
        self._update_done()

    def send_initial_shares(self) -> None:
        """Test start: tell each worker its part, the grid's start and its interval."""
        self._reshare(None, initial=True)

    def _reshare(
        self, lost: LostWorker | None, initial: bool = False, joining: str | None = None
    ) -> None:
        """Split every schedule among the sharing workers (from just ahead unless initial).

        ``joining``: a worker that connected mid-run (Locust fires ``worker_connect`` before
        it lists the worker in ``runner.clients``); it also gets the scenarios' start times.
        """
        assert self.environment is not None
        runner = self.environment.runner
        if not isinstance(runner, MasterRunner):
            return
        alive = self._sharing()
        if not initial:
            alive = [
                w for w in alive if (w in runner.clients or w == joining) and w not in self.finals
            ]
        if not alive:
            return
        from_s = None if initial else time.time() + HANDOVER_AHEAD_S
        for index, worker in enumerate(alive):
            data: dict[str, Any] = {
                "index": index,
                "count": len(alive),
                "start_s": self.collector.start_s,
                "interval_s": self.interval_s,
                "from_s": from_s,
            }
            if from_s is not None:
                # where the split changes, in each scenario's own time: one hit index for all
                # workers (their epoch starts differ by milliseconds, which would shift it)
                data["from_el"] = {n: from_s - st for n, st in self.scenario_starts.items()}
            if worker in self.joined and worker not in self.shares:
                data["join"] = True  # its first share: on the scenarios' common clock
                data["starts"] = dict(self.scenario_starts)
            if lost is not None and index == 0:
                # the first of the others counts the lost worker's unsent hits as dropped
                data["dropped"] = {
                    "index": lost.share[0],
                    "count": lost.share[1],
                    "since_s": self.collector.start_s + lost.last_data_s,
                }
            self.shares[worker] = (index, len(alive))
            _send(runner, SHARE_MESSAGE, data, worker)

    def wait_for_workers(self, stop_timeout_s: float) -> None:
        """Test stop on the master: every worker's final data, or a note of whose is missing.

        Workers still running are asked to stop (their graceful stop runs); the wait is bounded
        by ``stop_timeout_s + FINAL_WAIT_S``.
        """
        assert self.environment is not None
        runner = self.environment.runner
        if not isinstance(runner, MasterRunner):
            return
        self._stop_watcher()
        for worker in self._alive():
            if worker not in self.finals and worker in runner.clients:
                _send(runner, STOP_MESSAGE, None, worker)
        deadline = time.time() + stop_timeout_s + FINAL_WAIT_S
        while time.time() < deadline:
            self.check_workers()
            if all(w in self.finals for w in self._alive()):
                break
            gevent.sleep(0.05)
        self.missing_finals = [w for w in self._alive() if w not in self.finals]
        for worker in self.missing_finals:
            log.warning(
                "genesis-load: worker %s never sent its final data; the run is partial", worker
            )

    def warnings(self) -> list[str]:
        out = [
            f"worker {w.worker} was lost {w.at_s:.1f} s into the run ({w.reason}); its data up "
            f"to {w.last_data_s:.1f} s is kept and its share {w.share[0]} of {w.share[1]} went "
            "to the other workers: the results are partial"
            for w in self.lost
        ]
        out += [
            f"worker {w} never sent its final data: the results miss its last interval(s)"
            for w in self.missing_finals
        ]
        out += [
            f"worker {w} joined {at_s:.1f} s into the run"
            + (
                f" and took share {self.shares[w][0]} of {self.shares[w][1]} of the schedules"
                if w in self.shares
                else " and took no part of the open-model schedules"
            )
            for w, at_s in self.joined.items()
        ]
        return out

    def _stop_watcher(self) -> None:
        if self._watcher is not None:
            self._watcher.kill(block=False)
            self._watcher = None


def _send(runner: MasterRunner, msg_type: str, data: Any, worker: str) -> None:
    """A message to one worker; a worker gone already is not an error here (it is lost)."""
    try:
        runner.send_message(msg_type, data, client_id=worker)
    except (RPCError, RPCSendError) as e:
        log.info("genesis-load: could not send %s to worker %s: %s", msg_type, worker, e)
