"""Geometry events: time windows with set algebra, a generic event finder, and
ready-made searches (site illumination so far; passes, eclipses and occultations follow).

>>> from areo.events import daylight
>>> day = daylight("jezero", "2021-02-19", "2021-02-20")
>>> len(day) >= 1
True
"""

from areo.events.finder import Extrema, check_step, find_extrema, find_windows, window_extrema
from areo.events.illumination import Daylight, daylight, ltst_windows, solar_elevation
from areo.events.windows import Window, Windows

__all__ = [
    "Daylight",
    "Extrema",
    "Window",
    "Windows",
    "check_step",
    "daylight",
    "find_extrema",
    "find_windows",
    "ltst_windows",
    "solar_elevation",
    "window_extrema",
]
