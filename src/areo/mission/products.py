"""The mission's products: ``summary.json`` and the tables, OEM files, Open MCT plan and
scenario copy written beside ``report.html``.

``summary.json`` (keys read by other tools; add, never rename): ``launch`` (``utc``,
``c3_km2s2``, ``dla_deg``, ...), ``arrival`` (``utc``, ``vinf_kms``, ``capture_dv_kms``, ...),
``orbiters`` (each ``{name, period_s, ...}``), ``relay`` (``mean_mbit_per_sol`` over sols 1
to ``operations.sols``, ``median_latency_s`` over the passes used, ...), ``campaign``
(``sols``, ``n_samples``, ``max_depth_m``, ``experiment_cycles``, ``vertical_surveys``,
``complete`` and, when incomplete, ``incomplete_reason`` and ``remaining_tasks``; null when
the scenario has no ``[rover]``), ``return`` (a scenario with ``[return]``: ``round_trip``,
``search``, ``orbiter_orbit``, ``ascent``, ``rendezvous``, ``earth_entry``; else null),
``runtime_s``. Times are UTC ISO strings.

Tables (CSV and Parquet): ``passes`` (every pass with its volume, share and latency),
``per_sol`` (relay and campaign per mission sol), ``earth_contacts``,
``campaign_activities``, ``edl_runs``, ``return_trips``, ``ascent_opportunities`` and
``return_alignment``.
``<orbiter>.oem``: CCSDS OEM of the first
``operations.ephemeris_sols`` (file names are unique slugs of the orbiter names).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from areo._output import inside, unique_file_names
from areo.constants import DAY_S
from areo.io.records import jsonable, write_json
from areo.mission.context import MissionContext
from areo.mission.results import (
    CampaignResult,
    EdlResult,
    OrbiterResult,
    RelayResult,
    ReturnResult,
    TrajectoryResult,
    TransferResult,
)

__all__ = ["FIXED_PRODUCTS", "oem_file_names", "summary", "write_products"]

#: Products with fixed names: an orbiter's OEM file never takes one of them.
FIXED_PRODUCTS = ("report.html", "summary.json", "scenario.toml", "rover_plan.openmct.json")


@dataclass(frozen=True)
class MissionProducts:
    """What a page writer (``run_mission(..., pages=[...])``) is given: the staging
    directory it writes into, the run's summary, its context and every step's typed result
    (by step name), and the product files already written there."""

    out_dir: Path
    summary: dict[str, Any]
    context: MissionContext
    results: Mapping[str, Any]
    files: tuple[str, ...]


#: Writes one page (e.g. :func:`areo.report.mission_page`) into ``products.out_dir`` and
#: returns its file name.
PageWriter = Callable[[MissionProducts], str]


def oem_file_names(orbiter_names: list[str]) -> dict[str, str]:
    """``{orbiter name: OEM file name}``: unique slugs (``../../x`` gives ``x.oem``)."""
    return unique_file_names(orbiter_names, ".oem", taken=FIXED_PRODUCTS)


# ============================================================================ summary
def _span_edges(ctx: MissionContext, chosen: dict[str, Any], step_days: float
                ) -> list[str]:
    """Which ends of the launch and arrival spans the ballistic choice sits on (within one
    porkchop step): the search was cut there, and a better arc may lie beyond."""
    from areo.time import Time

    out = []
    sc = ctx.scenario
    for name, span, utc in (("launch", sc.launch, chosen["launch"]),
                            ("arrival", sc.arrival, chosen["arrive"])):
        if span.utc is not None or span.earliest is None or span.latest is None:
            continue
        t = float(Time(utc).et)
        for end, at in (("earliest", span.earliest), ("latest", span.latest)):
            if abs(t - float(Time(at).et)) <= step_days * DAY_S:
                out.append(f"{name}.{end}")
    return out


def _trajectory_summary(trajectory: TrajectoryResult) -> dict[str, Any]:
    """The flown DSM/MGA trajectory's part of the summary."""
    r = trajectory.record
    period = trajectory.period
    out = {k: r[k] for k in ("model", "sequence", "objective", "objective_value",
                             "total_dv_kms", "legs", "flybys", "constraints",
                             "constraints_violated", "at_edge", "notes", "runtime_s",
                             "evaluations")}
    # when the approach geometry puts the site under the landing ring (before EDL refines it)
    out["planned_landing_utc"] = r["landing_utc"]
    out["launch_period"] = None
    if period is not None and period["items"]:
        items = period["items"]
        out["launch_period"] = {
            "days": len(items), "first_utc": items[0]["launch_utc"],
            "last_utc": items[-1]["launch_utc"],
            "max_c3_km2s2": max(p["c3_km2s2"] for p in items),
            "widest_feasible": period.get("widest_period")}
    return out


