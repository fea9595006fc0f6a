"""The report's "Error handling" section: what the system did when things went wrong.

The seed listed circuit-breaker activation, graceful degradation, automatic recovery and data
integrity as ticked boxes. Here each is a measured figure per scenario, or a plain "not
measured": failed requests and the error statuses behind them (from the series' per-status
counts), failures by kind (refused, reset, timeout, http_5xx...: the ``error`` tag) and
iterations whose code raised, load shed with 503/429 (the circuit breaker and rate limit),
the recovery time after a spike, and failed checks. Data integrity is not something a load
test observes; the section says so instead of ticking it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .document import Block, Cell, Line, Section, Table
from .load import Run
from .text import NONE, pct

__all__ = ["error_handling_section"]

_STATUS = re.compile(r"^http_reqs\{status:(\d+)\}$")
_KIND = re.compile(r"^http_reqs\{error:(.+)\}$")


def _kinds(run: Run) -> str:
    """Failed requests by kind (``refused: 3, reset: 12``), and iterations that raised."""
    parts = [
        f"{m.group(1)}: {run.stat(key, 'count') or 0:,.0f}"
        for key in run.metrics
        if (m := _KIND.match(key))
    ]
    raised = run.stat("iteration_errors", "count")
    if raised:
        parts.append(f"iterations that raised: {raised:,.0f}")
    return ", ".join(parts) or "none"


def _statuses(run: Run) -> dict[str, int]:
    """Requests per error status (0 = no response, >= 400), summed over the series."""
    counts: dict[str, int] = {}
    for point in run.points:
        for key in point.metrics:
            m = _STATUS.match(key)
            if m:
                n = point.value(key, "count") or 0.0
                counts[m.group(1)] = counts.get(m.group(1), 0) + int(n)
    return dict(sorted(counts.items()))


def _recovery(run: Run) -> str:
    rec = (run.analysis or {}).get("recovery")
    if not isinstance(rec, dict):
        return "no spike stage"
    t = rec.get("recovery_time_s")
    return "did not recover before the end" if t is None else f"{t:.0f} s after the spike"


def error_handling_section(runs: Sequence[Run]) -> Section:
    rows: list[tuple[Cell, ...]] = []
    for run in runs:
        total = run.stat("http_reqs", "count") or 0.0
        failed = run.stat("http_req_failed", "passes")
        statuses = _statuses(run)
        shed = (run.analysis or {}).get("shed", {})
        shed_count = shed.get("count", 0) if isinstance(shed, dict) else 0
        checks = run.stat("checks", "rate")
        rows.append((
            run.scenario,
            NONE if failed is None else f"{failed:,.0f} ({pct(failed / total if total else 0)})",
            ", ".join(f"{s}: {n:,}" for s, n in statuses.items()) or "none",
            _kinds(run),
            f"{shed_count:,} ({pct(shed.get('share', 0.0))})" if shed_count else "none",
            _recovery(run),
            NONE if checks is None else pct(checks),
        ))  # fmt: skip
    blocks: list[Block] = [
        Table(
            (
                "scenario",
                "failed requests",
                "error statuses",
                "failures by kind",
                "shed (503/429)",
                "recovery",
                "checks passed",
            ),
            tuple(rows),
            "lrlllll",
            "What the system did under stress",
        ),
        Line(
            "a 503 or 429 is the system protecting itself (load shedding, rate limiting): it "
            "counts as a failed request and is also shown on its own; status 0 is a request "
            "that got no response (a connection error or a timeout).",
            lead="Reading it:",
        ),
        Line(
            "a load test does not observe data integrity; verify it with the system's own "
            "checks, not with this report.",
            lead="Not measured:",
            tone="warn",
        ),
    ]
    return Section("Error handling", "errors", tuple(blocks))
