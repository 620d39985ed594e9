"""Passes against SPICE's geometry finder, a closed form and a dense brute force."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import CoordinateRangeError, ParameterError
from areo.events import passes
from areo.frames import SurfacePoint, from_iau_mars, surface_point
from tests.events.conftest import GM_MARS, ORBITER, R_EQ
from tests.spice_kernels import load_mars_site


@pytest.fixture(scope="module")
def jezero(spice):
    p = surface_point("jezero")
    return load_mars_site("jezero_p", 499902, p.position_km, p.lat, p.lon)


def test_passes_against_spice_gfposc(spice, orbiter, jezero):
    traj, et0 = orbiter
    t0, t1 = et0 + 60.0, et0 + 2 * 86400.0 - 60.0
    found = passes(traj, "jezero", t0, t1, min_elev_deg=10.0)
    cnfine = spice.cell_double(2)
    spice.wninsd(t0, t1, cnfine)
    result = spice.cell_double(2000)
    spice.gfposc(str(ORBITER), jezero, "NONE", "JEZERO_P", "LATITUDINAL", "LATITUDE", ">",
                 np.radians(10.0), 0.0, 20.0, 1000, cnfine, result)
    ref = np.array([spice.wnfetd(result, k) for k in range(spice.wncard(result))])
    assert len(found) == len(ref) > 0
    aos = np.array([p.aos.et for p in found])
    los = np.array([p.los.et for p in found])
    np.testing.assert_allclose(aos, ref[:, 0], atol=2e-3)
    np.testing.assert_allclose(los, ref[:, 1], atol=2e-3)
    # Culmination and minimum range against SPICE positions at the found epochs
    for p in found:
        pos, _ = spice.spkpos(str(ORBITER), float(p.tmax.et), jezero, "NONE", "JEZERO_P")
        assert p.max_elev_deg == pytest.approx(np.degrees(spice.reclat(pos)[2]), abs=1e-6)
        assert p.min_range_km <= np.linalg.norm(pos) + 1e-6


def test_dense_brute_force_with_azimuth_mask(orbiter):
    """An azimuth-dependent mask against a 0.1 s scan written here from the states."""
    traj, et0 = orbiter
    t0, t1 = et0 + 60.0, et0 + 86400.0
    mask = ([0.0, 90.0, 180.0, 270.0], [5.0, 20.0, 5.0, 30.0])
    found = passes(traj, "oxia planum", t0, t1, min_elev_deg=mask)
    site = surface_point("oxia planum")
    grid = np.arange(t0, t1, 0.1)
    body = np.empty((grid.size, 3))
    for k in range(0, grid.size, 100000):
        part = grid[k:k + 100000]
        from areo.frames import to_iau_mars

        body[k:k + 100000] = to_iau_mars(traj.state(part)[:, :3], part)
    enu = (body - site.position_km) @ site.enu.T
    el = np.degrees(np.arcsin(enu[:, 2] / np.linalg.norm(enu, axis=1)))
    az = np.degrees(np.arctan2(enu[:, 0], enu[:, 1])) % 360.0
    limit = np.interp(az, [0.0, 90.0, 180.0, 270.0, 360.0], [5.0, 20.0, 5.0, 30.0, 5.0])
    vis = el > limit
    starts = grid[np.flatnonzero(vis & ~np.concatenate([[False], vis[:-1]]))]
    assert len(found) == starts.size > 0
    # The scan brackets each rise between two samples 0.1 s apart: within 0.05 s of their
    # midpoint (the oracle), plus the search tolerance.
    np.testing.assert_allclose([p.aos.et for p in found], starts - 0.05, atol=0.05 + 1e-3)
    ends = grid[np.flatnonzero(vis & ~np.concatenate([vis[1:], [False]]))]
    np.testing.assert_allclose([p.los.et for p in found], ends + 0.05, atol=0.05 + 1e-3)


def test_equatorial_orbit_closed_form():
    """Circular equatorial orbit over an equatorial site: pass duration
    2 * (arccos(R cos(e) / r) - e) / |n - omega_mars| (geometry on a great circle)."""
    r = R_EQ + 400.0
    n = np.sqrt(GM_MARS / r**3)
    w_mars = np.radians(350.891982443297) / 86400.0
    rel = n - w_mars

    def state(et):
        et = np.asarray(et, dtype=float)
        ang = rel * (et - 7.0e8)
        body = np.stack([r * np.cos(ang), r * np.sin(ang), np.zeros_like(ang)], axis=-1)
        return np.concatenate([from_iau_mars(body, et), np.zeros_like(body)], axis=-1)

    site = SurfacePoint.from_planetocentric_deg(0.0, 0.0, 0.0, body="mars", name="eq")
    found = passes(state, site, 7.0e8 - 100.0, 7.0e8 + 86400.0, min_elev_deg=10.0)
    e = np.radians(10.0)
    expected = 2.0 * (np.arccos(R_EQ * np.cos(e) / r) - e) / rel
    full = [p.duration_s for p in found][1:-1]
    assert len(full) >= 10
    np.testing.assert_allclose(full, expected, atol=2e-3)
    assert all(abs(p.max_elev_deg - 90.0) < 1e-3 for p in list(found)[1:-1])


def test_bad_input():
    with pytest.raises(CoordinateRangeError, match="90"):
        passes(lambda et: np.zeros((np.size(et), 6)), "jezero", 0.0, 100.0, min_elev_deg=95)
    with pytest.raises(ParameterError, match="empty or inverted"):
        passes(lambda et: np.zeros((np.size(et), 6)), "jezero", 100.0, 0.0)
    with pytest.raises(ParameterError, match="state"):
        passes(42, "jezero", 0.0, 100.0)


def _spice_elev_deg(spice, frame, et):
    return np.array([np.degrees(spice.reclat(spice.spkpos(str(ORBITER), float(t), frame, "NONE",
                                                          "JEZERO_P")[0])[2]) for t in et])


def test_passes_cut_by_the_span_are_flagged(spice, orbiter, jezero):
    """A span that opens inside one pass and closes inside a later one: the first pass
    carries clipped_start, the last clipped_end, those between neither. SPICE (spkpos in
    the site frame, elevation = latitude) shows the orbiter above the 10 deg mask for the
    first and last 10 s of the span, sampled every second, and below it at the edges of
    the span that holds whole passes only."""
    traj, et0 = orbiter
    t0, t1 = et0 + 60.0, et0 + 2 * 86400.0 - 60.0
    whole = passes(traj, "jezero", t0, t1, min_elev_deg=10.0)
    assert len(whole) >= 4
    assert np.all(_spice_elev_deg(spice, jezero, [t0, t1]) < 10.0)
    assert not any(p.clipped_start or p.clipped_end for p in whole)

    first, last = whole[1], whole[3]
    ts = float(first.aos.et) + 0.4 * first.duration_s
    te = float(last.aos.et) + 0.5 * last.duration_s
    assert np.all(_spice_elev_deg(spice, jezero, ts + np.arange(0.0, 11.0)) > 10.0)
    assert np.all(_spice_elev_deg(spice, jezero, te - np.arange(0.0, 11.0)) > 10.0)
    cut = passes(traj, "jezero", ts, te, min_elev_deg=10.0)
    assert len(cut) == 3
    assert cut[0].clipped_start and not cut[0].clipped_end
    assert float(cut[0].aos.et) == ts and float(cut[0].los.et) == pytest.approx(
        float(first.los.et), abs=2e-3)
    assert not (cut[1].clipped_start or cut[1].clipped_end)
    assert cut[2].clipped_end and not cut[2].clipped_start and float(cut[2].los.et) == te
    rows = cut.to_records()
    assert [(r["clipped_start"], r["clipped_end"]) for r in rows] == [
        (True, False), (False, False), (False, True)]
    frame = cut.to_frame()
    assert list(frame["clipped_start"]) == [True, False, False]
    assert list(frame["clipped_end"]) == [False, False, True]
