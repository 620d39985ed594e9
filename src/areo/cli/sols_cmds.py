"""CLI: ``areo sols`` (the rover's surface campaign, planned sol by sol)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from areo.cli._app import (
    _CATALOG,
    _JSON,
    OPERATIONS,
    ORBITER_HELP,
    PLOT_SUFFIXES,
    Table,
    _emit_json,
    _load_catalog,
    _output,
    app,
    out,
    progress_bar,
    split_names,
)
from areo.errors import ParameterError


@app.command("sols", rich_help_panel=OPERATIONS)
def sols_cmd(
    landing: Annotated[str, typer.Option("--landing", help="Landing time, UTC ISO.")],
    rover: Annotated[
        str, typer.Option("--rover", help="Catalog rover or a rover TOML file.")
    ] = "rosalind_franklin",
    site: Annotated[str, typer.Option("--site", help="Catalog landing site.")] = "oxia_planum",
    sols: Annotated[int, typer.Option("--sols", help="Sols to plan from landing.")] = 218,
    tau: Annotated[
        str, typer.Option("--tau", help="Dust scenario: clear, seasonal, dusty, storm, "
                          "global-storm, or an optical depth.")
    ] = "seasonal",
    orbiter_values: Annotated[
        list[str] | None, typer.Option("--orbiter", help=ORBITER_HELP + " Default: tgo.")
    ] = None,
    experiment_cycles: Annotated[
        int, typer.Option("--experiment-cycles", help="Experiment cycles to plan (0-6).")
    ] = 6,
    vertical_surveys: Annotated[
        int, typer.Option("--vertical-surveys", help="Vertical surveys to plan (0-2).")
    ] = 2,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Campaign Gantt, SOC and data (PNG/SVG/PDF).")
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Write the activity list as CSV.")
    ] = None,
    openmct: Annotated[
        Path | None, typer.Option("--openmct", help="Write the plan as Open MCT plan JSON.")
    ] = None,
    detail: Annotated[
        int | None, typer.Option("--detail", help="Print one sol's timeline (LMST).")
    ] = None,
    plot_sol: Annotated[
        Path | None, typer.Option("--plot-sol", help="Draw the --detail sol: activities, "
                                  "SOC and array power (PNG/SVG/PDF).")
    ] = None,
    partial: Annotated[
        bool, typer.Option("--partial", help="Report a campaign that does not fit instead "
                           "of refusing it (exit 0, remaining tasks in the summary).")
    ] = False,
    as_json: _JSON = False,
    catalog_file: _CATALOG = None,
) -> None:
    """Plan the rover's surface campaign (the Reference Surface Mission) sol by sol."""
    from areo.surface.campaign import CampaignOptions, plan_campaign

    if detail is not None and not 0 <= detail < sols:
        raise ParameterError(f"--detail {detail} is outside the planned sols 0-{sols - 1}: "
                             "pick a sol in that range")
    if plot_sol is not None and detail is None:
        raise ParameterError("--plot-sol needs --detail SOL: say which sol to draw")
    # Output files are checked before the planning (minutes for a full campaign).
    _output(plot, "--plot", PLOT_SUFFIXES)
    _output(csv_path, "--csv", (".csv",))
    _output(openmct, "--openmct", (".json",))
    _output(plot_sol, "--plot-sol", PLOT_SUFFIXES)
    options = CampaignOptions(tau=tau, orbiters=split_names(orbiter_values) or ["tgo"],
                              experiment_cycles=experiment_cycles,
                              vertical_surveys=vertical_surveys, require_complete=not partial)
    _load_catalog(catalog_file)
    with progress_bar("planning sols", show=not as_json) as progress:
        camp = plan_campaign(rover, site, landing, sols, options, progress=progress)
    if plot is not None:
        from areo.surface.plots import campaign_figure

        campaign_figure(camp, plot)
    if csv_path is not None:
        camp.write_csv(csv_path)
    if openmct is not None:
        camp.write_openmct(openmct)
    if plot_sol is not None and detail is not None:
        from areo.surface.plots import sol_figure

        sol_figure(camp.sols[detail], camp.rover, plot_sol)
    if as_json:
        _emit_json(camp.to_dict())
        return
    if detail is not None:
        _print_sol(camp, detail)
        return
    s = camp.summary
    out.print(f"[bold]{escape(camp.rover.name or camp.rover.key)}[/bold] at "
              f"{escape(str(getattr(camp.site, 'name', site)))}, sol 0 from "
              f"{str(camp.clock.sol0_midnight.iso)[:19]} UTC, tau '{s['tau_scenario']}'")
    out.print(f"{s['experiment_cycles']} experiment cycles, {s['vertical_surveys']} vertical "
              f"surveys, {s['n_samples']} samples down to {s['max_depth_m']:g} m; science "
              f"done by sol {s['last_science_sol']}; {s['contingency_sols']} contingency sols, "
              f"{s['relaxed_target_sols']} with the end-of-sol SOC target relaxed, "
              f"{s['night_work_forced_sols']} with night work forced; "
              f"{s['data_returned_mbit']:,.0f} Mbit returned; lowest SOC "
              f"{s['soc_min_pct']:.0f} %; planned in {s['runtime_s']:.1f} s")
    if s["tasks_done"] < s["tasks_total"]:
        out.print(f"[yellow]incomplete: {s['tasks_total'] - s['tasks_done']} of "
                  f"{s['tasks_total']} tasks do not fit in {s['sols']} sols[/yellow]")
    table = Table(title="Samples")
    for col in ("sol", "phase", "depth (m)"):
        table.add_column(col, justify="right")
    for smp in camp.samples:
        table.add_row(str(smp.sol), smp.phase, f"{smp.depth_m:.2f}")
    out.print(table)
    sols_t = Table(title="Sols")
    for col in ("sol", "activities", "SOC min %", "SOC end %", "Mbit returned", "note"):
        sols_t.add_column(col, justify="right" if col != "activities" else "left")
    for p, note in zip(camp.sols, camp.sol_notes(), strict=True):
        labels = ", ".join(a.label for a in p.activities if a.name != "relay_session")
        sols_t.add_row(str(p.sol), labels or "-", f"{p.soc_min_pct:.0f}",
                       f"{p.soc_end_pct:.0f}", f"{p.data_returned_mbit:.0f}", escape(note))
    out.print(sols_t)


