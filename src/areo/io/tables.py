"""State tables as CSV or Parquet (by file suffix): columns utc, x_km..vz_kms.

``utc`` is ISO 8601 UTC with microseconds (``2030-01-01T00:00:00.000000Z``); positions km and
velocities km/s in the frame the caller used (areo: Mars-centred ICRF). Writes are atomic
(temporary file in the same directory, then ``os.replace``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from areo._files import atomic_path
from areo.errors import CatalogFileError, ParameterError
from areo.time import Time

__all__ = ["COLUMNS", "read_states", "write_states"]

COLUMNS = ("utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms")
_SUFFIXES = (".csv", ".parquet", ".pq")


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise ParameterError(
            f"state table {path.name!r}: suffix {suffix or '(none)'} is not supported: use "
            ".csv or .parquet"
        )
    return "csv" if suffix == ".csv" else "parquet"


def write_states(path: str | os.PathLike[str], time: Any, states: Any) -> Path:
    """Write epochs and (n, 6) states to ``path`` (.csv or .parquet); returns the path."""
    import pandas as pd

    p = Path(path)
    kind = _kind(p)
    t = time if isinstance(time, Time) else Time(time)
    et = np.atleast_1d(np.asarray(t.et, dtype=float))
    st = np.asarray(states, dtype=float)
    if st.ndim != 2 or st.shape != (et.size, 6):
        raise ParameterError(
            f"write_states: states must be (n, 6) with one row per epoch (got {st.shape} for "
            f"{et.size} epochs)"
        )
    df = pd.DataFrame(st, columns=list(COLUMNS[1:]))
    df.insert(0, "utc", np.atleast_1d(Time.from_et(et).utc_iso(6)) if et.size else [])
    with atomic_path(p) as tmp:
        if kind == "csv":
            df.to_csv(tmp, index=False, float_format="%.17g")
        else:
            df.to_parquet(tmp, index=False)
    return p


def read_states(path: str | os.PathLike[str]) -> tuple[Time, np.ndarray]:
    """Read a table written by :func:`write_states` (or any with those columns).

    Returns ``(time, states)`` with ``states`` (n, 6) km, km/s.
    """
    import pandas as pd

    p = Path(path)
    kind = _kind(p)
    if not p.is_file():
        raise CatalogFileError(f"state table {str(p)!r} does not exist")
    df = pd.read_csv(p) if kind == "csv" else pd.read_parquet(p)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise CatalogFileError(
            f"state table {p.name}: columns {', '.join(missing)} are missing; expected "
            f"{', '.join(COLUMNS)}"
        )
    time = Time.from_utc(np.asarray(df["utc"].astype(str), dtype=object))
    states = np.ascontiguousarray(df[list(COLUMNS[1:])].to_numpy(dtype=float))
    return time, states
