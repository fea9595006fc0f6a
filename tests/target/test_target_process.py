"""TargetProcess and the CLI entry point: start, announce, stop, fail loudly."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
import requests

import genesis_load.target as target_pkg
from genesis_load.target import TargetProcess


def test_public_names() -> None:
    assert sorted(target_pkg.__all__) == [
        "FaultSpec",
        "FaultSpecError",
        "TargetConfig",
        "TargetProcess",
        "create_app",
    ]


def test_importing_the_package_does_not_import_aiohttp() -> None:
    code = "import sys, genesis_load.target; print('aiohttp' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.strip() == "False"


def test_shared_target_exposes_its_address(target: TargetProcess) -> None:
    assert target.base_url == f"http://127.0.0.1:{target.port}"
    assert target.port > 0
    os.kill(target.pid, 0)  # alive (signal 0 only checks)
    assert requests.get(f"{target.base_url}/health", timeout=5).status_code == 200


def test_starts_quickly_and_stops_gracefully_on_sigterm() -> None:
    started = time.monotonic()
    process = TargetProcess(["--ai-speed", "1000"]).start()
    startup_s = time.monotonic() - started
    port = process.port
    try:
        assert requests.get(f"{process.base_url}/health", timeout=5).ok
    finally:
        exit_code = process.stop()
        process.close()
    assert exit_code == 0
    assert startup_s < 5.0, f"startup took {startup_s:.2f} s (budget 2 s on an idle machine)"
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


@pytest.mark.parametrize(
    ("args", "in_message"),
    [
        (["--error-rate", "2"], "error_rate"),
        (["--no-such-option"], "unrecognized arguments"),
    ],
    ids=["invalid fault rate", "unknown option"],
)
def test_failure_to_start_raises_with_the_child_stderr(args: list[str], in_message: str) -> None:
    process = TargetProcess(args)
    with pytest.raises(RuntimeError, match=in_message):
        process.start()
    process.close()


def test_port_in_use_is_a_clear_error(target: TargetProcess) -> None:
    process = TargetProcess(["--port", str(target.port)])  # the later --port wins
    with pytest.raises(RuntimeError, match=r"cannot start.*address already in use"):
        process.start()
    assert process.stop() == 1
    process.close()


def test_module_entry_point_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "genesis_load.target", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0
    for option in ("--ai-speed", "--max-inflight", "--latency-ms", "--access-log", "--db"):
        assert option in result.stdout


def test_listening_line_is_the_only_stdout() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "genesis_load.target", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("genesis-load target listening on http://127.0.0.1:")
    finally:
        proc.terminate()  # SIGTERM to this PID
        remaining, _ = proc.communicate(timeout=10)
    assert remaining == ""
    assert proc.returncode == 0


def test_host_must_be_loopback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "genesis_load.target", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "host must be a loopback address" in proc.stderr


def test_host_option_binds_another_loopback_address() -> None:
    with TargetProcess(["--host", "127.0.0.2"]) as t:
        assert t.base_url.startswith("http://127.0.0.2:")
        assert requests.get(t.base_url + "/health", timeout=5).json()["status"] == "ok"
