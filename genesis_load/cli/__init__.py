"""The ``genesis-load`` command: ``target``, ``demo``, ``suite``, ``run``, ``report``,
``compare``, and ``locust`` (Locust itself with genesis-load preloaded).

The CLI process never imports Locust: load runs are real ``locust`` subprocesses, and the
demo target is an asyncio subprocess, so gevent's monkey-patching and asyncio never meet.

Exit codes: argparse's 2 for a usage error (unknown command or option, a bad value); 104
(``EXIT_CONFIG_ERROR``) for a ``ConfigError``, every problem printed as ``genesis-load: ...``,
including an optional dependency that a command needs and is not installed (its extra is
named, e.g. ``pip install 'genesis-load[target]'``); otherwise the command's own code.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from .._extras import require
from ..errors import EXIT_CONFIG_ERROR, ConfigError
from ..redact import redact_text
from . import demo

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genesis-load",
        description="Load testing on Locust with exact HDR percentiles and k6-style results.",
    )
    parser.add_argument("--version", action="version", version=f"genesis-load {__version__}")
    # extras: the optional dependencies a command needs (genesis_load._extras), checked first
    parser.set_defaults(extras=())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from ..target import server  # its options only: aiohttp is imported when it serves

    target = sub.add_parser("target", help="run the embedded GENESIS demo target")
    server.add_arguments(target)
    target.set_defaults(func=server.run, extras=("target",))

    demo_parser = sub.add_parser(
        "demo", help="start the demo target, run a short baseline load test, print results"
    )
    demo.add_arguments(demo_parser)
    demo_parser.set_defaults(func=demo.run, extras=("target",))

    from . import suite

    suite_parser = sub.add_parser(
        "suite", help="run the GENESIS suite for a profile and write the readiness report"
    )
    suite.add_suite_arguments(suite_parser)
    # the report needs charts; the demo target (host "demo") is checked when it is started
    suite_parser.set_defaults(func=suite.run_all, extras=("charts",))

    run_parser = sub.add_parser("run", help="run one suite scenario (with its report)")
    suite.add_run_arguments(run_parser)
    run_parser.set_defaults(func=suite.run_one, extras=("charts",))

    from ..report import compare_cli, report_cli  # matplotlib only when drawing; no Locust

    report_parser = sub.add_parser(
        "report", help="write the readiness report (Markdown, HTML, JUnit, charts) from results"
    )
    report_cli.add_arguments(report_parser)
    report_parser.set_defaults(func=report_cli.run, extras=("charts",))

    compare_parser = sub.add_parser(
        "compare", help="compare two results files or folders; exit 1 on a regression"
    )
    compare_cli.add_arguments(compare_parser)
    compare_parser.set_defaults(func=compare_cli.run, extras=())

    sub.add_parser(
        "locust",
        help="run Locust with genesis-load preloaded: genesis-load locust -f FILE [locust options]",
        add_help=False,
    )
    return parser


def exec_locust(args: Sequence[str]) -> None:
    """Replace this process with Locust, genesis-load installed before it parses options."""
    argv = [sys.executable, "-m", "genesis_load.plugin.locust_main", *args]
    sys.stdout.flush()
    os.execv(sys.executable, argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["locust"]:
        exec_locust(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        for extra in args.extras:
            require(extra, f"the {args.command!r} command")
        code: int = args.func(args)
    except ConfigError as e:
        for problem in e.problems:
            print(f"genesis-load: {redact_text(problem)}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())
