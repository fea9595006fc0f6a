"""k6's ``check`` and ``group`` for Locust tasks.

``check(value, {"name": predicate, ...})`` records one sample of the ``checks`` Rate per
predicate, tagged ``check:<name>`` (and ``group``), and returns whether all passed. It does not
fail the request unless asked (``fail_request=True`` with a ``catch_response=True`` response).

``with group("onboarding"):`` tags every request and check inside with ``group:::onboarding``
(k6's ``::``-joined path, nested groups give ``::a::b``) and records ``group_duration``. The
current group lives in a context variable, which gevent keeps per greenlet, i.e. per user.

    from genesis_load import check, group

    @task
    def onboarding(self):
        with group("onboarding"):
            r = self.client.get("/api/v1/plans")
            check(r, {"status is 200": lambda r: r.status_code == 200,
                      "has plans": lambda r: len(r.json()["items"]) > 0})
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from .metrics.metric import Rate, Trend

__all__ = ["check", "current_group", "group"]

log = logging.getLogger("genesis_load")
T = TypeVar("T")

_GROUP: ContextVar[str] = ContextVar("genesis_load_group", default="")
_CHECKS = Rate("checks")
_GROUP_DURATION = Trend("group_duration", time=True)


def current_group() -> str:
    """The current group path (``::a::b``), or ``""`` outside any group."""
    return _GROUP.get()


@contextmanager
def group(name: str) -> Iterator[str]:
    """Tag what runs inside with this group; record ``group_duration`` when it ends."""
    if not name or "::" in name:
        raise ValueError(f"invalid group name {name!r}: must be non-empty, without '::'")
    path = f"{_GROUP.get()}::{name}"
    token = _GROUP.set(path)
    start = time.perf_counter()
    try:
        yield path
    finally:
        _GROUP.reset(token)
        _GROUP_DURATION.add((time.perf_counter() - start) * 1000.0, {"group": path})


def check(
    value: T,
    checks: Mapping[str, Callable[[T], Any]],
    tags: Mapping[str, str] | None = None,
    fail_request: bool = False,
) -> bool:
    """Run each predicate on ``value``; record each as a ``checks`` sample; True if all pass.

    A predicate that raises counts as failed (and is logged), it never breaks the task.
    """
    path = _GROUP.get()
    failed: list[str] = []
    for name, predicate in checks.items():
        try:
            ok = bool(predicate(value))
        except Exception as e:  # a broken predicate is a failed check, not a crashed user
            log.warning("check %r raised %s: %s", name, type(e).__name__, e)
            ok = False
        sample_tags = {"check": name, **(tags or {})}
        if path:
            sample_tags["group"] = path
        _CHECKS.add(ok, sample_tags)
        if not ok:
            failed.append(name)
    if failed and fail_request:
        failure = getattr(value, "failure", None)
        if not callable(failure):
            raise TypeError(
                "check(..., fail_request=True) needs a response from "
                "`with self.client.get(..., catch_response=True) as r:`"
            )
        failure(f"check failed: {', '.join(failed)}")
    return not failed
