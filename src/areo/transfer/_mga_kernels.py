"""Compiled kernels of the gravity-assist models (:mod:`areo.transfer.mga`): planetary flybys
in the patched-conic (zero sphere of influence) model, one row per trajectory.

Unpowered flyby (Vasile & De Pascale 2006, J. Spacecraft Rockets 43(6):1065; the MGA-1DSM
encoding of Izzo 2010, "Global optimization and space pruning for spacecraft trajectory
design", ch. 7 of Conway (ed.), Spacecraft Trajectory Optimization): the incoming
planet-relative velocity ``v_in`` is turned by ``delta = 2 asin(1 / e)`` with the hyperbola's
eccentricity ``e = 1 + rp |v_in|^2 / mu``, in the plane set by the angle ``beta`` about
``v_in`` measured from the axis ``b2 = v_in x v_planet`` (normalised); ``b3 = b1 x b2``::

    v_out = |v_in| (cos(delta) b1 + cos(beta) sin(delta) b2 + sin(beta) sin(delta) b3)

Powered flyby (one impulse at pericentre, as in the MGA problems of ESA's GTOP set): the
incoming and outgoing v-infinities ``v_in``, ``v_out`` (magnitudes ``a``, ``b``) at an angle
``alpha`` are joined by two hyperbolic halves with a common pericentre ``rp`` where
``asin(1/e_in) + asin(1/e_out) = alpha`` (``e = 1 + rp v^2 / mu``); the impulse is
``|sqrt(b^2 + 2 mu/rp) - sqrt(a^2 + 2 mu/rp)|``. The left side decreases monotonically in
``rp``, so the root is bracketed between ``rp_min`` and a radius where the turn is below
``alpha``. When even ``rp_min`` cannot turn by ``alpha`` the flyby is made at ``rp_min`` and
the missing angle ``alpha - delta_max`` is paid by an extra impulse rotating ``v_out``:
``2 b sin((alpha - delta_max) / 2)`` (a realisable upper bound, so the penalty is a real ΔV).

Serial ``nogil`` loops over ``[lo, hi)`` (``areo._numba.run``), one signature each.
"""

from __future__ import annotations

import math

from numba import njit

__all__ = ["flyby_powered", "flyby_unpowered"]

_MAX_ITER = 60


@njit(cache=True, nogil=True)
def flyby_unpowered(v_in, v_pla, rp, beta, mu, v_out, turn, lo, hi):
    """Rows ``lo:hi``: heliocentric ``v_in`` (n, 3), planet velocity ``v_pla`` (n, 3),
    pericentre radius ``rp`` (n,) km, plane angle ``beta`` (n,) rad, planet GM ``mu`` (n,);
    writes the heliocentric ``v_out`` (n, 3) and the turn angle ``turn`` (n,) rad."""
    for i in range(lo, hi):
        ax = v_in[i, 0] - v_pla[i, 0]
        ay = v_in[i, 1] - v_pla[i, 1]
        az = v_in[i, 2] - v_pla[i, 2]
        a2 = ax * ax + ay * ay + az * az
        a = math.sqrt(a2)
        e = 1.0 + rp[i] * a2 / mu[i]
        delta = 2.0 * math.asin(1.0 / e)
        b1x = ax / a
        b1y = ay / a
        b1z = az / a
        # b2 = b1 x v_planet, normalised
        cx = b1y * v_pla[i, 2] - b1z * v_pla[i, 1]
        cy = b1z * v_pla[i, 0] - b1x * v_pla[i, 2]
        cz = b1x * v_pla[i, 1] - b1y * v_pla[i, 0]
        cn = math.sqrt(cx * cx + cy * cy + cz * cz)
        b2x = cx / cn
        b2y = cy / cn
        b2z = cz / cn
        b3x = b1y * b2z - b1z * b2y
        b3y = b1z * b2x - b1x * b2z
        b3z = b1x * b2y - b1y * b2x
        cd = math.cos(delta)
        sd = math.sin(delta)
        cb = math.cos(beta[i])
        sb = math.sin(beta[i])
        v_out[i, 0] = v_pla[i, 0] + a * (cd * b1x + cb * sd * b2x + sb * sd * b3x)
        v_out[i, 1] = v_pla[i, 1] + a * (cd * b1y + cb * sd * b2y + sb * sd * b3y)
        v_out[i, 2] = v_pla[i, 2] + a * (cd * b1z + cb * sd * b2z + sb * sd * b3z)
        turn[i] = delta


