"""CLI contract for orbit, propagate and groundtrack: keys, exit codes, files."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run


def test_orbit_catalog_mex_prints_period(capsys):
    code, out, err = run(capsys, "orbit", "--orbit", "mex")
    assert code == 0 and err == ""
    assert "6.725 h" in out


def test_orbit_json_keys(capsys, orbit_json_keys):
    code, out, _ = run(capsys, "orbit", "--peri-alt", "298", "--apo-alt", "10107", "--inc",
                       "86.3", "--raan", "10", "--argp", "20", "--epoch", "2004-01-28",
                       "--json")
    d = json.loads(out)
    assert code == 0 and orbit_json_keys <= set(d)
    assert d["period_s"] / 3600 == pytest.approx(6.725, abs=5e-4)
    code, out, _ = run(capsys, "orbit", "--orbit", "tgo", "--json")
    d = json.loads(out)
    assert d["inc_deg"] == 74.0 and d["orbits_per_sol"] == pytest.approx(12.5, abs=0.01)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("orbit", "--peri-alt", "-20", "--inc", "10"), "below the surface"),
        (("orbit", "--peri-alt", "300", "--inc", "200"), "[0, 180]"),
        (("orbit", "--orbit", "voyager"), "not in the catalog"),
        (("orbit", "--inc", "10"), "--peri-alt"),
        (("propagate", "--orbit", "tgo", "--from", "2018-04-21", "--to",
          "2018-04-21T01:00", "--step", "-60"), "must be positive"),
        (("propagate", "--orbit", "tgo", "--from", "2018-04-21", "--to",
          "2018-04-21T01:00", "--step", "60", "--model", "sgp4"), "unknown"),
    ],
)
def test_bad_input_exit_2(capsys, args, needle):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_propagate_json_and_csv(capsys, tmp_path):
    code, out, _ = run(capsys, "propagate", "--orbit", "tgo", "--from", "2018-04-21",
                       "--to", "2018-04-21T00:10", "--step", "60", "--model", "j2mean",
                       "--json")
    d = json.loads(out)
    assert code == 0 and len(d["states"]) == 11 and d["model"] == "j2mean"
    assert {"utc", "x_km", "vz_kms"} <= set(d["states"][0])
    csv = tmp_path / "tgo.csv"
    code, out, _ = run(capsys, "propagate", "--orbit", "tgo", "--from", "2018-04-21",
                       "--to", "2018-04-21T00:10", "--step", "60", "--csv", str(csv))
    assert code == 0 and csv.exists() and len(csv.read_text().splitlines()) >= 11


def test_propagate_oem_when_io_present(capsys, tmp_path):
    pytest.importorskip("areo.io.oem")
    oem = tmp_path / "tgo.oem"
    code, _, err = run(capsys, "propagate", "--orbit", "tgo", "--from", "2018-04-21",
                       "--to", "2018-04-21T00:10", "--step", "60", "--oem", str(oem))
    assert code == 0, err
    assert "CCSDS_OEM_VERS" in oem.read_text()


def test_groundtrack_plot_and_json(capsys, tmp_path):
    png = tmp_path / "gt.png"
    code, out, _ = run(capsys, "groundtrack", "--orbit", "tgo", "--step", "120", "--plot",
                       str(png))
    assert code == 0 and png.stat().st_size > 10_000
    code, out, _ = run(capsys, "groundtrack", "--orbit", "mex", "--to",
                       "2004-01-28T01:00", "--step", "600", "--json")
    rows = json.loads(out)["rows"]
    assert code == 0 and len(rows) == 7 and {"lat_deg", "lon_east_deg"} <= set(rows[0])
