"""Earth -> Mars -> Earth round trips: outbound x stay x return search over a span of years.

>>> from areo.transfer.roundtrip import round_trips
>>> rt = round_trips("2028-09-01", "2029-01-31", min_stay_days=400, max_stay_days=700,
...                  step_days=10)
>>> rt.trips[0].trip_class, rt.trips[0].return_arrive.iso[:4]
('conjunction', '2031')

Both legs are ballistic Lambert arcs on DE440 on one day grid (every ``step_days`` from the
span's start): the outbound from the porkchop kernel in departure x time-of-flight layout
(:func:`areo.transfer.porkchop.porkchop`), the return from the same kernel with the bodies
swapped (:mod:`areo.transfer.returns`). The objective is a sum of an outbound part that
depends only on the Mars arrival day, the stay, and a return part that depends only on the
Mars departure day, so the search keeps, per arrival day, the best outbound over launch days
and, per departure day, the best return over arrival days, then scans every (arrival,
departure) pair allowed by the stay bounds: exact over the grid (a test checks it against the
full four-date enumeration). With a cap on the total duration (``max_total_days``) the
legs of each pair are chosen together instead: for each outbound flight time the best return
short enough (a prefix minimum over the return flight times), still exact over the grid.

Objectives: ``total_dv`` (Earth departure from the circular parking orbit + Mars capture
into the orbit + Mars departure from it, km/s), ``mars_dv`` (capture + departure at Mars),
``total_days``. Mars capture: coplanar vis-viva into the departure orbit's shape
(:func:`areo.transfer.maneuvers.capture_dv`); Mars departure with the plane term of
:func:`areo.transfer.returns.departure_dv_plane`. Class: a trip shorter in total than
``class_split_days`` (default 750 d) is opposition class (short stay, ~400-650 d in all),
a longer one conjunction class (long stay, ~900-1000 d in all). ``return_via='venus'`` flies
every return by way of Venus (the inbound swing-by of opposition-class trips,
:mod:`areo.transfer.swingby`), ``'either'`` takes per departure day and flight time the
cheaper of the direct and the Venus return. The list
holds the best trip of each class per opportunity: trips of one class whose launches are
closer than ``separation_days`` (default 300 d, under the 780-day synodic period) are one
opportunity.
"""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import validate
from areo.constants import DAY_S
from areo.ephem import Ephemeris
from areo.errors import ParameterError
from areo.io.records import dumps, jsonable, utc_column
from areo.time import Time
from areo.transfer.porkchop import porkchop
from areo.transfer.returns import (
    DEFAULT_DEPARTURE_ORBIT,
    STARDUST_ENTRY_FPA_DEG,
    DepartureOrbit,
    _check_inputs,
    _return_cells,
)
from areo.transfer.swingby import DEFAULT_MAX_FLYBY_DV_KMS, venus_return_cells

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RoundTrip", "RoundTrips", "round_trips"]

_OBJECTIVES = ("total_dv", "mars_dv", "total_days")
_RETURN_VIA = ("direct", "venus", "either")


