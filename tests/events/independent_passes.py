"""An independent passes search, the oracle of the passes tests and benchmark: numpy and
scipy only, nothing from areo's geometry.

- Orbiter positions: ``scipy.interpolate.CubicHermiteSpline`` through a table's positions
  and velocities (cubic, where areo's table default is quintic on three nodes: on 30-60 s
  tables of low Mars orbits the two differ by centimetres, hundredths of a millisecond of
  AOS/LOS).
- Mars orientation: IAU WGCCRE 2015 (Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22,
  Table 2 and its angles M1..M16 as NAIF pck00011 numbers them 11..26): pole right ascension
  and declination with their rates and periodic terms, prime meridian ``W``; body-fixed =
  ``R3(W) R1(90 - dec) R3(90 + ra)`` applied to ICRF vectors (their definition), in numpy.
- Sites: the catalog's planetocentric latitude and east longitude on the IAU 2015 ellipsoid
  (3396.19 x 3376.20 km, same paper), height along the ellipsoid normal, East-North-Up from
  the geodetic (normal) latitude.
- Search: sample every ``step`` (vectorised), ``scipy.optimize.brentq`` on each sign change
  of elevation minus the mask.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

import numpy as np
from scipy.interpolate import CubicHermiteSpline
from scipy.optimize import brentq

DAY = 86400.0
CENTURY = 36525.0 * DAY
A_KM, C_KM = 3396.19, 3376.20  # IAU 2015 Mars radii (equatorial, polar)

# Archinal et al. 2018, Table 2 (Mars): (A deg, B deg/century) of the angles in sin/cos terms
_ANGLES = np.array([
    [198.991226, 19139.4819985], [226.292679, 38280.8511281], [249.663391, 57420.7251593],
    [266.183510, 76560.6367950], [79.398797, 0.5042615], [122.433576, 19139.9407476],
    [43.058401, 38280.8753272], [57.663379, 57420.7517205], [79.476401, 76560.6495004],
    [166.325722, 0.5042615], [129.071773, 19140.0328244], [36.352167, 38281.0473591],
    [56.668646, 57420.9295360], [67.364003, 76560.2552215], [104.792680, 95700.4387578],
    [95.391654, 0.5042615],
])
_RA = np.array([0.000068, 0.000238, 0.000052, 0.000009, 0.419057] + [0.0] * 11)
_DEC = np.array([0.0] * 5 + [0.000051, 0.000141, 0.000031, 0.000005, 1.591274] + [0.0] * 6)
_PM = np.array([0.0] * 10 + [0.000145, 0.000157, 0.000040, 0.000001, 0.000001, 0.584542])


def mars_angles(et: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pole right ascension, declination and prime meridian (rad) at TDB seconds ``et``."""
    et = np.asarray(et, dtype=float)
    t = et / CENTURY
    d = et / DAY
    theta = np.radians(_ANGLES[:, 0] + np.multiply.outer(t, _ANGLES[:, 1]))
    s, c = np.sin(theta), np.cos(theta)
    ra = 317.269202 - 0.10927547 * t + s @ _RA
    dec = 54.432516 - 0.05827105 * t + c @ _DEC
    w = 176.049863 + 350.891982443297 * d + s @ _PM
    return np.radians(ra), np.radians(dec), np.radians(w % 360.0)


def to_body(vec: np.ndarray, et: np.ndarray) -> np.ndarray:
    """ICRF vectors (n, 3) at ``et`` (n,) in the IAU 2015 Mars body-fixed frame."""
    ra, dec, w = mars_angles(et)
    x, y, z = vec[:, 0], vec[:, 1], vec[:, 2]
    # R3(90 + ra): the pole's node on the ICRF equator to x
    x1 = -np.sin(ra) * x + np.cos(ra) * y
    y1 = -np.cos(ra) * x - np.sin(ra) * y
    # R1(90 - dec): the pole to z
    sd, cd = np.sin(dec), np.cos(dec)
    y2 = sd * y1 + cd * z
    z2 = -cd * y1 + sd * z
    # R3(W): the prime meridian to x
    sw, cw = np.sin(w), np.cos(w)
    return np.stack([cw * x1 + sw * y2, -sw * x1 + cw * y2, z2], axis=1)


def site_frame(lat_centric_deg: float, lon_east_deg: float, height_km: float = 0.0
               ) -> tuple[np.ndarray, np.ndarray]:
    """Body-fixed position (km) and ENU rows (3, 3) of a site given as the catalog does."""
    lat_c, lon = np.radians(lat_centric_deg), np.radians(lon_east_deg)
    r = A_KM * C_KM / np.hypot(C_KM * np.cos(lat_c), A_KM * np.sin(lat_c))
    surface = r * np.array([np.cos(lat_c) * np.cos(lon), np.cos(lat_c) * np.sin(lon),
                            np.sin(lat_c)])
    lat_d = np.arctan2(np.tan(lat_c) * (A_KM / C_KM) ** 2, 1.0)  # the normal's latitude
    up = np.array([np.cos(lat_d) * np.cos(lon), np.cos(lat_d) * np.sin(lon), np.sin(lat_d)])
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.cross(up, east)
    return surface + height_km * up, np.array([east, north, up])


