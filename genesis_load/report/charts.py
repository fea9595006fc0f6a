"""The report's charts: matplotlib (Agg backend) PNG files, four per scenario at most.

* ``throughput``: requests/s (and, for open-model runs, iterations/s offered by the schedule)
  with running VUs on a second axis, above p50/p95/p99 latency (ms, plus the
  coordinated-omission corrected p99 when recorded), x = each series point's ``start_s``;
  named stages (``meta.stages``) are vertical lines with their names.
* ``errors``: the share of failed requests per interval (%), and dropped iterations/s when any.
* ``spectrum`` (half width): the whole run's HDR percentile spectrum (latency vs percentile on
  HdrHistogram's ``1/(1-p)`` log axis, ticks 0%, 90%, 99%, 99.9%, ...), the corrected
  histogram beside it.
* ``endpoints`` (half width): p95 per request name, as horizontal bars.

Series points shorter than 90% of the nominal interval (the partial last one) are not drawn: a
rate from a few requests in a few milliseconds would be noise. A chart with no data is not
written. It owns drawing only; numbers come from ``figures``. matplotlib comes with the optional
'charts' extra: without it, importing this module raises ``MissingExtraError`` (a
``ConfigError`` naming ``pip install 'genesis-load[charts]'``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._extras import MissingExtraError

try:
    import matplotlib
except ModuleNotFoundError as e:  # matplotlib comes with the optional 'charts' extra
    raise MissingExtraError("charts", "matplotlib", "the report's charts") from e

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator

from .figures import (
    full_points,
    nominal_point_s,
    percentile_spectrum,
    point_error_share,
    point_offered_per_s,
    point_rps,
)
from .load import Point, Run

__all__ = ["Chart", "chart_prefix", "render_charts"]

_DPI = 110
_STYLE: dict[str, Any] = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
}
_COLORS = {
    "rps": "#1f6feb",
    "offered": "#8250df",
    "vus": "#8c959f",
    "p50": "#2da44e",
    "p95": "#d4a72c",
    "p99": "#cf222e",
    "corrected": "#953800",
    "errors": "#cf222e",
    "dropped": "#8250df",
    "bar": "#1f6feb",
}


@dataclass(frozen=True)
class Chart:
    """One written chart: what it shows (``kind``), its title and alt text, and its file."""

    scenario: str
    kind: str  # throughput | errors | spectrum | endpoints | streaming | ai
    title: str
    alt: str
    path: Path
    #: False for the charts drawn half as wide, which a page may set side by side.
    wide: bool = True


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "scenario"


@contextmanager
def _figure(*args: Any, **kwargs: Any) -> Iterator[Figure]:
    with matplotlib.style.context(_STYLE):
        fig = plt.figure(*args, **kwargs)
        try:
            yield fig
        finally:
            plt.close(fig)


def _save(fig: Figure, path: Path) -> None:
    fig.savefig(path, dpi=_DPI, metadata={"Software": None})


def _drawn_points(run: Run) -> list[Point]:
    return full_points(run.points, nominal_point_s(run))


def _stage_lines(axes: Sequence[Axes], run: Run, label_axis: Axes) -> None:
    ends: set[float] = set()
    for name, (start, end) in sorted(run.stages.items(), key=lambda kv: kv[1][0]):
        for ax in axes:
            ax.axvline(start, color="#57606a", linestyle="--", linewidth=0.9, alpha=0.8)
        label_axis.text(
            start,
            1.01,
            f" {name}",
            transform=label_axis.get_xaxis_transform(),
            fontsize=8,
            color="#57606a",
            va="bottom",
            ha="left",
            clip_on=False,
        )
        ends.add(end)
    if ends:
        for ax in axes:
            ax.axvline(max(ends), color="#57606a", linestyle="--", linewidth=0.9, alpha=0.8)
            ax.set_xlim(right=max(ax.get_xlim()[1], max(ends)))


#: Room above the data for a legend laid out in a row.
_HEADROOM = 1.4


def _headroom(ax: Axes) -> None:
    ax.set_ylim(0, max(ax.get_ylim()[1], 1e-3) * _HEADROOM)


def _steps(
    points: Sequence[Point], value: Callable[[Point], float | None]
) -> tuple[list[float], list[float]]:
    """Step coordinates: each point's value from its ``start_s`` to its ``end_s``."""
    xs, ys, end = [], [], 0.0
    for p in points:
        v = value(p)
        if v is not None:
            xs.append(p.start_s)
            ys.append(v)
            end = p.end_s
    if xs:
        xs.append(end)
        ys.append(ys[-1])
    return xs, ys


