"""The results schema: writer and reader share it, old files upgrade, bad files are named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from genesis_load.errors import ResultsError
from genesis_load.metrics.collector import Collector
from genesis_load.metrics.metric import BUILTIN_METRICS
from genesis_load.results import (
    Meta,
    Results,
    ThresholdVerdict,
    Verdict,
    build_results,
    encode_json,
    json_schema,
    read_results,
    write_atomic,
)

DOCS_SCHEMA = Path(__file__).parents[2] / "docs" / "results.schema.json"


def _collector() -> Collector:
    c = Collector(start_s=100.0)
    for second in range(3):
        for i in range(10):
            c.record_request("GET", "/health", 200, 1.0 + i, False, 20)
        c.record_request("GET", "/fail", 500, 3.0, True, 5)
        c.record(BUILTIN_METRICS["checks"], True)
        c.roll(101.0 + second)
    return c


def _results() -> Results:
    verdicts = [
        ThresholdVerdict("http_req_failed", "rate<0.01", False, 1 / 11, aggregation="rate"),
        ThresholdVerdict("http_req_duration", "p(95)<500", True, 10.0, aggregation="p(95)"),
    ]
    return build_results(
        _collector(),
        Meta(host="http://127.0.0.1:1", duration_s=3.0, trend_stats=["avg", "p(95)"]),
        ("avg", "p(95)"),
        thresholds=verdicts,
        verdict=Verdict(thresholds_ok=False, exit_code=99),
        analysis={"max_offered_rps": 11.0},
    )


def test_what_is_written_is_read_back_as_the_same_typed_results(tmp_path: Path) -> None:
    results = _results()
    path = tmp_path / "r.json"
    write_atomic(path, encode_json(results))
    again = read_results(path)
    assert again == results
    assert again.metrics["http_reqs"].values["count"] == 33
    assert again.metrics["http_req_failed"].thresholds["rate<0.01"].ok is False
    assert [r.name for r in again.requests] == ["/fail", "/health"]
    assert len(again.series.points) == 3


def test_the_published_json_schema_is_generated_from_the_definitions() -> None:
    published = json.loads(DOCS_SCHEMA.read_text(encoding="utf-8"))
    assert published == json_schema(), (
        "regenerate: python -m genesis_load.results > docs/results.schema.json"
    )


def test_a_written_file_validates_against_the_published_schema(tmp_path: Path) -> None:
    doc = json.loads(encode_json(_results()))
    schema = json_schema()
    # every top-level field written is one the schema declares, with the declared JSON type
    props = schema["$defs"]["Results"]["properties"]
    assert set(doc) <= set(props)
    assert set(schema["$defs"]["Results"]["required"]) <= set(doc)


def _v1(doc: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    doc["version"] = 1
    for t in doc["thresholds"]:
        del t["aggregation"]
    return doc


def test_a_version_1_file_is_read_and_its_threshold_aggregations_derived(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_v1(msgspec.to_builtins(_results()))), encoding="utf-8")
    results = read_results(path)
    assert [t.aggregation for t in results.thresholds] == ["rate", "p(95)"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b"{", "not a readable results file"),
        (b'{"format": "k6"}', "not a genesis-load results file"),
        (b'{"format": "genesis-load-results", "version": 99}', "version 99"),
        (
            b'{"format": "genesis-load-results", "version": 2, "meta": {"duration_s": "long"}}',
            "$.meta.duration_s",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "not a readable results file"),
    ],
    ids=[
        "bytes that are not UTF-8 -> named as such",
        "truncated JSON -> not readable",
        "another tool's JSON -> foreign",
        "a newer version -> refused with the version",
        "a wrongly typed field -> its JSON path",
        "nesting too deep -> not readable, no RecursionError",
    ],
)
def test_bad_files_are_one_results_error_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ResultsError) as e:
        read_results(path)
    assert str(path) in str(e.value) and message in str(e.value)


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    target = folder / "r.json"
    folder.rmdir()
    with pytest.raises(ResultsError, match="cannot write results"):
        write_atomic(target, b"{}")
    assert list(tmp_path.iterdir()) == []
