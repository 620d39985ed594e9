"""The mission's ``return`` step (issue 15) on examples/mars-sample-return.toml: the summary
against independent figures (entry speed by vis-viva from the arrival v-infinity, the legs
as Lambert arcs from SPICE's DE440 states Kepler-propagated to their planets, the launch
azimuths by spherical trigonometry, the phasing wait by the analytic phase condition), the
products and the report's sections; bad [return] input."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from areo.mission import run_mission
from areo.mission.scenario import ScenarioError, parse_scenario
from areo.report import mission_page
from areo.time import Time
from tests.mission.helpers import EXAMPLES, cli
from tests.transfer._legs import check_leg

# Earth GM (DE440, Park et al. 2021) and equatorial radius (WGS84); Mars GM (DE440).
GM_EARTH = 398600.435436  # km^3/s^2
R_EARTH = 6378.137  # km
GM_MARS = 42828.375815756102  # km^3/s^2
R_MARS = 3396.19  # km, IAU 2015


@pytest.fixture(scope="module")
def msr(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("msr")
    res = run_mission(EXAMPLES / "mars-sample-return.toml", tmp / "out", cache_dir=tmp / "c",
                      pages=[mission_page])
    return res, tmp / "out"


def test_the_example_writes_its_report_and_tables(msr):
    _res, out = msr
    s = json.loads((out / "summary.json").read_text())
    ret = s["return"]
    assert set(ret) >= {"round_trip", "search", "ascent", "rendezvous", "earth_entry"}
    trips = pd.read_parquet(out / "return_trips.parquet")
    assert len(trips) == ret["search"]["trips_found"] >= 1
    t = ret["round_trip"]
    assert trips["total_dv_kms"][0] == pytest.approx(t["total_dv_kms"], rel=1e-12)
    assert str(trips["launch_utc"].dtype) == "datetime64[ns, UTC]"
    opp = pd.read_parquet(out / "ascent_opportunities.parquet")
    assert len(opp) == ret["ascent"]["n_opportunities"]
    html = (out / "report.html").read_text()
    for text in ("Sample return: the return orbiter", "Sample return: ascent and rendezvous",
                 "Sample return: Earth entry", "Round trips", "Ascent opportunities",
                 "Earth return and entry", "return_trips.csv"):
        assert text in html, text
    # the chosen trip's entry speed sits at the scenario's cap (an entry within 0.01 km/s of
    # it): the summary and the report's warnings say so
    cap = ret["earth_entry"]["max_entry_speed_kms"]
    at_cap = t["return"]["entry_speed_kms"] > cap - 0.01
    assert (f"entry-speed cap ({cap} km/s)" in t["at_limits"]) == at_cap
    assert ("The return round trip sits at a search limit" in html) == bool(t["at_limits"])
    # the orbiter is at Mars over the ascent, and the plan matches the published profiles
    # as plausibility: Tianwen-3 launches in late 2028 and returns in 2031 (Xinhua, 2024)
    h0, h1 = (float(Time(x).et) for x in ret["search"]["at_mars"])
    assert float(Time(t["outbound"]["arrive_utc"]).et) <= h0
    assert float(Time(t["return"]["depart_utc"]).et) >= h1
    assert h0 == pytest.approx(float(Time(s["landing"]["utc"]).et), abs=1.0)
    assert t["outbound"]["launch_utc"][:4] == "2028" and t["return"]["arrive_utc"][:4] == "2031"
    assert t["class"] == "conjunction"


def test_entry_speed_is_vis_viva_from_the_arrival_v_infinity(msr):
    ent = json.loads((msr[1] / "summary.json").read_text())["return"]["earth_entry"]
    v = ent["vinf_kms"]
    ref = math.sqrt(v * v + 2.0 * GM_EARTH / (R_EARTH + 125.0))
    assert ent["entry_speed_kms"] == pytest.approx(ref, rel=1e-6)
    assert ent["entry_speed_kms"] <= ent["max_entry_speed_kms"] and ent["site_reachable"]


def test_departure_plane_against_the_aligned_vis_viva_burn(msr):
    """From a plane holding the asymptote the departure is the coplanar burn from the
    circular orbit, sqrt(v_inf^2 + 2 mu / r) - sqrt(mu / r); the drifted plane costs more."""
    ret = json.loads((msr[1] / "summary.json").read_text())["return"]
    dp, v = ret["departure_plane"], ret["round_trip"]["return"]["vinf_depart_kms"]
    r = R_MARS + ret["orbiter_orbit"]["periapsis_alt_km"]
    ref = math.sqrt(v * v + 2 * GM_MARS / r) - math.sqrt(GM_MARS / r)
    assert dp["mars_dv_aligned_kms"] == pytest.approx(ref, rel=1e-6)
    assert dp["mars_dv_kms"] >= dp["mars_dv_aligned_kms"] - 1e-12
    assert dp["mars_dv_kms"] == ret["round_trip"]["return"]["mars_dv_kms"]
    # per departure day: the aligned delta-v is that burn for the day's best return, the
    # node regresses at the orbit's J2 rate, and the penalty is never negative
    al = pd.read_parquet(msr[1] / "return_alignment.parquet").dropna()
    assert len(al) == dp["window"]["days_feasible"] > 5
    assert (al["plane_penalty_kms"] >= -1e-12).all()
    assert al["plane_penalty_kms"].max() == pytest.approx(dp["window"]["max_penalty_kms"])
    # the secular J2 regression of a circular orbit, -3/2 n J2 (R/a)^2 cos i (Vallado eq.
    # 9-41), with the NSSDC J2 = 1960.45e-6 at R = 3396.19 km
    a = R_MARS + ret["orbiter_orbit"]["periapsis_alt_km"]
    rate = math.degrees(-1.5 * math.sqrt(GM_MARS / a**3) * 1960.45e-6 * (R_MARS / a) ** 2
                        * math.cos(math.radians(ret["orbiter_orbit"]["inclination_deg"])))
    rate *= 86400.0
    assert ret["orbiter_orbit"]["raan_rate_deg_per_day"] == pytest.approx(rate, rel=1e-3)
    days = (al["depart_utc"] - al["depart_utc"].iloc[0]).dt.total_seconds() / 86400.0
    drift = (al["raan_deg"] - al["raan_deg"].iloc[0] - rate * days + 180.0) % 360.0 - 180.0
    assert np.abs(drift).max() < 0.05  # deg, over the window's ~80 days


def test_legs_reach_their_planets_from_spice_states(msr, spice):
    """Each leg, a Lambert arc between SPICE's DE440 states at the summary's dates (UTC to
    the second), Kepler-propagated about the Sun, ends within 1 km of its planet with the
    summary's excess speeds."""
    t = json.loads((msr[1] / "summary.json").read_text())["return"]["round_trip"]
    o, r = t["outbound"], t["return"]
    for bodies, (u1, u2), vinf in (
        (("399", "4"), (o["launch_utc"], o["arrive_utc"]),
         (math.sqrt(o["c3_km2s2"]), o["vinf_arrive_kms"])),
        (("4", "399"), (r["depart_utc"], r["arrive_utc"]),
         (r["vinf_depart_kms"], r["vinf_arrive_kms"])),
    ):
        ets = tuple(spice.str2et(u.replace("Z", "")) for u in (u1, u2))
        check_leg(spice, bodies, ets, vinf, rel=1e-6)


