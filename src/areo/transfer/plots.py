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

__all__ = ["Mark", "plot_porkchop", "porkchop_figure_html"]

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


def plot_porkchop(
    pc: Porkchop,
    path: str | Path | None = None,
    *,
    marks: Sequence[Mark] = (),
    c3_max: float = 40.0,
    title: str | None = None,
    dpi: int = 150,
) -> Any:
    """Draw ``pc`` with matplotlib; save to ``path`` (.png, .pdf, .svg) when given, or
    to interactive HTML via plotly when ``path`` ends in .html. Returns the figure."""
    if path is not None and str(path).lower().endswith(".html"):
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
    for launch, arrive, label in marks:
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


def porkchop_figure_html(
    pc: Porkchop,
    path: str | Path | None = None,
    *,
    marks: Sequence[Mark] = (),
    c3_max: float = 40.0,
    title: str | None = None,
) -> Any:
    """Interactive plotly figure (hover shows C3, v-inf, TOF); written to ``path`` when
    given (self-contained HTML with plotly.js inlined). Returns the figure."""
    _check_grid(pc)
    import plotly.graph_objects as go

    assert pc.arrive is not None
    xl = [str(s)[:19] for s in pc.launch.utc_iso(decimals=0)]
    ya = [str(s)[:19] for s in pc.arrive.utc_iso(decimals=0)]
    c3 = np.where(pc.c3_km2s2 <= c3_max, pc.c3_km2s2, np.nan).T
    fig = go.Figure()
    fig.add_trace(go.Contour(
        x=xl, y=ya, z=c3, colorscale="Viridis", reversescale=True, name="C3",
        colorbar={"title": "C3 (km²/s²)"}, contours={"showlabels": True},
        customdata=np.dstack([pc.vinf_arrive_kms.T, pc.tof_days.T]),
        hovertemplate=("launch %{x}<br>arrive %{y}<br>C3 %{z:.2f} km²/s²<br>v∞ arrive "
                       "%{customdata[0]:.2f} km/s<br>TOF %{customdata[1]:.0f} d<extra></extra>"),
    ))
    fig.add_trace(go.Contour(
        x=xl, y=ya, z=pc.vinf_arrive_kms.T, showscale=False, name="v∞ arrive",
        contours={"coloring": "lines", "showlabels": True, "start": 2, "end": 8, "size": 0.5},
        line={"color": "red", "width": 1}, hoverinfo="skip",
    ))
    i, j = pc.argmin("c3")
    fig.add_trace(go.Scatter(x=[xl[i]], y=[ya[j]], mode="markers", name="min C3",
                             marker={"symbol": "star", "size": 16, "color": "gold"}))
    for launch, arrive, label in marks:
        fig.add_trace(go.Scatter(
            x=[str(Time(launch).utc_iso(decimals=0))[:19]],
            y=[str(Time(arrive).utc_iso(decimals=0))[:19]], mode="markers+text",
            text=[html.escape(str(label))], textposition="top right",
            name=html.escape(str(label)), marker={"size": 10, "color": "orange"},
        ))
    # plotly reads labels and titles as a subset of HTML: user text goes in escaped
    fig.update_layout(title=html.escape(title) if title else "Earth → Mars porkchop (DE440)",
                      xaxis_title="launch date (UTC)", yaxis_title="arrival date (UTC)")
    if path is not None:
        from areo._files import atomic_path

        with atomic_path(path) as tmp:
            fig.write_html(str(tmp), include_plotlyjs=True)
    return fig
