"""Earth orientation: ICRF (GCRS axes) <-> ITRS through pyerfa, and station look angles.

The celestial-to-terrestrial matrix is the IERS 2010 CIO-based chain
``ITRS = W(xp, yp, s') R3(ERA) Q(X, Y, s) GCRS`` (IERS Conventions 2010, Ch. 5), evaluated
with erfa (SOFA): ``model="iau2006a"`` (default) uses the IAU 2006 precession and IAU 2000A
nutation (``erfa.c2i06a``, ``erfa.sp00``), the same as ``erfa.c2t06a``;
``model="iau2000b"`` uses the truncated IAU 2000B nutation (``erfa.c2i00b``, as
``erfa.c2t00b``), ~10 times faster and within ~1 mas of 2000A over 1995-2050 (McCarthy &
Luzum 2003, Celest. Mech. Dyn. Astr. 85:37).

Earth orientation parameters: areo ships none. Unless given, UT1 is taken equal to UTC
(``dut1_s=0``) and polar motion is zero. Since the IERS keeps |UT1 - UTC| < 0.9 s, the
first makes the Earth rotation angle wrong by less than 0.9 s x 7.292e-5 rad/s = 6.6e-5 rad
(13.5 arcsec), i.e. station positions in the ICRF off by up to 0.42 km along the equator
and azimuths off by up to 13.5 arcsec; polar motion stays within about 0.6 arcsec (19 m at
the surface). Pass ``dut1_s`` and ``xp_arcsec``/``yp_arcsec`` (IERS Bulletin A/B, EOP
C04) when you have them; both accept arrays matching the epochs.

The ICRF and the GCRS share their axes (the GCRS is the geocentric, kinematically
non-rotating frame aligned with the ICRF), so geocentric ICRF vectors transform as GCRS
vectors. Look angles are geometric: light time, aberration and refraction are not applied.
"""

from __future__ import annotations

from typing import Any

import erfa
import numpy as np

from areo.constants import DAY_S, JD_J2000
from areo.errors import ParameterError
from areo.frames import ellipsoid as _el
from areo.frames._common import apply_rotation, apply_state_transform, as_et, state_matrix
from areo.frames.topocentric import LookAngles, SurfacePoint, look_angles
from areo.time import scales

__all__ = [
    "EARTH_ROTATION_RATE",
    "ORIENTATION_NODE_DAYS",
    "EarthOrientationTable",
    "earth_rotation_angle",
    "from_itrs",
    "icrf_to_itrs",
    "itrs_to_icrf",
    "state_transform",
    "station_from_geodetic_deg",
    "station_from_itrs",
    "station_look",
    "to_itrs",
]

#: Earth rotation rate, rad per UT1 second: d(ERA)/dt = 2 pi x 1.00273781191135448 per UT1
#: day (IERS Conventions 2010, eq. 5.15; the ERA definition of IAU 2000 Resolution B1.8).
EARTH_ROTATION_RATE = 2.0 * np.pi * 1.00273781191135448 / DAY_S

_MODELS = ("iau2006a", "iau2000b")
#: 1972-01-01 (TDB s past J2000, to a minute): from then on UTC steps by whole leap seconds.
_UTC_1972_ET = (2441317.5 - JD_J2000) * DAY_S
_DIFF_S = 3600.0  # step of the central difference for the precession-nutation rate


def _model(model: str) -> str:
    key = str(model).strip().lower().replace("_", "").replace("-", "")
    if key not in _MODELS:
        raise ParameterError(
            f"Earth orientation model {model!r} is unknown: use 'iau2006a' (IAU 2006/2000A, "
            "the default) or 'iau2000b' (faster, ~1 mas)"
        )
    return key


def _check_dut1(dut1_s: Any) -> np.ndarray:
    dut1 = np.asarray(dut1_s, dtype=float)
    if np.any(~np.isfinite(dut1)) or np.any(np.abs(dut1) > 1.0):
        raise ParameterError(
            f"dut1_s (UT1 - UTC) must lie within -1..1 s (IERS keeps it under 0.9 s); got "
            f"{dut1.ravel()[:3]}: give it in seconds, or leave it at 0"
        )
    return dut1


def _epochs(t: Any, dut1_s: Any) -> tuple[np.ndarray, ...]:
    """TT and UT1 two-part Julian dates for the epochs ``t``."""
    et = np.asarray(as_et(t), dtype=float)
    dut1 = _check_dut1(dut1_s)
    tt1, tt2 = scales.et_to_tt(et)
    utc1, utc2 = scales.tt_to_utc(tt1, tt2)
    # utcut1 handles leap-second days, where the UTC quasi-JD is not uniform.
    ut11, ut12 = scales.erfa_quiet(erfa.utcut1, utc1, utc2, dut1)
    return tt1, tt2, np.asarray(ut11), np.asarray(ut12)


