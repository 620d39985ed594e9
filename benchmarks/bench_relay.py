"""Relay planning at mission scale: 218 sols, 2 orbiters (TGO, MEX), 3 landers.

Times the whole plan (passes, volumes, Earth contacts, latency, CP-SAT allocation) and
prints the scaling with the number of sols, then the issue-18 relay row: the 218-sol plan
on the default path against the dense reference it replaced (``plan._DENSE_REFERENCE``:
every pass sampled every second, erfa's Earth orientation at every epoch, one search over
the span), interleaved, best of two, and the peak memory of 218- and 668-sol plans (each
in a fresh process: the peak RSS during the plan less the RSS after a warm-up plan).
No peer exists (JPL's MaROS is not public): the figures are absolute.
Run: ``.venv/bin/python benchmarks/bench_relay.py``.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time

from _machine import target
from areo.relay import plan as relay_plan
from areo.relay.plan import RelayOptions, plan_relay

LANDERS = ["jezero", "oxia planum", "gale"]
ORBITERS = ["tgo", "mex"]
START = "2030-11-01"
SOL_DAYS = 1.0275  # a sol in days
TARGET_S = 6.0  # issue 18: the 218-sol plan under 6 s on a 2-core machine


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _plus_days(start: str, days: float) -> str:
    from areo.time import Time

    return str((Time(start) + days * 86400.0).iso)


def _one(sols: int, dense: bool) -> None:
    """Child process: warm up, plan ``sols`` sols, print wall time and memory as JSON."""
    relay_plan._DENSE_REFERENCE = dense
    plan_relay(LANDERS, ORBITERS, START, "2030-11-03")  # JIT, caches, imports
    base = _rss_mb("VmRSS")
    _reset_peak()
    t = time.perf_counter()
    plan = plan_relay(LANDERS, ORBITERS, START, _plus_days(START, sols * SOL_DAYS))
    wall = time.perf_counter() - t
    peak = _rss_mb("VmHWM")
    print(json.dumps({"wall_s": wall, "base_mb": base, "peak_mb": peak,
                      "passes": len(plan.rows), "mbit": plan.objective_mbit,
                      "load": os.getloadavg()[0]}))


def _rss_mb(field: str) -> float:
    """Resident set size (``VmRSS``) or its peak (``VmHWM``) in MB, from /proc; elsewhere
    the peak from getrusage."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _reset_peak() -> None:
    """Restart the peak RSS from the present RSS (Linux: 5 > /proc/self/clear_refs), so
    that the warm-up's peak (compilation, imports) does not mask the plan's."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _child(sols: int, dense: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", str(sols), str(int(dense))],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    print("areo relay benchmark: TGO + MEX, Jezero + Oxia Planum + Gale")
    print(f"  machine : {platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}")
    plan_relay(LANDERS, ORBITERS, START, "2030-11-03")  # JIT and cache warm-up
    for sols in (7, 30, 218):
        t = time.perf_counter()
        plan = plan_relay(LANDERS, ORBITERS, START, _plus_days(START, sols * SOL_DAYS))
        wall = time.perf_counter() - t
        print(f"  {sols:4d} sols: {wall:7.2f} s total, CP-SAT {plan.solve_s:6.3f} s "
              f"({plan.status}), {len(plan.rows)} candidate passes, "
              f"{plan.objective_mbit / 1e3:,.1f} Gbit returned ({_load()})")
    t = time.perf_counter()
    plan = plan_relay(LANDERS, ORBITERS, START, _plus_days(START, 218 * SOL_DAYS),
                      RelayOptions(storage_mbit=2000.0, decisional_after_lmst_hours=12.0,
                                   planning_shift_utc_hours=16.0, min_volume_mbit_per_sol=50.0))
    print(f"   218 sols with a 2 Gbit store, decisional data and 50 Mbit/sol minimum: "
          f"{time.perf_counter() - t:.2f} s, CP-SAT {plan.solve_s:.3f} s ({plan.status}) "
          f"({_load()})")

    print("  issue 18 relay row (each plan in a fresh process, warm caches):")
    runs: dict[str, list[dict]] = {"default": [], "dense reference": []}
    for _ in range(2):  # interleaved: the machine's load falls on both alike
        runs["default"].append(_child(218, False))
        runs["dense reference"].append(_child(218, True))
    best = {k: min(v, key=lambda r: r["wall_s"]) for k, v in runs.items()}
    for name, r in best.items():
        print(f"    218 sols, {name:15s}: {r['wall_s']:6.2f} s (best of 2), peak memory "
              f"+{r['peak_mb'] - r['base_mb']:6.0f} MB, {r['passes']} passes, "
              f"{r['mbit']:,.0f} Mbit (load {r['load']:.2f})")
    long = _child(668, False)
    grow = ((long["peak_mb"] - long["base_mb"]) - (best["default"]["peak_mb"]
                                                  - best["default"]["base_mb"])) / 450.0
    print(f"    668 sols, default        : {long['wall_s']:6.2f} s, peak memory "
          f"+{long['peak_mb'] - long['base_mb']:6.0f} MB, {long['passes']} passes "
          f"(load {long['load']:.2f})")
    new, old = best["default"]["wall_s"], best["dense reference"]["wall_s"]
    print(f"  relay plan, 2 orbiters x 3 landers, 218 sols: {new:.2f} s vs {old:.2f} s dense "
          f"({old / new:.1f}x; target < {TARGET_S:g} s: {'met' if new < TARGET_S else 'MISSED'})"
          f"; memory {grow * 1000.0:+.0f} kB per sol from 218 to 668 sols (target: flat) "
          f"({_load()})")
    target("relay plan, 2 orbiters x 3 landers, 218 sols", f"{new:.2f} s",
           f"dense reference {old:.2f} s", f"{old / new:.1f}x faster", f"< {TARGET_S:g} s",
           new < TARGET_S)
    target("relay plan memory, 218 -> 668 sols", f"{grow * 1000.0:+.0f} kB/sol",
           f"peak +{long['peak_mb'] - long['base_mb']:.0f} MB at 668 sols", "-",
           "flat (< 100 kB/sol)", grow * 1000.0 < 100.0)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        _one(int(sys.argv[2]), bool(int(sys.argv[3])))
    else:
        main()