def _stat(key: str, stat: str) -> Callable[[Point], float | None]:
    return lambda p: p.value(key, stat)


def _throughput(run: Run, path: Path) -> Chart | None:
    points = _drawn_points(run)
    rate = _steps(points, point_rps)
    if not rate[0]:
        return None
    title = f"{run.scenario}: throughput and latency over time"
    steps: dict[str, Any] = {"drawstyle": "steps-post"}
    with _figure(figsize=(10, 6.2)) as fig:
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.15])
        offered = _steps(points, point_offered_per_s)
        if offered[0]:  # a wide band under the achieved line: any gap between them shows
            top.plot(
                *offered,
                color=_COLORS["offered"],
                linewidth=7,
                alpha=0.3,
                **steps,
                label="iterations/s offered (schedule)",
            )
        top.plot(*rate, color=_COLORS["rps"], linewidth=1.8, label="requests/s achieved", **steps)
        top.set_ylabel("per second")
        _headroom(top)
        handles, labels = top.get_legend_handles_labels()
        vus = _steps(points, _stat("vus", "max"))
        if vus[0]:
            twin = top.twinx()
            twin.plot(
                *vus,
                color=_COLORS["vus"],
                linewidth=1.2,
                linestyle=":",
                label="VUs running",
                **steps,
            )
            twin.set_ylabel("VUs")
            twin.set_ylim(0, max(max(vus[1]), 1) * _HEADROOM)
            twin.grid(False)
            twin.spines["right"].set_visible(True)
            h2, l2 = twin.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        top.legend(handles, labels, loc="upper left", ncols=3)
        top.set_title(title, pad=16 if run.stages else 6)
        for stat, label in (("med", "p50"), ("p(95)", "p95"), ("p(99)", "p99")):
            xs, ys = _steps(points, _stat("http_req_duration", stat))
            if xs:
                bottom.plot(xs, ys, color=_COLORS[label], linewidth=1.6, label=label, **steps)
        xs, ys = _steps(points, _stat("http_req_duration_corrected", "p(99)"))
        if xs:
            bottom.plot(
                xs,
                ys,
                color=_COLORS["corrected"],
                linewidth=1.2,
                linestyle="--",
                label="p99 corrected for schedule lag",
                **steps,
            )
        bottom.set_ylabel("latency (ms)")
        bottom.set_xlabel("time since start of run (s)")
        bottom.set_xlim(0, rate[0][-1])
        _headroom(bottom)
        bottom.legend(loc="upper left", ncols=4)
        _stage_lines((top, bottom), run, top)
        fig.tight_layout()
        _save(fig, path)
    return Chart(
        run.scenario,
        "throughput",
        title,
        f"{run.scenario}: requests per second and p50/p95/p99 latency per interval",
        path,
    )


