"""Entry states (B-plane targeting) and the Schiaparelli replay."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo.edl import entry_from_arrival, entry_from_site
from areo.edl.dynamics import mars_model
from areo.edl.replay import Fault, fly_nominal, replay
from areo.errors import AreoInputError


@pytest.fixture(scope="module")
def arrival():
    from areo.transfer import transfer

    tr = transfer("2020-07-30T11:50Z", "2021-02-18T20:40Z")
    return tr, entry_from_arrival("m2020", "jezero", tr.vinf_arrive_vec, tr.arrive)


def test_bplane_entry_state_lies_on_the_arrival_hyperbola(arrival):
    """The entry state's inertial energy is the hyperbola's (v_inf^2/2), its flight-path
    angle the requested one, its orbit plane contains the incoming asymptote."""
    from areo.frames.mars import from_iau_mars

    tr, e = arrival
    mm = mars_model()
    st = np.asarray(from_iau_mars(e.state[:6], float(e.epoch.et)))
    r, v = st[:3], st[3:]
    energy = float(v @ v) / 2 - mm["mu"] / float(np.linalg.norm(r))
    assert energy == pytest.approx(tr.vinf_arrive_kms ** 2 / 2, rel=1e-6)
    fpa = math.degrees(math.asin(float(r @ v) / np.linalg.norm(r) / np.linalg.norm(v)))
    assert fpa == pytest.approx(-15.5, abs=1e-6)
    s = tr.vinf_arrive_vec / np.linalg.norm(tr.vinf_arrive_vec)
    h = np.cross(r, v)
    assert abs(float(h @ s)) / np.linalg.norm(h) < 1e-9
    assert e.miss_km < 0.05
    assert abs(e.alt_km - 125.0) < 1.0
    # landing a few minutes after entry, the entry within the search window of arrival
    assert 200.0 < e.flight_time_s < 500.0
    assert abs(float(e.epoch.et) - float(tr.arrive.et)) < 14 * 3600.0
    assert 0.0 <= e.landing_lmst_hours < 24.0


def test_site_entry_lands_on_target_and_refuses_skip_out():
    e = entry_from_site("phoenix", None, "2008-05-25T23:30Z")
    assert e.miss_km < 0.05
    with pytest.raises(AreoInputError, match="skips out"):
        entry_from_site("phoenix", None, "2008-05-25T23:30Z", fpa_deg=-4.0)


def test_unreachable_site_is_refused(arrival):
    tr, _ = arrival
    with pytest.raises(AreoInputError, match="not reachable"):
        entry_from_arrival("m2020", (-85.0, 0.0), tr.vinf_arrive_vec, tr.arrive)


@pytest.fixture(scope="module")
def schiaparelli():
    return replay("schiaparelli")


def test_schiaparelli_replay_follows_the_esa_inquiry(schiaparelli):
    """ESA inquiry (2017): parachute at ~12 km and 1730 km/h, heat shield released at
    7.8 km, parachute and backshell released at ~3.7 km, ~3 s of thrust, then free fall;
    impact 'at more than 300 km/h' (ESA 2016-10-21)."""
    r = schiaparelli
    ev = {e["name"]: e for e in r.flight.events()}
    chute = ev["parachute"]
    assert abs(chute["altitude_m"] - 12000.0) < 1500.0
    assert abs(chute["speed_ms"] / (1730.0 / 3.6) - 1.0) < 0.1
    assert abs(ev["heat shield"]["altitude_m"] - 7800.0) < 1000.0
    assert abs(ev["backshell separation"]["altitude_m"] - 3700.0) < 50.0
    burn = ev["thrusters off"]["t_s"] - ev["thrusters on"]["t_s"]
    assert burn == pytest.approx(3.0, abs=0.01)
    assert r.impact_speed_ms > 300.0 / 3.6
    assert r.nominal.impact_speed_ms < 7.0 and r.nominal.status == "landed"
    assert r.flight.status == "hard impact"
    # the impact comes earlier than the planned touchdown, close to its point
    assert r.flight.impact_et < r.nominal.impact_et
    assert r.miss_m < 3000.0
    d = r.to_dict()
    for k in ("impact_speed_ms", "impact_utc", "impact_lat_deg", "impact_lon_east_deg",
              "events", "nominal"):
        assert (k in d and k in d["nominal"]) or k == "nominal"
    assert {"name", "utc", "altitude_m", "speed_ms"} <= set(d["events"][0])
    fr = r.to_frame()
    assert str(fr["utc"].dtype) == "datetime64[ns, UTC]"
    assert repr(r).startswith("Replay:") and len(repr(r)) < 200


def test_fault_hook_changes_a_trigger():
    e = entry_from_site("insight", "insight", "2018-11-26T19:47Z")
    late = fly_nominal(e, faults=[Fault("trigger", event="parachute", trigger="mach_below",
                                        value=1.0)])
    nom = fly_nominal(e)
    assert late.events()[0]["mach"] == pytest.approx(1.0, abs=1e-3)
    assert late.events()[0]["altitude_m"] < nom.events()[0]["altitude_m"]
    with pytest.raises(AreoInputError):
        fly_nominal(e, faults=[Fault("trigger", event="no such event")])
