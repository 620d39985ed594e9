"""Cache of the intermediate results of a mission run.

Each step of :func:`areo.mission.run_mission` stores its result under
``<cache dir>/mission/<step>-<key>.pkl``, where the key is the sha256 of the step's inputs
(the scenario fields it reads, the contents of the files they name and the keys of the
steps it builds on), areo's version, a fingerprint of areo's own source and data files (so
that a development install never reuses results of older code) and :data:`FORMAT`.
Unchanged inputs find their result; any change gives a new key. A cache file that cannot be
read is treated as absent.

The cache directory is ``$AREO_CACHE_DIR`` when set, else ``~/.cache/areo``. Files are
written atomically, so an interrupted run never leaves a truncated entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any

from areo._files import atomic_path

__all__ = ["FORMAT", "StepCache", "default_cache_dir", "step_key"]

#: Bumped whenever the layout of a cached result changes.
FORMAT = 1


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
    """Pickled step results under ``root/mission`` (``enabled=False``: never read)."""

    def __init__(self, root: str | os.PathLike[str] | None = None, *, enabled: bool = True):
        self.root = (Path(root) if root is not None else default_cache_dir()) / "mission"
        self.enabled = enabled

    def path(self, step: str, key: str) -> Path:
        return self.root / f"{step}-{key[:32]}.pkl"

    def load(self, step: str, key: str) -> Any | None:
        """The cached result, or None when absent, disabled or unreadable."""
        if not self.enabled:
            return None
        p = self.path(step, key)
        try:
            with p.open("rb") as fh:
                payload = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                TypeError, ValueError):
            return None
        if not isinstance(payload, dict) or payload.get("key") != key:
            return None
        return payload.get("value")

    def save(self, step: str, key: str, value: Any) -> None:
        """Store a result (also with the cache disabled, so that the next run finds it);
        a cache directory that cannot be written is skipped silently."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with atomic_path(self.path(step, key)) as tmp, tmp.open("wb") as fh:
                pickle.dump({"key": key, "value": value}, fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass
