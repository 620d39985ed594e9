"""Monte Carlo: reproducible chunks, failures reported, hazard fractions, the contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from areo.edl import Dispersions, monte_carlo, plan_monte_carlo
from areo.edl import _kernels as K
from areo.edl.ellipse import fit_ellipse, inside_polygon, to_latlon
from areo.edl.montecarlo import CHUNK
from areo.errors import AreoInputError

ENTRY = ("mer", None, "2004-01-04T04:29:00Z")


@pytest.fixture(scope="module")
def plan():
    return plan_monte_carlo(*ENTRY, runs=CHUNK + 300)


def test_a_chunk_is_a_pure_function_of_seed_and_id(plan):
    a = plan.chunk(7, 1)
    b = plan.chunk(7, 1)
    for k in ("land", "events", "bodies", "peak"):
        assert np.array_equal(a[k], b[k], equal_nan=True)
    # the stream of SeedSequence(7).spawn(K)[1] for any K (areo._batch's chunk seeds)
    ss = np.random.SeedSequence(7).spawn(5)[1]
    child = int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))
    d = plan.fly_chunk(child, 1)
    assert np.array_equal(a["land"], d["land"])
    c = plan.chunk(8, 1)
    assert not np.array_equal(a["land"], c["land"])


def test_rows_do_not_depend_on_threads_or_batch_split(plan):
    """A trajectory's arithmetic is its own: flying rows one by one (serial, in the calling
    thread) gives the batch's (threaded) rows bit for bit."""
    from areo._numba import inp

    full = plan.chunk(3, 0)
    from areo._batch import chunk_seeds

    rng = np.random.default_rng(chunk_seeds(3, 1)[0])
    y0, disp, thr, _ = plan._draw(rng, CHUNK)
    y0[0], thr[0] = plan.entry.state, plan.thr0
    from areo.edl.dynamics import nominal_disp

    disp[0] = nominal_disp(1)[0]
    for i in (0, 5, CHUNK - 1):
        land = np.empty((1, K.NL))
        peak = np.empty((1, K.NP))
        ev = np.empty((1, plan.ev.shape[0], K.NEV_OUT))
        b = np.empty((1, K.NBMAX, K.NB_OUT))
        K.fly_batch(inp(y0[i:i + 1]), inp(thr[i:i + 1]), inp(disp[i:i + 1]), inp(plan.ev),
                    inp(plan.veh_arr), inp(plan.atm_tab), inp(plan.rref), inp(plan.opt_arr),
                    land, peak, ev, b, np.empty((0, 1, K.NH)), 0, 1)
        assert np.array_equal(land[0], full["land"][i])
        assert np.array_equal(b[0], full["bodies"][i], equal_nan=True)


def test_run_zero_is_the_nominal_and_lands_on_target():
    mc = monte_carlo(*ENTRY, runs=20, seed=1)
    e, n = mc.local_km()
    assert mc.status[0] == K.S_LANDED
    assert np.hypot(e[0], n[0]) < 0.1


def test_failures_are_reported_not_hidden():
    """A heavy MER (a 60 % mass dispersion) hits the ground too fast in some runs:
    those runs are counted, listed, and kept out of nothing."""
    disp = Dispersions(mass=0.6, density=0.3)
    mc = monte_carlo(*ENTRY, runs=200, seed=4, dispersions=disp)
    f = mc.failures()
    assert f["failed"] == int(np.sum(mc.status != K.S_LANDED)) > 0
    assert sum(f["counts"].values()) == 200
    fr = mc.to_frame()
    assert len(fr) == 200 and (fr.status != "landed").sum() == f["failed"]
    assert json.loads(mc.to_json())["failures"]["failed"] == f["failed"]


