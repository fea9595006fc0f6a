"""The resource monitor with a credentialed URL: Basic auth on the wire, no secret in its output."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from genesis_load.monitor import PrometheusSource, Reading, ResourceMonitor

PASSWORD, TOKEN = "s3cr3t-planted", "planted-token"
SECRETS = (PASSWORD, TOKEN)


@pytest.fixture
def exporter() -> Iterator[tuple[int, list[tuple[str, str | None]]]]:
    """A Prometheus endpoint on 127.0.0.1 that records each request's path and Authorization."""
    seen: list[tuple[str, str | None]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("Authorization")))
            body = b"process_open_fds 7\nprocess_cpu_seconds_total 1.5\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_userinfo_becomes_basic_auth_and_is_never_shown(
    exporter: tuple[int, list[tuple[str, str | None]]],
) -> None:
    port, seen = exporter
    source = PrometheusSource(f"http://user:{PASSWORD}@127.0.0.1:{port}/metrics?token={TOKEN}")
    reading = source.sample()
    assert reading.error is None and reading.open_fds == 7
    expected_auth = "Basic " + base64.b64encode(f"user:{PASSWORD}".encode()).decode()
    assert seen == [(f"/metrics?token={TOKEN}", expected_auth)]  # the URL's own query is kept
    assert str(source) == f"http://***@127.0.0.1:{port}/metrics?token=***"
    for shown in (str(source), repr(source)):
        assert not any(secret in shown for secret in SECRETS)


def test_a_bad_url_is_refused_without_echoing_its_password() -> None:
    with pytest.raises(ValueError) as caught:
        PrometheusSource(f"ftp://user:{PASSWORD}@127.0.0.1/metrics")
    assert "ftp://***@127.0.0.1/metrics" in str(caught.value)
    assert PASSWORD not in str(caught.value)


class LeakySource:
    """A third-party source whose description and errors carry its URL verbatim."""

    url = f"http://admin:{PASSWORD}@10.0.0.9:9100/metrics?api_key={TOKEN}"

    def __str__(self) -> str:
        return self.url

    def sample(self) -> Reading:
        raise OSError(f"cannot reach {self.url}: Authorization: Bearer {TOKEN}")


def test_monitor_results_and_warnings_of_any_source_are_redacted() -> None:
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds
        if clock[0] >= 3:
            monitor.stop()

    monitor = ResourceMonitor(
        {"target": LeakySource()}, interval_s=1.0, clock=lambda: clock[0], sleep=sleep
    )
    monitor.run()
    written = json.dumps([monitor.results(), monitor.warnings()])
    assert monitor.results()["target"]["failed_samples"] == 3
    assert "http://***@10.0.0.9:9100/metrics?api_key=***" in written
    assert "Bearer ***" in written
    assert not any(secret in written for secret in SECRETS)
