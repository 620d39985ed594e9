"""``areo demo`` (the main job of ``make demo``): a short showcase of the foundation."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from areo import catalog
from areo.constants import AU_KM, DAY_S
from areo.time import MissionClock, Time, mars_time

#: Search this far ahead for the next conjunction: one synodic period (779.9 d) and margin.
_SYNODIC_SEARCH_S = 800.0 * DAY_S


def run_demo(console: Console, utc: str | None = None) -> None:
    from areo.ephem import (
        default_ephemeris,
        light_time,
        look,
        solar_conjunctions,
        sun_earth_mars_angle,
    )

    now = Time.now() if utc is None else Time(utc)
    console.rule(f"[bold]areo[/bold]: Mars at {now.iso}")

    jezero, oxia = catalog.site("jezero"), catalog.site("oxia planum")
    clock = MissionClock.from_landing(
        jezero.landing_scet_utc, jezero.lon_east_deg, name="Perseverance"
    )
    table = Table(title="Mars time (Mars24, Allison & McEwen 2000)")
    for col in ("site", "LMST", "LTST", "Ls (deg)", "Mars Year", "mission clock"):
        table.add_column(col, no_wrap=True)
    for s, sol in ((jezero, f"Perseverance {clock.label(now)}"), (oxia, "Rosalind Franklin")):
        mt = mars_time(now, s.lon_east_deg)
        table.add_row(
            s.name.split(" (")[0], mt.hms(mt.lmst_hours), mt.hms(mt.ltst_hours),
            f"{mt.ls_deg:.2f}", str(mt.mars_year), sol,
        )
    console.print(table)

    eph = default_ephemeris()
    mars = eph.state("mars", now, center="earth")
    distance_km = float(mars.range_km)
    owlt = float(light_time("mars", "earth", now))
    sep = float(sun_earth_mars_angle(now))
    geo = Table(title="Earth-Mars geometry (JPL DE440)", show_header=False)
    geo.add_column(style="bold")
    geo.add_column()
    geo.add_row("Distance", f"{distance_km:,.0f} km ({distance_km / AU_KM:.4f} AU)")
    geo.add_row("One-way light time", f"{owlt / 60.0:.2f} min ({owlt:.1f} s)")
    geo.add_row("Sun-Earth-Mars angle", f"{sep:.2f} deg")
    earth = look(jezero.key, "earth", now)
    geo.add_row(
        "Earth seen from Jezero",
        f"elevation {float(earth.el_deg):+.1f} deg, azimuth {float(earth.az_deg):.1f} deg"
        + (" (direct-to-Earth possible)" if float(earth.el_deg) > 10.0 else ""),
    )
    for name in ("new norcia", "cebreros", "malargue"):
        seen = look(name, "mars", now)
        station = catalog.station(name)
        geo.add_row(
            f"Mars from {station.name.split(' (')[0]}",
            f"elevation {float(seen.el_deg):+.1f} deg, azimuth {float(seen.az_deg):.1f} deg",
        )
    console.print(geo)

    windows = solar_conjunctions(now, now + _SYNODIC_SEARCH_S, max_sep_deg=3.0)
    if windows:
        w = windows[0]
        days = float(w.end - w.start) / DAY_S
        state = "under way" if float(w.start - now) <= 0 else "next"
        console.print(
            f"[bold]Solar conjunction ({state})[/bold]: Sun-Earth-Mars angle below 3 deg from "
            f"{w.start.iso[:16]} to {w.end.iso[:16]} UTC ({days:.1f} days), minimum "
            f"{w.min_sep_deg:.2f} deg on {w.min_time.iso[:10]}: plan no commanding then."
        )
    console.print(
        "More: [bold]areo time --site oxia[/bold], [bold]areo ephem mars --from 2030-01-01 "
        "--to 2030-12-31 --step 864000 --center earth[/bold], [bold]areo conjunctions "
        "--from 2026-01-01 --to 2032-01-01[/bold]"
    )
