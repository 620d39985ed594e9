"""The Time object: time scales against SPICE, input forms, property tests, bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.errors import ParameterError, TimeFormatError
from areo.time import Time

# SPICE's LSK-based TDB uses a one-term Fairhead approximation; erfa's dtdb is the full
# series. They differ by up to ~30 microseconds (measured max over 1972-2100: ~32 us).
TDB_MODEL_TOL_S = 5e-5


def test_utc_to_et_agrees_with_spice(spice):
    rng = np.random.default_rng(1)
    # Random UTC instants 1972-2100 (post-1972 UTC; SPICE and erfa share the leap seconds).
    seconds = rng.uniform(-8.8e8, 3.15e9, 300)
    times = Time.from_et(seconds)
    iso = times.utc_iso(decimals=6)
    spice_et = np.array([spice.str2et(s[:-1]) for s in iso])
    assert np.max(np.abs(Time(iso).et - spice_et)) < TDB_MODEL_TOL_S
    # and back: SPICE's et2utc of areo's et reads the same instant.
    back = [spice.et2utc(float(et), "ISOC", 6) for et in times.et[:40]]
    assert np.max(np.abs(Time(back).et - times.et[:40])) < TDB_MODEL_TOL_S


def test_leap_seconds_match_spice(spice):
    """TT - UTC steps across leap seconds exactly where NAIF's LSK says."""
    for day in ("1998-12-31", "2005-12-31", "2008-12-31", "2012-06-30", "2015-06-30",
                "2016-12-31"):
        before, after = Time(day + "T23:59:59Z"), Time(day + "T23:59:60.5Z")
        nxt = Time.from_et(float(before.et) + 2.5)
        assert float(nxt.tt_minus_utc) - float(before.tt_minus_utc) == pytest.approx(1.0)
        assert after.iso.endswith("23:59:60.500Z")
        spice_gap = spice.str2et(_next_day(day) + "T00:00:00") - spice.str2et(day + "T23:59:59")
        assert spice_gap == pytest.approx(2.0, abs=1e-6)
        assert float(Time(_next_day(day) + "T00:00:00Z").et - before.et) == pytest.approx(
            2.0, abs=1e-6)


def _next_day(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def test_tt_and_jd_against_spice(spice):
    et = np.linspace(-5e8, 2e9, 25)
    t = Time.from_et(et)
    tt_spice = np.array([spice.unitim(float(e), "TDB", "TT") for e in et])
    assert np.max(np.abs(t.tt - tt_spice)) < TDB_MODEL_TOL_S
    jd_spice = np.array([spice.unitim(float(e), "TDB", "JDTDB") for e in et])
    np.testing.assert_allclose(t.jd_tdb, jd_spice, rtol=0, atol=1e-9)


def test_tt_minus_utc_published_values():
    """TT - UTC = 32.184 s + TAI - UTC (IERS Bulletin C): 64.184 s in 2000, 69.184 s since
    2017-01-01."""
    assert float(Time("2000-01-06").tt_minus_utc) == pytest.approx(64.184)
    assert float(Time("2026-11-24").tt_minus_utc) == pytest.approx(69.184)
    assert float(Time("1972-01-01T00:00:01").tt_minus_utc) == pytest.approx(42.184)


def test_input_forms_agree():
    ref = Time("2003-06-02T17:45:00Z")
    forms = [
        "2003-06-02T17:45:00", "2003-06-02 17:45", "2003-06-02T17:45:00.000Z",
        "2003-153T17:45:00", "2003-06-02T19:45:00+02:00", "2003-06-02T17:45:00UTC",
        dt.datetime(2003, 6, 2, 17, 45), dt.datetime(2003, 6, 2, 17, 45, tzinfo=dt.UTC),
        np.datetime64("2003-06-02T17:45:00"), ref, float(ref.et),
    ]
    for form in forms:
        assert float(Time(form).et) == pytest.approx(float(ref.et), abs=1e-6), form
    arr = Time(np.array(["2003-06-02T17:45", "2016-03-14T09:31:42"], dtype="datetime64[s]"))
    assert arr.iso[1] == "2016-03-14T09:31:42.000Z"
    assert Time([dt.date(2020, 7, 30)]).iso[0] == "2020-07-30T00:00:00.000Z"


def test_astropy_round_trip():
    astropy_time = pytest.importorskip("astropy.time")
    at = astropy_time.Time(["2016-10-19T15:24:00", "2021-02-18T20:43:49.5"], scale="utc")
    t = Time(at)
    assert list(t.iso) == ["2016-10-19T15:24:00.000Z", "2021-02-18T20:43:49.500Z"]
    # astropy's own TT (independent scale chain) matches ours
    np.testing.assert_allclose(t.jd_tt, at.tt.jd, rtol=0, atol=1e-10)
    back = t.to_astropy()
    np.testing.assert_allclose((back.utc - at).sec, 0.0, atol=1e-6)


def test_outputs():
    t = Time(["2021-02-18T20:55:00.123456Z", "2016-12-31T23:59:60.25Z"])
    assert t.utc_iso(decimals=6)[0] == "2021-02-18T20:55:00.123456Z"
    d64 = t.to_datetime64()
    assert abs(d64[0] - np.datetime64("2021-02-18T20:55:00.123456000")) < np.timedelta64(200, "ns")
    assert t.to_datetime()[0] == dt.datetime(2021, 2, 18, 20, 55, 0, 123456, tzinfo=dt.UTC)
    assert (t[0] - t[1]) > 0 and (t + 10.0)[0].iso == "2021-02-18T20:55:10.123Z"
    assert repr(t[0]) == "Time('2021-02-18T20:55:00.123Z')"
    assert len(Time.arange("2020-01-01", "2020-01-02", 3600.0)) == 25
    assert Time.linspace("2020-01-01", "2020-01-02", 3).iso[1] == "2020-01-01T12:00:00.000Z"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2021-13-01", "month 13"), ("2021-02-30", "day 30"), ("yesterday", "ISO 8601"),
        ("2021-02-18T25:00", "hour"), ("2021-02-18T12:00:60", "below 60"),
        ("2021-06-30T23:59:60", "leap"), ("2021-400", "day of year"), ("", "ISO 8601"),
    ],
)
def test_bad_time_strings_are_named(text, fragment):
    with pytest.raises(TimeFormatError, match=fragment) as info:
        Time(text)
    assert isinstance(info.value, ValueError)


