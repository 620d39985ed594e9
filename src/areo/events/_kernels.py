"""Compiled kernels of the event searches (plain functions on arrays).

Serial ``nogil`` loops over rows ``[lo, hi)``, run through :func:`areo._numba.run`; numpy's
error model (a division by zero gives inf or nan, as in the vectorised searches whose
steps these follow, which test for them).

The passes search over a tabulated (Hermite) orbiter runs here whole: :func:`scan_passes`
brackets and refines every rise, set and sub-sample dip of one site over a run of the
coarse samples, :func:`pass_extrema` finds each pass's culmination and closest range. They
are the algorithms of :mod:`areo._search` (``find_windows_multi``, ``bracket_crossings``,
``bracketed_minimum``, ``golden_minimum``, ``window_minima``) written for one bracket at a
time, with the same operations in the same order, so that the same function values give the
same epochs; the geometry is the one of :class:`areo.events.passes.PairGeometry` (the
Hermite interpolant of :mod:`areo.ephem.tabulated`, the IAU rotation table of
:mod:`areo.frames.iau`, the site's ENU frame) evaluated one epoch at a time.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from areo.ephem.tabulated import hermite_position, hermite_setup, hermite_state, window_start
from areo.frames.iau import rotate_xyz

_TWO_PI = 2.0 * math.pi
_INVPHI = (math.sqrt(5.0) - 1.0) / 2.0
_CGOLD = 0.381966011250105

# Geometry arguments, in this order, of every function below that evaluates the pair:
#   nodes, states, width, tstep: the orbiter's table (TabulatedTrajectory.et, .samples, the
#       Hermite node count and the even spacing or 0);
#   rt0, rh, rtab, wpoly: the rotation table (RotationTable.kernel_args);
#   pos, enu: site positions (m, 3) km in IAU_MARS and ENU matrices (m, 3, 3);
#   maz, mel: the mask, periodic in azimuth (rad), extended by one node each side
#       (``maz`` empty: a constant mask ``mel[0]``);
#   z, d: the Hermite scratch of _position ((2 width + 1), (3, 2 width)).


@njit(cache=True, nogil=True, error_model="numpy")
def site_enu(body, inv, site, pos, enu, out, lo, hi):
    """ENU vectors (km) from sites to targets: ``out[i] = enu[site[i]] @ (body[inv[i]] -
    pos[site[i]])`` for the (epoch, pair) rows ``i`` in ``lo:hi``; ``out`` rows may be
    scattered by the caller."""
    for i in range(lo, hi):
        j = inv[i]
        s = site[i]
        dx = body[j, 0] - pos[s, 0]
        dy = body[j, 1] - pos[s, 1]
        dz = body[j, 2] - pos[s, 2]
        for a in range(3):
            out[i, a] = enu[s, a, 0] * dx + enu[s, a, 1] * dy + enu[s, a, 2] * dz


@njit(cache=True, nogil=True, error_model="numpy")
def _mask_at(az, maz, mel):
    """The mask (rad) at azimuth ``az`` in [0, 2 pi): ``numpy.interp(az, ..., period=2 pi)``
    on the nodes extended one each side (``maz[0] < 0``, ``maz[-1] >= 2 pi``)."""
    if maz.size == 0:
        return mel[0]
    lo = 0
    hi = maz.size - 1
    while hi - lo > 1:  # maz[lo] <= az < maz[hi]
        mid = (lo + hi) // 2
        if maz[mid] <= az:
            lo = mid
        else:
            hi = mid
    slope = (mel[hi] - mel[lo]) / (maz[hi] - maz[lo])
    return slope * (az - maz[lo]) + mel[lo]


@njit(cache=True, nogil=True, error_model="numpy")
def _position(x, nodes, states, width, tstep, z, d):
    """The orbiter's position at ``x`` (:mod:`areo.ephem.tabulated`'s Hermite interpolant,
    the same operations, so the same bits), its Newton form kept in ``z``, ``d`` for the
    node window ``z[-1]`` (as a float): refinements call many times within one window,
    where only Horner's rule remains to do."""
    s = window_start(nodes, x, width, tstep)
    if z[2 * width] != s:
        hermite_setup(nodes, states, s, width, z, d)
        z[2 * width] = s
    return hermite_position(x, width, z, d)


