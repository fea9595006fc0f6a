"""``genesis_load.run(...)``: one bounded load run in this process, returning a :class:`Result`.

Owns driving Locust in-process for a library caller (a pytest test, a notebook, a script):
wrap the given user classes in a scenario (open model with ``rate``, closed model with
``users``; classes that already carry a ``scenario`` keep it; a suite scenario by name), build a
Locust ``Environment`` with genesis-load :func:`~genesis_load.plugin.attach`-ed, start the
shape, wait for its end (bounded), and tear everything down: the runner's greenlets, the
session's listeners, the users' connection pools, and the demo target when this call started
it. Nothing stays behind, so ``run()`` can be called any number of times in one process.

It imports Locust, which monkey-patches the process with gevent: import it (or
``genesis_load.pytest_plugin``'s fixtures) before anything imports ``ssl``, or call
``gevent.monkey.patch_all()`` first (see tests/conftest.py)::

    from gevent import monkey; monkey.patch_all()
    import genesis_load
    from locust import FastHttpUser, task

    class Api(FastHttpUser):
        @task
        def health(self):
            self.client.get("/health")

    result = genesis_load.run(Api, rate=50, duration="10s")        # against the demo target
    result = genesis_load.run(Api, users=5, duration="10s", host="http://127.0.0.1:8080")
    result = genesis_load.run("baseline", profile="ci")            # a suite scenario
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import math
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import gevent
import msgspec
from locust import User
from locust.env import Environment
from locust.event import Events

from ..errors import ConfigError
from ..executors import ScenarioShape, arrival_rate_user, scenario_user
from ..executors.scenario import Scenario
from ..executors.user import ScenarioUser
from ..executors.vus import VUScenario
from ..metrics.selector import Selector, parse_selector
from ..metrics.stats import DEFAULT_TREND_STATS, parse_trend_stats
from ..pacing import ConstantPacer, parse_duration_s
from ..plugin import PluginConfig, attach
from ..results.build import metric_entries
from .result import Result

__all__ = ["run"]

log = logging.getLogger("genesis_load")

#: Trend stats of a library run: the defaults plus the tail a test usually asserts on.
RUN_TREND_STATS: tuple[str, ...] = (*DEFAULT_TREND_STATS, "p(99.9)")
#: Beyond the plan and graceful stop, how long ``run()`` waits before it stops the run itself.
_OVERRUN_S = 30.0
_POLL_S = 0.1


def _seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ConfigError(f"{where}: expected seconds or a duration like '10s', got {value!r}")
    seconds = parse_duration_s(value, where) if isinstance(value, str) else float(value)
    if not (math.isfinite(seconds) and seconds > 0):
        raise ConfigError(f"{where}: must be more than 0 seconds, got {value!r}")
    return seconds


def _user_classes(user: Any) -> list[type[User]]:
    classes = list(user) if isinstance(user, list | tuple) else [user]
    bad = [c for c in classes if not (isinstance(c, type) and issubclass(c, User))]
    if not classes or bad:
        raise ConfigError(
            f"user: expected a Locust User class, a list of them or a suite scenario name, got "
            f"{bad[0] if bad else user!r}"
        )
    return classes


def _scheduled(
    classes: list[type[User]],
    rate: float | None,
    users: int | None,
    duration_s: float | None,
    max_vus: int | None,
) -> list[type[ScenarioUser]]:
    """Each class as a scenario user: its own scenario, or ``rate``/``users`` for ``duration``."""
    out: list[type[ScenarioUser]] = []
    problems: list[str] = []
    for i, cls in enumerate(classes):
        if issubclass(cls, ScenarioUser) and getattr(cls, "scenario", None) is not None:
            out.append(cls)
            continue
        if duration_s is None:
            problems.append(f"{cls.__name__}: give duration= (and rate= or users=)")
            continue
        name = f"run{i}" if len(classes) > 1 else "run"
        if rate is not None:
            pre = max(2, math.ceil(rate * 0.1))
            cap = max_vus if max_vus is not None else max(pre, math.ceil(rate))
            sc: Scenario | VUScenario = Scenario(
                name, ConstantPacer(rate, duration_s=duration_s), min(pre, cap), cap
            )
            make = arrival_rate_user
        else:
            sc = VUScenario(name, "constant-vus", vus=int(users or 0), duration_s=duration_s)
            make = scenario_user
        try:
            out.append(make(cls, sc, f"{cls.__name__}_{name}"))
        except TypeError as e:
            problems.append(str(e))
    if problems:
        raise ConfigError(problems)
    return out


def _check_load(rate: Any, users: Any, max_vus: Any) -> list[str]:
    problems = []
    if rate is not None and users is not None:
        problems.append("give rate= (open model) or users= (closed model), not both")
    if rate is not None and (
        isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0
    ):
        problems.append(f"rate: expected iterations per second > 0, got {rate!r}")
    if users is not None and (isinstance(users, bool) or not isinstance(users, int) or users < 1):
        problems.append(f"users: expected a whole number of VUs >= 1, got {users!r}")
    if max_vus is not None and (
        isinstance(max_vus, bool) or not isinstance(max_vus, int) or max_vus < 1
    ):
        problems.append(f"max_vus: expected a whole number >= 1, got {max_vus!r}")
    return problems


def _threshold_map(thresholds: Any) -> dict[str, list[Any]]:
    if thresholds is None:
        return {}
    if not isinstance(thresholds, Mapping):
        raise ConfigError(
            f"thresholds: expected a mapping like {{'http_req_duration': ['p(95)<500']}}, "
            f"got {type(thresholds).__name__}"
        )
    return {
        str(k): ([v] if isinstance(v, str | Mapping) else list(v)) for k, v in thresholds.items()
    }


def _suite_classes(name: str) -> tuple[list[type[User]], dict[str, Any]]:
    from ..scenarios.build import suite_classes
    from ..suite.registry import SUITE

    if name not in SUITE:
        raise ConfigError(f"unknown suite scenario {name!r} (known: {', '.join(SUITE)})")
    *users, shape = suite_classes(name, __name__)
    return list(users), dict(getattr(shape, "thresholds", {}) or {})


def run(
    user: type[User] | Sequence[type[User]] | str,
    *,
    rate: float | None = None,
    users: int | None = None,
    duration: str | float | None = None,
    host: str | None = None,
    thresholds: Mapping[str, Any] | None = None,
    submetrics: Sequence[str] = (),
    trend_stats: Sequence[str] = RUN_TREND_STATS,
    out: Sequence[str] = (),
    profile: str | None = None,
    max_vus: int | None = None,
    target_args: Sequence[str] = (),
    print_summary: bool = False,
    graceful_stop: str | float = "5s",
    timeout: str | float | None = None,
) -> Result:
    """Run a load in this process for a bounded time and return its :class:`Result`.

    ``user``: a Locust ``User`` class (its ``@task`` methods are the iteration), a list of
    them, a :class:`~genesis_load.ScenarioUser` subclass with its own ``scenario``, or a suite
    scenario name (``"baseline"``; scale it with ``profile="ci"``).
    ``rate``: iterations started per second (open model, k6's constant-arrival-rate);
    ``users``: VUs looping (closed model, constant-vus); one of them with ``duration`` (``"10s"``
    or seconds) for plain classes. ``host``: a URL; ``None`` uses the classes' ``host`` or,
    if they have none, the demo target, started on a free port and stopped at the end
    (``"demo"`` forces it; ``target_args`` are its options). ``thresholds``: k6's mapping.
    ``submetrics``: extra sub-metrics to compute (``"http_req_duration{name:/health}"``).
    ``out``: outputs as ``--out`` takes them (``"json=results.json"``).
    ``timeout``: the longest the call may take (default: the plan plus graceful stop plus
    30 s); past it the run is stopped and ends ``interrupted``.

    Wrong types or values raise :class:`~genesis_load.ConfigError` (every problem at once)
    before any load starts.
    """
    problems = _check_load(rate, users, max_vus)
    duration_s = None
    try:
        if duration is not None:
            duration_s = _seconds(duration, "duration")
        graceful_s = _seconds(graceful_stop, "graceful_stop")
        timeout_s = None if timeout is None else _seconds(timeout, "timeout")
    except ConfigError as e:
        raise ConfigError([*problems, *e.problems]) from None
    stats: tuple[str, ...] = ()
    selectors: list[Selector] = []
    try:
        stats = parse_trend_stats(",".join(trend_stats), "trend_stats")
        selectors = [parse_selector(s) for s in submetrics]
        threshold_map = _threshold_map(thresholds)
    except ConfigError as e:
        problems.extend(e.problems)
    loaded_profile = None
    if profile is not None:
        from ..profiles import load_profile

        try:
            loaded_profile = load_profile(profile)
        except ConfigError as e:
            problems.extend(e.problems)
    if problems:
        raise ConfigError(problems)
    if isinstance(user, str):
        classes, suite_thresholds = _suite_classes(user)
        threshold_map = {**suite_thresholds, **threshold_map}
        scheduled: list[type[ScenarioUser]] = classes  # type: ignore[assignment]
    else:
        if rate is None and users is None and duration_s is not None:
            raise ConfigError("give rate= (iterations/s) or users= (VUs) with duration=")
        scheduled = _scheduled(_user_classes(user), rate, users, duration_s, max_vus)
    # subclasses: scaling and the graceful stop never touch the caller's classes
    scheduled = [_own_copy(cls, graceful_s) for cls in scheduled]
    config = PluginConfig(
        trend_stats=stats,
        submetrics=tuple(selectors),
        print_summary=print_summary,
        out=tuple(out),
        profile=loaded_profile,
        rate_factor=loaded_profile.rate_factor if loaded_profile else 1.0,
        time_factor=loaded_profile.time_factor if loaded_profile else 1.0,
        graceful_stop_s=graceful_s,
        check_host=False,
    )
    if not target_args and loaded_profile is not None:
        target_args = loaded_profile.target_args  # the profile's demo target options
    return _drive(scheduled, threshold_map, host, target_args, config, timeout_s)


def _own_copy(cls: type[ScenarioUser], graceful_s: float) -> type[ScenarioUser]:
    """A subclass of ``cls`` whose scenario stops gracefully within ``graceful_s``."""
    sc = cls.scenario
    scenario = dataclasses.replace(sc, graceful_stop_s=min(sc.graceful_stop_s, graceful_s))
    attrs = {"scenario": scenario, "__module__": cls.__module__, "abstract": False}
    return type(cls.__name__, (cls,), attrs)


def _drive(
    classes: list[type[ScenarioUser]],
    thresholds: dict[str, list[Any]],
    host: str | None,
    target_args: Sequence[str],
    config: PluginConfig,
    timeout_s: float | None,
) -> Result:
    shape_cls: type[ScenarioShape] = type(
        "RunShape",
        (ScenarioShape,),
        {"user_classes": tuple(classes), "thresholds": thresholds, "settle_s": 1.0},
    )
    shape = shape_cls()
    needs_target = host == "demo" or (host is None and not all(c.host for c in classes))
    target = None
    env: Environment | None = None
    session = None
    try:
        if needs_target:
            from ..target import TargetProcess

            target = TargetProcess(tuple(target_args)).start()
            host = target.base_url
        env = Environment(user_classes=list(classes), shape_class=shape, host=host, events=Events())
        env.stop_timeout = config.graceful_stop_s
        session = attach(env, config)  # ConfigError (bad thresholds, outputs) before any load
        runner = env.create_local_runner()
        planned = shape.planned_s() * config.time_factor
        limit_s = timeout_s or planned + config.graceful_stop_s + _OVERRUN_S
        deadline = time.monotonic() + limit_s
        runner.start_shape()
        while _busy(runner) and time.monotonic() < deadline:
            gevent.sleep(_POLL_S)
        if runner.state != "stopped":
            log.warning("genesis-load run(): stopped after %.0f s (timeout)", limit_s)
            session.interrupt("timeout")
        runner.quit()
        results = session.results
        if results is None:
            results = session.finalize()
        if results is None:
            raise RuntimeError("the run produced no results (it never started)")
        results = _with_checks(session, results, config)
        return Result(results, tuple(session.output_errors))
    finally:
        if env is not None and env.runner is not None and env.runner.state != "stopped":
            env.runner.quit()
        if session is not None:
            session.detach()
        if target is not None:
            target.close()
        del env, session, shape
        # Locust's FastHttpSession has no close(): its pooled sockets close when the users'
        # reference cycles are collected. The session gc.freeze()s every object once users
        # are spawned (a collection's pause read as latency); give them back to the collector
        # and collect now, so a run leaves no socket behind. Closing them this way is the
        # intent, so their "unclosed socket" ResourceWarnings are not the caller's problem.
        gc.unfreeze()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


def _busy(runner: Any) -> bool:
    """Still running: not stopped, or the shape's greenlet is still in ``test_stop``.

    Locust marks the runner stopped *before* it fires ``test_stop``, from the shape's
    greenlet when the shape ended the run; ``quit()`` would kill that greenlet in the middle
    of the outputs' ``stop`` (a results file half written, a Prometheus linger cut short)."""
    if runner.state != "stopped":
        return True
    shape = runner.shape_greenlet
    return shape is not None and not shape.dead


def _with_checks(session: Any, results: Any, config: PluginConfig) -> Any:
    """Add one ``checks{check:NAME}`` sub-metric per check the run made (k6 lists them)."""
    store = session.collector.cumulative
    names = store.tag_values("checks", "check")
    if not names:
        return results
    selectors = [Selector("checks", (("check", n),)) for n in names]
    extra = metric_entries(store, session.collector.duration_s, config.trend_stats, selectors)
    return msgspec.structs.replace(results, metrics={**results.metrics, **extra})
