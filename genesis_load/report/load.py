"""Reading results files into frozen, typed records: one :class:`Run` per scenario.

Owns where runs come from (a results directory: every ``*.json`` is one scenario, named by its
file stem; or one results file) and the report's view of a results document. Decoding and
validation are :func:`genesis_load.results.read_results`'s (the same typed schema the run
wrote with); this module only reshapes. Every bad file of a directory is reported in one
:class:`ResultsError` (one line per file), never only the first.

Optional sections (``thresholds``/``verdict``, ``histograms``, ``meta.stages``, ``analysis``,
``resources``) are kept when present and empty/``None`` when absent. It does not compute
anything from the numbers (see ``figures``) nor judge them (see ``verdict``). What it passes on
is redacted (``genesis_load.redact``): the host, warnings, request names and monitor sources of
a results file written before redaction, or by another tool, show no credentials in a report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ResultsError
from ..redact import redact_text, redact_url
from ..results.io import read_results
from ..results.schema import Results

__all__ = [
    "Endpoint",
    "MetricEntry",
    "Point",
    "Run",
    "ThresholdResult",
    "load_results_dir",
    "load_run",
    "load_runs",
]


@dataclass(frozen=True)
class MetricEntry:
    """One entry of the document's ``metrics`` map (a metric or a sub-metric)."""

    key: str
    kind: str  # trend | rate | counter | gauge
    contains: str  # time | data | default
    values: Mapping[str, float]


@dataclass(frozen=True)
class Endpoint:
    """One row of ``requests``: a request name over the whole run."""

    name: str
    methods: tuple[str, ...]
    count: int
    failed: int
    rps: float
    duration_ms: Mapping[str, float]

    @property
    def failed_share(self) -> float:
        return self.failed / self.count if self.count else 0.0


@dataclass(frozen=True)
class ThresholdResult:
    """One judged threshold (``docs/thresholds.md``); ``observed`` is None when no data."""

    metric: str
    expression: str
    ok: bool
    observed: float | None
    aborted_run: bool = False
    stage: str | None = None
    window_s: tuple[float, float] | None = None
    #: The expression's aggregation (``p(95)``, ``rate``...): how ``observed`` reads.
    aggregation: str = ""


@dataclass(frozen=True)
class Point:
    """One series point: the interval ``[start_s, end_s)`` and its per-key numbers."""

    start_s: float
    end_s: float
    metrics: Mapping[str, Mapping[str, float]]

    @property
    def duration_s(self) -> float:
        return max(self.end_s - self.start_s, 1e-9)

    def value(self, key: str, stat: str) -> float | None:
        entry = self.metrics.get(key)
        if entry is None:
            return None
        v = entry.get(stat)
        return None if v is None else float(v)


@dataclass(frozen=True)
class Run:
    """One scenario's results document, typed. ``thresholds`` is empty when none were declared."""

    scenario: str
    path: Path
    start: str
    end: str
    duration_s: float
    host: str
    tool_version: str
    locust_version: str
    python_version: str
    user_classes: tuple[str, ...]
    interrupted: bool
    aborted: str | None
    loadgen_cpu_percent: float | None
    warnings: tuple[str, ...]
    stages: Mapping[str, tuple[float, float]]
    interval_s: float
    coalesced: int
    metrics: Mapping[str, MetricEntry]
    endpoints: tuple[Endpoint, ...]
    points: tuple[Point, ...]
    thresholds: tuple[ThresholdResult, ...]
    histograms: Mapping[str, str]
    analysis: Mapping[str, Any] | None
    resources: Mapping[str, Any] | None
    #: ``completed``, ``interrupted`` or ``aborted`` (results.Meta.ended).
    ended: str = "completed"
    interrupted_by: str | None = None
    planned_s: float | None = None

    def stat(self, key: str, stat: str) -> float | None:
        """``metrics[key].values[stat]`` or None when the metric or the stat is absent."""
        entry = self.metrics.get(key)
        if entry is None or stat not in entry.values:
            return None
        return float(entry.values[stat])


