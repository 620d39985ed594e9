"""CLI: the foundation's commands - ``time``, ``ephem``, ``conjunctions``, ``sites``,
``stations`` and ``demo``."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.markup import escape as _escape

from areo.cli._app import (
    _CATALOG,
    _JSON,
    FOUNDATION,
    STEP_HELP,
    Table,
    _emit_json,
    _finite,
    _in_range,
    _load_catalog,
    _minute,
    _output,
    app,
    out,
)
from areo.constants import DAY_S
from areo.errors import ParameterError


@app.command("time", rich_help_panel=FOUNDATION)
def time_cmd(
    utc: Annotated[str | None, typer.Argument(help="UTC ISO time; default: now.")] = None,
    lon_east: Annotated[
        float | None,
        typer.Option("--lon-east", help="East longitude in degrees for local solar times."),
    ] = None,
    site: Annotated[
        str | None, typer.Option("--site", help="Catalog site for the longitude (e.g. jezero).")
    ] = None,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    """Mars time (Mars24): MSD, MTC, Ls, LMST/LTST, subsolar point, Mars Year."""
    from areo.time import Time, mars_time

    _load_catalog(catalog_file)
    t = Time.now() if utc is None else Time(utc)
    where = "prime meridian"
    lon = 0.0
    if site is not None and lon_east is not None:
        raise ParameterError("give --site or --lon-east, not both")
    if site is not None:
        from areo import catalog

        s = catalog.site(site)
        lon, where = s.lon_east_deg, f"{s.name}"
    elif lon_east is not None:
        lon = _in_range(lon_east, "--lon-east", -360.0, 360.0,  # type: ignore[assignment]
                        "degrees east, e.g. 77.4508 for Jezero")
        where = f"{lon % 360.0:.4f} E"
    mt = mars_time(t, lon)
    if as_json:
        _emit_json(mt.to_dict())
        return
    hms = mt.hms
    table = Table(title=f"Mars time at {t.iso} ({where})", show_header=False)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("Mars Year / Ls", f"MY {mt.mars_year}, Ls {mt.ls_deg:.3f} deg"),
        ("Mars Sol Date", f"{mt.msd:.5f}"),
        ("Coordinated Mars Time", f"{hms(mt.mtc_hours)}  ({mt.mtc_hours:.5f} h)"),
        ("Local mean solar time", f"{hms(mt.lmst_hours)}  ({mt.lmst_hours:.5f} h)"),
        ("Local true solar time", f"{hms(mt.ltst_hours)}  ({mt.ltst_hours:.5f} h)"),
        ("Equation of time", f"{mt.eot_deg:.5f} deg ({mt.eot_deg * 4:.2f} Mars min)"),
        ("Subsolar point", f"{mt.solar_dec_deg:.3f} deg lat, {mt.subsolar_lon_east_deg:.3f} E"),
        ("Sun-Mars distance", f"{mt.helio_dist_au:.5f} AU"),
        ("JD (TT) / TT-UTC", f"{mt.jd_tt:.5f} / {mt.tt_minus_utc_s:.3f} s"),
    ]
    for k, v in rows:
        table.add_row(k, v)
    out.print(table)


#: Most rows a table command prints (--max-rows): beyond this, split the span.
_MAX_ROWS = 10_000_000


@app.command("ephem", rich_help_panel=FOUNDATION)
def ephem_cmd(
    target: Annotated[str, typer.Argument(help="Body name or NAIF ID (mars, earth, sun, 399).")],
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO.")],
    stop: Annotated[str, typer.Option("--to", help="End, UTC ISO (included).")],
    step: Annotated[float, typer.Option("--step", help=STEP_HELP)],
    center: Annotated[str, typer.Option("--center", help="Center body.")] = "sun",
    frame: Annotated[str, typer.Option("--frame", help="j2000 or eclipj2000.")] = "j2000",
    abcorr: Annotated[
        str,
        typer.Option("--abcorr", help="none (geometric), lt, cn, xlt or xcn, as in SPICE."),
    ] = "none",
    as_json: _JSON = False,
    csv_path: Annotated[Path | None, typer.Option(
        "--csv", help="Write the states as CSV to this file (- for stdout).")] = None,
    spk: Annotated[
        Path | None, typer.Option("--spk", help="SPK file to use instead of DE440.")
    ] = None,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="Refuse more rows than this.")
    ] = 1_000_000,
) -> None:
    """States (km, km/s) of TARGET from CENTER on a grid of epochs, with light time.

    light_time_s is the converged one-way light time of a signal from TARGET received at
    CENTER at each epoch (SPICE 'CN'), or the one solved for the chosen --abcorr.
    """
    from areo.ephem import Ephemeris, StateVectors, default_ephemeris, light_time
    from areo.time import Time

    as_csv = csv_path is not None
    if as_json and as_csv:
        raise ParameterError("give --json or --csv, not both")
    if as_csv and str(csv_path) != "-":
        _output(csv_path, "--csv", (".csv",))
    step = _finite(step, "--step", "a positive number of seconds, e.g. 86400")
    if not 1 <= max_rows <= _MAX_ROWS:
        raise ParameterError(f"--max-rows {max_rows} is outside [1, {_MAX_ROWS:,}]: a table "
                             "is printed whole; split the span into several runs")
    t0, t1 = Time(start), Time(stop)
    if step > 0 and float(t1.et - t0.et) / step + 1 > max_rows:
        raise ParameterError(
            f"--step {step} s from {t0.iso} to {t1.iso} gives more than --max-rows "
            f"{max_rows} rows: use a larger step or raise --max-rows"
        )
    times = Time.arange(t0, t1, step)
    eph = Ephemeris(spk) if spk is not None else default_ephemeris()
    states = eph.state(target, times, center=center, frame=frame, abcorr=abcorr)
    if states.abcorr == "none":
        lt = light_time(target, center, times, ephemeris=eph)
        states = StateVectors(
            states.time, states.states, states.target, states.center, states.frame,
            light_time_s=np.asarray(lt),
        )
    rows = states.to_records()
    if as_json:
        _emit_json(rows)
        return
    if as_csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["utc"])
        writer.writeheader()
        writer.writerows(rows)
        if str(csv_path) == "-":
            sys.stdout.write(buf.getvalue())
            return
        from areo._files import atomic_write

        with atomic_write(csv_path, newline="") as f:  # type: ignore[arg-type]
            f.write(buf.getvalue())
        out.print(f"{len(rows)} states written to {_escape(str(csv_path))}")
        return
    table = Table(
        title=f"{states.target_name} from {states.center_name} ({states.frame}), km and km/s"
    )
    for col in ("utc", "x_km", "y_km", "z_km", "range_km", "light_time_s"):
        table.add_column(col, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            row["utc"][:19].replace("T", " "), f"{row['x_km']:.1f}", f"{row['y_km']:.1f}",
            f"{row['z_km']:.1f}", f"{row['range_km']:.1f}", f"{row['light_time_s']:.3f}",
        )
    out.print(table)


@app.command("conjunctions", rich_help_panel=FOUNDATION)
def conjunctions_cmd(
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO.")],
    stop: Annotated[str, typer.Option("--to", help="End, UTC ISO.")],
    max_sep_deg: Annotated[
        float, typer.Option("--max-sep-deg", help="Sun-Earth-Mars angle threshold, degrees.")
    ] = 3.0,
    as_json: _JSON = False,
) -> None:
    """Solar conjunctions of Mars: when the Sun-Earth-Mars angle is below a threshold."""
    from areo.ephem import solar_conjunctions

    max_sep_deg = _finite(max_sep_deg, "--max-sep-deg", "degrees in (0, 180), e.g. 3")
    windows = solar_conjunctions(start, stop, max_sep_deg=max_sep_deg)
    if as_json:
        _emit_json([w.to_dict() for w in windows])
        return
    table = Table(title=f"Solar conjunctions (Sun-Earth-Mars angle < {max_sep_deg} deg)")
    for col in ("start", "end", "days", "min sep (deg)", "at"):
        table.add_column(col)
    for w in windows:
        d = w.to_dict()
        table.add_row(
            _minute(w.start), _minute(w.end), f"{float(w.end - w.start) / DAY_S:.1f}",
            f"{d['min_sep_deg']:.3f}", _minute(w.min_time),
        )
    if not windows:
        out.print(f"No solar conjunction below {max_sep_deg} deg in this span.")
        return
    out.print(table)


@app.command("sites", rich_help_panel=FOUNDATION)
def sites_cmd(as_json: _JSON = False, catalog_file: _CATALOG = None) -> None:
    """Surface sites in the catalog, with their sources."""
    from areo import catalog

    _load_catalog(catalog_file)
    entries = catalog.sites()
    if as_json:
        _emit_json([s.to_dict() for s in entries])
        return
    table = Table(title="Mars surface sites (planetocentric, east longitude)")
    for col in ("key", "name", "lat (deg)", "lon E (deg)", "source"):
        table.add_column(col, overflow="fold")
    for s in entries:
        table.add_row(s.key, s.name, f"{s.lat_deg:.4f}", f"{s.lon_east_deg:.4f}", s.source)
    out.print(table)


@app.command("stations", rich_help_panel=FOUNDATION)
def stations_cmd(as_json: _JSON = False, catalog_file: _CATALOG = None) -> None:
    """Earth ground stations in the catalog, with their sources."""
    from areo import catalog

    _load_catalog(catalog_file)
    entries = catalog.stations()
    if as_json:
        _emit_json([s.to_dict() for s in entries])
        return
    table = Table(title="Ground stations (WGS84 geodetic)")
    for col in ("key", "name", "lat (deg)", "lon E (deg)", "height (m)", "source"):
        table.add_column(col, overflow="fold")
    for s in entries:
        table.add_row(s.key, s.name, f"{s.lat_deg:.5f}", f"{s.lon_east_deg:.5f}",
                      f"{s.height_km * 1000:.0f}", s.source)
    out.print(table)


@app.command("demo", rich_help_panel=FOUNDATION)
def demo_cmd(
    utc: Annotated[str | None, typer.Argument(help="UTC ISO time; default: now.")] = None,
) -> None:
    """A short showcase: Mars time at Jezero, Earth-Mars light time, the next conjunction."""
    from areo.cli.demo import run_demo

    run_demo(out, utc)


