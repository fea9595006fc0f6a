"""The seed report's traffic shapes as open-model scenarios, by name.

Owns the default numbers of the GENESIS k6 suite (requests per second and durations). Every
parameter can be overridden, and ``rate_factor`` / ``time_factor`` scale a preset by hand::

    preset("spike")                                  # 8 minutes, 100 -> 1500/s -> 100/s
    preset("stress", peak_rps=2000, time_factor=0.1) # 90 s ramp to 2000/s
    preset("baseline", rate_factor=0.5)              # 50/s for 5 minutes

| name | schedule (defaults) | stages |
|---|---|---|
| baseline | constant 100/s for 5 min | steady |
| stress | 50 -> 1000/s linearly over 15 min | ramp |
| spike | 100/s 2 min; to 1500/s in 5 s; hold 2 min; to 100/s in 5 s; hold 230 s | see below |

Spike stages: warm, surge, spike, drop, recovery.
| soak | constant 100/s for 30 min | steady |
| benchmarks | constant 100/s for 25 min | steady |
| streaming_sse | SSE streams/s: 0 -> 10 (1 min), 10 (5 min), -> 0 (1 min) | up, hold, down |
| streaming_ws | WebSocket messages: 50/s over 20 open sockets for 7 min | (none) |
| ai_agents | AI conversations: 15 held at once (constant-vus) for 10 min | (closed model) |
| ai_agents_open | AI conversations: 0.5 started per second for 10 min | steady |

Which user class and thresholds go with a preset in the suite is the suite registry's
(``genesis_load.suite.registry``). A run's scale factors (``--profile``, or the
``GENESIS_RATE_FACTOR`` / ``GENESIS_TIME_FACTOR`` variables) are not read here: they are
applied once to the loaded classes when the run starts (:mod:`.scaling`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from ..pacing import Stage, StagesPacer
from .scaling import RATE_FACTOR_ENV, TIME_FACTOR_ENV
from .scenario import Scenario
from .vus import VUScenario

__all__ = ["PRESETS", "RATE_FACTOR_ENV", "TIME_FACTOR_ENV", "preset", "preset_from_env"]


def _vus(peak_rps: float, latency_budget_s: float = 0.5) -> tuple[int, int]:
    """Pre-allocated and maximum VUs for a peak rate: Little's law with a latency budget."""
    pre = max(5, math.ceil(peak_rps * 0.05))
    return pre, max(pre, math.ceil(peak_rps * latency_budget_s))


def _scenario(
    name: str, pacer: StagesPacer, names: tuple[str, ...], peak: float, kw: dict[str, Any]
) -> Scenario:
    pre, max_vus = _vus(peak)
    scenario = Scenario(
        name=kw.pop("scenario_name", name),
        pacer=pacer,
        pre_allocated_vus=int(kw.pop("pre_allocated_vus", pre)),
        max_vus=int(kw.pop("max_vus", max_vus)),
        drop_policy=str(kw.pop("drop_policy", "drop")),
        graceful_stop_s=float(kw.pop("graceful_stop_s", 30.0)),
        stage_names=names,
    )
    if kw:
        raise TypeError(f"unexpected parameter(s): {', '.join(sorted(kw))}")
    return scenario


def _check_factors(rate_factor: float, time_factor: float) -> None:
    problems = []
    if not rate_factor > 0:
        problems.append(f"rate_factor must be > 0, got {rate_factor}")
    if not time_factor > 0:
        problems.append(f"time_factor must be > 0, got {time_factor}")
    if problems:
        raise ConfigError(problems)


def _steady(
    name: str,
    rate_rps: float,
    duration_s: float,
    rate_factor: float,
    time_factor: float,
    kw: dict[str, Any],
) -> Scenario:
    """A constant rate for a duration: the shape of baseline, soak and benchmarks."""
    _check_factors(rate_factor, time_factor)
    r = rate_rps * rate_factor
    pacer = StagesPacer(r, [Stage(duration_s * time_factor, r)])
    return _scenario(name, pacer, ("steady",), r, kw)


