"""Swath coverage against a brute force written here (every cell against every track point)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from areo.errors import ParameterError
from areo.events.coverage import MEAN_RADIUS_KM, coverage
from areo.frames import cartesian_to_planetodetic, to_iau_mars


def test_coverage_map_against_brute_force(orbiter, tmp_path):
    traj, et0 = orbiter
    t1 = et0 + 6 * 3600.0
    swath = 300.0
    cov = coverage(traj, et0, t1, swath_km=swath, cell_deg=3.0)
    # brute force: track every 2 s, the great-circle distance from each cell centre to its
    # nearest track point
    et = np.arange(et0, t1 + 1e-9, 2.0)
    lat, lon, _ = cartesian_to_planetodetic(to_iau_mars(traj.state(et)[:, :3], et))
    track = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], 1)
    clat, clon = np.meshgrid(np.radians(cov.lat_centers_deg), np.radians(cov.lon_centers_deg),
                             indexing="ij")
    cells = np.stack([np.cos(clat) * np.cos(clon), np.cos(clat) * np.sin(clon),
                      np.sin(clat)], -1).reshape(-1, 3)
    # the nearest track point by chord is the nearest by arc (scipy's k-d tree finds it
    # exactly, instead of a 7200 x 10800 matrix of cosines): arc = 2 asin(chord / 2)
    chord, _ = cKDTree(track).query(cells)
    dist = MEAN_RADIUS_KM * 2.0 * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    truth = (dist <= swath / 2).reshape(cov.passes.shape)
    # cells whose centre lies within 5 km of the swath edge may differ by track sampling
    sure = (np.abs(dist - swath / 2) > 5.0).reshape(cov.passes.shape)
    assert np.array_equal(cov.covered[sure], truth[sure])
    assert truth.sum() > 50
    # area-weighted fraction from the brute-force map, same weights as the docs say
    w = np.cos(np.radians(cov.lat_centers_deg))[:, None] * np.ones(truth.shape[1])
    assert cov.fraction() == pytest.approx((w * truth).sum() / w.sum(), abs=0.01)
    path = tmp_path / "cov.png"
    cov.plot(path)
    assert path.stat().st_size > 10_000
    assert len(cov.to_frame()) == cov.passes.size


def test_revisits_count_distinct_passes(orbiter):
    traj, et0 = orbiter
    one = coverage(traj, et0, et0 + 3 * 3600.0, swath_km=400.0, cell_deg=2.0)
    two = coverage(traj, et0, et0 + 6 * 3600.0, swath_km=400.0, cell_deg=2.0)
    assert one.passes.max() <= two.passes.max() and two.fraction() >= one.fraction()
    # a pass lasts under a minute over a 2-deg cell: no cell is counted per sample
    assert two.passes.max() < 10


def test_bad_input(orbiter):
    traj, et0 = orbiter
    with pytest.raises(ParameterError, match="swath_km"):
        coverage(traj, et0, et0 + 60.0, swath_km=0.0)
    with pytest.raises(ParameterError, match="divide 180"):
        coverage(traj, et0, et0 + 60.0, swath_km=10.0, cell_deg=7.0)
    with pytest.raises(ParameterError, match="empty or inverted"):
        coverage(traj, et0 + 60.0, et0, swath_km=10.0)
