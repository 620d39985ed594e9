"""CCSDS Orbit Ephemeris Messages (OEM), KVN form: write and read.

Format: CCSDS 502.0-B-3 (Orbit Data Messages, 2023), section 5 (OEM) in Keyword = Value
Notation: a header (``CCSDS_OEM_VERS``, ``CREATION_DATE``, ``ORIGINATOR``, optional
``MESSAGE_ID``, COMMENT lines), then one or more segments, each a ``META_START`` ..
``META_STOP`` block (``OBJECT_NAME``, ``OBJECT_ID``, ``CENTER_NAME``, ``REF_FRAME``,
``TIME_SYSTEM``, ``START_TIME``, ``STOP_TIME``, optional ``USEABLE_*``, ``INTERPOLATION``,
``INTERPOLATION_DEGREE``), data lines ``epoch x y z vx vy vz [ax ay az]`` in km, km/s (km/s^2)
and an optional ``COVARIANCE_START`` .. ``COVARIANCE_STOP`` block (read and kept as raw text).

Epochs are written in the segment's ``TIME_SYSTEM`` (UTC, TDB or TT) as ISO calendar strings
with microseconds; reading also accepts day-of-year form (``2030-001T00:00:00``). Files are
written atomically (a temporary file in the same directory, then ``os.replace``), so a reader
never sees half a file.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from areo._files import atomic_write
from areo.errors import CatalogFileError, ParameterError, TimeFormatError
from areo.time import Time

__all__ = ["OemData", "OemSegment", "read_oem", "write_oem"]

_TIME_SYSTEMS = ("UTC", "TDB", "TT")
_J2000 = np.datetime64("2000-01-01T12:00:00", "ns")
_REQUIRED_META = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
                  "START_TIME", "STOP_TIME")


@dataclass(eq=False)
class OemSegment:
    """One OEM segment: metadata (upper-case keys, string values), epochs and states.

    ``states`` (n, 6) km, km/s; ``accelerations`` (n, 3) km/s^2 or None; ``covariance`` the
    raw lines of the covariance block (empty when absent).
    """

    metadata: dict[str, str]
    time: Time
    states: np.ndarray
    accelerations: np.ndarray | None = None
    comments: list[str] = field(default_factory=list)
    covariance: list[str] = field(default_factory=list)

    @property
    def et(self) -> np.ndarray:
        return np.atleast_1d(self.time.et)


@dataclass(eq=False)
class OemData:
    """A parsed OEM: header (keys -> values), header comments and segments.

    ``time``/``states`` concatenate all segments (in file order); ``metadata`` is the first
    segment's.
    """

    header: dict[str, str]
    segments: list[OemSegment]
    comments: list[str] = field(default_factory=list)

    @property
    def time(self) -> Time:
        return Time.from_et(np.concatenate([s.et for s in self.segments]))

    @property
    def states(self) -> np.ndarray:
        return np.concatenate([s.states for s in self.segments], axis=0)

    @property
    def metadata(self) -> dict[str, str]:
        return self.segments[0].metadata


# ----------------------------------------------------------------------------- epochs
def _format_epochs(t: Time, system: str) -> list[str]:
    et = np.atleast_1d(t.et)
    if system == "UTC":
        return list(np.atleast_1d(t.utc_iso(6, suffix="")))
    sec = et if system == "TDB" else np.atleast_1d(t.tt)
    # TDB and TT have no leap seconds: a plain calendar offset from J2000 (12:00).
    ns = np.round(np.asarray(sec) * 1e6).astype(np.int64) * 1000
    d64 = _J2000 + ns.astype("timedelta64[ns]")
    return [str(v)[:26] for v in d64.astype("datetime64[us]")]


def _normalise_iso(text: str) -> str:
    """Calendar form of a CCSDS epoch (day-of-year form converted), no zone letter."""
    s = text.strip().rstrip("Zz")
    date, _, clock = s.partition("T")
    parts = date.split("-")
    if len(parts) == 2 and len(parts[1]) == 3:  # YYYY-DDD
        d = _dt.date(int(parts[0]), 1, 1) + _dt.timedelta(days=int(parts[1]) - 1)
        date = d.isoformat()
    return f"{date}T{clock}" if clock else date


#: A CCSDS epoch: calendar (YYYY-MM-DD) or day-of-year (YYYY-DDD) date, time of day.
_EPOCH = re.compile(r"\d{4}-(?:\d{2}-\d{2}|\d{3})T\d{2}:\d{2}:\d{2}(?:\.\d{1,12})?Z?")


def _parse_epochs(texts: Sequence[str], system: str, where: str) -> Time:
    bad = (f"{where}: an epoch is not a valid {system} date and time (CCSDS "
           "YYYY-MM-DDThh:mm:ss.sss or YYYY-DDDThh:mm:ss.sss)")
    if system == "UTC":
        try:
            return Time.from_utc(np.array([_normalise_iso(x) for x in texts], dtype=object))
        except (TimeFormatError, ValueError, OverflowError):  # never quote the file
            raise CatalogFileError(bad) from None
    try:
        d64 = np.array([_normalise_iso(x) for x in texts], dtype="datetime64[ns]")
    except (ValueError, OverflowError):
        raise CatalogFileError(bad) from None
    sec = (d64 - _J2000).astype(np.int64) / 1e9
    if system == "TDB":
        return Time.from_et(sec)
    return Time.from_tt(np.asarray(sec, dtype=float))


# ----------------------------------------------------------------------------- write
def _atomic_write_text(path: Path, text: str) -> None:
    with atomic_write(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(text)


def _kvn_value(field_name: str, value: Any) -> str:
    """A KVN value: one line of printable ASCII (CCSDS 502.0-B-3 7.4, 7.5). Control
    characters are refused (a newline would inject keywords); other non-ASCII text is
    transliterated by :func:`areo._output.ascii_fold` (accents dropped, dashes and quotes to
    ASCII, anything else as ``U+XXXX``), so ``Tianwen-1 天问`` is written as
    ``Tianwen-1 U+5929U+95EE``."""
    from areo._output import ascii_fold

    text = str(value)
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise ParameterError(f"write_oem: {field_name} {text!r} holds control characters "
                             "(newline, tab, NUL, ...): KVN values are single-line text; "
                             "remove them")
    folded = ascii_fold(text).strip()
    if not folded:
        raise ParameterError(f"write_oem: {field_name} is empty: give a non-empty name")
    return folded


def _kvn_comment(text: str) -> str:
    """One COMMENT line's text: ASCII as :func:`_kvn_value`, control characters blanked."""
    from areo._output import ascii_fold

    return ascii_fold("".join(" " if unicodedata.category(ch) == "Cc" else ch
                              for ch in text)).rstrip()


