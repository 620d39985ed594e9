"""Sample return (issue 15): the 20-year round-trip search at 1-day resolution (target
< 10 s on 2 cores), its Lambert solves and rate, and the return porkchop's rate (Mars ->
Earth, the porkchop kernel with the bodies swapped plus the departure-plane and entry-speed
terms) against the outbound one's on grids of the same size, best of N, interleaved.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/bench_sample_return.py [--n 3]
"""

from __future__ import annotations

import os
import sys
import time


def _best(fn, n: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    from areo.transfer import porkchop_span, return_window
    from areo.transfer.maneuvers import CaptureOrbit
    from areo.transfer.returns import DepartureOrbit
    from areo.transfer.roundtrip import round_trips

    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 3
    orbit = DepartureOrbit(CaptureOrbit(343.0, 343.0), inclination_deg=25.0, raan_deg=0.0,
                           epoch="2030-01-01")

    def search():
        return round_trips("2026-01-01", "2045-12-31", min_stay_days=30, max_stay_days=700,
                           step_days=1.0, departure_orbit=orbit, max_entry_speed_kms=12.0,
                           site="uttr")

    # compile / load the kernels, read the ephemeris once
    round_trips("2028-09-01", "2028-10-01", min_stay_days=400, max_stay_days=500,
                step_days=10, departure_orbit=orbit)
    print(f"load {os.getloadavg()} before")
    t, rt = _best(search, n)
    print(f"20-year round-trip search 2026-2045 at 1 day (stays 30-700 d, flights 120-400 d, "
          f"entry <= 12 km/s at the UTTR): best of {n} {t:.2f} s; {rt.lambert_solves:,} "
          f"Lambert arcs ({rt.lambert_solves / t / 1e6:.2f} M/s), {rt.pairs_scanned:,} "
          f"arrival/departure pairs; target < 10 s: {'met' if t < 10 else 'MISSED'}; "
          f"load {os.getloadavg()}")
    # the launch windows: the cheap conjunction trips (< 10 km/s) come once per synodic
    # period; every trip joins the window of the nearest such launch
    good = sorted(float(x.launch.et) for x in rt.trips
                  if x.trip_class == "conjunction" and x.total_dv_kms < 10.0)
    print(f"best trip of each class per launch window ({len(good)} windows):")
    for c in good:
        near = [x for x in rt.trips
                if min(good, key=lambda g: abs(g - float(x.launch.et))) == c]
        for cls in ("conjunction", "opposition"):
            sel = [x for x in near if x.trip_class == cls]
            if sel:
                print(f"  {min(sel, key=lambda x: x.total_dv_kms)!r}")

    # the same 400 x 400 day grid (1 day) each way, interleaved
    out_t, ret_t = float("inf"), float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        pc = porkchop_span("2030-06-01", "2031-07-05", "2031-01-01", "2032-02-04", 1.0,
                           capture=orbit.orbit)
        out_t = min(out_t, time.perf_counter() - t0)
        t0 = time.perf_counter()
        rw = return_window("2032-06-01", "2033-07-05", "2033-01-01", "2034-02-04", 1.0,
                           departure_orbit=orbit, max_entry_speed_kms=12.0, site="uttr")
        ret_t = min(ret_t, time.perf_counter() - t0)
    cells_o, cells_r = pc.c3_km2s2.size, rw.vinf_depart_kms.size
    print(f"outbound porkchop {pc.shape}: {out_t:.3f} s ({cells_o / out_t / 1e6:.2f} M "
          f"arcs/s); return window {rw.shape}: {ret_t:.3f} s ({cells_r / ret_t / 1e6:.2f} M "
          f"arcs/s); return/outbound rate {cells_r / ret_t / (cells_o / out_t):.2f}; "
          f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
