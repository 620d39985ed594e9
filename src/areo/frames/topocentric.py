"""Topocentric East-North-Up frames and look angles (azimuth, elevation, range) at a site.

"Up" is the ellipsoid normal at the site (planetodetic / geodetic vertical), "north" points
along the meridian towards the body's +z pole, "east" completes a right-handed set. Azimuth
is measured from north towards east (clockwise seen from above) in [0, 2 pi); elevation from
the local horizontal plane, positive up, in [-pi/2, pi/2]. Angles in radians (``*_deg``
properties give degrees), distances in km, rates in km/s. Everything is body-fixed: the
site and the targets must be in the same body-fixed frame (IAU_MARS for Mars, ITRS for
Earth; :func:`areo.frames.earth.station_look` does the Earth rotation for you).

Two levels:

- plain functions on arrays: :func:`enu_matrix`, :func:`enu_at`, :func:`look_angles`;
- :class:`SurfacePoint`, a fixed site with its position and ENU frame, built from catalog
  style degrees (``SurfacePoint.from_planetocentric_deg`` for Mars catalog sites,
  ``from_planetodetic_deg`` for Earth stations, ``from_cartesian`` for ITRF XYZ).

Look angles are geometric (no light time, aberration or refraction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo.errors import ParameterError
from areo.frames import ellipsoid as _el

__all__ = [
    "LookAngles",
    "SurfacePoint",
    "enu_at",
    "enu_matrix",
    "look_angles",
]


def enu_matrix(lat: Any, lon: Any) -> np.ndarray:
    """Rows east, north, up (body-fixed unit vectors) at planetodetic ``lat``, east ``lon``.

    Radians; shape ``broadcast(lat, lon) + (3, 3)``. ``enu @ v_body`` gives ENU components.
    """
    lat = _el.check_latitude(lat)
    lon = _el._coord(lon, "lon", "rad")
    lat, lon = np.broadcast_arrays(lat, lon)
    sl, cl = np.sin(lat), np.cos(lat)
    so, co = np.sin(lon), np.cos(lon)
    east = np.stack([-so, co, np.zeros_like(so)], axis=-1)
    north = np.stack([-sl * co, -sl * so, cl], axis=-1)
    up = np.stack([cl * co, cl * so, sl], axis=-1)
    return np.stack([east, north, up], axis=-2)


def enu_at(
    xyz: Any, *, a: float = _el.MARS_ELLIPSOID.a, c: float = _el.MARS_ELLIPSOID.c
) -> np.ndarray:
    """ENU matrices at body-fixed points ``(..., 3)`` km, "up" along the ellipsoid normal
    through each point (its planetodetic vertical)."""
    lat, lon, _ = _el.cartesian_to_planetodetic(xyz, a=a, c=c)
    return enu_matrix(lat, lon)


@dataclass(frozen=True, eq=False)
class LookAngles:
    """Azimuth and elevation (rad), range (km) and, from states, range rate (km/s).

    Each field has the broadcast shape of the inputs (without the vector axis).
    ``range_rate_kms`` is ``None`` when the targets were positions only.
    """

    az: np.ndarray
    el: np.ndarray
    range_km: np.ndarray
    range_rate_kms: np.ndarray | None = None

    @property
    def az_deg(self) -> np.ndarray:
        """Azimuth in degrees, [0, 360), from north towards east."""
        return np.degrees(self.az)

    @property
    def el_deg(self) -> np.ndarray:
        """Elevation in degrees, [-90, 90]."""
        return np.degrees(self.el)

    def to_frame(self) -> Any:
        """A pandas DataFrame with az_deg, el_deg, range_km (and range_rate_kms), 1-D."""
        import pandas as pd

        cols = {
            "az_deg": np.ravel(self.az_deg),
            "el_deg": np.ravel(self.el_deg),
            "range_km": np.ravel(self.range_km),
        }
        if self.range_rate_kms is not None:
            cols["range_rate_kms"] = np.ravel(self.range_rate_kms)
        return pd.DataFrame(cols)


def look_angles(site_xyz: Any, enu: Any, targets: Any) -> LookAngles:
    """Look angles of body-fixed ``targets`` from a site at ``site_xyz`` with frame ``enu``.

    ``site_xyz`` ``(..., 3)`` km and ``enu`` ``(..., 3, 3)`` (from :func:`enu_matrix`);
    ``targets`` ``(..., 3)`` km positions or ``(..., 6)`` states (km, km/s) in the same
    body-fixed frame; all broadcast (e.g. one site and ``(n, 3)`` targets, or ``(n, 3)``
    targets and ``(n, 3)`` sites). With states the range rate is ``d|target - site|/dt``
    for a site fixed on the body.
    """
    targets = np.asarray(targets, dtype=float)
    if targets.shape[-1:] not in ((3,), (6,)):
        raise ParameterError(
            f"targets have shape {targets.shape}: the last axis must hold 3 (position, km) "
            "or 6 (position km, velocity km/s) body-fixed components"
        )
    site_xyz = np.asarray(site_xyz, dtype=float)
    enu = np.asarray(enu, dtype=float)
    rel = targets[..., :3] - site_xyz
    local = np.matmul(enu, rel[..., None])[..., 0]
    e, n, u = local[..., 0], local[..., 1], local[..., 2]
    horiz = np.hypot(e, n)
    rng = np.sqrt(horiz * horiz + u * u)
    az = np.mod(np.arctan2(e, n), 2.0 * np.pi)
    el = np.arctan2(u, horiz)
    rate = None
    if targets.shape[-1] == 6:
        vel = targets[..., 3:]
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.sum(rel * vel, axis=-1) / rng
    return LookAngles(az=az, el=el, range_km=rng, range_rate_kms=rate)


@dataclass(frozen=True, eq=False)
class SurfacePoint:
    """A site fixed on a body: body-fixed position (km) and its ENU frame.

    Build it with the ``from_*`` constructors; ``lat``/``lon`` are the planetodetic latitude
    and east longitude (radians) of the site's vertical, ``height_km`` its height above the
    ellipsoid along that vertical, ``lat_centric`` the planetocentric latitude of the site
    itself. ``body`` names the body ('mars', 'earth') and ``ellipsoid`` its reference
    ellipsoid.
    """

    name: str
    body: str
    ellipsoid: _el.Ellipsoid
    position_km: np.ndarray = field(repr=False)
    lat: float
    lon: float
    height_km: float
    enu: np.ndarray = field(repr=False)

    @classmethod
    def from_planetodetic(
        cls, lat: float, lon: float, height_km: float = 0.0, *,
        body: str | _el.Ellipsoid = "mars", name: str = "",
    ) -> SurfacePoint:
        """From planetodetic latitude, east longitude (radians) and height (km)."""
        ell = _el.ellipsoid_of(body)
        lat_a = _el.check_latitude(lat)
        lon = _el._coord(lon, "lon", "rad")
        height_km = _el._coord(height_km, "height_km", "km")
        if lat_a.ndim or np.ndim(lon) or np.ndim(height_km):
            raise ParameterError(
                "a SurfacePoint is one site: pass scalar lat, lon and height (use the array "
                "functions enu_matrix / look_angles for many sites)"
            )
        pos = _el.planetodetic_to_cartesian(lat_a, lon, height_km, a=ell.a, c=ell.c)
        pos.setflags(write=False)
        enu = enu_matrix(lat_a, lon)
        enu.setflags(write=False)
        return cls(
            name=name, body=ell.name or str(body), ellipsoid=ell, position_km=pos,
            lat=float(lat_a), lon=float(np.arctan2(np.sin(lon), np.cos(lon))),
            height_km=float(height_km), enu=enu,
        )

    @classmethod
    def from_planetodetic_deg(
        cls, lat_deg: float, lon_east_deg: float, height_km: float = 0.0, *,
        body: str | _el.Ellipsoid = "mars", name: str = "",
    ) -> SurfacePoint:
        """From planetodetic (geodetic) latitude and east longitude in degrees, height km.

        The form of Earth station coordinates (WGS84 geodetic with ``body='earth'``).
        """
        lat = np.radians(_el.check_latitude_deg(lat_deg))
        lon = np.radians(float(_el._coord(lon_east_deg, "lon_east_deg", "deg")))
        return cls.from_planetodetic(lat, lon, height_km, body=body, name=name)

    @classmethod
    def from_planetocentric_deg(
        cls, lat_deg: float, lon_east_deg: float, height_km: float = 0.0, *,
        body: str | _el.Ellipsoid = "mars", name: str = "",
    ) -> SurfacePoint:
        """From planetocentric latitude and east longitude in degrees, height km (catalog form).

        The site is ``height_km`` along the ellipsoid normal above the surface point whose
        planetocentric latitude is ``lat_deg`` (:func:`areo.frames.ellipsoid.site_position`).
        """
        ell = _el.ellipsoid_of(body)
        lat_c = np.radians(_el.check_latitude_deg(lat_deg))
        lon = np.radians(float(_el._coord(lon_east_deg, "lon_east_deg", "deg")))
        lat_d = _el.planetocentric_to_planetodetic_latitude(lat_c, a=ell.a, c=ell.c)
        return cls.from_planetodetic(lat_d, lon, height_km, body=ell, name=name)

    @classmethod
    def from_deg(
        cls, lat_deg: float, lon_east_deg: float, height_km: float = 0.0, *,
        body: str | _el.Ellipsoid = "mars", latitude: str | None = None, name: str = "",
    ) -> SurfacePoint:
        """From catalog-style degrees with the latitude kind chosen by ``latitude``.

        ``latitude=None`` takes each body's usual convention: planetocentric for Mars (IAU
        and Mars catalog sites), planetodetic (WGS84 geodetic) for Earth stations. Pass
        ``'planetocentric'`` or ``'planetodetic'`` to be explicit.
        """
        ell = _el.ellipsoid_of(body)
        kind = latitude or ("planetodetic" if ell.name == "earth" else "planetocentric")
        kind = str(kind).lower()
        if kind in ("planetocentric", "centric"):
            return cls.from_planetocentric_deg(lat_deg, lon_east_deg, height_km, body=ell,
                                               name=name)
        if kind in ("planetodetic", "detic", "geodetic", "areodetic"):
            return cls.from_planetodetic_deg(lat_deg, lon_east_deg, height_km, body=ell,
                                             name=name)
        raise ParameterError(
            f"latitude kind {latitude!r} is unknown: use 'planetocentric' or 'planetodetic'"
        )

    @classmethod
    def from_cartesian(
        cls, xyz_km: Any, *, body: str | _el.Ellipsoid = "mars", name: str = ""
    ) -> SurfacePoint:
        """From a body-fixed position (km), e.g. ITRF station coordinates with ``body='earth'``.

        ITRF coordinates are usually tied to the GRS80 ellipsoid; WGS84 differs from it by
        0.1 mm in the polar radius, which changes the vertical by < 1e-11 rad.
        """
        ell = _el.ellipsoid_of(body)
        xyz = np.asarray(xyz_km, dtype=float)
        if xyz.shape != (3,):
            raise ParameterError(
                f"site position has shape {xyz.shape}: pass one x, y, z triple in km"
            )
        _el._coord(xyz, "xyz_km", "km")
        lat, lon, h = _el.cartesian_to_planetodetic(xyz, a=ell.a, c=ell.c)
        point = cls.from_planetodetic(float(lat), float(lon), float(h), body=ell, name=name)
        # Keep the given coordinates exactly rather than their round trip (< 1e-12 km apart).
        pos = xyz.copy()
        pos.setflags(write=False)
        object.__setattr__(point, "position_km", pos)
        return point

    @property
    def lat_deg(self) -> float:
        """Planetodetic latitude in degrees."""
        return float(np.degrees(self.lat))

    @property
    def lon_east_deg(self) -> float:
        """East longitude in degrees, (-180, 180]."""
        return float(np.degrees(self.lon))

    @property
    def lat_centric(self) -> float:
        """Planetocentric latitude of the site position, radians."""
        lat, _, _ = _el.cartesian_to_planetocentric(self.position_km)
        return float(lat)

    @property
    def lat_centric_deg(self) -> float:
        """Planetocentric latitude of the site position, degrees."""
        return float(np.degrees(self.lat_centric))

    @property
    def up(self) -> np.ndarray:
        """Unit "up" (the ellipsoid normal), body-fixed."""
        return self.enu[2]

    def look(self, targets: Any) -> LookAngles:
        """Look angles of body-fixed ``targets`` (``(..., 3)`` km or ``(..., 6)`` states)."""
        return look_angles(self.position_km, self.enu, targets)


def surface_point(where: Any) -> SurfacePoint:
    """A :class:`SurfacePoint` for a catalog site or station, by name or entry.

    ``where`` is a catalog :class:`~areo.catalog.Site` (planetocentric latitude on its body's
    ellipsoid), a :class:`~areo.catalog.Station` (WGS84 geodetic, or its published ITRF XYZ),
    a ``SurfacePoint`` (returned as is) or a name that the catalog knows as a site or a
    station ('jezero', 'Oxia Planum', 'DSS-43', 'new norcia').
    """
    from areo import catalog
    from areo.errors import UnknownEntryError

    if isinstance(where, SurfacePoint):
        return where
    if isinstance(where, str):
        try:
            where = catalog.site(where)
        except UnknownEntryError:
            try:
                where = catalog.station(where)
            except UnknownEntryError:
                raise UnknownEntryError(
                    f"{where!r} is neither a site nor a station in the catalog: use one of "
                    f"{', '.join(s.key for s in catalog.sites())} or "
                    f"{', '.join(s.key for s in catalog.stations())}, or load your own "
                    "with areo.catalog.load(path)"
                ) from None
    if isinstance(where, catalog.Station):
        if where.itrf_xyz_km is not None:
            return SurfacePoint.from_cartesian(where.itrf_km, body="earth", name=where.key)
        return SurfacePoint.from_planetodetic_deg(
            where.lat_deg, where.lon_east_deg, where.height_km, body="earth", name=where.key
        )
    if isinstance(where, catalog.Site):
        return SurfacePoint.from_planetocentric_deg(
            where.lat_deg, where.lon_east_deg, where.height_km, body=where.body, name=where.key
        )
    raise ParameterError(
        f"cannot place {where!r} on a body: pass a catalog site or station, its name, or a "
        "SurfacePoint"
    )
