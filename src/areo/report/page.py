"""The mission report's page: ``templates/mission.html.j2`` rendered by Jinja2.

The page is one self-contained file: the CSS (``templates/report.css``) and plotly.js (from
the installed ``plotly`` package) are inlined, nothing is fetched from a network. The
template engine escapes every text it is given (``autoescape=True``), so names and
descriptions from scenarios reach the page as text, never as markup. Only three things are
inserted unescaped (``|safe``): the CSS, plotly.js and the figure ``<div>``s that plotly
generates (its JSON escapes ``</``; the scenario text inside the figures is escaped by the
figure functions, see :mod:`areo.report.figures`).

Product links are ``./`` + the percent-encoded file name of a product beside the page,
checked to stay inside the output directory (:func:`areo._output.inside`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from pathlib import Path
from typing import Any
from urllib.parse import quote

from areo._output import inside
from areo.report.figures import _short, build_figures

__all__ = ["key_tables", "mission_page", "render_html", "warnings", "write_report"]

#: plotly's per-figure options (no logo, PNG export at twice the size).
_CONFIG = {"displaylogo": False, "responsive": True,
           "toImageButtonOptions": {"format": "png", "scale": 2}}

TEMPLATE = "mission.html.j2"

_TITLES = {
    "porkchop": "Launch window", "ecliptic": "Transfer", "groundtrack": "Ground tracks",
    "week": "Passes and Earth contacts", "per-sol": "Relay per sol",
    "campaign": "Campaign", "soc": "Battery", "trajectory": "Trajectory",
    "launch-period": "Launch period", "edl": "Landing ellipse", "edl-flight": "Descent",
    "return-trips": "Round trips", "ascent": "Ascent opportunities",
    "earth-entry": "Earth return and entry",
}
_NOTES = {
    "porkchop": "Each cell is a ballistic Earth→Mars Lambert arc between DE440 states; "
                "colour is the launch energy C3 (km²/s²) up to the cap in the colour bar "
                "(white: above it, or no arc), red lines the arrival v-infinity (km/s), "
                "drawn only where there is an arc. The star marks the ballistic transfer "
                "chosen (the reference when the scenario flies a DSM trajectory).",
    "ecliptic": "Heliocentric positions projected on the ecliptic (ECLIPJ2000), AU; the "
                "arc is the two-body conic of the chosen ballistic transfer from launch to "
                "arrival, dated every 30 days, the arrow its direction of flight.",
    "groundtrack": "Sub-orbiter points over the first full sol after landing. Catalog "
                   "orbits have representative phasing: pass times are illustrative, "
                   "their statistics are not (give an OEM or SPK file for real "
                   "trajectories).",
    "week": "Bars are relay passes above the lander's mask (solid: used by the relay "
            "plan) and the windows in which each orbiter can downlink to a ground "
            "station (Mars above the station's 10° mask, orbiter not occulted, no "
            "conjunction).",
    "per-sol": "Per mission sol, each on its own axis: the volume each orbiter can relay "
               "(UHF link budget, CP-SAT allocation), the rover's data actually returned, "
               "and the median latency from the end of a pass to the data's arrival on "
               "Earth (next contact + light time).",
    "campaign": "The rover's plan: the hours each kind of activity takes on each sol, the "
                "campaign phases shaded, what each sol is (science, margin, contingency "
                "with its reason) and the depth of each sample delivered.",
    "soc": "Each sol's lowest and highest battery state of charge (the band between "
           "them), the end-of-sol target and the planning floor; below, the most data "
           "waiting on board for relay that sol.",
    "trajectory": "The flown trajectory (pygmo optimisation of the scenario's model on "
                  "DE440 planets) in the ecliptic: legs, deep-space manoeuvres and flybys "
                  "marked, with dates along the arc. The ballistic porkchop above is the "
                  "reference it improves on.",
    "launch-period": "The best trajectory for each launch day of the period, under the "
                     "same constraints: launch energy, manoeuvre and arrival.",
    "edl": "Where each dispersed entry lands (3-DOF flight over the rotating oblate Mars: "
           "entry, parachutes, jettisons, powered descent), the 99 % landing ellipse about "
           "the target, and where the separated hardware falls.",
    "edl-flight": "The undispersed descent: altitude and speed from the entry interface to "
                  "touchdown, each event (parachutes, heat shield, backshell, engines) marked.",
    "return-trips": "The return orbiter's best Earth→Mars→Earth round trip of each class per "
                    "opportunity (ballistic DE440 Lambert legs, at Mars over the ascent), as a "
                    "timeline, and their total ΔV against total duration.",
    "ascent": "When the sample container's orbit plane passes over the ascent site (its node "
              "regressing with J2), with the inertial launch azimuth of each pass.",
    "earth-entry": "Mars departure × Earth arrival around the chosen return: Mars departure "
                   "C3 filled, the capsule's entry speed at 125 km as lines, the least Mars "
                   "ΔV starred.",
}


@functools.cache
def environment() -> Any:
    """The Jinja2 environment on the packaged templates; it escapes every expression."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("areo.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# ============================================================================ tables