def _errors(run: Run, path: Path) -> Chart | None:
    points = _drawn_points(run)
    xs, ys = _steps(points, lambda p: None if (v := point_error_share(p)) is None else v * 100)
    if not xs:
        return None
    dropped = _steps(
        points, lambda p: (p.value("dropped_iterations", "count") or 0.0) / p.duration_s
    )
    has_drops = max(dropped[1], default=0.0) > 0
    title = f"{run.scenario}: failed requests over time"
    with _figure(figsize=(10, 3.2)) as fig:
        ax = fig.subplots()
        ax.fill_between(xs, ys, step="post", color=_COLORS["errors"], alpha=0.15)
        ax.step(
            xs,
            ys,
            where="post",
            color=_COLORS["errors"],
            linewidth=1.6,
            label="failed requests (%)",
        )
        ax.set_ylabel("failed requests (%)")
        ax.set_xlabel("time since start of run (s)")
        ax.set_ylim(0, max(max(ys), 1.0) * _HEADROOM)
        handles, labels = ax.get_legend_handles_labels()
        if has_drops:
            twin = ax.twinx()
            twin.plot(
                *dropped,
                color=_COLORS["dropped"],
                linestyle="--",
                linewidth=1.2,
                drawstyle="steps-post",
                label="dropped iterations/s",
            )
            twin.set_ylabel("dropped iterations/s")
            twin.set_ylim(0, max(dropped[1]) * _HEADROOM)
            twin.grid(False)
            twin.spines["right"].set_visible(True)
            h2, l2 = twin.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        ax.set_xlim(0, xs[-1])
        if max(ys) == 0 and not has_drops:
            ax.text(
                0.5,
                0.5,
                "no failed requests",
                transform=ax.transAxes,
                ha="center",
                va="center",
                color="#57606a",
                fontsize=11,
            )
        ax.legend(handles, labels, loc="upper left", ncols=2)
        ax.set_title(title, pad=16 if run.stages else 6)
        _stage_lines((ax,), run, ax)
        fig.tight_layout()
        _save(fig, path)
    return Chart(
        run.scenario,
        "errors",
        title,
        f"{run.scenario}: share of failed requests per interval",
        path,
    )


_SPECTRUM_TICKS = [
    (1.0, "0%"),
    (10.0, "90%"),
    (100.0, "99%"),
    (1e3, "99.9%"),
    (1e4, "99.99%"),
    (1e5, "99.999%"),
    (1e6, "99.9999%"),
]


def _spectrum(run: Run, path: Path) -> Chart | None:
    curves = []
    for key, label, color in (
        ("http_req_duration", "http_req_duration", _COLORS["rps"]),
        ("http_req_duration_corrected", "lag-corrected", _COLORS["corrected"]),
    ):
        encoded = run.histograms.get(key)
        spectrum = percentile_spectrum(encoded) if encoded else []
        if spectrum:
            curves.append((spectrum, label, color, key))
    if not curves:
        return None
    title = f"{run.scenario}: latency by percentile (HDR, whole run)"
    with _figure(figsize=(6.2, 4.4)) as fig:
        ax = fig.subplots()
        x_max = 10.0
        for spectrum, label, color, key in curves:
            xs = [1.0 / (1.0 - p / 100.0) for p, _ in spectrum]
            ys = [v for _, v in spectrum]
            x_max = max(x_max, xs[-1])
            maximum = run.stat(key, "max")
            suffix = f", max {maximum:.2f} ms" if maximum is not None else ""
            ax.plot(xs, ys, color=color, linewidth=1.8, label=label + suffix)
        ax.set_xscale("log")
        ticks = [(x, t) for x, t in _SPECTRUM_TICKS if x <= x_max * 1.01]
        ax.xaxis.set_major_locator(FixedLocator([x for x, _ in ticks]))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticklabels([t for _, t in ticks])
        ax.set_xlim(1.0, x_max * 1.1)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("percentile")
        ax.set_ylabel("latency (ms)")
        ax.set_title(title)
        ax.legend(loc="upper left")
        fig.tight_layout()
        _save(fig, path)
    return Chart(
        run.scenario,
        "spectrum",
        title,
        f"{run.scenario}: latency at each percentile from 0% to the highest recorded",
        path,
        wide=False,
    )


def _endpoints(run: Run, path: Path) -> Chart | None:
    rows = [
        (f"{','.join(e.methods)} {e.name}".strip(), e.duration_ms["p(95)"])
        for e in run.endpoints
        if "p(95)" in e.duration_ms
    ]
    if not rows:
        return None
    rows.sort(key=lambda r: r[1])
    title = f"{run.scenario}: p95 latency by endpoint"
    with _figure(figsize=(6.2, max(4.4, 1.4 + 0.4 * len(rows)))) as fig:
        ax = fig.subplots()
        names, values = zip(*rows, strict=True)
        bars = ax.barh(range(len(rows)), values, color=_COLORS["bar"], height=0.6)
        ax.set_yticks(range(len(rows)), [n if len(n) <= 32 else n[:29] + "..." for n in names])
        ax.bar_label(bars, labels=[f"{v:.2f} ms" for v in values], padding=4, fontsize=9)
        ax.set_xlim(0, max(values) * 1.2 or 1.0)
        pad = max(0.5, (4 - len(rows)) / 2)  # a lone bar keeps a bar's height, centred
        ax.set_ylim(-pad, len(rows) - 1 + pad)
        ax.set_xlabel("p95 latency (ms)")
        ax.grid(axis="y", visible=False)
        ax.set_title(title)
        fig.tight_layout()
        _save(fig, path)
    return Chart(
        run.scenario,
        "endpoints",
        title,
        f"{run.scenario}: 95th percentile latency of each request name",
        path,
        wide=False,
    )


