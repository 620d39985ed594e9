"""The mission's ``trajectory`` step (``transfer.model = "dsm"``): the flown trajectory
sets the launch, the arrival and the landing; its constraints are reported line by line;
the report flags span edges, missed constraints and a landing in the dark."""

from __future__ import annotations

import json
import re

import pytest

from areo.constants import LMST_HOUR_S
from areo.mission import run_mission
from areo.report import mission_page
from areo.time import Time, mars_time
from tests.mission.helpers import ballistic_exomars_text, short_exomars_text

# The example's DSM problem with a two-day launch period and an arrival v-infinity cap.
_DSM = {
    "period_days = 0 ": "period_days = 2 ",
    "seed = 0 ": "seed = 3 ",
    "ls_deg = [0.0, 66.0]": "ls_deg = [0.0, 66.0]\nmax_vinf_kms = 4.0",
}


@pytest.fixture(scope="module")
def dsm_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("dsm")
    path = root / "dsm.toml"
    path.write_text(short_exomars_text(_DSM))
    res = run_mission(path, root / "out", cache_dir=root / "cache", pages=[mission_page])
    return root, res


def test_the_flown_trajectory_sets_launch_arrival_and_landing(dsm_run):
    _, res = dsm_run
    s = res.summary
    traj = s["transfer"]["trajectory"]
    assert traj["model"] == "dsm" and traj["sequence"] == ["earth", "mars"]
    assert s["launch"]["utc"] == traj["legs"][0]["depart_utc"]
    assert s["arrival"]["utc"] == traj["legs"][-1]["arrive_utc"]
    # the DSM's cost is the trajectory's delta-v after launch (one leg, one manoeuvre)
    assert traj["total_dv_kms"] == pytest.approx(traj["legs"][0]["dsm_dv_kms"], rel=1e-12)
    # C3 is the square of the launch v-infinity the summary derives from it
    assert s["launch"]["c3_km2s2"] == pytest.approx(s["launch"]["vinf_kms"] ** 2, rel=1e-12)
    # the planned landing: within half a sol of the arrival, at the approach geometry's
    # local time as areo.time's Mars24 clock reads it at the site
    planned, arrival = Time(traj["planned_landing_utc"]), Time(s["arrival"]["utc"])
    assert abs(float(planned.et - arrival.et)) <= 12.0 * LMST_HOUR_S + 1.0
    lmst = float(mars_time(planned, s["landing"]["site"]["lon_east_deg"]).lmst_hours)
    assert lmst == pytest.approx(s["arrival"]["landing_lmst_h"], abs=1e-5)
    # the mission lands at the EDL's nominal touchdown, aimed at that time (B-plane)
    landing = Time(s["landing"]["utc"])
    assert abs(float(landing.et - planned.et)) < 3 * 3600.0


def test_constraints_are_reported_against_their_limits(dsm_run):
    _, res = dsm_run
    s = res.summary
    rows = {c["name"]: c for c in s["transfer"]["trajectory"]["constraints"]}
    assert set(rows) == {"launch energy C3", "arrival date", "arrival v-infinity (entry system)",
                         "season at arrival (Ls)", "local mean solar time at landing",
                         "approach reaches the site's latitude"}
    missed = s["transfer"]["trajectory"]["constraints_violated"]
    # a line is met exactly when its value is inside its limit
    c3, vinf = s["launch"]["c3_km2s2"], s["arrival"]["vinf_kms"]
    assert rows["launch energy C3"]["met"] == (c3 <= 20.0 + 1e-6) == ("max_c3" not in missed)
    assert rows["arrival v-infinity (entry system)"]["met"] == (vinf <= 4.0 + 1e-9)
    ls, lmst = s["arrival"]["ls_deg"], s["landing"]["lmst_hours"]
    assert rows["season at arrival (Ls)"]["met"] == (0.0 <= ls <= 66.0 + 1e-6)
    assert rows["local mean solar time at landing"]["met"] == (12.0 - 1e-6 <= lmst <= 17.0 + 1e-6)
    period = s["transfer"]["trajectory"]["launch_period"]
    assert period["days"] == 3  # both ends of a two-day period


def test_the_report_shows_the_trajectory_and_its_checks(dsm_run):
    root, _ = dsm_run
    html = (root / "out" / "report.html").read_text(encoding="utf-8")
    sections = re.findall(r'<section id="([^"]+)"', html)
    assert sections[:4] == ["figures", "porkchop", "trajectory", "launch-period"]
    assert "<caption>Constraints" in html and "<caption>Trajectory" in html
    saved = json.loads((root / "out" / "summary.json").read_text())
    for edge in saved["transfer"]["trajectory"]["at_edge"]:
        assert f"{edge} is on the edge of its search span" in html


def test_a_ballistic_landing_in_the_dark_and_on_a_span_edge_is_flagged(tmp_path):
    """The ballistic arc lands at its arrival epoch: the report says when that is at night
    and when the chosen arc sits on the end of a span (here the arrival span's end)."""
    path = tmp_path / "ballistic.toml"
    path.write_text(ballistic_exomars_text({"sols = 20 ": "sols = 2 "}))
    res = run_mission(path, tmp_path / "out", cache_dir=tmp_path / "cache",
                      pages=[mission_page], partial=True)
    s = res.summary
    assert s["transfer"]["model"] == "ballistic" and "trajectory" not in s["transfer"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    lmst = float(mars_time(Time(s["landing"]["utc"]), s["landing"]["site"]["lon_east_deg"])
                 .lmst_hours)
    # the warning follows the Sun's elevation at the site; at 18 N in northern spring the
    # Sun is surely down before 05:00 and after 19:00 LMST, surely up from 08:00 to 16:00
    dark = s["landing"]["sun_elevation_deg"] < 0.0
    assert ("in the dark" in html) == dark
    if lmst < 5.0 or lmst > 19.0:
        assert dark
    if 8.0 < lmst < 16.0:
        assert not dark
    edges = s["transfer"]["at_edge"]
    latest = Time("2030-11-30").et
    assert ("arrival.latest" in edges) == (abs(float(Time(s["arrival"]["utc"]).et - latest))
                                           <= 86400.0 * 1.5)
    assert edges  # the minimum-C3 arc of these spans arrives on the span's last day
    for e in edges:
        assert f"({e})" in html


def test_a_dsm_model_needs_spans_and_its_own_objectives(tmp_path, capsys):
    from tests.mission.helpers import cli

    for swaps, words in (
            ({'objective = "dsm+vinf"': 'objective = "vinf_arrive"  #'},
             ("objective", "dsm+vinf")),
            ({"earliest = 2028-09-01\nlatest = 2028-12-31": "utc = 2028-09-29"},
             ("launch.earliest", "span"))):
        p = tmp_path / "bad.toml"
        p.write_text(short_exomars_text(swaps))
        code, _, err = cli(capsys, "mission", p, "--out", tmp_path / "o")
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert all(w in err for w in words), err
