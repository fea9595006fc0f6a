"""The ``genesis-load`` command as a real process: its entry point, exit codes and stderr, with
and without the optional extras (``target``: aiohttp, ``charts``: matplotlib).

Each test starts one or more Python processes (~0.5 s each on two cores); all but the two
entry-point checks are marked ``slow``, as together they take ~10 s. "Without an extra" is
simulated by a ``sitecustomize`` that makes the extra's module unimportable
(``sys.modules[name] = None``) in every Python process started with it on ``PYTHONPATH``,
including the Locust process that ``genesis-load locust`` executes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess
from tests.helpers import LOCUSTFILES

ROOT = Path(__file__).resolve().parents[2]
EXTRA_MODULES = {"target": "aiohttp", "charts": "matplotlib"}


def _genesis_load() -> list[str]:
    """The installed console script, or the module for an uninstalled checkout."""
    script = shutil.which("genesis-load")
    return [script] if script else [sys.executable, "-m", "genesis_load.cli"]


@pytest.fixture(scope="module")
def without_extras(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose sitecustomize hides every extra's module from Python processes."""
    folder = tmp_path_factory.mktemp("no-extras")
    modules = sorted(EXTRA_MODULES.values())
    (folder / "sitecustomize.py").write_text(
        f"import sys\n\nfor name in {modules!r}:\n    sys.modules[name] = None\n"
    )
    return folder


def run(
    *argv: str, hide: Path | None = None, python: bool = False, timeout_s: float = 60
) -> subprocess.CompletedProcess[str]:
    """``genesis-load ARGV`` (or ``python ARGV``) with this checkout first on sys.path."""
    paths = [str(hide)] if hide else []
    paths += [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    cmd = [sys.executable, *argv] if python else [*_genesis_load(), *argv]
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout_s,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_the_entry_point_prints_the_version_from_pyproject() -> None:
    with open(ROOT / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    proc = run("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"genesis-load {version}\n", "")


def test_python_m_genesis_load_cli_is_the_same_command() -> None:
    proc = run("-m", "genesis_load.cli", "--help", python=True)
    assert proc.returncode == 0
    assert "usage: genesis-load" in proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        pytest.param((), 2, "the following arguments are required: COMMAND", id="no command -> 2"),
        pytest.param(
            ("target", "--faults", "[1]"),
            2,
            "--faults: must be a JSON object",
            id="target --faults [1] -> 2",
        ),
        pytest.param(
            ("target", "--port", "99999"), 2, "port must be <= 65535", id="target --port 99999 -> 2"
        ),
        pytest.param(
            ("target", "--host", "10.0.0.1"),
            2,
            "host must be a loopback address",
            id="target on a non-loopback host -> 2",
        ),
        pytest.param(
            ("target", "--error-rate", "2"),
            2,
            "error_rate: must be a number in [0, 1]",
            id="target --error-rate 2 -> 2",
        ),
        pytest.param(
            ("target", "--db", "/nonexistent/folder/db.sqlite"),
            1,
            "cannot start: unable to open database file",
            id="target with an unwritable --db -> 1",
        ),
        pytest.param(
            ("target", "--access-log", "/nonexistent/folder/access.log"),
            1,
            "cannot start:",
            id="target with an unwritable --access-log -> 1",
        ),
    ],
)
def test_bad_arguments_exit_with_a_message_and_no_traceback(
    argv: tuple[str, ...], code: int, message: str
) -> None:
    proc = run(*argv)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_non_utf8_results_file_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"title": "café"}'.encode("latin-1"))
    for argv in (("report", str(tmp_path)), ("compare", str(bad), str(bad))):
        proc = run(*argv)
        assert proc.returncode == 2
        assert f"'{bad}' is not a readable results file" in proc.stderr
        assert "Traceback" not in proc.stderr


# --- without the optional extras -----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        pytest.param(("target",), "target", id="target without aiohttp -> 104 naming [target]"),
        pytest.param(("demo",), "target", id="demo without aiohttp -> 104 naming [target]"),
        pytest.param(
            ("report", "."), "charts", id="report without matplotlib -> 104 naming [charts]"
        ),
        pytest.param(
            ("suite", "--profile", "ci"),
            "charts",
            id="suite without matplotlib -> 104 naming [charts]",
        ),
        pytest.param(
            ("-m", "genesis_load.target"),
            "target",
            id="python -m genesis_load.target -> 104 naming [target]",
        ),
    ],
)
def test_a_command_that_needs_a_missing_extra_names_it(
    argv: tuple[str, ...], extra: str, without_extras: Path
) -> None:
    proc = run(*argv, hide=without_extras, python=argv[0] == "-m")
    assert proc.returncode == 104, proc.stderr
    assert f"needs {EXTRA_MODULES[extra]}, from the optional '{extra}' extra" in proc.stderr
    assert f"pip install 'genesis-load[{extra}]'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(("--help",), id="--help"),
        pytest.param(("target", "--help"), id="target --help"),
        pytest.param(("report", "--help"), id="report --help"),
    ],
)
def test_help_needs_no_extra(argv: tuple[str, ...], without_extras: Path) -> None:
    proc = run(*argv, hide=without_extras)
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.slow
def test_compare_and_the_library_need_no_extra(without_extras: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "k6.json"
    foreign.write_text("{}")
    proc = run("compare", str(foreign), str(foreign), hide=without_extras)
    assert proc.returncode == 2
    assert "is not a genesis-load results file" in proc.stderr
    code = (
        "import genesis_load, genesis_load.report, genesis_load.target, genesis_load.cli\n"
        "from genesis_load.target import TargetProcess\n"
        "from genesis_load._extras import MissingExtraError\n"
        "try:\n"
        "    TargetProcess().start()\n"
        "except MissingExtraError as e:\n"
        "    print(e)\n"
    )
    proc = run("-c", code, hide=without_extras, python=True)
    assert proc.returncode == 0, proc.stderr
    assert "pip install 'genesis-load[target]'" in proc.stdout


@pytest.mark.slow
def test_a_locustfile_runs_through_genesis_load_locust_without_extras(
    target: TargetProcess, without_extras: Path, tmp_path: Path
) -> None:
    results = tmp_path / "results.json"
    proc = run(
        "locust", "-f", str(LOCUSTFILES / "plain.py"), "--headless", "-u", "2", "-r", "2",
        "-t", "2s", "--host", target.base_url, "--only-summary", "--loglevel", "WARNING",
        "--summary-json", str(results),
        hide=without_extras, timeout_s=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert results.exists()
    assert "Traceback" not in proc.stderr
