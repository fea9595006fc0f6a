from __future__ import annotations

import pytest

from genesis_load.errors import ConfigError, SelectorError
from genesis_load.metrics.selector import Selector, parse_selector


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("http_req_duration", Selector("http_req_duration")),
        ("http_req_duration{}", Selector("http_req_duration")),
        ("http_req_duration{name:/health}", Selector("http_req_duration", (("name", "/health"),))),
        (
            "http_req_duration{ name : /api/v1/agents , status:200 }",
            Selector("http_req_duration", (("name", "/api/v1/agents"), ("status", "200"))),
        ),
        ("checks{scenario:spike}", Selector("checks", (("scenario", "spike"),))),
        (
            "http_reqs{url:http://127.0.0.1:8080/x}",
            Selector("http_reqs", (("url", "http://127.0.0.1:8080/x"),)),
        ),
        ('ai_ttft{prompt:"a, b}"}', Selector("ai_ttft", (("prompt", "a, b}"),))),
    ],
    ids=[
        "bare metric",
        "empty braces",
        "one tag",
        "spaces and two tags",
        "scenario",
        "value with colons",
        "quoted value",
    ],
)
def test_valid_selectors_parse(text: str, expected: Selector) -> None:
    assert parse_selector(text) == expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("", 0),
        ("{name:x}", 0),
        ("http_req_duration{name}", 22),
        ("http_req_duration{name:}", 23),
        ("http_req_duration{name:x", 24),
        ("http_req_duration{:x}", 18),
        ("http_req_duration{name:x} trailing", 26),
        ("http_req_duration(name:x)", 17),
        ("http_req_duration{name:x,name:y}", 25),
        ('x{a:"unterminated}', 4),
    ],
    ids=[
        "empty",
        "no metric",
        "tag without colon",
        "empty value",
        "unclosed brace",
        "missing tag name",
        "trailing text",
        "wrong bracket",
        "duplicate tag",
        "unterminated quote",
    ],
)
def test_invalid_selectors_name_the_position(text: str, position: int) -> None:
    with pytest.raises(SelectorError) as err:
        parse_selector(text)
    assert err.value.position == position
    assert repr(text) in str(err.value)
    assert isinstance(err.value, ConfigError)


def test_selector_matches_on_every_filter_and_prints_back() -> None:
    sel = parse_selector("m{a:1,b:2}")
    assert sel.matches({"a": "1", "b": "2", "c": "3"})
    assert not sel.matches({"a": "1"})
    assert parse_selector(str(sel)) == sel