def _edl_summary(edl: EdlResult) -> dict[str, Any]:
    """The EDL Monte Carlo's part of the summary (its CLI document's keys and the entry)."""
    r = edl.record
    out = {k: r[k] for k in ("vehicle", "runs", "seed", "ellipse", "hardware", "peak_g",
                             "chute_mach", "landed_fraction", "seconds")}
    out["entry"] = {k: r["entry"][k] for k in (
        "entry_utc", "landing_utc", "landing_lmst_hours", "alt_km", "speed_kms", "fpa_deg",
        "azimuth_deg", "lat_deg", "lon_east_deg")}
    out["failures"] = {k: r["failures"][k] for k in ("failed", "failed_fraction")}
    out["nominal_events"] = r["nominal_events"]
    return out


def _relay_summary(ctx: MissionContext, relay: RelayResult) -> dict[str, Any]:
    """The relay plan's part of the summary."""
    from areo.time import Time

    sc = ctx.scenario
    plan = relay.plan
    full = [r for r in relay.per_sol(ctx.sols) if r["sol"] >= 1]
    used = [r for r in plan.rows if r["share"] > 0 and math.isfinite(r["latency_s"])]
    lat = [r["latency_s"] for r in used]
    cw = plan.conjunctions
    conj = [{"start": str(Time.from_et(a).utc_iso(0)), "end": str(Time.from_et(b).utc_iso(0)),
             "days": (b - a) / DAY_S} for a, b in zip(cw.starts, cw.ends, strict=True)]
    contacts = {}
    t0, t1 = relay.start_et, relay.stop_et
    for name, win in plan.contacts.items():
        sel = (win.ends > t0) & (win.starts < t1)
        a, b = np.maximum(win.starts[sel], t0), np.minimum(win.ends[sel], t1)
        hours = float(np.sum(b - a)) / 3600.0
        contacts[name] = {"hours_per_day": hours / ((t1 - t0) / DAY_S),
                          "n_contacts": int(a.size)}
    return {
        "mean_mbit_per_sol": float(np.mean([r["relay_mbit"] for r in full])) if full else 0.0,
        "median_latency_s": float(np.median(lat)) if lat else None,
        "passes_used": len([r for r in plan.rows if r["share"] > 0]),
        "passes_found": len(plan.rows),
        "status": plan.status,
        "sols": ctx.sols,
        "lander_radio": ctx.lander_radio,
        "stations": list(sc.stations.names),
        "earth_contacts": contacts,
        "conjunctions": conj,
    }


