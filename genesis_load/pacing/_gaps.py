"""Random arrival positions in "hit space", answerable for any index, in bounded memory.

Owns the random numbers behind :mod:`.random_arrivals`; mapping positions to time is not here.

The positions are ``S_{n+1} = g_0 + ... + g_n`` for independent gaps ``g_i ~ Gamma(k, 1/k)``
(mean 1, coefficient of variation ``1/sqrt(k)``; ``k = 1`` gives exponential gaps, a Poisson
process). Generating gaps one after another would make ``position(10**12)`` cost 10^12 draws,
so the gaps are generated top-down instead, from two facts about gamma variables:

* the sum of ``N`` gaps is ``Gamma(N k, 1/k)``;
* split a sum ``T`` of ``2M`` gaps into its two halves: the first half's share
  ``B = X / (X + Y)`` with ``X, Y ~ Gamma(M k)`` is independent of ``T`` (a Beta variable), so
  the halves are ``T B`` and ``T - T B``; likewise ``N`` gaps summing to ``T`` are
  ``T G_i / Σ G`` for ``G_i ~ Gamma(k)`` (a Dirichlet vector).

The gaps are laid out as a binary tree over leaves of ``LEAF_SIZE`` gaps: the root covers
``2**TOP_LEVEL`` leaves (2**52 hits, 143 years at a million hits per second), each node knows its
``offset`` (the sum of all gaps before it) and ``total``, and node ``(level, index)`` draws its
split from its own generator ``default_rng([seed, level, index])`` (leaves, level 0, draw their
``G_i``; the root's total comes from level ``TOP_LEVEL + 1``). So any position costs at most
``TOP_LEVEL`` splits and one leaf, whatever the order of the questions, and the answer is
bit-for-bit the same however it was reached: every value is computed from its parent by the
same arithmetic. The joint distribution is exactly that of independent gamma gaps.

Memory: the most recently used ``max_nodes`` node values and ``max_leaves`` leaves (4,096
floats each) are cached; anything evicted is regenerated on demand. Positions never decrease:
a leaf's positions are clipped to ``[offset, next leaf's offset]``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported on first use: 11 MB of RSS a run without random arrivals
    import numpy as np

__all__ = ["LEAF_SIZE", "MAX_HITS", "TOP_LEVEL", "GammaPositions"]

LEAF_BITS = 12
LEAF_SIZE = 1 << LEAF_BITS  # gaps per leaf
TOP_LEVEL = 40  # the root covers 2**TOP_LEVEL leaves
MAX_HITS = LEAF_SIZE << TOP_LEVEL  # 2**52


class GammaPositions:
    """``position(n) = S_{n+1}``, the sum of gaps ``0..n`` of gamma(shape, 1/shape) gaps."""

    def __init__(
        self, shape: float, seed: int, *, max_nodes: int = 256, max_leaves: int = 4
    ) -> None:
        if not shape > 0:
            raise ValueError(f"shape must be > 0, got {shape}")
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        self.shape = float(shape)
        self.seed = int(seed)
        self.max_nodes = max_nodes
        self.max_leaves = max_leaves
        self._nodes: OrderedDict[tuple[int, int], tuple[float, float]] = OrderedDict()
        self._leaves: OrderedDict[int, np.ndarray] = OrderedDict()

    def position(self, n: int) -> float:
        if not 0 <= n < MAX_HITS:
            raise IndexError(f"hit index must be in [0, 2**52), got {n}")
        leaf, k = divmod(n, LEAF_SIZE)
        return float(self._leaf(leaf)[k])

    def cached(self) -> tuple[int, int]:
        """How many node values and leaves are held now (for tests of the memory bound)."""
        return len(self._nodes), len(self._leaves)

    def _rng(self, level: int, index: int) -> np.random.Generator:
        import numpy as np

        return np.random.default_rng([self.seed, level, index])

    def _gamma(self, rng: np.random.Generator, gaps: int) -> float:
        """The sum of ``gaps`` unit-mean gaps, unscaled: ``Gamma(gaps * shape)``."""
        return float(rng.standard_gamma(gaps * self.shape))

    def _node(self, level: int, index: int) -> tuple[float, float]:
        """``(offset, total)`` of the gaps under node ``(level, index)``."""
        key = (level, index)
        found = self._nodes.get(key)
        if found is not None:
            self._nodes.move_to_end(key)
            return found
        if level == TOP_LEVEL:
            total = self._gamma(self._rng(TOP_LEVEL + 1, 0), MAX_HITS) / self.shape
            self._remember(key, (0.0, total))
            return 0.0, total
        parent = index >> 1
        offset, total = self._node(level + 1, parent)
        rng = self._rng(level + 1, parent)
        child_gaps = LEAF_SIZE << level
        x = self._gamma(rng, child_gaps)
        y = self._gamma(rng, child_gaps)
        share = x / (x + y) if x + y > 0 else float(rng.integers(2))
        left = total * share
        first, second = (offset, left), (offset + left, total - left)
        self._remember((level, 2 * parent), first)
        self._remember((level, 2 * parent + 1), second)
        return second if index & 1 else first

    def _remember(self, key: tuple[int, int], value: tuple[float, float]) -> None:
        self._nodes[key] = value
        if len(self._nodes) > self.max_nodes:
            self._nodes.popitem(last=False)

    def _leaf(self, leaf: int) -> np.ndarray:
        import numpy as np

        found = self._leaves.get(leaf)
        if found is not None:
            self._leaves.move_to_end(leaf)
            return found
        offset, total = self._node(0, leaf)
        end = self._node(0, leaf + 1)[0] if leaf + 1 < 1 << TOP_LEVEL else offset + total
        rng = self._rng(0, leaf)
        g = rng.standard_gamma(self.shape, LEAF_SIZE)
        cum = np.cumsum(g)
        if not cum[-1] > 0:  # every draw underflowed (a tiny shape): the limit puts all on one
            cum = np.zeros(LEAF_SIZE)
            cum[int(rng.integers(LEAF_SIZE)) :] = 1.0
        positions = np.minimum(offset + (end - offset) * (cum / cum[-1]), end)
        positions[-1] = end
        self._leaves[leaf] = positions
        if len(self._leaves) > self.max_leaves:
            self._leaves.popitem(last=False)
        return positions
