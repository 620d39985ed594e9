"""areo.sweep on 1 vs 2 local Dask workers: a 100-variant relay sweep, the per-task
overhead of the engine, and a resumed sweep.

The sweep: a pinned Earth-Mars transfer (10 x 10 porkchop), TGO and MEX relaying for 10
sols to Jezero through three DSN stations, varied over the pass mask
(``operations.min_elev_deg``, 10 values) x the link margin (``margins.link_fraction``, 10
values) = 100 variants of ~0.5 s each (the relay plan: passes, Earth contacts, CP-SAT).

Printed: the machine and its load (``os.getloadavg``) before and after each phase; the
wall time of the sweep on a LocalCluster of 1 and 2 workers (cluster start included, and
without it), the speed-up, the mean variant time measured on the workers, and the overhead
per variant ((wall x workers - sum of variant times) / variants); the engine's per-task
round trip (no-op chunks on 1 and 2 workers); a sweep interrupted at half-way (as by
Ctrl-C) and resumed: the time of each part, the variants each ran, and whether the
resumed ``results.parquet`` equals the uninterrupted run's byte for byte.

    .venv/bin/python benchmarks/bench_sweep.py [--quick]

``--quick``: 20 variants (a smoke run). Figures from this script are quoted in
``docs/sweep-scaling.md``.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

BASE = """\
[mission]
name = "bench relay"
[launch]
utc = 2020-07-30T11:50:00
[arrival]
utc = 2021-02-18T20:55:00
[transfer]
grid_points = 10
[[orbiters]]
name = "tgo"
[[orbiters]]
name = "mex"
[landing]
site = "jezero"
[stations]
names = ["DSS-14", "DSS-43", "DSS-63"]
[operations]
sols = 10
ephemeris_sols = 0.1
"""

SWEEP = """\
[sweep]
name = "bench relay sweep"
scenario = "base.toml"
cache = false
[parameters]
"operations.min_elev_deg" = {{ start = 0, stop = {elev_stop}, step = 3 }}
"margins.link_fraction" = {{ start = 0.0, stop = 0.45, step = 0.05 }}
[collect]
summary = ["relay.mean_mbit_per_sol", "relay.median_latency_s", "relay.passes_used"]
"""


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.2f} {b:.2f} {c:.2f}"


def noop(inputs, seed, chunk_id):
    return chunk_id


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def overhead(workers: int, n: int = 300) -> tuple[float, float]:
    """(cluster start s, per-task round trip ms) for ``n`` no-op chunks."""
    from areo._batch import chunks_of, connect, map_chunks

    t0 = time.perf_counter()
    with connect(workers=workers) as c:
        start = time.perf_counter() - t0
        map_chunks(noop, chunks_of(list(range(workers * 4)), size=1), client=c)  # warm
        t1 = time.perf_counter()
        map_chunks(noop, chunks_of(list(range(n)), size=1), client=c)
        per = (time.perf_counter() - t1) / n
    return start, per * 1e3


def timed_sweep(path: Path, workers: int, out: Path) -> dict:
    from areo._batch import connect
    from areo.sweep import run_sweep_file

    t0 = time.perf_counter()
    with connect(workers=workers) as c:
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        r = run_sweep_file(path, out=out, client=c)
        run = time.perf_counter() - t1
    wall = time.perf_counter() - t0
    recs = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    work = sum(x["seconds"] for x in recs)
    cpu = sum(x["cpu_seconds"] for x in recs)
    return {"result": r, "wall": wall, "start": start, "run": run, "work": work,
            "n": len(recs), "per_variant": work / len(recs), "cpu": cpu / len(recs),
            "overhead": (run * workers - work) / len(recs)}


def main() -> None:
    quick = "--quick" in sys.argv
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    (tmp / "base.toml").write_text(BASE)
    path = tmp / "sweep.toml"
    path.write_text(SWEEP.format(elev_stop=3 if quick else 27))
    print(f"machine: {machine()}")
    print(f"start: {load()}")

    # Warm numba's disk cache in this process first (the workers then load, not compile).
    from areo.sweep import run_sweep_file

    t = time.perf_counter()
    run_sweep_file(path, client="serial") if quick else None
    if quick:
        print(f"serial (in-process, includes first-call kernel loads): "
              f"{time.perf_counter() - t:.1f} s")

    for w in (1, 2):
        start, per = overhead(w)
        print(f"engine, {w} worker(s): cluster start {start:.2f} s, no-op task round trip "
              f"{per:.2f} ms ({load()})")

    runs = {}
    for w in (1, 2):
        runs[w] = timed_sweep(path, w, tmp / f"out-{w}")
        r = runs[w]
        print(f"sweep, {w} worker(s): {r['n']} variants, wall {r['wall']:.1f} s (cluster "
              f"start {r['start']:.1f} s, sweep {r['run']:.1f} s), mean variant "
              f"{r['per_variant']:.3f} s on the workers ({r['cpu']:.3f} s of CPU), overhead "
              f"{r['overhead'] * 1e3:.0f} ms per variant ({load()})")
    same = runs[1]["result"].frame.equals(runs[2]["result"].frame)
    print(f"speed-up 1 -> 2 workers: {runs[1]['run'] / runs[2]['run']:.2f}x on the sweep, "
          f"{runs[1]['wall'] / runs[2]['wall']:.2f}x with cluster start; results equal: "
          f"{same}")

    # Resume: interrupted at half-way (as by Ctrl-C), then --resume.
    n = runs[2]["n"]
    out = tmp / "out-resume"

    def stop_half(p):
        if p.done >= n // 2:
            raise KeyboardInterrupt

    t0 = time.perf_counter()
    try:
        run_sweep_file(path, out=out, workers=2, progress=stop_half)
    except KeyboardInterrupt:
        pass
    first = time.perf_counter() - t0
    done = len((out / "manifest.jsonl").read_text().splitlines())
    t1 = time.perf_counter()
    r = run_sweep_file(path, out=out, workers=2, resume=True)
    second = time.perf_counter() - t1
    identical = (out / "results.parquet").read_bytes() == \
        (tmp / "out-2" / "results.parquet").read_bytes()
    print(f"resume, 2 workers: interrupted after {done} variants ({first:.1f} s), resumed "
          f"run {r.ran} variants, skipped {r.skipped} ({second:.1f} s, cluster start "
          f"included); results.parquet identical to the uninterrupted run: {identical} "
          f"({load()})")


if __name__ == "__main__":
    main()
