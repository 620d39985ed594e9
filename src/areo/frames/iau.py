"""IAU/WGCCRE body rotation models: pole right ascension and declination and prime meridian.

The WGCCRE reports (Archinal et al. 2011, Celest. Mech. Dyn. Astr. 109:101; Archinal et al.
2018, Celest. Mech. Dyn. Astr. 130:22) give, relative to the ICRF::

    alpha0 = a0 + a1 T + a2 T^2 + sum_i ra_i  sin(theta_i)
    delta0 = d0 + d1 T + d2 T^2 + sum_i dec_i cos(theta_i)
    W      = w0 + w1 d + w2 d^2 + sum_i pm_i  sin(theta_i)
    theta_i = A_i + B_i T

with T in Julian centuries of TDB and d in days of TDB since J2000 (JD 2451545.0 TDB), angles
in degrees, rates in degrees per century (alpha0, delta0, theta_i) and degrees per day (W).
These are the conventions of NAIF text PCKs (PCK Required Reading), so a model here reads
the same numbers as a ``BODYnnn_POLE_RA`` / ``_POLE_DEC`` / ``_PM`` / ``_NUT_PREC_*`` set.

The body-fixed frame is the 3-1-3 rotation ``R3(W) R1(90 deg - delta0) R3(90 deg + alpha0)``
from the ICRF: its z axis is the pole (alpha0, delta0) and its x axis lies at angle W east
along the body equator from the ascending node of the body equator on the ICRF equator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo._numba import inp, run
from areo.constants import DAY_S
from areo.errors import ParameterError
from areo.frames import _kernels as _k
from areo.frames._common import as_et
from areo.frames._kernels import rotate_xyz

__all__ = ["IAURotationModel", "RotationAngles", "RotationTable", "rotate_xyz"]

# Below this many epochs the threads cost more than they save (areo._numba.run).
_PARALLEL_MIN = 20_000


@dataclass(frozen=True)
class RotationAngles:
    """Pole and prime meridian at a set of epochs, radians and radians per second.

    ``w`` is reduced to [0, 2 pi).
    """

    ra: np.ndarray
    dec: np.ndarray
    w: np.ndarray
    dra: np.ndarray
    ddec: np.ndarray
    dw: np.ndarray


def _tuple(values: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@dataclass(frozen=True)
class IAURotationModel:
    """One IAU/WGCCRE rotation model of a body, in the units of a NAIF text PCK.

    ``pole_ra`` / ``pole_dec``: degrees, degrees/century, degrees/century^2;
    ``pm``: degrees, degrees/day, degrees/day^2; ``angles``: (A_i deg, B_i deg/century)
    pairs; ``ra_terms`` / ``dec_terms`` / ``pm_terms``: degrees, one per angle (zeros
    where a term is absent). ``source`` cites where the numbers come from.
    """

    name: str
    pole_ra: tuple[float, ...]
    pole_dec: tuple[float, ...]
    pm: tuple[float, ...]
    angles: tuple[tuple[float, float], ...] = ()
    ra_terms: tuple[float, ...] = ()
    dec_terms: tuple[float, ...] = ()
    pm_terms: tuple[float, ...] = ()
    source: str = ""
    _arrays: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Tuples throughout, so that a model given lists is still hashable and immutable.
        angles = tuple((float(a), float(b)) for a, b in self.angles)
        object.__setattr__(self, "angles", angles)
        for name in ("pole_ra", "pole_dec", "pm", "ra_terms", "dec_terms", "pm_terms"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))
        n = len(angles)
        for label, terms in (("ra", self.ra_terms), ("dec", self.dec_terms),
                             ("pm", self.pm_terms)):
            if len(terms) > n:
                raise ParameterError(
                    f"rotation model {self.name!r}: {len(terms)} {label} terms but only {n} "
                    "angles: give one (A, B) angle pair per periodic term"
                )
        for label, poly in (("pole_ra", self.pole_ra), ("pole_dec", self.pole_dec),
                            ("pm", self.pm)):
            if not 1 <= len(poly) <= 3:
                raise ParameterError(
                    f"rotation model {self.name!r}: {label} has {len(poly)} coefficients; "
                    "give 1 to 3 (constant, rate, quadratic)"
                )

    def kernel_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``poly`` (3, 3), ``ab`` (m, 2) and ``coef`` (3, m) for the compiled angle kernel
        (:func:`areo.frames._kernels.angles_one`; cached, read-only).

        Angles that no term uses are dropped (the Phobos/Deimos angles of a Mars PCK).
        """
        if not self._arrays:
            n = len(self.angles)

            def pad(values: tuple[float, ...], size: int) -> list[float]:
                return list(values) + [0.0] * (size - len(values))

            poly = np.array([pad(self.pole_ra, 3), pad(self.pole_dec, 3), pad(self.pm, 3)])
            coef = np.array(
                [pad(self.ra_terms, n), pad(self.dec_terms, n), pad(self.pm_terms, n)]
            ).reshape(3, n)
            used = np.any(coef != 0.0, axis=0)
            ab = np.array(self.angles, dtype=float).reshape(n, 2)[used]
            self._arrays.update(poly=inp(poly), ab=inp(ab), coef=inp(coef[:, used]))
        a = self._arrays
        return a["poly"], a["ab"], a["coef"]

    def _angle_table(self, et: np.ndarray) -> np.ndarray:
        flat = inp(np.ravel(et))
        out = np.empty((flat.size, 6))
        run(_k.iau_angles, flat.size, (flat, *self.kernel_arrays(), out), _PARALLEL_MIN)
        return out

    def angles_at(self, t: Any) -> RotationAngles:
        """alpha0, delta0, W (radians, W in [0, 2 pi)) and their rates (rad/s) at ``t``.

        ``t``: anything :class:`areo.time.Time` accepts; numbers are TDB seconds past J2000.
        Each field has the shape of ``t``.
        """
        et = np.asarray(as_et(t), dtype=float)
        tab = self._angle_table(et)
        # The kernel reduces W like Fortran MOD (sign of the argument): shift into [0, 2 pi).
        w = tab[:, 2] + np.where(tab[:, 2] < 0.0, 2.0 * np.pi, 0.0)
        cols = [tab[:, 0], tab[:, 1], w, tab[:, 3], tab[:, 4], tab[:, 5]]
        return RotationAngles(*(c.reshape(et.shape) for c in cols))

    def matrix(self, t: Any) -> np.ndarray:
        """Rotations ICRF -> body-fixed, shape ``t.shape + (3, 3)``: ``v_body = M @ v_icrf``."""
        m, _ = self._matrices(t, with_rate=False)
        return m

    def matrix_and_rate(self, t: Any) -> tuple[np.ndarray, np.ndarray]:
        """The rotation ``M`` and its time derivative ``dM/dt`` (1/s), each ``(..., 3, 3)``.

        ``dM/dt`` includes the rates of W, of the pole's precession and of the periodic
        terms, as SPICE's ``sxform``.
        """
        return self._matrices(t, with_rate=True)

    def _matrices(self, t: Any, with_rate: bool) -> tuple[np.ndarray, np.ndarray]:
        et = np.asarray(as_et(t), dtype=float)
        tab = self._angle_table(et)
        n = tab.shape[0]
        m = np.empty((n, 3, 3))
        dm = np.empty((n, 3, 3)) if with_rate else np.empty((0, 3, 3))
        run(_k.euler_matrices, n, (inp(tab), bool(with_rate), m, dm), _PARALLEL_MIN)
        shape = (*et.shape, 3, 3)
        return m.reshape(shape), (dm.reshape(shape) if with_rate else dm)


