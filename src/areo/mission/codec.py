"""A data-only codec for the mission cache: a JSON tree plus an ``.npz`` array store.

:func:`dumps` turns a step's result into bytes and :func:`loads` turns them back. Nothing
in the bytes can name code to run: the JSON tree holds plain values and a few fixed tags,
each tag mapped to a constructor *in this module* (never a name read from the data), and
arrays are ``.npy`` members of an uncompressed zip read with ``allow_pickle=False``.

The payload is one line of JSON (``json.dumps`` escapes every newline), a ``\\n``, then the
zip of arrays (absent when there are none). What round-trips, exactly:

- ``None``, ``bool``, ``int``, ``str`` and ``float`` (finite floats as JSON numbers, whose
  shortest repr is exact; nan and +-inf as their 64 bits, so even a nan's payload is kept);
- ``list`` and ``tuple``, each as itself (a tuple comes back a tuple, a list a list);
- ``dict``, in its key order; keys may be any supported hashable value (a dict whose keys
  are all ``str`` and none is ``"$"`` is a plain JSON object);
- numpy arrays of booleans, integers, floats, complex numbers, datetimes, timedeltas,
  unicode or bytes strings (dtype, byte order, shape and memory order kept) and numpy
  scalars of those dtypes; never object or structured arrays;
- pandas ``DataFrame`` and ``Series`` with a ``RangeIndex`` or a flat ``Index`` (a
  ``DatetimeIndex``'s ``freq`` kept), columns in order with their dtypes: numpy dtypes,
  ``object`` (each cell encoded by this codec), ``str``/``string`` (``StringDtype``, its
  storage and missing-value marker) and ``datetime64[<unit>, <tz>]`` for UTC or an IANA
  zone (not a fixed offset);
- the domain types on the allowlist (:data:`DOMAIN_TAGS`): :class:`areo.events.Windows`,
  :class:`areo.relay.plan.RelayPlan` and the mission steps' results
  (:mod:`areo.mission.results`), rebuilt by calling their constructors.

Anything else (another class, a subclass of a supported type, an object array, a
``MultiIndex``, a categorical column, ...) raises :class:`TypeError` in :func:`dumps`, naming
it and where in the value it sits, so that a new type reaching the cache is noticed at once
(add it here). :func:`loads` raises :class:`CodecError` or any exception of malformed input;
callers treat every exception as "not decodable".
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import struct
import zipfile
from typing import Any

import numpy as np

__all__ = ["DOMAIN_TAGS", "CodecError", "dumps", "loads"]

#: Tags of the domain types the codec rebuilds (the allowlist).
DOMAIN_TAGS = ("Windows", "RelayPlan", "TransferResult", "OrbiterResult", "RelayResult",
               "CampaignResult", "TrajectoryResult", "EdlResult", "ReturnResult")
#: numpy dtype kinds stored in the array store (no object 'O', no structured 'V').
ARRAY_KINDS = frozenset("biufcmMUS")
_STRING_STORAGES = frozenset(("python", "pyarrow", "pyarrow_numpy"))
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Time zone names the codec hands to pandas: IANA keys and fixed offsets, never a path
#: (``dateutil/<path>`` would make pandas open a file).
_TZ_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*|[+\-]\d\d:\d\d")


class CodecError(ValueError):
    """The bytes are not a payload this codec wrote."""


def _domain_classes() -> dict[str, type]:
    """The allowlist: fixed tag -> class (imported here, never from names in the data)."""
    from areo.events.windows import Windows
    from areo.mission.results import (
        CampaignResult,
        EdlResult,
        OrbiterResult,
        RelayResult,
        ReturnResult,
        TrajectoryResult,
        TransferResult,
    )
    from areo.relay.plan import RelayPlan

    return {"Windows": Windows, "RelayPlan": RelayPlan, "TransferResult": TransferResult,
            "OrbiterResult": OrbiterResult, "RelayResult": RelayResult,
            "CampaignResult": CampaignResult, "TrajectoryResult": TrajectoryResult,
            "EdlResult": EdlResult, "ReturnResult": ReturnResult}


def _pandas() -> Any:
    import pandas as pd

    return pd


def _is_pandas(x: Any) -> bool:
    mod = type(x).__module__
    return mod == "pandas" or mod.startswith("pandas.")


# ============================================================================ encoding
class _Encoder:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, a: np.ndarray, where: str) -> str:
        dt = a.dtype
        if dt.kind not in ARRAY_KINDS or dt.fields is not None or dt.subdtype is not None:
            raise TypeError(f"mission cache: cannot store a numpy array of dtype {dt} at "
                            f"{where} (object and structured arrays are not supported)")
        name = f"a{len(self.arrays)}"
        self.arrays[name] = a
        return name

    def value(self, x: Any, where: str) -> Any:
        t = type(x)
        if x is None or t is bool or t is int or t is str:
            return x
        if t is float:
            if math.isfinite(x):
                return x
            return {"$": "float", "bits": struct.pack(">d", x).hex()}
        if t is list:
            return [self.value(v, f"{where}[{k}]") for k, v in enumerate(x)]
        if t is tuple:
            return {"$": "tuple",
                    "items": [self.value(v, f"{where}[{k}]") for k, v in enumerate(x)]}
        if t is dict:
            if all(type(k) is str for k in x) and "$" not in x:
                return {k: self.value(v, f"{where}[{k!r}]") for k, v in x.items()}
            return {"$": "dict", "items": [[self.value(k, f"{where} key {k!r}"),
                                            self.value(v, f"{where}[{k!r}]")]
                                           for k, v in x.items()]}
        if t is np.ndarray:
            return {"$": "ndarray", "ref": self.array(x, where)}
        if isinstance(x, np.generic):
            return {"$": "npscalar", "ref": self.array(np.asarray(x), where)}
        if _is_pandas(x):
            return self.pandas(x, where)
        domain = {cls: tag for tag, cls in _domain_classes().items()}
        tag = domain.get(t)
        if tag == "Windows":
            return {"$": "Windows", "starts": self.array(np.asarray(x.starts), where),
                    "ends": self.array(np.asarray(x.ends), where)}
        if tag is not None:  # an allowlisted dataclass
            return {"$": tag, "fields": {f.name: self.value(getattr(x, f.name),
                                                            f"{where}.{f.name}")
                                         for f in dataclasses.fields(t)}}
        raise TypeError(f"mission cache: cannot store a {t.__module__}.{t.__qualname__} at "
                        f"{where}: add it to areo.mission.codec (allowlist: dict, list, "
                        "tuple, str, int, float, bool, None, numpy arrays and scalars, "
                        f"pandas DataFrame/Series, {', '.join(DOMAIN_TAGS)})")

    # -- pandas ---------------------------------------------------------------------------
    def pandas(self, x: Any, where: str) -> Any:
        pd = _pandas()
        t = type(x)
        if t is pd.DataFrame:
            if x.attrs:
                raise TypeError(f"mission cache: DataFrame.attrs at {where} are not stored")
            cols = [self.column(x.iloc[:, k], f"{where}[{x.columns[k]!r}]")
                    for k in range(x.shape[1])]
            return {"$": "DataFrame", "index": self.index(x.index, f"{where}.index"),
                    "columns": self.index(x.columns, f"{where}.columns"), "data": cols}
        if t is pd.Series:
            if x.attrs:
                raise TypeError(f"mission cache: Series.attrs at {where} are not stored")
            return {"$": "Series", "name": self.value(x.name, f"{where}.name"),
                    "index": self.index(x.index, f"{where}.index"),
                    "data": self.column(x, where)}
        if t is pd.RangeIndex or t is pd.Index:
            return self.index(x, where)
        raise TypeError(f"mission cache: cannot store a pandas {t.__qualname__} at {where}: "
                        "only DataFrame, Series, Index and RangeIndex")

    def index(self, ix: Any, where: str) -> dict[str, Any]:
        pd = _pandas()
        name = self.value(ix.name, f"{where}.name")
        if type(ix) is pd.RangeIndex:
            return {"$": "RangeIndex", "start": int(ix.start), "stop": int(ix.stop),
                    "step": int(ix.step), "name": name}
        if ix.nlevels != 1:
            raise TypeError(f"mission cache: cannot store a {type(ix).__qualname__} at "
                            f"{where} (one level only)")
        out = {"$": "Index", "name": name, "data": self.column(ix, where)}
        freq = getattr(ix, "freqstr", None)
        if freq is not None:
            out["freq"] = str(freq)
        return out

    def column(self, s: Any, where: str) -> dict[str, Any]:
        """One column (a Series or an Index) as its dtype and values."""
        pd = _pandas()
        dt = s.dtype
        if isinstance(dt, np.dtype):
            if dt.kind == "O":
                vals = s.to_numpy()
                return {"kind": "object",
                        "values": [self.value(v, f"{where}[{k}]") for k, v in enumerate(vals)]}
            return {"kind": "numpy", "ref": self.array(np.asarray(s.to_numpy()), where)}
        if isinstance(dt, pd.StringDtype):
            na = dt.na_value
            if na is pd.NA:
                marker = "NA"
            elif isinstance(na, float) and math.isnan(na):
                marker = "nan"
            else:  # pragma: no cover - pandas has no other marker today
                raise TypeError(f"mission cache: string column at {where} with missing-value "
                                f"marker {na!r}")
            missing = np.asarray(s.isna())
            vals = s.to_numpy(dtype=object)
            return {"kind": "string", "storage": str(dt.storage), "na": marker,
                    "values": [None if m else str(v) for v, m in zip(vals, missing,
                                                                      strict=True)]}
        if isinstance(dt, pd.DatetimeTZDtype):
            tz = str(dt.tz)
            try:
                same = _tz_name(tz) == tz and pd.DatetimeTZDtype(dt.unit, tz) == dt
            except Exception:  # an unknown name: not rebuilt
                same = False
            if not same:
                raise TypeError(f"mission cache: the time zone {dt.tz!r} of the column at "
                                f"{where} is not rebuilt from its name {tz!r}: use UTC or "
                                "an IANA zone")
            naive = pd.DatetimeIndex(s).tz_convert(None).to_numpy()  # UTC, datetime64[unit]
            return {"kind": "datetimetz", "unit": str(dt.unit), "tz": tz,
                    "ref": self.array(naive, where)}
        raise TypeError(f"mission cache: cannot store a pandas column of dtype {dt} at "
                        f"{where} (supported: numpy dtypes, object, str/string, "
                        "datetime64 with a time zone)")


def dumps(value: Any, *, meta: dict[str, str] | None = None, where: str = "value") -> bytes:
    """``value`` as a payload: a JSON line, then an uncompressed npz of its arrays.

    ``meta`` (plain strings) is stored beside the value: the JSON line is then the object
    ``{**meta, "value": <tree>}`` and :func:`loads` gives that dict back. ``where`` names the
    value in errors.

    Raises:
        TypeError: a type outside the codec's allowlist, naming it and where it sits.
    """
    enc = _Encoder()
    tree = enc.value(value, where)
    if meta is not None:
        if "$" in meta or "value" in meta or any(type(v) is not str for v in meta.values()):
            raise ValueError("meta: plain strings, no '$' or 'value' key")
        tree = {**meta, "value": tree}
    text = json.dumps(tree, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    buf = io.BytesIO()
    buf.write(text.encode("ascii"))
    buf.write(b"\n")
    if enc.arrays:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, arr in enc.arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_STORED
                with zf.open(info, "w", force_zip64=True) as fh:
                    np.lib.format.write_array(fh, arr, allow_pickle=False)
    return buf.getvalue()


# ============================================================================ decoding
def _reject_constant(name: str) -> Any:
    raise CodecError(f"JSON constant {name} (never written)")


class _Decoder:
    def __init__(self, store: memoryview) -> None:
        self.store = store
        self.zip: zipfile.ZipFile | None = None

    def array(self, ref: Any) -> np.ndarray:
        if type(ref) is not str or not ref.startswith("a") or not ref[1:].isdigit():
            raise CodecError(f"bad array reference {ref!r}")
        if self.zip is None:
            if not len(self.store):
                raise CodecError("array referenced but the payload has no array store")
            self.zip = zipfile.ZipFile(io.BytesIO(self.store))
        info = self.zip.getinfo(f"{ref}.npy")
        if info.compress_type != zipfile.ZIP_STORED or info.file_size > len(self.store):
            raise CodecError(f"array {ref}: compressed or larger than the payload")
        data = self.zip.read(info)  # checks the CRC
        fp = io.BytesIO(data)
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(fp)
        else:
            raise CodecError(f"array {ref}: npy version {version}")
        if (dtype.kind not in ARRAY_KINDS or dtype.fields is not None
                or dtype.subdtype is not None):
            raise CodecError(f"array {ref}: dtype {dtype} not allowed")
        if fp.tell() + math.prod(shape) * dtype.itemsize != len(data):
            raise CodecError(f"array {ref}: its header does not match its size")
        fp.seek(0)
        return np.lib.format.read_array(fp, allow_pickle=False)

    def value(self, x: Any) -> Any:
        t = type(x)
        if x is None or t is bool or t is int or t is str or t is float:
            return x
        if t is list:
            return [self.value(v) for v in x]
        if t is not dict:
            raise CodecError(f"unexpected JSON value of type {t.__name__}")
        if "$" not in x:
            return {k: self.value(v) for k, v in x.items()}
        tag = x["$"]
        if tag == "float":
            bits = bytes.fromhex(_str(x["bits"]))
            if len(bits) != 8:
                raise CodecError("a float needs 8 bytes")
            return struct.unpack(">d", bits)[0]
        if tag == "tuple":
            return tuple(self.value(v) for v in _list(x["items"]))
        if tag == "dict":
            out = {}
            for pair in _list(x["items"]):
                k, v = _list(pair)
                out[self.value(k)] = self.value(v)
            return out
        if tag == "ndarray":
            return self.array(x["ref"])
        if tag == "npscalar":
            a = self.array(x["ref"])
            if a.shape != ():
                raise CodecError("a numpy scalar needs a 0-d array")
            return a[()]
        if tag in ("DataFrame", "Series", "RangeIndex", "Index"):
            return self.pandas(tag, x)
        if tag == "Windows":
            from areo.events.windows import Windows

            s, e = self.array(x["starts"]), self.array(x["ends"])
            if s.dtype != np.float64 or e.dtype != np.float64 or s.ndim != 1 or e.ndim != 1:
                raise CodecError("Windows need 1-d float64 starts and ends")
            return Windows(s, e)
        if tag in DOMAIN_TAGS:
            cls = _domain_classes()[tag]
            fields = x["fields"]
            names = [f.name for f in dataclasses.fields(cls)]
            if type(fields) is not dict or list(fields) != names:
                raise CodecError(f"{tag}: fields {list(fields)} are not {names}")
            return cls(**{k: self.value(v) for k, v in fields.items()})
        raise CodecError(f"unknown tag {tag!r}")

    # -- pandas ---------------------------------------------------------------------------
    def pandas(self, tag: str, x: dict[str, Any]) -> Any:
        pd = _pandas()
        if tag in ("RangeIndex", "Index"):
            return self.index(x)
        index = self.index(x["index"])
        if tag == "Series":
            values = self.column(x["data"], len(index))
            return pd.Series(values, index=index, name=self.value(x["name"]), copy=False)
        columns = self.index(x["columns"])
        data = _list(x["data"])
        if len(data) != len(columns):
            raise CodecError("DataFrame: as many columns as column labels")
        frame = pd.DataFrame(
            {k: pd.Series(self.column(c, len(index)), index=index, copy=False)
             for k, c in enumerate(data)}, index=index)
        frame.columns = columns
        return frame

    def index(self, x: Any) -> Any:
        pd = _pandas()
        if type(x) is not dict:
            raise CodecError("an index must be a tagged object")
        name = self.value(x["name"])
        if x.get("$") == "RangeIndex":
            return pd.RangeIndex(_int(x["start"]), _int(x["stop"]), _int(x["step"]), name=name)
        if x.get("$") == "Index":
            values = self.column(x["data"], None)
            ix = pd.Index(values, dtype=values.dtype, name=name, copy=False)
            if "freq" in x:
                if not isinstance(ix, pd.DatetimeIndex | pd.TimedeltaIndex):
                    raise CodecError("a freq on an index that has none")
                ix = type(ix)(ix, freq=_str(x["freq"]), name=name)
            return ix
        raise CodecError(f"unknown index tag {x.get('$')!r}")

    def column(self, c: Any, n: int | None) -> Any:
        """The values of one column: a numpy array or a pandas extension array."""
        pd = _pandas()
        if type(c) is not dict:
            raise CodecError("a column must be an object")
        kind = c["kind"]
        if kind == "numpy":
            out = self.array(c["ref"])
            if out.ndim != 1:
                raise CodecError("a column must be 1-d")
        elif kind == "object":
            vals = _list(c["values"])
            out = np.empty(len(vals), dtype=object)
            for k, v in enumerate(vals):
                out[k] = self.value(v)
        elif kind == "string":
            storage, na = _str(c["storage"]), c["na"]
            if storage not in _STRING_STORAGES or na not in ("NA", "nan"):
                raise CodecError(f"string column: storage {storage!r}, na {na!r}")
            if na == "NA" or storage == "pyarrow_numpy":
                dtype = pd.StringDtype(storage)
            else:
                dtype = pd.StringDtype(storage, na_value=np.nan)
            vals = _list(c["values"])
            if any(v is not None and type(v) is not str for v in vals):
                raise CodecError("string column: a value that is not a string")
            out = pd.array(vals, dtype=dtype)
        elif kind == "datetimetz":
            naive = self.array(c["ref"])
            unit = _str(c["unit"])
            if naive.dtype != np.dtype(f"M8[{unit}]") or naive.ndim != 1:
                raise CodecError("datetimetz column: not 1-d datetime64 of its unit")
            out = pd.DatetimeIndex(naive).tz_localize("UTC").tz_convert(_tz_name(c["tz"])).array
        else:
            raise CodecError(f"unknown column kind {kind!r}")
        if n is not None and len(out) != n:
            raise CodecError("a column's length differs from its index")
        return out


def _list(x: Any) -> list[Any]:
    if type(x) is not list:
        raise CodecError("expected a list")
    return x


def _str(x: Any) -> str:
    if type(x) is not str:
        raise CodecError("expected a string")
    return x


def _tz_name(x: Any) -> str:
    if type(x) is not str or not _TZ_NAME.fullmatch(x) or x.startswith("dateutil"):
        raise CodecError(f"time zone name {x!r} not allowed")
    return x


def _int(x: Any) -> int:
    if type(x) is not int:
        raise CodecError("expected an integer")
    return x


def loads(data: bytes, start: int = 0) -> Any:
    """The value :func:`dumps` encoded in ``data[start:]``.

    Raises:
        CodecError, or whatever malformed input makes json, zipfile, numpy or pandas raise
        (ValueError, KeyError, OverflowError, MemoryError, RecursionError, ...).
    """
    end = data.find(b"\n", start)
    if end < 0:
        raise CodecError("no end to the JSON line")
    tree = json.loads(data[start:end].decode("ascii"), parse_constant=_reject_constant)
    return _Decoder(memoryview(data)[end + 1:]).value(tree)
