"""TargetConfig: every option of the demo target, validated, immutable.

Owns defaults and validation only. Turning CLI arguments into a TargetConfig is
:mod:`genesis_load.target.server`'s job; runtime-changeable state (the active faults) lives in
:mod:`genesis_load.target.faults` and starts from ``TargetConfig.faults``.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field, fields

from genesis_load.target.fault_spec import FaultSpec

__all__ = ["LOOPBACK_HOST", "TargetConfig", "is_loopback"]

# The demo target only ever listens on loopback.
LOOPBACK_HOST = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and literal loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class TargetConfig:
    """All server options. ``ValueError`` from the constructor lists every bad field at once."""

    host: str = LOOPBACK_HOST  # a loopback address only: this server is a test target
    port: int = 8765
    seed: int = 42
    db_path: str | None = None  # None: a fresh SQLite file in a temporary directory
    dataset_users: int = 1_000
    dataset_workouts: int = 5_000
    dataset_plans: int = 200
    cache_size: int = 1_024
    cache_ttl_s: float = 30.0
    ai_speed: float = 1.0  # divides every simulated AI duration
    tokens_per_s: float = 40.0  # streaming pace at ai_speed 1.0
    max_conversations: int = 10_000
    max_turns: int = 50
    max_inflight: int = 256
    rate_limit_per_s: float | None = None  # None: no per-client rate limit
    rate_limit_burst: float | None = None  # None: one second's worth of tokens
    max_body_bytes: int = 1 << 20
    ws_send_buffer_bytes: int = 1 << 20  # unsent bytes a WebSocket may hold (ws_outbox)
    ws_send_timeout_s: float = 2.0  # a send waiting longer for room drops the connection
    access_log_path: str | None = None
    faults: FaultSpec = field(default_factory=FaultSpec)
    shutdown_timeout_s: float = 2.0

    def __post_init__(self) -> None:
        problems: list[str] = []
        minimums: dict[str, float] = {
            "port": 0,
            "dataset_users": 1,
            "dataset_workouts": 0,
            "dataset_plans": 0,
            "cache_size": 0,
            "max_conversations": 1,
            "max_turns": 1,
            "max_inflight": 1,
            "max_body_bytes": 1,
            "ws_send_buffer_bytes": 1024,
            "shutdown_timeout_s": 0,
        }
        positive = (
            "cache_ttl_s",
            "ai_speed",
            "tokens_per_s",
            "rate_limit_per_s",
            "ws_send_timeout_s",
        )
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if not math.isfinite(value):
                problems.append(f"{f.name} must be finite, got {value}")
            elif f.name in minimums and value < minimums[f.name]:
                problems.append(f"{f.name} must be >= {minimums[f.name]:g}, got {value}")
            elif f.name in positive and value <= 0:
                problems.append(f"{f.name} must be > 0, got {value}")
        if not is_loopback(self.host):
            problems.append(
                "host must be a loopback address (127.0.0.0/8, ::1 or localhost), "
                f"got {self.host!r}"
            )
        if self.port > 65535:
            problems.append(f"port must be <= 65535, got {self.port}")
        if self.rate_limit_burst is not None and self.rate_limit_burst < 1:
            problems.append(f"rate_limit_burst must be >= 1, got {self.rate_limit_burst}")
        if problems:
            raise ValueError("; ".join(problems))
