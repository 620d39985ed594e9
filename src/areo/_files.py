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
    """Save a figure atomically in the format its suffix names: a matplotlib figure as
    PNG, PDF or SVG; a plotly figure as one self-contained HTML page (plotly.js inlined,
    no network), or a static image where plotly's optional ``kaleido`` is installed."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or "png"
    if hasattr(fig, "write_html"):  # plotly
        if fmt in ("html", "htm"):
            with atomic_path(target) as tmp:
                fig.write_html(str(tmp), include_plotlyjs=True, full_html=True)
            return target
        try:
            import kaleido  # noqa: F401
        except ImportError:
            raise ParameterError(
                f"path {str(target)!r}: this figure is interactive (plotly); save it as .html, "
                f"or install plotly's kaleido (pip install kaleido) for .{fmt}") from None
        with atomic_path(target) as tmp:
            fig.write_image(str(tmp), format=fmt, **kwargs)
        return target
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, bbox_inches="tight", **kwargs)
    return target


# ------------------------------------------------------------------------------ inputs
#: Largest TOML file areo reads (scenarios, catalogs, rovers): real ones are a few kB.
MAX_TOML_BYTES = 16 << 20
#: Largest CCSDS OEM file areo reads: ten years at 60 s is about 900 MB of KVN, so this
#: allows years of dense ephemeris while refusing a runaway file before reading it.
MAX_OEM_BYTES = 512 << 20


def _file_kind(mode: int) -> str:
    import stat

    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def _size(n: int) -> str:
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n} bytes"


def _input_error(error: type[Exception] | None) -> type[Exception]:
    if error is not None:
        return error
    from areo.errors import CatalogFileError

    return CatalogFileError


def _stat_input(path: Any, what: str, max_bytes: int | None,
                error: type[Exception]) -> tuple[Path, os.stat_result]:
    """``os.stat`` of an input file, refusing anything but a regular file of sane size."""
    text = os.fspath(path) if isinstance(path, str | os.PathLike) else None
    if not isinstance(text, str):
        raise error(f"{what}: {path!r} is not a file path: give the path of a file")
    if not text.strip():
        raise error(f"{what} path is empty: give the path of a file")
    if "\0" in text:
        raise error(f"{what} path {text!r} holds a NUL character: give a plain file path")
    p = Path(text)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise error(f"{what} {text!r} does not exist: check the path") from None
    except NotADirectoryError:
        raise error(f"{what} {text!r} does not exist (a part of the path is a file, not a "
                    "directory): check the path") from None
    except PermissionError:
        raise error(f"{what} {text!r} cannot be read (permission denied)") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise error(f"{what} {text!r} cannot be read ({reason}): check the path") from None
    import stat

    if not stat.S_ISREG(st.st_mode):
        raise error(f"{what} {text!r} is {_file_kind(st.st_mode)}, not a regular file: give "
                    "the path of a file")
    if max_bytes is not None and st.st_size > max_bytes:
        raise error(f"{what} {text!r} is {_size(st.st_size)}, more than the "
                    f"{_size(max_bytes)} areo reads: is it the right file?")
    return p, st


def check_input_file(path: Any, what: str, max_bytes: int | None = None, *,
                     error: type[Exception] | None = None) -> Path:
    """``path`` as a :class:`~pathlib.Path` once :func:`os.stat` shows a regular file of at
    most ``max_bytes`` (None: any size); otherwise one-line ``error`` (default
    :class:`~areo.errors.CatalogFileError`) naming ``what`` ("scenario file", "OEM file").

    Nothing is opened: directories, FIFOs (which would block a reader), devices
    (``/dev/zero`` never ends) and sockets are refused by their type alone.
    """
    return _stat_input(path, what, max_bytes, _input_error(error))[0]


def read_input_file(path: Any, what: str, max_bytes: int, *,
                    error: type[Exception] | None = None) -> bytes:
    """The bytes of the regular file ``path``, checked before and while reading.

    :func:`os.stat` first (a regular file of at most ``max_bytes``, else a one-line
    ``error`` naming ``what``), then the file is opened with ``O_NONBLOCK`` (a FIFO swapped
    in after the check cannot block), checked again through ``fstat`` and read up to
    ``max_bytes + 1`` bytes, so a file that grows past the limit is refused too.
    """
    err = _input_error(error)
    p, _ = _stat_input(path, what, max_bytes, err)
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise err(f"{what} {str(p)!r} cannot be read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise err(f"{what} {str(p)!r} is {_file_kind(st.st_mode)}, not a regular file: "
                      "give the path of a file")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            try:
                chunk = os.read(fd, min(left, 1 << 20))
            except OSError as exc:
                raise err(f"{what} {str(p)!r} cannot be read ({exc.strerror or exc})") from None
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise err(f"{what} {str(p)!r} is larger than the {_size(max_bytes)} areo reads: is it "
                  "the right file?")
    return data


def check_output_file(path: Any, option: str, suffixes: tuple[str, ...] | None = None) -> Path:
    """Check an output file given as ``option`` (``--plot``, ``--oem``) before any work.

    ``suffixes`` (lower case, with the dot) are the formats the writer supports; the file
    must not be a directory or another non-regular file (a FIFO, a device, a socket), and
    its directory must exist and accept new files (checked by creating and removing a
    temporary file there, as the atomic writers will). Returns the path; raises a one-line
    :class:`~areo.errors.ParameterError` naming ``option``.
    """
    text = os.fspath(path) if isinstance(path, str | os.PathLike) else None
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"{option} is empty: give a file path")
    if "\0" in text:
        raise ParameterError(f"{option} {text!r} holds a NUL character: give a plain file path")
    target = Path(text)
    import stat

    try:
        st = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):  # absent (or a dangling link): the
        st = None  # writer creates it; a parent that is not a directory is named below
    except OSError as exc:
        raise ParameterError(f"{option} {text!r} cannot be used ({exc.strerror or exc}): "
                             "give another path") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise ParameterError(f"{option} {text!r} is {_file_kind(st.st_mode)}: give the path "
                             "of a file to write (created, or replaced when the work succeeds)")
    if suffixes is not None and target.suffix.lower() not in suffixes:
        got = f"suffix {target.suffix!r}" if target.suffix else "no suffix"
        raise ParameterError(f"{option} {text!r} has {got}: areo writes "
                             f"{', '.join(suffixes)} here; name the file accordingly")
    parent = target.parent
    if not parent.exists():
        raise ParameterError(f"{option} {text!r}: directory {str(parent)!r} does not exist; "
                             "create it first")
    if not parent.is_dir():
        raise ParameterError(f"{option} {text!r}: {str(parent)!r} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise ParameterError(f"{option} {text!r} cannot be written in {str(parent)!r} "
                             f"({exc.strerror or exc}): give a writable location") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return target


#: The identification words a DAF/SPK kernel starts with (NAIF DAF Required Reading):
#: "DAF/SPK " today, "NAIF/DAF" in files older than 1995.
SPK_ID_WORDS = (b"DAF/SPK", b"NAIF/DAF")


def check_spk_file(path: Any, what: str = "SPK file", *,
                   error: type[Exception] | None = None) -> Path:
    """``path`` once it is a regular file that starts with a DAF/SPK identification word
    (checked here, so neither jplephem nor CSPICE ever sees another kind of file and no
    error quotes its bytes). Returns the path; raises a one-line ``error`` (default
    :class:`~areo.errors.SpkFileError`)."""
    if error is None:
        from areo.errors import SpkFileError

        error = SpkFileError
    p = check_input_file(path, what, error=error)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags | getattr(os, "O_CLOEXEC", 0))
        try:
            head = os.read(fd, 8)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
    except OSError as exc:
        raise error(f"{what} {str(p)!r} cannot be read ({exc.strerror or exc})") from None
    if not head.startswith(SPK_ID_WORDS):
        raise error(f"{what} {str(p)!r} is not an SPK kernel (DAF/SPK) and cannot be read: "
                    "it does not start with the DAF/SPK identification word; pass a JPL/NAIF "
                    ".bsp file")
    if size < 2048:
        raise error(f"{what} {str(p)!r} is truncated ({size} bytes, less than a DAF file "
                    "record and one summary record): re-download the SPK file")
    return p
