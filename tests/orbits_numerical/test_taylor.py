"""Taylor-series integrator (method='taylor'): against heyoka on the same ODE, the Kepler
closed form, the invariants of a zonal field about a fixed axis, a closed-form impact epoch,
and the pole taken linear in time against heyoka with the same moving pole."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo import catalog
from areo._numba import inp
from areo.errors import AreoInputError, ParameterError
from areo.orbits.numerical import DragModel, ForceModel, propagate_cowell
from areo.orbits.numerical import _taylor as tay
from tests.orbits_numerical.conftest import ET0, GM, circular_state, equatorial_basis
from tests.orbits_numerical.test_integrator import ECC_STATE, _kepler_state

J2 = float(catalog.constant("j2").value)
R_J2 = float(catalog.constant("j2").extra["reference_radius_km"])
J3 = float(catalog.constant("j3").value) * (
    float(catalog.constant("j3").extra["reference_radius_km"]) / R_J2) ** 3
EPS = float(np.finfo(float).eps)


def _heyoka_zonal(s0, pole_of_t, zonal=(J2, J3), tol=None):
    """heyoka's Taylor integrator on r'' = point mass + zonals about the pole p(t), written
    here from U = -mu/r [1 - sum_n J_n (R/r)^n P_n(u)], u = (r.p)/r:
    a = (mu/r^2) sum_n J_n (R/r)^n [P'_{n+1}(u) r_hat - P'_n(u) p] - mu r/r^3, with P_n
    from Bonnet's recursion and P'_{n+1} = (n+1) P_n + u P'_n."""
    hy = pytest.importorskip("heyoka")
    x, y, z, vx, vy, vz = hy.make_vars("x", "y", "z", "vx", "vy", "vz")
    px, py, pz = pole_of_t(hy.time)
    r2 = x * x + y * y + z * z
    r = hy.sqrt(r2)
    u = (x * px + y * py + z * pz) / r
    pn = [1.0, u]
    dn = [0.0, 1.0]
    for n in range(1, len(zonal) + 2):
        pn.append(((2 * n + 1) * u * pn[n] - n * pn[n - 1]) / (n + 1))
        dn.append((n + 1) * pn[n] + u * dn[n])
    rho = R_J2 / r
    cr = sum(jn * rho**n * dn[n + 1] for n, jn in enumerate(zonal, start=2))
    cp = sum(jn * rho**n * dn[n] for n, jn in enumerate(zonal, start=2))
    g = GM / r2
    sys = [(x, vx), (y, vy), (z, vz),
           (vx, g * ((cr - 1.0) * x / r - cp * px)),
           (vy, g * ((cr - 1.0) * y / r - cp * py)),
           (vz, g * ((cr - 1.0) * z / r - cp * pz))]
    kw = {} if tol is None else {"tol": tol}
    return hy.taylor_adaptive(sys, list(map(float, s0)), time=0.0, **kw)


def test_kepler_closed_form_both_directions():
    # J2 = 0: the two-body closed form; epochs every 37 s before and after et0 (nearly all
    # from the dense output), e ~ 0.3, 7 orbits each way.
    et = ET0 + np.arange(-86400.0, 86400.0, 37.0)
    res = propagate_cowell(ECC_STATE, ET0, et, ForceModel.point_mass(), rtol=EPS,
                           method="taylor")
    want = np.array([_kepler_state(ECC_STATE, t - ET0) for t in et])
    rel = (np.linalg.norm(res.states[:, :3] - want[:, :3], axis=1)
           / np.linalg.norm(want[:, :3], axis=1))
    # Measured 8e-14 (the oracle's own Newton/trig rounding is of that order).
    assert rel.max() < 1e-12
    assert res.reason == "reached end" and res.n_rejected == 0


@settings(max_examples=15, deadline=None)
@given(a=st.floats(3700.0, 20000.0), e=st.floats(0.01, 0.6), inc=st.floats(0.0, 3.1),
       raan=st.floats(0.0, 6.28), argp=st.floats(0.0, 6.28), nu=st.floats(0.0, 6.28))
