"""Generic vectorised search on a scalar function of time: windows, crossings, minima.

Shared by ``areo.ephem`` (solar conjunctions) and the geometry event finders. Every function
takes ``f``, a vectorised function mapping a 1-D float64 array of epochs (TDB seconds past
J2000, or any time axis in seconds) to an array of the same shape, and calls it on whole
batches: one call for the coarse sampling, then one call per refinement iteration for all
crossings (or minima) together, so the Python overhead does not grow with the number of
events.

Contract (read this before choosing ``step``):

- The window ``[et0, et1]`` is sampled every ``step`` seconds (plus ``et1``). A condition
  that holds over an interval is found when at least one sample lands inside it, or, with
  ``refine_extrema=True``, when the dip that produces it is a local minimum of the samples
  (the function is unimodal over two steps around it). Events shorter than ``step`` that
  are neither may be missed; so may two crossings between the same two samples.
- Edges are refined to ``tol`` seconds (default 1 ms) by a bracketing secant/bisection
  hybrid; each returned edge is a time at which the condition holds (start: first time
  inside, end: last time inside, to ``tol``).
- "Below" means ``f < threshold`` strictly; "above" means ``f > threshold``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from areo import validate
from areo.errors import ParameterError

__all__ = [
    "bracket_crossings",
    "bracketed_minimum",
    "find_windows",
    "find_windows_multi",
    "golden_minimum",
    "sample_times",
    "window_minima",
]

VectorFunction = Callable[[np.ndarray], np.ndarray]

_INVPHI = (np.sqrt(5.0) - 1.0) / 2.0


def _check(et0: float, et1: float, step: float, tol: float) -> None:
    validate.finite(et0, "window start", unit="s")
    validate.finite(et1, "window end", unit="s")
    if et1 < et0:
        raise ParameterError(
            f"window end {et1} s is before its start {et0} s: swap start and stop"
        )
    validate.positive(step, "step", unit="s", hint="a positive number of seconds")
    validate.positive(tol, "tolerance", unit="s", hint="a positive number of seconds, e.g. 1e-3")


def sample_times(et0: float, et1: float, step: float, copies: int = 1) -> np.ndarray:
    """``et0, et0 + step, ...`` strictly before ``et1``, then ``et1`` itself (at least one).

    Refuses (:func:`areo.validate.sample_count`) a grid that, repeated for ``copies``
    objects, would exceed :data:`areo.validate.MAX_SAMPLES`, before allocating it.
    """
    validate.sample_count(et0, et1, step, name="step", copies=copies)
    m = int(np.ceil((et1 - et0) / step)) if et1 > et0 else 0
    regular = et0 + step * np.arange(m, dtype=np.float64)
    return np.append(regular[regular < et1], float(et1))


def _call(f: VectorFunction, x: np.ndarray, which: np.ndarray | None = None) -> np.ndarray:
    """``f(x)``, or ``f(x, which)`` for a search over several objects at once."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    out = np.asarray(f(x) if which is None else f(x, which), dtype=np.float64)
    if out.shape != x.shape:
        raise ParameterError(
            f"the searched function returned shape {out.shape} for epochs of shape {x.shape}: "
            "it must map an array of epochs to an array of the same shape"
        )
    return out


