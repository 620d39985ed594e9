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

from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.bodies import body
from areo.constants import SOL_NASA_LMST_S
from areo.ephem import default_ephemeris
from areo.errors import CoordinateRangeError, ParameterError
from areo.events.finder import find_windows, window_extrema
from areo.events.windows import Windows
from areo.frames.mars import to_iau_mars
from areo.frames.topocentric import SurfacePoint, surface_point
from areo.time import Time, local_true_solar_time

__all__ = ["Daylight", "daylight", "ltst_windows", "solar_elevation"]

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

    def to_dict(self) -> list[dict[str, Any]]:
        """One row per window: ``start``, ``end``, ``duration_s``, ``site``, ``sunrise``,
        ``sunset``, ``noon``, ``max_elev_deg``, ``sunrise_ltst_hours``, ``sunset_ltst_hours``,
        ``clipped_start``, ``clipped_end``. A window cut by the span's start (the Sun was
        already up) has ``clipped_start`` true and ``sunrise`` / ``sunrise_ltst_hours`` null;
        one cut by the span's end, ``clipped_end`` true and null ``sunset`` /
        ``sunset_ltst_hours`` (``start``/``end`` stay the span's edges)."""
        rows = self.windows.to_dict()
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

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.to_dict())

    def __repr__(self) -> str:
        return (
            f"Daylight({self.site}: {len(self)} windows with the Sun above "
            f"{self.min_elev_deg} deg, {self.windows.total_duration / 3600.0:.2f} h in all)"
        )


def daylight(
    site: Any,
    start: Any,
    stop: Any,
    *,
    min_elev_deg: float = 0.0,
    limb: str = "center",
    step_s: float = 600.0,
    tol_s: float = 1e-3,
) -> Daylight | list[Daylight]:
    """When the Sun stands above ``min_elev_deg`` at one or several Mars sites.

    ``site`` is a catalog name ('jezero'), a Site, a SurfacePoint or a list of them (all
    searched together). ``step_s`` (default 10 min) bounds the shortest daylight window
    guaranteed to be found; near the polar day/night edge a window shorter than that can
    be missed unless the Sun's culmination is a sampled maximum. Edges to ``tol_s``.
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
    found = find_windows(
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
    return results if isinstance(site, list | tuple) else results[0]


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
