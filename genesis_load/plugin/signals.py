"""Ctrl-C and SIGTERM on a ``locust`` CLI run: the run is recorded as interrupted, by which signal.

Locust handles the two signals differently depending on the run: a headless run with a shape
catches ``KeyboardInterrupt`` itself and stops as if the shape had ended, and installs its SIGTERM
handler only after the shape run returns, so SIGTERM then kills the process with no results.
genesis-load installs Python-level handlers at init, before the run starts: each records the signal
on the session and raises ``KeyboardInterrupt`` in the main greenlet (at once if it is the one
running, else as soon as the running greenlet yields: a VU must not die mid-request), the one
interruption every Locust path already turns into a stop (test stop, then quitting), so results are
written and marked ``interrupted``, and the exit code is 105 (k6's ``ExternalAbort``). Locust's own
SIGTERM handler, installed later in other run modes, reaches the same end through ``quitting``.

Only the CLI path (``install()``) installs these; an ``Environment`` built in code keeps its
program's own signal handling.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from gevent import getcurrent
from gevent.hub import get_hub

from .session import Session

__all__ = ["install_signal_handlers"]

log = logging.getLogger("genesis_load")


def install_signal_handlers(session: Session) -> None:
    """SIGINT and SIGTERM mark the session interrupted, then interrupt as Ctrl-C does."""

    def interrupted(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        first = session.interrupted_by is None
        session.interrupt(name)
        if first:
            log.warning("genesis-load: %s: stopping the run; results are marked interrupted", name)
        hub = get_hub()
        main = hub.parent
        if getcurrent() is main:
            signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt here
        # A VU (or the hub) is running: raising here would kill that greenlet mid-request, and
        # the server would have answered a request the results never count. The main greenlet
        # gets the interruption as soon as the running greenlet yields, as gevent forwards a
        # KeyboardInterrupt raised in the hub.
        hub.loop.run_callback(main.throw, KeyboardInterrupt, KeyboardInterrupt())

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
