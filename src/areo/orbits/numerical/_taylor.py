"""Compiled Taylor-series integrator for Mars gravity: point mass + zonal harmonics J_2..J_N.

The method is the variable-step, fixed-order Taylor method of Jorba & Zou, "A software
package for the numerical integration of ODEs by means of high-order Taylor methods",
*Experimental Mathematics* 14 (2005) 99-117: the Taylor coefficients of the solution are
computed by automatic differentiation (recurrences for products, powers and linear
combinations), the order and the step come from the tolerance and the last two coefficients.

Contract (what :func:`integrate` promises)
-----------------------------------------
- The ODE: ``r'' = mu s^3 (CR - 1) r - mu s^2 CP p(t)`` with ``s = 1/|r|``, ``u = (r.p)/|r|``,
  ``CR = sum_n J_n (R s)^n P'_{n+1}(u)`` and ``CP = sum_n J_n (R s)^n P'_n(u)`` (n = 2..N):
  the same zonal acceleration as :func:`areo.orbits.numerical._forces.zonal_acceleration`.
  The pole ``p(t)`` is the force model's table (frozen or IAU), taken *linear in time over
  each step* (its value and the slope of its table segment at the step's start): the table
  is piecewise linear between nodes a day apart, so this differs from the table by the
  change of slope at a node times the overshoot, ~1e-20 rad for the IAU pole.
- Recurrences at order k (normalised coefficients ``x[k] = x^(k)(t)/k!``): products
  ``(ab)[k] = sum_j a[j] b[k-j]``; the power ``g = f^alpha`` from ``g' f = alpha f' g``:
  ``g[k] = sum_{j<k} (alpha (k-j) - j) f[k-j] g[j] / (k f[0])``; the Legendre derivatives
  from Bonnet's recursion ``n P_n = (2n-1) u P_{n-1} - (n-1) P_{n-2}`` and ``P'_{n+1} =
  (n+1) P_n + u P'_n``; the sums over degree by Horner's rule in ``R s``; then
  ``v[k+1] = a[k]/(k+1)``, ``r[k+1] = v[k]/(k+1)``: true divisions, each correctly
  rounded; a multiplication by a rounded ``1/(k+1)`` errs the same way at every step, a
  bias that grew to 2.8 cm over the 10^5 steps of a Mars year.
- Order and step (Jorba & Zou, section 3.2): with ``eps = min(rtol, atol)``, the order is
  ``p = ceil(-ln(eps)/2 + 1)``; per step, with ``|.|`` the max norm over the 6 state
  components, relative control when ``rtol |y| > atol`` (``rho_j = (|y| / |y[j]|)^(1/j)``),
  absolute otherwise (``rho_j = (1 / |y[j]|)^(1/j)``), and
  ``h = min(rho_{p-1}, rho_p) / e^2 * exp(-0.7 / (p - 1))``, capped by ``hmax``. The last
  kept term is then ~``eps`` times the state: rtol/atol are *local* (per-step) tolerances,
  and the global error grows with the number of steps, as with the DOP853 path.
- Compensated (Kahan) summation of the state update and of the time: the rounding of the
  additions ``y + dy`` and ``t + h`` does not accumulate over the ~10^5 steps of a long run.
  Time runs relative to ``t0`` (so that 1e9 s of absolute epoch costs no precision).
- Dense output: a requested epoch inside a step is the step's Taylor polynomial evaluated
  there (Horner): as accurate as the step itself, no extra right-hand side.
- Surface impact: as :mod:`._integrator`: altitude checked at each step's end, the crossing
  located on the step's polynomial by the Illinois method to 1e-6 s.
- Failures: status 3 after ``max_steps`` steps; a step that is not finite or shorter than
  ``1e-12 s`` (a collision with the centre) is status 2.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from areo._numba import NO_REFCOUNT
from areo.orbits.numerical._forces import (
    I_NTAB,
    I_NZONAL,
    P_GM,
    P_RREF,
    P_TAB_DT,
    P_TAB_T0,
    altitude,
)
from areo.orbits.numerical._integrator import (
    IMPACT,
    REACHED_END,
    STEP_TOO_SMALL,
    TOO_MANY_STEPS,
    illinois_update,
)

__all__ = ["integrate", "order_for", "work_rows"]

_HOT = {"cache": True, "inline": "always", **NO_REFCOUNT}

# Rows of the coefficient work array (each row one series, columns the orders 0..p).
_X = 0  # 0, 1, 2: position
_V = 3  # 3, 4, 5: velocity
_R2, _S, _ZP, _U, _S2, _S3, _CR, _CP, _F, _G, _UU = 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
_BASE = 17
#: Rows of the small state array handed to :func:`integrate`: y, Kahan compensation, the
#: step's increment, two scratch states, the pole and its rate.
STATE_ROWS = 6


def order_for(rtol: float, atol: float) -> int:
    """Taylor order of Jorba & Zou for the tolerance: ``ceil(-ln(eps)/2 + 1)``, at least 2."""
    eps = min(rtol, atol)
    return max(2, math.ceil(-0.5 * math.log(eps) + 1.0))


def work_rows(nzonal: int) -> int:
    """Rows of the coefficient work array for zonal degrees up to ``nzonal`` (0: none)."""
    n = max(nzonal, 2)
    # P_0..P_N, D_1..D_{N+1}, and two Horner series per degree 2..N.
    return _BASE + (n + 1) + (n + 1) + 2 * (n - 1)


@njit(**_HOT)
def _conv(w, a, b, k):
    """Order k of the product of rows a and b."""
    acc = 0.0
    for j in range(k + 1):
        acc += w[a, j] * w[b, k - j]
    return acc


@njit(**_HOT)
def _sq(w, a, k):
    """Order k of the square of row a (the symmetric product, half the work)."""
    acc = 0.0
    for j in range((k + 1) // 2):
        acc += w[a, j] * w[a, k - j]
    acc *= 2.0
    if k % 2 == 0:
        acc += w[a, k // 2] * w[a, k // 2]
    return acc


@njit(**_HOT)
def _conv2(w, a1, b1, a2, b2, k):
    """Orders k of the products a1 b1 and a2 b2 in one loop (two independent sums: the
    additions of one overlap those of the other)."""
    acc1 = 0.0
    acc2 = 0.0
    for j in range(k + 1):
        acc1 += w[a1, j] * w[b1, k - j]
        acc2 += w[a2, j] * w[b2, k - j]
    return acc1, acc2


@njit(cache=True, **NO_REFCOUNT)
def _pole_and_rate(t, fm, pr):
    """Pole (pr[0:3]) and its rate (pr[3:6], rad/s) on the table segment holding ``t``."""
    prm = fm[1]
    tab = fm[3]
    ntab = fm[0][I_NTAB]
    dt = prm[P_TAB_DT]
    u = (t - prm[P_TAB_T0]) / dt
    kk = math.floor(u)
    if kk < 0:
        kk = 0
    elif kk > ntab - 2:
        kk = ntab - 2
    f = u - kk
    for i in range(3):
        a = tab[kk, i]
        b = tab[kk + 1, i]
        pr[i] = a + f * (b - a)
        pr[3 + i] = (b - a) / dt


@njit(cache=True, **NO_REFCOUNT)
def coefficients(y, pr, order, nz, jn, gm, rref, w):
    """Taylor coefficients 0..order of r (rows 0-2) and v (rows 3-5) of ``w`` at state y.

    ``pr`` (6,): pole and pole rate; ``nz``: highest zonal degree (0: point mass); ``jn``
    the J_n by degree.
    """
    n_top = nz if nz >= 2 else 0
    p_row = _BASE  # P_n at p_row + n, n = 0..N
    d_row = _BASE + max(nz, 2) + 1  # D_n = P'_n at d_row + n - 1, n = 1..N+1
    hr_row = d_row + max(nz, 2) + 1  # Horner series of CR at hr_row + n - 2, n = 2..N
    hp_row = hr_row + max(nz, 2) - 1  # and of CP
    for i in range(6):
        w[i, 0] = y[i]
    for k in range(order):
        # |r|^2 (three sums in one loop) and s = |r|^-1 (power -1/2 of |r|^2)
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range((k + 1) // 2):
            ax += w[_X, j] * w[_X, k - j]
            ay += w[_X + 1, j] * w[_X + 1, k - j]
            az += w[_X + 2, j] * w[_X + 2, k - j]
        acc = 2.0 * (ax + ay + az)
        if k % 2 == 0:
            h = k // 2
            acc += (w[_X, h] * w[_X, h] + w[_X + 1, h] * w[_X + 1, h]
                    + w[_X + 2, h] * w[_X + 2, h])
        w[_R2, k] = acc
        if k == 0:
            w[_S, 0] = 1.0 / math.sqrt(acc)
        else:
            acc = 0.0
            acc_b = 0.0
            for j in range(0, k - 1, 2):
                acc += (-0.5 * (k - j) - j) * w[_R2, k - j] * w[_S, j]
                acc_b += (-0.5 * (k - j - 1) - j - 1) * w[_R2, k - j - 1] * w[_S, j + 1]
            if k % 2 == 1:
                acc += (-0.5 - (k - 1)) * w[_R2, 1] * w[_S, k - 1]
            w[_S, k] = (acc + acc_b) / (k * w[_R2, 0])
        # r.p with p linear in time
        zp = pr[0] * w[_X, k] + pr[1] * w[_X + 1, k] + pr[2] * w[_X + 2, k]
        if k > 0:
            zp += pr[3] * w[_X, k - 1] + pr[4] * w[_X + 1, k - 1] + pr[5] * w[_X + 2, k - 1]
        w[_ZP, k] = zp
        w[_S2, k] = _sq(w, _S, k)
        s3, u = _conv2(w, _S2, _S, _ZP, _S, k)
        w[_S3, k] = s3
        d0 = 1.0 if k == 0 else 0.0
        if n_top >= 2:
            w[_U, k] = u
            uu = _sq(w, _U, k)
            w[_UU, k] = uu
            w[p_row, k] = d0
            w[p_row + 1, k] = w[_U, k]
            w[p_row + 2, k] = 1.5 * uu - 0.5 * d0
            w[d_row, k] = d0
            w[d_row + 1, k] = 3.0 * w[_U, k]
            w[d_row + 2, k] = 3.0 * w[p_row + 2, k] + 3.0 * uu
            for n in range(3, n_top + 1):
                w[p_row + n, k] = ((2 * n - 1) * _conv(w, _U, p_row + n - 1, k)
                                   - (n - 1) * w[p_row + n - 2, k]) / n
                w[d_row + n, k] = (n + 1) * w[p_row + n, k] + _conv(w, _U, d_row + n - 1, k)
            # Horner in R s from the top degree down to 2.
            w[hr_row + n_top - 2, k] = jn[n_top] * w[d_row + n_top, k]
            w[hp_row + n_top - 2, k] = jn[n_top] * w[d_row + n_top - 1, k]
            for n in range(n_top - 1, 1, -1):
                w[hr_row + n - 2, k] = (jn[n] * w[d_row + n, k]
                                        + rref * _conv(w, _S, hr_row + n - 1, k))
                w[hp_row + n - 2, k] = (jn[n] * w[d_row + n - 1, k]
                                        + rref * _conv(w, _S, hp_row + n - 1, k))
            r2 = rref * rref
            cr, cp = _conv2(w, _S2, hr_row, _S2, hp_row, k)
            w[_CR, k] = r2 * cr
            w[_CP, k] = r2 * cp
            f, g = _conv2(w, _S3, _CR, _S2, _CP, k)
            w[_F, k] = gm * (f - w[_S3, k])
            w[_G, k] = gm * g
        else:
            w[_F, k] = -gm * w[_S3, k]
            w[_G, k] = 0.0
        g0 = w[_G, k]
        g1 = w[_G, k - 1] if k > 0 else 0.0
        # Divide, not multiply by a rounded 1/(k+1): that rounding would be the same at
        # every step, a bias that accumulates linearly (measured: 2.8 cm over 687 d).
        kp1 = k + 1.0
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(k + 1):
            f = w[_F, j]
            ax += f * w[_X, k - j]
            ay += f * w[_X + 1, k - j]
            az += f * w[_X + 2, k - j]
        w[_V, k + 1] = (ax - g0 * pr[0] - g1 * pr[3]) / kp1
        w[_V + 1, k + 1] = (ay - g0 * pr[1] - g1 * pr[4]) / kp1
        w[_V + 2, k + 1] = (az - g0 * pr[2] - g1 * pr[5]) / kp1
        for i in range(3):
            w[_X + i, k + 1] = w[_V + i, k] / kp1


@njit(**_HOT)
def _eval(w, order, dt, out, row):
    """The step's polynomial at ``dt`` from its start into ``out[row]`` (without order 0)."""
    for i in range(6):
        acc = w[i, order]
        for k in range(order - 1, 0, -1):
            acc = acc * dt + w[i, k]
        out[row, i] = acc * dt


