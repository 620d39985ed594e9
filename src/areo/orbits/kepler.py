"""Two-body (Kepler) propagation with universal variables, vectorised over orbits x epochs.

Vallado (2013) Algorithm 8 with Stumpff functions (Battin 1999 ch. 4) and the Laguerre-Conway
iteration (Conway 1986); one formulation for ellipses, parabolas and hyperbolas. Ellipses fold
the time of flight into one period first, so months of propagation cost the same per epoch
as minutes and keep full precision. The compiled kernel is
:func:`areo.orbits._kernels.kepler_uv`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo import validate
from areo._numba import inp, run
from areo.errors import ParameterError
from areo.orbits import _kernels as _k
from areo.orbits.elements import _check_states

#: Orbit x epoch cells from which the propagation splits over threads (~0.1 us per cell).
_PARALLEL_MIN = 5000

__all__ = ["propagate_kepler"]


def propagate_kepler(states0: Any, dt: Any, mu: Any) -> np.ndarray:
    """Two-body states after ``dt`` seconds.

    ``states0`` ``(n, 6)`` km, km/s (any inertial frame: the result is in the same frame);
    ``dt`` ``(m,)`` (same times for every orbit) or ``(n, m)``; ``mu`` km^3/s^2, scalar or
    ``(n,)``. Returns ``(n, m, 6)``.

    Raises :class:`areo.errors.ParameterError` for non-finite states or times, a zero
    position, or ``mu <= 0`` (rectilinear states are propagated).
    """
    s0 = np.ascontiguousarray(np.atleast_2d(np.asarray(states0, dtype=float)))
    if s0.shape[-1] != 6 or s0.ndim != 2:
        raise ParameterError(f"states0 has shape {s0.shape}: give (n, 6) km and km/s")
    _check_states(s0, "states0", rectilinear=True)
    n = s0.shape[0]
    dt = validate.finite(dt, "dt", unit="s")
    if dt.ndim <= 1:
        dt = np.broadcast_to(np.atleast_1d(dt), (n, np.atleast_1d(dt).shape[0]))
    if dt.shape[0] != n:
        raise ParameterError(f"dt has shape {dt.shape}: give (m,) or ({n}, m) seconds")
    mu = validate.positive(mu, "mu", unit="km^3/s^2", hint="GM of the central body")
    return _propagate_kepler(s0, dt, mu)


def _propagate_kepler(s0: np.ndarray, dt: np.ndarray, mu: Any) -> np.ndarray:
    """:func:`propagate_kepler` on checked ``(n, 6)`` states and ``(n, m)`` times."""
    n, m = dt.shape
    mu_a = inp(np.broadcast_to(np.asarray(mu, dtype=float), (n,)))
    out = np.empty((n, m, 6))
    run(_k.kepler_uv, n * m, (inp(s0), inp(dt), mu_a, out), _PARALLEL_MIN)
    return out
