"""Earth orientation and station look angles against astropy and an equinox-based erfa chain.

Oracles:
- astropy's ITRS -> GCRS transformation (its own time scales, IERS table and erfa wiring),
  offline with the IERS-B/A table bundled with astropy (no download);
- azimuth/elevation from erfa.hd2ae with an hour angle built the classical, equinox-based
  way (Greenwich apparent sidereal time erfa.gst06a and the bias-precession-nutation matrix
  erfa.pnm06a), where areo uses the CIO-based chain (ERA and erfa.c2i06a);
- erfa.gd2gc / gc2gd for WGS84 station coordinates.
"""

from __future__ import annotations

import warnings

import erfa
import numpy as np
import pytest

from areo.errors import ParameterError
from areo.frames import earth
from areo.time import Time

astropy = pytest.importorskip("astropy")
from astropy import units as u  # noqa: E402
from astropy.coordinates import (  # noqa: E402
    GCRS,
    ITRS,
    CartesianDifferential,
    CartesianRepresentation,
)
from astropy.time import Time as ATime  # noqa: E402
from astropy.utils import iers  # noqa: E402

# DSN DSS-43 Canberra, ITRF XYZ in m (KPLO paper, JASS 40(2):79, Table 1; mars-facts 8.2).
DSS43_M = np.array([-4460894.917, 2682361.507, -3674748.152])
# ESA DSA 1 New Norcia: 31 deg 02' 53.61" S, 116 deg 11' 29.40" E, 252.26 m (mars-facts 8.2).
NEW_NORCIA = (-(31 + 2 / 60 + 53.61 / 3600), 116 + 11 / 60 + 29.40 / 3600, 0.25226)
ARCSEC = np.pi / (180 * 3600)


@pytest.fixture(scope="module")
def eop():
    """astropy offline: its bundled IERS table, UT1 - UTC and polar motion at test epochs."""
    with iers.conf.set_temp("auto_download", False), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Start off a leap-second boundary: UT1 - UTC jumps there and a rounding of et
        # to the other side of 1976-01-01T00:00 would cost a whole second.
        mjd = np.linspace(ATime("1976-01-02T06:00:00").mjd, ATime("2024-06-01").mjd, 150)
        utc = ATime(mjd, format="mjd", scale="utc")
        table = iers.earth_orientation_table.get()
        dut1 = table.ut1_utc(utc).to_value(u.s)
        xp, yp = (q.to_value(u.arcsec) for q in table.pm_xy(utc))
        yield utc, dut1, xp, yp


def _astropy_gcrs(utc, xyz_km, vel=None):
    rep = CartesianRepresentation(*(np.asarray(xyz_km)[:, None] * np.ones(len(utc))) * u.km)
    if vel is not None:
        rep = rep.with_differentials(
            CartesianDifferential(*(np.asarray(vel)[:, None] * np.ones(len(utc))) * u.km / u.s)
        )
    with iers.conf.set_temp("auto_download", False), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ITRS(rep, obstime=utc).transform_to(GCRS(obstime=utc))


def _sep(a, b):
    return np.arctan2(np.linalg.norm(np.cross(a, b), axis=-1), np.sum(a * b, axis=-1))


def test_itrs_to_gcrs_vs_astropy_with_its_eop(eop):
    """Same EOP on both sides: agreement to the float64 resolution of et.

    et near 2024 is ~7.7e8 s, resolved to ~1e-7 s, i.e. ~2 micro-arcsec of Earth rotation;
    measured ~2.5 micro-arcsec. Tolerance 1e-4 arcsec.
    """
    utc, dut1, xp, yp = eop
    et = Time(utc).et
    ref = _astropy_gcrs(utc, DSS43_M / 1000).cartesian.xyz.to_value(u.km).T
    got = earth.from_itrs(DSS43_M / 1000, et, dut1_s=dut1, xp_arcsec=xp, yp_arcsec=yp)
    assert np.max(_sep(got, ref)) / ARCSEC < 1e-4
    assert np.max(np.abs(np.linalg.norm(got, axis=-1) - np.linalg.norm(ref, axis=-1))) < 1e-9
    # and the matrix round trip
    m = earth.icrf_to_itrs(et, dut1_s=dut1, xp_arcsec=xp, yp_arcsec=yp)
    assert np.allclose(np.einsum("nij,nj->ni", m, got), DSS43_M / 1000, atol=1e-9)


