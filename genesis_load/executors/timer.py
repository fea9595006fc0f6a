"""Sleeps that end on time: a Linux timerfd watched by gevent's hub, for the arrival loop.

gevent's libev loop hands epoll its timeout in whole milliseconds, rounded up, so
``gevent.sleep(0.0003)`` returns about 1 ms late (p50 1.0 ms measured on this project's CI
machine). An open-model hit issued that late carries the generator's delay as ``schedule_lag``
and in every corrected latency, which is then charged to the server. A timerfd
(``CLOCK_MONOTONIC``, nanosecond resolution) becomes readable when it expires, and the hub's
epoll wakes on it as on a socket: the same sleep returns about 0.1 ms late (the VM's wake-up
latency), with no thread and no busy wait.

:class:`PreciseSleep` owns one timerfd and its watcher; one per sleeping greenlet (each
scenario's arrival loop), closed by that greenlet when it ends. Where there is no timerfd
(not Linux, or no libc to call it through), :func:`precise_sleep` returns ``gevent.sleep``.
Python 3.13 has ``os.timerfd_create``; on 3.11 the two calls go through ``ctypes``.

:func:`yield_to_io` is the other half of waking on time: a pause for long CPU work (closing an
interval, an iteration that never waited) that lets the hub poll for I/O, which
``gevent.sleep(0)`` does not. gevent runs ``sleep(0)`` as a callback, and its loop keeps running
callbacks (checking the clock every 50) until its switch interval has passed: a chain of
``sleep(0)`` pauses kept a due timerfd unread for 3-25 ms, which showed at the server as an
empty 10-ms interval at every second's roll (design note 0016).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import gevent
from gevent.hub import get_hub

__all__ = ["PreciseSleep", "precise_sleep", "yield_to_io"]

log = logging.getLogger("genesis_load")

_CLOCK_MONOTONIC = 1
_TFD_NONBLOCK = os.O_NONBLOCK
_TFD_CLOEXEC = os.O_CLOEXEC
_READ = 1  # libev EV_READ


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", _Timespec), ("it_value", _Timespec)]


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.timerfd_create.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.timerfd_settime.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.POINTER(_Itimerspec),
            ctypes.c_void_p,
        ]
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


class PreciseSleep:
    """``sleep(seconds)`` for one greenlet at a time, ending within the kernel's wake-up
    latency of the due time (not libev's millisecond). Call :meth:`close` when done."""

    def __init__(self) -> None:
        if _LIBC is None:
            raise OSError("timerfd is not available here")
        fd = _LIBC.timerfd_create(_CLOCK_MONOTONIC, _TFD_NONBLOCK | _TFD_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            raise OSError(err, f"timerfd_create: {os.strerror(err)}")
        self._fd = fd
        self._spec = _Itimerspec()
        self._spec_ref = ctypes.byref(self._spec)
        self._hub = get_hub()
        self._watcher = self._hub.loop.io(fd, _READ)
        self.closed = False

    def sleep(self, seconds: float) -> None:
        """Block this greenlet for ``seconds`` (other greenlets run meanwhile)."""
        if seconds <= 0:
            yield_to_io()
            return
        ns = max(1, int(seconds * 1e9))  # an all-zero it_value would disarm the timer
        value = self._spec.it_value
        value.tv_sec, value.tv_nsec = divmod(ns, 1_000_000_000)
        if _LIBC.timerfd_settime(self._fd, 0, self._spec_ref, None) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"timerfd_settime: {os.strerror(err)}")
        self._hub.wait(self._watcher)
        with contextlib.suppress(BlockingIOError):
            os.read(self._fd, 8)  # the expiration count: reading it disarms readiness

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._watcher.close()
            os.close(self._fd)


def precise_sleep() -> tuple[Callable[[float], object], Callable[[], None]]:
    """A ``(sleep, close)`` pair: a timerfd's where there is one, else ``gevent.sleep``."""
    try:
        timer = PreciseSleep()
    except OSError as e:
        log.debug("genesis-load: no timerfd (%s); arrivals wake on gevent's 1-ms timer", e)
        return gevent.sleep, lambda: None
    return timer.sleep, timer.close


def yield_to_io() -> None:
    """Let every other ready greenlet run, and the hub poll for I/O once, then go on.

    An expired zero-length libev timer: it makes the next poll non-blocking and fires after it,
    so due sockets and timerfds are served first (3 µs, against 1.3 µs for ``sleep(0)``)."""
    hub = get_hub()
    timer = hub.loop.timer(0.0)
    try:
        hub.wait(timer)
    finally:
        timer.close()
