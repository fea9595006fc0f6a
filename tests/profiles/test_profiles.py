"""Profiles: packaged TOML files below the plugin, your own files first, every problem at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from genesis_load.errors import ConfigError
from genesis_load.profiles import find_profile, load_profile, packaged_profiles, parse_profile
from genesis_load.suite.registry import SUITE


def test_the_packaged_profiles_are_there_and_valid() -> None:
    assert packaged_profiles() == ["ci", "local", "production", "staging"]
    for name in packaged_profiles():
        profile = load_profile(name, tuple(SUITE))
        assert profile.name == name
        assert Path(profile.path).parent == Path(__file__).parents[2] / "genesis_load/profiles"
        assert profile.scenarios == tuple(SUITE)


def test_your_own_profiles_folder_comes_first_then_the_packaged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "ci.toml").write_text('scenarios = ["baseline"]\nrate_factor = 2\n')
    (tmp_path / "profiles" / "mine.toml").write_text("time_factor = 0.5\n")
    assert find_profile("ci") == Path("profiles/ci.toml")
    assert load_profile("ci").rate_factor == 2
    assert load_profile("local").time_factor == 0.13  # packaged
    with pytest.raises(ConfigError, match=r"known: ci, local, mine, production, staging"):
        load_profile("nope")


def test_a_path_to_your_own_file(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text('host = "http://127.0.0.1:8080"\nscenarios = ["spike"]\n')
    profile = load_profile(str(path), tuple(SUITE))
    assert (profile.name, profile.path, profile.scenarios) == ("team", str(path), ("spike",))
    with pytest.raises(ConfigError, match="does not exist"):
        load_profile(str(tmp_path / "gone.toml"))


def test_plain_locust_reads_a_profile_without_the_suite_s_names() -> None:
    # the plugin passes no scenario names: `scenarios` is the suite runner's business
    assert parse_profile({"rate_factor": 0.5}, "p.toml").scenarios == ()
    assert parse_profile({"scenarios": ["mine"]}, "p.toml").scenarios == ("mine",)
    with pytest.raises(ConfigError, match="unknown scenario 'mine'"):
        parse_profile({"scenarios": ["mine"]}, "p.toml", tuple(SUITE))


def test_every_problem_is_reported_with_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'host = "ftp://x"\nscenarios = ["baseline", "ai"]\nrate_factor = -1\nspeed = 3\n'
        '[target]\nargs = "--x"\n[thresholds]\n"http_req_duration" = ["p95<1"]\n'
        '[monitor]\ninterval_s = "fast"\nenabled = 1\n[analysis]\nbreaking_error_rate = 2\n'
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(bad), tuple(SUITE))
    text = "\n".join(err.value.problems)
    for fragment in (
        f"{bad}: host: expected",
        f"{bad}: scenarios: unknown scenario 'ai'",
        f"{bad}: rate_factor: must be > 0",
        f"{bad}: speed: unknown key",
        f"{bad}: target.args: expected a list of strings",
        f"{bad}: thresholds['http_req_duration'][0]",
        f"{bad}: monitor: interval_s: expected a number",
        f"{bad}: monitor.enabled: expected true or false",
        f"{bad}: analysis: breaking_error_rate: must be >= 0 and <= 1",
    ):
        assert fragment in text, (fragment, text)


def test_a_file_that_is_not_toml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("rate_factor = = 1\n")
    with pytest.raises(ConfigError, match=rf"{bad}: not valid TOML"):
        load_profile(str(bad))


def test_profiles_sit_below_the_plugin_and_the_suite() -> None:
    code = (
        "import sys, genesis_load.profiles\n"
        "bad = [m for m in ('locust', 'gevent', 'genesis_load.plugin', 'genesis_load.suite')"
        " if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_a_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('description = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=rf"{bad}: not UTF-8 text"):
        load_profile(str(bad))


def test_every_threshold_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    bad = tmp_path / "thresholds.toml"
    bad.write_text(
        '[thresholds]\n"http_req_duration" = ["p95<1"]\n"no_such_metric" = ["rate<0.1"]\n'
    )
    with pytest.raises(ConfigError) as err:
        load_profile(str(bad), tuple(SUITE))
    text = "\n".join(err.value.problems)
    assert "p95<1" in text and "no_such_metric" in text, text