def summary(ctx: MissionContext, transfer: TransferResult,
            orbiters: list[OrbiterResult] | None, relay: RelayResult | None,
            campaign: CampaignResult | None,
            trajectory: TrajectoryResult | None = None,
            edl: EdlResult | None = None,
            sample_return: ReturnResult | None = None) -> dict[str, Any]:
    """The ``summary.json`` contract (without ``runtime_s`` and ``cache``). With a DSM/MGA
    ``trajectory``, ``launch`` and ``arrival`` are the flown trajectory's and
    ``transfer.trajectory`` describes it; the ballistic choice stays in ``transfer``. A run
    stopped early (``run_mission(..., upto=...)``) has no ``orbiters`` (empty) and no
    ``relay`` (None)."""
    from areo import __version__
    from areo.events.illumination import solar_elevation
    from areo.time import mars_time

    sc = ctx.scenario
    c = transfer.chosen
    ins = transfer.insertion
    mt = mars_time(ctx.landing, ctx.site.lon_east_deg)
    site = ctx.site
    out: dict[str, Any] = {
        "scenario": {"name": sc.mission.name, "file": sc.origin.removeprefix("scenario "),
                     "description": sc.mission.description},
        "areo_version": __version__,
        "launch": {"utc": c["launch"], "c3_km2s2": c["c3_km2s2"], "dla_deg": c["dla_deg"],
                   "rla_deg": c["rla_deg"], "vinf_kms": c["vinf_depart_kms"],
                   "dv_depart_kms": c["dv_depart_kms"],
                   "parking_alt_km": sc.launch.parking_alt_km},
        "transfer": {"tof_days": c["tof_days"], "type": c["transfer_type_name"],
                     "revs": c["revs"], "objective": sc.transfer.objective,
                     "pinned": c["pinned"], "porkchop_shape": transfer.porkchop["shape"]},
        "arrival": {"utc": c["arrive"], "vinf_kms": c["vinf_arrive_kms"],
                    "declination_deg": c["arrival_dec_deg"],
                    "capture_dv_kms": ins["dv_capture_kms"],
                    "capture_orbit": transfer.capture,
                    "insertion": {k: ins[k] for k in ("dv_direct_kms", "dv_propulsive_kms",
                                                      "dv_aerobraking_kms",
                                                      "aerobraking_saving_kms",
                                                      "final_alt_km")}},
        "landing": {"utc": ctx.landing_utc,
                    "site": {"key": site.key, "name": site.name, "lat_deg": site.lat_deg,
                             "lon_east_deg": site.lon_east_deg},
                    "mars_year": int(mt.mars_year), "ls_deg": float(mt.ls_deg),
                    "lmst_hours": float(mt.lmst_hours),
                    "sun_elevation_deg": float(solar_elevation(site, ctx.landing)),
                    "sol0_midnight_utc": str(ctx.clock.sol0_midnight.utc_iso(3))},
        "orbiters": [{"name": o.name, "period_s": o.period_s, "peri_alt_km": o.peri_alt_km,
                      "apo_alt_km": o.apo_alt_km, "inc_deg": o.inc_deg, "source": o.source}
                     for o in orbiters or []],
        "relay": None if relay is None else _relay_summary(ctx, relay),
        "campaign": None,
        "runtime_s": None,
    }
    step = float(np.median(np.diff(transfer.porkchop["launch_et"]))) / DAY_S \
        if len(transfer.porkchop["launch_et"]) > 1 else 1.0
    out["transfer"]["model"] = sc.transfer.model
    out["transfer"]["at_edge"] = _span_edges(ctx, c, step)
    if trajectory is not None:
        from areo.transfer.maneuvers import departure_dv

        r = trajectory.record
        ins = trajectory.insertion
        vinf = math.sqrt(max(r["launch"]["c3_km2s2"], 0.0))
        out["launch"] = {**r["launch"], "vinf_kms": vinf,
                         "dv_depart_kms": float(departure_dv(vinf, sc.launch.parking_alt_km)),
                         "parking_alt_km": sc.launch.parking_alt_km}
        out["arrival"] = {**out["arrival"], "utc": r["arrival"]["utc"],
                          "vinf_kms": r["arrival"]["vinf_kms"],
                          "declination_deg": r["arrival"]["declination_deg"],
                          "ls_deg": r["arrival"]["ls_deg"],
                          "landing_lmst_h": r["arrival"]["landing_lmst_h"],
                          "capture_dv_kms": ins["dv_capture_kms"],
                          "capture_orbit": trajectory.capture,
                          "insertion": {k: ins[k] for k in (
                              "dv_direct_kms", "dv_propulsive_kms", "dv_aerobraking_kms",
                              "aerobraking_saving_kms", "final_alt_km")}}
        out["transfer"]["tof_days"] = (r["arrive_et"] - r["launch_et"]) / DAY_S
        out["transfer"]["trajectory"] = _trajectory_summary(trajectory)
    out["edl"] = None if edl is None else _edl_summary(edl)
    # the [return] step's record: round_trip, search, orbiter_orbit, ascent, rendezvous,
    # earth_entry (areo.mission.steps.sample_return)
    out["return"] = None if sample_return is None else sample_return.record
    if campaign is not None:
        s = campaign.summary
        camp = {k: s.get(k) for k in (
            "sols", "n_samples", "max_depth_m", "experiment_cycles", "vertical_surveys",
            "last_science_sol", "contingency_sols", "data_returned_mbit",
            "mean_data_returned_mbit_per_sol")}
        if len(campaign.soc):
            camp["soc_min_pct"] = float(np.min(campaign.soc["soc_pct"]))
        camp["rover"] = ctx.rover.name or ctx.rover.key
        camp["dust_tau"] = sc.dust.tau
        camp["complete"] = campaign.complete
        if not campaign.complete:
            camp["incomplete_reason"] = s.get("incomplete_reason")
            camp["remaining_tasks"] = s.get("remaining_tasks")
        out["campaign"] = camp
    return jsonable(out)


# ============================================================================ tables
def _write_table(stage: Path, name: str, frame: Any) -> list[str]:
    from areo._files import atomic_path

    with atomic_path(stage / f"{name}.csv") as tmp:
        frame.to_csv(tmp, index=False)
    with atomic_path(stage / f"{name}.parquet") as tmp:
        frame.to_parquet(tmp, index=False)
    return [f"{name}.csv", f"{name}.parquet"]


