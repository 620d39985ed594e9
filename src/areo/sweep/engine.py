"""The engine: chunks of independent work on Dask, and mission sweeps on top of it.

The generic part (:func:`map_chunks`, :func:`iter_chunks`, :func:`chunks_of`,
:class:`Chunk`, :func:`connect`) is the one way areo runs a heavy batch; its contract
(a pure, importable ``func(inputs, seed, chunk_id)``, chunks of seconds of work, where it
runs, warm-up, failures, progress) is in :mod:`areo._batch`, which lower layers (the EDL
Monte Carlo) import directly since it sits with the shared infrastructure.

The sweep part runs mission variants: :func:`run_variants` is the chunk function (each
variant a full :func:`areo.mission.run_mission` into a temporary directory on the worker,
its collected keys and tables returned, its error caught and recorded as one line), and
:func:`run_sweep` drives a :class:`~areo.sweep.spec.SweepSpec` through the engine, writing
the manifest and results as chunks finish (:mod:`areo.sweep.manifest`).

>>> from areo.sweep.engine import chunks_of, map_chunks, example_sum_of_squares
>>> map_chunks(example_sum_of_squares, chunks_of([1, 2, 3], n=2), client="serial")
[1, 13]
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from areo._batch import (
    BatchProgress,
    Chunk,
    ChunkError,
    ChunkFailure,
    SchedulerError,
    chunks_of,
    connect,
    dashboard_of,
    estimate_chunk_size,
    example_sum_of_squares,
    iter_chunks,
    map_chunks,
)
from areo.errors import ParameterError
from areo.io.records import jsonable
from areo.sweep.spec import SweepSpec, Variant

__all__ = [
    "BatchProgress",
    "Chunk",
    "ChunkError",
    "ChunkFailure",
    "SchedulerError",
    "SweepProgress",
    "chunks_of",
    "connect",
    "example_sum_of_squares",
    "iter_chunks",
    "map_chunks",
    "run_sweep",
    "run_variants",
    "warm_mission",
]


# ============================================================================ workers
class MissingKeyError(ParameterError):
    """A collected key that the run's summary.json does not hold (names what it holds)."""


def _lookup(summary: Any, key: str) -> Any:
    """``summary['a']['b'][0]`` for 'a.b.0'; a missing key names what is there."""
    node = summary
    walked: list[str] = []
    for part in key.split("."):
        if node is None:  # a section the scenario does not have (campaign without a rover)
            return None
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            where = ".".join(walked) or "summary.json"
            have = (", ".join(map(str, node)) if isinstance(node, dict)
                    else f"indices 0..{len(node) - 1}" if isinstance(node, list)
                    else type(node).__name__)
            raise MissingKeyError(f"summary.json has no key {key!r} ({where} has: {have})")
        walked.append(part)
    if isinstance(node, dict | list):  # a nested value goes into one column as JSON
        from areo.io.records import dumps

        return dumps(node, sort_keys=True)
    return node


def _one_line(exc: BaseException) -> str:
    from areo.errors import AreoInputError

    text = " ".join(str(exc).split())
    text = text if isinstance(exc, AreoInputError) else f"{type(exc).__name__}: {text}"
    return text if len(text) <= 1000 else text[:997] + "..."


#: The last mission step each summary section needs (the landing is final after the EDL).
SECTION_STEP = {"scenario": "transfer", "areo_version": "transfer", "launch": "trajectory",
                "arrival": "trajectory", "transfer": "trajectory", "landing": "edl",
                "edl": "edl", "return": "return", "orbiters": "orbiters", "relay": "relay",
                "campaign": "campaign"}


def last_step_for(keys: Any) -> str | None:
    """The mission step a variant must run up to for its collected summary ``keys``
    (``launch.c3_km2s2`` needs only the transfer and the trajectory); None (the whole
    chain) for a key of another section."""
    from areo.mission.steps import STEPS

    order = [s.name for s in STEPS]
    needed = [SECTION_STEP.get(str(k).split(".")[0]) for k in keys]
    if not needed or None in needed:
        return None
    return max(needed, key=order.index)


