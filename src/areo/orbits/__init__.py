"""Orbits around Mars (or any body): elements, fast propagators, design, ground tracks.

Conventions: states are body-centred ICRF (J2000) vectors in km and km/s at TDB epochs
(seconds past J2000, "et"). Orbital elements are relative to the **Mars equator of the
IAU_MARS pole** (IAU 2015) at the orbit's epoch, with the node measured from the ascending
node of the Mars equator on the ICRF equator (the IAU "Q" direction, ``z_ICRF x pole``);
around other bodies, to the ICRF equator. See :mod:`areo.orbits.elements`.

- :class:`Orbit`: batch of orbits from elements, states or the catalog; readable repr,
  properties, ``propagate(t, model="kepler" | "j2mean" | "numerical")``.
- :class:`Trajectory`: states on the requested epochs, ``to_frame()``, ``groundtrack()``.
- :mod:`areo.orbits.kepler`, :mod:`areo.orbits.j2mean`: the compiled propagators.
- :mod:`areo.orbits.design`: sun-synchronous inclination, orbit-sol resonances, frozen
  eccentricity, Hohmann and plane-change delta-v, lifetime under drag.
- :mod:`areo.orbits.groundtrack`: ground tracks and their plot.
- ``areo.orbits.numerical``: the Cowell propagator (its own subpackage).

    >>> from areo.orbits import Orbit
    >>> mex = Orbit.from_catalog("mex")
    >>> round(mex.period_h, 3)
    6.725
"""

from typing import Any as _Any

import numpy as _np

from areo import validate as _validate
from areo.orbits import j2mean as _j2mean
from areo.orbits.elements import (
    coe_to_state,
    eccentric_to_true,
    element_frame,
    mean_to_true,
    state_to_coe,
    true_to_eccentric,
    true_to_mean,
)
from areo.orbits.kepler import propagate_kepler
from areo.orbits.orbit import MODELS, Orbit, Trajectory


def j2_secular_rates(
    a: _Any, e: _Any, inc: _Any, mu: _Any, j2: float, r_ref: float
) -> tuple[_np.ndarray, _np.ndarray, _np.ndarray]:
    """Secular rates (rad/s) of RAAN, argument of pericentre and mean anomaly under J2.

    ``a`` km, ``inc`` rad (0 to pi), ``mu`` km^3/s^2, ``r_ref`` km (the radius J2 is
    normalised to); see :func:`areo.orbits.j2mean.j2_secular_rates` for the theory. Open
    orbits (e >= 1 or a <= 0) have no secular rates: their elements are NaN (a documented
    mask, so that a batch may mix both). Non-finite inputs, ``e < 0``, an inclination
    outside [0, pi], ``mu <= 0`` or ``r_ref <= 0`` raise :class:`areo.errors.ParameterError`.
    """
    a = _validate.finite(a, "a", unit="km")
    e = _validate.non_negative(e, "e")
    inc = _validate.in_range(inc, "inc", 0.0, _np.pi, unit="rad",
                             hint="the inclination to the body's equator, 0 to pi")
    mu = _validate.positive(mu, "mu", unit="km^3/s^2", hint="GM of the central body")
    j2 = float(_validate.finite(j2, "j2"))
    r_ref = float(_validate.positive(r_ref, "r_ref", unit="km"))
    return _j2mean.j2_secular_rates(a, e, inc, mu, j2, r_ref)


__all__ = [
    "MODELS",
    "Orbit",
    "Trajectory",
    "coe_to_state",
    "eccentric_to_true",
    "element_frame",
    "j2_secular_rates",
    "mean_to_true",
    "propagate_kepler",
    "state_to_coe",
    "true_to_eccentric",
    "true_to_mean",
]
