"""CLI commands of Mars sample return (issue 15): ``return-window``, ``round-trip``,
``ascent``.

Registered on :data:`areo.cli.app`. ``--json`` keys are a contract (add, never rename).
"""

from __future__ import annotations

import time as _time
from contextlib import nullcontext as _nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from areo.cli._app import MODEL_HELP, TRANSFER, Table, _emit_json, _finite, _output, app, out
from areo.cli.orbit_cmds import _ANOM, _APO, _ARGP, _EPOCH, _INC, _PERI, _RAAN, _orbit
from areo.errors import ParameterError

# The options return-window and round-trip share (the Mars orbit left from, the return's
# constraints).
_PERIAPSIS = Annotated[float, typer.Option(
    "--periapsis-alt", help="Mars orbit periapsis altitude of the departure, km.")]
_APOAPSIS = Annotated[float, typer.Option(
    "--apoapsis-alt", help="Mars orbit apoapsis altitude of the departure, km.")]
_INCLINATION = Annotated[float | None, typer.Option(
    "--inclination", help="Mars orbit inclination to the Mars equator, deg (default: the "
    "orbit's plane holds the asymptote).")]
_ORBIT_EPOCH = Annotated[str | None, typer.Option(
    "--orbit-epoch", help="UTC of the --raan node; the node then regresses with J2 "
    "(default: a fixed plane).")]
_MAX_ENTRY = Annotated[float | None, typer.Option(
    "--max-entry-speed", help="Earth entry speed cap at 125 km, km/s (e.g. 12).")]
_EARTH_SITE = Annotated[str | None, typer.Option("--site", help="Catalog landing site.")]


