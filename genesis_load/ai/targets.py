"""What a good turn is: latency targets and the quality bar, for ``ai_quality_ok`` and goodput.

``ai_goodput`` (docs/ai.md) is the share of conversations in which **every** turn was
answered (no failure), within ``response_time_ms`` (request sent -> last content), within
``ttft_ms`` when set, and scored at least ``quality``. The defaults are the seed's AI targets:
response time < 20 s, quality > 85%.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TurnTargets"]


@dataclass(frozen=True, slots=True)
class TurnTargets:
    response_time_ms: float = 20_000.0
    ttft_ms: float | None = None
    quality: float = 0.85

    def met(self, response_ms: float, ttft_ms: float | None, score: float) -> bool:
        """Did an answered turn meet every target? (A failed turn never does.)"""
        if response_ms > self.response_time_ms or score < self.quality:
            return False
        return self.ttft_ms is None or (ttft_ms is not None and ttft_ms <= self.ttft_ms)
