"""Imaging opportunities of a surface target by an orbiter camera.

An opportunity is a window where, at once:

- the target is within ``max_off_nadir_deg`` of the orbiter's nadir (the normal to the
  Mars ellipsoid through the orbiter, pointing down), so a nadir-pointed camera reaches it
  by rolling at most that much;
- the Sun stands high enough at the target: solar incidence (from the target's vertical)
  below ``max_incidence_deg``;
- the orbiter stands above the target's horizon (emission angle below 90 deg, or below
  ``max_emission_deg``).

For each window the best moment (smallest off-nadir angle) is reported with the range, the
ground sample distance ``range x IFOV`` (the IFOV of CaSSIS on TGO is about 11.4 urad:
10 um pixels at 875 mm focal length, 4.6 m/px from 400 km; Thomas et al. 2017, Space Sci.
Rev. 212:1897), and the incidence, emission and phase angles there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.ephem import default_ephemeris
from areo.errors import ParameterError
from areo.events.finder import DEFAULT_TOL_S, find_windows_multi, window_extrema
from areo.events.passes import as_trajectory
from areo.events.windows import Windows
from areo.frames.ellipsoid import MARS_ELLIPSOID, cartesian_to_planetodetic
from areo.frames.mars import to_iau_mars
from areo.frames.topocentric import surface_point
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

__all__ = ["ImagingOpportunities", "imaging_opportunities"]


def _normal(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    cl = np.cos(lat)
    return np.stack([cl * np.cos(lon), cl * np.sin(lon), np.sin(lat)], axis=-1)


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.arctan2(np.linalg.norm(np.cross(u, v), axis=-1), np.einsum("ij,ij->i", u, v))


class _ImagingGeometry:
    def __init__(self, orbiter: Any, target: Any):
        self.traj = as_trajectory(orbiter)
        self.site = surface_point(target)
        if self.site.body != "mars":
            raise ParameterError(f"target {self.site.name!r} is not on Mars")
        self.up = np.asarray(self.site.enu[2])
        self.eph = default_ephemeris()

    def angles(self, et: np.ndarray) -> dict[str, np.ndarray]:
        """Off-nadir, incidence, emission, phase (rad) and range (km) at epochs ``et``."""
        orb = to_iau_mars(self.traj(et)[:, :3], et)
        sun = to_iau_mars(self.eph.state("sun", et, center="mars", abcorr="cn").position, et)
        lat, lon, _ = cartesian_to_planetodetic(orb, a=MARS_ELLIPSOID.a, c=MARS_ELLIPSOID.c)
        nadir = -_normal(lat, lon)
        to_target = self.site.position_km - orb
        to_sun = sun - self.site.position_km
        up = np.broadcast_to(self.up, orb.shape)
        return {
            "off_nadir": _angle(nadir, to_target),
            "incidence": _angle(up, to_sun),
            "emission": _angle(up, -to_target),
            "phase": _angle(to_sun, -to_target),
            "range": np.linalg.norm(to_target, axis=1),
        }


@dataclass(frozen=True)
class ImagingOpportunities:
    """Windows when the target can be imaged, with the geometry at the best moment."""

    target: str
    windows: Windows
    best_et: np.ndarray
    off_nadir_deg: np.ndarray
    range_km: np.ndarray
    gsd_m: np.ndarray
    incidence_deg: np.ndarray
    emission_deg: np.ndarray
    phase_deg: np.ndarray

    def __len__(self) -> int:
        return len(self.windows)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per window: ``start``, ``end``, ``duration_s``, ``target``, ``best`` (UTC
        ISO strings), ``off_nadir_deg``, ``range_km``, ``gsd_m``, ``incidence_deg``,
        ``emission_deg``, ``phase_deg`` (the geometry at ``best``)."""
        rows = self.windows.to_records()
        best = np.atleast_1d(Time.from_et(self.best_et).iso) if len(self) else []
        for k, row in enumerate(rows):
            row.update(
                target=self.target, best=str(best[k]),
                off_nadir_deg=float(self.off_nadir_deg[k]), range_km=float(self.range_km[k]),
                gsd_m=float(self.gsd_m[k]), incidence_deg=float(self.incidence_deg[k]),
                emission_deg=float(self.emission_deg[k]), phase_deg=float(self.phase_deg[k]),
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "ImagingOpportunities", "target", "count", "items": to_records()}``."""
        return collection("ImagingOpportunities", self.to_records(), target=self.target)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The imaging opportunities on a UTC timeline (plotly,
        :func:`areo.io.figures.timeline_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            row="target",
            hover=("off_nadir_deg", "gsd_m", "incidence_deg"),
            mark="best_utc",
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """One row per window: ``target``, ``start_utc``, ``end_utc``, ``best_utc``
        (``datetime64[ns, UTC]``), ``duration_s`` and the geometry at ``best_utc``."""
        import pandas as pd

        return pd.DataFrame({
            "target": [self.target] * len(self),
            "start_utc": utc_column(self.windows.starts),
            "end_utc": utc_column(self.windows.ends),
            "duration_s": self.windows.durations,
            "best_utc": utc_column(self.best_et),
            "off_nadir_deg": self.off_nadir_deg, "range_km": self.range_km,
            "gsd_m": self.gsd_m, "incidence_deg": self.incidence_deg,
            "emission_deg": self.emission_deg, "phase_deg": self.phase_deg,
        })

    def __repr__(self) -> str:
        head = f"ImagingOpportunities: {len(self)} windows over {self.target}"
        if not len(self):
            return head
        k = int(np.argmin(self.gsd_m))
        return (f"{head}, best {self.gsd_m[k]:.2f} m/px at {self.off_nadir_deg[k]:.2f} deg "
                f"off nadir, {span_text(self.windows.first, self.windows.last)}")


def imaging_opportunities(
    orbiter: Any,
    target: Any,
    start: Any,
    stop: Any,
    *,
    max_off_nadir_deg: float = 10.0,
    max_incidence_deg: float = 75.0,
    max_emission_deg: float = 90.0,
    ifov_urad: float = 11.43,
    step_s: float = 10.0,
    tol_s: float = DEFAULT_TOL_S,
) -> ImagingOpportunities:
    """When ``orbiter`` can image ``target`` (catalog site name, Site or SurfacePoint).

    A 400 km orbiter sweeps 10 deg of off-nadir angle in about 25 s: the default 10 s step
    finds every window of a low orbit; use a shorter one for very tight off-nadir limits.
    """
    for name, value, hi in (("max_off_nadir_deg", max_off_nadir_deg, 90.0),
                            ("max_incidence_deg", max_incidence_deg, 90.0),
                            ("max_emission_deg", max_emission_deg, 90.0)):
        if not (np.isfinite(value) and 0.0 < value <= hi):
            raise ParameterError(f"{name} {value} must be in (0, {hi}] degrees")
    if not (np.isfinite(ifov_urad) and ifov_urad > 0):
        raise ParameterError(f"ifov_urad {ifov_urad} must be a positive angle in microradians")
    geo = _ImagingGeometry(orbiter, target)
    limits = np.radians([max_off_nadir_deg, max_incidence_deg, max_emission_deg])

    def margins(et: np.ndarray, which: np.ndarray) -> np.ndarray:
        a = geo.angles(et)
        stacked = np.stack([a["off_nadir"], a["incidence"], a["emission"]])
        return limits[which] - stacked[which, np.arange(et.size)]

    ok_nadir, ok_sun, ok_view = find_windows_multi(
        margins, start, stop, step_s=step_s, threshold=0.0, n_objects=3, tol_s=tol_s
    )
    win = (ok_nadir & ok_sun & ok_view).filter(min_duration=tol_s)
    if len(win):
        best, _ = window_extrema(
            lambda et: geo.angles(et)["off_nadir"], win, step_s=step_s, kind="min", tol_s=tol_s
        )
        a = geo.angles(best)
    else:
        best = np.empty(0)
        a = {k: np.empty(0) for k in ("off_nadir", "incidence", "emission", "phase", "range")}
    return ImagingOpportunities(
        target=geo.site.name,
        windows=win,
        best_et=best,
        off_nadir_deg=np.degrees(a["off_nadir"]),
        range_km=a["range"],
        gsd_m=a["range"] * 1000.0 * ifov_urad * 1e-6,
        incidence_deg=np.degrees(a["incidence"]),
        emission_deg=np.degrees(a["emission"]),
        phase_deg=np.degrees(a["phase"]),
    )
