"""The mission report: one self-contained HTML page with interactive plots and key figures.

plotly.js is inlined once from the installed ``plotly`` package (nothing is fetched from a
network); each figure is a ``<div>`` drawn by it. The page holds the porkchop with the
chosen transfer, the transfer in the ecliptic, each orbiter's ground track over one sol with
the sites, a Gantt of the first week of relay passes and Earth contacts, the relay volume
and latency per sol, the rover campaign's Gantt and sample depths, the battery state of
charge over the mission, and tables of the key figures with their units.

Only SVG trace types are used (no WebGL), so the page renders in any browser, headless or
without a GPU.
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["build_figures", "render_html", "write_report"]

_ORBITER_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"]
_PHASE_COLORS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
                 "#eeca3b", "#9d755d", "#bab0ac", "#ff9da6"]
_LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 70, "r": 30, "t": 50, "b": 55},
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
    "hoverlabel": {"namelength": -1},
}
_CONFIG = {"displaylogo": False, "responsive": True,
           "toImageButtonOptions": {"format": "png", "scale": 2}}


def _iso(et: Any) -> list[str]:
    """ISO UTC strings (no zone suffix, as plotly's date axes want) for TDB seconds."""
    from areo.time import Time

    return [str(s)[:19] for s in np.atleast_1d(Time.from_et(np.asarray(et, dtype=float))
                                               .utc_iso(0))]


def _short(name: str) -> str:
    """An orbiter's label: short names upper-case (TGO, MEX)."""
    return name.upper() if len(name) <= 5 else name


def _upper(name: str) -> str:
    """:func:`_short`, escaped for figures: plotly reads its text as a subset of HTML, and
    names come from scenarios."""
    return html.escape(_short(name))


def _color(name: str, order: list[str]) -> str:
    k = order.index(name) if name in order else len(order)
    return _ORBITER_COLORS[k % len(_ORBITER_COLORS)]


# ============================================================================ figures
def porkchop_figure(transfer: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

    pc = transfer["porkchop"]
    chosen = transfer["chosen"]
    c3 = np.asarray(pc["c3_km2s2"], dtype=float)
    vinf = np.asarray(pc["vinf_arrive_kms"], dtype=float)
    tof = np.asarray(pc["tof_days"], dtype=float)
    lo = float(np.nanmin(c3)) if np.isfinite(c3).any() else 0.0
    cap = max(lo + 30.0, min(lo * 3.0, 100.0))
    z = np.where(c3 <= cap, c3, np.nan).T
    x = _iso(pc["launch_et"])
    y = _iso(pc["arrive_et"])
    fig = go.Figure()
    fig.add_trace(go.Contour(
        x=x, y=y, z=z.astype(np.float32), colorscale="Viridis", reversescale=True,
        name="C3", ncontours=18, colorbar={"title": {"text": "C3 (km²/s²)"}},
        contours={"showlabels": True, "labelfont": {"size": 9, "color": "white"}},
        customdata=np.dstack([vinf.T, tof.T]).astype(np.float32),
        hovertemplate=("launch %{x|%Y-%m-%d}<br>arrive %{y|%Y-%m-%d}<br>C3 %{z:.2f} km²/s²"
                       "<br>v∞ arrival %{customdata[0]:.2f} km/s<br>time of flight "
                       "%{customdata[1]:.0f} d<extra></extra>"),
    ))
    vv = np.where(np.isfinite(vinf), vinf, np.nan).T
    if np.isfinite(vv).any():
        v0, v1 = float(np.nanmin(vv)), float(np.nanpercentile(vv, 80))
        step = 0.5 if v1 - v0 > 2 else 0.25
        fig.add_trace(go.Contour(
            x=x, y=y, z=vv.astype(np.float32), showscale=False, name="v∞ arrival (km/s)",
            colorscale=[[0.0, "#b22222"], [1.0, "#b22222"]],
            contours={"coloring": "lines", "showlabels": True,
                      "start": math.floor(v0 / step) * step, "end": v1, "size": step,
                      "labelfont": {"size": 9, "color": "#b22222"}},
            line={"color": "#b22222", "width": 1, "dash": "dot"}, hoverinfo="skip",
            showlegend=True,
        ))
    label = "pinned transfer" if chosen.get("pinned") else f"chosen (min {pc['objective']})"
    fig.add_trace(go.Scatter(
        x=[chosen["launch"][:19].replace("Z", "")], y=[chosen["arrive"][:19].replace("Z", "")],
        mode="markers", name=label,
        marker={"symbol": "star", "size": 18, "color": "gold",
                "line": {"color": "black", "width": 1}},
        hovertemplate=(f"{label}<br>launch %{{x}}<br>arrive %{{y}}<br>C3 "
                       f"{chosen['c3_km2s2']:.3f} km²/s²<br>DLA {chosen['dla_deg']:.2f}°"
                       f"<br>v∞ arrival {chosen['vinf_arrive_kms']:.3f} km/s<extra></extra>"),
    ))
    fig.update_layout(
        **_LAYOUT, height=520,
        title={"text": f"Porkchop (DE440 Lambert arcs, ≤ {pc['max_revs']} rev): launch "
                       "energy C3, arrival v∞"},
        xaxis_title="launch date (UTC)", yaxis_title="arrival date (UTC)",
        legend={"orientation": "h", "y": -0.18},
    )
    return fig


def ecliptic_figure(transfer: dict[str, Any]) -> Any:
    import plotly.graph_objects as go

    arc = transfer["arc"]
    chosen = transfer["chosen"]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", name="Sun",
                             marker={"size": 16, "color": "#f2c12e"},
                             hovertemplate="Sun<extra></extra>"))
    for key, name, color in (("earth", "Earth orbit", "#2a6fdb"),
                             ("mars", "Mars orbit", "#c1440e")):
        xyz = np.asarray(arc[key]["xyz"])
        fig.add_trace(go.Scatter(x=xyz[:, 0], y=xyz[:, 1], mode="lines", name=name,
                                 line={"color": color, "width": 1}, hoverinfo="skip"))
    t = np.asarray(arc["transfer"])
    r = np.linalg.norm(t, axis=1)
    fig.add_trace(go.Scatter(
        x=t[:, 0], y=t[:, 1], mode="lines", name=f"transfer ({chosen['tof_days']:.0f} d)",
        line={"color": "black", "width": 2.5}, customdata=r,
        hovertemplate="x %{x:.3f} AU<br>y %{y:.3f} AU<br>r %{customdata:.3f} AU<extra>"
                      "transfer</extra>"))
    marks = [
        (arc["earth"]["mark"], "Earth at launch " + chosen["launch"][:10], "#2a6fdb",
         "circle"),
        (arc["mars"]["mark"], "Mars at arrival " + chosen["arrive"][:10], "#c1440e",
         "circle"),
        (arc["mars_at_launch"], "Mars at launch", "#c1440e", "circle-open"),
        (arc["earth_at_arrival"], "Earth at arrival", "#2a6fdb", "circle-open"),
    ]
    for xyz, name, color, symbol in marks:
        fig.add_trace(go.Scatter(x=[xyz[0]], y=[xyz[1]], mode="markers", name=name,
                                 marker={"size": 11, "color": color, "symbol": symbol,
                                         "line": {"width": 2, "color": color}},
                                 hovertemplate=f"{name}<extra></extra>"))
    fig.update_layout(
        **_LAYOUT, height=560,
        title={"text": "The transfer in the ecliptic plane (ECLIPJ2000, seen from the north)"},
        xaxis={"title": "x (AU, towards the vernal equinox)", "zeroline": False},
        yaxis={"title": "y (AU)", "scaleanchor": "x", "scaleratio": 1, "zeroline": False},
        legend={"orientation": "v", "x": 1.02, "y": 1},
    )
    return fig


