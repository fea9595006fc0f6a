"""An installed wheel runs the suite from an empty directory: profiles and locustfiles ship.

The wheel is built from a copy of the repository (no build/ left in the tree), installed with
``--no-deps`` into a fresh venv that sees this environment's packages (no network), and run
from an empty directory, so neither the repository nor its editable install can stand in for
it. ``genesis-load run baseline --profile ci`` takes the same path as ``genesis-load suite
--profile ci`` (profile lookup, packaged locustfile, demo target, Locust, report) with one
scenario: about 30 s instead of about 2 min. The wheel's file list covers the other
scenarios' locustfiles and the other profiles.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from genesis_load.profiles import packaged_profiles
from genesis_load.suite import SUITE

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".mirror", ".*_cache", "__pycache__", "*.egg-info", "build", "dist", "results",
    ".benchmarks", ".venv", "*.hlog",
)  # fmt: skip


def _run(*cmd: str | Path, cwd: Path, timeout_s: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", COLUMNS="1000")  # rich: no wrapped paths
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=timeout_s, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, (cmd, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


def test_an_installed_wheel_runs_a_suite_scenario_from_an_empty_directory(tmp_path: Path) -> None:
    src, wheels, venv, empty = (tmp_path / d for d in ("src", "wheels", "venv", "empty"))
    shutil.copytree(ROOT, src, ignore=_NOT_SOURCE)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", wheels, src, cwd=tmp_path)  # fmt: skip
    (wheel,) = wheels.glob("genesis_load-*.whl")
    files = set(zipfile.ZipFile(wheel).namelist())
    assert {f"genesis_load/profiles/{p}.toml" for p in packaged_profiles()} <= files
    assert {f"genesis_load/scenarios/{s}.py" for s in SUITE} <= files

    _run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=tmp_path)
    python, cli = venv / "bin" / "python", venv / "bin" / "genesis-load"
    _run(python, "-m", "pip", "install", "--no-deps", "--ignore-installed", "-q", wheel,
         cwd=tmp_path)  # fmt: skip
    empty.mkdir()
    where = _run(python, "-c", "import genesis_load; print(genesis_load.__file__)", cwd=empty)
    installed = Path(where.stdout.strip()).parent
    assert installed.is_relative_to(venv), installed  # the wheel, not the editable repo

    out = empty / "results"
    proc = _run(cli, "run", "baseline", "--profile", "ci", "--out", out, cwd=empty)
    assert f"profile ci ({installed / 'profiles' / 'ci.toml'})" in proc.stdout, proc.stdout
    assert "verdict: READY" in proc.stdout, proc.stdout[-3000:]
    doc = json.loads((out / "baseline.json").read_text())
    # ci scales the 300 s baseline at 100/s by 0.02 in time and 0.3 in rate: 6 s at 30/s
    assert doc["metrics"]["offered_iterations"]["values"]["count"] == 180
    assert (out / "report.html").is_file()
