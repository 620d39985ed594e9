"""Geometry events: time windows with set algebra, a generic event finder, and
ready-made searches: site illumination, passes of orbiters over sites, eclipses, Earth
and solar occultations.

>>> from areo.events import daylight
>>> day = daylight("jezero", "2021-02-19", "2021-02-20")
>>> len(day) >= 1
True
"""

from areo.events.finder import Extrema, check_step, find_extrema, find_windows, window_extrema
from areo.events.illumination import Daylight, daylight, ltst_windows, solar_elevation
from areo.events.occultation import (
    Eclipses,
    SolarOccultations,
    earth_occultations,
    eclipses,
    solar_occultations,
)
from areo.events.passes import Pass, Passes, as_trajectory, passes
from areo.events.windows import Window, Windows

__all__ = [
    "Daylight",
    "Eclipses",
    "Extrema",
    "Pass",
    "Passes",
    "SolarOccultations",
    "Window",
    "Windows",
    "as_trajectory",
    "check_step",
    "daylight",
    "earth_occultations",
    "eclipses",
    "find_extrema",
    "find_windows",
    "ltst_windows",
    "passes",
    "solar_elevation",
    "solar_occultations",
    "window_extrema",
]
