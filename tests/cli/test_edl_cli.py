"""``areo edl``: the JSON contract and one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run


def test_monte_carlo_json_keys(capsys, tmp_path):
    plot = tmp_path / "ellipse.html"
    code, out, err = run(capsys, "edl", "--vehicle", "mer", "--entry", "2004-01-04T04:29Z",
                         "--runs", "60", "--seed", "3", "--json", "--plot", str(plot))
    assert code == 0, err
    d = json.loads(out)
    assert set(d["ellipse"]) >= {"major_km", "minor_km", "azimuth_deg", "center_lat_deg",
                                 "center_lon_east_deg"}
    assert {"name", "distance_m", "bearing_deg"} <= set(d["hardware"][0])
    for k in ("peak_g", "chute_mach", "runs", "seconds"):
        assert k in d
    assert d["runs"] == 60 and plot.stat().st_size > 1000
    # the same seed, the same runs
    code, out2, _ = run(capsys, "edl", "--vehicle", "mer", "--entry", "2004-01-04T04:29Z",
                        "--runs", "60", "--seed", "3", "--json")
    assert json.loads(out2)["ellipse"] == d["ellipse"]


def test_from_transfer_and_table(capsys):
    code, out, err = run(capsys, "edl", "--vehicle", "m2020", "--site", "jezero",
                         "--from-transfer", "2020-07-30T11:50Z,2021-02-18T20:40Z",
                         "--runs", "30")
    assert code == 0, err
    assert "ellipse" in out and "LMST" in out


def test_replay_json_keys(capsys):
    code, out, err = run(capsys, "edl", "--replay", "schiaparelli", "--json")
    assert code == 0, err
    d = json.loads(out)
    for k in ("impact_speed_ms", "impact_utc", "impact_lat_deg", "impact_lon_east_deg",
              "events", "nominal"):
        assert k in d
    assert {"name", "utc", "altitude_m", "speed_ms"} <= set(d["events"][0])
    assert set(d["nominal"]) >= {"impact_speed_ms", "impact_utc", "impact_lat_deg",
                                 "impact_lon_east_deg", "events"}


@pytest.mark.parametrize("args,words", [
    (("--vehicle", "apollo", "--entry", "2021-02-18T20:36Z"), "vehicle"),
    (("--vehicle", "m2020", "--site", "atlantis", "--entry", "2021-02-18T20:36Z"), "site"),
    (("--vehicle", "m2020", "--entry", "2021-02-18T20:36Z", "--runs", "0"), "--runs"),
    (("--vehicle", "m2020", "--entry", "2021-02-18T20:36Z", "--runs", "99999999"), "--runs"),
    (("--vehicle", "m2020"), "--entry"),
    (("--vehicle", "m2020", "--entry", "2021-02-18T20:36Z", "--from-transfer", "a,b"),
     "exactly one"),
    (("--vehicle", "m2020", "--from-transfer", "2020-07-30"), "LAUNCH,ARRIVE"),
    (("--vehicle", "phoenix", "--entry", "2008-05-25T23:30Z", "--fpa", "-3"), "skips out"),
    (("--vehicle", "m2020", "--entry", "2021-02-18T20:36Z", "--fpa", "10"), "fpa_deg"),
    (("--replay", "beagle2"), "replay"),
    (("--vehicle", "mer", "--entry", "2004-01-04T04:29Z", "--plot", "x.txt"), "--plot"),
    (("--vehicle", "mer", "--entry", "not a date"), "not a date"),
])
def test_bad_input_one_line_exit_2(capsys, args, words):
    code, out, err = run(capsys, "edl", *args)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and words.lower() in err.lower(), err


def test_a_trigger_the_nominal_never_reaches(capsys, tmp_path):
    """A parachute trigger at Mach 0.1 is never reached before the ground: one line, exit 2,
    naming the event and the trigger."""
    from areo.edl import monte_carlo
    from areo.edl.entry import entry_from_site
    from areo.edl.replay import Fault
    from areo.errors import AreoInputError

    e = entry_from_site("mer", None, "2004-01-04T04:29Z")
    from dataclasses import replace

    ev = Fault("trigger", event="parachute", trigger="mach_below", value=0.1).apply(
        e.vehicle.events)
    bad = replace(e, vehicle=replace(e.vehicle, events=ev))
    with pytest.raises(AreoInputError, match="never reaches event 'parachute'"):
        monte_carlo(bad, runs=10)
