"""What the GENESIS suite scenarios share: the seed report's targets as thresholds."""

from __future__ import annotations

from typing import Any

__all__ = ["SEED_CACHE_THRESHOLDS", "SEED_THRESHOLDS"]

#: The seed's latency and error targets (p50 < 100 ms, p95 < 500 ms, p99 < 1000 ms,
#: errors < 1%), default thresholds of every suite scenario.
SEED_THRESHOLDS: dict[str, Any] = {
    "http_req_duration": ["med<100", "p(95)<500", "p(99)<1000"],
    "http_req_failed": ["rate<0.01"],
}

#: The seed judged the cache hit rate (> 90%) on its benchmark suite, a long steady run with a
#: warm cache; a short or cold run would fail it for reasons that say nothing of the cache.
SEED_CACHE_THRESHOLDS: dict[str, Any] = {**SEED_THRESHOLDS, "cache_hit": ["rate>0.9"]}
