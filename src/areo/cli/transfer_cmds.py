"""CLI commands of :mod:`areo.transfer`: ``transfer``, ``porkchop``, ``windows``.

Registered on :data:`areo.cli.app`. ``--json`` keys are a contract (add, never rename).
"""

from __future__ import annotations

import time as _time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from areo.cli._app import (
    _JSON,
    PLOT_SUFFIXES,
    TRANSFER,
    Table,
    _emit_json,
    _finite,
    _output,
    app,
    out,
    progress_bar,
)
from areo.constants import DAY_S
from areo.errors import ParameterError

_PARK = Annotated[
    float, typer.Option("--parking-alt", help="Earth circular parking orbit altitude, km.")
]
_CAP_PERI = Annotated[
    float, typer.Option("--capture-peri-alt", help="Mars capture orbit pericentre altitude, km.")
]
_CAP_DAYS = Annotated[
    float, typer.Option("--capture-period-days", help="Mars capture orbit period, days.")
]
#: Most full revolutions of a transfer arc (as the porkchop allows).
_MAX_REVS = 20
#: Cells per second below which the porkchop shows a progress bar (grids over ~1 s).
_PROGRESS_CELLS = 2_000_000


def _capture(peri_alt: float, period_days: float):
    from areo.transfer.maneuvers import CaptureOrbit

    _finite(peri_alt, "--capture-peri-alt", "km, e.g. 250")
    _finite(period_days, "--capture-period-days", "days, e.g. 4")
    if period_days <= 0:
        raise ParameterError(f"--capture-period-days {period_days} must be > 0, e.g. 4")
    return CaptureOrbit.from_period(peri_alt, period_days * DAY_S)


def _day(t) -> str:
    return str(t.utc_iso(decimals=0))[:10]


