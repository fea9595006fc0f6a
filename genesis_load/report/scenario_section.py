"""The section of one scenario: what ran, its figures, its endpoints, its analysis, its charts.

Owns the wording of a scenario's section; numbers come from ``figures``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import figures as fig
from .ai_section import AI_CHART
from .document import Block, Cell, Code, Columns, Figure, Line, Section, Table, Tile, Tiles
from .generic import flatten, format_generic
from .load import Run
from .streaming_section import STREAMING_CHART
from .text import ms, pct, rps, when

if TYPE_CHECKING:
    from .charts import Chart

__all__ = ["scenario_section"]


def _model(run: Run, offered: fig.Offered) -> str:
    if offered.open_model:
        return (
            "open model (arrival rate): iterations were started on schedule, whatever the "
            "response times"
        )
    vus = fig.peak_vus(run)
    return (
        f"closed model: {vus if vus is not None else 'an unknown number of'} VUs, each "
        "waiting for its response (and think time) before the next request"
    )


def _headline(run: Run) -> Tiles:
    """Thresholds, requests, throughput, failed share, p50/p95/p99 (and corrected p99)."""
    share = fig.error_share(run)
    corrected = fig.latency_ms(run, "p(99)", "http_req_duration_corrected")
    if not run.thresholds:
        judged = Tile("thresholds", "not judged", "warn")
    else:
        passed = sum(1 for t in run.thresholds if t.ok)
        judged = Tile(
            "thresholds",
            f"{passed}/{len(run.thresholds)} passed",
            "good" if passed == len(run.thresholds) else "bad",
        )
    return Tiles(
        (
            judged,
            Tile("requests", f"{fig.request_count(run):,}"),
            Tile("throughput", rps(fig.achieved_rps(run))),
            Tile(
                "failed",
                pct(share),
                "bad" if share is not None and share >= fig.SUSTAINED_MAX_ERROR_SHARE else "plain",
            ),
            Tile("p50", ms(fig.latency_ms(run, "med"))),
            Tile("p95", ms(fig.latency_ms(run, "p(95)"))),
            Tile("p99", ms(fig.latency_ms(run, "p(99)"))),
            *([Tile("p99 corrected", ms(corrected))] if corrected is not None else []),
        )
    )


def _key_figures(run: Run, offered: fig.Offered) -> Table:
    """The figures beyond the headline: counts, max, checks, cache, server timing, schedule."""
    count = fig.request_count(run)
    failed = run.stat("http_req_failed", "passes")
    rows: list[tuple[Cell, ...]] = [
        ("duration", f"{run.duration_s:,.1f} s"),
        (
            "failed requests",
            pct(fig.error_share(run))
            + (f" ({int(failed):,} of {count:,})" if failed is not None else ""),
        ),
        ("latency max", ms(fig.latency_ms(run, "max"))),
    ]
    corrected = fig.latency_ms(run, "max", "http_req_duration_corrected")
    if corrected is not None:
        rows.append(("latency max, lag-corrected", ms(corrected)))
    checks = run.metrics.get("checks")
    if checks is not None:
        total = checks.values.get("passes", 0) + checks.values.get("fails", 0)
        rows.append(
            (
                "checks passed",
                f"{pct(checks.values.get('rate'))} "
                f"({int(checks.values.get('passes', 0)):,} of {int(total):,})",
            )
        )
    if "cache_hit" in run.metrics:
        rows.append(("cache hit rate", pct(run.stat("cache_hit", "rate"))))
    for key in sorted(k for k in run.metrics if k.startswith("server_timing_") and "{" not in k):
        rows.append((Code(f"{key} p95"), ms(fig.latency_ms(run, "p(95)", key))))
    if offered.open_model:
        rows.append(("iterations offered", f"{offered.issued:,}"))
        rows.append(
            (
                "offered rate, avg / peak",
                f"{rps(offered.mean_per_s, 'it/s')} / {rps(offered.peak_per_s, 'it/s')}",
            )
        )
        rows.append(("dropped iterations", f"{offered.dropped:,}"))
    lag = fig.latency_ms(run, "p(99)", "schedule_lag")
    if lag is not None:
        rows.append(("schedule lag p99", ms(lag)))
    vus = fig.peak_vus(run)
    if vus is not None:
        rows.append(("peak VUs", f"{vus:,}"))
    return Table(("figure", "value"), tuple(rows), "lr", "More figures")


def _endpoint_table(run: Run) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for e in sorted(run.endpoints, key=lambda e: -e.count):
        d = e.duration_ms
        rows.append(
            (
                Code(e.name),
                ",".join(e.methods),
                f"{e.count:,}",
                f"{e.failed_share * 100:.2f}%" + (f" ({e.failed:,})" if e.failed else ""),
                f"{e.rps:,.1f}",
                ms(d.get("med")),
                ms(d.get("p(95)")),
                ms(d.get("p(99)")),
            )
        )
    return Table(
        ("endpoint", "methods", "requests", "failed", "req/s", "p50", "p95", "p99"),
        tuple(rows),
        "llrrrrrr",
        "Requests by endpoint",
    )


def _analysis_table(analysis: Mapping[str, Any]) -> Table:
    """The run's analysis in words (``genesis_load.analysis`` layout), else each key as it is."""
    definitions = analysis.get("definitions")
    if not isinstance(definitions, Mapping) or "max_offered_rps" not in analysis:
        generic = tuple((Code(k), format_generic(k, v)) for k, v in flatten(analysis))
        return Table(("analysis", "value"), generic, "lr", "Analysis recorded with the run")
    unit = str(definitions.get("offered", "requests/s"))
    bp = analysis.get("breaking_point")
    broken = (
        f"{bp['offered_rps']:,.0f} {unit} offered at {bp['at_s']:,.0f} s ({bp['reason']})"
        if isinstance(bp, Mapping)
        else f"not reached up to {analysis['max_offered_rps']:,.0f} {unit} offered"
    )
    shed_entry = analysis.get("shed")
    shed: Mapping[str, Any] = shed_entry if isinstance(shed_entry, Mapping) else {}
    rec = analysis.get("recovery")
    if not isinstance(rec, Mapping):
        recovered = "no spike stage"
    elif rec.get("recovery_time_s") is None:
        recovered = str(rec.get("reason") or "not recovered by the end of the run")
    else:
        recovered = f"{rec['recovery_time_s']:,.0f} s after the spike"
    rows = (
        ("most offered", f"{analysis['max_offered_rps']:,.0f} {unit}"),
        ("most achieved", f"{analysis.get('peak_achieved_rps', 0.0):,.0f} requests/s"),
        ("breaking point", broken),
        ("shed (503/429)", f"{shed.get('count', 0):,} ({shed.get('share', 0.0):.2%})"),
        ("recovery", recovered),
        (
            "judged by",
            f"p95 > {definitions.get('p95_target_ms', 0):g} ms or errors > "
            f"{definitions.get('error_rate_limit', 0):.0%} "
            f"for {definitions.get('sustain_s', 0):g} s",
        ),
    )
    return Table(("analysis", "value"), rows, "lr", "Analysis of the run")