@dataclass(frozen=True)
class RoundTrip:
    """One round trip: the outbound and return legs and the stay at Mars."""

    launch: Time
    arrive: Time
    depart: Time
    return_arrive: Time
    c3_km2s2: float
    vinf_arrive_mars_kms: float
    dv_earth_depart_kms: float
    dv_mars_capture_kms: float
    dv_mars_depart_kms: float
    vinf_depart_mars_kms: float
    vinf_arrive_earth_kms: float
    arrival_dec_deg: float
    entry_speed_kms: float
    site_reachable: bool
    trip_class: str
    via: str = "direct"
    flyby: Time | None = None
    flyby_dv_kms: float = 0.0
    flyby_alt_km: float = math.nan
    #: the search limits the trip sits on ("shortest stay (30 d)", "end of the launch span",
    #: "entry-speed cap (12 km/s)", ...): a better trip may lie beyond them
    limits: tuple[str, ...] = ()

    @property
    def stay_days(self) -> float:
        return float(self.depart.et - self.arrive.et) / DAY_S

    @property
    def total_days(self) -> float:
        return float(self.return_arrive.et - self.launch.et) / DAY_S

    @property
    def mars_dv_kms(self) -> float:
        return self.dv_mars_capture_kms + self.dv_mars_depart_kms

    @property
    def total_dv_kms(self) -> float:
        """Earth departure, Mars capture and departure, and the impulse at Venus if any."""
        return self.dv_earth_depart_kms + self.mars_dv_kms + self.flyby_dv_kms

    def to_dict(self) -> dict[str, Any]:
        """The ``areo round-trip --json`` trip: ``outbound`` {launch_utc, arrive_utc,
        c3_km2s2, ...}, ``stay_days``, ``return`` {depart_utc, arrive_utc, mars_dv_kms,
        entry_speed_kms, ...}, ``total_days``, ``total_dv_kms``, ``class``."""

        def iso(t: Time) -> str:
            return str(t.utc_iso(decimals=0))

        return jsonable({
            "outbound": {"launch_utc": iso(self.launch), "arrive_utc": iso(self.arrive),
                         "c3_km2s2": self.c3_km2s2,
                         "vinf_arrive_kms": self.vinf_arrive_mars_kms,
                         "dv_depart_kms": self.dv_earth_depart_kms,
                         "mars_capture_dv_kms": self.dv_mars_capture_kms},
            "stay_days": self.stay_days,
            "return": {"depart_utc": iso(self.depart), "arrive_utc": iso(self.return_arrive),
                       "mars_dv_kms": self.dv_mars_depart_kms,
                       "vinf_depart_kms": self.vinf_depart_mars_kms,
                       "vinf_arrive_kms": self.vinf_arrive_earth_kms,
                       "arrival_dec_deg": self.arrival_dec_deg,
                       "entry_speed_kms": self.entry_speed_kms,
                       "site_reachable": self.site_reachable, "via": self.via,
                       "flyby_utc": None if self.flyby is None else iso(self.flyby),
                       "flyby_dv_kms": self.flyby_dv_kms,
                       "flyby_alt_km": self.flyby_alt_km},
            "total_days": self.total_days, "mars_dv_kms": self.mars_dv_kms,
            "total_dv_kms": self.total_dv_kms, "class": self.trip_class,
            "at_limits": list(self.limits),
        })

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        via = "" if self.via == "direct" else f" via {self.via.capitalize()}"
        return (f"RoundTrip: {self.trip_class}{via}, launch "
                f"{str(self.launch.utc_iso(0))[:10]}, "
                f"stay {self.stay_days:.0f} d, back {str(self.return_arrive.utc_iso(0))[:10]}"
                f", {self.total_days:.0f} d, dv {self.total_dv_kms:.3f} km/s, entry "
                f"{self.entry_speed_kms:.2f} km/s"
                + (f", at {len(self.limits)} search limit(s)" if self.limits else ""))


