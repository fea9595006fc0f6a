"""SIGTERM and Ctrl-C to ``genesis-load suite``: children stopped, partial report INCOMPLETE.

Before: SIGTERM orphaned the Locust child (still loading the target) and the demo target
(running forever), and wrote no report; Ctrl-C printed a traceback and wrote no report.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from genesis_load.errors import EXIT_INTERRUPTED

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_the_suite_its_children_and_writes_an_incomplete_report(
    tmp_path: Path, sig: signal.Signals
) -> None:
    out = tmp_path / "r"
    profile = tmp_path / "long.toml"
    profile.write_text(
        'description = "long"\nhost = "demo"\nscenarios = ["baseline", "spike"]\n'
        "rate_factor = 0.2\ntime_factor = 0.2\n"  # baseline 60 s: it is interrupted at ~6 s
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "genesis_load.cli", "suite", "--profile", str(profile),
         "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    children: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while not (out / ".baseline.live.json").exists():  # the baseline is under way
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
            time.sleep(0.2)
        time.sleep(2)
        children = _descendants(proc.pid)
        assert len(children) >= 2, children  # the demo target and the Locust child
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED, stdout[-3000:] + stderr[-3000:]
    assert "Traceback" not in stderr and "Traceback" not in stdout
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"orphans left running: {alive}"
    doc = json.loads((out / "baseline.json").read_text())
    assert doc["meta"]["interrupted"] is True and doc["meta"]["ended"] == "interrupted"
    assert not (out / "spike.json").exists(), "no scenario starts after the signal"
    md = (out / "report.md").read_text()
    assert "INCOMPLETE" in md and "spike: not run" in md
    assert "baseline: interrupted by SIG" in md
    assert "verdict: INCOMPLETE" in stdout
