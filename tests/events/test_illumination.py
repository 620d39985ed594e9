"""Daylight at Mars sites against SPICE's geometry finder (gfposc) on the same kernels."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import CoordinateRangeError, ParameterError
from areo.events import daylight, ltst_windows, solar_elevation
from areo.frames import surface_point
from areo.time import Time, local_true_solar_time
from tests.spice_kernels import load_mars_site


@pytest.fixture(scope="module")
def jezero_frame(spice):
    p = surface_point("jezero")
    return load_mars_site("jezero", 499901, p.position_km, p.lat, p.lon)


def _spice_windows(spice, frame, observer, et0, et1, min_elev_deg):
    cnfine = spice.cell_double(2)
    spice.wninsd(et0, et1, cnfine)
    result = spice.cell_double(2000)
    spice.gfsstp(60.0)
    spice.gfposc("SUN", frame, "CN", observer, "LATITUDINAL", "LATITUDE", ">",
                 np.radians(min_elev_deg), 0.0, 600.0, 1000, cnfine, result)
    n = spice.wncard(result)
    return np.array([spice.wnfetd(result, k) for k in range(n)]).reshape(n, 2)


@pytest.mark.parametrize("min_elev", [0.0, 25.0])
def test_jezero_daylight_against_spice_gfposc(spice, jezero_frame, min_elev):
    """Two weeks after Perseverance's landing. SPICE solves light time from the site, areo
    from the centre of Mars (< 11 ms of light time, far below the sunrise rate of change),
    so edges agree to the 1 ms tolerance plus SPICE's own convergence (1e-6 s default)."""
    t0, t1 = Time("2021-02-18T20:43Z"), Time("2021-03-04T00:00Z")
    ours = daylight("jezero", t0, t1, min_elev_deg=min_elev)
    ref = _spice_windows(spice, jezero_frame, "JEZERO", float(t0.et), float(t1.et), min_elev)
    assert len(ours.windows) == len(ref)
    np.testing.assert_allclose(ours.windows.starts, ref[:, 0], atol=5e-3)
    np.testing.assert_allclose(ours.windows.ends, ref[:, 1], atol=5e-3)
    # Elevation itself against SPICE at the found noons.
    for et, el in zip(ours.noon_et, ours.max_elev_deg, strict=True):
        pos, _ = spice.spkpos("SUN", float(et), jezero_frame, "CN", "JEZERO")
        assert el == pytest.approx(np.degrees(spice.reclat(pos)[2]), abs=1e-6)


def test_sunrise_at_6_ltst_near_equinox():
    """At Ls ~ 5 deg (near equinox) at 18 N, true-solar sunrise is close to 06:00 LTST,
    and noon (the Sun's culmination) is at 12:00 LTST to within the Mars24 clock's fit."""
    day = daylight("jezero", "2021-02-19", "2021-02-24")
    rises = day.sunrise_ltst_hours[1:]
    assert np.all(np.abs(rises - 6.0) < 0.25)
    noon_ltst = np.asarray(local_true_solar_time(Time.from_et(day.noon_et), 77.4508))
    assert np.all(np.abs(noon_ltst - 12.0) * 3600.0 < 60.0)  # Mars24 vs DE440: < 1 min


def test_multi_site_search_equals_single_site_searches():
    both = daylight(["jezero", "gale"], "2021-02-19", "2021-02-22", min_elev_deg=5.0)
    for name, res in zip(("jezero", "gale"), both, strict=True):
        alone = daylight(name, "2021-02-19", "2021-02-22", min_elev_deg=5.0)
        np.testing.assert_allclose(res.windows.starts, alone.windows.starts, atol=1e-3)


def test_ltst_windows_brute_force():
    """LTST windows against a dense 1 s scan of the Mars24 clock."""
    t0, t1 = Time("2021-02-19"), Time("2021-02-21")
    win = ltst_windows("jezero", t0, t1, 22.0, 2.0)
    grid = np.arange(float(t0.et), float(t1.et), 1.0)
    ltst = np.asarray(local_true_solar_time(Time.from_et(grid), 77.4508))
    inside = (ltst >= 22.0) | (ltst <= 2.0)
    assert win.contains(grid[inside]).all()
    # outside samples more than a second from an edge lie outside every window
    edges = np.concatenate([win.starts, win.ends])
    far = np.min(np.abs(grid[:, None] - edges[None, :]), axis=1) > 1.0
    assert not win.contains(grid[~inside & far]).any()
    assert abs(win.total_duration - inside.sum()) <= 2.0 * len(win)


def test_bad_input():
    with pytest.raises(CoordinateRangeError, match="-90, 90"):
        daylight("jezero", "2021-01-01", "2021-01-02", min_elev_deg=95.0)
    with pytest.raises(ParameterError, match="empty or inverted"):
        daylight("jezero", "2021-01-02", "2021-01-01")
    with pytest.raises(ParameterError, match="Mars sites"):
        solar_elevation("DSS-43", "2021-01-01")
    with pytest.raises(ParameterError, match="hour"):
        ltst_windows("jezero", "2021-01-01", "2021-01-02", 25.0, 3.0)
