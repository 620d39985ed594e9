"""Shadows and occultations by Mars: orbiter eclipses (umbra, penumbra), orbiter hidden
from Earth or a ground station, and solar occultations (the line from an orbiter to the Sun
grazing the atmosphere, as NOMAD and ACS on TGO observe).

Mars is the IAU 2015 ellipsoid (3396.19 x 3376.20 km) in IAU_MARS. An affine scaling of the
polar axis by a/c turns it into a sphere of radius a while keeping straight lines straight,
so "does this line meet Mars" is answered exactly in the scaled space. For the Sun's disc
the scaling distorts its 0.35 deg diameter by < 0.6 %, i.e. < 0.001 deg on the shadow edge.

Light time: the Sun is taken where it appears from the centre of Mars ('CN'); for Earth
occultations the epochs are those at the orbiter by default (when it must transmit), or at
the observer with ``epochs_at='observer'`` (when the signal is received, as SPICE's 'CN'
with the observer on Earth).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.bodies import body
from areo.ephem import default_ephemeris
from areo.errors import ParameterError
from areo.events.finder import DEFAULT_TOL_S, find_windows, find_windows_multi
from areo.events.passes import as_trajectory
from areo.events.windows import Windows
from areo.frames.ellipsoid import MARS_ELLIPSOID, cartesian_to_planetodetic
from areo.frames.mars import to_iau_mars
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time, local_true_solar_time

__all__ = [
    "Eclipses",
    "SolarOccultations",
    "earth_occultations",
    "eclipses",
    "solar_occultations",
]

_SUN_RADIUS_KM = body("sun").equatorial_radius_km  # IAU 2015 nominal solar radius
_A = MARS_ELLIPSOID.a
_SCALE = np.array([1.0, 1.0, MARS_ELLIPSOID.a / MARS_ELLIPSOID.c])


def _scaled_body(vectors_icrf: np.ndarray, et: np.ndarray) -> np.ndarray:
    """ICRF vectors -> IAU_MARS, polar axis stretched so that Mars becomes a sphere."""
    return to_iau_mars(vectors_icrf, et) * _SCALE


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    # atan2 of |u x v| and u.v: accurate at small and large angles alike
    return np.arctan2(np.linalg.norm(np.cross(u, v), axis=-1), np.einsum("ij,ij->i", u, v))


class _ShadowGeometry:
    def __init__(self, orbiter: Any):
        self.traj = as_trajectory(orbiter)
        self.eph = default_ephemeris()

    def margins(self, et: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(theta - (rho_m + rho_s), theta - (rho_m - rho_s)) in radians: negative inside the
        penumbra-or-umbra cone and inside the umbra cone respectively."""
        r = self.traj(et)[:, :3]
        sun = self.eph.state("sun", et, center="mars", abcorr="cn").position
        rs = _scaled_body(r, et)
        ss = _scaled_body(sun, et)
        to_sun = ss - rs
        d_sun = np.linalg.norm(to_sun, axis=1)
        d_mars = np.linalg.norm(rs, axis=1)
        rho_m = np.arcsin(np.clip(_A / d_mars, -1.0, 1.0))
        rho_s = np.arcsin(_SUN_RADIUS_KM / d_sun)
        theta = _angle(to_sun, -rs)
        return theta - (rho_m + rho_s), theta - (rho_m - rho_s)


