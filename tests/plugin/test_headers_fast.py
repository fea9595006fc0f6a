"""The Server-Timing fast path gives exactly what werkzeug's parsing gives (issue 15)."""

from __future__ import annotations

import random

import pytest

from genesis_load.plugin.headers import _SIMPLE_TIMING, _werkzeug_timings, server_timings


@pytest.mark.parametrize(
    "value",
    [
        "db;dur=1.2, app;dur=3.4",
        "db;dur=1.2,app;dur=3",
        "  db;dur=1  ,  x;dur=2 ",
        "Total;dur=2",
        "a-b;dur=0.5, A_B;dur=7",  # both become a_b: the later one wins, as with werkzeug
        "db;dur=1, db;dur=2",
        "db;dur=007.250",
        "db;DUR=1.2",
        "db;dur=.5",
        "db;dur=5.",
        "db;dur=1e3",
        "db;dur=-1",
        'db;dur="1.5"',
        "db;dur=1;dur=2",
        "db;dur=1.2;desc=x",
        'cache;dur=0.012, db;dur=0.41;desc="SQLite, read", miss, edge;dur=abc, Total;dur=2',
        "db;dur=1,",
        ",db;dur=1",
        "db ; dur = 1.2",
        "\tdb;dur=1",
        "",
    ],
)
def test_the_fast_path_and_werkzeug_agree(value: str) -> None:
    assert server_timings(value) == _werkzeug_timings(value)


def test_random_values_agree_and_the_common_form_takes_the_fast_path() -> None:
    rnd = random.Random(15)
    pieces = ["db", "app", "A-b", "x_1", ";", "dur", "=", "1", "2.5", ".", ",", " ", '"', "desc"]
    fast = 0
    for _ in range(5000):
        if rnd.random() < 0.5:  # well formed
            entries = [
                f"{rnd.choice(['db', 'App', 'a-b', 'c_1'])};dur={rnd.randint(0, 999)}"
                + (f".{rnd.randint(0, 99)}" if rnd.random() < 0.5 else "")
                for _ in range(rnd.randint(1, 4))
            ]
            value = rnd.choice([",", ", ", " , "]).join(entries)
        else:
            value = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        fast += bool(_SIMPLE_TIMING.fullmatch(value))
        assert server_timings(value) == _werkzeug_timings(value), value
    assert fast > 2000
