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


#: Node spacing (days) of the interpolated TDB - TT for many epochs. The series' shortest
#: geocentric terms are lunar (weeks) and their amplitudes microseconds, so cubic Lagrange
#: interpolation on quarter-day nodes stays within 5e-13 s of erfa.dtdb (measured over ten
#: years at 2e5 random epochs; tests/time/test_scales.py checks 1e-12 s), far below the
#: 1.2e-7 s resolution of TDB seconds near 2030 held as float64.
DTDB_NODE_DAYS = 0.25
#: erfa.dtdb costs ~8 us per epoch; below this many epochs it is called directly.
_DTDB_DIRECT_MAX = 2048


def tdb_minus_tt_s(tt1: np.ndarray, tt2: np.ndarray) -> np.ndarray:
    """TDB - TT in seconds at the geocentre (erfa.dtdb, Fairhead & Bretagnon 1990).

    For many epochs over a span with fewer quarter-day nodes than epochs, the series is
    evaluated at the nodes and interpolated (cubic Lagrange, error < 1e-12 s)."""
    tt1, tt2 = np.broadcast_arrays(np.asarray(tt1, dtype=float), np.asarray(tt2, dtype=float))
    if tt2.size <= _DTDB_DIRECT_MAX:
        return erfa.dtdb(tt1, tt2, 0.0, 0.0, 0.0, 0.0)
    days = (tt1 - JD_J2000) + tt2
    finite = np.isfinite(days)
    if not finite.all():
        out = np.full(days.shape, np.nan)
        out[finite] = tdb_minus_tt_s(np.full(int(finite.sum()), JD_J2000), days[finite])
        return out
    lo, hi = float(days.min()), float(days.max())
    n_nodes = int(np.ceil((hi - lo) / DTDB_NODE_DAYS)) + 4
    if n_nodes * 2 > days.size:
        return erfa.dtdb(tt1, tt2, 0.0, 0.0, 0.0, 0.0)
    first = lo - DTDB_NODE_DAYS
    nodes = erfa.dtdb(JD_J2000, first + DTDB_NODE_DAYS * np.arange(n_nodes), 0.0, 0.0, 0.0,
                      0.0)
    return cubic_lagrange(nodes, (days - first) / DTDB_NODE_DAYS)


def cubic_lagrange(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Cubic Lagrange interpolation of ``values`` tabulated at uniform nodes 0, 1, 2, ...

    ``values``: shape ``(n, ...)``, n >= 4; ``x``: fractional node indices, each within
    [1, n - 2] (the four nodes around ``x`` are used; outside, the end cubic extrapolates).
    Returns ``x.shape + values.shape[1:]``. The error is the fourth derivative (per node
    step) / 24 times ``|(u + 1) u (u - 1) (u - 2)|`` <= 9/16, ``u`` the fraction past the
    node below.

    >>> cubic_lagrange(np.arange(6.0) ** 3, np.array([2.5]))
    array([15.625])
    """
    values = np.asarray(values, dtype=float)
    x = np.asarray(x, dtype=float)
    i = np.clip(np.floor(x).astype(np.int64), 1, values.shape[0] - 3)
    u = (x - i).reshape(x.shape + (1,) * (values.ndim - 1))
    p0, p1, p2, p3 = values[i - 1], values[i], values[i + 1], values[i + 2]
    # Lagrange cubic through nodes at u = -1, 0, 1, 2
    return (u * (u - 1.0) * (2.0 - u) / 6.0 * p0 + (u + 1.0) * (u - 1.0) * (u - 2.0) / 2.0 * p1
            + (u + 1.0) * u * (2.0 - u) / 2.0 * p2 + (u + 1.0) * u * (u - 1.0) / 6.0 * p3)


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
