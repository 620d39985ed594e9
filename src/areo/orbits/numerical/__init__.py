"""Numerical (Cowell) propagation around Mars with compiled DOP853 and Taylor integrators.

- :func:`propagate_cowell`: states on an array of epochs (dense output), stopping at the
  surface; returns a :class:`NumericalResult`. The Taylor-series method (Jorba & Zou 2005)
  integrates point mass + zonal models (``method='taylor'``), DOP853 any model (the
  default); ``method='auto'`` picks the Taylor method where it applies.
- :class:`ForceModel`: Mars point mass + zonal J_n or a full :class:`GravityField`
  (:func:`read_shadr` for PDS SHADR files such as GMM-3), Sun third body from DE440,
  :class:`DragModel` (exponential or tabulated density, co-rotating atmosphere) and
  :class:`SRPModel` (cannonball, cylindrical shadow).

Conventions: Mars-centred ICRF states in km and km/s, epochs in TDB seconds past J2000.
The integrators' contracts (tolerances, step control, dense output, impact location) are in
:mod:`areo.orbits.numerical._integrator` and :mod:`areo.orbits.numerical._taylor`.

    >>> import numpy as np
    >>> from areo.orbits.numerical import propagate_cowell, ForceModel
    >>> r = 3396.19 + 400.0
    >>> v = (42828.375816 / r) ** 0.5
    >>> res = propagate_cowell([r, 0, 0, 0, v, 0], 0.0, np.arange(0.0, 7200.0, 60.0))
    >>> res.states.shape, res.reason
    ((120, 6), 'reached end')
"""

from areo.orbits.numerical.atmosphere import (
    MARS_EXPONENTIAL,
    ExponentialAtmosphere,
    TabulatedAtmosphere,
)
from areo.orbits.numerical.forces import DragModel, ForceModel, SRPModel
from areo.orbits.numerical.gravity import GravityField, read_shadr
from areo.orbits.numerical.propagate import NumericalResult, propagate_cowell

__all__ = [
    "MARS_EXPONENTIAL",
    "DragModel",
    "ExponentialAtmosphere",
    "ForceModel",
    "GravityField",
    "NumericalResult",
    "SRPModel",
    "TabulatedAtmosphere",
    "propagate_cowell",
    "read_shadr",
]
