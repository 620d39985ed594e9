"""Passes of orbiters over Mars surface sites: AOS, LOS, culmination, minimum range.

An orbiter is anything with a ``state(t)`` method returning Mars-centred ICRF states
``(..., 6)`` in km, km/s (an :class:`~areo.ephem.TabulatedTrajectory`, an orbit from
:mod:`areo.orbits`, an SPK-backed object), or a callable ``f(et) -> states``. Its position
is rotated into IAU_MARS (IAU 2015) and seen from each site's East-North-Up frame on the
IAU ellipsoid. Geometry is instantaneous (light time between an orbiter and a lander is a
few milliseconds).

The mask is a constant elevation or an azimuth-dependent horizon given as
``(azimuth_deg, elevation_deg)`` points, interpolated linearly and periodically in azimuth.
A Hermite-tabulated orbiter (:class:`~areo.ephem.TabulatedTrajectory`, e.g. from an OEM or
``orbiter(..., model='numerical')``) is searched over all sites by compiled kernels
(:mod:`areo.events._kernels`: the finder's algorithms on the same interpolant, one bracket at
a time, in parallel over sites, spans and passes); the pairs of any other orbiter are searched
together by :func:`areo.events.find_windows`. The finder's contract applies to both: every
pass longer than ``step_s`` above the mask is found, and a shorter
one when its culmination is a local maximum of the samples. That always holds when the
elevation has a single maximum within ``step_s`` either side of the culmination, i.e. for
any orbit whose period exceeds about four steps: the default 300 s step misses no pass of
any Mars orbiter (the shortest periods are near 1.8 h), however brief. With an azimuth
mask the margin above the mask can have several maxima in one pass; use a step shorter
than the shortest pass you need there.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo._numba import inp, run, run_pieces
from areo._search import _check as _search_check
from areo._search import sample_times
from areo.constants import DAY_S
from areo.errors import CoordinateRangeError, ParameterError
from areo.events import _kernels as _k
from areo.events.finder import (
    DEFAULT_TOL_S,
    check_step,
    find_windows_multi,
    span_et,
    window_extrema,
)
from areo.events.finder import _check_size as finder_size_check
from areo.events.windows import Windows
from areo.frames.mars import MARS_ROTATION_RATE_RAD_S
from areo.frames.topocentric import SurfacePoint, surface_point
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

__all__ = ["PairGeometry", "Pass", "Passes", "as_trajectory", "passes"]

# (epoch, pair) rows from which the ENU kernel splits over threads (areo._numba.run): a row
# costs a few ns, so below this the thread hand-off would cost more than it saves.
_SITE_ENU_PARALLEL_MIN = 50_000
# Tabulated orbiters (the compiled search, _search_tabulated): coarse samples from which the
# grid kernel splits over threads (~0.2 us a sample plus 20 ns a site), sample intervals per
# search task (a task is one site over a run of intervals: big enough that its hand-off is
# negligible, small enough that a year of one site splits into several tasks so that the
# threads stay balanced, also on a busy machine), and windows from which the culmination
# kernel splits (~10 us a window).
_GRID_PARALLEL_MIN = 20_000
_TASK_INTERVALS = 4_000
_SCAN_PARALLEL_MIN = 20_000  # sample intervals x sites (~60 ns each, more with passes)
_EXTREMA_PARALLEL_MIN = 64


def as_trajectory(orbiter: Any) -> Callable[[np.ndarray], np.ndarray]:
    """A function ``et -> (n, 6)`` Mars-centred ICRF states for an orbiter-like object."""
    if hasattr(orbiter, "state") and callable(orbiter.state):
        return lambda et: np.asarray(orbiter.state(Time.from_et(et)))
    if hasattr(orbiter, "propagate") and callable(orbiter.propagate):
        return lambda et: np.asarray(_states_of(orbiter.propagate(Time.from_et(et))))
    if callable(orbiter):
        return lambda et: np.asarray(orbiter(et))
    raise ParameterError(
        f"orbiter {orbiter!r} has no state(t): pass a TabulatedTrajectory, an areo Orbit or "
        "a function of TDB seconds returning (n, 6) Mars-centred states"
    )


def as_positions(orbiter: Any) -> Callable[[np.ndarray], np.ndarray]:
    """A function ``et -> (n, 3)`` Mars-centred ICRF positions (cheaper where offered)."""
    if hasattr(orbiter, "position") and callable(orbiter.position):
        return lambda et: np.asarray(orbiter.position(Time.from_et(et)))
    states = as_trajectory(orbiter)
    return lambda et: states(et)[:, :3]


def _states_of(result: Any) -> np.ndarray:
    return result.states if hasattr(result, "states") else result


def _name(orbiter: Any, k: int) -> str:
    return str(getattr(orbiter, "name", "") or f"orbiter {k}")


class _Mask:
    """Elevation mask in radians as a function of azimuth (radians)."""

    def __init__(self, mask: Any):
        if np.ndim(mask) == 0:
            el = float(mask)
            self._check(np.array([el]))
            self.az = None
            self.el = np.radians(el)
            self.max_deg = el
            return
        az_deg, el_deg = (np.asarray(m, dtype=float).ravel() for m in mask)
        if az_deg.size != el_deg.size or az_deg.size < 2:
            raise ParameterError(
                "an azimuth mask needs two equal-length sequences (azimuth_deg, elevation_deg) "
                "with at least two points"
            )
        self._check(el_deg)
        order = np.argsort(az_deg % 360.0)
        self.az = np.radians(az_deg[order] % 360.0)
        self.el = np.radians(el_deg[order])
        self.max_deg = float(el_deg.max())

    @staticmethod
    def _check(el_deg: np.ndarray) -> None:
        if not np.all(np.isfinite(el_deg)) or np.any(np.abs(el_deg) >= 90.0):
            raise CoordinateRangeError(
                f"elevation mask {el_deg.tolist()} deg must lie within (-90, 90): a mask at or "
                "above 90 deg hides the whole sky"
            )

    def __call__(self, az: np.ndarray) -> np.ndarray | float:
        if self.az is None:
            return self.el
        return np.interp(az, self.az, self.el, period=2.0 * np.pi)


class PairGeometry:
    """Elevation, azimuth and range of orbiter x site pairs, vectorised over pairs.

    Pair ``k`` is orbiter ``k // n_site`` over site ``k % n_site``; :meth:`relative` gives
    the site-to-orbiter vectors in each site's local east-north-up frame (km), the primitive
    under :func:`passes` and the relay link budget.
    """

    def __init__(self, orbiters: Sequence[Any], sites: Sequence[SurfacePoint]):
        self.traj = [as_trajectory(o) for o in orbiters]
        self.positions = [as_positions(o) for o in orbiters]
        self.pos = np.ascontiguousarray([s.position_km for s in sites], dtype=np.float64)
        self.enu = np.ascontiguousarray([s.enu for s in sites], dtype=np.float64)
        self.n_site = len(sites)
        self._table = None

    def to_body(self, positions: np.ndarray, et: np.ndarray) -> np.ndarray:
        """ICRF -> IAU_MARS through a rotation table over the epochs seen so far."""
        from areo.frames.iau import RotationTable
        from areo.frames.mars import MARS_IAU2015

        lo, hi = float(np.min(et)), float(np.max(et))
        table = self._table
        if table is None or lo < table.t0 or hi > table.t1:
            if table is not None:
                lo, hi = min(lo, table.t0), max(hi, table.t1)
            table = self._table = RotationTable(MARS_IAU2015, lo - DAY_S, hi + DAY_S)
        return table.to_body(positions, et)

    def relative(self, et: np.ndarray, which: np.ndarray) -> np.ndarray:
        """ENU vectors (km) from site to orbiter for each (epoch, pair)."""
        orb = which // self.n_site
        site = which % self.n_site
        out = np.empty((et.size, 3))
        single = len(self.traj) == 1
        for o in range(len(self.traj)):
            sel = None if single else np.flatnonzero(orb == o)
            if sel is not None and sel.size == 0:
                continue
            inv, uniq = self._distinct(et if single else et[sel])
            positions = np.asarray(self.positions[o](uniq))
            if positions.shape != (uniq.size, 3):
                raise ParameterError(
                    f"orbiter {o} returned positions of shape {positions.shape} for "
                    f"{uniq.size} epochs: expected (n, 3) from states of shape (n, 6)"
                )
            body = self.to_body(positions, uniq)
            sites = site if single else site[sel]
            part = out if single else np.empty((sel.size, 3))
            run(_k.site_enu, part.shape[0],
                (inp(body), inp(inv, np.int64), inp(sites, np.int64), inp(self.pos),
                 inp(self.enu), part), _SITE_ENU_PARALLEL_MIN)
            if not single:
                out[sel] = part
        return out

    def _distinct(self, et: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(inverse, distinct epochs): each epoch evaluated once however many sites share it.

        The finder's coarse grid tiles the same epochs once per site; other calls bring
        distinct epochs (refinement points) and are taken as they are.
        """
        n = self.n_site
        if n > 1 and et.size >= 4 * n and et.size % n == 0:
            blocks = et.reshape(n, -1)
            if np.array_equal(blocks, np.broadcast_to(blocks[0], blocks.shape)):
                m = blocks.shape[1]
                return np.tile(np.arange(m), n), blocks[0]
        if n > 1 and et.size >= 50_000:
            import pandas as pd

            inv, uniq = pd.factorize(et, sort=False)
            return inv, np.asarray(uniq, dtype=np.float64)
        return np.arange(et.size), et

    def could_rise(self, t_mid: np.ndarray, which: np.ndarray, step: float,
                   mask_min_rad: float) -> np.ndarray:
        """Whether the orbiter can climb above the lowest mask elevation within ``step`` of
        ``t_mid`` (a rigorous bound, so that sub-horizon culminations need no refinement).

        Above a mask ``e`` the central angle between site and orbiter must be below
        ``arccos(R_site cos(e) / r) - e`` (largest for the highest radius reachable in the
        step); the central angle changes no faster than the orbiter's inertial angular rate
        (speed bounded by energy conservation over the step) plus Mars's rotation. A margin
        of 0.01 rad covers the ellipsoid normal's tilt from the radial (< 0.34 deg).
        """
        from areo.bodies import body

        gm = float(body("mars").gm_km3s2)
        r_floor = float(np.min(body("mars").radii_km))
        orb = which // self.n_site
        site = which % self.n_site
        keep = np.ones(t_mid.size, dtype=bool)
        site_r = np.linalg.norm(self.pos, axis=1)
        for o in np.unique(orb):
            sel = np.flatnonzero(orb == o)
            tm = t_mid[sel]
            h = min(1.0, 0.5 * step)  # stays between the neighbouring samples
            st = np.asarray(self.traj[o](np.concatenate([tm, tm - h, tm + h])))
            m = tm.size
            r_vec = st[:m, :3]
            r = np.linalg.norm(r_vec, axis=1)
            # The speed from the states, or from the positions if those velocities are
            # absent or wrong: the bound must hold for any trajectory handed in.
            v_fd = np.linalg.norm(st[2 * m:, :3] - st[m:2 * m, :3], axis=1) / (2.0 * h)
            v = np.maximum(np.linalg.norm(st[:m, 3:], axis=1), 1.01 * v_fd)
            # Speed can only grow by falling: bound it from the surface first, then from the
            # lowest radius reachable within the step (energy conservation, point mass; the
            # 2 % covers J2 and the like).
            v_bound = 1.02 * np.sqrt(v * v + 2.0 * gm * np.maximum(1.0 / r_floor - 1.0 / r, 0))
            r_lo = np.maximum(r - v_bound * step, r_floor)
            v_max = 1.02 * np.sqrt(v * v + 2.0 * gm * np.maximum(1.0 / r_lo - 1.0 / r, 0.0))
            r_hi = r + v_max * step
            rate = v_max / r_lo + MARS_ROTATION_RATE_RAD_S
            body_pos = self.to_body(r_vec, tm)
            s = site[sel]
            cosg = np.einsum("ij,ij->i", body_pos, self.pos[s]) / (r * site_r[s])
            gamma = np.arccos(np.clip(cosg, -1.0, 1.0))
            gamma_max = np.arccos(np.clip(site_r[s] / r_hi * np.cos(mask_min_rad), -1.0, 1.0))
            gamma_max -= mask_min_rad
            keep[sel] = gamma - rate * step <= gamma_max + 0.01
        return keep

    def elevation(self, et: np.ndarray, which: np.ndarray) -> np.ndarray:
        v = self.relative(et, which)
        return np.arcsin(np.clip(v[:, 2] / np.linalg.norm(v, axis=1), -1.0, 1.0))

    def range_km(self, et: np.ndarray, which: np.ndarray) -> np.ndarray:
        return np.linalg.norm(self.relative(et, which), axis=1)


