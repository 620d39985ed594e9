"""Passes of tabulated orbiters (areo's compiled search) against an independent dense scan.

The oracle (:mod:`tests.events.independent_passes`) shares no code with areo's geometry:
scipy's cubic Hermite spline through the same table, the IAU 2015 Mars rotation and the
site frames written from their definitions in numpy, elevation sampled every 2 s and each
sign change solved by ``brentq`` to 1e-7 s. Every pass it finds must be found with AOS and
LOS within 1 ms, and none other; culminations and closest ranges must be the scan's
extremes (no sample higher, none closer). The oracle's cubic spline and areo's quintic
Hermite differ by millimetres on this 30 s table (1e-5 deg of elevation); a closest range at
a pass's edge moves with the edge (1 ms at up to ~5 km/s: 5 m).
"""

from __future__ import annotations

import numpy as np
import pytest

from areo import catalog
from areo.ephem import TabulatedTrajectory
from areo.events import passes
from areo.time import Time
from tests.events import independent_passes as ip

GM = 42828.375816  # km^3/s^2, Mars
SITES = ["jezero", "gale", "zhurong"]


def kepler_table(rp_km: float, ra_km: float, inc_deg: float, days: float, step_s: float
                 ) -> TabulatedTrajectory:
    """A two-body orbit in closed form (Kepler's equation by Newton), tabulated."""
    a = 0.5 * (rp_km + ra_km)
    e = (ra_km - rp_km) / (ra_km + rp_km)
    n = np.sqrt(GM / a**3)
    et0 = float(Time("2031-03-01").et)
    et = et0 + step_s * np.arange(int(days * 86400.0 / step_s) + 1)
    m = n * (et - et0)
    ecc_anom = m.copy()
    for _ in range(30):
        ecc_anom -= (ecc_anom - e * np.sin(ecc_anom) - m) / (1.0 - e * np.cos(ecc_anom))
    cos_e, sin_e = np.cos(ecc_anom), np.sin(ecc_anom)
    b = a * np.sqrt(1.0 - e * e)
    x, y = a * (cos_e - e), b * sin_e
    de = n / (1.0 - e * cos_e)
    vx, vy = -a * sin_e * de, b * cos_e * de
    inc, node, argp = np.radians(inc_deg), np.radians(35.0), np.radians(60.0)
    p = np.array([np.cos(node) * np.cos(argp) - np.sin(node) * np.sin(argp) * np.cos(inc),
                  np.sin(node) * np.cos(argp) + np.cos(node) * np.sin(argp) * np.cos(inc),
                  np.sin(argp) * np.sin(inc)])
    q = np.array([-np.cos(node) * np.sin(argp) - np.sin(node) * np.cos(argp) * np.cos(inc),
                  -np.sin(node) * np.sin(argp) + np.cos(node) * np.cos(argp) * np.cos(inc),
                  np.cos(argp) * np.sin(inc)])
    states = np.hstack([np.outer(x, p) + np.outer(y, q), np.outer(vx, p) + np.outer(vy, q)])
    return TabulatedTrajectory(et, states, name="kepler")


@pytest.mark.parametrize(
    ("rp", "ra", "mask_deg", "step_s"),
    [
        (3796.19, 3796.19, 10.0, 300.0),  # TGO-like, circular 400 km
        (3696.19, 13396.19, 10.0, 300.0),  # eccentric, 300 km x 10 000 km
        (3796.19, 3796.19, 40.0, 300.0),  # high mask: passes shorter than the step (dips)
    ],
)
def test_passes_agree_with_an_independent_dense_scan(rp, ra, mask_deg, step_s):
    traj = kepler_table(rp, ra, 74.0, 2.0, 30.0)
    t0, t1 = traj.span[0] + 1.0, traj.span[1] - 1.0
    found = passes(traj, SITES, t0, t1, min_elev_deg=mask_deg, step_s=step_s)
    sites = [catalog.site(s) for s in SITES]
    geo = ip.Geometry(traj.et, traj.samples,
                      [(s.lat_deg, s.lon_east_deg, s.height_km) for s in sites])
    mask = np.radians(mask_deg)
    short = 0
    for k, site in enumerate(sites):
        rises, sets = ip.scan(geo, k, t0, t1, 2.0, 1e-7, mask)
        mine = [p for p in found if p.site == site.key]
        assert len(mine) == rises.size > 0, (site.key, len(mine), rises.size)
        aos = np.array([float(p.aos.et) for p in mine])
        los = np.array([float(p.los.et) for p in mine])
        np.testing.assert_allclose(aos, rises, rtol=0, atol=1e-3)
        np.testing.assert_allclose(los, sets, rtol=0, atol=1e-3)
        short += int(np.sum(los - aos < step_s))
        for p, a, b in zip(mine, rises, sets, strict=True):
            inside = np.linspace(a, b, 200)
            el = np.degrees(geo.elevation(inside, k))
            assert p.max_elev_deg >= el.max() - 1e-5
            rel = (ip.to_body(geo.spline(inside), inside) - geo.frames[k][0])
            assert p.min_range_km <= np.linalg.norm(rel, axis=1).min() + 5e-3
            tmax = float(p.tmax.et)
            assert a - 1e-3 <= tmax <= b + 1e-3
            assert abs(np.degrees(geo.elevation(np.array([tmax]), k)[0])
                       - p.max_elev_deg) < 1e-5
    if mask_deg > 30.0:
        assert short > 0  # the case does test passes that no sample sees


