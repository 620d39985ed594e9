"""The catalog: published values, geodetic conversion against SPICE, user files, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo import catalog
from areo.bodies import body, naif_id
from areo.errors import CatalogFileError, CoordinateRangeError, UnknownBodyError, UnknownEntryError


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        # the list; sources in sites.toml
        ("Jezero", 18.4447, 77.4508), ("perseverance", 18.4447, 77.4508),
        ("Oxia Planum", 18.275, 335.368), ("rosalind franklin", 18.275, 335.368),
        ("gale", -4.5895, 137.4417), ("Curiosity", -4.5895, 137.4417),
        ("InSight", 4.502384, 135.623447), ("zhurong", 25.066, 109.925),
    ],
)
def test_sites_as_published(name, lat, lon):
    s = catalog.site(name)
    assert (s.lat_deg, s.lon_east_deg) == (lat, lon)
    assert s.source


def test_oxia_west_longitude():
    """Oxia Planum is published both as 335.368 E and 24.632 W (Bridges et al. 2015)."""
    assert catalog.site("oxia").lon_west_deg == pytest.approx(24.632)


def test_dsn_geodetic_from_itrf_against_spice(spice):
    """ITRF XYZ -> WGS84 geodetic against SPICE's recgeo, and the reference's hand values
    (DSS-14 35.42590 N 116.88954 W 1001 m; DSS-43 35.40242 S 148.98127 E 689 m)."""
    a, c = 6378.137, 6356.752314245
    for key in ("DSS-14", "DSS-43", "DSS-63"):
        st = catalog.station(key)
        lon, lat, alt = spice.recgeo(st.itrf_km, a, (a - c) / a)
        assert st.lat_deg == pytest.approx(math.degrees(lat), abs=1e-9)
        assert st.lon_east_deg == pytest.approx(math.degrees(lon) % 360.0, abs=1e-9)
        assert st.height_km == pytest.approx(alt, abs=1e-6)
    assert catalog.station("goldstone").lat_deg == pytest.approx(35.42590, abs=1e-5)
    assert catalog.station("canberra").lon_east_deg == pytest.approx(148.98127, abs=1e-5)


def test_estrack_round_trip_against_spice(spice):
    a, c = 6378.137, 6356.752314245
    st = catalog.station("New Norcia")
    xyz = spice.georec(math.radians(st.lon_east_deg), math.radians(st.lat_deg), st.height_km, a,
                       (a - c) / a)
    np.testing.assert_allclose(st.itrf_km, xyz, atol=1e-6)
    assert catalog.station("dsa-2").key == "cebreros"
    assert catalog.station("Malargüe").key == "malargue"


def test_constants_and_bodies_carry_sources():
    for const in catalog.mars_constants().values():
        assert const.source, const.name
    assert catalog.constant("equatorial_radius_km").value == 3396.19
    assert catalog.constant("polar_radius_km").value == 3376.20
    assert body("mars").radii_km == (3396.19, 3396.19, 3376.20)
    # derived values agree with their inputs
    rate = catalog.constant("rotation_rate_deg_per_day").value
    assert catalog.constant("rotation_rate_rad_s").value == pytest.approx(
        math.radians(rate) / 86400.0, rel=1e-9)
    assert catalog.constant("sidereal_day_s").value == pytest.approx(360.0 / rate * 86400.0,
                                                                     abs=1e-3)
    assert naif_id("Mars barycenter") == 4 and naif_id("EARTH") == 399


def test_catalog_repeats_the_code_constants_exactly():
    # mars.toml publishes values that areo.constants, areo.bodies and the IAU 2015 model also
    # define (each with the same source): one may not drift from the other.
    from areo import constants
    from areo.frames.ellipsoid import MARS_ELLIPSOID
    from areo.frames.mars import MARS_IAU2015

    assert catalog.constant("sol_s").value == constants.SOL_ESA_EXOMARS_S
    assert catalog.constant("sol_nasa_lmst_s").value == constants.SOL_NASA_LMST_S
    assert catalog.constant("tropical_year_days").value == constants.MARS_TROPICAL_YEAR_D
    assert catalog.constant("rotation_rate_deg_per_day").value == MARS_IAU2015.pm[1]
    radii = body("mars").radii_km
    assert catalog.constant("equatorial_radius_km").value == radii[0] == MARS_ELLIPSOID.a
    assert catalog.constant("polar_radius_km").value == radii[2] == MARS_ELLIPSOID.c
    assert catalog.constant("gm_km3s2").value == body("mars").gm_km3s2


def test_user_file_adds_and_overrides(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[sites.mawrth]\nname = "Mawrth Vallis"\nlat_deg = 24.0\nlon_east_deg = -19.0\n'
        'source = "ExoMars candidate"\n'
        '[stations.kiruna]\nlat_deg = 67.857\nlon_east_deg = 20.964\nheight_km = 0.4\n'
    )
    cat = catalog.Catalog.builtin().load(path)
    assert cat.site("Mawrth Vallis").lon_east_deg == 341.0
    assert cat.station("kiruna").lat_deg == 67.857
    assert cat.site("jezero").lat_deg == 18.4447


@pytest.mark.parametrize(
    ("text", "error", "fragment"),
    [
        ("[sites.bad]\nlat_deg = 95.0\nlon_east_deg = 0.0\n", CoordinateRangeError, "-90, 90"),
        ("[sites.bad]\nlon_east_deg = 0.0\n", CatalogFileError, "lat_deg"),
        ("[sites.bad]\nlat_deg = 'north'\nlon_east_deg = 0.0\n", CatalogFileError, "numeric"),
        ("not toml = = 1", CatalogFileError, "not valid TOML"),
        ("[other]\nx = 1\n", CatalogFileError, "no \\[sites"),
    ],
)
def test_bad_user_files(tmp_path, text, error, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(error, match=fragment):
        catalog.Catalog.builtin().load(path)


def test_unknown_entries_are_named():
    with pytest.raises(UnknownEntryError, match="jezero") as info:
        catalog.site("Atlantis")
    assert "Atlantis" in str(info.value)
    with pytest.raises(UnknownEntryError, match="dss-43"):
        catalog.station("Arecibo")
    with pytest.raises(UnknownBodyError, match="mars"):
        naif_id("vulcan")
    with pytest.raises(CatalogFileError, match="does not exist"):
        catalog.Catalog.builtin().load("/nonexistent/file.toml")


# Published landing figures, typed here: (site, NAIF CHRONOS LANDING_TIME (SCET, UTC),
# Earth-received time as published, its resolution in seconds).
# - MSL: msl_chronos_v07.tm (NAIF MSL SPICE archive) 2012-08-06T05:17:57; NASA/JPL news
#   release and Way et al. 2013 (AAS 13-420): "landed at 10:32 p.m. PDT Aug. 5", to the minute.
# - Mars 2020: m2020_chronos_v01.tm 2021-02-18T20:43:48.8175; NASA: touchdown confirmed
#   3:55 p.m. EST, to the minute.
# - InSight: insight_v06.tm 2018-11-26T19:44:52.444; Abilleira et al., AAS 19-204: touchdown
#   confirmation 11:52:59 a.m. PST, to the second.
_LANDINGS = [
    ("gale", "2012-08-06T05:17:57", "2012-08-06T05:32:00", 60.0),
    ("jezero", "2021-02-18T20:43:48.8175", "2021-02-18T20:55:00", 60.0),
    ("insight", "2018-11-26T19:44:52.444", "2018-11-26T19:52:59", 1.0),
]


@pytest.mark.parametrize(("key", "naif_scet", "ert", "resolution_s"), _LANDINGS)
def test_landing_times_against_naif_and_earth_received(spice, key, naif_scet, ert,
                                                        resolution_s):
    """landing_scet_utc is the touchdown at Mars: it matches NAIF's CHRONOS LANDING_TIME
    to 1 s, and SCET + the one-way Mars -> Earth light time (SPICE, DE440, signal leaving
    Mars at SCET: 'XCN') lands on the published Earth-received time within its rounding
    (+-30 s for a figure to the minute) and on the catalog's landing_ert_utc within 1 s.
    Curiosity's old 05:14:39 failed: 198 s before NAIF, received 10:28 p.m. PDT."""
    s = catalog.site(key)
    scet = spice.str2et(s.landing_scet_utc.rstrip("Z"))
    assert abs(scet - spice.str2et(naif_scet)) < 1.0
    _, lt = spice.spkezr("399", scet, "J2000", "XCN", "499")
    assert 480.0 < lt < 900.0  # 8-15 min one way at these dates
    received = scet + lt
    assert abs(received - spice.str2et(ert)) <= 0.5 * resolution_s + 1.0
    assert abs(received - spice.str2et(s.landing_ert_utc.rstrip("Z"))) < 1.0


def test_curiosity_landing_sol0_matches_naif_lmst_kernel(spice):
    """Curiosity's landing falls on sol 0 of NAIF's pre-landing MSL LMST kernel
    (msl_lmst_gc120806_v2.tsc: sol 0 midnight at 397446666.183 TDB s, 88775.244 s a sol)
    in the afternoon (about 3 p.m. local time, NASA/JPL)."""
    et = spice.str2et(catalog.site("gale").landing_scet_utc.rstrip("Z"))
    sols = (et - 397446666.183) / 88775.244
    assert int(sols) == 0
    assert 14.5 < (sols % 1.0) * 24.0 < 15.5
