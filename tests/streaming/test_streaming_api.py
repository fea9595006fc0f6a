"""The public surface of ``genesis_load.streaming`` and its pure helpers."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import genesis_load.streaming as streaming
from genesis_load.metrics import Collector, Selector
from genesis_load.metrics.collector import STREAM_REQUEST_TYPES
from genesis_load.streaming import REASONS, SSEOptions, StreamFailure, epoch_seconds
from genesis_load.streaming.sse_judge import judge_event, numeric_id
from genesis_load.streaming.ws_connect import ws_url
from genesis_load.streaming.ws_receiver import close_code


def test_exported_names() -> None:
    assert streaming.__all__ == [
        "NORMAL_CLOSE_CODES", "REASONS", "EventHandler", "GenesisChatStreamUser",
        "GenesisSSEUser", "GenesisWebSocketUser", "Pending", "PushHandler", "SSEEvent",
        "SSEOptions", "SSERequest", "SSESession", "SSEUser", "StreamFailure", "StreamResult",
        "StreamedBody", "WSOptions", "WSReply", "WebSocketSession", "WebSocketUser",
        "epoch_seconds", "server_send_time", "timed_stream",
    ]  # fmt: skip
    for name in streaming.__all__:
        assert getattr(streaming, name) is not None


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (1_764_253_445, 1_764_253_445.0),
        (1_764_253_445.25, 1_764_253_445.25),
        (1_764_253_445_250, 1_764_253_445.25),
        (1_764_253_445_250_000, 1_764_253_445.25),
        (1_764_253_445_250_000_000, 1_764_253_445.25),
    ],
    ids=["seconds", "float seconds", "milliseconds", "microseconds", "nanoseconds"],
)
def test_epoch_units_are_told_apart_by_magnitude(value: float, seconds: float) -> None:
    assert epoch_seconds(value) == pytest.approx(seconds, abs=1e-6)


def _event(data: str, event: str = "message", id: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(data=data, event=event, id=id, retry=None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (_event('{"seq": 1}', "error"), "error_event"),
        (_event('{"error": {"message": "quota"}}'), "error_event"),
        (_event('{"seq": 1', id="7"), "invalid_data"),
        (_event("plain text"), "invalid_data"),
    ],
    ids=["event: error", "a JSON error payload", "truncated JSON", "text where JSON is due"],
)
def test_bad_events_are_failures_by_kind(raw: SimpleNamespace, reason: str) -> None:
    with pytest.raises(StreamFailure) as info:
        judge_event(raw, SSEOptions(), 3, 0.0, 0.0)
    assert info.value.reason == reason
    assert "event 3" in info.value.message


@pytest.mark.parametrize(
    ("raw", "terminal"),
    [
        (_event('{"seq": 1}', "tick"), False),
        (_event('{"last_seq": 9}', "end"), True),
        (_event("[DONE]"), True),
        (_event('{"error": null, "usage": null}'), False),
    ],
    ids=["a tick goes on", "event: end completes", "[DONE] completes", "a null error is fine"],
)
def test_good_events(raw: SimpleNamespace, terminal: bool) -> None:
    event, is_terminal = judge_event(raw, SSEOptions(), 1, 1.0, 2.0)
    assert is_terminal is terminal
    assert event.payload == (None if raw.data == "[DONE]" else json.loads(raw.data))


def test_plain_text_data_is_accepted_when_json_is_not_required() -> None:
    event, terminal = judge_event(_event("hello"), SSEOptions(json_data=False), 1, 0.0, 0.0)
    assert (event.data, event.payload, terminal) == ("hello", None, False)


def test_small_helpers() -> None:
    assert [numeric_id(x) for x in ("12", "a", None)] == [12, None, None]
    assert close_code(b"\x03\xe8bye") == 1000 and close_code(b"") == 1005
    assert ws_url("http://127.0.0.1:8/", "/ws") == "ws://127.0.0.1:8/ws"
    assert ws_url("https://h", "/ws") == "wss://h/ws"
    assert ws_url("http://h", "ws://other/x") == "ws://other/x"
    with pytest.raises(ValueError):
        StreamFailure("nonsense", "x")
    assert set(REASONS) >= {"connect", "http_error", "content_type", "stall", "timeout"}


def test_collector_keeps_stream_events_out_of_http_metrics() -> None:
    collector = Collector(0.0)
    collector.record_request("GET", "/health", 200, 3.0, False)
    for request_type in sorted(STREAM_REQUEST_TYPES):
        collector.record_request(request_type, "feed", 0, 5_000.0, True, 1000)
    collector.roll(1.0)
    reqs = collector.query(Selector("http_reqs"))
    failed = collector.query(Selector("http_req_failed"))
    assert reqs is not None and reqs.to_wire()["value"] == 1  # only the GET
    assert failed is not None and failed.to_wire()["trues"] == 0
