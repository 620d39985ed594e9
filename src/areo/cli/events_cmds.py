"""CLI: ``areo passes`` and ``areo events KIND`` (sun, eclipse, earth-occultation,
solar-occultation, imaging)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from areo.cli._app import (
    _CATALOG,
    _JSON,
    GEOMETRY,
    MODEL_HELP,
    ORBITER_HELP,
    PLOT_SUFFIXES,
    Table,
    _emit_json,
    _in_range,
    _load_catalog,
    _minute,
    _output,
    app,
    out,
    split_names,
)
from areo.constants import DAY_S
from areo.errors import ParameterError

_ORBITER = Annotated[
    list[str] | None,
    typer.Option("--orbiter", help=ORBITER_HELP),
]
_OEM = Annotated[
    list[Path] | None,
    typer.Option("--orbiter-oem", help="CCSDS OEM file of an orbiter about Mars; repeatable."),
]
_MODEL = Annotated[
    str,
    typer.Option("--model", help=MODEL_HELP + " For catalog orbiters."),
]
_FROM = Annotated[str, typer.Option("--from", help="Start, UTC ISO.")]
_TO = Annotated[str, typer.Option("--to", help="End, UTC ISO.")]


def _orbiters(names, oems, model, start, stop):
    from areo._files import MAX_OEM_BYTES, check_input_file
    from areo.events.sources import orbiter

    for p in oems or []:  # a directory, FIFO or device is named as such, never read
        check_input_file(p, "OEM file", MAX_OEM_BYTES)
    found = [orbiter(n, model=model, start=start, stop=stop, name=n)
             for n in split_names(names)]
    found += [orbiter(p) for p in oems or []]  # named by the file's OBJECT_NAME
    if not found:
        raise ParameterError("give at least one --orbiter NAME or --orbiter-oem FILE")
    return found


def found_start(value):
    from areo.time import Time

    return Time(value)


def _note_representative(names) -> None:
    import sys

    from areo import catalog

    for n in split_names(names):
        entry = catalog.orbit(n)
        if entry.phasing == "representative":
            sys.stderr.write(
                f"areo: note: {entry.name} uses the catalog's representative phasing (epoch "
                f"{entry.epoch_utc}): pass times are illustrative; give --orbiter-oem for the "
                "real trajectory\n"
            )


def _sites(names, lat, lon):
    from areo.frames import SurfacePoint

    sites: list = split_names(names)
    if (lat is None) != (lon is None):
        raise ParameterError("give both --site-lat and --site-lon-east, or neither")
    if lat is not None:
        _in_range(lat, "--site-lat", -90.0, 90.0, "planetocentric degrees, north positive")
        _in_range(lon, "--site-lon-east", -360.0, 360.0, "degrees east, e.g. 77.45")
        sites.append(SurfacePoint.from_planetocentric_deg(lat, lon, 0.0, body="mars",
                                                          name=f"{lat:g}N {lon:g}E"))
    if not sites:
        raise ParameterError("give at least one --site NAME or --site-lat/--site-lon-east")
    return sites


@app.command("passes", rich_help_panel=GEOMETRY)
def passes_cmd(
    start: _FROM,
    stop: _TO,
    orbiter_names: _ORBITER = None,
    orbiter_oem: _OEM = None,
    site: Annotated[
        list[str] | None, typer.Option(
            "--site", help="Catalog site (jezero...); repeat for several (or a comma list).")
    ] = None,
    site_lat: Annotated[
        float | None, typer.Option("--site-lat", help="Site planetocentric latitude, deg.")
    ] = None,
    site_lon: Annotated[
        float | None, typer.Option("--site-lon-east", help="Site east longitude, deg.")
    ] = None,
    min_elev: Annotated[
        float, typer.Option("--min-elev", help="Elevation mask of the passes, deg above the "
                            "horizon.")
    ] = 10.0,
    model: _MODEL = "j2mean",
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Gantt chart of the passes (PNG/SVG/PDF).")
    ] = None,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
    max_days: Annotated[
        float, typer.Option("--max-days", help="Refuse spans longer than this (days): a "
                            "decade of TGO passes is ~20,000 rows and a few seconds.")
    ] = 3660.0,
) -> None:
    """Relay passes of orbiters over Mars sites: AOS, LOS, culmination, closest range."""
    from areo.events import passes
    from areo.time import Time

    _output(plot, "--plot", PLOT_SUFFIXES)
    _in_range(max_days, "--max-days", 0.0, None, "days, > 0", lo_open=True)
    days = float(Time(stop).et - Time(start).et) / DAY_S
    if days > max_days:
        raise ParameterError(f"--from {start} --to {stop} spans {days:.0f} days, more than "
                             f"--max-days {max_days:g}: search a shorter span, or raise "
                             "--max-days (about 6 s of work per decade and orbiter-site pair)")
    _in_range(min_elev, "--min-elev", -90.0, 90.0, "degrees above the horizon, e.g. 10",
              lo_open=True, hi_open=True)
    _load_catalog(catalog_file)
    orbs = _orbiters(orbiter_names, orbiter_oem, model, start, stop)
    sites = _sites(site, site_lat, site_lon)
    found = passes(orbs, sites, start, stop, min_elev_deg=min_elev)
    # Notes only once the inputs have passed: an error is then the only line on stderr.
    _note_representative(orbiter_names)
    if plot is not None:
        from areo.events import daylight
        from areo.events.plots import timeline

        days = daylight(sites, start, stop)
        sun = {d.site: d.windows for d in days}
        rows = {f"{o} / {s}": w for (o, s), w in found.windows.items()}
        timeline(
            rows, background={label: sun[label.split(" / ")[1]] for label in rows},
            title=f"Passes above {min_elev:g} deg, {_minute(found_start(start))} to "
            f"{_minute(found_start(stop))} UTC (yellow: Sun up at the site)",
            path=str(plot),
        )
    if as_json:
        _emit_json(found.to_records())
        return
    table = Table(title=f"Passes above {min_elev:g} deg ({len(found)})")
    for col in ("orbiter", "site", "AOS (UTC)", "LOS", "dur (min)", "max el (deg)",
                "min range (km)"):
        table.add_column(col, no_wrap=True)
    for p in found:
        table.add_row(p.orbiter, p.site, _minute(p.aos), _minute(p.los)[11:],
                      f"{p.duration_s / 60:.1f}", f"{p.max_elev_deg:.1f}",
                      f"{p.min_range_km:.0f}")
    out.print(table)


@app.command("events", rich_help_panel=GEOMETRY)
def events_cmd(
    kind: Annotated[
        str, typer.Argument(help="sun, eclipse, earth-occultation, solar-occultation, imaging")
    ],
    start: _FROM,
    stop: _TO,
    orbiter_names: _ORBITER = None,
    orbiter_oem: _OEM = None,
    site: Annotated[
        str | None, typer.Option("--site", help="Catalog site (sun, imaging).")
    ] = None,
    min_elev: Annotated[
        float, typer.Option("--min-elev", help="sun: the Sun's elevation threshold, deg "
                            "above the horizon.")
    ] = 0.0,
    observer: Annotated[
        str, typer.Option("--observer", help="earth-occultation: 'earth' or a station.")
    ] = "earth",
    min_alt: Annotated[
        float, typer.Option("--min-alt", help="solar-occultation: lowest tangent alt, km.")
    ] = 0.0,
    max_alt: Annotated[
        float, typer.Option("--max-alt", help="solar-occultation: highest tangent alt, km.")
    ] = 200.0,
    max_off_nadir: Annotated[
        float, typer.Option("--max-off-nadir", help="imaging: off-nadir limit, deg.")
    ] = 10.0,
    max_incidence: Annotated[
        float, typer.Option("--max-incidence", help="imaging: solar incidence limit, deg.")
    ] = 75.0,
    ifov_urad: Annotated[
        float, typer.Option("--ifov-urad", help="imaging: IFOV, microradians (CaSSIS 11.43).")
    ] = 11.43,
    model: _MODEL = "j2mean",
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    """Geometry events: daylight at a site, eclipses, occultations, imaging windows."""
    from areo import events

    _load_catalog(catalog_file)

    key = kind.strip().lower()
    if key == "sun":
        if site is None:
            raise ParameterError("events sun needs --site NAME")
        day = events.daylight(site, start, stop, min_elev_deg=min_elev)[0]
        rows = day.to_records()
        title = f"Sun above {min_elev:g} deg at {day.site}"
        cols = ("sunrise", "sunset", "noon", "max_elev_deg")
    else:
        orbs = _orbiters(orbiter_names, orbiter_oem, model, start, stop)
        rows = []
        for orb in orbs:
            name = str(getattr(orb, "name", "orbiter"))
            if key == "eclipse":
                rows += events.eclipses(orb, start, stop, name=name).to_records()
                cols = ("orbiter", "start", "end", "duration_s", "umbra_s")
            elif key == "earth-occultation":
                win = events.earth_occultations(orb, start, stop, observer=observer)
                rows += [dict(orbiter=name, observer=observer, **r) for r in win.to_records()]
                cols = ("orbiter", "start", "end", "duration_s")
            elif key == "solar-occultation":
                rows += events.solar_occultations(
                    orb, start, stop, min_alt_km=min_alt, max_alt_km=max_alt, name=name
                ).to_records()
                cols = ("orbiter", "kind", "start", "end", "tangent_lat_deg", "beta_deg")
            elif key == "imaging":
                if site is None:
                    raise ParameterError("events imaging needs --site NAME (the target)")
                opp = events.imaging_opportunities(
                    orb, site, start, stop, max_off_nadir_deg=max_off_nadir,
                    max_incidence_deg=max_incidence, ifov_urad=ifov_urad,
                )
                rows += [dict(orbiter=name, **r) for r in opp.to_records()]
                cols = ("orbiter", "best", "off_nadir_deg", "gsd_m", "incidence_deg")
            else:
                raise ParameterError(
                    f"event kind {kind!r} is unknown: use sun, eclipse, earth-occultation, "
                    "solar-occultation or imaging"
                )
        title = f"{kind} events ({len(rows)})"
    if as_json:
        _emit_json(rows)
        return
    table = Table(title=title)
    for col in cols:
        table.add_column(col, no_wrap=True)
    for r in rows:
        table.add_row(*[
            "" if r.get(c) is None else (f"{r[c]:.2f}" if isinstance(r[c], float) else
                                         str(r[c]).replace("T", " ")[:19])
            for c in cols
        ])
    out.print(table)
