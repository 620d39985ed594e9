"""Porkchop, transfers, windows and delta-v against independent oracles: SPICE reading
DE440 (spiceypy) with pykep's Lambert solver, a dense brute-force grid for minima, and the
two-body invariants (vis-viva, C3 = v_inf^2)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from areo.errors import EpochOutOfRangeError, ParameterError
from areo.time import Time
from areo.transfer import (
    GM_SUN,
    TGO_CAPTURE,
    CaptureOrbit,
    PorkchopOptions,
    capture_dv,
    departure_dv,
    launch_windows,
    orbit_insertion,
    porkchop,
    porkchop_span,
    transfer,
)

MISSIONS = {  # mars-facts.md section 8.1 (launch, arrival/MOI/landing), UTC
    "Mars Express": ("2003-06-02T17:45:00", "2003-12-25T02:47:00"),
    "TGO": ("2016-03-14T09:31:42", "2016-10-19T00:00:00"),
    "Perseverance": ("2020-07-30T11:50:00", "2021-02-18T20:43:00"),
}


def spice_reference(spice, pykep_core, launch, arrive):
    """C3, DLA, RLA, v-inf and arrival declination from SPICE states and pykep's Lambert."""
    et1, et2 = spice.str2et(launch), spice.str2et(arrive)
    se, _ = spice.spkezr("399", et1, "J2000", "NONE", "10")
    sm, _ = spice.spkezr("4", et2, "J2000", "NONE", "10")
    lp = pykep_core.lambert_problem(list(se[:3]), list(sm[:3]), et2 - et1, GM_SUN, False, 0)
    vd = np.array(lp.v0[0]) - se[3:]
    va = np.array(lp.v1[0]) - sm[3:]
    pole = np.array(spice.pxform("J2000", "IAU_MARS", et2))[2]
    _, rla, dla = spice.recrad(vd)
    return {
        "c3": vd @ vd, "dla": np.degrees(dla), "rla": np.degrees(rla),
        "vinf_arr": np.linalg.norm(va),
        "dap": np.degrees(np.arcsin(va @ pole / np.linalg.norm(va))),
    }


@pytest.mark.parametrize("name", list(MISSIONS))
def test_transfer_matches_spice_and_pykep(spice, pykep_core, name):
    launch, arrive = MISSIONS[name]
    ref = spice_reference(spice, pykep_core, launch, arrive)
    tr = transfer(launch, arrive)
    assert tr.converged and tr.transfer_type == 1
    assert tr.c3_km2s2 == pytest.approx(ref["c3"], rel=1e-9)
    assert tr.vinf_arrive_kms == pytest.approx(ref["vinf_arr"], rel=1e-9)
    assert tr.dla_deg == pytest.approx(ref["dla"], abs=1e-7)
    assert tr.rla_deg == pytest.approx(ref["rla"], abs=1e-7)
    # IAU 2015 pole typed in from Archinal et al. 2018 for SPICE (tests/spice_kernels.py)
    assert tr.arrival_dec_deg == pytest.approx(ref["dap"], abs=1e-6)


def test_mission_c3_sanity_bounds():
    # mars-facts.md section 9 (unsourced ranges, used as bounds only): 2003 minimum C3
    # ~8-9, Mars 2020 launch-period maximum ~14.5-15; arrival v-inf typically 2.5-3.5 km/s.
    mex = transfer(*MISSIONS["Mars Express"])
    m20 = transfer(*MISSIONS["Perseverance"])
    tgo = transfer(*MISSIONS["TGO"])
    assert 8.0 < mex.c3_km2s2 < 9.5 and 2.4 < mex.vinf_arrive_kms < 3.5
    assert 13.0 < m20.c3_km2s2 < 15.5 and 2.4 < m20.vinf_arrive_kms < 3.5
    assert 7.5 < tgo.c3_km2s2 < 20.0 and 2.4 < tgo.vinf_arrive_kms < 4.5


def test_grid_cells_equal_single_transfers_and_invariants():
    pc = porkchop_span("2020-07-01", "2020-08-20", "2021-01-20", "2021-03-10", step_days=10,
                       options=PorkchopOptions(parking_alt_km=185.0))
    tr = transfer(pc.launch[:, None], Time.from_et(pc.arrive_et), parking_alt_km=185.0)
    np.testing.assert_allclose(pc.c3_km2s2, tr.c3_km2s2, rtol=1e-12)
    np.testing.assert_allclose(pc.dla_deg, tr.dla_deg, atol=1e-9)
    np.testing.assert_allclose(pc.arrival_dec_deg, tr.arrival_dec_deg, atol=1e-9)
    # vis-viva: the departure burn puts the probe on the hyperbola of energy C3/2
    mu_e, r = 398600.435507, 6378.137 + 185.0
    vp = pc.dv_depart_kms + np.sqrt(mu_e / r)
    np.testing.assert_allclose(vp**2 - 2 * mu_e / r, pc.c3_km2s2, rtol=1e-10)
    vp_cap = TGO_CAPTURE.vp_kms + pc.dv_capture_kms
    np.testing.assert_allclose(vp_cap**2 - 2 * TGO_CAPTURE.mu / TGO_CAPTURE.rp_km,
                               pc.vinf_arrive_kms**2, rtol=1e-9, atol=1e-12)
    assert (pc.transfer_type == 1).all() and (pc.status == 0).all()


