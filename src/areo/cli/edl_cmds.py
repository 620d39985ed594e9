"""CLI command of :mod:`areo.edl`: ``edl`` (a Monte Carlo landing, or a replay).

Registered on :data:`areo.cli.app`. ``--json`` keys are a contract (add, never rename):
a Monte Carlo gives ``ellipse`` {``major_km``, ``minor_km``, ``azimuth_deg``,
``center_lat_deg``, ``center_lon_east_deg``, ...}, ``hardware`` [{``name``, ``distance_m``,
``bearing_deg``}], ``peak_g``, ``chute_mach``, ``runs``, ``seconds`` and more; a replay
gives ``impact_speed_ms``, ``impact_utc``, ``impact_lat_deg``, ``impact_lon_east_deg``,
``events`` [{``name``, ``utc``, ``altitude_m``, ``speed_ms``}] and ``nominal``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from areo.cli._app import (
    _CATALOG,
    _JSON,
    MISSION,
    Table,
    _emit_json,
    _load_catalog,
    _note,
    _output,
    app,
    out,
    progress_bar,
)
from areo.errors import ParameterError

#: Figure formats of the EDL plots: plotly HTML (static images need plotly's kaleido).
EDL_PLOT_SUFFIXES = (".html", ".htm", ".png", ".svg", ".pdf")


def _transfer_pair(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ParameterError(f"--from-transfer {text!r} must be LAUNCH,ARRIVE (two UTC dates "
                             "with a comma), e.g. 2020-07-30,2021-02-18T20:40")
    return parts[0], parts[1]


@app.command("edl", rich_help_panel=MISSION)
def edl_cmd(
    vehicle: Annotated[str | None, typer.Option(
        "--vehicle", help="Entry vehicle: msl, m2020 (perseverance), mer, phoenix, insight, "
                          "schiaparelli, exomars2028 (rosalind franklin).")] = None,
    site: Annotated[str | None, typer.Option(
        "--site", help="Catalog landing site (default: the vehicle's own target).")] = None,
    entry: Annotated[str | None, typer.Option(
        "--entry", help="Entry-interface time, UTC ISO (the vehicle's published entry "
                        "speed, angle and azimuth).")] = None,
    from_transfer: Annotated[str | None, typer.Option(
        "--from-transfer", help="LAUNCH,ARRIVE UTC dates: the Earth-Mars transfer whose "
                                "arrival v-infinity gives the entry state (B-plane "
                                "targeting).")] = None,
    runs: Annotated[int, typer.Option(
        "--runs", help="Monte Carlo runs (run 0 is the nominal), 1 to 1000000.")] = 1000,
    seed: Annotated[int, typer.Option(
        "--seed", help="Seed of the random draws (same seed, same answer).")] = 0,
    fpa: Annotated[float | None, typer.Option(
        "--fpa", help="Entry flight-path angle, deg (negative; default: the vehicle's).")
    ] = None,
    atmosphere: Annotated[str, typer.Option(
        "--atmosphere", help="Atmosphere model: glenn (NASA Glenn fit) or exponential.")
    ] = "glenn",
    replay_name: Annotated[str | None, typer.Option(
        "--replay", help="Replay a documented descent against its plan: schiaparelli.")
    ] = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Save the landing-ellipse map (or the replay's profile): HTML, or "
                       "PNG/SVG/PDF with plotly's kaleido.")] = None,
    catalog: _CATALOG = None,
    as_json: _JSON = False,
) -> None:
    """Entry, descent and landing: landing ellipse, hardware, replays.

    A Monte Carlo of the vehicle's descent to the site (run 0 the nominal): the 99 %
    landing ellipse, the parachute and peak loads, where the heat shield, backshell and
    descent stage come down; or the replay of a failed descent against its plan
    (--replay schiaparelli, after ESA's 2017 inquiry)."""
    _output(plot, "--plot", EDL_PLOT_SUFFIXES)
    _load_catalog(catalog)
    if replay_name is not None:
        if vehicle or entry or from_transfer:
            raise ParameterError("--replay takes no --vehicle, --entry or --from-transfer: "
                                 "the replay knows its vehicle and entry")
        return _replay(replay_name, atmosphere, as_json, plot)
    if vehicle is None:
        raise ParameterError("give --vehicle NAME (e.g. m2020) with --entry UTC or "
                             "--from-transfer LAUNCH,ARRIVE, or --replay schiaparelli")
    if (entry is None) == (from_transfer is None):
        raise ParameterError("give exactly one of --entry UTC or --from-transfer "
                             "LAUNCH,ARRIVE")
    from areo.edl import entry_from_arrival, entry_from_site, monte_carlo, plan_monte_carlo
    from areo.edl.montecarlo import MAX_RUNS
    from areo.edl.vehicles import vehicle as find_vehicle

    if not 1 <= runs <= MAX_RUNS:
        raise ParameterError(f"--runs {runs} is outside [1, {MAX_RUNS}]: use 1000-10000 for "
                             "a landing ellipse")
    if seed < 0:
        raise ParameterError(f"--seed {seed} must be >= 0")
    v = find_vehicle(vehicle)
    if entry is not None:
        state = entry_from_site(v, site, entry, fpa_deg=fpa, atmosphere=atmosphere)
    else:
        from areo.transfer import transfer

        launch, arrive = _transfer_pair(str(from_transfer))
        tr = transfer(launch, arrive)
        state = entry_from_arrival(v, site if site is not None else None,
                                   tr.vinf_arrive_vec, tr.arrive, fpa_deg=fpa,
                                   atmosphere=atmosphere)
    plan_monte_carlo(state, runs=1, atmosphere=atmosphere)  # input checks before the work
    with progress_bar(f"EDL {v.key}", show=not as_json and runs > 20000) as progress:
        mc = monte_carlo(state, runs=runs, seed=seed, atmosphere=atmosphere,
                         progress=progress)
    if plot is not None:
        mc.plot(plot)
    d = mc.to_dict()
    for miss in d["failures"]["events_not_reached"]:
        _note(f"{miss['runs']} of {d['runs']} runs ({miss['fraction']:.1%}) never reached "
              f"{miss['event']!r}: {miss['why']}")
    if as_json:
        _emit_json(_jsonable(d))
        return
    ell, e = d["ellipse"], d["entry"]
    table = Table(title=repr(mc), show_header=False)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("entry", f"{e['entry_utc'][:19]} UTC, {e['speed_kms']:.3f} km/s, FPA "
                  f"{e['fpa_deg']:.2f} deg, azimuth {e['azimuth_deg']:.1f} deg ({e['method']})"),
        ("landing", f"{e['landing_utc'][:19]} UTC, LMST {_hm(e['landing_lmst_hours'])}"),
        ("ellipse", "- (fewer than 3 runs on the ground)" if ell is None else
         f"{ell['probability']:.0%} {ell['major_km']:.1f} x {ell['minor_km']:.1f} km at "
         f"{ell['azimuth_deg']:.0f} deg, centre {ell['center_lat_deg']:.4f}, "
         f"{ell['center_lon_east_deg']:.4f} E"),
        ("parachute", "-" if d["chute_mach"] is None else
         f"Mach {d['chute_mach']['mean']:.2f} +- {d['chute_mach']['std']:.2f}"),
        ("peak load", f"{d['peak_g']['mean']:.1f} g (99%: {d['peak_g']['p99']:.1f} g)"),
        ("peak heating", f"{d['peaks']['heat_rate_w_cm2']['mean']:.0f} W/cm2, load "
                         f"{d['peaks']['heat_load_j_cm2']['mean']:.0f} J/cm2 (Sutton-Graves)"),
    ]
    for h in d["hardware"]:
        if h["distance_m"] is not None:
            rows.append((h["name"], f"{h['distance_m']:.0f} m at {h['bearing_deg']:.0f} deg "
                                    "from the lander"))
    f = d["failures"]
    rows.append(("failed to land", f"{f['failed']} of {d['runs']} ("
                 + ", ".join(f"{k} {n}" for k, n in f["counts"].items() if n and k != "landed")
                 + ")" if f["failed"] else "none"))
    rows.append(("run time", f"{d['seconds']:.2f} s"))
    for k, val in rows:
        table.add_row(k, val)
    out.print(table)


