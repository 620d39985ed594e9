"""Benchmark: a 1000 x 1000 Earth -> Mars porkchop with DE440 ephemeris evaluation.

Work: launches 2028-08-01 + k * 0.184 d, arrivals 2029-03-01 + k * 0.67 d (1000 each), every
cell solved (Lambert, C3, DLA/RLA, arrival v-inf and declination, delta-v), direct arcs.
Timings: the first call (JIT compile or cache load) apart, then best/median of 3. A
breakdown times ephemeris + pole evaluation alone and the compiled grid kernel alone.
Peer: pykep ``lambert_problem`` in a Python loop on a 200 x 200 grid (Lambert only, states
precomputed), scaled per cell. Run: ``python benchmarks/bench_porkchop.py [n]``.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from bench_lambert import load_pykep, machine, timed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    from areo.time import Time
    from areo.transfer import PorkchopOptions, porkchop
    from areo.transfer.interplanetary import endpoint_states
    from areo.transfer.lambert import GM_SUN

    print(f"machine: {machine()}")
    tl = Time.linspace("2028-08-01", "2029-01-31", n)
    ta = Time.linspace("2029-03-01", "2030-12-31", n)
    t = time.perf_counter()
    porkchop(tl[:4], ta[:4])
    print(f"JIT warm-up (compile or cache load) + first ephemeris load: "
          f"{time.perf_counter() - t:.3f} s")
    best, med = timed(lambda: porkchop(tl, ta))
    pc = porkchop(tl, ta)
    cells = n * n
    print(f"porkchop {n} x {n} (ephemeris included): best {best:.3f} s, median {med:.3f} s -> "
          f"{cells / best / 1e6:.2f} M cells/s; min C3 {np.nanmin(pc.c3_km2s2):.3f} km2/s2")
    eb, _ = timed(lambda: endpoint_states(tl.et, ta.et))
    print(f"  ephemeris + Mars pole for {n} + {n} dates: {eb * 1e3:.1f} ms")
    print(f"  grid kernel + allocation: ~{(best - eb) * 1e3:.0f} ms")
    pr, _ = timed(lambda: porkchop(tl, ta, PorkchopOptions(revs=1)))
    print(f"porkchop {n} x {n} with revs <= 1 (3 branches per cell): {pr:.3f} s")
    core = load_pykep()
    if core is not None:
        m = 200
        earth, mars, _ = endpoint_states(tl.et[:: n // m][:m], ta.et[:: n // m][:m])
        e = earth[:, :3].tolist()
        mm = mars[:, :3].tolist()
        etl, eta = tl.et[:: n // m][:m], ta.et[:: n // m][:m]

        def pk() -> None:
            lp = core.lambert_problem
            for i in range(m):
                for j in range(m):
                    dt = float(eta[j] - etl[i])
                    if dt > 0:
                        lp(e[i], mm[j], dt, GM_SUN, False, 0)

        pb, _ = timed(pk)
        per = pb / (m * m)
        print(f"pykep loop {m} x {m} (Lambert only): {pb:.3f} s -> {per * cells:.2f} s per "
              f"{n} x {n}; ratio pykep/areo = {per * cells / best:.1f}x")


if __name__ == "__main__":
    main()