def run_variant(task: dict[str, Any]) -> dict[str, Any]:
    """One mission variant: its scenario validated, run into a temporary directory (no
    report page), the collected summary keys and tables read, the directory removed.
    Never raises: an error becomes ``status: 'failed'`` with its one-line message."""
    from areo.mission import parse_scenario, run_mission

    t0, c0 = _time.perf_counter(), _time.process_time()
    out: dict[str, Any] = {"variant": task["id"], "status": "ok", "error": None,
                           "outputs": {}, "tables": {}}
    tmp = tempfile.mkdtemp(prefix="areo-sweep-")
    try:
        sc = parse_scenario(task["doc"], base_dir=task["base_dir"], origin=task["origin"])
        upto = None if task["tables"] else last_step_for(task["summary"])
        res = run_mission(sc, Path(tmp) / "run", cache=task["cache"],
                          partial=task["partial"], upto=upto,
                          products=bool(task["tables"]))
        out["outputs"] = {k: _lookup(res.summary, k) for k in task["summary"]}
        for t in task["tables"]:
            f = res.out_dir / f"{t}.parquet"
            if f.is_file():
                import pandas as pd

                frame = pd.read_parquet(f)
                frame.insert(0, "variant", task["id"])
                out["tables"][t] = frame
    except Exception as exc:  # one bad variant must not end the sweep: record it
        out.update(status="failed", error=_one_line(exc), outputs={}, tables={})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["outputs"] = jsonable(out["outputs"])
    out["seconds"] = _time.perf_counter() - t0
    # CPU time of this process (its numba threads included): wall minus CPU is time the
    # variant waited for a core, which tells a loaded machine from a slow engine.
    out["cpu_seconds"] = _time.process_time() - c0
    out["worker"] = f"{os.uname().nodename}:{os.getpid()}"
    return out


def run_variants(inputs: list[dict[str, Any]], seed: int, chunk_id: int) -> list[dict[str, Any]]:
    """The sweep's chunk function: :func:`run_variant` for each variant of the chunk (each
    variant carries its own seed; ``seed`` and ``chunk_id`` are the engine's)."""
    return [run_variant(task) for task in inputs]


#: What the warm-up shrinks in its copy of a worker's first variant: one sol of
#: operations, a 10 x 10 porkchop, a few minutes of OEM.
WARMUP_SETTINGS = {"operations": {"sols": 1, "ephemeris_sols": 0.01},
                   "transfer": {"grid_points": 10}}


def warm_mission(inputs: list[dict[str, Any]]) -> None:
    """Per-worker warm-up (run once per process, under the machine lock): a one-sol copy
    of the first variant of the worker's first chunk, so that every numba kernel a
    variant uses is compiled by one worker and loaded from numba's cache by the others.
    Best effort: whatever the small run refuses is ignored (the real variant reports it)."""
    import copy
    import tempfile

    from areo.mission import parse_scenario, run_mission

    if not inputs:
        return
    task = inputs[0]
    doc = copy.deepcopy(task["doc"])
    for section, values in WARMUP_SETTINGS.items():
        if isinstance(doc.get(section, {}), dict):
            doc.setdefault(section, {}).update(values)
    with tempfile.TemporaryDirectory(prefix="areo-warmup-") as tmp:
        try:
            sc = parse_scenario(doc, base_dir=task["base_dir"], origin="warm-up")
            run_mission(sc, Path(tmp) / "run", cache=False, partial=True)
        except Exception:  # the warm-up only compiles; the variant itself reports errors
            pass


# ============================================================================ driver
@dataclass(frozen=True)
class SweepProgress:
    """Where a sweep stands, in variants: ``done`` (ok and failed) of ``total`` (this run's),
    ``failed``, ``running`` (variants on workers now), ``skipped`` (done by an earlier run,
    on ``--resume``), the dashboard address and the worker count."""

    done: int
    failed: int
    running: int
    total: int
    skipped: int = 0
    dashboard: str | None = None
    workers: int = 0