def passes_frame(relay: RelayResult) -> Any:
    import pandas as pd

    cols = ["orbiter", "lander", "sol", "aos", "los", "lmst_aos_hours", "max_elev_deg",
            "volume_mbit", "share", "relayed_mbit", "latency_s", "decisional", "rate_mode"]
    rows = []
    for r in relay.plan.rows:
        d = {k: r.get(k) for k in cols if k != "relayed_mbit"}
        d["duration_s"] = r["los_et"] - r["aos_et"]
        d["relayed_mbit"] = r["volume_mbit"] * r["share"]
        rows.append(d)
    return pd.DataFrame(rows, columns=[*cols, "duration_s"])


def per_sol_frame(ctx: MissionContext, relay: RelayResult,
                  campaign: CampaignResult | None) -> Any:
    import pandas as pd

    from areo.time import mars_time

    df = pd.DataFrame(relay.per_sol(ctx.sols))
    starts = ctx.clock.time_of(df["sol"].to_numpy(dtype=float))
    df.insert(1, "utc_start", [str(s).rstrip("Z") for s in np.atleast_1d(starts.utc_iso(3))])
    df.insert(2, "ls_deg", np.atleast_1d(mars_time(starts, 0.0).ls_deg))
    if campaign is not None:
        camp = campaign.frame
        if camp is not None and len(camp) and "sol" in camp.columns:
            camp = camp.rename(columns={c: (c if c == "sol" else f"campaign_{c}")
                                        for c in camp.columns})
            df = df.merge(camp, on="sol", how="left")
    return df


def contacts_frame(relay: RelayResult) -> Any:
    import pandas as pd

    from areo.time import Time

    rows = []
    for name, win in relay.plan.contacts.items():
        if not len(win):
            continue
        starts = np.atleast_1d(Time.from_et(win.starts).utc_iso(0))
        ends = np.atleast_1d(Time.from_et(win.ends).utc_iso(0))
        for k in range(len(win)):
            rows.append({"orbiter": name, "start": str(starts[k]), "end": str(ends[k]),
                         "duration_s": float(win.ends[k] - win.starts[k])})
    return pd.DataFrame(rows, columns=["orbiter", "start", "end", "duration_s"])


# ============================================================================ writing
def write_products(stage: Path, ctx: MissionContext, transfer: TransferResult,
                   orbiters: list[OrbiterResult], relay: RelayResult,
                   campaign: CampaignResult | None, edl: EdlResult | None = None,
                   sample_return: ReturnResult | None = None) -> list[str]:
    """Write the tables, OEM files, Open MCT plan and scenario copy into ``stage``;
    returns their file names."""
    from areo._files import MAX_TOML_BYTES, read_input_file
    from areo.io.oem import write_oem
    from areo.time import Time

    sc = ctx.scenario
    files: list[str] = []
    files += _write_table(stage, "passes", passes_frame(relay))
    files += _write_table(stage, "per_sol", per_sol_frame(ctx, relay, campaign))
    files += _write_table(stage, "earth_contacts", contacts_frame(relay))
    # Orbiter names come from the scenario: they reach the disk only as unique slugs.
    oem_names = oem_file_names([o.name for o in orbiters])
    for o in orbiters:
        name = oem_names[o.name]
        write_oem(inside(stage, name), Time.from_et(o.oem_et), o.oem_states,
                  object_name=str(o.display_name).upper(), center_name="MARS",
                  ref_frame="ICRF", time_system="UTC",
                  comments=[f"areo mission: {sc.mission.name}",
                            f"source: {o.source} ({o.phasing or 'as given'})",
                            f"first {sc.operations.ephemeris_sols:g} sols after the landing"])
        files.append(name)
    if edl is not None:
        files += _write_table(stage, "edl_runs", edl.runs)
    if sample_return is not None:
        files += _write_table(stage, "return_trips", sample_return.trips)
        files += _write_table(stage, "ascent_opportunities", sample_return.opportunities)
        if sample_return.alignment is not None:
            files += _write_table(stage, "return_alignment", sample_return.alignment)
    if campaign is not None:
        write_json(stage / "rover_plan.openmct.json", campaign.openmct)
        files.append("rover_plan.openmct.json")
        if len(campaign.activities):
            files += _write_table(stage, "campaign_activities", campaign.activities)
    # Only a scenario loaded from a file has one to copy ("scenario PATH"); a scenario built
    # in Python is named "scenario", which must not pick up a file of that name.
    src = Path(sc.origin.removeprefix("scenario ")) if sc.origin.startswith("scenario ") \
        else None
    if src is not None and src.is_file():
        (stage / "scenario.toml").write_bytes(
            read_input_file(src, "the scenario file", MAX_TOML_BYTES))
        files.append("scenario.toml")
    return files
