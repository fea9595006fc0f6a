"""Every threshold form in k6's documentation, and the errors, table-driven."""

from __future__ import annotations

import pytest

from genesis_load.thresholds import ExpressionError, parse_expression


@pytest.mark.parametrize(
    ("text", "aggregation", "percentile", "op", "value"),
    [
        ("p(95)<500", "p", 95.0, "<", 500.0),
        ("p(99.9)<=1000", "p", 99.9, "<=", 1000.0),
        ("p(90) < 400", "p", 90.0, "<", 400.0),
        ("avg<200", "avg", None, "<", 200.0),
        ("med<100", "med", None, "<", 100.0),
        ("min>0", "min", None, ">", 0.0),
        ("max<2000", "max", None, "<", 2000.0),
        ("rate<0.01", "rate", None, "<", 0.01),
        ("rate>0.99", "rate", None, ">", 0.99),
        ("count>100", "count", None, ">", 100.0),
        ("count>=1", "count", None, ">=", 1.0),
        ("value<4000", "value", None, "<", 4000.0),
        ("value==5", "value", None, "==", 5.0),
        ("value===5", "value", None, "==", 5.0),
        ("rate!=0", "rate", None, "!=", 0.0),
        ("avg<1e3", "avg", None, "<", 1000.0),
        ("min>-5", "min", None, ">", -5.0),
        ("p(100)<=2000", "p", 100.0, "<=", 2000.0),
    ],
    ids=lambda v: str(v),
)
def test_k6_forms_parse(
    text: str, aggregation: str, percentile: float | None, op: str, value: float
) -> None:
    e = parse_expression(text)
    assert (e.aggregation, e.percentile, e.op, e.value) == (aggregation, percentile, op, value)


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("", 0, "expected an aggregation"),
        ("p95<500", 1, "expected '(' after 'p'"),
        ("mean<5", 0, "unknown aggregation 'mean'"),
        ("p(95<500", 4, "expected ')'"),
        ("p()<500", 2, "expected a percentile number"),
        ("p(101)<5", 2, "not within 0..100"),
        ("avg 200", 4, "expected an operator"),
        ("avg=<200", 3, "expected an operator"),
        ("avg<", 4, "expected a number"),
        ("avg<200ms", 7, "unexpected text"),
        ("avg<abc", 4, "expected a number"),
    ],
    ids=[
        "empty",
        "p without parens",
        "unknown word",
        "unclosed p(",
        "empty p()",
        "percentile over 100",
        "missing operator",
        "reversed operator",
        "missing number",
        "unit suffix",
        "not a number",
    ],
)
def test_errors_name_the_position(text: str, position: int, reason: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_expression(text)
    assert err.value.position == position
    assert reason in str(err.value)
