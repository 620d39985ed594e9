"""The whole chain on a short ExoMars 2028 scenario, checked against what areo did not write:
SPICE (spiceypy reading DE440) with pykep's Lambert solver for the transfer, vis-viva and
Kepler's third law with published constants, an independent reading of the CCSDS OEM files,
the Mars24 clock formula for the mission sols, light time from SPICE for the latency, and the
Proximity-1 rate ceiling for the pass volumes."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

# Published constants (not read from areo)
GM_SUN = 132712440041.279419  # km^3/s^2, DE440 (Park et al. 2021)
GM_MARS = 42828.375816  # km^3/s^2, DE440 Mars system (Park et al. 2021)
R_MARS = 3396.19  # km, IAU 2015 equatorial radius (Archinal et al. 2018)
C_KMS = 299792.458  # km/s
PROX1_MAX_MBPS = 2.048  # CCSDS 211.1-B Proximity-1 highest rate, 2048 kb/s
SOL_NASA_S = 88775.244  # NASA mission LMST sol (s)

CONTRACT = {
    "launch": {"utc", "c3_km2s2", "dla_deg"},
    "arrival": {"utc", "vinf_kms", "capture_dv_kms"},
    "relay": {"mean_mbit_per_sol", "median_latency_s"},
    "campaign": {"sols", "n_samples", "max_depth_m", "experiment_cycles", "vertical_surveys"},
}


def _summary(short_run) -> dict:
    return json.loads((short_run.out / "summary.json").read_text())


def _spice_utc(text: str) -> str:
    return text.rstrip("Z")


def test_summary_contract(short_run):
    s = _summary(short_run)
    for key, fields in CONTRACT.items():
        assert fields <= set(s[key]), key
    assert {o["name"] for o in s["orbiters"]} == {"tgo", "mex"}
    assert all(set(o) >= {"name", "period_s"} for o in s["orbiters"])
    assert s["runtime_s"] > 0
    assert s == short_run.result.summary
    for name in ("report.html", "summary.json", "passes.csv", "passes.parquet", "per_sol.csv",
                 "per_sol.parquet", "tgo.oem", "mex.oem", "rover_plan.openmct.json"):
        assert (short_run.out / name).is_file(), name
    # nothing left beside the output directory
    assert sorted(p.name for p in short_run.root.iterdir()) == [
        "cache", "exomars-short.toml", "out"]


def test_transfer_against_spice_and_pykep(ballistic_run, spice, pykep_lambert):
    """C3, DLA and arrival v-infinity at the chosen dates from SPICE states of DE440 and
    pykep's multi-revolution Lambert solver; dates inside the scenario's spans."""
    s = _summary(ballistic_run)
    et1 = spice.str2et(_spice_utc(s["launch"]["utc"]))
    et2 = spice.str2et(_spice_utc(s["arrival"]["utc"]))
    assert spice.str2et("2028-10-01") <= et1 <= spice.str2et("2028-12-31")
    assert spice.str2et("2030-10-01") <= et2 <= spice.str2et("2030-11-30T00:00:01")
    earth, _ = spice.spkezr("399", et1, "J2000", "NONE", "10")
    mars, _ = spice.spkezr("4", et2, "J2000", "NONE", "10")
    lp = pykep_lambert(list(earth[:3]), list(mars[:3]), et2 - et1, GM_SUN, False, 1)
    sols = []
    for v1, v2 in zip(lp.v0, lp.v1, strict=True):
        vd = np.array(v1) - earth[3:]
        va = np.array(v2) - mars[3:]
        sols.append((vd @ vd, vd, np.linalg.norm(va)))
    c3, vd, vinf = min(sols, key=lambda x: x[0])  # objective c3: the lowest branch
    assert s["launch"]["c3_km2s2"] == pytest.approx(c3, rel=1e-7)
    _, _, dla = spice.recrad(vd)
    assert s["launch"]["dla_deg"] == pytest.approx(np.degrees(dla), abs=1e-5)
    assert s["arrival"]["vinf_kms"] == pytest.approx(vinf, rel=1e-7)
    # a ~790-day arc: one full revolution about the Sun (type III)
    assert s["transfer"]["revs"] == 1 and s["transfer"]["type"] == "III"
    assert s["transfer"]["tof_days"] == pytest.approx((et2 - et1) / 86400.0, abs=1e-6)


def test_chosen_transfer_beats_brute_force(ballistic_run, spice, pykep_lambert):
    """No 2-day grid point of the spans (SPICE + pykep, every branch up to one revolution)
    has a lower C3 than the transfer the chain chose."""
    s = _summary(ballistic_run)
    t0, t1 = spice.str2et("2028-10-01"), spice.str2et("2028-12-31")
    a0, a1 = spice.str2et("2030-10-01"), spice.str2et("2030-11-30")
    launches = np.arange(t0, t1 + 1.0, 2 * 86400.0)
    arrivals = np.arange(a0, a1 + 1.0, 2 * 86400.0)
    earth = [spice.spkezr("399", e, "J2000", "NONE", "10")[0] for e in launches]
    mars = [spice.spkezr("4", e, "J2000", "NONE", "10")[0] for e in arrivals]
    best = np.inf
    for el, se in zip(launches, earth, strict=True):
        for ea, sm in zip(arrivals, mars, strict=True):
            lp = pykep_lambert(list(se[:3]), list(sm[:3]), ea - el, GM_SUN, False, 1)
            for v1 in lp.v0:
                vd = np.array(v1) - se[3:]
                best = min(best, float(vd @ vd))
    assert s["launch"]["c3_km2s2"] <= best + 1e-9
    # ... and no point of a dense 0.05-day grid within a day of the chosen dates, inside the
    # spans, beats it (the arrival sits on the span's end, where C3 still falls): it is the
    # constrained minimum (was: "> 0.9 x the 2-day grid's best")
    c1 = spice.str2et(_spice_utc(s["launch"]["utc"]))
    c2 = spice.str2et(_spice_utc(s["arrival"]["utc"]))
    step = 0.05 * 86400.0
    launches = [e for e in c1 + np.arange(-20, 21) * step if t0 <= e <= t1 + 1.0]
    arrivals = [e for e in c2 + np.arange(-20, 21) * step if a0 <= e <= a1 + 1.0]
    earth = [spice.spkezr("399", e, "J2000", "NONE", "10")[0] for e in launches]
    mars = [spice.spkezr("4", e, "J2000", "NONE", "10")[0] for e in arrivals]
    local = np.inf
    for el, se in zip(launches, earth, strict=True):
        for ea, sm in zip(arrivals, mars, strict=True):
            lp = pykep_lambert(list(se[:3]), list(sm[:3]), ea - el, GM_SUN, False, 1)
            for v1 in lp.v0:
                vd = np.array(v1) - se[3:]
                local = min(local, float(vd @ vd))
    assert s["launch"]["c3_km2s2"] <= local + 1e-9


def test_capture_dv_vis_viva(short_run):
    """Capture into 250 km x 4-day orbit: dv = sqrt(v_inf^2 + 2 mu / r_p) - v_p(vis-viva)."""
    s = _summary(short_run)
    rp = R_MARS + 250.0
    a = (GM_MARS * (96 * 3600.0 / (2 * math.pi)) ** 2) ** (1 / 3)
    vp = math.sqrt(GM_MARS * (2 / rp - 1 / a))
    v = s["arrival"]["vinf_kms"]
    assert s["arrival"]["capture_dv_kms"] == pytest.approx(
        math.sqrt(v * v + 2 * GM_MARS / rp) - vp, rel=1e-9)


def test_orbiter_periods_kepler(short_run):
    """Kepler's third law on the published altitudes, and MEX's published 6.725 h."""
    periods = {o["name"]: o["period_s"] for o in _summary(short_run)["orbiters"]}
    for name, peri, apo in (("tgo", 380.0, 420.0), ("mex", 298.0, 10107.0)):
        a = R_MARS + 0.5 * (peri + apo)
        assert periods[name] == pytest.approx(2 * math.pi * math.sqrt(a**3 / GM_MARS),
                                              rel=1e-9)
    assert periods["mex"] / 3600.0 == pytest.approx(6.725, rel=5e-4)  # ESA: 11 orbits/3 sols


def _read_oem(path):
    """A minimal CCSDS OEM (KVN) reader written for this test."""
    meta, rows, in_meta = {}, [], False
    for line in path.read_text().splitlines():
        text = line.strip()
        if not text or text.startswith("COMMENT"):
            continue
        if text == "META_START":
            in_meta = True
            continue
        if text == "META_STOP":
            in_meta = False
            continue
        if "=" in text and (in_meta or not rows):
            k, v = (p.strip() for p in text.split("=", 1))
            meta[k] = v
            continue
        parts = text.split()
        rows.append((parts[0], [float(x) for x in parts[1:7]]))
    return meta, rows


def test_oem_files(short_run, spice):
    s = _summary(short_run)
    meta, rows = _read_oem(short_run.out / "tgo.oem")
    assert meta["CCSDS_OEM_VERS"] == "3.0" and meta["CENTER_NAME"] == "MARS"
    assert meta["REF_FRAME"] == "ICRF" and meta["TIME_SYSTEM"] == "UTC"
    ets = np.array([spice.str2et(_spice_utc(t)) for t, _ in rows])
    states = np.array([v for _, v in rows])
    assert ets[0] == pytest.approx(spice.str2et(_spice_utc(s["landing"]["utc"])), abs=1e-3)
    assert np.allclose(np.diff(ets), 60.0, atol=1e-3)  # operations.ephemeris_step_s
    assert ets[-1] - ets[0] == pytest.approx(SOL_NASA_S, abs=60.0)  # ephemeris_sols = 1
    r = np.linalg.norm(states[:, :3], axis=1)
    v = np.linalg.norm(states[:, 3:], axis=1)
    # TGO 380 x 420 km: the radius stays between pericentre and apocentre
    assert r.min() > R_MARS + 380.0 - 1.0 and r.max() < R_MARS + 420.0 + 1.0
    # the mean ellipse: pericentre + apocentre radius = 2a over the sol
    assert (r.min() + r.max()) / 2 == pytest.approx(R_MARS + 400.0, abs=1.0)
    # vis-viva: the energy of each state is the mean ellipse's to within the J2 drift rates
    # (the velocity includes the apsidal and nodal motion, ~6.5 m/s for TGO)
    a = 1.0 / (2.0 / r - v * v / GM_MARS)
    assert np.allclose(a, R_MARS + 400.0, atol=20.0)
    # the declared Hermite interpolation needs the velocity to be the derivative of the
    # position: a 5-point central difference of the 60 s positions (truncation ~1 mm/s)
    x = states[:, :3]
    deriv = (x[:-4] - 8 * x[1:-3] + 8 * x[3:-1] - x[4:]) / (12 * 60.0)
    assert np.max(np.linalg.norm(deriv - states[2:-2, 3:], axis=1)) < 5e-6  # km/s
    # inclination of the orbit normal to the Mars pole (IAU 2015 PCK in SPICE): 74 deg
    h = np.cross(states[0, :3], states[0, 3:])
    pole = np.array(spice.pxform("J2000", "IAU_MARS", ets[0]))[2]
    inc = np.degrees(np.arccos(h @ pole / np.linalg.norm(h)))
    assert inc == pytest.approx(74.0, abs=0.05)
    # areo reads back what it wrote
    from areo.io.oem import read_oem

    back = read_oem(short_run.out / "tgo.oem")
    assert np.allclose(back.states, states, rtol=1e-15, atol=0)


def test_mission_sols_follow_mars24(short_run, spice):
    """Sol 0 contains the landing; every sol starts at local mean midnight at the site by the
    Mars24 formula (Allison & McEwen 2000: MSD = (JD_TT - 2405522.0028779) / 1.0274912517,
    LMST = 24 h frac(MSD) + lon_east / 15); passes lie inside the sol they are counted in."""
    s = _summary(short_run)
    per_sol = pd.read_csv(short_run.out / "per_sol.csv")
    lon = s["landing"]["site"]["lon_east_deg"]
    assert list(per_sol["sol"]) == list(range(0, 21))
    starts = np.array([spice.str2et(t) for t in per_sol["utc_start"]])
    jd_tt = 2451545.0 + (starts + 0.0) / 86400.0  # TDB ~ TT within 2 ms
    msd = (jd_tt - 2405522.0028779) / 1.0274912517
    lmst = (24.0 * (msd % 1.0) + lon / 15.0) % 24.0
    off = np.minimum(lmst, 24.0 - lmst)
    assert np.all(off < 1.0 / 60.0)  # within a Mars minute of midnight
    landing = spice.str2et(_spice_utc(s["landing"]["utc"]))
    assert starts[0] <= landing < starts[1]
    assert np.allclose(np.diff(starts), SOL_NASA_S, atol=1e-3)
    passes = pd.read_csv(short_run.out / "passes.csv")
    aos = np.array([spice.str2et(_spice_utc(t)) for t in passes["aos"]])
    k = passes["sol"].to_numpy()
    assert np.all(aos >= starts[0] + k * SOL_NASA_S - 1e-3)
    assert np.all(aos < starts[0] + (k + 1) * SOL_NASA_S)


def test_latency_and_pass_volumes(short_run, spice):
    """Latency is at least the Mars-to-Earth light time (SPICE, at the pass end); each pass
    carries at most the Proximity-1 top rate times its duration."""
    s = _summary(short_run)
    passes = pd.read_csv(short_run.out / "passes.csv")
    used = passes[passes["share"] > 0]
    assert len(used) > 20
    lts = []
    for _, row in used.iloc[::5].iterrows():
        et = spice.str2et(_spice_utc(row["los"]))
        state, _ = spice.spkezr("4", et, "J2000", "NONE", "399")
        lt = np.linalg.norm(state[:3]) / C_KMS
        lts.append(lt)
        assert row["latency_s"] >= lt - 5.0  # light time changes by < 5 s in a day
        assert row["latency_s"] < 2 * 86400.0
    assert s["relay"]["median_latency_s"] >= min(lts) - 5.0
    assert np.all(passes["volume_mbit"] <= PROX1_MAX_MBPS * passes["duration_s"] + 1e-6)
    assert np.all(passes["volume_mbit"] >= 0)
    assert np.all(passes["relayed_mbit"] <= passes["volume_mbit"] + 1e-9)
    assert np.all(passes["max_elev_deg"] >= 10.0 - 1e-6)  # operations.min_elev_deg
    # the per-sol table and the summary add up the passes table (sols 1..20)
    per_sol = pd.read_csv(short_run.out / "per_sol.csv")
    by_sol = used.groupby("sol")["relayed_mbit"].sum()
    for _, row in per_sol.iterrows():
        assert row["relay_mbit"] == pytest.approx(by_sol.get(row["sol"], 0.0), abs=1e-6)
    full = per_sol[per_sol["sol"] >= 1]
    assert s["relay"]["mean_mbit_per_sol"] == pytest.approx(full["relay_mbit"].mean())


@pytest.mark.parametrize("name", ["passes", "per_sol", "earth_contacts",
                                  "campaign_activities"])
def test_csv_and_parquet_agree(short_run, name):
    a = pd.read_csv(short_run.out / f"{name}.csv")
    b = pd.read_parquet(short_run.out / f"{name}.parquet")
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 0
    for col in a.columns:
        if pd.api.types.is_numeric_dtype(b[col]) and not pd.api.types.is_bool_dtype(b[col]):
            assert np.allclose(a[col].to_numpy(float), b[col].to_numpy(float), equal_nan=True)


def test_campaign_products(short_run):
    """The campaign's figures keep to the rover's published limits; the Open MCT plan is
    well formed and inside the operations span."""
    s = _summary(short_run)
    camp = s["campaign"]
    assert camp["sols"] == 20 and camp["experiment_cycles"] == 1
    assert camp["vertical_surveys"] == 0
    assert camp["n_samples"] >= 2  # an Experiment Cycle takes a surface and a deep sample
    assert 0.0 < camp["max_depth_m"] <= 2.0  # the drill reaches 2 m (ESA)
    per_sol = pd.read_csv(short_run.out / "per_sol.csv")
    soc = per_sol["campaign_soc_min_pct"].dropna()
    assert len(soc) == 20 and soc.between(0.0, 100.0).all()
    plan = json.loads((short_run.out / "rover_plan.openmct.json").read_text())
    items = [it for group in plan.values() for it in group]
    assert items and all({"name", "start", "end", "type"} <= set(it) for it in items)
    landing = dt.datetime.fromisoformat(s["landing"]["utc"].replace("Z", "+00:00"))
    start_ms = (landing.timestamp() - SOL_NASA_S) * 1000.0  # sol 0 began before landing
    end_ms = (landing.timestamp() + 21 * SOL_NASA_S) * 1000.0
    for it in items:
        assert start_ms <= it["start"] <= it["end"] <= end_ms


def test_report_is_self_contained(short_run):
    html = (short_run.out / "report.html").read_text()
    assert html.count('class="plotly-graph-div"') >= 7
    assert "<script src=" not in html and "<link " not in html  # nothing fetched
    assert html.count("Plotly.newPlot") >= 7
    for unit in ("km²/s²", "km/s", "Mbit", "deg"):
        assert unit in html
