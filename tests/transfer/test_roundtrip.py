"""Round trips (issue 15): the best trip against a full four-date enumeration on independent
date x date grids, the synodic spacing of opportunities, a published mission profile, the
result contract and bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from areo.constants import DAY_S
from areo.errors import AreoInputError
from areo.time import Time
from areo.transfer.maneuvers import CaptureOrbit
from areo.transfer.porkchop import porkchop_span
from areo.transfer.returns import DepartureOrbit, return_window
from areo.transfer.roundtrip import round_trips
from tests.transfer._legs import check_leg

ORBIT = DepartureOrbit(CaptureOrbit(300.0, 1000.0), inclination_deg=25.0, raan_deg=70.0)
STEP = 10.0
SPAN = ("2028-09-01", "2029-01-31")
STAY = (400.0, 600.0)
TOF = (150.0, 350.0)


@pytest.fixture(scope="module")
def brute():
    """Every (launch, Mars arrival, Mars departure, Earth arrival) of the 10-day grid, from a
    date x date porkchop and a date x date return window (another layout than the search's
    departure x time-of-flight grids): total delta-v, stay and duration (4-D arrays)."""
    pc = porkchop_span(SPAN[0], SPAN[1], "2029-01-29", "2030-01-14", STEP,
                       capture=ORBIT.orbit)
    rw = return_window("2030-03-05", "2031-09-06", "2030-08-02", "2032-08-21", STEP,
                       departure_orbit=ORBIT, max_entry_speed_kms=12.3)
    t_out = pc.tof_days
    out = np.where((t_out >= TOF[0] - 1e-6) & (t_out <= TOF[1] + 1e-6),
                   pc.dv_depart_kms + pc.dv_capture_kms, np.nan)
    t_ret = rw.tof_days
    ret = np.where(rw.feasible() & (t_ret >= TOF[0] - 1e-6) & (t_ret <= TOF[1] + 1e-6),
                   rw.dv_depart_kms, np.nan)
    stay = (rw.depart.et[None, :] - pc.arrive.et[:, None]) / DAY_S  # (arrive, depart)
    ok_stay = (stay >= STAY[0] - 1e-6) & (stay <= STAY[1] + 1e-6)
    total = out[:, :, None, None] + ret[None, None, :, :]
    total = np.where(ok_stay[None, :, :, None], total, np.nan)
    days = (rw.arrive_et[None, None, :, :] - pc.launch.et[:, None, None, None]) / DAY_S
    return pc, rw, total, np.broadcast_to(days, total.shape)


def _search(**kw):
    return round_trips(*SPAN, min_stay_days=STAY[0], max_stay_days=STAY[1], step_days=STEP,
                       outbound_tof_days=TOF, return_tof_days=TOF, departure_orbit=ORBIT,
                       max_entry_speed_kms=12.3, **kw)


def test_best_trip_is_the_minimum_of_the_full_enumeration(brute):
    pc, rw, total, _days = brute
    k = np.unravel_index(np.nanargmin(total), total.shape)
    best = _search().trips[0]
    assert best.total_dv_kms == pytest.approx(float(total[k]), rel=1e-9)
    assert float(best.launch.et) == pytest.approx(float(pc.launch.et[k[0]]), abs=1e-3)
    assert float(best.arrive.et) == pytest.approx(float(pc.arrive.et[k[1]]), abs=1e-3)
    assert float(best.depart.et) == pytest.approx(float(rw.depart.et[k[2]]), abs=1e-3)
    assert float(best.return_arrive.et) == pytest.approx(float(rw.arrive.et[k[3]]), abs=1e-3)
    print(f"best {best}; brute-force minimum {float(total[k]):.6f} km/s over "
          f"{np.count_nonzero(np.isfinite(total))} trips")


@pytest.mark.parametrize("cap", [1000.0, 960.0])
def test_total_duration_cap_is_exact_over_the_enumeration(brute, cap):
    """With max_total_days the legs of each pair are chosen together: the best trip is the
    capped four-date minimum."""
    _pc, _rw, total, days = brute
    ref = float(np.nanmin(np.where(days <= cap + 1e-6, total, np.nan)))
    best = _search(max_total_days=cap).trips[0]
    assert best.total_days <= cap + 1e-6
    assert best.total_dv_kms == pytest.approx(ref, rel=1e-9)
    print(f"capped: ours {best.total_dv_kms:.4f} km/s, four-date minimum {ref:.4f} km/s")


def test_conjunction_opportunities_repeat_with_the_synodic_period():
    """Best conjunction-class launches 2026-2035 come every ~780 days (Earth-Mars synodic
    period 779.9 d), within the width of a launch period."""
    rt = round_trips("2026-01-01", "2035-12-31", min_stay_days=300, max_stay_days=600,
                     step_days=5, max_entry_speed_kms=12.5)
    launches = sorted(float(t.launch.et) for t in rt.trips if t.trip_class == "conjunction"
                      and t.total_dv_kms < 10.0)
    gaps = np.diff(launches) / DAY_S
    assert len(launches) >= 4
    assert np.all(np.abs(gaps - 780.0) < 160.0), gaps
    assert abs(np.mean(gaps) - 780.0) < 60.0, gaps


def test_late_2028_launch_returns_in_2031_like_tianwen3():
    """Tianwen-3: two launches in late 2028, samples back in 2031 (Xinhua, 5 Sep 2024, Liu
    Jizhong at the Deep Space Exploration conference in Hefei). The best conjunction trip of
    the 2028 window, under a 12 km/s entry cap and reaching the UTTR, comes back in 2031."""
    rt = round_trips("2028-08-01", "2029-02-28", min_stay_days=300, max_stay_days=600,
                     step_days=5, max_entry_speed_kms=12.0, site="uttr")
    best = rt.trips[0]
    assert best.launch.iso[:4] == "2028" and best.return_arrive.iso[:4] == "2031"
    assert best.trip_class == "conjunction" and best.site_reachable
    assert best.entry_speed_kms <= 12.0 and 850 < best.total_days < 1100


def test_result_contract(tmp_path):
    rt = _search()
    df = rt.to_frame()
    for c in ("launch_utc", "arrive_utc", "depart_utc", "return_arrive_utc"):
        assert str(df[c].dtype) == "datetime64[ns, UTC]"
    d = json.loads(rt.to_json())
    t = d["trips"][0]
    assert set(t["outbound"]) >= {"launch_utc", "arrive_utc", "c3_km2s2"}
    assert set(t["return"]) >= {"depart_utc", "arrive_utc", "mars_dv_kms", "entry_speed_kms"}
    assert {"stay_days", "total_days", "total_dv_kms"} <= set(t)
    assert t["total_dv_kms"] == pytest.approx(df["total_dv_kms"][0])
    assert d["lambert_solves"] > 0
    cost = df["total_dv_kms"].to_numpy()
    assert np.all(np.diff(cost) >= 0)  # ranked
    for r in (repr(rt), repr(rt.trips[0])):
        assert "\n" not in r and len(r) < 200
    assert repr(rt).startswith("RoundTrips:") and repr(rt.trips[0]).startswith("RoundTrip:")
    rt.plot(tmp_path / "rt.html")
    assert (tmp_path / "rt.html").stat().st_size > 1000


def test_bad_input():
    with pytest.raises(AreoInputError, match="swap"):
        round_trips(*SPAN, min_stay_days=600, max_stay_days=400)
    with pytest.raises(AreoInputError, match="swap"):
        round_trips(SPAN[1], SPAN[0])
    with pytest.raises(AreoInputError, match="objective"):
        round_trips(*SPAN, objective="cost")
    with pytest.raises(AreoInputError, match=r"11\.07"):
        round_trips(*SPAN, max_entry_speed_kms=9.0)
    with pytest.raises(AreoInputError, match="lowest return entry speed"):
        round_trips(*SPAN, min_stay_days=400, max_stay_days=600, step_days=20,
                    max_entry_speed_kms=11.08)


def test_cli_round_trip(capsys, tmp_path):
    from areo.cli import main

    args = ["round-trip", "--from", SPAN[0], "--to", SPAN[1], "--min-stay-days", "400",
            "--max-stay-days", "600", "--step-days", "10", "--min-tof-days", "150",
            "--max-tof-days", "350", "--max-entry-speed", "12.3", "--periapsis-alt", "300",
            "--apoapsis-alt", "1000", "--inclination", "25", "--raan", "70"]
    main([*args, "--json", "--plot", str(tmp_path / "rt.html")])
    d = json.loads(capsys.readouterr().out)
    ref = _search().trips[0]
    assert d["trips"][0]["total_dv_kms"] == pytest.approx(ref.total_dv_kms, rel=1e-12)
    assert d["trips"][0]["outbound"]["launch_utc"][:10] == ref.launch.iso[:10]
    assert (tmp_path / "rt.html").exists()
    main(args)  # the table
    assert "Round trips" in capsys.readouterr().out
    for bad, words in ((["--min-stay-days", "700"], "swap"),
                       (["--max-entry-speed", "9"], "11.07"),
                       (["--rank-by", "cost"], "objective")):
        with pytest.raises(SystemExit) as exc:
            main([*args, *bad])
        assert exc.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and words in err[0], err
    with pytest.raises(SystemExit):
        main(["round-trip", "--from", "2030", "--to", "2026"])
    assert "swap" in capsys.readouterr().err


def test_legs_reach_their_planets(spice):
    """Each leg of the best trip of the 2028 window, as areo's Lambert arc from the SPICE
    (DE440) state of the departure planet, Kepler-propagated about the Sun for its time of
    flight, ends within 1 km of the arrival planet; the arcs' excess speeds are the trip's."""
    t = _search().trips[0]
    check_leg(spice, ("399", "4"), (float(t.launch.et), float(t.arrive.et)),
              (math.sqrt(t.c3_km2s2), t.vinf_arrive_mars_kms))
    check_leg(spice, ("4", "399"), (float(t.depart.et), float(t.return_arrive.et)),
              (t.vinf_depart_mars_kms, t.vinf_arrive_earth_kms))


def test_at_mars_keeps_the_best_trip_present_over_the_held_span(brute):
    """at_mars=(from, to): the best trip arrived at Mars by ``from`` and leaves no earlier
    than ``to``, the minimum of the four-date enumeration restricted to such trips."""
    pc, rw, total, _days = brute
    hold = ("2029-09-01", "2030-11-15")  # the unconstrained best: 2029-09-16 .. 2030-10-21
    h0, h1 = (float(Time(t).et) for t in hold)
    ok = ((pc.arrive.et <= h0 + 1e-3)[None, :, None, None]
          & (rw.depart.et >= h1 - 1e-3)[None, None, :, None])
    ref = float(np.nanmin(np.where(ok, total, np.nan)))
    rt = _search(at_mars=hold)
    assert rt.trips[0].total_dv_kms == pytest.approx(ref, rel=1e-9)
    assert ref > float(np.nanmin(total)) + 1e-6  # the hold binds here
    for t in rt.trips:
        assert float(t.arrive.et) <= h0 + 1e-3 and float(t.depart.et) >= h1 - 1e-3
    with pytest.raises(AreoInputError, match="swap"):
        _search(at_mars=hold[::-1])


def test_a_total_dv_cap_drops_only_the_dearer_trips():
    """max_total_dv_kms lists the same trips as no cap, less those above it (the greedy
    pick runs cheapest first, so a dearer trip never suppressed a cheaper one)."""
    kw = {"min_stay_days": 30, "max_stay_days": 700, "step_days": 10}
    every = round_trips("2026-01-01", "2031-12-31", **kw)
    capped = round_trips("2026-01-01", "2031-12-31", max_total_dv_kms=9.0, **kw)
    want = [t.to_dict() for t in every.trips if t.total_dv_kms <= 9.0]
    assert 0 < len(want) < len(every)
    assert [t.to_dict() for t in capped.trips] == want
    with pytest.raises(AreoInputError, match="total dv <= 1"):
        round_trips("2026-01-01", "2031-12-31", max_total_dv_kms=1.0, **kw)


def test_cli_max_total_dv(capsys):
    from areo.cli import main

    args = ["round-trip", "--from", "2026-01-01", "--to", "2031-12-31", "--step-days", "10"]
    main([*args, "--json"])
    every = json.loads(capsys.readouterr().out)["trips"]
    main([*args, "--max-total-dv", "9", "--json"])
    capped = json.loads(capsys.readouterr().out)["trips"]
    assert capped == [t for t in every if t["total_dv_kms"] <= 9.0] and capped


def test_trips_say_which_search_limits_they_sit_on():
    """Each trip names the bounds it lies on, read here from its own dates and figures:
    the stay, the flight times and the launch span from the epochs, the caps from the entry
    speed and the total; a trip inside every bound names none."""
    lo_s, hi_s, step, cap = 30.0, 700.0, 5.0, 12.0
    rt = round_trips("2026-01-01", "2030-12-31", min_stay_days=lo_s, max_stay_days=hi_s,
                     step_days=step, max_entry_speed_kms=cap)
    start, end = Time("2026-01-01"), Time("2030-12-31")
    span_end = float(start.et) + math.floor((float(end.et) - float(start.et)) / DAY_S / step
                                            + 1e-9) * step * DAY_S
    seen = set()
    for t in rt.trips:
        out = float(t.arrive.et - t.launch.et) / DAY_S
        back = float(t.return_arrive.et - t.depart.et) / DAY_S
        expected = {
            "start of the launch span": abs(float(t.launch.et - start.et)) < 1.0,
            "end of the launch span": abs(float(t.launch.et) - span_end) < 1.0,
            "shortest outbound flight (120 d)": abs(out - 120.0) < 0.5,
            "longest outbound flight (400 d)": abs(out - 400.0) < 0.5,
            "shortest stay (30 d)": abs(t.stay_days - lo_s) < 0.5,
            "longest stay (700 d)": abs(t.stay_days - hi_s) < 0.5,
            "shortest return flight (120 d)": abs(back - 120.0) < 0.5,
            "longest return flight (400 d)": abs(back - 400.0) < 0.5,
            "entry-speed cap (12.0 km/s)": t.entry_speed_kms > cap - 0.01,
            "opposition class's duration bound (750 d)": (t.trip_class == "opposition"
                                                          and t.total_days > 745.0),
        }
        assert set(t.limits) == {k for k, hit in expected.items() if hit}, t
        assert t.to_dict()["at_limits"] == list(t.limits)
        assert ("search limit" in repr(t)) == bool(t.limits)
        seen.update(t.limits)
    # the span holds trips on several kinds of limit, and trips on none
    assert {"shortest stay (30 d)", "entry-speed cap (12.0 km/s)"} <= seen
    assert any(not t.limits for t in rt.trips)