def groundtrack_figure(orbiters: list[dict[str, Any]], site: Any, clock: Any) -> Any:
    import plotly.graph_objects as go

    from areo import catalog

    order = [o["name"] for o in orbiters]
    fig = go.Figure()
    for o in orbiters:
        lon = np.asarray(o["gt_lon_east_deg"], dtype=float)
        lat = np.asarray(o["gt_lat_deg"], dtype=float)
        jump = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0] + 1
        lon = np.insert(lon, jump, np.nan)
        lat = np.insert(lat, jump, np.nan)
        times = np.insert(np.asarray(_iso(o["gt_et"]), dtype=object), jump, "")
        fig.add_trace(go.Scatter(
            x=lon, y=lat, mode="lines", name=f"{_upper(o['name'])} (T = "
            f"{o['period_s'] / 3600:.2f} h)", connectgaps=False,
            line={"color": _color(o["name"], order), "width": 1.4},
            customdata=times,
            hovertemplate="%{customdata} UTC<br>%{y:.2f}° N, %{x:.2f}° E<extra>"
                          f"{_upper(o['name'])}</extra>"))
    others = [s for s in catalog.sites() if s.key != site.key]
    fig.add_trace(go.Scatter(
        x=[s.lon_east_deg for s in others], y=[s.lat_deg for s in others],
        mode="markers+text", text=[html.escape(s.key.replace("_", " ")) for s in others],
        textposition="top center", textfont={"size": 10, "color": "#555"},
        name="other catalog sites", marker={"size": 7, "color": "#777"},
        hovertemplate="%{text}: %{y:.2f}° N, %{x:.2f}° E<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[site.lon_east_deg], y=[site.lat_deg], mode="markers+text",
        text=[html.escape(site.name.split(" (")[0])],
        name=f"landing site: {html.escape(site.name)}",
        textposition="bottom left" if site.lon_east_deg > 300 else (
            "bottom right" if site.lon_east_deg < 60 else "bottom center"),
        marker={"size": 16, "symbol": "star", "color": "gold",
                "line": {"color": "black", "width": 1}},
        hovertemplate=f"{html.escape(site.name)}<br>%{{y:.3f}}° N, %{{x:.3f}}° E"
                      "<extra></extra>"))
    sol0 = _iso(clock.time_of(1).et)[0]
    fig.update_layout(
        **_LAYOUT, height=500,
        title={"text": f"Ground tracks over mission sol 1 (from {sol0} UTC), planetocentric"},
        xaxis={"title": "east longitude (°)", "range": [0, 360], "dtick": 30},
        yaxis={"title": "latitude (°)", "range": [-90, 90], "dtick": 30},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def _bars(fig: Any, starts: np.ndarray, ends: np.ndarray, row: str, color: str, name: str,
          hover: list[str], min_ms: float = 0.0, opacity: float = 1.0,
          legend: bool = True) -> None:
    import plotly.graph_objects as go

    if len(starts) == 0:
        fig.add_trace(go.Bar(x=[0], base=[_iso([0.0])[0]], y=[row], orientation="h",
                             visible="legendonly", name=name, showlegend=False))
        return
    dur_ms = np.maximum((np.asarray(ends) - np.asarray(starts)) * 1000.0, min_ms)
    fig.add_trace(go.Bar(
        x=dur_ms, base=_iso(starts), y=[row] * len(starts), orientation="h", name=name,
        marker={"color": color, "opacity": opacity, "line": {"width": 0}},
        text=hover, hovertemplate="%{text}<extra></extra>", textposition="none",
        showlegend=legend, width=0.6,
    ))


def week_gantt_figure(relay: dict[str, Any], site: Any) -> Any:
    import plotly.graph_objects as go

    plan = relay["plan"]
    t0 = relay["start_et"]
    t1 = t0 + 7 * 86400.0
    fig = go.Figure()
    light = relay["daylight_week"]
    mask = (light.ends > t0) & (light.starts < t1)
    _bars(fig, np.maximum(light.starts[mask], t0), np.minimum(light.ends[mask], t1),
          f"Sun up at {html.escape(site.name.split(' (')[0])}", "#f6d55c", "daylight at the site",
          [f"daylight {a[11:16]}–{b[11:16]} UTC" for a, b in
           zip(_iso(light.starts[mask]), _iso(light.ends[mask]), strict=True)])
    names = list(plan.contacts)
    for name in names:
        color = _color(name, names)
        rows = [r for r in plan.rows if r["orbiter"] == name and r["aos_et"] < t1]
        used = [r for r in rows if r["share"] > 0]
        unused = [r for r in rows if r["share"] <= 0]
        label = f"{_upper(name)} passes"
        for group, op, nm in ((used, 1.0, f"{_upper(name)} relay pass (used)"),
                              (unused, 0.35, f"{_upper(name)} pass (not used)")):
            if not group:
                continue
            _bars(fig, np.array([r["aos_et"] for r in group]),
                  np.array([r["los_et"] for r in group]), label, color, nm,
                  [f"{_upper(name)} sol {r['sol']}: {r['aos'][11:16]}–{r['los'][11:16]} UTC, "
                   f"max el {r['max_elev_deg']:.0f}°, {r['volume_mbit'] * r['share']:.0f} "
                   f"Mbit, latency {r['latency_s'] / 60:.0f} min" for r in group],
                  min_ms=4 * 60e3, opacity=op)
        win = plan.contacts[name]
        sel = (win.ends > t0) & (win.starts < t1)
        a, b = np.maximum(win.starts[sel], t0), np.minimum(win.ends[sel], t1)
        _bars(fig, a, b, f"{_upper(name)} Earth contacts", color,
              f"{_upper(name)} Earth contact",
              [f"{_upper(name)} to Earth {x[5:16]}–{y[5:16]} UTC ({(q - p) / 3600:.1f} h)"
               for x, y, p, q in zip(_iso(a), _iso(b), a, b, strict=True)], opacity=0.55)
    layout = {**_LAYOUT, "margin": {**_LAYOUT["margin"], "t": 95}}
    fig.update_layout(
        **layout, height=160 + 55 * (1 + 2 * len(names)), barmode="overlay",
        title={"text": "First week after landing (UTC): relay passes over the site and Earth "
                       "contacts of each orbiter"},
        xaxis={"type": "date", "range": _iso([t0, t1])},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left",
                "x": 0.0},
    )
    return fig


