"""Windows set algebra against dense boolean masks (an independent brute force)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.errors import ParameterError
from areo.events import Windows

GRID = np.arange(0.0, 1000.0, 0.5)


def mask_of(w: Windows) -> np.ndarray:
    """Brute force: which grid points lie in some closed interval."""
    m = np.zeros(GRID.size, dtype=bool)
    for s, e in zip(w.starts, w.ends, strict=True):
        m |= (GRID >= s) & (GRID <= e)
    return m


def away_from_edges(*windows: Windows) -> np.ndarray:
    """Grid points farther than one grid step from every interval edge: closed-interval
    algebra and boolean masks may disagree only at shared boundary points."""
    edges = np.concatenate([np.concatenate([w.starts, w.ends]) for w in windows] + [[]])
    if edges.size == 0:
        return np.ones(GRID.size, dtype=bool)
    return np.min(np.abs(GRID[:, None] - edges[None, :]), axis=1) > 0.75


intervals = st.lists(
    st.tuples(st.integers(0, 999), st.integers(0, 60)).map(
        lambda p: (float(p[0]), float(min(p[0] + p[1], 999)))
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(intervals, intervals)
def test_algebra_matches_masks(a_list, b_list):
    a = Windows([p[0] for p in a_list], [p[1] for p in a_list])
    b = Windows([p[0] for p in b_list], [p[1] for p in b_list])
    ma, mb = mask_of(a), mask_of(b)
    assert np.array_equal(mask_of(a | b), ma | mb)
    assert np.array_equal(mask_of(a & b), ma & mb)
    far = away_from_edges(a, b)
    assert np.array_equal(mask_of(a - b)[far], (ma & ~mb)[far])
    comp = a.complement(0.0, 999.5)
    assert np.array_equal(mask_of(comp)[far], (~ma)[far])
    # normalised: sorted, disjoint, non-touching
    assert np.all(np.diff(a.starts) > 0) and np.all(a.starts[1:] > a.ends[:-1])
    assert a.total_duration == pytest.approx(float(np.sum(a.durations)))
    assert np.array_equal(a.contains(GRID), ma)


def test_expand_contract_filter():
    w = Windows([0.0, 100.0, 300.0], [50.0, 110.0, 400.0])
    assert w.expand(25.0) == Windows([-25.0, 275.0], [135.0, 425.0])
    assert w.contract(10.0) == Windows([10.0, 310.0], [40.0, 390.0])
    assert w.filter(min_duration=20.0) == Windows([0.0, 300.0], [50.0, 400.0])
    assert w.filter(max_duration=20.0) == Windows([100.0], [110.0])
    assert len(w) == 3 and [round(x.duration_s) for x in w] == [50, 10, 100]


def test_utc_construction_and_output():
    w = Windows.from_utc([("2030-01-01T00:00Z", "2030-01-01T06:00Z"),
                          ("2030-01-01T05:00Z", "2030-01-01T08:00Z")])
    assert len(w) == 1 and w.total_duration == pytest.approx(8 * 3600.0)
    row = w.to_records()[0]
    assert row["start"] == "2030-01-01T00:00:00.000Z" and row["end"].startswith("2030-01-01T08")
    assert w.to_dict()["items"] == w.to_records() and w.to_dict()["kind"] == "Windows"
    assert list(w.to_frame().columns) == ["start_utc", "end_utc", "duration_s"]
    assert Windows.from_mask([0, 1, 2, 3, 4], [False, True, True, False, True]) == Windows(
        [1.0, 4.0], [2.0, 4.0])
    assert not Windows() and Windows().to_records() == [] and repr(Windows()) == "Windows: empty"


def test_bad_windows():
    with pytest.raises(ParameterError, match="before it starts"):
        Windows([10.0], [5.0])
    with pytest.raises(ParameterError, match="as many starts as ends"):
        Windows([1.0, 2.0], [3.0])
    with pytest.raises(ParameterError, match="finite"):
        Windows([np.nan], [1.0])
