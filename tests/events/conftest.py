"""A two-body orbiter shared by the event tests, as an SPK for SPICE and a table for areo."""

from __future__ import annotations

import os

import numpy as np
import pytest

from areo.ephem import TabulatedTrajectory
from areo.time import Time
from tests.spice_kernels import scratch_dir

GM_MARS = 42828.375816
R_EQ = 3396.19
ORBITER = -143  # TGO's NAIF ID, used here for a made-up two-body orbit


@pytest.fixture(scope="session")
def orbiter(spice):
    """A 400 km two-body orbit (74 deg to the ICRF equator, about 38 deg to Mars's) sampled by
    SPICE's prop2b every 30 s for 2 days,
    written as an SPK type 13 for SPICE and tabulated for areo."""
    r = R_EQ + 400.0
    v = np.sqrt(GM_MARS / r)
    inc, node = np.radians(74.0), np.radians(40.0)
    s0 = np.array([r * np.cos(node), r * np.sin(node), 0.0,
                   -v * np.cos(inc) * np.sin(node), v * np.cos(inc) * np.cos(node),
                   v * np.sin(inc)])
    et0 = float(Time("2021-02-23T00:00Z").et)
    et = et0 + 30.0 * np.arange(int(2 * 86400 / 30) + 1)
    states = np.array([spice.prop2b(GM_MARS, s0, t - et0) for t in et])
    path = os.path.join(scratch_dir("orb-"), "orb.bsp")
    h = spice.spkopn(path, "orb", 0)
    spice.spkw13(h, ORBITER, 499, "J2000", et[0], et[-1], "orb", 5, len(et), states, et)
    spice.spkcls(h)
    spice.furnsh(path)
    yield TabulatedTrajectory(et, states, name="orb"), et0
    spice.unload(path)
