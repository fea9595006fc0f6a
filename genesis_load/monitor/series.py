"""``ResourceSeries``: one source's samples in, a bounded JSON-able summary out (pure).

Owns turning counters into the figures the readiness report shows. It never reads a clock or
a process: feed it :class:`~genesis_load.monitor.sample.ProcessSample` objects in time order
(and ``add_failure`` for reads that failed), then call ``to_dict()``.

Derived fields of each sample (1 MB = 10⁶ bytes, as in the rest of genesis-load)::

    rss_mb      = rss_bytes / 1e6
    cpu_percent = (cpu_seconds[i] - cpu_seconds[j]) / (t_s[i] - t_s[j]) × 100
                  j = the previous sample with cpu_seconds; none for the first one, and none
                  when the counter went backwards (the process restarted: ``counter_resets``)
    open_fds, connections as read

``summary`` is exact over the whole stream, however many samples were merged for storage:
``avg`` is the sample mean, except CPU, whose average is time-weighted (ΣΔcpu / ΣΔt × 100,
the share of one core used over the run); ``peak`` is the largest value. 100% is one core.

``trend.rss_mb_per_min`` is the least-squares slope of ``rss_mb`` against time over every
sample (updated online, so exact too), the memory growth a soak test looks for::

    slope = Σ (t - t̄)(y - ȳ) / Σ (t - t̄)²   per second, × 60

Bounded memory: at most ``max_samples`` points are stored. When full, adjacent pairs are merged
(each field averaged; the summary keeps exact peaks) and from then on every point stands for
``samples_per_point`` consecutive samples (doubling at each merge), so points stay evenly spaced.
Stored points are flat columns of numbers, about 90 bytes a point (3,600 points: 0.3 MB).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import add
from typing import Any

from .sample import ProcessSample

__all__ = ["BYTES_PER_MB", "FIELDS", "FieldStats", "ResourceSeries"]

BYTES_PER_MB = 1e6
#: The derived fields, in output order.
FIELDS = ("rss_mb", "cpu_percent", "open_fds", "connections")


@dataclass(frozen=True)
class FieldStats:
    """Exact figures for one field over the whole run."""

    samples: int
    avg: float
    peak: float


@dataclass
class _Running:
    count: int = 0
    total: float = 0.0
    peak: float = float("-inf")

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.peak = max(self.peak, value)


@dataclass
class _Slope:
    """Online least squares (Welford-style co-moments), numerically stable for long runs."""

    n: int = 0
    mean_t: float = 0.0
    mean_y: float = 0.0
    c_ty: float = 0.0
    m2_t: float = 0.0

    def add(self, t: float, y: float) -> None:
        self.n += 1
        dt = t - self.mean_t
        self.mean_t += dt / self.n
        self.mean_y += (y - self.mean_y) / self.n
        self.c_ty += dt * (y - self.mean_y)
        self.m2_t += dt * (t - self.mean_t)

    def per_s(self) -> float | None:
        return self.c_ty / self.m2_t if self.n >= 2 and self.m2_t > 0 else None


@dataclass
class _Bucket:
    """Consecutive samples merged into one point: their mean time and field means (the point
    being filled; finished points are rows of :class:`_Columns`)."""

    n: int = 0
    t_sum: float = 0.0
    sums: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, t_s: float, values: Mapping[str, float | None]) -> None:
        self.n += 1
        self.t_sum += t_s
        for name, value in values.items():
            if value is not None:
                self.sums[name] = self.sums.get(name, 0.0) + value
                self.counts[name] = self.counts.get(name, 0) + 1

    def point(self, names: tuple[str, ...]) -> dict[str, float | None]:
        out: dict[str, float | None] = {"t_s": round(self.t_sum / self.n, 3)}
        for name in names:
            count = self.counts.get(name, 0)
            out[name] = round(self.sums[name] / count, 3) if count else None
        return out


class _Columns:
    """Finished points as flat columns (8 bytes a number, about 90 bytes a point, against
    about 600 as one :class:`_Bucket` each). A field without a value in a point has count 0
    and sum 0.0; sums merge as ``a + b``, exactly as the buckets did."""

    __slots__ = ("counts", "n", "sums", "t_sum")

    def __init__(self) -> None:
        self.n = array("q")
        self.t_sum = array("d")
        self.sums = {name: array("d") for name in FIELDS}
        self.counts = {name: array("q") for name in FIELDS}

    def __len__(self) -> int:
        return len(self.n)

    def append(self, bucket: _Bucket) -> None:
        self.n.append(bucket.n)
        self.t_sum.append(bucket.t_sum)
        for name in FIELDS:
            self.sums[name].append(bucket.sums.get(name, 0.0))
            self.counts[name].append(bucket.counts.get(name, 0))

    def row(self, i: int) -> _Bucket:
        present = [name for name in FIELDS if self.counts[name][i]]
        return _Bucket(
            self.n[i],
            self.t_sum[i],
            {name: self.sums[name][i] for name in present},
            {name: self.counts[name][i] for name in present},
        )

    def halved(self) -> _Columns:
        """Adjacent pairs merged (an odd last row is dropped: the caller keeps it)."""
        out = _Columns()
        pairs = len(self) // 2 * 2

        def pairs_added(col: array[Any]) -> array[Any]:
            return array(col.typecode, map(add, col[0:pairs:2], col[1:pairs:2]))

        out.n = pairs_added(self.n)
        out.t_sum = pairs_added(self.t_sum)
        out.sums = {name: pairs_added(col) for name, col in self.sums.items()}
        out.counts = {name: pairs_added(col) for name, col in self.counts.items()}
        return out


class ResourceSeries:
    """Summarises one source. ``source`` and ``interval_s`` are only echoed in ``to_dict()``.

    >>> s = ResourceSeries("pid 42", interval_s=1.0)
    >>> for t, rss, cpu in [(0.0, 40e6, 1.0), (1.0, 42e6, 1.5), (2.0, 44e6, 1.75)]:
    ...     s.add(ProcessSample(t, rss_bytes=rss, cpu_seconds=cpu))
    >>> s.stats("cpu_percent")
    FieldStats(samples=2, avg=37.5, peak=50.0)
    >>> s.to_dict()["trend"]
    {'rss_mb_per_min': 120.0}
    """

    def __init__(self, source: str, interval_s: float = 1.0, max_samples: int = 3600) -> None:
        if max_samples < 2:
            raise ValueError(f"max_samples must be >= 2, got {max_samples!r}")
        self.source = source
        self.interval_s = interval_s
        self.max_samples = max_samples
        self.ok_samples = 0
        self.failed_samples = 0
        self.last_error: str | None = None
        self.counter_resets = 0
        self._stats = {name: _Running() for name in FIELDS}
        self._cpu_s = 0.0  # Σ Δcpu and Σ Δt over the intervals that have a CPU %
        self._cpu_wall_s = 0.0
        self._slope = _Slope()
        self._last_t_s: float | None = None
        self._last_cpu: tuple[float, float] | None = None  # (t_s, cpu_seconds)
        self._points = _Columns()
        self._pending = _Bucket()
        self._stride = 1

    @property
    def samples_per_point(self) -> int:
        """How many consecutive samples each stored point stands for (1 until the first merge)."""
        return self._stride

    def add(self, sample: ProcessSample) -> None:
        """Take one successful sample; ``t_s`` must not be earlier than the previous one's."""
        if self._last_t_s is not None and sample.t_s < self._last_t_s:
            raise ValueError(
                f"samples must come in time order: {sample.t_s} after {self._last_t_s}"
            )
        self._last_t_s = sample.t_s
        self.ok_samples += 1
        values = {
            "rss_mb": None if sample.rss_bytes is None else sample.rss_bytes / BYTES_PER_MB,
            "cpu_percent": self._cpu_percent(sample),
            "open_fds": sample.open_fds,
            "connections": sample.connections,
        }
        for name, value in values.items():
            if value is not None:
                self._stats[name].add(value)
        if values["rss_mb"] is not None:
            self._slope.add(sample.t_s, values["rss_mb"])
        self._store(sample.t_s, values)

    def add_failure(self, error: str) -> None:
        """Count a read that failed; the next CPU % spans the gap."""
        self.failed_samples += 1
        self.last_error = error

    def stats(self, name: str) -> FieldStats | None:
        """Exact figures for ``name`` (one of ``FIELDS``) over the run; None without data."""
        running = self._stats[name]
        if running.count == 0:
            return None
        if name == "cpu_percent":
            avg = self._cpu_s / self._cpu_wall_s * 100.0
        else:
            avg = running.total / running.count
        # a mean can never exceed the largest value; only rounding could make it look so
        return FieldStats(running.count, min(avg, running.peak), running.peak)

    def rss_mb_per_min(self) -> float | None:
        per_s = self._slope.per_s()
        return None if per_s is None else per_s * 60.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able summary (see the package docstring for its shape)."""
        summary = {
            name: {"avg": stats.avg, "peak": stats.peak}
            for name in FIELDS
            if (stats := self.stats(name)) is not None
        }
        names = tuple(summary)
        buckets = [self._points.row(i) for i in range(len(self._points))]
        if self._pending.n:
            buckets.append(self._pending)
        return {
            "source": self.source,
            "interval_s": self.interval_s,
            "failed_samples": self.failed_samples,
            "last_error": self.last_error,
            "counter_resets": self.counter_resets,
            "samples_per_point": self._stride,
            "summary": summary,
            "samples": [b.point(names) for b in buckets],
            "trend": {"rss_mb_per_min": self.rss_mb_per_min()},
        }

    def _cpu_percent(self, sample: ProcessSample) -> float | None:
        if sample.cpu_seconds is None:
            return None
        previous, self._last_cpu = self._last_cpu, (sample.t_s, sample.cpu_seconds)
        if previous is None:
            return None
        d_cpu_s = sample.cpu_seconds - previous[1]
        d_wall_s = sample.t_s - previous[0]
        if d_cpu_s < 0:
            self.counter_resets += 1
            return None
        if d_wall_s <= 0:
            return None
        self._cpu_s += d_cpu_s
        self._cpu_wall_s += d_wall_s
        return d_cpu_s / d_wall_s * 100.0

    def _store(self, t_s: float, values: Mapping[str, float | None]) -> None:
        self._pending.add(t_s, values)
        if self._pending.n < self._stride:
            return
        self._points.append(self._pending)
        self._pending = _Bucket()
        if len(self._points) < self.max_samples:
            return
        points = self._points
        self._points = points.halved()
        self._stride *= 2
        if len(points) % 2:  # the odd one out starts the next, twice-as-long point
            self._pending = points.row(len(points) - 1)
