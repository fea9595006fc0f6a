"""The sources against real processes: the demo target's /metrics and PID, this process, and
endpoints that refuse, hang or answer something else. Nothing is mocked."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from genesis_load.monitor import (
    PidSource,
    PrometheusSource,
    Reading,
    ResourceMonitor,
    SelfSource,
    Source,
    parse_process_metrics,
)
from genesis_load.target import TargetProcess


def hammer(target: TargetProcess, requests_n: int = 200) -> None:
    with requests.Session() as session:
        for _ in range(requests_n):
            session.get(f"{target.base_url}/health", timeout=5).raise_for_status()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


def test_prometheus_source_reads_the_targets_process_metrics(target: TargetProcess) -> None:
    source = PrometheusSource(f"{target.base_url}/metrics")
    before = source.sample()
    hammer(target)
    after = source.sample()
    for reading in (before, after):
        assert reading.error is None
        assert reading.rss_bytes is not None and reading.rss_bytes > 10e6
        assert reading.open_fds is not None and reading.open_fds > 0
        assert reading.connections is None  # the standard collector does not export them
    assert before.cpu_seconds is not None and after.cpu_seconds is not None
    assert after.cpu_seconds > before.cpu_seconds
    assert str(source) == f"{target.base_url}/metrics"


def test_pid_source_agrees_with_prometheus_and_counts_connections(
    target: TargetProcess,
) -> None:
    from_metrics = PrometheusSource(f"{target.base_url}/metrics").sample()
    source = PidSource(target.pid)
    with requests.Session() as session:
        session.get(f"{target.base_url}/health", timeout=5).raise_for_status()
        held = source.sample()  # the session's keep-alive connection is still open
    assert held.error is None
    assert held.rss_bytes is not None and from_metrics.rss_bytes is not None
    assert 0.5 <= held.rss_bytes / from_metrics.rss_bytes <= 2.0
    assert held.cpu_seconds is not None and held.cpu_seconds > 0
    assert held.open_fds is not None and held.open_fds > 0
    assert held.connections is not None and held.connections >= 1
    assert str(source) == f"pid {target.pid}"


def test_self_source_reads_this_process() -> None:
    reading = SelfSource().sample()
    assert reading.error is None
    assert reading.rss_bytes is not None and reading.rss_bytes > 0
    assert reading.cpu_seconds is not None and reading.cpu_seconds > 0
    assert reading.connections is None  # not counted on the generator by default


def test_a_vanished_process_is_a_failed_reading() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    reading = PidSource(child.pid).sample()
    assert reading.error is not None and reading.error.startswith("NoSuchProcess")


@pytest.mark.parametrize(
    ("path", "error"),
    [("/health", "ValueError"), ("/no-such-page", "HTTPError")],
    ids=["JSON instead of metrics -> a parse error", "404 -> an HTTP error"],
)
def test_an_endpoint_without_metrics_is_a_failed_reading(
    target: TargetProcess, path: str, error: str
) -> None:
    reading = PrometheusSource(f"{target.base_url}{path}").sample()
    assert reading == Reading(error=reading.error)
    assert reading.error is not None and error in reading.error


def test_text_without_process_metrics_is_a_failed_reading() -> None:
    reading = parse_process_metrics(
        "# TYPE genesis_inflight_requests gauge\ngenesis_inflight_requests 3\n"
    )
    assert reading.error == (
        "no process_resident_memory_bytes, process_cpu_seconds_total, process_open_fds "
        "in the exposition"
    )


def test_the_first_of_repeated_series_is_read() -> None:
    reading = parse_process_metrics(
        'process_resident_memory_bytes{worker="1"} 2e7\n'
        'process_resident_memory_bytes{worker="2"} 3e7\n'
    )
    assert reading == Reading(rss_bytes=2e7)


def test_a_refused_connection_is_a_failed_reading(closed_port: int) -> None:
    reading = PrometheusSource(f"http://127.0.0.1:{closed_port}/metrics").sample()
    assert reading.error is not None and "refused" in reading.error.lower()


def test_a_silent_endpoint_times_out_into_a_failed_reading(silent_port: int) -> None:
    source = PrometheusSource(f"http://127.0.0.1:{silent_port}/metrics", timeout_s=0.2)
    started = time.monotonic()
    reading = source.sample()
    assert time.monotonic() - started < 2.0
    assert reading.error is not None and "timed out" in reading.error


@pytest.mark.parametrize("url", ["file:///etc/passwd", "127.0.0.1:9090/metrics", "http://"])
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        PrometheusSource(url)


def test_the_monitor_counts_failed_samples_of_a_closed_port(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/metrics"
    monitor: ResourceMonitor

    def sleep(seconds: float) -> None:
        if monitor.ticks >= 3:
            monitor.stop()
        time.sleep(seconds)

    monitor = ResourceMonitor({"target": PrometheusSource(url)}, interval_s=0.01, sleep=sleep)
    monitor.run()
    target = monitor.results()["target"]
    assert (target["failed_samples"], target["samples"], target["summary"]) == (3, [], {})
    assert target["source"] == url
    assert "refused" in target["last_error"].lower()
    assert monitor.warnings()[0].startswith(
        f"resource monitor could not read target ({url}) for 3 of 3 samples"
    )


def test_the_monitor_in_a_thread_against_the_target(target: TargetProcess) -> None:
    sources: dict[str, Source] = {
        "target": PrometheusSource(f"{target.base_url}/metrics"),
        "target_pid": PidSource(target.pid),
        "loadgen": SelfSource(),
    }
    monitor = ResourceMonitor(sources, interval_s=0.05)
    thread = threading.Thread(target=monitor.run, daemon=True)
    thread.start()
    hammer(target, 150)
    time.sleep(0.15)
    monitor.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    results = json.loads(json.dumps(monitor.results(), allow_nan=False))
    assert list(results) == ["target", "target_pid", "loadgen"]
    assert set(results["target"]["summary"]) == {"rss_mb", "cpu_percent", "open_fds"}
    assert set(results["target_pid"]["summary"]) == {
        "rss_mb",
        "cpu_percent",
        "open_fds",
        "connections",
    }
    for name, result in results.items():
        assert result["failed_samples"] == 0, name
        assert len(result["samples"]) >= 3, name
        assert result["summary"]["rss_mb"]["peak"] >= result["summary"]["rss_mb"]["avg"] > 1
        assert result["summary"]["cpu_percent"]["peak"] > 0, name


def test_the_monitor_in_a_greenlet_under_gevent_monkey_patching(target: TargetProcess) -> None:
    """As the Locust plugin runs it: stdlib urllib made cooperative, gevent.sleep injected."""
    script = textwrap.dedent(
        f"""
        from gevent import monkey
        monkey.patch_all()
        import json, gevent
        from genesis_load.monitor import PrometheusSource, ResourceMonitor, SelfSource

        monitor = ResourceMonitor(
            {{"target": PrometheusSource({target.base_url + "/metrics"!r}),
              "loadgen": SelfSource()}},
            interval_s=0.05, sleep=gevent.sleep,
        )
        greenlet = gevent.spawn(monitor.run)
        gevent.sleep(0.3)
        monitor.stop()
        greenlet.join(timeout=5)
        print(json.dumps({{"dead": greenlet.dead, "results": monitor.results()}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    out = json.loads(done.stdout)
    assert out["dead"]
    for name in ("target", "loadgen"):
        assert out["results"][name]["failed_samples"] == 0
        assert len(out["results"][name]["samples"]) >= 4
        assert out["results"][name]["summary"]["rss_mb"]["avg"] > 1
