"""Trajectory problems, constraints, results, launch periods and their CLI.

Oracles: the landing local time against a brute-force intersection of the landing ring with
the site's latitude (dense sampling, LMST from areo.time's Mars24 clock at the exact
epoch); the ring's radius against a Kepler propagation of the approach hyperbola; the
window distance against a dense scan of the circle; violated constraints against their
limits; seeded searches repeat bit for bit. Searches here are small (a few thousand
evaluations): the full ones live in benchmarks/bench_trajectory.py.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.catalog import site
from areo.errors import ParameterError
from areo.frames.mars import icrf_to_iau_mars
from areo.orbits import propagate_kepler
from areo.time import Time, local_mean_solar_time
from areo.transfer.mga import DE440Planets
from areo.transfer.trajectory import (
    Constraints,
    LaunchPeriodTable,
    Trajectory,
    TrajectoryProblem,
    _Fitness,
    _window_miss,
    evaluate_trajectory,
    optimise_launch_period,
    optimise_trajectory,
)
from tests.helpers import run

SMALL = {"restarts": 1, "population": 16, "generations": 30}


def _problem(**kw) -> TrajectoryProblem:
    c = kw.pop("constraints", Constraints(landing_lmst_h=(12, 17), site="oxia_planum",
                                          arrival_ls_deg=(0, 150)))
    return TrajectoryProblem(("earth", "mars"), launch=("2028-09-20", "2028-10-20"),
                             arrive=("2030-06-01", "2031-01-31"), model="dsm",
                             constraints=c, **kw)


@given(st.floats(0, 360), st.floats(0, 360), st.floats(-720, 720))
@settings(max_examples=200, deadline=None)
def test_window_distance_matches_a_dense_scan(a, b, x):
    grid = np.concatenate([np.linspace(0, 360, 360 * 20 + 1), [a % 360, b % 360]])
    # The window runs from a to b going up (through 360 when a > b); (0, 360) is all of it.
    width = 360.0 if (a < b and b - a >= 360.0) else np.mod(b - a, 360)
    inside = np.mod(grid - a, 360) <= width + 1e-9
    d = np.abs(((grid[inside] - x) + 180) % 360 - 180).min()
    got = float(_window_miss(np.array([x]), (a, b), 360.0)[0])
    assert abs(got - d) <= 0.05 + 1e-9


def test_landing_lmst_matches_brute_force_ring():
    fit = _Fitness(_problem())
    x = np.array([10500.0, 0.3, 0.6, 3.2, 0.4, 790.0])  # a 2028 launch, 2030 arrival
    tr = Trajectory.from_x(fit, x)
    assert np.isfinite(tr.landing_lmst_h)
    ev = tr._states["ev"]
    mars = DE440Planets().body("mars")
    va_ecl = ev.vinf_arr[0]
    from areo.ephem import FRAMES

    va = va_ecl @ np.asarray(FRAMES["eclipj2000"])  # ECLIPJ2000 -> ICRF
    t = Time.from_et(tr.arrive_et)
    s_bf = np.asarray(icrf_to_iau_mars(t)) @ (va / np.linalg.norm(va))
    vinf = np.linalg.norm(va)
    # Ring radius from a Kepler propagation of the approach hyperbola (pericentre at the
    # Mars radius), not from the closed form: the incoming velocity far out (-40 days)
    # makes the angle theta with the pericentre direction.
    rp = mars.radius_km
    state = np.array([rp, 0, 0, 0, math.sqrt(vinf**2 + 2 * mars.mu_km3s2 / rp), 0])
    far = propagate_kepler(state, [-40 * 86400.0], mars.mu_km3s2)[0, 0]
    theta = math.acos(far[3] / np.linalg.norm(far[3:]))
    # Dense ring about s_bf; points at the site's latitude; their LMST from areo.time.
    e1 = np.cross(s_bf, [0, 0, 1.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(s_bf, e1)
    psi = np.linspace(0, 2 * np.pi, 200001)
    ring = (math.cos(theta) * s_bf[:, None] + math.sin(theta)
            * (np.cos(psi) * e1[:, None] + np.sin(psi) * e2[:, None]))
    lat = np.degrees(np.arcsin(ring[2]))
    f = lat - site("oxia_planum").lat_deg
    idx = np.flatnonzero(np.sign(f[:-1]) != np.sign(f[1:]))
    assert len(idx) == 2
    lons = [math.degrees(math.atan2(ring[1, i], ring[0, i])) % 360 for i in idx]
    lmst = sorted(float(local_mean_solar_time(t, lon)) for lon in lons)
    got = sorted([tr.landing_lmst_h, _alt_lmst(fit, x)])
    assert np.allclose(got, lmst, atol=0.01)  # 36 s of local time (ring sampling, 1e-4 rad)


def _alt_lmst(fit, x) -> float:
    ev = fit.model.evaluate(np.asarray(x)[None])
    return float(fit.derived(ev, full=True)["lmst_alt"][0])


def test_contract_and_constraints_named():
    prob = _problem(constraints=Constraints(max_c3_km2s2=8.0, max_vinf_arrive_kms=2.0,
                                            site="oxia_planum", landing_lmst_h=(12, 17)))
    tr = optimise_trajectory(prob, seed=3, **SMALL)
    # Constraints missed are named with the amount: recompute from the result's values.
    for name, v in tr.constraints_violated.items():
        if name == "max_c3":
            assert math.isclose(v["missed_by"], tr.launch_c3_km2s2 - 8.0, rel_tol=1e-9)
        if name == "max_vinf_arrive":
            assert math.isclose(v["missed_by"], tr.arrival_vinf_kms - 2.0, rel_tol=1e-9)
    d = json.loads(tr.to_json())
    assert set(d) == {"launch", "legs", "arrival", "total_dv_kms", "constraints_violated"}
    assert set(d["launch"]) == {"utc", "c3_km2s2", "dla_deg", "rla_deg"}
    assert set(d["legs"][0]) == {"from", "to", "depart_utc", "arrive_utc", "dsm_utc",
                                 "dsm_dv_kms"}
    assert set(d["arrival"]) == {"utc", "vinf_kms", "declination_deg", "ls_deg",
                                 "landing_lmst_h"}
    r = repr(tr)
    assert r.startswith("Trajectory: ") and "\n" not in r and len(r) < 200
    df = tr.to_frame()
    assert str(df["utc"].dtype) == "datetime64[ns, UTC]"
    assert list(df["event"]) == ["launch", "dsm", "arrival"]
    fig = tr.plot()
    names = [t.name for t in fig.data]
    assert any(n.startswith("DSM") for n in names) and "trajectory" in names
    # DSM ΔV equals the velocity jump; launch C3 equals |vinf|^2 (|vinf| the decision
    # variable, in km/s).
    assert math.isclose(tr.launch_c3_km2s2, tr.x[3] ** 2, rel_tol=1e-12)


def test_seeded_search_repeats():
    prob = _problem()
    a = optimise_trajectory(prob, seed=7, **SMALL)
    b = optimise_trajectory(prob, seed=7, **SMALL)
    assert np.array_equal(a.x, b.x)
    # A cached decision vector rebuilds the same result without a search.
    c = evaluate_trajectory(prob, a.x)
    assert c.to_dict() == a.to_dict()


def test_launch_period_table():
    prob = _problem(constraints=Constraints(max_c3_km2s2=25.0))
    prob = prob.with_launch(("2028-10-01", "2028-10-03"))
    lp = optimise_launch_period(prob, seed=1, population=8, generations=10)
    assert isinstance(lp, LaunchPeriodTable) and len(lp) == 3
    days = [t.launch_utc[:10] for t in lp.trajectories]
    assert days == ["2028-10-01", "2028-10-02", "2028-10-03"]
    df = lp.to_frame()
    assert str(df["launch_utc"].dtype) == "datetime64[ns, UTC]"
    d = lp.to_dict()
    assert d["kind"] == "LaunchPeriodTable" and d["count"] == 3
    r = repr(lp)
    assert r.startswith("LaunchPeriodTable: ") and len(r) < 200
    wp = lp.widest_period()
    feasible = [t.feasible for t in lp.trajectories]
    assert (wp is None) == (not any(feasible))
    lp.plot()


@pytest.mark.parametrize("kw,match", [
    ({"launch": ("2028-12-01", "2028-09-01")}, "reversed"),
    ({"arrive": ("2031-01-01", "2030-01-01")}, "reversed"),
    ({"model": "warp"}, "model"),
    ({"objective": "fast"}, "objective"),
])
def test_bad_problems(kw, match):
    base = {"sequence": ("earth", "mars"), "launch": ("2028-09-01", "2028-12-01"),
            "arrive": ("2030-01-01", "2031-01-01")}
    base.update(kw)
    with pytest.raises(ParameterError, match=match):
        TrajectoryProblem(**base)


def test_constraint_bounds_refused():
    with pytest.raises(ParameterError, match="landing site"):
        Constraints(landing_lmst_h=(12, 17))
    with pytest.raises(ParameterError, match="minimum above its maximum"):
        Constraints(dla_deg=(30, -30))
    with pytest.raises(ParameterError):
        Constraints(max_c3_km2s2=-1)


@pytest.mark.parametrize("args,match", [
    (["--sequence", "earth"], "at least"),
    (["--sequence", "earth,vulcan"], "not a planet"),
    (["--launch-from", "2028-12-01", "--launch-to", "2028-09-01"], "reversed"),
    (["--dla", "30..-30"], "minimum above"),
])
def test_cli_bad_input_one_line_exit_2(capsys, args, match):
    base = {"--launch-from": "2028-09-01", "--launch-to": "2028-12-01"}
    argv = ["trajectory", "--dsm"]
    given_opts = set(args[::2])
    for k, v in base.items():
        if k not in given_opts:
            argv += [k, v]
    code, out, err = run(capsys, *argv, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and match in err


def test_cli_unreachable_constraint_says_best_value(capsys):
    code, _out, err = run(capsys, "trajectory", "--dsm", "--launch-from", "2028-10-01",
                         "--launch-to", "2028-10-02", "--arrive-from", "2029-06-01",
                         "--arrive-to", "2029-06-10", "--max-vinf-arrive", "0.2",
                         "--objective", "dsm")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "max_vinf_arrive" in err and "best reachable" in err


def test_cli_trajectory_json_keys(capsys, tmp_path):
    plot = tmp_path / "t.html"
    code, out, _err = run(capsys, "trajectory", "--sequence", "earth,mars", "--dsm",
                          "--launch-from", "2028-09-20", "--launch-to", "2028-10-10",
                          "--arrive-from", "2030-07-01", "--arrive-to", "2031-03-01",
                          "--max-c3", "20", "--arrival-ls", "0..72", "--landing-lmst",
                          "12..17", "--site", "oxia_planum", "--objective", "dsm+vinf",
                          "--json", "--plot", str(plot))
    assert code == 0, _err
    d = json.loads(out)
    assert set(d) == {"launch", "legs", "arrival", "total_dv_kms", "constraints_violated"}
    assert d["launch"]["c3_km2s2"] <= 20.0 + 1e-6 and d["constraints_violated"] == {}
    assert 12.0 <= d["arrival"]["landing_lmst_h"] <= 17.0
    assert 0.0 <= d["arrival"]["ls_deg"] <= 72.0 + 1e-6
    assert plot.stat().st_size > 0
