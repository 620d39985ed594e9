"""Landing ellipses and points on a local map around the target.

Points are mapped to a local East/North plane at the target (km): ``east = R dlon
cos(lat0)``, ``north = R dlat`` with the IAU equatorial radius (the few-hundred-km scale of a
landing footprint makes the flat-map error below 0.5 %). The p-probability ellipse of a
2-D normal sample has semi-axes ``sqrt(chi2_2(p) lambda_i)`` with ``lambda_i`` the
eigenvalues of the sample covariance and ``chi2_2(p) = -2 ln(1 - p)`` (9.21 for 99 %).

>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> e, n = rng.normal(0, 10, 20000), rng.normal(0, 2, 20000)
>>> ell = fit_ellipse(e, n, 0.0, 0.0)
>>> round(ell.major_km / (2 * 10 * np.sqrt(9.2103)), 2)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.edl.dynamics import mars_model
from areo.errors import ParameterError

__all__ = [
    "Ellipse",
    "bearing_distance",
    "fit_ellipse",
    "inside_polygon",
    "to_latlon",
    "to_local",
]


def to_local(lat_deg: Any, lon_deg: Any, lat0_deg: float, lon0_deg: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """(east, north) km of points from the origin (lat0, lon0)."""
    r = mars_model()["re"]
    dlon = (np.asarray(lon_deg, dtype=float) - lon0_deg + 180.0) % 360.0 - 180.0
    return (r * np.radians(dlon) * math.cos(math.radians(lat0_deg)),
            r * np.radians(np.asarray(lat_deg, dtype=float) - lat0_deg))


def to_latlon(east_km: Any, north_km: Any, lat0_deg: float, lon0_deg: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`to_local`."""
    r = mars_model()["re"]
    lat = lat0_deg + np.degrees(np.asarray(north_km, dtype=float) / r)
    lon = lon0_deg + np.degrees(np.asarray(east_km, dtype=float) / (r * math.cos(
        math.radians(lat0_deg))))
    return lat, lon % 360.0


