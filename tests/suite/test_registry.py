"""A suite scenario is one registry entry: the locustfiles and the runner read it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genesis_load.executors import preset
from genesis_load.scenarios import locustfile_path
from genesis_load.suite import SUITE
from genesis_load.suite.runner import planned_seconds

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ROOT / "genesis_load" / "scenarios"

# What Locust itself finds in each locustfile (its own loader, in a fresh process).
_LOAD = """
import json, sys
from locust.util.load_locustfile import load_locustfile
from genesis_load.executors import preset
from genesis_load.suite import SUITE
parts = {c: p.preset for e in SUITE.values() for c, p in zip(e.class_names, e.parts)}
out = {}
for path in sys.argv[1:]:
    users, shapes = load_locustfile(path)
    (shape,) = shapes
    out[path] = {
        "users": sorted(users),
        "shape": type(shape).__name__,
        "shape_users": [c.__name__ for c in shape.user_classes],
        "thresholds": type(shape).thresholds,
        "schedule_is_the_preset": [
            u.scenario == preset(parts[u.__name__]) for u in users.values()
        ],
        "fixed_count": [u.fixed_count for u in users.values()],
    }
print(json.dumps(out))
"""


def test_every_entry_has_its_two_line_locustfiles_and_nothing_else_does() -> None:
    packaged = {p.stem for p in PACKAGED.glob("*.py")} - {"__init__", "build"}
    assert packaged == set(SUITE)
    assert {p.stem for p in (ROOT / "locustfiles").glob("*.py")} == set(SUITE)
    for name in SUITE:
        assert locustfile_path(name) == PACKAGED / f"{name}.py"


def test_locust_finds_the_entry_s_classes_in_both_locustfiles() -> None:
    paths = [str(PACKAGED / f"{n}.py") for n in SUITE]
    paths += [str(ROOT / "locustfiles" / f"{n}.py") for n in SUITE]
    proc = subprocess.run(
        [sys.executable, "-c", _LOAD, *paths],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads(proc.stdout)
    for name, entry in SUITE.items():
        for folder in (PACKAGED, ROOT / "locustfiles"):
            got = found[str(folder / f"{name}.py")]
            classes = list(entry.class_names)
            assert got["users"] == sorted(classes) and got["shape_users"] == classes
            assert got["shape"] == f"{entry.class_name}Shape"
            assert got["thresholds"] == dict(entry.thresholds)
            # unscaled until the run starts
            assert got["schedule_is_the_preset"] == [True] * len(classes)
            assert sorted(got["fixed_count"]) == sorted(
                preset(p.preset).max_vus for p in entry.parts
            )
    assert SUITE["benchmarks"].thresholds["cache_hit"] == ["rate>0.9"]
    assert "cache_hit" not in SUITE["baseline"].thresholds


def test_the_runner_plans_from_the_same_entry() -> None:
    from genesis_load.profiles import load_profile

    ci = load_profile("ci", tuple(SUITE))
    assert planned_seconds("baseline", ci) == 6  # 300 s x 0.02
    assert planned_seconds("spike", ci) == pytest.approx(preset("spike").duration_s * 0.02)
