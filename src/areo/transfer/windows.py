"""Earth -> Mars launch windows: best dates, minimum C3 / v-infinity / delta-v, launch periods.

Method (all from DE440 Lambert arcs, see :mod:`areo.transfer.porkchop`):

1. A departure x time-of-flight porkchop over the whole span (launch every ``step_days``,
   times of flight ``tof_range_days``) gives, per launch date, the lowest C3 over the times
   of flight whose arrival v-infinity is under the ceiling.
2. Each opportunity is a local minimum of that curve; opportunities closer than 300 days are
   one window (Earth-Mars synodic period: 780 days).
3. Within +-60 days of it, the grid minima of C3 for type I and type II arcs, of arrival
   v-infinity and of total delta-v are polished continuously (Nelder-Mead in launch and
   arrival dates).
4. The launch period for a C3 ceiling is the run of launch dates around the best one on
   which some time of flight (sampled every 0.5 day) meets both ceilings; its ends are
   bisected to about a minute.

Only opportunities whose best launch date falls inside the span (not on its edge) are
reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo.constants import DAY_S
from areo.errors import ParameterError
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time
from areo.transfer import maneuvers
from areo.transfer.porkchop import PorkchopPoint, porkchop, refine_point

__all__ = ["LaunchPeriod", "LaunchWindow", "LaunchWindows", "launch_period", "launch_windows"]

_SEPARATION_DAYS = 300.0
_LOCAL_DAYS = 60.0


@dataclass(frozen=True)
class LaunchPeriod:
    """Continuous launch dates meeting a C3 ceiling (and an arrival v-inf ceiling)."""

    open: Time
    close: Time
    max_c3_km2s2: float
    max_vinf_arrive_kms: float | None

    @property
    def days(self) -> float:
        return float(self.close.et - self.open.et) / DAY_S

    def to_dict(self) -> dict[str, Any]:
        return {
            "open": str(self.open.utc_iso(decimals=0)),
            "close": str(self.close.utc_iso(decimals=0)), "days": self.days,
            "max_c3_km2s2": self.max_c3_km2s2, "max_vinf_arrive_kms": self.max_vinf_arrive_kms,
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The launch period on a UTC timeline (plotly, :func:`areo.io.figures.timeline_figure`);
        saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            start="open_utc",
            end="close_utc",
            hover=("max_c3_km2s2",),
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """A one-row table: ``open_utc``, ``close_utc`` (``datetime64[ns, UTC]``),
        ``days``, ``max_c3_km2s2``, ``max_vinf_arrive_kms``."""
        import pandas as pd

        return pd.DataFrame({
            "open_utc": utc_column(self.open.et), "close_utc": utc_column(self.close.et),
            "days": [self.days], "max_c3_km2s2": [self.max_c3_km2s2],
            "max_vinf_arrive_kms": [np.nan if self.max_vinf_arrive_kms is None
                                    else self.max_vinf_arrive_kms],
        })

    def __repr__(self) -> str:
        vinf = ("" if self.max_vinf_arrive_kms is None
                else f", vinf arrive <= {self.max_vinf_arrive_kms:g} km/s")
        return (f"LaunchPeriod: {self.days:.1f} days with C3 <= {self.max_c3_km2s2:g} km2/s2"
                f"{vinf}, {span_text(float(self.open.et), float(self.close.et))}")


@dataclass(frozen=True)
class LaunchWindow:
    """One Earth -> Mars opportunity.

    Attributes:
        best: minimum-C3 transfer (any type). by_type: minimum-C3 transfer per type name.
        min_vinf_arrive, min_dv_total: the other optima. launch_period: for the C3 ceiling,
        or None when no ceiling was given or the best C3 is above it.
    """

    best: PorkchopPoint
    by_type: dict[str, PorkchopPoint]
    min_vinf_arrive: PorkchopPoint
    min_dv_total: PorkchopPoint
    launch_period: LaunchPeriod | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.best.launch.utc_iso(decimals=0))[:4]

    def to_dict(self) -> dict[str, Any]:
        d = self.best.to_dict()
        d["window"] = self.label
        d["by_type"] = {k: v.to_dict() for k, v in self.by_type.items()}
        d["min_vinf_arrive"] = self.min_vinf_arrive.to_dict()
        d["min_dv_total"] = self.min_dv_total.to_dict()
        d["launch_period"] = None if self.launch_period is None else self.launch_period.to_dict()
        return d

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The window's optima in the launch x arrival plane (plotly), hover with C3 and
        arrival v-infinity; saved to ``path`` (.html) when given. Its porkchop around them
        is ``porkchop_span(...).plot()``."""
        import plotly.graph_objects as go

        from areo.io.figures import LAYOUT, label, show_or_save, utc_axis

        frame = self.to_frame()
        launch = utc_axis([p.launch.et for p in self._optima()])
        arrive = utc_axis([p.arrive.et for p in self._optima()])
        fig = go.Figure(go.Scatter(
            x=launch, y=arrive, mode="markers+text", text=[label(n) for n in frame["optimum"]],
            textposition="top center", marker={"size": 10, "color": "#c1440e"},
            customdata=np.stack([frame["c3_km2s2"], frame["vinf_arrive_kms"]], axis=1),
            hovertemplate="%{text}: launch %{x}, arrive %{y}<br>C3 %{customdata[0]:.2f} "
                          "km²/s², v∞ %{customdata[1]:.2f} km/s<extra></extra>"))
        fig.update_layout(**LAYOUT, height=460, title={"text": label(repr(self))},
                          xaxis={"title": "launch (UTC)", "type": "date"},
                          yaxis={"title": "arrival (UTC)", "type": "date"})
        return show_or_save(fig, path)

    def _optima(self) -> list[PorkchopPoint]:
        return [self.best, self.min_vinf_arrive, self.min_dv_total, *self.by_type.values()]

    def to_frame(self):
        """One row per optimum (``best``, ``min_vinf_arrive``, ``min_dv_total``, then one
        per transfer type): ``optimum`` and the columns of :meth:`PorkchopPoint.to_frame`
        (``launch_utc``, ``arrive_utc`` as ``datetime64[ns, UTC]``)."""
        import pandas as pd

        named = [("best", self.best), ("min_vinf_arrive", self.min_vinf_arrive),
                 ("min_dv_total", self.min_dv_total),
                 *((f"type {k}", v) for k, v in self.by_type.items())]
        frame = pd.concat([p.to_frame() for _, p in named], ignore_index=True)
        frame.insert(0, "optimum", [k for k, _ in named])
        return frame

    def __repr__(self) -> str:
        b = self.best
        lp = ""
        if self.launch_period is not None:
            lp = f", launch period {self.launch_period.days:.1f} d"
        return (f"LaunchWindow: {self.label}, best launch {str(b.launch.utc_iso(0))[:10]} "
                f"(C3 {b.c3_km2s2:.3f} km2/s2, type {b.transfer_type_name}), arrive "
                f"{str(b.arrive.utc_iso(0))[:10]}{lp}")


