"""Writing the whole report for a results directory: charts, Markdown, HTML, JUnit.

Owns the sequence (load, judge, draw, build, write) and the output file names; each step is
its own module. Files are written into ``out_dir`` (created if missing): ``report.md``,
``report.html``, ``junit.xml`` and ``<scenario>-<chart>.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ResultsError
from .html import render_html
from .junit import render_junit
from .load import Run, load_runs
from .markdown import render_markdown
from .sections import build_document
from .verdict import Verdict, judge

if TYPE_CHECKING:
    from .charts import Chart

__all__ = ["DEFAULT_TITLE", "PLAN_FILE", "ReportFiles", "read_plan", "write_plan", "write_report"]

#: The suite's plan in a results folder: the scenarios it meant to run, one per line.
PLAN_FILE = "suite.plan"


def write_plan(results_dir: str | Path, scenarios: Sequence[str]) -> None:
    """Record which scenarios a suite will run, so a partial folder reads INCOMPLETE."""
    try:
        (Path(results_dir) / PLAN_FILE).write_text("".join(f"{s}\n" for s in scenarios))
    except OSError as e:
        raise ResultsError(f"cannot write the suite plan into {str(results_dir)!r}: {e}") from e


def read_plan(results_dir: str | Path) -> tuple[str, ...]:
    """The scenarios a suite meant to run (empty when the folder has no plan)."""
    path = Path(results_dir) / PLAN_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as e:
        raise ResultsError(f"{str(path)!r} is not a readable suite plan: {e}") from e
    return tuple(line.strip() for line in text.splitlines() if line.strip())


DEFAULT_TITLE = "Production readiness report"


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote, and the verdict it reached."""

    verdict: Verdict
    runs: tuple[Run, ...]
    markdown: Path
    html: Path
    junit: Path
    charts: tuple[Chart, ...]


def write_report(
    results_dir: str | Path, out_dir: str | Path | None = None, title: str = DEFAULT_TITLE
) -> ReportFiles:
    """Read every results file of ``results_dir`` (or the one results file it names) and write
    the report files into ``out_dir`` (default: that folder, or the file's folder). Raises
    :class:`ResultsError` on bad input, before writing."""
    source = Path(results_dir)
    runs = load_runs(source)
    folder = source.parent if source.is_file() else source
    out = Path(out_dir) if out_dir is not None else folder
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ResultsError(f"cannot create the report folder {str(out)!r}: {e}") from e
    verdict = judge(runs, read_plan(folder) if source.is_dir() else ())
    # matplotlib takes ~0.4 s to import: only when a report is written, so that every other
    # genesis-load command (which all import this package through the CLI) starts fast
    from .charts import chart_prefix, render_charts

    try:
        taken: set[str] = set()
        charts = {
            run.scenario: render_charts(run, out, chart_prefix(run.scenario, taken)) for run in runs
        }
        document = build_document(runs, verdict, charts, title)
        files = {
            "report.md": render_markdown(document),
            "report.html": render_html(document),
            "junit.xml": render_junit(runs),
        }
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
    except OSError as e:
        raise ResultsError(f"cannot write the report into {str(out)!r}: {e}") from e
    return ReportFiles(
        verdict=verdict,
        runs=runs,
        markdown=out / "report.md",
        html=out / "report.html",
        junit=out / "junit.xml",
        charts=tuple(c for cs in charts.values() for c in cs),
    )
