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
    ours = daylight("jezero", t0, t1, min_elev_deg=min_elev)[0]
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
    day = daylight("jezero", "2021-02-19", "2021-02-24")[0]
    rises = day.sunrise_ltst_hours[1:]
    assert np.all(np.abs(rises - 6.0) < 0.25)
    noon_ltst = np.asarray(local_true_solar_time(Time.from_et(day.noon_et), 77.4508))
    assert np.all(np.abs(noon_ltst - 12.0) * 3600.0 < 60.0)  # Mars24 vs DE440: < 1 min


def test_multi_site_search_equals_single_site_searches():
    both = daylight(["jezero", "gale"], "2021-02-19", "2021-02-22", min_elev_deg=5.0)
    assert len(both) == 2 and both["gale"] is both[1]
    for name, res in zip(("jezero", "gale"), both, strict=True):
        alone = daylight(name, "2021-02-19", "2021-02-22", min_elev_deg=5.0)[0]
        np.testing.assert_allclose(res.windows.starts, alone.windows.starts, atol=1e-3)


def test_ltst_windows_brute_force():
    """LTST windows against a scan of the Mars24 clock: every 30 s over the span (windows
    last hours: none can hide between samples), every 1 s within 2 min of each edge."""
    t0, t1 = Time("2021-02-19"), Time("2021-02-21")
    win = ltst_windows("jezero", t0, t1, 22.0, 2.0)
    edges = np.concatenate([win.starts, win.ends])
    near = np.concatenate([np.arange(e - 120.0, e + 120.5, 1.0) for e in edges])
    grid = np.unique(np.concatenate([np.arange(float(t0.et), float(t1.et), 30.0),
                                     near[(near >= float(t0.et)) & (near < float(t1.et))]]))
    ltst = np.asarray(local_true_solar_time(Time.from_et(grid), 77.4508))
    inside = (ltst >= 22.0) | (ltst <= 2.0)
    assert win.contains(grid[inside]).all()
    # outside samples more than a second from an edge lie outside every window
    far = np.min(np.abs(grid[:, None] - edges[None, :]), axis=1) > 1.0
    assert not win.contains(grid[~inside & far]).any()
    # every interior edge is a 1 s crossing of 22 h or 2 h by the scan
    flips = grid[1:][inside[1:] != inside[:-1]]
    inner = edges[(edges > float(t0.et)) & (edges < float(t1.et) - 1.0)]
    assert len(flips) == len(inner)
    assert np.max(np.abs(np.sort(flips) - np.sort(inner))) <= 1.0


def test_bad_input():
    with pytest.raises(CoordinateRangeError, match="-90, 90"):
        daylight("jezero", "2021-01-01", "2021-01-02", min_elev_deg=95.0)
    with pytest.raises(ParameterError, match="empty or inverted"):
        daylight("jezero", "2021-01-02", "2021-01-01")
    with pytest.raises(ParameterError, match="Mars sites"):
        solar_elevation("DSS-43", "2021-01-01")
    with pytest.raises(ParameterError, match="hour"):
        ltst_windows("jezero", "2021-01-01", "2021-01-02", 25.0, 3.0)


def _spice_sun_elev_deg(spice, frame, et):
    return np.array([np.degrees(spice.reclat(spice.spkpos("SUN", float(t), frame, "CN",
                                                          "JEZERO")[0])[2]) for t in et])


def test_daylight_cut_by_the_span_is_flagged(spice, jezero_frame):
    """A span from one Jezero afternoon to another: the first window has clipped_start,
    null sunrise and sunrise_ltst_hours; the last clipped_end, null sunset and
    sunset_ltst_hours; whole sols between have neither. SPICE (the Sun's latitude in the
    site frame, 'CN') has the Sun up over the first and last 10 s of the span and down at
    the edges of a span that holds whole daylight windows only."""
    base = daylight("jezero", "2021-02-19T00:00Z", "2021-02-24T00:00Z")[0]
    e0 = float(Time("2021-02-19T00:00Z").et)
    e1 = 0.5 * (base.windows.ends[3] + base.windows.starts[4])  # a night
    whole = daylight("jezero", Time.from_et(e0), Time.from_et(e1))[0]
    assert len(whole) == 4
    assert np.all(_spice_sun_elev_deg(spice, jezero_frame, [e0, e1]) < 0.0)
    assert not whole.clipped_start and not whole.clipped_end
    assert all(not r["clipped_start"] and not r["clipped_end"] for r in whole.to_records())
    assert all(r["sunrise_ltst_hours"] is not None for r in whole.to_records())

    ts = float(whole.noon_et[0])  # local noon: the Sun is up
    te = float(whole.noon_et[2]) + 3600.0
    assert np.all(_spice_sun_elev_deg(spice, jezero_frame, ts + np.arange(0.0, 11.0)) > 0.0)
    assert np.all(_spice_sun_elev_deg(spice, jezero_frame, te - np.arange(0.0, 11.0)) > 0.0)
    cut = daylight("jezero", Time.from_et(ts), Time.from_et(te))[0]
    rows = cut.to_records()
    assert len(rows) == 3
    assert [(r["clipped_start"], r["clipped_end"]) for r in rows] == [
        (True, False), (False, False), (False, True)]
    assert rows[0]["sunrise"] is None and rows[0]["sunrise_ltst_hours"] is None
    assert rows[0]["sunset"] is not None and rows[0]["sunset_ltst_hours"] is not None
    assert rows[-1]["sunset"] is None and rows[-1]["sunset_ltst_hours"] is None
    assert rows[-1]["sunrise"] is not None and rows[-1]["sunrise_ltst_hours"] is not None
    assert np.isnan(cut.sunrise_ltst_hours[0]) and np.isnan(cut.sunset_ltst_hours[-1])
    frame = cut.to_frame()
    assert list(frame["clipped_start"]) == [True, False, False]
    assert list(frame["clipped_end"]) == [False, False, True]
    assert frame["sunset_ltst_hours"].isna().tolist() == [False, False, True]
