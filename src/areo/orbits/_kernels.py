"""Compiled two-body kernels on plain arrays (km, km/s, s, rad). No units, no objects.

The friendly layer (:mod:`areo.orbits.orbit`, :mod:`areo.orbits.elements`) checks inputs,
handles frames and epochs and calls these. Everything here is written from the textbooks:

- Elements <-> state: Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed.
  (2013), Algorithms 9 (RV2COE) and 10 (COE2RV); Curtis, *Orbital Mechanics for Engineering
  Students*, Algorithms 4.2 and 4.5. Angles here come from ``atan2`` of a sine/cosine pair
  built with the unit angular momentum, so no quadrant tests are needed.
- Kepler's equation: Danby's starter ``E0 = M + 0.85 e sign(sin M)`` (Danby 1987, Celest.
  Mech. 40:303) and Halley iterations; the residual is written as
  ``(1 - e) E + e (E - sin E) - M`` with a series for ``E - sin E`` so that near-parabolic
  orbits close to pericentre do not lose digits to cancellation.
- Universal variables: Vallado Algorithm 8 (KEPLER) with Stumpff functions c2, c3 (Battin,
  *An Introduction to the Mathematics and Methods of Astrodynamics*, 1999, ch. 4), solved
  with the Laguerre-Conway iteration (Conway 1986, Celest. Mech. 39:199), which converges
  from poor starts where Newton can overshoot on hyperbolas.

The batch kernels are serial, ``nogil`` loops over an index range ``[lo, hi)`` of their
output rows, called through :func:`areo._numba.run` (one call for small batches, contiguous
chunks on threads for large ones) with normalised arguments, so each compiles once.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from areo.frames import iau_angles_one

_TWO_PI = 2.0 * math.pi
# Below these, an orbit is treated as circular / equatorial: the node or pericentre is then
# undefined and the angle is folded into the next one (argument of latitude, true longitude).
_CIRCULAR_E = 1e-11
_EQUATORIAL = 1e-11


@njit(cache=True)
def x_minus_sin(x: float) -> float:
    """``x - sin(x)`` without cancellation for small ``x``."""
    if abs(x) > 0.5:
        return x - math.sin(x)
    # Taylor series x^3/3! - x^5/5! + ...: 9 terms reach 1e-17 relative at |x| = 0.5.
    x2 = x * x
    term = x * x2 / 6.0
    total = term
    for k in range(1, 10):
        term *= -x2 / ((2 * k + 2) * (2 * k + 3))
        total += term
    return total


@njit(cache=True)
def sinh_minus_x(x: float) -> float:
    """``sinh(x) - x`` without cancellation for small ``x``."""
    if abs(x) > 0.5:
        return math.sinh(x) - x
    x2 = x * x
    term = x * x2 / 6.0
    total = term
    for k in range(1, 10):
        term *= x2 / ((2 * k + 2) * (2 * k + 3))
        total += term
    return total


@njit(cache=True)
def mod_2pi(x: float) -> float:
    """Angle in [0, 2 pi): ``x % 2pi`` can round up to 2 pi itself for tiny negative x."""
    r = x % _TWO_PI
    return r - _TWO_PI if r >= _TWO_PI else r


@njit(cache=True)
def wrap_pi(x: float) -> float:
    """Angle in [-pi, pi)."""
    return (x + math.pi) % _TWO_PI - math.pi


@njit(cache=True)
def kepler_elliptic(m: float, e: float) -> float:
    """Eccentric anomaly E (rad, same revolution as M) from mean anomaly M, for 0 <= e < 1."""
    mr = wrap_pi(m)
    base = m - mr
    if e == 0.0:
        return m
    s = 1.0 if math.sin(mr) >= 0.0 else -1.0
    ea = mr + 0.85 * e * s
    for _ in range(60):
        se = math.sin(ea)
        ce = math.cos(ea)
        # The cancellation-free residual matters only near e = 1 and E = 0.
        if e > 0.9 and abs(ea) < 0.5:
            f = (1.0 - e) * ea + e * x_minus_sin(ea) - mr
        else:
            f = ea - e * se - mr
        fp = 1.0 - e * ce
        fpp = e * se
        # Halley step: cubic convergence, and it damps Newton's overshoot where f' -> 0.
        d = f / fp
        step = d / (1.0 - 0.5 * d * fpp / fp)
        ea -= step
        # Halley converges cubically: a step below 1e-10 leaves an error below 1e-20.
        if abs(step) <= 1e-10:
            break
    return ea + base


@njit(cache=True)
def kepler_hyperbolic(m: float, e: float) -> float:
    """Hyperbolic anomaly H from hyperbolic mean anomaly M = e sinh H - H, for e > 1."""
    if m == 0.0:
        return 0.0
    s = 1.0 if m > 0.0 else -1.0
    am = abs(m)
    # Start right of the root where possible: f is convex for H > 0, so Newton then
    # descends monotonically; from the left, one step lands on the right.
    h = math.log(2.0 * am / e + 1.8)
    for _ in range(200):
        f = (e - 1.0) * h + e * sinh_minus_x(h) - am
        step = f / (e * math.cosh(h) - 1.0)
        h -= step
        if h <= 0.0:
            h = 1e-9 * am
        if abs(step) <= 4e-16 * max(1.0, h):
            break
    return s * h


@njit(cache=True)
def true_from_mean(m: float, e: float) -> float:
    """True anomaly (rad) from mean anomaly (elliptic, parabolic Barker, or hyperbolic)."""
    if e < 1.0:
        ea = kepler_elliptic(m, e)
        # nu - E lies in (-pi, pi): keep the revolution count of E.
        nu = 2.0 * math.atan2(math.sqrt(1.0 + e) * math.sin(0.5 * ea),
                              math.sqrt(1.0 - e) * math.cos(0.5 * ea))
        return ea + wrap_pi(nu - ea)
    if e == 1.0:
        # Barker's equation M = D + D^3/3 with D = tan(nu/2): closed-form cubic root.
        w = 1.5 * m
        y = (w + math.sqrt(w * w + 1.0)) ** (1.0 / 3.0)
        return 2.0 * math.atan(y - 1.0 / y)
    h = kepler_hyperbolic(m, e)
    return 2.0 * math.atan(math.sqrt((e + 1.0) / (e - 1.0)) * math.tanh(0.5 * h))


@njit(cache=True)
def mean_from_true(nu: float, e: float) -> float:
    """Mean anomaly from true anomaly; continuous across revolutions for ellipses."""
    if e < 1.0:
        nur = wrap_pi(nu)
        base = nu - nur
        ea = 2.0 * math.atan2(math.sqrt(1.0 - e) * math.sin(0.5 * nur),
                              math.sqrt(1.0 + e) * math.cos(0.5 * nur))
        return base + (1.0 - e) * ea + e * x_minus_sin(ea)
    if e == 1.0:
        d = math.tan(0.5 * nu)
        return d + d * d * d / 3.0
    h = 2.0 * math.atanh(math.sqrt((e - 1.0) / (e + 1.0)) * math.tan(0.5 * nu))
    return (e - 1.0) * h + e * sinh_minus_x(h)


@njit(cache=True)
def _coe2rv_one(p, e, inc, raan, argp, nu, mu, out):
    cn = math.cos(nu)
    sn = math.sin(nu)
    r = p / (1.0 + e * cn)
    vf = math.sqrt(mu / p)
    xp = r * cn
    yp = r * sn
    vxp = -vf * sn
    vyp = vf * (e + cn)
    co, so = math.cos(raan), math.sin(raan)
    cw, sw = math.cos(argp), math.sin(argp)
    ci, si = math.cos(inc), math.sin(inc)
    # Columns P and Q of the perifocal-to-inertial matrix R3(-raan) R1(-inc) R3(-argp).
    p1 = co * cw - so * sw * ci
    p2 = so * cw + co * sw * ci
    p3 = sw * si
    q1 = -co * sw - so * cw * ci
    q2 = -so * sw + co * cw * ci
    q3 = cw * si
    out[0] = p1 * xp + q1 * yp
    out[1] = p2 * xp + q2 * yp
    out[2] = p3 * xp + q3 * yp
    out[3] = p1 * vxp + q1 * vyp
    out[4] = p2 * vxp + q2 * vyp
    out[5] = p3 * vxp + q3 * vyp


@njit(cache=True, nogil=True)
def coe2rv(p, e, inc, raan, argp, nu, mu, out, lo, hi):
    """Rows ``lo:hi`` of the states ``out`` (n, 6) from semi-latus rectum p (km), e, inc,
    raan, argp, true anomaly (rad) and mu, all (n,)."""
    for k in range(lo, hi):
        _coe2rv_one(p[k], e[k], inc[k], raan[k], argp[k], nu[k], mu[k], out[k])


@njit(cache=True)
def _rv2coe_one(s, mu, out):
    _rv2coe_values(s[0], s[1], s[2], s[3], s[4], s[5], mu, out)


@njit(cache=True)
def _rv2coe_values(rx, ry, rz, vx, vy, vz, mu, out):
    # scalars in: rv2coe's read-only rows and state_to_elements' rotated state share one
    # signature
    r = math.sqrt(rx * rx + ry * ry + rz * rz)
    v2 = vx * vx + vy * vy + vz * vz
    hx = ry * vz - rz * vy
    hy = rz * vx - rx * vz
    hz = rx * vy - ry * vx
    h = math.sqrt(hx * hx + hy * hy + hz * hz)
    ux, uy, uz = hx / h, hy / h, hz / h
    rv = rx * vx + ry * vy + rz * vz
    ex = ((v2 - mu / r) * rx - rv * vx) / mu
    ey = ((v2 - mu / r) * ry - rv * vy) / mu
    ez = ((v2 - mu / r) * rz - rv * vz) / mu
    e = math.sqrt(ex * ex + ey * ey + ez * ez)
    p = h * h / mu
    # a from p and e keeps digits for near-parabolic orbits where energy ~ 0.
    a = p / (1.0 - e * e) if abs(1.0 - e) > 1e-12 else math.inf
    # atan2 rather than acos(uz): acos loses half the digits near 0 and 180 deg.
    inc = math.atan2(math.sqrt(ux * ux + uy * uy), uz)
    # Node vector n = z x h.
    nx, ny = -hy, hx
    nn = math.sqrt(nx * nx + ny * ny)
    equatorial = nn <= _EQUATORIAL * h
    circular = e <= _CIRCULAR_E
    if equatorial:
        raan = 0.0
        nx, ny, nn = 1.0, 0.0, 1.0
    else:
        raan = math.atan2(ny, nx)
    # Angle from a to b in the orbit plane, in the direction of motion: atan2((a x b).u, a.b)
    if circular:
        argp = 0.0
        cx = ny * rz
        cy = -nx * rz
        cz = nx * ry - ny * rx
        nu = math.atan2(cx * ux + cy * uy + cz * uz, nx * rx + ny * ry)
    else:
        cx = ny * ez
        cy = -nx * ez
        cz = nx * ey - ny * ex
        argp = math.atan2(cx * ux + cy * uy + cz * uz, nx * ex + ny * ey)
        cx = ey * rz - ez * ry
        cy = ez * rx - ex * rz
        cz = ex * ry - ey * rx
        nu = math.atan2(cx * ux + cy * uy + cz * uz, ex * rx + ey * ry + ez * rz)
    out[0] = p
    out[1] = a
    out[2] = e
    out[3] = inc
    out[4] = mod_2pi(raan)
    out[5] = mod_2pi(argp)
    out[6] = mod_2pi(nu) if e < 1.0 else nu
    out[7] = mod_2pi(mean_from_true(out[6], e)) if e < 1.0 else mean_from_true(nu, e)


@njit(cache=True, nogil=True)
def rv2coe(states, mu, out, lo, hi):
    """Rows ``lo:hi`` of ``out`` (n, 8): classical elements of states (n, 6), columns p, a,
    e, inc, raan, argp, nu, M (rad).

    Circular orbits: argp = 0 and nu is the argument of latitude from the node; equatorial
    orbits: raan = 0 and the angles count from the reference x axis. Hyperbolas: a < 0,
    nu in (-pi, pi), M the hyperbolic mean anomaly; parabolas: a = inf, M Barker's.
    """
    for k in range(lo, hi):
        _rv2coe_one(states[k], mu[k], out[k])


@njit(cache=True, nogil=True)
def true_from_mean_vec(m, e, out, lo, hi):
    for k in range(lo, hi):
        out[k] = true_from_mean(m[k], e[k])


@njit(cache=True, nogil=True)
def mean_from_true_vec(nu, e, out, lo, hi):
    for k in range(lo, hi):
        out[k] = mean_from_true(nu[k], e[k])


# ---------------------------------------------------------------- universal variables


@njit(cache=True)
def stumpff(psi: float) -> tuple[float, float]:
    """Stumpff functions c2(psi), c3(psi) (Battin 1999 sec. 4.5), cancellation-free."""
    if psi > 0.1:
        s = math.sqrt(psi)
        hs = math.sin(0.5 * s)
        if s > 0.5:
            # sin s from the half angle: one sin/cos pair instead of two sines.
            return 2.0 * hs * hs / psi, (s - 2.0 * hs * math.cos(0.5 * s)) / (s * psi)
        return 2.0 * hs * hs / psi, x_minus_sin(s) / (s * psi)
    if psi < -0.1:
        s = math.sqrt(-psi)
        hs = math.sinh(0.5 * s)
        return -2.0 * hs * hs / psi, sinh_minus_x(s) / (s * -psi)
    # Series c2 = sum (-psi)^k/(2k+2)!, c3 = sum (-psi)^k/(2k+3)!; 8 terms: < 1e-17 at 0.1.
    c2 = 0.0
    c3 = 0.0
    t2 = 0.5
    t3 = 1.0 / 6.0
    for k in range(8):
        c2 += t2
        c3 += t3
        t2 *= -psi / ((2 * k + 3) * (2 * k + 4))
        t3 *= -psi / ((2 * k + 4) * (2 * k + 5))
    return c2, c3


@njit(cache=True)
def _uv_constants(s0, mu, c):
    """Per-orbit constants of the universal-variable solve, stored in ``c`` (10,)."""
    rx, ry, rz, vx, vy, vz = s0[0], s0[1], s0[2], s0[3], s0[4], s0[5]
    r0 = math.sqrt(rx * rx + ry * ry + rz * rz)
    v2 = vx * vx + vy * vy + vz * vz
    sq_mu = math.sqrt(mu)
    alpha = 2.0 / r0 - v2 / mu  # 1/a
    sigma0 = (rx * vx + ry * vy + rz * vz) / sq_mu
    c[0] = r0
    c[1] = sq_mu
    c[2] = alpha
    c[3] = sigma0
    c[4] = 0.0
    c[5] = 0.0
    c[6] = 0.0
    c[7] = 0.0
    c[8] = 0.0
    if alpha > 1e-12:
        sq_a = 1.0 / math.sqrt(alpha)
        n = sq_mu * alpha * math.sqrt(alpha)
        ecos = 1.0 - r0 * alpha
        esin = sigma0 * math.sqrt(alpha)
        e0 = math.atan2(esin, ecos)
        c[4] = _TWO_PI / n  # period
        c[5] = n
        c[6] = sq_a
        c[7] = e0  # eccentric anomaly at epoch
        c[8] = e0 - esin  # mean anomaly at epoch
        c[9] = math.sqrt(ecos * ecos + esin * esin)  # e


@njit(cache=True)
def _kepler_delta_e(s0, c, dt, out):
    """Ellipse: the universal-variable equation with chi = sqrt(a) dE (Battin 1999 sec.
    4.5: for psi > 0 the Stumpff functions are trigonometric), solved for dE directly::

        n dt = dE - (e cos E0) sin dE + (e sin E0)(1 - cos dE)

    with Halley steps (one sin/cos pair each) from Danby's starter for the final E.
    """
    rx, ry, rz, vx, vy, vz = s0[0], s0[1], s0[2], s0[3], s0[4], s0[5]
    r0 = c[0]
    a = c[6] * c[6]
    n = c[5]
    ecos = 1.0 - r0 / a
    esin = c[3] / c[6]
    # The state repeats every period: fold dt into (-T/2, T/2] so that months of
    # propagation cost and lose no more than minutes.
    period = c[4]
    dt = dt - period * math.floor(dt / period + 0.5)
    ndt = n * dt
    mw = wrap_pi(c[8] + ndt)
    eg = mw + (0.85 * c[9] if mw >= 0.0 else -0.85 * c[9])
    # dE - n dt = e (sin E - sin E0) lies within 2e of 0: pick that branch of the guess.
    x = ndt + wrap_pi(eg - c[7] - ndt)
    sx = math.sin(x)
    cx = math.cos(x)
    for _ in range(60):
        g = x - ecos * sx + esin * (1.0 - cx) - ndt
        gp = 1.0 - ecos * cx + esin * sx
        gpp = ecos * sx + esin * cx
        d = g / gp
        step = d / (1.0 - 0.5 * d * gpp / gp)
        x -= step
        if abs(step) <= 1e-10:
            # Cubic convergence: x is now exact to ~1e-20; update sin/cos to first order.
            sx, cx = sx - step * cx, cx + step * sx
            break
        sx = math.sin(x)
        cx = math.cos(x)
    r = a * (1.0 - ecos * cx + esin * sx)
    omc = 1.0 - cx
    f = 1.0 - a / r0 * omc
    g = dt - (x - sx) / n
    fd = -c[1] * c[6] * sx / (r * r0)  # -sqrt(mu a) sin dE / (r r0)
    gd = 1.0 - a / r * omc
    out[0] = f * rx + g * vx
    out[1] = f * ry + g * vy
    out[2] = f * rz + g * vz
    out[3] = fd * rx + gd * vx
    out[4] = fd * ry + gd * vy
    out[5] = fd * rz + gd * vz


@njit(cache=True)
def _kepler_uv_one(s0, c, dt, mu, out):
    rx, ry, rz, vx, vy, vz = s0[0], s0[1], s0[2], s0[3], s0[4], s0[5]
    r0, sq_mu, alpha, sigma0 = c[0], c[1], c[2], c[3]
    if dt == 0.0:
        for i in range(6):
            out[i] = s0[i]
        return
    if alpha > 1e-12:
        _kepler_delta_e(s0, c, dt, out)
        return
    if alpha < -1e-12:
        a = 1.0 / alpha
        sgn = 1.0 if dt > 0.0 else -1.0
        arg = (-2.0 * mu * alpha * dt) / (
            sigma0 * sq_mu + sgn * math.sqrt(-mu * a) * (1.0 - r0 * alpha))
        chi = sgn * math.sqrt(-a) * math.log(arg) if arg > 0.0 else sq_mu * dt / r0
    else:
        chi = sq_mu * dt / r0
    one_m_ar0 = 1.0 - alpha * r0
    # Laguerre-Conway with n = 5 on F(chi) = sigma0 chi^2 c2 + (1 - alpha r0) chi^3 c3
    # + r0 chi - sqrt(mu) dt, whose derivative is the radius r > 0.
    for _ in range(60):
        psi = chi * chi * alpha
        c2, c3 = stumpff(psi)
        chi2 = chi * chi
        f = sigma0 * chi2 * c2 + one_m_ar0 * chi2 * chi * c3 + r0 * chi - sq_mu * dt
        r = chi2 * c2 + sigma0 * chi * (1.0 - psi * c3) + r0 * (1.0 - psi * c2)
        dr = sigma0 * (1.0 - psi * c2) + one_m_ar0 * chi * (1.0 - psi * c3)
        disc = 16.0 * r * r - 20.0 * f * dr
        root = math.sqrt(abs(disc))
        den = r + root if r >= 0.0 else r - root
        step = 5.0 * f / den
        chi -= step
        # Convergence is cubic: after a relative step below 1e-11 the error is ~1e-16.
        if abs(step) <= 1e-11 * max(1.0, abs(chi)):
            break
    psi = chi * chi * alpha
    c2, c3 = stumpff(psi)
    chi2 = chi * chi
    r = chi2 * c2 + sigma0 * chi * (1.0 - psi * c3) + r0 * (1.0 - psi * c2)
    f = 1.0 - chi2 * c2 / r0
    g = dt - chi2 * chi * c3 / sq_mu
    gd = 1.0 - chi2 * c2 / r
    fd = sq_mu * chi * (psi * c3 - 1.0) / (r * r0)
    out[0] = f * rx + g * vx
    out[1] = f * ry + g * vy
    out[2] = f * rz + g * vz
    out[3] = fd * rx + gd * vx
    out[4] = fd * ry + gd * vy
    out[5] = fd * rz + gd * vz


@njit(cache=True, nogil=True)
def kepler_uv(states0, dt, mu, out, lo, hi):
    """Two-body states ``out`` (n, m, 6) of n initial states (n, 6) after dt (n, m) seconds.

    Fills the cells ``lo:hi`` of the flattened orbit x epoch grid, so that one orbit with
    many epochs splits over threads as well as many orbits with few; each orbit's constants
    are computed once per call.
    """
    m = dt.shape[1]
    consts = np.empty(10)
    cur = -1
    for idx in range(lo, hi):
        i = idx // m
        j = idx - i * m
        if i != cur:
            _uv_constants(states0[i], mu[i], consts)
            cur = i
        _kepler_uv_one(states0[i], consts, dt[i, j], mu[i], out[i, j])


# ---------------------------------------------------------------- J2 mean elements


@njit(cache=True)
def kepler_sincos(mr: float, e: float) -> tuple[float, float, float]:
    """E, sin E, cos E for a mean anomaly mr in [-pi, pi) (Danby start, Halley steps).

    The last step is below 1e-10, so sin and cos of the final E follow from those of the
    previous iterate to first order (error < 1e-20) without another sin/cos pair.
    """
    ea = mr + (0.85 * e if mr >= 0.0 else -0.85 * e)
    se = math.sin(ea)
    ce = math.cos(ea)
    for _ in range(60):
        if e > 0.9 and abs(ea) < 0.5:
            f = (1.0 - e) * ea + e * x_minus_sin(ea) - mr
        else:
            f = ea - e * se - mr
        fp = 1.0 - e * ce
        d = f / fp
        step = d / (1.0 - 0.5 * d * e * se / fp)
        ea -= step
        if abs(step) <= 1e-10:
            se, ce = se - step * ce, ce + step * se
            break
        se = math.sin(ea)
        ce = math.cos(ea)
    return ea, se, ce


@njit(cache=True, nogil=True)
def j2mean_states(elems, rates, dt, mu, rot, out, lo, hi):
    """States ``out`` (n, m, 6) in ICRF from mean elements advanced by secular rates, for
    the cells ``lo:hi`` of the flattened orbit x epoch grid.

    ``elems`` (n, 6): a, e, inc, raan, argp, M0 in the body-equator frame (km, rad);
    ``rates`` (n, 3): d(raan)/dt, d(argp)/dt, dM/dt (rad/s); ``dt`` (n, m) s since epoch;
    ``rot`` (n, 3, 3): equator-frame -> ICRF rotation of each orbit.

    The velocity is the exact time derivative of the position of the precessing ellipse:
    the in-plane motion at the drifting mean-anomaly rate dM/dt (not the two-body n), plus
    the apsidal rotation d(argp)/dt about the orbit normal and the nodal rotation
    d(raan)/dt about the equator-frame pole. ``mu`` is not needed (the rates carry it);
    it stays in the signature for the callers.
    """
    m = dt.shape[1]
    # Per-orbit constants: sqrt(1 - e^2), b, a^2 dM/dt, cos i, sin i.
    eta = b_axis = a2n = ci = si = 0.0
    cur = -1
    for idx in range(lo, hi):
        i = idx // m
        j = idx - i * m
        if i != cur:
            a = elems[i, 0]
            e = elems[i, 1]
            eta = math.sqrt(1.0 - e * e)
            b_axis = a * eta
            a2n = a * a * rates[i, 2]
            ci = math.cos(elems[i, 2])
            si = math.sin(elems[i, 2])
            cur = i
        a = elems[i, 0]
        e = elems[i, 1]
        t = dt[i, j]
        raan = elems[i, 3] + rates[i, 0] * t
        argp = elems[i, 4] + rates[i, 1] * t
        mr = wrap_pi(elems[i, 5] + rates[i, 2] * t)
        _, se, ce = kepler_sincos(mr, e)
        xp = a * (ce - e)
        yp = b_axis * se
        rr = a * (1.0 - e * ce)
        # d(perifocal position)/dt at the drifting mean anomaly: dE/dM = a / r.
        vfac = a2n / rr
        vxp = -vfac * se
        vyp = vfac * eta * ce
        # Apsidal rotation in the orbit plane: d(P)/d(argp) = Q, d(Q)/d(argp) = -P.
        wd = rates[i, 1]
        vxp -= wd * yp
        vyp += wd * xp
        co, so = math.cos(raan), math.sin(raan)
        cw, sw = math.cos(argp), math.sin(argp)
        p1 = co * cw - so * sw * ci
        p2 = so * cw + co * sw * ci
        p3 = sw * si
        q1 = -co * sw - so * cw * ci
        q2 = -so * sw + co * cw * ci
        q3 = cw * si
        x = p1 * xp + q1 * yp
        y = p2 * xp + q2 * yp
        z = p3 * xp + q3 * yp
        # Nodal rotation about the equator-frame pole: d(raan)/dt * z_hat x r.
        od = rates[i, 0]
        vx = p1 * vxp + q1 * vyp - od * y
        vy = p2 * vxp + q2 * vyp + od * x
        vz = p3 * vxp + q3 * vyp
        for k in range(3):
            out[i, j, k] = rot[i, k, 0] * x + rot[i, k, 1] * y + rot[i, k, 2] * z
            out[i, j, 3 + k] = rot[i, k, 0] * vx + rot[i, k, 1] * vy + rot[i, k, 2] * vz


@njit(cache=True, nogil=True)
def state_to_elements(states, et, r_min, mu, use_pole, poly, ab, coef, ang, out, status,
                      lo, hi):
    """Rows ``lo:hi``: the elements (``out`` (n, 8) as :func:`rv2coe`) of body-centred ICRF
    states (n, 6) in the element frame of ``Orbit.from_state`` (with ``use_pole``: the
    equator of the IAU pole whose angles ``iau_angles_one`` gives from ``poly``, ``ab``,
    ``coef`` at ``et``, rows q, p x q, p as ``elements.element_frame``; else the ICRF).

    ``status[k]``: 0 for a state with elements, else why not (1 non-finite, 2 zero
    position, 3 rectilinear, 4 closer to the centre than ``r_min``); the caller words it.
    ``ang`` (n, 6) is scratch for the pole angles.
    """
    for k in range(lo, hi):
        s = states[k]
        ok = True
        for j in range(6):
            if not math.isfinite(s[j]):
                ok = False
        if not ok:
            status[k] = 1
            continue
        r = math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2])
        if r == 0.0:
            status[k] = 2
            continue
        hx = s[1] * s[5] - s[2] * s[4]
        hy = s[2] * s[3] - s[0] * s[5]
        hz = s[0] * s[4] - s[1] * s[3]
        if hx == 0.0 and hy == 0.0 and hz == 0.0:
            status[k] = 3
            continue
        if r < r_min:
            status[k] = 4
            continue
        status[k] = 0
        if use_pole:
            iau_angles_one(et[k], poly, ab, coef, ang, k)
            # degrees and back, as element_frame's mars_pole_ra_dec_w -> np.radians
            ra = (ang[k, 0] * (180.0 / math.pi)) * (math.pi / 180.0)
            dec = (ang[k, 1] * (180.0 / math.pi)) * (math.pi / 180.0)
            sa, ca, sd, cd = math.sin(ra), math.cos(ra), math.sin(dec), math.cos(dec)
            p0, p1, p2 = cd * ca, cd * sa, sd
            q0, q1 = -sa, ca
            m10 = p1 * 0.0 - p2 * q1
            m11 = p2 * q0 - p0 * 0.0
            m12 = p0 * q1 - p1 * q0
            rx = q0 * s[0] + q1 * s[1]
            ry = m10 * s[0] + m11 * s[1] + m12 * s[2]
            rz = p0 * s[0] + p1 * s[1] + p2 * s[2]
            vx = q0 * s[3] + q1 * s[4]
            vy = m10 * s[3] + m11 * s[4] + m12 * s[5]
            vz = p0 * s[3] + p1 * s[4] + p2 * s[5]
            _rv2coe_values(rx, ry, rz, vx, vy, vz, mu, out[k])
        else:
            _rv2coe_values(s[0], s[1], s[2], s[3], s[4], s[5], mu, out[k])
