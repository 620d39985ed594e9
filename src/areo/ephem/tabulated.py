"""Tabulated trajectories: states at discrete epochs, interpolated like SPICE SPK types 9/13
and CCSDS OEM ``INTERPOLATION`` (Lagrange or Hermite).

- ``"hermite"``: on each query the ``(degree + 1) // 2`` nearest samples give a Hermite
  polynomial of degree ``2k - 1`` matching their positions and velocities (as SPK type 13);
  the velocity is its derivative. Degree 5 (three samples) is the default.
- ``"lagrange"``: the ``degree + 1`` nearest samples give one Lagrange polynomial per
  component, applied to the positions and to the velocities separately (as SPK type 9).

Samples may be unevenly spaced. Queries outside ``[first, last]`` raise
:class:`~areo.errors.EpochOutOfRangeError`. The window of samples is the one whose centre is
nearest the query, shifted inward at the ends of the table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from areo._numba import inp, run
from areo.errors import EpochOutOfRangeError, ParameterError
from areo.time import Time

__all__ = ["TabulatedTrajectory", "hermite_position", "hermite_setup", "hermite_state",
           "window_start"]

# Queries from which the interpolation splits over threads (areo._numba.run): a Hermite or
# Lagrange state costs ~0.3-1 us, so 1000 queries are a few tenths of a millisecond.
_PARALLEL_MIN = 1000


@njit(cache=True)
def window_start(et_nodes: np.ndarray, x: float, width: int, step: float) -> int:
    n = et_nodes.size
    if step > 0.0:
        # Evenly spaced nodes: the first node >= x by arithmetic, checked against rounding.
        j = int(np.ceil((x - et_nodes[0]) / step))
        j = min(max(j, 0), n)
        while j > 0 and et_nodes[j - 1] >= x:
            j -= 1
        while j < n and et_nodes[j] < x:
            j += 1
    else:
        j = np.searchsorted(et_nodes, x)  # first node >= x
    start = j - width // 2
    if width % 2 == 1 and j < n and j > 0 and (et_nodes[j] - x) < (x - et_nodes[j - 1]):
        start += 1  # odd width: centre on the nearest node
    if start < 0:
        start = 0
    if start + width > n:
        start = n - width
    return start


@njit(cache=True, nogil=True)
def hermite_setup(et_nodes, states, s, k, z, d):
    """The Hermite interpolant on the ``k`` nodes from ``s`` (pos + vel, degree ``2k - 1``)
    in Newton form: ``z[:2k]`` the doubled nodes, ``d`` (3, 2k) the confluent divided
    differences of x, y, z. Also called from other compiled code, which keeps them while
    its queries stay in one window (the passes search, :mod:`areo.events._kernels`)."""
    m = 2 * k
    for i in range(k):
        z[2 * i] = et_nodes[s + i]
        z[2 * i + 1] = et_nodes[s + i]
    for c in range(3):
        # Confluent divided differences (Newton form), in place.
        for i in range(k):
            d[c, 2 * i] = states[s + i, c]
            d[c, 2 * i + 1] = states[s + i, c]
        for i in range(m - 1, 0, -1):
            if i % 2 == 1:
                d[c, i] = states[s + i // 2, c + 3]  # repeated node: the derivative
            else:
                d[c, i] = (d[c, i] - d[c, i - 1]) / (z[i] - z[i - 1])
        for level in range(2, m):
            for i in range(m - 1, level - 1, -1):
                d[c, i] = (d[c, i] - d[c, i - 1]) / (z[i] - z[i - level])


@njit(cache=True, nogil=True)
def hermite_position(x, k, z, d):
    """Position (x, y, z) at ``x`` from :func:`hermite_setup`'s Newton form (Horner)."""
    m = 2 * k
    p0 = d[0, m - 1]
    p1 = d[1, m - 1]
    p2 = d[2, m - 1]
    for i in range(m - 2, -1, -1):
        p0 = p0 * (x - z[i]) + d[0, i]
        p1 = p1 * (x - z[i]) + d[1, i]
        p2 = p2 * (x - z[i]) + d[2, i]
    return p0, p1, p2


