"""compare's regression rules from a profile's [compare] table; a flag given still wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from genesis_load.cli import main
from genesis_load.metrics.collector import Collector
from genesis_load.results import Meta, build_results, encode_json, write_atomic


def _results(path: Path, latency_ms: float) -> Path:
    c = Collector(start_s=100.0)
    for second in range(5):
        for i in range(200):
            c.record_request("GET", "/health", 200, latency_ms + i / 100, False, 20)
        c.roll(101.0 + second)
    write_atomic(path, encode_json(build_results(c, Meta(duration_s=5.0))))
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[str, str]:
    return str(_results(tmp_path / "old.json", 2.0)), str(_results(tmp_path / "new.json", 10.0))


def _profile(tmp_path: Path, table: str) -> str:
    path = tmp_path / "gate.toml"
    path.write_text(f'host = "demo"\n[compare]\n{table}\n')
    return str(path)


def test_the_profile_s_rules_apply_and_a_flag_still_wins(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    assert main(["compare", *pair]) == 1  # p95 x4: a regression by default
    lenient = _profile(tmp_path, "p95_tolerance = 10.0\nmin_count = 50")
    assert main(["compare", *pair, "--profile", lenient]) == 0
    assert main(["compare", *pair, "--profile", lenient, "--p95-tolerance", "0.5"]) == 1


def test_a_bad_compare_table_is_refused_naming_file_and_key(
    pair: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _profile(tmp_path, "p95_tolerence = 1\nalpha = 2")
    assert main(["compare", *pair, "--profile", bad]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: compare.p95_tolerence: unknown key" in err
    assert f"{bad}: compare: alpha: must be >= 0 and <= 0.5" in err