class LaunchWindows(Sequence[LaunchWindow]):
    """What :func:`launch_windows` returns: the windows in date order, list-like (``len``,
    iteration, indexing) with the result contract."""

    def __init__(self, items: Sequence[LaunchWindow] = ()):
        self.items = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k: Any) -> Any:
        return self.items[k]

    def to_records(self) -> list[dict[str, Any]]:
        """``[LaunchWindow.to_dict(), ...]`` (the ``windows`` of ``areo windows --json``)."""
        return [w.to_dict() for w in self.items]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "LaunchWindows", "count", "items": to_records()}``."""
        return collection("LaunchWindows", self.to_records())

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """Each window's launch period on a UTC timeline (plotly,
        :func:`areo.io.figures.timeline_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            start="period_open_utc",
            end="period_close_utc",
            row="window",
            hover=("c3_km2s2",),
            mark="launch_utc",
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """One row per window (its minimum-C3 transfer): ``window``, ``launch_utc``,
        ``arrive_utc`` (``datetime64[ns, UTC]``), the numbers of :meth:`PorkchopPoint.to_dict`
        and the launch period (``period_open_utc``, ``period_close_utc``, ``period_days``;
        NaT/NaN without one)."""
        import pandas as pd

        if not self.items:
            return pd.DataFrame(columns=["window", "launch_utc", "arrive_utc"])
        frame = pd.concat([w.best.to_frame() for w in self.items], ignore_index=True)
        frame.insert(0, "window", [w.label for w in self.items])
        lp = [w.launch_period for w in self.items]
        frame["period_open_utc"] = utc_column([np.nan if p is None else float(p.open.et)
                                               for p in lp])
        frame["period_close_utc"] = utc_column([np.nan if p is None else float(p.close.et)
                                                for p in lp])
        frame["period_days"] = [np.nan if p is None else p.days for p in lp]
        return frame

    def __repr__(self) -> str:
        if not self.items:
            return "LaunchWindows: none"
        best = min(self.items, key=lambda w: w.best.c3_km2s2)
        return (f"LaunchWindows: {len(self)} Earth -> Mars windows, {self.items[0].label} to "
                f"{self.items[-1].label}, lowest C3 {best.best.c3_km2s2:.3f} km2/s2 in "
                f"{best.label}")


def _best_c3_per_launch(et_launch: np.ndarray, tof_days: np.ndarray, revs: int,
                        max_vinf: float | None, **kw: Any) -> np.ndarray:
    pc = porkchop(Time.from_et(et_launch), tof_days=tof_days, revs=revs, **kw)
    c3 = pc.c3_km2s2
    if max_vinf is not None:
        c3 = np.where(pc.vinf_arrive_kms <= max_vinf, c3, np.nan)
    with np.errstate(all="ignore"):
        return np.where(np.isfinite(c3).any(axis=1),
                        np.nanmin(np.where(np.isfinite(c3), c3, np.inf), axis=1), np.nan)


def launch_period(
    best_launch_et: float,
    max_c3: float,
    *,
    max_vinf_arrive: float | None = None,
    tof_range_days: tuple[float, float] = (90.0, 500.0),
    revs: int = 0,
    search_days: float = 150.0,
    **kw: Any,
) -> LaunchPeriod | None:
    """Continuous launch dates around ``best_launch_et`` (TDB s) where some time of flight
    meets C3 <= ``max_c3`` (and arrival v-inf <= ``max_vinf_arrive``); None if the best date
    itself does not."""
    tofs = np.arange(tof_range_days[0], tof_range_days[1] + 1e-9, 0.5)

    def ok(et: np.ndarray) -> np.ndarray:
        f = _best_c3_per_launch(np.asarray(et, dtype=float), tofs, revs, max_vinf_arrive, **kw)
        return np.isfinite(f) & (f <= max_c3)

    if not ok(np.array([best_launch_et]))[0]:
        return None
    grid = best_launch_et + np.arange(-search_days, search_days + 1e-9, 1.0) * DAY_S
    good = ok(grid)
    k0 = int(np.argmin(np.abs(grid - best_launch_et)))
    good[k0] = True
    lo = k0
    while lo > 0 and good[lo - 1]:
        lo -= 1
    hi = k0
    while hi < grid.size - 1 and good[hi + 1]:
        hi += 1

    def bisect(inside: float, outside: float) -> float:
        for _ in range(12):  # 1 day / 2^12 ~ 21 s
            mid = 0.5 * (inside + outside)
            if ok(np.array([mid]))[0]:
                inside = mid
            else:
                outside = mid
        return inside

    t_open = grid[lo] if lo == 0 else bisect(grid[lo], grid[lo - 1])
    t_close = grid[hi] if hi == grid.size - 1 else bisect(grid[hi], grid[hi + 1])
    return LaunchPeriod(Time.from_et(t_open), Time.from_et(t_close), float(max_c3),
                        None if max_vinf_arrive is None else float(max_vinf_arrive))


def launch_windows(
    year_from: int,
    year_to: int,
    *,
    max_c3: float | None = None,
    max_vinf_arrive: float | None = None,
    tof_range_days: tuple[float, float] = (90.0, 500.0),
    revs: int = 0,
    step_days: float = 2.0,
    parking_alt_km: float = 200.0,
    capture: maneuvers.CaptureOrbit = maneuvers.TGO_CAPTURE,
) -> LaunchWindows:
    """Every Earth -> Mars window with its best launch date between 1 January ``year_from``
    and 31 December ``year_to`` (UTC), in date order (a list-like :class:`LaunchWindows`).
    See the module docstring."""
    for name, y in (("year_from", year_from), ("year_to", year_to)):
        if int(y) != y:
            raise ParameterError(f"{name} {y} must be a whole year, e.g. 2028")
    if year_to < year_from:
        raise ParameterError(f"year_to {year_to} is before year_from {year_from}: swap them")
    if year_to - year_from > 60:
        raise ParameterError(
            f"span {year_from}-{year_to} is longer than 60 years: split it into shorter spans"
        )
    lo_t, hi_t = tof_range_days
    if not (0 < lo_t < hi_t):
        raise ParameterError(
            f"tof_range_days {tof_range_days} must be (min, max) days with 0 < min < max"
        )
    for name, v in (("max_c3", max_c3), ("max_vinf_arrive", max_vinf_arrive)):
        if v is not None and not (np.isfinite(v) and v > 0):
            raise ParameterError(f"{name} {v} must be a positive number")
    kw = {"parking_alt_km": parking_alt_km, "capture": capture}
    t0 = Time(f"{int(year_from)}-01-01T00:00:00")
    t1 = Time(f"{int(year_to)}-12-31T00:00:00")
    launches = Time.arange(t0, t1, step_days * DAY_S)
    tofs = np.arange(lo_t, hi_t + 1e-9, step_days)
    pc = porkchop(launches, tof_days=tofs, revs=revs, **kw)
    c3 = pc.c3_km2s2
    if max_vinf_arrive is not None:
        c3 = np.where(pc.vinf_arrive_kms <= max_vinf_arrive, c3, np.nan)
    finite = np.isfinite(c3)
    f = np.where(finite.any(axis=1), np.min(np.where(finite, c3, np.inf), axis=1), np.inf)
    n = f.size
    cand = [i for i in range(1, n - 1) if np.isfinite(f[i]) and f[i] <= f[i - 1]
            and f[i] <= f[i + 1]]
    cand.sort(key=lambda i: f[i])
    chosen: list[int] = []
    for i in cand:
        if all(abs(i - k) * step_days > _SEPARATION_DAYS for k in chosen):
            chosen.append(i)
    et_l = pc.launch.et
    out: list[LaunchWindow] = []
    box_lo_a, box_hi_a = float(np.nanmin(pc.arrive_et)), float(np.nanmax(pc.arrive_et))
    for i in sorted(chosen):
        near = np.abs(et_l - et_l[i]) <= _LOCAL_DAYS * DAY_S
        box = (float(et_l[near].min()), float(et_l[near].max()), box_lo_a, box_hi_a)
        rows = near[:, None] & np.ones(c3.shape, dtype=bool)
        ceiling = rows if max_vinf_arrive is None else rows & (
            pc.vinf_arrive_kms <= max_vinf_arrive)

        def best_of(obj: str, mask: np.ndarray, box=box) -> PorkchopPoint:
            return refine_point(pc.point(*pc.argmin(obj, mask)), obj, parking_alt_km,
                                capture, bounds=box)

        by_type: dict[str, PorkchopPoint] = {}
        for code in np.unique(pc.transfer_type[ceiling & np.isfinite(pc.c3_km2s2)]):
            if code <= 0:
                continue
            p = best_of("c3", ceiling & (pc.transfer_type == code))
            by_type[p.transfer_type_name] = p
        if not by_type:
            continue
        best = min(by_type.values(), key=lambda p: p.c3_km2s2)
        period = None
        if max_c3 is not None:
            period = launch_period(float(best.launch.et), max_c3,
                                   max_vinf_arrive=max_vinf_arrive,
                                   tof_range_days=tof_range_days, revs=revs, **kw)
        out.append(LaunchWindow(
            best=best, by_type=dict(sorted(by_type.items())),
            min_vinf_arrive=best_of("vinf_arrive", rows),
            min_dv_total=best_of("dv_total", ceiling), launch_period=period,
        ))
    return LaunchWindows(out)