@njit(cache=True, nogil=True)
def hermite_state(x, k, z, d):
    """Position and velocity at ``x`` from :func:`hermite_setup`'s Newton form (Horner for
    the value and its derivative)."""
    m = 2 * k
    p0 = d[0, m - 1]
    p1 = d[1, m - 1]
    p2 = d[2, m - 1]
    q0 = 0.0
    q1 = 0.0
    q2 = 0.0
    for i in range(m - 2, -1, -1):
        q0 = q0 * (x - z[i]) + p0
        p0 = p0 * (x - z[i]) + d[0, i]
        q1 = q1 * (x - z[i]) + p1
        p1 = p1 * (x - z[i]) + d[1, i]
        q2 = q2 * (x - z[i]) + p2
        p2 = p2 * (x - z[i]) + d[2, i]
    return p0, p1, p2, q0, q1, q2


@njit(cache=True, nogil=True)
def _hermite(et_nodes, states, query, k, out, with_velocity, step, lo, hi):
    """Hermite interpolation with k nodes (pos + vel): degree 2k - 1, queries ``lo:hi``.

    ``out`` is (n, 6), or (n, 3) with ``with_velocity`` False (positions only).
    """
    z = np.empty(2 * k)
    d = np.empty((3, 2 * k))
    for q in range(lo, hi):
        x = query[q]
        hermite_setup(et_nodes, states, window_start(et_nodes, x, k, step), k, z, d)
        if with_velocity:
            p0, p1, p2, q0, q1, q2 = hermite_state(x, k, z, d)
            out[q, 3] = q0
            out[q, 4] = q1
            out[q, 5] = q2
        else:
            p0, p1, p2 = hermite_position(x, k, z, d)
        out[q, 0] = p0
        out[q, 1] = p1
        out[q, 2] = p2


@njit(cache=True, nogil=True)
def _lagrange(et_nodes, states, query, width, out, step, lo, hi):
    """Lagrange interpolation of each of the 6 components over ``width`` nodes, queries
    ``lo:hi``."""
    for q in range(lo, hi):
        x = query[q]
        s = window_start(et_nodes, x, width, step)
        hit = -1
        for i in range(width):
            if x == et_nodes[s + i]:
                hit = s + i
        if hit >= 0:
            for c in range(6):
                out[q, c] = states[hit, c]
            continue
        # Barycentric form: weights w_i = 1 / prod_{j != i} (x_i - x_j).
        num = np.zeros(6)
        den = 0.0
        for i in range(width):
            w = 1.0
            for j in range(width):
                if j != i:
                    w /= et_nodes[s + i] - et_nodes[s + j]
            t = w / (x - et_nodes[s + i])
            den += t
            for c in range(6):
                num[c] += t * states[s + i, c]
        for c in range(6):
            out[q, c] = num[c] / den