def test_kepler_any_bound_orbit(a, e, inc, raan, argp, nu):
    p = a * (1 - e * e)
    rmag = p / (1 + e * math.cos(nu))
    pqw_r = rmag * np.array([math.cos(nu), math.sin(nu), 0.0])
    pqw_v = math.sqrt(GM / p) * np.array([-math.sin(nu), e + math.cos(nu), 0.0])

    def rot(ang, axis):
        c, s = math.cos(ang), math.sin(ang)
        m = np.eye(3)
        i, j = [k for k in range(3) if k != axis]
        m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
        return m

    m = rot(raan, 2) @ rot(inc, 0) @ rot(argp, 2)
    s0 = np.concatenate([m @ pqw_r, m @ pqw_v])
    period = 2 * math.pi * math.sqrt(a**3 / GM)
    et = ET0 + np.linspace(0.0, 3 * period, 50)
    res = propagate_cowell(s0, ET0, et, ForceModel.point_mass(), rtol=1e-14,
                           stop_at_surface=False, method="taylor")
    want = np.array([_kepler_state(s0, t - ET0) for t in et])
    err = np.linalg.norm(res.states[:, :3] - want[:, :3], axis=1) / a
    assert err.max() < 1e-12


@pytest.mark.parametrize("kind", ["e0.9", "hyperbolic"])
def test_eccentric_and_open_orbits_against_universal_kepler(kind):
    # Periapsis 3500 km: e = 0.9 for 3 orbits, and a flyby at v_inf 2 km/s through its
    # periapsis; the oracle is areo's universal-variable Kepler propagator.
    from areo.orbits import propagate_kepler

    rp = 3500.0
    if kind == "e0.9":
        vp = math.sqrt(GM * 1.9 / rp)
        span = 3 * 2 * math.pi * math.sqrt((rp / 0.1) ** 3 / GM)
        t = np.linspace(0.0, span, 1001)
    else:
        vp = math.sqrt(2 * GM / rp + 4.0)
        t = np.linspace(-10000.0, 10000.0, 1001)
    s0 = np.array([rp, 0.0, 0.0, 0.0, 0.8 * vp, 0.6 * vp])
    et = ET0 + t
    # The oracle at the epochs the propagator sees: ET0 + t is rounded to 1.2e-7 s, which
    # is 3e-7 km at periapsis speed.
    want = np.asarray(propagate_kepler(s0, et - ET0, GM)).reshape(-1, 6)
    res = propagate_cowell(s0, ET0, et, ForceModel.point_mass(), rtol=1e-14,
                           stop_at_surface=False, method="taylor")
    err = np.linalg.norm(res.states[:, :3] - want[:, :3], axis=1)
    # Measured 3.1e-9 km (e = 0.9, 3 orbits of 2.3 days, a = 35000 km) and 3.3e-11 km
    # (flyby).
    assert err.max() < (3e-8 if kind == "e0.9" else 3e-10)


def test_auto_picks_by_force_model(tgo_state):
    et = ET0 + np.array([0.0, 3600.0])
    auto = propagate_cowell(tgo_state, ET0, et, rtol=1e-12, method="auto")
    taylor = propagate_cowell(tgo_state, ET0, et, rtol=1e-12, method="TAYLOR")
    np.testing.assert_array_equal(auto.states, taylor.states)
    fm = ForceModel(drag=DragModel(0.01))
    auto = propagate_cowell(tgo_state, ET0, et, fm, rtol=1e-12, method="auto")
    dop = propagate_cowell(tgo_state, ET0, et, fm, rtol=1e-12)
    np.testing.assert_array_equal(auto.states, dop.states)
    assert dop.n_rhs > dop.n_steps


def test_against_heyoka_j2_j3_frozen_pole(tgo_state):
    # 10 orbits of the TGO-like orbit, states every 60 s: areo's Taylor at rtol 1e-13 and
    # eps against heyoka at tolerance eps on the same ODE.
    _, _, pole = equatorial_basis(ET0)
    et = ET0 + np.arange(0.0, 10 * 7100.0, 60.0)
    ta = _heyoka_zonal(tgo_state, lambda t: tuple(float(c) for c in pole))
    want = ta.propagate_grid(et - ET0)[-1]
    fm = ForceModel(zonal=(J2, J3), frozen_frame_et=ET0)
    for rtol, bound in ((1e-13, 1e-8), (EPS, 1e-9)):
        res = propagate_cowell(tgo_state, ET0, et, fm, rtol=rtol, method="taylor")
        err = np.linalg.norm(res.states[:, :3] - want[:, :3], axis=1)
        verr = np.linalg.norm(res.states[:, 3:] - want[:, 3:], axis=1)
        # Measured (10 orbits): 1.0e-9 km at 1e-13, 1.0e-10 km at eps (velocity 1e-3 x).
        assert err.max() < bound, rtol
        assert verr.max() < bound * 1e-2, rtol


