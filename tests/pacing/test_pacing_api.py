"""The public surface of genesis_load.pacing: its names, its protocol, its examples, its imports."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

import genesis_load.pacing as pacing
from genesis_load.pacing import (
    ConstantPacer,
    GammaPacer,
    Pacer,
    PoissonPacer,
    Stage,
    StagesPacer,
    scaled,
    share,
)


def test_public_names() -> None:
    assert sorted(pacing.__all__) == [
        "ConstantPacer",
        "GammaPacer",
        "Pacer",
        "PoissonPacer",
        "Stage",
        "StagesPacer",
        "pacer_from_config",
        "parse_duration_s",
        "scaled",
        "share",
    ]


@pytest.mark.parametrize(
    "pacer",
    [
        ConstantPacer(10, duration_s=5),
        StagesPacer(0, [Stage(10, 100)]),
        PoissonPacer(ConstantPacer(10), seed=1),
        GammaPacer(ConstantPacer(10), burstiness=2, seed=1),
        share(ConstantPacer(10), 1, 3),
        scaled(StagesPacer(5, [Stage(1, 5)]), rate_factor=2),
    ],
    ids=["constant", "stages", "poisson", "gamma", "a share", "a scaled schedule"],
)
def test_every_built_in_pacer_satisfies_the_protocol(pacer: Pacer) -> None:
    assert isinstance(pacer, Pacer)


@pytest.mark.parametrize(
    "module",
    ["_gaps", "config", "constant", "duration", "random_arrivals", "stages", "transform"],
)
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(f"genesis_load.pacing.{module}"))
    assert result.failed == 0


def test_importing_pacing_imports_neither_locust_nor_gevent() -> None:
    code = (
        "import sys, genesis_load.pacing; "
        "print(sorted(m for m in ('locust', 'gevent') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
