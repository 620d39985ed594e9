"""Coordinates on a body's reference ellipsoid (spheroid): planetocentric and planetodetic.

The ellipsoid is a spheroid with equatorial radius ``a`` and polar radius ``c`` (km), the
body-fixed z axis its symmetry axis. Defaults are Mars, IAU 2015 (Archinal et al. 2018;
NAIF pck00011 BODY499_RADII = 3396.19, 3396.19, 3376.20 km). Oblate, spherical and prolate
shapes all work.

Conventions (as SPICE ``latrec``/``reclat`` and ``georec``/``recgeo``):

- Angles in radians, longitudes east-positive; longitudes returned in (-pi, pi]
  (``np.mod(lon, 2 * np.pi)`` gives the 0..360 deg east form common for Mars).
- Planetocentric latitude: angle between the equator and the line from the body centre;
  radius: distance from the centre.
- Planetodetic ("areodetic" on Mars, geodetic on Earth) latitude: angle between the equator
  and the ellipsoid normal; height: distance along that normal above the ellipsoid (negative
  below it).
- Catalog sites are given in planetocentric latitude and east longitude with a height above
  the ellipsoid measured along the normal: :func:`site_position`.

Latitudes outside [-90, 90] deg and non-finite longitudes, heights or radii raise
:class:`areo.errors.CoordinateRangeError`. The Cartesian -> latitude conversions take NaN
positions as masked elements (a stopped trajectory's rows) and return NaN for them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from areo import bodies as _bodies
from areo import validate
from areo.errors import CoordinateRangeError, ParameterError

__all__ = [
    "EARTH_WGS84",
    "MARS_ELLIPSOID",
    "Ellipsoid",
    "cartesian_to_planetocentric",
    "cartesian_to_planetodetic",
    "check_latitude",
    "check_latitude_deg",
    "ellipsoid_of",
    "planetocentric_to_cartesian",
    "planetocentric_to_planetodetic_latitude",
    "planetodetic_to_cartesian",
    "planetodetic_to_planetocentric_latitude",
    "site_position",
    "surface_normal",
    "surface_point_planetocentric",
]


class Ellipsoid(NamedTuple):
    """A spheroid: equatorial radius ``a`` and polar radius ``c``, km, with its source."""

    a: float
    c: float
    name: str = ""
    source: str = ""

    @property
    def flattening(self) -> float:
        """(a - c) / a."""
        return (self.a - self.c) / self.a


#: Mars, IAU 2015 (Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22; NAIF pck00011):
#: the radii of :func:`areo.bodies.body` ('mars').
MARS_ELLIPSOID = Ellipsoid(_bodies.body("mars").equatorial_radius_km,
                           _bodies.body("mars").polar_radius_km,
                           "mars", "Archinal et al. 2018; NAIF pck00011")

#: Earth, WGS84: a = 6378.137 km, 1/f = 298.257223563 (NIMA TR8350.2, 3rd ed., Table 3.1).
EARTH_WGS84 = Ellipsoid(
    6378.137, 6378.137 * (1.0 - 1.0 / 298.257223563), "earth", "WGS84, NIMA TR8350.2"
)

_BY_NAME = {"mars": MARS_ELLIPSOID, "earth": EARTH_WGS84, "wgs84": EARTH_WGS84}

_A_MARS = MARS_ELLIPSOID.a
_C_MARS = MARS_ELLIPSOID.c

# Latitudes this far beyond +-90 deg (rounding of a degrees -> radians conversion) are
# taken as the pole rather than rejected.
_LAT_SLACK = 1e-12


def ellipsoid_of(body: str | Ellipsoid) -> Ellipsoid:
    """The reference ellipsoid of ``body`` ('mars': IAU 2015, 'earth': WGS84)."""
    if isinstance(body, Ellipsoid):
        return body
    key = str(body).strip().lower()
    if key in _BY_NAME:
        return _BY_NAME[key]
    raise ParameterError(
        f"body {body!r} has no reference ellipsoid in areo.frames: use 'mars' (IAU 2015) or "
        "'earth' (WGS84), or pass an Ellipsoid(a, c)"
    )


def _check_radii(a: float, c: float) -> tuple[float, float]:
    hint = "the equatorial (a) and polar (c) radii of the ellipsoid"
    return (float(validate.positive(a, "a", unit="km", hint=hint)),
            float(validate.positive(c, "c", unit="km", hint=hint)))


def _coord(value: Any, name: str, unit: str) -> np.ndarray:
    """A longitude, height or radius as a float array after refusing NaN and infinities."""
    return np.asarray(validate.finite(value, name, unit=unit, error=CoordinateRangeError))


def check_latitude(lat: Any, name: str = "latitude") -> np.ndarray:
    """``lat`` (radians) as a float array, after checking it lies within [-pi/2, pi/2].

    Raises :class:`CoordinateRangeError` naming the offending value in degrees.
    """
    lat = np.asarray(lat, dtype=float)
    bad = ~(np.abs(lat) <= np.pi / 2 + _LAT_SLACK)
    if np.any(bad):
        value = np.degrees(lat[bad].ravel()[0]) if lat.ndim else np.degrees(float(lat))
        raise CoordinateRangeError(
            f"{name} {value:.10g} deg is outside [-90, 90] deg: give latitudes north-positive "
            "within -90..90 (a longitude or a colatitude in its place is a common slip)"
        )
    return np.clip(lat, -np.pi / 2, np.pi / 2)


def check_latitude_deg(lat_deg: Any, name: str = "lat_deg") -> np.ndarray:
    """``lat_deg`` as a float array after checking it lies within [-90, 90] degrees."""
    lat_deg = np.asarray(lat_deg, dtype=float)
    bad = ~(np.abs(lat_deg) <= 90.0)
    if np.any(bad):
        value = lat_deg[bad].ravel()[0] if lat_deg.ndim else float(lat_deg)
        raise CoordinateRangeError(
            f"{name} {value:.10g} deg is outside [-90, 90] deg: give latitudes north-positive "
            "within -90..90 (a longitude or a colatitude in its place is a common slip)"
        )
    return lat_deg


def _xyz(xyz: Any, name: str = "xyz") -> np.ndarray:
    xyz = np.asarray(xyz, dtype=float)
    if xyz.shape[-1:] != (3,):
        raise ParameterError(
            f"{name} has shape {xyz.shape}: the last axis must hold x, y, z (km)"
        )
    return xyz


def planetocentric_to_cartesian(lat: Any, lon: Any, radius: Any) -> np.ndarray:
    """Planetocentric latitude, east longitude (rad) and radius (km) -> body-fixed xyz (km).

    Inputs broadcast; the result has shape ``broadcast + (3,)``. As SPICE ``latrec``.
    """
    lat = check_latitude(lat)
    lon = _coord(lon, "lon", "rad")
    radius = np.asarray(validate.non_negative(radius, "radius", unit="km",
                                              error=CoordinateRangeError))
    cl = np.cos(lat)
    return np.stack(
        np.broadcast_arrays(radius * cl * np.cos(lon), radius * cl * np.sin(lon),
                            radius * np.sin(lat)),
        axis=-1,
    )


def cartesian_to_planetocentric(xyz: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Body-fixed ``(..., 3)`` km -> planetocentric latitude, east longitude (rad), radius (km).

    Longitude in (-pi, pi]; at the poles and the centre longitude is 0 (as SPICE ``reclat``).
    NaN positions (masked elements) give NaN.
    """
    xyz = _xyz(xyz)
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    rho = np.hypot(x, y)
    return np.arctan2(z, rho), np.arctan2(y, x), np.hypot(rho, z)


