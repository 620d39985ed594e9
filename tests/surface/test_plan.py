"""Tests for areo.surface.plan (the CP-SAT sol planner).

Oracles: (1) an independent fine-step re-integration (tests/surface/helpers.py) of each
plan's energy and data from its own activity list (battery never below the floor, data never
above the buffer,
nothing needing light while the Sun is down by the DE440 solar elevation at the site);
(2) brute-force enumeration of every task subset on a sol where only the energy budget binds;
(3) SPICE-free physical bounds of the explanation (the best end-of-sol SOC reachable idle).
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import areo.surface.rover  # noqa: F401  (the module; the package re-exports a function named rover)
from areo.errors import ParameterError
from areo.surface.generation import sol_generation
from areo.surface.plan import InfeasibleSolError, SolInputs, Task, plan_sol
from tests.surface.helpers import CLOCK, LMST_HOUR_S, RF, SITE, check_plan

R = sys.modules["areo.surface.rover"]


@pytest.fixture(scope="module")
def oxia_sol():
    gen = sol_generation(RF, SITE, CLOCK, 10, tau=0.5)
    return gen


def _sample_tasks():
    return [
        Task("d1", R.drill(0.5), 10),
        Task("dl", R.sample_delivery(), 10, after=("d1",)),
        Task("cr", R.crushing(), 10, after=("dl",)),
        Task("mm", R.micromega(), 12, after=("cr",)),
        Task("rl", R.rls(), 12, after=("cr",)),
        Task("ld", R.moma_ldms(), 12, after=("cr",)),
        Task("gc", R.moma_gcms(), 12, after=("cr",)),
        Task("pc", R.pancam(10), 5),
        Task("dr", R.drive(50), 5),
    ]


def test_sol_plan_respects_every_constraint(oxia_sol):
    windows = (R.RelayWindow(3.2, 3.35, 300.0), R.RelayWindow(15.1, 15.25, 250.0))
    inp = SolInputs.from_generation(oxia_sol, relay_windows=windows, initial_soc=0.8,
                                    initial_buffer_mbit=40.0)
    plan = plan_sol(RF, _sample_tasks(), inp)
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    names = [a.task_id for a in plan.activities]
    assert {"d1", "dl", "cr"} <= set(names)
    # order: drill, then delivery, then crushing, then the analyses
    start = {a.task_id: a.start_lmst_h for a in plan.activities}
    end = {a.task_id: a.end_lmst_h for a in plan.activities}
    assert end["d1"] <= start["dl"] + 1e-9 and end["dl"] <= start["cr"] + 1e-9
    for k in ("mm", "rl", "ld", "gc"):
        if k in start:
            assert end["cr"] <= start[k] + 1e-9
    check_plan(RF, plan)
    # The morning pass may only send what was in the buffer then (40 Mbit).
    morning = [a for a in plan.activities if a.name == "relay_session" and a.start_lmst_h < 4]
    assert all(a.scheduled.activity.downlink_mbit <= 40.0 + 1e-6 for a in morning)
    assert plan.data_returned_mbit <= RF.data_budget_mbit_per_sol + 1e-6
    d = plan.to_dict()
    assert set(d) >= {"sol", "activities", "soc_min_pct", "soc_end_pct", "data_returned_mbit"}
    assert set(d["activities"][0]) >= {"name", "start_lmst_h", "end_lmst_h", "energy_wh",
                                       "data_mbit"}


@pytest.mark.parametrize("effort", [20.0, None])
def test_brute_force_subset_optimum_when_only_energy_binds(effort):
    # Night-only sol (no array), awake load = sleep load, no heating: every placement costs
    # the same energy, so the best plan is the best subset under the energy budget. At the
    # default effort too (the greedy hint and a short search, issue 18), if not proven.
    rv = RF.model_copy(update={"awake_load_w": 10.0, "sleep_load_w": 10.0,
                               "night_heating_wh": 0.0, "charge_efficiency": 1.0,
                               "discharge_efficiency": 1.0, "end_of_sol_soc_target": 0.3})
    hours = np.linspace(0.0, 24.0, 97)
    inp = SolInputs(sol=3, generation_lmst_h=hours, generation_w=np.zeros(97),
                    daylight_lmst_h=(12.0, 12.0), initial_soc=0.75)
    slot = 0.25 * LMST_HOUR_S  # durations of whole slots: no rounding
    acts = [R.Activity(f"a{k}", slot * d, power_w=p, resources=(f"r{k}",))
            for k, (d, p) in enumerate([(4, 90.0), (6, 70.0), (3, 120.0), (8, 40.0),
                                        (5, 60.0), (2, 150.0)])]
    values = [7.0, 9.0, 5.0, 6.0, 4.0, 3.0]
    tasks = [Task(a.name, a, v) for a, v in zip(acts, values, strict=True)]
    budget = (0.75 - 0.3 - 0.005) * rv.battery_wh - rv.sleep_load_w * 24 * LMST_HOUR_S / 3600
    best = 0.0
    for mask in itertools.product((0, 1), repeat=len(tasks)):
        e = sum(a.energy_wh for a, m in zip(acts, mask, strict=True) if m)
        if e <= budget:
            best = max(best, sum(v for v, m in zip(values, mask, strict=True) if m))
    plan = plan_sol(rv, tasks, inp, **({} if effort is None else {"effort": effort}))
    got = sum(t.value for t in tasks if t.id in plan.task_ids())
    assert plan.status == "OPTIMAL" or effort is None
    assert got == pytest.approx(best)
    check_plan(rv, plan)


def test_infeasible_required_task_is_explained(oxia_sol):
    inp = SolInputs.from_generation(oxia_sol, initial_soc=0.8)
    big = Task("oven4", R.Activity("oven", 4 * 3600.0, power_w=150.0), 10, required=True)
    with pytest.raises(InfeasibleSolError) as exc:
        plan_sol(RF, [big], inp)
    msg = str(exc.value)
    assert "oven4" in msg and "end-of-sol SOC target" in msg
    # a minimal conflict: the floor and the data buffer have nothing to do with it
    assert sorted(exc.value.relaxations) == ["end_soc_target", "required:oven4"]
    # The figure to relax to is reachable with the task kept, and tight (2 points more fail).
    relax = float(msg.split("target 80% to ")[1].split(" %")[0])
    assert 30.0 < relax < 80.0
    plan = plan_sol(RF, [big], inp, end_soc_target=relax / 100.0)
    assert plan.task_ids() == ["oven4"] and plan.soc_end_pct >= relax - 1e-6
    check_plan(RF, plan)
    with pytest.raises(InfeasibleSolError):
        plan_sol(RF, [big], inp, end_soc_target=(relax + 2.0) / 100.0)


def test_conflict_with_the_floor_is_named(oxia_sol):
    inp = SolInputs.from_generation(oxia_sol, initial_soc=0.6)
    big = Task("oven6", R.Activity("oven", 6 * 3600.0, power_w=150.0), 10, required=True)
    with pytest.raises(InfeasibleSolError) as exc:
        plan_sol(RF, [big], inp)
    assert "required:oven6" in exc.value.relaxations and "data_buffer" not in \
        exc.value.relaxations
    assert "drop or split the required task(s) 'oven6'" in str(exc.value)


def test_start_below_floor_cannot_survive(oxia_sol):
    inp = SolInputs.from_generation(oxia_sol, initial_soc=0.1)
    with pytest.raises(InfeasibleSolError, match="below the floor") as exc:
        plan_sol(RF, [], inp)
    assert "battery_floor" in exc.value.relaxations


def test_relaxed_target_from_the_explanation_is_reachable(oxia_sol):
    # A dusty sol: idle cannot reach 80 %; the message's figure must be reachable and tight.
    gen = sol_generation(RF, SITE, CLOCK, 10, tau=4.0)
    inp = SolInputs.from_generation(gen, initial_soc=0.7)
    with pytest.raises(InfeasibleSolError, match="relax the end-of-sol SOC target") as exc:
        plan_sol(RF, [], inp)
    pct = float(str(exc.value).split("target 80% to ")[1].split(" %")[0])
    idle = R.simulate_sol(RF, [], inp.generation_fn(), daylight_lmst_h=inp.daylight_lmst_h,
                          initial_soc=0.7)
    assert abs(pct - 100 * idle.soc[-1]) < 1.5  # slot model within 1.5 points of 5-min steps
    plan = plan_sol(RF, [], inp, end_soc_target=pct / 100.0)
    assert plan.soc_end_pct >= pct - 1e-6


def test_review_dependencies_wait_for_an_earlier_sol(oxia_sol):
    inp = SolInputs.from_generation(oxia_sol, initial_soc=0.9)
    tasks = [Task("a", R.pancam(5), 5), Task("b", R.clupi(2), 5, after=("a",), review=("a",))]
    plan = plan_sol(RF, tasks, inp)
    assert plan.task_ids() == ["a"]
    later = SolInputs.from_generation(oxia_sol, initial_soc=0.9, completed=frozenset({"a"}))
    assert plan_sol(RF, tasks[1:], later).task_ids() == ["b"]


def test_bad_input_messages(oxia_sol):
    inp = SolInputs.from_generation(oxia_sol)
    t = Task("x", R.pancam(2), 1)
    with pytest.raises(ParameterError, match="unique"):
        plan_sol(RF, [t, t], inp)
    with pytest.raises(ParameterError, match="slot_minutes"):
        plan_sol(RF, [t], inp, slot_minutes=7)
    with pytest.raises(ParameterError, match="window"):
        Task("y", R.pancam(2), 1, earliest_lmst_h=10, latest_lmst_h=9)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(soc0=st.floats(0.5, 1.0), tau=st.floats(0.2, 2.5),
       picks=st.lists(st.sampled_from(range(9)), min_size=1, max_size=9, unique=True),
       buf=st.floats(0.0, 300.0))
# found by hypothesis in a fresh-clone CI run: all nine tasks, where the search found no
# plan within its effort (0.15) though idling meets the target; it now escalates the effort
@example(soc0=0.6875, tau=1.0, picks=list(range(9)), buf=0.0)
def test_random_sols_never_break_the_physics(oxia_sol, soc0, tau, picks, buf):
    gen = sol_generation(RF, SITE, CLOCK, 10, tau=tau)
    windows = (R.RelayWindow(2.0, 2.2, 200.0), R.RelayWindow(14.0, 14.2, 200.0))
    inp = SolInputs.from_generation(gen, relay_windows=windows, initial_soc=soc0,
                                    initial_buffer_mbit=buf)
    all_tasks = _sample_tasks()
    chosen = [all_tasks[i] for i in sorted(picks)]
    ids = {t.id for t in chosen}
    chosen = [t for t in chosen if all(d in ids for d in t.after)]
    try:
        plan = plan_sol(RF, chosen, inp, end_soc_target=min(0.8, soc0))
    except InfeasibleSolError as exc:  # only when idle itself cannot meet the target
        idle = R.simulate_sol(RF, [], inp.generation_fn(), daylight_lmst_h=inp.daylight_lmst_h,
                              initial_soc=soc0)
        assert idle.soc[-1] < min(0.8, soc0) + 0.02 or np.min(idle.soc) < RF.min_soc + 0.02, \
            str(exc)
        return
    check_plan(RF, plan)


def test_plans_are_reproducible(oxia_sol):
    # One worker on CP-SAT's deterministic clock: the same inputs give the same plan.
    inp = SolInputs.from_generation(oxia_sol, initial_soc=0.8,
                                    relay_windows=(R.RelayWindow(15.1, 15.25, 250.0),))
    a = plan_sol(RF, _sample_tasks(), inp).to_dict()
    b = plan_sol(RF, _sample_tasks(), inp).to_dict()
    assert a == b


def test_powered_work_uses_energy_that_would_spill():
    """A sol whose array fills the battery by late morning, and one hour of powered work
    that needs no light: run on the battery at night it lowers the charge through the night
    (a day's spilled energy refills it); run while the array spills into a full battery it
    costs nothing. The planner must prefer that. Oracle: an independent slot-by-slot
    reservoir (no efficiencies, equal awake and sleep loads, no heating), brute force over
    every start: the planned start keeps the most charge through the sol (the sum of the
    slots' charge) and costs the end-of-sol charge nothing."""
    rv = RF.model_copy(update={"awake_load_w": 20.0, "sleep_load_w": 20.0,
                               "night_heating_wh": 0.0, "charge_efficiency": 1.0,
                               "discharge_efficiency": 1.0, "end_of_sol_soc_target": 0.3})
    hours = np.linspace(0.0, 24.0, 97)
    gen = np.where((hours >= 7.0) & (hours <= 17.0), 400.0, 0.0)
    inp = SolInputs(sol=3, generation_lmst_h=hours, generation_w=gen,
                    daylight_lmst_h=(7.0, 17.0), initial_soc=0.9)
    slot_h = 0.25
    work = R.Activity("work", 4 * slot_h * LMST_HOUR_S, power_w=150.0, resources=("w",))
    plan = plan_sol(rv, [Task("w", work, 10.0)], inp, effort=20.0)
    assert plan.task_ids() == ["w"]
    start = plan.activities[0].start_lmst_h

    def run(at: float | None) -> tuple[float, float]:
        """(end-of-sol charge, sum of the slots' charge), Wh."""
        soc, held = 0.9 * rv.battery_wh, 0.0
        for k in range(96):
            t0 = k * slot_h
            p = np.interp(t0 + 0.5 * slot_h, hours, gen) - 20.0
            if at is not None and at - 1e-9 <= t0 < at + 1.0 - 1e-9:
                p -= 150.0
            soc = min(rv.battery_wh, soc + p * slot_h * LMST_HOUR_S / 3600.0)
            held += soc
        return soc, held

    best = max(run(k * slot_h)[1] for k in range(93))
    end, held = run(start)
    assert held == pytest.approx(best, rel=1e-4)
    assert end == pytest.approx(run(None)[0], abs=0.5)
    assert run(0.0)[1] < best - 1000.0  # the same work at midnight holds less charge
    check_plan(rv, plan)
