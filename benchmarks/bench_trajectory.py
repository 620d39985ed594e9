"""Benchmark: DSM trajectories, areo vs pykep 3.0.1 + pygmo 2.20, side by side in one run.

1. Batch fitness evaluations per second on Earth-Mars MGA-1DSM (launch 2028-09-01 ..
   2028-12-31, 150-900 day legs, objective DSM + arrival v-infinity): areo's batch
   evaluator (``MGA1DSM.fitness`` on N random decision vectors, DE440 planets) on one
   thread and on every core, vs pykep's ``mga_1dsm.fitness`` in a Python loop with its own
   analytic ``jpl_lp`` planets (its fastest path). Ratio per core = areo 1-thread rate /
   pykep rate.
2. The 2028 Earth-Mars DSM optimisation, unconstrained, the same bounds: pykep+pygmo (sade,
   population 20, the usual mga_1dsm recipe, 5 seeded runs of 400 generations) vs areo's
   ``optimise_trajectory`` (pygmo PSO then CMA-ES fed by the batch fitness through ``bfe``,
   restarts, a subplex polish). Reports each side's best value and wall time, and areo's time to
   reach pykep's best (areo's runs are repeated with more restarts until it does). Caveat:
   pykep flies its jpl_lp planets, areo DE440 (the two optima differ by the ephemeris,
   ~1e-3 relative).
3. A 60-day launch period (2028-09-20 .. 2028-11-18) with the ExoMars constraints (C3 <= 20,
   arrival v-inf <= 6 km/s, Ls 0..150 at arrival, landing 12..17 LMST at Oxia Planum).

Run: ``python benchmarks/bench_trajectory.py [N]``. pykep may crash at interpreter exit
(peer-libraries.md), so the script flushes and leaves with ``os._exit(0)``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import types

import numpy as np

from _machine import cpu_model

T0 = (10471.0, 10591.0)  # 2028-09-01 .. 2028-12-31, MJD2000
TOF = [(150.0, 900.0)]
VINF = (0.5, 6.0)
ETA = (0.01, 0.99)


def _load_pykep():
    import heyoka  # noqa: F401  (pykep aborts later without it)

    root = importlib.util.find_spec("pykep").submodule_search_locations[0]
    gym = types.ModuleType("pykep.trajopt.gym")
    gym.__path__ = [os.path.join(root, "trajopt", "gym")]
    sys.modules["pykep.trajopt.gym"] = gym
    import pykep as pk

    return pk


def bench_fitness(n: int) -> dict:
    from areo._numba import threads
    from areo.transfer.mga import MGA1DSM

    prob = MGA1DSM(("earth", "mars"), T0, TOF, vinf_kms=VINF, eta=ETA, objective="dsm+vinf")
    rng = np.random.default_rng(0)
    X = prob.lower + rng.random((n, prob.dim)) * (prob.upper - prob.lower)
    prob.fitness(X[:100])  # compile / load caches
    import numba

    out = {}
    for nt in sorted({1, threads()}):
        numba.set_num_threads(nt)
        os.environ["NUMBA_NUM_THREADS"] = str(nt)
        best = np.inf
        for _ in range(3):
            t = time.perf_counter()
            prob.fitness(X)
            best = min(best, time.perf_counter() - t)
        out[nt] = n / best
    os.environ.pop("NUMBA_NUM_THREADS", None)
    pk = _load_pykep()
    seq = [pk.planet(pk.udpla.jpl_lp("earth")), pk.planet(pk.udpla.jpl_lp("mars"))]
    udp = pk.trajopt.mga_1dsm(seq=seq, t0=list(T0), tof=[list(t) for t in TOF],
                              vinf=list(VINF), add_vinf_arr=True, eta_bounds=list(ETA))
    Xp = X[: min(n, 30000)].copy()
    Xp[:, 3] *= 1000.0
    best = np.inf
    for _ in range(3):
        t = time.perf_counter()
        for x in Xp:
            udp.fitness(x)
        best = min(best, time.perf_counter() - t)
    out["pykep"] = Xp.shape[0] / best
    return out


def bench_optimise() -> dict:
    import pygmo as pg

    from areo.transfer.trajectory import TrajectoryProblem, optimise_trajectory

    pk = _load_pykep()
    seq = [pk.planet(pk.udpla.jpl_lp("earth")), pk.planet(pk.udpla.jpl_lp("mars"))]
    udp = pk.trajopt.mga_1dsm(seq=seq, t0=list(T0), tof=[list(t) for t in TOF],
                              vinf=list(VINF), add_vinf_arr=True, eta_bounds=list(ETA))
    prob = pg.problem(udp)
    t = time.perf_counter()
    best_pk = np.inf
    for s in range(5):
        algo = pg.algorithm(pg.sade(gen=400, seed=s))
        pop = algo.evolve(pg.population(prob, 20, seed=100 + s))
        best_pk = min(best_pk, pop.champion_f[0] / 1000.0)
    t_pk = time.perf_counter() - t
    # areo: the same bounds in dates (launch span and per-leg time of flight).
    from areo.time import Time
    from areo.transfer.mga import mjd2000_to_et

    launch = tuple(Time.from_et(mjd2000_to_et(v)).utc_iso(0) for v in T0)
    ap = TrajectoryProblem(("earth", "mars"), launch=launch, arrive=None, model="dsm",
                           objective="dsm+vinf", tof_days=tuple(TOF), vinf_kms=VINF)
    runs = []
    for restarts in (1, 2, 4):
        t = time.perf_counter()
        tr = optimise_trajectory(ap, seed=0, restarts=restarts)
        runs.append((restarts, time.perf_counter() - t, tr.objective_value, tr.evaluations))
        if tr.objective_value <= best_pk * (1 + 1e-3):
            break
    return {"pykep": (best_pk, t_pk), "areo": runs}


def bench_period() -> tuple[float, object]:
    from areo.transfer.trajectory import Constraints, TrajectoryProblem, optimise_launch_period

    c = Constraints(max_c3_km2s2=20.0, max_vinf_arrive_kms=6.0, arrival_ls_deg=(0, 150),
                    landing_lmst_h=(12, 17), site="oxia_planum")
    p = TrajectoryProblem(("earth", "mars"), launch=("2028-09-20", "2028-11-18"),
                          arrive=("2030-01-01", "2031-01-31"), model="dsm",
                          objective="dsm+vinf", constraints=c)
    t = time.perf_counter()
    lp = optimise_launch_period(p, seed=0)
    return time.perf_counter() - t, lp


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs; load {os.getloadavg()}")
    f = bench_fitness(n)
    per_core = f[1] / f["pykep"]
    print(f"[1] Earth-Mars MGA-1DSM batch fitness, {n} vectors")
    for k, v in f.items():
        label = "pykep 3.0.1 (Python loop, jpl_lp)" if k == "pykep" else f"areo {k} thread(s)"
        print(f"    {label:36s} {v / 1e3:10.1f} k evals/s")
    print(f"    ratio per core (areo 1 thread / pykep): {per_core:.1f}x")
    o = bench_optimise()
    best_pk, t_pk = o["pykep"]
    print("[2] 2028 Earth-Mars DSM optimisation (objective DSM + arrival v-inf, km/s)")
    print(f"    pykep+pygmo sade 5 x (20 x 400): best {best_pk:.5f} in {t_pk:.2f} s")
    for restarts, t, v, ne in o["areo"]:
        print(f"    areo PSO+CMA-ES bfe, {restarts} restart(s): best {v:.5f} in {t:.2f} s "
              f"({ne} evaluations)")
    t_a = o["areo"][-1][1]
    print(f"    ratio (pykep time / areo time to reach <= pykep's best): {t_pk / t_a:.2f}x")
    tp, lp = bench_period()
    print(f"[3] 60-day launch period with the ExoMars constraints: {tp:.1f} s")
    print(f"    {lp!r}")
    print(f"load after: {os.getloadavg()}")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