def _fmt(v: Any, digits: int = 3) -> str:
    """A table value as text (the template escapes it)."""
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "–"
        return f"{v:,.{digits}f}"
    return str(v)


def _row(label: str, v: Any, unit: str, digits: int = 3) -> dict[str, Any]:
    """One table row; ``v`` is a value or (value, digits)."""
    value, digits = (v[0], v[1]) if isinstance(v, tuple) else (v, digits)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return {"label": label, "value": _fmt(value, digits), "numeric": numeric, "unit": unit}


def _table(caption: str, rows: list[tuple[str, Any, str]]) -> dict[str, Any]:
    return {"caption": caption, "rows": [_row(k, v, u) for k, v, u in rows]}


def _utc(text: str | None) -> str:
    return "–" if not text else str(text)[:19].replace("T", " ")


def key_tables(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The key-figure tables: each ``{caption, rows: [{label, value, numeric, unit}]}``,
    values formatted as text."""
    la, ar, tr = summary["launch"], summary["arrival"], summary["transfer"]
    ins = ar["insertion"]
    cap = ar["capture_orbit"]
    land = summary["landing"]
    rel = summary["relay"]
    out = [
        _table("Launch and cruise", [
            ("launch", _utc(la["utc"]), "UTC"),
            ("launch energy C3", la["c3_km2s2"], "km²/s²"),
            ("declination of the launch asymptote (DLA)", (la["dla_deg"], 2), "deg"),
            ("right ascension of the asymptote (RLA)", (la["rla_deg"], 2), "deg"),
            ("departure delta-v from the parking orbit", la["dv_depart_kms"], "km/s"),
            ("parking orbit altitude", (la["parking_alt_km"], 0), "km"),
            ("time of flight", (tr["tof_days"], 1), "days"),
            ("transfer type (revolutions)", f"{tr['type']} ({tr['revs']})", ""),
            ("chosen for", "pinned dates" if tr["pinned"] else f"minimum {tr['objective']}",
             ""),
        ]),
        _table("Arrival and capture", [
            ("arrival", _utc(ar["utc"]), "UTC"),
            ("arrival v-infinity", ar["vinf_kms"], "km/s"),
            ("arrival declination (Mars equator)", (ar["declination_deg"], 2), "deg"),
            ("capture orbit", f"{cap['periapsis_alt_km']:.0f} × {cap['apoapsis_alt_km']:,.0f}",
             "km"),
            ("capture orbit period", (cap["period_hours"], 2), "h"),
            ("capture delta-v", ar["capture_dv_kms"], "km/s"),
            (f"direct insertion into {ins['final_alt_km']:.0f} km circular",
             ins["dv_direct_kms"], "km/s"),
            ("capture + propulsive descent", ins["dv_propulsive_kms"], "km/s"),
            ("capture + aerobraking", ins["dv_aerobraking_kms"], "km/s"),
        ]),
        _table("Landing", [
            ("landing", _utc(land["utc"]), "UTC"),
            ("site", land["site"]["name"], ""),
            ("latitude", (land["site"]["lat_deg"], 4), "deg N"),
            ("longitude", (land["site"]["lon_east_deg"], 4), "deg E"),
            ("Mars year / solar longitude Ls",
             f"MY {land['mars_year']}, Ls {land['ls_deg']:.1f}", "deg"),
            ("local mean solar time at landing", (land["lmst_hours"], 2), "h"),
            ("sol 0 began (local midnight)", _utc(land["sol0_midnight_utc"]), "UTC"),
        ]),
    ]
    traj = tr.get("trajectory")
    if traj:
        rows: list[tuple[str, Any, str]] = [
            ("model", f"{traj['model'].upper()}, {' → '.join(traj['sequence'])}", ""),
            ("optimised for", f"minimum {traj['objective']}", ""),
            ("ΔV after launch (DSMs, powered flybys)", traj["total_dv_kms"], "km/s")]
        for g in traj["legs"]:
            if g.get("dsm_utc"):
                rows.append((f"DSM on the {g['from']}→{g['to']} leg", f"{_utc(g['dsm_utc'])}"
                             f", {g['dsm_dv_kms'] * 1000:.1f} m/s", "UTC"))
        for f in traj["flybys"]:
            rows.append((f"{f['body']} flyby", f"{_utc(f['utc'])}, {f['altitude_km']:,.0f} km",
                         "UTC, altitude"))
        if ar.get("landing_lmst_h") is not None:
            rows.append(("arrival season Ls", (ar["ls_deg"], 1), "deg"))
        lp = traj.get("launch_period")
        if lp:
            rows.append(("launch period tabulated", f"{_utc(lp['first_utc'])[:10]} – "
                         f"{_utc(lp['last_utc'])[:10]} ({lp['days']} days)", ""))
            wf = lp.get("widest_feasible")
            rows.append(("widest period meeting every constraint",
                         "none" if not wf else f"{wf['first_utc']} – {wf['last_utc']} "
                         f"({wf['days']} days)", ""))
            rows.append(("highest C3 in the period", lp["max_c3_km2s2"], "km²/s²"))
        rows.append(("search", f"{traj['evaluations']:,} evaluations, "
                     f"{traj['runtime_s']:.1f} s", ""))
        out.insert(1, _table("Trajectory", rows))
        if traj.get("constraints"):
            out.insert(2, _table("Constraints", [
                (c["name"], f"{c['value']}: " + ("met" if c["met"] else
                                                 f"MISSED by {c['missed_by']}"),
                 c["limit"]) for c in traj["constraints"]]))
    edl = summary.get("edl")
    if edl:
        ent, ell = edl["entry"], edl["ellipse"] or {}
        rows = [
            ("vehicle", edl["vehicle"], ""),
            ("entry interface", f"{_utc(ent['entry_utc'])}, {ent['alt_km']:.1f} km", "UTC"),
            ("entry speed / flight-path angle",
             f"{ent['speed_kms']:.3f} km/s, {ent['fpa_deg']:.2f}°", ""),
            ("nominal touchdown", f"{_utc(ent['landing_utc'])}, "
             f"{ent['landing_lmst_hours']:.2f} h LMST", "UTC"),
            ("99 % landing ellipse", f"{ell.get('major_km', float('nan')):.1f} × "
             f"{ell.get('minor_km', float('nan')):.1f} km at "
             f"{ell.get('azimuth_deg', float('nan')):.0f}°", "km"),
            ("runs landed", f"{edl['landed_fraction'] * 100:.2f} % of {edl['runs']:,} "
             f"(seed {edl['seed']})", ""),
            ("peak deceleration (mean / 99th percentile)",
             f"{edl['peak_g']['mean']:.2f} / {edl['peak_g']['p99']:.2f}", "g"),
        ]
        if edl.get("chute_mach"):
            rows.append(("first parachute deploy Mach (mean)", (edl["chute_mach"]["mean"], 2),
                         ""))
        for h in edl["hardware"]:
            rows.append((f"{h['name']} from the lander", f"{h['distance_m']:,.0f} m, "
                         f"bearing {h['bearing_deg']:.0f}°", ""))
        out.append(_table("Entry, descent and landing", rows))
    ret = summary.get("return")
    if ret:
        out += _return_tables(ret)
    orb_rows: list[tuple[str, Any, str]] = []
    for o in summary["orbiters"]:
        orb_rows.append((f"{_short(o['name'])} period", (o["period_s"] / 3600.0, 3), "h"))
        orb_rows.append((f"{_short(o['name'])} pericentre × apocentre altitude",
                         f"{o['peri_alt_km']:,.0f} × {o['apo_alt_km']:,.0f}", "km"))
        orb_rows.append((f"{_short(o['name'])} inclination", (o["inc_deg"], 1), "deg"))
    out.append(_table("Orbiters", orb_rows))
    conj = rel["conjunctions"]
    relay_rows: list[tuple[str, Any, str]] = [
        ("operations", f"sols 0–{rel['sols']}", "sols"),
        ("mean relay capacity per sol, passes used (sols 1 on)",
         (rel["mean_mbit_per_sol"], 0), "Mbit"),
        ("median latency, pass end to Earth", (None if rel["median_latency_s"] is None
                                                else rel["median_latency_s"] / 60.0, 1),
         "min"),
        ("relay passes used / found", f"{rel['passes_used']:,} / {rel['passes_found']:,}",
         ""),
        ("lander radio", rel["lander_radio"], ""),
        ("ground stations", ", ".join(rel["stations"]), ""),
    ]
    for name, c in rel["earth_contacts"].items():
        relay_rows.append((f"{_short(name)} Earth contact time", (c["hours_per_day"], 1),
                           "h/day"))
    relay_rows.append(("solar conjunctions (Sun-Earth-Mars < 3°)",
                       "none" if not conj else "; ".join(
                           f"{_utc(c['start'])[:10]} – {_utc(c['end'])[:10]} "
                           f"({c['days']:.0f} d)" for c in conj), ""))
    out.append(_table("Relay and Earth contacts", relay_rows))
    camp = summary.get("campaign")
    if camp:
        out.append(_table("Rover campaign", [
            ("rover", camp.get("rover"), ""),
            ("sols planned", camp.get("sols"), "sols"),
            ("samples delivered", camp.get("n_samples"), ""),
            ("deepest sample", (camp.get("max_depth_m"), 2), "m"),
            ("experiment cycles", camp.get("experiment_cycles"), ""),
            ("vertical surveys", camp.get("vertical_surveys"), ""),
            ("lowest battery state of charge", (camp.get("soc_min_pct"), 1), "%"),
            ("science tasks done by sol", camp.get("last_science_sol"), ""),
            ("rover data returned", (camp.get("data_returned_mbit"), 0), "Mbit"),
            ("rover data returned per sol (mean)",
             (camp.get("mean_data_returned_mbit_per_sol"), 1), "Mbit"),
            ("contingency sols (conjunction, dust, low power)", camp.get("contingency_sols"),
             "sols"),
            ("dust scenario (tau)", camp.get("dust_tau"), ""),
        ]))
    return out


def warnings(summary: dict[str, Any]) -> list[str]:
    """What an analyst must not miss, one sentence each: a result on the edge of its search
    span, a constraint the trajectory misses, a landing in the dark."""
    out = []
    tr = summary["transfer"]
    traj = tr.get("trajectory")
    for edge in tr.get("at_edge") or []:
        what = "reference ballistic arc" if traj else "chosen transfer"
        out.append(f"The {what} sits on the edge of the search span ({edge}): a better "
                   "arc may lie beyond it; widen the span to be sure.")
    if traj:
        for note in traj.get("notes") or []:
            out.append(f"Trajectory: {note}.")
        for c in traj.get("constraints") or []:
            if not c["met"]:
                out.append(f"Constraint missed: {c['name']} is {c['value']} (required "
                           f"{c['limit']}), missed by {c['missed_by']}.")
    trip = (summary.get("return") or {}).get("round_trip") or {}
    if trip.get("at_limits"):
        out.append(f"The return round trip sits at a search limit ({'; '.join(trip['at_limits'])}"
                   "): a better trip may lie beyond it; widen that bound to be sure.")
    land = summary["landing"]
    lmst, sun = land.get("lmst_hours"), land.get("sun_elevation_deg")
    if lmst is not None and sun is not None and sun < 0.0:
        h, m = divmod(round(lmst * 60.0), 60)
        out.append(f"The landing is at {h % 24:02d}:{m:02d} local mean solar time, in the "
                   f"dark (Sun {sun:.1f}° below the horizon at the site): constrain the "
                   "landing time (landing.lmst_hours, with a DSM trajectory) or pin it "
                   "(landing.utc).")
    return out


def _facts(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The header's key facts: (value, label)."""
    la, ar = summary["launch"], summary["arrival"]
    rel, camp = summary["relay"], summary.get("campaign")
    facts = [
        (_utc(la["utc"])[:10], "launch"),
        (f"{la['c3_km2s2']:.2f} km²/s²", "C3"),
        (f"{la['dla_deg']:.1f}°", "DLA"),
        (_utc(ar["utc"])[:10], "arrival"),
        (f"{ar['vinf_kms']:.2f} km/s", "arrival v∞"),
        (f"{ar['capture_dv_kms']:.3f} km/s", "capture Δv"),
        (f"{rel['mean_mbit_per_sol']:.0f} Mbit", "relay capacity per sol"),
    ]
    if rel["median_latency_s"] is not None:
        facts.append((f"{rel['median_latency_s'] / 60:.0f} min", "median latency"))
    if camp:
        facts.append((f"{camp.get('n_samples')}", "samples"))
        if camp.get("mean_data_returned_mbit_per_sol") is not None:
            facts.append((f"{camp['mean_data_returned_mbit_per_sol']:.0f} Mbit",
                          "rover data per sol"))
        facts.append((f"{float(camp.get('max_depth_m') or 0):.2f} m", "deepest sample"))
    return facts


# ============================================================================ page
def product_href(file_name: str) -> str:
    """A link to a product beside the page: ``./`` + the percent-encoded file name (so no
    ``javascript:`` or other scheme, and no path outside the output directory).

    Raises:
        AreoInputError: ``file_name`` is not a plain name inside the output directory.
    """
    inside(Path("."), file_name)
    return "./" + quote(file_name, safe="")


def render_html(summary: dict[str, Any], figures: dict[str, Any], files: list[str]) -> str:
    """The page: header, key-figure tables, one section per figure, the products.

    ``figures`` maps section ids to plotly figures (:func:`~areo.report.build_figures`),
    ``files`` names the products beside the page."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    sections = [
        {"id": key, "title": _TITLES.get(key, key), "note": _NOTES.get(key, ""),
         "div": pio.to_html(fig, validate=False, full_html=False, include_plotlyjs=False,
                            div_id=f"fig-{key}",
                            config=_CONFIG, default_width="100%")}
        for key, fig in figures.items()]
    nav = [("figures", "Key figures"), *((k, _TITLES[k]) for k in figures if k in _TITLES)]
    return environment().get_template(TEMPLATE).render(
        scenario=summary["scenario"],
        site_name=summary["landing"]["site"]["name"],
        sols=summary["relay"]["sols"],
        facts=_facts(summary),
        warnings=warnings(summary),
        nav=nav,
        tables=key_tables(summary),
        sections=sections,
        has_campaign=summary.get("campaign") is not None,
        campaign=summary.get("campaign"),
        products=[{"href": product_href(f), "name": f} for f in sorted(files)],
        areo_version=str(summary.get("areo_version", "")),
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        runtime_s=float(summary.get("runtime_s") or 0),
        plotlyjs=get_plotlyjs(),
    )


def _return_tables(ret: dict[str, Any]) -> list[dict[str, Any]]:
    """The sample return's tables (summary.json ``return``): the round trip, the ascent
    and rendezvous, the Earth entry."""
    t, o, r = ret["round_trip"], ret["round_trip"]["outbound"], ret["round_trip"]["return"]
    srch, asc, rv, ent = ret["search"], ret["ascent"], ret["rendezvous"], ret["earth_entry"]
    bud = asc["budget"]
    first = asc["opportunities"][0] if asc["opportunities"] else None
    return [
        _table("Sample return: the return orbiter's round trip", [
            ("class", t["class"] + ("" if r.get("via", "direct") == "direct"
                                    else f", home via {r['via'].capitalize()}"), ""),
            ("launch / Mars arrival", f"{_utc(o['launch_utc'])[:10]} / "
             f"{_utc(o['arrive_utc'])[:10]}", "UTC"),
            ("stay at Mars", (t["stay_days"], 0), "days"),
            ("Mars departure / Earth arrival", f"{_utc(r['depart_utc'])[:10]} / "
             f"{_utc(r['arrive_utc'])[:10]}", "UTC"),
            ("total duration", (t["total_days"], 0), "days"),
            ("launch energy C3", o["c3_km2s2"], "km²/s²"),
            ("Mars capture / departure ΔV", f"{o['mars_capture_dv_kms']:.3f} / "
             f"{r['mars_dv_kms']:.3f}", "km/s"),
            ("total ΔV (Earth departure + Mars)", t["total_dv_kms"], "km/s"),
            ("Mars departure ΔV from the drifted plane / an aligned one",
             f"{ret['departure_plane']['mars_dv_kms']:.3f} / "
             f"{ret['departure_plane']['mars_dv_aligned_kms']:.3f}", "km/s"),
            ("search", f"{srch['from_utc'][:10]} – {srch['to_utc'][:10]} every "
             f"{srch['step_days']:g} d, {srch['lambert_solves']:,} Lambert arcs in "
             f"{srch['seconds']:.1f} s", ""),
        ]),
        _table("Sample return: ascent and rendezvous", [
            ("ascent site", f"{asc['site']} ({asc['site_lat_deg']:.2f}°)", ""),
            ("container orbit", f"{asc['container_alt_km']:g} km circular, "
             f"{asc['container_inc_deg']:g}°", ""),
            ("launch opportunities (plane over the site)",
             f"{asc['n_opportunities']} in {_utc(asc['from_utc'])[:10]} – "
             f"{_utc(asc['to_utc'])[:10]}", ""),
            ("first opportunity", "–" if first is None else
             f"{_utc(first['utc'])}, {first['direction']}, azimuth "
             f"{first['azimuth_deg']:.1f}°", "UTC"),
            ("ascent ΔV: ideal / budget", f"{bud['ideal_dv_kms']:.3f} / "
             f"{bud['total_dv_kms']:.3f}", "km/s"),
            ("rotation gain / flown excess (Jaron 2005 losses)",
             f"{bud['rotation_gain_kms'] * 1000:.0f} / {bud['flown_excess_kms'] * 1000:.0f}",
             "m/s"),
            ("rendezvous", f"{rv['method']}: wait {rv['wait_s'] / 3600:.2f} h, transfer "
             f"{rv['transfer_s'] / 3600:.2f} h from {rv['phase_deg']:g}° behind", ""),
            ("rendezvous ΔV (of which the plane change)", f"{rv['total_dv_kms'] * 1000:.1f} "
             f"({rv['plane_change_dv_kms'] * 1000:.1f}: {rv['plane_change_deg']:.3f}° after "
             f"{rv['node_drift_deg']:.2f}° of node drift)", "m/s"),
        ]),
        _table("Sample return: Earth entry", [
            ("arrival", _utc(ent["utc"]), "UTC"),
            ("arrival v-infinity", ent["vinf_kms"], "km/s"),
            ("entry speed at the interface", ent["entry_speed_kms"], "km/s"),
            ("entry interface / speed cap", f"{ent['entry_interface_alt_km']:g} km / "
             + ("none" if ent["max_entry_speed_kms"] is None
                else f"{ent['max_entry_speed_kms']:g} km/s"), ""),
            ("declination of the arrival asymptote", (ent["arrival_dec_deg"], 2), "deg"),
            ("landing site reached", "–" if ent["site"] is None else
             f"{ent['site']}: {'yes' if ent['site_reachable'] else 'no'}", ""),
        ]),
    ]


def write_report(path: str | Path, summary: dict[str, Any], *, site: Any, clock: Any,
                 rover: Any, transfer: Any, orbiters: list[Any], relay: Any,
                 campaign: Any | None, files: list[str], trajectory: Any = None,
                 edl: Any = None, sample_return: Any = None) -> Path:
    """Build the figures from the mission steps' results and write the page atomically
    to ``path``; ``files`` names the products beside it."""
    from areo._files import atomic_write

    figures = build_figures(site=site, clock=clock, rover=rover,
                            sols=int(summary["relay"]["sols"]), transfer=transfer,
                            orbiters=orbiters, relay=relay, campaign=campaign,
                            trajectory=trajectory, edl=edl, sample_return=sample_return)
    text = render_html(summary, figures, files)
    p = Path(path)
    with atomic_write(p, "w", encoding="utf-8") as fh:
        fh.write(text)
    return p


def mission_page(products: Any) -> str:
    """The page writer of ``areo.mission.run_mission(..., pages=[mission_page])``: draws
    ``report.html`` into ``products.out_dir`` (a :class:`areo.mission.products.MissionProducts`)
    and returns its name."""
    ctx, results = products.context, products.results
    write_report(products.out_dir / "report.html", products.summary, site=ctx.site,
                 clock=ctx.clock, rover=ctx.rover, transfer=results["transfer"],
                 orbiters=results["orbiters"], relay=results["relay"],
                 campaign=results.get("campaign"), files=list(products.files),
                 trajectory=results.get("trajectory"), edl=results.get("edl"),
                 sample_return=results.get("return"))
    return "report.html"