def test_refined_minimum_beats_dense_brute_force():
    pc = porkchop_span("2020-07-01", "2020-08-31", "2021-01-01", "2021-03-31", step_days=4)
    best = pc.min_c3(refine=True)
    # dense brute force 0.1-day grid (independent of the optimiser) around the grid minimum
    i, j = pc.argmin("c3")
    t0, a0 = float(pc.launch.et[i]), float(pc.arrive_et[i, j])
    dense = porkchop(Time.from_et(t0 + np.arange(-6, 6.01, 0.1) * 86400),
                     Time.from_et(a0 + np.arange(-6, 6.01, 0.1) * 86400))
    brute = np.nanmin(dense.c3_km2s2)
    assert best.c3_km2s2 <= brute + 1e-6
    k = np.unravel_index(np.nanargmin(dense.c3_km2s2), dense.shape)
    assert abs(float(best.launch.et) - float(dense.launch.et[k[0]])) < 0.2 * 86400
    assert best.c3_km2s2 <= pc.c3_km2s2[i, j]


def test_multirev_and_type_labels():
    pc = porkchop_span("2028-10-01", "2029-01-15", "2029-05-01", "2031-06-30", step_days=15,
                       options=PorkchopOptions(revs=1))
    types = set(np.unique(pc.transfer_type[pc.status == 0]).tolist())
    assert {1, 2} <= types and (types & {3, 4})
    assert ((pc.revs == 1) == (pc.transfer_type >= 3))[pc.status == 0].all()
    # a multi-revolution cell is a real arc: same C3 as the single transfer with that branch
    ii, jj = np.argwhere(pc.revs == 1)[0]
    p = pc.point(ii, jj)
    c3s = [transfer(p.launch, p.arrive, revs=1, right=r).c3_km2s2 for r in (False, True)]
    assert min(abs(c - p.c3_km2s2) for c in c3s) < 1e-9 * p.c3_km2s2


def test_departure_tof_grid_and_progress():
    calls = []
    pc = porkchop(Time.arange("2020-07-01", "2020-08-01", 5 * 86400), tof_days=[150, 200, 250],
                  progress=lambda d, t: calls.append((d, t)))
    np.testing.assert_allclose(pc.tof_days, np.broadcast_to([150, 200, 250], pc.shape))
    assert calls[-1] == (pc.shape[0], pc.shape[0])
    assert pc.to_frame().shape[0] == pc.c3_km2s2.size


def test_bad_inputs():
    with pytest.raises(ParameterError, match="not after launch"):
        transfer("2021-01-01", "2020-07-01")
    with pytest.raises(ParameterError, match="arrival must come after launch"):
        porkchop_span("2021-01-01", "2021-02-01", "2020-01-01", "2020-06-01")
    with pytest.raises(EpochOutOfRangeError):
        transfer("1500-01-01", "1500-08-01")
    with pytest.raises(ParameterError, match="needs about"):
        porkchop_span("2020-01-01", "2020-12-31", "2021-01-01", "2021-12-31", step_days=1,
                      options=PorkchopOptions(max_bytes=1_000_000))
    with pytest.raises(ParameterError, match="tof_days"):
        porkchop("2020-07-01", tof_days=[0.0])


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"revs": 21}, "revs 21 must be a whole number of revolutions in 0..20"),
        ({"revs": 1.5}, "revs 1.5 must be a whole number"),
        ({"revs": float("nan")}, "revs nan must be a whole number"),
        ({"revs": True}, "revs True must be a whole number"),
        ({"select": "tof"}, "select 'tof' is unknown: use one of c3, vinf_arrive, dv_total"),
        ({"parking_alt_km": -1.0}, "parking_alt_km = -1 km is negative"),
        ({"parking_alt_km": float("inf")}, "parking_alt_km = inf km is not a finite number"),
        ({"capture": 250.0}, "capture 250.0 must be a CaptureOrbit"),
        ({"max_bytes": 0}, "max_bytes = 0 bytes is not positive"),
    ],
)
def test_porkchop_options_refuse_bad_values(fields, fragment):
    """Every knob is checked when the options are built, before any grid is allocated."""
    with pytest.raises(ParameterError, match=re.escape(fragment)):
        PorkchopOptions(**fields)


