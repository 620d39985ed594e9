"""Records for JSON and tables: the one cleaner every result's ``to_dict`` and every JSON
product uses, and the pieces of the result contract (docs/design.md, "Results").

JSON has no NaN or infinity and no numpy types: :func:`jsonable` turns non-finite floats
into ``null``, numpy scalars and arrays into Python numbers and lists, tuples into lists,
and keys into strings; :func:`write_json` writes the result atomically (strict JSON) and
:func:`dumps` gives the same text as a string (every result's ``to_json``).

:func:`utc_column` turns TDB seconds into the ``datetime64[ns, UTC]`` column of a result's
``to_frame()``; :func:`collection` builds the ``to_dict()`` of a collection of results
(``{"kind", ...metadata, "count", "items"}``); :func:`span_text` the "from to" of a repr.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

__all__ = ["collection", "dumps", "jsonable", "span_text", "utc_column", "write_json"]


def jsonable(x: Any) -> Any:
    """``x`` with every value JSON can hold: non-finite floats as None, numpy as Python."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return jsonable(x.tolist())
    if isinstance(x, bool | np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if math.isfinite(v) else None
    return x


def dumps(data: Any, **kwargs: Any) -> str:
    """``jsonable(data)`` as strict JSON text (``kwargs`` go to :func:`json.dumps`)."""
    kwargs.setdefault("allow_nan", False)
    return json.dumps(jsonable(data), **kwargs)


def collection(kind: str, items: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    """The ``to_dict()`` of a collection: ``{"kind", **meta, "count", "items"}``, one record
    per item (the records of its ``to_records()``)."""
    return {"kind": kind, **meta, "count": len(items), "items": items}


def utc_column(et: Any) -> Any:
    """TDB seconds past J2000 as a pandas ``datetime64[ns, UTC]`` index (NaN -> NaT).

    Through :meth:`areo.time.Time.to_datetime64` (erfa's UTC, a leap second reads as the
    next day's 00:00:00): assign it to a DataFrame column.
    """
    import pandas as pd

    from areo.time import Time

    values = np.asarray(et, dtype=np.float64).ravel()
    out = np.full(values.size, np.datetime64("NaT"), dtype="datetime64[ns]")
    ok = np.isfinite(values)
    if ok.any():
        out[ok] = np.atleast_1d(Time.from_et(values[ok]).to_datetime64())
    return pd.DatetimeIndex(out).tz_localize("UTC")


def span_text(first_et: float, last_et: float) -> str:
    """``'2021-02-19 00:00 to 2021-02-26 00:00'`` (UTC, to the minute) for a repr."""
    from areo.time import Time

    if not (math.isfinite(first_et) and math.isfinite(last_et)):
        return "no span"
    a, b = (str(x)[:16].replace("T", " ") for x in Time.from_et([first_et, last_et]).iso)
    return f"{a} to {b}"


def write_json(path: str | os.PathLike[str], data: Any, *, indent: int = 2) -> None:
    """Write ``jsonable(data)`` as strict JSON (UTF-8), atomically."""
    from areo._files import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as fh:
        json.dump(jsonable(data), fh, indent=indent, allow_nan=False)
        fh.write("\n")
