"""Cowell propagation against invariants, analytic J2 theory and an independent scipy run."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from areo import bodies, catalog
from areo.ephem import default_ephemeris
from areo.frames import icrf_to_iau_mars
from areo.orbits.numerical import (
    DragModel,
    ExponentialAtmosphere,
    ForceModel,
    propagate_cowell,
)
from tests.orbits_numerical.conftest import ET0, GM, circular_state, equatorial_basis

J2 = float(catalog.constant("j2").value)
R_J2 = float(catalog.constant("j2").extra["reference_radius_km"])
J3 = float(catalog.constant("j3").value) * (
    float(catalog.constant("j3").extra["reference_radius_km"]) / R_J2) ** 3
GM_SUN = bodies.body("sun").gm_km3s2
REQ, RPOL = 3396.19, 3376.20


def test_point_mass_invariants(tgo_state):
    et = ET0 + np.arange(0.0, 86400.0 + 1, 600.0)
    res = propagate_cowell(tgo_state, ET0, et, ForceModel.point_mass(), rtol=1e-12)
    r = np.linalg.norm(res.states[:, :3], axis=1)
    energy = 0.5 * np.sum(res.states[:, 3:] ** 2, axis=1) - GM / r
    h = np.cross(res.states[:, :3], res.states[:, 3:])
    # Measured: |dE/E| ~ 3e-13, |dh|/|h| ~ 3e-13 over 12 orbits at rtol 1e-12.
    assert np.max(np.abs(energy / energy[0] - 1)) < 1e-11
    assert np.max(np.linalg.norm(h - h[0], axis=1)) / np.linalg.norm(h[0]) < 1e-11


def test_zonal_invariants_with_frozen_pole(tgo_state):
    # Zonal field about a fixed axis: energy and the polar component of h are conserved.
    fm = ForceModel(zonal=(J2, J3), frozen_frame_et=ET0)
    _, _, pole = equatorial_basis(ET0)
    et = ET0 + np.arange(0.0, 86400.0 + 1, 600.0)
    res = propagate_cowell(tgo_state, ET0, et, fm, rtol=1e-12)
    x = res.states[:, :3]
    r = np.linalg.norm(x, axis=1)
    u = x @ pole / r
    p2 = 0.5 * (3 * u * u - 1)
    p3 = 0.5 * (5 * u**3 - 3 * u)
    pot = -GM / r * (1 - J2 * (R_J2 / r) ** 2 * p2 - J3 * (R_J2 / r) ** 3 * p3)
    energy = 0.5 * np.sum(res.states[:, 3:] ** 2, axis=1) + pot
    hz = np.cross(x, res.states[:, 3:]) @ pole
    assert np.max(np.abs(energy / energy[0] - 1)) < 1e-11
    assert np.max(np.abs(hz / hz[0] - 1)) < 1e-11


def test_j2_nodal_regression_rate(tgo_state):
    # Oracle: secular J2 rate dOmega/dt = -3/2 n J2 (R/p)^2 cos i (Vallado 4th ed. eq. 9-41),
    # against a straight-line fit of the node over 5 days (60 orbits). The osculating
    # semi-major axis swings by ~J2 R^2/a (~6 km) around the mean, so the rate uses the mean
    # over the run of the osculating a (the first-order mean element); what is left is O(J2).
    fm = ForceModel(zonal=(J2,), frozen_frame_et=ET0)
    q, e, p = equatorial_basis(ET0)
    et = ET0 + np.arange(0.0, 5 * 86400.0, 300.0)
    res = propagate_cowell(tgo_state, ET0, et, fm, rtol=1e-11)
    h = np.cross(res.states[:, :3], res.states[:, 3:])
    node = np.cross(p, h)
    raan = np.unwrap(np.arctan2(node @ e, node @ q))
    rate = np.polyfit(et - ET0, raan, 1)[0]
    rn = np.linalg.norm(res.states[:, :3], axis=1)
    a = np.mean(1.0 / (2.0 / rn - np.sum(res.states[:, 3:] ** 2, axis=1) / GM))
    n = np.sqrt(GM / a**3)
    want = -1.5 * n * J2 * (R_J2 / a) ** 2 * np.cos(np.radians(74.0))
    assert rate == pytest.approx(want, rel=3e-3)


# --------------------------------------------------------------------- independent scipy RHS
def _pole(t):
    return np.asarray(icrf_to_iau_mars(np.array([t]))).reshape(3, 3)[2]


def _j3_accel(r, p):
    """Gradient of U3 = -GM J3 R^3 P3(u) / r^4, u = r.p / r."""
    rn = np.linalg.norm(r)
    u = r @ p / rn
    k3 = 0.5 * J3 * GM * R_J2**3 / rn**6
    return k3 * ((35 * u**3 - 15 * u) * r - (15 * u * u - 3) * rn * p)


def _scipy_rhs(sun: bool, drag: DragModel | None):
    eph = default_ephemeris()
    omega = np.radians(350.891982443297) / 86400.0

    def f(t, s):
        r, v = s[:3], s[3:]
        p = _pole(t)
        rn = np.linalg.norm(r)
        u = r @ p / rn
        # Zonal potential gradient written out term by term (Vallado eq. 8-38 style).
        a = -GM * r / rn**3
        k2 = 1.5 * J2 * GM * R_J2**2 / rn**5
        a += k2 * ((5 * u * u - 1) * r - 2 * u * rn * p)
        a += _j3_accel(r, p)
        if sun:
            sp = np.asarray(eph.state("sun", t, center="mars").states)[:3]
            d = sp - r
            a += GM_SUN * (d / np.linalg.norm(d) ** 3 - sp / np.linalg.norm(sp) ** 3)
        if drag is not None:
            sinlat = u
            rell = REQ * RPOL / np.sqrt(RPOL**2 * (1 - sinlat**2) + REQ**2 * sinlat**2)
            rho = drag.atmosphere.density(rn - rell)
            vrel = v - omega * np.cross(p, r)
            a += -0.5 * rho * drag.cd * drag.area_to_mass_m2_kg * 1e3 * np.linalg.norm(
                vrel) * vrel
        return np.concatenate([v, a])

    return f


def test_j3_term_of_the_scipy_oracle_matches_finite_differences():
    # Guard on the oracle itself: its J3 acceleration is grad U3, U3 = -GM J3 R^3 P3(u)/r^4.
    p = _pole(ET0)
    r0 = np.array([2500.0, -1200.0, 2600.0])

    def pot(r):
        rn = np.linalg.norm(r)
        u = r @ p / rn
        return -GM / rn * J3 * (R_J2 / rn) ** 3 * 0.5 * (5 * u**3 - 3 * u)

    grad = np.array([(pot(r0 + dv) - pot(r0 - dv)) / 2e-3 for dv in np.eye(3) * 1e-3])
    np.testing.assert_allclose(_j3_accel(r0, p), grad, rtol=1e-6)


def test_against_scipy_j2_j3_sun(tgo_state):
    # Oracle: scipy DOP853 (rtol = atol = 1e-12) on a separately written RHS with the IAU pole
    # and DE440 Sun sampled at every call. 4 hours (2 orbits).
    et = ET0 + np.linspace(0.0, 4 * 3600.0, 9)
    fm = ForceModel(zonal=(J2, J3), radius_km=R_J2, sun=True)
    res = propagate_cowell(tgo_state, ET0, et, fm, rtol=1e-12)
    sol = solve_ivp(_scipy_rhs(True, None), (ET0, et[-1]), tgo_state, method="DOP853",
                    rtol=1e-12, atol=1e-12, t_eval=et)
    err = np.linalg.norm(res.states[:, :3] - sol.y.T[:, :3], axis=1)
    # Measured agreement ~1e-7 km (both integrators' error).
    assert err.max() < 1e-5
    # The Sun matters at this level: without it the runs differ by far more.
    res0 = propagate_cowell(tgo_state, ET0, et, ForceModel(zonal=(J2, J3)), rtol=1e-12)
    assert np.linalg.norm(res0.states[-1, :3] - sol.y.T[-1, :3]) > 100 * err.max()


def test_drag_decay_against_scipy_and_impact():
    # A 130 km orbit under the NSSDC exponential atmosphere and A/m = 0.02 m^2/kg decays and
    # hits the surface within ~2 h. Oracle: scipy DOP853 with a terminal altitude event.
    drag = DragModel(area_to_mass_m2_kg=0.02, cd=2.2)
    fm = ForceModel(zonal=(J2, J3), drag=drag)
    s0 = circular_state(130.0, 60.0)
    et = ET0 + np.arange(0.0, 6 * 3600.0, 60.0)
    res = propagate_cowell(s0, ET0, et, fm, rtol=1e-11)
    assert res.terminated and res.reason.startswith("impact at ")
    assert "(altitude 0 km)" in res.reason
    assert len(res) < et.size and res.et[-1] <= res.impact_et

    def alt(t, s):
        p = _pole(t)
        rn = np.linalg.norm(s[:3])
        u = s[:3] @ p / rn
        return rn - REQ * RPOL / np.sqrt(RPOL**2 * (1 - u * u) + REQ**2 * u * u)

    alt.terminal = True
    alt.direction = -1
    sol = solve_ivp(_scipy_rhs(False, drag), (ET0, et[-1]), s0, method="DOP853",
                    rtol=1e-12, atol=1e-12, events=alt, dense_output=True)
    t_hit = sol.t_events[0][0]
    assert abs(res.impact_et - t_hit) < 1.0  # measured ~1e-4 s
    ok = et[et <= res.et[-1]]
    err = np.linalg.norm(res.states[:, :3] - sol.sol(ok).T[:, :3], axis=1)
    assert err.max() < 1e-3


def test_impact_epoch_point_mass_analytic():
    # Spherical surface, point mass: the crossing r = R solves Kepler's equation exactly.
    r_s = 3396.19
    fm = ForceModel(zonal=(), surface_radii_km=(r_s, r_s))
    s0 = np.array([r_s + 300.0, 0.0, 0.0, 0.0, 2.9, 0.0])  # apoapsis, periapsis inside Mars
    res = propagate_cowell(s0, ET0, ET0 + np.arange(0, 7200.0, 10.0), fm, rtol=1e-12)
    assert res.terminated
    r0 = s0[0]
    energy = 0.5 * 2.9**2 - GM / r0
    a = -GM / (2 * energy)
    e = r0 / a - 1  # starting at apoapsis
    ea = np.arccos((1 - r_s / a) / e)  # eccentric anomaly past periapsis at r = R
    n = np.sqrt(GM / a**3)
    t_peri = np.pi / n
    t_hit = t_peri - (ea - e * np.sin(ea)) / n  # before periapsis
    assert abs(res.impact_et - (ET0 + t_hit)) < 1e-3
    assert np.linalg.norm(res.impact_state[:3]) == pytest.approx(r_s, abs=1e-6)


def test_no_stop_when_disabled():
    fm = ForceModel(zonal=(), surface_radii_km=(3396.19, 3396.19))
    s0 = np.array([3696.19, 0.0, 0.0, 0.0, 2.9, 0.0])
    res = propagate_cowell(s0, ET0, ET0 + np.array([600.0, 1200.0]), fm,
                           stop_at_surface=False)
    assert not res.terminated and len(res) == 2


def test_tabulated_atmosphere_matches_exponential():
    from areo.orbits.numerical import TabulatedAtmosphere

    h = np.arange(0.0, 400.0, 5.0)
    expo = ExponentialAtmosphere(0.02, 11.1)
    tab = TabulatedAtmosphere(h, expo.density(h))
    s0 = circular_state(150.0, 30.0)
    et = ET0 + np.arange(0.0, 3600.0, 300.0)
    a = propagate_cowell(s0, ET0, et, ForceModel(drag=DragModel(0.01, atmosphere=expo)))
    b = propagate_cowell(s0, ET0, et, ForceModel(drag=DragModel(0.01, atmosphere=tab)))
    np.testing.assert_allclose(a.states, b.states, atol=1e-7)


def test_srp_size_and_shadow():
    # Cannonball SRP at Mars (~1.5 AU): P ~ 2e-6 N/m^2, A/m 0.01, Cr 1.3 -> ~3e-8 m/s^2
    # (3e-11 km/s^2): after 2 h the offset is of order a t^2 / 2 ~ 0.1 m, and it is zero for
    # zero area. An equatorial orbit (beta angle <= ~25 deg) passes through the shadow.
    from areo.orbits.numerical import SRPModel

    tgo_state = circular_state(400.0, 0.0)

    et = ET0 + np.array([7200.0])
    base = propagate_cowell(tgo_state, ET0, et, ForceModel(), rtol=1e-12)
    lit = propagate_cowell(tgo_state, ET0, et, ForceModel(srp=SRPModel(0.01, shadow=False)),
                           rtol=1e-12)
    shadowed = propagate_cowell(tgo_state, ET0, et, ForceModel(srp=SRPModel(0.01)),
                                rtol=1e-12)
    zero = propagate_cowell(tgo_state, ET0, et, ForceModel(srp=SRPModel(0.0)), rtol=1e-12)
    d_lit = np.linalg.norm(lit.states[0, :3] - base.states[0, :3])
    assert 1e-6 < d_lit < 1e-3
    # ~40 % of this orbit is in the shadow: switching the force off there changes the result.
    assert np.linalg.norm(lit.states[0, :3] - shadowed.states[0, :3]) > 1e-5
    np.testing.assert_array_equal(zero.states, base.states)
