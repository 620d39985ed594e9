"""The vectorised :class:`Time`: one object for one epoch or an array of epochs.

Internally a time is TDB seconds past J2000 ("et", as in SPICE), a float64 array of any
shape (a 0-d array for a single epoch). Conversions to and from UTC, TT and calendar forms
go through pyerfa, so leap seconds and TDB - TT follow the IAU SOFA implementation.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from typing import Any

import erfa
import numpy as np

from areo import validate
from areo.constants import DAY_S, JD_J2000, JULIAN_CENTURY_D
from areo.errors import ParameterError, TimeFormatError
from areo.time import scales

__all__ = ["Time", "TimeLike"]

# ISO 8601 UTC: calendar date (YYYY-MM-DD) or ordinal date (YYYY-DDD), optional time with
# optional fractional seconds, optional 'Z' / 'UTC' / +HH:MM offset.
_ISO = re.compile(
    r"""^\s*
    (?P<year>[+-]?\d{4})-(?:(?P<month>\d{2})-(?P<day>\d{2})|(?P<doy>\d{3}))
    (?:[T\s](?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}(?:\.\d*)?))?)?)?
    \s*(?P<zone>Z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)

_ISO_HELP = (
    "use ISO 8601 UTC such as '2021-02-18T20:55:00Z', '2021-02-18 20:55', '2021-02-18' "
    "or the ordinal form '2021-049T20:55:00'"
)


