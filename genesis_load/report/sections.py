"""What the readiness report says: the :class:`~.document.Document` built from measured runs.

Sections mirror the k6-era report (verdict, performance targets, one section per scenario,
resource utilization, scalability), but every sentence is filled from the results files, and
the wording keeps two things apart that the old report mixed up: the load a scenario
**offered** (what its schedule issued) and what the target was **proven** to sustain. No
capacity above a measured, passing figure is ever stated. Numbers come from ``figures``, the
verdict from ``verdict``; this module owns the wording and the order only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..suite.registry import SUITE
from .ai_section import ai_section
from .document import (
    Block,
    Bullets,
    Cell,
    Code,
    Document,
    Line,
    Mark,
    Section,
    Table,
)
from .error_handling import error_handling_section
from .generic import format_generic, resource_series
from .load import Run
from .scalability import scalability_section
from .scenario_section import scenario_section
from .streaming_section import streaming_section
from .text import NONE, when
from .verdict import LOADGEN_CPU_LIMIT_PERCENT, Verdict, format_observed

if TYPE_CHECKING:
    from .charts import Chart

__all__ = ["build_document"]


def _joined(values: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v)) or "unknown"


def _facts(runs: Sequence[Run]) -> tuple[tuple[str, str], ...]:
    starts = sorted(r.start for r in runs if r.start)
    ends = sorted(r.end for r in runs if r.end)
    load_s = sum(r.duration_s for r in runs)
    span = f"{when(starts[0])} → {when(ends[-1])}" if starts and ends else "unknown"
    tools = _joined(
        [
            f"genesis-load {r.tool_version} · Locust {r.locust_version} · Python {r.python_version}"
            for r in runs
        ]
    )
    return (
        ("Runs", f"{span} ({len(runs)} scenarios, {load_s:,.1f} s of load in total)"),
        ("Scenarios", ", ".join(r.scenario for r in runs)),
        ("Tool", tools),
        (
            "Target host" + ("s" if len({r.host for r in runs}) > 1 else ""),
            _joined([r.host for r in runs]),
        ),
        ("Report generated", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")),
    )


# --- 1. verdict -------------------------------------------------------------------------


def _verdict_blocks(verdict: Verdict, runs: Sequence[Run]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    if verdict.incomplete:
        blocks.append(
            Line(
                "the suite did not run as planned, so nothing here is a verdict on the build; "
                "what ran is shown below as measured.",
                lead="INCOMPLETE:",
                tone="bad",
            )
        )
        blocks.append(Bullets(tuple(Line(m) for m in verdict.incomplete), tone="bad"))
    if verdict.ready:
        blocks.append(
            Line(
                f"all {verdict.thresholds_total} thresholds of the {len(runs)} scenarios passed "
                "and every run completed as planned. This proves the targets held at the load each "
                "scenario offered, and nothing beyond it (see Scalability).",
                lead="READY:",
                tone="good",
            )
        )
    else:
        reasons = []
        if verdict.thresholds_failed:
            reasons.append(
                f"{verdict.thresholds_failed} of {verdict.thresholds_total} thresholds failed"
            )
        run_reasons = sum(1 for f in verdict.failures if f.metric == "(run)")
        if run_reasons:
            reasons.append(f"{run_reasons} run(s) did not complete as planned")
        if verdict.not_judged:
            reasons.append(f"{len(verdict.not_judged)} scenario(s) declared no thresholds")
        if not verdict.incomplete:
            blocks.append(Line("; ".join(reasons) + ".", lead="NOT READY:", tone="bad"))
        rows: list[tuple[Cell, ...]] = [
            (f.scenario, Code(f.metric), Code(f.expression), f.observed, Mark(False))
            for f in verdict.failures
        ]
        rows += [
            (s, "(no thresholds)", NONE, NONE, Mark(None, "not judged")) for s in verdict.not_judged
        ]
        blocks.append(
            Table(
                ("scenario", "metric", "expected", "observed", ""),
                tuple(rows),
                "lllrc",
                "What stands between this build and READY",
            )
        )
        if verdict.not_judged:
            one = len(verdict.not_judged) == 1
            blocks.append(
                Line(
                    f"{', '.join(verdict.not_judged)} declared no thresholds, so nothing was "
                    f"proven about {'it' if one else 'them'}: the measurements are shown, but a "
                    "scenario that is not judged makes the verdict NOT READY. Declare targets "
                    "(e.g. --threshold 'http_req_failed: rate<0.01') to have "
                    f"{'it' if one else 'them'} judged.",
                    lead="Not judged:",
                    tone="warn",
                )
            )
    left_out = _seed_scenarios_left_out(runs)
    if left_out:
        blocks.append(
            Line(
                f"the seed's suite also has {', '.join(left_out)}; these results do not include "
                f"{'it' if len(left_out) == 1 else 'them'}, so the verdict says nothing about "
                f"{'it' if len(left_out) == 1 else 'them'}.",
                lead="Not covered:",
                tone="warn",
            )
        )
    if verdict.caveats:
        blocks.append(
            Line(
                "these do not change the verdict, but weaken what it rests on.",
                lead="Caveats:",
                tone="warn",
            )
        )
        blocks.append(Bullets(tuple(Line(c) for c in verdict.caveats), tone="warn"))
    return tuple(blocks)


def _seed_scenarios_left_out(runs: Sequence[Run]) -> list[str]:
    """The suite's scenarios (the seed's) missing from a report of suite runs (else none)."""
    ran = {r.scenario for r in runs}
    if not ran & set(SUITE):
        return []
    return [name for name in SUITE if name not in ran]


# --- 2. performance targets -------------------------------------------------------------


def _targets(runs: Sequence[Run]) -> Section:
    rows: list[tuple[Cell, ...]] = []
    for run in runs:
        if not run.thresholds:
            rows.append(
                (Code("(none declared)"), NONE, NONE, run.scenario, Mark(None, "not judged"))
            )
        for t in run.thresholds:
            scope = []
            if t.stage:
                scope.append(f"stage {t.stage}")
            if t.window_s:
                scope.append(f"{t.window_s[0]:g}–{t.window_s[1]:g} s")
            if t.aborted_run:
                scope.append("aborted the run")
            target = t.expression + (f" ({', '.join(scope)})" if scope else "")
            rows.append(
                (Code(t.metric), Code(target), format_observed(run, t), run.scenario, Mark(t.ok))
            )
    blocks: tuple[Block, ...] = (
        Line(
            "One row per declared threshold, as judged on the run's exact HDR aggregates. "
            'A threshold whose selector matched no data fails ("no data").'
        ),
        Table(("metric", "target", "achieved", "scenario", "status"), tuple(rows), "llrlc"),
    )
    return Section("Performance targets", "targets", blocks)


# --- 4. resources and load generator ----------------------------------------------------


def _target_resources(run: Run) -> dict[str, Any]:
    """The run's resource samples other than the load generator's own (shown in its table)."""
    return {k: v for k, v in (run.resources or {}).items() if k != "loadgen"}


def _resources(runs: Sequence[Run]) -> Section:
    blocks: list[Block] = []
    with_resources = [r for r in runs if _target_resources(r)]
    if not with_resources:
        blocks.append(
            Line(
                'no target resource samples were recorded (no "resources" in the results), so '
                "this report says nothing about the target's memory, CPU or connections.",
                lead="Target resources:",
                tone="warn",
            )
        )
    for run in with_resources:
        series = resource_series(_target_resources(run))
        if not series:
            blocks.append(
                Line(
                    "present but holds no numeric series.",
                    lead=f"Target resources ({run.scenario}):",
                )
            )
            continue
        blocks.append(
            Table(
                ("series", "samples", "average", "peak"),
                tuple(
                    (
                        Code(s.name),
                        f"{s.samples:,}",
                        format_generic(s.name, s.avg),
                        format_generic(s.name, s.peak),
                    )
                    for s in series
                ),
                "lrrr",
                f"Target resources during {run.scenario}",
            )
        )
    rows: list[tuple[Cell, ...]] = []
    for run in runs:
        cpu = run.loadgen_cpu_percent
        if cpu is None:
            rows.append((run.scenario, "not recorded", Mark(None, "unknown")))
        elif cpu > LOADGEN_CPU_LIMIT_PERCENT:
            rows.append((run.scenario, f"{cpu:.0f}%", Mark(False, "untrustworthy (> 90%)")))
        else:
            rows.append((run.scenario, f"{cpu:.0f}%", Mark(True, "ok")))
    blocks.append(
        Table(
            ("scenario", "load generator CPU (avg of one core)", "trustworthy"),
            tuple(rows),
            "lrc",
            "Load generator",
        )
    )
    blocks.append(
        Line(
            "above ~90% of a core the generator delays its own requests and timers, so latencies "
            "and rates measured in that run are not the target's.",
            lead="Why it matters:",
        )
    )
    warnings = [Line(w, lead=f"{r.scenario}:") for r in runs for w in r.warnings]
    if warnings:
        blocks.append(Line("recorded by the runs:", lead="Warnings", tone="warn"))
        blocks.append(Bullets(tuple(warnings), tone="warn"))
    return Section("Resource utilization", "resources", tuple(blocks))


def _footer(runs: Sequence[Run]) -> tuple[Line, ...]:
    return (
        Line(
            "nearest-rank values of exact HDR histograms (3 significant figures: never below "
            "the true sample, at most 0.1% above it); p50 is the median.",
            lead="Percentiles:",
        ),
        Line(
            "achieved = requests ÷ run duration (ramps included); failed = share of requests "
            "Locust counted as failures; corrected latency adds each iteration's schedule lag "
            "(coordinated omission).",
            lead="Definitions:",
        ),
        Line(", ".join(r.path.name for r in runs) + ".", lead="Results files:"),
    )


def build_document(
    runs: Sequence[Run],
    verdict: Verdict,
    charts: Mapping[str, Sequence[Chart]],
    title: str,
) -> Document:
    """The whole report for ``runs`` (in order), judged by ``verdict``, with their charts."""
    sections = (
        _targets(runs),
        Section(
            "Scenarios",
            "scenarios",
            (),
            tuple(scenario_section(r, charts.get(r.scenario, ())) for r in runs),
        ),
        streaming_section(runs, charts),
        ai_section(runs, charts),
        error_handling_section(runs),
        _resources(runs),
        scalability_section(runs),
    )
    return Document(
        title, _facts(runs), verdict, _verdict_blocks(verdict, runs), sections, _footer(runs)
    )
