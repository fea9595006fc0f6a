"""One pinned generator run against nginx: counts at the server, CPU and RSS of the generator.

The generator is started under ``taskset -c CORE`` (so its PID is the generator itself), left
``warmup_s`` to spawn and connect, then measured over a ``window_s`` steady window: requests
nginx logged, CPU seconds the generator used, and its resident memory. The process is then
given its own end (bounded) and killed by PID if it overstays.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from dataclasses import dataclass, field

import psutil

from ._generators import Command, Report
from ._nginx import Nginx


@dataclass(frozen=True)
class Run:
    served_per_s: float
    cpu_us_per_req: float | None
    cpu_percent: float
    report: Report
    exit_code: int | None
    rss_mb: dict[float, float] = field(default_factory=dict)  # seconds since start -> MB


def _cpu_s(proc: psutil.Process) -> float:
    try:
        t = proc.cpu_times()
        return float(t.user + t.system)
    except psutil.Error:
        return 0.0


def run(
    cmd: Command,
    nginx: Nginx,
    warmup_s: float,
    window_s: float,
    core: int = 1,
    rss_at_s: tuple[float, ...] = (),
) -> Run:
    popen = subprocess.Popen(
        ["taskset", "-c", str(core), *cmd.argv],
        env=cmd.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    proc = psutil.Process(popen.pid)
    rss: dict[float, float] = {}

    def sleep_until(t_s: float) -> None:
        for at in rss_at_s:
            if at not in rss and at <= t_s:
                time.sleep(max(0.0, started + at - time.monotonic()))
                with contextlib.suppress(psutil.Error):
                    rss[at] = proc.memory_info().rss / 1e6
        time.sleep(max(0.0, started + t_s - time.monotonic()))

    try:
        sleep_until(warmup_s)
        c1, cpu1, t1 = nginx.served(), _cpu_s(proc), time.monotonic()
        sleep_until(warmup_s + window_s)
        c2, cpu2, t2 = nginx.served(), _cpu_s(proc), time.monotonic()
        popen.wait(timeout=60)
    finally:
        if popen.poll() is None:
            popen.kill()
            popen.wait()
    served = c2 - c1
    cpu = cpu2 - cpu1
    return Run(
        served_per_s=served / (t2 - t1),
        cpu_us_per_req=cpu / served * 1e6 if served else None,
        cpu_percent=100 * cpu / (t2 - t1),
        report=cmd.report(),
        exit_code=popen.returncode,
        rss_mb=rss,
    )