def test_default_without_eop_is_within_the_documented_error(eop):
    """UT1 = UTC and no polar motion: off by omega * |UT1 - UTC| (< 13.5" as |DUT1| < 0.9 s)
    projected on the station's parallel, plus polar motion (< 0.6" in these years)."""
    utc, dut1, _, _ = eop
    ref = _astropy_gcrs(utc, DSS43_M / 1000).cartesian.xyz.to_value(u.km).T
    got = earth.from_itrs(DSS43_M / 1000, Time(utc).et)
    sep = _sep(got, ref) / ARCSEC
    assert np.max(sep) < 14.0
    cos_lat = np.hypot(*DSS43_M[:2]) / np.linalg.norm(DSS43_M)
    expected = earth.EARTH_ROTATION_RATE * np.abs(dut1) * cos_lat / ARCSEC
    assert np.max(np.abs(sep - expected)) < 0.7


def test_station_velocity_vs_astropy(eop):
    """A station at rest in the ITRS: GCRS velocity from the 6x6 transform vs astropy (whose
    ITRS <-> CIRS step differentiates numerically); ~0.38 km/s at Canberra."""
    utc, dut1, xp, yp = eop
    state = np.concatenate([DSS43_M / 1000, np.zeros(3)])
    ref = _astropy_gcrs(utc, DSS43_M / 1000, np.zeros(3)).velocity.d_xyz.to_value(u.km / u.s).T
    got = earth.from_itrs(state, Time(utc).et, dut1_s=dut1, xp_arcsec=xp, yp_arcsec=yp)
    assert np.max(np.abs(got[:, 3:] - ref)) < 1e-7  # km/s; measured ~1e-8
    # |v| = omega * distance from the rotation axis; polar motion (< 0.6") moves the axis by
    # up to ~19 m at the surface, so the ITRF z-axis distance is right to ~3e-6.
    speed = earth.EARTH_ROTATION_RATE * np.hypot(*DSS43_M[:2]) / 1000
    assert np.allclose(np.linalg.norm(got[:, 3:], axis=-1), speed, rtol=5e-6)
    back = earth.to_itrs(got, Time(utc).et, dut1_s=dut1, xp_arcsec=xp, yp_arcsec=yp)
    assert np.allclose(back, state, atol=1e-9)


def _hd2ae_reference(lat_rad, lon_rad, directions, utc):
    """Equinox-based az/el with UT1 = UTC: HA = GAST + lon - RA(true equator, of date)."""
    tt = utc.tt
    gast = erfa.gst06a(utc.jd1, utc.jd2, tt.jd1, tt.jd2)
    npb = erfa.pnm06a(tt.jd1, tt.jd2)
    v = np.einsum("...ij,...j->...i", npb, directions)
    ra = np.arctan2(v[..., 1], v[..., 0])
    dec = np.arcsin(np.clip(v[..., 2], -1, 1))
    return erfa.hd2ae(gast + lon_rad - ra, dec, lat_rad)


@pytest.mark.parametrize("station_name", ["New Norcia", "DSS-43"])
def test_station_az_el_vs_equinox_based_hd2ae(station_name):
    """Fixed ICRF directions seen from a station, UT1 = UTC on both sides.

    The CIO-based (ERA, c2i06a) and equinox-based (GAST, pnm06a) IAU 2006/2000A chains are
    the same model written two ways and agree to a few micro-arcsec; float64 et adds ~2 uas.
    Tolerance 1 mas. Directions are put 1e15 km away (station parallax < 1e-11 rad).
    """
    if station_name == "New Norcia":
        lat_deg, lon_deg, h_km = NEW_NORCIA
        station = earth.station_from_geodetic_deg(lat_deg, lon_deg, h_km, name=station_name)
        lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    else:
        station = earth.station_from_itrs(DSS43_M / 1000, name=station_name)
        lon, lat, _ = erfa.gc2gd(1, DSS43_M)  # 1 = WGS84
    rng = np.random.default_rng(43)
    n = 300
    dirs = rng.normal(size=(n, 3))
    dirs /= np.linalg.norm(dirs, axis=-1, keepdims=True)
    with warnings.catch_warnings():
        # erfa's "dubious year" for UTC past its leap-second table (the 2030s here).
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        utc = ATime(rng.uniform(ATime("2000-01-01").mjd, ATime("2035-01-01").mjd, n),
                    format="mjd", scale="utc")
        ref_az, ref_el = _hd2ae_reference(lat, lon, dirs, utc)
        t = Time(utc)
    look = earth.station_look(station, 1e15 * dirs, t)
    mas = ARCSEC / 1000
    assert np.max(np.abs(look.el - ref_el)) < mas
    daz = np.angle(np.exp(1j * (look.az - ref_az))) * np.cos(ref_el)
    assert np.max(np.abs(daz[ref_el < np.radians(89.0)])) < mas


