"""Tests for areo.surface.campaign and ``areo sols``: the Reference Surface Mission.

Oracles: the published RSM figures (6 experiment cycles, 2 vertical surveys, >= 17 samples,
a 2 m drill, 218 sols, 150 Mbit/sol; Vago et al. 2017, ESA), the independent re-integration
of every sol's energy and data (tests/surface/test_plan.py) and the carried-over state
(each sol starts where the previous one ended), the Open MCT plan format (categories of
{name, start, end, type, color, textColor} in Unix ms) checked against the UTC clock.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from areo.errors import AreoInputError, ParameterError
from areo.events import solar_elevation
from areo.surface.campaign import (
    CampaignError,
    CampaignOptions,
    plan_campaign,
    reference_surface_mission,
    tau_scenario,
)
from tests.helpers import run
from tests.surface.helpers import RF, best_daylight_return, check_plan, reintegrate


@pytest.fixture(scope="module")
def rsm():
    """The full 218-sol Reference Surface Mission at Oxia Planum (about 15-25 s)."""
    return plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 218)


def test_full_reference_surface_mission(rsm):
    s = rsm.summary
    assert s["sols"] == 218
    assert s["experiment_cycles"] == 6 and s["vertical_surveys"] == 2
    assert s["n_samples"] >= 17 and s["max_depth_m"] == pytest.approx(2.0)
    assert s["tasks_done"] == s["tasks_total"]
    depths = sorted({round(x.depth_m, 2) for x in rsm.samples if x.phase.startswith("VS")})
    assert depths == [0.05, 0.5, 1.0, 1.5, 2.0]
    # samples come in campaign order, one borehole per vertical survey, deeper each time
    for vs in ("VS1", "VS2"):
        d = [x.depth_m for x in rsm.samples if x.phase == vs]
        assert d == sorted(d)


def test_every_sol_re_simulates_clean_and_state_carries(rsm):
    prev_end = None
    for p in rsm.sols:
        check_plan(RF, p)
        if prev_end is not None:
            assert p.inputs.initial_soc == pytest.approx(prev_end[0], abs=1e-12)
            assert p.inputs.initial_buffer_mbit == pytest.approx(prev_end[1], abs=1e-12)
        prev_end = (float(p.simulation.soc[-1]), float(p.simulation.buffer_mbit[-1]))
        assert p.data_returned_mbit <= RF.data_budget_mbit_per_sol + 1e-6
        lo, hi = RF.mechanisms_lmst_h
        for a in p.activities:  # thermal: drill and wheels in the warm hours only
            if {"drill", "locomotion"} & set(a.scheduled.activity.resources):
                assert lo - 1e-9 <= a.start_lmst_h and a.end_lmst_h <= hi + 1e-9, a.label
        assert sum(a.scheduled.activity.distance_m for a in p.activities) <= 100.0 + 1e-9


def test_dependencies_hold_across_sols(rsm):
    when = rsm.done
    by_id = {t.id: t for t in rsm.tasks}
    start = {a.task_id: (p.sol, a.start_lmst_h) for p in rsm.sols for a in p.activities}
    end = {a.task_id: (p.sol, a.end_lmst_h) for p in rsm.sols for a in p.activities}
    for tid, sol in when.items():
        t = by_id[tid]
        for dep in t.after:
            assert end[dep] <= start[tid]
        for dep in t.review:  # ground in the loop: an earlier sol
            assert when[dep] < sol


@pytest.mark.filterwarnings("ignore:ERFA function")  # astropy on a future UTC date
def test_json_contract_and_exports(rsm, tmp_path):
    d = rsm.to_dict()
    assert set(d) >= {"sols", "samples", "summary"}
    assert set(d["summary"]) >= {"experiment_cycles", "vertical_surveys", "n_samples",
                                 "max_depth_m"}
    sol = d["sols"][10]
    assert set(sol) >= {"sol", "activities", "soc_min_pct", "soc_end_pct",
                        "data_returned_mbit"}
    for a in sol["activities"]:
        assert set(a) >= {"name", "start_lmst_h", "end_lmst_h", "energy_wh", "data_mbit"}
    assert all(set(x) >= {"sol", "depth_m"} for x in d["samples"])
    json.dumps(d)  # serialisable

    path = rsm.write_openmct(tmp_path / "plan.json")
    plan = json.loads(path.read_text())
    assert set(plan) <= {"Mobility", "Drilling", "Analytical lab", "Remote sensing",
                         "Communications"}
    first = min((a for acts in plan.values() for a in acts), key=lambda a: a["start"])
    for cat, acts in plan.items():
        for a in acts:
            assert set(a) == {"name", "start", "end", "type", "color", "textColor"}
            assert a["type"] == cat and a["end"] > a["start"]
    # Unix ms against astropy's UTC for the first activity (independent time scales)
    from astropy.time import Time as ATime

    p0 = rsm.sols[0]
    a0 = min(p0.activities, key=lambda a: a.start_lmst_h)
    t = rsm.clock.time_of(p0.sol, a0.start_lmst_h)
    unix_ms = (ATime(str(t.iso).replace("Z", ""), scale="utc").unix) * 1000.0
    assert abs(first["start"] - unix_ms) < 2.0

    csv = rsm.write_csv(tmp_path / "plan.csv").read_text().splitlines()
    assert csv[0].startswith("sol,") and len(csv) - 1 == sum(len(p.activities) for p in rsm.sols)


def test_campaign_figure(rsm, tmp_path):
    from areo.surface.plots import campaign_figure

    out = tmp_path / "camp.png"
    fig = campaign_figure(rsm, out)
    assert out.stat().st_size > 20_000
    assert len(fig.axes) >= 3
    soc = rsm.soc_series()
    assert soc["soc_pct"].min() >= 100 * RF.min_soc - 1e-6
    assert np.all(np.diff(soc["mission_sol"].to_numpy()) >= -1e-12)


def test_short_campaign_too_many_tasks_is_refused():
    with pytest.raises(CampaignError, match="does not fit in 12 sols"):
        plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 12,
                      CampaignOptions(experiment_cycles=1, vertical_surveys=0))


def test_rover_cannot_survive_a_hopeless_sky():
    hopeless = CampaignOptions(tau=12.0, experiment_cycles=0, vertical_surveys=0)
    with pytest.raises(CampaignError, match="cannot survive sol 1: even asleep"):
        plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 3, hopeless)
    # kept as a partial campaign: the sols before the one it cannot survive, and why
    # (a keyword replaces that field of the options)
    camp = plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 3,
                         hopeless, require_complete=False)
    assert not camp.complete and len(camp.sols) == 1 and camp.planned_sols == 3
    assert camp.incomplete_reason.startswith("the rover cannot survive sol 1: even asleep")
    assert camp.summary["complete"] is False


def test_bad_inputs():
    with pytest.raises(AreoInputError, match="DE440 span"):
        plan_campaign(landing="2700-01-01T00:00:00", sols=5)
    with pytest.raises(AreoInputError, match="tau scenario 'dusty-ish'"):
        tau_scenario("dusty-ish")
    with pytest.raises(AreoInputError, match="experiment_cycles"):
        reference_surface_mission(experiment_cycles=7)


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"tau": "dusty-ish"}, "tau scenario 'dusty-ish' is unknown"),
        ({"tau": 16.0}, "tau = 16.0 must lie in [0, 15]"),
        ({"dust": 0.002}, "must be a DustModel or None"),
        ({"orbiters": "tgo"}, "orbiters = 'tgo' must be a sequence of catalog orbiter names"),
        ({"orbiters": ()}, "orbiters is empty: give at least one of the catalog orbiter"),
        ({"experiment_cycles": 7}, "experiment_cycles = 7 must be a whole number in 0-6"),
        ({"vertical_surveys": 1.5}, "vertical_surveys = 1.5 must be a whole number in 0-2"),
        ({"initial_soc": 0.0}, "initial_soc = 0 is outside (0, 1]"),
        ({"initial_soc": float("nan")}, "initial_soc = nan is not a finite number"),
        ({"lookahead": 0}, "lookahead = 0 must be a whole number >= 1"),
        ({"storm_tau": -1.0}, "storm_tau = -1 is not positive"),
        ({"effort_per_sol": float("inf")}, "effort_per_sol = inf is not a finite positive"),
        ({"require_complete": "no"}, "require_complete = 'no' must be True or False"),
    ],
)
def test_campaign_options_refuse_bad_values(fields, fragment):
    """Every knob is checked when the options are built, before any planning."""
    with pytest.raises(ParameterError, match=re.escape(fragment)):
        CampaignOptions(**fields)


def test_campaign_overrides_are_checked():
    with pytest.raises(ParameterError, match="plan_campaign: unknown option taus: give "
                       "fields of CampaignOptions"):
        plan_campaign(sols=3, taus="storm")
    with pytest.raises(ParameterError, match="is not a CampaignOptions"):
        plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 3,
                      {"tau": "storm"})
    shallow = RF.model_copy(update={"drill_max_depth_m": 1.5})
    with pytest.raises(AreoInputError, match="samples down to 2 m"):
        reference_surface_mission(shallow)


# ------------------------------------------------------------------------------ the CLI
def test_cli_sols_json_short_campaign(capsys, tmp_path):
    plot = tmp_path / "c.png"
    code, out, err = run(capsys, "sols", "--landing", "2030-11-20T12:00:00", "--sols", "30",
                         "--experiment-cycles", "1", "--vertical-surveys", "0", "--json",
                         "--plot", str(plot), "--openmct", str(tmp_path / "p.json"))
    assert code == 0, err
    d = json.loads(out)
    assert len(d["sols"]) == 30
    assert d["summary"]["experiment_cycles"] == 1 and d["summary"]["n_samples"] == 2
    assert [round(s["depth_m"], 2) for s in d["samples"]] == [0.05, 1.0]
    assert plot.stat().st_size > 10_000 and (tmp_path / "p.json").exists()


@pytest.mark.parametrize("args, needle", [
    (("--landing", "2700-01-01T00:00:00"), "DE440 span"),
    (("--landing", "2030-11-20T12:00:00", "--sols", "15"), "does not fit in 15 sols"),
    (("--landing", "2030-11-20T12:00:00", "--tau", "sandy"), "tau scenario 'sandy'"),
])
def test_cli_sols_bad_input_exit_2(capsys, args, needle):
    code, _out, err = run(capsys, "sols", *args)
    assert code == 2 and needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_rover_file_missing_field(capsys, tmp_path):
    f = tmp_path / "rover.toml"
    f.write_text('[rovers.mine]\nname = "mine"\narray_ref_wh_per_sol = 900.0\n'
                 'array_ref_insolation_wh_m2 = 3000.0\nmin_soc = 0.3\n'
                 'end_of_sol_soc_target = 0.8\nawake_load_w = 50.0\nsleep_load_w = 10.0\n'
                 'data_buffer_mbit = 1000.0\ndrive_speed_m_per_h = 20.0\n'
                 'drive_limit_m_per_sol = 80.0\n')
    code, _out, err = run(capsys, "sols", "--landing", "2030-11-20T12:00:00", "--rover", str(f))
    assert code == 2 and "'battery_wh' is required" in err


def test_conjunction_sols_are_contingency_by_spice(spice):
    # Landing just before the October 2021 solar conjunction: no commanding while the
    # Sun-Earth-Mars angle (SPICE on DE440) is under the 3 deg moratorium.
    camp = plan_campaign("rosalind_franklin", "oxia_planum", "2021-09-20T12:00:00", 40,
                         CampaignOptions(experiment_cycles=1, vertical_surveys=0,
                                         require_complete=False))
    seen = 0
    for p in camp.sols:
        et = float(camp.clock.time_of(p.sol, 12.0).et)
        mars = spice.spkpos("MARS BARYCENTER", et, "J2000", "NONE", "EARTH")[0]
        sun = spice.spkpos("SUN", et, "J2000", "NONE", "EARTH")[0]
        sep = np.degrees(spice.vsep(mars, sun))
        if abs(sep - 3.0) < 0.05:
            continue  # an edge sol: either answer is right
        in_conj = p.contingency == "solar conjunction"
        assert in_conj == (sep < 3.0), (p.sol, sep, p.contingency)
        if in_conj:
            seen += 1
            assert p.activities == []
    assert seen >= 10


def test_dust_storm_sols_hold_the_floor_without_science():
    from areo.surface.environment import DustStormTau

    storm = DustStormTau(onset_sol=4.0, peak=3.0, rise_sols=2.0, decay_sols=6.0)
    camp = plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00:00", 20,
                         CampaignOptions(tau=storm, experiment_cycles=1, vertical_surveys=0,
                                         require_complete=False))
    stormy = [p for p in camp.sols if p.contingency == "dust storm"]
    assert stormy and all(p.inputs.tau >= 2.0 for p in stormy)
    for p in stormy:
        assert all(a.name == "relay_session" for a in p.activities)
    for p in camp.sols:
        check_plan(RF, p)
    # science resumes once the sky clears
    assert max(camp.done.values()) > max(p.sol for p in stormy)


def test_cli_detail_sol(capsys, tmp_path):
    png = tmp_path / "sol.png"
    code, out, err = run(capsys, "sols", "--landing", "2030-11-20T12:00:00", "--sols", "12",
                         "--experiment-cycles", "1", "--vertical-surveys", "0", "--partial",
                         "--detail", "3", "--plot-sol", str(png))
    assert code == 0, err
    assert "Sol 3" in out and "LMST start" in out and png.stat().st_size > 10_000
    code, out, err = run(capsys, "sols", "--landing", "2030-11-20T12:00:00", "--sols", "12",
                         "--detail", "40")
    assert code == 2 and "outside the planned sols 0-11" in err


def test_every_sol_says_what_it_is_and_the_counts_match(rsm):
    """The note of each sol (the ``areo sols`` table's last column) against the plan
    itself: science exactly where a campaign task ran, contingency with its reason where
    the planner declared one, margin otherwise; the summary's counts equal the notes'."""
    notes = rsm.sol_notes()
    assert len(notes) == len(rsm.sols) and all(notes)
    s = rsm.summary
    for p, note in zip(rsm.sols, notes, strict=True):
        ran_task = any(a.phase not in (None, "", "relay") for a in p.activities)
        if p.contingency:
            assert note.startswith(f"contingency: {p.contingency}")
        elif ran_task:
            assert note.startswith("science")
        else:
            assert note.startswith("margin")
            if p.sol > s["last_science_sol"]:
                assert "science done" in note
    assert sum("relaxed" in n for n in notes) == s["relaxed_target_sols"]
    assert sum(n.startswith("contingency") for n in notes) == s["contingency_sols"]
    assert max(p.sol for p, n in zip(rsm.sols, notes, strict=True)
               if n.startswith("science")) == s["last_science_sol"]


def test_the_sol_figure_has_its_legends(rsm, tmp_path):
    """``areo sols --plot-sol``'s figure names each activity category present, the night
    shading and the SOC, floor and array curves."""
    from areo.surface.categories import activity_category
    from areo.surface.plots import sol_figure

    plan = next(p for p in rsm.sols if len({a.name for a in p.activities}) >= 3)
    fig = sol_figure(plan, rsm.rover, tmp_path / "sol.png")
    ax_a, ax_s = fig.axes[0], fig.axes[1]
    names = {t.get_text() for t in ax_a.get_legend().get_texts()}
    assert names == {activity_category(a.name) for a in plan.activities} | {"Sun down"}
    assert {t.get_text() for t in ax_s.get_legend().get_texts()} == {"SOC", "floor", "array"}
    assert (tmp_path / "sol.png").stat().st_size > 10_000


def test_night_work_while_the_battery_spills_is_forced_and_says_why(rsm):
    """Issue 19: no plan runs powered work on the battery at night while the array spills
    into a full battery by day unless forced, and then its note says why. Independently of
    the planner: night is the Sun below the horizon (DE440 geometry at the site, sampled
    through every activity), the battery's fill comes from the minute-by-minute
    re-integration of each sol, and the reason's claim (daylight alone returns less data
    this sol) is checked by a brute force over every daylight start of the night work and
    every choice of daylight passes (tests/surface/helpers.py)."""
    r, notes = rsm.rover, rsm.sol_notes()
    hours, sols, owner = [], [], []
    for p in rsm.sols:
        for a in p.activities:
            if a.phase == "relay":  # a relay session's time is the orbiter pass's
                continue
            hours.append(np.linspace(a.start_lmst_h, a.end_lmst_h, 10)[1:-1])
            sols.append(np.full(8, p.sol))
            owner.append((p.sol, a.label))
    el = np.asarray(solar_elevation(rsm.site, rsm.clock.time_of(np.concatenate(sols),
                                                                np.concatenate(hours))))
    dark = {owner[i][0] for i in np.flatnonzero(el.reshape(-1, 8).min(axis=1) < 0.0)}
    full = {p.sol for p in rsm.sols if reintegrate(r, p)[1].max() >= 1.0 - 1e-3}
    forced = {p.sol for p in rsm.sols if p.night_work}
    assert dark & full <= forced, f"night work while full by day, unexplained: {dark & full}"
    assert len(forced) == rsm.summary["night_work_forced_sols"] <= 10
    assert {d["sol"]: d["reason"] for d in rsm.summary["night_work_forced"]} == {
        p.sol: p.night_work for p in rsm.sols if p.night_work}
    tasks = {t.id: t for t in rsm.tasks}
    for p in rsm.sols:
        if p.sol not in forced:
            continue
        assert p.night_work in notes[p.sol] and p.sol in full
        # the planner's night holds the Sun's: it is down or at most rising/setting there
        rise, sset = p.inputs.daylight_lmst_h
        edge = solar_elevation(rsm.site, rsm.clock.time_of(p.sol, np.array([rise, sset])))
        assert np.all(np.asarray(edge) > -1.0), (p.sol, edge)
        m = re.search(r"([\d.]+) Mbit of its ([\d.]+) would be returned", p.night_work)
        assert m, p.night_work
        claimed, returned = float(m[1]), float(m[2])
        assert returned == pytest.approx(p.data_returned_mbit, abs=0.06)
        assert claimed < returned
        # (the brute force integrates minute by minute where the planner's slots are
        # conservative: it may find a little more than the claimed daylight figure, but
        # never what the night work returns)
        best = best_daylight_return(r, p, tasks)
        assert best < returned - 0.05, (p.sol, best, returned)
