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
from typer.core import TyperCommand, TyperGroup

from areo.errors import AreoError, AreoInputError, ParameterError

try:  # typer >= 0.20 vendors click
    from typer._click import exceptions as _click_exceptions
except ImportError:  # pragma: no cover - older typer on click
    from click import exceptions as _click_exceptions

def _untyped_flags(params: list[Any]) -> list[Any]:
    """Flags take no value: no '<bool>' type beside them in the help."""
    for p in params:
        if getattr(p, "is_flag", False) and p.metavar is None:
            p.metavar = ""
    return params


class _Command(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _untyped_flags(super().get_params(ctx))


class _Group(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _untyped_flags(super().get_params(ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands panel by panel, in the order of a mission (:data:`PANELS`)."""
        def panel(name: str) -> int:
            p = getattr(self.commands.get(name), "rich_help_panel", None)
            return PANELS.index(p) if p in PANELS else len(PANELS)

        return sorted(super().list_commands(ctx), key=panel)


class _Typer(typer.Typer):
    """Every command of areo is a :class:`_Command` (help without '<bool>' labels)."""

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or _Command, **kwargs)


#: Help panels of the top-level help, in the order of a mission.
MISSION, TRANSFER, ORBITS, GEOMETRY, OPERATIONS, FOUNDATION = (
    "Mission", "Launch and cruise", "Orbits", "Geometry", "Operations on Mars",
    "Time, ephemerides, catalog")
PANELS = (MISSION, TRANSFER, ORBITS, GEOMETRY, OPERATIONS, FOUNDATION)

app = _Typer(
    name="areo",
    help="Plan Mars missions end to end: launch windows and porkchops, transfers, orbits and "
         "ground tracks, relay passes and geometry events, the relay plan, the rover's sols, "
         "whole mission scenarios with a report, Mars time and ephemerides.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=_Group,
)

# Piped output has no terminal width: give tables room rather than rich's 80 columns.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
_JSON = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]
_CATALOG = Annotated[
    Path | None,
    typer.Option("--catalog", help="A TOML file of extra sites, stations and orbits to load "
                 "first."),
]
#: Help of the options that several commands share (one meaning per option name).
ORBITER_HELP = "Catalog orbiter (tgo, mex, mro...); repeat for several (or a comma list)."
MODEL_HELP = "Propagation model: kepler (two-body), j2mean (J2 secular) or numerical (Cowell)."
STEP_HELP = "Step, seconds (> 0)."


def _print_version(value: bool) -> None:
    if value:
        from areo import __version__

        sys.stdout.write(f"areo {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _areo(
    version: Annotated[bool, typer.Option(
        "--version", help="Print areo's version and exit.", is_eager=True,
        callback=_print_version)] = False,
) -> None:
    """areo: Mars mission planning."""


def split_names(values: list[str] | None) -> list[str]:
    """The names of a repeatable option (``--orbiter tgo --orbiter mex``), each value
    possibly a comma list (``--orbiter tgo,mex``): in order, blanks and repeats dropped."""
    names: list[str] = []
    for value in values or []:
        for name in value.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return names


#: Spellings of options that changed, still read for one release with a note on stderr:
#: (command, old) -> new.
RENAMED = {
    ("relay", "--landers"): "--lander",
    ("relay", "--orbiters"): "--orbiter",
    ("sols", "--orbiters"): "--orbiter",
    ("windows", "--from"): "--from-year",
    ("windows", "--to"): "--to-year",
}
_ORBIT_COMMANDS = ("orbit", "propagate", "groundtrack")


def _renamed(args: list[str]) -> list[str]:
    """``args`` with the old spellings of renamed options replaced by the new ones, one
    note on stderr for each: --landers/--orbiters (relay, sols), windows --from/--to YEAR,
    --catalog NAME of the orbit commands (now --orbit; --catalog takes a TOML file) and
    ephem's bare --csv (now --csv - for stdout)."""
    command = next((a for a in args if not a.startswith("-")), None)
    if command is None:
        return args
    new_args: list[str] = []
    for k, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        nxt = args[k + 1] if k + 1 < len(args) else None
        new = RENAMED.get((command, name))
        if (command in _ORBIT_COMMANDS and name == "--catalog"
                and _orbit_name(value if eq else nxt)):
            new = "--orbit"
        if new is not None:
            _note(f"{command} {name} is deprecated: use {new}")
            new_args.append(new + eq + value)
        elif command == "ephem" and arg == "--csv" and (
                nxt is None or (nxt.startswith("-") and nxt != "-")):
            _note("ephem --csv without a file is deprecated: use --csv - (stdout) or "
                  "--csv FILE")
            new_args += ["--csv", "-"]
        else:
            new_args.append(arg)
    return new_args


def _orbit_name(value: str | None) -> bool:
    """Whether ``--catalog value`` of an orbit command is the old spelling of --orbit NAME:
    no .toml file, no path, and not an existing file."""
    return bool(value) and not value.startswith("-") and not value.endswith(".toml") \
        and "/" not in value and not Path(value).exists()  # type: ignore[union-attr]


def _note(text: str) -> None:
    sys.stderr.write(f"areo: note: {text}\n")


@contextlib.contextmanager
def progress_bar(label: str, *, show: bool = True):
    """A ``progress(done, total)`` callback drawing a bar on stderr while the block runs
    (only on a terminal, and only when ``show``); the bar goes when the work is done."""
    err = Console(stderr=True, highlight=False)
    if not (show and err.is_terminal):
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn(_escape(label)), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


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
            _minute(w.start), _minute(w.end), f"{float(w.end - w.start) / 86400.0:.1f}",
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
        args = _renamed(args)
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