def write_oem(
    path: str | os.PathLike[str],
    time: Any,
    states: Any,
    *,
    object_name: str,
    object_id: str = "",
    center_name: str = "MARS",
    ref_frame: str = "ICRF",
    time_system: str = "UTC",
    comments: Iterable[str] = (),
    originator: str = "AREO",
    interpolation: str = "HERMITE",
    interpolation_degree: int = 7,
    accelerations: Any = None,
) -> Path:
    """Write one OEM segment (KVN, CCSDS 502.0-B-3) atomically; returns the path.

    ``time``: epochs (anything :class:`~areo.time.Time` takes, numbers are TDB s past J2000),
    strictly increasing; ``states`` (n, 6) km, km/s in ``ref_frame`` about ``center_name``;
    ``time_system`` UTC, TDB or TT; ``comments`` become COMMENT lines after META_STOP.
    """
    t = time if isinstance(time, Time) else Time(time)
    et = np.atleast_1d(np.asarray(t.et, dtype=float))
    st = np.asarray(states, dtype=float)
    if st.ndim != 2 or st.shape[1] != 6 or st.shape[0] != et.size or et.size == 0:
        raise ParameterError(
            f"write_oem: states must be (n, 6) with one row per epoch (got {st.shape} for "
            f"{et.size} epochs)"
        )
    if not np.all(np.isfinite(st)):
        raise ParameterError("write_oem: states hold NaN or inf: drop those rows first")
    if et.size > 1 and np.any(np.diff(et) <= 0):
        raise ParameterError("write_oem: epochs must be strictly increasing (CCSDS 502.0-B-3 "
                             "5.2.4.2): sort them and drop duplicates")
    system = str(time_system).upper()
    if system not in _TIME_SYSTEMS:
        raise ParameterError(f"write_oem: time_system {time_system!r} is not supported: use "
                             f"one of {', '.join(_TIME_SYSTEMS)}")
    acc = None
    if accelerations is not None:
        acc = np.asarray(accelerations, dtype=float)
        if acc.shape != (et.size, 3):
            raise ParameterError("write_oem: accelerations must be (n, 3) km/s^2")
    object_name = _kvn_value("object_name", object_name)
    object_id = _kvn_value("object_id", object_id or object_name)
    center_name = _kvn_value("center_name", center_name)
    ref_frame = _kvn_value("ref_frame", ref_frame)
    originator = _kvn_value("originator", originator)
    interpolation = _kvn_value("interpolation", interpolation)
    comment_lines = [_kvn_comment(c) for text in comments
                     for c in str(text).splitlines() or [""]]
    epochs = _format_epochs(Time.from_et(et), system)
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    lines = [
        "CCSDS_OEM_VERS = 3.0",
        f"CREATION_DATE = {now}",
        f"ORIGINATOR = {originator}",
        "",
        "META_START",
        f"OBJECT_NAME = {object_name}",
        f"OBJECT_ID = {object_id}",
        f"CENTER_NAME = {center_name}",
        f"REF_FRAME = {ref_frame}",
        f"TIME_SYSTEM = {system}",
        f"START_TIME = {epochs[0]}",
        f"STOP_TIME = {epochs[-1]}",
        f"INTERPOLATION = {interpolation}",
        f"INTERPOLATION_DEGREE = {int(interpolation_degree)}",
        "META_STOP",
        "",
    ]
    lines += [f"COMMENT {c}".rstrip() for c in comment_lines]
    fmt = " ".join(["{:.16e}"] * 6)
    for k in range(et.size):
        row = f"{epochs[k]} " + fmt.format(*st[k])
        if acc is not None:
            row += " " + " ".join(f"{v:.16e}" for v in acc[k])
        lines.append(row)
    p = Path(path)
    _atomic_write_text(p, "\n".join(lines) + "\n")
    return p


