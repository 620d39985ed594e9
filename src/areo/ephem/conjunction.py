"""Sun-Earth-Mars angle and solar conjunction windows of Mars.

Near solar conjunction the radio path Earth-Mars passes close to the Sun and the solar
plasma degrades links; operations usually freeze commanding while the Sun-Earth-Mars angle
is below a few degrees (3 deg for NASA Mars missions' command moratorium; ESA uses similar
thresholds per mission).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo import _search
from areo.constants import DAY_S
from areo.ephem.spk import Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

__all__ = ["Conjunction", "Conjunctions", "solar_conjunctions", "sun_earth_mars_angle"]


def _sem_deg(eph: Ephemeris, et: np.ndarray) -> np.ndarray:
    """Sun-Earth-Mars angle (deg) at 1-D ``et``: geometric, Earth's centre, J2000."""
    earth, sun, mars = eph.resolve("earth"), eph.resolve("sun"), eph.resolve("mars")
    u = eph.geometric_states(sun, earth, et)[:, :3]
    v = eph.geometric_states(mars, earth, et)[:, :3]
    # atan2(|u x v|, u.v) stays accurate near 0 and 180 deg where acos loses digits.
    cross = np.linalg.norm(np.cross(u, v), axis=1)
    dot = np.einsum("ij,ij->i", u, v)
    return np.degrees(np.arctan2(cross, dot))


def sun_earth_mars_angle(t: Any, ephemeris: Ephemeris | None = None) -> Any:
    """Sun-Earth-Mars angle in degrees: the separation of Mars from the Sun seen from Earth.

    Geometric (no light time, no aberration), from the centres of the Earth, the Sun and
    Mars (the Mars barycentre in DE440, < 1 m away). ``t`` as :class:`~areo.time.Time`
    accepts; a float for a scalar time, else an array of ``t``'s shape.
    """
    eph = default_ephemeris() if ephemeris is None else ephemeris
    time = t if isinstance(t, Time) else Time(t)
    angle = _sem_deg(eph, np.ascontiguousarray(time.et.ravel(), dtype=np.float64))
    angle = angle.reshape(time.et.shape)
    return float(angle) if angle.ndim == 0 else angle