@dataclass(frozen=True, repr=False)
class RoundTrips:
    """Round trips found by :func:`round_trips`, ranked by ``objective`` (best first)."""

    trips: tuple[RoundTrip, ...]
    objective: str
    start: Time
    end: Time
    step_days: float
    lambert_solves: int
    pairs_scanned: int
    seconds: float

    def __len__(self) -> int:
        return len(self.trips)

    def to_frame(self) -> pd.DataFrame:
        """One row per trip: ``launch_utc``, ``arrive_utc``, ``depart_utc``,
        ``return_arrive_utc`` (``datetime64[ns, UTC]``) and the numbers."""
        import pandas as pd

        t = self.trips

        def col(f: Any) -> np.ndarray:
            return np.array([f(x) for x in t], dtype=float)

        return pd.DataFrame({
            "rank": np.arange(1, len(t) + 1),
            "launch_utc": utc_column(col(lambda x: x.launch.et)),
            "arrive_utc": utc_column(col(lambda x: x.arrive.et)),
            "depart_utc": utc_column(col(lambda x: x.depart.et)),
            "return_arrive_utc": utc_column(col(lambda x: x.return_arrive.et)),
            "class": [x.trip_class for x in t], "stay_days": col(lambda x: x.stay_days),
            "total_days": col(lambda x: x.total_days), "c3_km2s2": col(lambda x: x.c3_km2s2),
            "earth_dv_kms": col(lambda x: x.dv_earth_depart_kms),
            "mars_capture_dv_kms": col(lambda x: x.dv_mars_capture_kms),
            "mars_depart_dv_kms": col(lambda x: x.dv_mars_depart_kms),
            "mars_dv_kms": col(lambda x: x.mars_dv_kms),
            "total_dv_kms": col(lambda x: x.total_dv_kms),
            "entry_speed_kms": col(lambda x: x.entry_speed_kms),
            "arrival_dec_deg": col(lambda x: x.arrival_dec_deg),
            "site_reachable": [x.site_reachable for x in t],
            "via": [x.via for x in t],
            "flyby_utc": utc_column(col(lambda x: np.nan if x.flyby is None else x.flyby.et)),
            "flyby_dv_kms": col(lambda x: x.flyby_dv_kms),
            "flyby_alt_km": col(lambda x: x.flyby_alt_km),
            "at_limits": ["; ".join(x.limits) for x in t],
        })

    def to_dict(self) -> dict[str, Any]:
        """``trips`` (ranked, each :meth:`RoundTrip.to_dict`), ``objective``, the span,
        ``lambert_solves``, ``pairs_scanned``, ``seconds``."""
        return jsonable({
            "trips": [x.to_dict() for x in self.trips], "objective": self.objective,
            "from_utc": str(self.start.utc_iso(0)), "to_utc": str(self.end.utc_iso(0)),
            "step_days": self.step_days, "lambert_solves": self.lambert_solves,
            "pairs_scanned": self.pairs_scanned, "seconds": self.seconds,
        })

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """Two panels (plotly): the trips as a timeline (outbound, stay, return bars, one row
        a trip) and their total delta-v against total duration by class; written to
        ``path`` when given (.html, or an image through :func:`areo._files.save_figure`)."""
        import html

        import plotly.graph_objects as go
        from plotly.subplots import make_subplots

        from areo.io.figures import show_or_save

        fig = make_subplots(rows=1, cols=2, column_widths=[0.62, 0.38],
                            subplot_titles=("Round trips (rank: row)",
                                            "Total ΔV vs duration"))
        legs = (("outbound", "#2a6fdb"), ("stay at Mars", "#c1440e"), ("return", "#2ca02c"))
        for k, (name, colour) in enumerate(legs):
            x0, x1, labels = [], [], []
            for r, t in enumerate(self.trips):
                a, b = ((t.launch, t.arrive), (t.arrive, t.depart),
                        (t.depart, t.return_arrive))[k]
                x0.append(str(a.utc_iso(3))[:23])
                x1.append(str(b.utc_iso(3))[:23])
                labels.append(f"#{r + 1}")
            for r in range(len(self.trips)):
                fig.add_trace(go.Scatter(
                    x=[x0[r], x1[r]], y=[labels[r], labels[r]], mode="lines",
                    line={"color": colour, "width": 10}, name=name, legendgroup=name,
                    showlegend=r == 0, hoverinfo="x+name"), row=1, col=1)
        for cls, sym in (("conjunction", "circle"), ("opposition", "diamond")):
            sel = [t for t in self.trips if t.trip_class == cls]
            if sel:
                fig.add_trace(go.Scatter(
                    x=[t.total_days for t in sel], y=[t.total_dv_kms for t in sel],
                    mode="markers", marker={"symbol": sym, "size": 10}, name=f"{cls} class",
                    text=[html.escape(str(t.launch.utc_iso(0))[:10]) for t in sel],
                    hovertemplate="launch %{text}<br>%{x:.0f} d<br>%{y:.3f} km/s"
                                  "<extra></extra>"), row=1, col=2)
        fig.update_yaxes(autorange="reversed", row=1, col=1)
        fig.update_xaxes(title_text="date (UTC)", row=1, col=1)
        fig.update_xaxes(title_text="total duration (days)", row=1, col=2)
        fig.update_yaxes(title_text="total ΔV (km/s)", row=1, col=2)
        fig.update_layout(title="Earth → Mars → Earth round trips (DE440)", height=600)
        return show_or_save(fig, path)

    def __repr__(self) -> str:
        text = (f"RoundTrips: {len(self.trips)} trips {str(self.start.utc_iso(0))[:10]} to "
                f"{str(self.end.utc_iso(0))[:10]} by {self.objective}")
        if self.trips:
            text += f", best {self.trips[0].total_dv_kms:.3f} km/s total dv"
        return text + f", {self.seconds:.2f} s"