def baseline(
    rate_rps: float = 100,
    duration_s: float = 300,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    return _steady("baseline", rate_rps, duration_s, rate_factor, time_factor, kw)


def soak(
    rate_rps: float = 100,
    duration_s: float = 1800,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    return _steady("soak", rate_rps, duration_s, rate_factor, time_factor, kw)


def stress(
    start_rps: float = 50,
    peak_rps: float = 1000,
    duration_s: float = 900,
    steps: int = 0,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    """Linear ramp, or ``steps`` equal plateaus (each reached in 1% of its length)."""
    _check_factors(rate_factor, time_factor)
    a, b, d = start_rps * rate_factor, peak_rps * rate_factor, duration_s * time_factor
    if steps <= 0:
        return _scenario("stress", StagesPacer(a, [Stage(d, b)]), ("ramp",), b, kw)
    stages, names = [], []
    for i in range(steps):
        level = a + (b - a) * (i + 1) / steps
        step_s = d / steps
        stages += [Stage(step_s * 0.01, level), Stage(step_s * 0.99, level)]
        names += [f"rise{i + 1}", f"level{i + 1}"]
    return _scenario("stress", StagesPacer(a, stages), tuple(names), b, kw)


def spike(
    base_rps: float = 100,
    peak_rps: float = 1500,
    warm_s: float = 120,
    jump_s: float = 5,
    spike_s: float = 120,
    drop_s: float = 5,
    recovery_s: float = 230,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    _check_factors(rate_factor, time_factor)
    lo, hi, t = base_rps * rate_factor, peak_rps * rate_factor, time_factor
    pacer = StagesPacer(lo, [
        Stage(warm_s * t, lo), Stage(jump_s * t, hi), Stage(spike_s * t, hi),
        Stage(drop_s * t, lo), Stage(recovery_s * t, lo),
    ])  # fmt: skip
    return _scenario("spike", pacer, ("warm", "surge", "spike", "drop", "recovery"), hi, kw)


def benchmarks(
    rate_rps: float = 100,
    duration_s: float = 1500,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    """The performance suite: the mixed REST workload at a steady rate (25 min in the seed)."""
    return _steady("benchmarks", rate_rps, duration_s, rate_factor, time_factor, kw)


def streaming_sse(
    peak_per_s: float = 10,
    ramp_s: float = 60,
    hold_s: float = 300,
    down_s: float = 60,
    stream_s: float = 1.5,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    """SSE streams started per second over the seed's 7-minute streaming run: up, hold, down.

    Each stream is held to its end (``stream_s`` long on the demo feed), so the VU pool is
    sized by Little's law: streams open at once = rate x stream time."""
    _check_factors(rate_factor, time_factor)
    peak, t = peak_per_s * rate_factor, time_factor
    pacer = StagesPacer(
        0.0, [Stage(ramp_s * t, peak), Stage(hold_s * t, peak), Stage(down_s * t, 0.0)]
    )
    kw.setdefault("pre_allocated_vus", max(2, math.ceil(peak * stream_s)))
    kw.setdefault("max_vus", max(4, math.ceil(peak * stream_s * 3)))
    kw.setdefault("scenario_name", "streaming_sse")
    return _scenario("streaming", pacer, ("up", "hold", "down"), peak, kw)


def streaming_ws(
    rate_per_s: float = 50,
    duration_s: float = 420,
    connections: int = 20,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    """WebSocket messages (echo, subscription, ping) sent per second over ``connections`` open
    sockets (one per VU, kept for the run) for the seed's 7 minutes."""
    _check_factors(rate_factor, time_factor)
    r = rate_per_s * rate_factor
    kw.setdefault("pre_allocated_vus", max(2, math.ceil(connections * rate_factor)))
    kw.setdefault("max_vus", max(4, math.ceil(connections * rate_factor * 2)))
    kw.setdefault("scenario_name", "streaming_ws")
    pacer = StagesPacer(r, [Stage(duration_s * time_factor, r)])
    return _scenario("streaming", pacer, (), r, kw)  # the SSE part names the stages


def ai_agents(
    conversations: int = 15,
    duration_s: float = 600,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> VUScenario:
    """The seed's AI agents test: ``conversations`` held at once for 10 minutes (k6's
    constant-vus; each VU holds one conversation after another, an iteration is a whole
    conversation). ``rate_factor`` scales the conversations, ``time_factor`` the duration."""
    _check_factors(rate_factor, time_factor)
    scenario = VUScenario(
        name=str(kw.pop("scenario_name", "ai_agents")),
        executor="constant-vus",
        vus=max(1, math.ceil(conversations * rate_factor)),
        duration_s=duration_s * time_factor,
        graceful_stop_s=float(kw.pop("graceful_stop_s", 60.0)),  # a conversation at 1x: ~40 s
    )
    if kw:
        raise TypeError(f"unexpected parameter(s): {', '.join(sorted(kw))}")
    return scenario


def ai_agents_open(
    rate_per_s: float = 0.5,
    duration_s: float = 600,
    conversation_s: float = 15.0,
    rate_factor: float = 1.0,
    time_factor: float = 1.0,
    **kw: Any,
) -> Scenario:
    """AI conversations started per second (open model), so a slow model shows as schedule lag
    and dropped conversations instead of a quietly lower rate. VUs by Little's law: rate x
    ``conversation_s`` (a conversation's expected length), up to 4x that."""
    _check_factors(rate_factor, time_factor)
    r = rate_per_s * rate_factor
    kw.setdefault("pre_allocated_vus", max(2, math.ceil(r * conversation_s)))
    kw.setdefault("max_vus", max(4, math.ceil(r * conversation_s * 4)))
    kw.setdefault("scenario_name", "ai_agents_open")
    kw.setdefault("graceful_stop_s", 60.0)  # a whole conversation, as for ai_agents
    pacer = StagesPacer(r, [Stage(duration_s * time_factor, r)])
    return _scenario("ai_agents", pacer, ("steady",), r, kw)


#: Registry: preset name -> constructor (plain dict, STYLE habit 4). Most presets are
#: open-model (arrival rate); ``ai_agents`` is closed-model (constant-vus): a fixed number of
#: conversations held at once, as the seed ran it.
PRESETS: dict[str, Callable[..., Scenario | VUScenario]] = {
    "baseline": baseline,
    "stress": stress,
    "spike": spike,
    "soak": soak,
    "benchmarks": benchmarks,
    "streaming_sse": streaming_sse,
    "streaming_ws": streaming_ws,
    "ai_agents": ai_agents,
    "ai_agents_open": ai_agents_open,
}


def preset(name: str, **overrides: Any) -> Scenario | VUScenario:
    """The named preset with overrides; an unknown name or parameter is a ConfigError."""
    if name not in PRESETS:
        raise ConfigError(f"unknown scenario preset {name!r} (known: {', '.join(PRESETS)})")
    try:
        return PRESETS[name](**overrides)
    except TypeError as e:
        raise ConfigError(f"preset {name!r}: {e}") from e
    except ValueError as e:
        raise ConfigError(f"preset {name!r}: {e}") from e


def preset_from_env(name: str, **overrides: Any) -> Scenario | VUScenario:
    """Deprecated: the same as ``preset(name, **overrides)``.

    It used to scale the preset by ``GENESIS_RATE_FACTOR`` / ``GENESIS_TIME_FACTOR`` when the
    locustfile was imported, and ``--profile`` then scaled it again. The variables now reach
    the one scaling path, applied when the run starts, so a class built with this function is
    still scaled, once.
    """
    warnings.warn(
        "preset_from_env() is deprecated: use preset(); GENESIS_RATE_FACTOR and "
        "GENESIS_TIME_FACTOR are applied when the run starts",
        DeprecationWarning,
        stacklevel=2,
    )
    return preset(name, **overrides)