#: A latency line over time: (series key, stat, label, colour).
_Line = tuple[str, str, str, str]

#: Streaming latencies drawn over time.
_STREAM_LINES: tuple[_Line, ...] = (
    ("sse_time_to_first_event", "p(95)", "SSE time to first event p95", "#0969da"),
    ("sse_event_gap", "p(95)", "SSE event gap p95", "#8250df"),
    ("ws_rtt", "p(95)", "WebSocket RTT p95", "#1a7f37"),
)

#: AI latencies drawn over time.
_AI_LINES: tuple[_Line, ...] = (
    ("ai_ttft", "p(95)", "TTFT p95", "#0969da"),
    ("ai_response_time", "med", "response time p50", "#1a7f37"),
    ("ai_response_time", "p(95)", "response time p95", "#cf222e"),
)


def _latency_lines(
    run: Run, path: Path, lines: Sequence[_Line], kind: str, what: str, ylabel: str, alt: str
) -> Chart | None:
    """A step chart of some latency stats per interval; None when none of them has data."""
    points = _drawn_points(run)
    drawn = [(label, color, _steps(points, _stat(key, stat))) for key, stat, label, color in lines]
    drawn = [(label, color, xy) for label, color, xy in drawn if xy[0]]
    if not drawn:
        return None
    title = f"{run.scenario}: {what} over time"
    with _figure(figsize=(10, 3.2)) as fig:
        ax = fig.subplots()
        for label, color, (xs, ys) in drawn:
            ax.step(xs, ys, where="post", color=color, linewidth=1.5, label=label)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("time since start of run (s)")
        _headroom(ax)
        ax.legend(loc="upper left", ncols=3)
        ax.set_title(title, pad=16 if run.stages else 6)
        _stage_lines((ax,), run, ax)
        fig.tight_layout()
        _save(fig, path)
    return Chart(run.scenario, kind, title, f"{run.scenario}: {alt}", path)


def _streaming(run: Run, path: Path) -> Chart | None:
    return _latency_lines(
        run, path, _STREAM_LINES, "streaming", "streaming latency", "ms (p95 per interval)",
        "p95 of SSE time to first event, SSE event gaps and WebSocket round trips per interval",
    )  # fmt: skip


def _ai(run: Run, path: Path) -> Chart | None:
    return _latency_lines(
        run, path, _AI_LINES, "ai", "AI time to first token and response time",
        "ms (per interval)",
        "p95 of the AI time to first token, p50 and p95 of the AI response time (request sent "
        "to last content) per interval",
    )  # fmt: skip


def chart_prefix(scenario: str, taken: set[str]) -> str:
    """A file-name-safe prefix for the scenario's charts, not in ``taken`` (then added)."""
    base = prefix = _slug(scenario)
    n = 2
    while prefix in taken:
        prefix, n = f"{base}-{n}", n + 1
    taken.add(prefix)
    return prefix


def render_charts(run: Run, out_dir: Path, prefix: str | None = None) -> tuple[Chart, ...]:
    """Write the run's charts as ``<prefix>-<kind>.png`` in ``out_dir`` (prefix: the scenario
    name made file-name safe); only the charts that have data."""
    slug = prefix or _slug(run.scenario)
    charts = (
        _throughput(run, out_dir / f"{slug}-throughput.png"),
        _errors(run, out_dir / f"{slug}-errors.png"),
        _spectrum(run, out_dir / f"{slug}-spectrum.png"),
        _endpoints(run, out_dir / f"{slug}-endpoints.png"),
        _streaming(run, out_dir / f"{slug}-streaming.png"),
        _ai(run, out_dir / f"{slug}-ai.png"),
    )
    return tuple(c for c in charts if c is not None)
