"""Benchmark: full-chain EDL trajectories per second, an 8001-run Monte Carlo, AMAT per core.

Work (areo): dispersed Monte Carlo runs of MSL (guided, parachute, heat shield, backshell
separation, powered descent, sky-crane fly-away: three separated bodies flown to their
impact points) and MER (ballistic, q-triggered parachute, RAD rockets, bridle cut: two
bodies), entry interface to touchdown, NASA Glenn atmosphere. Timed: the kernel batches
alone (``MonteCarlo.fly_seconds``) on all kernel threads and, in a child process, on one
(``NUMBA_NUM_THREADS=1``); then a whole 8001-run Monte Carlo from a prepared entry state
and from a site name (entry targeting included), warm (kernels compiled and cached).

Peer: AMAT 2.3.0 (GPL-3.0; its own Python 3.11 venv with numpy 1.26, given by
``AMAT_PYTHON``, default /tmp/amat-venv/bin/python), one MSL-like ballistic hypersonic entry
(AMAT stops at a terminal condition, has no parachute or separation) on an exponential
atmosphere table given to both (rho0 0.020 kg/m^3, H 11.1 km), ``propogateEntry`` with a
0.1 s step, timed per trajectory; areo flies the same entry to the same end (no events)
for the comparison of histories. Run: ``python benchmarks/bench_edl.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from bench_lambert import machine

N_THROUGHPUT = 16384


def areo_throughput(name: str, site: str | None, entry: str, runs: int) -> dict:
    from areo.edl import entry_from_site, monte_carlo

    e = entry_from_site(name, site, entry)
    monte_carlo(e, runs=200, seed=1)  # warm
    best = None
    for _ in range(3):
        mc = monte_carlo(e, runs=runs, seed=2)
        if best is None or mc.fly_seconds < best.fly_seconds:
            best = mc
    assert best is not None
    return {"vehicle": name, "runs": runs, "fly_s": best.fly_seconds,
            "per_s": runs / best.fly_seconds, "landed": best.landed_fraction,
            "bodies": len(best.plan.body_names)}


def one_thread(name: str, site: str | None, entry: str, runs: int) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {os.path.dirname(__file__)!r});"
            "from bench_edl import areo_throughput;"
            f"print(json.dumps(areo_throughput({name!r}, {site!r}, {entry!r}, {runs})))")
    env = dict(os.environ, NUMBA_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


AMAT_SCRIPT = r'''
import json, sys, time, tempfile, os
import numpy as np
from AMAT.planet import Planet
from AMAT.vehicle import Vehicle
rho0, H = 0.020, 11100.0
h = np.arange(0.0, 200001.0, 1000.0)
rho = rho0 * np.exp(-h / H)
T = np.full(h.size, 210.0)
p = rho * 191.8 * 210.0
d = tempfile.mkdtemp()
f = os.path.join(d, "exp.dat")
np.savetxt(f, np.column_stack([h, T, p, rho]))
planet = Planet("MARS")
planet.loadAtmosphereModel(f, 0, 1, 2, 3)
planet.h_skip = 125000.0
planet.h_trap = 10000.0
planet.h_low = 10000.0
veh = Vehicle("MSL-like", 3257.0, 3257.0 / (1.45 * np.pi * 4.5 ** 2 / 4), 0.0,
              np.pi * 4.5 ** 2 / 4, 0.0, 1.125, planet)
veh.setInitialState(125.0, 0.0, 0.0, 5.845, 0.0, -15.5, 0.0, 0.0)
veh.setSolverParams(1e-6)
t0 = time.process_time()
n = 0
while time.process_time() - t0 < 3.0 or n < 3:
    veh.propogateEntry(2400.0, 0.1, 0.0)
    n += 1
cpu = (time.process_time() - t0) / n
print(json.dumps({"cpu_s_per_traj": cpu, "n": n,
                  "t": veh.t_minc.tolist()[::10], "h_km": veh.h_kmc.tolist()[::10],
                  "v_kms": veh.v_kmsc.tolist()[::10], "g": veh.acc_net_g.tolist()[::10]}))
'''


def amat(python: str) -> dict | None:
    if not os.path.exists(python):
        return None
    out = subprocess.run([python, "-c", AMAT_SCRIPT], capture_output=True, text=True)
    if out.returncode != 0:
        print("AMAT failed:", out.stderr.strip().splitlines()[-3:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def areo_amat_case() -> dict:
    """The AMAT case flown by areo: same vehicle, atmosphere, entry; no events; over a
    rotating spherical-gravity Mars as AMAT's planet-relative 3-DOF (J2 off)."""
    from dataclasses import replace

    from areo.edl import FlightOptions, exponential, vehicle
    from areo.edl import _kernels as K
    from areo.edl.dynamics import fly, local_state

    v = replace(vehicle("msl"), lift_to_drag=0.0, guided=False, events=(),
                flyaway_mass_kg=0.0, ground_alt_km=-5.0)
    y0 = local_state(0.0, 0.0, 125.0, 5.845, -15.5, 90.0, 3257.0, inertial=False)
    atm = exponential(0.020, 11.1, 210.0)
    out = fly(v, y0[None], atm, history=1, physics={"j2": 0.0},
              options=FlightOptions(step_entry_s=0.1, step_coast_s=0.1))
    h = out.hist[0]
    h = h[np.isfinite(h[:, K.H_T])]
    return {"t": h[:, K.H_T], "h_km": h[:, K.H_ALT] - 5.0, "v_kms": h[:, K.H_SPEED] / 1e3,
            "g": h[:, K.H_G]}


