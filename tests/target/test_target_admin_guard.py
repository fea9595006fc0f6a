"""The admin API obeys this machine only: foreign Host or Origin 403, non-JSON POST 415."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from target_helpers import request_counts

from genesis_load.target import TargetProcess
from genesis_load.target.admin import is_loopback_authority, is_loopback_origin

SPEC = json.dumps({"latency_ms": 50})
JSON = "application/json"


@pytest.fixture(scope="module")
def guarded() -> Iterator[TargetProcess]:
    """A private target: a refusal that failed would change its faults, not the shared one's."""
    with TargetProcess(("--ai-speed", "1000")) as process:
        yield process


REFUSED = [
    ("POST", {"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403),
    ("POST", {"Origin": "http://evil.example", "Content-Type": JSON}, 403),
    ("POST", {"Host": "evil.example:8765", "Content-Type": JSON}, 403),
    ("POST", {"Host": "127.0.0.1.evil.example", "Content-Type": JSON}, 403),
    ("POST", {"Origin": "null", "Content-Type": JSON}, 403),
    ("POST", {"Origin": "http://localhost.evil.example:80", "Content-Type": JSON}, 403),
    ("POST", {"Content-Type": "text/plain"}, 415),
    ("POST", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ("POST", {"Content-Type": "multipart/form-data; boundary=x"}, 415),
    ("DELETE", {"Origin": "https://evil.example"}, 403),
    ("GET", {"Host": "evil.example"}, 403),
]


@pytest.mark.parametrize(
    ("method", "headers", "status"),
    REFUSED,
    ids=[
        "a text/plain POST from a foreign page's Origin -> 403",
        "a JSON POST from a foreign Origin -> 403",
        "a foreign Host (DNS rebinding) -> 403",
        "a Host that only starts like a loopback address -> 403",
        "Origin null (sandboxed page, file) -> 403",
        "an Origin whose name only starts with localhost -> 403",
        "a text/plain POST without Origin (a simple cross-site request) -> 415",
        "a form POST (curl -d's default type) -> 415",
        "a multipart POST -> 415",
        "DELETE from a foreign Origin -> 403",
        "GET with a foreign Host -> 403",
    ],
)
def test_foreign_or_non_json_admin_requests_are_refused(
    guarded: TargetProcess, method: str, headers: dict[str, str], status: int
) -> None:
    url = f"{guarded.base_url}/admin/faults"
    before = request_counts(guarded.metrics_text()).get(("/admin/faults", method, str(status)), 0)
    response = requests.request(method, url, data=SPEC, headers=headers, timeout=5)
    assert response.status_code == status
    assert response.json()["status"] == status
    assert requests.get(url, timeout=5).json()["faults"] == {}  # nothing changed
    after = request_counts(guarded.metrics_text())[("/admin/faults", method, str(status))]
    assert after == before + 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://localhost:3000"},
        {"Origin": "https://127.0.0.1"},
        {"Host": "localhost:{port}"},
        {"Host": "127.5.6.7"},
        {"Host": "[::1]:{port}", "Origin": "http://[::1]:{port}"},
    ],
    ids=[
        "a tool's POST (loopback Host, no Origin)",
        "a page served from localhost",
        "a page served from 127.0.0.1 over https",
        "Host localhost with the port",
        "Host anywhere in 127/8 without a port",
        "Host and Origin [::1]",
    ],
)
def test_loopback_json_admin_requests_are_obeyed(
    guarded: TargetProcess, headers: dict[str, str]
) -> None:
    url = f"{guarded.base_url}/admin/faults"
    filled = {k: v.format(port=guarded.port) for k, v in headers.items()}
    response = requests.post(url, data=SPEC, headers={"Content-Type": JSON, **filled}, timeout=5)
    assert response.status_code == 200, response.text
    assert response.json()["faults"] == {"latency_ms": 50}
    assert requests.delete(url, timeout=5).json()["faults"] == {}


@pytest.mark.parametrize(
    ("authority", "loopback"),
    [
        ("127.0.0.1:8765", True),
        ("localhost", True),
        ("LOCALHOST:1", True),
        ("[::1]:80", True),
        ("127.255.0.1", True),
        ("evil.example:8765", False),
        ("localhost.evil.example", False),
        ("0.0.0.0:8765", False),
        ("::1", False),
        ("[::1]:port", False),
        ("127.0.0.1:", False),
        ("", False),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else ("loopback" if v else "foreign"),
)
def test_host_header_names(authority: str, loopback: bool) -> None:
    assert is_loopback_authority(authority) is loopback


@pytest.mark.parametrize(
    ("origin", "loopback"),
    [
        ("http://localhost:3000", True),
        ("https://127.0.0.1", True),
        ("http://[::1]:8080", True),
        ("http://evil.example", False),
        ("http://127.0.0.1.nip.io", False),
        ("null", False),
        ("file://", False),
        ("http://[::1", False),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else ("loopback" if v else "foreign"),
)
def test_origin_header_values(origin: str, loopback: bool) -> None:
    assert is_loopback_origin(origin) is loopback
