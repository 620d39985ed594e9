"""Mars clocks after Allison & McEwen (2000), as on the NASA GISS Mars24 algorithm page.

Source: "Mars24 Sunclock - Algorithm and Worked Examples",
https://www.giss.nasa.gov/tools/mars24/help/algorithm.html (constants of the 2015 update);
Allison & McEwen 2000, Planet. Space Sci. 48, 215-235, doi:10.1016/S0032-0633(99)00092-6;
Allison 1997, GRL 24, 1967-1970. Step labels (A-1 ... D-2) follow the page.

The Mars24 formulas use west longitude; this module takes and returns **east** longitudes
(planetocentric, east-positive, as the rest of areo) and converts inside. All functions are
vectorised over the epochs of a :class:`~areo.time.Time`, and broadcast against an array of
longitudes.

Mars Year numbering follows Clancy et al. (2000): Mars Year 1 began at Ls = 0 on 1955-04-11.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.constants import JD_J2000, MARS_TROPICAL_YEAR_D, SOL_MARS24_D  # Mars24 C-2
from areo.errors import CoordinateRangeError
from areo.time.core import Time, TimeLike, _squeeze

__all__ = [
    "MARS_YEAR_SOLS",
    "MarsTime",
    "coordinated_mars_time",
    "equation_of_time",
    "heliocentric_distance",
    "local_mean_solar_time",
    "local_true_solar_time",
    "mars_sol_date",
    "mars_time",
    "mars_year",
    "solar_declination",
    "solar_longitude",
    "subsolar_longitude",
    "time_of_msd",
]

#: Mean tropical Mars year in sols: 686.9726 d / 1.0274912517 d (Allison & McEwen 2000).
MARS_YEAR_SOLS = MARS_TROPICAL_YEAR_D / SOL_MARS24_D

# B-3: perturbers (amplitude deg, period in Julian years, phase deg).
_PBS_A = np.array([0.0071, 0.0057, 0.0039, 0.0037, 0.0021, 0.0020, 0.0018])
_PBS_TAU = np.array([2.2353, 2.7543, 1.1177, 15.7866, 2.1354, 2.4694, 32.8493])
_PBS_PHI = np.array([49.409, 168.173, 191.837, 21.736, 15.704, 95.528, 49.095])

#: MSD at Ls = 0 of Mars Year 1 (1955-04-11T10 UTC by this module's own Ls; Clancy et al. 2000);
#: the year count rounds, so any value within a few sols of the true start works.
_MSD_MY1_START = 28892.62


def _tt_parts(time: Time) -> tuple[np.ndarray, np.ndarray]:
    from areo.time import scales

    return scales.et_to_tt(time.et)


def _dt_j2000(t: TimeLike) -> np.ndarray:
    """A-6: days of TT since J2000, kept in one part for precision."""
    time = t if isinstance(t, Time) else Time(t)
    tt1, tt2 = _tt_parts(time)
    return (tt1 - JD_J2000) + tt2


def _orbit_terms(dt: np.ndarray) -> dict[str, np.ndarray]:
    """B-1 .. B-5 in degrees: M, alpha_FMS, PBS, nu - M, Ls."""
    m = 19.3871 + 0.52402073 * dt
    alpha_fms = 270.3871 + 0.524038496 * dt
    pbs = np.sum(
        _PBS_A * np.cos(np.radians(0.985626 * dt[..., None] / _PBS_TAU + _PBS_PHI)), axis=-1
    )
    mr = np.radians(m)
    nu_m = (
        (10.691 + 3.0e-7 * dt) * np.sin(mr)
        + 0.623 * np.sin(2 * mr)
        + 0.050 * np.sin(3 * mr)
        + 0.005 * np.sin(4 * mr)
        + 0.0005 * np.sin(5 * mr)
        + pbs
    )
    ls = np.mod(alpha_fms + nu_m, 360.0)
    return {"M": m, "alpha_fms": alpha_fms, "pbs": pbs, "nu_m": nu_m, "ls": ls}


def _eot_deg(ls: np.ndarray, nu_m: np.ndarray) -> np.ndarray:
    """C-1: equation of time in degrees (true minus mean solar time)."""
    lr = np.radians(ls)
    return 2.861 * np.sin(2 * lr) - 0.071 * np.sin(4 * lr) + 0.002 * np.sin(6 * lr) - nu_m


def _helio_au(m_deg: np.ndarray) -> np.ndarray:
    """D-2: heliocentric distance in AU from the mean anomaly."""
    mr = np.radians(m_deg)
    return 1.52367934 * (
        1.00436
        - 0.09309 * np.cos(mr)
        - 0.004336 * np.cos(2 * mr)
        - 0.00031 * np.cos(3 * mr)
        - 0.00003 * np.cos(4 * mr)
    )


def _declination_deg(ls_deg: np.ndarray) -> np.ndarray:
    """D-1: planetographic solar declination."""
    lr = np.radians(ls_deg)
    return np.degrees(np.arcsin(0.42565 * np.sin(lr))) + 0.25 * np.sin(lr)


def _subsolar_east_deg(mtc_hours: np.ndarray, eot_deg: np.ndarray) -> np.ndarray:
    """C-5, converted from west to east longitude."""
    return np.mod(-(mtc_hours * 15.0 + eot_deg + 180.0), 360.0)


def _msd(dt: np.ndarray) -> np.ndarray:
    """C-2: Mars Sol Date."""
    return (dt + (JD_J2000 - 2451549.5)) / SOL_MARS24_D + 44796.0 - 0.0009626


def _check_lon(lon_east_deg: Any) -> np.ndarray:
    lon = np.asarray(lon_east_deg, dtype=float)
    if not np.all(np.isfinite(lon)):
        raise CoordinateRangeError(
            "longitude must be a finite number of degrees east (any value; it is taken mod 360)"
        )
    return lon


def mars_sol_date(t: TimeLike) -> Any:
    """Mars Sol Date (MSD), days of Mars mean solar time since 1873-12-29 (C-2)."""
    return _squeeze(_msd(_dt_j2000(t)))


def coordinated_mars_time(t: TimeLike) -> Any:
    """Coordinated Mars Time (MTC): mean solar time at the prime meridian, hours (C-2)."""
    return _squeeze(24.0 * np.mod(_msd(_dt_j2000(t)), 1.0))


def solar_longitude(t: TimeLike) -> Any:
    """Areocentric solar longitude Ls in degrees, [0, 360) (B-5)."""
    return _squeeze(_orbit_terms(_dt_j2000(t))["ls"])


def equation_of_time(t: TimeLike) -> Any:
    """Equation of time in degrees (true minus mean solar time; x 24/360 for hours) (C-1)."""
    terms = _orbit_terms(_dt_j2000(t))
    return _squeeze(_eot_deg(terms["ls"], terms["nu_m"]))


def local_mean_solar_time(t: TimeLike, lon_east_deg: Any) -> Any:
    """Local mean solar time in hours at an east longitude (C-3)."""
    lon = _check_lon(lon_east_deg)
    mtc = 24.0 * np.mod(_msd(_dt_j2000(t)), 1.0)
    return _squeeze(np.mod(mtc + lon / 15.0, 24.0))


def local_true_solar_time(t: TimeLike, lon_east_deg: Any) -> Any:
    """Local true solar time in hours at an east longitude (C-4)."""
    lon = _check_lon(lon_east_deg)
    dt = _dt_j2000(t)
    terms = _orbit_terms(dt)
    mtc = 24.0 * np.mod(_msd(dt), 1.0)
    return _squeeze(np.mod(mtc + lon / 15.0 + _eot_deg(terms["ls"], terms["nu_m"]) / 15.0, 24.0))


def subsolar_longitude(t: TimeLike) -> Any:
    """Planetocentric east longitude of the subsolar point in degrees, [0, 360) (C-5)."""
    dt = _dt_j2000(t)
    terms = _orbit_terms(dt)
    mtc = 24.0 * np.mod(_msd(dt), 1.0)
    return _squeeze(_subsolar_east_deg(mtc, _eot_deg(terms["ls"], terms["nu_m"])))


def solar_declination(t: TimeLike) -> Any:
    """Planetographic solar declination in degrees (D-1)."""
    return _squeeze(_declination_deg(_orbit_terms(_dt_j2000(t))["ls"]))


def heliocentric_distance(t: TimeLike) -> Any:
    """Mars heliocentric distance in AU (D-2)."""
    return _squeeze(_helio_au(_orbit_terms(_dt_j2000(t))["M"]))


def _mars_year(msd: np.ndarray, ls: np.ndarray) -> np.ndarray:
    # Mean years elapsed since MY 1 minus the fraction of the current year from Ls is an
    # integer to within the eccentricity's ~0.1 yr: rounding counts whole years exactly.
    whole = np.round((msd - _MSD_MY1_START) / MARS_YEAR_SOLS - ls / 360.0)
    return whole.astype(np.int64) + 1


def mars_year(t: TimeLike) -> Any:
    """Mars Year number (Clancy et al. 2000: MY 1 began at Ls 0 on 1955-04-11)."""
    dt = _dt_j2000(t)
    return _squeeze(_mars_year(_msd(dt), _orbit_terms(dt)["ls"]))


@dataclass(frozen=True)
class MarsTime:
    """Mars clocks at a set of epochs and one east longitude (arrays or scalars).

    Attributes mirror the CLI's ``areo time --json`` keys.
    """

    time: Time
    lon_east_deg: Any
    jd_tt: Any
    tt_minus_utc_s: Any
    msd: Any
    mtc_hours: Any
    ls_deg: Any
    eot_deg: Any
    lmst_hours: Any
    ltst_hours: Any
    subsolar_lon_east_deg: Any
    solar_dec_deg: Any
    helio_dist_au: Any
    mars_year: Any

    _FIELDS = (
        "jd_tt", "tt_minus_utc_s", "msd", "mtc_hours", "ls_deg", "eot_deg", "lmst_hours",
        "ltst_hours", "subsolar_lon_east_deg", "solar_dec_deg", "helio_dist_au", "mars_year",
    )

    def to_dict(self) -> dict[str, Any]:
        """Plain Python values (lists for arrays), keyed as the CLI's JSON."""
        out: dict[str, Any] = {"utc": _plain(self.time.iso)}
        out["lon_east_deg"] = _plain(self.lon_east_deg)
        for name in self._FIELDS:
            out[name] = _plain(getattr(self, name))
        return out

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as strict JSON (every value is finite: no cleaning needed, and
        ``areo.time`` sits below :mod:`areo.io.records`)."""
        kwargs.setdefault("allow_nan", False)
        return json.dumps(self.to_dict(), **kwargs)

    def to_frame(self):
        """A pandas DataFrame, one row per epoch: ``utc`` (``datetime64[ns, UTC]``), then
        the keys of :meth:`to_dict`."""
        import pandas as pd

        n = max(self.time.size, np.size(self.lon_east_deg))
        utc = pd.DatetimeIndex(np.atleast_1d(self.time.to_datetime64()).ravel())
        cols = {"utc": np.broadcast_to(utc.tz_localize("UTC"), (n,))}
        cols["lon_east_deg"] = np.broadcast_to(self.lon_east_deg, (n,))
        for name in self._FIELDS:
            cols[name] = np.broadcast_to(np.asarray(getattr(self, name)), (n,))
        return pd.DataFrame(cols)

    @staticmethod
    def hms(hours: float) -> str:
        """Format hours as HH:MM:SS (rounded to the second)."""
        total = round(float(hours) * 3600.0) % 86400
        return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"

    def __repr__(self) -> str:
        if self.time.is_scalar and np.ndim(self.lon_east_deg) == 0:
            return (
                f"MarsTime: {self.time.iso}, MY {self.mars_year}, Ls {self.ls_deg:.2f} deg, "
                f"MSD {self.msd:.5f}, MTC {self.hms(self.mtc_hours)}, "
                f"LMST {self.hms(self.lmst_hours)} / LTST {self.hms(self.ltst_hours)} "
                f"at {float(self.lon_east_deg):.4f} E"
            )
        n = max(self.time.size, int(np.size(self.lon_east_deg)))
        et = np.ravel(self.time.et)
        first, last = (str(x)[:16] for x in Time.from_et([et.min(), et.max()]).iso)
        return f"MarsTime: {n} epochs, {first} to {last} (.to_frame() for the table)"


def _plain(value: Any) -> Any:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return arr.item()
    return arr.tolist()


def mars_time(t: TimeLike, lon_east_deg: Any = 0.0) -> MarsTime:
    """All Mars24 clocks at once for epochs ``t`` and an east longitude.

    Example:
        >>> mt = mars_time("2000-01-06T00:00:00Z", 0.0)     # Mars24 worked example A
        >>> round(float(mt.ls_deg), 5), round(float(mt.ltst_hours), 5)
        (277.18759, 23.6484)
    """
    time = t if isinstance(t, Time) else Time(t)
    lon = _check_lon(lon_east_deg)
    dt = _dt_j2000(time)
    terms = _orbit_terms(dt)
    msd = _msd(dt)
    mtc = 24.0 * np.mod(msd, 1.0)
    eot = _eot_deg(terms["ls"], terms["nu_m"])
    lmst = np.mod(mtc + lon / 15.0, 24.0)
    ltst = np.mod(lmst + eot / 15.0, 24.0)
    return MarsTime(
        time=time,
        lon_east_deg=_squeeze(lon),
        jd_tt=_squeeze(JD_J2000 + dt),
        tt_minus_utc_s=time.tt_minus_utc,
        msd=_squeeze(msd),
        mtc_hours=_squeeze(mtc),
        ls_deg=_squeeze(terms["ls"]),
        eot_deg=_squeeze(eot),
        lmst_hours=_squeeze(lmst),
        ltst_hours=_squeeze(ltst),
        subsolar_lon_east_deg=_squeeze(_subsolar_east_deg(mtc, eot)),
        solar_dec_deg=_squeeze(_declination_deg(terms["ls"])),
        helio_dist_au=_squeeze(_helio_au(terms["M"])),
        mars_year=_squeeze(_mars_year(msd, terms["ls"])),
    )


def time_of_msd(msd: Any) -> Time:
    """The epoch of a Mars Sol Date (inverse of :func:`mars_sol_date`)."""
    from areo.time import scales

    dt_days = (np.asarray(msd, dtype=float) - 44796.0 + 0.0009626) * SOL_MARS24_D + (
        2451549.5 - JD_J2000
    )
    return Time.from_et(scales.tt_to_et(np.full_like(dt_days, JD_J2000), dt_days))
