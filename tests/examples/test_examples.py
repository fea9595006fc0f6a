"""The runnable examples in examples/ run as documented, and pass.

Each locustfile goes through ``genesis-load run FILE`` (a real Locust subprocess) against the
shared demo target; the pytest example runs in its own pytest process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genesis_load.cli import main
from genesis_load.target import TargetProcess

CLI = (sys.executable, "-m", "genesis_load.cli")
QUIET = ("-q", "-p", "no:cacheprovider")
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

#: example -> a metric its results must hold with data
LOCUSTFILES = {
    "rest_check.py": "checks",
    "custom_metric.py": "example_body_ms{endpoint:workouts}",
    "sse_stream.py": "sse_stream_completed",
    "ai_conversation.py": "ai_goodput",
}


def test_every_example_is_exercised() -> None:
    found = {p.name for p in EXAMPLES.glob("*.py")}
    assert found == {*LOCUSTFILES, "test_load_example.py"}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LOCUSTFILES))
def test_locustfile_example_runs_and_passes(
    name: str, target: TargetProcess, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [*CLI, "run", str(EXAMPLES / name), "--host", target.base_url, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads((out / f"{Path(name).stem}.json").read_text())
    assert results["meta"]["ended"] == "completed"
    metric = results["metrics"][LOCUSTFILES[name]]
    assert metric["values"].get("count", metric["values"].get("passes", 0)) > 0
    assert all(t["ok"] for t in results["thresholds"]) and results["thresholds"]


@pytest.mark.slow
def test_pytest_example_passes() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(EXAMPLES / "test_load_example.py"), *QUIET],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "2 passed" in proc.stdout


def test_run_refuses_a_name_that_is_neither_scenario_nor_locustfile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["run", "no_such_file.py"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'no_such_file.py'" in err and "locustfile" in err


def test_users_and_run_time_apply_to_files_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "baseline", "-u", "3"]) == 104
    assert "apply to a locustfile" in capsys.readouterr().err
