"""CLI: ``areo relay`` (relay passes, volumes, per-sol totals and the CP-SAT allocation)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from areo.cli._app import (
    _CATALOG,
    _JSON,
    OPERATIONS,
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
    progress_bar,
    split_names,
)
from areo.constants import DAY_S
from areo.errors import ParameterError


@app.command("relay", rich_help_panel=OPERATIONS)
def relay_cmd(
    lander_values: Annotated[list[str], typer.Option(
        "--lander", help="Catalog site of a lander; repeat for several (or a comma list).")],
    orbiter_values: Annotated[list[str], typer.Option("--orbiter", help=ORBITER_HELP)],
    start: Annotated[str, typer.Option("--from", help="Start, UTC ISO.")],
    stop: Annotated[str, typer.Option("--to", help="End, UTC ISO.")],
    min_elev: Annotated[float, typer.Option(
        "--min-elev", help="Elevation mask of the passes, deg above the horizon.")] = 10.0,
    min_volume: Annotated[
        float, typer.Option("--min-volume", help="Minimum Mbit per lander and full sol.")
    ] = 0.0,
    mode: Annotated[str, typer.Option("--mode", help="adaptive or fixed data rate.")] = (
        "adaptive"
    ),
    storage_mbit: Annotated[
        float | None, typer.Option("--storage-mbit", help="Orbiter store for relay, Mbit.")
    ] = None,
    decisional_after: Annotated[
        float | None,
        typer.Option("--decisional-after-lmst", help="Passes after this LMST are decisional."),
    ] = None,
    shift_utc: Annotated[
        float | None,
        typer.Option("--planning-shift-utc", help="UTC hour of the next planning shift."),
    ] = None,
    min_decisional: Annotated[
        float, typer.Option("--min-decisional", help="Decisional Mbit per full sol.")
    ] = 0.0,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Gantt chart (PNG/SVG/PDF).")
    ] = None,
    max_days: Annotated[
        float, typer.Option("--max-days", help="Refuse spans longer than this (days): the "
                            "search and the allocation grow with the span (~20 s a year).")
    ] = 700.0,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    """Relay plan: every pass with its volume, per-sol totals and latency, the allocation."""
    from areo.relay.plan import RelayOptions, plan_relay
    from areo.time import Time

    landers, orbiters = split_names(lander_values), split_names(orbiter_values)

    # Every input is checked before the search (minutes on long spans).
    _output(plot, "--plot", PLOT_SUFFIXES)
    _in_range(min_elev, "--min-elev", -90.0, 90.0, "degrees above the horizon, e.g. 10",
              lo_open=True, hi_open=True)
    _in_range(min_volume, "--min-volume", 0.0, None, "Mbit per sol, >= 0")
    _in_range(storage_mbit, "--storage-mbit", 0.0, None, "the orbiter's store in Mbit, > 0 "
              "(leave it out for an unlimited store)", lo_open=True)
    _in_range(decisional_after, "--decisional-after-lmst", 0.0, 24.0, "an LMST hour in "
              "[0, 24)", hi_open=True)
    _in_range(shift_utc, "--planning-shift-utc", 0.0, 24.0, "a UTC hour in [0, 24)",
              hi_open=True)
    _in_range(min_decisional, "--min-decisional", 0.0, None, "Mbit per sol, >= 0")
    _in_range(max_days, "--max-days", 0.0, None, "days, > 0", lo_open=True)
    days = float(Time(stop).et - Time(start).et) / DAY_S
    if days > max_days:
        raise ParameterError(f"--from {start} --to {stop} spans {days:.0f} days, more than "
                             f"--max-days {max_days:g}: plan a shorter span, or raise "
                             "--max-days (about 20 s of work per year of span)")
    options = RelayOptions(min_elev_deg=min_elev, mode=mode, min_volume_mbit_per_sol=min_volume,
                           storage_mbit=storage_mbit, decisional_after_lmst_hours=decisional_after,
                           planning_shift_utc_hours=shift_utc,
                           min_decisional_mbit=min_decisional)
    _load_catalog(catalog_file)
    with progress_bar("relay plan", show=not as_json) as progress:
        plan = plan_relay(landers, orbiters, start, stop, options, progress=progress)
    if plot is not None:
        from areo.events import Windows, daylight
        from areo.events.plots import timeline

        rows = {}
        span = Windows.span(start, stop)
        for o in orbiters:
            for site in sorted({r["lander"] for r in plan.rows}):
                chosen = [r for r in plan.schedule() if r["orbiter"] == o and r["lander"] == site]
                rows[f"{o} / {site}"] = Windows([r["aos_et"] for r in chosen],
                                                [r["los_et"] for r in chosen])
            rows[f"{o} / Earth contacts"] = plan.contacts[o] & span
        sun = {d.site: d.windows for d in daylight(
            sorted({r["lander"] for r in plan.rows}), start, stop)}
        timeline(rows, background={k: sun[k.split(" / ")[1]] for k in rows
                                   if k.split(" / ")[1] in sun},
                 title="Relay plan: passes used (bars), Earth contacts, Sun up at the site",
                 path=str(plot))
    if as_json:
        _emit_json(plan.to_dict())
        return
    table = Table(title=f"Relay per sol ({plan.status}, {plan.objective_mbit:,.0f} Mbit)")
    for col in ("lander", "sol", "passes", "Mbit", "decisional Mbit", "median latency (min)"):
        table.add_column(col, justify="right")
    for r in plan.per_sol():
        lat = r["latency_s_median"]
        table.add_row(r["lander"], str(r["sol"]), str(r["n_passes"]),
                      f"{r['volume_mbit']:.0f}", f"{r['decisional_mbit']:.0f}",
                      "-" if lat is None else f"{lat / 60:.1f}")
    out.print(table)
    detail = Table(title="Passes used")
    for col in ("orbiter", "lander", "AOS (UTC)", "LMST", "max el", "Mbit", "share"):
        detail.add_column(col, justify="right")
    for r in plan.schedule():
        h = r["lmst_aos_hours"]
        detail.add_row(r["orbiter"], r["lander"], _minute(_time(r["aos"])),
                       f"{int(h):02d}:{int(h % 1 * 60):02d}", f"{r['max_elev_deg']:.0f}",
                       f"{r['volume_mbit']:.0f}", f"{r['share']:.2f}")
    out.print(detail)


def _time(iso: str):
    from areo.time import Time

    return Time(iso)
