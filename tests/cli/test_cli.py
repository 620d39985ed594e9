"""The CLI contract: --json keys, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.helpers import run

TIME_KEYS = {
    "utc", "jd_tt", "tt_minus_utc_s", "msd", "mtc_hours", "ls_deg", "eot_deg", "lmst_hours",
    "ltst_hours", "subsolar_lon_east_deg", "solar_dec_deg", "helio_dist_au", "mars_year",
}
EPHEM_KEYS = {"utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms", "range_km",
              "light_time_s"}


def test_time_json_contract_mars24_example(capsys):
    code, out, err = run(capsys, "time", "2000-01-06T00:00:00", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert TIME_KEYS <= set(data)
    # Mars24 worked example A (NASA GISS), to the printed digits
    assert data["msd"] == pytest.approx(44795.99976, abs=6e-6)
    assert data["ls_deg"] == pytest.approx(277.18759, abs=6e-6)
    assert data["ltst_hours"] == pytest.approx(23.64840, abs=6e-6)
    assert data["tt_minus_utc_s"] == pytest.approx(64.184)
    assert data["mars_year"] == 24


def test_time_site_and_longitude_agree(capsys):
    _, a, _ = run(capsys, "time", "2021-02-18T20:55:00Z", "--site", "perseverance", "--json")
    _, b, _ = run(capsys, "time", "2021-02-18T20:55:00Z", "--lon-east", "77.4508", "--json")
    assert json.loads(a)["lmst_hours"] == json.loads(b)["lmst_hours"]
    code, out, _ = run(capsys, "time", "2021-02-18T20:55:00Z", "--site", "jezero")
    assert code == 0 and "Local true solar time" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("time", "2021-02-30"), "day 30"),
        (("time", "--lon-east", "nan"), "finite"),
        (("time", "--site", "atlantis"), "not in the catalog"),
        (("time", "--bogus"), "No such option"),
        (("time", "--site", "jezero", "--lon-east", "3"), "not both"),
    ],
)
def test_bad_input_one_line_exit_2(capsys, args, fragment):
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("areo: error:") and fragment in err
    assert "Traceback" not in err


def test_console_script_has_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-c", "from areo.cli import main; main()", "time", "not-a-time"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("areo: error: time 'not-a-time'")
    assert "Traceback" not in proc.stderr


def test_catalog_commands(capsys, tmp_path):
    code, out, _ = run(capsys, "sites", "--json")
    keys = {s["key"] for s in json.loads(out)}
    assert code == 0 and {"jezero", "oxia_planum", "gale", "insight", "zhurong"} <= keys
    user = tmp_path / "extra.toml"
    user.write_text('[stations.kiruna]\nlat_deg = 67.857\nlon_east_deg = 20.964\n')
    code, out, _ = run(capsys, "stations", "--json", "--catalog", str(user))
    assert code == 0 and "kiruna" in {s["key"] for s in json.loads(out)}
    code, _, err = run(capsys, "stations", "--catalog", str(tmp_path / "missing.toml"))
    assert code == 2 and "does not exist" in err


def test_ephem_json_against_spice(capsys, spice):
    """`areo ephem` rows against SPICE spkezr on the same DE440 (geometric states, and the
    converged receive light time of 'CN')."""
    code, out, err = run(capsys, "ephem", "mars", "--from", "2030-01-01", "--to",
                         "2030-01-03T12:00", "--step", "43200", "--center", "earth", "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == 6 and EPHEM_KEYS <= set(rows[0])
    for row in rows:
        et = spice.str2et(row["utc"][:-1])
        ref, _ = spice.spkezr("MARS BARYCENTER", et, "J2000", "NONE", "EARTH")
        _, lt = spice.spkezr("MARS BARYCENTER", et, "J2000", "CN", "EARTH")
        # the row's utc is rounded to the ms; SPICE's et differs by < 50 us (TDB model)
        mine = [row[k] for k in ("x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms")]
        np.testing.assert_allclose(mine[:3], ref[:3], atol=2e-3)
        np.testing.assert_allclose(mine[3:], ref[3:], atol=1e-9)
        assert row["range_km"] == pytest.approx(np.linalg.norm(ref[:3]), abs=2e-3)
        assert row["light_time_s"] == pytest.approx(lt, abs=1e-6)


def test_ephem_csv_and_ecliptic(capsys, spice):
    code, out, _ = run(capsys, "ephem", "earth", "--from", "2016-03-14T09:31:42", "--to",
                       "2016-03-14T09:31:42", "--step", "60", "--frame", "eclipj2000", "--csv",
                       "-")
    assert code == 0
    header, line = out.strip().splitlines()
    assert header.split(",") == ["utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms",
                                 "range_km", "light_time_s"]
    values = [float(v) for v in line.split(",")[1:4]]
    ref, _ = spice.spkezr("EARTH", spice.str2et("2016-03-14T09:31:42"), "ECLIPJ2000", "NONE",
                          "SUN")
    np.testing.assert_allclose(values, ref[:3], atol=2e-3)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("ephem", "mars", "--from", "2700-01-01", "--to", "2700-01-02", "--step", "3600"),
         "outside the span"),
        (("ephem", "vulcan", "--from", "2020-01-01", "--to", "2020-01-02", "--step", "3600"),
         "unknown"),
        (("ephem", "mars", "--from", "2020-01-02", "--to", "2020-01-01", "--step", "3600"),
         "before start"),
        (("ephem", "mars", "--from", "2020-01-01", "--to", "2020-01-02", "--step", "-5"),
         "positive"),
        (("ephem", "mars", "--from", "2020-01-01", "--to", "2030-01-02", "--step", "1"),
         "--max-rows"),
        (("ephem", "mars", "--from", "2020-01-01", "--to", "2020-01-02", "--step", "60",
          "--frame", "galactic"), "galactic"),
        (("conjunctions", "--from", "2020-01-01", "--to", "2030-01-01", "--max-sep-deg", "-1"),
         "max_sep_deg"),
    ],
)
def test_ephem_and_conjunction_bad_input(capsys, args, fragment):
    code, _out, err = run(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and fragment in err, err


def test_conjunctions_json_contract(capsys):
    """Mars solar conjunctions of 2021-10-08 and 2023-11-18 (dates as reported by NASA/JPL
    operations news); the windows below 3 deg last about two to four weeks."""
    code, out, _ = run(capsys, "conjunctions", "--from", "2021-01-01", "--to", "2024-06-01",
                       "--json")
    windows = json.loads(out)
    assert code == 0 and len(windows) == 2
    for w, day in zip(windows, ("2021-10-08", "2023-11-18"), strict=True):
        assert {"start", "end", "min_sep_deg"} <= set(w)
        assert w["start"] < day < w["end"] and 0.0 < w["min_sep_deg"] < 3.0
