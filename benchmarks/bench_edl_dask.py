"""The EDL Monte Carlo on Dask: 1e5 full-chain Perseverance trajectories on a LocalCluster
of 1 and of 2 single-threaded workers (areo._batch chunks, seeds spawned per chunk), the
speed-up, and whether both runs equal the in-process run.

    .venv/bin/python benchmarks/bench_edl_dask.py [--runs N]
"""

from __future__ import annotations

import os
import sys
import time

# one kernel thread per worker process: the workers are the parallelism here
os.environ.setdefault("NUMBA_NUM_THREADS", "1")


def main() -> None:
    import numpy as np
    from dask.distributed import Client, LocalCluster

    from areo import edl

    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 100_000
    entry = edl.entry_from_site("m2020", "jezero", "2021-02-18T20:36:00")
    edl.monte_carlo(entry, runs=64, seed=1)  # compile / load the kernels here
    t0 = time.perf_counter()
    ref = edl.monte_carlo(entry, runs=runs, seed=7)
    t_in = time.perf_counter() - t0
    print(f"load {os.getloadavg()}; in-process ({os.environ['NUMBA_NUM_THREADS']} kernel "
          f"thread): {runs} runs in {t_in:.2f} s")
    walls = {}
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, host="127.0.0.1",
                          dashboard_address=None, processes=True) as cluster, \
                Client(cluster) as client:
            edl.monte_carlo(entry, runs=4 * n, seed=1, client=client)  # workers warm up
            t0 = time.perf_counter()
            mc = edl.monte_carlo(entry, runs=runs, seed=7, client=client)
            walls[n] = time.perf_counter() - t0
            same = bool(np.array_equal(mc.to_frame()["east_km"].to_numpy(),
                                       ref.to_frame()["east_km"].to_numpy(), equal_nan=True))
            print(f"{n} worker(s): {runs} runs in {walls[n]:.2f} s "
                  f"({runs / walls[n]:,.0f} traj/s); equal to the in-process run: {same}; "
                  f"load {os.getloadavg()}")
    print(f"speed-up 1 -> 2 workers: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
