"""Hostile JSON never costs the target a 500 or a traceback: one parse function, 400 + reason."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests
import websocket
from target_helpers import request_counts

from genesis_load.target import TargetProcess
from genesis_load.target.json_body import MAX_DEPTH, MAX_INT_DIGITS, JsonInputError, parse_json

DEEP_5000 = b"[" * 5000 + b"]" * 5000
LONG_INT = b'{"age": ' + b"9" * 5000 + b"}"


def nested(levels: int) -> object:
    value: object = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b'{"a": [1, 2.5, "x"]}', {"a": [1, 2.5, "x"]}),
        (b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, nested(MAX_DEPTH)),
        (b'"' + b"[" * 500 + b'"', "[" * 500),
        (b'{"s": "a \\" [[[ {{{"}', {"s": 'a " [[[ {{{'}),
        (b"-" + b"9" * MAX_INT_DIGITS, -int("9" * MAX_INT_DIGITS)),
    ],
    ids=[
        "an ordinary object parses",
        "64 levels of nesting are allowed",
        "brackets inside a string do not count as nesting",
        "an escaped quote does not end the string early",
        "a negative 100-digit integer is allowed",
    ],
)
def test_acceptable_json_parses(raw: bytes, value: object) -> None:
    assert parse_json(raw) == value
    assert parse_json(raw.decode()) == value  # a WebSocket message arrives as str


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"{not json", "invalid"),
        (b"\xff\xfe\x00", "invalid"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "too_deep"),
        (DEEP_5000, "too_deep"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "too_deep"),
        (b"[" * 100_000, "too_deep"),
        (b"9" * (MAX_INT_DIGITS + 1), "integer_too_long"),
        (LONG_INT, "integer_too_long"),
    ],
    ids=[
        "an empty body is refused as empty",
        "whitespace only is empty",
        "broken syntax is invalid",
        "bytes that are not UTF-8 are invalid",
        "65 levels of nesting are too deep",
        "a 5000-deep array is too deep, without a RecursionError",
        "a 5000-deep object is too deep",
        "100000 unclosed brackets are too deep",
        "a 101-digit integer is too long",
        "a 5000-digit integer in an object is too long",
    ],
)
def test_hostile_json_is_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(JsonInputError) as caught:
        parse_json(raw)
    assert caught.value.reason == reason
    assert len(str(caught.value)) <= 200


POST_ROUTES = ["/api/v1/users", "/api/v1/workouts", "/api/v1/agents/BLAZE/chat", "/admin/faults"]
BAD_BODIES = {
    "too_deep": DEEP_5000,
    "integer_too_long": LONG_INT,
    "invalid": b'{"name": ',
}


def test_every_post_route_answers_400_and_logs_one_line_per_bad_body(
    start_target: Callable[..., TargetProcess],
) -> None:
    target = start_target("--log-level", "INFO")
    headers = {"Content-Type": "application/json"}
    for path in POST_ROUTES:
        for reason, body in BAD_BODIES.items():
            response = requests.post(target.base_url + path, data=body, headers=headers, timeout=5)
            assert response.status_code == 400, (path, reason, response.text)
            assert response.json()["reason"] == reason
    openai = requests.post(
        f"{target.base_url}/v1/chat/completions", data=DEEP_5000, headers=headers, timeout=5
    )
    assert openai.status_code == 400
    assert openai.json()["error"]["type"] == "invalid_request_error"
    counts = request_counts(target.metrics_text())
    for path in POST_ROUTES:
        route = path if "BLAZE" not in path else "/api/v1/agents/{name}/chat"
        assert counts[(route, "POST", "400")] == len(BAD_BODIES)
    assert counts[("/v1/chat/completions", "POST", "400")] == 1
    assert requests.get(f"{target.base_url}/health", timeout=5).ok
    assert target.stop() == 0
    log = target.stderr_text().splitlines()
    refused = [line for line in log if "refused a JSON body" in line]
    assert len(refused) == len(POST_ROUTES) * len(BAD_BODIES) + 1  # one line per request
    assert "Traceback" not in target.stderr_text()
    assert not [line for line in log if " ERROR " in line or " WARNING " in line]


@pytest.mark.parametrize(
    "frame",
    [DEEP_5000.decode(), LONG_INT.decode()],
    ids=["a 5000-deep message", "a 5000-digit integer"],
)
def test_hostile_websocket_messages_get_an_error_and_the_connection_stays(
    target: TargetProcess, frame: str
) -> None:
    conn = websocket.create_connection(f"ws://127.0.0.1:{target.port}/ws", timeout=10)
    try:
        conn.send(frame)
        reply = json.loads(conn.recv())
        assert reply["type"] == "error" and reply["error"].startswith("invalid JSON")
        conn.send(json.dumps({"id": 9}))
        assert json.loads(conn.recv())["type"] == "echo"
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/users/" + "9" * 5000, "/api/v1/cached/users/" + "9" * 5000, "/api/v1/users/%C2%B2"],
    ids=["a 5000-digit id", "a 5000-digit id on the cached route", "a superscript digit id"],
)
def test_an_unreadable_row_id_is_400(target: TargetProcess, path: str) -> None:
    response = requests.get(target.base_url + path, timeout=5)
    assert response.status_code == 400
    assert "id" in response.json()["problems"]
