"""``genesis-load demo``: the demo target plus a short baseline run through real Locust.

Starts the target on 127.0.0.1 (free port), runs ``locust --headless`` with the packaged
baseline locustfile (open model: ``--rate`` requests/s for ``--duration`` seconds, with the
seed's thresholds), prints genesis-load's summary, then cross-checks the request count against
what the target itself counted (its ``/metrics``), and stops the target. The exit code is
Locust's: 0 when the seed's thresholds passed, 99 when one failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from ..errors import ConfigError
from ..executors.presets import preset
from ..executors.scaling import RATE_FACTOR_ENV, TIME_FACTOR_ENV
from ..executors.scenario import Scenario
from ..results.io import read_results
from ..scenarios import locustfile_path

__all__ = ["add_arguments", "run", "server_request_count"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", type=float, default=20.0, help="seconds (default 20)")
    parser.add_argument(
        "--rate", type=float, default=100.0, help="requests per second offered (default 100)"
    )
    parser.add_argument("--summary-json", default=None, help="also keep the JSON results here")
    parser.add_argument("--ai-speed", type=float, default=20.0, help="demo target AI speed")


def server_request_count(metrics_text: str) -> int:
    """Requests the target counted, summed over routes and statuses (``/metrics`` excluded)."""
    total = 0.0
    for family in text_string_to_metric_families(metrics_text):
        if family.name != "genesis_http_requests":
            continue
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels.get("route") != "/metrics":
                total += sample.value
    return int(total)


def run(args: argparse.Namespace) -> int:
    problems = []
    if not 1 <= args.duration <= 600:
        problems.append(f"--duration {args.duration}: must be between 1 and 600 seconds")
    if not 1 <= args.rate <= 5000:
        problems.append(f"--rate {args.rate}: must be between 1 and 5000 requests/s")
    if problems:
        raise ConfigError(problems)
    from ..target import TargetProcess

    with tempfile.TemporaryDirectory(prefix="genesis-demo-") as tmp:
        results = Path(args.summary_json or os.path.join(tmp, "results.json"))
        with TargetProcess(["--ai-speed", str(args.ai_speed)]) as target:
            print(f"demo target: {target.base_url} (pid {target.pid})", flush=True)
            before = server_request_count(target.metrics_text())
            cmd = [
                sys.executable, "-m", "locust",
                "-f", str(locustfile_path("baseline")),
                "--headless", "--only-summary",
                "--host", target.base_url,
                "--summary-json", str(results),
                "--loglevel", "WARNING",
            ]  # fmt: skip
            seed = preset("baseline")
            assert isinstance(seed, Scenario)  # an arrival-rate preset: it has a rate
            env = {
                **os.environ,
                RATE_FACTOR_ENV: str(args.rate / seed.pacer.rate_at(0)),
                TIME_FACTOR_ENV: str(args.duration / seed.duration_s),
            }
            try:  # the schedule ends the run; this only bounds a hang
                code = subprocess.call(cmd, env=env, timeout=args.duration + 120)
            except subprocess.TimeoutExpired:
                print("genesis-load demo: Locust did not finish in time", file=sys.stderr)
                code = 1
            served = server_request_count(target.metrics_text()) - before
        if results.exists():
            recorded = sum(r.count for r in read_results(results).requests)
            verdict = "match" if recorded == served else "DIFFER"
            print(
                f"cross-check: genesis-load recorded {recorded} requests, "
                f"the target counted {served} ({verdict})"
            )
        return code