def bearing_distance(lat_deg: Any, lon_deg: Any, lat0_deg: Any, lon0_deg: Any
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Great-circle distance (m) and initial bearing (deg from north, clockwise) from
    (lat0, lon0) to (lat, lon), on the sphere of the IAU equatorial radius."""
    la1, lo1 = np.radians(lat0_deg), np.radians(lon0_deg)
    la2, lo2 = np.radians(lat_deg), np.radians(lon_deg)
    dlo = lo2 - lo1
    c = np.sin(la1) * np.sin(la2) + np.cos(la1) * np.cos(la2) * np.cos(dlo)
    s = np.hypot(np.cos(la2) * np.sin(dlo),
                 np.cos(la1) * np.sin(la2) - np.sin(la1) * np.cos(la2) * np.cos(dlo))
    d = np.arctan2(s, c) * mars_model()["re"] * 1000.0
    b = np.degrees(np.arctan2(np.cos(la2) * np.sin(dlo),
                              np.cos(la1) * np.sin(la2) - np.sin(la1) * np.cos(la2)
                              * np.cos(dlo))) % 360.0
    return d, b


@dataclass(frozen=True)
class Ellipse:
    """A landing ellipse: full axes (km), azimuth of the major axis (deg from north,
    clockwise, 0-180), centre, probability; ``margined_*`` with the margin applied."""

    major_km: float
    minor_km: float
    azimuth_deg: float
    center_lat_deg: float
    center_lon_east_deg: float
    center_east_km: float
    center_north_km: float
    probability: float
    count: int
    margin_km: float = 0.0
    margin_factor: float = 1.0

    @property
    def margined_major_km(self) -> float:
        return self.major_km * self.margin_factor + 2.0 * self.margin_km

    @property
    def margined_minor_km(self) -> float:
        return self.minor_km * self.margin_factor + 2.0 * self.margin_km

    def outline(self, n: int = 181, margined: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(east, north) km of the ellipse's outline on the target's local map."""
        a = (self.margined_major_km if margined else self.major_km) / 2.0
        b = (self.margined_minor_km if margined else self.minor_km) / 2.0
        th = np.linspace(0.0, 2.0 * np.pi, n)
        az = math.radians(self.azimuth_deg)
        x, y = a * np.cos(th), b * np.sin(th)
        # major axis along azimuth az (east = sin az, north = cos az)
        return (self.center_east_km + x * math.sin(az) + y * math.cos(az),
                self.center_north_km + x * math.cos(az) - y * math.sin(az))

    def to_dict(self) -> dict[str, Any]:
        return {"major_km": self.major_km, "minor_km": self.minor_km,
                "azimuth_deg": self.azimuth_deg, "center_lat_deg": self.center_lat_deg,
                "center_lon_east_deg": self.center_lon_east_deg,
                "probability": self.probability, "count": self.count,
                "margined_major_km": self.margined_major_km,
                "margined_minor_km": self.margined_minor_km}

    def __repr__(self) -> str:
        return (f"Ellipse: {self.probability:.0%} {self.major_km:.1f} x {self.minor_km:.1f} km "
                f"at {self.azimuth_deg:.0f} deg, centre {self.center_lat_deg:.3f}, "
                f"{self.center_lon_east_deg:.3f} ({self.count} points)")


def fit_ellipse(east_km: Any, north_km: Any, lat0_deg: float, lon0_deg: float, *,
                probability: float = 0.99, margin_km: float = 0.0,
                margin_factor: float = 1.0) -> Ellipse:
    """The ``probability`` ellipse of the points (east, north km from (lat0, lon0))."""
    e = np.asarray(east_km, dtype=float)
    n = np.asarray(north_km, dtype=float)
    ok = np.isfinite(e) & np.isfinite(n)
    e, n = e[ok], n[ok]
    if e.size < 3:
        raise ParameterError(f"a landing ellipse needs >= 3 landed runs, got {e.size}: "
                             "increase runs or check why trajectories fail to land")
    if not 0.0 < probability < 1.0:
        raise ParameterError(f"probability = {probability} must be in (0, 1), e.g. 0.99")
    ce, cn = float(e.mean()), float(n.mean())
    cov = np.cov(np.vstack([e, n]))
    w, v = np.linalg.eigh(cov)
    k = -2.0 * math.log(1.0 - probability)
    major = 2.0 * math.sqrt(max(w[1], 0.0) * k)
    minor = 2.0 * math.sqrt(max(w[0], 0.0) * k)
    az = math.degrees(math.atan2(v[0, 1], v[1, 1])) % 180.0
    lat, lon = to_latlon(ce, cn, lat0_deg, lon0_deg)
    return Ellipse(major, minor, az, float(lat), float(lon), ce, cn, probability, int(e.size),
                   margin_km, margin_factor)


def inside_polygon(lat_deg: Any, lon_deg: Any, polygon: Any) -> np.ndarray:
    """Which points lie inside ``polygon`` (a sequence of (lat_deg, lon_east_deg) vertices;
    even-odd rule on the local map of its first vertex)."""
    poly = np.asarray(polygon, dtype=float)
    if poly.ndim != 2 or poly.shape[1] != 2 or poly.shape[0] < 3 or not np.all(
            np.isfinite(poly)):
        raise ParameterError("hazard polygon: give >= 3 finite (lat_deg, lon_east_deg) "
                             "vertices")
    lat0, lon0 = poly[0]
    px, py = to_local(poly[:, 0], poly[:, 1], lat0, lon0)
    x, y = to_local(lat_deg, lon_deg, lat0, lon0)
    inside = np.zeros(np.shape(x), dtype=bool)
    j = len(px) - 1
    for i in range(len(px)):
        cond = (py[i] > y) != (py[j] > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xc = (px[j] - px[i]) * (y - py[i]) / (py[j] - py[i]) + px[i]
        inside ^= cond & (x < xc)
        j = i
    return inside
