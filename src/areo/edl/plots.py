"""Figures of EDL results (plotly): the landing ellipse on the target's map, a flight's
altitude-speed profile with its events."""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.edl import _kernels as K
from areo.edl.ellipse import to_local

__all__ = ["ellipse_figure", "flight_figure"]

_MAX_POINTS = 5000


def ellipse_figure(mc: Any) -> Any:
    """Landing points (east/north km from the target), the ellipse (and its margined
    outline when a margin is set), the target and the hardware of the nominal run."""
    import plotly.graph_objects as go

    from areo.io.figures import label

    e, n = mc.local_km()
    ok = mc.reached_ground
    fig = go.Figure()
    idx = np.nonzero(ok)[0][:_MAX_POINTS]
    fig.add_trace(go.Scattergl(x=e[idx], y=n[idx], mode="markers", name="landings",
                               marker={"size": 3, "color": "#1f77b4", "opacity": 0.5}))
    bad = np.nonzero(mc.status == K.S_HARD)[0][:_MAX_POINTS]
    if bad.size:
        fig.add_trace(go.Scattergl(x=e[bad], y=n[bad], mode="markers", name="hard impacts",
                                   marker={"size": 5, "color": "#d62728", "symbol": "x"}))
    ell = mc._ellipse_or_none()
    if ell is not None:
        x, y = ell.outline()
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=label(
            f"{ell.probability:.0%} ellipse {ell.major_km:.1f} x {ell.minor_km:.1f} km"),
            line={"color": "#ff7f0e", "width": 2}))
    if ell is not None and (ell.margin_km > 0 or ell.margin_factor != 1.0):
        x, y = ell.outline(margined=True)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name="margined",
                                 line={"color": "#ff7f0e", "dash": "dash"}))
    t = mc.entry.target
    fig.add_trace(go.Scatter(x=[0.0], y=[0.0], mode="markers", name=label(f"target {t.name}"),
                             marker={"size": 12, "symbol": "cross", "color": "black"}))
    for h in mc.hardware():
        if h["count"]:
            hx, hy = to_local(h["nominal_lat_deg"], h["nominal_lon_east_deg"], t.lat_deg,
                              t.lon_east_deg)
            fig.add_trace(go.Scatter(x=[float(hx)], y=[float(hy)], mode="markers+text",
                                     name=label(h["name"]), text=[label(h["name"])],
                                     textposition="top center", marker={"size": 8}))
    fig.update_layout(title=label(repr(mc)), xaxis_title="east of target, km",
                      yaxis_title="north of target, km", template="plotly_white",
                      yaxis={"scaleanchor": "x", "scaleratio": 1})
    return fig


def flight_figure(hist: np.ndarray, events: list[tuple[str, float, float]], title: str,
                  extra: list[tuple[str, np.ndarray, list[tuple[str, float, float]]]]
                  | None = None) -> Any:
    """Altitude (km above ground) against air speed (m/s), with the events marked;
    ``extra`` adds other flights (name, history, events) for comparison."""
    import plotly.graph_objects as go

    from areo.io.figures import label

    fig = go.Figure()
    for name, h, evs in [("flight", hist, events), *(extra or [])]:
        fig.add_trace(go.Scatter(x=h[:, K.H_SPEED], y=h[:, K.H_ALT], mode="lines",
                                 name=label(name)))
        if evs:
            fig.add_trace(go.Scatter(x=[e[2] for e in evs], y=[e[1] for e in evs],
                                     mode="markers+text", text=[label(e[0]) for e in evs],
                                     textposition="middle right", name=label(f"{name} events"),
                                     marker={"size": 8}))
    fig.update_layout(title=label(title), xaxis_title="air speed, m/s",
                      yaxis_title="altitude above ground, km", template="plotly_white")
    return fig
