"""The mission step cache holds data only: no entry can run code, serve a corrupted value,
raise, or block; every unusable entry is a miss (recomputed, one note), never a traceback.

Regressions of the pickle cache (format 1): a crafted entry ran code as the user, flipped
bytes were served as a wrong value, garbage raised OverflowError/MemoryError and a FIFO at
an entry's path hung the run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import math
import os
import pickle
import shutil
import struct
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areo.events.windows import Windows
from areo.mission import codec
from areo.mission.cache import FORMAT, MAX_ENTRY_BYTES, StepCache, step_key
from areo.relay.plan import RelayPlan

KEY = step_key("relay", {"test": 1})
OTHER_KEY = step_key("relay", {"test": 2})


# ============================================================================ helpers
def same(a: Any, b: Any, where: str = "value") -> None:
    """``b`` is ``a`` exactly: same types all the way down, floats to the bit, dict order,
    array dtypes, shapes and bytes, frame dtypes and column order."""
    assert type(a) is type(b), f"{where}: {type(a)} != {type(b)}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys or their order differ"
        for (ka, va), kb in zip(a.items(), b, strict=True):
            same(ka, kb, f"{where} key")
            same(va, b[kb], f"{where}[{ka!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{k}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.dtype.str == b.dtype.str, where
        assert a.shape == b.shape, where
        assert a.flags.f_contiguous == b.flags.f_contiguous or a.ndim < 2, where
        assert a.tobytes() == b.tobytes(), where
    elif isinstance(a, np.generic):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), where
    elif isinstance(a, float):
        assert struct.pack(">d", a) == struct.pack(">d", b), f"{where}: {a!r} != {b!r}"
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=True,
                                      check_column_type=True)
        assert list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes)
        same_index(a.index, b.index, where)
        for k in range(a.shape[1]):
            same_column(a.iloc[:, k], b.iloc[:, k], f"{where}[{a.columns[k]!r}]")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, check_index_type=True)
        same(a.name, b.name, f"{where}.name")
        same_index(a.index, b.index, where)
        same_column(a, b, where)
    elif isinstance(a, Windows):
        same(a.starts, b.starts, f"{where}.starts")
        same(a.ends, b.ends, f"{where}.ends")
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def same_index(a: Any, b: Any, where: str) -> None:
    assert type(a) is type(b) and a.dtype == b.dtype, f"{where}.index"
    pd.testing.assert_index_equal(a, b, exact=True, check_exact=True)


def same_column(a: pd.Series, b: pd.Series, where: str) -> None:
    assert a.dtype == b.dtype, where
    if a.dtype == object:
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{k}]")
    elif isinstance(a.dtype, np.dtype):
        same(a.to_numpy(), b.to_numpy(), where)


def realistic_value() -> dict[str, Any]:
    """Every supported type, shaped like the pipeline's step results."""
    starts = np.array([100.0, 5000.5, 9e8])
    relay_rows = [
        {"orbiter": "tgo", "lander": "oxia_planum", "aos": "2030-11-30T07:34:05.837Z",
         "aos_et": 975526515.0196989, "los_et": 975535538.0823599, "sol": 1,
         "max_elev_deg": 27.692863694343394, "volume_mbit": 41.97431041163206,
         "share": 1.0, "latency_s": math.inf, "decisional": False, "rate_mode": "adaptive"},
        {"orbiter": "mex", "lander": "oxia_planum", "aos": "2030-12-01T07:34:05.837Z",
         "aos_et": 975612915.25, "los_et": 975613915.5, "sol": 2, "max_elev_deg": 12.5,
         "volume_mbit": 0.0, "share": 0.0, "latency_s": math.nan, "decisional": True,
         "rate_mode": "adaptive"},
    ]
    plan = RelayPlan(
        rows=relay_rows,
        contacts={"tgo": Windows(starts, starts + 600.0), "mex": Windows()},
        conjunctions=Windows([1e9], [1.0015e9]), status="OPTIMAL",
        objective_mbit=41.97431041163206, solve_s=0.012,
        daylight={"oxia_planum": Windows([3.0], [4.5])})
    frame = pd.DataFrame({
        "sol": np.arange(4, dtype=np.int64),
        "soc_min_pct": [80.33, -0.0, math.nan, math.inf],
        "status": pd.array(["OPTIMAL", None, "FEASIBLE", "é ünicode"], dtype="string"),
        "contingency": [None, "dust storm", None, None],
        "notes": [[], ["low SOC", ("a", 1)], {"k": 1.5}, [np.float32(2.5)]],
        "utc": pd.to_datetime(["2030-11-29T05:49:01.262Z", "2030-11-30T00:00Z",
                               "NaT", "2031-01-01T12:00:00.000000001Z"], utc=True,
                              format="ISO8601"),
        "naive": np.array(["2030-01-01T00:00", "NaT", "2030-01-03", "2030-01-04"],
                          dtype="datetime64[ns]"),
        "ok": np.array([True, False, True, True]),
        "small": np.array([1, -2, 3, 127], dtype=np.int8),
        "f32": np.array([0.1, 0.2, np.nan, 3.0], dtype=np.float32),
    }, index=pd.Index([10, 20, 30, 40], name="row"))
    try:  # pandas >= 2.3: the "str" dtype (nan for missing values)
        nan_str = pd.StringDtype(na_value=np.nan)
    except TypeError:  # pragma: no cover - older pandas
        nan_str = pd.StringDtype()
    frame["text"] = pd.Series(["a", "b", None, "d"], index=frame.index, dtype=nan_str)
    frame["paris"] = frame["utc"].dt.tz_convert("Europe/Paris")
    nan_payload = struct.unpack(">d", bytes.fromhex("7ff8000000000bad"))[0]
    return {
        "plan": plan,
        "daylight_week": Windows([1.0, 10.0], [2.0, 20.0]),
        "start_et": 975526515.0196989, "stop_et": 977000000.0, "radios": {"tgo": "electra"},
        "floats": [0.1, -0.0, 1e-310, 1.7976931348623157e308, math.nan, -math.inf,
                   nan_payload, 5e-324],
        "ints": [0, -1, 2**70, -(2**63)], "bools": (True, False), "none": None,
        "strings": ["", "line\nbreak", "quote\"\\", "\u00e9\u4e2d\U0001f680", "\ud800"],
        "tuple": (1, (2.5, "x"), [None]), "empty": ((), [], {}),
        "non_str_keys": {1: "one", (2, "b"): [2], 3.5: None, None: 0, False: "f"},
        "dollar": {"$": "not a tag", "x": 1}, "nested": {"a": {"b": {"c": [{"d": ()}]}}},
        "porkchop": {
            "launch_et": np.linspace(0.0, 1e9, 7),
            "c3_km2s2": np.array([[1.5, np.nan], [np.inf, -0.0]], dtype=np.float32),
            "transfer_type": np.array([[0, 1], [-1, 4]], dtype=np.int8),
            "mask": np.array([True, False, True]),
            "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
            "big_endian": np.array([1.5, 2.5], dtype=">f8"),
            "u64": np.array([2**64 - 1], dtype=np.uint64),
            "complex": np.array([1 + 2j, np.nan * 1j]),
            "dates": np.array(["2030-11-29T05:49:01.262", "NaT"], dtype="datetime64[ns]"),
            "dt": np.array([1, 2], dtype="timedelta64[s]"),
            "names": np.array(["tgo", "mex", "ü"]), "bytes": np.array([b"ab", b"\x00c"]),
            "empty": np.empty((0, 6)), "zero_d": np.array(3.25),
            "slice": np.arange(20.0)[::3],
        },
        "scalars": [np.float64(1.25), np.float32(-0.5), np.int64(-7), np.int8(3),
                    np.uint16(65535), np.bool_(True), np.str_("sol"), np.float64(np.nan),
                    np.datetime64("2030-01-01T00:00:00.5", "ms"), np.complex64(1 - 1j)],
        "frame": frame,
        "frame_range": frame.reset_index(drop=True),
        "empty_frame": pd.DataFrame(columns=["orbiter", "start", "end", "duration_s"]),
        "soc": pd.DataFrame({"mission_sol": np.linspace(0, 1, 5),
                             "soc_pct": np.linspace(100, 50, 5)}),
        "series": pd.Series([1.5, 2.5], index=pd.Index(["a", "b"]), name=("x", 1)),
        "int_columns": pd.DataFrame(np.eye(2)),
        "daily": pd.Series(np.arange(3.0), name="soc",
                           index=pd.date_range("2030-01-01", periods=3, freq="D", tz="UTC")),
    }


