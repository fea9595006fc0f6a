"""`genesis-load suite` end to end: real Locust runs of every scenario, the report, the verdict."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from genesis_load.errors import EXIT_CONFIG_ERROR, EXIT_THRESHOLDS_FAILED
from genesis_load.profiles import PACKAGED
from genesis_load.suite.registry import SUITE

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, timeout_s: float = 400) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "genesis_load.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def test_suite_with_the_ci_profile_runs_everything_and_is_ready(tmp_path: Path) -> None:
    out = tmp_path / "ci"
    proc = _cli("suite", "--profile", "ci", "--out", str(out))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "verdict: READY" in proc.stdout
    for name in SUITE:
        doc = json.loads((out / f"{name}.json").read_text())
        assert doc["verdict"]["thresholds_ok"], (name, doc["thresholds"])
        assert doc["meta"]["interrupted"] is False
        assert doc["metrics"]["offered_iterations"]["values"]["count"] > 0
        target = doc["resources"]["target"]  # sampled from the demo target's PID
        assert target["summary"]["rss_mb"]["peak"] > 5
        assert target["summary"]["connections"]["peak"] >= 1
        assert doc["resources"]["loadgen"]["summary"]["cpu_percent"]["avg"] > 0
    md = (out / "report.md").read_text()
    assert "Target resources during baseline" in md and "target.rss_mb" in md
    html = (out / "report.html").read_text()
    assert "READY" in md and "NOT READY" not in md
    for name in SUITE:  # every scenario's measured request (or stream) count is in the report
        metrics = json.loads((out / f"{name}.json").read_text())["metrics"]
        if name == "streaming":  # no HTTP requests: its streams are counted instead
            values = metrics["sse_stream_completed"]["values"]
            count = values["passes"] + values["fails"]
        elif name == "ai_agents":  # no HTTP requests: its conversation turns are counted
            count = metrics["ai_turns"]["values"]["count"]
        else:
            count = metrics["http_reqs"]["values"]["count"]
        shown = f"{int(count):,}"
        assert shown in md or str(int(count)) in md, (name, shown)
        assert name in html
    streaming = md[md.index("## Streaming") : md.index("## Error handling")]
    assert "| streaming |" in streaming and "Stream failures (streaming):** none." in streaming
    assert "streaming-streaming.png" in md
    ai = md[md.index("## AI agents") : md.index("## Error handling")]
    assert "| all agents |" in ai and "Failed turns by kind (ai_agents):** none." in ai
    assert "Goodput (ai_agents):** 100.00%" in ai and "ai_agents-ai.png" in ai
    ai_doc = json.loads((out / "ai_agents.json").read_text())
    assert ai_doc["metrics"]["ai_conversations_active"]["values"]["max"] >= 5  # 15 x 0.3 held
    assert "data:image/png;base64," in html
    assert 'src="http' not in html and "url(http" not in html  # self-contained
    suites = ET.parse(out / "junit.xml").getroot()
    cases = suites.findall(".//testcase")
    n_thresholds = sum(
        len(json.loads((out / f"{n}.json").read_text())["thresholds"]) for n in SUITE
    )
    assert len(cases) >= n_thresholds
    assert not suites.findall(".//failure")


def test_a_fault_makes_the_suite_not_ready_with_exit_99(tmp_path: Path) -> None:
    profile = tmp_path / "faulty.toml"
    ci = (PACKAGED / "ci.toml").read_text()
    profile.write_text(
        ci.replace(
            'args = ["--max-inflight", "256", "--ai-speed", "20"]',
            'args = ["--max-inflight", "256", "--ai-speed", "20", "--error-rate", "0.05"]',
        )
    )
    out = tmp_path / "faulty"
    proc = _cli("suite", "--profile", str(profile), "--scenarios", "baseline", "--out", str(out))
    assert proc.returncode == EXIT_THRESHOLDS_FAILED, proc.stdout[-3000:]
    assert "NOT READY" in proc.stdout
    doc = json.loads((out / "baseline.json").read_text())
    failed = [t for t in doc["thresholds"] if not t["ok"]]
    assert [t["metric"] for t in failed] == ["http_req_failed"]
    assert "http_req_failed" in (out / "report.md").read_text()
    assert ET.parse(out / "junit.xml").getroot().findall(".//failure")


def test_an_unreachable_host_fails_fast_before_any_run(tmp_path: Path) -> None:
    started = time.monotonic()
    proc = _cli(
        "run",
        "baseline",
        "--profile",
        "ci",
        "--host",
        "http://127.0.0.1:9",
        "--out",
        str(tmp_path / "x"),
        timeout_s=60,
    )
    assert proc.returncode == EXIT_CONFIG_ERROR
    assert "not reachable" in proc.stderr and "no load was sent" in proc.stderr
    assert time.monotonic() - started < 20
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["suite", "--profile", "nope"], ["unknown profile 'nope'", "ci", "local"]),
        (["suite", "--profile", "ci", "--scenarios", "baseline,warp"], ["unknown scenario 'warp'"]),
        (["run", "warp"], ["invalid choice: 'warp'"]),
    ],
    ids=["unknown profile", "unknown scenario in --scenarios", "unknown scenario to run"],
)
def test_bad_names_are_refused(args: list[str], fragments: list[str], tmp_path: Path) -> None:
    proc = _cli(*args, "--out", str(tmp_path / "o"), timeout_s=60)
    assert proc.returncode in (2, EXIT_CONFIG_ERROR)
    for f in fragments:
        assert f in proc.stderr, (f, proc.stderr)


def test_a_profile_with_bad_keys_reports_every_problem_with_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'host = "ftp://x"\nscenarios = ["baseline", "ai"]\nrate_factor = -1\nspeed = 3\n'
        '[thresholds]\n"http_req_duration" = ["p95<1"]\n[monitor]\ninterval_s = "fast"\n'
    )
    proc = _cli("suite", "--profile", str(bad), "--out", str(tmp_path / "o"), timeout_s=60)
    assert proc.returncode == EXIT_CONFIG_ERROR
    for fragment in (
        f"{bad}: host",
        f"{bad}: scenarios: unknown scenario 'ai'",
        f"{bad}: rate_factor: must be > 0",
        f"{bad}: speed: unknown key",
        "expected '(' after 'p'",
        f"{bad}: monitor: interval_s: expected a number",
    ):
        assert fragment in proc.stderr, fragment


def test_plain_locust_takes_the_profile_too(tmp_path: Path) -> None:
    from genesis_load.target import TargetProcess

    with TargetProcess(["--ai-speed", "1000"]) as target:
        out = tmp_path / "r.json"
        proc = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "locustfiles" / "baseline.py"),
             "--headless", "--host", target.base_url, "--profile", "ci",
             "--summary-json", str(out), "--only-summary"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(out.read_text())
    # ci scales the 300 s baseline at 100/s by 0.02 in time and 0.3 in rate: 6 s at 30/s
    assert doc["metrics"]["offered_iterations"]["values"]["count"] == 180
