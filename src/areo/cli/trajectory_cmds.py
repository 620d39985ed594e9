"""CLI commands of :mod:`areo.transfer.trajectory`: ``trajectory`` and ``launch-period``.

Registered on :data:`areo.cli.app`. ``--json`` keys are a contract (add, never rename):
``trajectory`` prints :meth:`areo.transfer.trajectory.Trajectory.to_dict` (``launch``,
``legs``, ``arrival``, ``total_dv_kms``, ``constraints_violated``); ``launch-period`` prints
:meth:`areo.transfer.trajectory.LaunchPeriodTable.to_dict`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from areo.cli._app import _JSON, TRANSFER, Table, _emit_json, _output, app, out, progress_bar

_SEQ = Annotated[str, typer.Option(
    "--sequence", help="Planets flown past, departure first, as a comma list "
                       "(earth,mars or earth,venus,mars).")]
_DSM = Annotated[bool, typer.Option(
    "--dsm", help="One deep-space manoeuvre per leg (MGA-1DSM); without it, Lambert legs "
                  "joined by powered flybys.")]
_L_FROM = Annotated[str, typer.Option("--launch-from", help="First launch date.")]
_L_TO = Annotated[str, typer.Option("--launch-to", help="Last launch date.")]
_A_FROM = Annotated[str | None, typer.Option("--arrive-from", help="First arrival date.")]
_A_TO = Annotated[str | None, typer.Option("--arrive-to", help="Last arrival date.")]
_MAX_C3 = Annotated[float | None, typer.Option(
    "--max-c3", help="C3 ceiling for the launch period.")]
_MAX_VINF = Annotated[float | None, typer.Option(
    "--max-vinf-arrive", help="Arrival v-inf ceiling, km/s.")]
_DLA = Annotated[str | None, typer.Option(
    "--dla", help="Launch asymptote declination band MIN..MAX, deg (e.g. -28.5..28.5).")]
_LS = Annotated[str | None, typer.Option(
    "--arrival-ls", help="Solar longitude window at arrival FROM..TO, deg (e.g. 0..150; "
                         "300..30 wraps).")]
_LMST = Annotated[str | None, typer.Option(
    "--landing-lmst", help="Local mean solar time window at the landing site FROM..TO, "
                           "hours (e.g. 12..17).")]
_SITE = Annotated[str | None, typer.Option("--site", help="Catalog landing site.")]
_OBJ = Annotated[str, typer.Option(
    "--objective", help="What to minimise: dsm (ΔV after launch), dsm+vinf (plus the arrival "
                        "v-infinity), dsm+capture (plus the capture burn) or c3.")]
_REVS = Annotated[int, typer.Option(
    "--revs", help="Max full revolutions of the Lambert arcs (without --dsm).")]
_SEED = Annotated[int, typer.Option("--seed", help="Seed of the optimiser (same seed, same "
                                                   "answer).")]
_PLOT = Annotated[Path | None, typer.Option(
    "--plot", help="Write the plot: FILE.html (plotly; .png needs kaleido).")]


def _problem(sequence: str, dsm: bool, launch_from: str, launch_to: str,
             arrive_from: str | None, arrive_to: str | None, max_c3: float | None,
             max_vinf_arrive: float | None, dla: str | None, arrival_ls: str | None,
             landing_lmst: str | None, site: str | None, objective: str, revs: int) -> Any:
    from areo.errors import ParameterError
    from areo.transfer.trajectory import Constraints, TrajectoryProblem

    # Not split_names: a sequence may repeat a planet (earth,earth,mars).
    seq = tuple(s.strip() for s in sequence.split(",") if s.strip())
    if (arrive_from is None) != (arrive_to is None):
        raise ParameterError("give both --arrive-from and --arrive-to, or neither")
    arrive = None if arrive_from is None else (arrive_from, arrive_to)
    constraints = Constraints(max_c3_km2s2=max_c3, dla_deg=dla,  # type: ignore[arg-type]
                              max_vinf_arrive_kms=max_vinf_arrive,
                              arrival_ls_deg=arrival_ls,  # type: ignore[arg-type]
                              landing_lmst_h=landing_lmst,  # type: ignore[arg-type]
                              site=site)
    model = "dsm" if dsm else ("ballistic" if len(seq) == 2 else "mga")
    return TrajectoryProblem(seq, launch=(launch_from, launch_to), arrive=arrive, model=model,
                             objective=objective, constraints=constraints, max_revs=revs)


@app.command("trajectory", rich_help_panel=TRANSFER)
def trajectory_cmd(
    launch_from: _L_FROM,
    launch_to: _L_TO,
    sequence: _SEQ = "earth,mars",
    dsm: _DSM = False,
    arrive_from: _A_FROM = None,
    arrive_to: _A_TO = None,
    max_c3: _MAX_C3 = None,
    max_vinf_arrive: _MAX_VINF = None,
    dla: _DLA = None,
    arrival_ls: _LS = None,
    landing_lmst: _LMST = None,
    site: _SITE = None,
    objective: _OBJ = "dsm+vinf",
    revs: _REVS = 0,
    seed: _SEED = 0,
    plot: _PLOT = None,
    as_json: _JSON = False,
) -> None:
    """The best trajectory (DSM, gravity assists) under launch and arrival constraints."""
    from areo.transfer.trajectory import optimise_trajectory, require_feasible

    _output(plot, "--plot", (".html", ".png", ".svg", ".pdf"))
    prob = _problem(sequence, dsm, launch_from, launch_to, arrive_from, arrive_to, max_c3,
                    max_vinf_arrive, dla, arrival_ls, landing_lmst, site, objective, revs)
    traj = require_feasible(optimise_trajectory(prob, seed=seed))
    if plot is not None:
        traj.plot(plot)
    for note in traj.notes():
        sys.stderr.write(f"areo: note: {note}\n")
    if as_json:
        _emit_json(traj.to_dict())
        return
    d = traj.to_dict()
    table = Table(title=f"{escape(repr(traj))} ({traj.runtime_s:.1f} s)")
    table.add_column("event")
    table.add_column("UTC")
    table.add_column("value", justify="right")
    la = d["launch"]
    table.add_row("launch", la["utc"], f"C3 {la['c3_km2s2']:.3f} km2/s2, DLA "
                  f"{la['dla_deg']:.2f} deg, RLA {la['rla_deg']:.2f} deg")
    for g in d["legs"]:
        if g["dsm_utc"]:
            table.add_row(f"DSM {g['from']}-{g['to']}", g["dsm_utc"],
                          f"{g['dsm_dv_kms'] * 1000:.1f} m/s")
    for f in traj.flybys:
        table.add_row(f"flyby {f.body}", _utc(f.et),
                      f"alt {f.altitude_km:,.0f} km, dv {f.dv_kms:.3f} km/s")
    ar = d["arrival"]
    table.add_row("arrival", ar["utc"], f"v-inf {ar['vinf_kms']:.3f} km/s, dec "
                  f"{_num(ar['declination_deg'], '.1f')} deg, Ls {_num(ar['ls_deg'], '.1f')}"
                  f" deg, LMST {_num(ar['landing_lmst_h'], '.2f')} h")
    table.add_row("total ΔV after launch", "", f"{d['total_dv_kms']:.3f} km/s")
    out.print(table)
    if plot is not None:
        out.print(f"plot written to {escape(str(plot))}")


def _utc(et: float) -> str:
    from areo.time import Time

    return str(Time.from_et(et).utc_iso(0))


def _num(v: Any, fmt: str) -> str:
    return "-" if v is None else format(v, fmt)


@app.command("launch-period", rich_help_panel=TRANSFER)
def launch_period_cmd(
    launch_from: _L_FROM,
    launch_to: _L_TO,
    sequence: _SEQ = "earth,mars",
    dsm: _DSM = False,
    arrive_from: _A_FROM = None,
    arrive_to: _A_TO = None,
    max_c3: _MAX_C3 = None,
    max_vinf_arrive: _MAX_VINF = None,
    dla: _DLA = None,
    arrival_ls: _LS = None,
    landing_lmst: _LMST = None,
    site: _SITE = None,
    objective: _OBJ = "dsm+vinf",
    revs: _REVS = 0,
    step_days: Annotated[float, typer.Option("--step-days", help="Grid step, days.")] = 1.0,
    seed: _SEED = 0,
    plot: _PLOT = None,
    as_json: _JSON = False,
) -> None:
    """For each launch day, the best trajectory under the constraints; the widest period."""
    from areo.errors import ParameterError
    from areo.transfer.trajectory import optimise_launch_period

    _output(plot, "--plot", (".html", ".png", ".svg", ".pdf"))
    prob = _problem(sequence, dsm, launch_from, launch_to, arrive_from, arrive_to, max_c3,
                    max_vinf_arrive, dla, arrival_ls, landing_lmst, site, objective, revs)
    with progress_bar("launch days", show=not as_json) as progress:
        lp = optimise_launch_period(prob, seed=seed, step_days=step_days, progress=progress)
    if lp.widest_period() is None:
        best = min(lp.trajectories, key=lambda t: len(t.constraints_violated))
        missed = ", ".join(f"{k} by {v['missed_by']:.3g} {v['unit']}"
                           for k, v in best.constraints_violated.items())
        raise ParameterError(f"no launch day in {launch_from} .. {launch_to} meets the "
                             f"constraints (the closest day, {best.launch_utc[:10]}, misses "
                             f"{missed}): relax them or move the period")
    if plot is not None:
        lp.plot(plot)
    if as_json:
        _emit_json(lp.to_dict())
        return
    table = Table(title=f"{escape(repr(lp))} ({lp.runtime_s:.1f} s)")
    for col in ("launch", "C3 km2/s2", "DLA deg", "DSM m/s", "arrive", "vinf km/s",
                "LMST h", "Ls deg", "ok"):
        table.add_column(col, justify="right")
    for r in lp.to_records():
        table.add_row(r["launch_utc"][:10], f"{r['c3_km2s2']:.2f}", f"{r['dla_deg']:.1f}",
                      f"{r['dsm_dv_kms'] * 1000:.0f}", r["arrive_utc"][:10],
                      f"{r['vinf_arrive_kms']:.2f}", _num(r["landing_lmst_h"], ".2f"),
                      _num(r["ls_deg"], ".1f"), "yes" if r["feasible"] else
                      ",".join(r["constraints_violated"]))
    out.print(table)
    if plot is not None:
        out.print(f"plot written to {escape(str(plot))}")