@dataclass(frozen=True)
class Eclipses:
    """Eclipse windows of one orbiter: ``shadow`` (any part of the Sun hidden: penumbra or
    umbra), ``umbra`` (all of it), and ``penumbra`` = shadow minus umbra."""

    orbiter: str
    shadow: Windows
    umbra: Windows

    @property
    def penumbra(self) -> Windows:
        return self.shadow - self.umbra

    def __len__(self) -> int:
        return len(self.shadow)

    def _umbra_of(self) -> list[Windows]:
        return [self.umbra & Windows(s, e)
                for s, e in zip(self.shadow.starts, self.shadow.ends, strict=True)]

    def to_records(self) -> list[dict[str, Any]]:
        """One row per shadow window: ``orbiter``, ``start``, ``end``, ``duration_s``,
        ``umbra_start``, ``umbra_end`` (null without umbra), ``umbra_s`` (UTC ISO strings)."""
        rows = []
        for w, inner in zip(self.shadow, self._umbra_of(), strict=True):
            rows.append({
                "orbiter": self.orbiter,
                "start": str(w.start.iso), "end": str(w.end.iso), "duration_s": w.duration_s,
                "umbra_start": str(inner[0].start.iso) if len(inner) else None,
                "umbra_end": str(inner[-1].end.iso) if len(inner) else None,
                "umbra_s": inner.total_duration,
            })
        return rows

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Eclipses", "orbiter", "count", "items": to_records()}``."""
        return collection("Eclipses", self.to_records(), orbiter=self.orbiter)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The eclipses on a UTC timeline (plotly, :func:`areo.io.figures.timeline_figure`); saved
        to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            row="orbiter",
            hover=("umbra_s",),
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """One row per shadow window: ``orbiter``, ``start_utc``, ``end_utc``,
        ``duration_s``, ``umbra_start_utc``, ``umbra_end_utc`` (NaT without umbra),
        ``umbra_s``; times ``datetime64[ns, UTC]``."""
        import pandas as pd

        inner = self._umbra_of()
        return pd.DataFrame({
            "orbiter": [self.orbiter] * len(self),
            "start_utc": utc_column(self.shadow.starts),
            "end_utc": utc_column(self.shadow.ends),
            "duration_s": self.shadow.durations,
            "umbra_start_utc": utc_column([u.first for u in inner]),
            "umbra_end_utc": utc_column([u.last for u in inner]),
            "umbra_s": np.array([u.total_duration for u in inner], dtype=float),
        })

    def __repr__(self) -> str:
        return (f"Eclipses: {len(self)} eclipses of {self.orbiter} ({len(self.umbra)} with "
                f"umbra), {self.shadow.total_duration / 3600.0:.2f} h in shadow, "
                f"{span_text(self.shadow.first, self.shadow.last)}")


def eclipses(
    orbiter: Any,
    start: Any,
    stop: Any,
    *,
    step_s: float = 60.0,
    tol_s: float = DEFAULT_TOL_S,
    name: str = "",
) -> Eclipses:
    """When an orbiter is in Mars's shadow (conical shadow of the Mars ellipsoid).

    The step bounds the shortest eclipse guaranteed to be found (near beta angles where
    eclipses vanish they can be shorter; their minimum is then caught as a sampled
    extremum).
    """
    geo = _ShadowGeometry(orbiter)

    def f(et: np.ndarray, which: np.ndarray) -> np.ndarray:
        shadow, umbra = geo.margins(et)
        return np.where(which == 0, shadow, umbra)

    shadow, umbra = find_windows_multi(
        f, start, stop, step_s=step_s, threshold=0.0, above=False, n_objects=2, tol_s=tol_s
    )
    return Eclipses(name or str(getattr(orbiter, "name", "") or "orbiter"), shadow, umbra)


def _observer_position(observer: str, et: np.ndarray) -> np.ndarray:
    """Observer position relative to the Earth's centre, ICRF km (zero for 'earth')."""
    if observer.strip().lower() in ("earth", "399", "earth center", "geocenter"):
        return np.zeros((et.size, 3))
    from areo.frames.earth import from_itrs
    from areo.frames.topocentric import surface_point

    point = surface_point(observer)
    if point.body != "earth":
        raise ParameterError(
            f"observer {observer!r} is not on Earth: give 'earth' or a ground station"
        )
    return from_itrs(np.broadcast_to(point.position_km, (et.size, 3)), et)