@app.command("transfer", rich_help_panel=TRANSFER)
def transfer_cmd(
    launch: Annotated[str, typer.Option("--launch", help="Launch date, UTC ISO.")],
    arrive: Annotated[str, typer.Option("--arrive", help="Arrival date, UTC ISO.")],
    revs: Annotated[int, typer.Option("--revs", help="Full revolutions of the arc.")] = 0,
    branch: Annotated[
        str, typer.Option("--branch", help="left or right (multi-revolution arcs).")
    ] = "left",
    parking_alt: _PARK = 200.0,
    capture_peri_alt: _CAP_PERI = 250.0,
    capture_period_days: _CAP_DAYS = 4.0,
    final_alt: Annotated[
        float, typer.Option("--final-alt", help="Final circular Mars orbit altitude, km.")
    ] = 400.0,
    as_json: _JSON = False,
) -> None:
    """One Earth -> Mars transfer: C3, DLA/RLA, arrival v-infinity, delta-v (DE440)."""
    from areo.transfer import transfer

    if branch not in ("left", "right"):
        raise ParameterError(f"--branch {branch!r} must be 'left' or 'right'")
    if not 0 <= revs <= _MAX_REVS:
        raise ParameterError(f"--revs {revs} must be a whole number of revolutions in "
                             f"0..{_MAX_REVS}")
    cap = _capture(capture_peri_alt, capture_period_days)
    tr = transfer(launch, arrive, revs=revs, right=branch == "right",
                  parking_alt_km=_finite(parking_alt, "--parking-alt", "km, e.g. 200"),
                  capture=cap)
    d = tr.to_dict()
    ins = tr.insertion(_finite(final_alt, "--final-alt", "km, e.g. 400")) if tr.converged \
        else None
    d["insertion"] = None if ins is None else ins.to_dict()
    if as_json:
        _emit_json(d)
        return
    table = Table(title=f"Earth -> Mars transfer {_day(tr.launch)} -> {_day(tr.arrive)} "
                        "(DE440, ICRF)", show_header=False)
    table.add_column(style="bold")
    table.add_column()

    def num(v, fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    rows = [
        ("time of flight", f"{d['tof_days']:.2f} d, {d['revs']} rev, type "
                           f"{d['transfer_type_name']}, {d['status']}"),
        ("launch C3", f"{num(d['c3_km2s2'], '.4f')} km2/s2 "
                      f"(v-inf {num(d['vinf_depart_kms'], '.4f')} km/s)"),
        ("DLA / RLA (EME2000)", f"{num(d['dla_deg'], '.3f')} / {num(d['rla_deg'], '.3f')} deg"),
        ("arrival v-inf", f"{num(d['vinf_arrive_kms'], '.4f')} km/s, declination "
                          f"{num(d['arrival_dec_deg'], '.3f')} deg (Mars equator)"),
        ("departure dv", f"{num(d['dv_depart_kms'], '.4f')} km/s from {parking_alt:g} km "
                         "circular"),
        ("capture dv", f"{num(d['dv_capture_kms'], '.4f')} km/s into {cap!r}"),
    ]
    if ins is not None:
        rows += [
            (f"to {final_alt:g} km circular", f"direct {ins.dv_direct_kms:.4f}; propulsive "
             f"{ins.dv_propulsive_kms:.4f}; with aerobraking {ins.dv_aerobraking_kms:.4f} km/s"),
            ("aerobraking saves", f"{ins.aerobraking_saving_kms:.4f} km/s"),
        ]
    for k, v in rows:
        table.add_row(k, v)
    out.print(table)


@app.command("porkchop", rich_help_panel=TRANSFER)
def porkchop_cmd(
    launch_from: Annotated[str, typer.Option("--launch-from", help="First launch date.")],
    launch_to: Annotated[str, typer.Option("--launch-to", help="Last launch date.")],
    arrive_from: Annotated[str, typer.Option("--arrive-from", help="First arrival date.")],
    arrive_to: Annotated[str, typer.Option("--arrive-to", help="Last arrival date.")],
    step_days: Annotated[float, typer.Option("--step-days", help="Grid step, days.")] = 1.0,
    revs: Annotated[int, typer.Option("--revs", help="Max full revolutions of arcs.")] = 0,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the plot: FILE.png|.pdf|.svg|.html.")
    ] = None,
    mark: Annotated[
        list[str] | None,
        typer.Option("--mark", help="LAUNCH,ARRIVE,LABEL to mark on the plot (repeatable)."),
    ] = None,
    refine: Annotated[
        bool, typer.Option("--refine/--no-refine", help="Polish minima off the grid.")
    ] = True,
    parking_alt: _PARK = 200.0,
    capture_peri_alt: _CAP_PERI = 250.0,
    capture_period_days: _CAP_DAYS = 4.0,
    as_json: _JSON = False,
) -> None:
    """Porkchop grid over launch x arrival dates: C3, arrival v-inf, DLA, delta-v minima."""
    from areo.transfer.porkchop import PorkchopOptions, porkchop, span_axes

    if not 0 <= revs <= _MAX_REVS:
        raise ParameterError(f"--revs {revs} must be a whole number of revolutions in "
                             f"0..{_MAX_REVS}")
    step_days = _finite(step_days, "--step-days", "a positive number of days, e.g. 1")
    if step_days <= 0:
        raise ParameterError(f"--step-days {step_days} must be > 0, e.g. 1")
    _output(plot, "--plot", (*PLOT_SUFFIXES, ".html"))
    marks = []
    for m in mark or []:
        parts = [p.strip() for p in m.split(",")]
        if len(parts) != 3 or not parts[2]:
            raise ParameterError(f"--mark {m!r} must be LAUNCH,ARRIVE,LABEL")
        from areo.time import Time

        for when, what in ((parts[0], "LAUNCH"), (parts[1], "ARRIVE")):
            try:
                Time(when)
            except ValueError as exc:  # AreoInputError: the message names the time
                raise ParameterError(f"--mark {m!r}: {what} is not a time ({exc})") from None
        from areo.catalog import check_name

        label = check_name(parts[2], f"--mark {m!r} LABEL", error=ParameterError)
        if "$" in label:
            raise ParameterError(f"--mark {m!r}: LABEL may not hold '$' (plots read it as "
                                 "math)")
        marks.append((parts[0], parts[1], label))
    cap = _capture(capture_peri_alt, capture_period_days)
    _finite(parking_alt, "--parking-alt", "km, e.g. 200")
    options = PorkchopOptions(revs=revs, parking_alt_km=parking_alt, capture=cap)
    t0 = _time.perf_counter()
    tl, ta = span_axes(launch_from, launch_to, arrive_from, arrive_to, step_days)
    big = tl.size * ta.size * (2 * max(revs, 0) + 1) > _PROGRESS_CELLS
    with progress_bar("porkchop rows", show=big and not as_json) as progress:
        pc = porkchop(tl, ta, options, progress=progress)
    d = pc.to_dict(refine=refine)
    d["seconds"] = _time.perf_counter() - t0
    if plot is not None:
        pc.plot(plot, marks=marks)
        d["plot"] = str(plot)
    if as_json:
        _emit_json(d)
        return
    table = Table(title=f"Porkchop {pc.shape[0]} x {pc.shape[1]} (step {step_days:g} d, revs <= "
                        f"{revs}) in {d['seconds']:.2f} s")
    for col in ("optimum", "launch", "arrive", "TOF d", "type", "C3 km2/s2", "DLA deg",
                "vinf arr km/s", "dv total km/s"):
        table.add_column(col, justify="right")
    for name, key in (("min C3", "min_c3"), ("min arrival v-inf", "min_vinf_arrive"),
                      ("min total dv", "min_dv_total")):
        p = d[key]
        table.add_row(name, p["launch"][:16].replace("T", " "), p["arrive"][:16].replace("T", " "),
                      f"{p['tof_days']:.1f}", p["transfer_type"], f"{p['c3_km2s2']:.3f}",
                      f"{p['dla_deg']:.2f}", f"{p['vinf_arrive_kms']:.3f}",
                      f"{p['dv_total_kms']:.3f}")
    out.print(table)
    if plot is not None:
        out.print(f"plot written to {escape(str(plot))}")


