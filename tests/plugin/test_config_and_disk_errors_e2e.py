"""Bad k6 options in a locustfile exit 104 with the problems; a full disk exits 103, no debris.

Before: invalid ``scenario_from_config`` options were an uncaught traceback with exit 1, and a
results file that could not be written (full disk) exited 0 and left the writer's temp file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from genesis_load.errors import EXIT_CONFIG_ERROR, EXIT_RESULTS_NOT_WRITTEN
from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

pytestmark = pytest.mark.slow


def test_invalid_k6_options_in_a_locustfile_are_104_listing_every_problem(
    target: TargetProcess,
) -> None:
    before = sum(server_counts(target.metrics_text()).values())
    bad = {"executor": "constant-arrival-rate", "rate": -5}
    proc = run_locust("arrival.py", target.base_url, env={"ARRIVAL_JSON": json.dumps(bad)})
    assert proc.returncode == EXIT_CONFIG_ERROR, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    for fragment in ("arrivals.rate: must be > 0", "arrivals.duration: missing"):
        assert fragment in proc.stderr
    assert sum(server_counts(target.metrics_text()).values()) == before, "no load was sent"


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 KiB tmpfs: room to create a results file, not to write it."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_results_that_cannot_be_written_exit_103_and_leave_no_temp_file(
    start_target: Callable[..., TargetProcess], tiny_disk: Path
) -> None:
    target = start_target()
    (tiny_disk / "filler").write_bytes(b"x" * 28 * 1024)  # the results (~100 kB) won't fit
    out = tiny_disk / "r.json"
    proc = run_locust("closed.py", target.base_url, "--summary-json", str(out), run_time="2s")
    assert proc.returncode == EXIT_RESULTS_NOT_WRITTEN, proc.stderr[-2000:]
    assert "cannot write results" in proc.stderr
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"], "no partial or temp file"
    assert "genesis-load summary" in proc.stdout  # the other outputs still ran
