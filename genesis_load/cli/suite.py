"""``genesis-load suite`` and ``genesis-load run SCENARIO|FILE``: the GENESIS suite, one command.

``genesis-load run FILE`` runs a locustfile headless, the way ``k6 run script.js`` runs a
script: ``--host`` (``demo`` starts the demo target), ``-u``/``-t`` for a file without a
schedule of its own, the results in ``--out`` (``<stem>.json``), Locust's exit code.
``--workers N`` (both commands; or a profile's ``workers``) runs Locust's master with N local
worker processes (``docs/distributed.md``).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from ..profiles import load_profile, packaged_profiles
from ..suite.registry import SUITE
from ..suite.runner import run_suite
from ..suite.workers import free_port, master_args, start_workers, stop_workers

__all__ = ["add_run_arguments", "add_suite_arguments", "run_all", "run_one"]


class _Profile(argparse.Action):
    """``--profile``, remembering that it was given (a locustfile gets it only then)."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        namespace.profile = values
        namespace.profile_given = True


def _common(parser: argparse.ArgumentParser, default_profile: str) -> None:
    parser.set_defaults(profile_given=False)
    parser.add_argument(
        "--profile",
        action=_Profile,
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
    parser.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="run Locust's master and N local worker processes (default: the profile's "
        "workers, 0 = one process); see docs/distributed.md",
    )


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= 256:
        raise argparse.ArgumentTypeError(f"expected an integer from 0 to 256, got {text!r}")
    return n


def add_suite_arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, "local")
    parser.add_argument(
        "--scenarios",
        default=None,
        help=f"comma-separated subset, in order (known: {', '.join(SUITE)})",
    )


def _scenario_or_file(text: str) -> str:
    if text in SUITE or (text.endswith(".py") and Path(text).is_file()):
        return text
    raise argparse.ArgumentTypeError(
        f"invalid choice: {text!r} (a suite scenario: {', '.join(SUITE)}; "
        "or the path of a locustfile, as in k6 run script.js)"
    )


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        type=_scenario_or_file,
        metavar="SCENARIO|FILE",
        help=f"one of {', '.join(SUITE)}, or a locustfile path (SCENARIO is also accepted)",
    )
    _common(parser, "local")
    parser.add_argument("-u", "--users", type=int, default=None, help="FILE only: Locust's -u")
    parser.add_argument(
        "-t", "--run-time", default=None, help="FILE only: Locust's -t (e.g. 30s, 5m)"
    )


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
    return run_suite(profile, scenarios, _out(args, profile.name), args.host, workers=args.workers)


def run_file(args: argparse.Namespace) -> int:
    """``genesis-load run FILE``: the locustfile headless with genesis-load, Locust's code."""
    from ..errors import ConfigError

    path = Path(args.scenario)
    out = _out(args, path.stem)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"results folder {str(out)!r} exists and is not empty: give a new --out")
    out.mkdir(parents=True)
    results = out / f"{path.stem}.json"
    cmd = [sys.executable, "-m", "genesis_load.plugin.locust_main", "-f", str(path), "--headless"]
    cmd += ["--summary-json", str(results)]
    if args.users is not None:
        cmd += ["-u", str(args.users)]
    if args.run_time is not None:
        cmd += ["-t", args.run_time]
    if args.profile_given:
        cmd += ["--profile", args.profile]
    workers = args.workers or 0
    port = free_port() if workers else 0
    worker_cmd = [
        sys.executable, "-m", "genesis_load.plugin.locust_main", "-f", str(path),
        *(["--profile", args.profile] if args.profile_given else []),
    ]  # fmt: skip
    if workers:
        cmd += master_args(workers, port)
    target = None
    host = args.host
    try:
        if host == "demo":
            from ..target import TargetProcess

            target = TargetProcess().start()
            host = target.base_url
            print(f"demo target {host} (pid {target.pid})", flush=True)
        if host:
            cmd += ["--host", host]
        if workers:
            master = subprocess.Popen(cmd, start_new_session=True)
            procs = start_workers(worker_cmd, workers, port, os.environ)
            try:
                code = _wait_forwarding(master)
            finally:
                stop_workers(procs)
        else:
            code = subprocess.call(cmd)
    finally:
        if target is not None:
            target.close()
    print(f"results: {results}", flush=True)
    return code


def run_one(args: argparse.Namespace) -> int:
    if args.scenario not in SUITE:
        return run_file(args)
    if args.users is not None or args.run_time is not None:
        from ..errors import ConfigError

        raise ConfigError("-u/--users and -t/--run-time apply to a locustfile, not a scenario")
    profile = load_profile(args.profile, tuple(SUITE))
    return run_suite(
        profile,
        [args.scenario],
        _out(args, f"{profile.name}-{args.scenario}"),
        args.host,
        workers=args.workers,
    )


def _wait_forwarding(master: subprocess.Popen[bytes]) -> int:
    """Wait for the master (its own session), forwarding SIGINT/SIGTERM to it once."""
    received: list[int] = []

    def forward(signum: int, frame: Any) -> None:
        if not received:
            received.append(signum)
            master.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return master.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if master.poll() is None:
            master.kill()
            master.wait()
