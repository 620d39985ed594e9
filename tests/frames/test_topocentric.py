"""Look angles at Mars sites against SPICE geometry primitives.

Elevation: 90 deg - vsep(surface normal, target - site). Azimuth: a topocentric frame built
with twovec (z = the normal, x = the body +z axis projected on the horizon, i.e. north),
then recazl with azimuth clockwise from +x seen from +z (north through east).
"""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import CoordinateRangeError, ParameterError
from areo.frames import mars, topocentric
from areo.frames.topocentric import SurfacePoint

MARS = (3396.19, 3376.20)
# Catalog form: planetocentric latitude, east longitude (deg), height above the ellipsoid.
SITES = {
    "Jezero": (18.4447, 77.4508, -2.6),
    "Oxia Planum": (18.275, 335.368, -3.0),
    "near north pole": (89.7, 45.0, 0.5),
}
ANGLE_TOL = 1e-11  # rad; the geometry is exact on both sides, float64 rounding only


def _spice_site(sp, lat_deg, lon_deg, h):
    surface = np.array(sp.srfrec(499, np.radians(lon_deg), np.radians(lat_deg)))
    normal = np.array(sp.surfnm(MARS[0], MARS[0], MARS[1], surface))
    return surface + h * normal, normal


def _targets(rng, site, n=400):
    """Orbiter-like points 250..20000 km above the site region, some below the horizon."""
    u = rng.normal(size=(n, 3))
    u /= np.linalg.norm(u, axis=-1, keepdims=True)
    return site + u * rng.uniform(250.0, 20000.0, (n, 1))


@pytest.mark.parametrize("name", list(SITES))
def test_az_el_range_vs_spice(spice_mars2015, name):
    sp = spice_mars2015
    lat_deg, lon_deg, h = SITES[name]
    site_ref, normal = _spice_site(sp, lat_deg, lon_deg, h)
    point = SurfacePoint.from_planetocentric_deg(lat_deg, lon_deg, h, name=name)
    assert np.max(np.abs(point.position_km - site_ref)) < 1e-9
    assert np.max(np.abs(point.up - normal)) < 1e-14
    targets = _targets(np.random.default_rng(len(name)), site_ref)
    look = point.look(targets)
    ref_el = np.array([np.pi / 2 - sp.vsep(normal, t - site_ref) for t in targets])
    topo = np.array(sp.twovec(normal, 3, [0.0, 0.0, 1.0], 1))  # x north, y west, z up
    ref = np.array([sp.recazl(sp.mxv(topo, t - site_ref), False, True) for t in targets])
    assert np.max(np.abs(look.el - ref_el)) < ANGLE_TOL
    assert np.max(np.abs(look.el - ref[:, 2])) < ANGLE_TOL
    assert np.max(np.abs(look.range_km - ref[:, 0])) < 1e-9
    daz = np.angle(np.exp(1j * (look.az - ref[:, 1])))
    assert np.max(np.abs(daz[np.abs(look.el) < np.radians(89.9)])) < 1e-9
    assert np.all((look.az >= 0) & (look.az < 2 * np.pi))
    assert np.all(look.el > -np.pi / 2) and np.any(look.el < 0) and np.any(look.el > 0)


def test_cardinal_directions_at_jezero():
    """Unit steps east/north/up from the site read az 90/0 deg and el 0/90 deg."""
    p = SurfacePoint.from_planetocentric_deg(*SITES["Jezero"])
    east, north, up = p.enu
    look = p.look(p.position_km + 10.0 * np.stack([east, north, up, -east]))
    assert np.allclose(look.az_deg[[0, 1, 3]], [90.0, 0.0, 270.0], atol=1e-9)
    assert np.allclose(look.el_deg, [0.0, 0.0, 90.0, 0.0], atol=1e-9)
    # Planetodetic latitude of the surface point: tan(lat_d) = (a/c)^2 tan(lat_c), i.e.
    # the normal tilts 0.204 deg poleward of the radius at 18.4 N.
    a, c = MARS
    lat_d = np.degrees(np.arctan((a / c) ** 2 * np.tan(np.radians(18.4447))))
    assert p.lat_deg == pytest.approx(lat_d, abs=1e-12)
    # 2.6 km down the normal moves the point by 2.6 km * sin(0.204 deg) horizontally:
    # 1.6e-4 deg of planetocentric latitude.
    assert p.lat_centric_deg == pytest.approx(18.4447 - 1.6e-4, abs=2e-5)


