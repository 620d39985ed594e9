"""Relay planning at mission scale: 218 sols, 2 orbiters (TGO, MEX), 3 landers.

Times the whole plan (passes, volumes, Earth contacts, latency, CP-SAT allocation) and each
stage, and prints the scaling with the number of sols. No peer exists (JPL's MaROS is not
public): the figure is absolute. Run: ``.venv/bin/python benchmarks/bench_relay.py``.
"""

from __future__ import annotations

import os
import platform
import time

from areo.relay.plan import RelayOptions, plan_relay

LANDERS = ["jezero", "oxia planum", "gale"]
ORBITERS = ["tgo", "mex"]


def main() -> None:
    print("areo relay benchmark: TGO + MEX, Jezero + Oxia Planum + Gale")
    print(f"  machine : {platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}")
    plan_relay(LANDERS, ORBITERS, "2030-11-01", "2030-11-03")  # JIT and cache warm-up
    for sols in (7, 30, 218):
        days = sols * 1.0275
        t = time.perf_counter()
        plan = plan_relay(LANDERS, ORBITERS, "2030-11-01", _plus_days("2030-11-01", days))
        wall = time.perf_counter() - t
        print(f"  {sols:4d} sols: {wall:7.2f} s total, CP-SAT {plan.solve_s:6.3f} s "
              f"({plan.status}), {len(plan.rows)} candidate passes, "
              f"{plan.objective_mbit / 1e3:,.1f} Gbit returned")
    t = time.perf_counter()
    plan = plan_relay(LANDERS, ORBITERS, "2030-11-01", _plus_days("2030-11-01", 218 * 1.0275),
                      RelayOptions(storage_mbit=2000.0, decisional_after_lmst_hours=12.0,
                                   planning_shift_utc_hours=16.0, min_volume_mbit_per_sol=50.0))
    print(f"   218 sols with a 2 Gbit store, decisional data and 50 Mbit/sol minimum: "
          f"{time.perf_counter() - t:.2f} s, CP-SAT {plan.solve_s:.3f} s ({plan.status})")


def _plus_days(start: str, days: float) -> str:
    from areo.time import Time

    return str((Time(start) + days * 86400.0).iso)


if __name__ == "__main__":
    main()
