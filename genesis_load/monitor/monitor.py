"""``ResourceMonitor``: sample every source on a fixed grid until stopped (the thin shell).

Owns the schedule and nothing else: tick ``k`` is due at ``start + k × interval_s`` on the
injected clock. A late tick (the sleep overshot, or a source was slow) is sampled as soon as it
is noticed; ticks already overdue after that are skipped (counted in ``missed_ticks``, never
silent) and the next one is the first grid point still ahead, so the monitor catches up without
drift and never fires back-to-back samples whose CPU % would be noise::

    next_tick = max(k + 1, floor(elapsed_s / interval_s) + 1)

It imports neither gevent nor Locust. The plugin runs it in a greenlet with ``gevent.sleep``;
tests drive it with a fake clock whose sleep advances time::

    monitor = ResourceMonitor(
        {"target": PrometheusSource(url), "loadgen": SelfSource()}, sleep=gevent.sleep
    )
    greenlet = gevent.spawn(monitor.run)
    ...                                   # the test runs
    monitor.stop()                        # run() returns within one interval
    greenlet.join()
    resources, warnings = monitor.results(), monitor.warnings()

Summaries are :class:`~genesis_load.monitor.series.ResourceSeries`' job; judging the
load generator's CPU is done here, in ``warnings()``. Source descriptions and errors are stored
redacted (``genesis_load.redact.redact_text``): a URL's credentials never reach the results.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..redact import redact_text
from .sample import ProcessSample, Reading, Source
from .series import ResourceSeries

__all__ = ["LOADGEN_CPU_LIMIT_PERCENT", "ResourceMonitor", "next_tick"]

#: Above this share of a core the generator delays its own requests and timers.
LOADGEN_CPU_LIMIT_PERCENT = 90.0


def next_tick(tick: int, elapsed_s: float, interval_s: float) -> int:
    """The tick to wait for after sampling ``tick``, ``elapsed_s`` after the start.

    >>> next_tick(3, 3.4, 1.0)   # on time: the next one
    4
    >>> next_tick(3, 5.5, 1.0)   # the sample took 2.5 s: ticks 4 and 5 are skipped
    6
    """
    return max(tick + 1, math.floor(elapsed_s / interval_s) + 1)


class ResourceMonitor:
    """Samples each named source every ``interval_s`` seconds of ``clock`` while ``run()`` runs.

    ``loadgen`` names the source that is the load generator itself (its CPU is judged by
    ``warnings()``). ``results()`` and ``warnings()`` are meant for after ``stop()``, or from
    the same thread or greenlet as ``run()``.
    """

    def __init__(
        self,
        sources: Mapping[str, Source],
        interval_s: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        max_samples: int = 3600,
        loadgen: str = "loadgen",
    ) -> None:
        if not interval_s > 0:
            raise ValueError(f"interval_s must be > 0, got {interval_s!r}")
        self.interval_s = interval_s
        self.loadgen = loadgen
        self._sources = dict(sources)
        self._clock = clock
        self._sleep = sleep
        self.series = {
            name: ResourceSeries(redact_text(str(source)), interval_s, max_samples)
            for name, source in self._sources.items()
        }
        self.ticks = 0
        self.missed_ticks = 0
        self.max_lag_s = 0.0
        self._start_s: float | None = None
        self._tick = 0
        self._stopped = False

    def run(self) -> None:
        """Sample on the grid until ``stop()``; the first tick is at once. Blocks the caller."""
        if self._start_s is None:
            self._start_s = self._clock()
        while not self._stopped:
            due_s = self._tick * self.interval_s
            elapsed_s = self._clock() - self._start_s
            if elapsed_s < due_s:
                self._sleep(due_s - elapsed_s)
                continue  # look at the stop flag and the clock again after waking
            self.max_lag_s = max(self.max_lag_s, elapsed_s - due_s)
            self._sample_all(self._start_s)
            self.ticks += 1
            following = next_tick(self._tick, self._clock() - self._start_s, self.interval_s)
            self.missed_ticks += following - self._tick - 1
            self._tick = following

    def stop(self) -> None:
        """Ask ``run()`` to return; it does when it next wakes (within one interval)."""
        self._stopped = True

    def results(self) -> dict[str, dict[str, Any]]:
        """Each source's ``ResourceSeries.to_dict()``, under its name in ``sources``."""
        return {name: series.to_dict() for name, series in self.series.items()}

    def warnings(self) -> list[str]:
        """What a reader of the results must know: a saturated load generator, lost samples."""
        out: list[str] = []
        loadgen = self.series.get(self.loadgen)
        cpu = loadgen.stats("cpu_percent") if loadgen is not None else None
        if cpu is not None and max(cpu.avg, cpu.peak) > LOADGEN_CPU_LIMIT_PERCENT:
            out.append(
                f"load generator CPU peaked at {cpu.peak:.0f}% (avg {cpu.avg:.0f}%): above "
                f"~{LOADGEN_CPU_LIMIT_PERCENT:.0f}% the latency figures include the "
                "generator's own queueing"
            )
        for name, series in self.series.items():
            if series.failed_samples:
                total = series.failed_samples + series.ok_samples
                out.append(
                    f"resource monitor could not read {name} ({series.source}) for "
                    f"{series.failed_samples} of {total} samples; last error: "
                    f"{series.last_error}"
                )
            if series.counter_resets:
                out.append(
                    f"{name} ({series.source}): the CPU counter went backwards "
                    f"{series.counter_resets} time(s), so the process restarted during the run"
                )
        if self.missed_ticks:
            out.append(
                f"resource monitor skipped {self.missed_ticks} of "
                f"{self.ticks + self.missed_ticks} sampling ticks: a source answered slowly or "
                f"the load generator's event loop was blocked (woke up to {self.max_lag_s:.1f} s "
                "late)"
            )
        return out

    def _sample_all(self, start_s: float) -> None:
        for name, source in self._sources.items():
            t_s = self._clock() - start_s
            try:
                reading = source.sample()
            except Exception as exc:  # a source of someone else's must not end the test
                reading = Reading.failed(f"{type(exc).__name__}: {exc}")
            series = self.series[name]
            if reading.error is None:
                series.add(ProcessSample.from_reading(t_s, reading))
            else:
                series.add_failure(redact_text(reading.error))
