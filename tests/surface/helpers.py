"""Plain helpers of the surface tests: the Oxia Planum sol and an independent re-check of a
sol plan (shared by test_plan and test_campaign; not a test module)."""

from __future__ import annotations

import itertools
import math
import sys

import numpy as np

import areo.surface.rover  # noqa: F401  (the module; the package re-exports a function named rover)
from areo import catalog
from areo.events import solar_elevation
from areo.time import MissionClock

R = sys.modules["areo.surface.rover"]
LMST_HOUR_S = R.LMST_HOUR_S
SITE = catalog.site("oxia_planum")
CLOCK = MissionClock.from_landing("2030-11-20T12:00:00", SITE.lon_east_deg)
RF = R.rover("rosalind_franklin")


def reintegrate(rover, plan, step_s: float = 20.0):
    """Independent energy/data bucket integration of a plan (not simulate_sol)."""
    inp = plan.inputs
    n = math.ceil(24.0 * LMST_HOUR_S / step_s)
    t = np.linspace(0.0, 24.0, n + 1)
    mid = 0.5 * (t[1:] + t[:-1])
    dt_h = np.diff(t) * LMST_HOUR_S / 3600.0
    gen = np.interp(mid, inp.generation_lmst_h, inp.generation_w)
    rise, sset = inp.daylight_lmst_h
    night = (mid < rise) | (mid >= sset)
    load = np.full(mid.size, rover.sleep_load_w)
    awake = np.zeros(mid.size, bool)
    produce = np.zeros(mid.size)
    for a in plan.activities:
        act = a.scheduled.activity
        on = (mid >= a.start_lmst_h) & (mid < a.end_lmst_h)
        load[on] += act.power_w
        awake |= on & act.awake
        # data in, downlink out, each evenly over the activity (exact overlap per step)
        overlap_h = np.clip(np.minimum(t[1:], a.end_lmst_h) - np.maximum(t[:-1], a.start_lmst_h),
                            0.0, None)
        produce += (act.data_mbit - act.downlink_mbit) * overlap_h * LMST_HOUR_S / act.duration_s
    load[awake] += rover.awake_load_w - rover.sleep_load_w
    load[night] += rover.night_heating_wh / np.sum(dt_h[night])
    soc = np.empty(mid.size + 1)
    soc[0] = inp.initial_soc * rover.battery_wh
    for i in range(mid.size):
        soc[i + 1] = min(rover.battery_wh, soc[i] + (gen[i] * rover.charge_efficiency
                                                     - load[i] / rover.discharge_efficiency)
                         * dt_h[i])
    stored = inp.initial_buffer_mbit + np.concatenate([[0.0], np.cumsum(produce)])
    return t, soc / rover.battery_wh, stored


def check_plan(rover, plan, *, target=None):
    _t, soc, stored = reintegrate(rover, plan)
    assert soc.min() >= rover.min_soc - 1e-6, f"SOC {soc.min():.4f} below floor"
    tgt = plan.end_soc_target if target is None else target
    assert soc[-1] >= tgt - 1e-6
    # the buffer never overflows, and a relay session never sends data not yet on board
    assert stored.max() <= rover.data_buffer_mbit + 1e-6
    assert stored.min() >= -1e-6, f"sent {-stored.min():.3f} Mbit that did not exist"
    # Sun up (DE440 geometry at the site) for daylight-only work, sampled every ~2 min.
    for a in plan.activities:
        act = a.scheduled.activity
        if act.needs_daylight:
            hours = np.linspace(a.start_lmst_h, a.end_lmst_h, 8)
            el = np.asarray(solar_elevation(SITE, CLOCK.time_of(plan.sol, hours)))
            assert el.min() > 0.0, f"{a.label} at LMST {a.start_lmst_h:.2f} in the dark"
    # relay sessions inside their passes, no more than the pass carries
    for a in plan.activities:
        act = a.scheduled.activity
        if act.name == "relay_session":
            w = [w for w in plan.inputs.relay_windows
                 if w.start_lmst_h - 1e-9 <= a.start_lmst_h
                 and a.end_lmst_h <= w.end_lmst_h + 1e-9]
            assert w and act.downlink_mbit <= w[0].volume_mbit + 1e-6
    # exclusive resources never overlap
    acts = plan.activities
    for x, y in itertools.combinations(acts, 2):
        if set(x.scheduled.activity.resources) & set(y.scheduled.activity.resources):
            assert x.end_lmst_h <= y.start_lmst_h + 1e-9 or y.end_lmst_h <= x.start_lmst_h + 1e-9
    # and the project's own simulator agrees there is nothing wrong
    assert plan.simulation.violations == []
