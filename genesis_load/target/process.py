"""TargetProcess: run the demo target as a child process on a free loopback port.

Owns spawning ``python -m genesis_load.target --port 0 ...``, waiting for its listening line,
and stopping it by PID (SIGTERM, then SIGKILL after ``stop_timeout_s``). Also two small
synchronous helpers for tests and benchmarks: ``metrics_text()`` and ``set_faults()``.

Example::

    with TargetProcess(["--ai-speed", "1000"]) as target:
        requests.get(f"{target.base_url}/health")
        target.set_faults({"error_rate": 0.1})
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from genesis_load._extras import require

__all__ = ["TargetProcess"]

_LISTENING = re.compile(r"^genesis-load target listening on (http://\S+:(\d+))\s*$")
# The directory that contains the genesis_load package, so the child can import it.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


class TargetProcess:
    """A started-on-demand demo target subprocess; use as a context manager or start()/stop().

    ``env`` entries are added to (not substituted for) the current environment.
    ``cpu_affinity`` pins the child to those CPU cores (Linux), e.g. ``{0}`` for benchmarks.
    """

    def __init__(
        self,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        *,
        cpu_affinity: Collection[int] | None = None,
        startup_timeout_s: float = 10.0,
        stop_timeout_s: float = 5.0,
    ) -> None:
        self.args = tuple(args)
        self.env = dict(env or {})
        self.cpu_affinity = set(cpu_affinity) if cpu_affinity is not None else None
        self.startup_timeout_s = startup_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None
        self._base_url: str | None = None
        self._port: int | None = None

    @property
    def command(self) -> list[str]:
        return [sys.executable, "-m", "genesis_load.target", "--port", "0", *self.args]

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("TargetProcess is not started")
        return self._base_url

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("TargetProcess is not started")
        return self._port

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise RuntimeError("TargetProcess is not started")
        return self._proc.pid

    def start(self) -> TargetProcess:
        """Spawn the target and wait for its address; raises ``MissingExtraError`` (a
        ``ConfigError``) when aiohttp, the optional 'target' extra, is not installed."""
        if self._proc is not None:
            raise RuntimeError("TargetProcess already started")
        require("target", "the demo target")
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        affinity = self.cpu_affinity
        self._stderr = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        self._proc = subprocess.Popen(
            self.command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, affinity)) if affinity else None,
            # its own session: a Ctrl-C at the terminal reaches the program that started it,
            # which stops it by PID once the load it serves has ended
            start_new_session=True,
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(
            target=_pump, args=(self._proc.stdout, lines), name="target-stdout", daemon=True
        ).start()
        try:
            line = lines.get(timeout=self.startup_timeout_s)
        except queue.Empty:
            line = None
            problem = f"did not announce itself within {self.startup_timeout_s:g} s"
        else:
            problem = "exited before listening" if line is None else f"printed {line!r}"
        match = _LISTENING.match(line) if line else None
        if match is None:
            self.stop()
            stderr = self.stderr_text()
            self.close()  # a failed start has no __exit__: close the captured stderr here
            raise RuntimeError(
                f"demo target {problem}: {' '.join(self.command)}\n--- its stderr ---\n{stderr}"
            )
        self._base_url, self._port = match.group(1), int(match.group(2))
        return self

    def stderr_text(self) -> str:
        """Everything the child wrote to stderr so far."""
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def stop(self) -> int | None:
        """SIGTERM the child by PID, wait, SIGKILL if needed; returns its exit code."""
        proc = self._proc
        if proc is None:
            return None
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=self.stop_timeout_s)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=self.stop_timeout_s)
        if proc.stdout is not None:
            proc.stdout.close()
        return proc.returncode

    def close(self) -> None:
        """Stop the child and discard its captured stderr."""
        self.stop()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> TargetProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def metrics_text(self, timeout_s: float = 10.0) -> str:
        """GET /metrics as Prometheus text."""
        with urllib.request.urlopen(f"{self.base_url}/metrics", timeout=timeout_s) as resp:
            return str(resp.read().decode("utf-8"))

    def set_faults(self, spec: Mapping[str, Any], timeout_s: float = 10.0) -> dict[str, Any]:
        """POST /admin/faults (replacing the active spec); returns the server's answer.

        Raises ``urllib.error.HTTPError`` (status 400, body naming the bad keys) if invalid.
        """
        request = urllib.request.Request(
            f"{self.base_url}/admin/faults",
            data=json.dumps(dict(spec)).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=timeout_s) as resp:
            answer: dict[str, Any] = json.loads(resp.read())
        return answer


def _pump(stream: IO[str] | None, lines: queue.Queue[str | None]) -> None:
    """Forward the child's stdout lines to ``lines``; None marks end of output."""
    if stream is not None:
        try:
            for line in stream:
                lines.put(line.rstrip("\n"))
        except (OSError, ValueError):
            pass
    lines.put(None)
