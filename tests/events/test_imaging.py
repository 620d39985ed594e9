"""Imaging opportunities against SPICE's ilumin/subpnt geometry and a dense scan."""

from __future__ import annotations

import os

import numpy as np
import pytest

from areo.ephem import TabulatedTrajectory
from areo.errors import ParameterError
from areo.events import daylight
from areo.events.imaging import imaging_opportunities
from areo.frames import from_iau_mars, surface_point
from tests.events.conftest import GM_MARS, R_EQ
from tests.spice_kernels import scratch_dir

IMAGER = -1430


@pytest.fixture(scope="module")
def overflight(spice):
    """A 400 km circular orbit that passes straight over Jezero at local noon (built with
    SPICE's prop2b and written as an SPK type 13 too)."""
    day = daylight("jezero", "2021-02-23", "2021-02-24")[0]
    t_noon = float(day.noon_et[0])
    site = surface_point("jezero")
    up = from_iau_mars(site.position_km / np.linalg.norm(site.position_km), t_noon)
    north = from_iau_mars(site.enu[1], t_noon)
    r = R_EQ + 400.0
    s_noon = np.concatenate([r * up, np.sqrt(GM_MARS / r) * north])
    et = t_noon + 20.0 * np.arange(-540, 541)
    states = np.array([spice.prop2b(GM_MARS, s_noon, t - t_noon) for t in et])
    path = os.path.join(scratch_dir("img-"), "img.bsp")
    h = spice.spkopn(path, "img", 0)
    spice.spkw13(h, IMAGER, 499, "J2000", et[0], et[-1], "img", 5, len(et), states, et)
    spice.spkcls(h)
    spice.furnsh(path)
    yield TabulatedTrajectory(et, states, name="imager"), t_noon
    spice.unload(path)


def _spice_angles(spice, et, target_xyz):
    """Off-nadir (from SPICE's near-point sub-spacecraft point), incidence, emission, phase."""
    spoint, _, _ = spice.subpnt("NEAR POINT/ELLIPSOID", "MARS", et, "IAU_MARS", "NONE",
                                str(IMAGER))
    obs, _ = spice.spkpos(str(IMAGER), et, "IAU_MARS", "NONE", "MARS")
    off = spice.vsep(np.asarray(spoint) - obs, target_xyz - obs)
    _, _, phase, inc, emi = spice.ilumin("ELLIPSOID", "MARS", et, "IAU_MARS", "NONE",
                                         str(IMAGER), target_xyz)
    return np.degrees([off, inc, emi, phase])


def test_overflight_against_spice(spice, overflight):
    traj, t_noon = overflight
    site = surface_point("jezero")
    opp = imaging_opportunities(traj, "jezero", t_noon - 3600.0, t_noon + 3600.0,
                                max_off_nadir_deg=10.0, max_incidence_deg=60.0)
    assert len(opp) == 1
    assert abs(opp.best_et[0] - t_noon) < 2.0
    ref = _spice_angles(spice, float(opp.best_et[0]), np.array(site.position_km))
    # the off-nadir minimum is flat (~0 deg): compare the angles at the same instant
    np.testing.assert_allclose(
        [opp.off_nadir_deg[0], opp.incidence_deg[0], opp.emission_deg[0], opp.phase_deg[0]],
        ref, atol=0.01)
    # 4.6 m/px from 400 km for CaSSIS (ESA/Thomas et al. 2017)
    assert opp.gsd_m[0] == pytest.approx(4.6, abs=0.05)
    # window edges against a 0.5 s scan of SPICE's off-nadir angle
    w = opp.windows[0]
    grid = np.arange(float(w.start.et) - 5.0, float(w.end.et) + 5.0, 0.5)
    off = np.array([_spice_angles(spice, float(t), np.array(site.position_km))[0]
                    for t in grid])
    inside = grid[off < 10.0]
    assert abs(inside[0] - float(w.start.et)) < 0.6 and abs(inside[-1] - float(w.end.et)) < 0.6


def test_night_pass_is_no_opportunity(overflight):
    traj, t_noon = overflight
    # a sol later the same orbit no longer passes over Jezero at noon; the incidence limit
    # alone (Sun within 1 deg of the zenith is impossible at 18 N in Feb 2021) gives none
    opp = imaging_opportunities(traj, "jezero", t_noon - 3600.0, t_noon + 3600.0,
                                max_incidence_deg=1.0)
    assert len(opp) == 0 and repr(opp).endswith(": 0 windows over jezero")


def test_bad_limits(overflight):
    traj, t_noon = overflight
    with pytest.raises(ParameterError, match="max_off_nadir_deg"):
        imaging_opportunities(traj, "jezero", t_noon, t_noon + 60.0, max_off_nadir_deg=0.0)
    with pytest.raises(ParameterError, match="ifov"):
        imaging_opportunities(traj, "jezero", t_noon, t_noon + 60.0, ifov_urad=-1.0)