def _pieces(t: Any, model: str, dut1_s: Any, xp_arcsec: Any, yp_arcsec: Any):
    model = _model(model)
    tt1, tt2, ut11, ut12 = _epochs(t, dut1_s)
    xp = np.asarray(xp_arcsec, dtype=float) * erfa.DAS2R
    yp = np.asarray(yp_arcsec, dtype=float) * erfa.DAS2R
    if model == "iau2006a":
        q = erfa.c2i06a(tt1, tt2)
        sp = erfa.sp00(tt1, tt2)
    else:
        q = erfa.c2i00b(tt1, tt2)
        sp = np.zeros_like(tt2)  # erfa.c2t00b leaves out the tiny TIO locator s'
    era = erfa.era00(ut11, ut12)
    w = erfa.pom00(xp, yp, sp)
    return model, tt1, tt2, q, era, w


def icrf_to_itrs(
    t: Any,
    *,
    model: str = "iau2006a",
    dut1_s: Any = 0.0,
    xp_arcsec: Any = 0.0,
    yp_arcsec: Any = 0.0,
) -> np.ndarray:
    """Rotation matrices ICRF (GCRS axes) -> ITRS, shape ``t.shape + (3, 3)``.

    ``v_itrs = M @ v_icrf``. Equals ``erfa.c2t06a`` (``model='iau2006a'``) or
    ``erfa.c2t00b`` (``'iau2000b'``) with UT1 = UTC + ``dut1_s`` and polar motion
    ``xp_arcsec``, ``yp_arcsec`` (both zero by default: see the module notes on the error).
    """
    _, _, _, q, era, w = _pieces(t, model, dut1_s, xp_arcsec, yp_arcsec)
    return np.asarray(erfa.c2tcio(q, era, w))


def itrs_to_icrf(
    t: Any,
    *,
    model: str = "iau2006a",
    dut1_s: Any = 0.0,
    xp_arcsec: Any = 0.0,
    yp_arcsec: Any = 0.0,
) -> np.ndarray:
    """Rotation matrices ITRS -> ICRF: the transposes of :func:`icrf_to_itrs`."""
    m = icrf_to_itrs(t, model=model, dut1_s=dut1_s, xp_arcsec=xp_arcsec, yp_arcsec=yp_arcsec)
    return np.swapaxes(m, -1, -2)


def _matrix_and_rate(t, model, dut1_s, xp_arcsec, yp_arcsec):
    model, tt1, tt2, q, era, w = _pieces(t, model, dut1_s, xp_arcsec, yp_arcsec)
    r3 = erfa.rz(era, np.broadcast_to(np.eye(3), (*np.shape(era), 3, 3)))
    m = np.matmul(w, np.matmul(r3, q))
    # d/dt R3(ERA) = omega S R3(ERA) with S = [[0, 1, 0], [-1, 0, 0], [0, 0, 0]].
    s = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    dr3 = EARTH_ROTATION_RATE * np.matmul(s, r3)
    # The precession-nutation rate (~1e-11 rad/s; 4 m/s for a vector at Mars distance) by a
    # central difference of the 2000B matrix: its rate differs from 2000A's by < 1e-15 rad/s.
    h = _DIFF_S / DAY_S
    dq = (erfa.c2i00b(tt1, tt2 + h) - erfa.c2i00b(tt1, tt2 - h)) / (2.0 * _DIFF_S)
    dm = np.matmul(w, np.matmul(dr3, q) + np.matmul(r3, dq))
    return m, dm


def state_transform(
    t: Any,
    *,
    model: str = "iau2006a",
    dut1_s: Any = 0.0,
    xp_arcsec: Any = 0.0,
    yp_arcsec: Any = 0.0,
) -> np.ndarray:
    """6x6 state transforms ICRF -> ITRS, ``t.shape + (6, 6)``: ``[[M, 0], [dM/dt, M]]``.

    ``dM/dt`` holds the Earth rotation (``EARTH_ROTATION_RATE``) and the precession-nutation
    rate; the polar-motion rate is neglected (< 1e-11 rad/s effect on directions per day).
    """
    m, dm = _matrix_and_rate(t, model, dut1_s, xp_arcsec, yp_arcsec)
    return state_matrix(m, dm)


