"""The results document's schema: one set of typed, frozen definitions for writer and reader.

Owns the layout of a results file (``--summary-json`` / ``--out json=``) and nothing else: the
engine builds a :class:`Results` (``results.build``), outputs encode it (``results.io``), and
``genesis-load report``/``compare`` decode the same types, so a field cannot be written one way
and read another. Decoding validates types and reports the JSON path of a bad value
(``$.meta.duration_s``). The JSON Schema published in ``docs/results.schema.json`` is generated
from these definitions (:func:`json_schema`), never written by hand.

Versions: 1 (genesis-load 0.1) had no ``aggregation`` in threshold entries; version 2 adds it so
no reader re-parses an expression to know how to show the observed value. Readers accept both
(``results.io`` upgrades version 1 on load).

``analysis`` (``genesis_load.analysis.analyze``) and ``resources``
(``genesis_load.monitor.ResourceMonitor.results``) are open objects here: their layouts are
documented with their producers in docs/open-model.md and docs/report.md.
"""

from __future__ import annotations

from typing import Any

import msgspec

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
    "json_schema",
]

RESULTS_FORMAT = "genesis-load-results"
RESULTS_VERSION = 2
#: Versions this genesis-load reads.
READABLE_VERSIONS = (1, 2)


class _Frozen(msgspec.Struct, frozen=True, forbid_unknown_fields=False, omit_defaults=False):
    """Base: immutable, unknown fields ignored (a newer minor writer may add some)."""


class HdrInfo(_Frozen, frozen=True):
    unit: str
    lowest_trackable: int
    highest_trackable: int
    significant_figures: int


class Meta(_Frozen, frozen=True):
    """How, where and when the run happened, and how it ended."""

    tool: str = "genesis-load"
    tool_version: str = "unknown"
    locust_version: str = "unknown"
    python_version: str = "unknown"
    host: str = ""
    user_classes: list[str] = []
    runner: str = "local"
    workers: int = 0
    start: str = ""
    end: str = ""
    duration_s: float = 0.0
    #: How long the run was planned to last (its schedule, or ``-t``); None if open-ended.
    planned_s: float | None = None
    #: How the run ended: ``completed`` (as planned), ``interrupted`` (a signal ended it
    #: early), ``aborted`` (an abortOnFail threshold ended it), ``worker_lost`` (a worker of a
    #: distributed run went away, or its final data never came). Anything but ``completed``
    #: is a partial run, never READY.
    ended: str = "completed"
    #: Ctrl-C or SIGTERM ended the run before its schedule did.
    interrupted: bool = False
    #: Which signal: ``SIGINT``, ``SIGTERM``, or ``signal`` when Locust's handler got it.
    interrupted_by: str | None = None
    #: Why an ``abortOnFail`` threshold ended the run, or None.
    aborted: str | None = None
    loadgen_cpu_percent: float | None = None
    interval_s: float = 1.0
    trend_stats: list[str] = []
    hdr: HdrInfo | None = None
    percentile_definition: str = ""
    #: Named stage windows of the shape, run-relative seconds ``[start, end]``.
    stages: dict[str, tuple[float, float]] = {}
    warnings: list[str] = []
    #: A distributed run that misses some of its data (lost workers, missing final data).
    partial: bool = False
    #: Workers lost during the run: ``worker``, ``at_s`` and ``last_data_s`` (seconds since
    #: the start), ``share_index`` / ``share_count`` (its part of every open-model schedule,
    #: given to the other workers), ``reason`` (``missing``: no heartbeat; ``left``).
    lost_workers: list[dict[str, Any]] = []
    #: Workers whose final data did not reach the master within its wait at the end.
    missing_final_workers: list[str] = []


class ThresholdMark(_Frozen, frozen=True):
    ok: bool


class MetricEntry(_Frozen, frozen=True, omit_defaults=True):
    """A metric or sub-metric over the whole run, k6's layout."""

    type: str  # trend | rate | counter | gauge
    contains: str = "default"  # time (ms) | data (bytes) | default
    values: dict[str, float] = {}
    #: k6's per-metric threshold marks: expression -> {"ok": bool}.
    thresholds: dict[str, ThresholdMark] = {}


class RequestRow(_Frozen, frozen=True):
    """One request name over the whole run."""

    name: str
    methods: list[str] = []
    count: int = 0
    failed: int = 0
    rps: float = 0.0
    duration_ms: dict[str, float] = {}

    @property
    def failed_share(self) -> float:
        return self.failed / self.count if self.count else 0.0


class SeriesPoint(_Frozen, frozen=True):
    """One interval ``[start_s, end_s)`` (run-relative seconds) and its per-key numbers."""

    start_s: float
    end_s: float
    metrics: dict[str, dict[str, float]] = {}


class Series(_Frozen, frozen=True):
    max_points: int = 3600
    #: How many original intervals one point covers (doubles at each pairwise merge).
    coalesced: int = 1
    points: list[SeriesPoint] = []


class ThresholdVerdict(_Frozen, frozen=True, omit_defaults=True):
    """One judged threshold; ``observed`` is None when the metric had no data (a failure)."""

    metric: str
    expression: str
    ok: bool
    observed: float | None
    #: The expression's aggregation (``p(95)``, ``rate``, ``count``...), for showing ``observed``.
    aggregation: str = ""
    abort_on_fail: bool = False
    aborted_run: bool = False
    stage: str | None = None
    window_s: tuple[float, float] | None = None
    source: str | None = None


class Verdict(_Frozen, frozen=True):
    thresholds_ok: bool
    aborted: str | None = None
    exit_code: int = 0


class Results(_Frozen, frozen=True, omit_defaults=True):
    """One run's results file."""

    format: str
    version: int
    meta: Meta
    metrics: dict[str, MetricEntry] = {}
    requests: list[RequestRow] = []
    #: Whole-run HDR histograms (HdrHistogram V2, base64) of the request trends.
    histograms: dict[str, str] = {}
    series: Series = msgspec.field(default_factory=Series)
    thresholds: list[ThresholdVerdict] = []
    verdict: Verdict | None = None
    analysis: dict[str, Any] | None = None
    resources: dict[str, Any] | None = None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a results file (published as docs/results.schema.json)."""
    schema: dict[str, Any] = msgspec.json.schema(Results)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{RESULTS_FORMAT} version {RESULTS_VERSION}"
    return schema