@dataclass(frozen=True)
class Pass:
    """One pass: acquisition and loss of signal above the mask, culmination, closest range.

    ``clipped_start`` / ``clipped_end``: the orbiter was already above the mask when the
    search span began (``aos`` is then the span's start, not a rise) / still above it when
    the span ended (``los`` is the span's end, not a set); culmination and closest range
    are then those inside the span.
    """

    orbiter: str
    site: str
    aos: Time
    los: Time
    tmax: Time
    max_elev_deg: float
    min_range_km: float
    clipped_start: bool = False
    clipped_end: bool = False

    @property
    def duration_s(self) -> float:
        return float(self.los.et - self.aos.et)

    def to_dict(self) -> dict[str, Any]:
        """The pass's record: ``orbiter``, ``site``, ``aos``, ``los``, ``tmax`` (UTC ISO
        strings), ``max_elev_deg``, ``min_range_km``, ``duration_s``, ``clipped_start``,
        ``clipped_end``."""
        return {
            "orbiter": self.orbiter, "site": self.site, "aos": str(self.aos.iso),
            "los": str(self.los.iso), "tmax": str(self.tmax.iso),
            "max_elev_deg": self.max_elev_deg, "min_range_km": self.min_range_km,
            "duration_s": self.duration_s,
            "clipped_start": bool(self.clipped_start), "clipped_end": bool(self.clipped_end),
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The pass on a UTC timeline with its culmination (plotly); saved to ``path`` (.html)."""
        return _timeline(self, path)

    def to_frame(self):
        """This pass as a one-row table (the columns of :meth:`Passes.to_frame`)."""
        return _passes_frame([self])

    def __repr__(self) -> str:
        aos = str(self.aos.iso)[:19].replace("T", " ")
        return (f"Pass: {self.orbiter} over {self.site}, AOS {aos} UTC, "
                f"{self.duration_s / 60.0:.1f} min, max elevation {self.max_elev_deg:.1f} deg")


#: Columns of :meth:`Passes.to_frame` (times ``datetime64[ns, UTC]``).
FRAME_COLUMNS = ("orbiter", "site", "aos_utc", "los_utc", "tmax_utc", "duration_s",
                 "max_elev_deg", "min_range_km", "clipped_start", "clipped_end")


def _passes_frame(rows: Sequence[Pass]) -> Any:
    import pandas as pd

    def et(name: str) -> np.ndarray:
        return np.array([float(getattr(p, name).et) for p in rows], dtype=float)

    return pd.DataFrame({
        "orbiter": [p.orbiter for p in rows], "site": [p.site for p in rows],
        "aos_utc": utc_column(et("aos")), "los_utc": utc_column(et("los")),
        "tmax_utc": utc_column(et("tmax")),
        "duration_s": np.array([p.duration_s for p in rows], dtype=float),
        "max_elev_deg": np.array([p.max_elev_deg for p in rows], dtype=float),
        "min_range_km": np.array([p.min_range_km for p in rows], dtype=float),
        "clipped_start": np.array([p.clipped_start for p in rows], dtype=bool),
        "clipped_end": np.array([p.clipped_end for p in rows], dtype=bool),
    }, columns=list(FRAME_COLUMNS))


class Passes:
    """All passes found, in time order, with per-pair windows."""

    def __init__(self, rows: list[Pass], windows: dict[tuple[str, str], Windows],
                 min_elev_deg: float):
        self.rows = sorted(rows, key=lambda p: float(p.aos.et))
        self.windows = windows
        self.min_elev_deg = min_elev_deg

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, k: int) -> Pass:
        return self.rows[k]

    def to_records(self) -> list[dict[str, Any]]:
        """``[{orbiter, site, aos, los, tmax, max_elev_deg, min_range_km, duration_s,
        clipped_start, clipped_end}]`` (:meth:`Pass.to_dict`; the ``areo passes --json``
        rows)."""
        return [p.to_dict() for p in self.rows]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Passes", "orbiters", "sites", "min_elev_deg", "count", "items":
        to_records()}``."""
        return collection("Passes", self.to_records(), orbiters=self._names(0),
                          sites=self._names(1), min_elev_deg=self.min_elev_deg)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The passes on a UTC timeline, a row per orbiter, culminations marked (plotly); saved
        to ``path`` (.html) when given."""
        return _timeline(self, path)

    def to_frame(self):
        """One row per pass: :data:`FRAME_COLUMNS` (``aos_utc``, ``los_utc``, ``tmax_utc``
        as ``datetime64[ns, UTC]``)."""
        return _passes_frame(self.rows)

    def _names(self, k: int) -> list[str]:
        return list(dict.fromkeys(pair[k] for pair in self.windows))

    def __repr__(self) -> str:
        def names(k: int) -> str:
            all_ = self._names(k)
            return ", ".join(all_[:4]) + (f" and {len(all_) - 4} more" if len(all_) > 4 else "")

        span = (span_text(float(self.rows[0].aos.et), max(float(p.los.et) for p in self.rows))
                if self.rows else "none found")
        return (f"Passes: {len(self)} passes of {names(0)} over {names(1)} above "
                f"{self.min_elev_deg:g} deg, {span}")


def passes(
    orbiters: Any,
    sites: Any,
    start: Any,
    stop: Any,
    *,
    min_elev_deg: Any = 10.0,
    step_s: float = 300.0,
    tol_s: float = 0.5 * DEFAULT_TOL_S,
    min_event_s: float | None = None,
    client: Any = None,
) -> Passes:
    """Passes of one or more orbiters over one or more Mars sites in ``[start, stop]``.

    Args:
        orbiters: an orbiter (see the module doc) or a list of them.
        sites: catalog names ('jezero'), Sites, SurfacePoints, or a list of them.
        min_elev_deg: constant mask (deg) or ``(azimuth_deg, elevation_deg)`` sequences.
        step_s: sampling step of the search (see the finder's contract).
        tol_s: AOS/LOS and culmination located to this (default 0.5 ms, so that timing
            errors stay below a millisecond).
        min_event_s: the shortest pass you need found; a warning is raised when ``step_s``
            is longer.
        client: None searches here; ``"serial"``, a Dask scheduler address or a
            ``distributed.Client`` searches groups of sites on :mod:`areo._batch` (many
            sites, long spans) and joins them in the order one call gives (each pass's
            times agree with one call's to the search tolerance).

    Example:
        >>> from areo.events.sources import orbiter
        >>> p = passes(orbiter("tgo"), "jezero", "2021-02-19", "2021-02-20")
        >>> len(p), list(p.to_frame().columns[:4])
        (4, ['orbiter', 'site', 'aos_utc', 'los_utc'])
    """
    orb_list = list(orbiters) if isinstance(orbiters, list | tuple) else [orbiters]
    site_list = list(sites) if isinstance(sites, list | tuple) else [sites]
    if not orb_list or not site_list:
        raise ParameterError("give at least one orbiter and one site")
    if client is not None:
        return _passes_on_engine(orb_list, site_list, start, stop, client,
                                 dict(min_elev_deg=min_elev_deg, step_s=step_s, tol_s=tol_s,
                                      min_event_s=min_event_s))
    points = [surface_point(s) for s in site_list]
    for p in points:
        if p.body != "mars":
            raise ParameterError(f"site {p.name!r} is not on Mars: passes are over Mars sites")
    mask = _Mask(min_elev_deg)
    t0, t1 = span_et(start, stop)
    # the finder's checks, warning and refusal, for both searches below
    check_step(float(step_s), min_event_s, stacklevel=3)
    finder_size_check(t0, t1, float(step_s), len(orb_list) * len(points))
    _search_check(t0, t1, float(step_s), float(tol_s))
    tabulated = [k for k, o in enumerate(orb_list) if _hermite_table(o) is not None]
    others = [k for k in range(len(orb_list)) if k not in tabulated]
    # per (orbiter index, site index): (starts, ends, tmax, max elevation rad, min range km)
    found: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}
    for k in tabulated:
        for s, res in enumerate(_search_tabulated(orb_list[k], points, mask, t0, t1,
                                                  float(step_s), float(tol_s))):
            found[(k, s)] = res
    if others:
        part = _search_generic([orb_list[k] for k in others], points, mask, t0, t1,
                               float(step_s), float(tol_s))
        for (o, s), res in part.items():
            found[(others[o], s)] = res
    rows: list[Pass] = []
    windows: dict[tuple[str, str], Windows] = {}
    with _collector_paused():
        _build_rows(found, orb_list, points, t0, t1, rows, windows)
    return Passes(rows, windows, mask.max_deg)


@contextmanager
def _collector_paused():
    """The cyclic garbage collector off while the rows are made: a year of passes is ~36 000
    small objects (Pass and its three Time), none in a cycle, whose allocation would
    otherwise trigger collections of the whole heap (about half the row-building time in a
    session that keeps earlier results: 60-90 ms -> 35 ms for a year over 5 sites)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build_rows(found: dict[tuple[int, int], tuple[np.ndarray, ...]], orb_list: list[Any],
                points: list[SurfacePoint], t0: float, t1: float, rows: list[Pass],
                windows: dict[tuple[str, str], Windows]) -> None:
    """The Pass rows and the per-pair windows, orbiter by orbiter, sites as given."""
    for o in range(len(orb_list)):
        for s in range(len(points)):
            starts, ends, tmax, elmax, rmin = found[(o, s)]
            key = (_name(orb_list[o], o), points[s].name)
            windows[key] = Windows(starts, ends)
            if not starts.size:
                continue
            aos, los, tm = Time.from_et(starts), Time.from_et(ends), Time.from_et(tmax)
            el_deg = np.degrees(elmax).tolist()
            r_km = rmin.astype(float).tolist()
            # The finder opens a window that is already up at the span's first sample
            # exactly at the start (and closes one still up at the end exactly at the stop).
            cut0 = (starts <= t0).tolist()
            cut1 = (ends >= t1).tolist()
            rows.extend(Pass(key[0], key[1], aos[k], los[k], tm[k], el_deg[k], r_km[k],
                             clipped_start=cut0[k], clipped_end=cut1[k])
                        for k in range(starts.size))


def _hermite_table(orbiter: Any) -> Any:
    """The orbiter itself when the compiled search can read its table (a Hermite
    :class:`~areo.ephem.TabulatedTrajectory`), else None."""
    from areo.ephem import TabulatedTrajectory

    if isinstance(orbiter, TabulatedTrajectory) and orbiter.interpolation == "hermite":
        return orbiter
    return None


def _search_generic(orb_list: list[Any], points: list[SurfacePoint], mask: _Mask, t0: float,
                    t1: float, step_s: float, tol_s: float
                    ) -> dict[tuple[int, int], tuple[np.ndarray, ...]]:
    """Any orbiters: all pairs searched together by the vectorised finder on
    :class:`PairGeometry` (one call of the orbiters per refinement iteration)."""
    geo = PairGeometry(orb_list, points)

    def above_mask(et: np.ndarray, which: np.ndarray) -> np.ndarray:
        v = geo.relative(et, which)
        el = np.arcsin(np.clip(v[:, 2] / np.linalg.norm(v, axis=1), -1.0, 1.0))
        if mask.az is None:
            return el - mask.el
        return el - mask(np.arctan2(v[:, 0], v[:, 1]) % (2.0 * np.pi))

    n_pairs = len(orb_list) * len(points)
    mask_min = float(np.min(np.atleast_1d(mask.el)))
    found = find_windows_multi(
        above_mask, t0, t1, step_s=step_s, threshold=0.0, n_objects=n_pairs, tol_s=tol_s,
        dip_filter=lambda t, which, step: geo.could_rise(t, which, step, mask_min),
    )
    out: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}
    for pair, win in enumerate(found):
        o, s = divmod(pair, len(points))
        if not len(win):
            empty = np.empty(0)
            out[(o, s)] = (empty, empty, empty, empty, empty)
            continue
        which = np.full(len(win), pair, dtype=np.int64)
        tmax, elmax = window_extrema(geo.elevation, win, step_s=step_s, kind="max",
                                     which=which, tol_s=tol_s)
        _, rmin = window_extrema(geo.range_km, win, step_s=step_s, kind="min", which=which,
                                 tol_s=tol_s)
        out[(o, s)] = (np.asarray(win.starts, dtype=float), np.asarray(win.ends, dtype=float),
                       tmax, elmax, rmin)
    return out


def _search_tabulated(traj: Any, points: list[SurfacePoint], mask: _Mask, t0: float,
                      t1: float, step_s: float, tol_s: float) -> list[tuple[np.ndarray, ...]]:
    """One Hermite-tabulated orbiter over every site, compiled (:mod:`areo.events._kernels`).

    The finder's algorithm on the same geometry as :class:`PairGeometry`: the grid's
    body-fixed positions once for all sites, then each site's sample intervals in tasks
    (several per site over long spans) that bracket and refine every rise, set and dip in
    compiled code, in parallel over tasks; then each pass's culmination and closest range,
    in parallel over passes. Per site: ``(starts, ends, tmax, max elevation rad, min range
    km)``.
    """
    from areo.bodies import body
    from areo.frames.iau import RotationTable
    from areo.frames.mars import MARS_IAU2015

    t = sample_times(t0, t1, step_s)
    n = t.size
    n_site = len(points)
    table = RotationTable(MARS_IAU2015, t0 - DAY_S, t1 + DAY_S)
    pos = inp([p.position_km for p in points])
    enu = inp([p.enu for p in points])
    if mask.az is None:
        maz, mel = inp(np.empty(0)), inp([mask.el])
    else:  # the nodes extended one each side, as numpy.interp(..., period=2 pi) does
        maz = inp(np.concatenate([mask.az[-1:] - 2.0 * np.pi, mask.az,
                                  mask.az[:1] + 2.0 * np.pi]))
        mel = inp(np.concatenate([mask.el[-1:], mask.el, mask.el[:1]]))
    geo_args = (*traj.kernel_args, *table.kernel_args, pos, enu)
    lo, hi = traj.span
    if t[0] < lo or t[-1] > hi:
        traj.position(np.array([t[0], t[-1]]))  # raises with the table's span
    grid_pos = np.empty((n, 3))
    gv = np.empty((n_site, n))
    run_pieces(_k.grid_sample, n, (inp(t), *geo_args, maz, mel, grid_pos, gv),
                _GRID_PARALLEL_MIN)
    # tasks: each site's n - 1 sample intervals in runs of about _TASK_INTERVALS
    n_int = max(n - 1, 0)
    chunks = max(1, -(-n_int // _TASK_INTERVALS))
    edges = (np.arange(chunks + 1) * n_int) // chunks
    # chunk-major, so that each thread's contiguous share of the tasks holds every site
    # (sites differ in how many passes they see)
    task_site = np.tile(np.arange(n_site), chunks)
    task_lo = np.repeat(edges[:-1], n_site)
    task_hi = np.repeat(edges[1:], n_site)
    cap = task_hi - task_lo + 1  # one event at most per interval, plus the span's edge
    cap_off = np.concatenate([[0], np.cumsum(cap)[:-1]])
    starts = np.empty(int(cap.sum()))
    ends = np.empty(int(cap.sum()))
    n_starts = np.zeros(task_site.size, dtype=np.int64)
    n_ends = np.zeros(task_site.size, dtype=np.int64)
    mars = body("mars")
    run_pieces(_k.scan_passes, task_site.size,
        (inp(t), inp(grid_pos), inp(gv), inp(task_site, np.int64), inp(task_lo, np.int64),
         inp(task_hi, np.int64), inp(cap_off, np.int64), float(step_s), float(tol_s), True,
         -1, True, float(np.min(np.atleast_1d(mask.el))), float(mars.gm_km3s2),
         float(np.min(mars.radii_km)), float(MARS_ROTATION_RATE_RAD_S), *geo_args, maz, mel,
         starts, n_starts, ends, n_ends),
        2 if n_int * n_site >= _SCAN_PARALLEL_MIN else task_site.size + 1)
    per_site_s: list[np.ndarray] = []
    per_site_e: list[np.ndarray] = []
    for s in range(n_site):
        js = np.flatnonzero(task_site == s)
        st = np.sort(np.concatenate([starts[cap_off[j]:cap_off[j] + n_starts[j]] for j in js]))
        en = np.sort(np.concatenate([ends[cap_off[j]:cap_off[j] + n_ends[j]] for j in js]))
        if st.size != en.size:  # cannot happen: every rise is followed by a set
            raise RuntimeError(f"unpaired rises and sets at {points[s].name}")
        per_site_s.append(st)
        per_site_e.append(en)
    w_start = np.concatenate(per_site_s)
    w_end = np.concatenate(per_site_e)
    w_site = np.repeat(np.arange(n_site), [x.size for x in per_site_s])
    ext = np.empty((w_start.size, 3))
    run_pieces(_k.pass_extrema, w_start.size,
        (inp(w_start), inp(w_end), inp(w_site, np.int64), float(step_s), float(tol_s),
         *geo_args, maz, mel, ext), _EXTREMA_PARALLEL_MIN)
    out = []
    k = 0
    for s in range(n_site):
        m = per_site_s[s].size
        out.append((per_site_s[s], per_site_e[s], ext[k:k + m, 0], ext[k:k + m, 1],
                    ext[k:k + m, 2]))
        k += m
    return out


def passes_of_sites(inputs: Any, seed: int, chunk_id: int) -> Passes:
    """The chunk function of :func:`passes` on :mod:`areo._batch`: ``inputs`` = (orbiters,
    a group of sites, start, stop, the search's keywords)."""
    orb_list, sites, start, stop, kw = inputs
    return passes(orb_list, sites, start, stop, **kw)


def _passes_on_engine(orb_list: list[Any], site_list: list[Any], start: Any, stop: Any,
                      client: Any, kw: dict[str, Any]) -> Passes:
    from areo._batch import Chunk, map_chunks

    points = [surface_point(s) for s in site_list]  # refused here, before any work
    for p in points:
        if p.body != "mars":
            raise ParameterError(f"site {p.name!r} is not on Mars: passes are over Mars sites")
    size = max(1, math.ceil(len(site_list) / 8))  # ~8 tasks: balance against overhead
    chunks = [Chunk(k, (orb_list, site_list[i:i + size], start, stop, kw), 0)
              for k, i in enumerate(range(0, len(site_list), size))]
    parts = map_chunks(passes_of_sites, chunks, client=client)
    # one call's order: orbiter by orbiter, and for each the sites as given (a stable sort
    # keeps each pair's passes in time order)
    order = {(_name(o, k), p.name): (k, j) for k, o in enumerate(orb_list)
             for j, p in enumerate(points)}
    rows = sorted((r for part in parts for r in part),
                  key=lambda r: order[(r.orbiter, r.site)])
    windows = dict(sorted(((k, w) for part in parts for k, w in part.windows.items()),
                          key=lambda kv: order[kv[0]]))
    return Passes(rows, windows, _Mask(kw["min_elev_deg"]).max_deg)


def _timeline(result: Any, path: Any) -> Any:
    """The figure of :meth:`plot`: a UTC timeline (:func:`areo.io.figures.timeline_figure`),
    saved to ``path`` (.html) when given."""
    from areo.io.figures import show_or_save, timeline_figure

    fig = timeline_figure(
        result.to_frame(),
        start="aos_utc",
        end="los_utc",
        row="orbiter",
        hover=("site", "max_elev_deg", "min_range_km"),
        mark="tmax_utc",
        title=repr(result),
    )
    return show_or_save(fig, path)
