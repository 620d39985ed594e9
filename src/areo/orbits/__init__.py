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

from areo.orbits.elements import (
    coe_to_state,
    eccentric_to_true,
    element_frame,
    mean_to_true,
    state_to_coe,
    true_to_eccentric,
    true_to_mean,
)
from areo.orbits.j2mean import j2_secular_rates
from areo.orbits.kepler import propagate_kepler
from areo.orbits.orbit import MODELS, Orbit, Trajectory

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
