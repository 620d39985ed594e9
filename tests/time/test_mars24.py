"""Mars clocks against published worked examples and independent computations."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import CoordinateRangeError
from areo.time import (
    MissionClock,
    Time,
    coordinated_mars_time,
    equation_of_time,
    heliocentric_distance,
    local_mean_solar_time,
    local_true_solar_time,
    mars_sol_date,
    mars_time,
    mars_year,
    solar_declination,
    solar_longitude,
    subsolar_longitude,
    time_of_msd,
)
from areo.time.mars import _orbit_terms


def test_mars24_worked_example_a():
    """NASA GISS Mars24 'Algorithm and Worked Examples', example A (2015 constants).

    https://www.giss.nasa.gov/tools/mars24/help/algorithm.html: 2000-01-06 00:00:00 UTC,
    TT - UTC = 64.184 s. The page prints 5 decimals; we check to the last printed digit.
    """
    t = Time("2000-01-06T00:00:00Z")
    assert float(t.tt_minus_utc) == pytest.approx(64.184, abs=1e-9)
    mt = mars_time(t, lon_east_deg=0.0)
    assert mt.jd_tt == pytest.approx(2451549.50074, abs=6e-6)
    terms = _orbit_terms(np.asarray(t.jd_tt - 2451545.0))
    assert terms["M"] == pytest.approx(21.74558, abs=6e-6)
    assert terms["alpha_fms"] == pytest.approx(272.74566, abs=6e-6)
    assert terms["pbs"] == pytest.approx(0.00142, abs=6e-6)
    assert terms["nu_m"] == pytest.approx(4.44193, abs=6e-6)
    assert mt.ls_deg == pytest.approx(277.18759, abs=6e-6)
    assert mt.eot_deg == pytest.approx(-5.18774, abs=1e-5)
    assert mt.msd == pytest.approx(44795.99976, abs=6e-6)
    assert mt.mtc_hours == pytest.approx(23.99425, abs=6e-6)
    assert mt.hms(mt.mtc_hours) == "23:59:39"
    assert mt.lmst_hours == pytest.approx(23.99425, abs=6e-6)
    assert mt.ltst_hours == pytest.approx(23.64840, abs=6e-6)
    assert mt.hms(mt.ltst_hours) == "23:38:54"
    # C-5 printed as a west longitude, 174.72600 W = 185.27400 E.
    assert mt.subsolar_lon_east_deg == pytest.approx(360.0 - 174.72600, abs=1e-5)
    # The single-quantity functions give the same numbers as the bundle.
    assert float(mars_sol_date(t)) == mt.msd
    assert float(solar_longitude(t)) == mt.ls_deg
    assert float(equation_of_time(t)) == mt.eot_deg
    assert float(coordinated_mars_time(t)) == mt.mtc_hours
    assert float(local_mean_solar_time(t, 0.0)) == mt.lmst_hours
    assert float(local_true_solar_time(t, 0.0)) == mt.ltst_hours
    assert float(subsolar_longitude(t)) == mt.subsolar_lon_east_deg
    assert float(solar_declination(t)) == mt.solar_dec_deg
    assert float(heliocentric_distance(t)) == mt.helio_dist_au


def test_ls_agrees_with_spice_lspcn_on_de440(spice):
    """Mars24's analytic Ls against SPICE's lspcn on DE440 and the IAU 2015 pole.

    Allison & McEwen (2000) fit Ls to ~0.01 deg; the measured worst case over 1975-2075 here
    is 0.012 deg.
    """
    t = Time.linspace("1975-01-01", "2075-01-01", 400)
    ours = np.asarray(solar_longitude(t))
    theirs = np.degrees([spice.lspcn("MARS", float(et), "NONE") for et in t.et])
    diff = (ours - theirs + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(diff)) < 0.015


def test_subsolar_point_agrees_with_spice(spice):
    """Subsolar longitude and latitude against SPICE geometry (DE440 + IAU 2015).

    Geometric ('NONE'): the Sun overhead at the instant, as Mars24 defines it. Measured here:
    0.007 deg in longitude, 0.02 deg in planetographic latitude (the analytic fit's accuracy).
    """
    t = Time.linspace("2020-01-01", "2024-01-01", 60)
    lon = np.asarray(subsolar_longitude(t))
    dec = np.asarray(solar_declination(t))
    for k, et in enumerate(t.et):
        spoint, _, _ = spice.subpnt("INTERCEPT/ELLIPSOID", "MARS", float(et), "IAU_MARS",
                                    "NONE", "SUN")
        _, sp_lon, _ = spice.reclat(spoint)
        n = spice.surfnm(3396.19, 3396.19, 3376.20, spoint)
        sp_lat_graphic = np.degrees(np.arcsin(n[2]))
        dlon = (lon[k] - np.degrees(sp_lon) + 180.0) % 360.0 - 180.0
        assert abs(dlon) < 0.02
        assert abs(dec[k] - sp_lat_graphic) < 0.03


def test_perseverance_earth_received_landing():
    """mars-facts.md section 3 check: 2021-02-18T20:55:00 UTC (TT-UTC 69.184 s) gives
    MSD 52304.4545 and MTC 10:54:31 with the Mars24 formulas (computed by hand there)."""
    mt = mars_time("2021-02-18T20:55:00Z")
    assert mt.tt_minus_utc_s == pytest.approx(69.184)
    assert mt.msd == pytest.approx(52304.4545, abs=1e-4)
    assert mt.hms(mt.mtc_hours) == "10:54:31"


@pytest.mark.parametrize(
    ("date", "year"),
    [("1955-04-11", 1), ("1991-01-04", 20), ("2009-10-26", 30), ("2028-08-17", 40)],
)
def test_mars_year_starts(date, year):
    """Clancy et al. (2000) numbering: Ls = 0 dates of MY 1, 20, 30, 40 (to about +-1 day,
    as listed in Piqueux et al. 2015)."""
    day = 86400.0
    t = Time(date + "T12:00:00Z")
    assert int(mars_year(t - 1.5 * day)) == year - 1
    assert int(mars_year(t + 1.5 * day)) == year
    ls_before = float(solar_longitude(t - 1.5 * day))
    ls_after = float(solar_longitude(t + 1.5 * day))
    assert ls_before > 358.0 and ls_after < 2.0


def test_msl_mission_clock_sol0():
    """MSL convention (Mars24 author, quoted in 'Template:Curiosity Mission Timer'): sol 0
    began at UT 2012-08-05 13:50:00, local mean midnight at the planned 137.42 E; 1-2 s is
    'as good as Mars24'. Measured: 2.1 s early."""
    clock = MissionClock.from_landing("2012-08-06T05:14:39Z", 137.42, name="MSL")
    assert abs(clock.sol0_midnight - Time("2012-08-05T13:50:00Z")) < 2.5
    assert int(clock.sol("2012-08-06T05:14:39Z")) == 0
    assert int(clock.sol("2012-08-05T13:49:50Z")) == -1
    # One NASA LMST sol (88775.244 s) later is sol 1 midnight.
    assert float(clock.lmst_hours(clock.sol0_midnight + 88775.244 + 1.0)) < 1.0 / 3600.0 + 1e-6
    assert int(clock.sol(clock.sol0_midnight + 88775.244 + 1.0)) == 1


def test_mission_clock_tracks_mars24_lmst():
    """Over a 218-sol ExoMars mission the linear LMST clock with the ESA sol length stays on
    Mars24's LMST at the landing longitude (both are mean solar time): < 1 s of drift."""
    lon = 335.368
    clock = MissionClock.from_landing("2030-11-10T12:00:00Z", lon, sol_s=88775.244147)
    t = clock.time_of(np.arange(0, 219), 13.5)
    mars24 = np.asarray(local_mean_solar_time(t, lon))
    assert np.max(np.abs(mars24 - 13.5)) * 3600.0 < 1.0
    np.testing.assert_array_equal(clock.sol(t), np.arange(0, 219))
    assert clock.label(t[5]) == "Sol 0005 13:30:00"


def test_time_of_msd_inverts_msd():
    t = Time.linspace("1960-01-01", "2060-01-01", 50)
    back = time_of_msd(mars_sol_date(t))
    assert np.max(np.abs(back.et - t.et)) < 1e-4


def test_physical_invariants_over_a_mars_year():
    """Ls rises through 360 deg in one tropical Mars year (686.97 d); Mars24's distance
    stays within Mars's perihelion/aphelion (1.381-1.666 AU, NSSDC); the equation of time
    peaks near -51 Mars minutes (Allison 1997: 12.8 deg, 4 Mars minutes per degree)."""
    t = Time.arange("2022-01-01", "2023-11-20", 3600.0)
    ls = np.unwrap(np.radians(np.asarray(solar_longitude(t))))
    assert np.all(np.diff(ls) > 0)
    year = Time("2022-01-01") + 686.9726 * 86400.0
    assert float(solar_longitude(year)) == pytest.approx(float(solar_longitude("2022-01-01")),
                                                         abs=0.05)
    r = np.asarray(heliocentric_distance(t))
    assert 1.38 < r.min() < 1.39 and 1.66 < r.max() < 1.67
    eot = np.asarray(equation_of_time(t))
    assert -13.0 < eot.min() < -12.5 and 9.5 < eot.max() < 10.5


def test_bad_longitude_is_named():
    with pytest.raises(CoordinateRangeError, match="longitude"):
        local_mean_solar_time("2020-01-01", float("nan"))


def test_vectorised_over_epochs_and_longitudes():
    t = Time(["2020-01-01", "2021-01-01", "2022-01-01"])
    lmst = local_mean_solar_time(t, np.array([0.0, 90.0, 180.0]))
    for k in range(3):
        assert lmst[k] == float(local_mean_solar_time(t[k], [0.0, 90.0, 180.0][k]))
    frame = mars_time(t, 77.4508).to_frame()
    assert list(frame.columns[:2]) == ["utc", "lon_east_deg"] and len(frame) == 3