def test_range_rate_is_the_derivative_of_range(spice_mars2015):
    sp = spice_mars2015
    site_ref, _ = _spice_site(sp, *SITES["Oxia Planum"])
    point = SurfacePoint.from_planetocentric_deg(*SITES["Oxia Planum"])
    rng = np.random.default_rng(1)
    r0 = _targets(rng, site_ref, 50)
    v = rng.normal(size=(50, 3)) * 3.0
    look = point.look(np.concatenate([r0, v], axis=-1))
    dt = 1e-3
    numeric = np.array(
        [(sp.vdist(r + dt * w, site_ref) - sp.vdist(r - dt * w, site_ref)) / (2 * dt)
         for r, w in zip(r0, v, strict=True)]
    )
    assert np.max(np.abs(look.range_rate_kms - numeric)) < 1e-8


def test_site_look_from_icrf_vs_spice(spice_mars2015):
    """ICRF (Mars-centred) targets: rotate with pxform, then the SPICE geometry above."""
    sp = spice_mars2015
    lat_deg, lon_deg, h = SITES["Jezero"]
    site_ref, normal = _spice_site(sp, lat_deg, lon_deg, h)
    point = SurfacePoint.from_planetocentric_deg(lat_deg, lon_deg, h)
    rng = np.random.default_rng(4)
    et = rng.uniform(6e8, 9e8, 100)
    targets_icrf = rng.normal(size=(100, 3)) * 5000.0
    look = mars.site_look(point, targets_icrf, et)
    topo = np.array(sp.twovec(normal, 3, [0.0, 0.0, 1.0], 1))
    ref = np.array([
        sp.recazl(sp.mxv(topo, sp.mxv(sp.pxform("J2000", "IAU_MARS", e), t) - site_ref),
                  False, True)
        for e, t in zip(et, targets_icrf, strict=True)
    ])
    assert np.max(np.abs(look.el - ref[:, 2])) < 1e-10
    assert np.max(np.abs(np.angle(np.exp(1j * (look.az - ref[:, 1]))))) < 1e-9
    assert look.to_frame().shape == (100, 3)


def test_vectorised_functions_match_surface_point():
    lat = np.radians([18.0, -30.0, 60.0])
    lon = np.radians([77.0, 200.0, -10.0])
    enu = topocentric.enu_matrix(lat, lon)
    assert enu.shape == (3, 3, 3)
    assert np.allclose(enu @ np.swapaxes(enu, -1, -2), np.eye(3), atol=1e-15)
    assert np.allclose(np.linalg.det(enu), 1.0)  # right-handed: east x north = up
    sites = np.stack([SurfacePoint.from_planetodetic(la, lo, 1.0).position_km
                      for la, lo in zip(lat, lon, strict=True)])
    assert np.allclose(topocentric.enu_at(sites), enu, atol=1e-14)
    targets = np.array([[4000.0, 100.0, 1200.0], [-3000.0, -1500.0, -1000.0], [0.0, 0, 5000]])
    look = topocentric.look_angles(sites, enu, targets)
    for k in range(3):
        one = SurfacePoint.from_planetodetic(lat[k], lon[k], 1.0).look(targets[k])
        assert look.el[k] == pytest.approx(one.el, abs=1e-15)
        assert look.range_km[k] == pytest.approx(one.range_km, rel=1e-15)
    # (n_epochs, n_targets) grid through broadcasting
    grid = topocentric.look_angles(sites[0], enu[0], np.broadcast_to(targets, (5, 3, 3)))
    assert grid.az.shape == (5, 3)


def test_from_deg_picks_each_bodys_convention():
    mars_site = SurfacePoint.from_deg(18.4447, 77.4508, -2.6, body="mars", name="Jezero")
    ref = SurfacePoint.from_planetocentric_deg(18.4447, 77.4508, -2.6)
    assert np.array_equal(mars_site.position_km, ref.position_km)
    assert mars_site.name == "Jezero" and mars_site.body == "mars"
    station = SurfacePoint.from_deg(-31.04823, 116.19150, 0.25226, body="earth")
    assert station.lat_deg == pytest.approx(-31.04823, abs=1e-12)
    explicit = SurfacePoint.from_deg(10.0, 20.0, body="mars", latitude="planetodetic")
    assert explicit.lat_deg == pytest.approx(10.0, abs=1e-12)
    with pytest.raises(ParameterError, match="latitude kind"):
        SurfacePoint.from_deg(10.0, 20.0, latitude="geocentricish")


def test_bad_inputs():
    with pytest.raises(CoordinateRangeError):
        SurfacePoint.from_planetocentric_deg(91.0, 0.0)
    with pytest.raises(CoordinateRangeError):
        topocentric.enu_matrix(2.0, 0.0)
    with pytest.raises(ParameterError, match="last axis"):
        topocentric.look_angles(np.zeros(3), np.eye(3), np.zeros((2, 4)))
    with pytest.raises(ParameterError, match="body"):
        SurfacePoint.from_planetodetic_deg(0.0, 0.0, body="venus")
    earth_site = SurfacePoint.from_planetodetic_deg(0.0, 0.0, body="earth")
    with pytest.raises(ParameterError, match="Mars"):
        mars.site_look(earth_site, np.ones(3), 0.0)
