"""Gravity: zonal and spherical-harmonic accelerations vs independent potentials; SHADR."""

from __future__ import annotations

from math import factorial

import numpy as np
import pytest
from scipy.special import lpmv

from areo.errors import CatalogFileError
from areo.frames import icrf_to_iau_mars
from areo.orbits.numerical import ForceModel, GravityField, _forces, propagate_cowell, read_shadr
from tests.orbits_numerical.conftest import ET0, GM

R = 3396.0
# Degree-4 test field, GMM-3-like sizes (normalised), written as a SHADR file below.
COEFFS = {
    (2, 0): -8.7450547e-04, (2, 1): 3.0e-10, (2, 2): -8.46e-05,
    (3, 0): -1.189e-05, (3, 1): 3.98e-06, (3, 2): -1.59e-05, (3, 3): 3.5e-05,
    (4, 0): 5.13e-06, (4, 1): 4.2e-06, (4, 2): -9.5e-07, (4, 3): 6.4e-06, (4, 4): -1.2e-07,
}
SCOEFFS = {
    (2, 1): 2.5e-11, (2, 2): 4.9e-05, (3, 1): 2.5e-05, (3, 2): 8.5e-06, (3, 3): 2.5e-05,
    (4, 1): 3.7e-06, (4, 2): -8.9e-06, (4, 3): -2.8e-07, (4, 4): -1.3e-05,
}


def _write_shadr(path, normalised=True):
    lines = [f"{R:.16E}, {GM:.16E}, 2.8000000000000000E-04, 4, 4, "
             f"{1 if normalised else 0}, 0.0000000000000000E+00, 0.0000000000000000E+00"]
    for n in range(1, 5):
        for m in range(0, n + 1):
            c = COEFFS.get((n, m), 0.0)
            s = SCOEFFS.get((n, m), 0.0)
            if not normalised:
                f = np.sqrt((1 if m == 0 else 2) * (2 * n + 1) * factorial(n - m)
                            / factorial(n + m))
                c, s = c * f, s * f
            lines.append(f"{n:5d},{m:5d},{c: .16E},{s: .16E}, 1.0E-12, 1.0E-12")
    path.write_text("\n".join(lines) + "\n")


def _potential(r):
    """Independent non-central potential (scipy's lpmv has the Condon-Shortley phase: undone
    here)."""
    x, y, z = r
    rn = np.linalg.norm(r)
    sl, lon = z / rn, np.arctan2(y, x)
    u = 0.0
    for (n, m), c in COEFFS.items():
        s = SCOEFFS.get((n, m), 0.0)
        nn = np.sqrt((1 if m == 0 else 2) * (2 * n + 1) * factorial(n - m) / factorial(n + m))
        pnm = (-1) ** m * lpmv(m, n, sl) * nn
        u += GM / rn * (R / rn) ** n * pnm * (c * np.cos(m * lon) + s * np.sin(m * lon))
    return u


def _grad(fun, r, h=1e-3):
    return np.array([(fun(r + d) - fun(r - d)) / (2 * h) for d in np.eye(3) * h])


@pytest.mark.parametrize("normalised", [True, False])
def test_shadr_reader_and_field_vs_finite_differences(tmp_path, normalised):
    path = tmp_path / "test_sha.tab"
    _write_shadr(path, normalised)
    fld = read_shadr(path)
    assert fld.degree == 4 and fld.gm_km3s2 == GM and fld.radius_km == R
    assert fld.cbar[3, 2] == pytest.approx(COEFFS[(3, 2)], rel=1e-14)
    for r in (np.array([3700.0, 400.0, -900.0]), np.array([-1000.0, 2000.0, 3300.0]),
              np.array([10.0, -5.0, 3800.0])):
        a = fld.acceleration(r)
        g = _grad(_potential, r)
        # Finite differences of the independent potential: measured ~1e-10 relative.
        np.testing.assert_allclose(a, g, atol=1e-8 * np.linalg.norm(g))
        u_nc = fld.potential(r) - GM / np.linalg.norm(r)
        assert u_nc == pytest.approx(_potential(r), rel=1e-9)


def test_shadr_truncation_and_errors(tmp_path):
    path = tmp_path / "x.tab"
    _write_shadr(path)
    f2 = read_shadr(path, degree=2, order=0)
    assert f2.degree == 2 and f2.cbar[2, 2] == 0.0
    with pytest.raises(CatalogFileError, match="does not exist"):
        read_shadr(tmp_path / "none.tab")
    bad = tmp_path / "bad.tab"
    bad.write_text("not a header\n")
    with pytest.raises(CatalogFileError, match="header"):
        read_shadr(bad)


