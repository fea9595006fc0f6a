"""``genesis-load suite`` and ``genesis-load run SCENARIO``: the GENESIS suite, one command."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..profiles import load_profile, packaged_profiles
from ..suite.registry import SUITE
from ..suite.runner import run_suite

__all__ = ["add_run_arguments", "add_suite_arguments", "run_all", "run_one"]


def _common(parser: argparse.ArgumentParser, default_profile: str) -> None:
    parser.add_argument(
        "--profile",
        default=default_profile,
        help=f"a packaged profile ({', '.join(packaged_profiles())}), ./profiles/NAME.toml, "
        f"or a path to a .toml file (default {default_profile})",
    )
    parser.add_argument(
        "--host", default=None, help="override the profile's host (a URL, or 'demo')"
    )
    parser.add_argument(
        "--out", default=None, help="results folder (default results/<profile>-<time>); must be new"
    )


def add_suite_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, "local")
    parser.add_argument(
        "--scenarios",
        default=None,
        help=f"comma-separated subset, in order (known: {', '.join(SUITE)})",
    )


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", choices=list(SUITE), metavar="SCENARIO", help=f"one of {', '.join(SUITE)}"
    )
    _common(parser, "local")


def _out(args: argparse.Namespace, profile_name: str) -> Path:
    if args.out:
        return Path(args.out)
    return Path("results") / f"{profile_name}-{time.strftime('%Y%m%d-%H%M%S')}"


def run_all(args: argparse.Namespace) -> int:
    profile = load_profile(args.profile, tuple(SUITE))
    scenarios = (
        [s.strip() for s in args.scenarios.split(",") if s.strip()]
        if args.scenarios
        else list(profile.scenarios)
    )
    return run_suite(profile, scenarios, _out(args, profile.name), args.host)


def run_one(args: argparse.Namespace) -> int:
    profile = load_profile(args.profile, tuple(SUITE))
    return run_suite(
        profile, [args.scenario], _out(args, f"{profile.name}-{args.scenario}"), args.host
    )