def write_entry(path: Path, payload: bytes, *, digest: str | None = None) -> None:
    """An entry with a valid header for ``payload`` (or the given digest)."""
    digest = digest or hashlib.sha256(payload).hexdigest()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(f"AREO-CACHE {FORMAT} {digest}\n".encode() + payload)


def envelope_payload(tree_text: str, store: bytes = b"") -> bytes:
    return tree_text.encode() + b"\n" + store


def load_promptly(cache: StepCache, step: str, key: str, seconds: float = 5.0) -> Any:
    """``cache.load`` in a thread: it must come back within ``seconds``."""
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = cache.load(step, key)
        except BaseException as exc:  # reported below
            out["error"] = exc

    th = threading.Thread(target=target, daemon=True)
    th.start()
    th.join(seconds)
    assert not th.is_alive(), f"load blocked for more than {seconds} s"
    assert "error" not in out, f"load raised {out.get('error')!r}"
    return out["value"]


@pytest.fixture
def cache(tmp_path):
    return StepCache(tmp_path / "cache")


@pytest.fixture(scope="module")
def saved_value():
    return realistic_value()


# ============================================================================ (1) round trip
def test_every_supported_type_round_trips_bit_exact(cache, saved_value):
    cache.save("relay", KEY, saved_value)
    back = cache.load("relay", KEY)
    same(saved_value, back)
    assert cache.notes == []
    # arrays come back writable, as the pipeline may work on them in place
    assert back["porkchop"]["launch_et"].flags.writeable
    # the entry is the documented data-only layout: header, a JSON line, an npz
    data = cache.path("relay", KEY).read_bytes()
    header, rest = data.split(b"\n", 1)
    fmt, digest = header.decode().split()[1:]
    assert header.startswith(b"AREO-CACHE 2 ") and fmt == "2" == str(FORMAT)
    assert hashlib.sha256(rest).hexdigest() == digest
    tree, store = rest.split(b"\n", 1)
    assert json.loads(tree)["key"] == KEY
    with zipfile.ZipFile(io.BytesIO(store)) as zf:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
    # deterministic: the same value writes the same bytes
    assert codec.dumps(saved_value) == codec.dumps(back)


