"""The suite runner: scenarios in order, each a real Locust run, then the report.

Owns the sequence of ``genesis-load suite`` (``./run-all-tests.sh`` in the k6 suite) and
``genesis-load run SCENARIO``: check the host before the long run starts, start the demo target
when the profile says ``host = "demo"``, run each scenario as ``locust --headless`` with the
profile, show live progress, keep each scenario's JSON results, write the report.

Exit codes: 0 every scenario passed and the report says READY; 99 a threshold failed or the
report says NOT READY; 108 a run was aborted by a threshold; 105 interrupted (SIGINT/SIGTERM,
or a scenario that overran its plan and was stopped): the report says INCOMPLETE; 104 invalid
configuration or an unreachable host (nothing was run); 1 a Locust run crashed or the report
could not be written.

Signals: SIGINT (Ctrl-C) and SIGTERM are caught, forwarded once to the running Locust child
(which writes its results marked interrupted), no further scenario starts, the demo target this
runner started is stopped, and the partial report is written. Children run in their own
session, so a Ctrl-C at the terminal reaches them only through this forwarding.

Workers (``--workers N`` or a profile's ``workers``): each scenario runs as Locust's master
plus N local ``--worker`` processes (:mod:`.workers`); signals go to the master, which stops
its workers; workers still there after it are killed by PID.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from ..errors import EXIT_ABORTED, EXIT_INTERRUPTED, EXIT_THRESHOLDS_FAILED, ConfigError
from ..executors.presets import preset
from ..executors.scenario import Scenario
from ..executors.vus import VUScenario
from ..hostcheck import check_host
from ..profiles import Profile
from ..scenarios import locustfile_path
from .registry import SUITE
from .workers import free_port, master_args, start_workers, stop_workers

__all__ = ["ScenarioOutcome", "check_host", "planned_seconds", "run_suite"]

#: Beyond the planned duration, how long a scenario may take before it is stopped (a hang).
_OVERRUN_S = 120.0
#: How long an interrupted Locust child may take to write its results before it is killed.
_STOP_GRACE_S = 60.0


class _Stop:
    """The signal that asked this suite to stop (set by the handlers; None while running)."""

    def __init__(self) -> None:
        self.signal: signal.Signals | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.signal is None:
            self.signal = signal.Signals(signum)


@dataclass(frozen=True)
class ScenarioOutcome:
    name: str
    exit_code: int
    results: Path
    wall_s: float


class PlainProgress:
    """Progress as plain lines (``add_task``/``update`` like rich's Progress), for a log that is
    not a terminal: a line when a scenario starts, every ``every_s`` seconds, and at its end."""

    def __init__(self, console: Console, every_s: float = 10.0) -> None:
        self.console = console
        self.every_s = every_s
        self._tasks: dict[TaskID, tuple[str, float, float]] = {}

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float, live: str = "") -> TaskID:
        task = TaskID(len(self._tasks))
        self._tasks[task] = (description, float(total), time.monotonic())
        self.console.print(f"{description}: started, {total:.0f} s planned", highlight=False)
        return task

    def update(self, task: TaskID, completed: float, live: str = "") -> None:
        description, total, last = self._tasks[task]
        now = time.monotonic()
        if live.startswith("exit") or now - last >= self.every_s:
            self._tasks[task] = (description, total, now)
            self.console.print(
                f"{description}: {completed:.0f}/{total:.0f} s  {live}", highlight=False
            )


def planned_seconds(name: str, profile: Profile) -> float:
    """The scheduled length of a suite scenario under a profile's time factor."""
    return max(
        _planned(preset(p.preset, time_factor=profile.time_factor, rate_factor=profile.rate_factor))
        for p in SUITE[name].parts
    )


def _planned(scenario: Scenario | VUScenario) -> float:
    return scenario.planned_s if isinstance(scenario, VUScenario) else scenario.duration_s


def _check_out_dir(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(
            f"results folder {str(out)!r} exists and is not empty: "
            "give a new --out folder so runs never mix"
        )


def _live(status_file: Path) -> str:
    try:
        s = json.loads(status_file.read_text())
    except (OSError, ValueError):
        return "starting"
    p95 = s.get("p95_ms")
    p95_text = f"{p95:.1f} ms" if isinstance(p95, int | float) else "-"
    return (
        f"{s.get('rps', 0):7.1f} req/s  p95 {p95_text:>9}  "
        f"errors {s.get('error_rate', 0):.2%}  VUs {s.get('vus', 0):.0f}"
    )


def _run_one(
    name: str,
    index: int,
    total: int,
    profile: Profile,
    host: str,
    out: Path,
    progress: Progress | PlainProgress,
    monitor: Sequence[str],
    stop: _Stop,
    workers: int = 0,
) -> ScenarioOutcome:
    results = out / f"{name}.json"
    status = out / f".{name}.live.json"
    planned = planned_seconds(name, profile)
    cmd = [
        sys.executable, "-m", "locust", "-f", str(locustfile_path(name)),
        "--headless", "--only-summary", "--profile", profile.path,
        "--summary-json", str(results), "--live-status", str(status),
        "--loglevel", "WARNING", "--no-genesis-summary", *monitor,
    ]  # fmt: skip
    worker_cmd = [
        sys.executable, "-m", "locust", "-f", str(locustfile_path(name)),
        "--profile", profile.path, "--loglevel", "WARNING",
    ]  # fmt: skip
    port = free_port() if workers > 0 else 0
    if workers > 0:
        cmd += master_args(workers, port)
    task = progress.add_task(f"[{index}/{total}] {name}", total=planned, live="starting")
    started = time.monotonic()
    log_path = out / f"{name}.locust.log"
    with open(log_path, "w", encoding="utf-8") as log:
        # the host goes by environment, not argv: credentials in it stay out of `ps`
        env = {**os.environ, "LOCUST_HOST": host}
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        worker_procs = start_workers(worker_cmd, workers, port, env, log) if workers else []
        try:
            while proc.poll() is None:
                elapsed = time.monotonic() - started
                progress.update(task, completed=min(elapsed, planned), live=_live(status))
                sig = stop.signal
                if sig is None and elapsed > planned + _OVERRUN_S:
                    sig = signal.SIGTERM  # a hang: stop it, results marked interrupted
                if sig is not None:
                    proc.send_signal(sig)  # it writes its results, marked interrupted
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(_STOP_GRACE_S)  # then killed below
                    break
                time.sleep(0.2)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            stop_workers(worker_procs)  # the master told them to quit; any left, by PID
    status.unlink(missing_ok=True)
    progress.update(task, completed=planned, live=f"exit {proc.returncode}")
    return ScenarioOutcome(name, int(proc.returncode), results, time.monotonic() - started)


def run_suite(
    profile: Profile,
    scenarios: Sequence[str],
    out: Path,
    host_override: str | None = None,
    console: Console | None = None,
    workers: int | None = None,
) -> int:
    """Run the scenarios in order and write the report; returns the exit code.

    ``workers``: local Locust worker processes per scenario (None: the profile's)."""
    console = console or Console()
    problems = [
        f"unknown scenario {s!r} (known: {', '.join(SUITE)})" for s in scenarios if s not in SUITE
    ]
    if problems:
        raise ConfigError(problems)
    _check_out_dir(out)
    host = host_override or profile.host
    if host != "demo":
        check_host(host)
    out.mkdir(parents=True, exist_ok=True)
    from ..report.generate import write_plan

    write_plan(out, scenarios)
    stop = _Stop()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        n = profile.workers if workers is None else workers
        return _run_all(profile, scenarios, out, host, console, stop, n)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _run_all(
    profile: Profile,
    scenarios: Sequence[str],
    out: Path,
    host: str,
    console: Console,
    stop: _Stop,
    workers: int = 0,
) -> int:
    console.print(
        f"[bold]genesis-load suite[/bold] profile {profile.name} ({profile.path}), "
        f"{len(scenarios)} scenarios, results in {out}"
    )
    target = None
    monitor: list[str] = []
    if host == "demo":
        from ..target import TargetProcess

        target = TargetProcess(profile.target_args).start()
        host = target.base_url
        console.print(f"demo target {host} (pid {target.pid})")
        if profile.monitor:
            monitor = ["--monitor-pid", str(target.pid)]
    elif profile.monitor:
        parts = urlsplit(host)
        metrics_url = parts._replace(path=parts.path.rstrip("/") + "/metrics", query="")
        monitor = ["--monitor-url", urlunsplit(metrics_url._replace(fragment=""))]
    outcomes: list[ScenarioOutcome] = []
    try:
        bar = Progress(TextColumn("{task.description:<16}"), BarColumn(),
                       TextColumn("{task.completed:>5.0f}/{task.total:.0f}s"),
                       TimeElapsedColumn(), TextColumn("{task.fields[live]}"),
                       console=console)  # fmt: skip
        # a CI log is not a terminal: rich would draw nothing until the end, so plain lines
        with bar if console.is_terminal else PlainProgress(console) as progress:
            for i, name in enumerate(scenarios, 1):
                if stop.signal is not None:
                    break
                outcome = _run_one(
                    name, i, len(scenarios), profile, host, out, progress, monitor, stop, workers
                )
                outcomes.append(outcome)
    finally:
        if target is not None:
            target.stop()
    if stop.signal is not None:
        console.print(
            f"[red]{stop.signal.name}: stopped; "
            f"{len(scenarios) - len(outcomes)} scenario(s) not run[/red]"
        )
    return _finish(outcomes, out, console)


def _finish(outcomes: Sequence[ScenarioOutcome], out: Path, console: Console) -> int:
    for o in outcomes:
        mark = "✓" if o.exit_code == 0 else "✗"
        console.print(f"  {mark} {o.name}: exit {o.exit_code} in {o.wall_s:.0f}s -> {o.results}")
    from ..errors import ResultsError
    from ..report import write_report

    try:
        files = write_report(out, out, f"Production readiness: {out.name}")
    except ResultsError as e:
        console.print(f"[red]report not written: {e}[/red]")
        return 1
    console.print(f"verdict: [bold]{files.verdict.label}[/bold]; report {files.html}")
    for missing in files.verdict.incomplete:
        console.print(f"  [red]incomplete:[/red] {missing}")
    codes = {o.exit_code for o in outcomes}
    if codes - {0, EXIT_THRESHOLDS_FAILED, EXIT_ABORTED, EXIT_INTERRUPTED}:
        return 1
    if EXIT_ABORTED in codes:
        return EXIT_ABORTED
    if EXIT_INTERRUPTED in codes or files.verdict.incomplete:
        return EXIT_INTERRUPTED
    if codes != {0} or files.verdict.exit_code != 0:
        return EXIT_THRESHOLDS_FAILED
    return 0
