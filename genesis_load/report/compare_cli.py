"""``genesis-load compare OLD NEW [--tolerance 0.10] [--p95-tolerance 0.5] [--min-delta-ms 1]
[--min-count 100] [--alpha 0.001] [--json PATH]``: find regressions, judged against noise
(the rules are :mod:`.compare`'s).

OLD and NEW are results files or results directories. Exit codes: 0 no regression, 1 at least
one regression, 2 bad input (unreadable files, or no scenario present on both sides).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from ..errors import ConfigError, ResultsError
from ..results.io import encode_json, write_atomic
from .compare import Rules, compare_runs, comparison_json, render_comparison
from .load import load_runs

__all__ = ["EXIT_BAD_INPUT", "EXIT_REGRESSION", "add_arguments", "run"]

EXIT_REGRESSION = 1
EXIT_BAD_INPUT = 2


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text}: expected a share from 0 to below 1, e.g. 0.10")
    return value


def _non_negative(kind: type[float] | type[int], what: str) -> Any:
    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text}: must be 0 or more")
        return value

    return parse


def _alpha(text: str) -> float:
    value = _non_negative(float, "a number")(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"{text}: expected a level below 1, e.g. 0.001 (0: off)")
    return float(value)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="baseline results file or directory")
    parser.add_argument("new", metavar="NEW", help="candidate results file or directory")
    defaults = Rules()
    parser.add_argument(
        "--profile",
        default=None,
        help="take the regression rules from a profile's [compare] table (a packaged profile, "
        "./profiles/NAME.toml or a path); a flag given here still wins",
    )
    parser.add_argument(
        "--tolerance",
        type=_tolerance,
        default=None,
        help=f"allowed relative worsening (default {defaults.tolerance} = 10%%)",
    )
    parser.add_argument(
        "--p95-tolerance",
        type=_non_negative(float, "a number"),
        default=None,
        help="allowed relative rise of p95 (default 0.5 = 50%%: run-to-run noise on "
        "shared machines)",
    )
    parser.add_argument(
        "--min-delta-ms",
        type=_non_negative(float, "a number"),
        default=None,
        help=f"a p95 rise must also exceed this many ms (default {defaults.min_delta_ms:g})",
    )
    parser.add_argument(
        "--min-count",
        type=_non_negative(int, "a whole number"),
        default=None,
        help="rows with fewer requests on either side are not judged "
        f"(default {defaults.min_count})",
    )
    parser.add_argument(
        "--alpha",
        type=_alpha,
        default=None,
        help="significance level of the tests on the histograms and error counts "
        f"(default {defaults.alpha:g}; 0 turns them off)",
    )
    parser.add_argument(
        "--json", metavar="PATH", default=None, help="also write the comparison as JSON here"
    )


def _fail(message: str) -> int:
    for line in message.splitlines():
        print(f"genesis-load compare: {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


_RULE_FIELDS = ("tolerance", "p95_tolerance", "min_delta_ms", "min_count", "alpha")


def _rules(args: argparse.Namespace) -> Rules:
    """The defaults, then the profile's ``[compare]`` table, then the flags given."""
    values: dict[str, Any] = {}
    if args.profile:
        from ..profiles import load_profile

        values.update(load_profile(args.profile).compare)
    values.update({k: getattr(args, k) for k in _RULE_FIELDS if getattr(args, k) is not None})
    if "min_count" in values:
        values["min_count"] = int(values["min_count"])
    return dataclasses.replace(Rules(), **values)


def run(args: argparse.Namespace) -> int:
    problems, sides = [], []
    for path in (args.old, args.new):
        try:
            sides.append(load_runs(path))
        except ResultsError as e:
            problems.append(str(e))
    if problems:
        return _fail("\n".join(problems))
    old, new = sides
    by_name = not (Path(args.old).is_file() and Path(args.new).is_file())
    try:
        rules = _rules(args)
    except ConfigError as e:
        return _fail("\n".join(e.problems))
    comparison = compare_runs(old, new, by_name=by_name, rules=rules)
    console = Console(file=sys.stdout, width=160, soft_wrap=False, highlight=False)
    render_comparison(comparison, console, args.old, args.new)
    if args.json:
        try:
            write_atomic(args.json, encode_json(comparison_json(comparison, args.old, args.new)))
        except ResultsError as e:
            return _fail(str(e))
    if not comparison.rows:
        return _fail("no scenario is present on both sides: nothing was compared")
    return EXIT_REGRESSION if comparison.regressed else 0
