"""Runtime fault injection: the current spec, the seeded RNG and the stall window.

Owns the per-request decisions (hold, delay, drop, error), the per-frame malformed decision
and the per-answer one (an AI answer emptied or truncated).
It never sleeps or touches sockets: the middleware and the streaming handlers act on what it
decides, and report each injected fault through the ``on_fault(kind)`` callback.

Determinism: the RNG is re-seeded from ``seed`` every time a spec is set, and each request draws
the same fixed sequence (latency, drop, error), so a sequential run against a fresh spec always
injects the same faults.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from genesis_load.target.fault_spec import FaultSpec

__all__ = ["FAULT_KINDS", "FaultInjector", "RequestFaults"]

FAULT_KINDS = ("latency", "error", "stall", "drop", "malformed", "truncate", "empty")


@dataclass(frozen=True, slots=True)
class RequestFaults:
    """What to do to one request, in this order: hold, delay, then drop or error."""

    hold_s: float = 0.0
    delay_s: float = 0.0
    drop: bool = False
    error: bool = False


class FaultInjector:
    """Holds the active FaultSpec; decides, per request and per frame, which faults to inject."""

    def __init__(
        self,
        spec: FaultSpec,
        *,
        seed: int,
        on_fault: Callable[[str], None] = lambda kind: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seed = seed
        self._on_fault = on_fault
        self._clock = clock
        self._rng = random.Random(seed)
        self._spec = FaultSpec()
        self._request_level = False
        self._stall_window: tuple[float, float] | None = None
        self.set(spec)

    @property
    def spec(self) -> FaultSpec:
        return self._spec

    def set(self, spec: FaultSpec) -> None:
        """Replace the active spec; the stall window starts counting now; the RNG is re-seeded."""
        self._spec = spec
        self._rng = random.Random(self._seed)
        now = self._clock()
        self._stall_window = (
            (now + spec.stall.start_in_s, now + spec.stall.start_in_s + spec.stall.duration_s)
            if spec.stall is not None
            else None
        )
        self._request_level = bool(
            spec.latency_ms or spec.latency or spec.error_rate or spec.drop_rate or spec.stall
        )

    def stall_remaining_s(self) -> tuple[float, float] | None:
        """(seconds until the stall window opens, seconds until it closes), or None."""
        if self._stall_window is None:
            return None
        now = self._clock()
        return (self._stall_window[0] - now, self._stall_window[1] - now)

    def for_request(self, path: str) -> RequestFaults | None:
        """Decide the faults for a request arriving now on ``path``; None when there are none."""
        spec = self._spec
        if not self._request_level or not spec.applies_to(path):
            return None
        hold_s = 0.0
        if self._stall_window is not None:
            now = self._clock()
            start, end = self._stall_window
            if start <= now < end:
                hold_s = end - now
                self._on_fault("stall")
        delay_s = 0.0
        if spec.latency_ms:
            delay_s = spec.latency_ms / 1000.0
        elif spec.latency is not None:
            delay_s = spec.latency.sample_ms(self._rng) / 1000.0
        if delay_s > 0.0:
            self._on_fault("latency")
        drop = spec.drop_rate > 0.0 and self._rng.random() < spec.drop_rate
        error = not drop and spec.error_rate > 0.0 and self._rng.random() < spec.error_rate
        if drop:
            self._on_fault("drop")
        elif error:
            self._on_fault("error")
        if not (hold_s or delay_s or drop or error):
            return None
        return RequestFaults(hold_s=hold_s, delay_s=delay_s, drop=drop, error=error)

    def answer_fault(self, path: str) -> str | None:
        """For an AI answer on ``path``: ``"empty"``, ``"truncate"`` or None (one draw each)."""
        spec = self._spec
        if not (spec.empty_rate or spec.truncate_rate) or not spec.applies_to(path):
            return None
        for kind, rate in (("empty", spec.empty_rate), ("truncate", spec.truncate_rate)):
            if rate > 0.0 and self._rng.random() < rate:
                self._on_fault(kind)
                return kind
        return None

    def malformed(self, path: str) -> bool:
        """Should the next SSE / WebSocket frame on ``path`` be sent malformed?"""
        spec = self._spec
        if spec.malformed_rate <= 0.0 or not spec.applies_to(path):
            return False
        if self._rng.random() < spec.malformed_rate:
            self._on_fault("malformed")
            return True
        return False