# ----------------------------------------------------------------------------- read
def read_oem(path: str | os.PathLike[str]) -> OemData:
    """Read an OEM in KVN form (all segments). Raises CatalogFileError on a malformed file.

    The file is checked before it is read (a regular file of at most
    :data:`areo._files.MAX_OEM_BYTES`; directories, FIFOs and devices are refused without
    blocking); its first line must be the ``CCSDS_OEM_VERS`` header. States must be finite
    and epochs increasing within a segment. Messages name lines, never quote them.
    """
    from areo._files import MAX_OEM_BYTES, read_input_file

    p = Path(path)
    data = read_input_file(path, "OEM file", MAX_OEM_BYTES)
    raw = data.decode("utf-8", errors="replace").splitlines()
    del data
    header: dict[str, str] = {}
    head_comments: list[str] = []
    segments: list[OemSegment] = []
    state = "header"
    meta: dict[str, str] = {}
    seg_comments: list[str] = []
    epochs: list[str] = []
    rows: list[list[float]] = []
    cov: list[str] = []

    def flush(lineno: int) -> None:
        if state == "header" and not meta:
            return
        missing = [k for k in _REQUIRED_META if k not in meta]
        if missing:
            raise CatalogFileError(
                f"OEM {p.name}: segment ending at line {lineno} lacks {', '.join(missing)} "
                "(CCSDS 502.0-B-3 table 5-3)"
            )
        system = meta["TIME_SYSTEM"].upper()
        if system not in _TIME_SYSTEMS:
            raise CatalogFileError(
                f"OEM {p.name}: TIME_SYSTEM {system[:16]!r} is not supported: areo reads "
                f"{', '.join(_TIME_SYSTEMS)}"
            )
        if not rows:
            raise CatalogFileError(f"OEM {p.name}: the segment ending at line {lineno} has no "
                                   "data lines")
        arr = np.array(rows, dtype=float).reshape(-1, len(rows[0]))
        t = _parse_epochs(epochs, system, f"OEM {p.name}, segment ending at line {lineno}")
        et = np.atleast_1d(t.et)
        if et.size > 1 and not np.all(np.diff(et) > 0):
            raise CatalogFileError(f"OEM {p.name}: epochs of the segment ending at line "
                                   f"{lineno} are not increasing (CCSDS 502.0-B-3 5.2.4.2)")
        acc = arr[:, 6:9].copy() if arr.shape[1] == 9 else None
        segments.append(OemSegment(dict(meta), t, np.ascontiguousarray(arr[:, :6]), acc,
                                   list(seg_comments), list(cov)))

    for lineno, line in enumerate(raw, start=1):
        text = line.strip()
        if not text:
            continue
        key = text.split("=", 1)[0].strip().upper() if "=" in text else text.split()[0].upper()
        if state == "header" and not header and key != "CCSDS_OEM_VERS":
            raise CatalogFileError(f"OEM {p.name}: line {lineno} is not a CCSDS OEM header (an "
                                   "OEM starts with 'CCSDS_OEM_VERS = 3.0'): is it an OEM file?")
        if key == "COMMENT" or text.upper().startswith("COMMENT"):
            comment = text[7:].strip()
            (head_comments if state == "header" else seg_comments).append(comment)
            continue
        if text.upper() == "META_START":
            if state in ("data", "cov_done"):
                flush(lineno)
            meta, seg_comments, epochs, rows, cov = {}, [], [], [], []
            state = "meta"
            continue
        if text.upper() == "META_STOP":
            if state != "meta":
                raise CatalogFileError(f"OEM {p.name}, line {lineno}: META_STOP without "
                                       "META_START")
            state = "data"
            continue
        if text.upper() == "COVARIANCE_START":
            state = "cov"
            continue
        if text.upper() == "COVARIANCE_STOP":
            state = "cov_done"
            continue
        if state == "cov":
            cov.append(text)
            continue
        if state in ("header", "meta"):
            if "=" not in text:
                raise CatalogFileError(f"OEM {p.name}, line {lineno} is not 'KEY = value' "
                                       f"(in the {state})")
            k, v = (s.strip() for s in text.split("=", 1))
            (header if state == "header" else meta)[k.upper()] = v
            continue
        if state == "data":
            tok = text.split()
            if len(tok) not in (7, 10):
                raise CatalogFileError(
                    f"OEM {p.name}, line {lineno}: a data line holds an epoch and 6 (or 9) "
                    f"numbers, found {len(tok)} fields"
                )
            try:
                values = [float(v) for v in tok[1:]]
            except ValueError:
                raise CatalogFileError(f"OEM {p.name}, line {lineno}: a state value is not a "
                                       "number") from None
            if not all(math.isfinite(v) for v in values):
                raise CatalogFileError(f"OEM {p.name}, line {lineno}: a state value is not "
                                       "finite (NaN or infinity)")
            if _EPOCH.fullmatch(tok[0]) is None:
                raise CatalogFileError(f"OEM {p.name}, line {lineno}: the epoch is not a CCSDS "
                                       "time (YYYY-MM-DDThh:mm:ss.sss or YYYY-DDDThh:mm:ss)")
            if rows and len(values) != len(rows[0]):
                raise CatalogFileError(f"OEM {p.name}, line {lineno}: mixed 6- and 9-value "
                                       "data lines in one segment")
            epochs.append(tok[0])
            rows.append(values)
            continue
        raise CatalogFileError(f"OEM {p.name}, line {lineno} is not an OEM keyword or data "
                               "line (after the covariance block)")
    if state in ("data", "cov_done"):
        flush(len(raw))
    elif state != "header":
        raise CatalogFileError(f"OEM {p.name}: the file ends inside a {state} block")
    if "CCSDS_OEM_VERS" not in header:
        raise CatalogFileError(f"OEM {p.name}: no CCSDS_OEM_VERS line: is it an OEM file?")
    if not segments:
        raise CatalogFileError(f"OEM {p.name}: no META_START/META_STOP segment found")
    return OemData(header, segments, head_comments)