def _tof_axis(bounds: Any, step: float, what: str) -> np.ndarray:
    try:
        lo, hi = (float(x) for x in bounds)
    except (TypeError, ValueError):
        raise ParameterError(f"{what} {bounds!r} must be (shortest, longest) days, e.g. "
                             "(120, 400)") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo <= hi):
        raise ParameterError(f"{what} {bounds!r} must be 0 < shortest <= longest days, e.g. "
                             "(120, 400)")
    k = np.arange(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1)
    if k.size == 0:
        raise ParameterError(f"{what} {bounds!r} holds no multiple of the {step:g}-day step: "
                             "widen it or use a finer step")
    return k.astype(np.int64)


def _best_per_day(day: np.ndarray, cost: np.ndarray, n_days: int) -> np.ndarray:
    """Flat index of the least ``cost`` per ``day`` (0..n_days-1); -1 where none."""
    best = np.full(n_days, -1, dtype=np.int64)
    ok = np.flatnonzero(np.isfinite(cost))
    if ok.size == 0:
        return best
    order = ok[np.lexsort((cost[ok], day[ok]))]
    first = np.ones(order.size, dtype=bool)
    first[1:] = day[order][1:] != day[order][:-1]
    best[day[order][first]] = order[first]
    return best


def _capped_legs(a: np.ndarray, d: np.ndarray, out: np.ndarray, ret: np.ndarray,
                 k_out: np.ndarray, k_ret: np.ndarray, step: float, d_lo: int, cap: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per (arrival day ``a``, departure day ``d``) pair, the cheapest outbound (launch day x
    flight time ``out``) and return (departure day x flight time ``ret``) legs whose total
    duration is within ``cap`` days: for each outbound flight time, the best return among
    those short enough (prefix minimum over the return flight times). Exact over the grid.
    Returns the pairs that have such legs and the legs' flat indices."""
    n_l, n_t = out.shape
    o = np.where(np.isfinite(out), out, np.inf)
    r_cost = np.where(np.isfinite(ret), ret, np.inf)
    pref = np.minimum.accumulate(r_cost, axis=1)
    tof_r = k_ret * step
    stay = (d - a) * step
    best = np.full(a.size, np.inf)
    best_t = np.zeros(a.size, dtype=np.int64)
    best_r = np.zeros(a.size, dtype=np.int64)
    for t in range(n_t):
        launch = a - k_out[t]
        r = np.searchsorted(tof_r, cap - k_out[t] * step - stay + 1e-9, side="right") - 1
        v = (launch >= 0) & (launch < n_l) & (r >= 0)
        c = np.full(a.size, np.inf)
        c[v] = o[launch[v], t] + pref[d[v] - d_lo, r[v]]
        better = c < best
        best[better], best_t[better], best_r[better] = c[better], t, r[better]
    found = np.isfinite(best)
    a, d, t, r = a[found], d[found], best_t[found], best_r[found]
    i_flat = (a - k_out[t]) * n_t + t
    j = np.empty(a.size, dtype=np.int64)
    for k0 in range(0, a.size, 20_000):  # the return leg behind each prefix minimum
        sl = slice(k0, k0 + 20_000)
        rows = r_cost[d[sl] - d_lo]
        rows = np.where(np.arange(k_ret.size)[None, :] <= r[sl, None], rows, np.inf)
        j[sl] = np.argmin(rows, axis=1)
    return a, d, i_flat, (d - d_lo) * k_ret.size + j


def _with_venus(cells: dict[str, np.ndarray], via: str, td: Time, k_ret: np.ndarray,
                step: float, orbit: DepartureOrbit, k_venus: np.ndarray | None,
                site_lat: float | None, fpa: float, cap: float | None, max_fb: float,
                objective: str, ephemeris: Ephemeris | None
                ) -> tuple[dict[str, np.ndarray], int]:
    """The direct return cells with the record fields of a Venus return, replaced ('venus')
    or merged cell by cell with the cheaper Venus return ('either'); and the Lambert arcs
    the Venus returns solved."""
    shape = cells["dv_depart_kms"].shape
    cells = {**cells, "mars_depart_dv_kms": cells["dv_depart_kms"],
             "flyby_et": np.full(shape, np.nan), "flyby_dv_kms": np.zeros(shape),
             "flyby_alt_km": np.full(shape, np.nan), "via": np.full(shape, "direct"),
             "venus_leg_days": np.full(shape, np.nan)}
    if via == "direct" or k_venus is None:
        return cells, 0
    ven = venus_return_cells(td, k_ret, step, orbit, k_venus, site_lat=site_lat,
                             entry_fpa_deg=fpa, max_entry_speed_kms=cap,
                             max_flyby_dv_kms=max_fb, ephemeris=ephemeris)
    solves = int(ven.pop("lambert_solves"))
    ven["via"] = np.full(shape, "venus")
    if via == "venus":
        use = np.ones(shape, dtype=bool)
    else:  # the cheaper return part; equal flight times (total_days) keep the direct arc
        direct_ok = np.isfinite(cells["entry_speed_kms"])
        if cap is not None:
            direct_ok &= cells["entry_speed_kms"] <= cap
        if site_lat is not None:
            direct_ok &= cells["site_reachable"]
        d_cost = np.where(direct_ok, cells["dv_depart_kms"], np.inf)
        v_cost = np.where(np.isfinite(ven["dv_depart_kms"]), ven["dv_depart_kms"], np.inf)
        use = (v_cost < d_cost) if objective != "total_days" else ~direct_ok & np.isfinite(v_cost)
    return {k: np.where(use, ven[k], cells[k]) if k in ven else cells[k] for k in cells}, solves


def round_trips(
    start: Any, end: Any, *,
    min_stay_days: float = 30.0, max_stay_days: float = 700.0,
    max_total_days: float | None = None, step_days: float = 5.0,
    outbound_tof_days: Any = (120.0, 400.0), return_tof_days: Any = (120.0, 400.0),
    departure_orbit: DepartureOrbit = DEFAULT_DEPARTURE_ORBIT,
    parking_alt_km: float = 200.0, max_c3: float | None = None,
    max_entry_speed_kms: float | None = None, site: str | None = None,
    entry_fpa_deg: float = STARDUST_ENTRY_FPA_DEG, objective: str = "total_dv",
    class_split_days: float = 750.0, separation_days: float = 300.0,
    at_mars: Any = None, max_total_dv_kms: float | None = None, return_via: str = "direct",
    venus_leg_days: Any = (60.0, 400.0),
    max_flyby_dv_kms: float = DEFAULT_MAX_FLYBY_DV_KMS,
    ephemeris: Ephemeris | None = None,
) -> RoundTrips:
    """Best Earth -> Mars -> Earth round trips launching between ``start`` and ``end``.

    Args:
        start, end: the launch span (anything :class:`~areo.time.Time` takes).
        min_stay_days, max_stay_days: bounds of the stay at Mars, days.
        max_total_days: cap on launch-to-return duration, days.
        step_days: the day grid of every date.
        outbound_tof_days, return_tof_days: (shortest, longest) flight times, days.
        departure_orbit: the Mars orbit captured into and left from.
        parking_alt_km: Earth circular parking orbit altitude, km.
        max_c3: outbound launch C3 cap, km^2/s^2; max_entry_speed_kms, site,
            entry_fpa_deg: the return constraints of :func:`~areo.transfer.returns.
            return_window`.
        objective: 'total_dv', 'mars_dv' or 'total_days'.
        class_split_days: total duration below which a trip is opposition class, days.
        separation_days: launches of one class closer than this are one opportunity.
        at_mars: (from, to) UTC: only trips at Mars over all of it (arrived by ``from``,
            leaving no earlier than ``to``), e.g. a sample lander's ascent window.
        max_total_dv_kms: list only trips of at most this total delta-v (km/s): the
            off-window opportunities of a long span drop out of the list.
        return_via: 'direct', 'venus' (Mars -> Venus -> Earth, :mod:`areo.transfer.
            swingby`) or 'either' (the cheaper per departure day and flight time). The
            impulse at Venus counts with the Mars departure in the 'total_dv' and 'mars_dv'
            objectives (the orbiter pays both on the way home) and in ``total_dv_kms``.
        venus_leg_days: (shortest, longest) Mars -> Venus flight times, days.
        max_flyby_dv_kms: the largest impulse at Venus a swing-by may need, km/s.

    Raises:
        ParameterError: reversed or empty spans, stay bounds reversed or longer than the
        span plus the longest flights, bad caps; no trip meets the constraints.
    """
    t0 = _time.perf_counter()
    if objective not in _OBJECTIVES:
        raise ParameterError(f"objective {objective!r} is unknown: use one of "
                             f"{', '.join(_OBJECTIVES)}")
    if return_via not in _RETURN_VIA:
        raise ParameterError(f"return_via {return_via!r} is unknown: use one of "
                             f"{', '.join(_RETURN_VIA)}")
    validate.positive(max_flyby_dv_kms, "max_flyby_dv_kms", unit="km/s", hint="e.g. 0.5")
    step = float(validate.positive(step_days, "step_days", unit="days", hint="e.g. 5"))
    t_start, t_end = Time(start), Time(end)
    span = (float(t_end.et) - float(t_start.et)) / DAY_S
    if span < 0:
        raise ParameterError(f"the span ends ({t_end.iso[:10]}) before it starts "
                             f"({t_start.iso[:10]}): swap the dates")
    lo_s = float(validate.non_negative(min_stay_days, "min_stay_days", unit="days"))
    hi_s = float(validate.non_negative(max_stay_days, "max_stay_days", unit="days"))
    if hi_s < lo_s:
        raise ParameterError(f"max_stay_days {hi_s:g} is below min_stay_days {lo_s:g}: swap "
                             "them")
    site_lat = _check_inputs(max_entry_speed_kms, entry_fpa_deg, site, 0)
    if max_c3 is not None:
        validate.positive(max_c3, "max_c3", unit="km2/s2", hint="e.g. 20")
    if max_total_dv_kms is not None:
        validate.positive(max_total_dv_kms, "max_total_dv_kms", unit="km/s", hint="e.g. 10")
    if max_total_days is not None:
        validate.positive(max_total_days, "max_total_days", unit="days", hint="e.g. 1000")
    hold = None
    if at_mars is not None:
        try:
            h0, h1 = (Time(x) for x in at_mars)
        except (TypeError, ValueError):
            raise ParameterError(f"at_mars {at_mars!r} must be (from, to) UTC times") from None
        hold = tuple((float(h.et) - float(t_start.et)) / DAY_S for h in (h0, h1))
        if hold[1] < hold[0]:
            raise ParameterError(f"at_mars ends ({h1.iso[:10]}) before it starts "
                                 f"({h0.iso[:10]}): swap the dates")
    k_out = _tof_axis(outbound_tof_days, step, "outbound_tof_days")
    k_ret = _tof_axis(return_tof_days, step, "return_tof_days")
    k_venus = (None if return_via == "direct"
               else _tof_axis(venus_leg_days, step, "venus_leg_days"))
    k_s = np.arange(math.ceil(lo_s / step - 1e-9), math.floor(hi_s / step + 1e-9) + 1)
    if k_s.size == 0:
        raise ParameterError(f"stays {lo_s:g}-{hi_s:g} d hold no multiple of the {step:g}-day "
                             "step: widen them or use a finer step")
    n_l = math.floor(span / step + 1e-9) + 1
    launch = Time.from_et(float(t_start.et) + np.arange(n_l) * step * DAY_S)
    pc = porkchop(launch, tof_days=k_out * step, parking_alt_km=parking_alt_km,
                  capture=departure_orbit.orbit, ephemeris=ephemeris)
    a_day = (np.arange(n_l)[:, None] + k_out[None, :]).ravel()
    out_ok = np.isfinite(pc.c3_km2s2)
    if max_c3 is not None:
        out_ok &= pc.c3_km2s2 <= max_c3
    out_part = {"total_dv": pc.dv_depart_kms + pc.dv_capture_kms,
                "mars_dv": pc.dv_capture_kms,
                "total_days": np.broadcast_to(k_out * step, pc.shape)}[objective]
    out_cost = np.where(out_ok, out_part, np.nan).ravel()
    n_days = int(a_day.max() + k_s[-1] + k_ret[-1] + 1)
    best_out = _best_per_day(a_day, out_cost, n_days)
    arr_days = np.flatnonzero(best_out >= 0)
    if arr_days.size == 0:
        raise ParameterError("no outbound transfer meets the constraints (max_c3 "
                             f"{max_c3}): raise the cap or widen the span")
    d_lo, d_hi = int(arr_days.min() + k_s[0]), int(arr_days.max() + k_s[-1])
    d_days = np.arange(d_lo, d_hi + 1)
    td = Time.from_et(float(t_start.et) + d_days * step * DAY_S)
    grid = td.et[:, None] + (k_ret * step * DAY_S)[None, :]
    et_u, inv = np.unique(np.round(grid, 6), return_inverse=True)
    cells = _return_cells(td, et_u, inv.reshape(grid.shape).astype(np.int32),
                          departure_orbit, 0, site_lat, entry_fpa_deg, ephemeris)
    cells, venus_solves = _with_venus(
        cells, return_via, td, k_ret, step, departure_orbit, k_venus, site_lat, entry_fpa_deg,
        max_entry_speed_kms, max_flyby_dv_kms, objective, ephemeris)
    lambert_solves = int(pc.c3_km2s2.size + grid.size) + venus_solves
    ret_ok = np.isfinite(cells["entry_speed_kms"])
    if max_entry_speed_kms is not None:
        ret_ok &= cells["entry_speed_kms"] <= max_entry_speed_kms
    if site is not None:
        ret_ok &= cells["site_reachable"]
    ret_part = {"total_dv": cells["dv_depart_kms"], "mars_dv": cells["dv_depart_kms"],
                "total_days": np.broadcast_to(k_ret * step, grid.shape)}[objective]
    ret_cost = np.where(ret_ok, ret_part, np.nan).ravel()
    d_of = np.broadcast_to(d_days[:, None], grid.shape).ravel()
    best_ret = _best_per_day(d_of, ret_cost, n_days)
    # every (arrival day, stay) pair; the departure day is their sum
    aa = arr_days[:, None]
    dd = aa + k_s[None, :]
    ib = best_out[aa].repeat(k_s.size, axis=1)
    jb = best_ret[dd]
    ok = jb >= 0
    if hold is not None:  # at Mars over the whole held span: arrived before, leaving after
        ok &= (aa * step <= hold[0] + 1e-9) & (dd * step >= hold[1] - 1e-9)
    a_sel, d_sel = np.broadcast_to(aa, dd.shape)[ok], dd[ok]
    i_flat, j_flat = ib[ok], jb[ok]
    if max_total_days is not None:
        a_sel, d_sel, i_flat, j_flat = _capped_legs(
            a_sel, d_sel, out_cost.reshape(n_l, k_out.size),
            ret_cost.reshape(d_days.size, k_ret.size), k_out, k_ret, step, d_lo,
            float(max_total_days))
    stay = (d_sel - a_sel) * step
    tof_o = k_out[i_flat % k_out.size] * step
    tof_r = k_ret[j_flat % k_ret.size] * step
    total = tof_o + stay + tof_r
    cost = out_cost[i_flat] + ret_cost[j_flat] + (stay if objective == "total_days" else 0.0)
    keep = np.ones(cost.size, dtype=bool)
    if max_total_dv_kms is not None:
        # as RoundTrip.total_dv_kms: Earth departure, Mars capture and departure, Venus
        tdv = ((pc.dv_depart_kms + pc.dv_capture_kms).ravel()[i_flat]
               + cells["mars_depart_dv_kms"].ravel()[j_flat]
               + cells["flyby_dv_kms"].ravel()[j_flat])
        keep &= tdv <= max_total_dv_kms
    pairs = int(ok.sum())  # (arrival, departure) pairs with legs, before the cap
    if not keep.any():
        lowest = float(np.nanmin(cells["entry_speed_kms"]))
        raise ParameterError(
            f"no round trip meets the constraints (stay {lo_s:g}-{hi_s:g} d, total <= "
            f"{max_total_days} d, entry speed <= {max_entry_speed_kms} km/s, site {site!r}"
            + ("" if at_mars is None else f", at Mars over {at_mars[0]} .. {at_mars[1]}")
            + ("" if max_total_dv_kms is None else f", total dv <= {max_total_dv_kms} km/s")
            + f"); the lowest return entry speed is {lowest:.3f} km/s: relax them or widen "
            "the span")
    conj = total >= class_split_days
    launch_day = i_flat // k_out.size
    # Only the cheapest candidate of each (class, launch day) can be picked: any other of
    # that day is suppressed with it, so the greedy scan runs over those (<= 2 per day).
    key = np.where(conj, launch_day, launch_day + n_l)
    cand = _best_per_day(key, np.where(keep, cost, np.nan), 2 * n_l)
    idx = cand[cand >= 0]
    idx = idx[np.argsort(cost[idx], kind="stable")]
    chosen: dict[bool, list[int]] = {True: [], False: []}
    picks: list[int] = []
    sep = separation_days / step
    for q in idx:
        group = chosen[bool(conj[q])]
        if all(abs(launch_day[q] - launch_day[p]) > sep for p in group):
            group.append(int(q))
            picks.append(int(q))
            if len(picks) >= 200:
                break
    flat = {k: v.ravel() for k, v in cells.items()}
    trips = []
    k_v = (float(k_venus[0]), float(k_venus[-1])) if k_venus is not None else None
    for q in picks:
        i, j = int(i_flat[q]), int(j_flat[q])
        li, ti = divmod(i, k_out.size)
        dj, tj = divmod(j, k_ret.size)
        stay_k = round(float(stay[q]) / step)
        c3, v_entry = float(pc.c3_km2s2[li, ti]), float(flat["entry_speed_kms"][j])
        leg_v, fb_dv = float(flat["venus_leg_days"][j]), float(flat["flyby_dv_kms"][j])
        edges = (
            (li == 0, "start of the launch span"),
            (li == n_l - 1, "end of the launch span"),
            (ti == 0, f"shortest outbound flight ({k_out[0] * step:g} d)"),
            (ti == k_out.size - 1, f"longest outbound flight ({k_out[-1] * step:g} d)"),
            (stay_k == k_s[0], f"shortest stay ({k_s[0] * step:g} d)"),
            (stay_k == k_s[-1], f"longest stay ({k_s[-1] * step:g} d)"),
            (tj == 0, f"shortest return flight ({k_ret[0] * step:g} d)"),
            (tj == k_ret.size - 1, f"longest return flight ({k_ret[-1] * step:g} d)"),
            (max_total_days is not None and total[q] > float(max_total_days) - step,
             f"total duration cap ({max_total_days} d)"),
            (not conj[q] and total[q] > class_split_days - step,
             f"opposition class's duration bound ({class_split_days:g} d)"),
            (max_c3 is not None and c3 > float(max_c3) - 0.01, f"C3 cap ({max_c3} km2/s2)"),
            (max_entry_speed_kms is not None and v_entry > float(max_entry_speed_kms) - 0.01,
             f"entry-speed cap ({max_entry_speed_kms} km/s)"),
            (k_v is not None and math.isfinite(leg_v) and leg_v / step in k_v,
             "Mars-Venus flight bound"),
            (math.isfinite(leg_v) and fb_dv > float(max_flyby_dv_kms) - 1e-3,
             f"Venus impulse cap ({max_flyby_dv_kms:g} km/s)"),
        )
        trips.append(RoundTrip(
            launch=launch[li], arrive=Time.from_et(float(pc.arrive_et[li, ti])),
            depart=td[dj], return_arrive=Time.from_et(float(et_u[inv.ravel()[j]])),
            c3_km2s2=c3,
            vinf_arrive_mars_kms=float(pc.vinf_arrive_kms[li, ti]),
            dv_earth_depart_kms=float(pc.dv_depart_kms[li, ti]),
            dv_mars_capture_kms=float(pc.dv_capture_kms[li, ti]),
            dv_mars_depart_kms=float(flat["mars_depart_dv_kms"][j]),
            vinf_depart_mars_kms=float(flat["vinf_depart_kms"][j]),
            vinf_arrive_earth_kms=float(flat["vinf_arrive_kms"][j]),
            arrival_dec_deg=float(flat["arrival_dec_deg"][j]),
            entry_speed_kms=v_entry,
            site_reachable=bool(flat["site_reachable"][j]),
            trip_class="conjunction" if conj[q] else "opposition",
            via=str(flat["via"][j]),
            flyby=(None if not np.isfinite(flat["flyby_et"][j])
                   else Time.from_et(float(flat["flyby_et"][j]))),
            flyby_dv_kms=float(flat["flyby_dv_kms"][j]),
            flyby_alt_km=float(flat["flyby_alt_km"][j]),
            limits=tuple(text for hit, text in edges if hit)))
    return RoundTrips(trips=tuple(trips), objective=objective, start=t_start, end=t_end,
                      step_days=step, lambert_solves=lambert_solves,
                      pairs_scanned=pairs, seconds=_time.perf_counter() - t0)