def per_sol_figure(per_sol: list[dict[str, Any]], campaign: dict[str, Any] | None,
                   order: list[str]) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(specs=[[{"secondary_y": True}]])
    sols = [r["sol"] for r in per_sol]
    present = {k.removeprefix("relay_mbit_") for r in per_sol for k in r
               if k.startswith("relay_mbit_")}
    for o in [n for n in order if n in present]:
        fig.add_trace(go.Bar(
            x=sols, y=[r[f"relay_mbit_{o}"] for r in per_sol],
            name=f"relayed through {_upper(o)} (Mbit)",
            marker={"color": _color(o, order)},
            hovertemplate="sol %{x}: %{y:.0f} Mbit<extra>" + _upper(o) + "</extra>"),
            secondary_y=False)
    if campaign is not None:
        sols_c = [s.get("sol") for s in campaign["dict"].get("sols", [])]
        ret = [s.get("data_returned_mbit") for s in campaign["dict"].get("sols", [])]
        if sols_c:
            fig.add_trace(go.Scatter(
                x=sols_c, y=ret, mode="lines", name="rover data returned (Mbit)",
                line={"color": "#222", "width": 1.5},
                hovertemplate="sol %{x}: rover returned %{y:.0f} Mbit<extra></extra>"),
                secondary_y=False)
    lat = [None if r["latency_s_median"] is None else r["latency_s_median"] / 60.0
           for r in per_sol]
    fig.add_trace(go.Scatter(
        x=sols, y=lat, mode="markers", name="median latency (min)",
        marker={"color": "#e4572e", "size": 5, "symbol": "diamond"},
        hovertemplate="sol %{x}: median latency %{y:.1f} min<extra></extra>"),
        secondary_y=True)
    fig.update_layout(**_LAYOUT, height=460, barmode="stack",
                      title={"text": "Relay per mission sol: data volume and end-to-end "
                                     "latency (pass end to arrival on Earth)"},
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)")
    fig.update_yaxes(title_text="data volume (Mbit)", secondary_y=False)
    # log scale: minutes on ordinary sols, days behind a solar conjunction
    ticks = [(1, "1 min"), (3, "3 min"), (10, "10 min"), (30, "30 min"), (60, "1 h"),
             (180, "3 h"), (720, "12 h"), (1440, "1 day"), (4320, "3 days"),
             (10080, "1 week"), (20160, "2 weeks"), (43200, "30 days")]
    fig.update_yaxes(title_text="latency (log scale)", secondary_y=True, type="log",
                     showgrid=False, tickmode="array", tickvals=[t for t, _ in ticks],
                     ticktext=[x for _, x in ticks])
    return fig