def test_tuples_stay_tuples_lists_stay_lists(cache):
    cache.save("transfer", KEY, {"shape": [60, 60], "pair": (1, 2), "nested": [(1,), [()]]})
    back = cache.load("transfer", KEY)
    same({"shape": [60, 60], "pair": (1, 2), "nested": [(1,), [()]]}, back)


@pytest.mark.parametrize("bad", [
    object(), {1, 2}, b"bytes", np.array([None, 1], dtype=object), np.ma.array([1.0]),
    np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")]), Path("x"),
    pd.DataFrame({"c": pd.Categorical(["a"])}), pd.Timestamp("2030-01-01"),
    pd.Series(pd.to_datetime(["2030-01-01T00:00+01:00"])),  # a fixed offset, not a zone
    pd.DataFrame({"a": [1]}, index=pd.MultiIndex.from_tuples([(1, 2)])),
    dataclasses.make_dataclass("NotAllowed", [("x", int)])(1),
    {"deep": [1, {"x": frozenset()}]},
])
def test_types_off_the_allowlist_are_refused_at_save_time(cache, bad):
    with pytest.raises(TypeError, match=r"mission cache: (cannot store|.* not stored|the time)"):
        cache.save("relay", KEY, {"v": bad})
    assert not cache.path("relay", KEY).exists()


def test_the_type_error_names_where_the_value_sits(cache):
    with pytest.raises(TypeError, match=r"builtins\.set at the relay result\['a'\]\[1\]\['b'\]"):
        cache.save("relay", KEY, {"a": [0, {"b": {1}}]})


def test_old_pickle_entries_are_never_opened(cache, tmp_path):
    """Format 1 entries (``.pkl``) sit beside the new ones and are ignored."""
    marker = tmp_path / "MARKER"
    old = cache.root / f"relay-{KEY[:32]}.pkl"
    old.parent.mkdir(parents=True)
    old.write_bytes(pickle.dumps(_RunsCode(f"touch {marker}")))
    assert cache.path("relay", KEY) != old
    assert cache.load("relay", KEY) is None
    assert not marker.exists() and cache.notes == []


