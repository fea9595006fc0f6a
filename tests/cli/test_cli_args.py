"""The ``genesis-load`` command's argument handling and exit codes, called in this process.

Usage errors exit 2 (argparse), invalid configuration 104 with every problem on stderr, and
``report``/``compare`` exit 2 on unreadable or foreign results, naming each bad file, never with
a traceback. Nothing here starts a server or a load run.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

import genesis_load
from genesis_load.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("target", "demo", "suite", "run", "report", "compare", "locust")


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)`` as the shell sees it: the exit code (argparse's SystemExit included)."""
    try:
        code: int | str | None = main(argv)
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    assert isinstance(code, int), code
    return code, out, err


# --- usage: argparse's exit 2, --help and --version --------------------------------------

USAGE = [
    pytest.param([], 2, ["the following arguments are required: COMMAND"], id="no command -> 2"),
    pytest.param(["bogus"], 2, ["invalid choice: 'bogus'"], id="unknown command -> 2 naming it"),
    pytest.param(
        ["compare", "a.json", "b.json", "--bogus"],
        2,
        ["unrecognized arguments: --bogus"],
        id="unknown option -> 2 naming it",
    ),
    pytest.param(
        ["compare", "a.json"], 2, ["the following arguments are required: NEW"], id="no NEW -> 2"
    ),
    pytest.param(
        ["compare", "a.json", "b.json", "--tolerance", "abc"],
        2,
        ["--tolerance", "'abc' is not a number"],
        id="compare --tolerance abc -> 2",
    ),
    pytest.param(
        ["compare", "a.json", "b.json", "--tolerance", "1.5"],
        2,
        ["--tolerance", "expected a share from 0 to below 1"],
        id="compare --tolerance 1.5 -> 2",
    ),
    pytest.param(["report"], 2, ["required: RESULTS"], id="report without results -> 2"),
    pytest.param(
        ["run", "nope"], 2, ["invalid choice: 'nope'"], id="run of an unknown scenario -> 2"
    ),
    pytest.param(
        ["demo", "--rate", "fast"],
        2,
        ["--rate", "invalid float value: 'fast'"],
        id="demo --rate fast -> 2",
    ),
    pytest.param(
        ["target", "--port", "http"],
        2,
        ["--port", "invalid int value: 'http'"],
        id="target --port http -> 2",
    ),
]


