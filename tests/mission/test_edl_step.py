"""The mission's ``edl`` step: the entry targeted from the flown trajectory's arrival, the
Monte Carlo's products, and the nominal touchdown as the mission's landing."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from areo.time import Time, mars_time


def _summary(short_run) -> dict:
    return json.loads((short_run.out / "summary.json").read_text())


def test_the_edl_document_has_the_cli_keys(short_run):
    edl = _summary(short_run)["edl"]
    assert set(edl["ellipse"]) >= {"major_km", "minor_km", "azimuth_deg", "center_lat_deg",
                                   "center_lon_east_deg"}
    assert all(set(h) >= {"name", "distance_m", "bearing_deg"} for h in edl["hardware"])
    assert {"runs", "seconds", "peak_g", "chute_mach"} <= set(edl)
    assert edl["runs"] == 401 and edl["vehicle"] == "exomars2028"


def test_runs_table_and_ellipse_coverage(short_run):
    """The 99 % ellipse (a Gaussian fit) holds about 99 % of the landed runs written to
    edl_runs.parquet, counted point by point in the ellipse's own axes."""
    s = _summary(short_run)
    runs = pd.read_parquet(short_run.out / "edl_runs.parquet")
    assert len(runs) == s["edl"]["runs"]
    landed = runs["status"] == "landed"
    assert landed.mean() == pytest.approx(s["edl"]["landed_fraction"], abs=1e-12)
    e, n = runs.loc[landed, "east_km"].to_numpy(), runs.loc[landed, "north_km"].to_numpy()
    ell = s["edl"]["ellipse"]
    az = math.radians(ell["azimuth_deg"])  # of the major axis, from north through east
    de, dn = e - e.mean(), n - n.mean()
    along = de * math.sin(az) + dn * math.cos(az)
    across = de * math.cos(az) - dn * math.sin(az)
    inside = (along / (ell["major_km"] / 2)) ** 2 + (across / (ell["minor_km"] / 2)) ** 2 <= 1
    assert 0.96 <= inside.mean() <= 1.0
    # the target lies in the ellipse: the entry was aimed at the site
    assert abs(ell["center_lat_deg"] - s["landing"]["site"]["lat_deg"]) < 0.1


def test_the_nominal_touchdown_is_the_missions_landing(short_run):
    s = _summary(short_run)
    entry = s["edl"]["entry"]
    assert s["landing"]["utc"] == entry["landing_utc"]
    lmst = float(mars_time(Time(entry["landing_utc"]), s["landing"]["site"]["lon_east_deg"])
                 .lmst_hours)
    assert lmst == pytest.approx(entry["landing_lmst_hours"], abs=1e-6)
    # within half a sol of the trajectory's planned landing (ring geometry)
    arrival = Time(s["arrival"]["utc"])
    assert abs(float(Time(entry["landing_utc"]).et - arrival.et)) < 0.6 * 88775.244
    # the entry interface is where a Mars entry starts: ~120-130 km, 4.5-6.5 km/s
    assert 100.0 <= entry["alt_km"] <= 140.0 and 4.5 <= entry["speed_kms"] <= 6.5
    assert -20.0 <= entry["fpa_deg"] <= -8.0


def test_the_report_has_the_edl_section(short_run):
    html = (short_run.out / "report.html").read_text(encoding="utf-8")
    assert '<section id="edl">' in html and '<section id="edl-flight">' in html
    assert "<caption>Entry, descent and landing" in html
    assert np.isfinite(_summary(short_run)["edl"]["peak_g"]["p99"])
