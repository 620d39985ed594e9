"""Interplanetary transfers: batch Lambert (Izzo 2015), porkchops, launch windows,
departure and Mars orbit insertion budgets.

>>> from areo.transfer import transfer
>>> t = transfer("2020-07-30T11:50Z", "2021-02-18T20:43Z")   # Perseverance
>>> round(t.c3_km2s2, 1), t.converged
(14.6, True)

Layout: :mod:`~areo.transfer._kernels` (numba kernels), :mod:`~areo.transfer.lambert`,
:mod:`~areo.transfer.interplanetary` (one transfer between dates),
:mod:`~areo.transfer.porkchop`, :mod:`~areo.transfer.windows`,
:mod:`~areo.transfer.maneuvers` (departure/capture delta-v), :mod:`~areo.transfer.plots`,
:mod:`~areo.transfer.returns` (Mars -> Earth return windows, entry speed),
:mod:`~areo.transfer.roundtrip` (round trips), :mod:`~areo.transfer.mga` (MGA and MGA-1DSM
models, batch fitness; kernels in
:mod:`~areo.transfer._mga_kernels`), :mod:`~areo.transfer.trajectory` (problems with
constraints, pygmo optimisation, :class:`Trajectory`, launch periods).
"""

from areo.transfer.interplanetary import ECLIPTIC_POLE, Transfer, transfer
from areo.transfer.lambert import GM_SUN, LambertSolution, LambertStatus, lambert, lambert_all
from areo.transfer.maneuvers import (
    TGO_CAPTURE,
    CaptureOrbit,
    InsertionBudget,
    capture_dv,
    departure_dv,
    orbit_insertion,
)
from areo.transfer.mga import MGA, MGA1DSM, AnalyticPlanets, DE440Planets
from areo.transfer.porkchop import (
    Porkchop,
    PorkchopOptions,
    PorkchopPoint,
    estimate_bytes,
    porkchop,
    porkchop_span,
    refine_point,
)
from areo.transfer.returns import DepartureOrbit, ReturnPoint, ReturnWindow, return_window
from areo.transfer.roundtrip import RoundTrip, RoundTrips, round_trips
from areo.transfer.trajectory import (
    Constraints,
    LaunchPeriodTable,
    Trajectory,
    TrajectoryProblem,
    evaluate_trajectory,
    optimise_launch_period,
    optimise_trajectory,
    require_feasible,
)
from areo.transfer.windows import (
    LaunchPeriod,
    LaunchWindow,
    LaunchWindows,
    launch_period,
    launch_windows,
)

__all__ = [
    "ECLIPTIC_POLE",
    "GM_SUN",
    "MGA",
    "MGA1DSM",
    "TGO_CAPTURE",
    "AnalyticPlanets",
    "CaptureOrbit",
    "Constraints",
    "DE440Planets",
    "DepartureOrbit",
    "InsertionBudget",
    "LambertSolution",
    "LambertStatus",
    "LaunchPeriod",
    "LaunchPeriodTable",
    "LaunchWindow",
    "LaunchWindows",
    "Porkchop",
    "PorkchopOptions",
    "PorkchopPoint",
    "ReturnPoint",
    "ReturnWindow",
    "RoundTrip",
    "RoundTrips",
    "Trajectory",
    "TrajectoryProblem",
    "Transfer",
    "capture_dv",
    "departure_dv",
    "estimate_bytes",
    "evaluate_trajectory",
    "lambert",
    "lambert_all",
    "launch_period",
    "launch_windows",
    "optimise_launch_period",
    "optimise_trajectory",
    "orbit_insertion",
    "porkchop",
    "porkchop_span",
    "refine_point",
    "require_feasible",
    "return_window",
    "round_trips",
    "transfer",
]