@dataclass(frozen=True, eq=False)  # Time fields compare element-wise
class Conjunction:
    """A window where the Sun-Earth-Mars angle stays below the threshold.

    ``start``/``end`` are clipped to the searched interval; ``min_sep_deg`` is the smallest
    angle inside the window, reached at ``min_time``. ``clipped_start`` / ``clipped_end``
    say that the angle was already below the threshold when the search began / still below
    it when it ended: ``start`` / ``end`` is then the search's edge, not the conjunction's,
    and the minimum is the smallest angle within the span.
    """

    start: Time
    end: Time
    min_sep_deg: float
    min_time: Time
    clipped_start: bool = False
    clipped_end: bool = False

    @property
    def duration_days(self) -> float:
        return float(self.end.et - self.start.et) / DAY_S

    def to_dict(self) -> dict[str, Any]:
        """``{start, end, min_sep_deg, min_utc, duration_days, clipped_start, clipped_end}``
        with UTC ISO strings."""
        return {
            "start": str(self.start.utc_iso(0)),
            "end": str(self.end.utc_iso(0)),
            "min_sep_deg": float(self.min_sep_deg),
            "min_utc": str(self.min_time.utc_iso(0)),
            "duration_days": self.duration_days,
            "clipped_start": bool(self.clipped_start),
            "clipped_end": bool(self.clipped_end),
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The conjunction on a UTC timeline, its minimum marked (plotly); saved to ``path``."""
        return _timeline(self, path)

    def to_frame(self):
        """This window as a one-row table (the columns of :meth:`Conjunctions.to_frame`)."""
        return Conjunctions([self]).to_frame()

    def __repr__(self) -> str:
        return (
            f"Conjunction: {self.duration_days:.2f} days with the Sun-Earth-Mars angle below "
            f"the threshold, {span_text(float(self.start.et), float(self.end.et))}, min "
            f"{self.min_sep_deg:.3f} deg at {str(self.min_time.utc_iso(0))[:16]}"
        )


class Conjunctions(Sequence[Conjunction]):
    """What :func:`solar_conjunctions` returns: the windows in time order, list-like
    (``len``, iteration, indexing) with the result contract (``to_frame``, ``to_dict``,
    ``to_records``, ``to_json``)."""

    def __init__(self, items: Sequence[Conjunction] = (), max_sep_deg: float = float("nan")):
        self.items = list(items)
        self.max_sep_deg = float(max_sep_deg)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k: Any) -> Any:
        return self.items[k]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Conjunctions):
            return self.items == other.items
        if isinstance(other, list):
            return self.items == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def to_records(self) -> list[dict[str, Any]]:
        """``[Conjunction.to_dict(), ...]`` (the ``areo conjunctions --json`` rows)."""
        return [c.to_dict() for c in self.items]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Conjunctions", "max_sep_deg", "count", "items": to_records()}``."""
        return collection("Conjunctions", self.to_records(), max_sep_deg=self.max_sep_deg)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The conjunctions on a UTC timeline, minima marked (plotly); saved to ``path``."""
        return _timeline(self, path)

    def to_frame(self):
        """One row per window: ``start_utc``, ``end_utc``, ``min_utc``
        (``datetime64[ns, UTC]``), ``duration_days``, ``min_sep_deg``, ``clipped_start``,
        ``clipped_end``."""
        import pandas as pd

        def et(name: str) -> np.ndarray:
            return np.array([float(getattr(c, name).et) for c in self.items], dtype=float)

        return pd.DataFrame({
            "start_utc": utc_column(et("start")), "end_utc": utc_column(et("end")),
            "min_utc": utc_column(et("min_time")),
            "duration_days": np.array([c.duration_days for c in self.items], dtype=float),
            "min_sep_deg": np.array([c.min_sep_deg for c in self.items], dtype=float),
            "clipped_start": np.array([c.clipped_start for c in self.items], dtype=bool),
            "clipped_end": np.array([c.clipped_end for c in self.items], dtype=bool),
        })

    def __repr__(self) -> str:
        below = f" below {self.max_sep_deg:g} deg" if np.isfinite(self.max_sep_deg) else ""
        if not self.items:
            return f"Conjunctions: no solar conjunction{below}"
        days = sum(c.duration_days for c in self.items)
        span = span_text(float(self.items[0].start.et), float(self.items[-1].end.et))
        return (f"Conjunctions: {len(self)} solar conjunctions of Mars{below}, "
                f"{days:.1f} days in all, {span}")


def _scalar_et(value: Any, name: str) -> float:
    time = value if isinstance(value, Time) else Time(value)
    if time.et.size != 1:
        raise ParameterError(f"{name} must be a single time, got {time.et.size} epochs")
    return float(time.et.ravel()[0])


def solar_conjunctions(
    start: Any,
    stop: Any,
    max_sep_deg: float = 3.0,
    ephemeris: Ephemeris | None = None,
    step_s: float = DAY_S,
) -> Conjunctions:
    """Solar conjunction windows of Mars between ``start`` and ``stop``: a
    :class:`Conjunctions` (list-like, in time order; empty when there is none).

    A window is where the Sun-Earth-Mars angle (:func:`sun_earth_mars_angle`) is below
    ``max_sep_deg``; edges are found to 1 ms (well within the 1 s promised), windows are
    clipped to ``[start, stop]``. The angle is sampled every ``step_s`` (1 day); a dip below
    the threshold between samples is still found because each sampled local minimum of the
    angle is refined (Mars conjunctions come every ~780 days, so one dip per minimum).

    Raises :class:`~areo.errors.ParameterError` if ``stop`` is not after ``start`` or
    ``max_sep_deg`` is outside (0, 180), and :class:`~areo.errors.EpochOutOfRangeError` if
    the interval leaves the ephemeris span.

    Example:
        >>> len(solar_conjunctions("2026-01-01", "2030-01-01", max_sep_deg=3.0))
        2
    """
    et0, et1 = _scalar_et(start, "start"), _scalar_et(stop, "stop")
    if not et1 > et0:
        raise ParameterError(
            f"stop {Time.from_et(et1).iso} is not after start {Time.from_et(et0).iso}: "
            "pass a stop later than the start"
        )
    sep = float(max_sep_deg)
    if not 0.0 < sep < 180.0:
        raise ParameterError(
            f"max_sep_deg {max_sep_deg} is outside (0, 180) deg: a few degrees is usual "
            "(3 deg: NASA command moratorium)"
        )
    if not np.isfinite(step_s) or step_s <= 0.0:
        raise ParameterError(f"step_s {step_s} must be a positive number of seconds")
    eph = default_ephemeris() if ephemeris is None else ephemeris

    def angle(et: np.ndarray) -> np.ndarray:
        return _sem_deg(eph, et)

    starts, ends = _search.find_windows(angle, et0, et1, step_s, sep, below=True, tol=1e-3)
    t_min, f_min = _search.window_minima(angle, starts, ends, step_s, tol=1e-3)
    # A window already open at the first sample starts exactly at et0 (ends exactly at et1
    # when still open at the last one): those are cut by the span.
    return Conjunctions([
        Conjunction(Time.from_et(s), Time.from_et(e), float(fm), Time.from_et(tm),
                    clipped_start=bool(s <= et0), clipped_end=bool(e >= et1))
        for s, e, tm, fm in zip(starts, ends, t_min, f_min, strict=True)
    ], max_sep_deg=sep)


def _timeline(result: Any, path: Any) -> Any:
    """The figure of :meth:`plot`: a UTC timeline (:func:`areo.io.figures.timeline_figure`),
    saved to ``path`` (.html) when given."""
    from areo.io.figures import show_or_save, timeline_figure

    fig = timeline_figure(
        result.to_frame(),
        hover=("min_sep_deg",),
        mark="min_utc",
        title=repr(result),
    )
    return show_or_save(fig, path)
