"""One pinned generator run against nginx: counts at the server, CPU and RSS of the generator.

The generator is started under ``taskset -c CORES`` (so its PID is the generator itself), left
``warmup_s`` to spawn and connect, then measured over a ``window_s`` steady window: requests
nginx logged (and how evenly: the share of empty 10-ms intervals), CPU seconds the generator
used (with its children, for Locust's ``--processes``), and its resident memory at the given
times. An optional stall stops nginx's worker for a while at a given time. The process is then
given its own end (bounded) and killed by PID, with its children, if it overstays.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil

from ._generators import Command, Report
from ._measures import empty_interval_share
from ._nginx import Nginx

EVENNESS_INTERVAL_S = 0.01


@dataclass(frozen=True)
class Run:
    served_per_s: float
    cpu_us_per_req: float | None
    cpu_percent: float
    report: Report
    exit_code: int | None
    rss_mb: dict[float, float] = field(default_factory=dict)  # seconds since start -> MB
    empty_10ms_share: float | None = None  # of the steady window, at nginx


def _cpu_s(proc: psutil.Process) -> float:
    """CPU seconds (user + system) of the process and its live children."""
    total = 0.0
    with contextlib.suppress(psutil.Error):
        for p in (proc, *proc.children(recursive=True)):
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                total += t.user + t.system
    return total


def _kill(popen: subprocess.Popen[bytes]) -> None:
    """Kill the generator this harness started and any children it forked."""
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(popen.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()
    popen.kill()
    popen.wait()


def _stall_after_first(
    nginx: Nginx, popen: subprocess.Popen[bytes], delay_s: float, length_s: float
) -> None:
    offset, deadline = nginx.log_offset(), time.monotonic() + 60.0
    while nginx.log_offset() == offset:
        if time.monotonic() > deadline or popen.poll() is not None:
            raise RuntimeError("the generator sent nothing: no stall")
        time.sleep(0.005)
    time.sleep(delay_s)
    nginx.stall(length_s)


def run(
    cmd: Command,
    nginx: Nginx,
    warmup_s: float,
    window_s: float,
    cores: str = "1",
    rss_at_s: tuple[float, ...] = (),
    stall: tuple[float, float] | None = None,
) -> Run:
    """``stall``: (delay, length) in seconds of one stall of nginx, starting ``delay`` after
    the first request this run sent reached nginx's log (so a slow start-up cannot move it
    out of the run; waiting for that request is bounded by 60 s). The stall blocks this
    function: the measurement marks due meanwhile are taken when it ends."""
    popen = subprocess.Popen(
        ["taskset", "-c", cores, *cmd.argv],
        env=cmd.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    proc = psutil.Process(popen.pid)
    rss: dict[float, float] = {}
    marks: list[tuple[int, float, float, float]] = []  # log offset, CPU s, monotonic, epoch

    def sample_rss(at: float) -> None:
        with contextlib.suppress(psutil.Error):
            rss[at] = proc.memory_info().rss / 1e6

    def mark() -> None:
        marks.append((nginx.log_offset(), _cpu_s(proc), time.monotonic(), time.time()))

    actions: list[tuple[float, Callable[[], None]]] = [
        *((at, functools.partial(sample_rss, at)) for at in rss_at_s),
        (warmup_s, mark),
        (warmup_s + window_s, mark),
    ]
    if stall is not None:
        actions.append((0.0, functools.partial(_stall_after_first, nginx, popen, *stall)))
    try:
        for at, act in sorted(actions, key=lambda a: a[0]):
            time.sleep(max(0.0, started + at - time.monotonic()))
            act()
        popen.wait(timeout=60)
    finally:
        if popen.poll() is None:
            _kill(popen)
    (o1, cpu1, t1, w1), (o2, cpu2, t2, w2) = marks
    times = nginx.times_between(o1, o2)
    served = len(times)
    cpu = cpu2 - cpu1
    return Run(
        served_per_s=served / (t2 - t1),
        cpu_us_per_req=cpu / served * 1e6 if served else None,
        cpu_percent=100 * cpu / (t2 - t1),
        report=cmd.report(),
        exit_code=popen.returncode,
        rss_mb=rss,
        empty_10ms_share=empty_interval_share(times, w1, w2, EVENNESS_INTERVAL_S),
    )