# Fused multiply-adds allowed (more accurate, not less): the dense output is most of the
# work of a run with many output epochs. Not inlined: the flag must not reach the Kahan sums.
@njit(cache=True, fastmath={"contract"}, **NO_REFCOUNT)
def _dense_block(w, order, tout, t0, tau, iout, n_end, y, comp, out):
    """``out[iout:n_end]``: the step's polynomial at ``tout - t0 - tau`` (time since the
    step's start) plus the step's starting state, minus its Kahan compensation."""
    for j in range(iout, n_end):
        dt = (tout[j] - t0) - tau
        # Six independent Horner chains: the multiply-add latency overlaps.
        a0 = w[0, order]
        a1 = w[1, order]
        a2 = w[2, order]
        a3 = w[3, order]
        a4 = w[4, order]
        a5 = w[5, order]
        for k in range(order - 1, 0, -1):
            a0 = a0 * dt + w[0, k]
            a1 = a1 * dt + w[1, k]
            a2 = a2 * dt + w[2, k]
            a3 = a3 * dt + w[3, k]
            a4 = a4 * dt + w[4, k]
            a5 = a5 * dt + w[5, k]
        out[j, 0] = y[0] + (a0 * dt - comp[0])
        out[j, 1] = y[1] + (a1 * dt - comp[1])
        out[j, 2] = y[2] + (a2 * dt - comp[2])
        out[j, 3] = y[3] + (a3 * dt - comp[3])
        out[j, 4] = y[4] + (a4 * dt - comp[4])
        out[j, 5] = y[5] + (a5 * dt - comp[5])


