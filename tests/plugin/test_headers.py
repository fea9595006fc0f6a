from __future__ import annotations

import pytest

from genesis_load.plugin.headers import cache_hit, server_timings


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-Cache": "HIT"}, True),
        ({"X-Cache": "MISS"}, False),
        ({"X-Cache": "Hit from cloudfront"}, True),
        ({"CF-Cache-Status": "EXPIRED"}, False),
        ({"X-Cache-Status": "STALE"}, True),
        ({"Content-Type": "text/plain"}, None),
    ],
    ids=["hit", "miss", "cloudfront wording", "cloudflare expired", "nginx stale", "none"],
)
def test_cache_status(headers: dict[str, str], expected: bool | None) -> None:
    assert cache_hit(headers) is expected


def test_server_timing_parses_durations_and_skips_the_rest() -> None:
    value = 'cache;dur=0.012, db;dur=0.41;desc="SQLite, read", miss, edge;dur=abc, Total;dur=2'
    assert server_timings(value) == {"cache": 0.012, "db": 0.41, "total": 2.0}
