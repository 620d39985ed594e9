"""CLI contract of areo transfer / porkchop / windows: --json keys, plots, exit codes."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run

TRANSFER_KEYS = {"c3_km2s2", "dla_deg", "rla_deg", "vinf_depart_kms", "vinf_arrive_kms",
                 "tof_days", "revs", "converged"}
POINT_KEYS = {"launch", "arrive", "c3_km2s2", "vinf_arrive_kms"}


def test_transfer_json_contract(capsys):
    code, out, err = run(capsys, "transfer", "--launch", "2020-07-30T11:50",
                         "--arrive", "2021-02-18T20:43", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert TRANSFER_KEYS <= set(d)
    assert d["converged"] is True and d["revs"] == 0
    assert d["c3_km2s2"] == pytest.approx(d["vinf_depart_kms"] ** 2, rel=1e-12)
    code, out, _ = run(capsys, "transfer", "--launch", "2020-07-30", "--arrive", "2021-02-18")
    assert code == 0 and "aerobraking" in out


def test_porkchop_json_and_plots(capsys, tmp_path):
    png = tmp_path / "pc.png"
    args = ["porkchop", "--launch-from", "2020-07-01", "--launch-to", "2020-08-31",
            "--arrive-from", "2021-01-01", "--arrive-to", "2021-03-31", "--step-days", "5"]
    code, out, err = run(capsys, *args, "--plot", str(png), "--json",
                         "--mark", "2020-07-30,2021-02-18,Perseverance")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert {"min_c3", "min_vinf_arrive", "grid_shape", "seconds"} <= set(d)
    assert POINT_KEYS <= set(d["min_c3"]) and POINT_KEYS <= set(d["min_vinf_arrive"])
    assert d["grid_shape"] == [13, 18]
    assert png.stat().st_size > 10_000
    html = tmp_path / "pc.html"
    code, out, _ = run(capsys, *args, "--plot", str(html))
    assert code == 0 and "min C3" in out and html.read_text()[:200].lower().count("html")


def test_windows_json(capsys):
    code, out, err = run(capsys, "windows", "--from-year", "2018", "--to-year", "2018", "--json")
    assert code == 0 and err == ""
    d = json.loads(out)
    assert len(d["windows"]) == 1
    assert {"launch", "arrive", "c3_km2s2", "vinf_arrive_kms"} <= set(d["windows"][0])


@pytest.mark.parametrize("args", [
    ["transfer", "--launch", "2021-03-01", "--arrive", "2020-08-01"],
    ["transfer", "--launch", "1200-01-01", "--arrive", "1200-08-01"],
    ["porkchop", "--launch-from", "2020-01-01", "--launch-to", "2030-01-01", "--arrive-from",
     "2020-06-01", "--arrive-to", "2032-01-01", "--step-days", "0.001"],
    ["porkchop", "--launch-from", "2021-01-01", "--launch-to", "2021-02-01", "--arrive-from",
     "2020-01-01", "--arrive-to", "2020-06-01"],
    ["porkchop", "--launch-from", "2020-07-01", "--launch-to", "2020-08-01", "--arrive-from",
     "2021-01-01", "--arrive-to", "2021-02-01", "--step-days", "-1"],
    ["windows", "--from-year", "2030", "--to-year", "2020"],
])
def test_bad_input_one_line_exit_2(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("areo: error: ") and err.count("\n") == 1
