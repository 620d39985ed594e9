"""Mean-element propagation with the secular J2 rates (for long planning runs).

Theory: the first-order secular part of Brouwer's (1959, AJ 64:378) and Kozai's (1959,
AJ 64:367) artificial-satellite theory, as given in Vallado (2013) sec. 9.6, eqs. 9-41..9-43,
and Curtis (2020) eqs. 4.52-4.53. With ``n = sqrt(mu / a^3)``, ``p = a (1 - e^2)``,
``eta = sqrt(1 - e^2)`` and ``k = (3/2) J2 (R/p)^2 n``::

    d(RAAN)/dt = -k cos i                                  (nodal regression)
    d(argp)/dt = (k/2) (5 cos^2 i - 1)                     (apsidal precession)
    dM/dt      = n + (k/2) eta (3 cos^2 i - 1)             (mean-anomaly drift)

a, e and i are constant (J2 has no first-order secular effect on them). The elements are
taken as *mean* elements relative to the Mars equator (J2's symmetry axis is the Mars pole,
which is why areo's elements are referred to the IAU_MARS pole). The short-period terms
(amplitude of order J2 (R/a)^2 a, a few km at Mars) are not added back, so positions differ
from an osculating J2 orbit by a few km, without growth, when the mean elements are right.

Starting from an osculating state, the one term that matters for growth is the mean
semi-major axis (it sets the along-track rate). ``osculating_to_mean_sma`` removes its
first-order short-period part (Kozai 1959, from energy conservation)::

    a_osc - a_mean = (J2 R^2 / a) [ (1 - 3/2 sin^2 i) ((a/r)^3 - eta^-3)
                                    + 3/2 sin^2 i (a/r)^3 cos 2u ]

with ``u = argp + nu`` the argument of latitude. The remaining elements are used as given.
Velocities are the exact time derivative of these positions (the precessing ellipse: motion
at dM/dt plus the apsidal and nodal rotations), so that Hermite interpolation of sampled
states (e.g. a CCSDS OEM) reproduces the positions. They are not the two-body velocity on the
mean ellipse (which differs by ~ J2 n a, 2-7 m/s at Mars).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo._numba import inp, run
from areo.orbits import _kernels as _k

__all__ = ["j2_secular_rates", "osculating_to_mean_sma", "propagate_j2mean"]

#: Orbit x epoch cells from which the propagation splits over threads (~0.1 us per cell).
_PARALLEL_MIN = 5000


def j2_secular_rates(
    a: Any, e: Any, inc: Any, mu: Any, j2: float, r_ref: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Secular rates (rad/s) of RAAN, argument of pericentre and mean anomaly under J2.

    ``a`` km, ``inc`` rad, ``mu`` km^3/s^2, ``r_ref`` km (the radius J2 is normalised to).
    Open orbits (e >= 1 or a <= 0) give NaN.
    """
    a, e, inc, mu = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (a, e, inc, mu)))
    closed = (e < 1.0) & (a > 0.0)
    a_ = np.where(closed, a, 1.0)
    e_ = np.where(closed, e, 0.0)
    n = np.sqrt(mu / a_**3)
    p = a_ * (1.0 - e_ * e_)
    eta = np.sqrt(1.0 - e_ * e_)
    k = 1.5 * j2 * (r_ref / p) ** 2 * n
    c = np.cos(inc)
    raan_dot = -k * c
    argp_dot = 0.5 * k * (5.0 * c * c - 1.0)
    m_dot = n + 0.5 * k * eta * (3.0 * c * c - 1.0)
    nan = np.nan
    return (np.where(closed, raan_dot, nan), np.where(closed, argp_dot, nan),
            np.where(closed, m_dot, nan))


def osculating_to_mean_sma(
    a: Any, e: Any, inc: Any, argp: Any, nu: Any, j2: float, r_ref: float
) -> np.ndarray:
    """Mean semi-major axis (km) from osculating elements (Kozai 1959, first order in J2)."""
    a, e, inc, argp, nu = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (a, e, inc, argp, nu))
    )
    p = a * (1.0 - e * e)
    a_over_r3 = (a * (1.0 + e * np.cos(nu)) / p) ** 3
    s2 = np.sin(inc) ** 2
    eta3 = (1.0 - e * e) ** 1.5
    da = (j2 * r_ref**2 / a) * (
        (1.0 - 1.5 * s2) * (a_over_r3 - 1.0 / eta3)
        + 1.5 * s2 * a_over_r3 * np.cos(2.0 * (argp + nu))
    )
    return a - da


def propagate_j2mean(
    elems: np.ndarray,
    dt: np.ndarray,
    mu: np.ndarray,
    rot_to_icrf: np.ndarray,
    j2: float,
    r_ref: float,
) -> np.ndarray:
    """ICRF states ``(n, m, 6)`` of mean elements advanced by the J2 secular rates.

    ``elems`` (n, 6): a km, e, inc, raan, argp, M0 (rad) in each orbit's element frame;
    ``dt`` (n, m) seconds since each orbit's epoch; ``rot_to_icrf`` (n, 3, 3) element frame
    -> ICRF. Closed orbits only (the caller checks).
    """
    elems = inp(elems)
    rates = inp(np.stack(
        j2_secular_rates(elems[:, 0], elems[:, 1], elems[:, 2], mu, j2, r_ref), axis=-1
    ))
    n, m = np.shape(dt)
    out = np.empty((n, m, 6))
    run(_k.j2mean_states, n * m,
        (elems, rates, inp(dt), inp(mu), inp(rot_to_icrf), out), _PARALLEL_MIN)
    return out