@app.command("windows", rich_help_panel=TRANSFER)
def windows_cmd(
    year_from: Annotated[int, typer.Option("--from-year", help="First launch year, e.g. 2028.")],
    year_to: Annotated[int, typer.Option("--to-year", help="Last launch year (included).")],
    max_c3: Annotated[
        float | None, typer.Option("--max-c3", help="C3 ceiling for the launch period.")
    ] = None,
    max_vinf: Annotated[
        float | None, typer.Option("--max-vinf-arrive", help="Arrival v-inf ceiling, km/s.")
    ] = None,
    as_json: _JSON = False,
) -> None:
    """Every Earth -> Mars launch window in the span: best dates, C3, arrival v-inf."""
    from areo.transfer.windows import launch_windows

    t0 = _time.perf_counter()
    if max_c3 is not None:
        _finite(max_c3, "--max-c3", "km2/s2, e.g. 15")
    if max_vinf is not None:
        _finite(max_vinf, "--max-vinf-arrive", "km/s, e.g. 4")
    with out.status("searching Earth -> Mars windows", spinner="dots") if not as_json \
            else _nullcontext():
        ws = launch_windows(year_from, year_to, max_c3=max_c3, max_vinf_arrive=max_vinf)
    if as_json:
        _emit_json({"windows": [w.to_dict() for w in ws], "max_c3_km2s2": max_c3,
                    "max_vinf_arrive_kms": max_vinf, "seconds": _time.perf_counter() - t0})
        return
    table = Table(title=f"Earth -> Mars windows, launches {year_from}-{year_to} (DE440)")
    cols = ["window", "launch", "arrive", "TOF d", "type", "C3 km2/s2", "DLA deg",
            "vinf arr km/s", "other type C3"]
    if max_c3 is not None:
        cols += [f"period C3<={max_c3:g}", "days"]
    for col in cols:
        table.add_column(col, justify="right")
    for w in ws:
        b = w.best
        other = ", ".join(f"{k} {p.c3_km2s2:.2f}" for k, p in w.by_type.items()
                          if k != b.transfer_type_name)
        row = [w.label, _day(b.launch), _day(b.arrive), f"{b.tof_days:.0f}",
               b.transfer_type_name, f"{b.c3_km2s2:.3f}", f"{b.dla_deg:.1f}",
               f"{b.vinf_arrive_kms:.3f}", other or "-"]
        if max_c3 is not None:
            lp = w.launch_period
            row += ["-", "-"] if lp is None else [f"{_day(lp.open)}..{_day(lp.close)}",
                                                   f"{lp.days:.1f}"]
        table.add_row(*row)
    out.print(table)
    if not ws:
        out.print("No Earth -> Mars window with its best launch date inside this span.")


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
