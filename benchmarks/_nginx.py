"""A throw-away nginx on 127.0.0.1 for benchmarks (installed from Debian if missing).

Its access log has one line per request, ``$msec $status`` (the time the answer was logged, in
seconds since the epoch with ms resolution): :meth:`Nginx.served` counts the lines,
:meth:`Nginx.log_offset` and :meth:`Nginx.times_between` read the times logged between two
moments. :meth:`Nginx.stall` stops the worker process(es) this nginx started for a given time
(SIGSTOP, then SIGCONT), so every client sees the same stall.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format stamp '$msec $status';
    access_log {dir}/access.log stamp;
    keepalive_requests 1000000;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ default_type text/plain; return 200 "ok\\n"; }}
    }}
}}
"""


def ensure_installed(binary: str, package: str) -> str:
    sbin = f"/usr/sbin/{binary}"
    path = shutil.which(binary) or (sbin if os.path.exists(sbin) else None)
    if path:
        return path
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    found = shutil.which(binary) or f"/usr/sbin/{binary}"
    if not os.path.exists(found):
        raise RuntimeError(f"{binary} not found after installing {package}")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Nginx:
    """nginx pinned to one core, counting every request in its access log."""

    def __init__(self, cpu: int = 1) -> None:
        self.binary = ensure_installed("nginx", "nginx-light")
        self.dir = Path(tempfile.mkdtemp(prefix="genesis-nginx-"))
        self.port = free_port()
        (self.dir / "nginx.conf").write_text(CONF.format(dir=self.dir, port=self.port))
        self.proc = subprocess.Popen(
            [
                "taskset",
                "-c",
                str(cpu),
                self.binary,
                "-c",
                str(self.dir / "nginx.conf"),
                "-p",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            raise RuntimeError("nginx did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def served(self) -> int:
        """Requests nginx has logged so far (access log lines)."""
        path = self.dir / "access.log"
        if not path.exists():
            return 0
        with open(path, "rb") as f:
            return sum(1 for _ in f)

    def log_offset(self) -> int:
        """The access log's size in bytes now (a mark for :meth:`times_between`)."""
        path = self.dir / "access.log"
        return path.stat().st_size if path.exists() else 0

    def times_between(self, start: int, end: int) -> list[float]:
        """The ``$msec`` times (s since the epoch) of the lines logged between two offsets."""
        path = self.dir / "access.log"
        if end <= start or not path.exists():
            return []
        with open(path, "rb") as f:
            f.seek(start)
            chunk = f.read(end - start)
        return [float(line.split(b" ", 1)[0]) for line in chunk.splitlines() if line]

    def worker_pids(self) -> list[int]:
        """The worker processes of this nginx (children of the master this object started)."""
        try:
            return [p.pid for p in psutil.Process(self.proc.pid).children()]
        except psutil.Error:
            return []

    def stall(self, seconds: float) -> None:
        """Stop this nginx's workers for ``seconds`` (SIGSTOP, sleep, SIGCONT): connections
        and requests queue in the kernel meanwhile and are answered when they resume."""
        pids = self.worker_pids()
        if not pids:
            raise RuntimeError("no nginx worker to stall")
        stopped: list[int] = []
        try:
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
            time.sleep(seconds)
        finally:
            for pid in stopped:
                os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Nginx:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
