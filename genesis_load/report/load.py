"""Reading results files into frozen, typed records: one :class:`Run` per scenario.

Owns where runs come from (a results directory: every ``*.json`` is one scenario, named by its
file stem; or one results file) and the translation of a results document
(``docs/metrics.md``) into records the rest of ``report/`` reads. Format and version checks are
:func:`genesis_load.outputs.results.load_results`'s; this module adds the shape checks of the
fields the report uses. Every bad file of a directory is reported in one :class:`ResultsError`
(one line per file), never only the first.

Optional sections (``thresholds``/``verdict``, ``histograms``, ``meta.stages``, ``analysis``,
``resources``) are kept when present and empty/``None`` when absent. It does not compute
anything from the numbers (see ``figures``) nor judge them (see ``verdict``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ResultsError
from ..outputs.results import load_results

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

    def stat(self, key: str, stat: str) -> float | None:
        """``metrics[key].values[stat]`` or None when the metric or the stat is absent."""
        entry = self.metrics.get(key)
        if entry is None or stat not in entry.values:
            return None
        return float(entry.values[stat])


def _float(value: Any, default: float = 0.0) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{what}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, what: str) -> Sequence[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"{what}: expected a list, got {type(value).__name__}")
    return value


def _metrics(doc: Mapping[str, Any]) -> dict[str, MetricEntry]:
    out = {}
    for key, entry in _mapping(doc.get("metrics"), "metrics").items():
        entry = _mapping(entry, f"metrics.{key}")
        values = {
            k: float(v)
            for k, v in _mapping(entry.get("values"), f"metrics.{key}.values").items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
        out[key] = MetricEntry(
            key, str(entry.get("type", "")), str(entry.get("contains", "default")), values
        )
    return out


def _endpoints(doc: Mapping[str, Any]) -> tuple[Endpoint, ...]:
    rows = []
    for i, row in enumerate(_list(doc.get("requests"), "requests")):
        row = _mapping(row, f"requests[{i}]")
        rows.append(
            Endpoint(
                name=str(row["name"]),
                methods=tuple(str(m) for m in _list(row.get("methods"), "methods")),
                count=int(_float(row.get("count"))),
                failed=int(_float(row.get("failed"))),
                rps=_float(row.get("rps")),
                duration_ms={
                    k: float(v)
                    for k, v in _mapping(row.get("duration_ms"), "duration_ms").items()
                    if isinstance(v, int | float) and not isinstance(v, bool)
                },
            )
        )
    return tuple(rows)


def _thresholds(doc: Mapping[str, Any]) -> tuple[ThresholdResult, ...]:
    out = []
    for i, t in enumerate(_list(doc.get("thresholds"), "thresholds")):
        t = _mapping(t, f"thresholds[{i}]")
        observed = t.get("observed")
        window = t.get("window_s")
        out.append(
            ThresholdResult(
                metric=str(t["metric"]),
                expression=str(t["expression"]),
                ok=bool(t["ok"]),
                observed=None if observed is None else _float(observed),
                aborted_run=bool(t.get("aborted_run", False)),
                stage=str(t["stage"]) if t.get("stage") else None,
                window_s=(_float(window[0]), _float(window[1])) if window else None,
            )
        )
    return tuple(out)


def _points(doc: Mapping[str, Any]) -> tuple[Point, ...]:
    series = _mapping(doc.get("series"), "series")
    out = []
    for i, p in enumerate(_list(series.get("points"), "series.points")):
        p = _mapping(p, f"series.points[{i}]")
        metrics = {
            key: {
                k: float(v)
                for k, v in _mapping(entry, key).items()
                if isinstance(v, int | float) and not isinstance(v, bool)
            }
            for key, entry in _mapping(p.get("metrics"), "metrics").items()
        }
        out.append(Point(_float(p["start_s"]), _float(p["end_s"]), metrics))
    return tuple(out)


def _stages(meta: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    return {
        str(name): (_float(window[0]), _float(window[1]))
        for name, window in _mapping(meta.get("stages"), "meta.stages").items()
    }


def _run_from_doc(scenario: str, path: Path, doc: Mapping[str, Any]) -> Run:
    meta = _mapping(doc.get("meta"), "meta")
    verdict = _mapping(doc.get("verdict"), "verdict")
    series = _mapping(doc.get("series"), "series")
    cpu = meta.get("loadgen_cpu_percent")
    aborted = meta.get("aborted") or verdict.get("aborted")
    analysis, resources = doc.get("analysis"), doc.get("resources")
    return Run(
        scenario=scenario,
        path=path,
        start=str(meta.get("start", "")),
        end=str(meta.get("end", "")),
        duration_s=_float(meta.get("duration_s")),
        host=str(meta.get("host") or ""),
        tool_version=str(meta.get("tool_version", "unknown")),
        locust_version=str(meta.get("locust_version", "unknown")),
        python_version=str(meta.get("python_version", "unknown")),
        user_classes=tuple(str(u) for u in _list(meta.get("user_classes"), "user_classes")),
        interrupted=bool(meta.get("interrupted", False)),
        aborted=str(aborted) if aborted else None,
        loadgen_cpu_percent=None if cpu is None else _float(cpu),
        warnings=tuple(str(w) for w in _list(meta.get("warnings"), "meta.warnings")),
        stages=_stages(meta),
        interval_s=_float(meta.get("interval_s"), 1.0),
        coalesced=int(_float(series.get("coalesced"), 1.0)),
        metrics=_metrics(doc),
        endpoints=_endpoints(doc),
        points=_points(doc),
        thresholds=_thresholds(doc),
        histograms={
            str(k): str(v) for k, v in _mapping(doc.get("histograms"), "histograms").items()
        },
        analysis=analysis if isinstance(analysis, Mapping) else None,
        resources=resources if isinstance(resources, Mapping) else None,
    )


def load_run(path: str | Path, scenario: str | None = None) -> Run:
    """One results file as a :class:`Run` named ``scenario`` (default: the file stem)."""
    path = Path(path)
    try:
        doc = load_results(path)
    except (ValueError, RecursionError) as e:  # not UTF-8 (UnicodeDecodeError), or too deep
        raise ResultsError(f"{str(path)!r} is not a readable results file: {e}") from e
    try:
        return _run_from_doc(scenario or path.stem, path, doc)
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise ResultsError(f"{str(path)!r} is a malformed results file: {e!s}") from e


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
