"""parse_duration_s: k6 duration strings, strictly."""

from __future__ import annotations

import pytest

from genesis_load.errors import ConfigError
from genesis_load.pacing import parse_duration_s


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30.0),
        ("500ms", 0.5),
        ("100ms", 0.1),
        ("1m", 60.0),
        ("1h30m", 5400.0),
        ("1m30s", 90.0),
        ("90s", 90.0),
        ("1.5s", 1.5),
        (".5s", 0.5),
        ("2d", 172_800.0),
        ("1h0m0.001s", 3600.001),
        ("250us", 0.00025),
        ("250µs", 0.00025),
        ("10ns", 1e-8),
        ("0s", 0.0),
    ],
    ids=lambda v: str(v) if isinstance(v, str) else "",
)
def test_valid_durations(text: str, seconds: float) -> None:
    assert parse_duration_s(text, "x") == seconds


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", 'x: invalid duration "" (expected e.g. "30s", "500ms", "1h30m")'),
        ("30", 'x: invalid duration "30" (expected e.g. "30s", "500ms", "1h30m")'),
        ("-1s", 'x: invalid duration "-1s" (expected e.g. "30s", "500ms", "1h30m")'),
        ("1 s", 'x: invalid duration "1 s" (expected e.g. "30s", "500ms", "1h30m")'),
        ("1.s", 'x: invalid duration "1.s" (expected e.g. "30s", "500ms", "1h30m")'),
        ("1sec", 'x: invalid duration "1sec" (expected e.g. "30s", "500ms", "1h30m")'),
        ("1H", 'x: invalid duration "1H" (expected e.g. "30s", "500ms", "1h30m")'),
        ("s", 'x: invalid duration "s" (expected e.g. "30s", "500ms", "1h30m")'),
        ("1s1h", 'x: invalid duration "1s1h": units must appear once each, largest first'),
        ("1s1s", 'x: invalid duration "1s1s": units must appear once each, largest first'),
        (30, 'x: must be a duration string (expected e.g. "30s", "500ms", "1h30m"), got 30'),
        (None, 'x: must be a duration string (expected e.g. "30s", "500ms", "1h30m"), got null'),
    ],
    ids=[
        "empty",
        "a bare number (k6 would read milliseconds)",
        "a sign",
        "a space",
        "a dot without decimals",
        "a long unit name",
        "an upper-case unit",
        "a unit without a number",
        "units out of order",
        "a repeated unit",
        "a number, not a string",
        "nothing",
    ],
)
def test_invalid_durations_name_where(text: object, problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_duration_s(text, "x")
    assert err.value.problems == (problem,)