def planetodetic_to_cartesian(
    lat: Any, lon: Any, height: Any, *, a: float = _A_MARS, c: float = _C_MARS
) -> np.ndarray:
    """Planetodetic latitude, east longitude (rad), height (km) -> body-fixed xyz (km).

    Height is along the ellipsoid normal. Inputs broadcast. As SPICE ``georec``.
    """
    a, c = _check_radii(a, c)
    lat = check_latitude(lat)
    lon = _coord(lon, "lon", "rad")
    height = _coord(height, "height", "km")
    sl, cl = np.sin(lat), np.cos(lat)
    # Surface point from the normal direction: (a^2 cos, c^2 sin) / sqrt(a^2 cos^2 + c^2 sin^2)
    # in the meridian plane; written with a and c (not e^2) so prolate shapes work too.
    den = np.sqrt((a * cl) ** 2 + (c * sl) ** 2)
    rho = (a * a / den + height) * cl
    z = (c * c / den + height) * sl
    return np.stack(np.broadcast_arrays(rho * np.cos(lon), rho * np.sin(lon), z), axis=-1)


def cartesian_to_planetodetic(
    xyz: Any, *, a: float = _A_MARS, c: float = _C_MARS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Body-fixed ``(..., 3)`` km -> planetodetic latitude, east longitude (rad), height (km).

    As SPICE ``recgeo``. Newton's method on the parametric latitude of the foot point (the
    nearest point of the ellipse in the meridian plane), started from the foot point of a
    radial line; it converges quadratically and everywhere outside the ellipsoid's evolute
    (the region within (a^2 - c^2)/a of the centre, 40 km for Mars, 43 km for Earth), to
    well below a micrometre for heights from -10 km to beyond 100 000 km.
    Longitude in (-pi, pi], 0 on the axis. NaN positions (masked elements) give NaN.
    """
    a, c = _check_radii(a, c)
    xyz = _xyz(xyz)
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    # Work in the first quadrant (|z|) and restore the sign: the problem is symmetric.
    za = np.abs(z)
    k = a * a - c * c
    # Start: the ellipse point on the line from the centre (exact on the surface).
    beta = np.arctan2(a * za, c * p)
    for _ in range(8):
        sb, cb = np.sin(beta), np.cos(beta)
        # g = 1/2 d(distance^2)/d(beta) = a p sin b - c z cos b - (a^2 - c^2) sin b cos b.
        g = a * p * sb - c * za * cb - k * sb * cb
        dg = a * p * cb + c * za * sb - k * (cb * cb - sb * sb)
        step = g / np.where(dg != 0.0, dg, 1.0)
        beta = np.clip(beta - step, 0.0, np.pi / 2)
        if np.all(np.abs(step) < 1e-15):
            break
    sb, cb = np.sin(beta), np.cos(beta)
    lat = np.arctan2(a * sb, c * cb)
    # Height: the offset from the foot point projected on the normal (signed).
    height = (p - a * cb) * np.cos(lat) + (za - c * sb) * np.sin(lat)
    return np.copysign(lat, z), lon, height


def planetocentric_to_planetodetic_latitude(
    lat: Any, *, a: float = _A_MARS, c: float = _C_MARS
) -> np.ndarray:
    """Planetocentric -> planetodetic latitude (rad) of a point on the ellipsoid surface.

    ``tan(lat_d) = (a / c)^2 tan(lat_c)``; only valid on the surface (height 0).
    """
    a, c = _check_radii(a, c)
    lat = check_latitude(lat)
    return np.arctan2(a * a * np.sin(lat), c * c * np.cos(lat))


def planetodetic_to_planetocentric_latitude(
    lat: Any, *, a: float = _A_MARS, c: float = _C_MARS
) -> np.ndarray:
    """Planetodetic -> planetocentric latitude (rad) of a point on the ellipsoid surface."""
    a, c = _check_radii(a, c)
    lat = check_latitude(lat)
    return np.arctan2(c * c * np.sin(lat), a * a * np.cos(lat))


def surface_point_planetocentric(
    lat: Any, lon: Any, *, a: float = _A_MARS, c: float = _C_MARS
) -> np.ndarray:
    """The ellipsoid surface point at planetocentric latitude and east longitude (rad), km.

    Where the ray from the centre meets the surface (SPICE ``srfrec`` / ``surfpt``).
    """
    a, c = _check_radii(a, c)
    lat = check_latitude(lat)
    lon = _coord(lon, "lon", "rad")
    sl, cl = np.sin(lat), np.cos(lat)
    radius = 1.0 / np.sqrt((cl / a) ** 2 + (sl / c) ** 2)
    return planetocentric_to_cartesian(lat, lon, radius)


def surface_normal(xyz: Any, *, a: float = _A_MARS, c: float = _C_MARS) -> np.ndarray:
    """Outward unit normal of the ellipsoid at surface points ``(..., 3)`` (SPICE ``surfnm``).

    Off the surface this is the gradient direction of ``(x^2 + y^2) / a^2 + z^2 / c^2``, which
    is not the planetodetic "up" there; use :func:`cartesian_to_planetodetic` for that.
    """
    a, c = _check_radii(a, c)
    xyz = _xyz(xyz)
    n = xyz / np.array([a * a, a * a, c * c])
    return n / np.linalg.norm(n, axis=-1, keepdims=True)


def site_position(
    lat_deg: Any,
    lon_east_deg: Any,
    height_km: Any = 0.0,
    *,
    body: str | Ellipsoid = "mars",
    latitude: str = "planetocentric",
) -> np.ndarray:
    """Body-fixed position (km) of a site given in degrees, ``(..., 3)``.

    ``latitude='planetocentric'`` (the Mars catalog convention): the site lies at
    ``height_km`` along the ellipsoid normal above the surface point where the planetocentric
    ray at ``lat_deg`` meets the ellipsoid. ``latitude='planetodetic'`` (Earth stations,
    WGS84 geodetic): ``lat_deg`` is the normal's latitude. Longitudes east-positive.
    """
    ell = ellipsoid_of(body)
    lat_r = np.radians(check_latitude_deg(lat_deg))
    lon_r = np.radians(_coord(lon_east_deg, "lon_east_deg", "deg"))
    _coord(height_km, "height_km", "km")
    kind = str(latitude).lower()
    if kind in ("planetocentric", "centric"):
        lat_r = planetocentric_to_planetodetic_latitude(lat_r, a=ell.a, c=ell.c)
    elif kind not in ("planetodetic", "detic", "geodetic", "areodetic"):
        raise ParameterError(
            f"latitude kind {latitude!r} is unknown: use 'planetocentric' or 'planetodetic'"
        )
    return planetodetic_to_cartesian(lat_r, lon_r, height_km, a=ell.a, c=ell.c)
