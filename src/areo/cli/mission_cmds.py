"""CLI: ``areo mission`` (one scenario file -> every product, with a progress display)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from areo.cli._app import _JSON, MISSION, Table, _emit_json, app, out


class _Display:
    """Progress of the mission steps on stderr: a live rich display on a terminal, one line
    per finished step otherwise."""

    def __init__(self, console: Console):
        self.console = console
        self.live = console.is_terminal
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Display:
        if self.live:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                     TimeElapsedColumn(), console=self.console)
            self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, ev: Any) -> None:
        mark = {"done": "[green]✓[/]", "cached": "[cyan]↺[/]", "skipped": "[dim]–[/]"}
        if ev.state == "start":
            if self.progress is not None:
                self.tasks[ev.step] = self.progress.add_task(ev.label, total=None)
            return
        if ev.state == "progress":  # inside a long step (the campaign's sols)
            task = self.tasks.get(ev.step)
            if self.progress is not None and task is not None and ev.total:
                self.progress.update(task, description=f"{escape(ev.label)} (sol "
                                     f"{ev.done}/{ev.total})", total=ev.total,
                                     completed=ev.done)
            return
        what = {"done": f"{ev.seconds:.1f} s", "cached": "cached",
                "skipped": "skipped"}.get(ev.state, ev.state)
        text = f"{mark.get(ev.state, '')} {escape(ev.label)}: {what}"
        if ev.detail:
            text += f" [dim]({escape(ev.detail)})[/]"
        if self.progress is not None:
            task = self.tasks.get(ev.step)
            if task is None:
                task = self.progress.add_task(ev.label, total=None)
            self.progress.update(task, description=text, total=1, completed=1)
        else:
            self.console.print(text, highlight=False, soft_wrap=True)


@app.command("mission", rich_help_panel=MISSION)
def mission_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file (see examples/).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory (created, or "
                                          "replaced once the run succeeds).")],
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute every step "
                                           "instead of reusing cached results.")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Keep a rover campaign that does "
                                          "not fit (or stops at a sol the rover cannot "
                                          "survive): the full report, the campaign marked "
                                          "incomplete.")] = False,
    as_json: _JSON = False,
) -> None:
    """Run a whole mission scenario file: every product and report.html.

    The chain: porkchop and transfer, capture, orbiter passes, Earth contacts and
    conjunctions, the relay plan, the rover campaign; the products: report.html with
    summary.json, tables (CSV, Parquet), OEM ephemerides and the Open MCT plan.

    Intermediate results are cached ($AREO_CACHE_DIR or ~/.cache/areo), keyed by the
    inputs and areo's version; --no-cache recomputes them."""
    from areo.mission import load_scenario, run_mission
    from areo.report import mission_page

    err = Console(stderr=True, highlight=False)
    sc = load_scenario(scenario)
    with _Display(err) as display:
        result = run_mission(sc, out_dir, cache=not no_cache, progress=display,
                             partial=partial, pages=[mission_page])
    cached = result.cached_steps
    if cached:
        err.print(f"Reused cached results for: {', '.join(cached)} (--no-cache recomputes "
                  "them).", highlight=False, soft_wrap=True)
    if as_json:
        _emit_json(result.summary)
        return
    s = result.summary
    table = Table(title=s["scenario"]["name"], show_header=False)
    table.add_column(style="bold")
    table.add_column()
    la, ar, rel, camp = s["launch"], s["arrival"], s["relay"], s.get("campaign")
    traj = s["transfer"].get("trajectory")
    rows = [
        ("launch", f"{la['utc'][:16].replace('T', ' ')} UTC, C3 {la['c3_km2s2']:.3f} km2/s2, "
                   f"DLA {la['dla_deg']:.2f} deg"),
        ("arrival", f"{ar['utc'][:16].replace('T', ' ')} UTC, v-inf {ar['vinf_kms']:.3f} km/s,"
                    f" capture dv {ar['capture_dv_kms']:.3f} km/s"),
        ("landing", f"{s['landing']['utc'][:16].replace('T', ' ')} UTC at "
                    f"{s['landing']['site']['key']}, {s['landing']['lmst_hours']:.2f} h LMST, "
                    f"Ls {s['landing']['ls_deg']:.1f} deg"),
        ("orbiters", ", ".join(f"{o['name']} {o['period_s'] / 3600:.2f} h"
                               for o in s["orbiters"])),
        ("relay", f"{rel['mean_mbit_per_sol']:.0f} Mbit/sol, median latency "
                  + ("-" if rel["median_latency_s"] is None
                     else f"{rel['median_latency_s'] / 60:.1f} min")),
    ]
    if camp:
        rows.append(("campaign", f"{camp['sols']} sols, {camp['n_samples']} samples, max depth "
                                 f"{float(camp['max_depth_m'] or 0):.2f} m, "
                                 f"{camp['experiment_cycles']} experiment cycles, "
                                 f"{camp['vertical_surveys']} vertical surveys"
                                 + ("" if camp.get("complete", True) else
                                    f"; INCOMPLETE: {camp.get('incomplete_reason')}")))
    ret = s.get("return")
    if ret:
        t, ent = ret["round_trip"], ret["earth_entry"]
        rows.append(("return", f"orbiter launch {t['outbound']['launch_utc'][:10]}, stay "
                               f"{t['stay_days']:.0f} d, back {t['return']['arrive_utc'][:10]}, "
                               f"{t['total_dv_kms']:.3f} km/s; entry "
                               f"{ent['entry_speed_kms']:.2f} km/s; "
                               f"{ret['ascent']['n_opportunities']} ascent opportunities, "
                               f"ascent {ret['ascent']['budget']['total_dv_kms']:.3f} km/s"))
    edl = s.get("edl")
    if edl and edl.get("ellipse"):
        e = edl["ellipse"]
        rows.insert(3, (  # after the landing
            "edl", f"{edl['vehicle']}, {edl['runs']:,} runs, 99% ellipse {e['major_km']:.1f} x "
                   f"{e['minor_km']:.1f} km, peak {edl['peak_g']['p99']:.1f} g (p99), "
                   f"{edl['landed_fraction'] * 100:.1f} % landed"))
    if traj:
        dsm = [g for g in traj["legs"] if g.get("dsm_utc")]
        missed = [c["name"] for c in traj.get("constraints") or [] if not c["met"]]
        rows.insert(1, ("trajectory", f"{traj['model'].upper()} {'-'.join(traj['sequence'])}"
                        + "".join(f", DSM {g['dsm_dv_kms'] * 1000:.0f} m/s on "
                                  f"{g['dsm_utc'][:10]}" for g in dsm)
                        + f", {traj['total_dv_kms']:.3f} km/s after launch; constraints "
                        + ("all met" if not missed else "MISSED: " + ", ".join(missed))))
    rows.append(("run time", f"{result.runtime_s:.1f} s"))
    for k, v in rows:
        table.add_row(k, v)
    out.print(table)
    from areo.report.page import warnings as report_warnings

    for note in report_warnings(s):
        err.print(f"note: {note}", highlight=False, soft_wrap=True)
    sys.stdout.write(f"Report: {result.report.resolve()}\n")