def test_ellipse_of_a_known_normal_sample():
    rng = np.random.default_rng(5)
    # 30 x 4 km (1-sigma 10 x 2 km... in the frame of a 30 deg azimuth)
    a, b = rng.normal(0, 10, 200_000), rng.normal(0, 2, 200_000)
    az = np.radians(30.0)
    e = a * np.sin(az) + b * np.cos(az)
    n = a * np.cos(az) - b * np.sin(az)
    ell = fit_ellipse(e, n, 0.0, 0.0)
    k = np.sqrt(-2 * np.log(0.01))
    assert abs(ell.major_km / (2 * 10 * k) - 1) < 0.01
    assert abs(ell.minor_km / (2 * 2 * k) - 1) < 0.01
    assert abs(ell.azimuth_deg - 30.0) < 0.5
    # 99 % of the points inside it
    x, y = ell.outline(721)
    lat, lon = to_latlon(x, y, 0.0, 0.0)
    plat, plon = to_latlon(e[:20000], n[:20000], 0.0, 0.0)
    inside = inside_polygon(plat, plon, np.column_stack([lat, lon]))
    assert abs(inside.mean() - 0.99) < 0.003


def test_hazard_fraction_matches_a_direct_count():
    mc = monte_carlo(*ENTRY, runs=300, seed=2)
    t = mc.entry.target
    # the half-plane east of the target, as a big box
    poly = [(t.lat_deg - 5, t.lon_east_deg), (t.lat_deg + 5, t.lon_east_deg),
            (t.lat_deg + 5, t.lon_east_deg + 5), (t.lat_deg - 5, t.lon_east_deg + 5)]
    e, _ = mc.local_km()
    want = np.mean((e > 0) & mc.reached_ground)
    assert mc.fraction_inside(poly) == pytest.approx(want)
    with pytest.raises(AreoInputError):
        mc.fraction_inside([(0, 0), (1, 1)])


def test_contract_frame_json_repr_parquet(tmp_path):
    import pandas as pd

    mc = monte_carlo(*ENTRY, runs=50, seed=3, hazard=[(-15, 175), (-14, 175), (-14, 176)])
    fr = mc.to_frame()
    assert str(fr["landing_utc"].dtype) == "datetime64[ns, UTC]"
    assert {"lat_deg", "lon_east_deg", "east_km", "north_km", "peak_g",
            "heat_shield_distance_m", "parachute_mach"} <= set(fr.columns)
    d = json.loads(mc.to_json())
    for k in ("ellipse", "hardware", "peak_g", "chute_mach", "runs", "seconds"):
        assert k in d
    assert set(d["ellipse"]) >= {"major_km", "minor_km", "azimuth_deg", "center_lat_deg",
                                 "center_lon_east_deg"}
    assert {"name", "distance_m", "bearing_deg"} <= set(d["hardware"][0])
    assert 0.0 <= d["hazard_fraction"] <= 1.0
    r = repr(mc)
    assert r.startswith("MonteCarlo:") and "\n" not in r and len(r) < 200
    p = mc.to_parquet(tmp_path / "runs.parquet")
    back = pd.read_parquet(p)
    assert len(back) == 50 and np.allclose(back["lat_deg"], fr["lat_deg"])
    fig = mc.plot(tmp_path / "ellipse.html")
    assert (tmp_path / "ellipse.html").stat().st_size > 1000 and fig is not None


def test_kernel_compiles_one_signature():
    mc = monte_carlo(*ENTRY, runs=3, seed=1)
    assert mc.runs == 3
    plan_monte_carlo(*ENTRY, runs=200).chunk(0, 0)
    assert len(K.fly_batch.signatures) == 1
    # the helpers it calls, when this process compiled them (a cold cache): once each too
    # (an int or bool literal argument would compile a second version)
    helpers = (K._deriv, K._rk4, K._trigger, K._trigger_at, K._locate, K._fly_body)
    assert {h.py_func.__name__: len(h.signatures) for h in helpers
            if len(h.signatures) > 1} == {}


def test_through_the_batch_engine_the_same_runs():
    """``client="serial"`` goes through areo._batch (Chunk, map_chunks, run_chunk, the
    warm-up): the same runs as the in-process loop, bit for bit."""
    a = monte_carlo(*ENTRY, runs=CHUNK + 10, seed=9)
    b = monte_carlo(*ENTRY, runs=CHUNK + 10, seed=9, client="serial")
    for k in ("land", "events", "bodies"):
        assert np.array_equal(a.raw[k], b.raw[k], equal_nan=True)


def test_one_run_is_the_nominal_without_an_ellipse():
    mc = monte_carlo(*ENTRY, runs=1, seed=0)
    assert "no ellipse" in repr(mc)
    d = json.loads(mc.to_json())
    assert d["ellipse"] is None and d["runs"] == 1
    assert mc.plot() is not None
