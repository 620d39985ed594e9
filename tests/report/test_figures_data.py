"""The battery figure's daily envelope against a brute-force per-sol minimum and maximum
(pandas groupby over the same samples), for random state-of-charge histories."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.surface.plots import battery_figure


@settings(max_examples=25, deadline=None)
@given(sols=st.integers(1, 60), per_sol=st.integers(1, 200), seed=st.integers(0, 2**32 - 1))
def test_battery_envelope_is_each_sols_lowest_and_highest(sols, per_sol, seed):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, sols, sols * per_sol))
    soc = pd.DataFrame({"mission_sol": x, "soc_pct": rng.uniform(20.0, 100.0, x.size),
                        "buffer_mbit": rng.uniform(0.0, 500.0, x.size)})
    fig = battery_figure(soc, 0.3, 0.8)
    by = soc.groupby(np.floor(x).astype(int))
    hi, lo, buffer = fig.data[0], fig.data[1], fig.data[2]
    np.testing.assert_array_equal(np.asarray(hi.x), by.size().index.to_numpy())
    np.testing.assert_array_equal(np.asarray(hi.y), by["soc_pct"].max().to_numpy())
    np.testing.assert_array_equal(np.asarray(lo.y), by["soc_pct"].min().to_numpy())
    np.testing.assert_array_equal(np.asarray(buffer.y), by["buffer_mbit"].max().to_numpy())
    # the floor and the target are drawn where the rover's figures put them
    lines = sorted(round(sh.y0, 6) for sh in fig.layout.shapes)
    assert lines == [30.0, 80.0]
