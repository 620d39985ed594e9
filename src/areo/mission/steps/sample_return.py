"""The ``return`` step (a scenario with ``[return]``, issue 15): the Earth Return Orbiter's
round trip (:func:`areo.transfer.round_trips`: DE440 Lambert legs, the Mars departure from
the orbiter's drifting orbit, the capsule's Earth entry speed under its cap, the Earth site
reached) that is at Mars over the sample container's ascent; the Mars Ascent Vehicle's
launch opportunities from the site into the container's orbit plane
(:func:`areo.orbits.ascent.launch_opportunities`) and its delta-v budget
(:func:`areo.orbits.ascent.ascent_budget`); the orbiter's rendezvous phasing to the
container (:func:`areo.orbits.ascent.rendezvous_phasing`); the Earth entry, with the
return window around the chosen return (entry speed over Mars departure x Earth arrival)."""

from __future__ import annotations

import math
from typing import Any

from areo.constants import DAY_S
from areo.errors import AreoInputError
from areo.mission.context import StepInputs, field_error
from areo.mission.results import ReturnResult
from areo.mission.steps.base import Step

#: Half-width (days) of the return window drawn around the chosen return's dates.
ENTRY_WINDOW_PAD_DAYS = 40.0


def compute(inp: StepInputs) -> ReturnResult:
    from areo.orbits import Orbit
    from areo.orbits.ascent import ascent_budget, launch_opportunities, rendezvous_phasing
    from areo.time import Time
    from areo.transfer.maneuvers import CaptureOrbit
    from areo.transfer.returns import (
        ENTRY_INTERFACE_ALT_KM,
        DepartureOrbit,
        departure_dv_plane,
        return_window,
    )
    from areo.transfer.roundtrip import round_trips

    sc = inp.scenario
    spec = sc.sample_return
    start = Time(spec.ascent_utc) if spec.ascent_utc else inp.landing
    end = Time.from_et(float(start.et) + spec.ascent_days * DAY_S)
    start_utc = str(start.utc_iso(0))
    site = spec.ascent_site or inp.site
    c_inc = spec.orbiter_inc_deg if spec.container_inc_deg is None else spec.container_inc_deg
    orbit = DepartureOrbit(CaptureOrbit(spec.orbiter_alt_km, spec.orbiter_alt_km),
                           inclination_deg=spec.orbiter_inc_deg,
                           raan_deg=spec.orbiter_raan_deg, epoch=start_utc)
    try:
        rt = round_trips(
            spec.earliest, spec.latest, min_stay_days=spec.min_stay_days,
            max_stay_days=spec.max_stay_days, max_total_days=spec.max_total_days,
            step_days=spec.step_days, outbound_tof_days=spec.outbound_tof_days,
            return_tof_days=spec.return_tof_days, departure_orbit=orbit,
            parking_alt_km=spec.parking_alt_km, max_c3=spec.max_c3_km2s2,
            max_entry_speed_kms=spec.max_entry_speed_kms, site=spec.earth_site,
            objective=spec.objective, at_mars=(start_utc, str(end.utc_iso(0))),
            return_via=spec.return_via, max_total_dv_kms=spec.max_total_dv_kms)
        container = Orbit.from_elements(peri_alt_km=spec.container_alt_km,
                                        apo_alt_km=spec.container_alt_km, inc_deg=c_inc,
                                        raan_deg=spec.orbiter_raan_deg, epoch=start_utc)
        opps = launch_opportunities(site, container, start, end)
        budget = ascent_budget(site, spec.container_alt_km, c_inc)
        phasing = rendezvous_phasing(spec.orbiter_alt_km, spec.container_alt_km,
                                     spec.phase_deg, revolutions=spec.rendezvous_revs)
        # The planes share their node at the ascent and regress at their own J2 rates: the
        # plane change is the angle between them when the orbiter meets the container
        # (launched at the first opportunity), spherical trigonometry on the two poles.
        t_launch = float(opps.items[0].time.et) if len(opps) else float(start.et)
        t_meet = t_launch + phasing.total_s
        d_node = (float(container.raan_rate_deg_per_day) - orbit.raan_rate_deg_per_day) * (
            t_meet - float(start.et)) / DAY_S
        i_o, i_c = math.radians(spec.orbiter_inc_deg), math.radians(c_inc)
        plane_deg = math.degrees(math.acos(min(1.0, max(-1.0, (
            math.cos(i_o) * math.cos(i_c)
            + math.sin(i_o) * math.sin(i_c) * math.cos(math.radians(d_node)))))))
        phasing = rendezvous_phasing(spec.orbiter_alt_km, spec.container_alt_km,
                                     spec.phase_deg, revolutions=spec.rendezvous_revs,
                                     plane_change_deg=plane_deg)
    except AreoInputError as exc:
        raise field_error(sc, "return", str(exc)) from None
    trip = rt.trips[0]
    pad = ENTRY_WINDOW_PAD_DAYS * DAY_S
    d0, a0 = float(trip.depart.et), float(trip.return_arrive.et)
    rw = return_window(Time.from_et(d0 - pad), Time.from_et(d0 + pad),
                       Time.from_et(a0 - pad), Time.from_et(a0 + pad), 2.0,
                       departure_orbit=orbit, max_entry_speed_kms=spec.max_entry_speed_kms,
                       site=spec.earth_site)
    record = {
        "round_trip": trip.to_dict(),
        "search": {"from_utc": spec.earliest, "to_utc": spec.latest,
                   "step_days": spec.step_days, "objective": spec.objective,
                   "min_stay_days": spec.min_stay_days, "max_stay_days": spec.max_stay_days,
                   "trips_found": len(rt), "lambert_solves": rt.lambert_solves,
                   "pairs_scanned": rt.pairs_scanned, "seconds": rt.seconds,
                   "at_mars": [start_utc, str(end.utc_iso(0))],
                   # the best trip of each class per opportunity (launch window), ranked
                   "best_per_window": [x.to_dict() for x in rt.trips[:10]]},
        "orbiter_orbit": orbit.to_dict(),
        # plane alignment at the chosen departure: the orbit's plane, drifted with J2 since
        # the ascent, against one holding the departure asymptote
        "departure_plane": {
            "mars_dv_kms": trip.dv_mars_depart_kms,
            "mars_dv_aligned_kms": float(departure_dv_plane(trip.vinf_depart_mars_kms,
                                                            orbit.orbit)),
            "raan_deg": float(orbit.raan_at(trip.depart)[0])},
        "ascent": {"site": opps.site, "site_lat_deg": opps.site_lat_deg,
                   "container_alt_km": spec.container_alt_km, "container_inc_deg": c_inc,
                   "from_utc": start_utc, "to_utc": str(end.utc_iso(0)),
                   "n_opportunities": len(opps), "opportunities": opps.to_records(),
                   "budget": budget.to_dict()},
        "rendezvous": {"orbiter_alt_km": spec.orbiter_alt_km,
                       "container_alt_km": spec.container_alt_km,
                       "phase_deg": spec.phase_deg,
                       "container_launch_utc": str(Time.from_et(t_launch).utc_iso(3)),
                       "meet_utc": str(Time.from_et(t_meet).utc_iso(3)),
                       "node_drift_deg": d_node, "plane_change_deg": plane_deg,
                       **phasing.to_dict()},
        "earth_entry": {"utc": trip.to_dict()["return"]["arrive_utc"],
                        "vinf_kms": trip.vinf_arrive_earth_kms,
                        "entry_speed_kms": trip.entry_speed_kms,
                        "entry_interface_alt_km": ENTRY_INTERFACE_ALT_KM,
                        "max_entry_speed_kms": spec.max_entry_speed_kms,
                        "arrival_dec_deg": trip.arrival_dec_deg, "site": spec.earth_site,
                        "site_reachable": trip.site_reachable,
                        "window_min_entry_speed_kms": _min_entry(rw)},
    }
    dp = record["departure_plane"]
    dp["plane_penalty_kms"] = dp["mars_dv_kms"] - dp["mars_dv_aligned_kms"]
    # the plane's drift over the departure days of the return window (2-day steps)
    align = rw.alignment_by_day()
    pen = align["plane_penalty_kms"].dropna()
    dp["window"] = {"from_utc": str(rw.depart[0].utc_iso(0)),
                    "to_utc": str(rw.depart[-1].utc_iso(0)), "days_feasible": int(pen.size),
                    "min_penalty_kms": float(pen.min()) if pen.size else None,
                    "max_penalty_kms": float(pen.max()) if pen.size else None}
    entry_fig = rw.plot(title="Return window around the chosen return: Mars departure C3, "
                        "Earth entry speed")
    # the legend below the plot, as the report's porkchop: beside it, it covers the colour bar
    entry_fig.update_layout(legend={"orientation": "h", "y": -0.18})
    figures = {"trips": rt.plot().to_plotly_json(), "ascent": opps.plot().to_plotly_json(),
               "entry": entry_fig.to_plotly_json()}
    return ReturnResult(record=record, trips=rt.to_frame(), opportunities=opps.to_frame(),
                        figures=figures, alignment=align)


def _min_entry(rw: Any) -> float | None:
    import numpy as np

    ok = rw.feasible()
    return float(np.min(rw.entry_speed_kms[ok])) if ok.any() else None


def _detail(v: ReturnResult) -> str:
    r = v.record
    t = r["round_trip"]
    return (f"launch {t['outbound']['launch_utc'][:10]}, back {t['return']['arrive_utc'][:10]}"
            f", {t['total_dv_kms']:.3f} km/s, entry {t['return']['entry_speed_kms']:.2f} km/s"
            f", {r['ascent']['n_opportunities']} ascent opportunities")


STEP = Step("return", "Sample return: round trip, ascent, rendezvous, Earth entry",
            reads=("sample_return",), uses=("site", "landing"), compute=compute,
            detail=_detail, applies=lambda sc: sc.sample_return is not None,
            skipped="no [return] section")
