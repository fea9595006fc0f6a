"""The deterministic seed dataset: realistic users, workouts and plans from one integer seed.

Pure generators of row tuples in ``Resource.columns`` order (``id`` first, ``created_at``
last). The same (seed, counts) always gives byte-identical rows, so a test can know that user
17 exists and what it looks like without asking the server.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from genesis_load.target.agents import AGENTS
from genesis_load.target.resources import FITNESS_LEVELS, GOALS, WORKOUT_KINDS

__all__ = ["plans", "users", "workouts"]

EPOCH = datetime(2024, 1, 1, 6, 0, 0)
_FIRST = (
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Liam",
    "Maya",
    "Noor",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Viktor",
    "Wen",
    "Xavi",
    "Yara",
    "Zane",
)
_LAST = (
    "Okafor",
    "Schmidt",
    "Tanaka",
    "Silva",
    "Novak",
    "Haddad",
    "Larsen",
    "Moreau",
    "Kowalski",
    "Patel",
    "Rossi",
    "Nguyen",
    "Ibrahim",
    "Fischer",
    "Costa",
    "Berg",
    "Lindqvist",
    "Mensah",
)
_KCAL_PER_MIN = {
    "run": 11,
    "ride": 9,
    "swim": 10,
    "strength": 6,
    "yoga": 3,
    "hiit": 12,
    "walk": 4,
    "row": 9,
}
_PLAN_WORDS = ("Foundation", "Momentum", "Peak", "Reset", "Balance", "Breakthrough", "Steady")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def users(seed: int, count: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(f"users-{seed}")
    for i in range(1, count + 1):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        yield (
            i,
            f"{first} {last}",
            f"{first}.{last}{i}@example.com".lower(),
            rng.randint(18, 72),
            rng.choices(FITNESS_LEVELS, weights=(5, 4, 2))[0],
            rng.choice(GOALS),
            _iso(EPOCH + timedelta(minutes=37 * i)),
        )


def workouts(seed: int, count: int, user_count: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(f"workouts-{seed}")
    for i in range(1, count + 1):
        kind = rng.choice(WORKOUT_KINDS)
        duration_min = rng.randint(15, 120)
        calories = round(duration_min * _KCAL_PER_MIN[kind] * rng.uniform(0.8, 1.2))
        started = EPOCH + timedelta(seconds=rng.randint(0, 365 * 86_400))
        yield (
            i,
            rng.randint(1, user_count),
            kind,
            duration_min,
            calories,
            _iso(started),
            "",
            _iso(started + timedelta(minutes=duration_min)),
        )


def plans(seed: int, count: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(f"plans-{seed}")
    agents = tuple(AGENTS.values())
    for i in range(1, count + 1):
        agent = rng.choice(agents)
        weeks = rng.randint(4, 16)
        level = rng.choice(FITNESS_LEVELS)
        yield (
            i,
            f"{rng.choice(_PLAN_WORDS)} {weeks}-week {agent.domain.split(' ')[0]} plan",
            agent.name,
            level,
            weeks,
            rng.randint(2, 6),
            f"A {level} program for {agent.domain}, coached by {agent.name}.",
            _iso(EPOCH + timedelta(hours=5 * i)),
        )