def earth_occultations(
    orbiter: Any,
    start: Any,
    stop: Any,
    *,
    observer: str = "earth",
    epochs_at: str = "orbiter",
    step_s: float = 60.0,
    tol_s: float = DEFAULT_TOL_S,
) -> Windows:
    """When Mars hides an orbiter from the Earth's centre or from a ground station.

    ``epochs_at='orbiter'`` (default): windows in the orbiter's time, when a signal it sends
    would be blocked; ``'observer'``: in the observer's time of reception.
    """
    if epochs_at not in ("orbiter", "observer"):
        raise ParameterError(f"epochs_at {epochs_at!r} must be 'orbiter' or 'observer'")
    traj = as_trajectory(orbiter)
    eph = default_ephemeris()

    def margin(et: np.ndarray) -> np.ndarray:
        if epochs_at == "orbiter":
            # Earth where it will be when the signal arrives (SPICE 'XCN' from Mars).
            sv = eph.state("earth", et, center="mars", abcorr="xcn")
            t_orb = et
            t_obs = et + sv.light_time_s
        else:
            sv = eph.state("earth", et, center="mars", abcorr="cn")
            t_obs = et
            t_orb = et - sv.light_time_s
        earth = sv.position + _observer_position(observer, t_obs)
        r = traj(t_orb)[:, :3]
        rs = _scaled_body(r, t_orb)
        es = _scaled_body(earth, t_orb)
        seg = es - rs
        u = np.clip(-np.einsum("ij,ij->i", rs, seg) / np.einsum("ij,ij->i", seg, seg), 0, 1)
        closest = rs + u[:, None] * seg
        return np.linalg.norm(closest, axis=1) - _A

    return find_windows(margin, start, stop, step_s=step_s, threshold=0.0, above=False,
                        tol_s=tol_s)


