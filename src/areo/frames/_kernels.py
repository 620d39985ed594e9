"""Compiled kernels for the frames: IAU rotation angles and their Euler matrices.

Plain functions on flat arrays (numba, ``cache=True``); :mod:`areo.frames.iau` wraps them.
The batch kernels are serial ``nogil`` loops over rows ``[lo, hi)``, run through
:func:`areo._numba.run` (serial for small batches, chunks on threads for large ones).

Angle layout, one row per epoch: ``ra, dec, w, dra, ddec, dw`` in radians and rad/s, where
the body-fixed frame is ``R3(w) R1(pi/2 - dec) R3(pi/2 + ra)`` from the ICRF.
"""

from __future__ import annotations

import math

from numba import njit

from areo.constants import DAY_S, JULIAN_CENTURY_D

__all__ = ["euler_matrices", "iau_angles", "rotate_interp", "rotate_xyz"]

_RAD = math.pi / 180.0
_TWO_PI = 2.0 * math.pi
_CENTURY_S = DAY_S * JULIAN_CENTURY_D


@njit(cache=True, nogil=True)
def angles_one(et, poly, ab, coef, out, i):
    # Same operation order as NAIF's TISBOD so that areo and SPICE round alike: W0 + W1 d
    # carries ~2e-9 deg of float64 rounding at |d| = 36525 days (5e-11 rad, 0.2 mm on the
    # Mars surface), far below the model's own uncertainty, but it is the same rounding.
    tc = et / _CENTURY_S
    d = et / DAY_S
    ra = poly[0, 0] + tc * (poly[0, 1] + tc * poly[0, 2])
    dec = poly[1, 0] + tc * (poly[1, 1] + tc * poly[1, 2])
    w = poly[2, 0] + d * (poly[2, 1] + d * poly[2, 2])
    dra = (poly[0, 1] + tc * 2.0 * poly[0, 2]) / _CENTURY_S
    ddec = (poly[1, 1] + tc * 2.0 * poly[1, 2]) / _CENTURY_S
    dw = (poly[2, 1] + d * 2.0 * poly[2, 2]) / DAY_S
    sra = 0.0
    sdec = 0.0
    spm = 0.0
    sdra = 0.0
    sddec = 0.0
    sdpm = 0.0
    for k in range(ab.shape[0]):
        theta = (ab[k, 0] + tc * ab[k, 1]) * _RAD
        dtheta = ab[k, 1] / _CENTURY_S * _RAD
        s = math.sin(theta)
        c = math.cos(theta)
        sra += coef[0, k] * s
        sdec += coef[1, k] * c
        spm += coef[2, k] * s
        sdra += coef[0, k] * (c * dtheta)
        sddec += coef[1, k] * (-s * dtheta)
        sdpm += coef[2, k] * (c * dtheta)
    ra = (ra + sra) * _RAD
    dec = (dec + sdec) * _RAD
    w = (w + spm) * _RAD
    # Fortran MOD (truncating), as SPICE, rather than an exact remainder: see above.
    w = w - _TWO_PI * float(int(w / _TWO_PI))
    out[i, 0] = ra
    out[i, 1] = dec
    out[i, 2] = w
    out[i, 3] = (dra + sdra) * _RAD
    out[i, 4] = (ddec + sddec) * _RAD
    out[i, 5] = (dw + sdpm) * _RAD


@njit(cache=True, nogil=True)
def iau_angles(et, poly, ab, coef, out, lo, hi):
    """Pole, prime meridian and rates at ``et[lo:hi]`` into rows ``lo:hi`` of ``out`` (n, 6).

    ``poly`` (3, 3): rows (ra deg, deg/cy, deg/cy^2), (dec ...), (W deg, deg/d, deg/d^2);
    ``ab`` (m, 2): theta_k = A_k + B_k T (deg, deg/cy); ``coef`` (3, m): the ra (sin),
    dec (cos) and W (sin) amplitudes, degrees, zero where a term is absent.
    """
    for i in range(lo, hi):
        angles_one(et[i], poly, ab, coef, out, i)