def _print_sol(camp, sol: int) -> None:
    p = camp.sols[sol]
    rise, sset = p.inputs.daylight_lmst_h
    t0 = camp.clock.time_of(sol, 0.0)
    out.print(f"[bold]Sol {sol}[/bold] (starts {str(t0.iso)[:19]} UTC): array "
              f"{p.inputs.generation_wh:.0f} Wh, tau {p.inputs.tau:.2f}, Sun up "
              f"{_hm(rise)}-{_hm(sset)} LMST; SOC {100 * p.inputs.initial_soc:.0f} % -> "
              f"min {p.soc_min_pct:.0f} % -> end {p.soc_end_pct:.0f} % (target "
              f"{100 * p.end_soc_target:.0f} %); {p.data_returned_mbit:.0f} Mbit returned"
              + (f"; {p.contingency}" if p.contingency else ""))
    table = Table(title=f"Sol {sol} timeline ({p.status}, gap {p.gap_pct:.1f} %)")
    for col in ("LMST start", "LMST end", "activity", "phase", "Wh", "Mbit"):
        table.add_column(col, justify="left" if col in ("activity", "phase") else "right")
    for a in p.activities:
        act = a.scheduled.activity
        mbit = (f"-{act.downlink_mbit:.1f}" if act.downlink_mbit > 0 else f"{act.data_mbit:.1f}")
        table.add_row(_hm(a.start_lmst_h), _hm(a.end_lmst_h), a.label, a.phase,
                      f"{act.energy_wh:.0f}", mbit)
    out.print(table)
    for note in p.notes:
        out.print(f"note: {escape(str(note))}")


def _hm(hours: float) -> str:
    m = round(hours * 60.0)
    return f"{m // 60:02d}:{m % 60:02d}"