def test_bad_time_values():
    with pytest.raises(TimeFormatError, match="NaN"):
        Time([0.0, np.nan])
    with pytest.raises(TimeFormatError, match="NaT"):
        Time(np.array(["NaT"], dtype="datetime64[s]"))
    with pytest.raises(TimeFormatError, match="mixes"):
        Time(["2020-01-01", 3.0])
    with pytest.raises(TimeFormatError, match="not supported"):
        Time({"a": 1})
    with pytest.raises(ParameterError, match="positive"):
        Time.arange("2020-01-01", "2020-01-02", 0.0)
    with pytest.raises(ParameterError, match="before start"):
        Time.arange("2020-01-02", "2020-01-01", 60.0)


_instants = st.datetimes(min_value=dt.datetime(1972, 1, 1), max_value=dt.datetime(2199, 12, 31))


@settings(max_examples=200, deadline=None)
@given(_instants)
def test_iso_round_trip(stamp):
    t = Time(stamp)
    again = Time(t.utc_iso(decimals=6))
    assert abs(float(again.et - t.et)) < 2e-6
    # float64 TDB seconds resolve ~0.5 us in 2100: allow 2 us on the datetime round trip.
    assert abs(t.to_datetime() - stamp.replace(tzinfo=dt.UTC)) <= dt.timedelta(microseconds=2)


@settings(max_examples=100, deadline=None)
@given(st.lists(_instants, min_size=2, max_size=30))
def test_monotonic(stamps):
    stamps = sorted(stamps)
    et = Time(stamps).et
    assert np.all(np.diff(et) >= 0)
    gaps_utc = np.diff(np.array(stamps, dtype="datetime64[us]")).astype(float) / 1e6
    # Elapsed TDB = elapsed UTC + inserted leap seconds (0..27), within twice the 1.7 ms
    # amplitude of TDB - TT.
    extra = np.diff(et) - gaps_utc
    assert np.all(extra > -3.4e-3) and np.all(extra < 27.0 + 3.4e-3)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-3e9, max_value=6e9))
def test_et_tt_round_trip(et):
    t = Time.from_et(et)
    assert abs(float(Time.from_jd(t.jd_tt, "tt").et) - et) < 1e-4


def test_from_tt_against_spice(spice):
    # Time.from_tt inverts TT seconds past J2000 as SPICE's UNITIM does (TDB model tolerance).
    tt = np.linspace(-5e8, 2e9, 25)
    et_spice = np.array([spice.unitim(float(x), "TT", "TDB") for x in tt])
    assert np.max(np.abs(Time.from_tt(tt).et - et_spice)) < TDB_MODEL_TOL_S
    assert abs(float(Time.from_tt(float(tt[3])).et) - et_spice[3]) < TDB_MODEL_TOL_S