class RotationTable:
    """A rotation model tabulated over ``[et_lo, et_hi]`` for fast repeated rotations.

    Pole right ascension, declination and the prime meridian's periodic residual (W minus
    its polynomial) are stored every ``step_s`` with their rates and interpolated by cubic
    Hermite, so a rotation costs three sine/cosine pairs instead of one per periodic term
    (5x faster for Mars). With the IAU 2015 Mars model and a one-day step the interpolation
    error is negligible (the periodic terms' shortest period is ~137 days); what remains is
    the float64 rounding of W at thousands of days from J2000, ~1e-10 rad (sub-millimetre on
    the surface), as for the direct model. Epochs outside the span raise ``ParameterError``.
    """

    def __init__(self, model: IAURotationModel, et_lo: float, et_hi: float,
                 step_s: float = DAY_S):
        if not (np.isfinite(et_lo) and np.isfinite(et_hi) and et_hi >= et_lo):
            raise ParameterError("rotation table span must be finite with et_hi >= et_lo")
        n = max(2, int(np.ceil((et_hi - et_lo) / step_s)) + 1)
        self.t0, self.h = float(et_lo), float(step_s)
        self.t1 = self.t0 + (n - 1) * self.h
        nodes = self.t0 + self.h * np.arange(n)
        tab = model._angle_table(nodes)
        poly = model.kernel_arrays()[0]
        d = nodes / DAY_S
        w_poly = np.radians(poly[2, 0] + d * (poly[2, 1] + d * poly[2, 2]))
        resid = np.angle(np.exp(1j * (tab[:, 2] - w_poly)))  # the small periodic part
        dw_poly = np.radians(poly[2, 1] + 2.0 * d * poly[2, 2]) / DAY_S
        self._tab = inp(np.column_stack([tab[:, 0], tab[:, 1], resid, tab[:, 3], tab[:, 4],
                                         tab[:, 5] - dw_poly]))
        self._w_poly = inp(poly[2])

    @property
    def kernel_args(self) -> tuple[float, float, np.ndarray, np.ndarray]:
        """``(t0, h, tab, w_poly)``: what :func:`rotate_xyz` takes after the epoch and the
        vector, for compiled callers (e.g. :mod:`areo.events`' passes search)."""
        return self.t0, self.h, self._tab, self._w_poly

    def to_body(self, vectors: Any, et: Any) -> np.ndarray:
        """ICRF positions ``(n, 3)`` at epochs ``et`` (n,) -> body-fixed, km."""
        et = inp(np.ravel(np.asarray(et, dtype=float)))
        v = inp(np.asarray(vectors, dtype=float).reshape(-1, 3))
        if v.shape[0] != et.size:
            raise ParameterError("to_body needs one vector per epoch")
        if et.size and (et.min() < self.t0 - 1e-6 or et.max() > self.t1 + 1e-6):
            raise ParameterError(
                "epoch outside the rotation table: build the table over the whole span"
            )
        out = np.empty(v.shape)
        run(_k.rotate_interp, et.size,
            (et, v, self.t0, self.h, self._tab, self._w_poly, out), _PARALLEL_MIN)
        return out
