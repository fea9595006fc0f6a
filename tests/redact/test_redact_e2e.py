"""A secret planted in the host reaches no file a run writes and no line it prints (real runs)."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from genesis_load.target import TargetProcess

PASSWORD, TOKEN = "s3cr3t-planted", "planted-token"
SECRETS = (PASSWORD.encode(), TOKEN.encode())
LOCUSTFILES = Path(__file__).resolve().parents[2] / "locustfiles"


def png_text(data: bytes) -> Iterator[bytes]:
    """The text of every tEXt, zTXt and iTXt chunk of a PNG, decompressed."""
    pos = 8  # after the signature
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            yield body
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            yield key + b"\0" + zlib.decompress(rest[1:])
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, text = rest[0], rest[2:].split(b"\0", 2)[-1]
            yield key + b"\0" + (zlib.decompress(text) if compressed else text)
        pos += 12 + length


def leaks(out: Path, *streams: bytes) -> list[str]:
    """Where a planted secret appears: every file under ``out`` (PNG text too) and the streams."""
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        texts = [data, *png_text(data)] if path.suffix == ".png" else [data]
        found += [f"{path.name}: {s!r}" for s in SECRETS for text in texts if s in text]
    found += [
        f"stream {i}: {s!r}" for i, stream in enumerate(streams) for s in SECRETS if s in stream
    ]
    return found


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.slow
def test_genesis_load_run_with_a_credentialed_host_writes_and_prints_no_secret(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    target = start_target()
    host = f"http://user:{PASSWORD}@127.0.0.1:{target.port}/?token={TOKEN}"
    out = tmp_path / "run"
    command = [sys.executable, "-m", "genesis_load.cli", "run", "baseline", "--profile", "ci"]
    proc = subprocess.run(
        [*command, "--host", host, "--out", str(out)], capture_output=True, timeout=240
    )
    written = {p.name for p in out.iterdir()}
    assert {"baseline.json", "report.md", "report.html", "junit.xml"} <= written, proc.stdout
    assert any(name.endswith(".png") for name in written)
    assert any(name.endswith(".log") for name in written)
    meta = json.loads((out / "baseline.json").read_text())["meta"]
    assert meta["host"] == f"http://***@127.0.0.1:{target.port}/?token=***"
    assert "http://\\*\\*\\*@127.0.0.1" in (out / "report.md").read_text()  # the redacted host
    assert leaks(out, proc.stdout, proc.stderr) == []

    # a results file written before redaction (or by another tool): the report still hides it
    old = tmp_path / "old"
    old.mkdir()
    document = json.loads((out / "baseline.json").read_text())
    document["meta"]["host"] = host
    document["meta"]["warnings"].append(f"could not read {host}/metrics: Bearer {TOKEN}")
    if document["requests"]:
        document["requests"][0]["name"] = f"/?api_key={TOKEN}"
    (old / "baseline.json").write_text(json.dumps(document))
    report_out = tmp_path / "report"
    report = subprocess.run(
        [sys.executable, "-m", "genesis_load.cli", "report", str(old), "--out", str(report_out)],
        capture_output=True,
        timeout=120,
    )
    assert report.returncode in (0, 99), report.stderr
    assert {"report.md", "report.html", "junit.xml"} <= {p.name for p in report_out.iterdir()}
    assert leaks(report_out, report.stdout, report.stderr) == []


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "genesis_load.cli", "run", "baseline", "--profile", "ci"],
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILES / "baseline.py"), "--headless"],
        [
            *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILES / "baseline.py")),
            *("--headless", "--monitor-url", f"ftp://user:{PASSWORD}@127.0.0.1/m?token={TOKEN}"),
        ],
    ],
    ids=["genesis-load run", "plain locust", "plain locust with a bad --monitor-url"],
)
def test_an_unreachable_credentialed_host_is_reported_redacted(
    command: list[str], tmp_path: Path
) -> None:
    host = f"http://user:{PASSWORD}@127.0.0.1:{closed_port()}/?token={TOKEN}"
    proc = subprocess.run([*command, "--host", host], capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 104, proc.stderr
    assert b"://***@127.0.0.1" in proc.stderr
    assert leaks(tmp_path, proc.stdout, proc.stderr) == []


HTTP_USER = """
import genesis_load  # noqa: F401
from locust import HttpUser, constant, task


class Api(HttpUser):
    wait_time = constant(0.1)

    @task
    def health(self):
        self.client.get("/health")
"""


@pytest.mark.slow
def test_an_http_user_names_requests_with_the_hosts_query_and_genesis_load_redacts_them(
    start_target: Callable[..., TargetProcess], tmp_path: Path
) -> None:
    """requests' HttpUser names a request by its path and query: /?token=.../health.

    Locust's own stats and failures tables show that name as it is (Locust's output, not
    genesis-load's); genesis-load's results and outputs record it redacted."""
    target = start_target()
    (tmp_path / "locustfile.py").write_text(HTTP_USER)
    host = f"http://user:{PASSWORD}@127.0.0.1:{target.port}/?token={TOKEN}"
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "locust", "-f", "locustfile.py", "--headless", "-u", "2",
         "-r", "2", "-t", "2s", "--host", host, "--only-summary",
         "--out", f"json={out / 'results.json'}", "--out", f"csv={out / 'results.csv'}",
         "--out", f"summary={out / 'summary.txt'}",
         "--monitor-url", f"http://mon:{PASSWORD}@127.0.0.1:{target.port}/metrics?key={TOKEN}"],
        capture_output=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    results = json.loads((out / "results.json").read_text())
    assert [r["name"] for r in results["requests"]] == ["/?token=***"], proc.stderr[-2000:]
    monitored = results["resources"]["target"]  # read with Basic auth, shown redacted
    assert monitored["source"] == f"http://***@127.0.0.1:{target.port}/metrics?key=***"
    assert monitored["failed_samples"] == 0
    assert leaks(out) == []