def _parse_iso(text: str) -> tuple[int, int, int, int, int, float]:
    match = _ISO.match(text) if isinstance(text, str) else None
    if match is None:
        raise TimeFormatError(f"time {text!r} is not a UTC time string: {_ISO_HELP}")
    g = match.groupdict()
    year = int(g["year"])
    if g["doy"] is not None:
        doy = int(g["doy"])
        ndays = 366 if calendar.isleap(year) else 365
        if not 1 <= doy <= ndays:
            raise TimeFormatError(
                f"time {text!r}: day of year {doy} is outside 1..{ndays} for {year}"
            )
        date = _dt.date(year, 1, 1) + _dt.timedelta(days=doy - 1)
        month, day = date.month, date.day
    else:
        month, day = int(g["month"]), int(g["day"])
        if not 1 <= month <= 12:
            raise TimeFormatError(f"time {text!r}: month {month} is outside 1..12")
        last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
        if not 1 <= day <= last:
            raise TimeFormatError(
                f"time {text!r}: day {day} is outside 1..{last} for {year}-{month:02d}"
            )
    hour = int(g["hour"] or 0)
    minute = int(g["minute"] or 0)
    second = float(g["second"] or 0.0)
    if hour > 23 or minute > 59:
        raise TimeFormatError(
            f"time {text!r}: hour must be 0..23 and minute 0..59 (got {hour:02d}:{minute:02d})"
        )
    leap_ok = hour == 23 and minute == 59
    if second >= (61.0 if leap_ok else 60.0):
        raise TimeFormatError(
            f"time {text!r}: seconds must be below 60 (below 61 only at 23:59 on a "
            "leap-second day)"
        )
    zone = (g["zone"] or "Z").upper()
    if zone not in ("Z", "UTC"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset_min = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
        if offset_min:
            # Apply the offset on the civil clock; leap seconds do not occur at the shift.
            stamp = _dt.datetime(year, month, day, hour, minute) - sign * _dt.timedelta(
                minutes=offset_min
            )
            year, month, day, hour, minute = (
                stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute
            )
    return year, month, day, hour, minute, second


def _utc_from_fields(iy, im, iday, ihr, imn, sec, originals) -> tuple[np.ndarray, np.ndarray]:
    leap = sec >= 60.0
    if leap.any():
        # erfa only warns for ':60' on an ordinary day; areo refuses it.
        y, m, d = iy[leap], im[leap], iday[leap]
        next_day = np.array(
            [_dt.date(a, b, c) + _dt.timedelta(days=1) for a, b, c in zip(y, m, d, strict=True)]
        )
        ny = np.array([v.year for v in next_day])
        nm = np.array([v.month for v in next_day])
        nd = np.array([v.day for v in next_day])
        dat = scales.erfa_quiet
        step = dat(erfa.dat, ny, nm, nd, 0.0) - dat(erfa.dat, y, m, d, 0.5)
        bad = sec[leap] >= 60.0 + step
        if bad.any():
            text = np.ravel(originals)[leap][bad][0]
            raise TimeFormatError(
                f"time {text!r} has ':60' seconds on a day without a leap second: "
                "':60' exists only at the end of a leap-second day (e.g. 2016-12-31)"
            )
    try:
        return scales.erfa_quiet(erfa.dtf2d, "UTC", iy, im, iday, ihr, imn, sec)
    except erfa.ErfaError as exc:
        bad = list(np.ravel(originals))[:3]
        raise TimeFormatError(
            f"time {bad if len(bad) > 1 else bad[0]!r} is not a valid UTC time ({exc})"
        ) from None


def _et_from_strings(values: np.ndarray) -> np.ndarray:
    flat = values.ravel()
    fields = np.array([_parse_iso(str(v)) for v in flat], dtype=float).reshape(-1, 6)
    if flat.size == 0:
        return np.zeros(values.shape)
    iy, im, iday, ihr, imn = (fields[:, k].astype(np.int32) for k in range(5))
    utc1, utc2 = _utc_from_fields(iy, im, iday, ihr, imn, fields[:, 5], flat)
    return scales.utc_to_et(utc1, utc2).reshape(values.shape)


def _et_from_datetime64(values: np.ndarray) -> np.ndarray:
    ns = values.astype("datetime64[ns]")
    if np.isnat(ns).any():
        raise TimeFormatError("time contains NaT (not-a-time): drop or fill missing epochs")
    days = ns.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    iy = months.astype("datetime64[Y]").astype(np.int64) + 1970
    im = months.astype(np.int64) % 12 + 1
    iday = (days - months).astype(np.int64) + 1
    sec_of_day = (ns - days).astype(np.int64) / 1e9
    ihr = (sec_of_day // 3600).astype(np.int64)
    imn = ((sec_of_day - 3600 * ihr) // 60).astype(np.int64)
    sec = sec_of_day - 3600 * ihr - 60 * imn
    # Calendar fields, not day fractions: erfa stretches leap-second days to 86401 s.
    utc1, utc2 = scales.erfa_quiet(erfa.dtf2d, "UTC", iy, im, iday, ihr, imn, sec)
    return scales.utc_to_et(utc1, utc2)


def _et_from_datetimes(values: Iterable[_dt.datetime]) -> np.ndarray:
    stamps = []
    for v in values:
        if isinstance(v, _dt.datetime):
            if v.tzinfo is not None:
                v = v.astimezone(_dt.UTC).replace(tzinfo=None)
        elif isinstance(v, _dt.date):
            v = _dt.datetime(v.year, v.month, v.day)
        else:
            raise TimeFormatError(
                f"time {v!r} is not a datetime: pass all datetimes, all strings or all numbers"
            )
        stamps.append(np.datetime64(v, "us"))
    return _et_from_datetime64(np.array(stamps, dtype="datetime64[us]"))


def _is_astropy_time(value: Any) -> bool:
    return type(value).__module__.startswith("astropy.time") and hasattr(value, "tdb")


def _to_et(value: Any) -> np.ndarray:
    """Convert any supported time input to TDB seconds past J2000."""
    if isinstance(value, Time):
        return value.et.copy()
    if _is_astropy_time(value):
        tdb = value.tdb
        return np.asarray(((tdb.jd1 - JD_J2000) + tdb.jd2) * DAY_S, dtype=float)
    if isinstance(value, str):
        return _et_from_strings(np.array(value, dtype=object))
    if isinstance(value, _dt.datetime | _dt.date):
        return _et_from_datetimes([value]).reshape(())
    if isinstance(value, np.datetime64):
        return _et_from_datetime64(np.array(value))
    if isinstance(value, list | tuple):
        kinds = {str if isinstance(v, str) else type(v) for v in value}
        if len(kinds) > 1 and str in kinds:
            raise TimeFormatError(
                "time list mixes types: pass all UTC strings, all datetimes, all datetime64 "
                "or all numbers (TDB seconds past J2000)"
            )
    arr = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if arr.dtype.kind == "M":
        return _et_from_datetime64(arr)
    if arr.dtype.kind in "US":
        return _et_from_strings(arr.astype(object))
    if arr.dtype.kind == "O" and arr.ndim > 0:
        flat = arr.ravel()
        if flat.size and all(isinstance(v, str) for v in flat):
            return _et_from_strings(arr)
        if flat.size and all(isinstance(v, _dt.date) for v in flat):
            return _et_from_datetimes(flat).reshape(arr.shape)
        raise TimeFormatError(
            "time array mixes types: pass all UTC strings, all datetimes, all datetime64 "
            "or all numbers (TDB seconds past J2000)"
        )
    if arr.dtype.kind in "iuf":
        et = arr.astype(float)
        if not np.all(np.isfinite(et)):
            raise TimeFormatError(
                "time holds NaN or infinite TDB seconds: drop or fill missing epochs"
            )
        return et
    raise TimeFormatError(
        f"time of type {type(value).__name__} is not supported: pass a UTC ISO string, "
        "datetime, numpy datetime64, astropy Time, areo Time or TDB seconds past J2000"
    )


def _squeeze(arr: np.ndarray) -> Any:
    return arr[()] if arr.ndim == 0 else arr



#: ``utc_iso`` decimals that numpy's datetime64 units format directly.
_ISO_UNITS = {0: "s", 3: "ms", 6: "us", 9: "ns"}


def _ticks_from_fields(iy: Any, im: Any, iday: Any, hmsf: Any, decimals: int) -> np.ndarray:
    """erfa.d2dtf's calendar fields as integer ticks of 10**-decimals s since 1970 (POSIX:
    a leap second reads as the next day's first second)."""
    _, mjd = erfa.cal2jd(iy, im, iday)
    hmsf = np.asarray(hmsf)
    seconds = (
        (np.asarray(mjd, dtype=np.int64) - 40587) * 86400
        + hmsf["h"].astype(np.int64) * 3600
        + hmsf["m"].astype(np.int64) * 60
        + hmsf["s"].astype(np.int64)
    )
    return np.ravel(seconds * 10**decimals + hmsf["f"].astype(np.int64))


class Time:
    """One epoch or an array of epochs.

    Build it from UTC ISO strings (with or without ``Z``), ``datetime`` (naive = UTC),
    numpy ``datetime64`` (UTC), astropy ``Time``, another ``Time`` or numbers, which are
    TDB seconds past J2000 (SPICE's ephemeris time)::

        >>> t = Time("2000-01-06T00:00:00Z")
        >>> round(float(t.jd_tt), 5)
        2451549.50074
        >>> Time(["2021-02-18T20:55Z", "2021-02-19"]).shape
        (2,)
    """

    __slots__ = ("et",)
    __array_priority__ = 100  # so that ``ndarray + Time`` defers to Time

    def __init__(self, value: Any):
        self.et: np.ndarray = np.asarray(_to_et(value), dtype=float)

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def from_et(cls, et: Any) -> Time:
        """From TDB seconds past J2000."""
        obj = cls.__new__(cls)
        obj.et = np.asarray(_to_et(np.asarray(et, dtype=float)), dtype=float)
        return obj

    @classmethod
    def from_tt(cls, tt_s: Any) -> Time:
        """From TT seconds past J2000 (the inverse of :attr:`tt`)."""
        tt_s = np.asarray(tt_s, dtype=float)
        return cls.from_et(scales.tt_to_et(np.full_like(tt_s, JD_J2000), tt_s / DAY_S))

    @classmethod
    def from_utc(cls, utc: Any) -> Time:
        """From UTC ISO strings, datetimes or datetime64."""
        return cls(utc)

    @classmethod
    def from_jd(cls, jd: Any, scale: str = "tt") -> Time:
        """From Julian dates in TT, TDB or UTC (``scale``)."""
        jd = np.asarray(jd, dtype=float)
        scale = scale.lower()
        whole = np.floor(jd - 0.5) + 0.5
        frac = jd - whole
        if scale == "tdb":
            return cls.from_et((whole - JD_J2000 + frac) * DAY_S)
        if scale == "tt":
            return cls.from_et(scales.tt_to_et(whole, frac))
        if scale == "utc":
            return cls.from_et(scales.utc_to_et(whole, frac))
        raise ParameterError(f"scale {scale!r} is not one of 'tt', 'tdb', 'utc'")

    @classmethod
    def now(cls) -> Time:
        """The current UTC time of this computer's clock."""
        return cls(_dt.datetime.now(_dt.UTC))

    @classmethod
    def arange(cls, start: Any, stop: Any, step_s: float) -> Time:
        """Epochs from ``start`` up to and including ``stop`` every ``step_s`` seconds.

        Steps are uniform in TT (SI seconds on the geoid), so hourly steps fall on whole UTC
        hours between leap seconds; TDB differs from TT by under 2 ms, periodically.
        ``stop`` is included when the span is a whole number of steps (to 1 microsecond).
        A step that is not a positive finite number of seconds, or a grid of more than
        :data:`areo.validate.MAX_SAMPLES` epochs, raises :class:`areo.errors.ParameterError`
        before anything is allocated.
        """
        t0, t1 = cls._tt_seconds(start), cls._tt_seconds(stop)
        step_s = float(validate.positive(step_s, "step_s", unit="s",
                                   hint="e.g. 60 for once a minute"))
        if t1 < t0:
            raise ParameterError(
                f"stop {cls(stop).iso} is before start {cls(start).iso}: swap them"
            )
        validate.sample_count(t0, t1, step_s, labels=(cls._label(start), cls._label(stop)))
        n = int(np.floor((t1 - t0) / step_s + 1e-6 / step_s)) + 1
        return cls.from_tt(t0 + step_s * np.arange(n))

    @classmethod
    def linspace(cls, start: Any, stop: Any, num: int) -> Time:
        """``num`` epochs from ``start`` to ``stop`` inclusive, evenly spaced in TT.

        ``num`` is a whole number from 1 to :data:`areo.validate.MAX_SAMPLES`."""
        num_f = float(validate.in_range(num, "num", 1, None, hint="the number of epochs, e.g. 100"))
        if num_f != int(num_f):
            raise ParameterError(f"num = {num!r} is not a whole number: give a count >= 1")
        t0, t1 = cls._tt_seconds(start), cls._tt_seconds(stop)
        if num_f > validate.MAX_SAMPLES:
            raise ParameterError(
                f"from {cls._label(start)} to {cls._label(stop)} in num = {int(num_f):,} "
                f"samples (limit {validate.MAX_SAMPLES:,}, areo.validate.MAX_SAMPLES): use a "
                "smaller num or a shorter span"
            )
        return cls.from_tt(np.linspace(t0, t1, int(num_f)))

    @classmethod
    def _label(cls, value: Any) -> str:
        """An epoch for a message: its UTC ISO form."""
        time = value if isinstance(value, Time) else cls(value)
        return str(time.iso)

    @classmethod
    def _tt_seconds(cls, value: Any) -> float:
        time = value if isinstance(value, Time) else cls(value)
        if not time.is_scalar:
            raise ParameterError("start and stop must be single epochs, not arrays")
        return float(time.tt)


    # -- scales -------------------------------------------------------------------------
    @property
    def tdb(self) -> Any:
        """TDB seconds past J2000 (same as :attr:`et`)."""
        return _squeeze(self.et)

    @property
    def jd_tdb(self) -> Any:
        """Julian date, TDB."""
        return _squeeze(JD_J2000 + self.et / DAY_S)

    @property
    def tt(self) -> Any:
        """TT seconds past J2000."""
        tt1, tt2 = scales.et_to_tt(self.et)
        return _squeeze(((tt1 - JD_J2000) + tt2) * DAY_S)

    @property
    def jd_tt(self) -> Any:
        """Julian date, TT."""
        tt1, tt2 = scales.et_to_tt(self.et)
        return _squeeze(tt1 + tt2)

    @property
    def julian_centuries_tdb(self) -> Any:
        """Julian centuries of TDB since J2000 (the T of the IAU rotation models)."""
        return _squeeze(self.et / (DAY_S * JULIAN_CENTURY_D))

    @property
    def tt_minus_utc(self) -> Any:
        """TT - UTC in seconds (32.184 s plus the leap seconds in force)."""
        return _squeeze(scales.tt_minus_utc_s(self.et))

    def utc_jd(self) -> tuple[np.ndarray, np.ndarray]:
        """UTC as erfa's two-part quasi Julian date."""
        return scales.et_to_utc(self.et)

    # -- calendar output ----------------------------------------------------------------
    def utc_iso(self, decimals: int = 3, suffix: str = "Z") -> Any:
        """UTC ISO 8601 strings such as ``2000-01-06T00:00:00.000Z``."""
        if not 0 <= decimals <= 9:
            raise ParameterError(f"decimals {decimals} must be within 0..9")
        utc1, utc2 = self.utc_jd()
        iy, im, iday, hmsf = scales.erfa_quiet(erfa.d2dtf, "UTC", decimals, utc1, utc2)
        iy, im, iday = np.ravel(iy), np.ravel(im), np.ravel(iday)
        hmsf = np.ravel(hmsf)
        unit = _ISO_UNITS.get(decimals)
        if (unit is not None and iy.size > 16 and np.all((iy >= 1000) & (iy <= 9999))
                and not np.any(hmsf["s"] == 60)):
            # numpy formats the same fields in C (no leap second, four-digit years)
            ticks = _ticks_from_fields(iy, im, iday, hmsf, decimals)
            text = np.datetime_as_string(ticks.astype(f"datetime64[{unit}]"), unit=unit)
            out = np.char.add(text, suffix).astype(object)
            return _squeeze(out.reshape(self.et.shape))
        out = np.empty(iy.size, dtype=object)
        for k in range(iy.size):
            h, m, s, f = hmsf[k]
            frac = f".{int(f):0{decimals}d}" if decimals else ""
            out[k] = f"{iy[k]:04d}-{im[k]:02d}-{iday[k]:02d}T{h:02d}:{m:02d}:{s:02d}{frac}{suffix}"
        return _squeeze(out.reshape(self.et.shape))

    @property
    def iso(self) -> Any:
        """UTC ISO strings with milliseconds and a ``Z``."""
        return self.utc_iso()

    def _utc_ticks(self, decimals: int) -> np.ndarray:
        """UTC as integer ticks of 10**-decimals s since 1970 (POSIX: leap seconds fold)."""
        utc1, utc2 = self.utc_jd()
        iy, im, iday, hmsf = scales.erfa_quiet(erfa.d2dtf, "UTC", decimals, utc1, utc2)
        return _ticks_from_fields(iy, im, iday, hmsf, decimals).reshape(self.et.shape)

    def to_datetime64(self) -> Any:
        """UTC as numpy ``datetime64[ns]`` (a leap second reads as the next day's 00:00:00).

        The float64 TDB seconds inside resolve about 0.1 microsecond at the present epoch.
        """
        return _squeeze(self._utc_ticks(9).astype("datetime64[ns]"))

    def to_datetime(self) -> Any:
        """UTC as timezone-aware ``datetime`` objects, rounded to the microsecond."""
        d64 = self._utc_ticks(6).astype("datetime64[us]")
        out = np.empty(d64.size, dtype=object)
        for k, v in enumerate(d64.ravel()):
            out[k] = v.astype(_dt.datetime).replace(tzinfo=_dt.UTC)
        return _squeeze(out.reshape(self.et.shape))

    def to_astropy(self):
        """An astropy ``Time`` in the TDB scale (needs the ``astropy`` extra)."""
        try:
            from astropy.time import Time as AstropyTime
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_astropy() needs astropy: pip install 'areo[astropy]'") from exc
        return AstropyTime(JD_J2000, self.et / DAY_S, format="jd", scale="tdb")

    # -- container protocol and arithmetic ----------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.et.shape

    @property
    def size(self) -> int:
        return self.et.size

    @property
    def ndim(self) -> int:
        return self.et.ndim

    @property
    def is_scalar(self) -> bool:
        return self.et.ndim == 0

    def __len__(self) -> int:
        if self.et.ndim == 0:
            raise TypeError("a single Time has no len(); check .is_scalar first")
        return len(self.et)

    def __getitem__(self, item: Any) -> Time:
        obj = Time.__new__(Time)
        obj.et = np.asarray(self.et[item])  # already validated: skip the input checks
        return obj

    def __iter__(self) -> Iterator[Time]:
        if self.et.ndim == 0:
            raise TypeError("a single Time is not iterable")
        for v in self.et:
            yield Time.from_et(v)

    def __add__(self, seconds: Any) -> Time:
        if isinstance(seconds, Time):
            return NotImplemented
        return Time.from_et(self.et + _seconds(seconds))

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        if isinstance(other, Time):
            return _squeeze(self.et - other.et)
        return Time.from_et(self.et - _seconds(other))

    def _compare(self, other: Any, op) -> Any:
        other_et = other.et if isinstance(other, Time) else Time(other).et
        return _squeeze(op(self.et, other_et))

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, np.greater_equal)

    def __eq__(self, other: object) -> Any:
        if not isinstance(other, Time):
            return NotImplemented
        return _squeeze(self.et == other.et)

    __hash__ = None  # mutable array inside, like numpy arrays

    def __repr__(self) -> str:
        if self.et.ndim == 0:
            return f"Time('{self.iso}')"
        if self.et.size == 0:
            return f"Time(shape={self.shape})"
        first, last = self.et.ravel()[[0, -1]]
        span = f"{Time.from_et(first).iso} ... {Time.from_et(last).iso}"
        return f"Time(shape={self.shape}, {span})"


def _seconds(value: Any) -> np.ndarray:
    if isinstance(value, _dt.timedelta):
        return np.asarray(value.total_seconds())
    arr = np.asarray(value)
    if arr.dtype.kind == "m":
        return arr.astype("timedelta64[ns]").astype(np.int64) / 1e9
    return arr.astype(float)


TimeLike = Time | str | _dt.datetime | np.datetime64 | np.ndarray | float | Iterable[Any]
