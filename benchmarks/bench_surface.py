"""Surface planning: one sol with the CP-SAT planner, and the 218-sol Reference Surface Mission.

Targets (issue 7): one sol in under 1 s, the campaign in under 60 s on 2 cores. No public peer
plans rover sols (ESA's ROSEX-TAPS and NASA's Crosscheck/MAPGEN are not public), so the figures
are absolute. Run: ``.venv/bin/python benchmarks/bench_surface.py``.
"""

from __future__ import annotations

import statistics
import sys
import time

import areo.surface.rover  # noqa: F401
from _machine import cpu_model
from areo import catalog
from areo.surface.campaign import plan_campaign
from areo.surface.generation import sol_generation
from areo.surface.plan import SolInputs, Task, plan_sol
from areo.time import MissionClock

R = sys.modules["areo.surface.rover"]


def main() -> None:
    print("areo surface planning benchmark (Rosalind Franklin at Oxia Planum)")
    print(f"  machine : {cpu_model()}")
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
    plan_sol(rf, tasks, inp)  # warm-up (imports)
    walls = []
    for _ in range(5):
        t = time.perf_counter()
        plan = plan_sol(rf, tasks, inp)
        walls.append(time.perf_counter() - t)
    print(f"  one sol, 9 candidate tasks + 2 passes, 15-min slots: median "
          f"{statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}); "
          f"{plan.status} (gap to the proven bound {plan.gap_pct:.1f} %), "
          f"{len(plan.activities)} activities (target < 1 s)")
    t = time.perf_counter()
    camp = plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 218)
    wall = time.perf_counter() - t
    s = camp.summary
    solve = sum(p.solve_s for p in camp.sols)
    print(f"  218-sol campaign: {wall:.1f} s total (CP-SAT {solve:.1f} s over 218 sols, "
          f"mean {solve / 218 * 1e3:.0f} ms/sol); {s['experiment_cycles']} ECs, "
          f"{s['vertical_surveys']} VSs, {s['n_samples']} samples to {s['max_depth_m']:g} m, "
          f"science done by sol {s['last_science_sol']} (target < 60 s)")


if __name__ == "__main__":
    main()
