"""Entry, descent and landing: batch 3-DOF flights over the rotating oblate Mars, Monte
Carlo landing ellipses, the separated hardware's impact points, fault replays.

- :mod:`areo.edl.atmosphere`: ``density(h, lat, lon, Ls)`` models (exponential, NASA Glenn,
  user tables), winds, dispersions.
- :mod:`areo.edl.vehicles`: the catalog's vehicles and descent sequences.
- :mod:`areo.edl.dynamics`: the compiled batch flight (:mod:`areo.edl._kernels`).
- :mod:`areo.edl.entry`: entry states from a site and time, or by B-plane targeting from
  an arrival v-infinity.
- :mod:`areo.edl.montecarlo`: dispersed runs, ellipse, statistics, hardware, failures.
- :mod:`areo.edl.replay`: a nominal flight, fault injection, ``replay("schiaparelli")``.
- :mod:`areo.edl.corridor`: the entry corridor (flight-path angles within load, heating
  and reach limits).

>>> from areo import edl
>>> e = edl.entry_from_site("m2020", "jezero", "2021-02-18T20:36Z")
>>> mc = edl.monte_carlo(e, runs=101, seed=3)
>>> mc.ellipse.major_km < 30
True
"""

from areo.edl.atmosphere import Atmosphere, exponential, from_table, glenn
from areo.edl.corridor import Corridor, entry_corridor
from areo.edl.dynamics import FlightOptions, fly
from areo.edl.ellipse import Ellipse, fit_ellipse
from areo.edl.entry import EntryState, entry_from_arrival, entry_from_site
from areo.edl.montecarlo import Dispersions, MonteCarlo, monte_carlo, plan_monte_carlo
from areo.edl.replay import Fault, Flight, Replay, fly_nominal, replay
from areo.edl.vehicles import Event, Vehicle, vehicle, vehicles

__all__ = [
    "Atmosphere",
    "Corridor",
    "Dispersions",
    "Ellipse",
    "EntryState",
    "Event",
    "Fault",
    "Flight",
    "FlightOptions",
    "MonteCarlo",
    "Replay",
    "Vehicle",
    "entry_corridor",
    "entry_from_arrival",
    "entry_from_site",
    "exponential",
    "fit_ellipse",
    "fly",
    "fly_nominal",
    "from_table",
    "glenn",
    "monte_carlo",
    "plan_monte_carlo",
    "replay",
    "vehicle",
    "vehicles",
]