# ============================================================================ (2) no code
class _RunsCode:
    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


@pytest.mark.parametrize("with_header", [False, True])
def test_a_pickle_payload_never_runs(cache, tmp_path, with_header):
    marker = tmp_path / "MARKER"
    payload = pickle.dumps({"key": KEY, "value": _RunsCode(f"touch {marker}")})
    p = cache.path("relay", KEY)
    if with_header:  # a checksum that matches: the payload still is not decoded as pickle
        write_entry(p, payload)
    else:
        p.parent.mkdir(parents=True)
        p.write_bytes(payload)
    assert cache.load("relay", KEY) is None
    assert not marker.exists()
    assert len(cache.notes) == 1 and p.name in cache.notes[0]
    # the next save overwrites it with a good entry
    cache.save("relay", KEY, {"ok": 1.0})
    assert cache.load("relay", KEY) == {"ok": 1.0}
    assert not marker.exists()


def test_no_pickle_in_the_cache_path():
    import areo.mission.cache as cache_module

    for module in (cache_module, codec):
        text = Path(module.__file__).read_text()
        assert "import pickle" not in text and "pickle.load" not in text
        assert "allow_pickle=True" not in text


# ============================================================================ (3) bit flips
def test_three_flipped_bytes_are_a_miss_never_a_wrong_value(cache, saved_value):
    cache.save("relay", KEY, saved_value)
    p = cache.path("relay", KEY)
    good = p.read_bytes()
    n = len(good)
    offsets = sorted({0, 5, 12, 40, 80, 81, 100, 300, n // 7, n // 3, n // 2, 2 * n // 3,
                      n - 200, n - 30, n - 3})
    served = []
    for off in offsets:
        bad = bytearray(good)
        for k in (off, off + 7, off + 14):  # three bytes near the offset
            bad[min(k, n - 1 - (off + 14 - k) // 7)] ^= 0x5A
        p.write_bytes(bytes(bad))
        if load_promptly(cache, "relay", KEY) is not None:
            served.append(off)
    assert served == [], f"flipped bytes at these offsets served a value: {served}"
    assert len(cache.notes) == len(offsets)
    assert all(s.endswith(": recomputed") and "\n" not in s for s in cache.notes)
    p.write_bytes(good)
    same(saved_value, cache.load("relay", KEY))


def test_an_entry_of_another_key_or_step_is_a_miss(cache):
    cache.save("relay", OTHER_KEY, {"v": 1})
    shutil.copyfile(cache.path("relay", OTHER_KEY), cache.path("relay", KEY))
    assert cache.load("relay", KEY) is None
    cache.save("orbiters", KEY, {"v": 1})
    shutil.copyfile(cache.path("orbiters", KEY), cache.path("relay", KEY))
    assert cache.load("relay", KEY) is None
    assert len(cache.notes) == 2 and "another step or key" in cache.notes[0]


# ============================================================================ (4) garbage
def _zip_bomb_store() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("a0.npy", "w") as fh:
        np.lib.format.write_array(fh, np.zeros(20_000_000), allow_pickle=False)  # 160 MB
    return buf.getvalue()


def _npy_member(header_shape: tuple[int, ...], body: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf, zf.open("a0.npy", "w") as fh:
        np.lib.format.write_array_header_1_0(
            fh, {"descr": "<f8", "fortran_order": False, "shape": header_shape})
        fh.write(body)
    return buf.getvalue()


@functools.cache
def _garbage_entries() -> dict[str, bytes]:
    rng = np.random.default_rng(7)
    env = '{"step":"relay","key":"' + KEY + '","value":%s}'
    good_arrays = codec.dumps({"step": "relay", "key": KEY, "value": np.arange(3.0)})

    def entry(payload: bytes) -> bytes:
        return f"AREO-CACHE {FORMAT} {hashlib.sha256(payload).hexdigest()}\n".encode() + payload

    return {
        "empty": b"",
        "pickle_binbytes8": b"\x80\x05\x8e" + struct.pack("<Q", 2**62) + bytes(100),
        "pickle_bytearray8": b"\x80\x05\x96" + struct.pack("<Q", 2**40) + bytes(100),
        "random": rng.bytes(5000),
        "random_with_magic": b"AREO-CACHE 2 " + rng.bytes(5000),
        "header_only": entry(b"")[:78],
        "truncated_header": entry(good_arrays)[:40],
        "truncated_payload": entry(good_arrays)[:-17],
        "extra_bytes": entry(good_arrays) + b"\x00",
        "format_1": entry(good_arrays).replace(b"AREO-CACHE 2", b"AREO-CACHE 1", 1),
        "no_newline": entry(b'{"step":"relay"'),
        "json_nan": entry(envelope_payload(env % "NaN")),
        "json_deep": entry(envelope_payload(env % ("[" * 100_000 + "]" * 100_000))),
        "json_huge_int": entry(envelope_payload(env % ("9" * 100_000))),
        "json_not_ascii": entry(envelope_payload(env % '"x"').replace(b'"x"', b'"\xff"')),
        "unknown_tag": entry(envelope_payload(env % '{"$":"os.system","args":["true"]}')),
        "relayplan_bad_fields": entry(envelope_payload(
            env % '{"$":"RelayPlan","fields":{"rows":[],"__class__":1}}')),
        "float_bits_short": entry(envelope_payload(env % '{"$":"float","bits":"7ff8"}')),
        "float_bits_not_hex": entry(envelope_payload(
            env % '{"$":"float","bits":"zz"}')),
        "tuple_of_dict": entry(envelope_payload(env % '{"$":"tuple","items":{}}')),
        "unhashable_key": entry(envelope_payload(env % '{"$":"dict","items":[[[1],2]]}')),
        "missing_array": entry(envelope_payload(env % '{"$":"ndarray","ref":"a0"}')),
        "bad_ref": entry(envelope_payload(env % '{"$":"ndarray","ref":"../etc"}')),
        "windows_inf": entry(envelope_payload(
            env % '{"$":"Windows","starts":"a0","ends":"a0"}',
            codec.dumps(np.array([np.inf])).split(b"\n", 1)[1])),
        "huge_declared_shape": entry(envelope_payload(
            env % '{"$":"ndarray","ref":"a0"}', _npy_member((2**40, 2**20), b"\0" * 64))),
        "overflowing_shape": entry(envelope_payload(
            env % '{"$":"ndarray","ref":"a0"}', _npy_member((2**62, 2**62), b""))),
        "zip_bomb": entry(envelope_payload(env % '{"$":"ndarray","ref":"a0"}',
                                           _zip_bomb_store())),
        "object_dtype_npy": entry(envelope_payload(
            env % '{"$":"ndarray","ref":"a0"}',
            _object_npy_store())),
        "frame_length_mismatch": entry(envelope_payload(
            env % ('{"$":"DataFrame","index":{"$":"RangeIndex","start":0,"stop":5,"step":1,'
                   '"name":null},"columns":{"$":"RangeIndex","start":0,"stop":1,"step":1,'
                   '"name":null},"data":[{"kind":"object","values":[1]}]}'))),
        "string_column_storage": entry(envelope_payload(
            env % ('{"$":"Series","name":null,"index":{"$":"RangeIndex","start":0,"stop":1,'
                   '"step":1,"name":null},"data":{"kind":"string","storage":"evil",'
                   '"na":"NA","values":["a"]}}'))),
        "dateutil_path_time_zone": entry(envelope_payload(
            env % ('{"$":"Series","name":null,"index":{"$":"RangeIndex","start":0,"stop":1,'
                   '"step":1,"name":null},"data":{"kind":"datetimetz","unit":"ns",'
                   '"tz":"dateutil//dev/zero","ref":"a0"}}'),
            codec.dumps(np.array([0], dtype="M8[ns]")).split(b"\n", 1)[1])),
        "bad_time_zone": entry(envelope_payload(
            env % ('{"$":"Series","name":null,"index":{"$":"RangeIndex","start":0,"stop":1,'
                   '"step":1,"name":null},"data":{"kind":"datetimetz","unit":"ns",'
                   '"tz":"Not/AZone","ref":"a0"}}'),
            codec.dumps(np.array([0], dtype="M8[ns]")).split(b"\n", 1)[1])),
    }


def _object_npy_store() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf, zf.open("a0.npy", "w") as fh:
        np.lib.format.write_array(fh, np.array([_RunsCode("true")], dtype=object),
                                  allow_pickle=True)
    return buf.getvalue()


#: Each garbage entry and why it is refused.
GARBAGE = {
    "empty": "(truncated)", "random": "not an areo cache entry",
    "random_with_magic": "not an areo cache entry", "header_only": "no end to the JSON line",
    "truncated_header": "(truncated)", "truncated_payload": "checksum mismatch",
    "extra_bytes": "checksum mismatch", "format_1": "not an areo cache entry of format 2",
    "no_newline": "no end to the JSON line", "json_nan": "JSON constant NaN",
    "json_deep": "RecursionError", "json_huge_int": "ValueError",
    "json_not_ascii": "UnicodeDecodeError", "unknown_tag": "unknown tag 'os.system'",
    "relayplan_bad_fields": "RelayPlan: fields", "float_bits_short": "a float needs 8 bytes",
    "float_bits_not_hex": "non-hexadecimal", "tuple_of_dict": "expected a list",
    "unhashable_key": "unhashable", "missing_array": "no array store",
    "bad_ref": "bad array reference", "windows_inf": "finite epochs",
    "huge_declared_shape": "header does not match its size",
    "overflowing_shape": "header does not match its size",
    "zip_bomb": "compressed or larger than the payload",
    "object_dtype_npy": "dtype object not allowed",
    "frame_length_mismatch": "length differs from its index",
    "string_column_storage": "storage 'evil'", "bad_time_zone": "Not/AZone",
    "dateutil_path_time_zone": "time zone name 'dateutil//dev/zero' not allowed",
    # what made the pickle cache raise MemoryError / OverflowError
    "pickle_binbytes8": "not an areo cache entry", "pickle_bytearray8": "not an areo cache entry",
}


def test_the_garbage_list_is_complete():
    assert sorted(GARBAGE) == sorted(_garbage_entries())


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_garbage_is_a_miss_without_an_exception(cache, name):
    p = cache.path("relay", KEY)
    p.parent.mkdir(parents=True)
    p.write_bytes(_garbage_entries()[name])
    assert load_promptly(cache, "relay", KEY, 20.0) is None
    assert len(cache.notes) == 1, cache.notes
    note = cache.notes[0]
    assert note.startswith(f"cache entry {p.name} unreadable (") and "\n" not in note
    assert GARBAGE[name] in note
    assert note.endswith(": recomputed")
    cache.save("relay", KEY, [1.5])
    assert cache.load("relay", KEY) == [1.5]


def test_an_entry_over_the_size_limit_is_not_read(cache, monkeypatch):
    p = cache.path("relay", KEY)
    p.parent.mkdir(parents=True)
    with p.open("wb") as fh:  # a sparse file: no disk used, nothing read
        fh.truncate(MAX_ENTRY_BYTES + 1)
    assert load_promptly(cache, "relay", KEY) is None
    assert "over the cache's limit" in cache.notes[0]


# ============================================================================ (5) not files
def test_a_fifo_at_the_entry_path_never_blocks_and_is_replaced(cache):
    p = cache.path("relay", KEY)
    p.parent.mkdir(parents=True)
    os.mkfifo(p)
    assert load_promptly(cache, "relay", KEY) is None
    assert "not a regular file" in cache.notes[0]
    cache.save("relay", KEY, {"v": (1, 2)})
    assert p.is_file() and not p.is_symlink()
    assert load_promptly(cache, "relay", KEY) == {"v": (1, 2)}


def test_a_directory_at_the_entry_path_is_a_miss_and_the_save_skipped(cache):
    p = cache.path("relay", KEY)
    (p / "inside").mkdir(parents=True)
    assert load_promptly(cache, "relay", KEY) is None
    cache.save("relay", KEY, {"v": 1})  # cannot replace a directory: skipped, a note
    assert p.is_dir() and (p / "inside").is_dir()
    assert load_promptly(cache, "relay", KEY) is None
    assert len(cache.notes) == 3 and "not saved" in cache.notes[1]


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null", "entry", "fifo", "missing"])
def test_a_symlink_at_the_entry_path_is_a_miss_and_replaced(cache, tmp_path, target):
    p = cache.path("relay", KEY)
    p.parent.mkdir(parents=True)
    if target == "entry":  # even a link to a good entry: the cache never follows links
        other = StepCache(tmp_path / "other")
        other.save("relay", KEY, {"v": 2})
        target = str(other.path("relay", KEY))
    elif target == "fifo":
        os.mkfifo(tmp_path / "fifo")
        target = str(tmp_path / "fifo")
    elif target == "missing":
        target = str(tmp_path / "nowhere")
    os.symlink(target, p)
    assert load_promptly(cache, "relay", KEY) is None
    assert len(cache.notes) == 1 and "symbolic link" in cache.notes[0]
    cache.save("relay", KEY, {"v": 1})
    assert not p.is_symlink() and load_promptly(cache, "relay", KEY) == {"v": 1}
    if target.startswith("/dev/"):
        assert Path(target).exists() and not Path(target).is_file()


def test_a_cache_that_cannot_be_written_is_skipped_with_a_note(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = StepCache(blocker)
    cache.save("relay", KEY, {"v": 1})
    assert cache.load("relay", KEY) is None
    assert len(cache.notes) == 2 and "not saved" in cache.notes[0]
    assert "unreadable (Not a directory)" in cache.notes[1]


def test_disabled_cache_never_reads_but_saves(tmp_path):
    off = StepCache(tmp_path, enabled=False)
    off.save("relay", KEY, {"v": 1})
    assert off.load("relay", KEY) is None
    assert StepCache(tmp_path).load("relay", KEY) == {"v": 1}


# ============================================================================ (6) property
_SMALL = {"plan": RelayPlan(rows=[{"sol": 1, "share": 0.5, "latency_s": math.inf}],
                            contacts={"tgo": Windows([1.0], [2.0])},
                            conjunctions=Windows(), status="OPTIMAL", objective_mbit=1.5,
                            solve_s=0.0),
          "arr": np.array([1.0, -0.0, np.nan], dtype=np.float32), "t": (1, "a"),
          "df": pd.DataFrame({"a": [1, 2], "b": ["x", None]})}


def _small_entry() -> bytes:
    payload = codec.dumps({"step": "relay", "key": KEY, "value": _SMALL})
    return f"AREO-CACHE {FORMAT} {hashlib.sha256(payload).hexdigest()}\n".encode() + payload


_PROPERTY = settings(max_examples=300, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


def _edits() -> st.SearchStrategy[list[tuple[int, int]]]:
    return st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6)


@_PROPERTY
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda tail: _small_entry()[:78] + tail, st.binary(max_size=3000)),
    st.builds(lambda cut, edits: _edit(_small_entry()[:cut], edits),
              st.integers(0, 10**5), _edits()),
))
def test_any_bytes_are_a_miss_or_the_exact_value(tmp_path_factory, data):
    cache = StepCache(tmp_path_factory.mktemp("prop"))
    p = cache.path("relay", KEY)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    back = cache.load("relay", KEY)
    if back is None:
        assert len(cache.notes) == 1
    else:
        same(_SMALL, back)
        assert data == _small_entry()


def _edit(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for off, byte in edits:
        if out:
            out[off % len(out)] = byte
    return bytes(out)


@_PROPERTY
@given(edits=_edits(), cut=st.integers(0, 10**5))
def test_the_decoder_never_raises_even_past_a_valid_checksum(tmp_path_factory, edits, cut):
    """A payload edited and re-hashed (what only a deliberate writer can make) may decode to
    some other value, but loading never raises and leaves at most one note."""
    payload = codec.dumps({"step": "relay", "key": KEY, "value": _SMALL})
    cache = StepCache(tmp_path_factory.mktemp("prop"))
    write_entry(cache.path("relay", KEY), _edit(payload[:cut], edits))
    cache.load("relay", KEY)
    assert len(cache.notes) <= 1


# ============================================================================ real chain
def _entries(cache_dir: Path) -> dict[str, Path]:
    return {p.name.split("-", 1)[0]: p for p in (cache_dir / "mission").glob("*.entry")}


def test_every_step_result_of_the_chain_round_trips(short_run, tmp_path):
    entries = _entries(short_run.cache)
    assert {"transfer", "trajectory", "edl", "orbiters", "relay", "campaign"} <= set(entries)
    assert not list((short_run.cache / "mission").glob("*.pkl"))
    again = StepCache(tmp_path)
    for step, p in entries.items():
        env = codec.loads(p.read_bytes(), len(f"AREO-CACHE {FORMAT} ") + 65)
        assert StepCache(short_run.cache).load(step, env["key"]) is not None
        again.save(step, env["key"], env["value"])
        same(env["value"], again.load(step, env["key"]), step)
        assert again.path(step, env["key"]).read_bytes() == p.read_bytes()
    from areo.mission.results import CampaignResult, OrbiterResult, RelayResult, TransferResult

    load = StepCache(short_run.cache).load
    relay = load("relay", _key_of(entries["relay"]))
    assert type(relay) is RelayResult
    assert type(relay.plan) is RelayPlan and type(relay.daylight_week) is Windows
    assert all(type(w) is Windows for w in relay.plan.contacts.values())
    assert type(load("transfer", _key_of(entries["transfer"]))) is TransferResult
    assert all(type(o) is OrbiterResult
               for o in load("orbiters", _key_of(entries["orbiters"])))
    campaign = load("campaign", _key_of(entries["campaign"]))
    assert type(campaign) is CampaignResult and isinstance(campaign.frame, pd.DataFrame)


def _key_of(p: Path) -> str:
    return codec.loads(p.read_bytes(), len(f"AREO-CACHE {FORMAT} ") + 65)["key"]


def test_a_corrupted_relay_entry_is_recomputed_with_the_same_products(short_run, tmp_path,
                                                                      monkeypatch):
    import areo.mission.pipeline as pipeline
    from areo.mission import run_mission
    from areo.report import mission_page

    caches: list[StepCache] = []

    class Recording(StepCache):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            caches.append(self)

    monkeypatch.setattr(pipeline, "StepCache", Recording)
    cache_dir = tmp_path / "cache"
    shutil.copytree(short_run.cache, cache_dir)
    # the session's other tests may have added relay entries of their own scenarios to this
    # cache: corrupt every relay entry, so that the one this scenario reads is corrupt
    relays = sorted((cache_dir / "mission").glob("relay-*.entry"))
    assert relays
    for relay in relays:
        data = bytearray(relay.read_bytes())
        for off in (len(data) // 4, len(data) // 2, len(data) - 10):
            data[off] ^= 0xFF
        relay.write_bytes(bytes(data))

    out = tmp_path / "out"
    res = run_mission(short_run.scenario, out, cache_dir=cache_dir, pages=[mission_page])
    assert res.computed_steps == ["relay"]
    assert res.cached_steps == ["transfer", "trajectory", "edl", "orbiters", "campaign"]
    (note,) = caches[0].notes
    assert note in [f"cache entry {r.name} unreadable (checksum mismatch): recomputed"
                    for r in relays]
    # the user sees it, in one line: the relay step's progress detail and summary.json
    relay_done = [e for e in res.steps if e.step == "relay" and e.state == "done"]
    assert note in relay_done[0].detail and "\n" not in relay_done[0].detail
    assert res.summary["cache"]["notes"] == [note]
    # the same products as the first run
    first = short_run.out
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first.iterdir())
    for p in out.iterdir():
        if p.suffix in (".csv", ".toml") or p.name == "rover_plan.openmct.json":
            assert p.read_bytes() == (first / p.name).read_bytes(), p.name
        elif p.suffix == ".parquet":
            pd.testing.assert_frame_equal(pd.read_parquet(p), pd.read_parquet(first / p.name),
                                          check_exact=True)
        elif p.suffix == ".oem":
            def body(f: Path) -> list[str]:
                return [s for s in f.read_text().splitlines()
                        if not s.startswith("CREATION_DATE")]
            assert body(p) == body(first / p.name), p.name
    def timeless(d: Any) -> Any:
        """The summary without wall-clock figures (a step's runtime or search time, at any
        depth: a cached step keeps the time of the run that stored it) and the cache notes."""
        if isinstance(d, dict):
            return {k: timeless(v) for k, v in d.items()
                    if k not in ("runtime_s", "seconds", "cache")}
        if isinstance(d, list):
            return [timeless(v) for v in d]
        return d

    s1 = json.loads((first / "summary.json").read_text())
    s2 = json.loads((out / "summary.json").read_text())
    assert timeless(s2) == timeless(s1)
    # the rewritten entry is good again
    (noted,) = [r for r in relays if r.name in note]
    assert StepCache(cache_dir).load("relay", _key_of(noted)) is not None
