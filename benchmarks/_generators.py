"""The generators the side-by-side benchmark runs: the files they load and the commands.

Owns only what each tool is asked to do (a closed loop of N users, or an open model at R
requests/s against one URL) and where its own report lands; running, pinning and counting
are in :mod:`benchmarks._harness`. Every run is bounded by its duration.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: How a generated locustfile imports the HTTP user class it runs on.
_CLIENT_IMPORT = {
    "FastHttpUser": "from locust import FastHttpUser",
    "LeanHttpUser": "from genesis_load import LeanHttpUser",
}

PLAIN = """
from locust import constant, task
{client_import}
{imp}

class Closed({client}):
    wait_time = constant(0)

    @task
    def hit(self):
        self.client.get("/", name="/")
"""


def _plain(client: str = "FastHttpUser", imp: str = "") -> str:
    """The closed-loop locustfile on ``client`` (``imp``: an extra import line)."""
    return PLAIN.format(client_import=_CLIENT_IMPORT[client], client=client, imp=imp)


VUS = """
import genesis_load  # noqa: F401
from locust import FastHttpUser
from genesis_load.executors import ScenarioShape, ScenarioUser, VUScenario


class Vus(ScenarioUser, FastHttpUser):
    scenario = VUScenario("closed", "constant-vus", vus={vus}, duration_s={duration_s},
                          graceful_stop_s=2.0)

    def iteration(self):
        self.client.get("/", name="/")


class Shape(ScenarioShape):
    user_classes = (Vus,)
"""

_ARRIVAL_ON = """
import genesis_load  # noqa: F401
{client_import}
from genesis_load.executors import ArrivalRateUser, ScenarioShape, scenario_from_config


class Arrivals(ArrivalRateUser, {client}):
    scenario = scenario_from_config("open", {{cfg!r}}, "benchmark")

    def iteration(self):
        self.client.get("/", name="/")


class Shape(ScenarioShape):
    user_classes = (Arrivals,)
"""


def _arrival(client: str) -> str:
    """The open-model locustfile template on ``client`` (``.format(cfg=...)`` fills it)."""
    return _ARRIVAL_ON.format(client_import=_CLIENT_IMPORT[client], client=client)


ARRIVAL = _arrival("FastHttpUser")


THROUGHPUT = """
from locust import FastHttpUser, constant_throughput, task


class Paced(FastHttpUser):
    wait_time = constant_throughput(10)

    @task
    def hit(self):
        self.client.get("/", name="/")
"""

K6_CLOSED = """
import http from "k6/http";
export const options = {{ discardResponseBodies: true, scenarios: {{ c: {{
  executor: "constant-vus", vus: {vus}, duration: "{duration_s}s", gracefulStop: "2s" }} }} }};
export default function () {{ http.get("{url}/"); }}
"""

K6_OPEN = """
import http from "k6/http";
export const options = {{ discardResponseBodies: true, scenarios: {{ o: {{
  executor: "constant-arrival-rate", rate: {rate}, timeUnit: "1s", duration: "{duration_s}s",
  preAllocatedVUs: {pre}, maxVUs: {max_vus}, gracefulStop: "2s" }} }} }};
