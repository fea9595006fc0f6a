"""LeanHttpUser: Locust's user model on geventhttpclient's HTTPClient, reported like FastHttpUser.

The unit tests drive a LeanSession against a gevent WSGI server in this process whose answers
and delays the test controls; the e2e tests run real Locust processes against the demo target
and compare what was recorded with what the target counted.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gevent
import pytest
from gevent.pywsgi import WSGIServer
from locust import User
from locust.env import Environment
from locust.exception import CatchResponseError, LocustError

from genesis_load.leanhttp import HTTPStatusError, LeanHttpUser, LeanResponse, LeanSession
from genesis_load.target import TargetProcess
from tests.helpers import run_locust, server_counts

StartTarget = Callable[..., TargetProcess]


class App:
    """/delay/<ms>, /status/<code>, /echo (the body and content type), /headers (X-Cache and
    Server-Timing); counts requests and the client ports they came from."""

    def __init__(self) -> None:
        self.requests = 0
        self.ports: set[str] = set()
        self.bodies: list[tuple[str, bytes]] = []

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> list[bytes]:
        self.requests += 1
        self.ports.add(environ["REMOTE_PORT"])
        path = environ["PATH_INFO"]
        headers = [("Content-Type", "text/plain")]
        if path.startswith("/delay/"):
            gevent.sleep(int(path.rsplit("/", 1)[1]) / 1000.0)
            body, status = b"late", "200 OK"
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            body, status = b"s", f"{code} X"
        elif path == "/echo":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            got = environ["wsgi.input"].read(length)
            self.bodies.append((environ.get("CONTENT_TYPE", ""), got))
            body, status = got, "200 OK"
        elif path == "/headers":
            headers += [("X-Cache", "HIT"), ("Server-Timing", "db;dur=2.5")]
            body, status = b"{}", "200 OK"
        else:
            body, status = b"ok", "200 OK"
        start(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]


@pytest.fixture
def server() -> Iterator[tuple[App, str]]:
    app = App()
    srv = WSGIServer(("127.0.0.1", 0), app, log=None, error_log=None)
    srv.start()
    try:
        yield app, f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.stop(timeout=1)


_SESSIONS: list[LeanSession] = []


@pytest.fixture
def events() -> Iterator[tuple[Environment, list[dict[str, Any]]]]:
    env = Environment(user_classes=[])
    fired: list[dict[str, Any]] = []
    env.events.request.add_listener(lambda **kw: fired.append(kw))
    yield env, fired
    while _SESSIONS:
        _SESSIONS.pop().close()


def _session(env: Environment, base: str, **kw: Any) -> LeanSession:
    session = LeanSession(base, env.events.request, **kw)
    _SESSIONS.append(session)
    return session


def test_a_get_is_reported_once_with_locusts_request_fields(server: Any, events: Any) -> None:
    (_, base), (env, fired) = server, events
    s = _session(env, base)
    r = s.get("/hello", name="greeting", context={"k": "v"})
    assert (r.status_code, r.content, r.text, r.ok) == (200, b"ok", "ok", True)
    assert r.headers["content-type"] == "text/plain"
    assert len(fired) == 1
    ev = fired[0]
    assert (ev["request_type"], ev["name"], ev["response_length"]) == ("GET", "greeting", 2)
    assert ev["exception"] is None and ev["response"] is r and ev["context"] == {"k": "v"}
    assert ev["url"] == "/hello" and ev["start_time"] == pytest.approx(time.time(), abs=5)
    s.get("/x")
    assert fired[1]["name"] == "/x"  # by default, the URL


def test_response_time_and_waiting_carry_the_servers_delay(server: Any, events: Any) -> None:
    (_, base), (env, fired) = server, events
    s = _session(env, base)
    s.get("/")  # connect first: the delay below is the server's, not the handshake's
    r = s.get("/delay/80")
    took = fired[-1]["response_time"]
    assert 80.0 <= took < 80.0 + 60.0, took
    assert r._elapsed is not None and 0.080 <= r._elapsed <= took / 1000.0


def test_one_keep_alive_connection_per_session(server: Any, events: Any) -> None:
    (app, base), (env, _) = server, events
    s = _session(env, base)
    for _ in range(20):
        s.get("/")
    assert app.requests == 20 and len(app.ports) == 1


def test_4xx_and_5xx_are_failures_unless_the_block_says_otherwise(server: Any, events: Any) -> None:
    (_, base), (env, fired) = server, events
    s = _session(env, base)
    r = s.get("/status/404")
    assert r.status_code == 404 and not r.ok
    assert isinstance(fired[-1]["exception"], HTTPStatusError)
    with pytest.raises(HTTPStatusError, match="404"):
        r.raise_for_status()
    s.get("/status/503")
    assert "503" in str(fired[-1]["exception"])
    with s.get("/status/404", catch_response=True) as r2:
        r2.success()
    assert fired[-1]["exception"] is None and len(fired) == 3


def test_catch_response_reports_once_when_the_block_exits(server: Any, events: Any) -> None:
    (_, base), (env, fired) = server, events
    s = _session(env, base)
    with s.get("/", catch_response=True) as r:
        assert fired == [], "not before the block decides"
        r.failure("no answer")
    assert isinstance(fired[-1]["exception"], CatchResponseError)
    with s.get("/status/500", catch_response=True):
        pass
    assert isinstance(fired[-1]["exception"], HTTPStatusError)
    with pytest.raises(KeyError), s.get("/", catch_response=True):
        raise KeyError("a bug in the block")
    assert isinstance(fired[-1]["exception"], KeyError), "reported failed, not lost"
    assert len(fired) == 3
    with pytest.raises(LocustError):
        s.get("/", catch_response=True).success()  # outside a with-block


def test_a_refused_connection_is_a_failed_request_not_an_exception(events: Any) -> None:
    env, fired = events
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    r = _session(env, f"http://127.0.0.1:{port}").get("/")
    assert r.status_code == 0 and isinstance(r.error, ConnectionRefusedError)
    assert fired[-1]["exception"] is r.error and fired[-1]["response_length"] == 0


def test_the_network_timeout_ends_a_request_the_server_never_answers(
    server: Any, events: Any
) -> None:
    (_, base), (env, fired) = server, events
    r = _session(env, base, network_timeout=0.2).get("/delay/3000")
    assert r.status_code == 0 and isinstance(r.error, OSError)
    assert 200.0 <= fired[-1]["response_time"] < 2000.0


def test_json_and_form_bodies_arrive_with_their_content_type(server: Any, events: Any) -> None:
    (app, base), (env, _) = server, events
    s = _session(env, base)
    r = s.post("/echo", json={"q": "hi"})
    assert r.json() == {"q": "hi"}
    s.put("/echo", data={"a": "1", "b": "x y"})
    s.patch("/echo", data=b"raw", headers={"Content-Type": "application/octet-stream"})
    assert app.bodies == [
        ("application/json", b'{"q": "hi"}'),
        ("application/x-www-form-urlencoded", b"a=1&b=x+y"),
        ("application/octet-stream", b"raw"),
    ]


def test_an_absolute_url_goes_to_its_own_origin_and_unknown_options_are_errors(
    server: Any, events: Any
) -> None:
    (app, base), (env, fired) = server, events
    s = _session(env, "http://127.0.0.1:9/unused-base")
    r = s.get(f"{base}/abs?x=1")
    assert r.status_code == 200 and app.requests == 1 and fired[-1]["url"] == f"{base}/abs?x=1"
    with pytest.raises(TypeError):
        s.get("/", params={"a": 1})  # type: ignore[call-arg]
    with pytest.raises(LocustError, match="ftp://h"):
        _session(env, "ftp://h")


def test_a_user_without_a_host_is_told_so(events: Any) -> None:
    env, _ = events

    class NoHost(LeanHttpUser):
        pass

    with pytest.raises(LocustError, match="base host"):
        NoHost(env)


def test_the_user_context_and_headers_are_recorded(server: Any, events: Any) -> None:
    (_, base), (env, fired) = server, events

    class Api(LeanHttpUser):
        host = base

        def context(self) -> dict[str, Any]:
            return {"tenant": "a"}

    user = Api(env)
    _SESSIONS.append(user.client)
    r = user.client.get("/headers")
    assert isinstance(r, LeanResponse) and r.headers["X-Cache"] == "HIT"
    assert fired[-1]["context"] == {"tenant": "a"}
    assert isinstance(user, User)


@pytest.mark.slow
def test_a_plain_lean_user_is_recorded_exactly_as_the_server_counted(
    start_target: StartTarget, tmp_path: Path
) -> None:
    target = start_target()
    out = tmp_path / "r.json"
    proc = run_locust(
        "lean.py", target.base_url, "--summary-json", str(out), run_time="3s", users=3
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(out.read_text())
    rows = {r["name"]: r["count"] for r in doc["requests"]}
    served = server_counts(target.metrics_text())
    assert rows["/health"] == served[("/health", "GET", "200")] > 50
    assert rows["/api/v1/users/{id}"] == served[("/api/v1/users/{id}", "GET", "200")]
    m = doc["metrics"]
    assert m["server_timing_db"]["values"]["count"] == rows["/api/v1/users/{id}"]
    assert m["http_req_waiting"]["values"]["count"] == m["http_reqs"]["values"]["count"]
    assert m["http_req_failed"]["values"]["rate"] == 0


@pytest.mark.slow
def test_lean_users_as_scenario_vus_keep_the_schedule_and_the_corrected_latency(
    start_target: StartTarget, tmp_path: Path
) -> None:
    target = start_target()
    out = tmp_path / "r.json"
    proc = run_locust(
        "lean.py", target.base_url, "--summary-json", str(out),
        "--summary-submetric", "iterations{scenario:open}", env={"LEAN_MODE": "scenarios"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(out.read_text())
    m = doc["metrics"]
    served = server_counts(target.metrics_text())
    assert m["iterations{scenario:open}"]["values"]["count"] == 200  # 50/s for 4 s, exactly
    assert m["offered_iterations"]["values"]["count"] == 200
    assert served[("/health", "GET", "200")] == 200
    closed = served[("/api/v1/users/{id}", "GET", "200")]
    assert closed > 50 and m["server_timing_db"]["values"]["count"] == closed
    total = m["http_reqs"]["values"]["count"]
    assert total == m["iterations"]["values"]["count"] == 200 + closed
    assert m["http_req_duration_corrected"]["values"]["count"] == total