def test_ascent_and_rendezvous_against_closed_forms(msr):
    ret = json.loads((msr[1] / "summary.json").read_text())["return"]
    asc, rv = ret["ascent"], ret["rendezvous"]
    lat = math.radians(asc["site_lat_deg"])
    inc = math.radians(asc["container_inc_deg"])
    # sin(Az) = cos(i) / cos(lat): northbound Az, southbound 180 - Az
    az = math.degrees(math.asin(math.cos(inc) / math.cos(lat)))
    for x in asc["opportunities"]:
        want = az if x["direction"] == "northbound" else 180.0 - az
        assert x["azimuth_deg"] == pytest.approx(want, abs=0.1)
    # the plane sweeps over the site twice a sol, a little more often as the node regresses
    # against the rotation: 3 days hold ~5.8 passes
    assert 5 <= asc["n_opportunities"] <= 7
    # Hohmann phasing: after the wait the container leads by pi - n_target t_H
    r1, r2 = R_MARS + rv["orbiter_alt_km"], R_MARS + rv["container_alt_km"]
    n1, n2 = math.sqrt(GM_MARS / r1**3), math.sqrt(GM_MARS / r2**3)
    t_h = math.pi * math.sqrt(((r1 + r2) / 2.0) ** 3 / GM_MARS)
    assert rv["transfer_s"] == pytest.approx(t_h, rel=1e-6)
    lead = math.radians(rv["phase_deg"]) + (n2 - n1) * rv["wait_s"]
    miss = (lead - (math.pi - n2 * t_h) + math.pi) % (2 * math.pi) - math.pi
    assert abs(miss) < 1e-6
    v_t = math.sqrt(GM_MARS * (2 / r1 - 2 / (r1 + r2)))  # vis-viva on the transfer ellipse
    dv = abs(math.sqrt(GM_MARS / r1) - v_t) + abs(
        math.sqrt(GM_MARS / r2) - math.sqrt(GM_MARS * (2 / r2 - 2 / (r1 + r2))))
    assert rv["dv_kms"] == pytest.approx(dv, rel=1e-9)
    # the plane change: the nodes, equal at the ascent's start, regress at the secular J2
    # rates -3/2 n J2 (R/a)^2 cos i (Vallado eq. 9-41, NSSDC J2) until the meeting; the
    # angle between the planes by spherical trigonometry, 2 v sin(theta/2) at the higher orbit
    def rate(r, inc_deg):
        return math.degrees(-1.5 * math.sqrt(GM_MARS / r**3) * 1960.45e-6 * (R_MARS / r) ** 2
                            * math.cos(math.radians(inc_deg))) * 86400.0

    i_o, i_c = ret["orbiter_orbit"]["inclination_deg"], asc["container_inc_deg"]
    days = (float(Time(rv["meet_utc"]).et) - float(Time(asc["from_utc"]).et)) / 86400.0
    d_node = (rate(r2, i_c) - rate(r1, i_o)) * days
    assert rv["node_drift_deg"] == pytest.approx(d_node, rel=2e-3)
    io, ic = math.radians(i_o), math.radians(i_c)
    theta = math.acos(math.cos(io) * math.cos(ic)
                      + math.sin(io) * math.sin(ic) * math.cos(math.radians(d_node)))
    assert rv["plane_change_deg"] == pytest.approx(math.degrees(theta), rel=2e-3)
    assert rv["plane_change_dv_kms"] == pytest.approx(
        2 * math.sqrt(GM_MARS / max(r1, r2)) * math.sin(theta / 2), rel=2e-3)
    launch = float(Time(rv["container_launch_utc"]).et)
    assert launch == pytest.approx(float(Time(asc["opportunities"][0]["utc"]).et), abs=1e-3)
    assert float(Time(rv["meet_utc"]).et) - launch == pytest.approx(rv["total_s"], abs=1e-3)
    assert asc["budget"]["total_dv_kms"] > asc["budget"]["ideal_dv_kms"] > 3.0


