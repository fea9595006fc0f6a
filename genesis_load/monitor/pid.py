"""``PidSource`` and ``SelfSource``: a local process's counters from psutil.

Owns reading one process by PID on this machine:

* ``rss_bytes`` = ``memory_info().rss``
* ``cpu_seconds`` = ``cpu_times()`` user + system (children not included)
* ``open_fds`` = ``num_fds()`` (POSIX only; ``None`` elsewhere)
* ``connections`` = TCP sockets in ``net_connections(kind="tcp")`` that are not ``LISTEN``:
  the connections the process is serving or making, not the port it listens on.

Only the process itself is read, not its children: a pre-forking server is one source per
worker. A process that is gone, or whose memory or CPU this user may not read, gives a failed
reading; a file-descriptor or connection count that may not be read is ``None``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import psutil

from .sample import Reading

__all__ = ["PidSource", "SelfSource"]


class PidSource:
    """Reads process ``pid`` with psutil on each ``sample()``.

    ``count_connections=False`` skips the connection count, the one costly read (psutil scans
    the system's TCP table and the process's descriptors: milliseconds with thousands of
    sockets, spent in the monitoring process).
    """

    def __init__(self, pid: int, *, count_connections: bool = True) -> None:
        self.pid = pid
        self.count_connections = count_connections
        self._process: psutil.Process | None = None

    def __str__(self) -> str:
        return f"pid {self.pid}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.pid})"

    def sample(self) -> Reading:
        try:
            # One Process object for the run: psutil then notices a reused PID (NoSuchProcess).
            if self._process is None:
                self._process = psutil.Process(self.pid)
            process = self._process
            with process.oneshot():
                times = process.cpu_times()
                return Reading(
                    rss_bytes=float(process.memory_info().rss),
                    cpu_seconds=float(times.user + times.system),
                    open_fds=_optional(lambda: process.num_fds()),
                    connections=(
                        _optional(lambda: _tcp_connections(process))
                        if self.count_connections
                        else None
                    ),
                )
        except psutil.Error as exc:  # NoSuchProcess, ZombieProcess, AccessDenied
            return Reading.failed(f"{type(exc).__name__}: {exc}")


class SelfSource(PidSource):
    """The load generator itself (this process), for its own CPU.

    Connections are not counted by default: the scan would run on the generator's event loop.
    """

    def __init__(self, *, count_connections: bool = False) -> None:
        super().__init__(os.getpid(), count_connections=count_connections)

    def __str__(self) -> str:
        return f"self (pid {self.pid})"

    def __repr__(self) -> str:
        return "SelfSource()"


def _tcp_connections(process: psutil.Process) -> int:
    # psutil >= 6 calls it net_connections; older versions only have connections.
    list_connections = getattr(process, "net_connections", None) or process.connections
    return sum(1 for c in list_connections(kind="tcp") if c.status != psutil.CONN_LISTEN)


def _optional(read: Callable[[], float]) -> float | None:
    try:
        return float(read())
    except (psutil.AccessDenied, AttributeError, NotImplementedError):
        return None
