"""Shared validators for numbers at areo's public edge: finite, in range, a sane size.

Every public function checks its numeric inputs with these once, before any work, so that a
NaN, an infinity or a value outside its domain raises an :class:`areo.errors.AreoInputError`
(:class:`~areo.errors.ParameterError` for parameters, :class:`~areo.errors.CoordinateRangeError`
for coordinates: pass ``error=``) instead of flowing through as garbage. The message names
the argument, the offending value (with its index in an array and how many others are bad),
the allowed range with its unit and the fix::

    in_range(-0.5, "e", 0.0, 1.0, hi_open=True, what="for an elliptic orbit",
             hint="use Orbit.from_state for open orbits")
    # ParameterError: e = -0.5 is outside [0, 1) for an elliptic orbit: give 0 <= e < 1
    # (use Orbit.from_state for open orbits)

Each validator takes a scalar or an array of any shape (every element is checked, with one
or two vectorised comparisons) and returns it as float64: a numpy scalar for a scalar, an
ndarray otherwise. Non-finite values (NaN, +-inf) never pass. Validate at the public edge,
once; never inside compiled kernels or per-sample loops.

:func:`sample_count` refuses, before anything is allocated, a span sampled at a step that
would produce more than :data:`MAX_SAMPLES` samples.

Foundation level: imports only :mod:`areo.errors` and numpy.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, TypeVar

import numpy as np

from areo.errors import AreoInputError, ParameterError

__all__ = [
    "MAX_SAMPLES",
    "finite",
    "in_range",
    "names",
    "non_negative",
    "positive",
    "sample_count",
    "with_overrides",
]

#: Most samples a uniform time grid may hold (time grids, event searches, coverage): 50
#: million float64 epochs are 400 MB before any geometry is computed on them. Raise it here
#: (``areo.validate.MAX_SAMPLES = ...``) only on a machine that has the memory.
MAX_SAMPLES = 50_000_000

_Err = type[AreoInputError]
_Options = TypeVar("_Options")


def _num(x: float) -> str:
    return f"{x:.10g}"


def _as_float(value: Any, name: str, error: _Err) -> Any:
    if type(value) is float or type(value) is int:
        return np.float64(value)
    if value is None:
        raise error(f"{name} = None is not a number: give a number")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise error(f"{name} = {value!r} is not a number: give a number") from None
    return arr[()] if arr.ndim == 0 and not isinstance(value, np.ndarray) else arr


def _fail(
    arr: Any, bad: Any, name: str, problem: str, give: str, hint: str, unit: str, error: _Err,
    nonfinite: str = "is not a finite number",
) -> None:
    """Raise ``error`` for the first element of ``arr`` flagged in ``bad``: ``problem`` says
    what is wrong with a finite value, ``nonfinite`` with NaN or an infinity."""
    flat_bad = np.ravel(bad)
    k = int(np.argmax(flat_bad))
    value = float(np.ravel(arr)[k])
    label = name
    if np.ndim(arr):
        idx = np.unravel_index(k, np.shape(arr))
        label = f"{name}[{', '.join(str(int(i)) for i in idx)}]"
    count = int(np.count_nonzero(flat_bad))
    more = f" (and {count - 1} more of {np.size(arr)})" if count > 1 else ""
    u = f" {unit}" if unit else ""
    tail = f" ({hint})" if hint else ""
    if not math.isfinite(value):
        problem = nonfinite
    raise error(f"{label} = {_num(value)}{u}{more} {problem}: give {give}{tail}")


def finite(
    value: Any, name: str, *, unit: str = "", hint: str = "", error: _Err = ParameterError
) -> Any:
    """``value`` as float64 after checking that every element is finite (no NaN, no inf).

    ``name`` is the argument's name as the caller wrote it, ``unit`` its unit ('km', 'deg'),
    ``hint`` the fix in words; ``error`` the :class:`~areo.errors.AreoInputError` subclass.
    """
    x = _as_float(value, name, error)
    if x.ndim == 0:
        if math.isfinite(x):
            return x
    elif np.isfinite(x).all():
        return x
    give = f"a finite number of {unit}" if unit else "a finite number"
    _fail(x, ~np.isfinite(x), name, "is not a finite number", give, hint, unit, error)
    return x  # pragma: no cover (unreachable)


def in_range(
    value: Any,
    name: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    unit: str = "",
    what: str = "",
    hint: str = "",
    error: _Err = ParameterError,
) -> Any:
    """``value`` as float64 after checking every element is finite and within ``[lo, hi]``.

    ``lo_open`` / ``hi_open`` exclude an end; ``None`` leaves that side unbounded (finite
    values only, still). ``what`` qualifies the range ("for an elliptic orbit"), ``hint``
    says what else to do; see :func:`finite` for the others.
    """
    x = _as_float(value, name, error)
    ok = np.isfinite(x)
    if lo is not None:
        ok &= (x > lo) if lo_open else (x >= lo)
    if hi is not None:
        ok &= (x < hi) if hi_open else (x <= hi)
    if ok if x.ndim == 0 else ok.all():
        return x
    u = f" {unit}" if unit else ""
    w = f" {what}" if what else ""
    if lo is not None and hi is not None:
        interval = f"{'(' if lo_open else '['}{_num(lo)}, {_num(hi)}{')' if hi_open else ']'}"
        problem = f"is outside {interval}{u}{w}"
        nonfinite = f"is not a finite number in {interval}{u}{w}"
        give = (f"{_num(lo)} {'<' if lo_open else '<='} {name} {'<' if hi_open else '<='} "
                f"{_num(hi)}{u}")
    elif lo is not None:
        rel = ">" if lo_open else ">="
        problem = f"is not {rel} {_num(lo)}{u}{w}"
        nonfinite = f"is not a finite number {rel} {_num(lo)}{u}{w}"
        give = f"{name} {rel} {_num(lo)}{u}"
    elif hi is not None:
        rel = "<" if hi_open else "<="
        problem = f"is not {rel} {_num(hi)}{u}{w}"
        nonfinite = f"is not a finite number {rel} {_num(hi)}{u}{w}"
        give = f"{name} {rel} {_num(hi)}{u}"
    else:
        problem = nonfinite = f"is not a finite number{w}"
        give = f"a finite {name}"
    _fail(x, ~ok, name, problem, give, hint, unit, error, nonfinite)
    return x  # pragma: no cover (unreachable)


def positive(
    value: Any, name: str, *, unit: str = "", what: str = "", hint: str = "",
    error: _Err = ParameterError,
) -> Any:
    """``value`` as float64 after checking every element is finite and > 0."""
    x = _as_float(value, name, error)
    ok = np.isfinite(x) & (x > 0.0)
    if ok if x.ndim == 0 else ok.all():
        return x
    u = f" {unit}" if unit else ""
    w = f" {what}" if what else ""
    _fail(x, ~ok, name, f"is not positive{w}", f"{name} > 0{u}", hint, unit, error,
          f"is not a finite positive number{w}")
    return x  # pragma: no cover (unreachable)


def non_negative(
    value: Any, name: str, *, unit: str = "", what: str = "", hint: str = "",
    error: _Err = ParameterError,
) -> Any:
    """``value`` as float64 after checking every element is finite and >= 0."""
    x = _as_float(value, name, error)
    ok = np.isfinite(x) & (x >= 0.0)
    if ok if x.ndim == 0 else ok.all():
        return x
    u = f" {unit}" if unit else ""
    w = f" {what}" if what else ""
    _fail(x, ~ok, name, f"is negative{w}", f"{name} >= 0{u}", hint, unit, error,
          f"is not a finite number >= 0{w}")
    return x  # pragma: no cover (unreachable)


def sample_count(
    start: float,
    stop: float,
    step: float,
    *,
    name: str = "step_s",
    labels: tuple[str, str] | None = None,
    copies: int = 1,
    limit: int | None = None,
) -> int:
    """Samples of ``start, start + step, ... <= stop`` (both ends included), checked first.

    Refuses a non-finite or non-positive ``step`` (named ``name``, seconds) and a grid of
    more than ``limit`` samples (default :data:`MAX_SAMPLES`, read at call time) counting
    ``copies`` grids (one per object of a joint search), with "from A to B at a step of S s
    gives N samples (limit M): use a larger step or a shorter span" before anything is
    allocated. ``labels`` writes A and B (e.g. ISO times); default seconds.
    """
    step = float(positive(step, name, unit="s"))
    t0 = float(finite(start, "start", unit="s"))
    t1 = float(finite(stop, "stop", unit="s"))
    lim = MAX_SAMPLES if limit is None else int(limit)
    per = math.floor(max(t1 - t0, 0.0) / step) + 1
    total = per * max(int(copies), 1)
    if total > lim:
        a, b = labels if labels is not None else (f"{_num(t0)} s", f"{_num(t1)} s")
        each = f" for each of {int(copies)} objects, {total:,} in all" if copies > 1 else ""
        raise ParameterError(
            f"from {a} to {b} at a step of {_num(step)} s gives {per:,} samples{each} "
            f"(limit {lim:,}, areo.validate.MAX_SAMPLES): use a larger {name} or a shorter "
            "span"
        )
    return per


def names(value: Any, name: str, *, what: str, example: str) -> tuple[str, ...]:
    """``value`` as a tuple of one or more non-blank strings (a list or tuple of names, never
    one string, whose letters would pass for names); ``what`` says what they name
    ('catalog station names'), ``example`` a literal to give."""
    if isinstance(value, str | bytes) or not all(
            isinstance(x, str) and x.strip() for x in _iterable(value)):
        raise ParameterError(f"{name} = {value!r} must be a sequence of {what}: give e.g. "
                             f"{example}")
    out = tuple(value)
    if not out:
        raise ParameterError(f"{name} is empty: give at least one of the {what}, e.g. "
                             f"{example}")
    return out


def _iterable(value: Any) -> Any:
    try:
        return iter(value)
    except TypeError:
        return iter((None,))  # not iterable: refused as a non-name


def with_overrides(options: _Options, overrides: Mapping[str, Any], *, kind: type,
                   where: str) -> _Options:
    """``options`` (a frozen dataclass of type ``kind``) with the fields in ``overrides``
    replaced, validated again by its ``__post_init__``.

    The keyword shortcut of the functions that take an ``options`` object
    (``plan_relay(..., min_elev_deg=5)``): ``where`` names the function in the messages;
    an unknown name is refused with the list of known ones.
    """
    if not isinstance(options, kind):
        raise ParameterError(f"{where}: options = {options!r} is not a {kind.__name__}: give "
                             f"{kind.__name__}(...)")
    if not overrides:
        return options
    names = [f.name for f in dataclasses.fields(kind)]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise ParameterError(
            f"{where}: unknown option{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}: give fields of {kind.__name__} ({', '.join(names)})"
        )
    return dataclasses.replace(options, **overrides)  # type: ignore[type-var]