_ACTIVITY_ROWS = {
    "drive": "drive", "egress": "drive", "drill": "drill", "sample_delivery": "sample delivery",
    "crushing": "crushing", "micromega": "MicrOmega", "rls": "RLS", "moma_ldms": "MOMA LDMS",
    "moma_gcms": "MOMA GC-MS", "moma_gcms_blank": "MOMA GC-MS", "pancam": "PanCam",
    "wisdom": "WISDOM", "clupi": "CLUPI", "relay_session": "UHF relay", "relay": "UHF relay",
}


def _activity_row(name: str) -> str:
    """One Gantt row per kind of activity (instrument, drill, drive, relay)."""
    key = name.strip().lower()
    for prefix, row in _ACTIVITY_ROWS.items():
        if key == prefix or key.startswith(prefix + "_"):
            return row
    return key.replace("_", " ") or "activity"


def campaign_figure(campaign: dict[str, Any]) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    data = campaign["dict"]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28],
                        vertical_spacing=0.06)
    by_phase: dict[str, list[dict[str, Any]]] = {}
    order: list[str] = []
    for s in data.get("sols", []):
        for a in s.get("activities", []):
            row = {**a, "sol": s.get("sol"),
                   "row": html.escape(_activity_row(str(a.get("name", ""))))}
            by_phase.setdefault(str(a.get("phase") or "activity"), []).append(row)
            if row["row"] not in order:
                order.append(row["row"])
    for k, (phase, acts) in enumerate(by_phase.items()):
        base = [a["sol"] + float(a["start_lmst_h"]) / 24.0 for a in acts]
        width = [max((float(a["end_lmst_h"]) - float(a["start_lmst_h"])) / 24.0, 0.02)
                 for a in acts]
        text = [f"sol {a['sol']} {a['start_lmst_h']:05.2f}–{a['end_lmst_h']:05.2f} h LMST: "
                f"{html.escape(str(a.get('label') or a.get('name')))}<br>"
                f"{float(a.get('energy_wh') or 0):.0f} Wh, "
                f"{float(a.get('data_mbit') or 0):.0f} Mbit" for a in acts]
        fig.add_trace(go.Bar(
            x=width, base=base, y=[a["row"] for a in acts],
            orientation="h", name=html.escape(phase), text=text, textposition="none",
            hovertemplate="%{text}<extra>" + html.escape(phase) + "</extra>",
            marker={"color": _PHASE_COLORS[k % len(_PHASE_COLORS)], "line": {"width": 0}},
        ), row=1, col=1)
    samples = data.get("samples", [])
    if samples:
        fig.add_trace(go.Scatter(
            x=[s["sol"] for s in samples], y=[s["depth_m"] for s in samples],
            mode="markers", name="samples (depth)",
            marker={"color": "#8c564b", "size": 8, "symbol": "triangle-down"},
            text=[html.escape(str(s.get("phase", ""))) for s in samples],
            hovertemplate="sol %{x}: sample from %{y:.2f} m (%{text})<extra></extra>"),
            row=2, col=1)
    fig.update_layout(**_LAYOUT, height=max(460, 160 + 26 * len(order)), barmode="overlay",
                      title={"text": "Rover campaign: activities per sol (bars span their "
                                     "LMST hours) and the samples"},
                      legend={"orientation": "h", "y": -0.12})
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), row=1, col=1)
    fig.update_yaxes(title_text="sample depth (m)", autorange="reversed", row=2, col=1)
    last = max([int(s.get("sol", 0)) for s in data.get("sols", [])] or [1])
    fig.update_xaxes(range=[-0.5, last + 1.5])
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)", row=2, col=1)
    return fig


