"""The target's small pure parts: config, CLI parsing, rate limiter, cache, conversations, SSE
wire format. Fake clocks, no server."""

from __future__ import annotations

import argparse

import pytest

from genesis_load.target import FaultSpec, TargetConfig
from genesis_load.target.admin import is_loopback
from genesis_load.target.cache import TTLCache
from genesis_load.target.conversations import ConversationStore, Turn
from genesis_load.target.ratelimit import TokenBucketLimiter
from genesis_load.target.server import add_arguments, config_from_args
from genesis_load.target.sse_wire import sse_comment, sse_frame


class FakeClock:
    def __init__(self) -> None:
        self.now_s = 0.0

    def __call__(self) -> float:
        return self.now_s


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_cli_defaults_equal_target_config_defaults() -> None:
    assert config_from_args(parse()) == TargetConfig()


def test_cli_options_reach_the_config() -> None:
    config = config_from_args(
        parse(
            "--port",
            "0",
            "--ai-speed",
            "20",
            "--max-inflight",
            "8",
            "--cache-ttl-s",
            "0.5",
            "--rate-limit-per-s",
            "3",
            "--access-log",
            "/tmp/x.log",
            "--db",
            "/tmp/x.db",
        )
    )
    assert (config.port, config.ai_speed, config.max_inflight) == (0, 20.0, 8)
    assert (config.cache_ttl_s, config.rate_limit_per_s) == (0.5, 3.0)
    assert (config.access_log_path, config.db_path) == ("/tmp/x.log", "/tmp/x.db")


def test_fault_flags_override_keys_of_the_faults_json() -> None:
    args = parse(
        "--faults",
        '{"error_rate": 0.5, "drop_rate": 0.1}',
        "--error-rate",
        "0.2",
        "--stall-start-in-s",
        "1",
        "--stall-duration-s",
        "2",
        "--fault-path",
        "/api",
        "--latency",
        '{"dist": "exponential", "mean_ms": 3}',
    )
    assert config_from_args(args).faults == FaultSpec.from_dict(
        {
            "error_rate": 0.2,
            "drop_rate": 0.1,
            "stall": {"start_in_s": 1, "duration_s": 2},
            "paths": ["/api"],
            "latency": {"dist": "exponential", "mean_ms": 3},
        }
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--error-rate", "2"), "error_rate"),
        (("--faults", "{not json"), "Expecting property name"),
        (("--ai-speed", "0"), "ai_speed must be > 0"),
        (("--port", "70000"), "port must be <= 65535"),
    ],
    ids=["bad fault rate", "bad faults JSON", "zero AI speed", "port out of range"],
)
def test_bad_options_raise_value_error(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        config_from_args(parse(*argv))


def test_config_reports_every_bad_field_at_once() -> None:
    with pytest.raises(ValueError) as info:
        TargetConfig(max_inflight=0, cache_ttl_s=-1, tokens_per_s=0)
    assert all(name in str(info.value) for name in ("max_inflight", "cache_ttl_s", "tokens_per_s"))


@pytest.mark.parametrize(
    ("rate_per_s", "burst", "schedule_s", "expected_waits_s"),
    [
        (2.0, 2.0, [0, 0, 0], [0, 0, 0.5]),
        (2.0, 2.0, [0, 0, 0.5], [0, 0, 0]),
        (10.0, 1.0, [0, 0.05, 0.1], [0, 0.05, 0]),
        (1.0, None, [0, 0, 3, 3], [0, 1, 0, 1]),
    ],
    ids=[
        "2/s burst 2: third immediate request waits 0.5 s",
        "2/s burst 2: a token is back after 0.5 s",
        "10/s burst 1: 50 ms after a request, the next waits 50 ms",
        "1/s default burst 1: idle time never banks more than the burst",
    ],
)
def test_token_bucket(
    rate_per_s: float, burst: float | None, schedule_s: list[float], expected_waits_s: list[float]
) -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate_per_s, burst, clock=clock)
    waits = []
    for at_s in schedule_s:
        clock.now_s = at_s
        waits.append(limiter.acquire("client"))
    assert waits == pytest.approx(expected_waits_s)


def test_token_buckets_are_per_client_and_bounded() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(1.0, max_clients=2, clock=clock)
    assert [limiter.acquire(c) for c in ("a", "b", "a")] == [0, 0, pytest.approx(1.0)]
    limiter.acquire("c")  # evicts the least recently used bucket ("b")
    assert limiter.acquire("b") == 0  # a fresh bucket


def test_cache_expires_after_ttl_and_evicts_least_recently_used() -> None:
    clock = FakeClock()
    cache: TTLCache[str] = TTLCache(2, ttl_s=10, clock=clock)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # "a" is now most recently used
    cache.put("c", "C")  # evicts "b"
    assert (cache.get("b"), cache.get("a"), cache.get("c")) == (None, "A", "C")
    clock.now_s = 10.0
    assert cache.get("a") is None and len(cache) == 1


def test_cache_of_size_zero_stores_nothing() -> None:
    cache: TTLCache[str] = TTLCache(0, ttl_s=10)
    cache.put("a", "A")
    assert cache.get("a") is None


def test_conversations_count_turns_and_stay_bounded() -> None:
    store = ConversationStore(max_conversations=2, max_turns=2)
    conv, turn = store.begin_turn("SAGE", "c1")
    for n in range(3):
        store.record(conv, Turn(f"q{n}", f"a{n}", tokens=10))
        conv, turn = store.begin_turn("SAGE", "c1")
    assert turn == 4
    assert [t.user for t in conv.turns] == ["q1", "q2"] and conv.history_tokens == 20
    store.begin_turn("SAGE", "c2")
    store.begin_turn("SAGE", None)  # a new generated id evicts c1, the least recently used
    assert len(store) == 2
    assert store.begin_turn("SAGE", "c1")[1] == 1


@pytest.mark.parametrize(
    ("kwargs", "wire"),
    [
        ({"data": "x"}, b"data: x\n\n"),
        (
            {"data": "a\nb", "event": "tick", "event_id": "7"},
            b"id: 7\nevent: tick\ndata: a\ndata: b\n\n",
        ),
        ({"data": '{"seq":1}', "malformed": True}, b'data: {"se\n\n'),
    ],
    ids=["data only", "id, event and multi-line data", "malformed cuts the data in half"],
)
def test_sse_frames(kwargs: dict[str, object], wire: bytes) -> None:
    assert sse_frame(**kwargs) == wire  # type: ignore[arg-type]


def test_sse_comment() -> None:
    assert sse_comment("keepalive") == b": keepalive\n\n"


@pytest.mark.parametrize(
    ("peer", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("10.0.0.5", False),
        ("192.168.1.2", False),
        (None, False),
        ("not-an-ip", False),
    ],
    ids=[
        "127.0.0.1",
        "all of 127/8",
        "IPv6 loopback",
        "private network",
        "LAN",
        "unknown peer",
        "garbage",
    ],
)
def test_admin_accepts_loopback_peers_only(peer: str | None, allowed: bool) -> None:
    assert is_loopback(peer) is allowed