def test_tasks_split_anywhere_give_the_same_passes(monkeypatch):
    """The compiled search cuts each site's samples into tasks (threads take them): a pass
    or a dip at a cut is found once, with the same epochs, however the span is cut."""
    import sys

    module = sys.modules["areo.events.passes"]
    traj = kepler_table(3796.19, 3796.19, 74.0, 2.0, 30.0)
    t0, t1 = traj.span[0] + 1.0, traj.span[1] - 1.0
    whole = passes(traj, SITES, t0, t1, min_elev_deg=40.0)
    for size in (1, 2, 7):
        monkeypatch.setattr(module, "_TASK_INTERVALS", size)
        cut = passes(traj, SITES, t0, t1, min_elev_deg=40.0)
        assert [(p.site, float(p.aos.et), float(p.los.et), float(p.tmax.et), p.min_range_km)
                for p in cut] == [(p.site, float(p.aos.et), float(p.los.et),
                                   float(p.tmax.et), p.min_range_km) for p in whole]


def test_tabulated_and_other_orbiters_in_one_call():
    """A table goes through the compiled search, any other orbiter through the vectorised
    finder; in one call each keeps its place (orbiter by orbiter, sites as given), and on
    the same table (behind a plain function for the finder) both give the same passes to
    the search tolerance (the test above holds the compiled search to the oracle)."""
    traj = kepler_table(3796.19, 3796.19, 74.0, 1.0, 30.0)
    t0, t1 = traj.span[0] + 1.0, traj.span[1] - 1.0

    def plain(et):
        return traj.state(et)

    both = passes([traj, plain], SITES[:2], t0, t1)
    assert list(both.windows) == [("kepler", "jezero"), ("kepler", "gale"),
                                  ("orbiter 1", "jezero"), ("orbiter 1", "gale")]
    for site in ("jezero", "gale"):
        a = [p for p in both if p.orbiter == "kepler" and p.site == site]
        b = [p for p in both if p.orbiter == "orbiter 1" and p.site == site]
        assert len(a) == len(b) > 0
        for p, q in zip(a, b, strict=True):
            assert abs(float(p.aos.et) - float(q.aos.et)) < 1e-3
            assert abs(float(p.los.et) - float(q.los.et)) < 1e-3
            assert abs(p.max_elev_deg - q.max_elev_deg) < 1e-6


def test_pieces_cover_the_range_once_and_errors_reach_the_caller():
    """The compiled search's work sharing (threads take pieces in turn): every index once,
    whatever the size; a piece's error is raised in the caller."""
    from areo._numba import run_pieces as run_shared

    for n in (0, 1, 2, 15, 16, 17, 1001):
        for serial_below in (1, 50):
            out = np.zeros(n)

            def count(lo, hi, out=out):
                out[lo:hi] += 1

            run_shared(count, n, (), serial_below)
            assert np.all(out == 1.0), (n, serial_below)

    def fail(lo, hi):
        if hi == 100:  # the last piece, on one thread or many
            raise ValueError("piece failed")

    with pytest.raises(ValueError, match="piece failed"):
        run_shared(fail, 100, (), 1)