def test_porkchop_overrides_replace_option_fields():
    """porkchop(..., name=value) is porkchop(..., dataclasses.replace(options, name=value));
    unknown names and options of the wrong type are refused, naming the known fields."""
    tl = Time.arange("2020-07-01", "2020-07-21", 10 * 86400)
    ta = Time.arange("2021-01-20", "2021-02-09", 10 * 86400)
    a = porkchop(tl, ta, PorkchopOptions(revs=1), parking_alt_km=185.0)
    b = porkchop(tl, ta, PorkchopOptions(revs=1, parking_alt_km=185.0))
    np.testing.assert_array_equal(a.dv_depart_kms, b.dv_depart_kms)
    assert a.max_revs == 1 and a.parking_alt_km == 185.0
    with pytest.raises(ParameterError, match=r"porkchop: unknown option park_alt_km: give "
                       r"fields of PorkchopOptions \(revs, select, parking_alt_km"):
        porkchop(tl, ta, park_alt_km=185.0)
    with pytest.raises(ParameterError, match="porkchop_span: unknown option"):
        porkchop_span("2020-07-01", "2020-07-21", "2021-01-20", "2021-02-09", 10, rev=1)
    with pytest.raises(ParameterError, match="is not a PorkchopOptions"):
        porkchop(tl, ta, {"revs": 1})


def test_capture_and_aerobraking_budget():
    # TGO: 4-day capture orbit, 250 km pericentre (ESA); Kepler's third law closes the period
    assert TGO_CAPTURE.period_s == pytest.approx(4 * 86400, rel=1e-12)
    assert 90_000 < TGO_CAPTURE.apoapsis_alt_km < 100_000  # ESA: "250 x 98 000 km, 4.2 d"
    b = orbit_insertion(2.9, TGO_CAPTURE, final_alt_km=400)
    # energy after the capture burn equals the ellipse energy (vis-viva)
    vp = np.sqrt(2.9**2 + 2 * TGO_CAPTURE.mu / TGO_CAPTURE.rp_km) - b.dv_capture_kms
    assert vp**2 / 2 - TGO_CAPTURE.mu / TGO_CAPTURE.rp_km == pytest.approx(
        -TGO_CAPTURE.mu / (2 * TGO_CAPTURE.a_km), rel=1e-12)
    assert b.dv_capture_kms < b.dv_aerobraking_kms < b.dv_propulsive_kms
    assert b.aerobraking_saving_kms > 1.0
    assert capture_dv(0.0, CaptureOrbit.from_apoapsis(400, 400)) == pytest.approx(
        np.sqrt(2 * TGO_CAPTURE.mu / (3396.19 + 400)) - np.sqrt(TGO_CAPTURE.mu / (3396.19 + 400)))
    assert departure_dv(0.0, 200.0) == pytest.approx(
        (np.sqrt(2) - 1) * np.sqrt(398600.435507 / 6578.137))
    with pytest.raises(ParameterError, match="shorter than"):
        CaptureOrbit.from_period(250, 3600)


def test_windows_2020_against_dense_brute_force():
    ws = launch_windows(2020, 2020, max_c3=16.0)
    assert len(ws) == 1
    w = ws[0]
    assert str(w.best.launch.iso)[:7] == "2020-07" and w.best.transfer_type_name == "I"
    assert w.launch_period is not None and w.launch_period.open.et < w.best.launch.et
    lp = w.launch_period
    # at the period's ends the best C3 over the times of flight is at the ceiling
    for t_edge in (lp.open, lp.close):
        pc = porkchop(Time.from_et([float(t_edge.et)]), tof_days=np.arange(90, 500.1, 0.5))
        assert np.nanmin(pc.c3_km2s2) == pytest.approx(16.0, abs=0.01)
    # dense brute force in launch x TOF, 0.25 d, around the reported best
    pc = porkchop(Time.from_et(float(w.best.launch.et) + np.arange(-5, 5.01, 0.25) * 86400),
                  tof_days=np.arange(w.best.tof_days - 5, w.best.tof_days + 5, 0.25))
    assert w.best.c3_km2s2 <= np.nanmin(pc.c3_km2s2) + 1e-6
    assert set(w.to_dict()) >= {"launch", "arrive", "c3_km2s2", "window", "launch_period"}


def test_porkchop_html_escapes_user_labels(tmp_path):
    """Mark labels and titles are the caller's text: plotly reads them as HTML, so markup in
    them must arrive escaped (it reached the page as live tags before)."""
    import json
    import re

    from areo.transfer import porkchop_span
    from areo.transfer.plots import porkchop_figure_html

    pc = porkchop_span("2028-09-01", "2028-10-15", "2029-06-01", "2029-09-01", step_days=5)
    evil = "<img src=x onerror=alert(1)>"
    path = tmp_path / "pc.html"
    porkchop_figure_html(pc, path, marks=[("2028-09-20", "2029-07-15", evil)], title=evil)
    text = path.read_text(encoding="utf-8")
    figure_json = re.findall(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*\{", text, re.S)
    assert figure_json, "the figure data were not found in the page"
    data = json.loads(figure_json[0])
    labels = [t.get("name") for t in data] + [x for t in data for x in (t.get("text") or [])
                                              if isinstance(x, str)]
    assert "&lt;img src=x onerror=alert(1)&gt;" in labels
    assert evil not in labels
