"""The REST resources (users, workouts, plans): their fields and POST-body validation.

Owns the schema as data: each Resource lists its client-settable fields with type, bounds and
default. The SQL table is derived from it (see ``store``); every row also has ``id`` and a
server-set ``created_at``. Validation reports every bad or unknown field at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from genesis_load.target.agents import AGENTS

__all__ = ["RESOURCES", "Field", "Resource"]

FITNESS_LEVELS = ("beginner", "intermediate", "advanced")
GOALS = ("lose_weight", "build_muscle", "endurance", "flexibility", "wellbeing")
WORKOUT_KINDS = ("run", "ride", "swim", "strength", "yoga", "hiit", "walk", "row")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _int_range(low: int, high: int) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be an integer in [{low}, {high}]"
        return None if low <= value <= high else f"must be an integer in [{low}, {high}]"

    return check


def _text(max_len: int, min_len: int = 1) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if not isinstance(value, str) or not min_len <= len(value.strip()) <= max_len:
            return f"must be a string of {min_len} to {max_len} characters"
        return None

    return check


def _one_of(choices: tuple[str, ...]) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


def _email(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL.match(value):
        return "must be an email address like ada@example.com"
    return None


def _timestamp(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be an ISO 8601 date-time string like 2024-05-01T07:30:00"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return "must be an ISO 8601 date-time string like 2024-05-01T07:30:00"
    return None


@dataclass(frozen=True)
class Field:
    """A client-settable column. ``default`` None means required."""

    name: str
    sql_type: str  # INTEGER or TEXT
    check: Callable[[object], str | None]
    default: object = None
    indexed: bool = False


@dataclass(frozen=True)
class Resource:
    """A REST collection backed by one SQLite table of the same name."""

    name: str
    fields: tuple[Field, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return ("id", *(f.name for f in self.fields), "created_at")

    def validate(self, body: object) -> tuple[dict[str, object], dict[str, str]]:
        """(values with defaults filled in, problems by field name); problems empty if valid."""
        if not isinstance(body, Mapping):
            return {}, {"(body)": "must be a JSON object"}
        problems: dict[str, str] = {}
        known = {f.name for f in self.fields}
        for key in body:
            if key not in known:
                problems[str(key)] = f"unknown field (expected {', '.join(sorted(known))})"
        values: dict[str, object] = {}
        for f in self.fields:
            if f.name not in body:
                if f.default is None:
                    problems[f.name] = "required"
                values[f.name] = f.default
                continue
            problem = f.check(body[f.name])
            if problem:
                problems[f.name] = problem
            values[f.name] = body[f.name]
        return values, problems


RESOURCES: dict[str, Resource] = {
    "users": Resource(
        "users",
        (
            Field("name", "TEXT", _text(100)),
            Field("email", "TEXT", _email),
            Field("age", "INTEGER", _int_range(13, 120)),
            Field("fitness_level", "TEXT", _one_of(FITNESS_LEVELS), default="beginner"),
            Field("goal", "TEXT", _one_of(GOALS), default="wellbeing"),
        ),
    ),
    "workouts": Resource(
        "workouts",
        (
            Field("user_id", "INTEGER", _int_range(1, 2**62), indexed=True),
            Field("kind", "TEXT", _one_of(WORKOUT_KINDS)),
            Field("duration_min", "INTEGER", _int_range(1, 600)),
            Field("calories", "INTEGER", _int_range(0, 10_000)),
            Field("started_at", "TEXT", _timestamp),
            Field("notes", "TEXT", _text(500, min_len=0), default=""),
        ),
    ),
    "plans": Resource(
        "plans",
        (
            Field("name", "TEXT", _text(120)),
            Field("agent", "TEXT", _one_of(tuple(AGENTS))),
            Field("level", "TEXT", _one_of(FITNESS_LEVELS)),
            Field("weeks", "INTEGER", _int_range(1, 52)),
            Field("sessions_per_week", "INTEGER", _int_range(1, 14)),
            Field("description", "TEXT", _text(1000, min_len=0), default=""),
        ),
    ),
}