@njit(cache=True)
def _turn(rp: float, a2: float, b2: float, mu: float) -> float:
    return math.asin(1.0 / (1.0 + rp * a2 / mu)) + math.asin(1.0 / (1.0 + rp * b2 / mu))


@njit(cache=True, nogil=True)
def flyby_powered(vin, vout, mu, rp_min, dv, rp, miss, lo, hi):
    """Rows ``lo:hi``: planet-relative incoming and outgoing v-infinity vectors ``vin``,
    ``vout`` (n, 3) km/s, planet GM ``mu`` (n,), minimum pericentre ``rp_min`` (n,) km.
    Writes the impulse ``dv`` (n,) km/s (pericentre burn plus, when the turn cannot be made
    above ``rp_min``, the rotation impulse), the pericentre ``rp`` (n,) km and the angle
    missed ``miss`` (n,) rad (0 when the flyby is feasible)."""
    for i in range(lo, hi):
        a2 = vin[i, 0] ** 2 + vin[i, 1] ** 2 + vin[i, 2] ** 2
        b2 = vout[i, 0] ** 2 + vout[i, 1] ** 2 + vout[i, 2] ** 2
        a = math.sqrt(a2)
        b = math.sqrt(b2)
        dot = vin[i, 0] * vout[i, 0] + vin[i, 1] * vout[i, 1] + vin[i, 2] * vout[i, 2]
        alpha = math.acos(min(1.0, max(-1.0, dot / (a * b))))
        m = mu[i]
        r_lo = rp_min[i]
        dmax = _turn(r_lo, a2, b2, m)
        if dmax <= alpha:
            r = r_lo
            miss[i] = alpha - dmax
            extra = 2.0 * b * math.sin(0.5 * (alpha - dmax))
        else:
            # Bracket [r_lo, r_hi] with turn(r_hi) < alpha, then bisection in log(rp)
            # refined by secant steps (the turn is smooth and monotonic in log rp).
            r_hi = 2.0 * r_lo
            k = 0
            while _turn(r_hi, a2, b2, m) > alpha and k < 200:
                r_lo = r_hi
                r_hi *= 2.0
                k += 1
            lo_l = math.log(r_lo)
            hi_l = math.log(r_hi)
            f_lo = _turn(r_lo, a2, b2, m) - alpha
            f_hi = _turn(r_hi, a2, b2, m) - alpha
            x = hi_l
            for _ in range(_MAX_ITER):
                # Illinois-style regula falsi keeps the bracket and converges superlinearly.
                x = hi_l - f_hi * (hi_l - lo_l) / (f_hi - f_lo)
                fx = _turn(math.exp(x), a2, b2, m) - alpha
                if fx == 0.0 or abs(hi_l - lo_l) < 1e-14:
                    break
                if (fx > 0.0) == (f_lo > 0.0):
                    lo_l = x
                    f_lo = fx
                    f_hi *= 0.5
                else:
                    hi_l = x
                    f_hi = fx
                    f_lo *= 0.5
                if abs(fx) < 1e-15:
                    break
            r = math.exp(x)
            miss[i] = 0.0
            extra = 0.0
        rp[i] = r
        dv[i] = abs(math.sqrt(b2 + 2.0 * m / r) - math.sqrt(a2 + 2.0 * m / r)) + extra