export default function () {{ http.get("{url}/"); }}
"""


@dataclass(frozen=True)
class Report:
    """What a generator said about its own run (None where it does not say it)."""

    p50_ms: float | None = None
    p99_ms: float | None = None
    dropped: float | None = None
    schedule_lag_p50_ms: float | None = None
    corrected_p99_ms: float | None = None  # genesis-load's http_req_duration_corrected


@dataclass(frozen=True)
class Command:
    argv: list[str]
    env: dict[str, str]
    report_path: Path
    kind: str  # "k6", "locust" or "genesis"

    def report(self) -> Report:
        if not self.report_path.exists():
            return Report()
        if self.kind == "k6":
            return _k6_report(self.report_path)
        if self.kind == "locust":
            return _locust_report(self.report_path)
        return _genesis_report(self.report_path)


def _k6_report(path: Path) -> Report:
    metrics = json.loads(path.read_text())["metrics"]
    dur = metrics.get("http_req_duration", {})
    dropped = metrics.get("dropped_iterations", {}).get("count", 0.0)
    return Report(dur.get("med"), dur.get("p(99)"), float(dropped))


def _locust_report(path: Path) -> Report:
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                return Report(float(row["50%"]), float(row["99%"]))
    return Report()


def _genesis_report(path: Path) -> Report:
    metrics = json.loads(path.read_text())["metrics"]

    def stat(name: str, key: str) -> float | None:
        value = metrics.get(name, {}).get("values", {}).get(key)
        return None if value is None else float(value)

    return Report(
        stat("http_req_duration", "med"),
        stat("http_req_duration", "p(99)"),
        stat("dropped_iterations", "count") or 0.0,
        stat("schedule_lag", "med"),
        stat("http_req_duration_corrected", "p(99)"),
    )


def _locust(
    tmp: Path, tag: str, source: str, url: str, extra: list[str], duration_s: float, genesis: bool
) -> Command:
    locustfile = tmp / f"{tag}.py"
    locustfile.write_text(source)
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(locustfile),
        "--headless",
        "--host",
        url,
        "--only-summary",
        "--loglevel",
        "ERROR",
        "-t",
        f"{duration_s:g}s",
        "--stop-timeout",
        "2",
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if genesis:
        report = tmp / f"{tag}.json"
        argv += ["--no-genesis-summary", "--summary-json", str(report)]
        return Command(argv, env, report, "genesis")
    argv += ["--csv", str(tmp / tag)]
    return Command(argv, env, tmp / f"{tag}_stats.csv", "locust")


def _k6(tmp: Path, tag: str, k6: str, script: str) -> Command:
    path = tmp / f"{tag}.js"
    path.write_text(script)
    report = tmp / f"{tag}.k6.json"
    argv = [
        k6,
        "run",
        "--quiet",
        "--no-usage-report",
        "--summary-trend-stats",
        "med,p(99)",
        "--summary-export",
        str(report),
        str(path),
    ]
    return Command(argv, {**os.environ, "K6_NO_USAGE_REPORT": "true"}, report, "k6")


def closed(
    tool: str,
    tmp: Path,
    url: str,
    users: int,
    duration_s: float,
    k6: str,
    processes: int | None = None,
) -> Command:
    """A closed loop of ``users`` users without think time; ``processes``: Locust's
    ``--processes N`` (one process forking N workers; Locust and genesis-load only)."""
    tag = f"closed-{tool}" + (f"-p{processes}" if processes else "")
    users_args = ["-u", str(users), "-r", str(users)]
    if processes:
        if tool not in ("locust", "genesis"):
            raise ValueError(f"{tool} has no --processes")
        users_args += ["--processes", str(processes)]
    if tool == "k6":
        return _k6(tmp, tag, k6, K6_CLOSED.format(vus=users, duration_s=duration_s, url=url))
    if tool == "locust":
        src = _plain()
        return _locust(tmp, tag, src, url, users_args, duration_s, False)
    if tool == "genesis":
        src = _plain(imp="import genesis_load  # noqa: F401")
        return _locust(tmp, tag, src, url, users_args, duration_s, True)
    if tool == "genesis-lean":
        return _locust(tmp, tag, _plain("LeanHttpUser"), url, users_args, duration_s, True)
    if tool == "genesis-vus":
        src = VUS.format(vus=users, duration_s=duration_s)
        return _locust(tmp, tag, src, url, [], duration_s + 5, True)
    raise ValueError(tool)


def open_model(
    tool: str,
    tmp: Path,
    url: str,
    rate: int,
    duration_s: float,
    k6: str,
    vus: tuple[int, int] | None = None,
    tag: str = "open",
) -> Command:
    """``rate`` requests/s offered: k6 constant-arrival-rate, Locust constant_throughput(10)
    users (rate / 10 of them), genesis-load's ArrivalRateUser on FastHttpUser ("genesis") or
    on LeanHttpUser ("genesis-lean"). ``vus``: (preAllocatedVUs,
    maxVUs) for k6 and genesis-load, default (rate / 50, rate / 5), at least (20, 100)."""
    tag = f"{tag}-{tool}-{rate}"
    pre, max_vus = vus or (max(20, rate // 50), max(100, rate // 5))
    if tool == "k6":
        script = K6_OPEN.format(rate=rate, duration_s=duration_s, pre=pre, max_vus=max_vus, url=url)
        return _k6(tmp, tag, k6, script)
    if tool == "locust":
        users = max(1, rate // 10)
        extra = ["-u", str(users), "-r", str(min(users, 1000))]
        return _locust(tmp, tag, THROUGHPUT, url, extra, duration_s, False)
    if tool in ("genesis", "genesis-lean"):
        cfg = {
            "executor": "constant-arrival-rate",
            "rate": rate,
            "duration": f"{duration_s:g}s",
            "preAllocatedVUs": pre,
            "maxVUs": max_vus,
            "gracefulStop": "2s",
        }
        client = "FastHttpUser" if tool == "genesis" else "LeanHttpUser"
        src = _arrival(client).format(cfg=cfg)
        return _locust(tmp, tag, src, url, [], duration_s + 5, True)
    raise ValueError(tool)
