"""Tests of areo.surface.environment against Appelbaum & Flood's published tables and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from areo.catalog import site
from areo.errors import AreoInputError, CoordinateRangeError, ParameterError
from areo.surface import (
    Cleaning,
    ConstantTau,
    DustModel,
    DustStormTau,
    SeasonalTau,
    daily_insolation,
    daily_insolation_at,
    irradiance_at,
    net_flux_function,
    solar_zenith_ls,
    surface_irradiance,
    tilted_irradiance,
    toa_irradiance,
    toa_irradiance_ls,
)
from areo.time import Time, solar_longitude

VL1_LAT = 22.3  # Viking Lander 1, deg N (Appelbaum & Flood 1990)


# --------------------------------------------------------------- top of atmosphere
def test_toa_de440_agrees_with_af_formula_over_a_mars_year():
    # One Mars year sampled every ~20 days; A&F's eccentric-orbit formula (mean 590 W/m^2)
    # against S0 / r^2 with r from DE440 and S0 = 1361 W/m^2: the two differ by the
    # solar constant they assume and the fixed perihelion Ls; a few % at most.
    t = Time(np.linspace(Time("2020-01-01T00:00:00").et, Time("2021-11-20T00:00:00").et, 35))
    de = toa_irradiance(t)
    af = toa_irradiance_ls(solar_longitude(t))
    assert np.max(np.abs(de / af - 1.0)) < 0.02
    assert 485.0 < de.min() < 495.0 and 708.0 < de.max() < 718.0  # aphelion 1.666, peri 1.381 AU


def test_af_formula_extremes():
    # A&F 1990: 718 W/m^2 at perihelion (Ls 248), ~493 at aphelion (Ls 68).
    assert toa_irradiance_ls(248.0) == pytest.approx(717.6, abs=0.5)
    assert toa_irradiance_ls(68.0) == pytest.approx(493.8, abs=0.5)
    ls = np.linspace(0, 360, 721)
    g = toa_irradiance_ls(ls)
    assert np.all((g >= 492.0) & (g <= 718.0))


# --------------------------------------------------------------- net flux function
def test_net_flux_function_reproduces_published_table_points():
    # NASA TM-103623 Table III (al 0.1) and Table IV (al 0.4), spot values.
    assert net_flux_function(0.0, 0.1) == pytest.approx(0.883)
    assert net_flux_function(85.0, 0.1) == pytest.approx(0.640)
    assert net_flux_function(45.0, 1.0) == pytest.approx(0.649)
    assert net_flux_function(60.0, 3.0) == pytest.approx(0.273)
    assert net_flux_function(0.0, 6.0) == pytest.approx(0.229)
    assert net_flux_function(0.0, 0.1, 0.4) == pytest.approx(0.596)
    assert net_flux_function(80.0, 5.0, 0.4) == pytest.approx(0.078)


def test_net_flux_function_monotone_and_positive_beyond_table():
    z = np.linspace(0, 89, 90)[:, None]
    tau = np.linspace(0.0, 12.0, 121)[None, :]
    f = net_flux_function(z, tau)
    assert np.all(f > 0.0)
    assert np.all(np.diff(f, axis=1) <= 1e-12)  # more dust, less net flux
    assert np.all(np.diff(f, axis=0) <= 1e-12)  # lower Sun, less net flux


# --------------------------------------------------------------- oracles: Viking Lander 1
@pytest.mark.parametrize(
    ("ls", "tau", "h_expected"),
    [
        # NASA TM-102299 (1989) Table IV, VL1 daily global insolation on a horizontal
        # surface, Wh/m^2 (Mars hours), albedo 0.1, with the opacity given in the table.
        (69.0, 0.65, 3340.0),
        (120.0, 0.40, 3860.0),
        (153.0, 0.50, 3882.0),
        (249.0, 1.40, 1900.0),
        (299.0, 3.25, 1024.0),
    ],
)
def test_vl1_daily_global_insolation_table_iv(ls, tau, h_expected):
    h = float(daily_insolation(VL1_LAT, ls, tau, hour="mars").global_)
    # reproduced to <= 0.7 % for tau <= 1.4, 2.2 % at tau 3.25 (f fit error grows with tau)
    assert h == pytest.approx(h_expected, rel=0.025)


# NASA TM-103623 (Update 1990) Table V, VL1 (22.3 N, albedo 0.1): daily beam, diffuse and
# global insolation on a horizontal surface, Wh/m^2 per sol, with the opacity the Update uses
# for each Ls: its Fig. 3 (VL1), which it discretises to steps of 0.05 (read off the figure;
# transcription as in G. Labreche's test data for Appelbaum's tables; tau 0.40 at Ls 120 is
# also TM-102299 Table IV's). tau is an input here, never fitted.
_TABLE_V_VL1 = [
    # Ls, tau, H_bh, H_dh, H_h
    (0.0, 0.65, 1599.19, 1636.66, 3235.55),
    (40.0, 0.50, 2110.70, 1445.85, 3556.55),
    (120.0, 0.40, 2621.38, 1375.47, 3996.85),
    (140.0, 0.35, 2875.66, 1305.02, 4180.68),
    (200.0, 1.00, 1000.00, 2063.58, 3063.58),
    (270.0, 1.80, 139.08, 1431.42, 1570.50),
    (290.0, 3.60, 9.23, 925.69, 934.92),  # 1977 global dust storm
    (330.0, 1.25, 565.04, 1802.06, 2367.10),
]


@pytest.mark.parametrize(("ls", "tau", "hbh", "hdh", "hh"), _TABLE_V_VL1)
def test_vl1_daily_insolation_table_v_update_1990(ls, tau, hbh, hdh, hh):
    """The Update's daily insolation is SI energy (Wh = 3600 J over the 88775 s sol, areo's
    default): the beam column (Beer-Lambert, no net-flux table) to 0.3 %, global 0.6 %,
    diffuse 1 % (measured: beam 0.998-1.001, global 0.994-0.998, diffuse 0.991-0.998).
    Integrated over Mars hours every column is 2.7 % low (3600 / 3698.97 s): the old test
    compared in that unit and had to fit tau (to 0.63, 0.38, ...) and allow 5 %."""
    d = daily_insolation(VL1_LAT, ls, tau)
    assert d.hour == "earth"
    assert float(d.beam) == pytest.approx(hbh, rel=0.003)
    assert float(d.global_) == pytest.approx(hh, rel=0.006)
    assert float(d.diffuse) == pytest.approx(hdh, rel=0.01)
    m = daily_insolation(VL1_LAT, ls, tau, hour="mars")
    assert float(m.beam) / hbh == pytest.approx(3600.0 / (88775.244 / 24), abs=0.003)
    # the unit is carried, not implied: SI Wh by default, Mars hours named as such
    assert d.unit == "Wh/m^2" and m.unit == "W h_Mars/m^2"
    assert list(d.to_frame().columns) == ["global_wh_m2", "beam_wh_m2", "diffuse_wh_m2"]
    assert m.to_frame().columns[0] == "global_w_hmars_m2"


def test_vl1_seasonal_ordering_and_earth_hours():
    d = daily_insolation(VL1_LAT, [0.0, 120.0, 270.0], [0.5, 0.5, 0.5])
    m = daily_insolation(VL1_LAT, [0.0, 120.0, 270.0], [0.5, 0.5, 0.5], hour="mars")
    np.testing.assert_allclose(d.global_ / m.global_, 88775.244 / 24 / 3600)
    assert d.global_.shape == (3,)
    np.testing.assert_allclose(d.global_, d.beam + d.diffuse)


# --------------------------------------------------------------- invariants
@settings(max_examples=200, deadline=None)
@given(
    z=st.floats(0.0, 120.0),
    tau=st.floats(0.0, 12.0),
    al=st.floats(0.1, 0.4),
    g=st.floats(480.0, 720.0),
)
@example(z=90.0, tau=0.0, al=0.25, g=480.0)  # cos(radians(90)) = 6e-17: still night
def test_irradiance_bounds(z, tau, al, g):
    irr = surface_irradiance(z, tau, g, al)
    cz = np.cos(np.radians(z))
    assert 0.0 <= irr.beam <= irr.global_ + 1e-9
    assert irr.diffuse >= 0.0
    if z >= 90.0:
        assert irr.global_ == 0.0 and irr.beam == 0.0
    else:
        assert irr.global_ <= g * cz + 1e-9


@settings(max_examples=40, deadline=None)
@given(
    lat=st.floats(-60.0, 60.0),
    ls=st.floats(0.0, 359.0),
    tau1=st.floats(0.0, 10.0),
    dtau=st.floats(0.05, 3.0),
)
def test_insolation_decreases_with_tau(lat, ls, tau1, dtau):
    a = daily_insolation(lat, ls, tau1, n_steps=97)
    b = daily_insolation(lat, ls, tau1 + dtau, n_steps=97)
    assert b.global_ <= a.global_ + 1e-9
    assert b.beam <= a.beam + 1e-9


def test_polar_night_is_dark():
    d = daily_insolation(-80.0, 90.0, 0.5)  # southern winter solstice
    assert d.global_ == 0.0


# --------------------------------------------------------------- geometry
def test_zenith_formula_against_de440_elevation():
    # Spherical A&F geometry (Ls, LTST) against the DE440 Sun direction at Oxia Planum.
    from areo.catalog import site
    from areo.events import solar_elevation
    from areo.time import local_true_solar_time

    s = site("oxia planum")
    t = Time(np.linspace(Time("2030-03-01T00:00:00").et, Time("2030-03-02T02:00:00").et, 40))
    z_de = 90.0 - solar_elevation(s, t)
    z_af = solar_zenith_ls(s.lat_deg, solar_longitude(t), local_true_solar_time(t, s.lon_east_deg))
    assert np.max(np.abs(z_de - z_af)) < 0.6  # deg: declination and latitude conventions


def test_irradiance_at_site_zero_at_night_and_tilted_consistent():
    t = Time(np.linspace(Time("2030-03-01T00:00:00").et, Time("2030-03-02T02:00:00").et, 60))
    irr = irradiance_at("oxia planum", t, 0.5)
    assert irr.global_.shape == (60,)
    assert np.any(irr.global_ == 0.0) and irr.global_.max() > 300.0
    flat = irradiance_at("oxia planum", t, 0.5, tilt_deg=1e-9)
    np.testing.assert_allclose(flat.global_, irr.global_, atol=1e-6)


def test_tilt_towards_equator_helps_in_winter():
    # Northern winter (Ls 270) at VL1: a south-facing panel at 22 deg beats horizontal.
    flat = daily_insolation(VL1_LAT, 270.0, 0.5)
    tilted = daily_insolation(VL1_LAT, 270.0, 0.5, tilt_deg=22.0, azimuth_deg=180.0)
    north = daily_insolation(VL1_LAT, 270.0, 0.5, tilt_deg=22.0, azimuth_deg=0.0)
    assert tilted.global_ > 1.1 * flat.global_ > 1.1 * north.global_
    t0 = tilted_irradiance(30.0, 180.0, 0.5, 600.0, 0.0, 0.0)
    h0 = surface_irradiance(30.0, 0.5, 600.0)
    assert t0.global_ == pytest.approx(float(h0.global_))


@pytest.mark.parametrize(("date", "tau"), [
    ("2030-03-01T00:00:00", 0.5),  # Ls 290, near perihelion: measured +0.51 %
    ("2030-03-01T00:00:00", 2.0),  # +0.64 %
    ("2031-06-01T00:00:00", 0.5),  # Ls 152: -0.11 %
])
def test_daily_insolation_at_site_against_spice_geometry(spice, date, tau):
    """daily_insolation_at (A&F spherical geometry at fixed Ls, DE440 Sun distance) against
    a dense integration over the sol centred on ``date`` (30 s steps) of the same
    irradiance model on SPICE's geometry: the Sun's zenith at Oxia Planum in IAU_MARS (IAU
    2015 pole and W) and S0 / r^2 (S0 = 1361 W/m^2, IAU 2015 B3) from the DE440 distance.
    The two geometries differ by up to 0.6 deg in zenith (A&F's declination and latitude
    conventions, see the test above), ~1 % of cos z at daytime zeniths: rel 1 %. (Was a
    2500-4500 Wh/m^2 band.)"""
    s = site("oxia planum")
    d = daily_insolation_at(s, date, tau)
    lat, lon = np.radians(s.lat_deg), np.radians(s.lon_east_deg)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    sol_s = 1.0274912517 * 86400.0  # Mars24 sol
    et = spice.str2et(date) + np.linspace(-0.5 * sol_s, 0.5 * sol_s, 2961)
    sun = np.array([spice.spkpos("SUN", e, "IAU_MARS", "NONE", "MARS")[0] for e in et])
    r = np.linalg.norm(sun, axis=1)
    zenith = np.degrees(np.arccos(sun @ up / r))
    irr = surface_irradiance(zenith, tau, 1361.0 / (r / 149_597_870.7) ** 2, 0.1)
    want = np.trapezoid(irr.global_, et) / 3600.0  # Wh/m^2 (SI hours, the default unit)
    assert float(d.global_) == pytest.approx(want, rel=0.01)


# --------------------------------------------------------------- dust and scenarios
def test_dust_model_loss_and_cleaning():
    dm = DustModel()
    np.testing.assert_allclose(dm.factor([0, 1, 100]), [1.0, 0.998, 0.998**100])
    cleaned = DustModel(cleanings=(Cleaning(sol=100, restore=0.5),))
    df = cleaned.factor([99, 100, 150])
    before = 0.998**100
    np.testing.assert_allclose(df[1], before + 0.5 * (1 - before))
    np.testing.assert_allclose(df[2], df[1] * 0.998**50)
    assert df[0] < df[1]


def test_tau_scenarios():
    assert ConstantTau(0.7)(np.zeros(3)).tolist() == [0.7, 0.7, 0.7]
    storm = DustStormTau(onset_sol=10.0)
    tau = storm(sol=np.arange(0, 200))
    assert tau[5] == pytest.approx(0.5) and tau.max() == pytest.approx(10.8)
    assert int(np.argmax(tau)) == 20 and tau[199] < 3.0
    seasonal = SeasonalTau()
    assert seasonal(250.0) == pytest.approx(0.9) and seasonal(70.0) < 0.45
    viking = SeasonalTau(kind="viking", lat_deg=VL1_LAT)
    # A, L & S 1993 model: storm peaks at Ls 215 and 295 above the 0.5 floor at VL1
    assert viking(295.0) > viking(215.0) > viking(100.0) == pytest.approx(0.5)
    assert 2.0 < viking(295.0) < 5.0


def test_errors_name_the_input():
    with pytest.raises(ParameterError, match="albedo"):
        net_flux_function(10.0, 0.5, albedo=0.9)
    with pytest.raises(ParameterError, match="tau"):
        surface_irradiance(10.0, -1.0, 590.0)
    with pytest.raises(CoordinateRangeError, match="latitude"):
        daily_insolation(95.0, 0.0, 0.5)
    with pytest.raises(AreoInputError, match="loss_per_sol"):
        DustModel(loss_per_sol=1.5)
    with pytest.raises(ParameterError, match="tilt_deg"):
        tilted_irradiance(10.0, 0.0, 0.5, 590.0, 120.0, 180.0)