def _n_workers(client: Any) -> int:
    if client is None:
        return 1
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:
        return 1


def run_sweep(spec: SweepSpec, *, out: str | Path | None = None, client: Any = None,
              workers: int | None = None, resume: bool = False,
              progress: Callable[[SweepProgress], None] | None = None,
              pages: Sequence[Callable[[Any], Any]] = ()) -> Any:
    """Run every variant of ``spec`` (validated first, all of them) and return a
    :class:`~areo.sweep.result.SweepResult`.

    ``out``: the sweep directory (:mod:`areo.sweep.manifest`): manifest and results
    written as chunks finish, collected tables, ``sweep_report.html`` at the end; None
    keeps everything in memory. ``resume`` runs only the variants the directory's manifest
    lacks. ``client``/``workers``: where it runs (:func:`areo._batch.connect`).
    ``pages`` write files from the result into ``out`` when the sweep ends (the CLI passes
    :func:`areo.report.sweep_page`, which writes ``sweep_report.html``).
    """
    from areo.sweep.manifest import SweepDir
    from areo.sweep.result import SweepResult

    t0 = _time.perf_counter()
    variants = spec.check()  # every variant's values in the scenario's ranges, first
    spec_hash = spec.spec_hash()
    hashes = {v.id: spec.inputs_hash(v, spec_hash) for v in variants}
    records: dict[str, dict[str, Any]] = {}
    tables: dict[str, list[Any]] = {t: [] for t in spec.tables}
    sdir = SweepDir(out, spec_hash, spec.name, len(variants), resume=resume) \
        if out is not None else None
    with sdir if sdir is not None else contextlib.nullcontext():
        if sdir is not None and resume:
            records.update(sdir.manifest.done(hashes))
        todo = [v for v in variants if v.id not in records]
        skipped = len(variants) - len(todo)
        with connect(client, workers=workers) as c:
            n_workers = _n_workers(c)
            size = spec.chunk_size or estimate_chunk_size(len(todo), n_workers, max_size=32)
            chunks = chunks_of([_task(spec, v) for v in todo], size=size, seed=spec.seed)
            dashboard = dashboard_of(c)
            state = {"done": 0, "failed": 0, "running": 0}

            def on_batch(p: BatchProgress | None) -> None:
                if p is not None:  # the engine's view; None: a variant count changed here
                    state["running"] = p.running * size
                if progress is not None:
                    left = len(todo) - state["done"]
                    progress(SweepProgress(state["done"], state["failed"],
                                           min(state["running"], left), len(todo), skipped,
                                           dashboard, n_workers))

            on_batch(None)
            last_write = 0.0
            for ch, value in iter_chunks(run_variants, chunks, client=c if c is not None
                                         else "serial", progress=on_batch,
                                         warmup=warm_mission):
                outs = (value if not isinstance(value, ChunkFailure)
                        else [_lost(t, value.error) for t in ch.inputs])
                new = []
                for task, o in zip(ch.inputs, outs, strict=True):
                    rec = _record(task, o, hashes[task["id"]])
                    for t, frame in o.get("tables", {}).items():
                        if sdir is not None:
                            sdir.write_table_part(t, task["id"], frame)
                        else:
                            tables[t].append(frame)
                    records[task["id"]] = rec
                    new.append(rec)
                    state["done"] += 1
                    state["failed"] += rec["status"] != "ok"
                if sdir is not None:
                    sdir.manifest.append(new)
                    now = _time.monotonic()
                    if now - last_write >= 2.0:  # the table grows as the sweep goes
                        sdir.write_results(results_frame(spec, variants, records))
                        last_write = now
                on_batch(None)
        frame = results_frame(spec, variants, records)
        order = [v.id for v in variants]
        if sdir is not None:
            sdir.write_results(frame)
            ok = {v for v, r in records.items() if r["status"] == "ok"}
            for t in spec.tables:
                sdir.remove_stale_parts(t, ok)
            joined = sdir.join_tables(spec.tables, order)
        else:
            import pandas as pd

            joined = {t: (pd.concat(fs, ignore_index=True) if fs else pd.DataFrame())
                      for t, fs in tables.items()}
            if joined:  # in variant order, as from a directory
                rank = {v: k for k, v in enumerate(order)}
                joined = {t: (f.sort_values("variant", key=lambda s: s.map(rank),
                                            kind="stable").reset_index(drop=True)
                              if len(f) else f) for t, f in joined.items()}
        result = SweepResult(spec.name, [p.path for p in spec.parameters],
                             list(spec.summary_keys), frame, joined,
                             out_dir=Path(out) if out is not None else None,
                             runtime_s=_time.perf_counter() - t0, method=spec.method,
                             base=spec.base_origin.removeprefix("scenario "),
                             ran=len(todo), skipped=skipped)
        if sdir is not None:
            for page in pages:
                page(result)
    return result


