"""The output interface: what every destination of a run's results implements.

An output is told three things, in order, on the process that owns the results (the master in
a distributed run, else the only process): the run started, an interval closed, the run ended
with its :class:`~genesis_load.results.Results`. It never pulls from the engine and the engine
never calls an output by name: :mod:`.registry` maps ``--out NAME=ARG`` to a constructor, the
way k6's ``output`` package does. A new output is one module and one registry line::

    class Lines(Output):
        '''Prints the request count of every interval.'''

        def interval(self, sample: IntervalSample) -> None:
            print(sample.point.entries.get("http_reqs", {}).get("count", 0))

An output that fails (a full disk) raises :class:`~genesis_load.errors.ResultsError`; the
engine logs it, records it in the run's warnings and exit code, and goes on with the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..metrics.series import IntervalPoint
from ..metrics.store import Store
from ..results.schema import Results
from ..thresholds.spec import Threshold

__all__ = ["IntervalSample", "Output"]


@dataclass(frozen=True)
class IntervalSample:
    """One closed interval: its series point (summaries) and its store (exact histograms)."""

    point: IntervalPoint
    store: Store
    #: Absolute (epoch) seconds of the interval's edges.
    start_s: float
    end_s: float


class Output:
    """Base class with do-nothing hooks; override the ones the output needs."""

    def use_thresholds(self, thresholds: Sequence[Threshold]) -> None:
        """The run's declared thresholds, once, before ``start`` (for outputs that show their
        live state, like the Prometheus endpoint); judged verdicts come with ``stop``."""

    def start(self, start_s: float) -> None:
        """The run starts now (epoch seconds)."""

    def interval(self, sample: IntervalSample) -> None:
        """An interval closed (every ``--series-interval`` seconds)."""

    def stop(self, results: Results) -> None:
        """The run ended (completed, interrupted or aborted: see ``results.meta``).

        May be called more than once: an interrupted run writes what it has at once, then
        again when the last requests are in. Outputs overwrite; they never append twice."""