def test_same_orbit_as_dop853(tgo_state):
    # The default force model (J2 + J3, the IAU pole moving): the two integrators of areo
    # agree to DOP853's accuracy over a day (not an independent oracle: the right-hand side
    # is shared; it checks that the Taylor path reads the same force model).
    et = ET0 + np.arange(0.0, 86400.0, 300.0)
    a = propagate_cowell(tgo_state, ET0, et, rtol=1e-13)
    b = propagate_cowell(tgo_state, ET0, et, rtol=1e-14, method="taylor")
    assert np.abs(a.states[:, :3] - b.states[:, :3]).max() < 1e-5


def test_zonal_invariants_to_round_off(tgo_state):
    # Zonal field about a fixed axis: energy and the polar angular momentum are conserved;
    # 100 orbits (8 days, ~1200 steps) at tolerance eps.
    fm = ForceModel(zonal=(J2, J3), frozen_frame_et=ET0)
    _, _, pole = equatorial_basis(ET0)
    et = ET0 + np.linspace(0.0, 100 * 7100.0, 2001)
    res = propagate_cowell(tgo_state, ET0, et, fm, rtol=EPS, method="taylor")
    x = res.states[:, :3].astype(np.longdouble)
    v = res.states[:, 3:].astype(np.longdouble)
    r = np.sqrt(np.sum(x * x, axis=1))
    u = x @ pole.astype(np.longdouble) / r
    p2 = 0.5 * (3 * u * u - 1)
    p3 = 0.5 * (5 * u**3 - 3 * u)
    pot = -GM / r * (1 - J2 * (R_J2 / r) ** 2 * p2 - J3 * (R_J2 / r) ** 3 * p3)
    energy = 0.5 * np.sum(v * v, axis=1) + pot
    hz = np.cross(x, v) @ pole.astype(np.longdouble)
    de = float(np.max(np.abs(energy / energy[0] - 1)))
    dh = float(np.max(np.abs(hz / hz[0] - 1)))
    # Measured: 2.5e-15 and 8e-15 (the output states themselves are rounded to 1.1e-16).
    assert de < 3e-14 and dh < 3e-14, (de, dh)


def test_pole_linear_in_time_against_heyoka(tgo_state):
    # A pole turning 0.3 rad in a day (10^4 times Mars' IAU precession in a century) in the
    # force-model table: the Taylor path takes the pole linear in time over each step, as
    # heyoka does here with p(t) = p_a + (p_b - p_a) t / day, exactly the table's
    # interpolation between its two nodes.
    span = 86400.0
    fm0 = ForceModel(zonal=(J2, J3))._pack(ET0, ET0 + span)
    tab = np.array(fm0[3])
    assert tab.shape[0] == 2 and fm0[1][9] == ET0 and fm0[1][10] == span
    pa = tab[0, :3].copy()
    q, _, _ = equatorial_basis(ET0)
    pb = math.cos(0.3) * pa + math.sin(0.3) * q
    tab[1, :3] = pb
    fm = (*fm0[:3], inp(tab), *fm0[4:])
    et = ET0 + np.arange(0.0, span + 1.0, 120.0)
    order = tay.order_for(1e-14, 1e-14)
    out = np.full((et.size, 6), np.nan)
    nw, status, *_ = tay.integrate(inp(tgo_state), ET0, inp(et), 1e-14, 1e-14, np.inf,
                                   10**6, False, fm, order, out, np.zeros(7),
                                   np.zeros((tay.work_rows(3), order + 1)),
                                   np.zeros((tay.STATE_ROWS, 6)))
    assert nw == et.size and status == 0
    dp = (pb - pa) / span
    ta = _heyoka_zonal(tgo_state, lambda t: tuple(pa[i] + dp[i] * t for i in range(3)))
    want = ta.propagate_grid(et - ET0)[-1]
    err = np.linalg.norm(out[:, :3] - want[:, :3], axis=1)
    # Measured 2e-10 km; freezing the pole at p_a instead is 33 km off after the day.
    assert err.max() < 1e-8
    frozen = propagate_cowell(tgo_state, ET0, et[[0, -1]], ForceModel(
        zonal=(J2, J3), frozen_frame_et=ET0), rtol=1e-14, method="taylor")
    assert np.linalg.norm(frozen.states[-1, :3] - want[-1, :3]) > 1.0


