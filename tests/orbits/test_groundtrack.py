"""Ground tracks against SPICE (pxform J2000 -> IAU_MARS with the IAU 2015 PCK, reclat)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo.constants import SOL_MARS24_S
from areo.orbits import Orbit
from areo.orbits.groundtrack import groundtrack
from areo.time import Time


def test_groundtrack_matches_spice(spice):
    o = Orbit.from_catalog("tgo")
    t = Time.arange(o.epoch, o.epoch + 7200.0, 120.0)
    tr = o.propagate(t, model="kepler")
    gt = tr.groundtrack()
    for j in range(0, len(t), 7):
        m = np.array(spice.pxform("J2000", "IAU_MARS", float(t.et[j])))
        fixed = m @ tr.states[j, :3]
        _, lon, lat = spice.reclat(fixed)
        assert gt.lat_deg[j] == pytest.approx(math.degrees(lat), abs=1e-9)
        assert ((gt.lon_east_deg[j] - math.degrees(lon) + 180) % 360 - 180) == pytest.approx(
            0, abs=1e-9)
        _, _, alt = spice.recgeo(fixed, 3396.19, (3396.19 - 3376.20) / 3396.19)
        assert gt.alt_km[j] == pytest.approx(alt, abs=1e-6)


def test_tgo_groundtrack_over_a_sol_and_plot(tmp_path):
    o = Orbit.from_catalog("tgo")
    t = Time.arange(o.epoch, o.epoch + SOL_MARS24_S, 60.0)
    gt = groundtrack(o, t, model="j2mean")
    assert np.nanmax(gt.lat_deg) == pytest.approx(74.0, abs=0.05)
    assert np.nanmin(gt.lat_deg) == pytest.approx(-74.0, abs=0.05)
    assert 370 < np.nanmin(gt.alt_km) and np.nanmax(gt.alt_km) < 440
    assert list(gt.to_frame().columns) == ["utc", "lat_deg", "lon_east_deg", "alt_km"]
    path = tmp_path / "tgo.png"
    gt.plot(path)
    assert path.stat().st_size > 10_000
