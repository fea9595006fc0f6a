"""``genesis-load report RESULTS [--out DIR] [--title TEXT]``: write the readiness report.

Exit codes: 0 READY, 99 NOT READY (k6's threshold code), 2 bad input (not a directory, no
results files, a foreign or other-version file: every bad file is named).
"""

from __future__ import annotations

import argparse
import sys

from ..errors import ResultsError
from .generate import DEFAULT_TITLE, write_report

__all__ = ["EXIT_BAD_INPUT", "add_arguments", "run"]

#: Unreadable input (argparse's own usage-error code).
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "results_dir",
        metavar="RESULTS",
        help="a folder of results files (--summary-json), one per scenario, or one results file",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="where to write report.md, report.html, junit.xml and the charts "
        "(default: the results folder)",
    )
    parser.add_argument(
        "--title",
        metavar="TEXT",
        default=DEFAULT_TITLE,
        help=f"report title (default {DEFAULT_TITLE!r})",
    )


def run(args: argparse.Namespace) -> int:
    try:
        files = write_report(args.results_dir, args.out, args.title)
    except ResultsError as e:
        for line in str(e).splitlines():
            print(f"genesis-load report: {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    verdict = files.verdict
    print(f"verdict: {verdict.label}")
    for f in verdict.failures:
        print(f"  ✗ {f.scenario}: {f.metric} {f.expression} (observed {f.observed})")
    for scenario in verdict.not_judged:
        print(f"  – {scenario}: no thresholds declared (not judged)")
    for caveat in verdict.caveats:
        print(f"  ! {caveat}")
    print(f"wrote {files.markdown}, {files.html}, {files.junit} and {len(files.charts)} charts")
    return verdict.exit_code