@njit(cache=True, nogil=True, error_model="numpy")
def _enu_at(x, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, z, d):
    """East, north, up (km) of the orbiter from site ``s`` at epoch ``x``."""
    p0, p1, p2 = _position(x, nodes, states, width, tstep, z, d)
    b0, b1, b2 = rotate_xyz(x, p0, p1, p2, rt0, rh, rtab, wpoly)
    return _site_enu_of(b0, b1, b2, s, pos, enu)


@njit(cache=True, nogil=True, error_model="numpy")
def _site_enu_of(b0, b1, b2, s, pos, enu):
    """East, north, up (km) from site ``s`` of the body-fixed point ``(b0, b1, b2)``."""
    dx = b0 - pos[s, 0]
    dy = b1 - pos[s, 1]
    dz = b2 - pos[s, 2]
    e = enu[s, 0, 0] * dx + enu[s, 0, 1] * dy + enu[s, 0, 2] * dz
    n = enu[s, 1, 0] * dx + enu[s, 1, 1] * dy + enu[s, 1, 2] * dz
    u = enu[s, 2, 0] * dx + enu[s, 2, 1] * dy + enu[s, 2, 2] * dz
    return e, n, u


@njit(cache=True, nogil=True, error_model="numpy")
def _elevation(e, n, u):
    c = u / math.sqrt(e * e + n * n + u * u)
    return math.asin(min(max(c, -1.0), 1.0))


@njit(cache=True, nogil=True, error_model="numpy")
def _g(x, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, maz, mel, z, d):
    """The searched function: minus the elevation above the mask (rad), below 0 in view."""
    e, n, u = _enu_at(x, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, z,
                      d)
    el = _elevation(e, n, u)
    if maz.size == 0:
        return -(el - mel[0])
    return -(el - _mask_at(math.atan2(e, n) % _TWO_PI, maz, mel))


@njit(cache=True, nogil=True, error_model="numpy")
def _h(x, s, kind, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, z, d):
    """What the extrema minimise: minus the elevation (``kind`` 0) or the range (km)."""
    e, n, u = _enu_at(x, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, z,
                      d)
    if kind == 0:
        return -_elevation(e, n, u)
    return math.sqrt(e * e + n * n + u * u)


@njit(cache=True, nogil=True, error_model="numpy")
def _crossing(lo, hi, glo, ghi, tol, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly,
              pos, enu, maz, mel, z, d):
    """``areo._search.bracket_crossings`` for one bracket: Anderson-Bjorck regula falsi,
    nudged ``tol/2`` inside, bisection after two steps that fail to halve. Returns the
    final ``(lo, hi)``; ``lo`` keeps the old ``lo``'s side."""
    inside_lo = glo < 0.0
    stall = 0
    half = 0.5 * tol
    for _ in range(200):
        if not (hi - lo > tol + 8.0 * np.spacing(abs(hi))):
            break
        a = lo
        b = hi
        ga = glo
        gb = ghi
        w = b - a
        x = a + w * ga / (ga - gb)
        if stall >= 2 or not np.isfinite(x) or x <= a or x >= b:
            x = a + 0.5 * w
        if x - a < half:
            x = a + half
        elif b - x < half:
            x = b - half
        gx = _g(x, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, maz, mel,
                z, d)
        same_as_lo = (gx < 0.0) == inside_lo
        m_lo = 1.0 - gx / ga
        m_hi = 1.0 - gx / gb
        if not (m_lo > 0.0 and np.isfinite(m_lo)):
            m_lo = 0.5
        if not (m_hi > 0.0 and np.isfinite(m_hi)):
            m_hi = 0.5
        if same_as_lo:
            lo, hi, glo, ghi = x, b, gx, gb * m_lo
        else:
            lo, hi, glo, ghi = a, x, ga * m_hi, gx
        stall = stall + 1 if hi - lo > 0.5 * w else 0
    return lo, hi


