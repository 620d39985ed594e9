"""Surface planning: one sol with the CP-SAT planner, and the 218-sol Reference Surface Mission.

Targets (issue 7, issue 18): one sol in under 0.5 s with the same plan quality, the campaign in
under 60 s on 2 cores. No public peer plans rover sols (ESA's ROSEX-TAPS and NASA's
Crosscheck/MAPGEN are not public), so the figures are absolute; the one-sol figure is timed
side by side with the planner as it was before issue 18 (``plan.py`` at commit ``BEFORE``, read
from git; skipped without git), interleaved, median of N, with the machine's load and the
process's CPU time (one CP-SAT worker: on a loaded machine the CPU time is what a quiet one's
wall time would be).
Run: ``.venv/bin/python benchmarks/bench_surface.py``.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import areo.surface.rover  # noqa: F401
from _machine import cpu_model, target
from areo import catalog
from areo.surface.campaign import plan_campaign
from areo.surface.generation import sol_generation
from areo.surface.plan import InfeasibleSolError, SolInputs, Task, night_work, plan_sol
from areo.time import MissionClock

R = sys.modules["areo.surface.rover"]
BEFORE = "9c1d634"  # the planner before issue 18's one-sol work
REPEATS = 7


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _planner_before() -> object | None:
    """``areo.surface.plan`` as of ``BEFORE`` (git show), or None without git."""
    root = Path(__file__).resolve().parents[1]
    try:
        src = subprocess.run(["git", "show", f"{BEFORE}:src/areo/surface/plan.py"], cwd=root,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan_before.py"
        path.write_text(src)
        spec = importlib.util.spec_from_file_location("areo.surface._plan_before", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # dataclasses look their module up
        spec.loader.exec_module(mod)
    return mod


def one_sol(before: object | None) -> None:
    site = catalog.site("oxia_planum")
    rf = R.rover("rosalind_franklin")
    clock = MissionClock.from_landing("2030-11-20T12:00:00", site.lon_east_deg)
    gen = sol_generation(rf, site, clock, 10, tau=0.5)
    inp = SolInputs.from_generation(gen, relay_windows=(R.RelayWindow(3.2, 3.35, 300.0),
                                                        R.RelayWindow(15.1, 15.25, 250.0)),
                                    initial_soc=0.8, initial_buffer_mbit=40.0)
    tasks = [Task("d1", R.drill(0.5), 10), Task("dl", R.sample_delivery(), 10, after=("d1",)),
             Task("cr", R.crushing(), 10, after=("dl",)),
             Task("mm", R.micromega(), 12, after=("cr",)), Task("rl", R.rls(), 12, after=("cr",)),
             Task("ld", R.moma_ldms(), 12, after=("cr",)),
             Task("gc", R.moma_gcms(), 12, after=("cr",)), Task("pc", R.pancam(10), 5),
             Task("dr", R.drive(50), 5)]
    runs = {"after": lambda: plan_sol(rf, tasks, inp)}
    if before is not None:
        old_tasks = [before.Task(t.id, t.activity, t.value, after=t.after) for t in tasks]
        old_inp = before.SolInputs.from_generation(gen, relay_windows=inp.relay_windows,
                                                   initial_soc=0.8, initial_buffer_mbit=40.0)
        runs = {"before": lambda: before.plan_sol(rf, old_tasks, old_inp), **runs}
    walls: dict[str, list[float]] = {k: [] for k in runs}
    cpus: dict[str, list[float]] = {k: [] for k in runs}
    plans = {k: f() for k, f in runs.items()}  # warm-up (imports)
    load0 = _load()
    for _ in range(REPEATS):
        for k, f in runs.items():
            t, c = time.perf_counter(), time.process_time()
            plans[k] = f()
            walls[k].append(time.perf_counter() - t)
            cpus[k].append(time.process_time() - c)
    print(f"  one sol, 9 candidate tasks + 2 passes, 15-min slots ({load0} -> {_load()}):")
    for k, p in plans.items():
        w, c = walls[k], cpus[k]
        bound = p.objective / (1.0 - p.gap_pct / 100.0) if p.gap_pct < 100 else float("nan")
        print(f"    {k:6s}: median {statistics.median(w):.3f} s (min {min(w):.3f}, max "
              f"{max(w):.3f}; CPU median {statistics.median(c):.3f} s); {p.status}, objective "
              f"{p.objective:.0f} (gap to the proven bound {bound:.0f}: {p.gap_pct:.1f} %), "
              f"{len(p.activities)} activities, mean SOC {100 * np.mean(p.simulation.soc):.1f} "
              f"%, tasks at night {len(night_work(p.activities, inp.daylight_lmst_h))}")
    if "before" in plans:
        a, b = plans["after"], plans["before"]
        ratio = statistics.median(walls["after"]) / statistics.median(walls["before"])
        cpu = statistics.median(cpus["after"]) / statistics.median(cpus["before"])
        print(f"    after / before: {ratio:.2f}x the time ({cpu:.2f}x the CPU); objective "
              f"{a.objective - b.objective:+.0f} (0: the same science and data); target < 0.5 s")
    after = statistics.median(walls["after"])
    if "before" in plans:
        ref = (f"planner of {BEFORE} {statistics.median(walls['before']):.3f} s, objective "
               f"{plans['after'].objective - plans['before'].objective:+.0f}")
        ratio_text = f"{after / statistics.median(walls['before']):.2f}x the time"
        same = plans["after"].objective >= plans["before"].objective
    else:
        ref, ratio_text, same = "no earlier planner in git", "-", True
    target("one sol plan (9 tasks, 2 passes)", f"{after:.3f} s median", ref, ratio_text,
           "< 0.5 s, same objective", after < 0.5 and same)


def campaign(before: object | None) -> None:
    """The 218-sol RSM with today's planner and, where git has it, the one of ``BEFORE``
    (the campaign driver is today's: only the sol planner changes)."""
    import areo.surface.campaign as campaign_mod

    planners = {"after": campaign_mod.plan_sol}
    if before is not None:

        def planner_before(*args: object, **kwargs: object) -> object:
            try:
                plan = before.plan_sol(*args, **kwargs)
            except before.InfeasibleSolError as exc:  # the driver catches today's class
                raise InfeasibleSolError(str(exc), exc.relaxations) from None
            plan.night_work = None  # (not said before)
            return plan

        planners = {"before": planner_before, **planners}
    for name, planner in planners.items():
        load0 = _load()
        campaign_mod.plan_sol = planner
        try:
            t, c = time.perf_counter(), time.process_time()
            camp = plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 218)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
        finally:
            campaign_mod.plan_sol = planners["after"]
        s = camp.summary
        solve = sum(p.solve_s for p in camp.sols)
        night = sum(1 for p in camp.sols if night_work(p) and max(p.simulation.soc) >= 0.999)
        print(f"  218-sol campaign, {name:6s} ({load0} -> {_load()}): {wall:.1f} s ({cpu:.1f} s "
              f"CPU; CP-SAT {solve:.1f} s, {solve / 218 * 1e3:.0f} ms/sol); "
              f"{s['experiment_cycles']} ECs, {s['vertical_surveys']} VSs, {s['n_samples']} "
              f"samples to {s['max_depth_m']:g} m, science done by sol "
              f"{s['last_science_sol']}, {s['data_returned_mbit']:.0f} Mbit returned; "
              f"{night} sols with tasks at night while the battery fills by day, "
              f"{s['night_work_forced_sols']} of them said forced (target < 60 s)")


def main() -> None:
    print("areo surface planning benchmark (Rosalind Franklin at Oxia Planum)")
    print(f"  machine : {cpu_model()}")
    before = _planner_before()
    one_sol(before)
    campaign(before)


if __name__ == "__main__":
    main()
