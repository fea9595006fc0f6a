"""Locust integration: :func:`attach` an Environment, or :func:`install` for the ``locust`` CLI.

``attach(environment)`` creates the environment's :class:`~.session.Session` (collector,
outputs, thresholds, scenario runs) and registers every listener on ``environment.events``;
two environments in one process share nothing. ``install()`` adds genesis-load's options to
Locust's parser and attaches each environment Locust creates, through Locust's global
``init_command_line_parser`` and ``init`` events: the one place genesis-load touches global
state, because Locust has no other way to find a plugin of a locustfile. ``import genesis_load``
in a locustfile, or ``genesis-load locust``, calls it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any
from weakref import WeakKeyDictionary

from locust.env import Environment
from locust.runners import WorkerRunner

from ..errors import EXIT_CONFIG_ERROR, ConfigError
from ..hostcheck import check_host
from ..outputs.registry import OutputSpec, build_outputs, parse_out
from ..redact import redact_text
from .no_retries import disable_hidden_retries
from .options import PluginConfig, add_options, config_from_options
from .session import Session
from .signals import install_signal_handlers
from .threshold_runner import ThresholdRunner, gather_thresholds
from .webui import add_tabs

__all__ = ["PluginConfig", "Session", "attach", "install", "session_of"]

log = logging.getLogger("genesis_load")

_installed = False

#: The session of each live environment (an entry goes with its environment).
_SESSIONS: WeakKeyDictionary[Environment, Session] = WeakKeyDictionary()


def output_specs(config: PluginConfig) -> list[OutputSpec]:
    """The outputs a config asks for: ``--out`` entries and the older flags, which alias them."""
    specs = []
    if config.summary_json:
        specs.append(OutputSpec("json", config.summary_json, "--summary-json"))
    if config.hdr_log:
        specs.append(OutputSpec("hlog", config.hdr_log, "--hdr-log"))
    if config.live_status:
        specs.append(OutputSpec("live", config.live_status, "--live-status"))
    specs += [parse_out(text) for text in config.out]
    if config.print_summary and not any(s.name == "summary" for s in specs):
        specs.append(OutputSpec("summary"))
    # the summary prints last, after every file is written
    return sorted(specs, key=lambda s: s.name == "summary")


def attach(environment: Environment, config: PluginConfig | None = None) -> Session:
    """Start recording an Environment's requests; returns its session (results, collector).

    Outputs and thresholds (from ``set_thresholds``, user classes and ``config.thresholds``)
    are built and validated here; a :class:`ConfigError` lists every problem.
    """
    existing = session_of(environment)
    if existing is not None:
        return existing
    disable_hidden_retries()
    config = config or PluginConfig()
    problems: list[str] = []
    try:
        outputs = build_outputs(output_specs(config))
    except ConfigError as e:
        problems.extend(e.problems)
    sources: list[tuple[Any, str]] = []
    # The one scaling path: the factors (a profile's, or GENESIS_RATE_FACTOR /
    # GENESIS_TIME_FACTOR, never both) are applied once, here, before any VU starts.
    from ..executors.scaling import scale_user_classes

    scale_user_classes(environment.user_classes, config.rate_factor, config.time_factor)
    if config.profile is not None and config.profile.thresholds:
        profile = config.profile
        sources.append((profile.thresholds, f"{profile.path}: thresholds"))
    try:
        thresholds = gather_thresholds(environment, config.thresholds, sources)
    except ConfigError as e:
        problems.extend(e.problems)
    if problems:
        raise ConfigError(problems)
    if thresholds:
        extra = tuple(t.selector for t in thresholds if t.selector.filters)
        seen = {str(s) for s in config.submetrics}
        subs = config.submetrics + tuple(s for s in extra if str(s) not in seen)
        config = dataclasses.replace(config, submetrics=tuple({str(s): s for s in subs}.values()))
    session = Session(environment, config, outputs).attach()
    if thresholds:
        session.use_thresholds(
            ThresholdRunner(session, thresholds, config.threshold_eval_interval_s)
        )
    _SESSIONS[environment] = session
    runner = environment.runner
    if isinstance(runner, WorkerRunner) and runner.worker_state in ("spawning", "running"):
        # a worker that joins a running test: Locust's master sends it users as it connects,
        # and its worker greenlet may spawn them (firing test_start) before the locustfile's
        # init fires; start the session now so its data is recorded and shipped
        log.warning("genesis-load: this worker joined a running test; recording starts now")
        session.on_test_start(environment=environment)
    web_ui = getattr(environment, "web_ui", None)
    if web_ui is not None:  # None in headless runs and workers
        add_tabs(web_ui, session)
    return session


def session_of(environment: Environment) -> Session | None:
    """The session :func:`attach` made for this environment, if any."""
    return _SESSIONS.get(environment)


def _report_config_error(problems: Sequence[str]) -> None:
    sys.stderr.write(
        "genesis-load: invalid configuration, no load was sent:\n"
        + "".join(f"  - {redact_text(p)}\n" for p in problems)
    )


def _config_error_hook(previous: Any) -> Any:
    """A ConfigError escaping a locustfile's import (``scenario_from_config`` with bad k6
    options) ends the process like every other configuration error: the problems, exit 104,
    no traceback. Locust loads the locustfile outside any handler of ours, so this is the
    one place to catch it."""

    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        if isinstance(value, ConfigError):
            _report_config_error(value.problems)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_CONFIG_ERROR)  # no load started: nothing to clean up
        previous(kind, value, tb)

    return hook


def _on_init(environment: Any, **_: Any) -> None:
    options = getattr(environment, "parsed_options", None)
    try:
        config = config_from_options(options) if options is not None else PluginConfig()
        session = attach(environment, config)
        if config.check_host and _starts_load_now(environment):
            check_host(environment.host or "")
        if not environment.stop_timeout:  # Locust's default kills users mid-request
            environment.stop_timeout = config.graceful_stop_s
    except ConfigError as e:
        _report_config_error(e.problems)
        sys.exit(EXIT_CONFIG_ERROR)
    install_signal_handlers(session)


def _starts_load_now(environment: Environment) -> bool:
    """A headless (or autostarted) run of a master or single process: it loads the host."""
    options = environment.parsed_options
    if options is None or getattr(options, "worker", False) or not environment.host:
        return False
    return bool(getattr(options, "headless", False) or getattr(options, "autostart", False))


def install() -> None:
    """Add the options and attach every environment the ``locust`` CLI creates (idempotent)."""
    global _installed
    if _installed:  # Locust's global events are process-wide, so is this flag
        return
    from locust import events

    events.init_command_line_parser.add_listener(add_options)
    events.init.add_listener(_on_init)
    sys.excepthook = _config_error_hook(sys.excepthook)
    _installed = True