def _minmax_indices(y: np.ndarray, max_points: int) -> np.ndarray:
    """Indices keeping the first, the minimum and the maximum of each of ~max_points/3
    consecutive bins (in time order): the curve is lighter but no extreme is lost."""
    n = y.size
    if n <= max_points:
        return np.arange(n)
    width = math.ceil(3 * n / max_points)
    nb = math.ceil(n / width)
    pad = np.full(nb * width, np.nan)
    pad[:n] = y
    blocks = pad.reshape(nb, width)
    base = np.arange(nb) * width
    lo = base + np.nanargmin(blocks, axis=1)
    hi = base + np.nanargmax(blocks, axis=1)
    return np.unique(np.concatenate([base, lo, hi, [n - 1]]))


def soc_figure(campaign: dict[str, Any], rover: Any) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    soc = campaign["soc"]
    x = np.asarray(soc["mission_sol"], dtype=float)
    y = np.asarray(soc["soc_pct"], dtype=float)
    keep = _minmax_indices(y, 20000)  # a light page that still shows every low and high
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=x[keep], y=y[keep], mode="lines",
                             name="battery state of charge (%)",
                             line={"color": "#2ca02c", "width": 1.2},
                             hovertemplate="sol %{x:.2f}: %{y:.1f} %<extra></extra>"),
                  secondary_y=False)
    if "buffer_mbit" in soc:
        b = np.asarray(soc["buffer_mbit"], dtype=float)
        kb = _minmax_indices(b, 20000)
        fig.add_trace(go.Scatter(x=x[kb], y=b[kb], mode="lines",
                                 name="data buffer (Mbit)",
                                 line={"color": "#9467bd", "width": 1, "dash": "dot"},
                                 hovertemplate="sol %{x:.2f}: %{y:.0f} Mbit<extra></extra>"),
                      secondary_y=True)
    if rover is not None:
        fig.add_hline(y=100.0 * float(rover.min_soc), line={"color": "#d62728", "dash": "dash"},
                      annotation_text=f"floor {100 * rover.min_soc:.0f} %",
                      annotation_position="bottom right")
    fig.update_layout(**_LAYOUT, height=440,
                      title={"text": "Battery state of charge and data buffer over the mission"},
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)")
    fig.update_yaxes(title_text="state of charge (%)", range=[0, 100], secondary_y=False)
    fig.update_yaxes(title_text="buffer (Mbit)", secondary_y=True, showgrid=False,
                     rangemode="tozero")
    return fig


def build_figures(ctx: dict[str, Any], transfer: dict[str, Any],
                  orbiters: list[dict[str, Any]], relay: dict[str, Any],
                  campaign: dict[str, Any] | None) -> dict[str, Any]:
    """The report's plotly figures, by section id."""
    from areo.mission.pipeline import per_sol_relay

    figs = {
        "porkchop": porkchop_figure(transfer),
        "ecliptic": ecliptic_figure(transfer),
        "groundtrack": groundtrack_figure(orbiters, ctx["site"], ctx["clock"]),
        "week": week_gantt_figure(relay, ctx["site"]),
        "per-sol": per_sol_figure(per_sol_relay(relay, ctx), campaign,
                                  [o["name"] for o in orbiters]),
    }
    if campaign is not None:
        figs["campaign"] = campaign_figure(campaign)
        figs["soc"] = soc_figure(campaign, ctx.get("rover"))
    return figs


# ============================================================================ tables
def _fmt(v: Any, digits: int = 3) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "–"
        return f"{v:,.{digits}f}"
    return html.escape(str(v))


def _cell(v: Any, digits: int) -> str:
    value, digits = (v[0], v[1]) if isinstance(v, tuple) else (v, digits)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return f"<td class='{'num' if numeric else 'txt'}'>{_fmt(value, digits)}</td>"


