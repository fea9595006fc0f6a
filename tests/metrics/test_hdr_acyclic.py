"""A dropped histogram is freed at once, not at the next full garbage collection.

hdrh's histogram and its encoder point at each other; with that cycle each dropped interval
histogram (a 184-KiB counts array) waited for a full collection, and a 500/s run's RSS grew
+739 MB/h (benchmarks/memory_run.py). genesis-load's histograms give the encoder a weak proxy.
"""

from __future__ import annotations

import gc
import sys
import weakref

from genesis_load.metrics.hdr import decode_histogram, encode_histogram, new_histogram


def _freed_without_gc(make: object) -> bool:
    gc.disable()
    try:
        ref = weakref.ref(make())  # type: ignore[operator]
        return ref() is None
    finally:
        gc.enable()


def test_a_new_histogram_is_freed_by_reference_counting() -> None:
    assert _freed_without_gc(new_histogram)


def test_a_decoded_histogram_is_freed_by_reference_counting() -> None:
    hist = new_histogram()
    for v in (1, 250, 3_000, 3_000_000):
        hist.record_value(v)
    encoded = encode_histogram(hist)
    assert _freed_without_gc(lambda: decode_histogram(encoded))


def test_the_histogram_still_encodes_decodes_and_adds_exactly() -> None:
    hist = new_histogram()
    for v in range(1, 5000, 7):
        hist.record_value(v)
    back = decode_histogram(encode_histogram(hist))
    assert back.get_total_count() == hist.get_total_count()
    assert back.get_value_at_percentile(99) == hist.get_value_at_percentile(99)
    total = new_histogram()
    total.add(back)
    total.add(hist)
    assert total.get_total_count() == 2 * hist.get_total_count()
    assert encode_histogram(decode_histogram(encode_histogram(total))) == encode_histogram(total)


def test_numpy_is_not_loaded_by_importing_the_pacers() -> None:
    """numpy (11 MB of RSS) is imported only when a scenario uses random arrivals."""
    import subprocess

    code = "import sys, genesis_load.pacing, genesis_load.executors; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
