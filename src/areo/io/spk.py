"""Mission trajectories from SPICE SPK files of any type, through the optional spiceypy.

jplephem (areo's own SPK reader, :mod:`areo.ephem`) reads Chebyshev types 2 and 3 only;
mission kernels such as MRO's are type 1 (modified difference arrays) or 13/9 (Hermite/
Lagrange). This module hands them to CSPICE (``pip install spiceypy``, areo's optional
``spice`` extra): the kernel is loaded, read and unloaded again, so the caller's kernel pool is
left as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from areo.errors import EpochOutOfRangeError, ParameterError, SpkFileError
from areo.time import Time

__all__ = ["read_spk_states", "spk_coverage"]


def _spice():
    try:
        import spiceypy
    except ImportError:  # pragma: no cover - spiceypy is an optional dependency
        raise ParameterError(
            "reading mission SPK files needs spiceypy: pip install spiceypy (areo[spice])"
        ) from None
    return spiceypy


def _body_id(sp, body: str | int) -> int:
    if isinstance(body, int | np.integer):
        return int(body)
    text = str(body).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        return int(sp.bods2c(text.upper()))
    except Exception:  # spiceypy's NotFoundError
        raise ParameterError(
            f"body {body!r} is not a SPICE body name: give a NAIF ID (e.g. -74 for MRO) or a "
            "name SPICE knows"
        ) from None


def spk_coverage(path: str | os.PathLike[str], target: str | int) -> list[tuple[float, float]]:
    """Coverage intervals (TDB s past J2000) of ``target`` in the SPK file."""
    sp = _spice()
    p = _check(path)
    code = _body_id(sp, target)
    cover = sp.cell_double(20000)
    try:
        sp.spkcov(str(p), code, cover)
    except Exception as exc:  # SpiceyError on a corrupt kernel
        raise SpkFileError(f"SPK file {p.name} cannot be read by SPICE ({_spice_reason(exc)})"
                           ) from None
    n = sp.wncard(cover)
    return [tuple(float(v) for v in sp.wnfetd(cover, i)) for i in range(n)]


def _check(path: str | os.PathLike[str]) -> Path:
    """A regular file starting with the DAF/SPK word (never handed to CSPICE otherwise)."""
    from areo._files import check_spk_file

    return check_spk_file(path, "SPK file")


def _spice_reason(exc: BaseException) -> str:
    """CSPICE's short error (e.g. 'SPICE(FILEREADFAILED)') on one line, not its banner."""
    short = str(getattr(exc, "short", "") or "").strip()
    if short:
        return " ".join(short.split())
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    text = next((ln for ln in lines if ln.startswith("SPICE(")), lines[0] if lines else "")
    return " ".join(text.split())[:120] or type(exc).__name__


def read_spk_states(path: str | os.PathLike[str], target: str | int, t: Any,
                    center: str | int = "MARS", frame: str = "J2000") -> np.ndarray:
    """States (n, 6) km, km/s of ``target`` about ``center`` in ``frame`` at epochs ``t``.

    ``t``: anything :class:`~areo.time.Time` takes (numbers are TDB s past J2000). Any SPK
    type CSPICE reads (1, 2, 3, 5, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21). Geometric
    states (no light-time correction). ``frame`` is a built-in inertial SPICE frame (J2000 =
    ICRF to ~20 mas, ECLIPJ2000, ...). Epochs outside the file's coverage raise
    :class:`~areo.errors.EpochOutOfRangeError` naming the coverage.
    """
    sp = _spice()
    p = _check(path)
    times = t if isinstance(t, Time) else Time(t)
    et = np.atleast_1d(np.asarray(times.et, dtype=float))
    path_s = str(p.resolve())
    try:
        sp.furnsh(path_s)
    except Exception as exc:  # SpiceyError for non-DAF files
        raise SpkFileError(f"SPK file {p.name} cannot be loaded by SPICE "
                           f"({_spice_reason(exc)})") from None
    try:
        tcode = _body_id(sp, target)
        ccode = _body_id(sp, center)
        out = np.empty((et.size, 6))
        for i, e in enumerate(et):
            try:
                state, _ = sp.spkgeo(tcode, float(e), frame, ccode)
            except Exception as exc:
                try:
                    cov = spk_coverage(p, tcode)
                except Exception:
                    cov = []
                span = ", ".join(
                    f"{Time.from_et(a).utc_iso(0)} .. {Time.from_et(b).utc_iso(0)}"
                    for a, b in cov) or "none"
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no data"
                raise EpochOutOfRangeError(
                    f"SPK {p.name}: no state of {target} about {center} at "
                    f"{Time.from_et(e).utc_iso(3)} ({first}); the file covers body "
                    f"{tcode} over {span}: choose epochs inside the coverage"
                ) from None
            out[i] = state
        return out
    finally:
        sp.unload(path_s)
