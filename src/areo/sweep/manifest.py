"""A sweep's output directory: the manifest, the results table, the collected tables.

Layout of ``--out DIR`` (an :class:`areo._output.OutputDir` of kind ``sweep``)::

    .areo-output          areo's marker (kind "sweep")
    sweep.json            the sweep's identity (its hash) and variant count
    manifest.jsonl        one line per finished variant (appended, fsync'd)
    results.parquet       one row per finished variant: inputs and collected outputs
    tables/<name>/<variant>.parquet    a collected table of each variant (with a
                          ``variant`` column); tables/<name>.parquet joins them at the end
    sweep_report.html     the trade report (when the sweep ends)

A manifest line is ``{"variant", "inputs_hash", "seed", "areo_version", "status" ("ok",
"failed": the variant raised, or "lost": its chunk could not be run, e.g. its workers kept
dying), "error" (one line or null), "values", "outputs", "seconds" (wall), "cpu_seconds",
"worker"}``. It is
the record of what is done: a variant's tables are written before its line, and a run
killed at any moment leaves at worst a truncated last line (ignored) and tables of a
variant without a line (written again). ``--resume`` reads it and runs only the variants
without an "ok" or "failed" line whose ``inputs_hash`` matches; ``results.parquet`` is
rebuilt from it, so a resumed sweep's table equals an uninterrupted one's bit for bit
(outputs go through JSON, whose floats round-trip exactly, in both).

A directory is reused only for the same sweep (the hash of the sweep's identity: base
scenario content, parameters, method, seed, collected keys); any other directory that is
not empty is refused before any run.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from areo._output import MARKER, OutputDir, OutputError
from areo.io.records import dumps, write_json

__all__ = ["MANIFEST", "RESULTS", "Manifest", "SweepDir"]

MANIFEST = "manifest.jsonl"
RESULTS = "results.parquet"
IDENTITY = "sweep.json"
TABLES = "tables"


class SweepDir:
    """The output directory of one sweep, checked and locked for the run.

    >>> with SweepDir("out/landing", spec_hash, name, n, resume=True) as d:   # doctest: +SKIP
    ...     done = d.manifest.done()
    """

    def __init__(self, path: str | os.PathLike[str], spec_hash: str, name: str,
                 n_variants: int, *, resume: bool = False):
        self.out = OutputDir(path, kind="sweep")
        self.path = self.out.path
        self.spec_hash = spec_hash
        self.name = name
        self.n_variants = n_variants
        self.resume = resume
        self.manifest = Manifest(self.path / MANIFEST)

    def __enter__(self) -> SweepDir:
        self.out.__enter__()
        try:
            self._open()
        except BaseException:
            self.out.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.out.__exit__(*exc)

    def _say(self, what: str) -> str:
        return f"--out {str(self.path)!r} {what}"

    def _open(self) -> None:
        p = self.path
        fresh = not p.exists() or next(p.iterdir(), None) is None
        if not fresh:
            kind, same = self._previous()
            if kind != "sweep":
                raise OutputError(self._say(
                    f"holds an areo {kind or 'output'} output, not a sweep: give a new "
                    "directory for the sweep"))
            if not same:
                raise OutputError(self._say(
                    "holds a sweep of another sweep file (or of this one before it or its "
                    "base scenario changed): give a new directory, or run that sweep file "
                    "unchanged"))
        if fresh or not self.resume:
            # A new sweep directory, published complete with its marker (OutputDir's
            # staging); a previous run of the same sweep is replaced unless resumed.
            with self.out.staging() as stage:
                write_json(stage / IDENTITY, self._identity())
                (stage / MANIFEST).touch()
        (p / TABLES).mkdir(exist_ok=True)

    def _identity(self) -> dict[str, Any]:
        from areo import __version__

        return {"kind": "areo-sweep", "name": self.name, "spec_hash": self.spec_hash,
                "variants": self.n_variants, "areo_version": __version__}

    def _previous(self) -> tuple[str | None, bool]:
        """(kind from the marker, whether sweep.json names this sweep)."""
        try:
            marker = json.loads((self.path / MARKER).read_text(encoding="utf-8"))
            kind = str(marker.get("kind"))
        except (OSError, ValueError, AttributeError):
            return None, False
        try:
            ident = json.loads((self.path / IDENTITY).read_text(encoding="utf-8"))
            return kind, ident.get("spec_hash") == self.spec_hash
        except (OSError, ValueError, AttributeError):
            return kind, False

    # -- tables
    def table_part(self, table: str, variant: str) -> Path:
        return self.path / TABLES / table / f"{variant}.parquet"

    def write_table_part(self, table: str, variant: str, frame: Any) -> None:
        from areo._files import atomic_path

        target = self.table_part(table, variant)
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            frame.to_parquet(tmp, index=False)

    def join_tables(self, tables: Iterable[str], order: list[str]) -> dict[str, Any]:
        """``tables/<name>.parquet`` from the variants' parts, in variant order."""
        import pandas as pd

        from areo._files import atomic_path

        out = {}
        for t in tables:
            parts = [self.table_part(t, v) for v in order]
            frames = [pd.read_parquet(q) for q in parts if q.is_file()]
            frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
                {"variant": pd.Series([], dtype=str)})
            with atomic_path(self.path / TABLES / f"{t}.parquet") as tmp:
                frame.to_parquet(tmp, index=False)
            out[t] = frame
        return out

    def write_results(self, frame: Any) -> None:
        from areo._files import atomic_path

        with atomic_path(self.path / RESULTS) as tmp:
            frame.to_parquet(tmp, index=False)

    def remove_stale_parts(self, table: str, keep: set[str]) -> None:
        d = self.path / TABLES / table
        if d.is_dir():
            for q in d.iterdir():
                if q.suffix == ".parquet" and q.stem not in keep:
                    q.unlink(missing_ok=True)
        if not keep and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)


class Manifest:
    """The JSONL record of finished variants (see the module docstring)."""

    def __init__(self, path: Path):
        self.path = path

    def records(self) -> list[dict[str, Any]]:
        """Every complete line (a truncated or garbled line, from a kill, is skipped)."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and "variant" in rec and "inputs_hash" in rec:
                out.append(rec)
        return out

    def done(self, hashes: dict[str, str]) -> dict[str, dict[str, Any]]:
        """``{variant: its last record}`` for the variants whose record matches their
        current inputs hash (``hashes``: variant id -> hash)."""
        out: dict[str, dict[str, Any]] = {}
        for rec in self.records():
            v = str(rec["variant"])
            if hashes.get(v) == rec.get("inputs_hash"):
                if rec.get("status") == "lost":  # its chunk failed, not the variant: rerun
                    out.pop(v, None)
                else:
                    out[v] = rec
        return out

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        """Append lines and fsync: a line on disk is a variant done."""
        text = "".join(dumps(r, sort_keys=True) + "\n" for r in records)
        if not text:
            return
        # A killed writer may have left a line without its newline: start on a fresh line.
        prefix = ""
        try:
            with open(self.path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell() > 0:
                    fh.seek(-1, os.SEEK_END)
                    prefix = "" if fh.read(1) == b"\n" else "\n"
        except FileNotFoundError:
            pass
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(prefix + text)
            fh.flush()
            os.fsync(fh.fileno())
