"""Compiled kernels of :mod:`areo.transfer`: Izzo's Lambert solver and the porkchop cell.

Plain functions on float64 arrays, no Python objects, so that numba compiles them once
(``cache=True``) and the friendly API in :mod:`areo.transfer.lambert` and
:mod:`areo.transfer.porkchop` only checks inputs and wraps results. The batch kernels are
serial ``nogil`` loops over ``[lo, hi)``, run through :func:`areo._numba.run` (serial for
small batches, chunks on threads for large ones); :func:`lambert_one` is called from both
with the same argument types (no literal constants), so it too compiles once.

Lambert's problem is solved with the algorithm of D. Izzo, "Revisiting Lambert's problem",
Celest. Mech. Dyn. Astr. 121:1-15 (2015), written here from the paper:

* non-dimensional time of flight ``T = sqrt(2 mu / s^3) tof`` with the semi-perimeter
  ``s = (|r1| + |r2| + c) / 2`` and chord ``c = |r2 - r1|``; geometry enters only through
  ``lambda = +-sqrt(1 - c/s)`` (negative for transfer angles above 180 deg);
* ``T(x)`` from Lancaster's expression, Battin's hypergeometric series near the parabola
  ``x = 1`` where Lancaster's form cancels catastrophically;
* the initial guesses of the paper's section 3 (eq. 30), and Householder's third-order
  iteration with the analytic derivatives ``T', T'', T'''`` (eq. 22);
* for N >= 1 revolutions, the minimum time ``T_min(N)`` found by Halley's method on
  ``T'(x) = 0``; a time below it has no N-revolution solution (status, never a silent NaN);
* velocities from ``x`` and ``y = sqrt(1 - lambda^2 (1 - x^2))`` (section 2, radial and
  tangential components).

Status codes (also :class:`areo.transfer.lambert.LambertStatus`): 0 converged, 1 no solution
for this number of revolutions (tof below the minimum), 2 iteration did not converge,
3 degenerate geometry (transfer plane undefined: 0 or 180 deg, coincident points), 4 bad
input (tof <= 0, zero or non-finite vectors).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

OK = 0
NO_SOLUTION = 1
NOT_CONVERGED = 2
DEGENERATE = 3
BAD_INPUT = 4

# |x - 1| below this uses Battin's series: Lancaster's form loses ~1e-16/|x-1| relative
# accuracy there, the series converges geometrically with ratio ~|x-1|.
_BATTIN_BAND = 0.01
# sin(transfer angle) below this: the transfer plane is numerically undefined (the rounding
# of r1 x r2 is ~1e-16, so its direction would be wrong by more than 1e-4 rad).
_PLANE_EPS = 1e-12
_MAX_ITER = 20
_TOL_X = 1e-9  # |dx| (relative for |x| > 1); cubic convergence leaves ~1e-27 after it
_PI = math.pi


@njit(cache=True)
def _hyp2f1_3_1_52(z: float) -> float:
    """Gauss hypergeometric 2F1(3, 1; 5/2; z) for |z| < 1 by its series."""
    res = 1.0
    term = 1.0
    n = 0
    while n < 200:
        term *= (3.0 + n) / (2.5 + n) * z
        res += term
        if abs(term) <= 1e-17 * abs(res):
            break
        n += 1
    return res


@njit(cache=True)
def tof_x(x: float, lam: float, m: int) -> float:
    """Non-dimensional time of flight T(x) for ``m`` full revolutions (Izzo 2015, eq. 18-20)."""
    omx2 = 1.0 - x * x
    y = math.sqrt(1.0 - lam * lam * omx2)
    if abs(x - 1.0) < _BATTIN_BAND:
        eta = y - lam * x
        s1 = 0.5 * (1.0 - lam - x * eta)
        q = 4.0 / 3.0 * _hyp2f1_3_1_52(s1)
        t = 0.5 * (eta * eta * eta * q + 4.0 * lam * eta)
        if m > 0:
            t += m * _PI / (omx2 * math.sqrt(omx2))
        return t
    if x < 1.0:
        sq = math.sqrt(omx2)
        psi = math.atan2((y - lam * x) * sq, x * y + lam * omx2)
        return ((psi + m * _PI) / sq - x + lam * y) / omx2
    sq = math.sqrt(-omx2)
    psi = math.asinh((y - lam * x) * sq)
    return (psi / sq - x + lam * y) / omx2


@njit(cache=True)
def _derivs(x: float, t: float, lam: float) -> tuple[float, float, float]:
    """dT/dx, d2T/dx2, d3T/dx3 (Izzo 2015, eq. 22)."""
    omx2 = 1.0 - x * x
    y = math.sqrt(1.0 - lam * lam * omx2)
    l2 = lam * lam
    l3 = l2 * lam
    y3 = y * y * y
    d1 = (3.0 * t * x - 2.0 + 2.0 * l3 * x / y) / omx2
    d2 = (3.0 * t + 5.0 * x * d1 + 2.0 * (1.0 - l2) * l3 / y3) / omx2
    d3 = (7.0 * x * d2 + 8.0 * d1 - 6.0 * (1.0 - l2) * l3 * l2 * x / (y3 * y * y)) / omx2
    return d1, d2, d3


@njit(cache=True)
def tmin_x(lam: float, m: int) -> tuple[float, float, bool]:
    """(x, T) of the minimum time of flight for m >= 1 revolutions, and convergence flag.

    Halley's method on T'(x) = 0 from x = 0 (Izzo 2015, section 3.1).
    """
    x = 0.0
    t = tof_x(x, lam, m)
    for _ in range(_MAX_ITER):
        d1, d2, d3 = _derivs(x, t, lam)
        den = 2.0 * d2 * d2 - d1 * d3
        if den == 0.0:
            break
        xn = x - 2.0 * d1 * d2 / den
        if xn <= -1.0:
            xn = 0.5 * (x - 1.0)
        elif xn >= 1.0:
            xn = 0.5 * (x + 1.0)
        step = abs(xn - x)
        x = xn
        t = tof_x(x, lam, m)
        if step < 1e-13:
            return x, t, True
    return x, t, False


@njit(cache=True)
def solve_x(lam: float, tt: float, m: int, right: bool) -> tuple[float, int, int]:
    """Root x of T(x) = tt for m revolutions on the left/right branch.

    Returns (x, status, iterations).
    """
    t0 = math.acos(lam) + lam * math.sqrt(1.0 - lam * lam)  # T(x=0), m = 0
    if m == 0:
        t1 = 2.0 / 3.0 * (1.0 - lam * lam * lam)  # parabola, x = 1
        if tt >= t0:
            x = (t0 / tt) ** (2.0 / 3.0) - 1.0
        elif tt < t1:
            x = 2.5 * t1 * (t1 - tt) / (tt * (1.0 - lam ** 5)) + 1.0
        else:
            # Interpolates x = 0 at T0 and x = 1 at T1 with a power law in T.
            x = (tt / t0) ** (math.log(2.0) / math.log(t1 / t0)) - 1.0
        lo = -1.0
        hi = math.inf
    else:
        t00 = t0 + m * _PI
        if tt < t00:
            _xm, tm, _ok = tmin_x(lam, m)
            if tt < tm:
                return math.nan, NO_SOLUTION, 0
        if right:
            g = (8.0 * tt / (m * _PI)) ** (2.0 / 3.0)
        else:
            g = ((m * _PI + _PI) / (8.0 * tt)) ** (2.0 / 3.0)
        x = (g - 1.0) / (g + 1.0)
        lo = -1.0
        hi = 1.0
    if abs(1.0 - x * x) < 1e-12:  # derivatives are 0/0 exactly at the parabola
        x -= 1e-6
    for it in range(1, _MAX_ITER + 1):
        t = tof_x(x, lam, m)
        f = t - tt
        d1, d2, d3 = _derivs(x, t, lam)
        d1s = d1 * d1
        den = d1 * (d1s - f * d2) + d3 * f * f / 6.0
        if den == 0.0 or not math.isfinite(den):
            return x, (OK if f == 0.0 else NOT_CONVERGED), it
        xn = x - f * (d1s - 0.5 * f * d2) / den
        # Keep the iterate in the branch's domain: halve the way to the violated bound.
        if xn <= lo:
            xn = 0.5 * (x + lo)
        elif xn >= hi:
            xn = 0.5 * (x + hi)
        step = abs(xn - x)
        x = xn
        if step < _TOL_X * max(1.0, abs(x)):
            return x, OK, it
    return x, NOT_CONVERGED, _MAX_ITER


@njit(cache=True)
def lambert_one(
    r1x: float, r1y: float, r1z: float, r2x: float, r2y: float, r2z: float,
    tof: float, mu: float, m: int, right: bool, prograde: bool,
    refx: float, refy: float, refz: float, out: np.ndarray,
) -> tuple[int, int, float, float]:
    """Solve one problem; writes v1, v2 (km/s) into ``out[0:6]``.

    Returns (status, iterations, x, lambda). ``prograde`` means angular momentum along the
    reference axis ``ref`` (e.g. the ecliptic pole); the sign of lambda tells type I
    (lambda >= 0, transfer angle < 180 deg) from type II.
    """
    for k in range(6):
        out[k] = math.nan
    r1n = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    r2n = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    if not (tof > 0.0 and mu > 0.0 and r1n > 0.0 and r2n > 0.0
            and math.isfinite(tof) and math.isfinite(r1n) and math.isfinite(r2n)):
        return BAD_INPUT, 0, math.nan, math.nan
    cx = r2x - r1x
    cy = r2y - r1y
    cz = r2z - r1z
    c = math.sqrt(cx * cx + cy * cy + cz * cz)
    s = 0.5 * (r1n + r2n + c)
    u1x = r1x / r1n
    u1y = r1y / r1n
    u1z = r1z / r1n
    u2x = r2x / r2n
    u2y = r2y / r2n
    u2z = r2z / r2n
    hx = u1y * u2z - u1z * u2y
    hy = u1z * u2x - u1x * u2z
    hz = u1x * u2y - u1y * u2x
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    if hn < _PLANE_EPS or c == 0.0:
        return DEGENERATE, 0, math.nan, math.nan
    hx /= hn
    hy /= hn
    hz /= hn
    lam2 = 1.0 - c / s
    lam = math.sqrt(max(lam2, 0.0))
    # Tangential unit vectors along the motion: ih x ir for motion about ih.
    if hx * refx + hy * refy + hz * refz < 0.0:
        lam = -lam
        t1x = u1y * hz - u1z * hy
        t1y = u1z * hx - u1x * hz
        t1z = u1x * hy - u1y * hx
        t2x = u2y * hz - u2z * hy
        t2y = u2z * hx - u2x * hz
        t2z = u2x * hy - u2y * hx
    else:
        t1x = hy * u1z - hz * u1y
        t1y = hz * u1x - hx * u1z
        t1z = hx * u1y - hy * u1x
        t2x = hy * u2z - hz * u2y
        t2y = hz * u2x - hx * u2z
        t2z = hx * u2y - hy * u2x
    if not prograde:
        lam = -lam
        t1x = -t1x
        t1y = -t1y
        t1z = -t1z
        t2x = -t2x
        t2y = -t2y
        t2z = -t2z
    tt = math.sqrt(2.0 * mu / (s * s * s)) * tof
    x, status, iters = solve_x(lam, tt, m, right)
    if status == NO_SOLUTION:
        return status, iters, x, lam
    y = math.sqrt(1.0 - lam * lam * (1.0 - x * x))
    gamma = math.sqrt(0.5 * mu * s)
    rho = (r1n - r2n) / c
    sigma = math.sqrt(max(1.0 - rho * rho, 0.0))
    a = lam * y - x
    b = lam * y + x
    vr1 = gamma * (a - rho * b) / r1n
    vr2 = -gamma * (a + rho * b) / r2n
    vt = gamma * sigma * (y + lam * x)
    vt1 = vt / r1n
    vt2 = vt / r2n
    out[0] = vr1 * u1x + vt1 * t1x
    out[1] = vr1 * u1y + vt1 * t1y
    out[2] = vr1 * u1z + vt1 * t1z
    out[3] = vr2 * u2x + vt2 * t2x
    out[4] = vr2 * u2y + vt2 * t2y
    out[5] = vr2 * u2z + vt2 * t2z
    return status, iters, x, lam


@njit(cache=True, nogil=True)
def lambert_batch(r1, r2, tof, mu, revs, right, prograde, ref, v1, v2, status, iters, ttype,
                  lo, hi):
    """Solve problems ``lo:hi`` of n; all arrays 1-D (n) or (n, 3), already broadcast.

    ``ttype`` receives the transfer type 2N+1 (angle < 180 deg) or 2N+2 (> 180 deg).
    """
    buf = np.empty(6)
    for i in range(lo, hi):
        st, it, _x, lam = lambert_one(
            r1[i, 0], r1[i, 1], r1[i, 2], r2[i, 0], r2[i, 1], r2[i, 2], tof[i], mu[i],
            revs[i], right[i], prograde[i], ref[0], ref[1], ref[2], buf,
        )
        for k in range(3):
            v1[i, k] = buf[k]
            v2[i, k] = buf[3 + k]
        status[i] = st
        iters[i] = it
        if st == BAD_INPUT or st == DEGENERATE:
            ttype[i] = 0
        else:
            ttype[i] = 2 * revs[i] + (1 if lam >= 0.0 else 2)


@njit(cache=True)
def _hyperbola_dv(vinf2: float, mu: float, rp: float, vp_orbit: float) -> float:
    """Impulse at pericentre radius rp between a hyperbola of v-infinity^2 ``vinf2`` and an
    orbit whose pericentre speed is ``vp_orbit`` (vis-viva; tangential burn)."""
    return math.sqrt(vinf2 + 2.0 * mu / rp) - vp_orbit


@njit(cache=True, nogil=True)
def porkchop_grid(
    et_l, earth, et_u, mars, pole, idx, mu, ref, max_revs, select, prograde,
    mu_e, r_park, mu_m, r_cap, vp_cap,
    c3, vinf_a, dla, rla, dap, dv_dep, dv_cap, revs_out, ttype_out, status_out, lo, hi,
):
    """Fill a (nL, nA) porkchop: launch epochs ``et_l`` with Earth states ``earth`` (nL, 6);
    arrival cell (i, j) uses Mars state ``mars[idx[i, j]]`` at ``et_u[idx[i, j]]`` and the
    Mars pole unit vector ``pole[idx[i, j]]`` (ICRF). Every branch up to ``max_revs``
    revolutions is solved and the best by ``select`` (0 C3, 1 arrival v-inf, 2 total
    delta-v) is kept. Angles in degrees (outputs for tables); speeds km/s; C3 km^2/s^2.
    ``prograde`` (True for the porkchop) is an argument, not a literal, so that
    :func:`lambert_one` keeps the signature :func:`lambert_batch` gives it. Fills the cells
    ``lo:hi`` of the row-major (nL, nA) grid.
    """
    n_a = idx.shape[1]
    nb = 2 * max_revs + 1
    rad = 180.0 / math.pi
    v_park = math.sqrt(mu_e / r_park)
    buf = np.empty(6)
    for k in range(lo, hi):
        i = k // n_a
        j = k - i * n_a
        u = idx[i, j]
        best = math.inf
        b_c3 = math.nan
        b_va = math.nan
        b_dx = math.nan
        b_dy = math.nan
        b_dz = math.nan
        b_ax = math.nan
        b_ay = math.nan
        b_az = math.nan
        b_rev = -1
        b_type = 0
        b_status = NO_SOLUTION
        tof = et_u[u] - et_l[i]
        if not tof > 0.0:
            b_status = BAD_INPUT
            nbr = 0
        else:
            nbr = nb
        for b in range(nbr):
            m = (b + 1) // 2
            st, _it, _x, lam = lambert_one(
                earth[i, 0], earth[i, 1], earth[i, 2], mars[u, 0], mars[u, 1], mars[u, 2],
                tof, mu, m, b > 0 and b % 2 == 0, prograde, ref[0], ref[1], ref[2], buf,
            )
            if st != OK:
                if b == 0:
                    b_status = st
                if st == DEGENERATE or st == BAD_INPUT:
                    break
                continue
            dx = buf[0] - earth[i, 3]
            dy = buf[1] - earth[i, 4]
            dz = buf[2] - earth[i, 5]
            ax = buf[3] - mars[u, 3]
            ay = buf[4] - mars[u, 4]
            az = buf[5] - mars[u, 5]
            cc3 = dx * dx + dy * dy + dz * dz
            va2 = ax * ax + ay * ay + az * az
            if select == 0:
                score = cc3
            elif select == 1:
                score = va2
            else:
                score = (_hyperbola_dv(cc3, mu_e, r_park, v_park)
                         + _hyperbola_dv(va2, mu_m, r_cap, vp_cap))
            if score < best:
                best = score
                b_c3 = cc3
                b_va = va2
                b_dx = dx
                b_dy = dy
                b_dz = dz
                b_ax = ax
                b_ay = ay
                b_az = az
                b_rev = m
                b_type = 2 * m + (1 if lam >= 0.0 else 2)
                b_status = OK
        c3[i, j] = b_c3
        status_out[i, j] = b_status
        revs_out[i, j] = b_rev
        ttype_out[i, j] = b_type
        if b_status == OK:
            vd = math.sqrt(b_c3)
            va = math.sqrt(b_va)
            vinf_a[i, j] = va
            dla[i, j] = math.asin(min(1.0, max(-1.0, b_dz / vd))) * rad
            ang = math.atan2(b_dy, b_dx) * rad
            rla[i, j] = ang + 360.0 if ang < 0.0 else ang
            sd = (b_ax * pole[u, 0] + b_ay * pole[u, 1] + b_az * pole[u, 2]) / va
            dap[i, j] = math.asin(min(1.0, max(-1.0, sd))) * rad
            dv_dep[i, j] = _hyperbola_dv(b_c3, mu_e, r_park, v_park)
            dv_cap[i, j] = _hyperbola_dv(b_va, mu_m, r_cap, vp_cap)
        else:
            vinf_a[i, j] = math.nan
            dla[i, j] = math.nan
            rla[i, j] = math.nan
            dap[i, j] = math.nan
            dv_dep[i, j] = math.nan
            dv_cap[i, j] = math.nan
