"""Time windows: sorted, disjoint intervals of TDB seconds with set algebra.

A :class:`Windows` holds closed intervals ``[start, end]`` (TDB seconds past J2000, like
SPICE's "window" cells). Construction sorts the intervals and merges any that overlap or
touch, so every operation returns a normalised set. Union, intersection, difference and
complement are exact (no sampling); ``expand``/``contract`` pad or shrink every interval,
as SPICE's ``wnexpd``/``wncond`` do.

>>> from areo.events import Windows
>>> w = Windows.from_utc([("2030-01-01T00:00Z", "2030-01-01T06:00Z"),
...                       ("2030-01-01T05:00Z", "2030-01-01T08:00Z")])
>>> len(w), w.total_duration / 3600.0
(1, 8.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.errors import ParameterError
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

__all__ = ["Window", "Windows"]


@dataclass(frozen=True)
class Window:
    """One interval of a :class:`Windows` set (epochs as :class:`Time`)."""

    start: Time
    end: Time

    @property
    def duration_s(self) -> float:
        return float(self.end.et - self.start.et)

    def __repr__(self) -> str:
        return f"Window({self.start.iso} -> {self.end.iso}, {self.duration_s:.3f} s)"


def _normalise(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort intervals and merge those that overlap or touch (vectorised)."""
    if starts.size == 0:
        return np.empty(0), np.empty(0)
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], ends[order]
    reach = np.maximum.accumulate(e)
    # A new interval begins where a start lies beyond everything before it reaches.
    begin = np.ones(s.size, dtype=bool)
    begin[1:] = s[1:] > reach[:-1]
    first = np.flatnonzero(begin)
    last = np.append(first[1:] - 1, s.size - 1)
    return s[first].copy(), reach[last].copy()


