"""The ecliptic J2000 frame (SPICE's ECLIPJ2000): ICRF/J2000 rotated about x by the J2000
obliquity of the IAU 1976 model, 84381.448 arcsec."""

from __future__ import annotations

import numpy as np

from areo.constants import OBLIQUITY_J2000_RAD

__all__ = ["ECLIPJ2000_TO_ICRF", "ICRF_TO_ECLIPJ2000"]

_c, _s = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)

#: Rotation taking ICRF/J2000 equatorial vectors to ecliptic J2000 (row-vector form: v @ M.T).
ICRF_TO_ECLIPJ2000 = np.array([[1.0, 0.0, 0.0], [0.0, _c, _s], [0.0, -_s, _c]])
ECLIPJ2000_TO_ICRF = ICRF_TO_ECLIPJ2000.T.copy()
ICRF_TO_ECLIPJ2000.setflags(write=False)
ECLIPJ2000_TO_ICRF.setflags(write=False)
