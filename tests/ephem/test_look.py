"""look(): the sky of a Mars site against SPICE's azlcpo on the same kernels."""

from __future__ import annotations

import numpy as np
import pytest

from areo.ephem import look
from areo.frames import surface_point
from areo.time import Time


@pytest.mark.parametrize("site", ["jezero", "oxia planum", "gale"])
@pytest.mark.parametrize(("target", "spice_target"), [("earth", "EARTH"), ("sun", "SUN")])
def test_site_sky_against_spice_azlcpo(spice, site, target, spice_target):
    """SPICE azlcpo (ELLIPSOID method, IAU_MARS from the IAU 2015 PCK, DE440, 'CN') solves
    light time from the site itself, areo at the centre of Mars: that moves the target by
    < 1 mas and its range by < 1 km."""
    t = Time.linspace("2021-02-18T20:55Z", "2031-01-01", 40)
    ours = look(site, target, t, abcorr="cn")
    point = surface_point(site)
    for k, et in enumerate(t.et):
        azl, _ = spice.azlcpo("ELLIPSOID", spice_target, float(et), "CN", False, True,
                              np.array(point.position_km), "MARS", "IAU_MARS")
        assert ours.range_km[k] == pytest.approx(azl[0], abs=1.0)
        daz = (np.degrees(ours.az[k] - azl[1]) + 180.0) % 360.0 - 180.0
        assert abs(daz) * np.cos(azl[2]) < 1e-5
        assert np.degrees(ours.el[k] - azl[2]) == pytest.approx(0.0, abs=1e-5)
        assert ours.range_rate_kms[k] == pytest.approx(azl[3], abs=1e-3)


def test_station_mars_rises_and_sets_once_a_day():
    """Physical invariant at New Norcia (31.05 S) for Mars at +13.8 deg declination: one rise
    and one set per day, culminating due north at 90 - |-31.05 - 13.8| = 45.2 deg (0.1 deg
    more with the declination of date). The station az/el path itself is checked against
    erfa and astropy in tests/frames."""
    t = Time.arange("2026-11-24", "2026-11-25", 600.0)
    el = look("new norcia", "mars", t).el_deg
    assert 45.0 < el.max() < 45.5 and el.min() < -30.0
    assert np.count_nonzero(np.diff(np.sign(el))) == 2  # one rise and one set per day
