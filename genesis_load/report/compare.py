"""Regression check between two sets of runs: p95, error rate and throughput, with a tolerance.

Rows: per scenario present on both sides, one row for all requests and one per request name
present on both sides. With tolerance ``tol`` (0.10 = 10%), a row regresses when

* **p95** rose by more than ``tol`` relative: ``new > old × (1 + tol)``;
* **error rate** (failed share) rose by more than ``max(tol × old, 0.001)`` absolute, so a
  0% → 0.05% blip is noise but 0% → 0.2% is not;
* **throughput** (requests/s) fell by more than ``tol`` relative: ``new < old × (1 − tol)``.

A figure missing on either side (no requests, or p95 not recorded) is not compared. Scenarios
and request names present on one side only are listed as added/removed, never compared.
Pairing: two files are compared with each other whatever their names; otherwise runs pair by
scenario name (the file stem). It owns the rules and the table; reading is ``load``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from ..units import format_value
from . import figures as fig
from .load import Endpoint, Run

__all__ = [
    "Comparison",
    "Figures",
    "Row",
    "compare_runs",
    "comparison_json",
    "regressions",
    "render_comparison",
]

#: Smallest error-rate rise (absolute share) that counts, whatever the tolerance.
MIN_ERROR_RISE = 0.001


@dataclass(frozen=True)
class Figures:
    """The compared figures of one side of a row; None when not measured."""

    count: int
    p95_ms: float | None
    error_share: float | None
    rps: float | None


@dataclass(frozen=True)
class Row:
    scenario: str
    endpoint: str | None  # None: all requests of the scenario
    old: Figures
    new: Figures
    regressions: tuple[str, ...]

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)


@dataclass(frozen=True)
class Comparison:
    tolerance: float
    rows: tuple[Row, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def regressed(self) -> bool:
        return any(r.regressed for r in self.rows)


def regressions(old: Figures, new: Figures, tolerance: float) -> tuple[str, ...]:
    """What got worse beyond the tolerance, as short phrases; empty when nothing did."""
    found = []
    if old.count == 0 or new.count == 0:
        return ()
    if old.p95_ms and new.p95_ms is not None and new.p95_ms > old.p95_ms * (1 + tolerance):
        found.append(f"p95 {(new.p95_ms / old.p95_ms - 1) * 100:+.1f}%")
    if old.error_share is not None and new.error_share is not None:
        allowed = max(tolerance * old.error_share, MIN_ERROR_RISE)
        rise = new.error_share - old.error_share
        if rise > allowed:
            found.append(f"error rate +{rise * 100:.2f} pt")
    if old.rps and new.rps is not None and new.rps < old.rps * (1 - tolerance):
        found.append(f"throughput {(new.rps / old.rps - 1) * 100:+.1f}%")
    return tuple(found)


def _run_figures(run: Run) -> Figures:
    return Figures(
        fig.request_count(run),
        fig.latency_ms(run, "p(95)"),
        fig.error_share(run),
        fig.achieved_rps(run),
    )


def _endpoint_figures(e: Endpoint) -> Figures:
    return Figures(e.count, e.duration_ms.get("p(95)"), e.failed_share if e.count else None, e.rps)


def _pairs(
    old: Sequence[Run], new: Sequence[Run], by_name: bool
) -> tuple[list[tuple[str, Run, Run]], list[str], list[str]]:
    if not by_name and len(old) == 1 and len(new) == 1:
        a, b = old[0], new[0]
        name = a.scenario if a.scenario == b.scenario else f"{a.scenario} → {b.scenario}"
        return [(name, a, b)], [], []
    old_by = {r.scenario: r for r in old}
    new_by = {r.scenario: r for r in new}
    pairs = [(name, old_by[name], new_by[name]) for name in old_by if name in new_by]
    added = [name for name in new_by if name not in old_by]
    removed = [name for name in old_by if name not in new_by]
    return pairs, added, removed


def compare_runs(
    old: Sequence[Run], new: Sequence[Run], tolerance: float = 0.10, by_name: bool = True
) -> Comparison:
    """Compare paired runs; ``by_name=False`` pairs one old run with one new run whatever
    their names (two files given)."""
    pairs, added, removed = _pairs(old, new, by_name)
    rows = []
    for name, a, b in pairs:
        fa, fb = _run_figures(a), _run_figures(b)
        rows.append(Row(name, None, fa, fb, regressions(fa, fb, tolerance)))
        a_eps = {e.name: e for e in a.endpoints}
        b_eps = {e.name: e for e in b.endpoints}
        for ep in sorted(set(a_eps) & set(b_eps)):
            ea, eb = _endpoint_figures(a_eps[ep]), _endpoint_figures(b_eps[ep])
            rows.append(Row(name, ep, ea, eb, regressions(ea, eb, tolerance)))
        added += [f"{name}: {ep}" for ep in sorted(set(b_eps) - set(a_eps))]
        removed += [f"{name}: {ep}" for ep in sorted(set(a_eps) - set(b_eps))]
    return Comparison(tolerance, tuple(rows), tuple(added), tuple(removed))


def _change(old: float | None, new: float | None, shown: str) -> str:
    if old is None or new is None:
        return shown
    if old == 0:
        return shown if new == 0 else f"{shown} (new)"
    return f"{shown} ({(new / old - 1) * 100:+.1f}%)"


def _cells(row: Row) -> list[str]:
    o, n = row.old, row.new

    def ms(v: float | None) -> str:
        return "–" if v is None else format_value(v, "time")

    def pct(v: float | None) -> str:
        return "–" if v is None else f"{v * 100:.2f}%"

    def rps(v: float | None) -> str:
        return "–" if v is None else f"{v:,.1f}"

    error_delta = (
        f" ({(n.error_share - o.error_share) * 100:+.2f} pt)"
        if o.error_share is not None and n.error_share is not None
        else ""
    )
    return [
        f"{ms(o.p95_ms)} → {_change(o.p95_ms, n.p95_ms, ms(n.p95_ms))}",
        f"{pct(o.error_share)} → {pct(n.error_share)}{error_delta}",
        f"{rps(o.rps)} → {_change(o.rps, n.rps, rps(n.rps))}",
    ]


def render_comparison(comparison: Comparison, console: Console, old: str, new: str) -> None:
    console.print(
        f"[bold]genesis-load compare[/bold] {old} → {new}  (tolerance {comparison.tolerance:.0%})"
    )
    table = Table(title="regressions", title_justify="left", show_edge=False)
    table.add_column("", justify="center")
    table.add_column("scenario", style="bold")
    table.add_column("endpoint")
    table.add_column("p95 (ms)", justify="right")
    table.add_column("error rate", justify="right")
    table.add_column("throughput (req/s)", justify="right")
    table.add_column("regression")
    for row in comparison.rows:
        mark = "[red]✗[/red]" if row.regressed else "[green]✓[/green]"
        table.add_row(
            mark,
            row.scenario,
            row.endpoint or "(all requests)",
            *_cells(row),
            "; ".join(row.regressions),
        )
    console.print(table)
    for label, names in (
        ("added (not compared)", comparison.added),
        ("removed (not compared)", comparison.removed),
    ):
        for name in names:
            console.print(f"[yellow]{label}:[/yellow] {name}")
    bad = sum(1 for r in comparison.rows if r.regressed)
    if bad:
        console.print(f"[red bold]{bad} of {len(comparison.rows)} rows regressed[/red bold]")
    else:
        console.print(f"[green bold]no regression in {len(comparison.rows)} rows[/green bold]")


def comparison_json(comparison: Comparison, old: str, new: str) -> dict[str, Any]:
    def side(f: Figures) -> Mapping[str, Any]:
        return asdict(f)

    return {
        "format": "genesis-load-compare",
        "version": 1,
        "old": old,
        "new": new,
        "tolerance": comparison.tolerance,
        "regressed": comparison.regressed,
        "rows": [
            {
                "scenario": r.scenario,
                "endpoint": r.endpoint,
                "old": side(r.old),
                "new": side(r.new),
                "regressed": r.regressed,
                "regressions": list(r.regressions),
            }
            for r in comparison.rows
        ],
        "added": list(comparison.added),
        "removed": list(comparison.removed),
    }
