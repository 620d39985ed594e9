"""Sunlight at Mars surface sites: solar elevation, sunrise/sunset, daylight windows,
local true solar time windows.

The Sun's direction comes from DE440 (light-time corrected, ``'CN'``: the Sun where it
appears from Mars, without stellar aberration), rotated into IAU_MARS (IAU 2015) and seen
from the site's East-North-Up frame on the IAU ellipsoid; elevation is measured from the
plane normal to the ellipsoid. No refraction (Mars's thin atmosphere bends sunlight near
the horizon by well under 0.1 deg). ``limb='upper'`` counts sunrise when the upper limb
clears the threshold (the solar disc is about 0.35 deg across at 1.5 AU).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.bodies import body
from areo.constants import SOL_NASA_LMST_S
from areo.ephem import default_ephemeris
from areo.errors import CoordinateRangeError, ParameterError
from areo.events.finder import find_windows, find_windows_multi, window_extrema
from areo.events.windows import Windows
from areo.frames.mars import to_iau_mars
from areo.frames.topocentric import SurfacePoint, surface_point
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time, local_true_solar_time

__all__ = ["Daylight", "Daylights", "daylight", "ltst_windows", "solar_elevation"]

#: IAU 2015 nominal solar radius (Prsa et al. 2016), km, from :mod:`areo.bodies`.
_SUN_RADIUS_KM = body("sun").equatorial_radius_km


def _sites(where: Any) -> list[SurfacePoint]:
    items = where if isinstance(where, list | tuple) else [where]
    points = [surface_point(w) for w in items]
    for p in points:
        if p.body != "mars":
            raise ParameterError(
                f"site {p.name!r} is on {p.body!r}: solar illumination here is for Mars sites"
            )
    return points


class _SunGeometry:
    """Sun elevation (rad) at several Mars sites; vectorised over (epoch, site) pairs."""

    def __init__(self, sites: list[SurfacePoint], limb: str):
        if limb not in ("center", "upper", "lower"):
            raise ParameterError(f"limb {limb!r} must be 'center', 'upper' or 'lower'")
        self.pos = np.array([s.position_km for s in sites])
        self.up = np.array([s.enu[2] for s in sites])
        self.limb = {"center": 0.0, "upper": 1.0, "lower": -1.0}[limb]
        self.eph = default_ephemeris()

    def elevation(self, et: np.ndarray, which: np.ndarray) -> np.ndarray:
        et = np.asarray(et, dtype=np.float64)
        sun = self.eph.state("sun", et, center="mars", abcorr="cn").position
        rel = to_iau_mars(sun, et) - self.pos[which]
        dist = np.linalg.norm(rel, axis=-1)
        el = np.arcsin(np.clip(np.einsum("ij,ij->i", rel, self.up[which]) / dist, -1.0, 1.0))
        if self.limb:
            el = el + self.limb * np.arcsin(_SUN_RADIUS_KM / dist)
        return el


def solar_elevation(site: Any, t: Any, *, limb: str = "center") -> Any:
    """Solar elevation in degrees at a Mars site (catalog name, Site or SurfacePoint)."""
    time = t if isinstance(t, Time) else Time(t)
    geo = _SunGeometry(_sites(site), limb)
    et = np.atleast_1d(time.et).ravel()
    el = np.degrees(geo.elevation(et, np.zeros(et.size, dtype=np.int64)))
    return el.reshape(time.shape)[()] if time.is_scalar else el.reshape(time.shape)


@dataclass(frozen=True)
class Daylight:
    """Daylight windows at one site, with sunrise, sunset and the Sun's culmination."""

    site: str
    min_elev_deg: float
    windows: Windows
    noon_et: np.ndarray
    max_elev_deg: np.ndarray
    sunrise_ltst_hours: np.ndarray  # NaN for a window cut by the span's start
    sunset_ltst_hours: np.ndarray  # NaN for a window cut by the span's end
    clipped_start: bool  # the first window began before the span (the Sun was up at start)
    clipped_end: bool  # the last window goes on after the span

    def __len__(self) -> int:
        return len(self.windows)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per window: ``start``, ``end``, ``duration_s``, ``site``, ``sunrise``,
        ``sunset``, ``noon``, ``max_elev_deg``, ``sunrise_ltst_hours``, ``sunset_ltst_hours``,
        ``clipped_start``, ``clipped_end`` (UTC ISO strings). A window cut by the span's start
        (the Sun was already up) has ``clipped_start`` true and ``sunrise`` /
        ``sunrise_ltst_hours`` null; one cut by the span's end, ``clipped_end`` true and null
        ``sunset`` / ``sunset_ltst_hours`` (``start``/``end`` stay the span's edges)."""
        rows = self.windows.to_records()
        noon = np.atleast_1d(Time.from_et(self.noon_et).iso) if len(self) else []
        last = len(rows) - 1
        for k, row in enumerate(rows):
            cut_start = bool(self.clipped_start and k == 0)
            cut_end = bool(self.clipped_end and k == last)
            row.update(
                site=self.site,
                sunrise=None if cut_start else row["start"],
                sunset=None if cut_end else row["end"],
                noon=str(noon[k]),
                max_elev_deg=float(self.max_elev_deg[k]),
                sunrise_ltst_hours=None if cut_start else float(self.sunrise_ltst_hours[k]),
                sunset_ltst_hours=None if cut_end else float(self.sunset_ltst_hours[k]),
                clipped_start=cut_start,
                clipped_end=cut_end,
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Daylight", "site", "min_elev_deg", "count", "items": to_records()}``."""
        return collection("Daylight", self.to_records(), site=self.site,
                          min_elev_deg=self.min_elev_deg)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """Daylight at the site on a UTC timeline (plotly); saved to ``path`` (.html)."""
        return _timeline(self, path)

    def to_frame(self):
        """One row per window: ``site``, ``start_utc``, ``end_utc``, ``duration_s``,
        ``sunrise_utc``, ``sunset_utc`` (NaT where the span cuts the window), ``noon_utc``,
        ``max_elev_deg``, ``sunrise_ltst_hours``, ``sunset_ltst_hours``, ``clipped_start``,
        ``clipped_end``; times ``datetime64[ns, UTC]``."""
        import pandas as pd

        n = len(self)
        cut_start = np.zeros(n, dtype=bool)
        cut_end = np.zeros(n, dtype=bool)
        if n:
            cut_start[0] = self.clipped_start
            cut_end[-1] = self.clipped_end
        w = self.windows
        return pd.DataFrame({
            "site": [self.site] * n,
            "start_utc": utc_column(w.starts), "end_utc": utc_column(w.ends),
            "duration_s": w.durations,
            "sunrise_utc": utc_column(np.where(cut_start, np.nan, w.starts)),
            "sunset_utc": utc_column(np.where(cut_end, np.nan, w.ends)),
            "noon_utc": utc_column(self.noon_et),
            "max_elev_deg": np.asarray(self.max_elev_deg, dtype=float),
            "sunrise_ltst_hours": np.asarray(self.sunrise_ltst_hours, dtype=float),
            "sunset_ltst_hours": np.asarray(self.sunset_ltst_hours, dtype=float),
            "clipped_start": cut_start, "clipped_end": cut_end,
        })

    def __repr__(self) -> str:
        return (
            f"Daylight: {len(self)} windows with the Sun above {self.min_elev_deg:g} deg at "
            f"{self.site}, {self.windows.total_duration / 3600.0:.2f} h in all, "
            f"{span_text(self.windows.first, self.windows.last)}"
        )


class Daylights(Sequence[Daylight]):
    """What :func:`daylight` returns: one :class:`Daylight` per site, in the order asked
    (a list-like: ``len``, iteration, ``[k]``; ``[name]`` picks a site by name)."""

    def __init__(self, items: Sequence[Daylight]):
        self.items = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for d in self.items:
                if d.site == key:
                    return d
            names = ", ".join(d.site for d in self.items)
            raise KeyError(f"no site {key!r} here (sites: {names})")
        return self.items[key]

    def to_records(self) -> list[dict[str, Any]]:
        """The windows of every site, site after site (:meth:`Daylight.to_records`)."""
        return [row for d in self.items for row in d.to_records()]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Daylights", "sites", "count", "items": to_records()}`` (each item
        names its ``site``)."""
        return collection("Daylights", self.to_records(), sites=[d.site for d in self.items])

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """Daylight at each site on a UTC timeline, a row per site (plotly); saved to ``path``."""
        return _timeline(self, path)

    def to_frame(self):
        """The frames of every site stacked (:meth:`Daylight.to_frame`, ``site`` column)."""
        import pandas as pd

        if not self.items:
            return Daylight("", 0.0, Windows(), *([np.empty(0)] * 4), False, False).to_frame()
        return pd.concat([d.to_frame() for d in self.items], ignore_index=True)

    def __repr__(self) -> str:
        n = sum(len(d) for d in self.items)
        sites = ", ".join(d.site for d in self.items[:4]) + (", ..." * (len(self) > 4))
        first = min((d.windows.first for d in self.items if len(d)), default=float("nan"))
        last = max((d.windows.last for d in self.items if len(d)), default=float("nan"))
        return (f"Daylights: {n} daylight windows at {len(self)} site"
                f"{'s' * (len(self) != 1)} ({sites}), {span_text(first, last)}")


def daylight(
    site: Any,
    start: Any,
    stop: Any,
    *,
    min_elev_deg: float = 0.0,
    limb: str = "center",
    step_s: float = 600.0,
    tol_s: float = 1e-3,
) -> Daylights:
    """When the Sun stands above ``min_elev_deg`` at one or several Mars sites.

    ``site`` is a catalog name ('jezero'), a Site, a SurfacePoint or a list of them (all
    searched together). Always a :class:`Daylights`, one :class:`Daylight` per site, also
    for one site (``daylight("jezero", ...)[0]``): a search returns the same shape
    whatever it is given. ``step_s`` (default 10 min) bounds the shortest daylight window
    guaranteed to be found; near the polar day/night edge a window shorter than that can
    be missed unless the Sun's culmination is a sampled maximum. Edges to ``tol_s``.

    Example:
        >>> days = daylight("jezero", "2021-02-19", "2021-02-21")   # one Daylight per site
        >>> len(days), len(days[0].windows)
        (1, 2)
    """
    min_elev = float(min_elev_deg)
    if not (np.isfinite(min_elev) and -90.0 <= min_elev <= 90.0):
        raise CoordinateRangeError(
            f"min_elev_deg {min_elev_deg} is outside [-90, 90]: give the Sun's elevation in "
            "degrees (0 = horizon, -18 = astronomical twilight on Earth)"
        )
    points = _sites(site)
    geo = _SunGeometry(points, limb)
    t0 = float(Time(start).et)
    t1 = float(Time(stop).et)
    found = find_windows_multi(
        geo.elevation, t0, t1, step_s=step_s, threshold=np.radians(min_elev),
        n_objects=len(points), tol_s=tol_s,
    )
    results = []
    for k, (point, win) in enumerate(zip(points, found, strict=True)):
        which = np.full(len(win), k, dtype=np.int64)
        if len(win):
            noon, el_max = window_extrema(
                geo.elevation, win, step_s=step_s, kind="max", which=which, tol_s=tol_s
            )
            lon = np.degrees(point.lon)
            rise = np.array(local_true_solar_time(Time.from_et(win.starts), lon),
                            dtype=float, ndmin=1)
            sets = np.array(local_true_solar_time(Time.from_et(win.ends), lon),
                            dtype=float, ndmin=1)
            # A window cut by the span has no sunrise (sunset) there: NaN, not the LTST of
            # the span's edge.
            if win.starts[0] <= t0:
                rise[0] = np.nan
            if win.ends[-1] >= t1:
                sets[-1] = np.nan
        else:
            noon = el_max = rise = sets = np.empty(0)
        results.append(
            Daylight(
                site=point.name,
                min_elev_deg=min_elev,
                windows=win,
                noon_et=np.asarray(noon),
                max_elev_deg=np.degrees(el_max),
                sunrise_ltst_hours=np.asarray(rise, dtype=float),
                sunset_ltst_hours=np.asarray(sets, dtype=float),
                clipped_start=bool(len(win)) and win.starts[0] <= t0,
                clipped_end=bool(len(win)) and win.ends[-1] >= t1,
            )
        )
    return Daylights(results)


def ltst_windows(
    site: Any,
    start: Any,
    stop: Any,
    from_hours: float,
    to_hours: float,
    *,
    tol_s: float = 1e-3,
) -> Windows:
    """When the local true solar time (Mars24) at a site lies in ``[from_hours, to_hours]``.

    A span that wraps midnight (``from_hours > to_hours``, e.g. 22 -> 2) is allowed.
    """
    for name, h in (("from_hours", from_hours), ("to_hours", to_hours)):
        if not (np.isfinite(h) and 0.0 <= h <= 24.0):
            raise ParameterError(f"{name} {h} must be an hour of the sol in [0, 24]")
    point = _sites(site)[0]
    lon = np.degrees(point.lon)
    width = (float(to_hours) - float(from_hours)) % 24.0
    if width == 0.0 and from_hours != to_hours:
        width = 24.0

    def inside(et: np.ndarray) -> np.ndarray:
        phase = (np.asarray(local_true_solar_time(Time.from_et(et), lon)) - from_hours) % 24.0
        return width - phase  # > 0 inside; the jump at the far edge is a bracketed crossing

    # Sampling every 1/48 sol catches any span of 30 Mars minutes or more.
    return find_windows(inside, start, stop, step_s=SOL_NASA_LMST_S / 48.0, threshold=0.0,
                        tol_s=tol_s)


def _timeline(result: Any, path: Any) -> Any:
    """The figure of :meth:`plot`: a UTC timeline (:func:`areo.io.figures.timeline_figure`),
    saved to ``path`` (.html) when given."""
    from areo.io.figures import show_or_save, timeline_figure

    fig = timeline_figure(
        result.to_frame(),
        row="site",
        hover=("max_elev_deg",),
        title=repr(result),
    )
    return show_or_save(fig, path)
