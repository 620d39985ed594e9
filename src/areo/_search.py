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

from areo.errors import ParameterError

__all__ = [
    "bracket_crossings",
    "find_windows",
    "golden_minimum",
    "sample_times",
    "window_minima",
]

VectorFunction = Callable[[np.ndarray], np.ndarray]

_INVPHI = (np.sqrt(5.0) - 1.0) / 2.0


def _check(et0: float, et1: float, step: float, tol: float) -> None:
    if not (np.isfinite(et0) and np.isfinite(et1)):
        raise ParameterError(f"window [{et0}, {et1}] must have finite ends (seconds)")
    if et1 < et0:
        raise ParameterError(
            f"window end {et1} s is before its start {et0} s: swap start and stop"
        )
    if not np.isfinite(step) or step <= 0.0:
        raise ParameterError(f"step {step} s must be a positive number of seconds")
    if not np.isfinite(tol) or tol <= 0.0:
        raise ParameterError(f"tolerance {tol} s must be a positive number of seconds")


def sample_times(et0: float, et1: float, step: float) -> np.ndarray:
    """``et0, et0 + step, ...`` strictly before ``et1``, then ``et1`` itself (at least one)."""
    m = int(np.ceil((et1 - et0) / step)) if et1 > et0 else 0
    regular = et0 + step * np.arange(m, dtype=np.float64)
    return np.append(regular[regular < et1], float(et1))


def _call(f: VectorFunction, x: np.ndarray) -> np.ndarray:
    out = np.asarray(f(np.ascontiguousarray(x, dtype=np.float64)), dtype=np.float64)
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
) -> tuple[np.ndarray, np.ndarray]:
    """Shrink brackets ``[lo, hi]`` where ``g < 0`` flips, all together, to width <= ``tol``.

    ``glo``/``ghi`` are ``g`` at the ends, with ``(glo < 0) != (ghi < 0)``. Each iteration
    evaluates, per bracket, a regula-falsi point and two probes ``tol/4`` either side, so
    once the secant lands within ``tol/4`` of the crossing the bracket closes at once;
    a step that fails to halve the bracket is followed by a bisection step, so the width
    at least halves every two iterations. Returns the new ``(lo, hi)``, where ``lo`` keeps
    the predicate value of the old ``lo``.
    """
    lo = np.array(lo, dtype=np.float64, copy=True)
    hi = np.array(hi, dtype=np.float64, copy=True)
    glo = np.array(glo, dtype=np.float64, copy=True)
    ghi = np.array(ghi, dtype=np.float64, copy=True)
    bisect = np.zeros(lo.shape, dtype=bool)
    delta = 0.25 * tol
    for _ in range(max_iter):
        act = np.flatnonzero(hi - lo > tol)
        if act.size == 0:
            break
        a, b, ga, gb = lo[act], hi[act], glo[act], ghi[act]
        w = b - a
        with np.errstate(all="ignore"):
            x = a + w * ga / (ga - gb)
        mid = bisect[act] | ~np.isfinite(x) | (x <= a) | (x >= b)
        x = np.where(mid, a + 0.5 * w, x)
        probes = np.stack([np.maximum(x - delta, a), x, np.minimum(x + delta, b)], axis=1)
        gp = _call(g, probes.ravel()).reshape(probes.shape)
        pts = np.column_stack([a, probes, b])
        vals = np.column_stack([ga, gp, gb])
        inside = vals < 0.0
        # The first flip along the bracket: its left end keeps lo's predicate value.
        j = np.argmax(inside[:, :-1] != inside[:, 1:], axis=1)
        r = np.arange(act.size)
        na, nb = pts[r, j], pts[r, j + 1]
        bisect[act] = (nb - na) > 0.5 * w
        lo[act], hi[act], glo[act], ghi[act] = na, nb, vals[r, j], vals[r, j + 1]
    return lo, hi