def bracket_crossings(
    g: VectorFunction,
    lo: np.ndarray,
    hi: np.ndarray,
    glo: np.ndarray,
    ghi: np.ndarray,
    tol: float = 1e-3,
    max_iter: int = 200,
    which: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Shrink brackets ``[lo, hi]`` where ``g < 0`` flips, all together, to width <= ``tol``.

    ``glo``/``ghi`` are ``g`` at the ends, with ``(glo < 0) != (ghi < 0)``. One call of ``g``
    per iteration for all open brackets: a regula-falsi point with the Anderson-Bjorck
    correction (the stale end's value is scaled down so that both ends move; superlinear on
    smooth functions), moved to ``tol/2`` from an end when it falls closer, so that a
    bracket whose root sits by one end closes on the next call. A step that fails to halve
    the bracket twice in a row is followed by a bisection, so discontinuous functions close
    too (the width at least halves every three calls). Returns the new ``(lo, hi)``, where
    ``lo`` keeps the predicate value of the old ``lo``. With ``which`` (an object index per
    bracket), ``g`` is called as ``g(epochs, which)`` so that one search serves many objects.
    """
    lo = np.array(lo, dtype=np.float64, copy=True)
    hi = np.array(hi, dtype=np.float64, copy=True)
    glo = np.array(glo, dtype=np.float64, copy=True)
    ghi = np.array(ghi, dtype=np.float64, copy=True)
    which = None if which is None else np.asarray(which)
    inside_lo = glo < 0.0
    stall = np.zeros(lo.shape, dtype=np.int8)
    half = 0.5 * tol
    for _ in range(max_iter):
        act = np.flatnonzero(hi - lo > tol + 8.0 * np.spacing(np.abs(hi)))
        if act.size == 0:
            break
        a, b, ga, gb = lo[act], hi[act], glo[act], ghi[act]
        w = b - a
        with np.errstate(all="ignore"):
            x = a + w * ga / (ga - gb)
        bisect = (stall[act] >= 2) | ~np.isfinite(x) | (x <= a) | (x >= b)
        x = np.where(bisect, a + 0.5 * w, x)
        x = np.where(x - a < half, a + half, np.where(b - x < half, b - half, x))
        gx = _call(g, x, None if which is None else which[act])
        same_as_lo = (gx < 0.0) == inside_lo[act]
        # Anderson-Bjorck: scale the end that stays by m = 1 - g(x)/g(moved end).
        with np.errstate(all="ignore"):
            m_lo = 1.0 - gx / ga
            m_hi = 1.0 - gx / gb
        m_lo = np.where((m_lo > 0.0) & np.isfinite(m_lo), m_lo, 0.5)
        m_hi = np.where((m_hi > 0.0) & np.isfinite(m_hi), m_hi, 0.5)
        na = np.where(same_as_lo, x, a)
        nb = np.where(same_as_lo, b, x)
        nga = np.where(same_as_lo, gx, ga * m_hi)
        ngb = np.where(same_as_lo, gb * m_lo, gx)
        stall[act] = np.where(nb - na > 0.5 * w, stall[act] + 1, 0)
        lo[act], hi[act], glo[act], ghi[act] = na, nb, nga, ngb
    return lo, hi


def golden_minimum(
    f: VectorFunction,
    a: np.ndarray,
    b: np.ndarray,
    tol: float = 1e-3,
    max_iter: int = 200,
    which: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimum of ``f`` on each ``[a, b]`` by vectorised golden-section search.

    Assumes ``f`` unimodal on each bracket (otherwise a local minimum is found). Robust on
    kinks (no derivatives, no parabola). Returns ``(t_min, f_min)`` with ``t_min`` within
    ``tol`` of the minimiser; ``f_min`` is exact at ``t_min``. A smooth minimum is flat, so
    rounding in ``f`` may move ``t_min`` by about ``sqrt(2 * eps_f / f'')``. ``which``: as in
    :func:`bracket_crossings`.
    """
    a = np.array(a, dtype=np.float64, copy=True)
    b = np.array(b, dtype=np.float64, copy=True)
    c = b - _INVPHI * (b - a)
    d = a + _INVPHI * (b - a)
    which = None if which is None else np.asarray(which)
    vals = _call(f, np.concatenate([c, d]), None if which is None else np.tile(which, 2))
    fc, fd = vals[: a.size], vals[a.size :]
    for _ in range(max_iter):
        act = np.flatnonzero(b - a > tol)
        if act.size == 0:
            break
        aa, bb, cc, dd, fcc, fdd = a[act], b[act], c[act], d[act], fc[act], fd[act]
        left = fcc <= fdd  # the minimum lies in [a, d]
        bb = np.where(left, dd, bb)
        aa = np.where(left, aa, cc)
        x = np.where(left, bb - _INVPHI * (bb - aa), aa + _INVPHI * (bb - aa))
        fx = _call(f, x, None if which is None else which[act])
        a[act], b[act] = aa, bb
        c[act] = np.where(left, x, dd)
        fc[act] = np.where(left, fx, fdd)
        d[act] = np.where(left, cc, x)
        fd[act] = np.where(left, fcc, fx)
    pick_c = fc <= fd
    return np.where(pick_c, c, d), np.where(pick_c, fc, fd)


def bracketed_minimum(
    f: VectorFunction,
    a: np.ndarray,
    x: np.ndarray,
    b: np.ndarray,
    fa: np.ndarray,
    fx: np.ndarray,
    fb: np.ndarray,
    tol: float = 1e-3,
    max_iter: int = 100,
    which: np.ndarray | None = None,
    stop_below: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimum of ``f`` in each bracket ``a < x < b`` with ``f(x) <= f(a), f(b)``.

    Brent's method (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 5),
    vectorised: parabolic interpolation through the three best points so far, accepted
    only while its steps keep shrinking (less than half the step before last) and stay
    inside the bracket, golden section otherwise, and never a step shorter than ``tol/2``.
    Each bracket ends with its minimum located to ``tol``; on smooth functions that takes
    a handful of calls instead of golden section's ~30 for 1 ms on a minutes-long bracket.
    All brackets advance together, one call of ``f`` per iteration. With ``stop_below``, a
    bracket stops as soon as a value below it is found (enough to prove that a dip crosses
    a threshold). Returns ``(x_min, f_min)``.
    """
    cgold = 0.381966011250105
    a, x, b = (np.array(v, dtype=np.float64, copy=True) for v in (a, x, b))
    fa, fx, fb = (np.array(v, dtype=np.float64, copy=True) for v in (fa, fx, fb))
    which = None if which is None else np.asarray(which)
    lower_a = fa <= fb
    w, fw = np.where(lower_a, a, b), np.where(lower_a, fa, fb)
    v, fv = np.where(lower_a, b, a), np.where(lower_a, fb, fa)
    d = np.zeros_like(x)
    e = b - a
    for _ in range(max_iter):
        # Slack of a few ulps: epochs near 1e9 s round x +- tol to ~1e-7 s.
        tol1 = 0.5 * tol + 4.0 * np.spacing(np.abs(x))
        xm = 0.5 * (a + b)
        active = np.abs(x - xm) > 2.0 * tol1 - 0.5 * (b - a)
        if stop_below is not None:
            active &= fx >= stop_below
        k = np.flatnonzero(active)
        if k.size == 0:
            break
        ak, bk, xk, wk, vk = a[k], b[k], x[k], w[k], v[k]
        fxk, fwk, fvk, dk, ek = fx[k], fw[k], fv[k], d[k], e[k]
        t1, mid = tol1[k], xm[k]
        r = (xk - wk) * (fxk - fvk)
        q = (xk - vk) * (fxk - fwk)
        p = (xk - vk) * q - (xk - wk) * r
        q = 2.0 * (q - r)
        p = np.where(q > 0.0, -p, p)
        q = np.abs(q)
        with np.errstate(all="ignore"):
            step = p / q
        parabolic = (
            (np.abs(ek) > t1) & (q > 0.0) & (np.abs(p) < np.abs(0.5 * q * ek))
            & (p > q * (ak - xk)) & (p < q * (bk - xk))
        )
        golden_e = np.where(xk >= mid, ak - xk, bk - xk)
        new_e = np.where(parabolic, dk, golden_e)
        new_d = np.where(parabolic, step, cgold * golden_e)
        # A parabolic point too close to the bracket ends steps tol1 towards the middle.
        u_try = xk + new_d
        near_end = parabolic & (((u_try - ak) < 2.0 * t1) | ((bk - u_try) < 2.0 * t1))
        new_d = np.where(near_end, np.where(mid >= xk, t1, -t1), new_d)
        u = np.where(np.abs(new_d) >= t1, xk + new_d, xk + np.where(new_d >= 0.0, t1, -t1))
        fu = _call(f, u, None if which is None else which[k])
        better = fu <= fxk
        a[k] = np.where(better, np.where(u >= xk, xk, ak), np.where(u < xk, u, ak))
        b[k] = np.where(better, np.where(u >= xk, bk, xk), np.where(u < xk, bk, u))
        replace_w = ~better & ((fu <= fwk) | (wk == xk))
        replace_v = ~better & ~replace_w & ((fu <= fvk) | (vk == xk) | (vk == wk))
        v[k] = np.where(better | replace_w, wk, np.where(replace_v, u, vk))
        fv[k] = np.where(better | replace_w, fwk, np.where(replace_v, fu, fvk))
        w[k] = np.where(better, xk, np.where(replace_w, u, wk))
        fw[k] = np.where(better, fxk, np.where(replace_w, fu, fwk))
        x[k] = np.where(better, u, xk)
        fx[k] = np.where(better, fu, fxk)
        d[k], e[k] = new_d, new_e
    return x, fx


def find_windows(
    f: VectorFunction,
    et0: float,
    et1: float,
    step: float,
    threshold: float,
    *,
    below: bool = True,
    tol: float = 1e-3,
    refine_extrema: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Sub-intervals of ``[et0, et1]`` where ``f < threshold`` (``below``) or ``f > threshold``.

    See the module docstring for the sampling contract. Windows touching ``et0`` or ``et1``
    are clipped there. Returns ``(starts, ends)``, sorted float64 arrays of equal length.
    """
    starts, ends, _ = find_windows_multi(
        lambda x, _which: f(x), 1, et0, et1, step, threshold,
        below=below, tol=tol, refine_extrema=refine_extrema,
    )
    return starts, ends


def find_windows_multi(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n_objects: int,
    et0: float,
    et1: float,
    step: float,
    threshold: float,
    *,
    below: bool = True,
    tol: float = 1e-3,
    refine_extrema: bool = True,
    dip_filter: Callable[[np.ndarray, np.ndarray, float], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`find_windows` for ``n_objects`` functions searched together.

    ``f(epochs, which)`` evaluates object ``which[i]`` at ``epochs[i]`` (both 1-D, same
    length): one call covers the coarse grid of every object, and each refinement step
    one call for all brackets of all objects. Returns ``(starts, ends, which)`` sorted by
    object, then by start.

    ``dip_filter(t_mid, which, step)``, if given, says for each sampled extremum whose three
    samples are all outside (centre ``t_mid``) whether the condition *could* hold within
    ``step`` of it; only those are refined. It must be conservative (a rigorous bound from
    the geometry): a False drops the candidate without a look.
    """
    et0, et1, step, tol = float(et0), float(et1), float(step), float(tol)
    _check(et0, et1, step, tol)
    k = int(n_objects)
    if k < 1:
        raise ParameterError(f"n_objects {n_objects} must be at least 1")
    sign = 1.0 if below else -1.0
    thr = float(threshold)

    def g(x: np.ndarray, which: np.ndarray) -> np.ndarray:
        return sign * (_call(f, x, which) - thr)

    t = sample_times(et0, et1, step, copies=k)
    n = t.size
    owner = np.repeat(np.arange(k), n)
    gv = g(np.tile(t, k), owner).reshape(k, n)
    inside = gv < 0.0
    row, col = np.nonzero(inside[:, :-1] != inside[:, 1:])
    lo, hi = bracket_crossings(
        g, t[col], t[col + 1], gv[row, col], gv[row, col + 1], tol, which=row
    )
    entering = ~inside[row, col]
    first_in, last_in = np.flatnonzero(inside[:, 0]), np.flatnonzero(inside[:, -1])
    starts = [np.full(first_in.size, et0), hi[entering]]
    s_obj = [first_in, row[entering]]
    ends = [lo[~entering], np.full(last_in.size, et1)]
    e_obj = [row[~entering], last_in]
    if refine_extrema and n >= 3:
        # Dips that no sample caught: local minima of the samples, all three samples out.
        out = ~inside
        dr, dc = np.nonzero(
            (gv[:, :-2] > gv[:, 1:-1]) & (gv[:, 1:-1] <= gv[:, 2:])
            & out[:, :-2] & out[:, 1:-1] & out[:, 2:]
        )
        dc = dc + 1
        if dr.size and dip_filter is not None:
            keep = np.asarray(dip_filter(t[dc], dr, step), dtype=bool)
            dr, dc = dr[keep], dc[keep]
        if dr.size:
            tm, gm = bracketed_minimum(
                g, t[dc - 1], t[dc], t[dc + 1], gv[dr, dc - 1], gv[dr, dc], gv[dr, dc + 1],
                tol, which=dr, stop_below=0.0,
            )
            dip = gm < 0.0
            if dip.any():
                dr, dc, tm, gm = dr[dip], dc[dip], tm[dip], gm[dip]
                starts.append(
                    bracket_crossings(g, t[dc - 1], tm, gv[dr, dc - 1], gm, tol, which=dr)[1]
                )
                ends.append(
                    bracket_crossings(g, tm, t[dc + 1], gm, gv[dr, dc + 1], tol, which=dr)[0]
                )
                s_obj.append(dr)
                e_obj.append(dr)
    s = np.concatenate(starts).astype(np.float64)
    e = np.concatenate(ends).astype(np.float64)
    so = np.concatenate(s_obj).astype(np.int64)
    eo = np.concatenate(e_obj).astype(np.int64)
    # Starts and ends pair up in time order within each object.
    s_order = np.lexsort((s, so))
    e_order = np.lexsort((e, eo))
    return s[s_order], e[e_order], so[s_order]


def window_minima(
    f: VectorFunction,
    starts: np.ndarray,
    ends: np.ndarray,
    step: float,
    tol: float = 1e-3,
    which: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Global minimum of ``f`` inside each window ``[starts[i], ends[i]]``.

    Each window is sampled every ``step`` (all windows in one call); the best sample and
    its neighbours bracket a golden-section search. Same sampling contract as
    :func:`find_windows`. Returns ``(t_min, f_min)`` arrays; use ``-f`` for maxima.
    ``which`` (object index per window) makes ``f`` be called as ``f(epochs, which)``.
    """
    starts = np.asarray(starts, dtype=np.float64).ravel()
    ends = np.asarray(ends, dtype=np.float64).ravel()
    if starts.shape != ends.shape:
        raise ParameterError("starts and ends must have the same length")
    if starts.size == 0:
        return np.empty(0), np.empty(0)
    step, tol = float(step), float(tol)
    bad = ~(np.isfinite(starts) & np.isfinite(ends) & (ends >= starts))
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        _check(float(starts[k]), float(ends[k]), step, tol)  # raises with the message
    _check(0.0, 0.0, step, tol)
    # At least four intervals per window, so that its best sample usually has neighbours
    # inside and Brent applies (a two-sample window would need golden section from scratch).
    total = float(np.sum(np.maximum(np.ceil((ends - starts) / step), 4.0) + 1.0))
    if total > validate.MAX_SAMPLES:
        raise ParameterError(
            f"{starts.size} windows of {float(np.sum(ends - starts)):.10g} s in all at a step "
            f"of {step:.10g} s give {int(total):,} samples (limit {validate.MAX_SAMPLES:,}, "
            "areo.validate.MAX_SAMPLES): use a larger step or fewer, shorter windows"
        )
    m = np.maximum(np.ceil((ends - starts) / step).astype(np.int64), 4)
    n = m + 1
    offsets = np.concatenate([[0], np.cumsum(n)[:-1]])
    owner = np.repeat(np.arange(starts.size), n)
    local = np.arange(owner.size) - offsets[owner]
    spacing = (ends - starts) / m
    t = np.minimum(starts[owner] + spacing[owner] * local, ends[owner])
    last = offsets + n - 1
    t[last] = ends
    w = None if which is None else np.asarray(which, dtype=np.int64).ravel()
    v = _call(f, t, None if w is None else w[owner])
    order = np.lexsort((v, owner))  # by window, then by value
    first = np.searchsorted(owner[order], np.arange(starts.size))
    j = order[first]
    lo, hi = np.maximum(j - 1, offsets), np.minimum(j + 1, last)
    interior = (lo < j) & (j < hi)
    tm, fm = t[j].copy(), v[j].copy()
    # A best sample inside its window brackets the minimum with its neighbours; one at a
    # window edge (the minimum sits on the boundary or in the last step) uses golden section.
    k = np.flatnonzero(interior)
    if k.size:
        tk, fk = bracketed_minimum(
            f, t[lo[k]], t[j[k]], t[hi[k]], v[lo[k]], v[j[k]], v[hi[k]], tol,
            which=None if w is None else w[k],
        )
        tm[k], fm[k] = tk, fk
    k = np.flatnonzero(~interior & (hi > lo))
    if k.size:
        tk, fk = golden_minimum(f, t[lo[k]], t[hi[k]], tol, which=None if w is None else w[k])
        better = fk < fm[k]
        tm[k] = np.where(better, tk, tm[k])
        fm[k] = np.where(better, fk, fm[k])
    return tm, fm
