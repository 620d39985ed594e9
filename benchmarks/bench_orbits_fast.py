"""Kepler and J2-mean propagation throughput, areo vs a peer, on 2 threads.

Run: ``.venv/bin/python benchmarks/bench_orbits_fast.py`` (add a peer to the path, e.g.
``PYTHONPATH=/path/to/hapsira``). Target (issue 4): >= 10 M orbit-epochs per second on
2 cores for both propagators.

Work: 200 Mars orbits (mixed 250 km circular to 300 x 20 000 km) x 10 000 epochs spread
over one Mars year = 2 M orbit-epochs per call, best of 9 calls after a warm-up (the best:
other jobs may share the cores).

Peer: hapsira (the maintained poliastro fork) core functions ``vallado`` (universal
variables, f and g) and ``farnocchia`` (Kepler's equation via Farnocchia et al. 2013), each
called over the same orbit x epoch grid inside a numba ``prange`` loop with the same thread
count, so both sides are compiled, parallel and free of astropy overhead. For the J2-mean
propagator no peer offers secular J2 mean elements in a compiled core; the ratio printed is
against the peer's ``farnocchia_coe`` (elements -> state at each epoch), the nearest work.
"""

from __future__ import annotations

import os
import platform
import time

os.environ.setdefault("NUMBA_NUM_THREADS", "2")

import numba
import numpy as np
from numba import njit, prange

from areo.orbits import Orbit

THREADS = 2
N_ORBITS, N_EPOCHS = 200, 10_000


def _orbits() -> Orbit:
    rng = np.random.default_rng(42)
    peri = rng.uniform(250, 500, N_ORBITS)
    apo = peri + rng.uniform(0, 20_000, N_ORBITS)
    return Orbit.from_elements(
        peri_alt_km=peri, apo_alt_km=apo, inc_deg=rng.uniform(0, 180, N_ORBITS),
        raan_deg=rng.uniform(0, 360, N_ORBITS), argp_deg=rng.uniform(0, 360, N_ORBITS),
        anomaly_deg=rng.uniform(0, 360, N_ORBITS), epoch=0.0,
    )


def _best(fn, repeat: int = 9) -> tuple[float, object]:
    out = fn()  # warm-up (compilation, caches)
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _peer():
    try:
        from hapsira.core.propagation import farnocchia, farnocchia_coe, vallado
    except ImportError:
        return None

    @njit(parallel=True)
    def peer_vallado(k, s0, dt):
        n, m = dt.shape
        out = np.empty((n, m, 6))
        for idx in prange(n * m):
            i = idx // m
            j = idx - i * m
            f, g, fd, gd = vallado(k, s0[i, :3], s0[i, 3:], dt[i, j], 350)
            for c in range(3):
                out[i, j, c] = f * s0[i, c] + g * s0[i, 3 + c]
                out[i, j, 3 + c] = fd * s0[i, c] + gd * s0[i, 3 + c]
        return out

    @njit(parallel=True)
    def peer_farnocchia(k, s0, dt):
        n, m = dt.shape
        out = np.empty((n, m, 6))
        for idx in prange(n * m):
            i = idx // m
            j = idx - i * m
            rv = farnocchia(k, s0[i, :3], s0[i, 3:], dt[i, j])
            out[i, j, :3] = rv[0]
            out[i, j, 3:] = rv[1]
        return out

    @njit(parallel=True)
    def peer_coe(k, el, dt):
        n, m = dt.shape
        out = np.empty((n, m, 2))
        for idx in prange(n * m):
            i = idx // m
            j = idx - i * m
            nu = farnocchia_coe(k, el[i, 0], el[i, 1], el[i, 2], el[i, 3], el[i, 4], el[i, 5],
                                dt[i, j])
            out[i, j, 0] = nu
            out[i, j, 1] = 0.0
        return out

    return peer_vallado, peer_farnocchia, peer_coe


def main() -> None:
    numba.set_num_threads(THREADS)
    orbits = _orbits()
    et = np.linspace(0.0, 686.98 * 86400.0, N_EPOCHS)
    work = N_ORBITS * N_EPOCHS
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"numba {numba.__version__}, threads {numba.get_num_threads()}")
    print(f"work: {N_ORBITS} orbits x {N_EPOCHS} epochs = {work / 1e6:.1f} M orbit-epochs")

    t_kep, kep = _best(lambda: orbits.propagate(et, model="kepler").states)
    t_j2, _ = _best(lambda: orbits.propagate(et, model="j2mean").states)
    rate = lambda t: work / t / 1e6  # noqa: E731
    print(f"areo kepler (universal variables): {t_kep * 1e3:8.1f} ms  {rate(t_kep):6.1f} M/s")
    print(f"areo j2mean (secular J2):          {t_j2 * 1e3:8.1f} ms  {rate(t_j2):6.1f} M/s")

    peer = _peer()
    if peer is None:
        print("peer: hapsira not importable; no ratio (pip install hapsira, or PYTHONPATH)")
        return
    import hapsira

    pv, pf, pc = peer
    s0 = orbits.state
    dt = np.ascontiguousarray(np.broadcast_to(et, (N_ORBITS, N_EPOCHS)))
    mu = orbits.mu
    t_pv, ref_v = _best(lambda: pv(mu, s0, dt), repeat=3)
    t_pf, ref_f = _best(lambda: pf(mu, s0, dt), repeat=3)
    el = np.stack([orbits.p_km, orbits.ecc, np.radians(orbits.inc_deg),
                   np.radians(orbits.raan_deg), np.radians(orbits.argp_deg),
                   (np.radians(orbits.true_anomaly_deg) + np.pi) % (2 * np.pi) - np.pi], axis=1)
    t_pc, _ = _best(lambda: pc(mu, el, dt), repeat=3)
    print(f"peer hapsira {hapsira.__version__} vallado:     {t_pv * 1e3:8.1f} ms  "
          f"{rate(t_pv):6.1f} M/s   ratio peer/areo-kepler = {t_pv / t_kep:5.2f}")
    print(f"peer hapsira farnocchia:          {t_pf * 1e3:8.1f} ms  {rate(t_pf):6.1f} M/s   "
          f"ratio peer/areo-kepler = {t_pf / t_kep:5.2f}")
    print(f"peer hapsira farnocchia_coe (nu): {t_pc * 1e3:8.1f} ms  {rate(t_pc):6.1f} M/s   "
          f"ratio peer/areo-j2mean = {t_pc / t_j2:5.2f}")
    dv = np.nanmax(np.linalg.norm(kep[..., :3] - ref_v[..., :3], axis=-1))
    dfa = np.nanmax(np.linalg.norm(kep[..., :3] - ref_f[..., :3], axis=-1))
    print(f"max |areo - peer| position over the grid: vallado {dv:.2e} km, "
          f"farnocchia {dfa:.2e} km")


if __name__ == "__main__":
    main()
