"""Profiles: one TOML file per environment (local, ci, staging, production).

Owns the profile format, where profiles are found and their validation; every problem is
reported at once with the file and the key, before anything starts. Read with :mod:`tomllib`.
Knows nothing of Locust, the plugin or the suite runner (they all read profiles through here).

``--profile NAME`` looks for, in order: a path as given (``my.toml``, ``dir/NAME.toml``),
``./profiles/NAME.toml`` (your own, next to your locustfiles), then the profiles shipped in
this package (``ci``, ``local``, ``staging``, ``production``, read with
:mod:`importlib.resources`). The format::

    description = "this 2-core machine, the whole suite in about 12 minutes"
    host = "demo"            # "demo": start the embedded target; or "http://127.0.0.1:8080"
    scenarios = ["baseline", "stress", "spike", "soak", "benchmarks"]
    rate_factor = 0.5        # multiplies every scenario's request rates
    time_factor = 0.05       # multiplies every scenario's durations
    workers = 0              # > 0: a Locust master and this many local worker processes

    [target]                 # only with host = "demo": options of `genesis-load target`
    args = ["--max-inflight", "256"]

    [thresholds]             # k6 thresholds added to every scenario's own
    "http_req_duration" = ["p(95)<500"]

    [monitor]                # resource sampling of the target (its /metrics) and the generator
    enabled = true
    interval_s = 1.0

    [analysis]               # what "broken" means for the breaking-point analysis
    breaking_p95_ms = 500
    breaking_error_rate = 0.01
    sustain_s = 5
"""

from __future__ import annotations

import importlib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..thresholds.spec import Threshold, collect_thresholds, validate_metrics

__all__ = [
    "PACKAGED",
    "USER_DIR",
    "Profile",
    "find_profile",
    "load_profile",
    "packaged_profiles",
    "parse_profile",
]

_TOP = {
    "description",
    "host",
    "scenarios",
    "rate_factor",
    "time_factor",
    "workers",
    "target",
    "thresholds",
    "monitor",
    "analysis",
    "compare",
}
_TABLES: dict[str, set[str]] = {
    "target": {"args"},
    "monitor": {"enabled", "interval_s"},
    "analysis": {"breaking_p95_ms", "breaking_error_rate", "sustain_s"},
    "compare": {"tolerance", "p95_tolerance", "min_delta_ms", "min_count", "alpha"},
}

#: ``[compare]`` keys (``genesis-load compare --profile``): (lowest, highest, lowest included).
_COMPARE_BOUNDS: dict[str, tuple[float, float, bool]] = {
    "tolerance": (0.0, 100.0, True),
    "p95_tolerance": (0.0, 100.0, True),
    "min_delta_ms": (0.0, 3.6e6, True),
    "min_count": (0.0, 1e12, True),
    "alpha": (0.0, 0.5, True),
}


#: Your own profiles: ``./profiles/NAME.toml`` (relative to the current directory) comes first.
USER_DIR = Path("profiles")
#: The profiles shipped with genesis-load (package data of this package).
PACKAGED: Traversable = files(__package__ or "genesis_load.profiles")


@dataclass(frozen=True)
class Profile:
    name: str
    path: str
    description: str = ""
    host: str = "demo"
    scenarios: tuple[str, ...] = ()
    rate_factor: float = 1.0
    time_factor: float = 1.0
    target_args: tuple[str, ...] = ()
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    monitor: bool = True
    monitor_interval_s: float = 1.0
    breaking_p95_ms: float = 500.0
    breaking_error_rate: float = 0.01
    #: The regression rules of ``genesis-load compare --profile`` (``[compare]``), as given.
    compare: Mapping[str, float] = field(default_factory=dict)
    sustain_s: float = 5.0
    #: Local Locust worker processes per scenario (0: one process, no master).
    workers: int = 0

    @property
    def is_demo(self) -> bool:
        return self.host == "demo"


def packaged_profiles() -> list[str]:
    """Names of the profiles shipped in the package, sorted."""
    return sorted(p.name[: -len(".toml")] for p in PACKAGED.iterdir() if p.name.endswith(".toml"))


