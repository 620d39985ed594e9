"""Kepler (universal variables) propagation: SPICE conics, scipy DOP853, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo.orbits import Orbit, propagate_kepler
from tests.orbits.conftest import MU_MARS, R_MARS, integrate, two_body_rhs

ET = 5.0e8


def _states():
    # MEX-like, TGO-like, near-parabolic and hyperbolic (capture-approach) states.
    o = Orbit.from_elements(peri_alt_km=[298, 400, 250], ecc=[0.5703775807710244, 0.005, 0.97],
                            inc_deg=[86.3, 74, 10], raan_deg=[10, 200, 300],
                            argp_deg=[20, 0, 90], anomaly_deg=[30, 100, 1], epoch=ET)
    hyp = np.array([-4000.0, 9000.0, 300.0, 0.5, -3.9, 0.2])
    return np.vstack([o.state, hyp])


def test_against_spice_conics_over_a_mars_year(spice):
    s0 = _states()
    dt = np.array([0.0, 60.0, -3600.0, 86400.0 * 3.3, 86400.0 * 686.98, -86400.0 * 100])
    ours = propagate_kepler(s0, dt, MU_MARS)
    for i, s in enumerate(s0):
        elts = spice.oscelt(s, ET, MU_MARS)
        for j, d in enumerate(dt):
            if i == 3 and abs(d) > 86400 * 4:  # the hyperbola leaves to ~1e8 km: skip
                continue
            ref = np.array(spice.conics(elts, ET + d))
            scale = np.linalg.norm(ref[:3])
            assert np.allclose(ours[i, j, :3], ref[:3], rtol=0, atol=2e-9 * scale + 1e-6), (i, j)
            assert np.allclose(ours[i, j, 3:], ref[3:], rtol=0,
                               atol=2e-9 * np.linalg.norm(ref[3:]) + 1e-9), (i, j)


def test_against_scipy_dop853_two_body():
    s0 = _states()
    t = np.linspace(0.0, 2 * 86400.0, 97)
    ours = propagate_kepler(s0, t, MU_MARS)
    for i in range(s0.shape[0]):
        ref = integrate(two_body_rhs(MU_MARS), s0[i], t, rtol=1e-13, atol=1e-10)
        err = np.max(np.linalg.norm(ours[i, :, :3] - ref[:, :3], axis=1))
        # DOP853 at rtol 1e-13 is good to ~1 mm over 2 days on these orbits.
        assert err < 5e-3, (i, err)


def test_energy_and_angular_momentum_conserved():
    s0 = _states()
    dt = np.linspace(-3e7, 3e7, 2001)
    out = propagate_kepler(s0, dt, MU_MARS)
    r = np.linalg.norm(out[..., :3], axis=-1)
    energy = 0.5 * np.sum(out[..., 3:] ** 2, axis=-1) - MU_MARS / r
    h = np.cross(out[..., :3], out[..., 3:])
    for i in range(3):  # bound orbits: a year and a half each way
        assert np.ptp(energy[i]) < 1e-12 * abs(energy[i, 0]) * 1e2
        assert np.max(np.linalg.norm(h[i] - h[i, 0], axis=-1)) < 1e-11 * np.linalg.norm(
            h[i, 0]) * 1e2


def test_orbit_propagate_shapes_and_identity():
    o = Orbit.from_catalog("tgo")
    tr = o.propagate(o.et + np.arange(0, 7200, 60.0))
    assert tr.states.shape == (120, 6)
    assert np.allclose(tr.states[0], o.state, atol=1e-9)
    batch = Orbit.from_elements(peri_alt_km=[300, 400], apo_alt_km=[300, 800], inc_deg=[10, 93],
                                epoch=o.epoch)
    trb = batch.propagate(o.et + np.arange(0, 600, 60.0))
    assert trb.states.shape == (2, 10, 6)
    assert len(trb.to_frame()) == 20
    # One full period returns to the start (the fold into one period is exact).
    tp = o.propagate(o.et + o.period_s * np.array([0.0, 1.0, 1000.0]))
    assert np.allclose(tp.states[1], tp.states[0], atol=1e-6)
    assert np.allclose(tp.states[2], tp.states[0], atol=1e-6)


def test_mex_period_from_published_altitudes():
    # mars-facts 1.2: 298 x 10107 km with mu = 42828.37, R = 3396.19 -> 6.725 h (11:3).
    a = R_MARS + (298 + 10107) / 2
    t = 2 * math.pi * math.sqrt(a**3 / 42828.37) / 3600
    assert round(t, 3) == 6.725 or abs(t - 6.725) < 5e-4
    assert Orbit.from_catalog("mex").period_h == pytest.approx(6.725, abs=5e-4)
    # TGO: 400 km circular -> 1.973 h (mars-facts 2.1 period check).
    assert Orbit.circular(400, 74).period_h == pytest.approx(1.973, abs=5e-4)
    assert str(Orbit.from_catalog("mex")) == "298 x 10107 km, 86.3 deg, T = 6.725 h around Mars"
