"""The mission report's figures: one plotly figure function per product.

Each function takes the mission steps' typed results (:mod:`areo.mission.results`) and
returns a
``plotly.graph_objects.Figure``: the porkchop with the chosen transfer, the transfer in the
ecliptic, each orbiter's ground track over one sol with the sites, a Gantt of the first week
of relay passes and Earth contacts, the relay volume and latency per sol, the rover
campaign's Gantt and sample depths, the battery state of charge over the mission.
:func:`build_figures` builds them all, by section id, for :mod:`areo.report.page`.

Text from scenarios is escaped here (``html.escape``): plotly reads its labels, names and
hover texts as a subset of HTML. Only SVG trace types are used (no WebGL), so the page
renders in any browser, headless or without a GPU.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np

from areo.constants import DAY_S

__all__ = [
    "build_figures",
    "campaign_figure",
    "ecliptic_figure",
    "groundtrack_figure",
    "per_sol_figure",
    "porkchop_figure",
    "soc_figure",
    "week_gantt_figure",
]

_ORBITER_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"]
_PHASE_COLORS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
                 "#eeca3b", "#9d755d", "#bab0ac", "#ff9da6"]
_LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 70, "r": 30, "t": 50, "b": 55},
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
    "hoverlabel": {"namelength": -1},
}


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
def porkchop_figure(transfer: Any) -> Any:
    """The porkchop the transfer was chosen in, drawn by the transfer layer's one plotly
    porkchop (:func:`areo.transfer.plots.porkchop_plotly`), the chosen transfer starred."""
    from areo.time import Time
    from areo.transfer.plots import porkchop_plotly

    pc = transfer.porkchop
    chosen = transfer.chosen
    c3 = np.asarray(pc["c3_km2s2"], dtype=float)
    lo = float(np.nanmin(c3)) if np.isfinite(c3).any() else 0.0
    label = "pinned transfer" if chosen.get("pinned") else f"chosen (min {pc['objective']})"
    fig = porkchop_plotly(
        Time.from_et(pc["launch_et"]), Time.from_et(pc["arrive_et"]), c3,
        pc["vinf_arrive_kms"], pc["tof_days"], c3_max=max(lo + 30.0, min(lo * 3.0, 100.0)),
        best=(chosen["launch"].rstrip("Z"), chosen["arrive"].rstrip("Z"), label),
        title=f"Porkchop (DE440 Lambert arcs, ≤ {pc['max_revs']} rev): launch energy C3, "
              "arrival v∞", height=520)
    fig.update_layout(**{k: v for k, v in _LAYOUT.items() if k != "margin"},
                      legend={"orientation": "h", "y": -0.18})
    return fig


def ecliptic_figure(transfer: Any) -> Any:
    import plotly.graph_objects as go

    arc = transfer.arc
    chosen = transfer.chosen
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


def groundtrack_figure(orbiters: list[Any], site: Any, clock: Any) -> Any:
    import plotly.graph_objects as go

    from areo import catalog

    order = [o.name for o in orbiters]
    fig = go.Figure()
    for o in orbiters:
        lon = np.asarray(o.gt_lon_east_deg, dtype=float)
        lat = np.asarray(o.gt_lat_deg, dtype=float)
        jump = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0] + 1
        lon = np.insert(lon, jump, np.nan)
        lat = np.insert(lat, jump, np.nan)
        times = np.insert(np.asarray(_iso(o.gt_et), dtype=object), jump, "")
        fig.add_trace(go.Scatter(
            x=lon, y=lat, mode="lines", name=f"{_upper(o.name)} (T = "
            f"{o.period_s / 3600:.2f} h)", connectgaps=False,
            line={"color": _color(o.name, order), "width": 1.4},
            customdata=times,
            hovertemplate="%{customdata} UTC<br>%{y:.2f}° N, %{x:.2f}° E<extra>"
                          f"{_upper(o.name)}</extra>"))
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


def week_gantt_figure(relay: Any, site: Any) -> Any:
    import plotly.graph_objects as go

    plan = relay.plan
    t0 = relay.start_et
    t1 = t0 + 7 * DAY_S
    fig = go.Figure()
    light = relay.daylight_week
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


def per_sol_figure(per_sol: list[dict[str, Any]], campaign: Any | None,
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
        sols_c = [s.get("sol") for s in campaign.record.get("sols", [])]
        ret = [s.get("data_returned_mbit") for s in campaign.record.get("sols", [])]
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


def campaign_figure(campaign: Any) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    data = campaign.record
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


def soc_figure(campaign: Any, rover: Any) -> Any:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    soc = campaign.soc
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


def build_figures(*, site: Any, clock: Any, rover: Any, sols: int, transfer: Any,
                  orbiters: list[Any], relay: Any, campaign: Any | None) -> dict[str, Any]:
    """The report's plotly figures, by section id (the page's order), from the mission
    steps' results (:mod:`areo.mission.results`), the landing site, the mission clock, the
    rover and the number of sols."""
    figs = {
        "porkchop": porkchop_figure(transfer),
        "ecliptic": ecliptic_figure(transfer),
        "groundtrack": groundtrack_figure(orbiters, site, clock),
        "week": week_gantt_figure(relay, site),
        "per-sol": per_sol_figure(relay.per_sol(sols), campaign, [o.name for o in orbiters]),
    }
    if campaign is not None:
        figs["campaign"] = campaign_figure(campaign)
        figs["soc"] = soc_figure(campaign, rover)
    return figs
