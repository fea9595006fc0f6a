"""The end-of-test summary printed to the terminal: k6's layout, drawn with rich.

Owns presentation only: it reads a results document (``results.build_results``) and never
touches the collector, so the printed numbers are exactly the ones in the JSON file.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

__all__ = ["format_value", "print_summary", "render_summary"]


def format_value(value: float, contains: str) -> str:
    """A number with the unit its metric holds: ``12.3ms``, ``1.2s``, ``3.4 kB``."""
    if contains == "time":
        if value >= 1000:
            return f"{value / 1000:.2f}s"
        if value >= 1:
            return f"{value:.2f}ms"
        return f"{value * 1000:.0f}µs"
    if contains == "data":
        for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
            if value >= size:
                return f"{value / size:.1f} {unit}"
        return f"{value:.0f} B"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.4g}"


def _metrics_table(doc: Mapping[str, Any], trend_stats: list[str]) -> Table:
    table = Table(title="genesis-load summary", title_justify="left", show_edge=False)
    table.add_column("metric", style="bold")
    for stat in trend_stats:
        table.add_column(stat, justify="right")
    table.add_column("count", justify="right")
    table.add_column("rate", justify="right")
    for key, entry in doc["metrics"].items():
        values, contains, kind = entry["values"], entry["contains"], entry["type"]
        cells = [""] * len(trend_stats)
        count = rate = ""
        if kind == "trend":
            cells = [format_value(values[s], contains) if s in values else "" for s in trend_stats]
            count = str(values.get("count", ""))
        elif kind == "rate":
            total = values["passes"] + values["fails"]
            rate = f"{values['rate'] * 100:.2f}%"
            count = f"{values['passes']}/{total}"
        elif kind == "counter":
            count = format_value(values["count"], contains)
            rate = f"{format_value(values['rate'], contains)}/s"
        else:
            count = f"{format_value(values['value'], contains)}"
            rate = f"min={values['min']:g} max={values['max']:g}"
        table.add_row(key, *cells, count, rate)
    return table


def _requests_table(doc: Mapping[str, Any], trend_stats: list[str]) -> Table:
    table = Table(title="requests by name", title_justify="left", show_edge=False)
    table.add_column("name", style="bold")
    table.add_column("reqs", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("req/s", justify="right")
    for stat in trend_stats:
        table.add_column(stat, justify="right")
    for row in doc["requests"]:
        failed_pct = row["failed"] / row["count"] * 100 if row["count"] else 0.0
        table.add_row(
            f"{','.join(row['methods'])} {row['name']}",
            str(row["count"]),
            f"{failed_pct:.2f}%",
            f"{row['rps']:.1f}",
            *[format_value(row["duration_ms"].get(s, 0.0), "time") for s in trend_stats],
        )
    return table


def _thresholds_table(doc: Mapping[str, Any]) -> Table:
    table = Table(title="thresholds", title_justify="left", show_edge=False)
    table.add_column("", justify="center")
    table.add_column("metric", style="bold")
    table.add_column("threshold")
    table.add_column("observed", justify="right")
    table.add_column("note")
    contains = {k: v.get("contains", "default") for k, v in doc["metrics"].items()}
    for t in doc["thresholds"]:
        mark = "[green]✓[/green]" if t["ok"] else "[red]✗[/red]"
        observed = t["observed"]
        if observed is None:
            shown = "no data"
        elif t["expression"].startswith(("rate", "count")):
            shown = f"{observed:.4g}"
        else:
            shown = format_value(observed, contains.get(t["metric"], "default"))
        notes = []
        if t.get("aborted_run"):
            notes.append("aborted the run")
        if t.get("stage"):
            notes.append(f"stage {t['stage']}")
        if t.get("window_s"):
            notes.append(f"{t['window_s'][0]:g}s..{t['window_s'][1]:g}s")
        table.add_row(mark, t["metric"], t["expression"], shown, ", ".join(notes))
    return table


def _print_analysis(analysis: Mapping[str, Any] | None, console: Console) -> None:
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


def render_summary(doc: Mapping[str, Any], console: Console) -> None:
    meta = doc["meta"]
    trend_stats = list(meta.get("trend_stats", ["avg", "min", "med", "max", "p(95)"]))
    console.print(
        f"[bold]genesis-load[/bold] {meta.get('host') or ''}  "
        f"duration {meta.get('duration_s', 0):.1f}s  "
        f"load generator CPU {meta.get('loadgen_cpu_percent', 0):.0f}%"
    )
    console.print(_metrics_table(doc, trend_stats))
    if doc["requests"]:
        console.print(_requests_table(doc, trend_stats))
    _print_analysis(doc.get("analysis"), console)
    if doc.get("thresholds"):
        console.print(_thresholds_table(doc))
        verdict = doc.get("verdict", {})
        if verdict.get("aborted"):
            console.print(f"[red bold]run {verdict['aborted']}[/red bold]")
        failed = sum(1 for t in doc["thresholds"] if not t["ok"])
        if failed:
            console.print(
                f"[red bold]{failed} of {len(doc['thresholds'])} thresholds failed"
                f"[/red bold] (exit code {verdict.get('exit_code')})"
            )
        else:
            console.print(
                f"[green bold]all {len(doc['thresholds'])} thresholds passed[/green bold]"
            )
    for warning in meta.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {warning}")


def print_summary(doc: Mapping[str, Any], file: TextIO | None = None) -> None:
    """Print the summary (to stdout by default), wide enough for every column."""
    console = Console(file=file or sys.stdout, width=160, soft_wrap=False, highlight=False)
    render_summary(doc, console)
