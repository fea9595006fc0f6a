"""TargetState: the per-application runtime objects handlers share, and its typed app key.

Owns construction order and lifetime (``close``). Handlers reach it as ``request.app[STATE]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from genesis_load.target.accesslog import AccessLog
from genesis_load.target.agents import AGENTS
from genesis_load.target.cache import TTLCache
from genesis_load.target.config import TargetConfig
from genesis_load.target.conversations import ConversationStore
from genesis_load.target.faults import FaultInjector
from genesis_load.target.metrics import TargetMetrics
from genesis_load.target.ratelimit import TokenBucketLimiter
from genesis_load.target.store import Store

__all__ = ["STATE", "TargetState"]


@dataclass
class TargetState:
    config: TargetConfig
    metrics: TargetMetrics
    store: Store
    cache: TTLCache[bytes]
    faults: FaultInjector
    conversations: ConversationStore
    limiter: TokenBucketLimiter | None
    access_log: AccessLog | None
    started_monotonic: float = field(default_factory=time.monotonic)
    inflight: int = 0
    websockets: weakref.WeakSet[web.WebSocketResponse] = field(default_factory=weakref.WeakSet)
    streams: set[asyncio.Task[Any]] = field(default_factory=set)
    closing: bool = False

    @classmethod
    def build(cls, config: TargetConfig) -> TargetState:
        holder: list[TargetState] = []
        metrics = TargetMetrics(agents=AGENTS, inflight=lambda: holder[0].inflight)
        # The access log opens first: if it fails, no temporary database is left behind.
        access_log = AccessLog(config.access_log_path) if config.access_log_path else None
        state = cls(
            config=config,
            metrics=metrics,
            store=Store(
                config.db_path,
                seed=config.seed,
                users=config.dataset_users,
                workouts=config.dataset_workouts,
                plans=config.dataset_plans,
            ),
            cache=TTLCache(config.cache_size, config.cache_ttl_s),
            faults=FaultInjector(config.faults, seed=config.seed, on_fault=metrics.count_fault),
            conversations=ConversationStore(config.max_conversations, config.max_turns),
            limiter=(
                TokenBucketLimiter(config.rate_limit_per_s, config.rate_limit_burst)
                if config.rate_limit_per_s
                else None
            ),
            access_log=access_log,
        )
        holder.append(state)
        return state

    @contextlib.contextmanager
    def streaming(self) -> Iterator[None]:
        """Register the current handler task as a stream that shutdown may cancel."""
        task = asyncio.current_task()
        if task is not None:
            self.streams.add(task)
        try:
            yield
        finally:
            if task is not None:
                self.streams.discard(task)

    def end_streams(self) -> None:
        """Shutdown: cancel every open stream; handlers see ``closing`` and end cleanly."""
        self.closing = True
        for task in list(self.streams):
            task.cancel()

    async def close(self) -> None:
        if self.access_log is not None:
            await self.access_log.close()
        self.store.close()


STATE = web.AppKey("genesis_target_state", TargetState)
