"""Compiled accelerations for the Cowell propagator (Mars-centred ICRF, km, km/s, TDB s).

Everything the right-hand side needs arrives in one tuple ``fm`` built by
:meth:`areo.orbits.numerical.forces.ForceModel._pack` (layout below), so that numba compiles
one specialisation of the integrator and no Python runs per step.

``fm = (iprm, prm, zonal, pole_tab, gfac, cbar, sbar, vw, sun_a, sun_b, sun_tmp, drag_alt,
drag_lnrho, rot)``:

- ``iprm`` int64: see the ``I_*`` indices; ``prm`` float64: see the ``P_*`` indices.
- ``zonal`` (nz+1,): unnormalised J_n by degree (J_0 = J_1 = 0), reference radius P_RREF.
- ``pole_tab`` (K, 7): Mars body frame on a uniform grid (P_TAB_T0, P_TAB_DT): pole unit
  vector, node unit vector Q = z_ICRF x pole / |.|, prime meridian angle W (rad, unwrapped),
  all from :func:`areo.frames.icrf_to_iau_mars`; linear interpolation between nodes spaced at
  most one day apart is exact to ~1e-12 rad for the pole and ~1e-11 rad for W (the IAU
  periodic terms have periods of a Mars year and more).
- ``gfac`` (7, L+2, L+2): recursion and acceleration factors of the normalised field;
  ``cbar``/``sbar`` (L+1, L+1) normalised coefficients; ``vw`` (2, L+2, L+2) work space.
- ``sun_a``/``sun_b``: Chebyshev records of the two DE segments Sun->SSB and Mars
  barycentre->SSB (signs in prm), evaluated with :func:`areo.ephem.spk.accumulate_one`.
- ``drag_alt``/``drag_lnrho``: tabulated density (km, ln kg/m^3) for drag kind 2.
- ``rot`` (3, 3): work space for the body-frame rotation.
"""

from __future__ import annotations

import math

from numba import njit

from areo._numba import NO_REFCOUNT
from areo.ephem.spk import accumulate_one

# iprm indices
I_NZONAL, I_LMAX, I_MMAX, I_SUN, I_SRP, I_SHADOW, I_DRAG = 0, 1, 2, 3, 4, 5, 6
I_NCOEF_A, I_TYPE3_A, I_NCOEF_B, I_TYPE3_B, I_NTAB, I_NEED_SUN = 7, 8, 9, 10, 11, 12
N_IPRM = 13
# prm indices
P_GM, P_RREF, P_SUN_GM = 0, 1, 2
P_INIT_A, P_INTLEN_A, P_SIGN_A, P_INIT_B, P_INTLEN_B, P_SIGN_B = 3, 4, 5, 6, 7, 8
P_TAB_T0, P_TAB_DT, P_REQ, P_RPOL = 9, 10, 11, 12
P_DRAG_K, P_RHO0, P_H0, P_SCALE_H, P_SRP_K, P_FIELD_R, P_OMEGA, P_SHADOW_R = (
    13, 14, 15, 16, 17, 18, 19, 20)
N_PRM = 21

DRAG_NONE, DRAG_EXPONENTIAL, DRAG_TABLE = 0, 1, 2

# Hot-path functions are inlined at numba-IR level and compiled without numba's reference
# counting: each array taken out of ``fm`` otherwise costs an atomic incref/decref pair,
# measured at ~35 ns per right-hand side call here (4x the arithmetic of point mass + J2).
# They therefore must not allocate arrays; work space comes in ``fm`` (``fm[13]``: 3x3).
_HOT = {"cache": True, "inline": "always", **NO_REFCOUNT}


@njit(**_HOT)
def _tab_index(t, fm):
    prm = fm[1]
    ntab = fm[0][I_NTAB]
    u = (t - prm[P_TAB_T0]) / prm[P_TAB_DT]
    kk = math.floor(u)
    if kk < 0:
        kk = 0
    elif kk > ntab - 2:
        kk = ntab - 2
    return kk, u - kk


@njit(**_HOT)
def pole(t, fm):
    """Mars pole unit vector (ICRF) at ``t``."""
    tab = fm[3]
    kk, f = _tab_index(t, fm)
    g = 1.0 - f
    return (g * tab[kk, 0] + f * tab[kk + 1, 0], g * tab[kk, 1] + f * tab[kk + 1, 1],
            g * tab[kk, 2] + f * tab[kk + 1, 2])


