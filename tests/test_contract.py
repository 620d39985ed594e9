"""The result contract (docs/design.md, "Results") for every public result type.

Each result comes from a real, small computation. For each:

- ``to_frame()`` is a pandas DataFrame whose time columns (``utc`` and ``*_utc``) are
  ``datetime64[ns, UTC]`` and equal, to 1 ms, the UTC of the TDB epochs the object holds,
  converted independently by astropy (its own TDB - TT series and leap-second table);
- ``json.loads(obj.to_json())`` round-trips (strict JSON: no NaN or infinity) and equals
  ``jsonable(obj.to_dict())``; a collection's ``to_dict()`` is ``{"kind", ..., "count",
  "items"}`` with ``items == to_records()``;
- ``repr(obj)`` is one line under 200 characters that starts with the type's name;
- searches return the same shape for one input and for many.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from areo.constants import DAY_S
from areo.io.records import jsonable
from areo.time import Time

astropy_time = pytest.importorskip("astropy.time")

SPAN = ("2021-02-19T00:00Z", "2021-02-20T00:00Z")


def _astropy_utc_ns(et) -> np.ndarray:
    """UTC nanoseconds since 1970 of TDB seconds past J2000, through astropy (leap seconds
    fold as in POSIX time, as pandas does)."""
    et = np.atleast_1d(np.asarray(et, dtype=float)).ravel()
    t = astropy_time.Time(2451545.0, et / 86400.0, format="jd", scale="tdb").utc
    return np.array([np.datetime64(s, "ns").astype(np.int64) for s in t.isot])


def _reject_constant(name: str):
    raise ValueError(f"non-standard JSON constant {name}")


# ------------------------------------------------------------------------ the computations
@pytest.fixture(scope="module")
def tgo():
    from areo.orbits import Orbit

    return Orbit.from_catalog("tgo")


@pytest.fixture(scope="module")
def results(tgo, tmp_path_factory):  # one small computation per result type
    """``{name: (result, {time column: TDB seconds it must show})}``."""
    from areo import events
    from areo.ephem import solar_conjunctions, state
    from areo.orbits import design
    from areo.orbits.numerical.propagate import propagate_cowell
    from areo.relay.earth import earth_contacts
    from areo.relay.link import RadioPair, pass_volumes
    from areo.relay.plan import plan_relay
    from areo.surface.campaign import plan_campaign
    from areo.time import mars_time
    from areo.transfer import lambert, porkchop, transfer
    from areo.transfer.maneuvers import TGO_CAPTURE, orbit_insertion
    from areo.transfer.windows import launch_windows

    out = {}
    w = events.Windows.from_utc([("2030-01-01T00:00Z", "2030-01-01T06:00Z"),
                                 ("2030-01-02T00:00Z", "2030-01-02T01:00Z")])
    out["Windows"] = (w, {"start_utc": w.starts, "end_utc": w.ends})
    ex = events.find_extrema(lambda t: np.sin(t / 3000.0), 0.0, 40000.0, step_s=500.0)
    out["Extrema"] = (ex, {"time_utc": ex.time.et})

    days = events.daylight(["jezero", "gale"], *SPAN)
    d = days[0]
    noon = d.noon_et
    out["Daylights"] = (days, {})
    out["Daylight"] = (d, {"start_utc": d.windows.starts, "end_utc": d.windows.ends,
                           "noon_utc": noon})

    ps = events.passes(tgo, "jezero", *SPAN)
    aos = [p.aos.et for p in ps]
    out["Passes"] = (ps, {"aos_utc": aos, "los_utc": [p.los.et for p in ps],
                          "tmax_utc": [p.tmax.et for p in ps]})
    out["Pass"] = (ps[1], {"aos_utc": ps[1].aos.et, "los_utc": ps[1].los.et})
    link = pass_volumes([ps[1]], tgo, RadioPair("electra-lite", "electra"))[0]
    out["PassLink"] = (link, {"utc": link.times_et})

    ecl = events.eclipses(tgo, "2021-09-01", "2021-09-01T06:00", name="TGO")
    out["Eclipses"] = (ecl, {"start_utc": ecl.shadow.starts, "end_utc": ecl.shadow.ends})
    occ = events.solar_occultations(tgo, "2021-02-19", "2021-02-19T06:00", name="TGO")
    out["SolarOccultations"] = (occ, {"start_utc": occ.windows.starts,
                                      "end_utc": occ.windows.ends})
    img = events.imaging_opportunities(tgo, "jezero", "2021-02-19", "2021-02-21",
                                       max_off_nadir_deg=30.0, max_incidence_deg=89.0)
    out["ImagingOpportunities"] = (img, {"start_utc": img.windows.starts,
                                         "best_utc": img.best_et})
    cov = events.coverage(tgo, "2021-02-19", "2021-02-19T03:00", swath_km=100.0,
                          cell_deg=10.0)
    seen = np.where(cov.covered, cov.first_et, np.nan).ravel()
    out["Coverage"] = (cov, {"first_seen_utc": seen})

    sv = state("mars", Time.arange("2030-01-01", "2030-01-02", 21600.0), center="earth")
    out["StateVectors"] = (sv, {"utc": sv.time.et})
    conj = solar_conjunctions("2021-09-01", "2021-11-30")
    c = conj[0]
    out["Conjunctions"] = (conj, {"start_utc": [c.start.et], "end_utc": [c.end.et],
                                  "min_utc": [c.min_time.et]})
    out["Conjunction"] = (c, {"start_utc": c.start.et, "min_utc": c.min_time.et})

    con = earth_contacts(tgo, ["cebreros", "DSS-43"], *SPAN)
    starts = np.sort(np.concatenate([wi.starts for wi in con.by_station.values()]))
    out["Contacts"] = (con, {"start_utc": starts})
    plan = plan_relay(["jezero"], ["tgo"], *SPAN)
    out["RelayPlan"] = (plan, {"aos_utc": [r["aos_et"] for r in plan.rows],
                               "los_utc": [r["los_et"] for r in plan.rows]})

    camp = plan_campaign("rosalind_franklin", "oxia_planum", "2031-01-10T12:00", 2,
                         experiment_cycles=1, vertical_surveys=0, require_complete=False)
    out["Campaign"] = (camp, {})
    out["SolPlan"] = (camp.sols[0], {})

    traj = tgo.propagate(Time.arange(*SPAN, 3600.0))
    out["Orbit"] = (tgo, {"epoch_utc": tgo.epoch.et})
    out["Trajectory"] = (traj, {"utc": traj.et})
    gt = traj.groundtrack()
    out["GroundTrack"] = (gt, {"utc": traj.et})
    r0 = np.asarray(tgo.state)
    num = propagate_cowell(r0, float(tgo.epoch.et), float(tgo.epoch.et) + np.arange(4) * 600.0)
    out["NumericalResult"] = (num, {"utc": num.et})
    low = type(tgo).from_elements(peri_alt_km=150.0, apo_alt_km=170.0, inc_deg=70.0,
                                  epoch="2030-01-01")
    life = design.lifetime_estimate(low, mass_kg=1000.0, area_m2=10.0, max_days=3650.0)
    out["Lifetime"] = (life, {"utc": life.epoch_et + np.asarray(life.t_days) * DAY_S})
    out["RepeatOrbit"] = (design.repeat_orbit(13, 1), {})
    out["FrozenOrbit"] = (design.frozen_eccentricity(3396.19 + 300.0, 92.0), {})
    out["Hohmann"] = (design.hohmann(3396.19 + 300.0, 3396.19 + 1000.0), {})

    au = 1.495978707e8
    out["LambertSolution"] = (lambert([au, 0, 0], [0, 1.5 * au, 0], 200 * DAY_S), {})
    tr = transfer("2020-07-30", "2021-02-18")
    out["Transfer"] = (tr, {"launch_utc": tr.launch.et, "arrive_utc": tr.arrive.et})
    pc = porkchop(Time(["2020-07-20", "2020-07-30"]), Time(["2021-02-08", "2021-02-18"]))
    ok = np.isfinite(pc.c3_km2s2)
    ii, jj = np.nonzero(ok)
    out["Porkchop"] = (pc, {"launch_utc": np.atleast_1d(pc.launch.et)[ii],
                            "arrive_utc": pc.arrive_et[ii, jj]})
    pt = pc.min_c3()
    out["PorkchopPoint"] = (pt, {"launch_utc": pt.launch.et, "arrive_utc": pt.arrive.et})
    wins = launch_windows(2020, 2020, max_c3=20.0)
    out["LaunchWindows"] = (wins, {"launch_utc": [wi.best.launch.et for wi in wins]})
    w0 = wins[0]
    optima = [w0.best, w0.min_vinf_arrive, w0.min_dv_total, *w0.by_type.values()]
    out["LaunchWindow"] = (w0, {"launch_utc": [p.launch.et for p in optima],
                                "arrive_utc": [p.arrive.et for p in optima]})
    lp = wins[0].launch_period
    out["LaunchPeriod"] = (lp, {"open_utc": lp.open.et, "close_utc": lp.close.et})
    out["CaptureOrbit"] = (TGO_CAPTURE, {})
    from areo.transfer import return_window, round_trips

    rw = return_window("2032-12-01", "2033-01-31", "2033-08-01", "2033-09-30", 20,
                       max_entry_speed_kms=12.5)
    ii, jj = np.nonzero(np.isfinite(rw.vinf_depart_kms))
    out["ReturnWindow"] = (rw, {"depart_utc": np.atleast_1d(rw.depart.et)[ii],
                                "arrive_utc": rw.arrive_et[ii, jj]})
    rp = rw.minimum()
    out["ReturnPoint"] = (rp, {"depart_utc": rp.depart.et, "arrive_utc": rp.arrive.et})
    rt = round_trips("2028-10-01", "2028-12-31", min_stay_days=400, max_stay_days=600,
                     step_days=15)
    out["RoundTrips"] = (rt, {"launch_utc": [t.launch.et for t in rt.trips],
                              "return_arrive_utc": [t.return_arrive.et for t in rt.trips]})
    from areo.orbits.ascent import ascent_budget, launch_opportunities, rendezvous_phasing

    lo = launch_opportunities("jezero", type(tgo).from_elements(
        peri_alt_km=343.0, apo_alt_km=343.0, inc_deg=25.0, epoch="2031-03-01"),
        "2031-03-01", "2031-03-02")
    out["LaunchOpportunities"] = (lo, {"utc": [x.time.et for x in lo.items]})
    out["Phasing"] = (rendezvous_phasing(300.0, 350.0, 40.0), {})
    out["AscentBudget"] = (ascent_budget("jezero", 343.0, 25.0), {})
    out["InsertionBudget"] = (orbit_insertion(2.65), {})

    mt = mars_time(Time(["2021-02-18T20:55Z", "2021-02-19T12:00Z"]), 77.45)
    out["MarsTime"] = (mt, {"utc": mt.time.et})

    from areo.transfer import (
        Constraints,
        TrajectoryProblem,
        evaluate_trajectory,
        optimise_launch_period,
    )

    tp = TrajectoryProblem(("earth", "mars"), launch=("2028-09-20", "2028-10-20"),
                           arrive=("2030-06-01", "2031-01-31"),
                           constraints=Constraints(site="oxia_planum", landing_lmst_h=(12, 17)))
    tt = evaluate_trajectory(tp, [10500.0, 0.3, 0.6, 3.2, 0.4, 790.0])
    out["TransferTrajectory"] = (tt, {"utc": [tt.launch_et, tt.legs[0].dsm_et, tt.arrive_et]})
    period = optimise_launch_period(tp.with_launch(("2028-10-01", "2028-10-02")),
                                    population=8, generations=10)
    out["LaunchPeriodTable"] = (period, {
        "launch_utc": [t.launch_et for t in period.trajectories],
        "arrive_utc": [t.arrive_et for t in period.trajectories]})

    from areo import edl

    entry = edl.entry_from_site("m2020", "jezero", "2021-02-18T20:36:00")
    out["EntryState"] = (entry, {})
    mc = edl.monte_carlo(entry, runs=64, seed=1)
    landed = mc.to_frame()["landing_utc"].notna().to_numpy()
    out["MonteCarlo"] = (mc, {"landing_utc": entry.epoch.et + np.asarray(
        mc.to_frame()["flight_time_s"])[landed]})
    flight = edl.fly_nominal(entry)
    out["Flight"] = (flight, {})
    out["Replay"] = (edl.replay("schiaparelli"), {})
    out["Corridor"] = (edl.entry_corridor(entry, fpa_deg=[-16.0, -14.0, -12.0]), {})

    from areo.sweep import sweep
    from tests.sweep.helpers import write_sweep

    base = write_sweep(tmp_path_factory.mktemp("contract-sweep")).parent / "base.toml"
    sw = sweep(base, {"dust.tau": ["clear", 0.5]}, ["landing.utc"], client="serial")
    out["SweepResult"] = (sw, {"landing_utc": Time(list(sw.frame["landing_utc"])).et})
    return out


NAMES = [
    "Windows", "Extrema", "Daylights", "Daylight", "Passes", "Pass", "PassLink", "Eclipses",
    "SolarOccultations", "ImagingOpportunities", "Coverage", "StateVectors", "Conjunctions",
    "Conjunction", "Contacts", "RelayPlan", "Campaign", "SolPlan", "Orbit", "Trajectory",
    "GroundTrack", "NumericalResult", "Lifetime", "RepeatOrbit", "FrozenOrbit", "Hohmann",
    "LambertSolution", "Transfer", "Porkchop", "PorkchopPoint", "LaunchWindows",
    "LaunchWindow", "LaunchPeriod", "CaptureOrbit", "InsertionBudget", "MarsTime",
    "SweepResult", "TransferTrajectory", "LaunchPeriodTable", "EntryState", "MonteCarlo",
    "Flight", "Replay", "Corridor", "ReturnWindow", "ReturnPoint", "RoundTrips",
    "LaunchOpportunities", "Phasing", "AscentBudget",
]
#: Single results whose to_dict is a plain record (not a collection) or a CLI document.
NOT_COLLECTIONS = {
    "Pass", "PassLink", "Conjunction", "Coverage", "RelayPlan", "Campaign", "SolPlan", "Orbit",
    "Trajectory", "Lifetime", "RepeatOrbit", "FrozenOrbit", "Hohmann", "LambertSolution",
    "Transfer", "Porkchop", "PorkchopPoint", "LaunchWindow", "LaunchPeriod", "CaptureOrbit",
    "InsertionBudget", "MarsTime", "TransferTrajectory", "EntryState", "MonteCarlo", "Flight",
    "Replay", "Corridor", "ReturnWindow", "ReturnPoint", "RoundTrips", "Phasing",
    "AscentBudget",
}
#: Results with no table form (a single orbit design or a budget of named numbers).
NO_FRAME = {"RepeatOrbit", "FrozenOrbit", "Hohmann", "CaptureOrbit", "EntryState", "Phasing",
            "AscentBudget"}


def test_every_name_is_computed(results):
    assert sorted(results) == sorted(NAMES)
    for n in ("Passes", "Eclipses", "SolarOccultations", "ImagingOpportunities",
              "Conjunctions", "LaunchWindows", "Daylight"):
        assert len(results[n][0]) > 0, n


@pytest.mark.parametrize("name", NAMES)
def test_frame_time_columns_are_utc_datetimes(results, name):
    obj, times = results[name]
    if name in NO_FRAME:
        assert not hasattr(obj, "to_frame")
        return
    frame = obj.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    time_cols = [c for c in frame.columns if c == "utc" or str(c).endswith("_utc")]
    for col in time_cols:
        assert str(frame[col].dtype) == "datetime64[ns, UTC]", (name, col, frame[col].dtype)
    for c in frame.columns:  # no time hides in another column as text or as naive datetimes
        assert not (pd.api.types.is_datetime64_any_dtype(frame[c]) and c not in time_cols)
    assert set(times) <= set(time_cols), (name, time_cols)
    for col, et in times.items():
        got = frame[col].dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
        ours = got.astype(np.int64)
        valid = ~np.isnat(got)
        ref = _astropy_utc_ns(np.asarray(et, dtype=float)[np.isfinite(et)])
        assert valid.sum() == np.isfinite(np.atleast_1d(np.asarray(et, float))).sum()
        if ref.size == valid.sum():
            assert np.max(np.abs(ours[valid] - ref)) < 1_000_000, (name, col)
        else:  # one epoch shown on several rows (e.g. a batch epoch)
            assert np.max(np.abs(ours[valid] - ref[0])) < 1_000_000, (name, col)


def _record_times(rec: dict) -> dict[str, str]:
    """ISO time strings of a record, by key."""
    return {k: v for k, v in rec.items() if isinstance(v, str) and len(v) >= 19
            and v[4] == "-" and v[10] == "T"}


@pytest.mark.parametrize("name", ["Windows", "Passes", "Daylight", "Eclipses", "Contacts",
                                  "Conjunctions", "StateVectors", "SolarOccultations",
                                  "ImagingOpportunities", "Extrema"])
def test_frame_times_equal_the_records_times(results, name):
    """The frame's datetimes and the records' ISO strings are the same instants (to the
    records' rounding)."""
    obj, _ = results[name]
    frame, recs = obj.to_frame(), obj.to_records()
    assert len(frame) == len(recs)
    names = {"start": "start_utc", "end": "end_utc", "aos": "aos_utc", "los": "los_utc",
             "tmax": "tmax_utc", "noon": "noon_utc", "best": "best_utc", "utc": "utc",
             "min_utc": "min_utc", "time": "time_utc"}
    checked = 0
    for k, rec in enumerate(recs):
        for key, text in _record_times(rec).items():
            if key not in names:
                continue
            t = frame[names[key]].iloc[k]
            # the records' ISO strings keep milliseconds, a conjunction's whole seconds
            tol = pd.Timedelta("1ms") if "." in text else pd.Timedelta("501ms")
            assert abs(t - pd.Timestamp(text.rstrip("Z"), tz="UTC")) <= tol
            checked += 1
    assert checked


#: Single design values with no time axis or geometry of their own to draw (a Lambert
#: solution and a porkchop cell are drawn as a Transfer or a Porkchop).
NO_PLOT = {"RepeatOrbit", "FrozenOrbit", "Hohmann", "CaptureOrbit", "InsertionBudget",
           "MarsTime", "LambertSolution", "PorkchopPoint", "EntryState", "ReturnPoint",
           "Phasing", "AscentBudget"}
#: Figures drawn in space (ecliptic, map) or in mission sols / LMST, not on a UTC axis.
NOT_ON_UTC = {"Transfer", "Orbit", "GroundTrack", "Coverage", "Campaign", "SolPlan",
              "Daylights", "TransferTrajectory", "MonteCarlo", "Flight", "Replay", "Corridor"}


def _figure_utc_ns(fig) -> np.ndarray:
    """Every date a plotly figure places (bar bases, scatter x and y), as UTC ns."""
    out = []
    for tr in fig.data:
        for values in (getattr(tr, "base", None), getattr(tr, "x", None),
                       getattr(tr, "y", None)):
            if values is None or isinstance(values, str | float | int):
                continue
            for v in values:
                if isinstance(v, str) and len(v) >= 19 and v[4] == "-" and v[10] == "T":
                    out.append(np.datetime64(v, "ns").astype(np.int64))
    return np.asarray(out, dtype=np.int64)


@pytest.mark.parametrize("name", NAMES)
def test_plot_draws_the_results_own_times(results, name, tmp_path):
    """``.plot()`` gives a plotly figure; a figure on a UTC axis places every time the
    result holds (its first time column, converted independently by astropy) to 1 ms."""
    import plotly.graph_objects as go

    obj, times = results[name]
    if name in NO_PLOT:
        assert not hasattr(obj, "plot")
        return
    fig = obj.plot()
    assert isinstance(fig, go.Figure) and len(fig.data) > 0
    placed = _figure_utc_ns(fig)
    if name in NOT_ON_UTC or not times:
        return
    col, et = next(iter(times.items()))
    ref = _astropy_utc_ns(np.asarray(et, dtype=float)[np.isfinite(et)])
    assert placed.size and ref.size, name
    gap = np.min(np.abs(placed[None, :] - ref[:, None]), axis=1)
    assert np.max(gap) < 1_000_000, (name, col, np.max(gap))


def test_plot_writes_html_and_says_how_to_get_a_static_image(results, tmp_path):
    from areo.errors import ParameterError

    passes = results["Passes"][0]
    page = tmp_path / "p.html"
    assert passes.plot(page) is not None
    text = page.read_text(encoding="utf-8")
    # self-contained: plotly.js inlined (~4 MB), no script fetched from a network
    assert len(text) > 1_000_000 and '<script src="http' not in text
    try:
        import kaleido  # noqa: F401
    except ImportError:
        with pytest.raises(ParameterError, match=r"\.html.*kaleido"):
            passes.plot(tmp_path / "p.png")
        assert not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("name", NAMES)
def test_json_round_trips_strictly(results, name):
    obj, _ = results[name]
    text = obj.to_json()
    back = json.loads(text, parse_constant=_reject_constant)
    assert back == json.loads(json.dumps(jsonable(obj.to_dict()), allow_nan=False))
    assert isinstance(back, dict)

    def finite(x):
        if isinstance(x, dict):
            return all(finite(v) for v in x.values())
        if isinstance(x, list):
            return all(finite(v) for v in x)
        return not isinstance(x, float) or math.isfinite(x)

    assert finite(back)
    if name not in NOT_COLLECTIONS:
        assert back["kind"] == name and back["count"] == len(back["items"])
        assert back["items"] == json.loads(json.dumps(jsonable(obj.to_records())))


@pytest.mark.parametrize("name", NAMES)
def test_repr_is_one_short_line(results, name):
    obj, _ = results[name]
    text = repr(obj)
    assert "\n" not in text and len(text) < 200, text
    assert text.startswith(f"{type(obj).__name__}: "), text


def test_relay_plan_repr_is_a_summary(results):
    plan = results["RelayPlan"][0]
    used = sum(1 for r in plan.rows if r["share"] > 0)
    assert repr(plan).startswith(f"RelayPlan: {len(plan.rows)} passes ({used} used) of tgo "
                                 f"over jezero, sols ")
    assert plan.status in repr(plan)


# ------------------------------------------------------------------------ one shape
def test_searches_return_one_shape_for_one_and_many(tgo):
    from areo import events
    from areo.ephem import Conjunctions, solar_conjunctions

    one = events.daylight("jezero", *SPAN)
    many = events.daylight(["jezero", "gale"], *SPAN)
    assert type(one) is type(many) is events.Daylights and (len(one), len(many)) == (1, 2)
    np.testing.assert_array_equal(one[0].windows.starts, many["jezero"].windows.starts)

    a = events.passes(tgo, "jezero", *SPAN)
    b = events.passes([tgo], ["jezero"], *SPAN)
    assert type(a) is type(b) is events.Passes and a.to_records() == b.to_records()

    none = solar_conjunctions("2022-01-01", "2022-02-01")
    some = solar_conjunctions("2021-09-01", "2021-11-30")
    assert type(none) is type(some) is Conjunctions and len(none) == 0 < len(some)

    def f(t, which):
        return np.sin(t / (1000.0 * (which + 1)))

    single = events.find_windows(lambda t: f(t, 0), 0.0, 20000.0, step_s=100.0)
    multi1 = events.find_windows_multi(f, 0.0, 20000.0, n_objects=1, step_s=100.0)
    multi3 = events.find_windows_multi(f, 0.0, 20000.0, n_objects=3, step_s=100.0)
    assert isinstance(single, events.Windows)
    assert isinstance(multi1, list) and isinstance(multi3, list) and len(multi3) == 3
    assert multi1[0] == single == multi3[0]