def _thresholds_line(run: Run) -> Line:
    if not run.thresholds:
        return Line(
            "none declared: this scenario was not judged, so it proves nothing and "
            "keeps the verdict at NOT READY.",
            lead="Thresholds:",
            tone="warn",
        )
    failed = sum(1 for t in run.thresholds if not t.ok)
    if failed:
        return Line(f"{failed} of {len(run.thresholds)} failed.", lead="Thresholds:", tone="bad")
    return Line(f"all {len(run.thresholds)} passed.", lead="Thresholds:", tone="good")


def scenario_section(run: Run, charts: Sequence[Chart]) -> Section:
    """Run facts, headline tiles, figure tables, analysis, charts and stages of one run."""
    offered = fig.offered_load(run)
    blocks: list[Block] = [
        Line(
            f"{when(run.start)} → {when(run.end)} ({run.duration_s:,.1f} s) against "
            f"{run.host or 'an unknown host'}; {_model(run, offered)}"
            + (f"; user classes {', '.join(run.user_classes)}" if run.user_classes else "")
            + f". Source: {run.path.name}.",
            lead="Run:",
        ),
        _thresholds_line(run),
    ]
    if run.aborted:
        blocks.append(
            Line(f"aborted before its planned end: {run.aborted}.", lead="Run:", tone="bad")
        )
    if run.interrupted:
        blocks.append(Line("interrupted before its planned end.", lead="Run:", tone="bad"))
    blocks.append(_headline(run))
    tables: list[Table] = [_key_figures(run, offered)]
    if run.endpoints:
        tables.append(_endpoint_table(run))
    if run.analysis:
        tables.append(_analysis_table(run.analysis))
    blocks.append(Columns(tuple(tables)))
    if run.analysis is not None and not run.analysis:
        blocks.append(Line("present but empty.", lead="Analysis:"))
    charts = [c for c in charts if c.kind not in (STREAMING_CHART, AI_CHART)]  # own sections
    blocks.extend(Figure(c) for c in charts if c.wide)
    narrow = tuple(Figure(c) for c in charts if not c.wide)
    if narrow:
        blocks.append(Columns(narrow))
    if run.stages:
        stages = ", ".join(f"{n} {a:g}–{b:g} s" for n, (a, b) in run.stages.items())
        blocks.append(Line(stages + " (dashed lines in the charts).", lead="Stages:"))
    return Section(f"Scenario: {run.scenario}", f"scenario-{run.scenario}", tuple(blocks))
