"""CLI commands for orbits: ``areo orbit``, ``areo propagate``, ``areo groundtrack``.

Angles are relative to the Mars equator of the IAU_MARS pole (IAU 2015) at the epoch, with
the node counted from the IAU Q direction (z_ICRF x pole). Altitudes are above the Mars
equatorial radius (3396.19 km). States are Mars-centred ICRF, km and km/s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from areo.cli._app import (
    _CATALOG,
    MODEL_HELP,
    ORBITS,
    PLOT_SUFFIXES,
    STEP_HELP,
    Table,
    _emit_json,
    _finite,
    _load_catalog,
    _output,
    app,
    out,
)
from areo.constants import MARS_MAX_ORBIT_ALT_KM
from areo.errors import ParameterError

_ANGLES = ("Angles are relative to the Mars equator of the IAU_MARS pole (IAU 2015) at the "
           "epoch, node from the IAU Q direction (z_ICRF x pole); altitudes above the Mars "
           "equatorial radius, 3396.19 km.")

_ORBIT = Annotated[str | None, typer.Option(
    "--orbit", help="Catalog orbit: mex, tgo, mro, maven, odyssey (or one of --catalog).")]
_PERI = Annotated[float | None, typer.Option("--peri-alt", help="Pericentre altitude, km.")]
_APO = Annotated[float | None, typer.Option(
    "--apo-alt", help="Apocentre altitude, km (default: = --peri-alt, circular).")]
_INC = Annotated[float | None, typer.Option(
    "--inc", help="Inclination to the Mars equator, deg [0, 180].")]
_RAAN = Annotated[float, typer.Option(
    "--raan", help="Right ascension of the ascending node from the IAU Q direction, deg.")]
_ARGP = Annotated[float, typer.Option("--argp", help="Argument of pericentre, deg.")]
_ANOM = Annotated[float, typer.Option("--mean-anomaly", help="Mean anomaly at epoch, deg.")]
_EPOCH = Annotated[str | None, typer.Option(
    "--epoch", help="Epoch of the elements, UTC ISO (default J2000 TDB).")]
_JSON = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
_MODEL = Annotated[str, typer.Option("--model", help=MODEL_HELP)]


#: Highest altitude of an orbit about Mars (its sphere of influence, rounded up), km.
#: Most rows --max-rows may allow.
_MAX_ROWS = 10_000_000


def _orbit(name: str | None, peri: float | None, apo: float | None, inc: float | None,
           raan: float, argp: float, anomaly: float, epoch: str | None,
           catalog_file: Path | None = None):
    from areo.orbits import Orbit

    _load_catalog(catalog_file)
    if name is not None:
        if any(x is not None for x in (peri, apo, inc, epoch)) or raan or argp or anomaly:
            raise ParameterError("give --orbit NAME or the elements (--peri-alt, --apo-alt, "
                                 "--inc, ...), not both")
        return Orbit.from_catalog(name)
    if peri is None or inc is None:
        raise ParameterError("give --orbit NAME, or at least --peri-alt KM and --inc DEG "
                             "(and --apo-alt KM for an elliptical orbit)")
    for value, name in ((peri, "--peri-alt"), (inc, "--inc"), (raan, "--raan"),
                        (argp, "--argp"), (anomaly, "--mean-anomaly")):
        _finite(value, name, "give a number")
    if apo is not None:
        _finite(apo, "--apo-alt", "give a number of km")
    for value, name in ((peri, "--peri-alt"), (apo, "--apo-alt")):
        if value is not None and value > MARS_MAX_ORBIT_ALT_KM:
            raise ParameterError(f"{name} {value:g} km is beyond Mars's sphere of influence "
                                 "(~577,000 km): give an altitude <= "
                                 f"{MARS_MAX_ORBIT_ALT_KM:,.0f} km")
    return Orbit.from_elements(
        peri_alt_km=peri, apo_alt_km=peri if apo is None else apo, inc_deg=inc,
        raan_deg=raan, argp_deg=argp, anomaly_deg=anomaly, anomaly="mean",
        epoch=0.0 if epoch is None else epoch,
    )


def _grid(start: str | None, stop: str | None, step: float, orbit: Any, max_rows: int):
    from areo.constants import SOL_MARS24_S
    from areo.time import Time

    step = _finite(step, "--step", "a positive number of seconds, e.g. 60")
    if not 1 <= max_rows <= _MAX_ROWS:
        raise ParameterError(f"--max-rows {max_rows} is outside [1, {_MAX_ROWS:,}]: split the "
                             "span into several runs")
    if step <= 0:
        raise ParameterError(f"--step {step} s must be positive: give seconds, e.g. 60")
    t0 = orbit.epoch if start is None else Time(start)
    t1 = t0 + SOL_MARS24_S if stop is None else Time(stop)
    if float(t1.et - t0.et) < 0:
        raise ParameterError(f"--to {t1.iso} is before --from {t0.iso}: swap them")
    if float(t1.et - t0.et) / step + 1 > max_rows:
        raise ParameterError(
            f"--step {step} s from {t0.iso} to {t1.iso} gives more than --max-rows "
            f"{max_rows} rows: use a larger step or raise --max-rows"
        )
    return Time.arange(t0, t1, step)


@app.command("orbit", help=f"Orbital elements, period and J2 rates of an orbit.\n\n{_ANGLES}",
             rich_help_panel=ORBITS)
def orbit_cmd(
    orbit_name: _ORBIT = None,
    peri_alt: _PERI = None,
    apo_alt: _APO = None,
    inc: _INC = None,
    raan: _RAAN = 0.0,
    argp: _ARGP = 0.0,
    mean_anomaly: _ANOM = 0.0,
    epoch: _EPOCH = None,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    orbit = _orbit(orbit_name, peri_alt, apo_alt, inc, raan, argp, mean_anomaly, epoch,
                   catalog_file)
    d = orbit.to_dict()
    if as_json:
        _emit_json(d)
        return
    table = Table(title=str(orbit), show_header=False)
    table.add_column(style="bold")
    table.add_column()

    def fmt(x: Any, spec: str) -> str:
        return "-" if x is None else format(x, spec)

    rows = [
        ("Name", d.get("name", "-")),
        ("Epoch (UTC)", d["epoch"]),
        ("Period", f"{fmt(d['period_h'], '.3f')} h ({fmt(d['period_s'], '.1f')} s)"),
        ("Pericentre x apocentre altitude",
         f"{d['peri_alt_km']:.1f} x {fmt(d['apo_alt_km'], '.1f')} km"),
        ("Semi-major axis", f"{d['sma_km']:.3f} km"),
        ("Eccentricity", f"{d['ecc']:.6f}"),
        ("Inclination", f"{d['inc_deg']:.4f} deg"),
        ("RAAN / arg. of pericentre", f"{d['raan_deg']:.4f} / {d['argp_deg']:.4f} deg"),
        ("Mean / true anomaly", f"{d['mean_anomaly_deg']:.4f} / {d['true_anomaly_deg']:.4f} deg"),
        ("J2 nodal regression", f"{fmt(d['raan_rate_deg_per_day'], '.5f')} deg/day"),
        ("J2 apsidal precession", f"{fmt(d['argp_rate_deg_per_day'], '.5f')} deg/day"),
        ("Orbits per sol", fmt(d["orbits_per_sol"], ".4f")),
        ("Frame", d["frame"]),
    ]
    if "source" in d:
        rows.append(("Source", d["source"]))
    for k, v in rows:
        table.add_row(k, str(v))
    out.print(table)


def _write_outputs(traj: Any, oem: Path | None, csv: Path | None, name: str) -> None:
    states = traj.states
    if states.ndim != 2:  # pragma: no cover - the CLI builds single orbits
        raise ParameterError("file output takes a single orbit")
    import numpy as np

    ok = np.all(np.isfinite(states), axis=1)
    time = traj.time[ok] if not np.all(ok) else traj.time
    if oem is not None:
        try:
            from areo.io.oem import write_oem
        except ImportError as exc:
            raise ParameterError(f"--oem needs areo.io.oem, not available here ({exc})") from None
        write_oem(oem, time, states[ok], object_name=name,
                  comments=(f"areo propagate, model {traj.model}",))
    if csv is not None:
        try:
            from areo.io.tables import write_states
        except ImportError:
            # areo.io not installed: a plain CSV of the same rows keeps --csv working.
            traj.to_frame().to_csv(csv, index=False)
        else:
            write_states(csv, time, states[ok])


@app.command("propagate", help=f"Propagate an orbit and print or save its states (Mars-centred "
             f"ICRF, km, km/s).\n\n{_ANGLES}", rich_help_panel=ORBITS)
def propagate_cmd(
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO.")],
    stop: Annotated[str, typer.Option("--to", help="End, UTC ISO (included).")],
    step: Annotated[float, typer.Option("--step", help=STEP_HELP)],
    orbit_name: _ORBIT = None,
    peri_alt: _PERI = None,
    apo_alt: _APO = None,
    inc: _INC = None,
    raan: _RAAN = 0.0,
    argp: _ARGP = 0.0,
    mean_anomaly: _ANOM = 0.0,
    epoch: _EPOCH = None,
    model: _MODEL = "kepler",
    oem: Annotated[Path | None, typer.Option("--oem", help="Write a CCSDS OEM file.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write states as CSV.")] = None,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Refuse more rows.")] = 2_000_000,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    _output(oem, "--oem")
    _output(csv, "--csv", (".csv", ".parquet"))
    orbit = _orbit(orbit_name, peri_alt, apo_alt, inc, raan, argp, mean_anomaly, epoch,
                   catalog_file)
    times = _grid(start, stop, step, orbit, max_rows)
    traj = orbit.propagate(times, model=model)
    name = orbit.name or "AREO ORBIT"
    if oem is not None or csv is not None:
        _write_outputs(traj, oem, csv, name)
    if as_json:
        _emit_json(traj.to_dict())
        return
    if traj.terminated:
        out.print(f"[bold]Stopped:[/bold] {escape(str(traj.reason))}")
    if oem is not None or csv is not None:
        written = ", ".join(str(p) for p in (oem, csv) if p is not None)
        out.print(f"{len(traj)} states ({traj.model}) written to {escape(written)}")
        return
    import numpy as np

    table = Table(title=f"{orbit} - {traj.model}, Mars-centred ICRF")
    for col in ("utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms", "r_km"):
        table.add_column(col, justify="right", no_wrap=True)
    for row in traj.to_records():
        r = float(np.sqrt(row["x_km"] ** 2 + row["y_km"] ** 2 + row["z_km"] ** 2))
        table.add_row(row["utc"][:19].replace("T", " "), f"{row['x_km']:.3f}",
                      f"{row['y_km']:.3f}", f"{row['z_km']:.3f}", f"{row['vx_kms']:.6f}",
                      f"{row['vy_kms']:.6f}", f"{row['vz_kms']:.6f}", f"{r:.3f}")
    out.print(table)


@app.command("groundtrack", help=f"Ground track on Mars (planetocentric latitude, east "
             f"longitude) with an optional map plot.\n\n{_ANGLES}", rich_help_panel=ORBITS)
def groundtrack_cmd(
    orbit_name: _ORBIT = None,
    peri_alt: _PERI = None,
    apo_alt: _APO = None,
    inc: _INC = None,
    raan: _RAAN = 0.0,
    argp: _ARGP = 0.0,
    mean_anomaly: _ANOM = 0.0,
    epoch: _EPOCH = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="Start, UTC ISO (default: the orbit's epoch).")] = None,
    stop: Annotated[str | None, typer.Option(
        "--to", help="End, UTC ISO (default: one sol after the start).")] = None,
    step: Annotated[float, typer.Option("--step", help=STEP_HELP)] = 60.0,
    model: _MODEL = "j2mean",
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Save a map to this file (.png, .svg, .pdf).")] = None,
    max_rows: Annotated[int, typer.Option("--max-rows", help="Refuse more rows.")] = 2_000_000,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    _output(plot, "--plot", PLOT_SUFFIXES)
    orbit = _orbit(orbit_name, peri_alt, apo_alt, inc, raan, argp, mean_anomaly, epoch,
                   catalog_file)
    times = _grid(start, stop, step, orbit, max_rows)
    traj = orbit.propagate(times, model=model)
    gt = traj.groundtrack()
    gt.name = orbit.name or str(orbit)
    if plot is not None:
        gt.plot(plot)
    if as_json:
        _emit_json({"model": traj.model, "rows": gt.to_records()})
        return
    if plot is not None:
        out.print(f"Ground track of {len(traj)} points ({traj.model}) plotted to "
                  f"{escape(str(plot))}")
        return
    table = Table(title=f"Ground track: {orbit} ({traj.model})")
    for col in ("utc", "lat (deg)", "lon E (deg)", "alt (km)"):
        table.add_column(col, justify="right", no_wrap=True)
    for row in gt.to_records():
        table.add_row(row["utc"][:19].replace("T", " "), f"{row['lat_deg']:.4f}",
                      f"{row['lon_east_deg']:.4f}", f"{row['alt_km']:.3f}")
    out.print(table)
