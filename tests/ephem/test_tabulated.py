"""Tabulated trajectories against SPICE SPK types 13 (Hermite) and 9 (Lagrange) and against
exact two-body motion (SPICE prop2b)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from areo.ephem import TabulatedTrajectory
from areo.errors import EpochOutOfRangeError, ParameterError
from tests.spice_kernels import scratch_dir

GM_MARS = 42828.375816


def _samples(spice, step=60.0, n=200):
    """A 400 km x 4000 km orbit about Mars sampled exactly by SPICE's two-body propagator."""
    rp, ra = 3396.19 + 400.0, 3396.19 + 4000.0
    a, e = (rp + ra) / 2, (ra - rp) / (ra + rp)
    v = np.sqrt(GM_MARS * (1 + e) / rp)
    s0 = np.array([rp, 0.0, 0.0, 0.0, v * np.cos(1.2), v * np.sin(1.2)])
    et0 = 7.0e8
    et = et0 + step * np.arange(n) + np.sin(np.arange(n)) * 5.0  # uneven spacing
    states = np.array([spice.prop2b(GM_MARS, s0, t - et0) for t in et])
    return et, states, s0, et0, a


def _write(spice, kind, et, states, degree):
    path = os.path.join(scratch_dir("tab-"), f"t{kind}.bsp")
    h = spice.spkopn(path, "tab", 0)
    write = spice.spkw13 if kind == 13 else spice.spkw09
    write(h, -999, 499, "J2000", float(et[0]), float(et[-1]), "tab", degree, len(et), states, et)
    spice.spkcls(h)
    spice.furnsh(path)
    return path


@pytest.mark.parametrize(("kind", "method", "degree"), [(13, "hermite", 5), (13, "hermite", 3),
                                                         (9, "lagrange", 7)])
def test_against_spice_segment_types(spice, kind, method, degree):
    et, states, _, _, _ = _samples(spice)
    path = _write(spice, kind, et, states, degree)
    try:
        tab = TabulatedTrajectory(et, states, interpolation=method, degree=degree)
        q = np.linspace(et[0], et[-1], 777)
        ours = tab.state(q)
        ref = np.array([spice.spkgeo(-999, float(t), "J2000", 499)[0] for t in q])
        # Same position polynomials on the same windows: agreement to rounding. For the
        # velocity areo differentiates the Hermite position polynomial, while SPICE's type 13
        # interpolates velocities on their own: the two differ by < 0.5 mm/s here, both
        # within 1 mm/s of the exact two-body velocity (next test).
        np.testing.assert_allclose(ours[:, :3], ref[:, :3], atol=1e-6)
        np.testing.assert_allclose(ours[:, 3:], ref[:, 3:], atol=5e-7)
    finally:
        spice.unload(path)


def test_accuracy_against_exact_two_body(spice):
    """Degree-5 Hermite on 60 s samples of a 400 km pericentre orbit: < 1 m from prop2b."""
    et, states, s0, et0, _ = _samples(spice)
    tab = TabulatedTrajectory(et, states)
    q = (et[1:] + et[:-1]) / 2
    exact = np.array([spice.prop2b(GM_MARS, s0, t - et0) for t in q])
    got = tab.state(q)
    err = np.linalg.norm(got[:, :3] - exact[:, :3], axis=1)
    assert err.max() < 1e-3  # km
    assert np.linalg.norm(got[:, 3:] - exact[:, 3:], axis=1).max() < 1e-6  # km/s
    assert np.allclose(tab.state(et), states, atol=1e-9)  # nodes reproduce the samples


def test_bad_tables():
    et = np.arange(10.0) * 60.0
    st = np.zeros((10, 6))
    with pytest.raises(ParameterError, match="increase strictly"):
        TabulatedTrajectory(et[::-1], st)
    with pytest.raises(ParameterError, match="odd"):
        TabulatedTrajectory(et, st, degree=4)
    with pytest.raises(ParameterError, match="shape"):
        TabulatedTrajectory(et, st[:5])
    with pytest.raises(ParameterError, match="at least"):
        TabulatedTrajectory(et[:2], st[:2], interpolation="lagrange", degree=7)
    tab = TabulatedTrajectory(et, st)
    with pytest.raises(EpochOutOfRangeError, match="outside the tabulated"):
        tab.state(1e6)


def test_evenly_spaced_positions_against_spice(spice):
    """Evenly spaced tables take the arithmetic interval lookup; positions-only evaluation
    equals the state's positions and SPICE's type 13 reading of the same samples."""
    et, states, _, _, _ = _samples(spice)
    even = et[0] + 60.0 * np.arange(et.size)
    sts = np.array([spice.prop2b(GM_MARS, states[0], t - even[0]) for t in even])
    path = _write(spice, 13, even, sts, 5)
    try:
        tab = TabulatedTrajectory(even, sts)
        q = np.linspace(even[0], even[-1], 501)
        np.testing.assert_array_equal(tab.position(q), tab.state(q)[:, :3])
        ref = np.array([spice.spkgeo(-999, float(t), "J2000", 499)[0][:3] for t in q])
        np.testing.assert_allclose(tab.position(q), ref, atol=1e-6)
    finally:
        spice.unload(path)