@njit(cache=True, nogil=True, error_model="numpy")
def _brent(a, x, b, fa, fx, fb, tol, stop, stop_below, kind, s, nodes, states, width, tstep,
           rt0, rh, rtab, wpoly, pos, enu, maz, mel, z, d):
    """``areo._search.bracketed_minimum`` for one bracket ``a < x < b`` (Brent 1973, ch. 5):
    of :func:`_g` (``kind`` -1; with ``stop``, ending at a value below ``stop_below``) or
    of :func:`_h` (``kind`` 0 or 1). Returns ``(x_min, f_min)``."""
    if fa <= fb:
        w, fw, v, fv = a, fa, b, fb
    else:
        w, fw, v, fv = b, fb, a, fa
    dd = 0.0
    e = b - a
    for _ in range(100):
        tol1 = 0.5 * tol + 4.0 * np.spacing(abs(x))
        xm = 0.5 * (a + b)
        if not (abs(x - xm) > 2.0 * tol1 - 0.5 * (b - a)):
            break
        if stop and not (fx >= stop_below):
            break
        r = (x - w) * (fx - fv)
        q = (x - v) * (fx - fw)
        p = (x - v) * q - (x - w) * r
        q = 2.0 * (q - r)
        if q > 0.0:
            p = -p
        q = abs(q)
        step = p / q
        parabolic = ((abs(e) > tol1) and (q > 0.0) and (abs(p) < abs(0.5 * q * e))
                     and (p > q * (a - x)) and (p < q * (b - x)))
        golden_e = a - x if x >= xm else b - x
        if parabolic:
            new_e = dd
            new_d = step
            u_try = x + new_d
            if (u_try - a) < 2.0 * tol1 or (b - u_try) < 2.0 * tol1:
                new_d = tol1 if xm >= x else -tol1
        else:
            new_e = golden_e
            new_d = _CGOLD * golden_e
        if abs(new_d) >= tol1:
            u = x + new_d
        else:
            u = x + (tol1 if new_d >= 0.0 else -tol1)
        if kind < 0:
            fu = _g(u, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, maz,
                    mel, z, d)
        else:
            fu = _h(u, s, kind, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu,
                    z, d)
        better = fu <= fx
        if better:
            if u >= x:
                a = x
            else:
                b = x
        else:
            if u < x:
                a = u
            else:
                b = u
        replace_w = (not better) and (fu <= fw or w == x)
        replace_v = (not better) and (not replace_w) and (fu <= fv or v == x or v == w)
        if better or replace_w:
            v, fv = w, fw
        elif replace_v:
            v, fv = u, fu
        if better:
            w, fw = x, fx
        elif replace_w:
            w, fw = u, fu
        if better:
            x, fx = u, fu
        dd = new_d
        e = new_e
    return x, fx


@njit(cache=True, nogil=True, error_model="numpy")
def _golden(a, b, tol, kind, s, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu,
            z, d):
    """``areo._search.golden_minimum`` of :func:`_h` on ``[a, b]``: ``(t_min, f_min)``."""
    c = b - _INVPHI * (b - a)
    dd = a + _INVPHI * (b - a)
    fc = _h(c, s, kind, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, z, d)
    fd = _h(dd, s, kind, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, z, d)
    for _ in range(200):
        if not (b - a > tol):
            break
        if fc <= fd:  # the minimum lies in [a, d]
            b = dd
            x = b - _INVPHI * (b - a)
            fx = _h(x, s, kind, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu,
                    z, d)
            dd, fd, c, fc = c, fc, x, fx
        else:
            a = c
            x = a + _INVPHI * (b - a)
            fx = _h(x, s, kind, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu,
                    z, d)
            c, fc, dd, fd = dd, fd, x, fx
    if fc <= fd:
        return c, fc
    return dd, fd


