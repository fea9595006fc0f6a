"""The report's "AI agents" section: per-agent latency, tokens, quality and goodput.

The seed reported "AI response time 14.1 s, BLAZE 12.4 s simple / 18.7 s complex, quality
92%, 15 concurrent conversations" without definitions. Here every figure names its metric
(docs/ai.md has the formulas): response time is request sent -> last content
(``ai_response_time``), split by the prompt's complexity; TTFT is request sent -> first
non-empty content (``ai_ttft``); ITL the gaps between content chunks (``ai_itl``); tokens/s
the completion tokens per second of response time; quality the mean 0-1 score of the run's
scorer; goodput the share of conversations whose every turn met the latency targets and the
quality bar. Runs without ``ai_*`` metrics are left out; with none at all the section says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .document import Block, Cell, Figure, Line, Section, Table
from .figures import latency_ms
from .load import Run
from .text import NONE, ms, pct

if TYPE_CHECKING:
    from .charts import Chart

__all__ = ["AI_CHART", "ai_section", "has_ai"]

#: The chart kind drawn for AI runs (TTFT and response time over the run).
AI_CHART = "ai"

_AGENT = re.compile(r"^ai_request_failed\{agent:(.+)\}$")
_REASON = re.compile(r"^ai_failures\{reason:(.+)\}$")


def has_ai(run: Run) -> bool:
    return any(k.startswith("ai_") for k in run.metrics)


def _p50_p95(run: Run, key: str) -> str:
    values = [latency_ms(run, stat, key) for stat in ("med", "p(95)")]
    return NONE if all(v is None for v in values) else " / ".join(ms(v) for v in values)


def _turns(run: Run, key: str) -> tuple[float, float]:
    """(turns, failed turns) from a ``ai_request_failed`` entry."""
    failed, ok = run.stat(key, "passes") or 0.0, run.stat(key, "fails") or 0.0
    return failed + ok, failed


def _row(run: Run, label: str, sel: str) -> tuple[Cell, ...]:
    """One table row; ``sel`` is ``""`` for the whole run or ``"agent:NAME"``."""

    def key(metric: str, extra: str = "") -> str:
        inner = ",".join(p for p in (sel, extra) if p)
        return f"{metric}{{{inner}}}" if inner else metric

    turns, failed = _turns(run, key("ai_request_failed"))
    quality = run.stat(key("ai_quality"), "avg")
    tokens = run.stat(key("ai_tokens_per_s"), "avg")
    return (
        label,
        f"{turns:,.0f}",
        _p50_p95(run, key("ai_response_time", "complexity:simple")),
        _p50_p95(run, key("ai_response_time", "complexity:complex")),
        _p50_p95(run, key("ai_ttft")),
        _p50_p95(run, key("ai_itl")),
        NONE if tokens is None else f"{tokens:,.1f}",
        NONE if quality is None else pct(quality),
        f"{failed:,.0f}" + (f" ({pct(failed / turns)})" if turns and failed else ""),
    )


def _agents(run: Run) -> list[str]:
    return sorted(m.group(1) for k in run.metrics if (m := _AGENT.match(k)))


def _facts(run: Run) -> list[Block]:
    blocks: list[Block] = []
    good = run.stat("ai_goodput", "rate")
    if good is not None:
        total = (run.stat("ai_goodput", "passes") or 0) + (run.stat("ai_goodput", "fails") or 0)
        blocks.append(
            Line(
                f"{pct(good)} of {total:,.0f} conversations had every turn answered within its "
                "latency targets and at or above the quality bar.",
                lead=f"Goodput ({run.scenario}):",
                tone="good" if good >= 0.9 else "warn",
            )
        )
    peak = run.stat("ai_conversations_active", "max")
    if peak is not None:
        blocks.append(
            Line(
                f"{peak:,.0f} in progress at once (peak; the per-process gauge of the last "
                "process to report when run with several workers).",
                lead=f"Concurrent conversations ({run.scenario}):",
            )
        )
    reasons = [
        f"{m.group(1)}: {run.stat(k, 'count') or 0:,.0f}"
        for k in run.metrics
        if (m := _REASON.match(k))
    ]
    blocks.append(
        Line(
            ", ".join(reasons) + "." if reasons else "none.",
            lead=f"Failed turns by kind ({run.scenario}):",
            tone="bad" if reasons else "good",
        )
    )
    return blocks


def ai_section(runs: Sequence[Run], charts: Mapping[str, Sequence[Chart]]) -> Section:
    measured = [r for r in runs if has_ai(r)]
    if not measured:
        return Section(
            "AI agents",
            "ai",
            (
                Line(
                    "no run recorded AI conversations, so this report says nothing about AI "
                    "response time, answer quality or goodput (the seed's AI agents test).",
                    lead="Not measured:",
                    tone="warn",
                ),
            ),
        )
    blocks: list[Block] = [
        Line(
            "Latencies as p50 / p95. Response time: request sent → last content; TTFT: → first "
            "non-empty content; ITL: gaps between content chunks; tokens/s: completion tokens ÷ "
            "response time (mean per answer); quality: mean score (0-100%). Definitions: "
            "docs/ai.md."
        )
    ]
    for run in measured:
        rows = [_row(run, a, f"agent:{a}") for a in _agents(run)]
        rows.append(_row(run, "all agents", ""))
        blocks.append(
            Table(
                (
                    "agent",
                    "turns",
                    "simple: response time",
                    "complex: response time",
                    "TTFT",
                    "ITL",
                    "tokens/s",
                    "quality",
                    "failed",
                ),
                tuple(rows),
                "lrrrrrrrr",
                f"AI agents: {run.scenario}",
            )
        )
        blocks.extend(_facts(run))
        blocks.extend(Figure(c) for c in charts.get(run.scenario, ()) if c.kind == AI_CHART)
    return Section("AI agents", "ai", tuple(blocks))
