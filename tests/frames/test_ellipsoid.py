"""Ellipsoid coordinates against SPICE (georec/recgeo, latrec/reclat, srfrec/surfnm)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.errors import CoordinateRangeError
from areo.frames import ellipsoid as el

spiceypy = pytest.importorskip("spiceypy")

MARS = (3396.19, 3376.20)  # IAU 2015 (Archinal et al. 2018; NAIF pck00011)
EARTH = (6378.137, 6378.137 * (1.0 - 1.0 / 298.257223563))  # WGS84 (NIMA TR8350.2)
SHAPES = [MARS, EARTH, (3000.0, 3000.0), (3000.0, 3300.0)]  # + a sphere and a prolate one
# 1 mm is the requirement; areo and SPICE agree to ~1e-10 km (float64 at 1e5 km).
MM = 1e-6


def _points(rng, n=3000):
    lat = np.arcsin(rng.uniform(-1.0, 1.0, n))
    # Near the poles and on the equator, where formulas degenerate.
    k = n // 10
    near = np.pi / 2 - 10.0 ** rng.uniform(-15, -2, k)
    lat[:k], lat[k : 2 * k] = near, -near
    special = [0.0, np.pi / 2, -np.pi / 2, 1e-300, -1e-300, 0.0, 0.0, 1e-9, -1e-9, 0.5]
    lat[2 * k : 2 * k + 10] = special
    lon = rng.uniform(-np.pi, np.pi, n)
    h = np.concatenate([rng.uniform(-10.0, 100.0, n // 2), 10.0 ** rng.uniform(-4, 5, n - n // 2)])
    h[:20] = 100000.0
    h[20:40] = -10.0
    return lat, lon, h


@pytest.mark.parametrize("a,c", SHAPES)
def test_planetodetic_vs_spice_georec_recgeo(a, c):
    f = (a - c) / a
    lat, lon, h = _points(np.random.default_rng(11))
    xyz = el.planetodetic_to_cartesian(lat, lon, h, a=a, c=c)
    ref = np.array(
        [spiceypy.georec(lo, la, hh, a, f) for la, lo, hh in zip(lat, lon, h, strict=True)]
    )
    assert np.max(np.abs(xyz - ref)) < MM
    lat2, lon2, h2 = el.cartesian_to_planetodetic(xyz, a=a, c=c)
    ref_geo = np.array([spiceypy.recgeo(v, a, f) for v in xyz])
    assert np.max(np.abs(h2 - ref_geo[:, 2])) < MM
    assert np.max(np.abs(lat2 - ref_geo[:, 1])) < 1e-13  # rad: 3e-7 mm at the surface
    on_axis = np.hypot(xyz[:, 0], xyz[:, 1]) < 1e-9
    dlon = np.angle(np.exp(1j * (lon2 - ref_geo[:, 0])))[~on_axis]
    assert np.max(np.abs(dlon)) < 1e-13
    # and the inverse recovers the inputs
    assert np.max(np.abs(h2 - h)) < MM
    assert np.max(np.abs(lat2 - lat)) < 1e-13


@pytest.mark.parametrize("a,c", SHAPES)
def test_planetocentric_vs_spice_latrec_reclat(a, c):
    rng = np.random.default_rng(3)
    lat, lon, _ = _points(rng, 500)
    r = rng.uniform(1.0, 1e5, lat.size)
    xyz = el.planetocentric_to_cartesian(lat, lon, r)
    ref = np.array([spiceypy.latrec(rr, lo, la) for la, lo, rr in zip(lat, lon, r, strict=True)])
    assert np.max(np.abs(xyz - ref)) < 1e-10
    lat2, lon2, r2 = el.cartesian_to_planetocentric(xyz)
    back = np.array([spiceypy.reclat(v) for v in xyz])
    assert np.max(np.abs(r2 - back[:, 0])) < 1e-10
    assert np.max(np.abs(lat2 - back[:, 2])) < 1e-14
    on_axis = np.hypot(xyz[:, 0], xyz[:, 1]) < 1e-9
    assert np.max(np.abs(np.angle(np.exp(1j * (lon2 - back[:, 1])))[~on_axis])) < 1e-14


@pytest.mark.parametrize("a,c", [MARS, EARTH])
def test_surface_point_normal_and_latitude_conversion_vs_spice(a, c):
    rng = np.random.default_rng(5)
    lat_c, lon, _ = _points(rng, 400)
    p = el.surface_point_planetocentric(lat_c, lon, a=a, c=c)
    for k in range(0, 400, 7):
        u = spiceypy.latrec(1.0, lon[k], lat_c[k])
        ref_p = spiceypy.surfpt(np.zeros(3), u, a, a, c)
        assert np.max(np.abs(p[k] - ref_p)) < 1e-9
        ref_n = spiceypy.surfnm(a, a, c, ref_p)
        assert np.max(np.abs(el.surface_normal(p[k], a=a, c=c) - ref_n)) < 1e-14
        # The planetodetic latitude of a surface point is the latitude of its normal.
        lat_d = el.planetocentric_to_planetodetic_latitude(lat_c[k], a=a, c=c)
        assert lat_d == pytest.approx(np.arcsin(np.clip(ref_n[2], -1, 1)), abs=1e-7)
        _, lat_ref, h_ref = spiceypy.recgeo(ref_p, a, (a - c) / a)
        assert lat_d == pytest.approx(lat_ref, abs=1e-13)
        assert abs(h_ref) < 1e-9
    back = el.planetodetic_to_planetocentric_latitude(
        el.planetocentric_to_planetodetic_latitude(lat_c, a=a, c=c), a=a, c=c
    )
    assert np.max(np.abs(back - lat_c)) < 1e-15


def test_site_position_vs_spice_srfrec(spice_mars2015):
    """Catalog sites: planetocentric lat / east lon, height along the ellipsoid normal."""
    sp = spice_mars2015
    sites = [(18.4447, 77.4508, -2.5), (18.275, 335.368, -3.0), (-4.5895, 137.4417, -4.5),
             (89.9, 10.0, 1.0), (-90.0, 0.0, 0.0), (0.0, 180.0, 25.0)]
    for lat_deg, lon_deg, h in sites:
        ref_p = sp.srfrec(499, np.radians(lon_deg), np.radians(lat_deg))
        ref = np.array(ref_p) + h * np.array(sp.surfnm(MARS[0], MARS[0], MARS[1], ref_p))
        got = el.site_position(lat_deg, lon_deg, h)
        assert np.max(np.abs(got - ref)) < MM, (lat_deg, lon_deg)
    # vectorised over sites
    arr = np.array(sites)
    got = el.site_position(arr[:, 0], arr[:, 1], arr[:, 2])
    assert got.shape == (len(sites), 3)
    # planetodetic sites (Earth stations): SPICE georec on WGS84.
    xyz = el.site_position(-31.04823, 116.19150, 0.25226, body="earth", latitude="planetodetic")
    ref = sp.georec(np.radians(116.19150), np.radians(-31.04823), 0.25226, EARTH[0],
                    (EARTH[0] - EARTH[1]) / EARTH[0])
    assert np.max(np.abs(xyz - ref)) < MM


@settings(max_examples=300, deadline=None)
@given(
    lat_deg=st.floats(-90.0, 90.0),
    lon_deg=st.floats(-720.0, 720.0),
    h=st.floats(-10.0, 100000.0),
    shape=st.sampled_from([MARS, EARTH]),
)
def test_planetodetic_round_trip(lat_deg, lon_deg, h, shape):
    a, c = shape
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    xyz = el.planetodetic_to_cartesian(lat, lon, h, a=a, c=c)
    lat2, lon2, h2 = el.cartesian_to_planetodetic(xyz, a=a, c=c)
    back = el.planetodetic_to_cartesian(lat2, lon2, h2, a=a, c=c)
    assert np.max(np.abs(back - xyz)) < MM
    assert abs(h2 - h) < MM
    assert abs(lat2 - lat) < 1e-12
    assert -np.pi < lon2 <= np.pi


@settings(max_examples=200, deadline=None)
@given(
    lat_deg=st.floats(-90.0, 90.0),
    lon_deg=st.floats(-360.0, 360.0),
    r=st.floats(1e-3, 1e6),
)
def test_planetocentric_round_trip(lat_deg, lon_deg, r):
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    lat2, lon2, r2 = el.cartesian_to_planetocentric(el.planetocentric_to_cartesian(lat, lon, r))
    assert r2 == pytest.approx(r, rel=1e-14)
    assert abs(lat2 - lat) < 1e-12
    if abs(lat_deg) < 89.999999:
        assert abs(np.angle(np.exp(1j * (lon2 - lon)))) < 1e-12


@settings(max_examples=100, deadline=None)
@given(
    lat_deg=st.one_of(st.floats(90.0, 1e6, exclude_min=True),
                      st.floats(-1e6, -90.0, exclude_max=True),
                      st.just(float("nan"))),
)
def test_latitude_outside_range_is_rejected(lat_deg):
    with pytest.raises(CoordinateRangeError, match=r"\[-90, 90\]"):
        el.site_position(lat_deg, 0.0, 0.0)
    with pytest.raises(CoordinateRangeError, match=r"\[-90, 90\]"):
        el.site_position(np.array([0.0, lat_deg]), 0.0, 0.0)
    if np.isfinite(lat_deg) and abs(lat_deg) > 90.0 + 1e-9:
        with pytest.raises(CoordinateRangeError, match="latitude"):
            el.planetodetic_to_cartesian(np.radians(lat_deg), 0.0, 0.0)
        with pytest.raises(CoordinateRangeError):
            el.planetocentric_to_cartesian(np.radians(lat_deg), 0.0, 1.0)


def test_error_message_names_value_and_range():
    with pytest.raises(CoordinateRangeError) as info:
        el.site_position(95.5, 10.0)
    message = str(info.value)
    assert "lat_deg 95.5" in message and "[-90, 90]" in message and "north-positive" in message
    assert isinstance(info.value, ValueError)


def test_mars_defaults_and_named_ellipsoids():
    assert (el.MARS_ELLIPSOID.a, el.MARS_ELLIPSOID.c) == MARS
    assert el.ellipsoid_of("earth").c == pytest.approx(6356.752314245, abs=1e-9)
    x = el.planetodetic_to_cartesian(0.0, 0.0, 0.0)
    assert np.allclose(x, [3396.19, 0.0, 0.0])
    z = el.planetodetic_to_cartesian(np.pi / 2, 0.0, 0.0)
    assert np.allclose(z, [0.0, 0.0, 3376.20])
