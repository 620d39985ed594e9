"""Where a body stands in the sky of a Mars site or an Earth station.

The target's state comes from the ephemeris about the site's body centre (with light time
if asked), then the frames package rotates it into the body-fixed frame (IAU_MARS, or ITRS
through erfa) and into the site's East-North-Up frame. Light time is solved at the body
centre: from a site 3400 km off the centre of Mars the light time to Earth differs by at
most 11 ms, which moves Earth by under 0.1 arcsec in the sky.
"""

from __future__ import annotations

from typing import Any

from areo.ephem.spk import Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.frames.earth import station_look
from areo.frames.mars import site_look
from areo.frames.topocentric import LookAngles, surface_point
from areo.time import Time

__all__ = ["look"]


def look(
    where: Any,
    target: str | int,
    t: Any,
    *,
    abcorr: str = "cn",
    ephemeris: Ephemeris | None = None,
    earth_model: str = "iau2006a",
) -> LookAngles:
    """Azimuth (from north through east), elevation, range and range rate of ``target``.

    Args:
        where: a catalog site or station, its name ('jezero', 'DSS-43', 'new norcia') or a
            :class:`~areo.frames.SurfacePoint` on Mars or Earth.
        target: body name or NAIF ID ('earth', 'sun', 'mars').
        t: epochs, anything :class:`~areo.time.Time` accepts.
        abcorr: ``"cn"`` (default: where the target appears, light-time corrected, no
            stellar aberration), ``"none"`` (geometric) or any flag of
            :meth:`Ephemeris.state`.
        earth_model: Earth orientation for stations, ``"iau2006a"`` or ``"iau2000b"``
            (3x faster, within 1 mas: enough for visibility and contact planning).

    Returns:
        :class:`~areo.frames.LookAngles` with ``az``/``el`` in radians (``az_deg``,
        ``el_deg``), ``range_km`` and ``range_rate_kms``, shaped like ``t``.
    """
    point = surface_point(where)
    eph = default_ephemeris() if ephemeris is None else ephemeris
    time = t if isinstance(t, Time) else Time(t)
    states = eph.state(target, time, center=point.body, abcorr=abcorr).states
    if point.body == "mars":
        return site_look(point, states, time)
    if point.body == "earth":
        return station_look(point, states, time, model=earth_model)
    raise ParameterError(
        f"site {point.name!r} is on {point.body!r}: look() knows Mars sites and Earth stations"
    )