def to_itrs(
    vectors: Any,
    t: Any,
    *,
    model: str = "iau2006a",
    dut1_s: Any = 0.0,
    xp_arcsec: Any = 0.0,
    yp_arcsec: Any = 0.0,
) -> np.ndarray:
    """Geocentric ICRF positions ``(..., 3)`` km or states ``(..., 6)`` -> ITRS.

    States get the frame-rotation term, so a point fixed on the Earth has zero ITRS
    velocity. ``vectors`` and ``t`` broadcast as in :func:`areo.frames.mars.to_iau_mars`.
    """
    v = np.asarray(vectors, dtype=float)
    kw = dict(model=model, dut1_s=dut1_s, xp_arcsec=xp_arcsec, yp_arcsec=yp_arcsec)
    if v.shape[-1:] == (6,):
        m, dm = _matrix_and_rate(t, **kw)
        return apply_state_transform(m, dm, v)
    return apply_rotation(icrf_to_itrs(t, **kw), v)


def from_itrs(
    vectors: Any,
    t: Any,
    *,
    model: str = "iau2006a",
    dut1_s: Any = 0.0,
    xp_arcsec: Any = 0.0,
    yp_arcsec: Any = 0.0,
) -> np.ndarray:
    """ITRS positions ``(..., 3)`` km or states ``(..., 6)`` -> geocentric ICRF."""
    v = np.asarray(vectors, dtype=float)
    kw = dict(model=model, dut1_s=dut1_s, xp_arcsec=xp_arcsec, yp_arcsec=yp_arcsec)
    if v.shape[-1:] == (6,):
        m, dm = _matrix_and_rate(t, **kw)
        return apply_state_transform(np.swapaxes(m, -1, -2), np.swapaxes(dm, -1, -2), v)
    return apply_rotation(itrs_to_icrf(t, **kw), v)


def earth_rotation_angle(t: Any, *, dut1_s: Any = 0.0) -> np.ndarray:
    """Earth rotation angle (IAU 2000, ``erfa.era00``) in radians, [0, 2 pi), UT1 = UTC +
    ``dut1_s``."""
    _, _, ut11, ut12 = _epochs(t, dut1_s)
    return np.asarray(erfa.era00(ut11, ut12))


#: Node spacing (days) of :class:`EarthOrientationTable`: the shortest nutation terms of
#: weight are the 13.66 d (0.23 arcsec) and 9.13 d (0.03 arcsec) ones, so cubic Lagrange
#: interpolation on quarter-day nodes errs by 0.0234 x 0.23" x (2 pi 0.25 / 13.66)^4, about
#: 1 microarcsecond (tests/frames/test_earth.py measures it against erfa at random epochs).
ORIENTATION_NODE_DAYS = 0.25


