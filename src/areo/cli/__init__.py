"""The ``areo`` command line.

Every command prints a rich table for people and, with ``--json``, machine-readable output
whose keys are a contract (add, never rename). A bad input prints one line on stderr and
exits with code 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape as _escape
from rich.table import Table as _RichTable

from areo.errors import AreoError, AreoInputError, ParameterError

try:  # typer >= 0.20 vendors click
    from typer._click import exceptions as _click_exceptions
except ImportError:  # pragma: no cover - older typer on click
    from click import exceptions as _click_exceptions

app = typer.Typer(
    name="areo",
    help="Plan Mars missions end to end: Mars time, ephemerides, light time, conjunctions.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

# Piped output has no terminal width: give tables room rather than rich's 80 columns.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
_JSON = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
_CATALOG = Annotated[
    Path | None,
    typer.Option("--catalog", help="A TOML file of extra sites/stations to load first."),
]


class Table(_RichTable):
    """A rich table whose title and string cells are plain text, never console markup:
    names come from user files and scenarios, where '[/]' would crash rich and '[blink]'
    restyle the output."""

    def __init__(self, *headers: Any, title: Any = None, **kwargs: Any) -> None:
        super().__init__(*headers, title=None if title is None else _escape(str(title)),
                         **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> None:
        super().add_row(*(_escape(c) if isinstance(c, str) else c for c in cells), **kwargs)


#: Figure formats of the matplotlib plots (``--plot``): those savefig writes without extras.
PLOT_SUFFIXES = (".png", ".pdf", ".svg", ".svgz", ".eps", ".ps", ".jpg", ".jpeg", ".tif",
                 ".tiff", ".webp", ".gif")


def _output(path: Path | None, option: str, suffixes: tuple[str, ...] | None = None
            ) -> Path | None:
    """Check an output file option (format, location) before any work; None passes."""
    if path is None:
        return None
    from areo._files import check_output_file

    return check_output_file(path, option, suffixes)


def _emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, allow_nan=False) + "\n")


def _load_catalog(path: Path | None) -> None:
    if path is not None:
        from areo import catalog

        catalog.load(path)


def _minute(t: Any) -> str:
    """'YYYY-MM-DD HH:MM' for tables."""
    return str(t.utc_iso(decimals=0))[:16].replace("T", " ")


def _finite(value: float, name: str, hint: str) -> float:
    if not math.isfinite(value):
        raise ParameterError(f"{name} {value} must be a finite number: {hint}")
    return value


def _in_range(value: float | None, name: str, lo: float | None, hi: float | None, hint: str,
              *, lo_open: bool = False, hi_open: bool = False) -> float | None:
    """A numeric option, finite and within its range (None passes: an unset option)."""
    if value is None:
        return None
    _finite(value, name, hint)
    below = lo is not None and (value <= lo if lo_open else value < lo)
    above = hi is not None and (value >= hi if hi_open else value > hi)
    if below or above:
        left = "-inf" if lo is None else f"{lo:g}"
        right = "inf" if hi is None else f"{hi:g}"
        interval = f"{'(' if lo_open or lo is None else '['}{left}, {right}" \
                   f"{')' if hi_open or hi is None else ']'}"
        raise ParameterError(f"{name} {value:g} is outside {interval}: {hint}")
    return value


@app.command("time")
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


@app.command("ephem")
def ephem_cmd(
    target: Annotated[str, typer.Argument(help="Body name or NAIF ID (mars, earth, sun, 399).")],
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO.")],
    stop: Annotated[str, typer.Option("--to", help="End, UTC ISO (included).")],
    step: Annotated[float, typer.Option("--step", help="Step in seconds.")],
    center: Annotated[str, typer.Option("--center", help="Center body.")] = "sun",
    frame: Annotated[str, typer.Option("--frame", help="j2000 or eclipj2000.")] = "j2000",
    abcorr: Annotated[
        str,
        typer.Option("--abcorr", help="none (geometric), lt, cn, xlt or xcn, as in SPICE."),
    ] = "none",
    as_json: _JSON = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
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

    if as_json and as_csv:
        raise ParameterError("give --json or --csv, not both")
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
        sys.stdout.write(buf.getvalue())
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


@app.command("conjunctions")
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
            _minute(w.start), _minute(w.end), f"{float(w.end - w.start) / 86400.0:.1f}",
            f"{d['min_sep_deg']:.3f}", _minute(w.min_time),
        )
    if not windows:
        out.print(f"No solar conjunction below {max_sep_deg} deg in this span.")
        return
    out.print(table)


@app.command("sites")
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


@app.command("stations")
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


@app.command("demo")
def demo_cmd(
    utc: Annotated[str | None, typer.Argument(help="UTC ISO time; default: now.")] = None,
) -> None:
    """A short showcase: Mars time at Jezero, Earth-Mars distance and light time, and the
    next solar conjunction."""
    from areo.cli.demo import run_demo

    run_demo(out, utc)


def _one_line(message: Any) -> str:
    """``message`` on one line with no control characters (escaped), at most 2000 chars."""
    text = " ".join(str(message).split())
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return text if len(text) <= 2000 else text[:1997] + "..."


def _fail(message: str) -> None:
    sys.stderr.write(f"areo: error: {_one_line(message)}\n")
    sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``areo`` console script."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        args = ["--help"]
    try:
        app(args=args, prog_name="areo", standalone_mode=False)
    except AreoInputError as exc:
        _fail(str(exc))
    except _click_exceptions.UsageError as exc:
        _fail(exc.format_message())
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("areo: aborted\n")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except _click_exceptions.ClickException as exc:
        _fail(exc.format_message())
    except AreoError as exc:
        sys.stderr.write(f"areo: {_one_line(exc)}\n")
        sys.exit(1)
    except BrokenPipeError:
        # Nothing more reaches the reader; keep Python from complaining at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:  # last resort: a bug, never a traceback for the user
        if os.environ.get("AREO_DEBUG", "") not in ("", "0"):
            raise
        detail = _one_line(exc) or "(no message)"
        sys.stderr.write(f"areo: internal error: {type(exc).__name__}: {detail} (please "
                         "report; run with AREO_DEBUG=1 for the traceback)\n")
        sys.exit(1)


# Commands of the other layers register themselves on ``app`` when their module is imported.
from areo.cli import events_cmds as _events_cmds  # noqa: E402,F401
from areo.cli import mission_cmds as _mission_cmds  # noqa: E402,F401
from areo.cli import orbit_cmds as _orbit_cmds  # noqa: E402,F401
from areo.cli import relay_cmds as _relay_cmds  # noqa: E402,F401
from areo.cli import sols_cmds as _sols_cmds  # noqa: E402,F401
from areo.cli import transfer_cmds as _transfer_cmds  # noqa: E402,F401
