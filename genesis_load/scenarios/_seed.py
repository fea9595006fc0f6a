"""What every GENESIS suite scenario shares: the seed report's targets as thresholds."""

from __future__ import annotations

from typing import Any

__all__ = ["SEED_THRESHOLDS"]

#: The seed's performance targets (p50 < 100 ms, p95 < 500 ms, p99 < 1000 ms, errors < 1%,
#: cache hit rate > 90%), as default thresholds of the suite's shapes.
SEED_THRESHOLDS: dict[str, Any] = {
    "http_req_duration": ["med<100", "p(95)<500", "p(99)<1000"],
    "http_req_failed": ["rate<0.01"],
    "cache_hit": ["rate>0.9"],
}