@njit(cache=True, **NO_REFCOUNT)
def _locate_impact(t_abs, h, w, order, st, fm, tmp):
    """Offset in [0, h] (signed) where the altitude on the step's polynomial crosses zero."""
    a_lo, b_hi = 0.0, 1.0
    f_lo = altitude(t_abs, st[0], fm)
    _eval(w, order, h, tmp, 0)
    for i in range(6):
        tmp[0, i] += st[0, i]
    f_hi = altitude(t_abs + h, tmp[0], fm)
    side = 0
    tol = 1e-6 / abs(h)
    for it in range(200):
        if b_hi - a_lo <= tol:
            break
        m = (a_lo * f_hi - b_hi * f_lo) / (f_hi - f_lo)
        # Bisect when the secant leaves the bracket or creeps from one side.
        if not (a_lo < m < b_hi) or it > 60:
            m = 0.5 * (a_lo + b_hi)
        _eval(w, order, m * h, tmp, 0)
        for i in range(6):
            tmp[0, i] += st[0, i]
        fv = altitude(t_abs + m * h, tmp[0], fm)
        if fv == 0.0:
            a_lo = b_hi = m
            break
        a_lo, b_hi, f_lo, f_hi, side = illinois_update(a_lo, b_hi, f_lo, f_hi, side, m, fv)
    return 0.5 * (a_lo + b_hi) * h