@njit(**_HOT)
def body_axes(t, fm, rot):
    """Rows of ``rot`` (3, 3): IAU_MARS x, y, z axes in ICRF (``r_body = rot @ r``)."""
    tab = fm[3]
    kk, f = _tab_index(t, fm)
    g = 1.0 - f
    px = g * tab[kk, 0] + f * tab[kk + 1, 0]
    py = g * tab[kk, 1] + f * tab[kk + 1, 1]
    pz = g * tab[kk, 2] + f * tab[kk + 1, 2]
    qx = g * tab[kk, 3] + f * tab[kk + 1, 3]
    qy = g * tab[kk, 4] + f * tab[kk + 1, 4]
    qz = g * tab[kk, 5] + f * tab[kk + 1, 5]
    w = g * tab[kk, 6] + f * tab[kk + 1, 6]
    # p x Q completes the equatorial basis; x_body is Q turned by W about the pole.
    ex = py * qz - pz * qy
    ey = pz * qx - px * qz
    ez = px * qy - py * qx
    cw = math.cos(w)
    sw = math.sin(w)
    rot[0, 0] = cw * qx + sw * ex
    rot[0, 1] = cw * qy + sw * ey
    rot[0, 2] = cw * qz + sw * ez
    rot[1, 0] = -sw * qx + cw * ex
    rot[1, 1] = -sw * qy + cw * ey
    rot[1, 2] = -sw * qz + cw * ez
    rot[2, 0] = px
    rot[2, 1] = py
    rot[2, 2] = pz


@njit(**_HOT)
def altitude(t, y, fm):
    """Height (km) above the reference ellipsoid, measured along the radius.

    ``r - R(phi_c)`` with ``R(phi_c)`` the ellipsoid radius at the geocentric latitude: it
    differs from the geodetic height by < 0.1 km at Mars' flattening up to ~1000 km and is
    exactly zero on the surface, which is what impact detection needs.
    """
    prm = fm[1]
    px, py, pz = pole(t, fm)
    r = math.sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2])
    s = (y[0] * px + y[1] * py + y[2] * pz) / r
    c2 = max(0.0, 1.0 - s * s)
    a = prm[P_REQ]
    b = prm[P_RPOL]
    rell = a * b / math.sqrt(b * b * c2 + a * a * s * s)
    return r - rell


@njit(**_HOT)
def zonal_acceleration(x, y, z, px, py, pz, gm, rref, jn, nmax):
    """Acceleration (km/s^2) of the zonal terms J_2..J_nmax about the pole (px, py, pz).

    From U_n = -(gm/r) J_n (R/r)^n P_n(u), u = (r.p)/r:
    ``a_n = (gm/r^2) J_n (R/r)^n [P'_{n+1}(u) r_hat - P'_n(u) p]``, using
    ``(n+1) P_n + u P'_n = P'_{n+1}``.
    """
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    ir = 1.0 / r
    u = (x * px + y * py + z * pz) * ir
    rho = rref * ir
    # Legendre recursions: p0 = P_{n-1}, p1 = P_n, d0 = P'_{n-1}, d1 = P'_n.
    p0 = 1.0
    p1 = u
    d1 = 1.0
    rho_n = rho
    cr = 0.0
    cp = 0.0
    for n in range(1, nmax + 1):
        # advance to P_{n+1}, P'_{n+1}
        p2 = ((2 * n + 1) * u * p1 - n * p0) / (n + 1)
        d2 = (n + 1) * p1 + u * d1
        if n >= 2:
            f = jn[n] * rho_n
            cr += f * d2
            cp -= f * d1
        p0, p1 = p1, p2
        _d0, d1 = d1, d2
        rho_n *= rho
    g = gm * ir * ir
    return (g * (cr * x * ir + cp * px), g * (cr * y * ir + cp * py),
            g * (cr * z * ir + cp * pz))