def _run_from_results(scenario: str, path: Path, r: Results) -> Run:
    """The report's view of one typed results document (validated when it was decoded)."""
    meta, verdict = r.meta, r.verdict
    aborted = meta.aborted or (verdict.aborted if verdict is not None else None)
    return Run(
        scenario=scenario,
        path=path,
        start=meta.start,
        end=meta.end,
        duration_s=meta.duration_s,
        host=redact_url(meta.host),
        tool_version=meta.tool_version,
        locust_version=meta.locust_version,
        python_version=meta.python_version,
        user_classes=tuple(meta.user_classes),
        interrupted=meta.interrupted,
        aborted=aborted or None,
        loadgen_cpu_percent=meta.loadgen_cpu_percent,
        warnings=tuple(redact_text(w) for w in meta.warnings),
        stages=dict(meta.stages),
        interval_s=meta.interval_s,
        coalesced=r.series.coalesced,
        metrics={
            key: MetricEntry(key, e.type, e.contains, e.values) for key, e in r.metrics.items()
        },
        endpoints=tuple(
            Endpoint(redact_text(e.name), tuple(e.methods), e.count, e.failed, e.rps, e.duration_ms)
            for e in r.requests
        ),
        points=tuple(Point(p.start_s, p.end_s, p.metrics) for p in r.series.points),
        thresholds=tuple(
            ThresholdResult(
                metric=t.metric,
                expression=t.expression,
                ok=t.ok,
                observed=t.observed,
                aborted_run=t.aborted_run,
                stage=t.stage or None,
                window_s=t.window_s,
                aggregation=t.aggregation,
            )
            for t in r.thresholds
        ),
        histograms=r.histograms,
        analysis=r.analysis,
        resources=_redacted_resources(r.resources),
        ended=meta.ended,
        interrupted_by=meta.interrupted_by,
        planned_s=meta.planned_s,
    )


def _redacted_resources(resources: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """``resources`` with each source's ``source`` and ``last_error`` text redacted."""
    if not resources:
        return resources
    out: dict[str, Any] = {}
    for name, source in resources.items():
        if isinstance(source, Mapping):
            source = {
                k: redact_text(v) if k in ("source", "last_error") and isinstance(v, str) else v
                for k, v in source.items()
            }
        out[name] = source
    return out


def load_run(path: str | Path, scenario: str | None = None) -> Run:
    """One results file as a :class:`Run` named ``scenario`` (default: the file stem)."""
    path = Path(path)
    return _run_from_results(scenario or path.stem, path, read_results(path))


def load_results_dir(directory: str | Path) -> tuple[Run, ...]:
    """Every ``*.json`` of ``directory`` as a run, in the order the runs started.

    Raises one :class:`ResultsError` naming every bad file (one per line), or saying that the
    path is not a directory or holds no results file."""
    directory = Path(directory)
    if not directory.exists():
        raise ResultsError(f"{str(directory)!r} does not exist")
    if not directory.is_dir():
        raise ResultsError(f"{str(directory)!r} is not a directory of results files")
    files = sorted(p for p in directory.glob("*.json") if p.is_file())
    if not files:
        raise ResultsError(f"{str(directory)!r} holds no results files (*.json)")
    runs, problems = [], []
    for path in files:
        try:
            runs.append(load_run(path))
        except ResultsError as e:
            problems.append(str(e))
    if problems:
        raise ResultsError("\n".join(problems))
    return tuple(sorted(runs, key=lambda r: (r.start, r.scenario)))


def load_runs(path: str | Path) -> tuple[Run, ...]:
    """A results directory (:func:`load_results_dir`) or one results file."""
    path = Path(path)
    if path.is_file():
        return (load_run(path),)
    return load_results_dir(path)