def test_zonal_acceleration_vs_finite_differences():
    # Zonal J2..J5 of the compiled RHS against FD of an independently written potential.
    jn = (1.96045e-3, 3.145e-5, -1.5e-5, 4.0e-6)
    fm = ForceModel(zonal=jn, radius_km=R)._pack(ET0, ET0 + 10.0)
    p = np.asarray(icrf_to_iau_mars(np.array([ET0]))).reshape(3, 3)[2]

    def pot(r):
        rn = np.linalg.norm(r)
        u = r @ p / rn
        total = 0.0
        for k, j in enumerate(jn):
            n = k + 2
            total -= j * (R / rn) ** n * np.polynomial.legendre.legval(u, [0] * n + [1])
        return GM / rn * total

    pts = np.array([[3700.0, 400.0, -900.0, 0, 0, 0], [-1000.0, 2000.0, 3300.0, 0, 0, 0],
                    [200.0, -300.0, 4000.0, 0, 0, 0]])
    out = np.empty((3, 3))
    _forces.accelerations(np.full(3, ET0), pts, fm, out)
    for k in range(3):
        r = pts[k, :3]
        a = out[k] + GM * r / np.linalg.norm(r) ** 3
        np.testing.assert_allclose(a, _grad(pot, r), rtol=1e-7, atol=1e-15)


def test_degree2_order0_field_equals_j2_model(tgo_state):
    j2 = 1.96045e-3
    fld = GravityField.from_zonal(GM, R, {2: j2})
    et = ET0 + np.arange(0.0, 7200.0, 600.0)
    a = propagate_cowell(tgo_state, ET0, et, ForceModel(field=fld), rtol=1e-12)
    b = propagate_cowell(tgo_state, ET0, et, ForceModel(zonal=(j2,), radius_km=R,
                                                        gm_km3s2=GM), rtol=1e-12)
    np.testing.assert_allclose(a.states[:, :3], b.states[:, :3], atol=1e-7)


def test_full_field_propagation_keeps_the_jacobi_integral(tmp_path, tgo_state, spice):
    """In a field that turns rigidly with Mars at rate omega, the Jacobi integral
    J = v^2/2 - GM/r - U_nc(M r) - omega . (r x v) is constant (the Jacobi integral of a
    uniformly rotating potential, e.g. Scheeres 2012, Orbital Motion in Strongly Perturbed
    Environments), while the inertial energy is not. U_nc is the independent
    potential above, M and omega (from dM/dt) SPICE's sxform with the IAU 2015 PCK.
    Measured over 1 h: J within 1.3e-9 km^2/s^2, the energy moving by 1.1e-4; the tolerance
    1e-7 (rel 2e-8 of |J|) sits between: a field not turned with Mars, or tesserals off in
    the propagation, break it. (Was: the degree-4 and degree-2 runs 1e-4 to 10 km apart.)"""
    path = tmp_path / "f.tab"
    _write_shadr(path)
    fld = read_shadr(path)
    et = ET0 + np.arange(0.0, 3600.0, 600.0)
    res = propagate_cowell(tgo_state, ET0, et, ForceModel(field=fld, degree=4, order=4))
    jacobi, energy = [], []
    for e, state in zip(et, res.states, strict=True):
        x = np.asarray(spice.sxform("J2000", "IAU_MARS", float(e)))
        m = x[:3, :3]
        w = m.T @ x[3:, :3]  # = -[omega x] for M = R^T, dR/dt = [omega x] R
        omega = -np.array([w[2, 1], w[0, 2], w[1, 0]])
        r, v = state[:3], state[3:]
        energy.append(0.5 * v @ v - GM / np.linalg.norm(r) - _potential(m @ r))
        jacobi.append(energy[-1] - omega @ np.cross(r, v))
    assert np.ptp(jacobi) < 1e-7
    assert np.ptp(energy) > 1e-5
    res2 = propagate_cowell(tgo_state, ET0, et, ForceModel(field=fld, degree=2, order=0))
    d = np.linalg.norm(res.states[-1, :3] - res2.states[-1, :3])
    assert d > 1e-3, d  # the tesserals do move the orbit (by metres in an hour)
