"""Local worker processes: Locust's own master and ``--worker`` processes on 127.0.0.1.

Owns how ``genesis-load run`` / ``suite --workers N`` (or a profile's ``workers = N``) turn one
Locust command into a master plus N workers: the master's extra arguments, starting the
workers (each in its own session, so a Ctrl-C at the terminal reaches them only through the
master) and stopping them by PID. No scheduler of our own: Locust's master hands out users,
genesis-load's plugin splits the open-model schedules and merges the results on the master.

    port = free_port()
    master = Popen([*cmd, *master_args(2, port)], start_new_session=True)
    workers = start_workers(worker_cmd, 2, port, env, log)
    ...
    stop_workers(workers)
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from typing import IO, Any

__all__ = ["free_port", "master_args", "start_workers", "stop_workers", "worker_args"]

#: How long workers may take to exit on their own once the master is gone.
_WORKER_EXIT_S = 15.0


def free_port() -> int:
    """A free TCP port on 127.0.0.1 for the master's ZeroMQ socket."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def master_args(workers: int, port: int) -> list[str]:
    """Arguments that make a headless Locust run the master of ``workers`` local workers."""
    return [
        "--master", "--expect-workers", str(workers),
        "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
    ]  # fmt: skip


def worker_args(port: int) -> list[str]:
    return ["--worker", "--master-host", "127.0.0.1", "--master-port", str(port)]


def start_workers(
    cmd: Sequence[str],
    workers: int,
    port: int,
    env: Mapping[str, str],
    log: IO[Any] | int | None = subprocess.DEVNULL,
) -> list[subprocess.Popen[bytes]]:
    """``workers`` processes of ``cmd + worker_args(port)``, each in its own session."""
    return [
        subprocess.Popen(
            [*cmd, *worker_args(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=dict(env),
        )
        for _ in range(workers)
    ]


def stop_workers(
    procs: Sequence[subprocess.Popen[bytes]], timeout_s: float = _WORKER_EXIT_S
) -> None:
    """Wait for the workers to quit (the master tells them to), then kill any left, by PID."""
    deadline = time.monotonic() + timeout_s
    for proc in procs:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(max(0.0, deadline - time.monotonic()))
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