class EarthOrientationTable:
    """ICRF -> ITRS rotations over a span for many epochs, from tabulated precession-nutation.

    ``M = R3(ERA + s') Q`` (polar motion zero, ``dut1_s`` constant): the celestial-to-
    intermediate matrix ``Q`` (erfa ``c2i00b`` or ``c2i06a``) and the TIO locator ``s'``
    vary over days, so they are evaluated every :data:`ORIENTATION_NODE_DAYS` and
    interpolated (cubic Lagrange, ~1 microarcsecond); the Earth rotation angle is exact
    (``erfa.era00`` of UT1 = UTC + ``dut1_s``, UTC from TT by the leap seconds in force,
    which must stay the same over the span: otherwise, or before 1972 where UTC drifted
    against TAI, each epoch goes through erfa's UTC as in :func:`icrf_to_itrs`). TT from
    TDB through TDB - TT (``erfa.dtdb``) tabulated on the same nodes, within 1e-12 s as
    in :func:`areo.time.scales.tdb_minus_tt_s`. The
    matrices equal :func:`icrf_to_itrs` with the same model within a few microarcseconds,
    at a tenth of its cost (which evaluates the nutation series at every epoch).

    >>> table = EarthOrientationTable(0.0, 86400.0, model="iau2000b")
    >>> table.matrices(np.array([43200.0])).shape
    (1, 3, 3)
    """

    def __init__(self, et_lo: float, et_hi: float, *, model: str = "iau2006a",
                 dut1_s: float = 0.0):
        if not (np.isfinite(et_lo) and np.isfinite(et_hi) and et_hi >= et_lo):
            raise ParameterError("orientation table span must be finite with et_hi >= et_lo")
        self.model = _model(model)
        self.dut1_s = float(_check_dut1(dut1_s))
        h = ORIENTATION_NODE_DAYS
        self.t0, self.t1 = float(et_lo), float(et_hi)
        _, d_lo = scales.et_to_tt(np.array([self.t0, self.t1]))
        self._first = float(d_lo[0]) - 2.0 * h
        n = int(np.ceil((float(d_lo[1]) - self._first) / h)) + 3
        days = self._first + h * np.arange(n)
        if self.model == "iau2006a":
            q, sp = erfa.c2i06a(JD_J2000, days), erfa.sp00(JD_J2000, days)
        else:
            q, sp = erfa.c2i00b(JD_J2000, days), np.zeros(n)
        self._q, self._sp = np.asarray(q), np.asarray(sp)
        self._dtdb = scales.tdb_minus_tt_s(np.full(n, JD_J2000), days)
        # TT - UTC (s) when one value holds over the whole span (no leap second in it).
        edges = np.array([self.t0, self.t1])
        offset = scales.tt_minus_utc_s(edges)
        self._tt_minus_utc = (float(offset[0]) if offset[0] == offset[1]
                              and self.t0 > _UTC_1972_ET else None)

    def matrices(self, t: Any) -> np.ndarray:
        """Rotation matrices ICRF -> ITRS at epochs ``t`` (inside the span): ``t.shape + (3,
        3)``, ``v_itrs = M @ v_icrf``."""
        et = np.asarray(as_et(t), dtype=float)
        if et.size and (et.min() < self.t0 or et.max() > self.t1):
            raise ParameterError(
                f"epochs {et.min():.1f}..{et.max():.1f} s (TDB past J2000) fall outside the "
                f"orientation table's span {self.t0:.1f}..{self.t1:.1f}: build the table over "
                "the span you need"
            )
        # TT from TDB as scales.et_to_tt does (two fixed-point steps), TDB - TT from the nodes.
        tt2 = et / DAY_S
        for _ in range(2):
            x = (tt2 - self._first) / ORIENTATION_NODE_DAYS
            tt2 = (et - scales.cubic_lagrange(self._dtdb, x)) / DAY_S
        x = (tt2 - self._first) / ORIENTATION_NODE_DAYS
        q = scales.cubic_lagrange(self._q, x.ravel()).reshape((*et.shape, 3, 3))
        sp = scales.cubic_lagrange(self._sp, x.ravel()).reshape(et.shape)
        if self._tt_minus_utc is not None:
            ut1 = tt2 + (self.dut1_s - self._tt_minus_utc) / DAY_S
            era = erfa.era00(JD_J2000, ut1)
        else:
            ut11, ut12 = _epochs(et, self.dut1_s)[2:]
            era = erfa.era00(ut11, ut12)
        return erfa.rz(era + sp, q)


def station_from_geodetic_deg(
    lat_deg: float, lon_east_deg: float, height_km: float = 0.0, *, name: str = ""
) -> SurfacePoint:
    """An Earth station from WGS84 geodetic latitude, east longitude (deg) and height (km)."""
    return SurfacePoint.from_planetodetic_deg(
        lat_deg, lon_east_deg, height_km, body=_el.EARTH_WGS84, name=name
    )


def station_from_itrs(xyz_km: Any, *, name: str = "") -> SurfacePoint:
    """An Earth station from ITRF/ITRS Cartesian coordinates in km (divide metres by 1000)."""
    return SurfacePoint.from_cartesian(xyz_km, body=_el.EARTH_WGS84, name=name)


def station_look(
    station: SurfacePoint,
    targets_icrf: Any,
    t: Any,
    *,
    model: str = "iau2006a",
    dut1_s: Any = 0.0,
    xp_arcsec: Any = 0.0,
    yp_arcsec: Any = 0.0,
) -> LookAngles:
    """Azimuth, elevation, range (and range rate) of targets from an Earth station.

    ``targets_icrf``: geocentric ICRF positions ``(..., 3)`` km or states ``(..., 6)``
    (km, km/s), broadcast against epochs ``t``. Azimuth from north through east; "up" is
    the WGS84 normal. Geometric directions: apply light time and aberration beforehand
    for apparent ones.
    """
    if not isinstance(station, SurfacePoint) or station.ellipsoid.name != "earth":
        raise ParameterError(
            "station must be an Earth SurfacePoint: build it with station_from_geodetic_deg "
            "or station_from_itrs"
        )
    itrs = to_itrs(
        targets_icrf, t, model=model, dut1_s=dut1_s, xp_arcsec=xp_arcsec, yp_arcsec=yp_arcsec
    )
    return look_angles(station.position_km, station.enu, itrs)
