"""Locust integration: options, listeners, and :func:`install` / :func:`attach`.

``install()`` hooks the global ``locust.events`` so that ``locust -f any_locustfile.py``
records every request into exact HDR metrics; importing :mod:`genesis_load` in a locustfile
calls it. ``attach(environment)`` does the same for an ``Environment`` built in code.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from ..errors import EXIT_CONFIG_ERROR, ConfigError
from .options import PluginConfig, add_options, config_from_options
from .runtime import GenesisRuntime
from .threshold_runner import ThresholdRunner, gather_thresholds
from .webui import add_tabs

__all__ = ["GenesisRuntime", "PluginConfig", "attach", "install", "runtime_of"]

_installed = False


def attach(environment: Any, config: PluginConfig | None = None) -> GenesisRuntime:
    """Start recording an Environment's requests; returns the runtime (results, collector).

    Thresholds (from ``set_thresholds``, user classes and ``config.thresholds``) are gathered
    and validated here; a :class:`ConfigError` lists every problem.
    """
    existing = runtime_of(environment)
    if existing is not None:
        return existing
    config = config or PluginConfig()
    sources: list[tuple[Any, str]] = []
    # The one scaling path: the factors (a profile's, or GENESIS_RATE_FACTOR /
    # GENESIS_TIME_FACTOR, never both) are applied once, here, before any VU starts.
    from ..executors.scaling import scale_user_classes

    scale_user_classes(environment.user_classes, config.rate_factor, config.time_factor)
    if config.profile is not None and config.profile.thresholds:
        profile = config.profile
        sources.append((profile.thresholds, f"{profile.path}: thresholds"))
    thresholds = gather_thresholds(environment, config.thresholds, sources)
    if thresholds:
        extra = tuple(t.selector for t in thresholds if t.selector.filters)
        seen = {str(s) for s in config.submetrics}
        subs = config.submetrics + tuple(s for s in extra if str(s) not in seen)
        config = dataclasses.replace(config, submetrics=tuple({str(s): s for s in subs}.values()))
    runtime = GenesisRuntime(environment, config).attach()
    if thresholds:
        runtime.use_thresholds(
            ThresholdRunner(runtime, thresholds, config.threshold_eval_interval_s)
        )
    environment.genesis_load = runtime
    if getattr(environment, "web_ui", None) is not None:  # None in headless runs and workers
        add_tabs(environment.web_ui, runtime)
    return runtime


def runtime_of(environment: Any) -> GenesisRuntime | None:
    runtime = getattr(environment, "genesis_load", None)
    return runtime if isinstance(runtime, GenesisRuntime) else None


def _on_init(environment: Any, **_: Any) -> None:
    options = getattr(environment, "parsed_options", None)
    try:
        config = config_from_options(options) if options is not None else PluginConfig()
        attach(environment, config)
    except ConfigError as e:
        sys.stderr.write(
            "genesis-load: invalid configuration, no load was sent:\n"
            + "".join(f"  - {p}\n" for p in e.problems)
        )
        sys.exit(EXIT_CONFIG_ERROR)


def install() -> None:
    """Register genesis-load on Locust's global events (idempotent)."""
    global _installed
    if _installed:
        return
    from locust import events

    events.init_command_line_parser.add_listener(add_options)
    events.init.add_listener(_on_init)
    _installed = True
