"""Evaluation: k6 thresholds parsed, validated and judged over exact aggregates.

Pure: no Locust, no clock. ``set_thresholds`` lets a locustfile declare thresholds in Python::

    from genesis_load import set_thresholds
    set_thresholds({"http_req_duration": ["p(95)<500"], "http_req_failed": ["rate<0.01"]})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .evaluate import ThresholdEngine, ThresholdResult, evaluate, observed_value
from .parser import Expression, ExpressionError, parse_expression
from .spec import Threshold, parse_cli_threshold, thresholds_from_mapping, validate_metrics

__all__ = [
    "Expression",
    "ExpressionError",
    "Threshold",
    "ThresholdEngine",
    "ThresholdResult",
    "declared_thresholds",
    "evaluate",
    "observed_value",
    "parse_cli_threshold",
    "parse_expression",
    "set_thresholds",
    "thresholds_from_mapping",
    "validate_metrics",
]

_declared: list[tuple[Mapping[str, Any], str]] = []


def set_thresholds(mapping: Mapping[str, Any], where: str = "set_thresholds()") -> None:
    """Declare thresholds from Python (validated with everything else before the run)."""
    _declared.append((mapping, where))


def declared_thresholds() -> list[tuple[Mapping[str, Any], str]]:
    return list(_declared)
