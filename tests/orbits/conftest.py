"""Shared helpers for the orbit tests: an independent J2 integrator (scipy DOP853).

Nothing here is areo code: the J2 acceleration is typed from Vallado (2013) eq. 8-30
(the gradient of -mu J2 R^2 / (2 r^3) (3 sin^2(lat) - 1)) in a frame whose z axis is the
body's pole; the J3 term is the gradient of -mu J3 R^3 / (2 r^4) (5 sin^3(lat) - 3 sin(lat))
(Curtis, Orbital Mechanics for Engineering Students, 3rd ed., eq. 12.30 with J3).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

MU_MARS = 42828.375816  # km^3/s^2, JPL DE440 Mars system GM (Park et al. 2021)
R_MARS = 3396.19  # km, IAU 2015 equatorial radius
J2_MARS = 1.96045e-3  # NSSDC Mars fact sheet, with R = 3396.19 km
# Unnormalised J3 = -C30 of the MRO110B field (Konopliv et al. 2011, Icarus 211:401:
# normalised C30 = -1.189e-5, x sqrt(7)), at its reference radius 3396.0 km
J3_MARS, R_J3_MARS = 3.145e-5, 3396.0


@pytest.fixture(scope="session")
def orbit_json_keys():
    """The keys every orbit record (``Orbit.to_dict``, ``areo orbit --json``) carries."""
    return {"epoch", "period_s", "sma_km", "ecc", "inc_deg", "raan_deg", "argp_deg",
            "mean_anomaly_deg", "raan_rate_deg_per_day", "argp_rate_deg_per_day",
            "orbits_per_sol"}


def two_body_rhs(mu):
    def rhs(_t, y):
        r = y[:3]
        return np.concatenate([y[3:], -mu * r / np.linalg.norm(r) ** 3])

    return rhs


def j2_rhs(mu, j2, r_ref):
    def rhs(_t, y):
        x, yy, z = y[:3]
        r2 = x * x + yy * yy + z * z
        r = np.sqrt(r2)
        k = 1.5 * j2 * (r_ref * r_ref / r2)
        zz = 5.0 * z * z / r2
        f = -mu / (r2 * r)
        acc = np.array([f * x * (1 + k * (1 - zz)), f * yy * (1 + k * (1 - zz)),
                        f * z * (1 + k * (3 - zz))])
        return np.concatenate([y[3:], acc])

    return rhs


def j2_j3_rhs(mu, j2, r_j2, j3, r_j3):
    """Point mass + J2 + J3 in the pole frame (z along the body's pole)."""
    rhs_j2 = j2_rhs(mu, j2, r_j2)

    def rhs(t, y):
        out = rhs_j2(t, y)
        x, yy, z = y[:3]
        r2 = x * x + yy * yy + z * z
        c = 2.5 * j3 * mu * r_j3**3 / r2**3.5
        out[3:] += [c * x * (7 * z**3 / r2 - 3 * z), c * yy * (7 * z**3 / r2 - 3 * z),
                    -c * (6 * z * z - 7 * z**4 / r2 - 0.6 * r2)]
        return out

    return rhs


def integrate(rhs, y0, t_eval, rtol=1e-12, atol=1e-12):
    sol = solve_ivp(rhs, (t_eval[0], t_eval[-1]), y0, method="DOP853", t_eval=t_eval,
                    rtol=rtol, atol=atol)
    assert sol.success
    return sol.y.T