@njit(cache=True, nogil=True, **NO_REFCOUNT)
def integrate(y0, t0, tout, rtol, atol, hmax, max_steps, stop_at_surface, fm, order, out,
              event, w, st):
    """Integrate from ``(t0, y0)`` through the epochs ``tout`` (monotonic away from t0).

    As :func:`areo.orbits.numerical._integrator.integrate` (same arguments, outputs and
    status codes) for a force model of point mass + zonals; ``order`` from
    :func:`order_for`, ``w`` (work_rows(N), order + 1) and ``st`` (STATE_ROWS, 6) work
    space. Returns ``(n_written, status, n_steps, n_rhs, n_rejected)``; ``n_rhs`` counts the
    Taylor expansions (one per step), n_rejected is 0 (a Taylor step is never rejected).
    """
    n = tout.shape[0]
    if n == 0:
        return 0, REACHED_END, 0, 0, 0
    prm = fm[1]
    gm = prm[P_GM]
    rref = prm[P_RREF]
    nz = fm[0][I_NZONAL]
    jn = fm[2]
    t_end = tout[n - 1] - t0
    direction = 1.0 if t_end >= 0.0 else -1.0
    y = st[0]
    comp = st[1]
    tmp = st[2:5]
    pr = st[5]
    for i in range(6):
        y[i] = y0[i]
        comp[i] = 0.0
    iout = 0
    while iout < n and tout[iout] == t0:
        for i in range(6):
            out[iout, i] = y0[i]
        iout += 1
    if iout == n:
        return n, REACHED_END, 0, 0, 0
    tau = 0.0  # time since t0, Kahan-compensated by tcomp (true time = tau - tcomp)
    tcomp = 0.0
    n_steps = 0
    safety = math.exp(-2.0) * math.exp(-0.7 / (order - 1))
    while True:
        if n_steps >= max_steps:
            return iout, TOO_MANY_STEPS, n_steps, n_steps, 0
        t_abs = t0 + tau
        _pole_and_rate(t_abs, fm, pr)
        coefficients(y, pr, order, nz, jn, gm, rref, w)
        n_steps += 1
        ymax = 0.0
        for i in range(6):
            ymax = max(ymax, abs(y[i]))
        scale = ymax if rtol * ymax > atol else 1.0
        h = np.inf
        for j in (order - 1, order):
            cmax = 0.0
            for i in range(6):
                cmax = max(cmax, abs(w[i, j]))
            if cmax > 0.0:
                h = min(h, (scale / cmax) ** (1.0 / j))
        h = min(h * safety, hmax)
        if not (h >= 1e-12):
            return iout, STEP_TOO_SMALL, n_steps, n_steps, 0
        rem = (t_end - (tau - tcomp)) * direction
        last = h >= rem
        if last:
            h = rem
        hs = direction * h
        # Step end, Kahan-compensated.
        _eval(w, order, hs, tmp, 0)
        impact = False
        if stop_at_surface:
            for i in range(6):
                tmp[2, i] = y[i] + tmp[0, i]
            if altitude(t_abs + hs, tmp[2], fm) < 0.0:
                hs = _locate_impact(t_abs, hs, w, order, st, fm, st[4:5])
                _eval(w, order, hs, tmp, 2)
                event[0] = t_abs + hs
                for i in range(6):
                    event[1 + i] = y[i] + (tmp[2, i] - comp[i])
                impact = True
        # Dense output inside (tau, tau + hs]; the last epoch of the run is the step's end.
        t_stop = (tau - tcomp) + hs
        n_end = iout
        while n_end < n and ((tout[n_end] - t0) - t_stop) * direction <= 0.0:
            n_end += 1
        if last and not impact and n_end == n:
            n_end -= 1
        if n_end > iout:
            _dense_block(w, order, tout, t0, tau - tcomp, iout, n_end, y, comp, out)
            iout = n_end
        if impact:
            return iout, IMPACT, n_steps, n_steps, 0
        for i in range(6):
            d = tmp[0, i] - comp[i]
            s = y[i] + d
            comp[i] = (s - y[i]) - d
            y[i] = s
        if last and not impact and iout == n - 1:
            for i in range(6):
                out[iout, i] = y[i] - comp[i]
            iout = n
        d = hs - tcomp
        s = tau + d
        tcomp = (s - tau) - d
        tau = s
        if last or iout >= n:
            return iout, REACHED_END, n_steps, n_steps, 0