def _task(spec: SweepSpec, v: Variant) -> dict[str, Any]:
    return {"id": v.id, "seed": v.seed, "values": v.values, "doc": spec.document(v),
            "base_dir": spec.base_dir, "origin": spec.variant_origin(v),
            "summary": list(spec.summary_keys), "tables": list(spec.tables),
            "partial": spec.partial, "cache": spec.cache}


def _lost(task: dict[str, Any], error: str) -> dict[str, Any]:
    # The chunk, not the variant, failed (its workers died, Dask gave up on it): recorded
    # as "lost", which --resume runs again.
    return {"variant": task["id"], "status": "lost", "error": f"chunk failed: {error}",
            "outputs": {}, "tables": {}, "seconds": None, "worker": None}


def _record(task: dict[str, Any], o: dict[str, Any], inputs_hash: str) -> dict[str, Any]:
    import json

    from areo import __version__
    from areo.io.records import dumps

    # Through JSON text here as on a resumed run, so both give the same values.
    outputs = json.loads(dumps(o.get("outputs", {})))
    return {"variant": task["id"], "inputs_hash": inputs_hash, "seed": task["seed"],
            "areo_version": __version__, "status": o["status"], "error": o["error"],
            "values": json.loads(dumps(task["values"])), "outputs": outputs,
            "seconds": o.get("seconds"), "cpu_seconds": o.get("cpu_seconds"),
            "worker": o.get("worker")}


def results_frame(spec: SweepSpec, variants: list[Variant],
                  records: dict[str, dict[str, Any]]) -> Any:
    """One row per finished variant, in variant order: ``variant``, ``seed``, ``status``,
    ``error``, the parameters and the collected keys (columns named by
    :func:`areo.sweep.spec.column_name`); times stay ISO text here (the Parquet file and
    the manifest), :meth:`SweepResult.to_frame` makes them datetimes."""
    import pandas as pd

    from areo.sweep.spec import column_name

    rows = []
    for v in variants:
        r = records.get(v.id)
        if r is None:
            continue
        row: dict[str, Any] = {"variant": v.id, "seed": int(v.seed), "status": r["status"],
                               "error": r["error"]}
        for p in spec.parameters:
            row[column_name(p.path)] = r["values"].get(p.path)
        for k in spec.summary_keys:
            row[column_name(k)] = (r.get("outputs") or {}).get(k)
        rows.append(row)
    cols = ["variant", "seed", "status", "error",
            *(column_name(p.path) for p in spec.parameters),
            *(column_name(k) for k in spec.summary_keys)]
    frame = pd.DataFrame(rows, columns=cols)
    for c in cols[4:]:  # one type per column (a mixed column, such as dust.tau, as text)
        vals = [x for x in frame[c] if x is not None]
        if vals and all(isinstance(x, int | float) and not isinstance(x, bool) for x in vals):
            frame[c] = pd.to_numeric(frame[c]).astype(float)
        elif vals and not all(isinstance(x, bool) for x in vals):
            # pandas infers the text dtype (the one a Parquet round trip gives back)
            frame[c] = pd.Series([None if x is None else str(x) for x in frame[c]],
                                 index=frame.index)
    frame["seed"] = frame["seed"].astype("int64")
    return frame
