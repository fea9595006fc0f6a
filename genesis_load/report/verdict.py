"""The ship/no-ship verdict over all runs, and how an observed threshold value is shown.

Rule (``docs/report.md``): **READY** only when every scenario declared at least one threshold,
every threshold of every scenario passed, and no run was aborted or interrupted. A run that
was interrupted, or a planned scenario with no results, makes the verdict **INCOMPLETE**
(exit 105), whatever else passed: what was missing is listed (planned vs run time, scenarios
not run). Anything else is **NOT READY**, with the reasons listed: each failed threshold
(scenario, metric, expression, observed), each scenario without thresholds ("not judged":
nothing was proven), each aborted or interrupted run. Caveats (load generator above 90% CPU,
the run's own warnings, dropped iterations) are listed beside the verdict but do not change it.

It owns no numbers beyond those in the results (see ``figures``) and no layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_THRESHOLDS_FAILED
from ..units import format_observed as format_observed_value
from .load import Run, ThresholdResult

__all__ = ["LOADGEN_CPU_LIMIT_PERCENT", "Failure", "Verdict", "format_observed", "judge"]

#: Above this average load-generator CPU, measured latencies include the generator's own delays.
LOADGEN_CPU_LIMIT_PERCENT = 90.0


@dataclass(frozen=True)
class Failure:
    """One reason for NOT READY. ``metric`` is ``"(run)"`` for run-level reasons."""

    scenario: str
    metric: str
    expression: str
    observed: str


@dataclass(frozen=True)
class Verdict:
    ready: bool
    failures: tuple[Failure, ...]
    not_judged: tuple[str, ...]
    caveats: tuple[str, ...]
    thresholds_total: int
    thresholds_failed: int
    #: What is missing from a partial suite: interrupted runs, planned scenarios not run.
    incomplete: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.incomplete:
            return "INCOMPLETE"
        return "READY" if self.ready else "NOT READY"

    @property
    def exit_code(self) -> int:
        if self.incomplete:
            return EXIT_INTERRUPTED
        return EXIT_OK if self.ready else EXIT_THRESHOLDS_FAILED


def _metric_kind(run: Run, metric: str) -> tuple[str, str]:
    entry = run.metrics.get(metric) or run.metrics.get(metric.split("{", 1)[0])
    return (entry.kind, entry.contains) if entry is not None else ("", "default")


def format_observed(run: Run, threshold: ThresholdResult) -> str:
    """The observed value with its unit: ``6.93ms``, ``0.042 (4.20%)``, ``980``, ``no data``."""
    kind, contains = _metric_kind(run, threshold.metric)
    return format_observed_value(threshold.observed, threshold.aggregation, kind, contains)


def _run_failures(run: Run) -> list[Failure]:
    out = [
        Failure(run.scenario, t.metric, t.expression, format_observed(run, t))
        for t in run.thresholds
        if not t.ok
    ]
    if run.aborted:
        out.append(
            Failure(run.scenario, "(run)", "completed as planned", f"aborted: {run.aborted}")
        )
    if run.interrupted:
        out.append(Failure(run.scenario, "(run)", "completed as planned", "interrupted"))
    return out


def _caveats(run: Run) -> list[str]:
    out = []
    cpu = run.loadgen_cpu_percent
    cpu_flagged = cpu is not None and cpu > LOADGEN_CPU_LIMIT_PERCENT
    if cpu_flagged:
        out.append(
            f"{run.scenario}: load generator CPU averaged {cpu:.0f}% (> "
            f"{LOADGEN_CPU_LIMIT_PERCENT:.0f}%): its latencies and rates are not trustworthy"
        )
    for warning in run.warnings:
        if cpu_flagged and warning.startswith("load generator used"):
            continue  # the same fact, already flagged above
        out.append(f"{run.scenario}: {warning}")
    dropped = run.stat("dropped_iterations", "count")
    if dropped:
        out.append(
            f"{run.scenario}: {int(dropped)} iterations were dropped (no free VU): the "
            "scheduled load was not fully sent"
        )
    return out


def _missing(run: Run) -> str | None:
    if not run.interrupted:
        # any other way of not completing but an abort (a threshold failure, judged as
        # such) is incomplete: e.g. ``worker_lost``, a distributed run missing data
        if run.ended in ("completed", "aborted", "interrupted"):
            return None
        return f"{run.scenario}: {run.ended.replace('_', ' ')} after {run.duration_s:,.1f} s"
    by = f" by {run.interrupted_by}" if run.interrupted_by else ""
    planned = f" of {run.planned_s:,.1f} s planned" if run.planned_s else ""
    return f"{run.scenario}: interrupted{by} after {run.duration_s:,.1f} s{planned}"


def judge(runs: Sequence[Run], planned: Sequence[str] = ()) -> Verdict:
    """The verdict over ``runs``; ``planned`` names the scenarios a suite meant to run."""
    failures: list[Failure] = []
    caveats: list[str] = []
    for run in runs:
        failures.extend(_run_failures(run))
        caveats.extend(_caveats(run))
    not_judged = tuple(r.scenario for r in runs if not r.thresholds)
    total = sum(len(r.thresholds) for r in runs)
    failed = sum(1 for r in runs for t in r.thresholds if not t.ok)
    ran = {r.scenario for r in runs}
    incomplete = [m for r in runs if (m := _missing(r))]
    incomplete += [f"{name}: not run" for name in planned if name not in ran]
    return Verdict(
        ready=bool(runs) and not failures and not not_judged and not incomplete,
        incomplete=tuple(incomplete),
        failures=tuple(failures),
        not_judged=not_judged,
        caveats=tuple(caveats),
        thresholds_total=total,
        thresholds_failed=failed,
    )
