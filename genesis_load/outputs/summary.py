"""The end-of-test summary printed to the terminal (``--out summary``, on by default).

Owns presentation only, drawn with rich in k6's layout: it reads the finished
:class:`~genesis_load.results.Results` and never touches the collector, so the printed numbers
are exactly the ones in the JSON file. Values are formatted by :mod:`genesis_load.units`.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from ..errors import ResultsError
from ..results.schema import Results
from ..units import format_observed, format_value
from .base import Output

__all__ = ["SummaryOutput", "print_summary", "render_summary"]


def _metrics_table(results: Results, trend_stats: list[str]) -> Table:
    table = Table(title="genesis-load summary", title_justify="left", show_edge=False)
    table.add_column("metric", style="bold")
    for stat in trend_stats:
        table.add_column(stat, justify="right")
    table.add_column("count", justify="right")
    table.add_column("rate", justify="right")
    for key, entry in results.metrics.items():
        values, contains, kind = entry.values, entry.contains, entry.type
        cells = [""] * len(trend_stats)
        count = rate = ""
        if kind == "trend":
            cells = [format_value(values[s], contains) if s in values else "" for s in trend_stats]
            count = format_value(values.get("count", 0), "default")
        elif kind == "rate":
            passes, fails = int(values["passes"]), int(values["fails"])
            rate = f"{values['rate'] * 100:.2f}%"
            count = f"{passes}/{passes + fails}"
        elif kind == "counter":
            count = format_value(values["count"], contains)
            rate = f"{format_value(values['rate'], contains)}/s"
        else:
            count = f"{format_value(values['value'], contains)}"
            rate = f"min={values['min']:g} max={values['max']:g}"
        table.add_row(key, *cells, count, rate)
    return table


def _requests_table(results: Results, trend_stats: list[str]) -> Table:
    table = Table(title="requests by name", title_justify="left", show_edge=False)
    table.add_column("name", style="bold")
    table.add_column("reqs", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("req/s", justify="right")
    for stat in trend_stats:
        table.add_column(stat, justify="right")
    for row in results.requests:
        table.add_row(
            f"{','.join(row.methods)} {row.name}",
            str(row.count),
            f"{row.failed_share * 100:.2f}%",
            f"{row.rps:.1f}",
            *[format_value(row.duration_ms.get(s, 0.0), "time") for s in trend_stats],
        )
    return table


def _thresholds_table(results: Results) -> Table:
    table = Table(title="thresholds", title_justify="left", show_edge=False)
    table.add_column("", justify="center")
    table.add_column("metric", style="bold")
    table.add_column("threshold")
    table.add_column("observed", justify="right")
    table.add_column("note")
    for t in results.thresholds:
        mark = "[green]✓[/green]" if t.ok else "[red]✗[/red]"
        entry = results.metrics.get(t.metric)
        kind, contains = (entry.type, entry.contains) if entry else ("", "default")
        shown = format_observed(t.observed, t.aggregation, kind, contains)
        notes = []
        if t.aborted_run:
            notes.append("aborted the run")
        if t.stage:
            notes.append(f"stage {t.stage}")
        if t.window_s:
            notes.append(f"{t.window_s[0]:g}s..{t.window_s[1]:g}s")
        table.add_row(mark, t.metric, t.expression, shown, ", ".join(notes))
    return table


def _print_analysis(analysis: dict[str, Any] | None, console: Console) -> None:
    if not analysis or not analysis.get("max_offered_rps"):
        return
    offered = analysis["definitions"]["offered"]
    bp = analysis.get("breaking_point")
    if bp is None:
        console.print(
            f"breaking point: not reached; held up to {analysis['max_offered_rps']:.0f} "
            f"{offered} offered (higher loads not tested)"
        )
    else:
        console.print(
            f"breaking point: [red]{bp['offered_rps']:.0f} {offered}[/red] offered at "
            f"{bp['at_s']:.0f}s ({bp['reason']}, {bp['achieved_rps']:.0f} req/s achieved)"
        )
    shed = analysis.get("shed", {})
    if shed.get("count"):
        console.print(f"shed (503/429): {shed['count']} responses, {shed['share']:.2%}")
    recovery = analysis.get("recovery")
    if recovery is not None:
        t = recovery.get("recovery_time_s")
        console.print(
            "recovery after the spike: "
            + (f"{t:.0f}s" if t is not None else "[red]not recovered by the end of the run[/red]")
        )


def render_summary(results: Results, console: Console) -> None:
    meta = results.meta
    # ``count`` has its own column: asked for among the trend stats, it is not a time
    trend_stats = [s for s in meta.trend_stats or ["avg", "min", "med", "max", "p(95)"]
                   if s != "count"]  # fmt: skip
    console.print(
        f"[bold]genesis-load[/bold] {meta.host}  "
        f"duration {meta.duration_s:.1f}s  "
        f"load generator CPU {meta.loadgen_cpu_percent or 0:.0f}%"
    )
    console.print(_metrics_table(results, trend_stats))
    if results.requests:
        console.print(_requests_table(results, trend_stats))
    _print_analysis(results.analysis, console)
    if results.thresholds:
        console.print(_thresholds_table(results))
        verdict = results.verdict
        if verdict is not None and verdict.aborted:
            console.print(f"[red bold]run {verdict.aborted}[/red bold]")
        failed = sum(1 for t in results.thresholds if not t.ok)
        total = len(results.thresholds)
        if failed:
            code = verdict.exit_code if verdict is not None else None
            console.print(
                f"[red bold]{failed} of {total} thresholds failed[/red bold] (exit code {code})"
            )
        else:
            console.print(f"[green bold]all {total} thresholds passed[/green bold]")
    for warning in meta.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


def print_summary(results: Results, file: TextIO | None = None) -> None:
    """Print the summary (to stdout by default), wide enough for every column."""
    console = Console(file=file or sys.stdout, width=160, soft_wrap=False, highlight=False)
    render_summary(results, console)


class SummaryOutput(Output):
    """Prints the summary once per run, at its end (to stdout, or to the file given)."""

    def __init__(self, path: str = "") -> None:
        self.path = path
        self._printed = False

    def start(self, start_s: float) -> None:
        self._printed = False

    def stop(self, results: Results) -> None:
        if self._printed:
            return
        self._printed = True
        if self.path in ("", "-", "stdout"):
            print_summary(results)
        else:
            try:
                with open(self.path, "w", encoding="utf-8") as f:
                    print_summary(results, f)
            except OSError as e:
                raise ResultsError(f"cannot write the summary to {self.path!r}: {e}") from e
