"""Shared helpers for the orbit tests: an independent J2 integrator (scipy DOP853).

Nothing here is areo code: the J2 acceleration is typed from Vallado (2013) eq. 8-30
(the gradient of -mu J2 R^2 / (2 r^3) (3 sin^2(lat) - 1)) in a frame whose z axis is the
body's pole.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

MU_MARS = 42828.375816  # km^3/s^2, JPL DE440 Mars system GM (Park et al. 2021)
R_MARS = 3396.19  # km, IAU 2015 equatorial radius
J2_MARS = 1.96045e-3  # NSSDC Mars fact sheet, with R = 3396.19 km


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


def integrate(rhs, y0, t_eval, rtol=1e-12, atol=1e-12):
    sol = solve_ivp(rhs, (t_eval[0], t_eval[-1]), y0, method="DOP853", t_eval=t_eval,
                    rtol=rtol, atol=atol)
    assert sol.success
    return sol.y.T
