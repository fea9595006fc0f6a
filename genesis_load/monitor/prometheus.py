"""``PrometheusSource``: a process's counters from its Prometheus text endpoint.

Owns one GET of the URL the user gives (stdlib ``urllib.request``, which gevent's monkey-patching
makes cooperative) and reading the standard process-collector metrics from the answer, parsed by
``prometheus_client.parser``:

=================================  ===============
metric                             ``Reading`` field
=================================  ===============
``process_resident_memory_bytes``  ``rss_bytes``
``process_cpu_seconds_total``      ``cpu_seconds``
``process_open_fds``               ``open_fds``
=================================  ===============

The standard collector exports no connection count, so ``connections`` is always ``None``;
use :class:`~genesis_load.monitor.pid.PidSource` when the target runs on this machine. When a
metric appears more than once (labelled series) the first one is read. A refused connection, a
timeout, an HTTP error status, unparsable text or an answer with none of the three metrics is a
failed reading, never an exception.

A URL with userinfo (``http://user:pass@host:9090/metrics``) is read with HTTP Basic
authentication, the credentials sent in the ``Authorization`` header and never in the URL;
``str()``, ``repr()`` and every error message show the URL redacted (``http://***@host...``).
"""

from __future__ import annotations

import base64
import http.client
import urllib.parse
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from ..redact import redact_text, redact_url
from .sample import Reading

__all__ = ["PrometheusSource"]

#: Sample name in the exposition -> ``Reading`` field.
PROCESS_METRICS = {
    "process_resident_memory_bytes": "rss_bytes",
    "process_cpu_seconds_total": "cpu_seconds",
    "process_open_fds": "open_fds",
}

# Ask for the classic text format, which this parser reads, from servers that also speak
# OpenMetrics.
_ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1"


class PrometheusSource:
    """Reads ``url`` (e.g. ``http://127.0.0.1:8080/metrics``) on each ``sample()``.

    Only ``http`` and ``https`` URLs are accepted (``ValueError`` otherwise), so a typo cannot
    make the monitor read a local file.
    """

    def __init__(self, url: str, timeout_s: float = 2.0) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:
            parts = urllib.parse.SplitResult("", "", "", "", "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"PrometheusSource needs an http(s) URL, got {redact_url(url)!r}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be > 0, got {timeout_s!r}")
        #: The URL as shown (redacted); the one requested has no userinfo either.
        self.url = redact_url(url)
        self.timeout_s = timeout_s
        self._headers = {"Accept": _ACCEPT}
        self._request_url = url
        if "@" in parts.netloc:
            userinfo, _, hostport = parts.netloc.rpartition("@")
            user, _, password = userinfo.partition(":")
            pair = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}"
            self._headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
            self._request_url = urllib.parse.urlunsplit(parts._replace(netloc=hostport))

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"PrometheusSource({self.url!r}, timeout_s={self.timeout_s!r})"

    def sample(self) -> Reading:
        request = urllib.request.Request(self._request_url, headers=self._headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                text = response.read().decode("utf-8", errors="replace")
            return parse_process_metrics(text)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            return Reading.failed(redact_text(f"{type(exc).__name__}: {exc}"))


def parse_process_metrics(text: str) -> Reading:
    """The process-collector metrics in a Prometheus text exposition.

    Raises ``ValueError`` for text the parser rejects; returns a failed reading when none of
    the three metrics is present.

    >>> parse_process_metrics("process_open_fds 12\\nprocess_cpu_seconds_total 1.5\\n")
    Reading(rss_bytes=None, cpu_seconds=1.5, open_fds=12.0, connections=None, error=None)
    """
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            field = PROCESS_METRICS.get(sample.name)
            if field is not None and field not in found:
                found[field] = float(sample.value)
    if not found:
        return Reading.failed(f"no {', '.join(PROCESS_METRICS)} in the exposition")
    return Reading(
        rss_bytes=found.get("rss_bytes"),
        cpu_seconds=found.get("cpu_seconds"),
        open_fds=found.get("open_fds"),
    )