@njit(cache=True, nogil=True, error_model="numpy")
def _could_rise(t, gpos, c, s, step, mask_min, gm, r_floor, omega, nodes, states, width,
                tstep, rt0, rh, rtab, wpoly, pos, zq, dq):
    """Whether the orbiter can climb above the lowest mask between the samples ``c - 1``
    and ``c + 1`` of the grid ``t`` (ICRF positions ``gpos`` there): False only when proven
    impossible (the dip is then not refined). Above a mask ``e`` the central angle between
    site and orbiter is below ``arccos(R_site cos(e) / r) - e``, largest for the highest
    radius ``r``; a margin of 0.01 rad covers the ellipsoid normal's tilt from the radial
    (< 0.34 deg). Two lower bounds on the central angle, tried in turn:

    (1) The orbit plane: the site's angle from the plane at ``t[c]`` (normal ``r x v``),
    less what Mars's rotation turns the site in ``step``, less the orbiter's own excursion
    from that plane (twice the larger of the two at the neighbouring samples, plus 1e-3
    rad); the radius stays below the osculating apoapsis (1 % + 10 km for J2 and the like).
    (2) ``PairGeometry.could_rise``: the central angle at ``t[c]`` less what it can change
    in ``step``: the orbiter's angular rate (speed bounded by energy conservation, 2 % for
    J2 and the like) plus Mars's rotation.
    """
    tm = t[c]
    hermite_setup(nodes, states, window_start(nodes, tm, width, tstep), width, zq, dq)
    r0, r1, r2, v0, v1, v2 = hermite_state(tm, width, zq, dq)
    r = math.sqrt(r0 * r0 + r1 * r1 + r2 * r2)
    site_r = math.sqrt(pos[s, 0] ** 2 + pos[s, 1] ** 2 + pos[s, 2] ** 2)
    cos_mask = math.cos(mask_min)
    # (1) the orbit plane
    n0 = r1 * v2 - r2 * v1
    n1 = r2 * v0 - r0 * v2
    n2 = r0 * v1 - r1 * v0
    hn = math.sqrt(n0 * n0 + n1 * n1 + n2 * n2)
    energy = 0.5 * (v0 * v0 + v1 * v1 + v2 * v2) - gm / r
    if hn > 0.0 and energy < 0.0:
        n0, n1, n2 = n0 / hn, n1 / hn, n2 / hn
        beta = 0.0
        r_hi = r
        for k in (c - 1, c + 1):
            rk = math.sqrt(gpos[k, 0] ** 2 + gpos[k, 1] ** 2 + gpos[k, 2] ** 2)
            sk = (gpos[k, 0] * n0 + gpos[k, 1] * n1 + gpos[k, 2] * n2) / rk
            beta = max(beta, abs(math.asin(min(max(sk, -1.0), 1.0))))
            r_hi = max(r_hi, rk)
        a_sm = -gm / (2.0 * energy)
        ecc = math.sqrt(max(1.0 - hn * hn / (gm * a_sm), 0.0))
        r_hi = max(a_sm * (1.0 + ecc), r_hi) * 1.01 + 10.0
        gamma_max = math.acos(min(max(site_r / r_hi * cos_mask, -1.0), 1.0)) - mask_min
        c0, c1, c2 = rotate_xyz(tm, n0, n1, n2, rt0, rh, rtab, wpoly)
        sn = (c0 * pos[s, 0] + c1 * pos[s, 1] + c2 * pos[s, 2]) / site_r
        off_plane = abs(math.asin(min(max(sn, -1.0), 1.0)))
        if off_plane - omega * step - (2.0 * beta + 1e-3) > gamma_max + 0.01:
            return False
    # (2) the central angle and how fast it can change
    h = min(1.0, 0.5 * step)
    hermite_setup(nodes, states, window_start(nodes, tm - h, width, tstep), width, zq, dq)
    xm0, xm1, xm2 = hermite_position(tm - h, width, zq, dq)
    hermite_setup(nodes, states, window_start(nodes, tm + h, width, tstep), width, zq, dq)
    xp0, xp1, xp2 = hermite_position(tm + h, width, zq, dq)
    v_fd = math.sqrt((xp0 - xm0) ** 2 + (xp1 - xm1) ** 2 + (xp2 - xm2) ** 2) / (2.0 * h)
    v = max(math.sqrt(v0 * v0 + v1 * v1 + v2 * v2), 1.01 * v_fd)
    v_bound = 1.02 * math.sqrt(v * v + 2.0 * gm * max(1.0 / r_floor - 1.0 / r, 0.0))
    r_lo = max(r - v_bound * step, r_floor)
    v_max = 1.02 * math.sqrt(v * v + 2.0 * gm * max(1.0 / r_lo - 1.0 / r, 0.0))
    r_hi = r + v_max * step
    rate = v_max / r_lo + omega
    c0, c1, c2 = rotate_xyz(tm, r0, r1, r2, rt0, rh, rtab, wpoly)
    cosg = (c0 * pos[s, 0] + c1 * pos[s, 1] + c2 * pos[s, 2]) / (r * site_r)
    gamma = math.acos(min(max(cosg, -1.0), 1.0))
    gamma_max = math.acos(min(max(site_r / r_hi * cos_mask, -1.0), 1.0)) - mask_min
    return gamma - rate * step <= gamma_max + 0.01


