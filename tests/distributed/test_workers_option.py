"""``genesis-load run/suite --workers N`` and the profiles' ``workers`` key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genesis_load.errors import ConfigError
from genesis_load.profiles import parse_profile


def test_a_profile_sets_workers() -> None:
    assert parse_profile({"workers": 3}, "p.toml").workers == 3
    assert parse_profile({}, "p.toml").workers == 0


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True, 1000], ids=repr)
def test_a_bad_workers_value_is_reported_with_file_and_key(bad: object) -> None:
    with pytest.raises(ConfigError) as e:
        parse_profile({"workers": bad, "rate_factor": 0}, "p.toml")
    problems = "\n".join(e.value.problems)
    assert "p.toml: workers: expected an integer from 0 to 256" in problems
    assert "rate_factor" in problems  # every problem at once


def _baseline(out: Path, *workers: str) -> dict[str, object]:
    cmd = [sys.executable, "-m", "genesis_load.cli", "run", "baseline", "--profile", "ci"]
    proc = subprocess.run(
        [*cmd, "--out", str(out), *workers], capture_output=True, text=True, timeout=240
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "verdict: READY" in proc.stdout
    doc: dict[str, object] = json.loads((out / "baseline.json").read_text())
    return doc


@pytest.mark.slow
def test_run_with_two_workers_reads_like_one_process(tmp_path: Path) -> None:
    one = _baseline(tmp_path / "one")
    two = _baseline(tmp_path / "two", "--workers", "2")
    meta = two["meta"]
    assert isinstance(meta, dict) and (meta["runner"], meta["workers"]) == ("master", 2)
    for doc in (one, two):
        m = doc["metrics"]
        assert isinstance(m, dict)
        assert m["http_reqs"]["values"]["count"] == m["offered_iterations"]["values"]["count"]
        assert m["http_reqs"]["values"]["count"] == 180  # ci baseline: 30/s for 6 s
        series = doc["series"]
        assert isinstance(series, dict)
        for p in series["points"]:
            got = p["metrics"].get("http_reqs", {}).get("count", 0)
            want = p["metrics"].get("offered_iterations", {}).get("count", 0)
            if want >= 20:
                assert abs(got - want) <= 0.05 * want, series["points"]
