"""/health and /metrics: the exposition is complete and counters equal what was sent."""

from __future__ import annotations

from collections.abc import Callable

import requests
from target_helpers import post, request_counts, sample, samples

from genesis_load.target import TargetProcess


def test_health(target: TargetProcess) -> None:
    response = requests.get(f"{target.base_url}/health", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "ok" and body["uptime_s"] >= 0


def test_metrics_exposition_has_every_family(target: TargetProcess) -> None:
    response = requests.get(f"{target.base_url}/metrics", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.text
    for name in (
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
        "python_info",
        "genesis_inflight_requests",
    ):
        assert samples(text, name), name
    assert sample(text, "genesis_shed_total", reason="inflight") == 0
    assert sample(text, "genesis_cache_requests_total", result="hit") >= 0
    agents = {dict(k)["agent"] for k in samples(text, "genesis_ai_tokens_total")}
    assert agents == {"BLAZE", "SAGE", "NOVA", "SPARK", "STELLA", "WAVE", "NEXUS"}
    kinds = {dict(k)["kind"] for k in samples(text, "genesis_faults_injected_total")}
    assert kinds == {"latency", "error", "stall", "drop", "malformed", "truncate", "empty"}
    assert sample(text, "genesis_ws_dropped_total", reason="slow_reader") == 0


def test_request_counters_equal_the_requests_sent(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target()
    base = target.base_url
    sent = {
        ("/health", "GET", "200"): 7,
        ("/api/v1/users/{id}", "GET", "200"): 3,
        ("/api/v1/users/{id}", "GET", "404"): 2,
        ("/api/v1/users/{id}", "GET", "400"): 1,
        ("/api/v1/workouts", "GET", "200"): 2,
        ("/api/v1/plans", "POST", "400"): 1,
        ("/api/v1/agents/{name}/chat", "POST", "200"): 2,
        ("/api/v1/agents/{name}/chat", "POST", "404"): 1,
        ("/v1/chat/completions", "POST", "200"): 1,
        ("/api/v1/stream/events", "GET", "200"): 1,
        ("unmatched", "GET", "404"): 2,
        ("/health", "POST", "405"): 1,
        ("/admin/faults", "GET", "200"): 1,
    }
    with requests.Session() as s:
        for _ in range(7):
            s.get(f"{base}/health")
        for user_id in (1, 2, 3, 999_999, 999_998, "x"):
            s.get(f"{base}/api/v1/users/{user_id}")
        s.get(f"{base}/api/v1/workouts")
        s.get(f"{base}/api/v1/workouts?limit=5")
        s.post(f"{base}/api/v1/plans", json={"name": "x"})
        s.post(f"{base}/api/v1/agents/sage/chat", json={"message": "sleep?"})
        s.post(f"{base}/api/v1/agents/SPARK/chat", json={"message": "habit?", "stream": True})
        s.post(f"{base}/api/v1/agents/nobody/chat", json={"message": "hi"})
        post(
            f"{base}/v1/chat/completions",
            {"model": "nova", "messages": [{"role": "user", "content": "protein?"}]},
        )
        s.get(f"{base}/api/v1/stream/events?count=2&interval_ms=1")
        s.get(f"{base}/nope")
        s.get(f"{base}/api/v2/users")
        s.post(f"{base}/health")
        s.get(f"{base}/admin/faults")
    text = target.metrics_text()
    assert request_counts(text) == sent
    durations = samples(text, "genesis_http_request_duration_seconds_count")
    for route in {route for route, _, _ in sent}:
        expected = sum(n for (r, _, _), n in sent.items() if r == route)
        assert durations[(("route", route),)] == expected, route
    assert sample(text, "genesis_inflight_requests") == 0
    # Two SSE ticks + their end event, and the SPARK stream's chunks, are SSE events.
    assert sample(text, "genesis_sse_events_total") > 3
    assert sample(text, "genesis_ai_tokens_total", agent="SAGE") > 0
