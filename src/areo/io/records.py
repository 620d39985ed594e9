"""Records for JSON: the one cleaner every result's ``to_dict`` and every JSON product uses.

JSON has no NaN or infinity and no numpy types: :func:`jsonable` turns non-finite floats
into ``null``, numpy scalars and arrays into Python numbers and lists, tuples into lists,
and keys into strings; :func:`write_json` writes the result atomically (strict JSON).
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

__all__ = ["jsonable", "write_json"]


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


def write_json(path: str | os.PathLike[str], data: Any, *, indent: int = 2) -> None:
    """Write ``jsonable(data)`` as strict JSON (UTF-8), atomically."""
    from areo._files import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as fh:
        json.dump(jsonable(data), fh, indent=indent, allow_nan=False)
        fh.write("\n")
