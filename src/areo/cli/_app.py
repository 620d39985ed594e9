"""The ``areo`` typer app and the helpers every command module shares (options, tables,
JSON output, output-file checks, progress, the renamed-option table)."""

from __future__ import annotations

import contextlib
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape as _escape
from rich.table import Table as _RichTable
from typer.core import TyperCommand, TyperGroup

from areo.errors import ParameterError


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
