"""The ``orbiters`` step: each orbiter's orbit (period, pericentre and apocentre, inclination),
an OEM-ready ephemeris of the first ``operations.ephemeris_sols`` after the landing and its
ground track over mission sol 1."""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.mission.context import (
    GROUNDTRACK_SOL,
    GROUNDTRACK_STEP_S,
    StepInputs,
    elements_orbit,
)
from areo.mission.results import OrbiterResult
from areo.mission.steps.base import Step


def _orbit_of(o: Any, traj: Any, t0: Any) -> Any:
    from areo.orbits import Orbit

    if o.source == "catalog":
        return Orbit.from_catalog(o.name)
    if o.source == "elements":
        return elements_orbit(o, t0)
    # osculating orbit of the tabulated state at the landing
    return Orbit.from_state(np.asarray(traj.state(t0), dtype=float).reshape(6), t0)


def compute(inp: StepInputs) -> list[OrbiterResult]:
    from areo.orbits.groundtrack import GroundTrack
    from areo.time import Time

    ops = inp.scenario.operations
    clock = inp.clock
    t0 = inp.landing
    t_oem = Time.arange(t0, t0 + ops.ephemeris_sols * clock.sol_s, ops.ephemeris_step_s)
    g0, g1 = clock.time_of(GROUNDTRACK_SOL), clock.time_of(GROUNDTRACK_SOL + 1)
    t_gt = Time.arange(g0, g1, GROUNDTRACK_STEP_S)
    out = []
    for o in inp.scenario.orbiters:
        traj = inp.trajectories[o.name]
        orbit = _orbit_of(o, traj, t0)
        gt_states = np.asarray(traj.state(t_gt), dtype=float).reshape(-1, 6)
        gt = GroundTrack.from_states(t_gt, gt_states, name=o.name)
        if o.source == "catalog":
            from areo.catalog.orbits import orbit_entry

            c = orbit_entry(o.name)
            display, phasing, source = c.name, c.phasing, c.source
        else:
            display, phasing, source = o.name, "", str(o.oem or o.spk or "elements")
        out.append(OrbiterResult(
            name=o.name, display_name=display, source=o.source, phasing=phasing,
            catalog_source=source, period_s=float(orbit.period_s),
            peri_alt_km=float(orbit.peri_alt_km), apo_alt_km=float(orbit.apo_alt_km),
            inc_deg=float(orbit.inc_deg), oem_et=np.asarray(t_oem.et, dtype=float),
            oem_states=np.asarray(traj.state(t_oem), dtype=float).reshape(-1, 6),
            gt_et=np.asarray(t_gt.et, dtype=float),
            gt_lat_deg=np.asarray(gt.lat_deg, dtype=float),
            gt_lon_east_deg=np.asarray(gt.lon_east_deg, dtype=float),
            gt_alt_km=np.asarray(gt.alt_km, dtype=float)))
    return out


def _detail(v: list[OrbiterResult]) -> str:
    return ", ".join(f"{o.name} T={o.period_s / 3600:.2f} h" for o in v)


STEP = Step("orbiters", "Orbiter ephemerides and ground tracks",
            reads=("orbiters", "operations.ephemeris_sols", "operations.ephemeris_step_s"),
            uses=("landing", "clock", "trajectories"), compute=compute, detail=_detail)
