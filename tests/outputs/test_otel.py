"""``--out otel=URL``: a run's metrics reach an OTLP/HTTP receiver on 127.0.0.1, exactly.

The receiver is a plain HTTP server decoding each ``/v1/metrics`` export with the OTLP protobuf
definitions (opentelemetry-proto); the last export must hold the run's request count.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from locust import FastHttpUser, task

import genesis_load
from genesis_load.errors import ConfigError
from genesis_load.outputs.registry import OutputSpec, build_outputs
from genesis_load.target import TargetProcess

metrics_service_pb2 = pytest.importorskip(
    "opentelemetry.proto.collector.metrics.v1.metrics_service_pb2",
    reason="the otel extra is not installed (pip install 'genesis-load[otel]')",
)


class Health(FastHttpUser):
    @task
    def health(self) -> None:
        self.client.get("/health")


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[Any]]]:
    exports: list[Any] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            request = metrics_service_pb2.ExportMetricsServiceRequest()
            request.ParseFromString(body)
            exports.append((self.path, request))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", exports
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _points(request: Any, name: str) -> list[Any]:
    out = []
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                if m.name == name:
                    data = m.sum if m.HasField("sum") else m.gauge
                    out.extend(data.data_points)
    return out


def _attrs(point: Any) -> dict[str, Any]:
    return {a.key: getattr(a.value, a.value.WhichOneof("value")) for a in point.attributes}


def test_bad_urls_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="expected the collector's OTLP/HTTP URL"):
        build_outputs([OutputSpec("otel", "127.0.0.1:4318")])


@pytest.mark.slow
@pytest.mark.usefixtures("collect_locust_clients")
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket object:pytest.PytestUnraisableExceptionWarning"
)
def test_a_run_exports_its_exact_request_count_over_otlp(
    receiver: tuple[str, list[Any]], target: TargetProcess
) -> None:
    url, exports = receiver
    result = genesis_load.run(
        Health,
        rate=20,
        duration="2s",
        host=target.base_url,
        thresholds={"http_req_duration": ["p(95)<1000"]},
        out=[f"otel={url}"],
    )
    assert result.passed
    assert len(exports) >= 2  # one per interval, and the last at the end
    assert {path for path, _ in exports} == {"/v1/metrics"}
    last = exports[-1][1]
    reqs = _points(last, "genesis_load.http_reqs")
    assert sum(p.as_int for p in reqs) == result.metric("http_reqs").count == 40
    assert {_attrs(p)["name"] for p in reqs} == {"/health"}
    p95 = [
        p.as_double
        for p in _points(last, "genesis_load.trend_quantile")
        if _attrs(p) == {"metric": "http_req_duration", "name": "", "quantile": 0.95}
    ]
    assert p95 == [pytest.approx(result.metric("http_req_duration").p(95))]
    verdicts = _points(last, "genesis_load.threshold_ok")
    assert [(_attrs(p)["expression"], p.as_int) for p in verdicts] == [("p(95)<1000", 1)]