def _hm(hours: float) -> str:
    h, m = divmod(round(hours * 60.0) % 1440, 60)
    return f"{h:02d}:{m:02d}"


def _jsonable(d: dict) -> dict:
    from areo.io.records import jsonable

    return jsonable(d)


def _replay(name: str, atmosphere: str, as_json: bool, plot: Path | None) -> None:
    from areo.edl.replay import replay

    r = replay(name, atmosphere=atmosphere)
    if plot is not None:
        r.plot(plot)
    d = r.to_dict()
    if as_json:
        _emit_json(_jsonable(d))
        return
    table = Table("event", "UTC", "altitude m", "speed m/s", "nominal UTC", "nominal alt m",
                  title=repr(r))
    nominal = {e["name"]: e for e in d["nominal"]["events"]}
    for e in d["events"]:
        n = nominal.get(e["name"])
        table.add_row(e["name"], e["utc"][11:23], f"{e['altitude_m']:.0f}",
                      f"{e['speed_ms']:.1f}", n["utc"][11:23] if n else "-",
                      f"{n['altitude_m']:.0f}" if n else "-")
    table.add_row("impact", d["impact_utc"][11:23], "0", f"{d['impact_speed_ms']:.1f}",
                  d["nominal"]["impact_utc"][11:23], "0")
    out.print(table)
    out.print(f"impact {d['impact_lat_deg']:.4f}, {d['impact_lon_east_deg']:.4f} E at "
              f"{d['impact_speed_ms']:.0f} m/s ({d['impact_speed_ms'] * 3.6:.0f} km/h), "
              f"{d['miss_from_nominal_m']:.0f} m from the planned touchdown "
              f"({d['nominal']['impact_speed_ms']:.1f} m/s)")