@njit(cache=True, nogil=True)
def _euler_one(ang, with_rate, m, dm, i):
    sa = math.sin(ang[i, 0])
    ca = math.cos(ang[i, 0])
    sd = math.sin(ang[i, 1])
    cd = math.cos(ang[i, 1])
    sw = math.sin(ang[i, 2])
    cw = math.cos(ang[i, 2])
    # Rows of R1(pi/2 - dec) R3(pi/2 + ra): q the ascending node of the body equator,
    # e 90 deg further along that equator, p the pole.
    q0, q1, q2 = -sa, ca, 0.0
    e0, e1, e2 = -sd * ca, -sd * sa, cd
    p0, p1, p2 = cd * ca, cd * sa, sd
    m[i, 0, 0] = cw * q0 + sw * e0
    m[i, 0, 1] = cw * q1 + sw * e1
    m[i, 0, 2] = cw * q2 + sw * e2
    m[i, 1, 0] = -sw * q0 + cw * e0
    m[i, 1, 1] = -sw * q1 + cw * e1
    m[i, 1, 2] = -sw * q2 + cw * e2
    m[i, 2, 0] = p0
    m[i, 2, 1] = p1
    m[i, 2, 2] = p2
    if with_rate:
        dra = ang[i, 3]
        ddec = ang[i, 4]
        dw = ang[i, 5]
        # Chain rule through ra and dec for q, e, p; W turns x towards y.
        dq0, dq1, dq2 = -ca * dra, -sa * dra, 0.0
        de0 = sd * sa * dra - cd * ca * ddec
        de1 = -sd * ca * dra - cd * sa * ddec
        de2 = -sd * ddec
        dm[i, 2, 0] = -cd * sa * dra + e0 * ddec
        dm[i, 2, 1] = cd * ca * dra + e1 * ddec
        dm[i, 2, 2] = e2 * ddec
        dm[i, 0, 0] = dw * m[i, 1, 0] + cw * dq0 + sw * de0
        dm[i, 0, 1] = dw * m[i, 1, 1] + cw * dq1 + sw * de1
        dm[i, 0, 2] = dw * m[i, 1, 2] + cw * dq2 + sw * de2
        dm[i, 1, 0] = -dw * m[i, 0, 0] - sw * dq0 + cw * de0
        dm[i, 1, 1] = -dw * m[i, 0, 1] - sw * dq1 + cw * de1
        dm[i, 1, 2] = -dw * m[i, 0, 2] - sw * dq2 + cw * de2


@njit(cache=True, nogil=True)
def euler_matrices(ang, with_rate, m, dm, lo, hi):
    """Matrices ``m`` (n, 3, 3) and, if ``with_rate``, derivatives ``dm`` (1/s) from ``ang``,
    rows ``lo:hi``."""
    for i in range(lo, hi):
        _euler_one(ang, with_rate, m, dm, i)


@njit(cache=True, nogil=True)
def rotate_xyz(et, x, y, z, t0, h, tab, w_poly):
    """The vector ``(x, y, z)`` in the body frame at ``et`` (a tuple), angles interpolated
    from ``tab`` as in :func:`rotate_interp`; also called from other compiled code (the
    passes search, :mod:`areo.events._kernels`)."""
    # Cubic Hermite on the node values and rates of ra, dec and the W residual.
    n = tab.shape[0]
    s = (et - t0) / h
    k = int(s)  # truncation; negative s is clamped to the first interval below
    if k < 0:
        k = 0
    if k > n - 2:
        k = n - 2
    u = s - k
    u2 = u * u
    u3 = u2 * u
    h00 = 2.0 * u3 - 3.0 * u2 + 1.0
    h10 = u3 - 2.0 * u2 + u
    h01 = -2.0 * u3 + 3.0 * u2
    h11 = u3 - u2
    ra = (h00 * tab[k, 0] + h10 * h * tab[k, 3]
          + h01 * tab[k + 1, 0] + h11 * h * tab[k + 1, 3])
    dec = (h00 * tab[k, 1] + h10 * h * tab[k, 4]
           + h01 * tab[k + 1, 1] + h11 * h * tab[k + 1, 4])
    resid = (h00 * tab[k, 2] + h10 * h * tab[k, 5]
             + h01 * tab[k + 1, 2] + h11 * h * tab[k + 1, 5])
    d = et / DAY_S
    w = (w_poly[0] + d * (w_poly[1] + d * w_poly[2])) * _RAD + resid
    sa = math.sin(ra)
    ca = math.cos(ra)
    sd = math.sin(dec)
    cd = math.cos(dec)
    sw = math.sin(w)
    cw = math.cos(w)
    # Components along the node q, the equator point e 90 deg further, and the pole p.
    vq = -sa * x + ca * y
    ve = -sd * ca * x - sd * sa * y + cd * z
    vp = cd * ca * x + cd * sa * y + sd * z
    return cw * vq + sw * ve, -sw * vq + cw * ve, vp


@njit(cache=True, nogil=True)
def _rotate_interp_one(et, vec, t0, h, tab, w_poly, out, i):
    out[i, 0], out[i, 1], out[i, 2] = rotate_xyz(et, vec[i, 0], vec[i, 1], vec[i, 2], t0, h,
                                                 tab, w_poly)


@njit(cache=True, nogil=True)
def rotate_interp(et, vec, t0, h, tab, w_poly, out, lo, hi):
    """Rotate rows ``lo:hi`` of ``vec`` (n, 3) into the body frame with angles interpolated
    from ``tab``.

    ``tab`` (m, 6): node values of ra, dec and the W residual (W minus its polynomial, rad)
    and their rates (rad/s) at ``t0 + k h``; ``w_poly`` the W polynomial (deg, deg/d,
    deg/d^2).
    """
    for i in range(lo, hi):
        _rotate_interp_one(et[i], vec, t0, h, tab, w_poly, out, i)
