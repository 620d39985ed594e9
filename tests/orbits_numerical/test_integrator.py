"""DOP853 tableau and integrator: order conditions, Kepler accuracy, dense output, contract."""

from __future__ import annotations

from math import factorial

import numpy as np
import pytest

from areo.errors import ParameterError
from areo.orbits.numerical import ForceModel, propagate_cowell
from areo.orbits.numerical import _integrator as it
from tests.orbits_numerical.conftest import ET0, GM


def test_tableau_row_sums():
    # Every stage is consistent: sum_j a_ij = c_i (row 12 holds b, c = 1).
    np.testing.assert_allclose(it.A.sum(axis=1), it.C, atol=1e-14)


def test_tableau_quadrature_conditions_to_order_8():
    b, c = it.B, it.C
    for k in range(1, 9):
        assert abs(b @ c ** (k - 1) - 1.0 / k) < 1e-14, k


def test_tableau_tree_conditions():
    # A selection of the tree conditions up to order 8 (HNW I, II.2):
    # sum_i b_i c_i^q sum_j a_ij c_j^p = integral_0^1 t^q t^(p+1)/(p+1) dt.
    b, c, a = it.B, it.C, it.A
    for p in range(1, 7):
        ac = a @ c**p
        for q in range(0, 7 - p):
            want = 1.0 / ((p + 1) * (p + q + 2))
            assert abs(b @ (c**q * ac) - want) < 1e-13, (p, q)
    # sum b_i a_ij a_jk c_k = 1/24 and deeper nesting 1/120, 1/720 ...
    v = c.copy()
    for depth in range(2, 7):
        v = a @ v
        assert abs(b @ v - 1.0 / factorial(depth + 1)) < 1e-13, depth


def test_error_estimators_are_consistent():
    # ER = b - b5 (5th order): orthogonal to c^0..c^4; BHH is 3rd order.
    for k in range(0, 5):
        assert abs(it.ER @ it.C**k) < 1e-14
    for k in range(1, 4):
        assert abs(it.BHH @ it.C ** (k - 1) - 1.0 / k) < 1e-14


def _kepler_state(s0, dt):
    """Two-body state after dt (universal-free: elliptic Kepler, written for this test)."""
    r0, v0 = s0[:3], s0[3:]
    r = np.linalg.norm(r0)
    energy = v0 @ v0 / 2 - GM / r
    a = -GM / (2 * energy)
    h = np.cross(r0, v0)
    evec = np.cross(v0, h) / GM - r0 / r
    e = np.linalg.norm(evec)
    p_hat = evec / e
    q_hat = np.cross(h / np.linalg.norm(h), p_hat)
    nu0 = np.arctan2(r0 @ q_hat, r0 @ p_hat)
    e0 = 2 * np.arctan(np.sqrt((1 - e) / (1 + e)) * np.tan(nu0 / 2))
    m = e0 - e * np.sin(e0) + np.sqrt(GM / a**3) * dt
    ea = m
    for _ in range(50):
        ea -= (ea - e * np.sin(ea) - m) / (1 - e * np.cos(ea))
    b = a * np.sqrt(1 - e * e)
    x, y = a * (np.cos(ea) - e), b * np.sin(ea)
    edot = np.sqrt(GM / a**3) / (1 - e * np.cos(ea))
    vx, vy = -a * np.sin(ea) * edot, b * np.cos(ea) * edot
    return np.concatenate([x * p_hat + y * q_hat, vx * p_hat + vy * q_hat])


ECC_STATE = np.array([3700.0, 300.0, -200.0, 0.4, 3.9, 1.2])  # e ~ 0.3, 1 orbit ~ 3.4 h


def test_kepler_accuracy_and_dense_output():
    # Output every 37 s: almost every epoch comes from the 7th-order interpolant.
    et = ET0 + np.arange(0.0, 86400.0, 37.0)
    res = propagate_cowell(ECC_STATE, ET0, et, ForceModel.point_mass(), rtol=1e-13)
    want = np.array([_kepler_state(ECC_STATE, t - ET0) for t in et])
    err = np.linalg.norm(res.states[:, :3] - want[:, :3], axis=1)
    # Oracle: analytic Kepler. Measured ~2e-7 km after 7 orbits at rtol 1e-13.
    assert err.max() < 5e-6
    assert not res.terminated and res.reason == "reached end"


def test_tolerance_controls_error():
    et = np.array([ET0 + 86400.0])
    want = _kepler_state(ECC_STATE, 86400.0)
    errs = []
    for rtol in (1e-8, 1e-10, 1e-12):
        res = propagate_cowell(ECC_STATE, ET0, et, ForceModel.point_mass(), rtol=rtol)
        errs.append(np.linalg.norm(res.states[0, :3] - want[:3]))
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-4


def test_backward_and_mixed_epochs():
    et = ET0 + np.array([-7200.0, -3600.0, 0.0, 3600.0, 7200.0])
    res = propagate_cowell(ECC_STATE, ET0, et, ForceModel.point_mass(), rtol=1e-12)
    want = np.array([_kepler_state(ECC_STATE, t - ET0) for t in et])
    np.testing.assert_allclose(res.et, et)
    np.testing.assert_allclose(res.states, want, atol=1e-5)
    np.testing.assert_array_equal(res.states[2], ECC_STATE)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"rtol": 0.0}, "rtol"), ({"rtol": -1e-9}, "rtol"), ({"atol": 0.0}, "atol"),
     ({"rtol": float("nan")}, "rtol")],
)
def test_bad_tolerances(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        propagate_cowell(ECC_STATE, ET0, [ET0 + 60.0], **kwargs)


def test_unsorted_epochs_and_bad_state():
    with pytest.raises(ParameterError, match="sorted"):
        propagate_cowell(ECC_STATE, ET0, [ET0 + 120.0, ET0 + 60.0])
    with pytest.raises(ParameterError, match="state0"):
        propagate_cowell(ECC_STATE[:5], ET0, [ET0 + 60.0])
    with pytest.raises(ParameterError, match="below the Mars surface"):
        propagate_cowell([3000.0, 0, 0, 0, 3.0, 0], ET0, [ET0 + 60.0])


def test_one_compiled_integrator_for_every_force_model():
    # The force-model tuple has one numba type whatever the model holds (the Sun's DE440
    # records are read-only, the placeholders of a model without the Sun were writable:
    # two ~20 s compilations of the integrator), and whatever state array is passed.
    s0 = np.array([[3396.19 + 400.0, 0.0, 0.0, 0.0, 3.36, 0.1]] * 2).T[:, 0]  # strided
    et = ET0 + np.array([0.0, 600.0])
    propagate_cowell(s0, ET0, et, ForceModel.point_mass())
    propagate_cowell(np.ascontiguousarray(s0), ET0, et, ForceModel(sun=True),
                     stop_at_surface=np.bool_(True))
    assert len(it.integrate.signatures) == 1
