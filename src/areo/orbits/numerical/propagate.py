"""Cowell propagation around Mars: :func:`propagate_cowell` and :class:`NumericalResult`.

The whole propagation runs inside one compiled call per direction (the DOP853 loop of
:mod:`._integrator` with the right-hand side of :mod:`._forces`, or the Taylor method of
:mod:`._taylor` for point mass + zonal gravity): no Python per step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo._numba import inp
from areo.errors import ParameterError
from areo.io.records import collection, dumps, span_text, utc_column
from areo.orbits.numerical import _forces, _integrator, _taylor
from areo.orbits.numerical.forces import ForceModel
from areo.time import Time

__all__ = ["NumericalResult", "propagate_cowell"]

_MAX_STEPS = 50_000_000
#: Integrators of :func:`propagate_cowell` ('auto': 'taylor' where the force model allows
#: it, else 'dop853').
METHODS = ("auto", "dop853", "taylor")
_RTOL_MIN = {"dop853": (1e-15, "1e-15"),
             "taylor": (float(np.finfo(float).eps), "2.22e-16 (machine epsilon)")}


@dataclass(frozen=True, eq=False)
class NumericalResult:
    """States of a Cowell propagation on the requested epochs.

    ``et`` (m,) TDB s past J2000 and ``states`` (m, 6) Mars-centred ICRF km, km/s; ``m`` is
    smaller than the number of epochs asked for when the run stopped early (``terminated``,
    with the cause in ``reason``). ``impact_et``/``impact_state`` hold the surface crossing
    when there was one. ``n_steps``/``n_rhs``/``n_rejected`` count accepted+rejected steps,
    right-hand-side calls and rejected steps over both directions (the Taylor method: steps,
    Taylor expansions = steps, and 0: its steps are never rejected).
    """

    et: np.ndarray
    states: np.ndarray
    terminated: bool
    reason: str
    n_steps: int
    n_rhs: int
    n_rejected: int = 0
    impact_et: float | None = None
    impact_state: np.ndarray | None = None
    forces: ForceModel | None = field(default=None, repr=False)

    @property
    def time(self) -> Time:
        """The epochs as an areo :class:`~areo.time.Time`."""
        return Time.from_et(self.et)

    def __len__(self) -> int:
        return int(self.et.shape[0])

    def plot(self, path: Any = None) -> Any:
        """The position components over time (plotly,
        :func:`areo.io.figures.position_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import position_figure, show_or_save

        return show_or_save(position_figure(self.to_frame(), repr(self)), path)

    def to_frame(self) -> Any:
        """pandas DataFrame: utc (``datetime64[ns, UTC]``), et, x_km, y_km, z_km, vx_kms,
        vy_kms, vz_kms."""
        import pandas as pd

        cols = ["x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms"]
        df = pd.DataFrame(self.states, columns=cols)
        df.insert(0, "et", self.et)
        df.insert(0, "utc", utc_column(self.et))
        return df

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per state: ``{utc (ISO string), et, x_km, ..., vz_kms}``."""
        utc = np.atleast_1d(Time.from_et(self.et).utc_iso(3)) if len(self) else []
        cols = ("x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms")
        return [{"utc": str(u), "et": float(t), **dict(zip(cols, map(float, s), strict=True))}
                for u, t, s in zip(utc, self.et, self.states, strict=True)]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "NumericalResult", "terminated", "reason", "n_steps", "n_rhs",
        "n_rejected", "impact" (UTC ISO or null), "count", "items": to_records()}``."""
        impact = None if self.impact_et is None else str(Time.from_et(self.impact_et).iso)
        return collection("NumericalResult", self.to_records(), terminated=bool(self.terminated),
                          reason=self.reason, n_steps=self.n_steps, n_rhs=self.n_rhs,
                          n_rejected=self.n_rejected, impact=impact)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        span = span_text(float(self.et[0]), float(self.et[-1])) if len(self) else "no epochs"
        return (f"NumericalResult: {len(self)} states, {self.reason}, {self.n_steps} steps, "
                f"{self.n_rhs} rhs calls, {span}")


def _check_inputs(state0: Any, et0: Any, et: Any, rtol: float, atol: float | None,
                  method: str = "dop853") -> tuple[np.ndarray, float, np.ndarray, float, float]:
    s0 = np.asarray(state0, dtype=float)
    if s0.shape != (6,) or not np.all(np.isfinite(s0)):
        raise ParameterError(
            f"state0 must be 6 finite numbers (x, y, z km, vx, vy, vz km/s, Mars-centred "
            f"ICRF), got shape {s0.shape}"
        )
    t0 = float(et0)
    if not np.isfinite(t0):
        raise ParameterError("et0 must be a finite TDB epoch in seconds past J2000")
    tt = np.atleast_1d(np.asarray(et, dtype=float))
    if tt.ndim != 1 or not np.all(np.isfinite(tt)):
        raise ParameterError("et must be a 1-D array of finite TDB epochs (s past J2000)")
    if tt.size > 1 and np.any(np.diff(tt) < 0):
        i = int(np.argmax(np.diff(tt) < 0))
        raise ParameterError(
            f"et must be sorted ascending: et[{i + 1}] = {tt[i + 1]!r} comes before "
            f"et[{i}] = {tt[i]!r}; sort the epochs (np.sort) before propagating"
        )
    rt = float(rtol)
    # The Taylor method reaches double precision (tolerance eps); DOP853's steps become
    # too short for the time resolution below 1e-15.
    lo, lo_text = _RTOL_MIN[method]
    if not (np.isfinite(rt) and lo <= rt <= 0.1):
        raise ParameterError(
            f"rtol {rtol!r} must lie in [{lo_text}, 0.1] for method {method!r}: it is the "
            "per-step relative error allowed (1e-10 is the default, 1e-13 for reference runs)"
        )
    at = rt if atol is None else float(atol)
    if not (np.isfinite(at) and at > 0):
        raise ParameterError(
            f"atol {atol!r} must be a positive number (km and km/s); None uses atol = rtol"
        )
    return s0, t0, tt, rt, at


def _work() -> np.ndarray:
    return np.zeros((_integrator.WORK_ROWS, 6))


def _check_method(method: str, fmodel: ForceModel) -> str:
    m = method.lower() if isinstance(method, str) else method
    if m not in METHODS:
        raise ParameterError(
            f"method {method!r} is not an integrator of propagate_cowell: use one of "
            f"{', '.join(repr(x) for x in METHODS)} ('taylor' for point mass + zonal gravity, "
            "'auto' picks it where it applies)"
        )
    if m in ("taylor", "auto"):
        extra = [name for name, on in (("field", fmodel.field is not None),
                                       ("sun", fmodel.sun), ("drag", fmodel.drag is not None),
                                       ("srp", fmodel.srp is not None)) if on]
        if m == "auto":
            return "dop853" if extra else "taylor"
        if extra:
            raise ParameterError(
                f"method 'taylor' integrates Mars point mass + zonal J_n only; this force "
                f"model also has {', '.join(extra)}: use method='dop853' for it, or drop "
                f"{', '.join(extra)} from the ForceModel"
            )
    return m


def _utc(et: float) -> str:
    try:
        return str(Time.from_et(et).utc_iso(3))
    except Exception:  # pragma: no cover - far epochs
        return f"et {et:.3f}"


def propagate_cowell(
    state0: Any,
    et0: float,
    et: Any,
    forces: ForceModel | None = None,
    *,
    rtol: float = 1e-10,
    atol: float | None = None,
    stop_at_surface: bool = True,
    max_step_s: float | None = None,
    method: str = "dop853",
) -> NumericalResult:
    """Integrate a Mars orbit (Cowell) and return the states at the epochs ``et``.

    ``state0`` (6,) Mars-centred ICRF km, km/s at TDB ``et0`` (s past J2000); ``et`` sorted
    epochs, before and/or after ``et0`` (the run goes backward for the earlier ones).
    ``forces``: a :class:`~areo.orbits.numerical.forces.ForceModel` (default: point mass +
    J2 + J3). ``rtol``/``atol``: per-step tolerances of DOP853 (see
    :mod:`areo.orbits.numerical._integrator` for the contract; atol None = rtol, in km and
    km/s). ``stop_at_surface``: stop where the altitude above the reference ellipsoid
    crosses zero (the epoch located to ~1 ms or better). ``max_step_s`` caps the step.
    ``method``: ``'dop853'`` (the default; any force model), ``'taylor'`` (the Taylor-series
    method of :mod:`areo.orbits.numerical._taylor`: Mars point mass + zonal J_n only,
    rtol/atol its per-step tolerances too, down to machine epsilon) or ``'auto'`` ('taylor'
    for a point mass + zonal model, 'dop853' for one with a field, the Sun, drag or SRP).
    On gravity-only orbits the Taylor method is the faster and, at equal rtol, mostly the
    more accurate one (a Mars year of a 400 km orbit: 1.1 cm at rtol 1e-15 where DOP853
    stops at 0.9 m; see ``benchmarks/bench_numerical.py``). DOP853 stays the default so
    that runs with and without a small perturbation (drag, SRP) use the same integrator
    and their difference is the perturbation's alone.

    A run that stops early returns the states up to the stop; ``terminated`` is True and
    ``reason`` says why ('impact at 2030-01-02T03:04:05.123Z (altitude 0 km)').
    """
    fmodel = forces if forces is not None else ForceModel()
    if not isinstance(fmodel, ForceModel):
        raise ParameterError(
            f"forces must be an areo.orbits.numerical.ForceModel, got {type(fmodel).__name__}"
        )
    meth = _check_method(method, fmodel)
    s0, t0, tt, rt, at = _check_inputs(state0, et0, et, rtol, atol, meth)
    hmax = np.inf if max_step_s is None else float(max_step_s)
    if not hmax > 0:
        raise ParameterError(f"max_step_s {max_step_s!r} must be > 0 s")
    lo = min(t0, float(tt[0])) if tt.size else t0
    hi = max(t0, float(tt[-1])) if tt.size else t0
    fm = fmodel._pack(lo, hi)
    # One argument type per position (read-only C-contiguous inputs, a Python bool and
    # floats), so that the integrator compiles once whatever the caller passed.
    s0 = inp(s0)
    stop_at_surface = bool(stop_at_surface)
    if stop_at_surface:
        h0 = _forces.altitude(t0, s0, fm)
        if h0 < 0:
            raise ParameterError(
                f"state0 is {-h0:.3f} km below the Mars surface (reference ellipsoid) at "
                f"{_utc(t0)}: give a state above the surface, or stop_at_surface=False"
            )
    back = inp(tt[tt < t0][::-1])
    fwd = inp(tt[tt >= t0])
    out_b = np.full((back.size, 6), np.nan)
    out_f = np.full((fwd.size, 6), np.nan)
    ev_b = np.full(7, np.nan)
    ev_f = np.full(7, np.nan)
    stats = np.zeros(3, dtype=np.int64)

    def run(epochs: np.ndarray, out: np.ndarray, ev: np.ndarray) -> tuple[int, int]:
        if meth == "taylor":
            order = _taylor.order_for(rt, at)
            w = np.zeros((_taylor.work_rows(int(fm[0][_forces.I_NZONAL])), order + 1))
            res = _taylor.integrate(s0, t0, epochs, rt, at, hmax, _MAX_STEPS,
                                    stop_at_surface, fm, order, out, ev, w,
                                    np.zeros((_taylor.STATE_ROWS, 6)))
        else:
            res = _integrator.integrate(s0, t0, epochs, rt, at, hmax, _MAX_STEPS,
                                        stop_at_surface, fm, out, ev, _work())
        stats[:] += res[2:]
        return int(res[0]), int(res[1])

    nb, sb = back.size, _integrator.REACHED_END
    if back.size:
        nb, sb = run(back, out_b, ev_b)
    nf, sf = fwd.size, _integrator.REACHED_END
    if fwd.size:
        nf, sf = run(fwd, out_f, ev_f)
    et_out = np.concatenate([back[:nb][::-1], fwd[:nf]])
    st_out = np.concatenate([out_b[:nb][::-1], out_f[:nf]])
    reasons = []
    impact_et = None
    impact_state = None
    for status, ev, label in ((sf, ev_f, ""), (sb, ev_b, " (backward)")):
        if status == _integrator.IMPACT:
            reasons.append(f"impact at {_utc(float(ev[0]))} (altitude 0 km){label}")
            if impact_et is None:
                impact_et, impact_state = float(ev[0]), ev[1:].copy()
        elif status == _integrator.STEP_TOO_SMALL:
            reasons.append(f"step size too small{label}: the orbit is singular or the "
                           "tolerance too tight for double precision")
        elif status == _integrator.TOO_MANY_STEPS:
            reasons.append(f"more than {_MAX_STEPS} steps{label}: loosen rtol or shorten "
                           "the span")
    terminated = bool(reasons)
    return NumericalResult(
        et=et_out, states=st_out, terminated=terminated,
        reason="; ".join(reasons) if reasons else "reached end",
        n_steps=int(stats[0]), n_rhs=int(stats[1]), n_rejected=int(stats[2]),
        impact_et=impact_et, impact_state=impact_state, forces=fmodel,
    )