@njit(cache=True, **NO_REFCOUNT)
def field_acceleration_bf(x, y, z, gm, rref, lmax, mmax, cbar, sbar, gfac, vw):
    """Body-fixed acceleration (km/s^2) of the normalised field, degrees 2..lmax.

    Cunningham's V/W recursion (Montenbruck & Gill, *Satellite Orbits*, 2000, sec. 3.2.4)
    carried on normalised quantities ``V_nm N_nm`` so that no factorial over- or underflows:
    the factors in ``gfac`` are ratios of the normalisation ``N_nm = sqrt((2 - d_m0)(2n+1)
    (n-m)!/(n+m)!)`` (see :func:`areo.orbits.numerical.gravity._factors`). The central term
    is not included.
    """
    r2 = x * x + y * y + z * z
    rr = rref * rref / r2
    xr = x * rref / r2
    yr = y * rref / r2
    zr = z * rref / r2
    v = vw[0]
    w = vw[1]
    nmx = lmax + 1
    mtop = min(mmax + 1, nmx)
    v[0, 0] = rref / math.sqrt(r2)
    w[0, 0] = 0.0
    for m in range(0, mtop + 1):
        if m > 0:
            f = gfac[2, m, m]
            v[m, m] = f * (xr * v[m - 1, m - 1] - yr * w[m - 1, m - 1])
            w[m, m] = f * (xr * w[m - 1, m - 1] + yr * v[m - 1, m - 1])
        if m + 1 <= nmx:
            a = gfac[0, m + 1, m]
            v[m + 1, m] = a * zr * v[m, m]
            w[m + 1, m] = a * zr * w[m, m]
        for n in range(m + 2, nmx + 1):
            a = gfac[0, n, m]
            b = gfac[1, n, m]
            v[n, m] = a * zr * v[n - 1, m] - b * rr * v[n - 2, m]
            w[n, m] = a * zr * w[n - 1, m] - b * rr * w[n - 2, m]
    ax = 0.0
    ay = 0.0
    az = 0.0
    for n in range(2, lmax + 1):
        for m in range(0, min(n, mmax) + 1):
            c = cbar[n, m]
            s = sbar[n, m]
            kz = gfac[5, n, m]
            if m == 0:
                k1 = gfac[6, n, 0]
                ax -= c * k1 * v[n + 1, 1]
                ay -= c * k1 * w[n + 1, 1]
            else:
                kp = gfac[3, n, m]
                km = gfac[4, n, m]
                ax += 0.5 * (kp * (-c * v[n + 1, m + 1] - s * w[n + 1, m + 1])
                             + km * (c * v[n + 1, m - 1] + s * w[n + 1, m - 1]))
                ay += 0.5 * (kp * (-c * w[n + 1, m + 1] + s * v[n + 1, m + 1])
                             + km * (-c * w[n + 1, m - 1] + s * v[n + 1, m - 1]))
            az += kz * (-c * v[n + 1, m] - s * w[n + 1, m])
    g = gm / (rref * rref)
    return g * ax, g * ay, g * az


@njit(**_HOT)
def sun_position(t, fm):
    """Sun relative to Mars (km, ICRF) from the DE segments in ``fm``."""
    iprm = fm[0]
    prm = fm[1]
    tmp = fm[10]
    for i in range(6):
        tmp[0, i] = 0.0
    # Row 0 as a typed int64, not the literal 0: the ephemeris kernels call accumulate_one
    # with the same argument types, so it compiles once for both.
    row = tmp.shape[0] - 1
    accumulate_one(t, fm[8], prm[P_INIT_A], prm[P_INTLEN_A], iprm[I_NCOEF_A],
                   iprm[I_TYPE3_A] == 1, prm[P_SIGN_A], tmp, row)
    accumulate_one(t, fm[9], prm[P_INIT_B], prm[P_INTLEN_B], iprm[I_NCOEF_B],
                   iprm[I_TYPE3_B] == 1, prm[P_SIGN_B], tmp, row)
    return tmp[0, 0], tmp[0, 1], tmp[0, 2]


@njit(**_HOT)
def density(h, fm):
    """Atmospheric density (kg/m^3) at height ``h`` km."""
    iprm = fm[0]
    prm = fm[1]
    kind = iprm[I_DRAG]
    if kind == DRAG_EXPONENTIAL:
        return prm[P_RHO0] * math.exp(-(h - prm[P_H0]) / prm[P_SCALE_H])
    alt = fm[11]
    lnr = fm[12]
    n = alt.shape[0]
    if h <= alt[0]:
        return math.exp(lnr[0])
    if h >= alt[n - 1]:
        # log-linear continuation of the top interval (a scale height).
        slope = (lnr[n - 1] - lnr[n - 2]) / (alt[n - 1] - alt[n - 2])
        return math.exp(lnr[n - 1] + slope * (h - alt[n - 1]))
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if alt[mid] <= h:
            lo = mid
        else:
            hi = mid
    f = (h - alt[lo]) / (alt[hi] - alt[lo])
    return math.exp(lnr[lo] + f * (lnr[hi] - lnr[lo]))


