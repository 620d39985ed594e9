"""CLI: ``areo sweep`` (a sweep file -> every variant on Dask, results, report)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from areo.cli._app import _JSON, MISSION, Table, _emit_json, app, out


class _SweepDisplay:
    """Progress on stderr: a rich bar with done/failed/running counts and an ETA on a
    terminal; otherwise a line at the start and one per tenth of the variants."""

    def __init__(self, console: Console):
        self.console = console
        self.live = console.is_terminal
        self.bar: Any = None
        self.task: Any = None
        self.announced = False
        self.next_tenth = 0.1

    def __enter__(self) -> _SweepDisplay:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _announce(self, p: Any) -> None:
        self.announced = True
        where = (f"{p.workers} worker{'s' if p.workers != 1 else ''}")
        dash = f"; Dask dashboard {p.dashboard}" if p.dashboard else ""
        import importlib.util

        if p.dashboard and importlib.util.find_spec("bokeh") is None:
            dash += " (its pages need bokeh: pip install bokeh)"
        skip = f", {p.skipped} done by an earlier run" if p.skipped else ""
        self.console.print(escape(f"Sweep: {p.total} variants to run{skip} on {where}{dash}"),
                           highlight=False, soft_wrap=True)
        if self.live:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("Variants"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                                TextColumn("ETA"), TimeRemainingColumn(),
                                console=self.console)
            self.bar.start()
            self.task = self.bar.add_task("sweep", total=p.total, counts="")

    def __call__(self, p: Any) -> None:
        if not self.announced:
            self._announce(p)
        counts = f"done {p.done - p.failed} · failed {p.failed} · running {p.running}"
        if self.bar is not None:
            self.bar.update(self.task, completed=p.done, total=p.total, counts=counts)
        elif p.total and p.done / p.total >= self.next_tenth:
            while p.done / p.total >= self.next_tenth:
                self.next_tenth += 0.1
            self.console.print(f"{p.done}/{p.total} variants ({counts})", highlight=False)


@app.command("sweep", rich_help_panel=MISSION)
def sweep_cmd(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep TOML file (see "
                                               "examples/sweep-exomars-landing.toml).")],
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory (created, or "
                                          "replaced once the run succeeds).")],
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786); "
        "default: a local cluster on this machine.")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes of the local cluster (default: one per "
        "core).", min=1, max=1024)] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue the sweep in --out: run only the variants its "
        "manifest lacks.")] = False,
    as_json: _JSON = False,
) -> None:
    """Run a sweep file: a base scenario with fields varied, on Dask.

    Every variant is checked against the scenario's ranges before any run, then run as a
    mission (no report page) on a local cluster or the scheduler given; a failing variant
    is recorded with its error and the sweep goes on. --out receives results.parquet (one
    row per variant: inputs and collected outputs, written as variants finish),
    manifest.jsonl (what is done: --resume continues a killed sweep), the collected tables
    and sweep_report.html. --out must be new, empty or a sweep of the same file."""
    from areo.errors import ParameterError
    from areo.report import sweep_page
    from areo.sweep import run_sweep_file

    if scheduler is not None and workers is not None:
        raise ParameterError("--workers sizes the local cluster; a scheduler given by "
                             "--scheduler has its own workers: give one of them")
    err = Console(stderr=True, highlight=False)
    try:
        with _SweepDisplay(err) as display:
            result = run_sweep_file(sweep_file, out=out_dir, client=scheduler,
                                    workers=workers, resume=resume, progress=display,
                                    pages=[sweep_page])
    except KeyboardInterrupt:
        # What finished is in the manifest: say how to go on, then end as areo does.
        err.print(escape(f"Interrupted: the finished variants are recorded in {out_dir}; "
                         "run the same command with --resume to finish the sweep."),
                  highlight=False, soft_wrap=True)
        raise
    if as_json:
        _emit_json({"name": result.name, "variants": len(result), "ok": result.n_ok,
                    "failed": result.n_failed, "ran": result.ran, "skipped": result.skipped,
                    "runtime_s": result.runtime_s, "out": str(out_dir),
                    "results": str(Path(out_dir) / "results.parquet"),
                    "report": str(Path(out_dir) / "sweep_report.html")})
        return
    table = Table(title=result.name, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for k, v in (("variants", f"{len(result)} ({result.n_ok} ok, {result.n_failed} failed)"),
                 ("this run", f"{result.ran} run, {result.skipped} from an earlier run, "
                              f"{result.runtime_s:.1f} s"),
                 ("results", str(Path(out_dir) / "results.parquet"))):
        table.add_row(k, v)
    for v, e in list(zip(result.failed["variant"], result.failed["error"], strict=True))[:5]:
        table.add_row(f"failed {v}", str(e))
    out.print(table)
    sys.stdout.write(f"Report: {(Path(out_dir) / 'sweep_report.html').resolve()}\n")
