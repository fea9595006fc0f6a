"""Per-client token-bucket rate limiting.

Owns the buckets (one per client key, LRU-bounded) and the arithmetic. Choosing the client key
(``X-Client-Id`` or peer IP) and answering 429 belong to the middleware.

Bucket arithmetic, with rate r tokens/s and capacity b::

    tokens(t) = min(b, tokens(t0) + r * (t - t0))
    allow     iff tokens(t) >= 1, then tokens -= 1
    retry_after_s = (1 - tokens(t)) / r          when refused
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["TokenBucketLimiter"]


class TokenBucketLimiter:
    """``acquire(key)`` returns 0.0 when allowed, else the seconds until a token is available."""

    def __init__(
        self,
        rate_per_s: float,
        burst: float | None = None,
        *,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_s <= 0:
            raise ValueError(f"rate_per_s must be > 0, got {rate_per_s}")
        self.rate_per_s = rate_per_s
        self.burst = burst if burst is not None else max(1.0, rate_per_s)
        self._max_clients = max_clients
        self._clock = clock
        # key -> [tokens, last refill time]
        self._buckets: OrderedDict[str, list[float]] = OrderedDict()

    def acquire(self, key: str) -> float:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = [self.burst, now]
            if len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate_per_s)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate_per_s
