"""J2 mean elements: analytic rates, dense scipy-integrated J2 drift, position error."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo.orbits import Orbit, element_frame
from tests.orbits.conftest import J2_MARS, MU_MARS, R_MARS, integrate, j2_rhs

ET = 5.0e8


def _fit_slope(t, angle):
    return np.polyfit(t, np.unwrap(angle), 1)[0]


def test_rates_match_textbook_formulas():
    # Vallado (2013) eq. 9-41/9-42, typed here independently: deg/day.
    o = Orbit.from_elements(peri_alt_km=298, apo_alt_km=10107, inc_deg=86.3)
    a, e, i = o.sma_km, o.ecc, math.radians(86.3)
    n = math.sqrt(MU_MARS / a**3)
    p = a * (1 - e * e)
    node = -1.5 * n * J2_MARS * (R_MARS / p) ** 2 * math.cos(i)
    apse = 0.75 * n * J2_MARS * (R_MARS / p) ** 2 * (4 - 5 * math.sin(i) ** 2)
    assert o.raan_rate_deg_per_day == pytest.approx(math.degrees(node) * 86400, rel=1e-12)
    assert o.argp_rate_deg_per_day == pytest.approx(math.degrees(apse) * 86400, rel=1e-12)


@pytest.mark.parametrize(
    ("peri", "apo", "inc", "check_argp"),
    [(380.0, 420.0, 74.0, False), (298.0, 10107.0, 86.3, True), (300.0, 3000.0, 40.0, True)],
)
def test_rates_match_mean_drift_of_integrated_j2_orbit(spice, peri, apo, inc, check_argp):
    """Integrate a J2 orbit with scipy (own RHS), read its osculating elements with SPICE
    oscelt, fit the drift of RAAN and argp over whole revolutions: the slope must match
    areo's analytic secular rates."""
    o = Orbit.from_elements(peri_alt_km=peri, apo_alt_km=apo, inc_deg=inc, raan_deg=30,
                            argp_deg=50, epoch=ET)
    rot = element_frame(ET)
    s = o.state
    y0 = np.concatenate([rot @ s[:3], rot @ s[3:]])
    revs = 40 if apo < 1000 else 12
    t = np.linspace(0, revs * o.period_s, revs * 200 + 1)
    ys = integrate(j2_rhs(MU_MARS, J2_MARS, R_MARS), y0, t, rtol=1e-11, atol=1e-9)
    el = np.array([spice.oscelt(y, 0.0, MU_MARS) for y in ys])
    raan_rate = _fit_slope(t, el[:, 3]) * 86400 * 180 / math.pi
    # First-order theory started from osculating elements: measured differences 0.25 %
    # (TGO), 0.9 % (MEX), 0.02 % (300 x 3000 km); the rest is O(J2^2) and the
    # osculating-vs-mean offset of the initial elements.
    assert raan_rate == pytest.approx(o.raan_rate_deg_per_day, rel=0.015)
    if check_argp:
        argp_rate = _fit_slope(t, el[:, 4]) * 86400 * 180 / math.pi
        # Measured 1.1 % (MEX), 0.3 % (300 x 3000 km).
        assert argp_rate == pytest.approx(o.argp_rate_deg_per_day, rel=0.02)


def test_j2mean_tracks_integrated_j2_orbit():
    """Over 5 days (60 TGO revolutions) the mean-element propagator, started from the
    osculating state with the Kozai mean semi-major axis, stays within ~ the J2
    short-period amplitude of a dense scipy J2 integration: no secular drift."""
    o = Orbit.from_elements(peri_alt_km=380, apo_alt_km=420, inc_deg=74, raan_deg=30,
                            argp_deg=50, epoch=ET)
    rot = element_frame(ET)
    s = o.state
    y0 = np.concatenate([rot @ s[:3], rot @ s[3:]])
    t = np.linspace(0, 5 * 86400.0, 2001)
    ys = integrate(j2_rhs(MU_MARS, J2_MARS, R_MARS), y0, t, rtol=1e-11, atol=1e-9)
    ref = ys[:, :3] @ rot  # back to ICRF (rot is orthogonal)
    good = o.propagate(ET + t, model="j2mean", mean_elements=False).states[:, :3]
    naive = o.propagate(ET + t, model="j2mean").states[:, :3]
    kep = o.propagate(ET + t, model="kepler").states[:, :3]
    err_good = np.linalg.norm(good - ref, axis=1)
    err_naive = np.linalg.norm(naive - ref, axis=1)
    err_kep = np.linalg.norm(kep - ref, axis=1)
    assert err_good.max() < 25.0
    assert err_good.max() < 0.2 * err_naive.max()
    assert err_good.max() < 0.05 * err_kep.max()


def test_j2mean_rejects_open_orbits():
    o = Orbit.from_state([-4000.0, 9000.0, 300.0, 0.5, -3.9, 0.2], ET)
    assert not o.is_closed
    with pytest.raises(ValueError, match="closed"):
        o.propagate(ET + 60.0, model="j2mean")


@pytest.mark.parametrize("name", ["tgo", "mex"])
def test_j2mean_velocity_is_derivative_of_position(name):
    """The j2mean velocity is the time derivative of its own position (the precessing
    ellipse), checked against a fourth-order central difference of the positions over a
    day of catalog TGO / MEX. Before the fix the velocity was the two-body one on the mean
    ellipse: 6.5 m/s (TGO) and 2.2 m/s (MEX) off."""
    o = Orbit.from_catalog(name)
    et0 = float(o.et)
    t = et0 + 500.0 + np.arange(0.0, 86400.0, 173.0)
    h = 0.25
    offs = np.array([-2 * h, -h, 0.0, h, 2 * h])
    s = o.propagate((t[:, None] + offs).ravel(), model="j2mean").states.reshape(t.size, 5, 6)
    r = s[:, :, :3]
    # Five-point stencil, error O(h^4): ~1e-12 km/s here; rounding ~1e-11 km/s.
    num = (r[:, 0] - 8 * r[:, 1] + 8 * r[:, 3] - r[:, 4]) / (12 * h)
    err_m_s = np.linalg.norm(s[:, 2, 3:] - num, axis=1) * 1e3
    assert err_m_s.max() < 1e-5  # well below 1 mm/s (measured ~1e-7 m/s)


@pytest.mark.parametrize("name", ["tgo", "mex"])
def test_j2mean_states_hermite_interpolate_to_positions(name):
    """States sampled every 60 s, interpolated as a CCSDS OEM reader would (Hermite of
    degree 7: positions and velocities at 4 nodes; scipy's KroghInterpolator with repeated
    nodes), reproduce the positions at the midpoints to well under 1 m."""
    from scipy.interpolate import KroghInterpolator

    o = Orbit.from_catalog(name)
    et0 = float(o.et)
    tt = et0 + np.arange(0.0, 6 * 3600.0 + 1.0, 60.0)
    ss = o.propagate(tt, model="j2mean").states
    worst = 0.0
    for j in range(1, tt.size - 3):
        nodes = slice(j - 1, j + 3)
        xi = np.repeat(tt[nodes] - tt[j], 2)
        yi = np.empty((8, 3))
        yi[0::2] = ss[nodes, :3]
        yi[1::2] = ss[nodes, 3:]
        mid = tt[j] + 30.0
        got = KroghInterpolator(xi, yi)(30.0)
        ref = o.propagate(mid, model="j2mean").states.reshape(-1, 6)[0, :3]
        worst = max(worst, float(np.linalg.norm(got - ref)) * 1e3)
    assert worst < 1.0  # metres
