"""What one look at a process yields: the ``Source`` protocol, ``Reading`` and ``ProcessSample``.

Owns the contract between a source (something that can read a process's resource counters)
and the monitor that calls it on a schedule. A source knows nothing about time: it returns a
:class:`Reading` (the raw counters, or the reason it could not read them) and the monitor stamps
it with the seconds since it started, giving a :class:`ProcessSample`. Units are the source's
own raw units: bytes, cumulative CPU seconds, counts. Turning counters into rates (CPU %) and
summaries is :mod:`genesis_load.monitor.series`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["ProcessSample", "Reading", "Source"]


@dataclass(frozen=True)
class Reading:
    """A source's answer: counters it could read (``None`` when it does not know one).

    ``error`` is set, and every counter is ``None``, when the read failed; the monitor counts it
    as a failed sample rather than raising.
    """

    rss_bytes: float | None = None
    cpu_seconds: float | None = None
    open_fds: float | None = None
    connections: float | None = None
    error: str | None = None

    @classmethod
    def failed(cls, error: str) -> Reading:
        return cls(error=error)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class ProcessSample:
    """One successful reading at ``t_s`` seconds since the monitor started.

    ``cpu_seconds`` is the process's cumulative user + system CPU time; ``connections`` counts
    its TCP connections (not listening sockets) when the source knows them.
    """

    t_s: float
    rss_bytes: float | None = None
    cpu_seconds: float | None = None
    open_fds: float | None = None
    connections: float | None = None

    @classmethod
    def from_reading(cls, t_s: float, reading: Reading) -> ProcessSample:
        return cls(
            t_s, reading.rss_bytes, reading.cpu_seconds, reading.open_fds, reading.connections
        )


@runtime_checkable
class Source(Protocol):
    """Reads one process's counters now. Its ``str()`` names it in the results (``source``).

    ``sample()`` must not raise for an unreachable or vanished process: it returns
    ``Reading.failed(reason)``. (The monitor still turns an unexpected exception into a failed
    sample, so a buggy source cannot stop a load test.) A source of your own::

        class FromFile:
            def __str__(self) -> str:
                return "rss.txt"

            def sample(self) -> Reading:
                try:
                    return Reading(rss_bytes=float(Path("rss.txt").read_text()))
                except (OSError, ValueError) as exc:
                    return Reading.failed(str(exc))
    """

    def sample(self) -> Reading:
        """The process's counters now, or ``Reading.failed(reason)``."""
        ...
