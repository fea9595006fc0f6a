"""The production-readiness report and the regression check, built from results files.

Public surface::

    from genesis_load.report import write_report, load_results_dir, judge, compare_runs

    files = write_report("results/", out_dir="report/", title="GENESIS readiness")
    files.verdict.ready        # True only if every scenario was judged and passed
    files.markdown, files.html, files.junit, files.charts

Modules, one idea each: ``load`` (results files -> frozen :class:`Run` records), ``figures``
(derived numbers: achieved, sustained and peak rates, offered load), ``verdict`` (READY or
NOT READY and why), ``generic`` (rows from ``analysis``/``resources`` of any shape),
``charts`` (matplotlib PNGs), ``document`` (a format-neutral document tree), ``sections``
(what the report says, with ``scenario_section`` and ``scalability`` for the two largest
sections and ``text`` for shared formatters), ``markdown``/``html``/``junit`` (the three
renderings), ``generate``
(writing them all), ``compare`` (regression rules and table), and ``report_cli``/``compare_cli``
(the ``genesis-load report`` and ``genesis-load compare`` subcommands).
"""

from __future__ import annotations

from .compare import Comparison, compare_runs
from .generate import DEFAULT_TITLE, ReportFiles, write_report
from .load import Run, load_results_dir, load_run, load_runs
from .verdict import Verdict, judge

__all__ = [
    "DEFAULT_TITLE",
    "Comparison",
    "ReportFiles",
    "Run",
    "Verdict",
    "compare_runs",
    "judge",
    "load_results_dir",
    "load_run",
    "load_runs",
    "write_report",
]
