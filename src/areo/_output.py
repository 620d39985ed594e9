"""Output directories that areo owns: never another's files, never a half-replaced result.

A command given ``--out DIR`` writes every product into a staging directory beside ``DIR``
and moves it into place only once complete. The contract:

- **areo replaces only what it created.** Each output directory holds a marker file,
  :data:`MARKER`, with areo's version. An existing ``DIR`` is replaced only when it has the
  marker (or is empty, or is an areo output written before markers existed: it holds only
  areo's product files and a ``summary.json`` naming an areo version). Any other non-empty
  directory is refused before any work, in one line: pick another path.
- **One run per directory.** A run holds an exclusive lock (``flock`` on a sibling file
  ``.DIR.areo-lock``, removed when the run ends) from its first check to its last rename; a
  second run on the same ``DIR`` is refused at once instead of failing at the end.
- **An interrupted replacement is recoverable.** Publishing is two renames: ``DIR`` to
  ``.DIR.areo-*.old``, then the staging directory ``.DIR.areo-*.partial`` (complete once its
  marker is written, which is the last file written) to ``DIR``. A kill at any point leaves
  either ``DIR`` or one of those siblings holding a complete result. The next run on ``DIR``,
  holding the lock, finishes the swap (a complete staged result wins over the old one),
  restores the old output if no complete result was staged, and removes every stale
  staging directory.
- **The location is checked first.** An empty path, a file, a symbolic link, an unwritable
  or read-only location (``/proc/...``) is refused before the long computation; a disk that
  fills while writing ends in one :class:`OutputError` with the previous output intact.
- **Names never become paths.** :func:`slug` maps any name (``../../x``, ``/abs/path``,
  ``Tianwen-1 天问``) to a short ASCII file name, :func:`unique_file_names` keeps two names with
  the same slug apart, and :func:`inside` refuses a path that would leave the directory.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from areo.errors import ParameterError

__all__ = ["MARKER", "OutputDir", "OutputError", "inside", "slug", "unique_file_names"]

#: The marker file of a directory areo wrote (JSON: areo version, kind, creation time).
MARKER = ".areo-output"
#: Longest slug kept from a name (file systems allow 255 bytes; names should stay readable).
SLUG_MAX = 48
_STAGE_TAG = ".areo-"
#: Product files a pre-marker areo (0.1.0) wrote: such a directory may be replaced.
_LEGACY_PRODUCTS = re.compile(
    r"^(report\.html|summary\.json|scenario\.toml|rover_plan\.openmct\.json|"
    r"(passes|per_sol|earth_contacts|campaign_activities)\.(csv|parquet)|[^/]+\.oem)$")


class OutputError(ParameterError):
    """An output location that cannot be used, or products that could not be written."""


# ------------------------------------------------------------------------------ names
_ASCII_PUNCT = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-",
                              "‘": "'", "’": "'", "“": '"', "”": '"', " ": " "})


def ascii_fold(text: str) -> str:
    """``text`` in ASCII: accents dropped (NFKD), dashes and quotes to their ASCII forms,
    any other non-ASCII character as ``U+XXXX`` (lossless and unambiguous)."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_ASCII_PUNCT))
    out = []
    for ch in decomposed:
        if ord(ch) < 128:
            out.append(ch)
        elif not unicodedata.combining(ch):
            out.append(f"U+{ord(ch):04X}")
    return "".join(out)