def _return_text(**fields) -> dict:
    import tomllib

    doc = tomllib.loads((EXAMPLES / "mars-sample-return.toml").read_text())
    doc["return"].update(fields)
    return doc


@pytest.mark.parametrize("fields, match", [
    ({"min_stay_days": 900.0}, r"return\.max_stay_days.*swap"),
    ({"ascent_site": "uttr"}, r"return\.ascent_site.*not mars"),
    ({"earth_site": "jezero"}, r"return\.earth_site.*not earth"),
    ({"nonsense": 1}, r"return\.nonsense.*not a scenario field"),
])
def test_bad_return_input_names_the_field(fields, match):
    with pytest.raises(ScenarioError, match=match):
        parse_scenario(_return_text(**fields))


@pytest.mark.parametrize("old, new, says", [
    # a container inclination whose plane never passes over Jezero: the ones that can
    ("container_alt_km = 343.0", "container_alt_km = 343.0\ncontainer_inc_deg = 10.0",
     "18.44 and 161.56"),
    # an entry cap below every return: the lowest reachable entry speed
    ("max_entry_speed_kms = 12.0", "max_entry_speed_kms = 11.1",
     "the lowest return entry speed is 11."),
])
def test_unreachable_return_is_one_line_exit_2(tmp_path, capsys, old, new, says):
    text = (EXAMPLES / "mars-sample-return.toml").read_text()
    assert old in text
    path = tmp_path / "s.toml"
    path.write_text(text.replace(old, new))
    code, _out, err = cli(capsys, "mission", path, "--out", tmp_path / "o")
    assert code == 2
    lines = [x for x in err.strip().splitlines() if x.startswith("areo: error")]
    assert len(lines) == 1 and says in lines[0] and "'return'" in lines[0]


def test_the_step_result_round_trips_through_the_cache(msr, tmp_path, capsys, monkeypatch):
    """``areo mission`` on the example, from the first run's step cache: the report, the
    return row, and the return step reused with the same summary."""
    res, _out = msr
    monkeypatch.setenv("AREO_CACHE_DIR", str(res.out_dir.parent / "c"))
    code, out, err = cli(capsys, "mission", EXAMPLES / "mars-sample-return.toml", "--out",
                         tmp_path / "o")
    assert code == 0, err
    assert (tmp_path / "o" / "report.html").is_file() and "Report:" in out
    row = [x for x in out.splitlines() if "orbiter launch" in x]
    assert row and res.summary["return"]["round_trip"]["outbound"]["launch_utc"][:10] in row[0]
    assert "return" in err.split("Reused cached results for:")[1].splitlines()[0]
    again = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert again["return"] == res.summary["return"]


def test_a_dumped_scenario_reads_back_and_errors_name_the_section():
    """A sweep's base document is the scenario dumped by field name ('sample_return'): it
    reads back to the same scenario; messages list the TOML name 'return'."""
    sc = parse_scenario(_return_text())
    again = parse_scenario(sc.model_dump(mode="json"))
    assert again.sample_return == sc.sample_return is not None
    with pytest.raises(ScenarioError, match=r"allowed: .*edl, return, stations"):
        parse_scenario({**_return_text(), "bogus": 1})
