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


def best_daylight_return(rover, plan, tasks_by_id, *, max_sessions=2, step_min=1.0):
    """Brute force, independent of the planner: the most data (Mbit) this sol could return
    with the plan's night work (tasks outside ``plan.inputs.daylight_lmst_h``, relay
    sessions excepted) moved into daylight on the 15-min start grid, the rest of its
    activities where planned, and the relay sessions (at most ``max_sessions``) on any of
    the sol's passes; ``-inf`` when no such variant keeps the battery floor and the plan's
    end-of-sol target. Every start x every pass subset, each re-integrated minute by minute
    (array, sleep/awake loads, night heating, efficiencies, clipped at the capacity)."""
    inp = plan.inputs
    rise, sset = inp.daylight_lmst_h
    n = round(24 * 60 / step_min)
    t = np.linspace(0.0, 24.0, n + 1)
    mid = 0.5 * (t[1:] + t[:-1])
    dt_h = np.diff(t) * LMST_HOUR_S / 3600.0
    night = (mid < rise) | (mid >= sset)

    def prof(a0, a1):  # fraction of each step inside [a0, a1)
        return np.clip(np.minimum(t[1:], a1) - np.maximum(t[:-1], a0), 0.0, None) / np.diff(t)

    acts = [a for a in plan.activities if a.phase != "relay"]
    moving = [a for a in acts if a.start_lmst_h < rise - 1e-9 or a.end_lmst_h > sset + 1e-9]
    fixed = [a for a in acts if a not in moving]
    # candidate daylight starts of each moved task, 15-min grid, inside its own window
    options = []
    for a in moving:
        task = tasks_by_id[a.task_id]
        dur = a.scheduled.activity.duration_s / LMST_HOUR_S
        lo, hi = max(rise, task.earliest_lmst_h), min(sset, task.latest_lmst_h)
        options.append([s * 0.25 for s in range(96) if lo - 1e-9 <= s * 0.25
                        and s * 0.25 + dur <= hi + 1e-9])
    span = {a.task_id: (a.start_lmst_h, a.end_lmst_h) for a in fixed}

    def valid(starts):
        where = dict(span)
        for a, s in zip(moving, starts, strict=True):
            where[a.task_id] = (s, s + a.scheduled.activity.duration_s / LMST_HOUR_S)
        every = fixed + moving
        for x, y in itertools.combinations(every, 2):
            (x0, x1), (y0, y1) = where[x.task_id], where[y.task_id]
            shared = set(x.scheduled.activity.resources) & set(y.scheduled.activity.resources)
            if shared and not (x1 <= y0 + 1e-9 or y1 <= x0 + 1e-9):
                return None
        for a in every:
            for dep in tasks_by_id[a.task_id].after:
                if dep in where and where[a.task_id][0] < where[dep][1] - 1e-9:
                    return None
        return where

    combos = [w for w in map(valid, itertools.product(*options)) if w is not None]
    if not combos:
        return -math.inf
    by_id = {a.task_id: a.scheduled.activity for a in acts}
    load = np.zeros((len(combos), n))
    awake = np.zeros((len(combos), n))
    for i, where in enumerate(combos):
        for tid, (s0, s1) in where.items():
            f = prof(s0, s1)
            load[i] += by_id[tid].power_w * f
            if by_id[tid].awake:
                awake[i] = np.maximum(awake[i], f)
    gen = np.interp(mid, inp.generation_lmst_h, inp.generation_w)
    base = rover.sleep_load_w + np.where(night, rover.night_heating_wh / np.sum(dt_h[night]),
                                         0.0)
    uhf = R.relay_session(0.0, 1.0)
    passes = list(inp.relay_windows)
    best = -math.inf
    for k in range(max_sessions + 1):
        for chosen in itertools.combinations(sorted(passes, key=lambda w: w.start_lmst_h),
                                             k):
            ld, aw = load.copy(), awake.copy()
            for w in chosen:
                f = prof(w.start_lmst_h, w.end_lmst_h)
                ld += uhf.power_w * f
                aw = np.maximum(aw, f)
            total = base + ld + aw * (rover.awake_load_w - rover.sleep_load_w)
            soc = np.full(len(combos), inp.initial_soc * rover.battery_wh)
            low = soc.copy()
            for j in range(n):
                soc = np.minimum(rover.battery_wh, soc + (gen[j] * rover.charge_efficiency
                                                          - total[:, j]
                                                          / rover.discharge_efficiency)
                                 * dt_h[j])
                low = np.minimum(low, soc)
            ok = (low >= rover.min_soc * rover.battery_wh - 1e-6) & (
                soc >= plan.end_soc_target * rover.battery_wh - 1e-6)
            for i in np.flatnonzero(ok):  # data: what has ended by each pass, budget-capped
                sent = 0.0
                for w in chosen:
                    ready = inp.initial_buffer_mbit + sum(
                        by_id[tid].data_mbit for tid, (_s0, s1) in combos[i].items()
                        if s1 <= w.start_lmst_h + 1e-9)
                    sent += max(0.0, min(w.volume_mbit, ready - sent,
                                         rover.data_budget_mbit_per_sol - sent))
                best = max(best, sent)
    return best