@pytest.mark.parametrize(("argv", "code", "messages"), USAGE)
def test_a_usage_error_exits_2_with_a_message(
    argv: list[str], code: int, messages: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = run_cli(argv, capsys)
    assert got == code
    assert out == ""
    assert "usage: genesis-load" in err
    for message in messages:
        assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        pytest.param(["--help"], COMMANDS, id="--help lists every command"),
        pytest.param(["report", "--help"], ("RESULTS", "--out", "--title"), id="report --help"),
        pytest.param(
            ["compare", "--help"], ("OLD", "NEW", "--tolerance", "--json"), id="compare --help"
        ),
        pytest.param(["demo", "--help"], ("--duration", "--rate", "--ai-speed"), id="demo --help"),
        pytest.param(
            ["target", "--help"], ("--port", "--faults", "--ai-speed"), id="target --help"
        ),
        pytest.param(["suite", "--help"], ("--profile", "--scenarios", "--out"), id="suite --help"),
        pytest.param(["run", "--help"], ("SCENARIO", "--profile"), id="run --help"),
    ],
)
def test_help_exits_0_and_shows_the_options(
    argv: list[str], shown: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(argv, capsys)
    assert (code, err) == (0, "")
    for text in shown:
        assert text in out


def test_version_is_the_one_written_in_pyproject(capsys: pytest.CaptureFixture[str]) -> None:
    with open(ROOT / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert genesis_load.__version__ == version
    assert run_cli(["--version"], capsys)[:2] == (0, f"genesis-load {version}\n")


# --- invalid configuration: 104, every problem at once, before anything starts ----------

BAD_PROFILE = "bogus = 1\nscenarios = []\n"


@pytest.mark.parametrize(
    ("argv", "problems"),
    [
        pytest.param(
            ["demo", "--duration", "0"],
            ["--duration 0.0: must be between 1 and 600 seconds"],
            id="demo --duration 0 -> 104",
        ),
        pytest.param(
            ["demo", "--duration", "601", "--rate", "0"],
            [
                "--duration 601.0: must be between 1 and 600",
                "--rate 0.0: must be between 1 and 5000",
            ],
            id="demo with two bad values -> 104 naming both",
        ),
        pytest.param(
            ["suite", "--profile", "no-such-profile"],
            ["unknown profile 'no-such-profile'"],
            id="suite of an unknown profile -> 104",
        ),
        pytest.param(
            ["run", "baseline", "--profile", "{tmp}/missing.toml"],
            ["missing.toml"],
            id="run with a missing profile file -> 104",
        ),
        pytest.param(
            ["suite", "--profile", "{tmp}/bad.toml"],
            ["bad.toml: bogus: unknown key", "bad.toml: scenarios: must name at least one"],
            id="suite with a profile of two mistakes -> 104 naming both",
        ),
    ],
)
def test_invalid_configuration_exits_104_with_every_problem(
    argv: list[str], problems: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "bad.toml").write_text(BAD_PROFILE)
    out = tmp_path / "results"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run_cli([*argv, *(["--out", str(out)] if argv[0] != "demo" else [])], capsys)
    assert code == 104
    lines = err.splitlines()
    assert len(lines) == len(problems), err
    for line, problem in zip(lines, problems, strict=True):
        assert line.startswith("genesis-load: ")
        assert problem in line
    assert not out.exists()


# --- report and compare on bad input: exit 2, the file named, no traceback ---------------


def _write(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


BAD_FILES = [
    pytest.param(
        _write("k6.json", b'{"metrics": {}, "root_group": {}}'),
        "not a genesis-load results file",
        id="foreign JSON (k6's summary)",
    ),
    pytest.param(
        _write("list.json", b"[1, 2, 3]"), "not a genesis-load results file", id="a JSON list"
    ),
    pytest.param(_write("broken.json", b"{not json"), "not a readable results file", id="not JSON"),
    pytest.param(_write("empty.json", b""), "not a readable results file", id="an empty file"),
    pytest.param(
        _write("latin1.json", '{"title": "café"}'.encode("latin-1")),
        "not a readable results file",
        id="not UTF-8",
    ),
    pytest.param(
        _write("bom.json", b'\xef\xbb\xbf{"a": 1}'),
        "not a readable results file",
        id="UTF-8 with a BOM",
    ),
    pytest.param(
        _write("deep.json", b"[" * 100_000),
        "not a readable results file",
        id="nested too deep for the parser",
    ),
    pytest.param(
        _write(
            "future.json", json.dumps({"format": "genesis-load-results", "version": 999}).encode()
        ),
        "version 999",
        id="a newer results version",
    ),
]


@pytest.mark.parametrize(("make", "reason"), BAD_FILES)
def test_report_of_a_folder_with_a_bad_file_exits_2_naming_it(
    make: Callable[[Path], Path], reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = make(tmp_path)
    code, out, err = run_cli(["report", str(tmp_path), "--out", str(tmp_path / "out")], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"genesis-load report: '{bad}'")
    assert reason in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("make", "reason"), BAD_FILES)
def test_compare_of_a_bad_file_exits_2_naming_it(
    make: Callable[[Path], Path], reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = make(tmp_path)
    code, out, err = run_cli(
        ["compare", str(bad), str(bad), "--json", str(tmp_path / "c.json")], capsys
    )
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 2  # both sides, each named
    for line in lines:
        assert line.startswith(f"genesis-load compare: '{bad}'")
        assert reason in line
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize(
    ("command", "prepare", "message"),
    [
        pytest.param(
            "report", lambda p: p / "missing", "does not exist", id="report of a missing folder"
        ),
        pytest.param(
            "report", lambda p: p, "holds no results files", id="report of an empty folder"
        ),
        pytest.param(
            "report",
            _write("r.json", b"{}"),
            "is not a genesis-load results file",
            id="report of a file that is not results (one results file is fine)",
        ),
        pytest.param(
            "compare", lambda p: p / "missing", "does not exist", id="compare of a missing path"
        ),
        pytest.param(
            "compare", lambda p: p, "holds no results files", id="compare of an empty folder"
        ),
    ],
)
def test_a_path_that_is_not_a_results_folder_exits_2_naming_it(
    command: str,
    prepare: Callable[[Path], Path],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = prepare(tmp_path)
    argv = [command, str(path)] if command == "report" else [command, str(path), str(path)]
    code, out, err = run_cli(argv, capsys)
    assert (code, out) == (2, "")
    assert f"'{path}'" in err
    assert message in err
    assert "Traceback" not in err


def test_report_names_every_bad_file_of_a_folder_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for param in BAD_FILES:
        param.values[0](tmp_path)
    code, _, err = run_cli(["report", str(tmp_path)], capsys)
    assert code == 2
    assert len(err.splitlines()) == len(BAD_FILES)
    for path in tmp_path.glob("*.json"):
        assert f"'{path}'" in err
