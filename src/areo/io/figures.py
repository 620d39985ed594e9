"""The building blocks of areo's plotly figures, shared by every layer's ``plots``.

Every result's ``.plot()`` and the mission report draw with these: one look (:data:`LAYOUT`),
one way to put TDB epochs on a date axis (:func:`utc_axis`), a timeline of windows drawn
from a result's own ``to_frame()`` (:func:`timeline_figure`), curves over time
(:func:`series_figure`) and :func:`show_or_save`.

Text that reaches a figure goes through :func:`label` (plotly reads names, labels and hover
texts as a subset of HTML, and names come from catalogs and scenarios). Only SVG trace
types are used (no WebGL), so a page renders in any browser, headless or without a GPU.

>>> from areo import events
>>> w = events.Windows.from_utc([("2030-01-01T00:00Z", "2030-01-01T06:00Z")])
>>> fig = timeline_figure(w.to_frame(), title="one window")
>>> len(fig.data)
1
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "LAYOUT",
    "PALETTE",
    "add_basemap",
    "color",
    "label",
    "position_figure",
    "series_figure",
    "show_or_save",
    "timeline_figure",
    "utc_axis",
]

#: Colours of named things (orbiters, stations, bodies) in order of appearance.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2")
#: The common layout of areo's figures.
LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "margin": {"l": 70, "r": 30, "t": 50, "b": 55},
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
    "hoverlabel": {"namelength": -1},
}


def label(text: Any) -> str:
    """``text`` escaped for a plotly label, name or hover text."""
    return html.escape(str(text))


def add_basemap(fig: Any, body: str = "mars") -> Any:
    """Draw the catalog's basemap of ``body`` (:func:`areo.catalog.basemap`) under a
    latitude / east-longitude plotly map whose x axis runs over the basemap's longitudes,
    with its credit line under the plot. Returns ``fig``."""
    from areo.catalog import basemap

    bm = basemap(body)
    west, east, south, north = bm.extent
    fig.add_layout_image(source=bm.data_uri(), xref="x", yref="y", x=west, y=north,
                         sizex=east - west, sizey=north - south, sizing="stretch",
                         layer="below", opacity=0.85)
    fig.add_annotation(text=label(bm.credit), xref="paper", yref="paper", x=1.0, y=-0.13,
                       xanchor="right", yanchor="top", showarrow=False,
                       font={"size": 9, "color": "#777"})
    return fig


def color(name: str, order: Sequence[str]) -> str:
    """The colour of ``name`` among ``order`` (stable for the same order)."""
    k = list(order).index(name) if name in order else len(order)
    return PALETTE[k % len(PALETTE)]


def utc_axis(et: Any) -> list[str]:
    """ISO UTC strings (no zone suffix, as plotly's date axes want) for TDB seconds."""
    from areo.time import Time

    et = np.atleast_1d(np.asarray(et, dtype=float))
    if et.size == 0:
        return []
    return [str(s)[:23] for s in np.atleast_1d(Time.from_et(et).utc_iso(3))]


def _frame_times(column: Any) -> list[str]:
    """A contract frame's ``datetime64[ns, UTC]`` column as plotly date strings."""
    import pandas as pd

    values = pd.to_datetime(pd.Series(column), utc=True).dt.round("ms")
    return [("" if pd.isna(v) else v.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23]) for v in values]


def timeline_figure(frame: Any, *, start: str = "start_utc", end: str = "end_utc",
                    row: str | None = None, title: str = "", hover: Sequence[str] = (),
                    mark: str | None = None) -> Any:
    """Windows as horizontal bars on a UTC axis, from a result's ``to_frame()``.

    ``start``/``end``: the frame's time columns; ``row``: a column naming each bar's row
    (one row when None); ``hover``: further columns shown on hover; ``mark``: a time column
    drawn as a diamond on each bar (a pass's culmination, a window's best time).
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    rows = ([str(v) for v in frame[row]] if row is not None and len(frame)
            else ["windows"] * len(frame))
    order = list(dict.fromkeys(rows))
    t0, t1 = _frame_times(frame[start]), _frame_times(frame[end])
    dur_ms = ((frame[end] - frame[start]).dt.total_seconds().to_numpy() * 1000.0
              if len(frame) else np.zeros(0))
    for name in order or ["windows"]:
        idx = [i for i, r in enumerate(rows) if r == name]
        text = []
        for i in idx:
            extra = "".join(f"<br>{label(c)}: {label(_fmt(frame[c].iloc[i]))}" for c in hover)
            text.append(f"{t0[i][:19]} to {t1[i][:19]} UTC "
                        f"({dur_ms[i] / 60000.0:.1f} min){extra}")
        fig.add_trace(go.Bar(
            x=[float(dur_ms[i]) for i in idx], base=[t0[i] for i in idx],
            y=[label(name)] * len(idx), orientation="h", name=label(name),
            marker={"color": color(name, order), "line": {"width": 0}},
            text=text, textposition="none", hovertemplate="%{text}<extra></extra>",
            width=0.6))
    if mark is not None and len(frame):
        at = _frame_times(frame[mark])
        keep = [i for i in range(len(frame)) if at[i]]
        fig.add_trace(go.Scatter(
            x=[at[i] for i in keep], y=[label(rows[i]) for i in keep], mode="markers",
            name=label(mark.removesuffix("_utc")), marker={"symbol": "diamond", "size": 9,
                                                           "color": "#222"},
            hovertemplate=f"{label(mark)} %{{x}}<extra></extra>"))
    fig.update_layout(**LAYOUT, height=140 + 40 * max(1, len(order)), barmode="overlay",
                      title={"text": label(title)}, xaxis={"type": "date", "title": "UTC"},
                      yaxis={"autorange": "reversed"}, showlegend=len(order) > 1)
    return fig


def series_figure(x: Sequence[Any] | np.ndarray, columns: dict[str, Any], *, title: str = "",
                  y_title: str = "", x_title: str = "UTC", mode: str = "lines") -> Any:
    """Curves ``columns`` (``{name: values}``) over ``x`` (UTC strings from
    :func:`utc_axis` or a contract frame's time column, or plain numbers)."""
    import plotly.graph_objects as go

    if len(x) and not isinstance(x[0], str) and np.issubdtype(np.asarray(x).dtype,
                                                               np.datetime64):
        x = _frame_times(x)
    elif hasattr(x, "dt"):
        x = _frame_times(x)
    fig = go.Figure()
    for k, (name, y) in enumerate(columns.items()):
        fig.add_trace(go.Scatter(x=list(x), y=np.asarray(y, dtype=float), mode=mode,
                                 name=label(name), line={"color": PALETTE[k % len(PALETTE)]},
                                 marker={"color": PALETTE[k % len(PALETTE)]}))
    fig.update_layout(**LAYOUT, height=420, title={"text": label(title)},
                      xaxis={"title": x_title, **({"type": "date"} if x_title == "UTC"
                                                  else {})},
                      yaxis={"title": label(y_title)}, showlegend=len(columns) > 1)
    return fig


def position_figure(frame: Any, title: str = "") -> Any:
    """A state table's position components ``x_km``, ``y_km``, ``z_km`` over its ``utc``
    column (a trajectory, a numerical propagation)."""
    return series_figure(frame["utc"], {c: frame[c] for c in ("x_km", "y_km", "z_km")},
                         title=title, y_title="position (km)")


def show_or_save(fig: Any, path: str | Path | None) -> Any:
    """Write ``fig`` to ``path`` when given (see :func:`areo._files.save_figure`); return it."""
    if path is not None:
        from areo._files import save_figure

        save_figure(fig, path)
    return fig


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
