"""The scalability section: offered load vs achieved throughput, and the proven capacity.

The honest part of the report. "Offered" is what a scenario's schedule called for, "achieved"
what was measured; when they are equal the section says capacity above the offered load was not
tested, a closed-model run is never said to locate a limit, and the proven capacity is the best
sustained rate of a judged, passing, complete scenario, never more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import figures as fig
from .document import Block, Bullets, Cell, Line, Section, Table
from .load import Run
from .text import NONE, pct, rps

__all__ = ["scalability_section"]


def _passed(run: Run) -> bool:
    return (
        bool(run.thresholds)
        and all(t.ok for t in run.thresholds)
        and not (run.aborted or run.interrupted)
    )


def _short(run: Run) -> bool:
    points = run.points
    return not points or points[-1].end_s - points[0].start_s < fig.SUSTAINED_WINDOW_S


def _where(run: Run, window: fig.Window) -> str:
    if _short(run):
        return f"whole {window.length_s:.1f} s run, shorter than 30 s"
    return f"best 30 s window, {window.start_s:.0f}–{window.end_s:.0f} s"


def _sustained_text(run: Run, window: fig.Window | None) -> str:
    if window is None:
        return "none (no window with < 1% failed)"
    return f"{rps(window.rps)} ({_where(run, window)})"


def _breaking_point(run: Run) -> str | None:
    """The run's ``analysis.breaking_point`` in words; None when the analysis has none.

    "Not reached" is only said of a run long enough to reach it (its series lasts at least
    the analysis's ``definitions.sustain_s``), with the highest load offered, and never "up to"
    a load that was not fully sent (dropped iterations)."""
    if run.analysis is None or "breaking_point" not in run.analysis:
        return None
    bp = run.analysis["breaking_point"]
    if bp is None:
        definitions = run.analysis.get("definitions")
        sustain = definitions.get("sustain_s") if isinstance(definitions, Mapping) else None
        length = run.points[-1].end_s - run.points[0].start_s if run.points else 0.0
        if isinstance(sustain, int | float) and length < sustain:
            return f"not assessable (run shorter than the {sustain:g} s it must last)"
        dropped = fig.offered_load(run).dropped
        if dropped:  # it held on p95 and errors, but not all of the offered load was sent
            return f"not reached on p95/errors, but {dropped:,} iterations were dropped"
        top = run.analysis.get("max_offered_rps")
        return f"not reached up to {top:,.1f}/s" if isinstance(top, int | float) else "not reached"
    if not isinstance(bp, Mapping):
        return str(bp)
    parts = []
    if isinstance(bp.get("offered_rps"), int | float):
        parts.append(f"{bp['offered_rps']:,.1f}/s offered")
    if isinstance(bp.get("at_s"), int | float):
        parts.append(f"at {bp['at_s']:.0f} s")
    text = " ".join(parts) or "reached"
    return text + (f" ({bp['reason']})" if bp.get("reason") else "")


def _statement(run: Run, offered: fig.Offered, peak: fig.Window | None) -> Line:
    line = _capacity_statement(run, offered, peak)
    bp = _breaking_point(run)
    if bp is None or bp.startswith("not "):
        return line
    return Line(f"{line.text} The run's analysis found a breaking point: {bp}.", line.lead, "warn")


def _capacity_statement(run: Run, offered: fig.Offered, peak: fig.Window | None) -> Line:
    share = fig.error_share(run) or 0.0
    peak_text = rps(peak.rps if peak else None)
    if offered.open_model:
        per_it = offered.requests_per_iteration or 1.0
        offered_rps = (offered.peak_per_s or 0.0) * per_it
        if offered.dropped == 0 and share < fig.SUSTAINED_MAX_ERROR_SHARE:
            text = (
                f"the schedule offered at most {rps(offered.peak_per_s, 'iterations/s')}"
                + (f" (≈ {rps(offered_rps)})" if abs(per_it - 1.0) > 0.01 else "")
                + f" and the target served all of it (peak {peak_text}, "
                f"{pct(share)} failed). Capacity above the offered load was not tested: "
                "this run shows only that the target keeps up at this rate."
            )
            return Line(text, lead=f"{run.scenario}:")
        problems = [f"{offered.dropped:,} iterations were dropped"] if offered.dropped else []
        if share >= fig.SUSTAINED_MAX_ERROR_SHARE:
            problems.append(f"{pct(share)} of requests failed")
        text = (
            f"the offered load (peak {rps(offered.peak_per_s, 'iterations/s')}) was not "
            f"served cleanly: {' and '.join(problems)}; the peak achieved was {peak_text}."
        )
        return Line(text, lead=f"{run.scenario}:", tone="warn")
    vus = fig.peak_vus(run)
    text = (
        f"closed model with {vus if vus is not None else '?'} VUs: the rate (peak "
        f"{peak_text}, {pct(share)} failed) followed from the users' pacing and the "
        "response times; no rate was offered, so this run does not locate the target's "
        "limit, and capacity above the measured rate was not tested."
    )
    return Line(text, lead=f"{run.scenario}:", tone="plain" if share < 0.01 else "warn")


def _capacity(runs: Sequence[Run]) -> list[Block]:
    sustained = {r.scenario: fig.sustained_rps(r.points) for r in runs}
    eligible = [r for r in runs if _passed(r) and sustained[r.scenario] is not None]
    blocks: list[Block] = []
    if not eligible:
        blocks.append(
            Line(
                "none. No scenario both passed all of its thresholds and kept failed requests "
                "below 1% over a sustained window, so no throughput is proven.",
                lead="Proven capacity:",
                tone="bad",
            )
        )
    else:
        best = max(eligible, key=lambda r: sustained[r.scenario].rps)  # type: ignore[union-attr]
        window = sustained[best.scenario]
        assert window is not None
        peaks = [p for r in eligible if (p := fig.peak_rps(r.points, fig.nominal_point_s(r)))]
        vus = [v for r in eligible if (v := fig.peak_vus(r)) is not None]
        text = (
            f"{rps(window.rps)} in {best.scenario} ({_where(best, window)}), with "
            "every threshold passing and "
            f"{pct(window.error_share)} failed"
            + (
                f"; highest 1-second rate in a passing scenario {rps(max(p.rps for p in peaks))}"
                if peaks
                else ""
            )
            + (f"; peak VUs in passing scenarios {max(vus):,}" if vus else "")
            + ". Nothing above these figures was demonstrated."
        )
        blocks.append(Line(text, lead="Proven capacity:", tone="good"))
        if any(_short(r) for r in eligible):
            blocks.append(
                Line(
                    "some passing runs lasted less than 30 s: their rate was reached, but holding "
                    "it for longer was not shown (run a soak scenario for that).",
                    lead="Short runs:",
                    tone="warn",
                )
            )
    excluded = [r for r in runs if not _passed(r)]
    if excluded:
        items = []
        for r in excluded:
            why = (
                "was not judged (no thresholds)"
                if not r.thresholds
                else "did not complete as planned"
                if (r.aborted or r.interrupted)
                else "failed thresholds"
            )
            items.append(
                Line(
                    f"{why}, so its {rps(fig.achieved_rps(r))} is not counted as proven capacity.",
                    lead=f"{r.scenario}:",
                )
            )
        blocks.append(Bullets(tuple(items)))
    return blocks


def scalability_section(runs: Sequence[Run]) -> Section:
    """Offered vs achieved per scenario, one sentence each, and the proven capacity."""
    rows: list[tuple[Cell, ...]] = []
    statements = []
    with_bp = any(_breaking_point(r) is not None for r in runs)
    lengths = {fig.nominal_point_s(r) for r in runs}
    peak_header = f"peak ({lengths.pop():g} s)" if len(lengths) == 1 else "peak (1 point)"
    for run in runs:
        offered = fig.offered_load(run)
        peak = fig.peak_rps(run.points, fig.nominal_point_s(run))
        vus = fig.peak_vus(run)
        if offered.open_model:
            offered_text = f"peak {rps(offered.peak_per_s, 'it/s')} ({offered.issued:,} iterations)"
        else:
            offered_text = f"{vus if vus is not None else '?'} VUs (closed: no rate offered)"
        rows.append(
            (
                run.scenario,
                "open" if offered.open_model else "closed",
                offered_text,
                rps(fig.achieved_rps(run)),
                _sustained_text(run, fig.sustained_rps(run.points)),
                rps(peak.rps if peak else None),
                NONE if vus is None else f"{vus:,}",
                pct(fig.error_share(run)),
                f"{offered.dropped:,}" if offered.open_model else NONE,
                *([_breaking_point(run) or NONE] if with_bp else []),
            )
        )
        statements.append(_statement(run, offered, peak))
    blocks: list[Block] = [
        Line(
            '"Offered" is what a scenario\'s schedule called for (open model: iterations, '
            'started or dropped; a closed model offers no rate); "achieved" is what was '
            "measured. Sustained = the highest rate over any 30 s window (the whole run when "
            "shorter) with < 1% failed requests; peak = the best full series interval."
        ),
        Table(
            (
                "scenario",
                "model",
                "offered",
                "achieved (avg)",
                "sustained",
                peak_header,
                "peak VUs",
                "failed",
                "dropped",
                *(["breaking point"] if with_bp else []),
            ),
            tuple(rows),
            "llrrrrrrrl",
            "Offered load vs achieved throughput",
        ),
        Bullets(tuple(statements)),
        *_capacity(runs),
    ]
    return Section("Scalability", "scalability", tuple(blocks))
