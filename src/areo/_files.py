"""Atomic file output: nothing half-written is left looking complete.

Every product areo writes (plots, tables, OEM files, reports) goes to a temporary file in
the destination directory and is renamed over the target only once complete, so a crash or
a full disk leaves either the old file or none, never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from areo.errors import ParameterError

__all__ = ["atomic_path", "atomic_write", "save_figure"]


def _check_dir(path: Path) -> None:
    if not path.parent.exists():
        raise ParameterError(
            f"cannot write {str(path)!r}: directory {str(path.parent)!r} does not exist; "
            "create it first"
        )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``."""
    target = Path(path)
    _check_dir(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file owner-only (0600): give it the usual umask permissions.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``path`` when the block succeeds."""
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


def save_figure(fig: Any, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Save a matplotlib figure atomically, in the format its suffix names."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or "png"
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, bbox_inches="tight", **kwargs)
    return target