@njit(cache=True, nogil=True, error_model="numpy")
def scan_passes(t, gpos, gv, task_site, task_lo, task_hi, cap_off, step, tol, use_filter, g_kind,
                yes, mask_min, gm, r_floor, omega, nodes, states, width, tstep, rt0, rh, rtab,
                wpoly, pos, enu, maz, mel, starts, n_starts, ends, n_ends, lo, hi):
    """Rises and sets of tasks ``lo:hi``: task ``j`` is site ``task_site[j]`` over the
    sample intervals ``task_lo[j]:task_hi[j]`` of the grid ``t`` (n,), with ``gv`` (sites,
    n) :func:`_g` at the samples and ``gpos`` (n, 3) the orbiter's ICRF positions there.

    As ``areo._search.find_windows_multi``: each sign change is refined to ``tol``, each
    local minimum of ``gv`` with its three samples out of view (centre in the task's
    intervals) that :func:`_could_rise` allows (``use_filter``) is refined by Brent until it
    proves a pass (a value below 0) and then both its edges; a pass in view at the grid's
    first (last) sample starts (ends) there. The task's starts go to ``starts[cap_off[j]:]``,
    ``n_starts[j]`` of them, the ends likewise (not sorted). ``g_kind`` is -1 and ``yes``
    True: given as arguments, not written as literals, so that the inner functions they
    reach compile once (a literal is typed apart from a variable).
    """
    z = np.full(2 * width + 1, -1.0)
    d = np.empty((3, 2 * width))
    zq = np.empty(2 * width)
    dq = np.empty((3, 2 * width))
    n = t.size
    for j in range(lo, hi):
        s = task_site[j]
        g = gv[s]
        ns = 0
        ne = 0
        off = cap_off[j]
        if task_lo[j] == 0 and g[0] < 0.0:
            starts[off + ns] = t[0]
            ns += 1
        for i in range(task_lo[j], task_hi[j]):
            in_a = g[i] < 0.0
            in_b = g[i + 1] < 0.0
            if in_a != in_b:
                a, b = _crossing(t[i], t[i + 1], g[i], g[i + 1], tol, s, nodes, states,
                                 width, tstep, rt0, rh, rtab, wpoly, pos, enu, maz, mel, z, d)
                if in_b:
                    starts[off + ns] = b
                    ns += 1
                else:
                    ends[off + ne] = a
                    ne += 1
            c = i
            if (c >= 1 and c <= n - 2 and g[c - 1] > g[c] and g[c] <= g[c + 1]
                    and not g[c - 1] < 0.0 and not g[c] < 0.0 and not g[c + 1] < 0.0):
                if use_filter and not _could_rise(t, gpos, c, s, step, mask_min, gm, r_floor,
                                                  omega, nodes, states, width, tstep, rt0, rh,
                                                  rtab, wpoly, pos, zq, dq):
                    continue
                tm, gmin = _brent(t[c - 1], t[c], t[c + 1], g[c - 1], g[c], g[c + 1], tol,
                                  yes, 0.0, g_kind, s, nodes, states, width, tstep, rt0, rh,
                                  rtab, wpoly, pos, enu, maz, mel, z, d)
                if gmin < 0.0:
                    starts[off + ns] = _crossing(
                        t[c - 1], tm, g[c - 1], gmin, tol, s, nodes, states, width, tstep,
                        rt0, rh, rtab, wpoly, pos, enu, maz, mel, z, d)[1]
                    ns += 1
                    ends[off + ne] = _crossing(
                        tm, t[c + 1], gmin, g[c + 1], tol, s, nodes, states, width, tstep,
                        rt0, rh, rtab, wpoly, pos, enu, maz, mel, z, d)[0]
                    ne += 1
        if task_hi[j] == n - 1 and g[n - 1] < 0.0:
            ends[off + ne] = t[n - 1]
            ne += 1
        n_starts[j] = ns
        n_ends[j] = ne