@app.command("return-window", rich_help_panel=TRANSFER)
def return_window_cmd(
    depart_from: Annotated[str, typer.Option("--depart-from", help="First Mars departure date.")],
    depart_to: Annotated[str, typer.Option("--depart-to", help="Last Mars departure date.")],
    arrive_from: Annotated[str, typer.Option("--arrive-from", help="First arrival date.")],
    arrive_to: Annotated[str, typer.Option("--arrive-to", help="Last arrival date.")],
    step_days: Annotated[float, typer.Option("--step-days", help="Grid step, days.")] = 1.0,
    revs: Annotated[int, typer.Option("--revs", help="Max full revolutions of arcs.")] = 0,
    periapsis_alt: _PERIAPSIS = 300.0,
    apoapsis_alt: _APOAPSIS = 300.0,
    inclination: _INCLINATION = None,
    raan: _RAAN = 0.0,
    orbit_epoch: _ORBIT_EPOCH = None,
    max_entry_speed: _MAX_ENTRY = None,
    site: _EARTH_SITE = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Porkchop of the returns, FILE.html (no PNG: interactive plotly).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Mars -> Earth returns: Mars departure delta-v, Earth entry speed, landing-site reach."""
    from areo.transfer.maneuvers import CaptureOrbit
    from areo.transfer.returns import DepartureOrbit, return_window

    _output(plot, "--plot", (".html",))
    for value, name, hint in ((step_days, "--step-days", "a positive number of days, e.g. 1"),
                              (periapsis_alt, "--periapsis-alt", "km, e.g. 300"),
                              (apoapsis_alt, "--apoapsis-alt", "km, e.g. 300"),
                              (raan, "--raan", "deg, e.g. 0")):
        _finite(value, name, hint)
    if step_days <= 0:
        raise ParameterError(f"--step-days {step_days} must be > 0, e.g. 1")
    if max_entry_speed is not None:
        _finite(max_entry_speed, "--max-entry-speed", "km/s, e.g. 12")
    if inclination is not None:
        _finite(inclination, "--inclination", "deg in 0..180, e.g. 25")
    if apoapsis_alt < periapsis_alt:
        raise ParameterError(f"--apoapsis-alt {apoapsis_alt} km is below --periapsis-alt "
                             f"{periapsis_alt} km: swap them")
    t0 = _time.perf_counter()
    orbit = DepartureOrbit(CaptureOrbit(periapsis_alt, apoapsis_alt), inclination, raan,
                           orbit_epoch)
    rw = return_window(depart_from, depart_to, arrive_from, arrive_to, step_days,
                       departure_orbit=orbit, max_entry_speed_kms=max_entry_speed, site=site,
                       revs=revs)
    d = rw.to_dict()
    if d["min_mars_dv"] is None:
        rw.minimum()  # raises the one-line error naming the lowest entry speed
    if plot is not None:
        rw.plot(plot)
        d["plot"] = str(plot)
    d["seconds"] = _time.perf_counter() - t0
    if as_json:
        _emit_json(d)
        return
    table = Table(title=f"Mars -> Earth returns {rw.shape[0]} x {rw.shape[1]} (step "
                        f"{step_days:g} d), {d['cells_feasible']} feasible, "
                        f"{d['seconds']:.2f} s")
    for col in ("optimum", "depart Mars", "arrive Earth", "TOF d", "vinf dep km/s",
                "Mars dv km/s", "vinf arr km/s", "dec deg", "entry km/s", "site"):
        table.add_column(col, justify="right")
    for name, key in (("min Mars dv", "min_mars_dv"), ("min entry speed", "min_entry_speed")):
        p = d[key]
        table.add_row(name, p["depart_utc"][:10], p["arrive_utc"][:10], f"{p['tof_days']:.0f}",
                      f"{p['vinf_depart_kms']:.3f}", f"{p['mars_dv_kms']:.3f}",
                      f"{p['vinf_arrive_kms']:.3f}", f"{p['arrival_dec_deg']:.1f}",
                      f"{p['entry_speed_kms']:.3f}",
                      "-" if site is None else ("yes" if p["site_reachable"] else "no"))
    out.print(table)
    if plot is not None:
        out.print(f"plot written to {escape(str(plot))}")


def _year_or_date(text: str, end: bool) -> str:
    """'2026' -> its first (or, for an end, last) day; anything else unchanged."""
    t = text.strip()
    if t.isdigit() and len(t) == 4:
        return f"{t}-12-31" if end else f"{t}-01-01"
    return t


@app.command("round-trip", rich_help_panel=TRANSFER)
def round_trip_cmd(
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO (or a year: 2026).")],
    end: Annotated[str, typer.Option("--to", help="End, UTC ISO (or a year, included).")],
    min_stay_days: Annotated[float, typer.Option(
        "--min-stay-days", help="Shortest stay at Mars, days.")] = 30.0,
    max_stay_days: Annotated[float, typer.Option(
        "--max-stay-days", help="Longest stay at Mars, days.")] = 700.0,
    max_total_days: Annotated[float | None, typer.Option(
        "--max-total-days", help="Longest launch-to-return duration, days.")] = None,
    min_tof_days: Annotated[float, typer.Option(
        "--min-tof-days", help="Shortest flight of each leg, days.")] = 120.0,
    max_tof_days: Annotated[float, typer.Option(
        "--max-tof-days", help="Longest flight of each leg, days.")] = 400.0,
    step_days: Annotated[float, typer.Option("--step-days", help="Grid step, days.")] = 5.0,
    max_c3: Annotated[float | None, typer.Option(
        "--max-c3", help="C3 ceiling for the launch period.")] = None,
    max_total_dv: Annotated[float | None, typer.Option(
        "--max-total-dv", help="List only trips of at most this total ΔV, km/s.")] = None,
    max_entry_speed: _MAX_ENTRY = None,
    site: _EARTH_SITE = None,
    periapsis_alt: _PERIAPSIS = 300.0,
    apoapsis_alt: _APOAPSIS = 300.0,
    inclination: _INCLINATION = None,
    raan: _RAAN = 0.0,
    orbit_epoch: _ORBIT_EPOCH = None,
    rank_by: Annotated[str, typer.Option(
        "--rank-by", help="Objective: total_dv, mars_dv or total_days.")] = "total_dv",
    via: Annotated[str, typer.Option(
        "--via", help="Return route: direct, venus (inbound Venus swing-by) or either (the "
        "cheaper per departure day and flight time).")] = "direct",
    limit: Annotated[int, typer.Option("--limit", help="Trips shown in the table.")] = 10,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Round trips timeline and ΔV vs duration, FILE.html (no PNG: "
        "interactive plotly).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Earth -> Mars -> Earth round trips over a span: the best per opportunity and class."""
    from areo.transfer.maneuvers import CaptureOrbit
    from areo.transfer.returns import DepartureOrbit
    from areo.transfer.roundtrip import round_trips

    _output(plot, "--plot", (".html",))
    for value, name, hint in ((step_days, "--step-days", "a positive number of days, e.g. 5"),
                              (min_stay_days, "--min-stay-days", "days, e.g. 30"),
                              (max_stay_days, "--max-stay-days", "days, e.g. 700"),
                              (min_tof_days, "--min-tof-days", "days, e.g. 120"),
                              (max_tof_days, "--max-tof-days", "days, e.g. 400"),
                              (periapsis_alt, "--periapsis-alt", "km, e.g. 300"),
                              (apoapsis_alt, "--apoapsis-alt", "km, e.g. 300"),
                              (raan, "--raan", "deg, e.g. 0")):
        _finite(value, name, hint)
    if max_stay_days < min_stay_days:
        raise ParameterError(f"--max-stay-days {max_stay_days:g} is below --min-stay-days "
                             f"{min_stay_days:g}: swap them")
    if apoapsis_alt < periapsis_alt:
        raise ParameterError(f"--apoapsis-alt {apoapsis_alt} km is below --periapsis-alt "
                             f"{periapsis_alt} km: swap them")
    if limit < 1:
        raise ParameterError(f"--limit {limit} must be >= 1, e.g. 10")
    t0 = _time.perf_counter()
    orbit = DepartureOrbit(CaptureOrbit(periapsis_alt, apoapsis_alt), inclination, raan,
                           orbit_epoch)
    with out.status("searching round trips", spinner="dots") if not as_json \
            else _nullcontext():
        rt = round_trips(
            _year_or_date(start, False), _year_or_date(end, True),
            min_stay_days=min_stay_days, max_stay_days=max_stay_days,
            max_total_days=max_total_days, step_days=step_days,
            outbound_tof_days=(min_tof_days, max_tof_days),
            return_tof_days=(min_tof_days, max_tof_days), departure_orbit=orbit,
            max_c3=max_c3, max_entry_speed_kms=max_entry_speed, site=site, objective=rank_by,
            return_via=via, max_total_dv_kms=max_total_dv)
    d = rt.to_dict()
    if plot is not None:
        rt.plot(plot)
        d["plot"] = str(plot)
    d["seconds"] = _time.perf_counter() - t0
    if as_json:
        _emit_json(d)
        return
    table = Table(title=f"Round trips {d['from_utc'][:10]} to {d['to_utc'][:10]} by {rank_by}: "
                        f"{len(rt)} found, {rt.lambert_solves:,} Lambert arcs in "
                        f"{d['seconds']:.2f} s")
    for col in ("#", "class", "launch", "C3", "arrive Mars", "stay d", "depart Mars",
                "Mars dv", "Venus", "back", "entry km/s", "total d", "total dv"):
        table.add_column(col, justify="right")
    for k, t in enumerate(d["trips"][:limit]):
        o, r = t["outbound"], t["return"]
        table.add_row(str(k + 1), t["class"], o["launch_utc"][:10], f"{o['c3_km2s2']:.2f}",
                      o["arrive_utc"][:10], f"{t['stay_days']:.0f}", r["depart_utc"][:10],
                      f"{t['mars_dv_kms']:.3f}",
                      "-" if r["flyby_utc"] is None else r["flyby_utc"][:10],
                      r["arrive_utc"][:10],
                      f"{r['entry_speed_kms']:.2f}", f"{t['total_days']:.0f}",
                      f"{t['total_dv_kms']:.3f}")
    out.print(table)
    for k, t in enumerate(d["trips"][:limit]):
        if t["at_limits"]:
            out.print(f"note: trip {k + 1} sits at a search limit ({'; '.join(t['at_limits'])})"
                      ": a better trip may lie beyond it; widen that bound to be sure",
                      highlight=False, soft_wrap=True)
    if plot is not None:
        out.print(f"plot written to {escape(str(plot))}")


@app.command("ascent", rich_help_panel=TRANSFER)
def ascent_cmd(
    site: Annotated[str, typer.Option("--site", help="Catalog landing site.")],
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO.")],
    end: Annotated[str, typer.Option("--to", help="End, UTC ISO.")],
    peri: _PERI = None,
    apo: _APO = None,
    inc: _INC = None,
    raan: _RAAN = 0.0,
    argp: _ARGP = 0.0,
    anomaly: _ANOM = 0.0,
    epoch: _EPOCH = None,
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "j2mean",
    chaser_alt: Annotated[float | None, typer.Option(
        "--chaser-alt", help="Rendezvous: the orbiter's circular altitude, km.")] = None,
    phase: Annotated[float, typer.Option(
        "--phase", help="Rendezvous: the target's lead over the orbiter, deg.")] = 0.0,
    revolutions: Annotated[int, typer.Option(
        "--revolutions", help="Rendezvous: phasing-orbit revolutions at equal altitudes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Ascent: plane passes over the site (J2 drift), azimuth, delta-v, rendezvous phasing."""
    from areo.orbits.ascent import ascent_budget, launch_opportunities, rendezvous_phasing

    orbit = _orbit(None, peri, apo, inc, raan, argp, anomaly, epoch)
    lo = launch_opportunities(site, orbit, start, end, model=model)
    phasing = None
    if chaser_alt is not None:
        _finite(chaser_alt, "--chaser-alt", "km, e.g. 300")
        _finite(phase, "--phase", "deg, e.g. 40")
        rp, ra = float(orbit.peri_alt_km), float(orbit.apo_alt_km)
        if ra - rp > 1.0:
            raise ParameterError(f"--chaser-alt: phasing needs a circular target orbit, this one "
                                 f"is {rp:.0f} x {ra:.0f} km: give --apo-alt = --peri-alt")
        phasing = rendezvous_phasing(chaser_alt, rp, phase, revolutions=revolutions)
    rp, ra = float(orbit.peri_alt_km), float(orbit.apo_alt_km)
    # the ascent budget is to a circular orbit: None for an elliptical target
    budget = ascent_budget(site, rp, float(orbit.inc_deg)) if ra - rp <= 1.0 else None
    d = {"opportunities": lo.to_dict(),
         "phasing": None if phasing is None else phasing.to_dict(),
         "budget": None if budget is None else budget.to_dict()}
    if as_json:
        _emit_json(d)
        return
    table = Table(title=f"{len(lo)} launch opportunities from {escape(lo.site)} (lat "
                        f"{lo.site_lat_deg:.2f}) into the {lo.inclination_deg:.1f} deg plane")
    for col in ("UTC", "direction", "azimuth deg"):
        table.add_column(col, justify="right")
    for x in lo.items:
        table.add_row(str(x.time.utc_iso(decimals=0))[:19].replace("T", " "), x.direction,
                      f"{x.azimuth_deg:.2f}")
    out.print(table)
    if budget is not None:
        out.print(f"ascent delta-v to {budget.target_alt_km:g} km: ideal "
                  f"{budget.ideal_dv_kms * 1000:.0f} m/s (rotation gain "
                  f"{budget.rotation_gain_kms * 1000:.0f} m/s), budget "
                  f"{budget.total_dv_kms * 1000:.0f} m/s with the flown ascent's excess of "
                  f"{budget.flown_excess_kms * 1000:.0f} m/s (Jaron 2005's losses at "
                  f"{budget.loss_alt_km:g} km)")
    if phasing is not None:
        out.print(f"rendezvous ({phasing.method}): wait {phasing.wait_s / 3600:.2f} h, transfer "
                  f"{phasing.transfer_s / 3600:.2f} h, dv {phasing.total_dv_kms * 1000:.1f} m/s")
