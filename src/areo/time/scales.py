"""Time scales: UTC, TAI, TT and TDB as two-part Julian dates, through pyerfa.

Leap seconds come from erfa's built-in table (``erfa.dat``); TDB - TT from erfa's
Fairhead & Bretagnon series (``erfa.dtdb``) at the geocentre. UTC dates beyond the last
tabulated leap second are taken with the last known TAI - UTC (as SPICE and astropy do);
UTC before 1960-01-01 is not defined and is taken as TAI - 0 s there, as erfa does.
"""

from __future__ import annotations

import warnings

import erfa
import numpy as np

from areo.constants import DAY_S, JD_J2000, TT_MINUS_TAI_S

_TT_MINUS_TAI_D = TT_MINUS_TAI_S / DAY_S


def erfa_quiet(func, *args):
    """Call an erfa function, silencing its 'dubious year' warning.

    erfa warns for UTC years past its leap-second table (and before 1960); areo documents
    that it extends the last known offset, so the warning carries no information.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        return func(*args)


def utc_to_tt(utc1: np.ndarray, utc2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTC two-part quasi Julian date -> TT two-part Julian date."""
    tai1, tai2 = erfa_quiet(erfa.utctai, utc1, utc2)
    return tai1, tai2 + _TT_MINUS_TAI_D


def tt_to_utc(tt1: np.ndarray, tt2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TT two-part Julian date -> UTC two-part quasi Julian date."""
    return erfa_quiet(erfa.taiutc, tt1, tt2 - _TT_MINUS_TAI_D)


def tdb_minus_tt_s(tt1: np.ndarray, tt2: np.ndarray) -> np.ndarray:
    """TDB - TT in seconds at the geocentre (erfa.dtdb, Fairhead & Bretagnon 1990)."""
    return erfa.dtdb(tt1, tt2, 0.0, 0.0, 0.0, 0.0)


def tt_to_et(tt1: np.ndarray, tt2: np.ndarray) -> np.ndarray:
    """TT two-part Julian date -> TDB seconds past J2000 (SPICE 'ephemeris time')."""
    tt_s = ((tt1 - JD_J2000) + tt2) * DAY_S
    return tt_s + tdb_minus_tt_s(tt1, tt2)


def et_to_tt(et: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TDB seconds past J2000 -> TT two-part Julian date (JD_J2000, days past J2000).

    TDB - TT is below 2 ms and changes by under 1e-9 s per second, so two fixed-point
    steps converge to far below a nanosecond.
    """
    et = np.asarray(et, dtype=float)
    tt_s = et.copy()
    for _ in range(2):
        tt_s = et - tdb_minus_tt_s(JD_J2000, tt_s / DAY_S)
    return np.full_like(tt_s, JD_J2000), tt_s / DAY_S


def utc_to_et(utc1: np.ndarray, utc2: np.ndarray) -> np.ndarray:
    """UTC two-part quasi Julian date -> TDB seconds past J2000."""
    return tt_to_et(*utc_to_tt(utc1, utc2))


def et_to_utc(et: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TDB seconds past J2000 -> UTC two-part quasi Julian date."""
    return tt_to_utc(*et_to_tt(et))


def tt_minus_utc_s(et: np.ndarray) -> np.ndarray:
    """TT - UTC in seconds (32.184 s + leap seconds) at each epoch."""
    utc1, utc2 = et_to_utc(et)
    tai_minus_utc = erfa_quiet(erfa.dat, *_calendar_of(utc1, utc2))
    return np.asarray(tai_minus_utc) + TT_MINUS_TAI_S


def _calendar_of(utc1, utc2):
    iy, im, iday, frac = erfa_quiet(erfa.jd2cal, utc1, utc2)
    return iy, im, iday, frac
