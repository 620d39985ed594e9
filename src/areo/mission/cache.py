"""Cache of the intermediate results of a mission run.

Each step of :func:`areo.mission.run_mission` stores its result under
``<cache dir>/mission/<step>-<key>.entry``, where the key is the sha256 of the step's inputs
(the scenario fields it reads, the contents of the files they name and the keys of the
steps it builds on), areo's version, a fingerprint of areo's own source and data files (so
that a development install never reuses results of older code) and :data:`FORMAT`.
Unchanged inputs find their result; any change gives a new key.

An entry is data only, nothing in it is ever executed: one header line
``AREO-CACHE 2 <sha256 of the payload>\n``, then the payload of :mod:`areo.mission.codec` -
a line of JSON holding the step name, the full key and the result as a tree of plain values
(dicts, lists, tuples, str, int, float, bool, None and a fixed allowlist of tagged types:
pandas frames and series, :class:`~areo.events.Windows`,
:class:`~areo.relay.plan.RelayPlan`), then an uncompressed ``.npz`` of the numpy arrays,
read with ``allow_pickle=False``. A result holding any other type is refused with a
``TypeError`` when it is saved.

Every read checks the header, the payload's sha256, the step and the key. An entry that is
missing is simply absent; one that is not a regular file (a FIFO, a directory, a device, a
symbolic link: it is opened with ``O_NOFOLLOW | O_NONBLOCK`` and never blocks), larger than
:data:`MAX_ENTRY_BYTES`, truncated, corrupted, or that does not decode is a miss too: the
step is recomputed and its entry rewritten, and :attr:`StepCache.notes` gets one line
naming the file and the reason. Old ``.pkl`` entries (format 1) are never opened.

The cache directory is ``$AREO_CACHE_DIR`` when set, else ``~/.cache/areo``. Files are
written atomically, so an interrupted run never leaves a truncated entry.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

from areo._files import atomic_path
from areo.mission import codec

__all__ = ["FORMAT", "MAX_ENTRY_BYTES", "StepCache", "default_cache_dir", "step_key"]

#: Bumped whenever the layout of a cached result changes (1: pickle, never read now).
FORMAT = 2
#: Entries larger than this are never read (nor written): a miss.
MAX_ENTRY_BYTES = 2 * 1024**3
_MAGIC = "AREO-CACHE"
_HEADER_LEN = len(f"{_MAGIC} {FORMAT} ") + 64 + 1


def default_cache_dir() -> Path:
    """``$AREO_CACHE_DIR`` or ``~/.cache/areo``."""
    env = os.environ.get("AREO_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "areo"


@functools.cache
def code_fingerprint() -> str:
    """sha256 of areo's installed ``.py`` and catalog data files (a few ms, once)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.suffix in (".py", ".toml") and f.is_file():
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def step_key(step: str, inputs: Any) -> str:
    """sha256 of a step's name, its JSON-ready inputs, areo's version and code fingerprint,
    and the cache format."""
    from areo import __version__

    text = json.dumps({"step": step, "inputs": inputs, "areo": __version__,
                       "code": code_fingerprint(), "format": FORMAT}, sort_keys=True,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class StepCache:
    """Step results under ``root/mission`` (``enabled=False``: never read, still written).

    ``notes`` collects one line per entry that was there but could not be used (or not
    written), for the caller to show; never a traceback.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None, *, enabled: bool = True):
        self.root = (Path(root) if root is not None else default_cache_dir()) / "mission"
        self.enabled = enabled
        self.notes: list[str] = []

    def path(self, step: str, key: str) -> Path:
        return self.root / f"{step}-{key[:32]}.entry"

    def _note(self, p: Path, what: str, reason: str, then: str = "") -> None:
        reason = " ".join(str(reason).split())[:200]
        self.notes.append(f"cache entry {p.name} {what} ({reason}){then}")

    def load(self, step: str, key: str) -> Any | None:
        """The cached result, or None when absent, disabled or unusable (then a note)."""
        if not self.enabled:
            return None
        p = self.path(step, key)
        try:
            data = _read_entry(p)
        except FileNotFoundError:
            return None
        except OSError as exc:
            reason = ("a symbolic link" if exc.errno == errno.ELOOP
                      else exc.strerror or type(exc).__name__)
            self._note(p, "unreadable", reason, ": recomputed")
            return None
        except _BadEntry as exc:
            self._note(p, "unreadable", str(exc), ": recomputed")
            return None
        try:
            envelope = codec.loads(data, _HEADER_LEN)
            if (type(envelope) is not dict or list(envelope) != ["step", "key", "value"]
                    or envelope["step"] != step or envelope["key"] != key):
                raise _BadEntry("another step or key")
        except Exception as exc:  # malformed data may raise anything: a miss
            reason = str(exc) if isinstance(exc, _BadEntry) else (
                f"undecodable: {type(exc).__name__}: {exc}")
            self._note(p, "unreadable", reason, ": recomputed")
            return None
        return envelope["value"]

    def save(self, step: str, key: str, value: Any) -> None:
        """Store a result (also with the cache disabled, so that the next run finds it);
        a cache directory that cannot be written is skipped (a note).

        Raises:
            TypeError: ``value`` holds a type the cache cannot store (see
                :mod:`areo.mission.codec`).
        """
        payload = codec.dumps(value, meta={"step": step, "key": key},
                              where=f"the {step} result")
        p = self.path(step, key)
        if len(payload) + _HEADER_LEN > MAX_ENTRY_BYTES:
            self._note(p, "not saved", f"{len(payload)} bytes, over the cache's limit")
            return
        header = f"{_MAGIC} {FORMAT} {hashlib.sha256(payload).hexdigest()}\n".encode()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            # The temporary file is renamed over the entry's path: a FIFO or symbolic link
            # there is replaced (never followed); a directory there makes the save fail.
            with atomic_path(p) as tmp, tmp.open("wb") as fh:
                fh.write(header)
                fh.write(payload)
        except OSError as exc:
            self._note(p, "not saved", exc.strerror or type(exc).__name__)


class _BadEntry(ValueError):
    """An entry file that is not a valid entry (the message says why)."""


def _read_entry(p: Path) -> bytes:
    """The bytes of a regular entry file whose header and sha256 check out.

    Raises:
        OSError: cannot open or read it (FileNotFoundError when absent; ELOOP for a
            symbolic link);
        _BadEntry: not a regular file, too large, bad header or checksum.
    """
    fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _BadEntry("not a regular file")
        if st.st_size > MAX_ENTRY_BYTES:
            raise _BadEntry(f"{st.st_size} bytes, over the cache's limit")
        if st.st_size < _HEADER_LEN:
            raise _BadEntry("truncated")
        data = fh.read(st.st_size + 1)  # buffered: loops over short reads
    if len(data) != st.st_size:
        raise _BadEntry("changed while read")
    head = data[:_HEADER_LEN]
    prefix = f"{_MAGIC} {FORMAT} ".encode()
    if not head.startswith(prefix) or head[-1:] != b"\n":
        raise _BadEntry("not an areo cache entry of format " + str(FORMAT))
    digest = head[len(prefix):-1]
    actual = hashlib.sha256(memoryview(data)[_HEADER_LEN:]).hexdigest().encode()
    if not hmac.compare_digest(digest, actual):
        raise _BadEntry("checksum mismatch")
    return data
