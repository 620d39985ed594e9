"""Lambert's problem, batch-first: Izzo's (2015) algorithm compiled with numba.

>>> import numpy as np
>>> from areo.transfer.lambert import lambert
>>> sol = lambert([1.5e8, 0, 0], [0, 2.2e8, 0], 200 * 86400.0)
>>> sol.converged, sol.v1.round(3).tolist()
(True, [14.778, 26.78, 0.0])

Every input broadcasts against the others (``r1``/``r2`` with a trailing axis of 3); a scalar
call is a batch of one. Each problem carries a status (:class:`LambertStatus`): a
multi-revolution request whose time of flight is below the minimum for that number of
revolutions returns NaN velocities *with* status ``NO_SOLUTION``, never a silent NaN.

Conventions: km, km/s, s; ``mu`` in km^3/s^2 (default: the Sun, DE440). ``prograde`` means the
transfer's angular momentum has a positive component along ``ref_axis`` (default the +z axis
of the frame of r1, r2; pass the ecliptic pole for heliocentric work in ICRF, as
:mod:`areo.transfer.porkchop` does). For N >= 1 revolutions there are two solutions, the
"left" branch (x below the minimum-time point of Izzo's T(x)) and the "right" branch (x above
it). The left branch is the ellipse with the smaller semi-major axis (the shorter period,
nearer the minimum-energy transfer); the right branch has the larger one, as in Der (2011)
and Izzo (2015), where ``a = a_min / (1 - x^2)`` and ``|x|`` is smaller on the left.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import bodies as _bodies
from areo._numba import inp, run
from areo.constants import DAY_S
from areo.errors import ParameterError
from areo.io.records import dumps, jsonable
from areo.transfer import _kernels

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GM_SUN", "LambertSolution", "LambertStatus", "lambert", "lambert_all"]

#: Sun GM, km^3/s^2 (DE440, Park et al. 2021, via areo.bodies).
GM_SUN: float = float(_bodies.body("sun").gm_km3s2)

# Problems from which a batch splits over threads (areo._numba.run): a solve costs ~0.3-1 us.
_PARALLEL_MIN = 500


class LambertStatus(enum.IntEnum):
    """Outcome of one Lambert problem."""

    CONVERGED = _kernels.OK
    NO_SOLUTION = _kernels.NO_SOLUTION  # tof below the minimum for this many revolutions
    NOT_CONVERGED = _kernels.NOT_CONVERGED
    DEGENERATE = _kernels.DEGENERATE  # transfer plane undefined (0 or 180 deg, r1 == r2)
    BAD_INPUT = _kernels.BAD_INPUT  # zero or non-finite vector


_TYPE_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


def type_name(code: int) -> str:
    """Roman numeral of a transfer type code 2N+1 / 2N+2 (0 -> '-')."""
    code = int(code)
    return _TYPE_NAMES.get(code, str(code) if code > 0 else "-")


@dataclass(frozen=True, repr=False)
class LambertSolution:
    """Solutions of a batch of Lambert problems (arrays share the broadcast shape ``S``).

    Attributes:
        r1, r2: positions, km, ``S + (3,)``.
        tof_s: times of flight, s, ``S``.
        v1, v2: velocities at r1 and r2, km/s, ``S + (3,)`` (NaN where status != 0).
        status: :class:`LambertStatus` codes, int8, ``S``.
        iterations: Householder iterations, ``S``.
        revs: full revolutions N, ``S``.
        right: True for the right branch (N >= 1), ``S``.
        transfer_type: 2N+1 (transfer angle < 180 deg, "type I" for N = 0) or 2N+2, 0 where
            undefined.
        mu: gravitational parameter, km^3/s^2.
    """

    r1: np.ndarray
    r2: np.ndarray
    tof_s: np.ndarray
    v1: np.ndarray
    v2: np.ndarray
    status: np.ndarray
    iterations: np.ndarray
    revs: np.ndarray
    right: np.ndarray
    transfer_type: np.ndarray
    mu: float

    @property
    def shape(self) -> tuple[int, ...]:
        return self.status.shape

    @property
    def converged(self) -> Any:
        """True where a solution was found (bool, or array for a batch)."""
        ok = self.status == LambertStatus.CONVERGED
        return bool(ok) if ok.ndim == 0 else ok

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: inputs, velocities (km/s), status name, type."""
        import pandas as pd

        n = int(np.prod(self.shape, dtype=np.int64))
        cols: dict[str, Any] = {}
        for name, arr in (("r1", self.r1), ("r2", self.r2), ("v1", self.v1), ("v2", self.v2)):
            flat = np.broadcast_to(arr, (*self.shape, 3)).reshape(n, 3)
            unit = "km" if name.startswith("r") else "kms"
            for k, ax in enumerate("xyz"):
                cols[f"{name}_{ax}_{unit}"] = flat[:, k]
        cols["tof_days"] = np.broadcast_to(self.tof_s, self.shape).reshape(n) / DAY_S
        cols["revs"] = np.broadcast_to(self.revs, self.shape).reshape(n)
        cols["branch"] = np.where(
            np.broadcast_to(self.right, self.shape).reshape(n), "right", "left"
        )
        cols["transfer_type"] = [type_name(c) for c in self.transfer_type.reshape(n)]
        cols["status"] = [LambertStatus(int(s)).name for s in self.status.reshape(n)]
        cols["iterations"] = self.iterations.reshape(n)
        return pd.DataFrame(cols)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (lists for a batch; NaN -> None through
        :func:`areo.io.records.jsonable`)."""
        return jsonable({
            "mu_km3s2": self.mu,
            "v1_kms": np.asarray(self.v1, dtype=float),
            "v2_kms": np.asarray(self.v2, dtype=float),
            "tof_days": np.asarray(self.tof_s, dtype=float) / DAY_S,
            "revs": np.asarray(self.revs).tolist(),
            "right_branch": np.asarray(self.right).tolist(),
            "transfer_type": np.asarray(self.transfer_type).tolist(),
            "status": [LambertStatus(int(s)).name for s in np.ravel(self.status)]
            if self.status.ndim else LambertStatus(int(self.status)).name,
            "converged": np.asarray(self.status == 0).tolist(),
        })

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        if self.status.ndim == 0:
            st = LambertStatus(int(self.status)).name
            return (
                f"LambertSolution: {float(self.tof_s) / DAY_S:.3f} d, N={int(self.revs)}"
                f"{' right' if bool(self.right) else ''}, type {type_name(self.transfer_type)}, "
                f"|v1| {np.linalg.norm(self.v1):.6f} km/s, |v2| {np.linalg.norm(self.v2):.6f} "
                f"km/s, {st}"
            )
        ok = int(np.count_nonzero(self.status == 0))
        return (f"LambertSolution: {self.status.size} problems of shape {self.shape}, "
                f"{ok} converged")


def _as_vec(name: str, value: Any) -> np.ndarray:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] != 3:
        raise ParameterError(
            f"{name} has shape {arr.shape}: it must be a position vector in km with a last "
            "axis of length 3, e.g. [1.5e8, 0, 0] or an (n, 3) array"
        )
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} holds non-finite values: pass finite positions in km")
    return arr


def lambert(
    r1: Any,
    r2: Any,
    tof_s: Any,
    mu: float = GM_SUN,
    *,
    revs: Any = 0,
    right: Any = False,
    prograde: Any = True,
    ref_axis: Any = (0.0, 0.0, 1.0),
) -> LambertSolution:
    """Solve Lambert's problem for every broadcast combination of the inputs.

    Args:
        r1, r2: initial and final positions, km, ``(..., 3)``.
        tof_s: times of flight, s, > 0.
        mu: gravitational parameter, km^3/s^2 (default the Sun).
        revs: number of full revolutions N >= 0 (broadcasts).
        right: for N >= 1, True for the right branch (larger semi-major axis), False for
            the left (smaller semi-major axis, shorter period) (broadcasts).
        prograde: True for motion with angular momentum along ``ref_axis`` (broadcasts).
        ref_axis: axis defining prograde motion, in the frame of r1, r2.

    Returns:
        :class:`LambertSolution` with the broadcast shape.

    Raises:
        ParameterError: tof <= 0 or non-finite, negative revs, mu <= 0, bad vector shapes.
    """
    r1a, r2a = _as_vec("r1", r1), _as_vec("r2", r2)
    tof = np.asarray(tof_s, dtype=np.float64)
    if not np.all(np.isfinite(tof)) or np.any(tof <= 0.0):
        bad = tof[~(np.isfinite(tof) & (tof > 0))].ravel()[0]
        raise ParameterError(
            f"time of flight {bad} s must be a finite positive number of seconds: the arrival "
            "must come after the departure"
        )
    if not (np.isfinite(mu) and mu > 0):
        raise ParameterError(f"mu {mu} must be a positive gravitational parameter in km^3/s^2")
    revs_a = np.asarray(revs)
    if not np.issubdtype(revs_a.dtype, np.integer) and not np.all(revs_a == np.round(revs_a)):
        raise ParameterError(f"revs {revs} must be whole numbers of revolutions >= 0")
    revs_a = revs_a.astype(np.int64)
    if np.any(revs_a < 0):
        raise ParameterError(f"revs {revs} must be >= 0 (0 = less than one revolution)")
    right_a = np.asarray(right, dtype=np.bool_)
    pro_a = np.asarray(prograde, dtype=np.bool_)
    ref = np.asarray(ref_axis, dtype=np.float64).reshape(3)
    if not np.linalg.norm(ref) > 0:
        raise ParameterError("ref_axis must be a non-zero vector, e.g. (0, 0, 1)")
    ref = ref / np.linalg.norm(ref)
    shape = np.broadcast_shapes(
        r1a.shape[:-1], r2a.shape[:-1], tof.shape, revs_a.shape, right_a.shape, pro_a.shape
    )
    n = int(np.prod(shape, dtype=np.int64))

    def flat(a: np.ndarray, vec: bool = False) -> np.ndarray:
        full = np.broadcast_to(a, (*shape, 3) if vec else shape)
        return inp(full.reshape((n, 3) if vec else (n,)), a.dtype)

    v1 = np.empty((n, 3))
    v2 = np.empty((n, 3))
    status = np.empty(n, dtype=np.int8)
    iters = np.empty(n, dtype=np.int8)
    ttype = np.empty(n, dtype=np.int8)
    run(_kernels.lambert_batch, n, (
        flat(r1a, True), flat(r2a, True), flat(tof), inp(np.full(n, float(mu))),
        flat(revs_a), flat(right_a), flat(pro_a), inp(ref), v1, v2, status, iters, ttype,
    ), _PARALLEL_MIN)
    return LambertSolution(
        r1=np.broadcast_to(r1a, (*shape, 3)), r2=np.broadcast_to(r2a, (*shape, 3)),
        tof_s=np.broadcast_to(tof, shape), v1=v1.reshape((*shape, 3)),
        v2=v2.reshape((*shape, 3)), status=status.reshape(shape),
        iterations=iters.reshape(shape), revs=np.broadcast_to(revs_a, shape),
        right=np.broadcast_to(right_a, shape), transfer_type=ttype.reshape(shape),
        mu=float(mu),
    )


def lambert_all(
    r1: Any,
    r2: Any,
    tof_s: Any,
    mu: float = GM_SUN,
    *,
    max_revs: int = 0,
    prograde: Any = True,
    ref_axis: Any = (0.0, 0.0, 1.0),
) -> LambertSolution:
    """Every branch up to ``max_revs`` revolutions, on a new leading axis of length
    ``2 * max_revs + 1``: N = 0, then (N = 1, left), (N = 1, right), (N = 2, left), ...

    Branches without a solution carry status ``NO_SOLUTION``.
    """
    if int(max_revs) != max_revs or max_revs < 0:
        raise ParameterError(f"max_revs {max_revs} must be a whole number >= 0")
    k = 2 * int(max_revs) + 1
    revs = np.array([0] + [n for n in range(1, int(max_revs) + 1) for _ in (0, 1)])
    right = np.array([False] + [b for _ in range(1, int(max_revs) + 1) for b in (False, True)])
    extra = max(np.ndim(tof_s), np.ndim(r1) - 1, np.ndim(r2) - 1, np.ndim(prograde))
    rshape = (k,) + (1,) * extra
    return lambert(
        np.asarray(r1, dtype=float)[None], np.asarray(r2, dtype=float)[None],
        np.asarray(tof_s, dtype=float)[None], mu, revs=revs.reshape(rshape),
        right=right.reshape(rshape), prograde=np.asarray(prograde)[None], ref_axis=ref_axis,
    )