@njit(cache=True, nogil=True, error_model="numpy")
def grid_sample(t, nodes, states, width, tstep, rt0, rh, rtab, wpoly, pos, enu, maz, mel,
                gpos, gv, lo, hi):
    """The coarse grid's samples ``lo:hi``: the orbiter's ICRF positions ``gpos`` (n, 3)
    (:mod:`areo.ephem.tabulated`'s Hermite interpolant) and :func:`_g` for every site, ``gv``
    (sites, n), from its body-fixed position (the rotation table)."""
    z = np.empty(2 * width)
    d = np.empty((3, 2 * width))
    for i in range(lo, hi):
        x = t[i]
        hermite_setup(nodes, states, window_start(nodes, x, width, tstep), width, z, d)
        p0, p1, p2 = hermite_position(x, width, z, d)
        gpos[i, 0] = p0
        gpos[i, 1] = p1
        gpos[i, 2] = p2
        b0, b1, b2 = rotate_xyz(x, p0, p1, p2, rt0, rh, rtab, wpoly)
        for s in range(pos.shape[0]):
            e, n, u = _site_enu_of(b0, b1, b2, s, pos, enu)
            el = _elevation(e, n, u)
            if maz.size == 0:
                gv[s, i] = -(el - mel[0])
            else:
                gv[s, i] = -(el - _mask_at(math.atan2(e, n) % _TWO_PI, maz, mel))


@njit(cache=True, nogil=True, error_model="numpy")
def pass_extrema(w_start, w_end, w_site, step, tol, nodes, states, width, tstep, rt0, rh,
                 rtab, wpoly, pos, enu, maz, mel, out, lo, hi):
    """Culmination and closest range of the windows ``lo:hi``: ``out[i]`` = (epoch of the
    highest elevation, that elevation (rad), the smallest range (km)); ``maz``, ``mel`` as
    for :func:`scan_passes` (unused: the extrema are of the geometry alone).

    As ``areo._search.window_minima``: each window sampled at ``max(ceil(width / step), 4)``
    equal intervals, the best sample refined by Brent between its neighbours, or by golden
    section towards its one neighbour when it is an end sample (the better of the two kept).
    """
    z = np.full(2 * width + 1, -1.0)
    d = np.empty((3, 2 * width))
    ts = np.empty(64)
    vs = np.empty((2, 64))
    for i in range(lo, hi):
        s0 = w_start[i]
        s1 = w_end[i]
        s = w_site[i]
        m = max(math.ceil((s1 - s0) / step), 4)
        if m + 1 > ts.size:
            ts = np.empty(2 * (m + 1))
            vs = np.empty((2, 2 * (m + 1)))
        spacing = (s1 - s0) / m
        for k in range(m):
            ts[k] = min(s0 + spacing * k, s1)
        ts[m] = s1
        # one geometry per sample for both: minus the elevation, and the range
        for k in range(m + 1):
            e, n, u = _enu_at(ts[k], s, nodes, states, width, tstep, rt0, rh, rtab, wpoly,
                              pos, enu, z, d)
            vs[0, k] = -_elevation(e, n, u)
            vs[1, k] = math.sqrt(e * e + n * n + u * u)
        for kind in range(2):
            v = vs[kind]
            best = 0
            for k in range(1, m + 1):
                if v[k] < v[best]:
                    best = k
            tm, fm = ts[best], v[best]
            if 0 < best < m:
                tm, fm = _brent(ts[best - 1], ts[best], ts[best + 1], v[best - 1], v[best],
                                v[best + 1], tol, kind < 0, 0.0, kind, s, nodes, states, width,
                                tstep, rt0, rh, rtab, wpoly, pos, enu, maz, mel, z, d)
            else:
                a, b = (0, 1) if best == 0 else (m - 1, m)
                tk, fk = _golden(ts[a], ts[b], tol, kind, s, nodes, states, width, tstep, rt0,
                                 rh, rtab, wpoly, pos, enu, z, d)
                if fk < fm:
                    tm, fm = tk, fk
            if kind == 0:
                out[i, 0] = tm
                out[i, 1] = -fm
            else:
                out[i, 2] = fm
