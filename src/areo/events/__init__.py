"""Geometry events: time windows with set algebra, a generic event finder, and
ready-made searches: site illumination, passes of orbiters over sites, eclipses, Earth
and solar occultations, imaging opportunities and swath coverage.

>>> from areo.events import daylight
>>> days = daylight("jezero", "2021-02-19", "2021-02-20")  # one Daylight per site
>>> len(days), len(days[0]) >= 1
(1, True)
"""

from areo.events.coverage import Coverage, coverage
from areo.events.finder import (
    Extrema,
    check_step,
    find_extrema,
    find_windows,
    find_windows_multi,
    window_extrema,
)
from areo.events.illumination import Daylight, Daylights, daylight, ltst_windows, solar_elevation
from areo.events.imaging import ImagingOpportunities, imaging_opportunities
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
    "Coverage",
    "Daylight",
    "Daylights",
    "Eclipses",
    "Extrema",
    "ImagingOpportunities",
    "Pass",
    "Passes",
    "SolarOccultations",
    "Window",
    "Windows",
    "as_trajectory",
    "check_step",
    "coverage",
    "daylight",
    "earth_occultations",
    "eclipses",
    "find_extrema",
    "find_windows",
    "find_windows_multi",
    "imaging_opportunities",
    "ltst_windows",
    "passes",
    "solar_elevation",
    "solar_occultations",
    "window_extrema",
]
