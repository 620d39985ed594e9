"""Time: one vectorised :class:`Time` object, UTC/TT/TDB scales and Mars clocks.

>>> from areo.time import Time, mars_time
>>> mt = mars_time(Time("2000-01-06T00:00:00Z"), lon_east_deg=0.0)
>>> round(float(mt.ls_deg), 4), round(float(mt.msd), 5)
(277.1876, 44795.99976)
"""

from areo.time.core import Time, TimeLike
from areo.time.mars import (
    MARS_YEAR_SOLS,
    MarsTime,
    coordinated_mars_time,
    equation_of_time,
    heliocentric_distance,
    local_mean_solar_time,
    local_true_solar_time,
    mars_sol_date,
    mars_time,
    mars_year,
    solar_declination,
    solar_longitude,
    subsolar_longitude,
    time_of_msd,
)
from areo.time.mission import MissionClock

__all__ = [
    "MARS_YEAR_SOLS",
    "MarsTime",
    "MissionClock",
    "Time",
    "TimeLike",
    "coordinated_mars_time",
    "equation_of_time",
    "heliocentric_distance",
    "local_mean_solar_time",
    "local_true_solar_time",
    "mars_sol_date",
    "mars_time",
    "mars_year",
    "solar_declination",
    "solar_longitude",
    "subsolar_longitude",
    "time_of_msd",
]
