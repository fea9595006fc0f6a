"""HDR histogram construction and read-out for Trend metrics.

Owns the histogram parameters every Trend uses and the mapping from a histogram to the
statistics k6 users know (min, max, avg, med, p(N)). It does not own what is recorded (see
``sinks``) nor when (see ``collector``). All math is the ``hdrhistogram`` package's.

Parameters: integer microseconds (or milli-units for non-time trends), 1 to 3,600,000,000
(1 hour), 3 significant figures. The value reported for a percentile is the highest value
equivalent to the bucket holding the sample of rank ``round(p/100 * N)`` (nearest rank,
HdrHistogram's definition), so it is never below the true sample and at most 1/1024 (< 0.1%)
above it. k6 instead interpolates linearly between the two closest ranks (numpy's default
``linear`` method); both agree within that precision plus the gap between neighbouring samples.
"""

from __future__ import annotations

import weakref

from hdrh.histogram import HdrHistogram

__all__ = [
    "HIGHEST_TRACKABLE",
    "LOWEST_TRACKABLE",
    "SIGNIFICANT_FIGURES",
    "decode_histogram",
    "encode_histogram",
    "new_histogram",
    "percentiles",
]

LOWEST_TRACKABLE = 1
HIGHEST_TRACKABLE = 3_600_000_000
SIGNIFICANT_FIGURES = 3


def _acyclic(hist: HdrHistogram) -> HdrHistogram:
    """Break hdrh's histogram <-> encoder reference cycle (the encoder gets a weak proxy).

    With the cycle, a dropped histogram (its 184-KiB counts array) waits for a full garbage
    collection, which can be minutes away: a run's RSS grew ~0.5 MB/s from interval histograms
    alone. Without it, reference counting frees each one as soon as it is dropped.
    """
    hist.encoder.histogram = weakref.proxy(hist)
    return hist


def new_histogram() -> HdrHistogram:
    """An empty histogram with genesis-load's range and precision."""
    return _acyclic(HdrHistogram(LOWEST_TRACKABLE, HIGHEST_TRACKABLE, SIGNIFICANT_FIGURES))


def percentiles(hist: HdrHistogram, pcts: list[float]) -> dict[float, int]:
    """Values at the given percentiles (0..100), in the histogram's unit, in one pass."""
    if hist.get_total_count() == 0:
        return {p: 0 for p in pcts}
    found: dict[float, int] = hist.get_percentile_to_value_dict(pcts)
    # get_percentile_to_value_dict stops early for p == 100 only when max is reached; fill
    # any gap with the exact answer.
    for p in pcts:
        if p not in found:
            found[p] = hist.get_value_at_percentile(p)
    return found


def encode_histogram(hist: HdrHistogram) -> str:
    """The compressed, base64 V2 encoding that HdrHistogram tools in every language read."""
    encoded: bytes = hist.encode()
    return encoded.decode("ascii")


def decode_histogram(encoded: str) -> HdrHistogram:
    """Inverse of :func:`encode_histogram`; the result adds exactly into ``new_histogram()``."""
    hist: HdrHistogram = HdrHistogram.decode(encoded.encode("ascii"))
    return _acyclic(hist)
