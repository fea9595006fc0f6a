"""The ``prometheus`` output on its own: address parsing, the port check, and a real scrape.

The store is filled by hand (known request latencies, a custom trend, a rate, a gauge), handed
over as interval samples, and read back through the output's HTTP endpoint with
prometheus_client's own text parser.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from genesis_load.errors import ConfigError
from genesis_load.metrics.metric import Metric
from genesis_load.metrics.series import IntervalPoint
from genesis_load.metrics.store import Store
from genesis_load.outputs.base import IntervalSample
from genesis_load.outputs.prometheus import PrometheusOutput, parse_address
from genesis_load.outputs.registry import OutputSpec, build_outputs
from genesis_load.results.schema import Meta, Results, ThresholdVerdict
from genesis_load.thresholds import parse_cli_threshold


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("", (("127.0.0.1", 9646), 0.0)),
        ("127.0.0.1:9700", (("127.0.0.1", 9700), 0.0)),
        (":9701", (("127.0.0.1", 9701), 0.0)),
        ("9702", (("127.0.0.1", 9702), 0.0)),
        ("127.0.0.1:0,linger=2s", (("127.0.0.1", 0), 2.0)),
    ],
    ids=["nothing: the default port", "host and port", ":port", "a bare port", "with linger"],
)
def test_address_forms(arg: str, expected: tuple[tuple[str, int], float]) -> None:
    assert parse_address(arg) == expected


@pytest.mark.parametrize(
    ("arg", "fragment"),
    [
        ("127.0.0.1:http", "'http' is not a port"),
        ("127.0.0.1:70000", "out of range"),
        ("127.0.0.1:9646,wait=1s", "unknown option 'wait'"),
        ("127.0.0.1:9646,linger=soon", "invalid duration"),
    ],
    ids=["a named port", "a port above 65535", "an unknown option", "a linger that is no duration"],
)
def test_bad_addresses_are_config_errors(arg: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_address(arg)
    assert fragment in str(info.value)


def test_a_port_in_use_is_a_config_error_before_any_load() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
            build_outputs([OutputSpec("prometheus", f"127.0.0.1:{port}")])


@pytest.fixture
def output() -> Iterator[PrometheusOutput]:
    out = PrometheusOutput(f"127.0.0.1:{_free_port()}")
    yield out
    out.close()


def _scrape(url: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    with urllib.request.urlopen(url, timeout=5) as resp:
        text = resp.read().decode()
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples.setdefault(s.name, {})[tuple(sorted(s.labels.items()))] = s.value
    return samples


def _interval(store: Store, end_s: float) -> IntervalSample:
    return IntervalSample(IntervalPoint(end_s - 1, end_s), store, 1000 + end_s - 1, 1000 + end_s)


def test_a_scrape_shows_exact_counts_histograms_and_quantiles(output: PrometheusOutput) -> None:
    output.start(1000.0)
    output._thresholds = parse_cli_threshold("http_req_duration: p(95)<10")  # as a session's
    tags = (("method", "GET"), ("name", "/health"), ("status", "200"))
    for second in (1, 2):  # two intervals: the output adds them up
        store = Store()
        bucket = store.request_bucket(tags)
        for ms in range(1, 51):  # 1..50 ms, 50 requests per interval
            bucket.duration.add(ms * 1000)
        bucket.failed = 5
        bucket.bytes_received = 1000
        store.sink(Metric("ai_ttft", "trend", "time"), (("agent", "NOVA"),)).add(200_000)
        store.sink(Metric("checks", "rate"), (("check", "ok"),)).add(second == 1)
        store.sink(Metric("vus", "gauge"), ()).add(float(10 * second), float(second))
        store.sink(Metric("dropped_iterations", "counter"), (("scenario", "s"),)).add(1.0)
        output.interval(_interval(store, float(second)))
    got = _scrape(output.url)
    label = (("method", "GET"), ("name", "/health"), ("status", "200"))
    assert got["genesis_load_http_reqs_total"] == {label: 100.0}
    assert got["genesis_load_http_req_failed_total"] == {label: 10.0}
    assert got["genesis_load_data_received_bytes_total"] == {label: 2000.0}
    buckets = got["genesis_load_http_req_duration_seconds_bucket"]

    def le(bound: str) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((*label, ("le", bound))))

    assert buckets[le("0.01")] == 20.0  # 1..10 ms, twice
    assert buckets[le("0.025")] == 50.0
    assert buckets[le("+Inf")] == 100.0
    assert got["genesis_load_http_req_duration_seconds_sum"][label] == pytest.approx(2.55)
    quantiles = got["genesis_load_trend_quantile"]
    p95 = (("metric", "http_req_duration"), ("name", ""), ("quantile", "0.95"))
    assert quantiles[p95] == pytest.approx(48, abs=0.05)  # exact HDR p95 of 1..50 ms, in ms
    per_name = (("metric", "http_req_duration"), ("name", "/health"), ("quantile", "0.5"))
    assert quantiles[per_name] == pytest.approx(25, abs=0.05)
    assert got["genesis_load_ai_ttft_seconds_count"] == {(("agent", "NOVA"),): 2.0}
    assert got["genesis_load_checks_trues_total"] == {(("check", "ok"),): 1.0}
    assert got["genesis_load_checks_samples_total"] == {(("check", "ok"),): 2.0}
    assert got["genesis_load_vus"] == {(): 20.0}
    assert got["genesis_load_run_elapsed_seconds"] == {(): 2.0}
    assert "genesis_load_threshold_ok" not in got  # judged only at the end
    live = (("expression", "p(95)<10"), ("metric", "http_req_duration"))
    assert got["genesis_load_threshold_live_ok"] == {live: 0.0}  # p95 48 ms, over the run so far
    assert got["genesis_load_threshold_live_observed"][live] == pytest.approx(48, abs=0.05)

    results = Results(
        format="genesis-load-results",
        version=2,
        meta=Meta(ended="completed"),
        thresholds=[ThresholdVerdict("http_req_duration", "p(95)<10", False, 48.0)],
    )
    output._results = results  # what stop() publishes, read before it closes the server
    got = {**_scrape(output.url), **got}
    key = (("expression", "p(95)<10"), ("metric", "http_req_duration"))
    assert got["genesis_load_threshold_ok"] == {key: 0.0}
    assert got["genesis_load_run_ended"] == {(("ended", "completed"),): 1.0}
    dashboard = (Path(__file__).parents[2] / "deploy/grafana/genesis-load.json").read_text()
    used = set(re.findall(r"genesis_load_[a-z_]+", json.loads(json.dumps(dashboard))))
    assert used and used <= set(got), (
        f"the Grafana dashboard queries unknown series: {used - set(got)}"
    )
    output.stop(results)
    with pytest.raises(OSError):
        _scrape(output.url)
