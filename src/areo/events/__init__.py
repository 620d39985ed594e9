"""Geometry events: time windows with set algebra, a generic event finder, and
ready-made searches: site illumination and passes of orbiters over sites.

>>> from areo.events import daylight
>>> day = daylight("jezero", "2021-02-19", "2021-02-20")
>>> len(day) >= 1
True
"""

from areo.events.finder import Extrema, check_step, find_extrema, find_windows, window_extrema
from areo.events.illumination import Daylight, daylight, ltst_windows, solar_elevation
from areo.events.passes import Pass, Passes, as_trajectory, passes
from areo.events.windows import Window, Windows

__all__ = [
    "Daylight",
    "Extrema",
    "Pass",
    "Passes",
    "Window",
    "Windows",
    "as_trajectory",
    "check_step",
    "daylight",
    "find_extrema",
    "find_windows",
    "ltst_windows",
    "passes",
    "solar_elevation",
    "window_extrema",
]
