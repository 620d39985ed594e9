"""Porkchop plots: matplotlib PNG/PDF/SVG and interactive plotly HTML.

Filled contours of launch C3 (km^2/s^2), line contours of arrival v-infinity (km/s) and
dashed lines of constant time of flight (days); the minimum-C3 cell is starred and any
(launch, arrive, label) marks, e.g. real missions' dates, are drawn on top.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from areo.errors import ParameterError
from areo.time import Time

if TYPE_CHECKING:
    from areo.transfer.porkchop import Porkchop

__all__ = ["Mark", "ecliptic_arc", "ecliptic_figure", "plot_porkchop", "porkchop_figure_html",
           "porkchop_plotly"]

Mark = tuple[Any, Any, str]  # (launch, arrive, label)


def _c3_levels(c3: np.ndarray, cap: float) -> np.ndarray:
    """1 km^2/s^2 steps over the 8 lowest units (where the window is), 4 above, up to cap."""
    finite = c3[np.isfinite(c3)]
    lo = float(np.floor(finite.min())) if finite.size else 0.0
    cap = max(cap, lo + 2.0)
    fine = np.arange(lo, min(lo + 8.0, cap) + 1e-9, 1.0)
    coarse = np.arange(fine[-1] + 4.0, cap + 1e-9, 4.0)
    return np.concatenate([fine, coarse])


def _check_grid(pc: Porkchop) -> None:
    if pc.arrive is None:
        raise ParameterError(
            "plots need a date x date porkchop: build it with arrive=... (porkchop_span)"
        )
    if min(pc.shape) < 2:
        raise ParameterError(f"grid {pc.shape} is too small to contour: give >= 2 x 2 dates")


def _marks_on_grid(marks: Sequence[Mark], launch: Any, arrive: Any, *, stacklevel: int = 3
                   ) -> list[Mark]:
    """The marks inside the grid's dates; each one outside is skipped with an
    :class:`~areo.errors.AreoWarning` (drawn, it would stretch the axes away from the
    grid)."""
    import warnings

    from areo.errors import AreoWarning

    tl, ta = np.atleast_1d(Time(launch).et), np.atleast_1d(Time(arrive).et)
    out = []
    for m in marks:
        a, b = float(Time(m[0]).et), float(Time(m[1]).et)
        if tl.min() <= a <= tl.max() and ta.min() <= b <= ta.max():
            out.append(m)
            continue
        span = [str(x)[:10] for x in np.atleast_1d(Time.from_et(
            np.array([tl.min(), tl.max(), ta.min(), ta.max()])).utc_iso(0))]
        warnings.warn(
            f"mark {str(m[2])!r} (launch {str(Time(m[0]).utc_iso(0))[:10]}, arrive "
            f"{str(Time(m[1]).utc_iso(0))[:10]}) is outside the porkchop's dates (launch "
            f"{span[0]} to {span[1]}, arrive {span[2]} to {span[3]}): skipped", AreoWarning,
            stacklevel=stacklevel)
    return out


def plot_porkchop(
    pc: Porkchop,
    path: str | Path | None = None,
    *,
    marks: Sequence[Mark] = (),
    c3_max: float = 40.0,
    title: str | None = None,
    dpi: int = 150,
) -> Any:
    """Draw ``pc``: the interactive plotly figure (:func:`porkchop_figure_html`) when no
    ``path`` is given or it ends in .html (written self-contained), else the static
    matplotlib figure saved to ``path`` (.png, .pdf, .svg). Returns the figure."""
    if path is None or str(path).lower().endswith(".html"):
        return porkchop_figure_html(pc, path, marks=marks, c3_max=c3_max, title=title)
    _check_grid(pc)
    import matplotlib

    if path is not None:
        matplotlib.use("Agg", force=False)
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    assert pc.arrive is not None
    xl = pc.launch.to_datetime64()
    ya = pc.arrive.to_datetime64()
    c3 = pc.c3_km2s2.T
    va = pc.vinf_arrive_kms.T
    tof = pc.tof_days.T
    fig, ax = plt.subplots(figsize=(10, 7), constrained_layout=True)
    lv = _c3_levels(c3, c3_max)
    inside = c3 <= lv[-1]
    cf = ax.contourf(xl, ya, np.where(inside, c3, np.nan), levels=lv, cmap="viridis_r")
    ax.contour(xl, ya, np.where(inside, c3, np.nan), levels=lv, colors="k", linewidths=0.3)
    fig.colorbar(cf, ax=ax, label="launch C3 (km²/s²)")
    vl = np.arange(2.0, 7.01, 0.5)
    cs = ax.contour(xl, ya, np.where(inside, va, np.nan), levels=vl, colors="tab:red",
                    linewidths=0.8)
    ax.clabel(cs, fmt="%.1f km/s", fontsize=7)
    finite_tof = tof[np.isfinite(c3)]
    if finite_tof.size:
        tl = np.arange(np.ceil(finite_tof.min() / 50) * 50, finite_tof.max(), 50)
        ct = ax.contour(xl, ya, np.where(inside, tof, np.nan), levels=tl, colors="0.4",
                        linestyles="--", linewidths=0.6)
        ax.clabel(ct, fmt="%d d", fontsize=7)
    i, j = pc.argmin("c3")
    p = pc.point(i, j)
    ax.plot(xl[i], ya[j], marker="*", ms=14, color="gold", mec="k",
            label=f"min C3 {p.c3_km2s2:.2f} km²/s² (type {p.transfer_type_name})")
    for launch, arrive, label in _marks_on_grid(marks, pc.launch, pc.arrive):
        tl_, ta_ = Time(launch), Time(arrive)
        ax.plot(tl_.to_datetime64(), ta_.to_datetime64(), marker="o", ms=8, color="tab:orange",
                mec="k", ls="none")
        ax.annotate(label, (tl_.to_datetime64(), ta_.to_datetime64()), xytext=(6, 6),
                    textcoords="offset points", fontsize=9, weight="bold")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    ax.set_xlabel("launch date (UTC)")
    ax.set_ylabel("arrival date (UTC)")
    ax.set_title(title or "Earth → Mars porkchop (DE440): C3 (fill), arrival v∞ (red), "
                 "time of flight (dashed)", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    if path is not None:
        from areo._files import save_figure

        save_figure(fig, path, dpi=dpi)
        plt.close(fig)
    return fig


#: The interactive porkchop keeps at most this many grid cells (a 1-day grid is thinned by
#: a common stride on both axes): the page stays ~6 MB, ~4.8 MB of which is plotly.js.
HTML_MAX_CELLS = 40_000
#: Candidate C3 contour spacings (km^2/s^2); the finest giving <= 20 levels up to the cap.
_HTML_C3_STEPS = (0.5, 1.0, 2.0, 4.0, 5.0, 10.0, 20.0, 50.0, 100.0)


def porkchop_figure_html(
    pc: Porkchop,
    path: str | Path | None = None,
    *,
    marks: Sequence[Mark] = (),
    c3_max: float = 40.0,
    title: str | None = None,
    max_cells: int = HTML_MAX_CELLS,
) -> Any:
    """Interactive plotly figure of ``pc`` (:func:`porkchop_plotly`); written to ``path``
    when given (self-contained HTML with plotly.js inlined). Returns the figure."""
    _check_grid(pc)
    assert pc.arrive is not None
    i, j = pc.argmin("c3")
    fig = porkchop_plotly(pc.launch, pc.arrive, pc.c3_km2s2, pc.vinf_arrive_kms, pc.tof_days,
                          marks=marks, c3_max=c3_max, title=title, max_cells=max_cells,
                          best=(pc.launch[i], pc.arrive[j], "min C3"))
    if path is not None:
        from areo._files import atomic_path

        with atomic_path(path) as tmp:
            fig.write_html(str(tmp), include_plotlyjs=True)
    return fig


def porkchop_plotly(
    launch: Any,
    arrive: Any,
    c3_km2s2: Any,
    vinf_arrive_kms: Any,
    tof_days: Any,
    *,
    marks: Sequence[Mark] = (),
    c3_max: float = 40.0,
    title: str | None = None,
    max_cells: int = HTML_MAX_CELLS,
    best: Mark | None = None,
    height: int | None = None,
    line_levels: Any = None,
    line_name: str = "v∞ arrive (km/s)",
    axis_titles: tuple[str, str] = ("launch date (UTC)", "arrival date (UTC)"),
) -> Any:
    """The interactive porkchop (plotly) from a launch x arrival grid: the one figure
    function that ``Porkchop.plot("x.html")``, ``areo porkchop --plot x.html`` and the
    mission report draw with.

    ``launch``, ``arrive``: the axes (:class:`~areo.time.Time` or anything it takes);
    ``c3_km2s2``, ``vinf_arrive_kms``, ``tof_days``: ``(n_launch, n_arrive)`` grids. Filled
    C3 contours up to ``c3_max`` (cells above it, and cells without a solution, are left
    white), red lines of arrival v-infinity, ``best`` (launch, arrive, label) starred in
    gold. Grids over ``max_cells`` cells are thinned by a common stride; values go in as
    float32. ``marks`` outside the grid's dates are skipped with an
    :class:`~areo.errors.AreoWarning` (they would stretch the axes away from the grid).
    ``line_levels``/``line_name`` relabel the red lines for another field on the
    ``vinf_arrive_kms`` slot (the return porkchop's entry speed); ``axis_titles`` name the
    axes."""

    import plotly.graph_objects as go


    if max_cells < 4:
        raise ParameterError(f"max_cells={max_cells} is too small: give >= 4 (default "
                             f"{HTML_MAX_CELLS})")
    tl_axis, ta_axis = Time(launch), Time(arrive)
    c3_all = np.asarray(c3_km2s2, dtype=float)
    nl, na = c3_all.shape
    stride = max(1, int(np.ceil(np.sqrt(nl * na / max_cells))))
    il = np.arange(0, nl, stride)
    ia = np.arange(0, na, stride)
    xl_all = [str(s)[:19] for s in np.atleast_1d(tl_axis.utc_iso(decimals=0))]
    ya_all = [str(s)[:19] for s in np.atleast_1d(ta_axis.utc_iso(decimals=0))]
    xl = [xl_all[k] for k in il]
    ya = [ya_all[k] for k in ia]
    c3 = c3_all[np.ix_(il, ia)].T
    vinf = np.asarray(vinf_arrive_kms, dtype=float)[np.ix_(il, ia)].T
    tof = np.asarray(tof_days, dtype=float)[np.ix_(il, ia)].T
    # plotly's contour fills NaN cells by interpolation and throws ("findEmpties iterated
    # with no new neighbors") on large gaps, leaving a blank plot: no NaN goes in. Cells
    # above the cap (or without a solution) sit one level above it, drawn white.
    finite = np.isfinite(c3)
    lo = float(np.floor(np.min(c3[finite]))) if finite.any() else 0.0
    cap = max(float(c3_max), lo + 2.0)
    size = next((s for s in _HTML_C3_STEPS if (cap - lo) / s <= 20), _HTML_C3_STEPS[-1])
    top = cap + size
    inside = finite & (c3 <= cap)
    z = np.where(inside, c3, top)
    frac = (cap - lo) / (top - lo)
    colors = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]  # viridis, reversed
    scale = [[frac * k / (len(colors) - 1), c] for k, c in enumerate(colors)]
    scale += [[frac + 1e-9, "#ffffff"], [1.0, "#ffffff"]]
    ticks = np.arange(lo, cap + 1e-9, size * max(1, round((cap - lo) / size / 6)))
    fig = go.Figure()
    fig.add_trace(go.Contour(
        x=xl, y=ya, z=z.astype(np.float32), colorscale=scale, zmin=lo, zmax=top,
        autocontour=False, name="C3",
        contours={"start": lo, "end": cap, "size": size, "showlabels": True},
        line={"width": 0.5, "color": "rgba(0,0,0,0.35)"},
        colorbar={"title": {"text": f"C3 (km²/s²)<br>white: > {cap:g}<br>or no arc"},
                  "tickvals": [*ticks, top],
                  "ticktext": [*(f"{v:g}" for v in ticks), f"> {cap:g}"]},
        customdata=np.dstack([np.where(finite, c3, np.nan), vinf, tof]).astype(np.float32),
        hovertemplate=("launch %{x}<br>arrive %{y}<br>C3 %{customdata[0]:.2f} km²/s²<br>"
                       f"{html.escape(line_name.split(' (')[0])} %{{customdata[1]:.2f}} km/s"
                       "<br>TOF %{customdata[2]:.0f} d<extra></extra>"),
    ))
    for trace in _vinf_lines(vinf, inside, tl_axis.et[il] if np.ndim(tl_axis.et) else
                             np.atleast_1d(tl_axis.et), np.atleast_1d(ta_axis.et)[ia],
                             levels=_VINF_LEVELS if line_levels is None else
                             np.asarray(line_levels, dtype=float), name=line_name):
        fig.add_trace(trace)
    if best is not None:
        bl, ba, blabel = best
        fig.add_trace(go.Scatter(
            x=[str(Time(bl).utc_iso(decimals=0))[:19]],
            y=[str(Time(ba).utc_iso(decimals=0))[:19]], mode="markers+text",
            name=html.escape(str(blabel)), text=[html.escape(str(blabel))],
            textposition="bottom right", textfont={"size": 12},
            marker={"symbol": "star", "size": 16, "color": "gold",
                    "line": {"color": "black", "width": 1}}))
    for launch_t, arrive_t, label in _marks_on_grid(marks, tl_axis, ta_axis, stacklevel=3):
        tl_, ta_ = Time(launch_t), Time(arrive_t)
        fig.add_trace(go.Scatter(
            x=[str(tl_.utc_iso(decimals=0))[:19]],
            y=[str(ta_.utc_iso(decimals=0))[:19]], mode="markers+text",
            text=[html.escape(str(label))], textposition="top right",
            name=html.escape(str(label)), marker={"size": 10, "color": "orange"},
        ))
    # plotly reads labels and titles as a subset of HTML: user text goes in escaped
    fig.update_layout(title=html.escape(title) if title else "Earth → Mars porkchop (DE440)",
                      xaxis={"title": {"text": html.escape(axis_titles[0])},
                             "range": [xl_all[0], xl_all[-1]]},
                      yaxis={"title": {"text": html.escape(axis_titles[1])},
                             "range": [ya_all[0], ya_all[-1]]},
                      plot_bgcolor="#ffffff")
    if height is not None:
        fig.update_layout(height=height)
    return fig


def _utc_ms(et: np.ndarray, axis_et: np.ndarray) -> np.ndarray:
    """UTC milliseconds since 1970 of TDB seconds inside an axis's span, interpolated
    linearly between the axis's ends (NaN stays NaN: a break in a line)."""
    ends = np.array([float(np.min(axis_et)), float(np.max(axis_et))])
    ms = Time.from_et(ends).to_datetime64().astype("datetime64[ms]").astype(np.int64)
    if ends[1] == ends[0]:
        return np.where(np.isfinite(et), float(ms[0]), np.nan)
    return ms[0] + (et - ends[0]) * (float(ms[1] - ms[0]) / (ends[1] - ends[0]))


#: Arrival v-infinity contour levels of the interactive porkchop, km/s.
_VINF_LEVELS = np.arange(2.0, 8.01, 0.5)


def _vinf_lines(vinf: np.ndarray, valid: np.ndarray, launch_et: np.ndarray,
                arrive_et: np.ndarray, levels: np.ndarray = _VINF_LEVELS,
                name: str = "v∞ arrive (km/s)") -> list[Any]:
    """Arrival v-infinity contours as plotly lines, traced (contourpy) only through cells
    with a solution under the colour cap, so no line crosses the blank part of the grid;
    each level labelled at the middle of its longest line. ``vinf``/``valid`` are
    (arrive, launch) grids."""
    import contourpy
    import plotly.graph_objects as go

    from areo.io.figures import utc_axis

    z = np.ma.masked_array(vinf, mask=~(valid & np.isfinite(vinf)))
    if z.count() < 4:
        return []
    gen = contourpy.contour_generator(np.arange(z.shape[1], dtype=float),
                                      np.arange(z.shape[0], dtype=float), z,
                                      line_type="Separate")
    xs: list[Any] = []
    ys: list[Any] = []
    labels: list[tuple[float, float, str]] = []
    grid_l, grid_a = np.arange(launch_et.size), np.arange(arrive_et.size)
    for level in levels:
        lines = [ln for ln in gen.lines(float(level)) if len(ln) >= 2]
        for ln in lines:
            xs.extend([*np.interp(ln[:, 0], grid_l, launch_et), np.nan])
            ys.extend([*np.interp(ln[:, 1], grid_a, arrive_et), np.nan])
        if lines:
            longest = max(lines, key=len)
            mid = longest[len(longest) // 2]
            labels.append((float(np.interp(mid[0], grid_l, launch_et)),
                           float(np.interp(mid[1], grid_a, arrive_et)), f"{level:g}"))
    if not xs:
        return []
    # Thousands of points: placed as milliseconds of UTC (what plotly's date axes read),
    # from the axes' own UTC at their ends (UTC - TDB drifts < 2 ms inside a window, no leap
    # second is planned), not a time-scale conversion per point.
    out = [go.Scatter(x=_utc_ms(np.asarray(xs), launch_et),
                      y=_utc_ms(np.asarray(ys), arrive_et), mode="lines",
                      name=html.escape(name), line={"color": "red", "width": 1},
                      hoverinfo="skip", connectgaps=False)]
    if labels:
        out.append(go.Scatter(
            x=[t[:19] for t in utc_axis([p[0] for p in labels])],
            y=[t[:19] for t in utc_axis([p[1] for p in labels])], mode="text",
            text=[p[2] for p in labels], textfont={"color": "red", "size": 10},
            showlegend=False, hoverinfo="skip"))
    return out


def ecliptic_arc(tr: Any) -> dict[str, Any]:
    """A scalar transfer's arc and the planets' orbits in the ecliptic (ECLIPJ2000), AU:
    ``{"transfer": (400, 3), "earth"/"mars": {"xyz": one orbit from launch, "mark": at
    launch/arrival}, "mars_at_launch", "earth_at_arrival"}``. The arc is the Kepler
    propagation of Earth's position with the Lambert departure velocity ``tr.v1``."""
    from areo.constants import AU_KM, DAY_S
    from areo.ephem import FRAMES, default_ephemeris
    from areo.orbits import Orbit

    eph = default_ephemeris()
    rot = np.asarray(FRAMES["eclipj2000"], dtype=float)
    et0, et1 = float(tr.launch.et), float(tr.arrive.et)
    earth0 = eph.state("earth", tr.launch, center="sun").states.reshape(6)
    state = np.concatenate([earth0[:3], np.asarray(tr.v1, dtype=float).reshape(3)])
    arc_t = Time.from_et(np.linspace(et0, et1, 400))
    arc = Orbit.from_state(state, et0, body="sun").propagate(arc_t, model="kepler")
    arc_xyz = np.asarray(arc.states, dtype=float).reshape(-1, 6)[:, :3]

    def planet(name: str, days: float, t_mark: Any) -> dict[str, Any]:
        t = Time.from_et(np.linspace(et0, et0 + days * DAY_S, 361))
        xyz = eph.state(name, t, center="sun").states.reshape(-1, 6)[:, :3]
        mark = eph.state(name, t_mark, center="sun").states.reshape(6)[:3]
        return {"xyz": (xyz @ rot.T) / AU_KM, "mark": (rot @ mark) / AU_KM}

    return {
        "transfer": (arc_xyz @ rot.T) / AU_KM,
        "earth": planet("earth", 365.25636, tr.launch),
        "mars": planet("mars", 686.98, tr.arrive),
        "mars_at_launch": (rot @ eph.state("mars", tr.launch, center="sun")
                           .states.reshape(6)[:3]) / AU_KM,
        "earth_at_arrival": (rot @ eph.state("earth", tr.arrive, center="sun")
                             .states.reshape(6)[:3]) / AU_KM,
    }


def ecliptic_figure(arc: dict[str, Any], *, launch_utc: str, arrive_utc: str,
                    tof_days: float) -> Any:
    """The transfer in the ecliptic plane seen from the north (plotly): the Sun, Earth's and
    Mars's orbits, the arc, and both planets at launch and at arrival. ``arc`` is
    :func:`ecliptic_arc`'s dict; the dates label the marks."""
    import plotly.graph_objects as go

    from areo.io.figures import LAYOUT

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", name="Sun",
                             marker={"size": 16, "color": "#f2c12e"},
                             hovertemplate="Sun<extra></extra>"))
    for key, name, colour in (("earth", "Earth orbit", "#2a6fdb"),
                              ("mars", "Mars orbit", "#c1440e")):
        xyz = np.asarray(arc[key]["xyz"])
        fig.add_trace(go.Scatter(x=xyz[:, 0], y=xyz[:, 1], mode="lines", name=name,
                                 line={"color": colour, "width": 1}, hoverinfo="skip"))
    t = np.asarray(arc["transfer"])
    r = np.linalg.norm(t, axis=1)
    fig.add_trace(go.Scatter(
        x=t[:, 0], y=t[:, 1], mode="lines", name=f"transfer ({tof_days:.0f} d)",
        line={"color": "black", "width": 2.5}, customdata=r,
        hovertemplate="x %{x:.3f} AU<br>y %{y:.3f} AU<br>r %{customdata:.3f} AU<extra>"
                      "transfer</extra>"))
    # date ticks every 30 days along the arc (its 400 points are uniform in time) and the
    # direction of flight at its middle
    n = len(t)
    if n > 1 and tof_days > 0:
        days = np.linspace(0.0, tof_days, n)
        k = np.searchsorted(days, np.arange(30.0, tof_days - 15.0, 30.0))
        start = Time(launch_utc)
        when = [str(x)[:10] for x in np.atleast_1d(
            Time.from_et(float(start.et) + days[k] * 86400.0).utc_iso(0))] if k.size else []
        fig.add_trace(go.Scatter(
            x=t[k, 0], y=t[k, 1], mode="markers+text", name="every 30 days",
            marker={"size": 5, "color": "black"}, text=when, textposition="top center",
            textfont={"size": 9, "color": "#444"},
            hovertemplate="%{text}<extra>transfer</extra>"))
        m = n // 2
        fig.add_annotation(x=t[m + 1, 0], y=t[m + 1, 1], ax=t[m - 1, 0], ay=t[m - 1, 1],
                           xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=3, arrowsize=1.6, arrowcolor="black", text="")
    marks = [
        (arc["earth"]["mark"], "Earth at launch " + launch_utc[:10], "#2a6fdb", "circle"),
        (arc["mars"]["mark"], "Mars at arrival " + arrive_utc[:10], "#c1440e", "circle"),
        (arc["mars_at_launch"], "Mars at launch", "#c1440e", "circle-open"),
        (arc["earth_at_arrival"], "Earth at arrival", "#2a6fdb", "circle-open"),
    ]
    for xyz, name, colour, symbol in marks:
        fig.add_trace(go.Scatter(x=[xyz[0]], y=[xyz[1]], mode="markers", name=name,
                                 marker={"size": 11, "color": colour, "symbol": symbol,
                                         "line": {"width": 2, "color": colour}},
                                 hovertemplate=f"{name}<extra></extra>"))
    # axes fitted to what is drawn: the arc and both orbits, with a small margin
    drawn = np.concatenate([t[:, :2], np.asarray(arc["earth"]["xyz"])[:, :2],
                            np.asarray(arc["mars"]["xyz"])[:, :2]])
    reach = 1.08 * float(np.max(np.abs(drawn)))
    fig.update_layout(
        **LAYOUT, height=600,
        title={"text": "The transfer in the ecliptic plane (ECLIPJ2000, seen from the north)"},
        xaxis={"title": "x (AU, towards the vernal equinox)", "zeroline": False,
               "range": [-reach, reach]},
        yaxis={"title": "y (AU)", "scaleanchor": "x", "scaleratio": 1, "zeroline": False,
               "range": [-reach, reach]},
        legend={"orientation": "v", "x": 1.02, "y": 1},
    )
    return fig
