"""Benchmark: batch Lambert on Earth -> Mars problems, areo vs peers, in one run.

Work: N problems (default 10^6) with r1 = Earth at random dates 2020-2040, r2 = Mars 100 to
500 days later (DE440), prograde, single revolution, the Sun's GM.

- areo: ``areo.transfer._kernels.lambert_batch``, the compiled kernel under ``lambert()``
  (parallel over problems, per-problem revolutions/branch/direction arrays); the friendly
  ``lambert()`` with its checks and broadcasting is timed too;
- pykep 3.0.1 ``core.lambert_problem`` called in a Python loop (import workaround of
  peer-libraries.md), on a subset;
- lamberthub 1.0.0 ``izzo2015`` (GPL: benchmark only) inside an njit loop, one core, every
  argument passed (else it is ~20x slower).

Timings: best and median of 3 after a warm-up (JIT compile or cache load, reported apart).
Ratio = peer time per solve / areo time per solve (> 1: areo faster). Also reports the
mean Householder iterations and an estimate of the floating-point floor.
Run: ``python benchmarks/bench_lambert.py [N]``; NUMBA_NUM_THREADS sets the cores.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import time

import numpy as np

from _machine import cpu_model, target

REPEAT = 3


def machine() -> str:
    import numba

    from areo._numba import threads

    return (f"{cpu_model()}; {os.cpu_count()} logical CPUs, affinity "
            f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}; "
            f"areo kernel threads {threads()}; Python {platform.python_version()}, "
            f"numpy {np.__version__}, numba {numba.__version__}")


def problems(n: int, seed: int = 0):
    from areo.transfer.interplanetary import endpoint_states

    rng = np.random.default_rng(seed)
    et0 = 20 * 365.25 * 86400.0
    etl = np.sort(rng.uniform(et0, et0 + 20 * 365.25 * 86400.0, n))
    tof = rng.uniform(100, 500, n) * 86400.0
    earth, mars, _ = endpoint_states(etl, etl + tof)
    return (np.ascontiguousarray(earth[:, :3]), np.ascontiguousarray(mars[:, :3]),
            np.ascontiguousarray(tof))


def timed(fn, repeat: int = REPEAT) -> tuple[float, float]:
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return min(ts), float(np.median(ts))


def load_pykep():
    try:
        import heyoka  # noqa: F401  (must precede pykep's core, see peer-libraries.md)
    except ImportError:
        return None
    spec = importlib.util.find_spec("pykep")
    if spec is None or spec.origin is None:
        return None
    folder = os.path.dirname(spec.origin)
    name = next(f for f in os.listdir(folder) if f.startswith("core.") and f.endswith(".so"))
    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | os.RTLD_GLOBAL)
    try:
        s = importlib.util.spec_from_file_location("pykep.core", os.path.join(folder, name))
        core = importlib.util.module_from_spec(s)
        s.loader.exec_module(core)
    finally:
        sys.setdlopenflags(flags)
    return core


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    from areo.transfer import _kernels, lambert
    from areo.transfer.lambert import GM_SUN

    print(f"machine: {machine()}")
    r1, r2, tof = problems(n)
    ref = np.array([0.0, -0.397777155931914, 0.917482062069182])  # ecliptic pole, ICRF
    v1 = np.empty((n, 3))
    v2 = np.empty((n, 3))
    st = np.empty(n, dtype=np.int8)
    n_iter = np.empty(n, dtype=np.int8)
    ttype = np.empty(n, dtype=np.int8)
    mu = np.full(n, GM_SUN)
    revs = np.zeros(n, dtype=np.int64)
    right = np.zeros(n, dtype=np.bool_)
    prograde = np.ones(n, dtype=np.bool_)

    from areo._numba import inp, run, threads

    def args(m: int) -> tuple:
        # Read-only inputs, as lambert() passes them: the same compiled signature.
        return (inp(r1[:m]), inp(r2[:m]), inp(tof[:m]), inp(mu[:m]), inp(revs[:m], np.int64),
                inp(right[:m], np.bool_), inp(prograde[:m], np.bool_), inp(ref),
                v1[:m], v2[:m], st[:m], n_iter[:m], ttype[:m])

    def kernel(m: int = n) -> None:
        # As lambert() runs it: chunks on areo's kernel threads (areo._numba.run).
        run(_kernels.lambert_batch, m, args(m), 1)

    def kernel_1(m: int = n) -> None:
        _kernels.lambert_batch(*args(m), 0, m)  # the calling thread only

    t = time.perf_counter()
    kernel(10)
    lambert(r1[:2], r2[:2], tof[:2])
    warm = time.perf_counter() - t
    print(f"areo JIT warm-up (compile or cache load): {warm:.3f} s")
    best, med = timed(kernel)
    assert (st == 0).all()
    rate = n / best
    print(f"areo kernel  : {n:,} solves  best {best * 1e3:8.2f} ms  median {med * 1e3:8.2f} ms"
          f"  -> {rate / 1e6:6.2f} M solves/s ({best / n * 1e9:.0f} ns/solve)")
    bapi, _ = timed(lambda: lambert(r1, r2, tof, ref_axis=ref))
    print(f"areo lambert(): {n:,} solves  best {bapi * 1e3:8.2f} ms  -> {n / bapi / 1e6:6.2f} "
          "M solves/s (with input checks and broadcasting)")
    sol = lambert(r1[:100_000], r2[:100_000], tof[:100_000], ref_axis=ref)
    iters = sol.iterations.mean()
    print(f"mean Householder iterations: {iters:.2f}")
    b1, _ = timed(kernel_1)
    print(f"areo kernel, 1 thread: {n / b1 / 1e6:6.2f} M solves/s ({b1 / n * 1e9:.0f} ns/solve)")

    core = load_pykep()
    if core is not None:
        m = min(n, 200_000)
        l1, l2, lt = r1[:m].tolist(), r2[:m].tolist(), tof[:m].tolist()

        def pk() -> None:
            lp = core.lambert_problem
            for a, b, c in zip(l1, l2, lt, strict=True):
                lp(a, b, c, GM_SUN, False, 0)

        pbest, _ = timed(pk)
        prate = m / pbest
        print(f"pykep loop   : {m:,} solves  best {pbest * 1e3:8.2f} ms  -> {prate / 1e6:6.2f} "
              f"M solves/s  | ratio areo/pykep = {rate / prate:5.1f}x")
        ref = f"pykep {prate / 1e6:.2f} M/s"
        ratio_text = f"{rate / prate:.1f}x pykep"
    else:
        print("pykep        : not installed (pip install pykep heyoka)")
        ref, ratio_text = "pykep not installed", "-"
    target(f"Lambert, Earth-Mars, {threads()} threads", f"{rate / 1e6:.2f} M solves/s", ref,
           ratio_text, ">= 5 M solves/s", rate >= 5e6)
    if importlib.util.find_spec("lamberthub") is not None:
        from lamberthub import izzo2015
        from numba import njit

        @njit
        def loop(r1, r2, tof, mu):
            acc = 0.0
            for i in range(tof.shape[0]):
                a, _b = izzo2015(mu, r1[i], r2[i], tof[i], 0, True, True, 35, 1e-5, 1e-7)
                acc += a[0]
            return acc

        m = min(n, 200_000)
        loop(r1[:10], r2[:10], tof[:10], GM_SUN)
        hbest, _ = timed(lambda: loop(r1[:m], r2[:m], tof[:m], GM_SUN))
        hrate = m / hbest
        print(f"lamberthub njit loop (1 core): {hrate / 1e6:6.2f} M solves/s  | ratio areo/"
              f"lamberthub = {rate / hrate:5.1f}x (1 thread vs 1 core: "
              f"{n / b1 / hrate:4.1f}x)")
    else:
        print("lamberthub   : not installed")


if __name__ == "__main__":
    main()