def test_impact_epoch_closed_form():
    # An equatorial point-mass orbit whose periapsis is inside Mars: on the equator the
    # altitude is r - R_eq, and the crossing comes from Kepler's equation.
    q, e_axis, _ = equatorial_basis(ET0)
    req = 3396.19
    ra, rp = req + 800.0, req - 300.0
    a = 0.5 * (ra + rp)
    ecc = (ra - rp) / (ra + rp)
    va = math.sqrt(GM * (2 / ra - 1 / a))
    s0 = np.concatenate([ra * q, va * e_axis])  # at apoapsis
    fm = ForceModel(zonal=(), frozen_frame_et=ET0)
    res = propagate_cowell(s0, ET0, ET0 + np.arange(0.0, 7200.0, 60.0), fm, rtol=1e-14,
                           method="taylor")
    assert res.terminated and "impact" in res.reason
    # r = a (1 - e cos E) = R_eq, E in (pi, 2 pi) after apoapsis (E = pi).
    big_e = 2 * math.pi - math.acos((1 - req / a) / ecc)
    n = math.sqrt(GM / a**3)
    t_hit = ((big_e - ecc * math.sin(big_e)) - math.pi) / n
    # Measured: 0 s and 0 km (the epoch is resolved to 1e-7 s at this et).
    assert abs(res.impact_et - (ET0 + t_hit)) < 1e-5
    assert abs(np.linalg.norm(res.impact_state[:3]) - req) < 1e-5
    assert np.all(res.et < res.impact_et)


def test_step_cap_and_counts(tgo_state):
    et = ET0 + np.array([0.0, 7100.0])
    free = propagate_cowell(tgo_state, ET0, et, rtol=1e-12, method="taylor")
    capped = propagate_cowell(tgo_state, ET0, et, rtol=1e-12, method="taylor",
                              max_step_s=60.0)
    assert capped.n_steps >= 7100.0 / 60.0 > free.n_steps
    np.testing.assert_allclose(capped.states[-1], free.states[-1], atol=1e-7)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"method": "rk4"}, "method 'rk4'.*'auto', 'dop853', 'taylor'"),
     ({"method": 3}, "method 3"),
     ({"method": "taylor", "forces": ForceModel(drag=DragModel(0.01))},
      "also has drag: use method='dop853'"),
     ({"method": "taylor", "forces": ForceModel(sun=True)}, "also has sun"),
     ({"method": "taylor", "rtol": 1e-16}, r"\[2.22e-16 \(machine epsilon\), 0.1\]"),
     ({"method": "dop853", "rtol": 1e-16}, r"\[1e-15, 0.1\] for method 'dop853'")],
)
def test_bad_method_inputs(kwargs, match):
    with pytest.raises(ParameterError, match=match) as info:
        propagate_cowell(ECC_STATE, ET0, [ET0 + 60.0], **kwargs)
    assert isinstance(info.value, AreoInputError)


def test_orders_and_high_zonal_degrees():
    assert tay.order_for(1e-10, 1e-10) == 13 and tay.order_for(EPS, EPS) == 20
    assert tay.order_for(1e-10, 1e-3) == 13
    # J2..J6 run through the general Legendre/Horner recurrences: against heyoka with the
    # same zonals (J4..J6 sized like Mars', a check of the recurrences, not of Mars).
    zonal = (J2, J3, -1.5e-5, 5e-6, -3e-6)
    _, _, pole = equatorial_basis(ET0)
    s0 = circular_state(300.0, 60.0)
    et = ET0 + np.arange(0.0, 3 * 7000.0, 100.0)
    want = _heyoka_zonal(s0, lambda t: tuple(float(c) for c in pole),
                         zonal).propagate_grid(et - ET0)[-1]
    fm = ForceModel(zonal=zonal, frozen_frame_et=ET0)
    res = propagate_cowell(s0, ET0, et, fm, rtol=1e-14, method="taylor")
    # Measured 6e-11 km; J4..J6 move the orbit by 0.33 km in those 3 orbits.
    assert np.abs(res.states[:, :3] - want[:, :3]).max() < 1e-9