class Windows:
    """A set of disjoint time intervals, sorted, in TDB seconds past J2000."""

    __slots__ = ("ends", "starts")

    def __init__(self, starts: Any = (), ends: Any = ()):
        s = np.atleast_1d(np.asarray(starts, dtype=np.float64)).ravel()
        e = np.atleast_1d(np.asarray(ends, dtype=np.float64)).ravel()
        if s.shape != e.shape:
            raise ParameterError(
                f"windows need as many starts as ends (got {s.size} and {e.size})"
            )
        if not (np.all(np.isfinite(s)) and np.all(np.isfinite(e))):
            raise ParameterError("window edges must be finite epochs (TDB seconds past J2000)")
        if np.any(e < s):
            k = int(np.flatnonzero(e < s)[0])
            raise ParameterError(
                f"window {k} ends ({Time.from_et(e[k]).iso}) before it starts "
                f"({Time.from_et(s[k]).iso}): give each interval as (start, end)"
            )
        self.starts, self.ends = _normalise(s, e)

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_utc(cls, intervals: Iterable[tuple[Any, Any]]) -> Windows:
        """From ``(start, end)`` pairs of anything :class:`Time` accepts."""
        pairs = list(intervals)
        if not pairs:
            return cls()
        starts = Time([p[0] for p in pairs]).et if pairs else []
        ends = Time([p[1] for p in pairs]).et if pairs else []
        return cls(starts, ends)

    @classmethod
    def span(cls, start: Any, end: Any) -> Windows:
        """A single interval."""
        return cls(Time(start).et, Time(end).et)

    @classmethod
    def from_mask(cls, et: Any, mask: Any) -> Windows:
        """Intervals where a sampled boolean ``mask`` holds, from first to last True sample.

        Edges are only as fine as the sampling: use :mod:`areo.events.finder` for exact
        edges of a continuous condition.
        """
        et = np.asarray(et, dtype=np.float64).ravel()
        m = np.asarray(mask, dtype=bool).ravel()
        if et.shape != m.shape:
            raise ParameterError("from_mask needs one boolean per epoch")
        if et.size == 0 or not m.any():
            return cls()
        d = np.diff(m.astype(np.int8))
        first = np.flatnonzero(d == 1) + 1
        last = np.flatnonzero(d == -1)
        if m[0]:
            first = np.insert(first, 0, 0)
        if m[-1]:
            last = np.append(last, m.size - 1)
        return cls(et[first], et[last])

    # -- container ----------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.starts.size)

    def __iter__(self) -> Iterator[Window]:
        for s, e in zip(self.starts, self.ends, strict=True):
            yield Window(Time.from_et(s), Time.from_et(e))

    def __getitem__(self, k: int) -> Window:
        return Window(Time.from_et(self.starts[k]), Time.from_et(self.ends[k]))

    def __bool__(self) -> bool:
        return bool(self.starts.size)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Windows):
            return NotImplemented
        return np.array_equal(self.starts, other.starts) and np.array_equal(
            self.ends, other.ends
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def durations(self) -> np.ndarray:
        """Duration of each interval, seconds."""
        return self.ends - self.starts

    @property
    def total_duration(self) -> float:
        """Sum of the durations, seconds."""
        return float(np.sum(self.durations))

    @property
    def first(self) -> float:
        return float(self.starts[0]) if len(self) else float("nan")

    @property
    def last(self) -> float:
        return float(self.ends[-1]) if len(self) else float("nan")

    # -- set algebra --------------------------------------------------------------------
    def union(self, other: Windows) -> Windows:
        return Windows(
            np.concatenate([self.starts, other.starts]), np.concatenate([self.ends, other.ends])
        )

    def complement(self, start: Any = None, end: Any = None) -> Windows:
        """The gaps within ``[start, end]`` (default: from the first start to the last end).

        Boundaries are shared, as for SPICE's ``wncomd``: the complement of ``[a, b]`` in
        ``[s, e]`` is ``[s, a]`` and ``[b, e]``.
        """
        lo = self.first if start is None else _et(start)
        hi = self.last if end is None else _et(end)
        if not len(self):
            if np.isnan(lo) or np.isnan(hi):
                return Windows()
            return Windows(lo, hi) if hi >= lo else Windows()
        if hi < lo:
            raise ParameterError("complement bounds: end before start; swap them")
        gap_s = np.concatenate([[lo], self.ends])
        gap_e = np.concatenate([self.starts, [hi]])
        gap_s, gap_e = np.maximum(gap_s, lo), np.minimum(gap_e, hi)
        keep = gap_e > gap_s
        return Windows(gap_s[keep], gap_e[keep])

    def intersection(self, other: Windows) -> Windows:
        if not len(self) or not len(other):
            return Windows()
        # Pairwise overlaps of sorted disjoint sets: each interval of ``self`` can only meet
        # the ``other`` intervals whose index lies between two binary searches.
        lo = np.searchsorted(other.ends, self.starts, side="left")
        hi = np.searchsorted(other.starts, self.ends, side="right")
        count = np.maximum(hi - lo, 0)
        if not count.any():
            return Windows()
        own = np.repeat(np.arange(len(self)), count)
        offsets = np.concatenate([[0], np.cumsum(count)[:-1]])
        j = lo[own] + (np.arange(own.size) - offsets[own])
        s = np.maximum(self.starts[own], other.starts[j])
        e = np.minimum(self.ends[own], other.ends[j])
        keep = e >= s
        return Windows(s[keep], e[keep])

    def difference(self, other: Windows) -> Windows:
        """Parts of ``self`` outside ``other`` (closed: shared boundary points remain)."""
        if not len(self):
            return Windows()
        return self.intersection(other.complement(self.first, self.last))

    __or__ = union
    __and__ = intersection
    __sub__ = difference

    def expand(self, seconds: float) -> Windows:
        """Widen every interval by ``seconds`` at both ends (merging those that meet)."""
        return Windows(self.starts - float(seconds), self.ends + float(seconds))

    def contract(self, seconds: float) -> Windows:
        """Shrink every interval by ``seconds`` at both ends, dropping those that vanish."""
        s, e = self.starts + float(seconds), self.ends - float(seconds)
        keep = e >= s
        return Windows(s[keep], e[keep])

    def filter(self, min_duration: float = 0.0, max_duration: float = np.inf) -> Windows:
        """Intervals whose duration (s) lies in ``[min_duration, max_duration]``."""
        d = self.durations
        keep = (d >= float(min_duration)) & (d <= float(max_duration))
        return Windows(self.starts[keep], self.ends[keep])

    def contains(self, t: Any) -> Any:
        """Whether each epoch lies in a window (edges included)."""
        et = np.asarray(_et_array(t))
        if not len(self):
            inside = np.zeros(et.shape, dtype=bool)
        else:
            k = np.searchsorted(self.starts, et, side="right") - 1
            inside = (k >= 0) & (et <= self.ends[np.clip(k, 0, len(self) - 1)])
        return inside[()] if inside.ndim == 0 else inside

    # -- output -------------------------------------------------------------------------
    def to_records(self) -> list[dict[str, Any]]:
        """``[{start, end, duration_s}]``, one per interval, with UTC ISO strings (ms)."""
        if not len(self):
            return []
        starts = np.atleast_1d(Time.from_et(self.starts).iso)
        ends = np.atleast_1d(Time.from_et(self.ends).iso)
        return [
            {"start": str(a), "end": str(b), "duration_s": float(d)}
            for a, b, d in zip(starts, ends, self.durations, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Windows", "total_duration_s", "count", "items": to_records()}``."""
        return collection("Windows", self.to_records(), total_duration_s=self.total_duration)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The windows on a UTC timeline (plotly, :func:`areo.io.figures.timeline_figure`); saved to
        ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """A pandas DataFrame: ``start_utc``, ``end_utc`` (``datetime64[ns, UTC]``),
        ``duration_s``."""
        import pandas as pd

        return pd.DataFrame({"start_utc": utc_column(self.starts),
                             "end_utc": utc_column(self.ends), "duration_s": self.durations})

    def __repr__(self) -> str:
        if not len(self):
            return "Windows: empty"
        return (
            f"Windows: {len(self)} intervals, {self.total_duration / 3600.0:.3f} h in all, "
            f"{span_text(self.first, self.last)}"
        )


def _et(value: Any) -> float:
    if isinstance(value, int | float | np.floating):
        return float(value)
    return float(Time(value).et)


def _et_array(value: Any) -> np.ndarray:
    if isinstance(value, Time):
        return value.et
    arr = np.asarray(value)
    if arr.dtype.kind in "iuf":
        return arr.astype(np.float64)
    return Time(value).et
