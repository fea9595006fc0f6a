"""Helpers for the demo-target tests: Prometheus parsing, SSE parsing, Server-Timing parsing.

Named ``target_helpers`` (not ``helpers``) so it cannot collide with other test folders' modules
under pytest's default rootdir-based imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import requests
import sseclient
from prometheus_client.parser import text_string_to_metric_families

JSON = dict[str, Any]


def samples(metrics_text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """All samples called ``name`` (e.g. 'genesis_http_requests_total'), keyed by sorted labels."""
    out: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == name:
                out[tuple(sorted(sample.labels.items()))] = sample.value
    return out


def sample(metrics_text: str, name: str, **labels: str) -> float:
    """One sample's value (0.0 when absent)."""
    return samples(metrics_text, name).get(tuple(sorted(labels.items())), 0.0)


def request_counts(metrics_text: str) -> dict[tuple[str, str, str], int]:
    """genesis_http_requests_total as {(route, method, status): count}."""
    return {
        (labels["route"], labels["method"], labels["status"]): int(value)
        for key, value in samples(metrics_text, "genesis_http_requests_total").items()
        for labels in [dict(key)]
        if value
    }


def sse_events(response: requests.Response) -> Iterator[sseclient.Event]:
    """Parse a streamed requests response with sseclient-py, as the bytes arrive.

    ``SSEClient(response)`` would iterate the response in 128-byte blocks and hold an event back
    until the next block fills; ``iter_content(chunk_size=None)`` yields bytes as they arrive,
    which timing assertions (first token, pacing) need.
    """
    client = sseclient.SSEClient(response.iter_content(chunk_size=None))
    yield from client.events()


def chunk_payloads(response: requests.Response) -> list[JSON | str]:
    """Every SSE data payload of an OpenAI-style stream: parsed JSON, or the raw '[DONE]'."""
    out: list[JSON | str] = []
    for event in sse_events(response):
        out.append(event.data if event.data == "[DONE]" else json.loads(event.data))
    return out


def server_timing(header: str) -> dict[str, float]:
    """Parse 'cache;dur=0.012, db;dur=0.412' into {'cache': 0.012, 'db': 0.412}."""
    out: dict[str, float] = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        durations = [float(p[4:]) for p in params if p.startswith("dur=")]
        out[name] = durations[0] if durations else float("nan")
    return out


def post(url: str, body: Mapping[str, Any] | None = None, **kwargs: Any) -> requests.Response:
    return requests.post(url, json=body, timeout=10, **kwargs)