def find_profile(name_or_path: str) -> Path | Traversable:
    """A profile's file: a path as given, ``./profiles/NAME.toml``, or a packaged profile."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or "/" in name_or_path:
        if candidate.is_file():
            return candidate
        raise ConfigError(f"profile file {name_or_path!r} does not exist")
    own = USER_DIR / f"{name_or_path}.toml"
    if own.is_file():
        return own
    packaged = PACKAGED / f"{name_or_path}.toml"
    if packaged.is_file():
        return packaged
    mine = sorted(p.stem for p in USER_DIR.glob("*.toml")) if USER_DIR.is_dir() else []
    known = sorted({*mine, *packaged_profiles()})
    raise ConfigError(
        f"unknown profile {name_or_path!r} (known: {', '.join(known) or 'none'}; "
        f"looked in {USER_DIR}/ and the packaged profiles; or give a path to a .toml file)"
    )


def load_profile(name_or_path: str, known_scenarios: Sequence[str] = ()) -> Profile:
    """Find, read and validate a profile; one :class:`ConfigError` lists every problem.

    ``known_scenarios``: the names its ``scenarios`` list may use (the suite's); when empty,
    the names are not checked and a missing ``scenarios`` key means none in particular.
    """
    path = find_profile(name_or_path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start})") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read: {e}") from e
    return parse_profile(data, str(path), known_scenarios)


#: Modules declaring the metrics the suite's scenarios record, beyond the built-ins (metric
#: declarations only: importing them loads no Locust).
SUITE_METRIC_MODULES: tuple[str, ...] = (
    "genesis_load.streaming._metrics",
    "genesis_load.streaming._open",
    "genesis_load.ai._metrics",
)


def _unknown_metrics(thresholds: Sequence[Threshold]) -> list[str]:
    """Problems for thresholds on metrics no suite scenario records (all of them, at once)."""
    for module in SUITE_METRIC_MODULES:
        importlib.import_module(module)
    try:
        validate_metrics(thresholds)
    except ConfigError as e:
        return list(e.problems)
    return []


def _number(
    data: Mapping[str, Any],
    key: str,
    where: str,
    problems: list[str],
    default: float,
    low: float,
    high: float,
    low_open: bool = True,
) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{where}: {key}: expected a number, got {value!r}")
        return default
    if (value <= low if low_open else value < low) or value > high:
        bound = f"{'>' if low_open else '>='} {low:g} and <= {high:g}"
        problems.append(f"{where}: {key}: must be {bound}, got {value!r}")
        return default
    return float(value)


def _host_problem(host: Any) -> str | None:
    if host == "demo":
        return None
    if not isinstance(host, str):
        return f'expected "demo" or a URL, got {host!r}'
    parts = urlsplit(host)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f'expected "demo" or an http(s) URL like http://127.0.0.1:8080, got {host!r}'
    return None


def parse_profile(
    data: Mapping[str, Any], where: str, known_scenarios: Sequence[str] = ()
) -> Profile:
    """Validate a parsed profile; one ConfigError lists every problem as ``file: key: what``."""
    problems: list[str] = []
    for key in data:
        if key not in _TOP:
            problems.append(f"{where}: {key}: unknown key (expected {', '.join(sorted(_TOP))})")
    for table, keys in _TABLES.items():
        value = data.get(table, {})
        if not isinstance(value, Mapping):
            problems.append(f"{where}: [{table}]: expected a table")
            continue
        problems += [
            f"{where}: {table}.{k}: unknown key (expected {', '.join(sorted(keys))})"
            for k in value
            if k not in keys
        ]
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append(f"{where}: description: expected a string")
        description = ""
    host = data.get("host", "demo")
    if (why := _host_problem(host)) is not None:
        problems.append(f"{where}: host: {why}")
        host = "demo"
    scenarios = data.get("scenarios", list(known_scenarios) or None)
    if scenarios is None:
        scenarios = []
    elif not isinstance(scenarios, list) or not all(isinstance(s, str) for s in scenarios):
        problems.append(f"{where}: scenarios: expected a list of scenario names")
        scenarios = []
    elif not scenarios:
        problems.append(f"{where}: scenarios: must name at least one scenario")
    elif known_scenarios:
        for s in scenarios:
            if s not in known_scenarios:
                problems.append(
                    f"{where}: scenarios: unknown scenario {s!r} "
                    f"(known: {', '.join(known_scenarios)})"
                )
    rate = _number(data, "rate_factor", where, problems, 1.0, 0, 100)
    time_f = _number(data, "time_factor", where, problems, 1.0, 0, 100)
    target = data.get("target", {}) if isinstance(data.get("target", {}), Mapping) else {}
    args = target.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        problems.append(f"{where}: target.args: expected a list of strings")
        args = []
    if args and host != "demo":
        problems.append(f'{where}: target.args: only used with host = "demo"')
    thresholds = data.get("thresholds", {})
    if isinstance(thresholds, Mapping):
        good, bad = collect_thresholds(thresholds, f"{where}: thresholds")
        problems.extend(bad)
        if known_scenarios:  # the suite's scenarios record these metrics and no others
            problems.extend(_unknown_metrics(good))
    else:
        problems.append(f"{where}: [thresholds]: expected a table")
        thresholds = {}
    mon = data.get("monitor", {}) if isinstance(data.get("monitor", {}), Mapping) else {}
    enabled = mon.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}: monitor.enabled: expected true or false, got {enabled!r}")
        enabled = True
    interval = _number(mon, "interval_s", f"{where}: monitor", problems, 1.0, 0.05, 60)
    ana = data.get("analysis", {}) if isinstance(data.get("analysis", {}), Mapping) else {}
    p95 = _number(ana, "breaking_p95_ms", f"{where}: analysis", problems, 500.0, 0, 3.6e6)
    err = _number(
        ana, "breaking_error_rate", f"{where}: analysis", problems, 0.01, 0, 1, low_open=False
    )
    sustain = _number(ana, "sustain_s", f"{where}: analysis", problems, 5.0, 0, 3600)
    cmp = data.get("compare", {}) if isinstance(data.get("compare", {}), Mapping) else {}
    compare = {
        key: _number(cmp, key, f"{where}: compare", problems, low, low, high, low_open=not closed)
        for key, (low, high, closed) in _COMPARE_BOUNDS.items()
        if key in cmp
    }
    workers = data.get("workers", 0)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 0 <= workers <= 256:
        problems.append(f"{where}: workers: expected an integer from 0 to 256, got {workers!r}")
        workers = 0
    if problems:
        raise ConfigError(problems)
    return Profile(
        name=Path(where).stem, path=where, description=description, host=str(host),
        scenarios=tuple(scenarios), rate_factor=rate, time_factor=time_f,
        target_args=tuple(args), thresholds=dict(thresholds), monitor=enabled,
        monitor_interval_s=interval, breaking_p95_ms=p95, breaking_error_rate=err,
        sustain_s=sustain, workers=workers, compare=compare,
    )  # fmt: skip
