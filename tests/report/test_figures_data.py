"""The report's light curves keep every extreme (brute force over random series)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.io.figures import minmax_indices


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 50_000), cap=st.integers(30, 5_000), seed=st.integers(0, 2**32 - 1))
def test_minmax_decimation_keeps_extremes_in_order(n, cap, seed):
    y = np.random.default_rng(seed).normal(size=n).cumsum()
    k = minmax_indices(y, cap)
    assert np.all(np.diff(k) > 0) and k[0] == 0 and k[-1] == n - 1
    assert y[k].min() == y.min() and y[k].max() == y.max()
    assert len(k) <= max(n, 0) and (n <= cap or len(k) <= cap + 4)
    # every bin's extremes survive: a window minimum is never lost
    width = int(np.ceil(3 * n / cap)) if n > cap else 1
    for start in range(0, n, width):  # the bins: [0, w), [w, 2w), ...
        seg = slice(start, min(n, start + width))
        kept = k[(k >= seg.start) & (k < seg.stop)]
        assert y[kept].min() == y[seg].min()
