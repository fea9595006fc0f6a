"""The results of one run: the typed schema, building it from measurements, reading and writing.

from genesis_load.results import read_results
results = read_results("baseline.json")
results.metrics["http_req_duration"].values["p(95)"]
"""

from .build import build_results, metric_entries, request_rows
from .io import check_writable, decode_results, encode_json, read_results, write_atomic
from .schema import (
    RESULTS_FORMAT,
    RESULTS_VERSION,
    HdrInfo,
    Meta,
    MetricEntry,
    RequestRow,
    Results,
    Series,
    SeriesPoint,
    ThresholdMark,
    ThresholdVerdict,
    Verdict,
    json_schema,
)

__all__ = [
    "RESULTS_FORMAT",
    "RESULTS_VERSION",
    "HdrInfo",
    "Meta",
    "MetricEntry",
    "RequestRow",
    "Results",
    "Series",
    "SeriesPoint",
    "ThresholdMark",
    "ThresholdVerdict",
    "Verdict",
    "build_results",
    "check_writable",
    "decode_results",
    "encode_json",
    "json_schema",
    "metric_entries",
    "read_results",
    "request_rows",
    "write_atomic",
]
