from __future__ import annotations

import pytest

from genesis_load.errors import ConfigError
from genesis_load.metrics import Trend
from genesis_load.thresholds import parse_cli_threshold, thresholds_from_mapping, validate_metrics


def test_mapping_forms_build_thresholds() -> None:
    ts = thresholds_from_mapping(
        {
            "http_req_duration": ["p(95)<500", "p(99)<1000"],
            "http_req_duration{name:/health}": "med<50",
            "http_req_failed": [
                {"threshold": "rate<0.01", "abortOnFail": True, "delayAbortEval": "10s"}
            ],
            "http_req_duration{scenario:spike}": [
                {"threshold": "p(95)<500", "abortOnFail": True, "abortWhenFailingFor": "10s"},
                {"threshold": "p(95)<800", "stage": "spike"},
                {"threshold": "p(95)<900", "window": ["30s", 60]},
            ],
        }
    )
    assert [t.key for t in ts] == [
        "http_req_duration: p(95)<500",
        "http_req_duration: p(99)<1000",
        "http_req_duration{name:/health}: med<50",
        "http_req_failed: rate<0.01",
        "http_req_duration{scenario:spike}: p(95)<500",
        "http_req_duration{scenario:spike}: p(95)<800",
        "http_req_duration{scenario:spike}: p(95)<900",
    ]
    assert ts[3].abort_on_fail and ts[3].delay_abort_eval_s == 10.0
    assert ts[4].abort_when_failing_for_s == 10.0
    assert ts[5].stage == "spike"
    assert ts[6].window_s == (30.0, 60.0)
    validate_metrics(ts)


def test_every_problem_is_reported_at_once_with_its_place() -> None:
    with pytest.raises(ConfigError) as err:
        thresholds_from_mapping(
            {
                "http_req_duration": ["p95<500", {"threshold": "avg<1", "abortOnFail": "yes"}],
                "http_req_duration{name": ["avg<1"],
                "http_reqs": [
                    {"threshold": "count>1", "delayAbortEval": "ten seconds", "bogus": 1}
                ],
                "checks": [{"threshold": "rate>0.9", "abortWhenFailingFor": "5s"}],
            },
            where="profiles/ci.toml: thresholds",
        )
    text = str(err.value)
    assert len(err.value.problems) >= 6, err.value.problems
    assert "profiles/ci.toml: thresholds['http_req_duration'][0]" in text
    assert "expected '(' after 'p'" in text
    assert "abortOnFail: expected true or false" in text
    assert "invalid metric selector 'http_req_duration{name'" in text
    assert "delayAbortEval" in text and "bogus: unknown key" in text
    assert "abortWhenFailingFor: needs abortOnFail" in text


def test_unknown_metric_and_wrong_aggregation_fail_validation() -> None:
    Trend("ai_quality_score")
    ts = thresholds_from_mapping(
        {
            "http_req_durtion": ["p(95)<500"],
            "http_req_failed": ["p(95)<1"],
            "http_reqs": ["avg<3"],
            "ai_quality_score": ["avg>85"],
            "server_timing_db": ["p(95)<5"],
        }
    )
    with pytest.raises(ConfigError) as err:
        validate_metrics(ts)
    text = str(err.value)
    assert "unknown metric 'http_req_durtion'" in text
    assert "'p(95)' does not apply to rate metric 'http_req_failed'" in text
    assert "'avg' does not apply to counter metric 'http_reqs'" in text
    assert len(err.value.problems) == 3


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("http_req_duration: p(95)<500", ["http_req_duration: p(95)<500"]),
        (
            "http_req_duration{name:/health}:p(99)<100; avg<50",
            [
                "http_req_duration{name:/health}: p(99)<100",
                "http_req_duration{name:/health}: avg<50",
            ],
        ),
        ("http_reqs{url:http://x:1/}: count>0", ["http_reqs{url:http://x:1/}: count>0"]),
    ],
    ids=["plain", "sub-metric, two expressions", "colons inside the selector"],
)
def test_cli_form(text: str, keys: list[str]) -> None:
    assert [t.key for t in parse_cli_threshold(text)] == keys


def test_cli_form_without_expression_is_an_error() -> None:
    with pytest.raises(ConfigError, match="expected 'METRIC"):
        parse_cli_threshold("http_req_duration p(95)<500")