@njit(**_HOT)
def acceleration(t, y, fm):
    """Total acceleration (km/s^2, ICRF) at TDB ``t`` for state ``y`` (6,)."""
    iprm = fm[0]
    prm = fm[1]
    x = y[0]
    yy = y[1]
    z = y[2]
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    gm = prm[P_GM]
    g = -gm / (r2 * r)
    ax = g * x
    ay = g * yy
    az = g * z
    nz = iprm[I_NZONAL]
    if nz >= 2:
        px, py, pz = pole(t, fm)
        bx, by, bz = zonal_acceleration(x, yy, z, px, py, pz, gm, prm[P_RREF], fm[2], nz)
        ax += bx
        ay += by
        az += bz
    lmax = iprm[I_LMAX]
    if lmax >= 2:
        rot = fm[13]
        body_axes(t, fm, rot)
        xb = rot[0, 0] * x + rot[0, 1] * yy + rot[0, 2] * z
        yb = rot[1, 0] * x + rot[1, 1] * yy + rot[1, 2] * z
        zb = rot[2, 0] * x + rot[2, 1] * yy + rot[2, 2] * z
        fx, fy, fz = field_acceleration_bf(xb, yb, zb, gm, prm[P_FIELD_R], lmax,
                                           iprm[I_MMAX], fm[5], fm[6], fm[4], fm[7])
        ax += rot[0, 0] * fx + rot[1, 0] * fy + rot[2, 0] * fz
        ay += rot[0, 1] * fx + rot[1, 1] * fy + rot[2, 1] * fz
        az += rot[0, 2] * fx + rot[1, 2] * fy + rot[2, 2] * fz
    if iprm[I_NEED_SUN] == 1:
        sx, sy, sz = sun_position(t, fm)
        if iprm[I_SUN] == 1:
            # Direct minus indirect term: Mars itself falls towards the Sun.
            dx = sx - x
            dy = sy - yy
            dz = sz - z
            d2 = dx * dx + dy * dy + dz * dz
            d3 = d2 * math.sqrt(d2)
            s2 = sx * sx + sy * sy + sz * sz
            s3 = s2 * math.sqrt(s2)
            mu = prm[P_SUN_GM]
            ax += mu * (dx / d3 - sx / s3)
            ay += mu * (dy / d3 - sy / s3)
            az += mu * (dz / d3 - sz / s3)
        if iprm[I_SRP] == 1:
            lit = 1.0
            if iprm[I_SHADOW] == 1:
                # Cylindrical shadow of a sphere of radius P_SHADOW_R.
                s = math.sqrt(sx * sx + sy * sy + sz * sz)
                ux = sx / s
                uy = sy / s
                uz = sz / s
                along = x * ux + yy * uy + z * uz
                if along < 0.0:
                    cx = x - along * ux
                    cy = yy - along * uy
                    cz = z - along * uz
                    if cx * cx + cy * cy + cz * cz < prm[P_SHADOW_R] ** 2:
                        lit = 0.0
            if lit > 0.0:
                dx = x - sx
                dy = yy - sy
                dz = z - sz
                d2 = dx * dx + dy * dy + dz * dz
                d = math.sqrt(d2)
                # P_SRP_K = P_1AU * AU^2 * Cr * A/m, in km^3/s^2: a = k / d^2 along d_hat.
                k = prm[P_SRP_K] / (d2 * d)
                ax += k * dx
                ay += k * dy
                az += k * dz
    kind = iprm[I_DRAG]
    if kind != DRAG_NONE:
        h = altitude(t, y, fm)
        rho = density(h, fm)
        if rho > 0.0:
            # Atmosphere co-rotating with Mars: v_rel = v - omega x r, omega along the pole.
            px, py, pz = pole(t, fm)
            om = prm[P_OMEGA]
            vx = y[3] - om * (py * z - pz * yy)
            vy = y[4] - om * (pz * x - px * z)
            vz = y[5] - om * (px * yy - py * x)
            vr = math.sqrt(vx * vx + vy * vy + vz * vz)
            # P_DRAG_K = 0.5 Cd A/m (m^2/kg) * 1e3: rho (kg/m^3) * that is per km.
            k = -prm[P_DRAG_K] * rho * vr
            ax += k * vx
            ay += k * vy
            az += k * vz
    return ax, ay, az


@njit(cache=True)
def accelerations(t, states, fm, out):
    """Vectorised :func:`acceleration`: ``out[i] = a(t[i], states[i])`` (n, 3)."""
    for i in range(t.shape[0]):
        ax, ay, az = acceleration(t[i], states[i], fm)
        out[i, 0] = ax
        out[i, 1] = ay
        out[i, 2] = az


@njit(cache=True)
def field_accelerations_bf(pos, gm, rref, lmax, mmax, cbar, sbar, gfac, vw, out):
    """Vectorised :func:`field_acceleration_bf` over body-fixed positions (n, 3)."""
    for i in range(pos.shape[0]):
        ax, ay, az = field_acceleration_bf(pos[i, 0], pos[i, 1], pos[i, 2], gm, rref, lmax,
                                           mmax, cbar, sbar, gfac, vw)
        out[i, 0] = ax
        out[i, 1] = ay
        out[i, 2] = az