def slug(name: str, *, default: str = "object") -> str:
    """A file-name-safe slug of ``name``: lower-case ASCII letters, digits, ``-``, ``_``
    and ``.``, no leading dot or dash, at most :data:`SLUG_MAX` characters.

    >>> slug("../../x"), slug("/abs/path"), slug("Tianwen-1 天问"), slug("TGO")
    ('x', 'abs-path', 'tianwen-1-u-5929u-95ee', 'tgo')
    """
    text = ascii_fold(name).lower().replace("+", "-")
    text = re.sub(r"[^a-z0-9._-]+", "-", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")[:SLUG_MAX].strip("-._")
    return text or default


def unique_file_names(names: Iterable[str], suffix: str,
                      taken: Iterable[str] = ()) -> dict[str, str]:
    """``{name: file name}`` from :func:`slug` plus ``suffix``; names whose slugs collide
    (``TGO`` and ``tgo``, or with a file in ``taken``) get ``-2``, ``-3``, ... so that no
    product overwrites another."""
    used = {t.lower() for t in taken}
    out: dict[str, str] = {}
    for name in names:
        if name in out:
            continue
        base = slug(name)
        candidate, k = f"{base}{suffix}", 1
        while candidate.lower() in used:
            k += 1
            candidate = f"{base}-{k}{suffix}"
        used.add(candidate.lower())
        out[name] = candidate
    return out


def inside(root: Path, file_name: str) -> Path:
    """``root / file_name``, refusing any name that is not a plain file name in ``root``."""
    path = (root / file_name)
    if (not file_name or file_name in (".", "..") or "/" in file_name or "\\" in file_name
            or "\0" in file_name or path.resolve().parent != root.resolve()):
        raise OutputError(f"product file name {file_name!r} would leave the output directory "
                          f"{str(root)!r}: product names must be plain file names")
    return path


# ------------------------------------------------------------------------- directories
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _is_areo_output(path: Path) -> bool:
    """Whether ``path`` (a directory) is one areo wrote: its marker, or a pre-marker output
    (only areo's product files, and a summary.json that names an areo version)."""
    marker = path / MARKER
    with contextlib.suppress(OSError):
        if stat.S_ISREG(marker.lstat().st_mode):
            return True
    try:
        entries = list(path.iterdir())
        summary = path / "summary.json"
        if not stat.S_ISREG(summary.lstat().st_mode) or summary.lstat().st_size > 1 << 20:
            return False
        data = json.loads(summary.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return (isinstance(data, dict) and "areo_version" in data
            and all(e.is_file() and not e.is_symlink() and _LEGACY_PRODUCTS.match(e.name)
                    for e in entries))


class OutputDir:
    """The ``--out`` directory of one run: check, lock, recover, stage and publish.

    Use as a context manager around the whole run (the lock is held throughout)::

        with OutputDir(out) as od:           # checked, locked, earlier swaps recovered
            ...long work...
            with od.staging() as stage:      # write products into ``stage``
                ...
            # here ``out`` holds the new products, the old ones are gone
    """

    def __init__(self, path: str | os.PathLike[str], *, option: str = "--out",
                 kind: str = "mission"):
        text = os.fspath(path)
        if not str(text).strip():
            raise OutputError(f"{option} is empty: give a directory path, e.g. out/run1")
        if "\0" in str(text):
            raise OutputError(f"{option} holds a NUL character: give a plain directory path")
        self.path = Path(text)
        self.option = option
        self.kind = kind
        self._lock_fd: int | None = None
        self._lock_path = self.path.parent / f".{self.path.name}{_STAGE_TAG}lock"

    # -- names of the siblings this run and earlier ones use
    def _siblings(self, suffix: str) -> list[Path]:
        prefix = f".{self.path.name}{_STAGE_TAG}"
        try:
            return sorted(p for p in self.path.parent.iterdir()
                          if p.name.startswith(prefix) and p.name.endswith(suffix)
                          and p.is_dir() and not p.is_symlink())
        except OSError:
            return []

    def _say(self, what: str) -> str:
        return f"{self.option} {str(self.path)!r} {what}"

    # -- checks
    def check(self) -> None:
        """Refuse a location that cannot hold this run's output, before any long work."""
        p = self.path
        if p.name in ("", ".", ".."):
            raise OutputError(self._say("names no directory of its own: give a new "
                                        "directory path, e.g. out/run1"))
        if p.is_symlink():
            raise OutputError(self._say("is a symbolic link: give the directory itself (areo "
                                        "replaces its output directory as a whole)"))
        if p.exists() and not p.is_dir():
            raise OutputError(self._say("is not a directory: give a directory path (it is "
                                        "created, or replaced when the run succeeds)"))
        parent = p.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(self._say(f"cannot be created ({exc.strerror or exc}): give a "
                                        "path in a writable directory")) from None
        if not parent.is_dir():
            raise OutputError(self._say(f"cannot be created: {str(parent)!r} is not a "
                                        "directory"))
        try:  # the real test of a writable location (permissions, read-only mounts, /proc)
            probe = Path(os.path.join(parent, f".{p.name}{_STAGE_TAG}probe-"
                                      f"{secrets.token_hex(4)}"))
            probe.mkdir()
            probe.rmdir()
        except OSError as exc:
            raise OutputError(self._say(f"cannot be written ({exc.strerror or exc}): give a "
                                        "path in a writable directory")) from None
        if p.is_dir():
            try:
                empty = next(p.iterdir(), None) is None
            except OSError as exc:
                raise OutputError(self._say(f"cannot be read ({exc.strerror or exc})")
                                  ) from None
            if not empty and not _is_areo_output(p):
                raise OutputError(self._say(
                    f"already holds files that areo did not write (no {MARKER} marker): "
                    "areo only replaces its own output directories; give a new or empty "
                    "directory"))

    # -- lock
    def _acquire(self) -> None:
        for _ in range(10):
            try:
                fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            except OSError as exc:
                raise OutputError(self._say(f"cannot be locked ({exc.strerror or exc}): "
                                            "give a path in a writable directory")) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise OutputError(self._say(
                    "is being written by another areo run: wait for it to finish or give "
                    "another directory")) from None
            # The previous holder may have removed the lock file after we opened it.
            try:
                same = os.stat(self._lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._lock_fd = fd
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                return
            os.close(fd)
        raise OutputError(self._say("could not be locked: try again"))  # pragma: no cover

    def _release(self) -> None:
        if self._lock_fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self._lock_path)
        os.close(self._lock_fd)
        self._lock_fd = None

    def __enter__(self) -> OutputDir:
        self.check()
        self._acquire()
        try:
            self.recover()
            self.check()  # what recovery restored must still be ours
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    # -- recovery
    def recover(self) -> list[str]:
        """Finish or undo an interrupted replacement and remove stale staging directories
        (call with the lock held). Returns what was done, one phrase per action."""
        done: list[str] = []
        complete = [s for s in self._siblings(".partial") if (s / MARKER).is_file()]
        olds = self._siblings(".old")
        if not self.path.exists():
            if complete:
                os.rename(complete[-1], self.path)
                done.append(f"finished an interrupted replacement of {self.path}")
            elif olds:
                os.rename(olds[-1], self.path)
                done.append(f"restored the previous {self.path} after an interrupted run")
        for stale in [*self._siblings(".partial"), *self._siblings(".old")]:
            shutil.rmtree(stale, ignore_errors=True)
            done.append(f"removed {stale.name}")
        return done

    # -- staging and publishing
    def _write_marker(self, stage: Path) -> None:
        from areo import __version__

        text = json.dumps({"areo": __version__, "kind": self.kind,
                           "created_utc": _dt.datetime.now(_dt.UTC).strftime(
                               "%Y-%m-%dT%H:%M:%SZ")}) + "\n"
        fd = os.open(stage / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    def _publish(self, stage: Path) -> None:
        """Two renames; a kill between any two lines is recovered by :meth:`recover`."""
        old = None
        if self.path.exists():
            old = self.path.parent / f".{self.path.name}{_STAGE_TAG}{secrets.token_hex(6)}.old"
            os.rename(self.path, old)
        try:
            os.rename(stage, self.path)
        except OSError:
            if old is not None:
                os.rename(old, self.path)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A new directory beside the output; when the block succeeds it gets the marker
        and replaces the output. On failure it is removed and the output left as it was; a
        write error (a full disk) becomes one :class:`OutputError`."""
        if self._lock_fd is None:
            raise RuntimeError("OutputDir.staging() needs the directory locked (use `with`)")
        name = f".{self.path.name}{_STAGE_TAG}{secrets.token_hex(6)}.partial"
        stage = self.path.parent / name
        try:
            stage.mkdir()
        except OSError as exc:
            raise OutputError(self._say(f"cannot be written ({exc.strerror or exc})")
                              ) from None
        try:
            try:
                yield stage
                umask = _umask()
                for q in [stage, *stage.rglob("*")]:
                    q.chmod((0o777 if q.is_dir() else 0o666) & ~umask)
                self._write_marker(stage)  # last: a staged directory with it is complete
                self._publish(stage)
            except OSError as exc:
                reason = ("the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                          else "a file is too large" if exc.errno == errno.EFBIG
                          else exc.strerror or str(exc))
                raise OutputError(self._say(
                    f"could not be written ({reason}): the previous output, if any, is "
                    "unchanged; free space or give another directory")) from None
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)