class Geometry:
    """Elevation (rad) of a tabulated orbiter over sites: vectorised over epochs
    (:meth:`elevation`, numpy and scipy) or at one epoch (:meth:`elevation_at`, the same
    formulas in plain Python floats, for the scalar root finder)."""

    def __init__(self, et_nodes: np.ndarray, states: np.ndarray,
                 sites: list[tuple[float, float, float]], exact: Any = None):
        """``exact``: optionally ``(positions(et array) -> (n, 3), position(et) -> (x, y,
        z))``, the orbit in closed form, used instead of the spline (a truth free of
        interpolation)."""
        self.spline = CubicHermiteSpline(et_nodes, states[:, :3], states[:, 3:], axis=0)
        self.exact = exact
        self.frames = [site_frame(*s) for s in sites]
        self._nodes = et_nodes.tolist()
        self._states = states.tolist()
        self._frames = [(p.tolist(), e.tolist()) for p, e in self.frames]
        self._angles = _ANGLES.tolist()
        self._terms = list(zip(_RA.tolist(), _DEC.tolist(), _PM.tolist(), strict=True))

    def elevation_at(self, x: float, k: int) -> float:
        """Elevation (rad) at one epoch: the cubic Hermite on the two nodes around ``x``,
        the IAU 2015 angles and the rotation, one float at a time."""
        if self.exact is not None:
            v = list(self.exact[1](x))
        else:
            i = min(max(bisect.bisect_right(self._nodes, x) - 1, 0), len(self._nodes) - 2)
            x0, x1 = self._nodes[i], self._nodes[i + 1]
            h = x1 - x0
            u = (x - x0) / h
            h00, h10 = (1 + 2 * u) * (1 - u) ** 2, u * (1 - u) ** 2
            h01, h11 = u * u * (3 - 2 * u), u * u * (u - 1)
            a, b = self._states[i], self._states[i + 1]
            v = [h00 * a[c] + h10 * h * a[c + 3] + h01 * b[c] + h11 * h * b[c + 3]
                 for c in range(3)]
        t, d = x / CENTURY, x / DAY
        ra, dec, w = 317.269202 - 0.10927547 * t, 54.432516 - 0.05827105 * t, 0.0
        for (a0, a1), (cra, cdec, cpm) in zip(self._angles, self._terms, strict=True):
            theta = math.radians(a0 + a1 * t)
            s_th, c_th = math.sin(theta), math.cos(theta)
            ra += cra * s_th
            dec += cdec * c_th
            w += cpm * s_th
        w = (176.049863 + 350.891982443297 * d + w) % 360.0
        ra, dec, w = math.radians(ra), math.radians(dec), math.radians(w)
        x1_ = -math.sin(ra) * v[0] + math.cos(ra) * v[1]
        y1 = -math.cos(ra) * v[0] - math.sin(ra) * v[1]
        y2 = math.sin(dec) * y1 + math.cos(dec) * v[2]
        z2 = -math.cos(dec) * y1 + math.sin(dec) * v[2]
        body = (math.cos(w) * x1_ + math.sin(w) * y2, -math.sin(w) * x1_ + math.cos(w) * y2, z2)
        pos, enu = self._frames[k]
        rel = [body[c] - pos[c] for c in range(3)]
        e, n, up = (sum(enu[r][c] * rel[c] for c in range(3)) for r in range(3))
        return math.asin(up / math.sqrt(e * e + n * n + up * up))

    def elevation(self, t: np.ndarray, k: int) -> np.ndarray:
        t = np.atleast_1d(np.asarray(t, dtype=float))
        pos, enu = self.frames[k]
        icrf = self.spline(t) if self.exact is None else self.exact[0](t)
        rel = (to_body(icrf, t) - pos) @ enu.T
        return np.arcsin(rel[:, 2] / np.linalg.norm(rel, axis=1))


def scan(geo: Geometry, k: int, t0: float, t1: float, step: float, xtol: float,
         mask_rad: float, chunk: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """Rises and sets of site ``k`` over ``[t0, t1]``: the elevation sampled every ``step``
    (and at ``t1``), ``brentq`` to ``xtol`` on each sign change of elevation - mask; a pass
    in view at ``t0`` (``t1``) rises (sets) there."""
    grid = np.append(np.arange(t0, t1, step), t1)
    g = np.concatenate([geo.elevation(grid[i:i + chunk], k)
                        for i in range(0, grid.size, chunk)]) - mask_rad

    def f(x: float) -> float:
        return geo.elevation_at(x, k) - mask_rad

    up = g > 0.0
    idx = np.flatnonzero(up[:-1] != up[1:])
    roots = np.array([brentq(f, grid[i], grid[i + 1], xtol=xtol) for i in idx])
    rising = ~up[idx]
    rises = np.concatenate([[t0] if up[0] else [], roots[rising]])
    sets = np.concatenate([roots[~rising], [t1] if up[-1] else []])
    return rises, sets