def golden_minimum(
    f: VectorFunction,
    a: np.ndarray,
    b: np.ndarray,
    tol: float = 1e-3,
    max_iter: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Minimum of ``f`` on each ``[a, b]`` by vectorised golden-section search.

    Assumes ``f`` unimodal on each bracket (otherwise a local minimum is found). Robust on
    kinks (no derivatives, no parabola). Returns ``(t_min, f_min)`` with ``t_min`` within
    ``tol`` of the minimiser; ``f_min`` is exact at ``t_min``. A smooth minimum is flat, so
    rounding in ``f`` may move ``t_min`` by about ``sqrt(2 * eps_f / f'')``.
    """
    a = np.array(a, dtype=np.float64, copy=True)
    b = np.array(b, dtype=np.float64, copy=True)
    c = b - _INVPHI * (b - a)
    d = a + _INVPHI * (b - a)
    vals = _call(f, np.concatenate([c, d]))
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
        fx = _call(f, x)
        a[act], b[act] = aa, bb
        c[act] = np.where(left, x, dd)
        fc[act] = np.where(left, fx, fdd)
        d[act] = np.where(left, cc, x)
        fd[act] = np.where(left, fcc, fx)
    pick_c = fc <= fd
    return np.where(pick_c, c, d), np.where(pick_c, fc, fd)


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
    et0, et1, step, tol = float(et0), float(et1), float(step), float(tol)
    _check(et0, et1, step, tol)
    sign = 1.0 if below else -1.0
    thr = float(threshold)

    def g(x: np.ndarray) -> np.ndarray:
        return sign * (_call(f, x) - thr)

    t = sample_times(et0, et1, step)
    gv = g(t)
    inside = gv < 0.0
    k = np.flatnonzero(inside[:-1] != inside[1:])
    lo, hi = bracket_crossings(g, t[k], t[k + 1], gv[k], gv[k + 1], tol)
    entering = ~inside[k]
    starts = [np.array([et0] if inside[0] else []), hi[entering]]
    ends = [lo[~entering], np.array([et1] if inside[-1] else [])]
    if refine_extrema and t.size >= 3:
        # Dips that no sample caught: local minima of the samples, all three samples out.
        out = ~inside
        i = 1 + np.flatnonzero(
            (gv[:-2] > gv[1:-1]) & (gv[1:-1] <= gv[2:]) & out[:-2] & out[1:-1] & out[2:]
        )
        if i.size:
            tm, gm = golden_minimum(g, t[i - 1], t[i + 1], tol)
            dip = gm < 0.0
            if dip.any():
                i, tm, gm = i[dip], tm[dip], gm[dip]
                starts.append(bracket_crossings(g, t[i - 1], tm, gv[i - 1], gm, tol)[1])
                ends.append(bracket_crossings(g, tm, t[i + 1], gm, gv[i + 1], tol)[0])
    s = np.concatenate(starts).astype(np.float64)
    e = np.concatenate(ends).astype(np.float64)
    order = np.argsort(s, kind="stable")
    return s[order], e[order]


def window_minima(
    f: VectorFunction,
    starts: np.ndarray,
    ends: np.ndarray,
    step: float,
    tol: float = 1e-3,
) -> tuple[np.ndarray, np.ndarray]:
    """Global minimum of ``f`` inside each window ``[starts[i], ends[i]]``.

    Each window is sampled every ``step`` (all windows in one call); the best sample and
    its neighbours bracket a golden-section search. Same sampling contract as
    :func:`find_windows`. Returns ``(t_min, f_min)`` arrays; use ``-f`` for maxima.
    """
    starts = np.asarray(starts, dtype=np.float64).ravel()
    ends = np.asarray(ends, dtype=np.float64).ravel()
    if starts.shape != ends.shape:
        raise ParameterError("starts and ends must have the same length")
    if starts.size == 0:
        return np.empty(0), np.empty(0)
    step, tol = float(step), float(tol)
    for s0, e0 in zip(starts, ends, strict=True):
        _check(s0, e0, step, tol)
    m = np.ceil((ends - starts) / step).astype(np.int64)
    n = m + 1
    offsets = np.concatenate([[0], np.cumsum(n)[:-1]])
    owner = np.repeat(np.arange(starts.size), n)
    local = np.arange(owner.size) - offsets[owner]
    t = np.minimum(starts[owner] + step * local, ends[owner])
    last = offsets + n - 1
    t[last] = ends
    v = _call(f, t)
    order = np.lexsort((v, owner))  # by window, then by value
    first = np.searchsorted(owner[order], np.arange(starts.size))
    j = order[first]
    a = t[np.maximum(j - 1, offsets)]
    b = t[np.minimum(j + 1, last)]
    tm, fm = golden_minimum(f, a, b, tol)
    better = fm <= v[j]
    return np.where(better, tm, t[j]), np.where(better, fm, v[j])
