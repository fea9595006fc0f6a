"""REST resources over SQLite: list, get, create, validation, Server-Timing on reads."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from target_helpers import post, server_timing

from genesis_load.target import TargetProcess
from genesis_load.target.dataset import users

SEEDED = {"users": 1_000, "workouts": 5_000, "plans": 200}


@pytest.mark.parametrize("resource", list(SEEDED))
def test_list_pages_through_the_seeded_rows(target: TargetProcess, resource: str) -> None:
    url = f"{target.base_url}/api/v1/{resource}"
    first = requests.get(url, timeout=5).json()
    assert (first["limit"], first["offset"], len(first["items"])) == (20, 0, 20)
    assert first["total"] >= SEEDED[resource]  # other tests may have created rows
    page = requests.get(url, params={"limit": 5, "offset": 10}, timeout=5).json()
    assert [row["id"] for row in page["items"]] == [11, 12, 13, 14, 15]


@pytest.mark.parametrize(
    ("query", "bad_param"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
    ids=["limit 0", "limit over 100", "limit not a number", "negative offset"],
)
def test_list_rejects_bad_query_parameters(
    target: TargetProcess, query: dict[str, Any], bad_param: str
) -> None:
    response = requests.get(f"{target.base_url}/api/v1/users", params=query, timeout=5)
    assert response.status_code == 400
    assert set(response.json()["problems"]) == {bad_param}


def test_get_returns_the_deterministic_seed_row_with_a_db_timing(target: TargetProcess) -> None:
    response = requests.get(f"{target.base_url}/api/v1/users/17", timeout=5)
    assert response.status_code == 200
    expected = list(users(seed=42, count=17))[-1]
    assert tuple(response.json().values()) == expected
    timing = server_timing(response.headers["Server-Timing"])
    assert set(timing) == {"db"} and timing["db"] > 0


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/workouts/999999", 404),
        ("/api/v1/plans/0", 400),
        ("/api/v1/users/abc", 400),
        ("/api/v1/nothing/1", 404),
    ],
    ids=["missing row is 404", "id 0 is 400", "non-numeric id is 400", "unknown resource 404"],
)
def test_get_errors_are_json(target: TargetProcess, path: str, status: int) -> None:
    response = requests.get(f"{target.base_url}{path}", timeout=5)
    assert response.status_code == status
    assert response.json()["status"] == status


VALID_BODIES = {
    "users": {"name": "Ada Lovelace", "email": "ada@example.com", "age": 36},
    "workouts": {
        "user_id": 3,
        "kind": "run",
        "duration_min": 42,
        "calories": 420,
        "started_at": "2024-05-01T07:30:00",
    },
    "plans": {
        "name": "Spring base",
        "agent": "BLAZE",
        "level": "beginner",
        "weeks": 8,
        "sessions_per_week": 3,
    },
}


@pytest.mark.parametrize("resource", list(VALID_BODIES))
def test_create_returns_201_and_the_row_is_readable(target: TargetProcess, resource: str) -> None:
    response = post(f"{target.base_url}/api/v1/{resource}", VALID_BODIES[resource])
    assert response.status_code == 201, response.text
    row = response.json()
    assert {k: row[k] for k in VALID_BODIES[resource]} == VALID_BODIES[resource]
    assert response.headers["Location"] == f"/api/v1/{resource}/{row['id']}"
    assert requests.get(f"{target.base_url}{response.headers['Location']}", timeout=5).json() == row


@pytest.mark.parametrize(
    ("resource", "body", "bad_fields"),
    [
        ("users", {"name": "A", "email": "a@example.com"}, {"age"}),
        ("users", {**VALID_BODIES["users"], "age": "36"}, {"age"}),
        ("users", {**VALID_BODIES["users"], "age": True}, {"age"}),
        ("users", {**VALID_BODIES["users"], "email": "nope"}, {"email"}),
        ("users", {**VALID_BODIES["users"], "nickname": "x"}, {"nickname"}),
        ("users", {"age": 5, "fitness_level": "pro"}, {"name", "email", "age", "fitness_level"}),
        ("workouts", {**VALID_BODIES["workouts"], "user_id": 999_999}, {"user_id"}),
        ("workouts", {**VALID_BODIES["workouts"], "started_at": "yesterday"}, {"started_at"}),
        ("plans", {**VALID_BODIES["plans"], "agent": "HAL"}, {"agent"}),
        ("plans", [1, 2], {"(body)"}),
    ],
    ids=[
        "missing field",
        "string where an integer belongs",
        "boolean is not an integer",
        "bad email",
        "unknown field",
        "every problem at once",
        "workout for a user that does not exist",
        "timestamp not ISO 8601",
        "plan for an unknown agent",
        "body that is not an object",
    ],
)
def test_create_names_every_invalid_field(
    target: TargetProcess, resource: str, body: Any, bad_fields: set[str]
) -> None:
    response = requests.post(f"{target.base_url}/api/v1/{resource}", json=body, timeout=5)
    assert response.status_code == 400
    assert set(response.json()["problems"]) == bad_fields


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"{not json", "Expecting property name"), (b"", "empty"), (b'{"name": "\xc3\x28"}', "utf-8")],
    ids=["broken JSON", "empty body", "not UTF-8"],
)
def test_create_rejects_invalid_json(target: TargetProcess, data: bytes, problem: str) -> None:
    response = requests.post(f"{target.base_url}/api/v1/users", data=data, timeout=5)
    assert response.status_code == 400
    assert problem in response.json()["problems"]["(body)"]
