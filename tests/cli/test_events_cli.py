"""CLI contract of `areo passes` and `areo events`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from areo.events.sources import OrbitTrajectory, orbiter
from areo.orbits import Orbit
from areo.time import Time
from tests.helpers import run

PASS_KEYS = {"aos", "los", "tmax", "max_elev_deg", "min_range_km", "duration_s"}


def test_passes_json_contract_and_plot(capsys, tmp_path):
    plot = tmp_path / "gantt.png"
    code, out, err = run(capsys, "passes", "--orbiter", "tgo", "--site", "jezero", "--from",
                         "2021-02-19", "--to", "2021-02-22", "--json", "--plot", str(plot))
    assert code == 0 and "representative phasing" in err
    rows = json.loads(out)
    assert len(rows) >= 4 and all(PASS_KEYS <= set(r) for r in rows)
    for r in rows:
        assert Time(r["aos"]) <= Time(r["tmax"]) <= Time(r["los"])
        assert r["max_elev_deg"] >= 10.0 and r["duration_s"] > 0
    assert plot.stat().st_size > 10_000


def test_passes_at_coordinates_table(capsys):
    code, out, _ = run(capsys, "passes", "--orbiter", "mex", "--site-lat", "18.4447",
                       "--site-lon-east", "77.4508", "--from", "2021-02-19", "--to",
                       "2021-02-20")
    assert code == 0 and "Passes above 10 deg" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("passes", "--site", "jezero", "--from", "2021-02-19", "--to", "2021-02-20"),
         "--orbiter"),
        (("passes", "--orbiter", "voyager", "--site", "jezero", "--from", "2021-02-19",
          "--to", "2021-02-20"), "not in the catalog"),
        (("passes", "--orbiter", "tgo", "--site", "jezero", "--from", "2021-02-20", "--to",
          "2021-02-19"), "empty or inverted"),
        (("passes", "--orbiter", "tgo", "--site", "jezero", "--min-elev", "95", "--from",
          "2021-02-19", "--to", "2021-02-20"), "90"),
        (("events", "meteor", "--orbiter", "tgo", "--from", "2021-02-19", "--to",
          "2021-02-20"), "unknown"),
        (("events", "sun", "--from", "2021-02-19", "--to", "2021-02-20"), "--site"),
    ],
)
def test_bad_input(capsys, args, fragment):
    code, _, err = run(capsys, *args)
    assert code == 2 and err.strip().splitlines()[-1].startswith("areo: error:")
    assert fragment in err.strip().splitlines()[-1]


@pytest.mark.parametrize("kind", ["sun", "eclipse", "earth-occultation", "solar-occultation",
                                  "imaging"])
def test_event_kinds_run(capsys, kind):
    # the catalog TGO's beta angle leaves it in sunlight on 02-19: eclipses start on 02-20
    stop = "2021-02-21" if kind == "eclipse" else "2021-02-19T12:00"
    args = ["events", kind, "--from", "2021-02-19", "--to", stop, "--json"]
    args += ["--site", "jezero"] if kind in ("sun", "imaging") else []
    args += [] if kind == "sun" else ["--orbiter", "tgo"]
    if kind == "imaging":
        args += ["--max-off-nadir", "30", "--max-incidence", "89"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list)
    if kind in ("sun", "eclipse", "earth-occultation", "solar-occultation"):
        assert rows, kind


def test_orbiter_adapter_matches_orbit_propagation():
    tgo = orbiter("tgo")
    assert isinstance(tgo, OrbitTrajectory)
    t = Time.linspace("2021-02-19", "2021-02-20", 7)
    ref = Orbit.from_catalog("tgo").propagate(t, model="j2mean").states
    np.testing.assert_array_equal(tgo.state(t), ref)


def test_passes_from_an_oem_file_match_the_orbit(capsys, tmp_path):
    """An OEM written from the catalog TGO (J2 mean, 30 s) and read back through the CLI
    gives the same passes as the orbit itself, to the interpolation error (< 10 ms)."""
    from areo.io.oem import write_oem

    t = Time.arange("2021-02-18T23:00", "2021-02-21T01:00", 30.0)
    states = Orbit.from_catalog("tgo").propagate(t, model="j2mean").states
    path = tmp_path / "tgo.oem"
    write_oem(path, t, states, object_name="TGO", object_id="2016-017A",
              comments=["catalog orbit, representative phasing"])
    args = ["passes", "--site", "jezero", "--from", "2021-02-19", "--to", "2021-02-21",
            "--json"]
    _, direct, _ = run(capsys, *args, "--orbiter", "tgo")
    code, via_oem, err = run(capsys, *args, "--orbiter-oem", str(path))
    assert code == 0, err
    a, b = json.loads(direct), json.loads(via_oem)
    assert len(a) == len(b) > 3 and b[0]["orbiter"] == "TGO"
    for x, y in zip(a, b, strict=True):
        assert abs(float(Time(x["aos"]).et - Time(y["aos"]).et)) < 0.01
        assert abs(x["max_elev_deg"] - y["max_elev_deg"]) < 1e-3


def test_json_outputs_say_when_the_span_cuts_a_result(capsys):
    """`--json` of passes, events sun and conjunctions carry clipped_start / clipped_end
    (booleans) on every row; a cut daylight window has null sunrise/sunset and null LTST
    of it. The truth of the flags is tested against SPICE in tests/events, tests/ephem."""
    code, out, _ = run(capsys, "passes", "--orbiter", "tgo", "--site", "jezero", "--from",
                       "2021-02-19", "--to", "2021-02-20", "--json")
    rows = json.loads(out)
    assert code == 0 and rows
    assert all(isinstance(r["clipped_start"], bool) and isinstance(r["clipped_end"], bool)
               for r in rows)
    # The Sun stands ~74 deg (2021-02-19 18:00 UTC) and ~66 deg (2021-02-21 18:00) above
    # Jezero: both edges fall in daylight.
    code, out, _ = run(capsys, "events", "sun", "--site", "jezero", "--from",
                       "2021-02-19T18:00", "--to", "2021-02-21T18:00", "--json")
    days = json.loads(out)
    assert code == 0 and len(days) >= 2
    assert days[0]["clipped_start"] is True and days[0]["sunrise"] is None
    assert days[0]["sunrise_ltst_hours"] is None and days[0]["sunset_ltst_hours"] is not None
    assert days[-1]["clipped_end"] is True and days[-1]["sunset"] is None
    assert days[-1]["sunset_ltst_hours"] is None
    assert not any(d["clipped_start"] or d["clipped_end"] for d in days[1:-1])
    code, out, _ = run(capsys, "conjunctions", "--from", "2021-10-05", "--to", "2021-11-01",
                       "--json")
    conj = json.loads(out)
    assert code == 0 and len(conj) == 1
    assert conj[0]["clipped_start"] is True and conj[0]["clipped_end"] is False
