"""compare's noise rules, table-driven: the absolute floor, the minimum count, the z-tests.

Histograms are built by hand (known latencies), encoded as a results file carries them.
"""

from __future__ import annotations

import pytest

from genesis_load.metrics.hdr import encode_histogram, new_histogram
from genesis_load.report.compare import Figures, Rules, judge_row, slower_share_test


def hist(latencies_ms: dict[float, int]) -> str:
    h = new_histogram()
    for ms, n in latencies_ms.items():
        h.record_value(int(ms * 1000), n)
    return encode_histogram(h)


#: 1000 requests, p95 = 1.5 ms, 5% slower than it: 900 at 1 ms, 50 at 1.5 ms, 50 at 2 ms.
OLD = hist({1.0: 900, 1.5: 50, 2.0: 50})


def side(p95: float, count: int = 1000, histogram: str | None = None, **kw: float) -> Figures:
    return Figures(
        count,
        p95,
        kw.get("errors", 0.0),
        100.0,
        failed=round(kw.get("errors", 0.0) * count),
        histogram=histogram,
    )


@pytest.mark.parametrize(
    ("old", "new", "found", "noted"),
    [
        (side(1.6), side(2.0), [], []),
        (side(1.6), side(2.5), [], ["p95 +56.2% (+0.90 ms, within the 1 ms floor)"]),
        (side(1.6), side(3.2), ["p95 +100.0%"], []),
        (side(1.6, count=50), side(9.0, count=50), [], ["not judged: fewer than 100 requests"]),
        (
            side(1.5, histogram=OLD),
            side(3.0, histogram=hist({1.0: 890, 1.5: 50, 3.0: 60})),
            [],
            ["p95 +100.0% not significant (p=0.163)"],
        ),
        (
            side(1.5, histogram=OLD),
            side(3.0, histogram=hist({2.0: 900, 3.0: 100})),
            ["p95 +100.0%"],
            [],
        ),
        (
            side(1.6, errors=0.0),
            side(1.6, errors=0.003),
            [],
            ["error rate +0.30 pt not significant (p=0.0415)"],
        ),
        (side(1.6, errors=0.0), side(1.6, errors=0.02), ["error rate +2.00 pt"], []),
    ],
    ids=[
        "+0.4 ms (+25%) on a 1.6 ms p95: within the 50% tolerance",
        "+0.9 ms (+56%) on a 1.6 ms p95: within the 1 ms floor, noted",
        "p95 doubled without histograms: regression",
        "50 requests a side: not judged",
        "p95 doubled but 6% slower than the old p95 against 5%: not significant",
        "p95 doubled, every request slower: significant regression",
        "errors 0 -> 3 of 1000: not significant",
        "errors 0 -> 20 of 1000: regression",
    ],
)
def test_noise_rules(old: Figures, new: Figures, found: list[str], noted: list[str]) -> None:
    regressions, notes = judge_row(old, new, Rules())
    assert list(regressions) == found
    assert list(notes) == noted


def test_the_relative_rule_alone_is_what_a_bare_tolerance_means() -> None:
    assert judge_row(side(1.6), side(2.0), 0.10) == (("p95 +25.0%",), ())


def test_the_z_test_on_identical_histograms_finds_nothing() -> None:
    assert slower_share_test(OLD, OLD, 1.5) == pytest.approx(0.5)
    assert slower_share_test(OLD, hist({5.0: 1000}), 1.5) < 1e-100