def areo_same_work(n: int = 20000) -> float:
    """Trajectories per second on one thread for AMAT's work: the MSL-like ballistic
    hypersonic entry from 125 km to AMAT's 10 km terminal altitude, default steps."""
    from dataclasses import replace

    from areo.edl import exponential, vehicle
    from areo.edl.dynamics import fly, local_state

    v = replace(vehicle("msl"), lift_to_drag=0.0, guided=False, events=(),
                flyaway_mass_kg=0.0, ground_alt_km=10.0)
    y0 = local_state(0.0, 0.0, 125.0, 5.845, -15.5, 90.0, 3257.0, inertial=False)
    y = np.tile(y0, (n, 1))
    atm = exponential(0.020, 11.1, 210.0)
    fly(v, y[:2], atm)
    best = np.inf
    for _ in range(3):
        t = time.perf_counter()
        fly(v, y, atm)
        best = min(best, time.perf_counter() - t)
    return n / best


def main() -> None:
    print(f"machine: {machine()}")
    print(f"load (uptime): {os.getloadavg()}")
    cases = [("msl", "gale", "2012-08-06T05:10:45Z"), ("mer", None, "2004-01-04T04:29:00Z")]
    for name, site, entry in cases:
        r2 = areo_throughput(name, site, entry, N_THROUGHPUT)
        r1 = one_thread(name, site, entry, N_THROUGHPUT // 4)
        print(f"areo {name}: {r2['runs']} full-chain runs ({r2['bodies']} bodies each) in "
              f"{r2['fly_s']:.3f} s on all kernel threads -> {r2['per_s']:,.0f} traj/s; one "
              f"thread {r1['per_s']:,.0f} traj/s ({1e6 / r1['per_s']:.0f} us/traj); landed "
              f"{r2['landed']:.1%}")
    from areo.edl import entry_from_site, monte_carlo

    e = entry_from_site("m2020", "jezero", "2021-02-18T20:36Z")
    monte_carlo(e, runs=500, seed=1)
    ts, tsite = [], []
    for s in range(3):
        t = time.perf_counter()
        mc = monte_carlo(e, runs=8001, seed=s)
        ts.append(time.perf_counter() - t)
        t = time.perf_counter()
        monte_carlo("m2020", "jezero", "2021-02-18T20:36Z", runs=8001, seed=s)
        tsite.append(time.perf_counter() - t)
    print(f"8001-run Monte Carlo (Perseverance, warm): from an entry state best "
          f"{min(ts):.3f} s (median {np.median(ts):.3f}); from the site name (entry "
          f"targeting included) best {min(tsite):.3f} s; {mc}")
    py = os.environ.get("AMAT_PYTHON", "/tmp/amat-venv/bin/python")
    peer = amat(py)
    if peer is None:
        print(f"AMAT: not available at {py} (set AMAT_PYTHON to a venv with AMAT 2.3.0)")
        return
    a = areo_amat_case()
    amat_per_s = 1.0 / peer["cpu_s_per_traj"]
    print(f"AMAT 2.3.0 ballistic hypersonic entry (no parachute, no bodies): "
          f"{peer['cpu_s_per_traj'] * 1e3:.1f} ms CPU per trajectory -> {amat_per_s:.1f} "
          f"traj/s per core")
    r1 = one_thread("msl", "gale", "2012-08-06T05:10:45Z", 4096)
    print(f"areo full chain per core / AMAT hypersonic-only per core: "
          f"{r1['per_s'] / amat_per_s:,.0f}x")
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(__file__)!r});"
            "from bench_edl import areo_same_work; print(areo_same_work())")
    same = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, env=dict(os.environ, NUMBA_NUM_THREADS="1"))
                 .stdout.strip().splitlines()[-1])
    print(f"same work as AMAT (hypersonic ballistic entry to 10 km), one thread: "
          f"{same:,.0f} traj/s = {same / amat_per_s:,.0f}x AMAT per core")
    # histories on the hypersonic part (AMAT's own terminal condition ends its run)
    _ta, ha, va = (np.asarray(peer[k]) * (60.0 if k == "t" else 1.0)
                  for k in ("t", "h_km", "v_kms"))
    sel = ha > 15.0
    v_areo = np.interp(ha[sel][::-1], a["h_km"][::-1], a["v_kms"][::-1])[::-1]
    print(f"speed at the same altitude (15-125 km), areo vs AMAT: max |dv| "
          f"{np.max(np.abs(v_areo - va[sel])) * 1e3:.1f} m/s; peak g areo "
          f"{np.max(a['g']):.2f}, AMAT {np.max(peer['g']):.2f}")


if __name__ == "__main__":
    main()
