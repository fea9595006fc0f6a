"""Running real Locust processes from tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

LOCUSTFILES = Path(__file__).parent / "locustfiles"


def run_locust(
    locustfile: str | Path,
    host: str,
    *args: str,
    run_time: str = "5s",
    users: int = 5,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``locust --headless`` as a subprocess; returns its exit code and output."""
    path = Path(locustfile)
    if not path.is_absolute():
        path = LOCUSTFILES / path
    cmd = [
        sys.executable, "-m", "locust", "-f", str(path), "--headless",
        "-u", str(users), "-r", str(users), "-t", run_time, "--host", host,
        "--only-summary", "--loglevel", "WARNING", *args,
    ]  # fmt: skip
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, **(env or {})},
        check=False,
    )


def server_counts(metrics_text: str) -> dict[tuple[str, str, str], int]:
    """``genesis_http_requests_total`` from the target's /metrics, by (route, method, status)."""
    counts: dict[tuple[str, str, str], int] = {}
    for family in text_string_to_metric_families(metrics_text):
        if family.name != "genesis_http_requests":
            continue
        for s in family.samples:
            if s.name.endswith("_total"):
                key = (s.labels["route"], s.labels["method"], s.labels["status"])
                counts[key] = counts.get(key, 0) + int(s.value)
    return counts