@dataclass(frozen=True)
class SolarOccultations:
    """Solar occultation windows (tangent altitude of the Sun line within the bounds), with
    the kind of each (ingress = sunset seen from orbit, egress = sunrise) and the tangent
    point at the window's middle."""

    orbiter: str
    windows: Windows
    kinds: list[str]
    tangent_lat_deg: np.ndarray
    tangent_lon_east_deg: np.ndarray
    tangent_ltst_hours: np.ndarray
    beta_deg: np.ndarray
    min_alt_km: float
    max_alt_km: float

    def __len__(self) -> int:
        return len(self.windows)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per window: ``start``, ``end``, ``duration_s``, ``orbiter``, ``kind``,
        ``tangent_lat_deg``, ``tangent_lon_east_deg``, ``tangent_ltst_hours``, ``beta_deg``."""
        rows = self.windows.to_records()
        for k, row in enumerate(rows):
            row.update(
                orbiter=self.orbiter, kind=self.kinds[k],
                tangent_lat_deg=float(self.tangent_lat_deg[k]),
                tangent_lon_east_deg=float(self.tangent_lon_east_deg[k]),
                tangent_ltst_hours=float(self.tangent_ltst_hours[k]),
                beta_deg=float(self.beta_deg[k]),
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "SolarOccultations", "orbiter", "min_alt_km", "max_alt_km", "count",
        "items": to_records()}`` (each item's ``kind``: ingress or egress)."""
        return collection("SolarOccultations", self.to_records(), orbiter=self.orbiter,
                          min_alt_km=self.min_alt_km, max_alt_km=self.max_alt_km)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The occultations on a UTC timeline, a row per kind (plotly,
        :func:`areo.io.figures.timeline_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            row="kind",
            hover=("tangent_lat_deg", "beta_deg"),
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """One row per window: ``orbiter``, ``kind``, ``start_utc``, ``end_utc``
        (``datetime64[ns, UTC]``), ``duration_s`` and the tangent point's geometry."""
        import pandas as pd

        return pd.DataFrame({
            "orbiter": [self.orbiter] * len(self), "kind": list(self.kinds),
            "start_utc": utc_column(self.windows.starts),
            "end_utc": utc_column(self.windows.ends),
            "duration_s": self.windows.durations,
            "tangent_lat_deg": np.asarray(self.tangent_lat_deg, dtype=float),
            "tangent_lon_east_deg": np.asarray(self.tangent_lon_east_deg, dtype=float),
            "tangent_ltst_hours": np.asarray(self.tangent_ltst_hours, dtype=float),
            "beta_deg": np.asarray(self.beta_deg, dtype=float),
        })

    def __repr__(self) -> str:
        n_in = sum(1 for k in self.kinds if k == "ingress")
        return (f"SolarOccultations: {len(self)} solar occultations of {self.orbiter} "
                f"({n_in} ingress, {len(self) - n_in} egress) at {self.min_alt_km:g}-"
                f"{self.max_alt_km:g} km, {span_text(self.windows.first, self.windows.last)}")


class _TangentGeometry:
    def __init__(self, orbiter: Any):
        self.traj = as_trajectory(orbiter)
        self.eph = default_ephemeris()

    def tangent(self, et: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(altitude km, tangent point IAU_MARS km, orbiter state ICRF) of the Sun line.

        The point of the ray orbiter->Sun nearest Mars's centre in the scaled space is
        mapped back and its planetodetic altitude taken. When the Sun is above the orbiter's
        local horizon the nearest point of the ray is the orbiter itself, whose altitude is
        then reported: the function stays continuous.
        """
        st = self.traj(et)
        sun = self.eph.state("sun", et, center="mars", abcorr="cn").position
        rs = _scaled_body(st[:, :3], et)
        ds = _scaled_body(sun, et) - rs
        u = -np.einsum("ij,ij->i", rs, ds) / np.einsum("ij,ij->i", ds, ds)
        point = (rs + np.maximum(u, 0.0)[:, None] * ds) / _SCALE
        _, _, alt = cartesian_to_planetodetic(point)
        return alt, point, st


def solar_occultations(
    orbiter: Any,
    start: Any,
    stop: Any,
    *,
    min_alt_km: float = 0.0,
    max_alt_km: float = 200.0,
    step_s: float = 10.0,
    tol_s: float = DEFAULT_TOL_S,
    name: str = "",
) -> SolarOccultations:
    """When the line from the orbiter to the Sun's centre passes ``min_alt_km`` to
    ``max_alt_km`` above the Mars ellipsoid (NOMAD/ACS solar occultations: 0-200 km).

    A 200 km slab is crossed in about a minute by a 400 km orbiter: the default 10 s step
    finds every such window. The tangent altitude uses the point of the line closest to
    Mars in the polar-stretched space; it agrees with SPICE's npedln (the exact distance of
    a line to the ellipsoid) to better than 1 m over 0-200 km.
    """
    if not (np.isfinite(min_alt_km) and np.isfinite(max_alt_km) and max_alt_km > min_alt_km):
        raise ParameterError(
            f"tangent altitude bounds {min_alt_km}..{max_alt_km} km must be finite with "
            "max above min (e.g. 0 and 200)"
        )
    geo = _TangentGeometry(orbiter)

    def f(et: np.ndarray, which: np.ndarray) -> np.ndarray:
        alt = geo.tangent(et)[0]
        return np.where(which == 0, max_alt_km - alt, alt - min_alt_km)

    below_top, above_bottom = find_windows_multi(
        f, start, stop, step_s=step_s, threshold=0.0, n_objects=2, tol_s=tol_s
    )
    win = below_top & above_bottom
    win = win.filter(min_duration=tol_s)
    if len(win):
        mid = 0.5 * (win.starts + win.ends)
        alt_s = geo.tangent(win.starts)[0]
        alt_e = geo.tangent(win.ends)[0]
        kinds = ["ingress" if a > b else "egress" for a, b in zip(alt_s, alt_e, strict=True)]
        _, point, st = geo.tangent(mid)
        from areo.frames.ellipsoid import cartesian_to_planetocentric

        lat, lon, _ = cartesian_to_planetocentric(point)
        lon_deg = np.degrees(lon) % 360.0
        ltst = np.atleast_1d(local_true_solar_time(Time.from_et(mid), lon_deg))
        sun = default_ephemeris().state("sun", mid, center="mars", abcorr="cn").position
        h = np.cross(st[:, :3], st[:, 3:])
        beta = np.degrees(np.arcsin(
            np.einsum("ij,ij->i", h, sun)
            / (np.linalg.norm(h, axis=1) * np.linalg.norm(sun, axis=1))
        ))
        lat_deg = np.degrees(lat)
    else:
        kinds, lat_deg, lon_deg, ltst, beta = [], np.empty(0), np.empty(0), np.empty(0), \
            np.empty(0)
    return SolarOccultations(
        name or str(getattr(orbiter, "name", "") or "orbiter"), win, kinds,
        np.asarray(lat_deg), np.asarray(lon_deg), np.asarray(ltst, dtype=float),
        np.asarray(beta), float(min_alt_km), float(max_alt_km),
    )

