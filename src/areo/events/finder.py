"""The event finder: windows, crossings and extrema of scalar functions of time.

Events are functions of time (as in SPICE's geometry finder and Orekit's detectors): give a
vectorised function ``f(et) -> values`` (or ``f(et, which) -> values`` for ``n_objects``
functions searched together, e.g. orbiters x sites) and a window; the finder samples the
whole window at once, brackets every crossing of the threshold and refines all brackets
together.

Contract (see :mod:`areo._search` for the algorithm):

- **Step.** The window is sampled every ``step_s`` seconds. Every interval where the
  condition holds for longer than ``step_s`` is found. A shorter one is found when its
  dip is a local extremum of the samples (the function is unimodal over two steps around
  it); otherwise it may be missed, as may two crossings between the same two samples.
  Pass ``min_event_s``, the shortest event you need, and the finder warns
  (:class:`~areo.errors.CoarseStepWarning`) when ``step_s`` is longer.
- **Tolerance.** Each edge is located to ``tol_s`` (default 1 ms): a start is the first
  time inside to within ``tol_s``, an end the last.
- **Edges of the search window.** An event under way at ``start`` or ``stop`` is clipped
  there.
- **Size.** A window whose sampling (times the number of objects) would exceed
  :data:`areo.validate.MAX_SAMPLES` samples is refused up front with the count and the knob
  (a larger ``step_s`` or a shorter span), before ``f`` is called.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo import _search, validate
from areo.errors import CoarseStepWarning, ParameterError
from areo.events.windows import Windows
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

__all__ = [
    "Extrema",
    "check_step",
    "find_extrema",
    "find_windows",
    "find_windows_multi",
    "span_et",
    "window_extrema",
]

DEFAULT_TOL_S = 1e-3


def _span(start: Any, stop: Any) -> tuple[float, float]:
    t0 = float(start) if isinstance(start, int | float) else float(Time(start).et)
    t1 = float(stop) if isinstance(stop, int | float) else float(Time(stop).et)
    validate.finite(t0, "start", unit="s (TDB past J2000)")
    validate.finite(t1, "stop", unit="s (TDB past J2000)")
    if not t1 > t0:
        raise ParameterError(
            f"search window {Time.from_et(t0).iso} -> {Time.from_et(t1).iso} is empty or "
            "inverted: the end must come after the start"
        )
    return t0, t1


def span_et(start: Any, stop: Any) -> tuple[float, float]:
    """The search span ``(t0, t1)`` in TDB seconds, as :func:`find_windows` reads it (so that
    callers can tell a window cut by the span's edge: it starts exactly at ``t0`` or ends
    exactly at ``t1``)."""
    return _span(start, stop)


def _check_size(t0: float, t1: float, step_s: float, copies: int) -> None:
    """Refuse, before sampling, a search grid larger than ``areo.validate.MAX_SAMPLES``."""
    validate.sample_count(t0, t1, step_s, copies=copies,
                    labels=(str(Time.from_et(t0).iso), str(Time.from_et(t1).iso)))


def check_step(step_s: float, min_event_s: float | None, *, stacklevel: int = 3) -> None:
    """Warn when ``step_s`` is longer than the shortest event the caller must find
    (``stacklevel`` as :func:`warnings.warn`'s, counted from here: 3 names the caller of
    the function that called this one)."""
    validate.positive(step_s, "step_s", unit="s", hint="a positive number of seconds")
    if min_event_s is not None:
        validate.positive(min_event_s, "min_event_s", unit="s")
    if min_event_s is not None and step_s > float(min_event_s):
        warnings.warn(
            CoarseStepWarning(
                f"search step {step_s:g} s is longer than the shortest event to find "
                f"({float(min_event_s):g} s): events shorter than the step may be missed; "
                f"use step_s <= {float(min_event_s):g}"
            ),
            stacklevel=stacklevel,
        )


def find_windows(
    f: Callable[[np.ndarray], np.ndarray],
    start: Any,
    stop: Any,
    *,
    step_s: float,
    threshold: float = 0.0,
    above: bool = True,
    tol_s: float = DEFAULT_TOL_S,
    min_event_s: float | None = None,
    dip_filter: Callable[[np.ndarray, np.ndarray, float], np.ndarray] | None = None,
) -> Windows:
    """Intervals of ``[start, stop]`` where ``f > threshold`` (or ``<`` with ``above=False``).

    ``f(et)`` maps an array of TDB seconds to values. Several functions searched together:
    :func:`find_windows_multi` (always a list, one :class:`Windows` per function).
    ``dip_filter``: see :func:`areo._search.find_windows_multi` (a rigorous geometric bound
    that spares the refinement of sampled extrema that cannot reach the threshold).
    """
    return _find_windows(lambda x, _which: f(x), start, stop, 1, step_s, threshold, above,
                         tol_s, min_event_s, dip_filter)[0]


def find_windows_multi(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    start: Any,
    stop: Any,
    *,
    n_objects: int,
    step_s: float,
    threshold: float = 0.0,
    above: bool = True,
    tol_s: float = DEFAULT_TOL_S,
    min_event_s: float | None = None,
    dip_filter: Callable[[np.ndarray, np.ndarray, float], np.ndarray] | None = None,
) -> list[Windows]:
    """:func:`find_windows` for ``n_objects`` functions searched together (e.g. orbiters x
    sites): ``f(et, which)`` gives the value of function ``which[i]`` at ``et[i]``; returns
    a list of ``n_objects`` :class:`Windows` (also for one).
    """
    return _find_windows(f, start, stop, n_objects, step_s, threshold, above, tol_s,
                         min_event_s, dip_filter)


def _find_windows(f, start, stop, n_objects, step_s, threshold, above, tol_s, min_event_s,
                  dip_filter) -> list[Windows]:
    t0, t1 = _span(start, stop)
    # the warning points at the caller of find_windows / find_windows_multi
    check_step(float(step_s), min_event_s, stacklevel=4)
    k = int(n_objects)
    if k < 1:
        raise ParameterError(f"n_objects {n_objects} must be at least 1")
    _check_size(t0, t1, float(step_s), k)
    s, e, which = _search.find_windows_multi(
        f, k, t0, t1, float(step_s), threshold, below=not above, tol=float(tol_s),
        dip_filter=dip_filter,
    )
    return [Windows(s[which == i], e[which == i]) for i in range(k)]


@dataclass(frozen=True, eq=False)  # Time and arrays compare element-wise
class Extrema:
    """Local extrema: epochs (:class:`Time`), values and the object index of each;
    ``kind`` is ``'max'`` or ``'min'``."""

    time: Time
    value: np.ndarray
    which: np.ndarray
    kind: str = "max"

    def __len__(self) -> int:
        return int(self.value.size)

    def to_records(self) -> list[dict[str, Any]]:
        """``[{time, value, which}]`` with UTC ISO strings (ms)."""
        iso = np.atleast_1d(self.time.iso) if len(self) else []
        return [{"time": str(t), "value": float(v), "which": int(w)}
                for t, v, w in zip(iso, self.value, self.which, strict=True)]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Extrema", "extremum", "count", "items": to_records()}``."""
        return collection("Extrema", self.to_records(), extremum=self.kind)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The extrema over time (plotly, :func:`areo.io.figures.series_figure`); saved to ``path``
        (.html) when given."""
        from areo.io.figures import series_figure, show_or_save

        frame = self.to_frame()
        fig = series_figure(
            frame["time_utc"], {c: frame[c] for c in ("value",)},
            title=repr(self),
            y_title="value",
            mode="markers",
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """``time_utc`` (``datetime64[ns, UTC]``), ``value``, ``which``."""
        import pandas as pd

        return pd.DataFrame({"time_utc": utc_column(self.time.et), "value": self.value,
                             "which": self.which})

    def __repr__(self) -> str:
        what = "maxima" if self.kind == "max" else "minima"
        if not len(self):
            return f"Extrema: no local {what}"
        n = int(np.unique(self.which).size)
        et = np.ravel(self.time.et)
        return (f"Extrema: {len(self)} local {what} of {n} function{'s' * (n != 1)}, "
                f"{span_text(float(et.min()), float(et.max()))}")


def find_extrema(
    f: Callable[..., np.ndarray],
    start: Any,
    stop: Any,
    *,
    step_s: float,
    kind: str = "max",
    n_objects: int | None = None,
    tol_s: float = DEFAULT_TOL_S,
) -> Extrema:
    """Local maxima (``kind='max'``) or minima of ``f`` inside ``(start, stop)``.

    A local extremum of the samples is refined by golden-section search between its two
    neighbours; extrema closer together than ``step_s`` may merge.
    """
    if kind not in ("max", "min"):
        raise ParameterError(f"kind {kind!r} must be 'max' or 'min'")
    t0, t1 = _span(start, stop)
    check_step(float(step_s), None)
    multi = n_objects is not None
    k = int(n_objects) if multi else 1
    _check_size(t0, t1, float(step_s), k)
    sign = -1.0 if kind == "max" else 1.0

    def g(x: np.ndarray, which: np.ndarray) -> np.ndarray:
        v = f(x, which) if multi else f(x)
        return sign * np.asarray(v, dtype=np.float64)

    t = _search.sample_times(t0, t1, float(step_s))
    n = t.size
    owner = np.repeat(np.arange(k), n)
    gv = g(np.tile(t, k), owner).reshape(k, n)
    if n < 3:
        return Extrema(Time.from_et(np.empty(0)), np.empty(0), np.empty(0, dtype=np.int64),
                       kind)
    r, c = np.nonzero((gv[:, :-2] > gv[:, 1:-1]) & (gv[:, 1:-1] <= gv[:, 2:]))
    c = c + 1
    tm, gm = _search.bracketed_minimum(
        g, t[c - 1], t[c], t[c + 1], gv[r, c - 1], gv[r, c], gv[r, c + 1], float(tol_s),
        which=r,
    )
    order = np.lexsort((tm, r))
    return Extrema(Time.from_et(tm[order]), sign * gm[order], r[order], kind)


def window_extrema(
    f: Callable[..., np.ndarray],
    windows: Windows,
    *,
    step_s: float,
    kind: str = "max",
    which: np.ndarray | None = None,
    tol_s: float = DEFAULT_TOL_S,
) -> tuple[np.ndarray, np.ndarray]:
    """The global maximum (or minimum) of ``f`` inside each window: ``(et, value)``.

    With ``which`` (object index per window), ``f`` is called as ``f(et, which)``.
    """
    if kind not in ("max", "min"):
        raise ParameterError(f"kind {kind!r} must be 'max' or 'min'")
    sign = -1.0 if kind == "max" else 1.0
    if which is None:
        def g(x: np.ndarray) -> np.ndarray:
            return sign * np.asarray(f(x), dtype=np.float64)
    else:
        def g(x: np.ndarray, w: np.ndarray) -> np.ndarray:  # type: ignore[misc]
            return sign * np.asarray(f(x, w), dtype=np.float64)
    # A window shorter than the step is still sampled at both ends and refined.
    tm, vm = _search.window_minima(
        g, windows.starts, windows.ends, float(step_s), float(tol_s), which=which
    )
    return tm, sign * vm
