"""The report's "Streaming" section: SSE and WebSocket figures of every run that streamed.

The seed reported "SSE latency 234 ms, WebSocket latency 67 ms, stream completion rate 97%"
with no definition. Here each figure names its metric (docs/streaming.md has the formulas):
SSE latency is the time to first event (request sent -> first event) and the event latency
(event received minus the server's send time, when events carry one); WebSocket latency is the
round trip of a message to its matched reply (``ws_rtt``); completion is the share of streams
that reached their terminal event, with every failure reason counted. Percentiles come from
the run's whole-run HDR histograms. Runs without ``sse_*`` or ``ws_*`` metrics are left out;
with none at all the section says so.
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

__all__ = ["STREAMING_CHART", "has_streams", "streaming_section"]

#: The chart kind drawn for streaming runs (event gaps and RTT over time).
STREAMING_CHART = "streaming"

_REASON = re.compile(r"^sse_stream_completed\{reason:(.+)\}$")
_WS_FAIL = re.compile(r"^ws_failures\{reason:(.+)\}$")
_WS_CLOSE = re.compile(r"^ws_closes\{code:(.+)\}$")
_PCTS = ("med", "p(95)", "p(99)")


def has_streams(run: Run) -> bool:
    return any(k.startswith(("sse_", "ws_")) for k in run.metrics)


def _pcts(run: Run, metric: str) -> str:
    values = [latency_ms(run, stat, metric) for stat in _PCTS]
    if all(v is None for v in values):
        return NONE
    return " / ".join(ms(v) for v in values)


def _count(run: Run, key: str, stat: str = "count") -> float:
    return run.stat(key, stat) or 0.0


def _sse_row(run: Run) -> tuple[Cell, ...]:
    ok, failed = (
        _count(run, "sse_stream_completed", "passes"),
        _count(run, "sse_stream_completed", "fails"),
    )
    total = ok + failed
    return (
        run.scenario,
        f"{total:,.0f}",
        pct(ok / total) if total else NONE,
        _pcts(run, "sse_time_to_first_event"),
        _pcts(run, "sse_event_latency"),
        _pcts(run, "sse_event_gap"),
        f"{_count(run, 'sse_reconnects'):,.0f} / {_count(run, 'sse_events_lost'):,.0f}",
    )


def _ws_row(run: Run) -> tuple[Cell, ...]:
    closed_ok = run.stat("ws_sessions_closed_normally", "rate")
    return (
        run.scenario,
        f"{_count(run, 'ws_session_duration'):,.0f}",
        _pcts(run, "ws_connecting"),
        _pcts(run, "ws_rtt"),
        _pcts(run, "ws_push_latency"),
        _pcts(run, "ws_ping"),
        NONE if closed_ok is None else pct(closed_ok),
    )


def _failures(run: Run) -> list[str]:
    """``reason: n`` for every failed stream and WebSocket failure, and abnormal close codes."""
    parts = []
    for key in run.metrics:
        if m := _REASON.match(key):
            if m.group(1) != "completed":
                parts.append(f"SSE {m.group(1)}: {_count(run, key, 'fails'):,.0f}")
        elif m := _WS_FAIL.match(key):
            parts.append(f"WebSocket {m.group(1)}: {_count(run, key):,.0f}")
        elif (m := _WS_CLOSE.match(key)) and m.group(1) not in ("1000", "1001"):
            parts.append(f"WebSocket close {m.group(1)}: {_count(run, key):,.0f}")
    return parts


def streaming_section(runs: Sequence[Run], charts: Mapping[str, Sequence[Chart]]) -> Section:
    streamed = [r for r in runs if has_streams(r)]
    if not streamed:
        return Section(
            "Streaming",
            "streaming",
            (
                Line(
                    "no run recorded SSE or WebSocket traffic, so this report says nothing "
                    "about streaming latency or completion.",
                    lead="Not measured:",
                    tone="warn",
                ),
            ),
        )
    blocks: list[Block] = [
        Line(
            "Latencies as median / p95 / p99. SSE latency: time to first event "
            "(request sent → first event) and event latency (received minus the server's "
            "send time). WebSocket latency: round trip of a message to its matched reply. "
            "Definitions: docs/streaming.md."
        )
    ]
    sse = [r for r in streamed if "sse_stream_completed" in r.metrics]
    if sse:
        blocks.append(
            Table(
                (
                    "scenario",
                    "streams",
                    "completed",
                    "time to first event",
                    "event latency",
                    "event gap",
                    "reconnects / lost events",
                ),
                tuple(_sse_row(r) for r in sse),
                "lrrrrrr",
                "Server-Sent Events",
            )
        )
    ws = [r for r in streamed if any(k.startswith("ws_") for k in r.metrics)]
    if ws:
        blocks.append(
            Table(
                (
                    "scenario",
                    "sessions",
                    "handshake",
                    "RTT",
                    "push latency",
                    "ping",
                    "closed 1000/1001",
                ),
                tuple(_ws_row(r) for r in ws),
                "lrrrrrr",
                "WebSocket",
            )
        )
    for run in streamed:
        failures = _failures(run)
        blocks.append(
            Line(
                ", ".join(failures) + "." if failures else "none.",
                lead=f"Stream failures ({run.scenario}):",
                tone="bad" if failures else "good",
            )
        )
        peak = _peak_streams(run)
        if peak:
            blocks.append(Line(peak, lead=f"Concurrent streams ({run.scenario}):"))
        blocks.extend(Figure(c) for c in charts.get(run.scenario, ()) if c.kind == STREAMING_CHART)
    return Section("Streaming", "streaming", tuple(blocks))


def _peak_streams(run: Run) -> str:
    parts = []
    for key, what in (
        ("sse_streams_open", "SSE streams"),
        ("ws_sessions_open", "WebSocket sessions"),
    ):
        peak = run.stat(key, "max")
        if peak is not None:
            parts.append(f"{peak:,.0f} {what}")
    return ", ".join(parts) + " open at once (peak)." if parts else ""
