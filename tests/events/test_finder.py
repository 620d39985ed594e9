"""The event finder against analytic roots and a dense brute force."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from areo.errors import CoarseStepWarning, ParameterError
from areo.events import find_extrema, find_windows, find_windows_multi, window_extrema


def test_sine_windows_analytic():
    """sin(w t) > 0.5 holds on [pi/6, 5 pi/6] + 2 pi k (over w): exact edges known."""
    w = 2 * np.pi / 5000.0
    win = find_windows(lambda t: np.sin(w * t), 0.0, 50000.0, step_s=200.0, threshold=0.5)
    k = np.arange(10)
    np.testing.assert_allclose(win.starts, (np.pi / 6 + 2 * np.pi * k) / w, atol=1e-3)
    np.testing.assert_allclose(win.ends, (5 * np.pi / 6 + 2 * np.pi * k) / w, atol=1e-3)


def test_many_objects_at_once_match_one_by_one_brute_force():
    """Several functions in one search; each agrees with a dense 0.05 s brute force."""
    periods = np.array([3000.0, 4100.0, 5300.0, 977.0])
    phases = np.array([0.0, 0.3, 1.1, 2.0])

    def f(t, which):
        return np.sin(2 * np.pi * t / periods[which] + phases[which])

    found = find_windows_multi(f, 0.0, 20000.0, step_s=60.0, threshold=0.8, n_objects=4)
    assert isinstance(found, list) and len(found) == 4
    grid = np.arange(0.0, 20000.0, 0.05)
    for i, win in enumerate(found):
        mask = np.sin(2 * np.pi * grid / periods[i] + phases[i]) > 0.8
        run_starts = np.flatnonzero(mask & ~np.concatenate([[False], mask[:-1]]))
        run_ends = np.flatnonzero(mask & ~np.concatenate([mask[1:], [False]]))
        assert len(win) == run_starts.size
        np.testing.assert_allclose(win.starts, grid[run_starts], atol=0.05)
        np.testing.assert_allclose(win.ends, grid[run_ends], atol=0.05)


def test_short_dip_between_samples_found_through_the_extremum():
    """A 40 s event with a 600 s step: no sample lands in it, but it is a sampled maximum."""
    def f(t):
        return 1.0 - ((t - 12345.0) / 200.0) ** 2  # > 0.99 for |t - 12345| < 20 s
    win = find_windows(f, 0.0, 30000.0, step_s=600.0, threshold=0.99)
    assert len(win) == 1
    assert win.starts[0] == pytest.approx(12325.0, abs=1e-3)
    assert win.ends[0] == pytest.approx(12365.0, abs=1e-3)


def test_extrema_and_window_extrema():
    ext = find_extrema(lambda t: np.cos(t / 1000.0), 100.0, 20000.0, step_s=300.0)
    np.testing.assert_allclose(ext.time.et, 2 * np.pi * 1000.0 * np.array([1, 2, 3]), atol=2e-3)
    np.testing.assert_allclose(ext.value, 1.0, atol=1e-9)
    win = find_windows(lambda t: np.sin(t / 1000.0), 0.0, 7000.0, step_s=100.0, threshold=0.0)
    tm, vm = window_extrema(lambda t: np.sin(t / 1000.0), win, step_s=100.0)
    assert tm[0] == pytest.approx(np.pi / 2 * 1000.0, abs=2e-3) and vm[0] == pytest.approx(1.0)


def test_contract_warnings_and_errors():
    with pytest.warns(CoarseStepWarning, match="shortest event"):
        find_windows(np.sin, 0.0, 100.0, step_s=10.0, min_event_s=5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        find_windows(np.sin, 0.0, 100.0, step_s=1.0, min_event_s=5.0)
    with pytest.raises(ParameterError, match="empty or inverted"):
        find_windows(np.sin, 100.0, 0.0, step_s=1.0)
    with pytest.raises(ParameterError, match="positive"):
        find_windows(np.sin, 0.0, 100.0, step_s=0.0)


def test_bracketed_minimum_converges_fast_and_terminates_at_large_epochs():
    """Parabolic refinement: analytic minima to 1 ms in a few calls, and termination near
    epochs of 1e9 s where x +- tol rounds (float spacing ~1e-7 s)."""
    from areo import _search

    calls = []

    def f(t):
        calls.append(t.size)
        return -np.cos((t - 1.0e9) / 1000.0 - 0.3)

    t0 = 1.0e9 + 300.0 + np.array([-250.0, -100.0, 50.0])  # minimum inside each bracket
    a, x, b = t0 - 300.0, t0, t0 + 300.0
    tm, fm = _search.bracketed_minimum(f, a, x, b, f(a), f(x), f(b), tol=1e-3)
    np.testing.assert_allclose(tm, 1.0e9 + 300.0, atol=1.5e-3)
    np.testing.assert_allclose(fm, -1.0, atol=1e-12)
    assert len(calls) <= 3 + 10  # golden section would need ~28 calls after the first 3
