"""The generic window/minimum search (areo._search) against analytic functions.

Oracles: closed-form roots and minima (sin, parabolas, |t|), no ephemeris involved.
"""

from __future__ import annotations

import numpy as np
import pytest

from areo import _search
from areo.errors import ParameterError

P = 1000.0  # period of the test sine, s
W = 2 * np.pi / P


class Counter:
    """Wraps a vectorised function and counts calls and points evaluated."""

    def __init__(self, f):
        self.f, self.calls, self.points = f, 0, 0

    def __call__(self, x):
        self.calls += 1
        self.points += x.size
        return self.f(x)


def test_sine_above_threshold_matches_arcsin():
    # sin(w t) > 0.5 exactly on (P/12, 5P/12) + k P.
    f = Counter(lambda t: np.sin(W * t))
    starts, ends = _search.find_windows(f, 0.0, 10 * P, 37.0, 0.5, below=False)
    k = np.arange(10)
    np.testing.assert_allclose(starts, P / 12 + k * P, rtol=0, atol=1e-3)
    np.testing.assert_allclose(ends, 5 * P / 12 + k * P, rtol=0, atol=1e-3)
    # Edges lie inside the window (the condition holds there).
    assert np.all(np.sin(W * starts) > 0.5) and np.all(np.sin(W * ends) > 0.5)


def test_sine_below_threshold_with_clipped_ends():
    # sin < -0.2 on (P/2 + a, P - a) + kP, a = arcsin(0.2)/w; start inside such a window.
    a = np.arcsin(0.2) / W
    et0, et1 = 0.9 * P, 3.6 * P
    starts, ends = _search.find_windows(lambda t: np.sin(W * t), et0, et1, 50.0, -0.2)
    exp_s = [et0, 1.5 * P + a, 2.5 * P + a, 3.5 * P + a]
    exp_e = [P - a, 2 * P - a, 3 * P - a, et1]
    np.testing.assert_allclose(starts, exp_s, rtol=0, atol=1e-3)
    np.testing.assert_allclose(ends, exp_e, rtol=0, atol=1e-3)


def test_refinement_is_batched():
    # The number of calls must not grow with the number of events: all crossings refine
    # together (one call per iteration), and the secant needs only a few iterations.
    few, many = Counter(lambda t: np.sin(W * t)), Counter(lambda t: np.sin(W * t))
    _search.find_windows(few, 0.0, 5 * P, 20.0, 0.3, refine_extrema=False)
    _search.find_windows(many, 0.0, 500 * P, 20.0, 0.3, refine_extrema=False)
    assert many.calls <= few.calls + 2
    assert many.calls <= 12  # bisection alone would need ~15 from 20 s to 1 ms


def test_tolerance_is_honoured():
    root = 123.456789
    f = lambda t: t - root  # noqa: E731
    for tol in (1.0, 1e-3, 1e-6):
        s, e = _search.find_windows(f, 0.0, 1000.0, 100.0, 0.0, below=False, tol=tol)
        assert s.size == 1 and e[0] == 1000.0
        assert root < s[0] <= root + tol


def test_short_dip_between_samples_found_by_extremum_refinement():
    # (t - 3.3)^2 + 0.01 < 0.02 on (3.2, 3.4): no sample every 1.0 s falls inside.
    f = lambda t: (t - 3.3) ** 2 + 0.01  # noqa: E731
    s, e = _search.find_windows(f, 0.0, 10.0, 1.0, 0.02, tol=1e-9)
    np.testing.assert_allclose(s, [3.2], atol=1e-8)
    np.testing.assert_allclose(e, [3.4], atol=1e-8)
    # The documented contract: without the extremum refinement it is missed.
    s, e = _search.find_windows(f, 0.0, 10.0, 1.0, 0.02, refine_extrema=False)
    assert s.size == 0 and e.size == 0


def test_no_window_and_whole_window():
    f = lambda t: np.cos(t)  # noqa: E731
    s, e = _search.find_windows(f, 0.0, 100.0, 0.5, 2.0, below=False)
    assert s.size == 0
    s, e = _search.find_windows(f, 0.0, 100.0, 0.5, 2.0, below=True)
    np.testing.assert_array_equal(s, [0.0])
    np.testing.assert_array_equal(e, [100.0])
    s, e = _search.find_windows(f, 5.0, 5.0, 1.0, 2.0)
    np.testing.assert_array_equal(s, [5.0])


def test_golden_minimum_smooth_and_kinked():
    # Three brackets searched in one batch: |sin t| has kinked minima at k pi, 1 + cos t
    # smooth ones at pi + 2 k pi.
    a = np.array([2.0, 8.0, -0.5])
    b = np.array([4.5, 10.5, 1.0])
    tm, fm = _search.golden_minimum(lambda t: np.abs(np.sin(t)), a, b, tol=1e-9)
    np.testing.assert_allclose(tm, [np.pi, 3 * np.pi, 0.0], atol=1e-9)
    assert np.all(fm < 1e-9)
    a, b = np.array([2.0, 8.0]), np.array([4.5, 10.5])
    tm, fm = _search.golden_minimum(lambda t: 1.0 + np.cos(t), a, b, tol=1e-9)
    # A smooth minimum is flat: rounding in f (1e-16) limits t to ~sqrt(2e-16) ~ 1e-8.
    np.testing.assert_allclose(tm, [np.pi, 3 * np.pi], atol=1e-7)
    np.testing.assert_allclose(fm, 0.0, atol=1e-15)


def test_window_minima_of_cosine():
    # cos has minima -1 at pi + 2 k pi; windows hold one minimum each or end on a slope.
    starts = np.array([2.0, 8.0, 0.0])
    ends = np.array([5.0, 11.0, 1.0])
    tm, fm = _search.window_minima(np.cos, starts, ends, step=0.3, tol=1e-7)
    np.testing.assert_allclose(tm, [np.pi, 3 * np.pi, 1.0], atol=1e-6)
    np.testing.assert_allclose(fm, [-1.0, -1.0, np.cos(1.0)], atol=1e-12)


def test_bad_arguments_raise():
    f = np.sin
    with pytest.raises(ParameterError, match="before its start"):
        _search.find_windows(f, 10.0, 0.0, 1.0, 0.0)
    with pytest.raises(ParameterError, match="step"):
        _search.find_windows(f, 0.0, 10.0, 0.0, 0.0)
    with pytest.raises(ParameterError, match="tolerance"):
        _search.find_windows(f, 0.0, 10.0, 1.0, 0.0, tol=-1.0)
    with pytest.raises(ParameterError, match="same shape"):
        _search.find_windows(lambda t: np.zeros(3), 0.0, 10.0, 1.0, 0.0)


def test_sample_times_include_both_ends():
    np.testing.assert_allclose(_search.sample_times(0.0, 10.0, 2.5), [0, 2.5, 5, 7.5, 10])
    np.testing.assert_allclose(_search.sample_times(0.0, 10.0, 3.0), [0, 3, 6, 9, 10])
    np.testing.assert_allclose(_search.sample_times(1.0, 1.0, 3.0), [1.0])