class TabulatedTrajectory:
    """A trajectory known at discrete epochs, interpolated on demand.

    Args:
        time: sample epochs (anything :class:`~areo.time.Time` accepts), strictly increasing.
        states: ``(n, 6)`` km and km/s.
        center, frame: labels of the states (e.g. ``"mars"``, ``"j2000"``), kept as metadata.
        interpolation: ``"hermite"`` or ``"lagrange"``.
        degree: polynomial degree (Hermite: odd, 1..15; Lagrange: 1..15).
    """

    def __init__(
        self,
        time: Any,
        states: Any,
        *,
        center: str = "mars",
        frame: str = "j2000",
        interpolation: str = "hermite",
        degree: int = 5,
        name: str = "",
    ):
        et = np.ascontiguousarray(Time(time).et.ravel(), dtype=np.float64)
        st = np.ascontiguousarray(np.asarray(states, dtype=np.float64))
        if st.shape != (et.size, 6):
            raise ParameterError(
                f"states must have shape (n, 6) matching {et.size} epochs, got {st.shape}"
            )
        if not np.all(np.isfinite(st)):
            raise ParameterError("states hold NaN or infinite values")
        if et.size >= 2 and not np.all(np.diff(et) > 0):
            k = int(np.flatnonzero(np.diff(et) <= 0)[0])
            raise ParameterError(
                f"sample epochs must increase strictly: sample {k + 1} "
                f"({Time.from_et(et[k + 1]).iso}) does not follow sample {k}"
            )
        method = interpolation.strip().lower()
        degree = int(degree)
        if method == "hermite":
            if degree < 1 or degree > 15 or degree % 2 == 0:
                raise ParameterError(
                    f"Hermite degree {degree} must be odd, 1..15 (3 or 5 are usual)"
                )
            width = (degree + 1) // 2
        elif method == "lagrange":
            if not 1 <= degree <= 15:
                raise ParameterError(f"Lagrange degree {degree} must be within 1..15")
            width = degree + 1
        else:
            raise ParameterError(
                f"interpolation {interpolation!r} must be 'hermite' or 'lagrange'"
            )
        if et.size < width:
            raise ParameterError(
                f"{method} of degree {degree} needs at least {width} samples, got {et.size}"
            )
        self.et, self.samples = et, st
        # Evenly spaced tables (the usual output of a propagator) find their interval by
        # arithmetic instead of a binary search; 0 means uneven.
        gaps = np.diff(et)
        even = gaps.size and np.all(np.abs(gaps - gaps[0]) <= 1e-9 * abs(gaps[0]))
        self._step = float(gaps[0]) if even else 0.0
        self.center, self.frame, self.name = center, frame, name
        self.interpolation, self.degree, self._width = method, degree, width

    @property
    def span(self) -> tuple[float, float]:
        return float(self.et[0]), float(self.et[-1])

    @property
    def kernel_args(self) -> tuple[np.ndarray, np.ndarray, int, float]:
        """``(nodes, samples, width, step)``: what the compiled interpolation kernels of this
        module (:func:`window_start`, :func:`hermite_setup`, ...) take, for compiled callers
        (e.g. :mod:`areo.events`' passes search); ``step`` 0 for an uneven table."""
        return inp(self.et), inp(self.samples), int(self._width), float(self._step)

    def state(self, t: Any) -> np.ndarray:
        """Interpolated states ``t.shape + (6,)`` (km, km/s)."""
        return self._evaluate(t, with_velocity=True)

    def position(self, t: Any) -> np.ndarray:
        """Interpolated positions ``t.shape + (3,)`` (km): cheaper than :meth:`state`."""
        return self._evaluate(t, with_velocity=False)

    def _evaluate(self, t: Any, with_velocity: bool) -> np.ndarray:
        time = t if isinstance(t, Time) else (
            Time.from_et(t) if np.asarray(t).dtype.kind in "iuf" else Time(t)
        )
        q = np.ascontiguousarray(np.atleast_1d(time.et).ravel(), dtype=np.float64)
        lo, hi = self.span
        bad = (q < lo) | (q > hi)
        if bad.any():
            raise EpochOutOfRangeError(
                f"epoch {Time.from_et(q[bad][0]).iso} is outside the tabulated trajectory "
                f"{self.name or ''} ({Time.from_et(lo).iso} to {Time.from_et(hi).iso}): "
                "extend the table or keep the epochs within it"
            )
        nodes, samples, q = inp(self.et), inp(self.samples), inp(q)
        if self.interpolation == "hermite":
            out = np.empty((q.size, 6 if with_velocity else 3))
            run(_hermite, q.size, (nodes, samples, q, int(self._width), out,
                                   bool(with_velocity), float(self._step)), _PARALLEL_MIN)
        else:
            out = np.empty((q.size, 6))
            run(_lagrange, q.size, (nodes, samples, q, int(self._width), out,
                                    float(self._step)), _PARALLEL_MIN)
            if not with_velocity:
                out = np.ascontiguousarray(out[:, :3])
        return out.reshape((*np.shape(time.et), out.shape[1]))

    def __repr__(self) -> str:
        lo, hi = self.span
        return (
            f"TabulatedTrajectory({self.name + ': ' if self.name else ''}{self.et.size} states "
            f"about {self.center} ({self.frame}), {Time.from_et(lo).iso} -> "
            f"{Time.from_et(hi).iso}, {self.interpolation} degree {self.degree})"
        )