def _table(title: str, rows: list[tuple[str, Any, str]], digits: int = 3) -> str:
    body = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th>{_cell(v, digits)}"
        f"<td class='unit'>{html.escape(u)}</td></tr>"
        for k, v, u in rows)
    return (f"<table class='kv'><caption>{html.escape(title)}</caption>"
            "<thead><tr><th>quantity</th><th>value</th><th>unit</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _utc(text: str | None) -> str:
    return "–" if not text else str(text)[:19].replace("T", " ")


def key_tables(summary: dict[str, Any], ctx: dict[str, Any]) -> str:
    la, ar, tr = summary["launch"], summary["arrival"], summary["transfer"]
    ins = ar["insertion"]
    cap = ar["capture_orbit"]
    land = summary["landing"]
    rel = summary["relay"]
    out = [
        _table("Launch and cruise", [
            ("launch", _utc(la["utc"]), "UTC"),
            ("launch energy C3", la["c3_km2s2"], "km²/s²"),
            ("declination of the launch asymptote (DLA)", (la["dla_deg"], 2), "deg"),
            ("right ascension of the asymptote (RLA)", (la["rla_deg"], 2), "deg"),
            ("departure delta-v from the parking orbit", la["dv_depart_kms"], "km/s"),
            ("parking orbit altitude", (la["parking_alt_km"], 0), "km"),
            ("time of flight", (tr["tof_days"], 1), "days"),
            ("transfer type (revolutions)", f"{tr['type']} ({tr['revs']})", ""),
            ("chosen for", "pinned dates" if tr["pinned"] else f"minimum {tr['objective']}",
             ""),
        ]),
        _table("Arrival and capture", [
            ("arrival", _utc(ar["utc"]), "UTC"),
            ("arrival v-infinity", ar["vinf_kms"], "km/s"),
            ("arrival declination (Mars equator)", (ar["declination_deg"], 2), "deg"),
            ("capture orbit", f"{cap['periapsis_alt_km']:.0f} × {cap['apoapsis_alt_km']:,.0f}",
             "km"),
            ("capture orbit period", (cap["period_hours"], 2), "h"),
            ("capture delta-v", ar["capture_dv_kms"], "km/s"),
            (f"direct insertion into {ins['final_alt_km']:.0f} km circular",
             ins["dv_direct_kms"], "km/s"),
            ("capture + propulsive descent", ins["dv_propulsive_kms"], "km/s"),
            ("capture + aerobraking", ins["dv_aerobraking_kms"], "km/s"),
        ]),
        _table("Landing", [
            ("landing", _utc(land["utc"]), "UTC"),
            ("site", land["site"]["name"], ""),
            ("latitude", (land["site"]["lat_deg"], 4), "deg N"),
            ("longitude", (land["site"]["lon_east_deg"], 4), "deg E"),
            ("Mars year / solar longitude Ls",
             f"MY {land['mars_year']}, Ls {land['ls_deg']:.1f}", "deg"),
            ("local mean solar time at landing", (land["lmst_hours"], 2), "h"),
            ("sol 0 began (local midnight)", _utc(land["sol0_midnight_utc"]), "UTC"),
        ]),
    ]
    orb_rows = []
    for o in summary["orbiters"]:
        orb_rows.append((f"{_short(o['name'])} period", (o["period_s"] / 3600.0, 3), "h"))
        orb_rows.append((f"{_short(o['name'])} pericentre × apocentre altitude",
                         f"{o['peri_alt_km']:,.0f} × {o['apo_alt_km']:,.0f}", "km"))
        orb_rows.append((f"{_short(o['name'])} inclination", (o["inc_deg"], 1), "deg"))
    out.append(_table("Orbiters", orb_rows))
    conj = rel["conjunctions"]
    relay_rows = [
        ("operations", f"sols 0–{rel['sols']}", "sols"),
        ("mean relay capacity per sol, passes used (sols 1 on)",
         (rel["mean_mbit_per_sol"], 0), "Mbit"),
        ("median latency, pass end to Earth", (None if rel["median_latency_s"] is None
                                                else rel["median_latency_s"] / 60.0, 1),
         "min"),
        ("relay passes used / found", f"{rel['passes_used']:,} / {rel['passes_found']:,}",
         ""),
        ("lander radio", rel["lander_radio"], ""),
        ("ground stations", ", ".join(rel["stations"]), ""),
    ]
    for name, c in rel["earth_contacts"].items():
        relay_rows.append((f"{_short(name)} Earth contact time", (c["hours_per_day"], 1),
                           "h/day"))
    relay_rows.append(("solar conjunctions (Sun-Earth-Mars < 3°)",
                       "none" if not conj else "; ".join(
                           f"{_utc(c['start'])[:10]} – {_utc(c['end'])[:10]} "
                           f"({c['days']:.0f} d)" for c in conj), ""))
    out.append(_table("Relay and Earth contacts", relay_rows))
    camp = summary.get("campaign")
    if camp:
        out.append(_table("Rover campaign", [
            ("rover", camp.get("rover"), ""),
            ("sols planned", camp.get("sols"), "sols"),
            ("samples delivered", camp.get("n_samples"), ""),
            ("deepest sample", (camp.get("max_depth_m"), 2), "m"),
            ("experiment cycles", camp.get("experiment_cycles"), ""),
            ("vertical surveys", camp.get("vertical_surveys"), ""),
            ("lowest battery state of charge", (camp.get("soc_min_pct"), 1), "%"),
            ("science tasks done by sol", camp.get("last_science_sol"), ""),
            ("rover data returned", (camp.get("data_returned_mbit"), 0), "Mbit"),
            ("rover data returned per sol (mean)",
             (camp.get("mean_data_returned_mbit_per_sol"), 1), "Mbit"),
            ("contingency sols (conjunction, dust, low power)", camp.get("contingency_sols"),
             "sols"),
            ("dust scenario (tau)", camp.get("dust_tau"), ""),
        ]))
    return "\n".join(out)


# ============================================================================ page
_CSS = """
:root { --ink: #1d2330; --muted: #5b6575; --line: #e3e7ee; --accent: #c1440e; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #f6f7f9; line-height: 1.45; }
header { background: linear-gradient(120deg, #7a2a0c, #c1440e 60%, #e0803c); color: #fff;
         padding: 28px 40px 22px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 650; }
header p { margin: 2px 0; opacity: 0.92; max-width: 1100px; }
header .facts { display: flex; flex-wrap: wrap; gap: 10px 28px; margin-top: 14px; }
header .fact b { display: block; font-size: 20px; }
header .fact span { font-size: 12px; opacity: 0.85; text-transform: uppercase;
                    letter-spacing: 0.04em; }
nav { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid
      var(--line); padding: 8px 40px; font-size: 14px; }
nav a { color: var(--ink); text-decoration: none; margin-right: 18px; }
nav a:hover { color: var(--accent); }
main { max-width: 1280px; margin: 0 auto; padding: 20px 28px 60px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
          padding: 16px 20px 10px; margin: 18px 0; }
section h2 { margin: 4px 0 4px; font-size: 19px; }
section p.note { color: var(--muted); margin: 4px 0 8px; font-size: 14px; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(400px, 1fr));
          gap: 18px 28px; }
table.kv { border-collapse: collapse; width: 100%; font-size: 14px; }
table.kv caption { text-align: left; font-weight: 650; padding: 6px 0; font-size: 15px; }
table.kv th, table.kv td { border-bottom: 1px solid var(--line); padding: 5px 8px;
                           text-align: left; vertical-align: top; }
table.kv thead th { color: var(--muted); font-weight: 500; font-size: 12px;
                    text-transform: uppercase; letter-spacing: 0.03em; }
table.kv tbody th { font-weight: 450; }
table.kv td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv td.txt { text-align: right; overflow-wrap: anywhere; }
table.kv tbody th { width: 52%; }
table.kv td.unit { color: var(--muted); white-space: nowrap; }
ul.files { columns: 3; font-size: 14px; }
footer { color: var(--muted); font-size: 13px; text-align: center; padding: 10px; }
"""


def _product_href(file_name: str) -> str:
    """A link to a product beside the page: a plain relative file name, percent-encoded (so
    no ``javascript:`` or other scheme, and no path outside the output directory)."""
    from urllib.parse import quote

    from areo._output import inside

    inside(Path("."), file_name)
    return html.escape("./" + quote(file_name, safe=""), quote=True)


def render_html(summary: dict[str, Any], ctx: dict[str, Any], figures: dict[str, Any],
                files: list[str]) -> str:
    """The page: header, key-figure tables, one section per figure, the products."""
    from plotly.offline import get_plotlyjs

    sc = summary["scenario"]
    la, ar = summary["launch"], summary["arrival"]
    rel, camp = summary["relay"], summary.get("campaign")
    facts = [
        (_utc(la["utc"])[:10], "launch"),
        (f"{la['c3_km2s2']:.2f} km²/s²", "C3"),
        (f"{la['dla_deg']:.1f}°", "DLA"),
        (_utc(ar["utc"])[:10], "arrival"),
        (f"{ar['vinf_kms']:.2f} km/s", "arrival v∞"),
        (f"{ar['capture_dv_kms']:.3f} km/s", "capture Δv"),
        (f"{rel['mean_mbit_per_sol']:.0f} Mbit", "relay capacity per sol"),
    ]
    if rel["median_latency_s"] is not None:
        facts.append((f"{rel['median_latency_s'] / 60:.0f} min", "median latency"))
    if camp:
        facts.append((f"{camp.get('n_samples')}", "samples"))
        if camp.get("mean_data_returned_mbit_per_sol") is not None:
            facts.append((f"{camp['mean_data_returned_mbit_per_sol']:.0f} Mbit",
                          "rover data per sol"))
        facts.append((f"{float(camp.get('max_depth_m') or 0):.2f} m", "deepest sample"))
    fact_html = "".join(f"<div class='fact'><b>{html.escape(v)}</b><span>{html.escape(k)}"
                        "</span></div>" for v, k in facts)
    notes = {
        "porkchop": "Each cell is a ballistic Earth→Mars Lambert arc between DE440 states; "
                    "colour is the launch energy C3 (km²/s²), dotted red lines the arrival "
                    "v-infinity (km/s). The star marks the transfer this scenario flies.",
        "ecliptic": "Heliocentric positions projected on the ecliptic (ECLIPJ2000), AU; the "
                    "arc is the two-body conic of the chosen transfer from launch to "
                    "arrival.",
        "groundtrack": "Sub-orbiter points over the first full sol after landing. Catalog "
                       "orbits have representative phasing: pass times are illustrative, "
                       "their statistics are not (give an OEM or SPK file for real "
                       "trajectories).",
        "week": "Bars are relay passes above the lander's mask (solid: used by the relay "
                "plan) and the windows in which each orbiter can downlink to a ground "
                "station (Mars above the station's 10° mask, orbiter not occulted, no "
                "conjunction).",
        "per-sol": "Volume relayed per mission sol through each orbiter (UHF link budget, "
                   "CP-SAT allocation) and the median latency from the end of a pass to the "
                   "data's arrival on Earth (next contact + light time).",
        "campaign": "The rover's plan: each bar an activity over its LMST hours on its sol, "
                    "coloured by campaign phase; below, the depth of each sample delivered.",
        "soc": "Battery state of charge over the mission with the planning floor, and the "
               "data waiting on board for relay.",
    }
    titles = {
        "porkchop": "Launch window", "ecliptic": "Transfer", "groundtrack": "Ground tracks",
        "week": "Passes and Earth contacts", "per-sol": "Relay per sol",
        "campaign": "Campaign", "soc": "Battery",
    }
    sections = []
    for key, fig in figures.items():
        div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"fig-{key}",
                          config=_CONFIG, default_width="100%")
        sections.append(f"<section id='{key}'><h2>{titles.get(key, key)}</h2>"
                        f"<p class='note'>{notes.get(key, '')}</p>{div}</section>")
    if camp is None:
        sections.append("<section id='campaign'><h2>Campaign</h2><p class='note'>This "
                        "scenario has no <code>[rover]</code> section: no rover campaign was "
                        "planned.</p></section>")
    nav = "".join(f"<a href='#{k}'>{titles.get(k, k)}</a>" for k in ["figures", *figures]
                  if k in titles or k == "figures").replace(
        "<a href='#figures'>figures</a>", "<a href='#figures'>Key figures</a>")
    file_list = "".join(f"<li><a href='{_product_href(f)}'>{html.escape(f)}</a></li>"
                        for f in sorted(files))
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(sc['name'])}: areo mission report</title>
<style>{_CSS}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<header><h1>{html.escape(sc['name'])}</h1>
<p>{html.escape(sc.get('description') or '')}</p>
<p>Scenario <code>{html.escape(str(sc['file']))}</code> · landing at
{html.escape(summary['landing']['site']['name'])} · {rel['sols']} sols of operations</p>
<div class="facts">{fact_html}</div></header>
<nav>{nav}</nav>
<main>
<section id="figures"><h2>Key figures</h2><div class="tables">
{key_tables(summary, ctx)}
</div></section>
{''.join(sections)}
<section id="products"><h2>Products</h2><p class="note">Machine-readable results beside
this page: <code>summary.json</code>, passes and per-sol tables (CSV and Parquet), orbiter
ephemerides (CCSDS OEM), the rover plan (Open MCT JSON).</p><ul class="files">{file_list}</ul>
</section>
</main>
<footer>areo {html.escape(str(summary.get('areo_version', '')))} · generated {now} ·
run time {float(summary.get('runtime_s') or 0):.1f} s · DE440 ephemeris · times UTC</footer>
</body></html>
"""


def write_report(path: str | Path, sc: Any, ctx: dict[str, Any], summary: dict[str, Any],
                 transfer: dict[str, Any], orbiters: list[dict[str, Any]],
                 relay: dict[str, Any], campaign: dict[str, Any] | None) -> Path:
    """Build the figures and write the page atomically to ``path``."""
    from areo._files import atomic_write

    del sc  # the summary carries what the page shows
    figures = build_figures(ctx, transfer, orbiters, relay, campaign)
    files = [*ctx.get("files", []), "summary.json"]
    text = render_html(summary, ctx, figures, files)
    p = Path(path)
    with atomic_write(p, "w", encoding="utf-8") as fh:
        fh.write(text)
    return p
