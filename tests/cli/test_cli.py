"""The CLI contract: --json keys, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from areo.cli import main

TIME_KEYS = {
    "utc", "jd_tt", "tt_minus_utc_s", "msd", "mtc_hours", "ls_deg", "eot_deg", "lmst_hours",
    "ltst_hours", "subsolar_lon_east_deg", "solar_dec_deg", "helio_dist_au", "mars_year",
}
EPHEM_KEYS = {"utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms", "range_km",
              "light_time_s"}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


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
    code, out, err = run(capsys, *args)
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
