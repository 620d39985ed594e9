"""One-way Newtonian light time between bodies.

The light time solves ``c * lt = |r_target(t -+ lt) - r_observer(t)|`` with both positions
relative to the solar-system barycentre in TDB (no relativistic delay, no stellar
aberration), as SPICE's ``'CN'`` (reception at the observer at ``t``) and ``'XCN'``
(transmission from the observer at ``t``): :meth:`areo.ephem.Ephemeris.corrected_states`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.ephem.spk import Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.time import Time

__all__ = ["light_time", "one_way_light_time_earth_mars"]


def _direction(direction: str) -> str:
    d = str(direction).strip().lower()
    if d not in ("receive", "transmit"):
        raise ParameterError(
            f"direction {direction!r} is not 'receive' (t = reception at the observer, the "
            "signal left the target at t - lt) or 'transmit' (t = emission by the observer)"
        )
    return d


def light_time(
    target: str | int,
    observer: str | int,
    t: Any,
    direction: str = "receive",
    ephemeris: Ephemeris | None = None,
) -> Any:
    """One-way Newtonian light time in seconds between ``observer`` and ``target``.

    ``direction="receive"``: ``t`` is the reception time at the observer and the signal left
    the target at ``t - lt`` (SPICE ``'CN'``). ``"transmit"``: the signal leaves the observer
    at ``t`` and reaches the target at ``t + lt`` (SPICE ``'XCN'``). Iterated to convergence.
    Bodies as names or NAIF IDs; ``t`` as :class:`~areo.time.Time` accepts. Returns a float
    for a scalar time, else an array of ``t``'s shape.

    Example:
        >>> round(float(light_time("mars", "earth", "2021-02-18T20:55:00Z")), 1)   # seconds
        682.3
    """
    eph = default_ephemeris() if ephemeris is None else ephemeris
    mode = "cn" if _direction(direction) == "receive" else "xcn"
    time = t if isinstance(t, Time) else Time(t)
    et = np.ascontiguousarray(time.et.ravel(), dtype=np.float64)
    _, lt = eph.corrected_states(eph.resolve(target), eph.resolve(observer), et, mode)
    lt = lt.reshape(time.et.shape)
    return float(lt) if lt.ndim == 0 else lt


def one_way_light_time_earth_mars(
    t: Any, direction: str = "receive", ephemeris: Ephemeris | None = None
) -> Any:
    """One-way light time (s) between Mars and the Earth, with ``t`` an Earth time.

    ``"receive"`` (default): a downlink from Mars received on Earth at ``t``;
    ``"transmit"``: an uplink leaving the Earth at ``t``. Mars is the body centre where the
    ephemeris has it, else the Mars barycentre (< 1 m away, well under a nanosecond).
    Geocentre, not a ground station: a station adds up to ~21 ms.
    """
    return light_time("mars", "earth", t, direction=direction, ephemeris=ephemeris)
