"""Sweeps and Monte Carlo: many independent runs on Dask, on one machine or a cluster.

Two levels:

- :mod:`areo.sweep.engine`: the one engine for heavy batches of independent work,
  :func:`map_chunks` / :func:`iter_chunks` over :class:`Chunk` s of a pure, importable
  ``func(inputs, seed, chunk_id)``, on a ``LocalCluster`` (default), any Dask scheduler by
  address, or in this process (``client="serial"``). The EDL Monte Carlo, launch periods
  and big porkchops use it (lower layers import it from :mod:`areo._batch`).
- :func:`sweep` / :func:`run_sweep_file`: trade studies over mission scenarios. A base
  scenario, the fields to vary (lists, ranges, distributions; grid, random or Latin
  hypercube), the ``summary.json`` keys and tables to collect; every variant validated
  against the scenario's ranges before any run; results as a :class:`SweepResult`, and
  with ``out`` a resumable directory (manifest, Parquet, tables, report).

>>> from areo.sweep import sweep
>>> r = sweep("examples/exomars-2028.toml",                          # doctest: +SKIP
...           grid={"dust.tau": ["clear", "dusty"], "margins.energy_fraction": [0.0, 0.1]},
...           collect=["campaign.n_samples", "relay.mean_mbit_per_sol"])
>>> r.to_frame()                                                      # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from areo.sweep.engine import (
    BatchProgress,
    Chunk,
    ChunkError,
    ChunkFailure,
    SchedulerError,
    SweepProgress,
    chunks_of,
    iter_chunks,
    map_chunks,
    run_sweep,
)
from areo.sweep.result import SweepResult, trade_figure
from areo.sweep.spec import SweepError, SweepSpec, build_spec, load_sweep

__all__ = [
    "BatchProgress",
    "Chunk",
    "ChunkError",
    "ChunkFailure",
    "SchedulerError",
    "SweepError",
    "SweepProgress",
    "SweepResult",
    "SweepSpec",
    "build_spec",
    "chunks_of",
    "iter_chunks",
    "load_sweep",
    "map_chunks",
    "run_sweep",
    "run_sweep_file",
    "sweep",
    "trade_figure",
]


def sweep(base: Any, grid: Mapping[str, Any], collect: Sequence[str] = (), *,
          tables: Sequence[str] = (), method: str = "grid", samples: int | None = None,
          seed: int = 0, client: Any = None, workers: int | None = None,
          out: str | Path | None = None, resume: bool = False, name: str | None = None,
          chunk_size: int | None = None, partial: bool = True, cache: bool = True,
          progress: Callable[[SweepProgress], None] | None = None) -> SweepResult:
    """Run a mission scenario with the fields of ``grid`` varied; returns a
    :class:`SweepResult` (one row per variant).

    ``base``: a scenario file or :class:`areo.mission.Scenario`. ``grid``: ``{"section.field":
    values}``, values a list, ``{"start", "stop", "step"}`` (``step_days`` for dates) or,
    with ``method="random"``/``"lhs"`` and ``samples``, ``{"distribution": "uniform", "low",
    "high"}`` (see :mod:`areo.sweep.spec`). ``collect``: summary.json keys
    (``"relay.mean_mbit_per_sol"``); ``tables``: mission tables (``"per_sol"``).
    ``client``: None (a local cluster, or the active Dask client), a scheduler address,
    a ``distributed.Client``, or ``"serial"``. ``out``: write a resumable sweep directory.
    ``partial``: keep a rover campaign that does not fit, marked incomplete (a trade study
    wants that point). ``cache``: reuse the mission step cache between variants.

    Example:
        >>> from areo.mission import parse_scenario
        >>> base = parse_scenario({
        ...     "mission": {"name": "demo"}, "launch": {"utc": "2020-07-30T11:50:00"},
        ...     "arrival": {"utc": "2021-02-18T20:55:00"}, "transfer": {"grid_points": 10},
        ...     "orbiters": [{"name": "tgo"}], "landing": {"site": "jezero"},
        ...     "stations": {"names": ["DSS-14"]},
        ...     "operations": {"sols": 2, "ephemeris_sols": 0.1}})
        >>> result = sweep(base, {"operations.min_elev_deg": [5, 15]}, ["relay.passes_used"],
        ...                client="serial", cache=False)
        >>> result.to_frame()["relay_passes_used"].tolist()
        [8.0, 5.0]
    """
    spec = build_spec(base, grid, summary=collect, tables=tables, name=name, method=method,
                      samples=samples, seed=seed, chunk_size=chunk_size, partial=partial,
                      cache=cache)
    return run_sweep(spec, out=out, client=client, workers=workers, resume=resume,
                     progress=progress)


def run_sweep_file(path: str | Path, *, out: str | Path | None = None, client: Any = None,
                   workers: int | None = None, resume: bool = False,
                   progress: Callable[[SweepProgress], None] | None = None,
                   pages: Sequence[Callable[[SweepResult], Any]] = ()) -> SweepResult:
    """:func:`sweep` for a sweep TOML file (what ``areo sweep`` runs)."""
    return run_sweep(load_sweep(path), out=out, client=client, workers=workers,
                     resume=resume, progress=progress, pages=pages)