def test_station_coordinates_vs_erfa():
    lat_deg, lon_deg, h_km = NEW_NORCIA
    st = earth.station_from_geodetic_deg(lat_deg, lon_deg, h_km)
    ref = erfa.gd2gc(1, np.radians(lon_deg), np.radians(lat_deg), h_km * 1000) / 1000
    assert np.max(np.abs(st.position_km - ref)) < 1e-6  # 1 mm
    dss = earth.station_from_itrs(DSS43_M / 1000)
    lon, lat, h = erfa.gc2gd(1, DSS43_M)
    assert dss.lat == pytest.approx(lat, abs=1e-12)
    assert dss.lon == pytest.approx(lon, abs=1e-12)
    assert dss.height_km == pytest.approx(h / 1000, abs=1e-6)
    # mars-facts 8.2 (computed there): 35.40242 S, 148.98127 E, h 689 m.
    assert (dss.lat_deg, dss.lon_east_deg) == pytest.approx((-35.40242, 148.98127), abs=1e-5)
    assert dss.height_km == pytest.approx(0.689, abs=0.001)


def test_era_vs_astropy_ut1():
    """ERA with UT1 = UTC, against erfa.era00 on astropy's UT1 (delta_ut1_utc = 0)."""
    t = ATime(["1999-12-31T23:59:59", "2016-12-31T23:59:60.5", "2021-02-18T20:55:00"],
              scale="utc")
    t.delta_ut1_utc = 0.0
    ref = erfa.era00(t.ut1.jd1, t.ut1.jd2)
    got = earth.earth_rotation_angle(Time(t))
    # float64 et (~1e-7 s near 2020) limits this to ~1e-11 rad.
    assert np.max(np.abs(np.angle(np.exp(1j * (got - ref))))) < 5e-11


def test_iau2000b_within_1mas_of_2006a():
    et = Time.linspace("1995-01-01", "2050-01-01", 400).et
    a = earth.icrf_to_itrs(et)
    b = earth.icrf_to_itrs(et, model="iau2000b")
    # the largest rotation angle between the two: |skew part of a b^T|
    d = np.einsum("nij,nkj->nik", a, b)
    angle = np.linalg.norm([d[:, 1, 2] - d[:, 2, 1], d[:, 2, 0] - d[:, 0, 2],
                            d[:, 0, 1] - d[:, 1, 0]], axis=0) / 2
    assert np.max(angle) / ARCSEC < 1e-3


def test_shapes_and_errors():
    assert earth.icrf_to_itrs(0.0).shape == (3, 3)
    assert earth.state_transform(np.zeros((2, 3))).shape == (2, 3, 6, 6)
    assert earth.to_itrs(np.ones((5, 3)), 0.0).shape == (5, 3)
    with pytest.raises(ParameterError, match="iau2006a"):
        earth.icrf_to_itrs(0.0, model="iau1980")
    with pytest.raises(ParameterError, match="dut1_s"):
        earth.icrf_to_itrs(0.0, dut1_s=2.0)
    with pytest.raises(ParameterError, match="Earth SurfacePoint"):
        from areo.frames.topocentric import SurfacePoint

        earth.station_look(SurfacePoint.from_planetodetic_deg(0, 0), np.ones(3), 0.0)
