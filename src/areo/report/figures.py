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
from areo.io.figures import LAYOUT, color, utc_axis
from areo.surface.plots import battery_figure, campaign_activities_figure

__all__ = [
    "build_figures",
    "ecliptic_figure",
    "groundtrack_figure",
    "per_sol_figure",
    "porkchop_figure",
    "week_gantt_figure",
]



def _iso(et: Any) -> list[str]:
    """ISO UTC strings to the second (plotly's date axes) for TDB seconds."""
    return [t[:19] for t in utc_axis(et)]


def _short(name: str) -> str:
    """An orbiter's label: short names upper-case (TGO, MEX)."""
    return name.upper() if len(name) <= 5 else name


def _upper(name: str) -> str:
    """:func:`_short`, escaped for figures: plotly reads its text as a subset of HTML, and
    names come from scenarios."""
    return html.escape(_short(name))


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
        pc["vinf_arrive_kms"], pc["tof_days"],
        c3_max=5.0 * math.ceil(max(lo + 30.0, min(lo * 3.0, 100.0)) / 5.0),
        best=(chosen["launch"].rstrip("Z"), chosen["arrive"].rstrip("Z"), label),
        title=f"Porkchop (DE440 Lambert arcs, ≤ {pc['max_revs']} rev): launch energy C3, "
              "arrival v∞", height=520)
    fig.update_layout(**{k: v for k, v in LAYOUT.items() if k != "margin"},
                      legend={"orientation": "h", "y": -0.18})
    return fig


def ecliptic_figure(transfer: Any) -> Any:
    """The chosen transfer in the ecliptic, drawn by the transfer layer's figure
    (:func:`areo.transfer.plots.ecliptic_figure`, also ``Transfer.plot()``)."""
    from areo.transfer.plots import ecliptic_figure as draw

    c = transfer.chosen
    return draw(transfer.arc, launch_utc=c["launch"], arrive_utc=c["arrive"],
                tof_days=float(c["tof_days"]))


def groundtrack_figure(orbiters: list[Any], site: Any, clock: Any) -> Any:
    """Each orbiter's ground track over mission sol 1 with the landing site, drawn by the
    orbits layer's figure (:func:`areo.orbits.groundtrack.groundtrack_figure`)."""
    from areo.orbits.groundtrack import groundtrack_figure as draw

    tracks = [(f"{_short(o.name)} (T = {o.period_s / 3600:.2f} h)", o.gt_et, o.gt_lat_deg,
               o.gt_lon_east_deg) for o in orbiters]
    sol0 = _iso(clock.time_of(1).et)[0]
    return draw(tracks, site=site,
                title=f"Ground tracks over mission sol 1 (from {sol0} UTC), planetocentric")


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
        colour = color(name, names)
        rows = [r for r in plan.rows if r["orbiter"] == name and r["aos_et"] < t1]
        used = [r for r in rows if r["share"] > 0]
        unused = [r for r in rows if r["share"] <= 0]
        label = f"{_upper(name)} passes"
        for group, op, nm in ((used, 1.0, f"{_upper(name)} relay pass (used)"),
                              (unused, 0.35, f"{_upper(name)} pass (not used)")):
            if not group:
                continue
            _bars(fig, np.array([r["aos_et"] for r in group]),
                  np.array([r["los_et"] for r in group]), label, colour, nm,
                  [f"{_upper(name)} sol {r['sol']}: {r['aos'][11:16]}–{r['los'][11:16]} UTC, "
                   f"max el {r['max_elev_deg']:.0f}°, {r['volume_mbit'] * r['share']:.0f} "
                   f"Mbit, latency {r['latency_s'] / 60:.0f} min" for r in group],
                  min_ms=4 * 60e3, opacity=op)
        win = plan.contacts[name]
        sel = (win.ends > t0) & (win.starts < t1)
        a, b = np.maximum(win.starts[sel], t0), np.minimum(win.ends[sel], t1)
        _bars(fig, a, b, f"{_upper(name)} Earth contacts", colour,
              f"{_upper(name)} Earth contact",
              [f"{_upper(name)} to Earth {x[5:16]}–{y[5:16]} UTC ({(q - p) / 3600:.1f} h)"
               for x, y, p, q in zip(_iso(a), _iso(b), a, b, strict=True)], opacity=0.55)
    layout = {**LAYOUT, "margin": {**LAYOUT["margin"], "t": 95}}
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
    """Relay per mission sol, each quantity on its own axis: the volume each orbiter can
    relay (stacked), the rover's data actually returned (tens of Mbit against hundreds of
    capacity), and the median latency from the end of a pass to Earth (log scale, ticks in
    minutes, hours and days)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    has_rover = campaign is not None and bool(campaign.record.get("sols"))
    rows = 3 if has_rover else 2
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=[0.5, 0.25, 0.25] if has_rover else [0.65, 0.35])
    sols = [r["sol"] for r in per_sol]
    present = {k.removeprefix("relay_mbit_") for r in per_sol for k in r
               if k.startswith("relay_mbit_")}
    for o in [n for n in order if n in present]:
        fig.add_trace(go.Bar(
            x=sols, y=[r[f"relay_mbit_{o}"] for r in per_sol],
            name=f"relay capacity through {_upper(o)}", marker={"color": color(o, order)},
            hovertemplate="sol %{x}: %{y:.0f} Mbit<extra>" + _upper(o) + "</extra>"),
            row=1, col=1)
    lat_row = 2
    if has_rover:
        sols_c = [d.get("sol") for d in campaign.record["sols"]]
        ret = [d.get("data_returned_mbit") for d in campaign.record["sols"]]
        fig.add_trace(go.Bar(
            x=sols_c, y=ret, name="rover data returned", marker={"color": "#444"},
            hovertemplate="sol %{x}: rover returned %{y:.0f} Mbit<extra></extra>"),
            row=2, col=1)
        fig.update_yaxes(title_text="rover (Mbit)", rangemode="tozero", row=2, col=1)
        lat_row = 3
    lat = [None if r["latency_s_median"] is None else r["latency_s_median"] / 60.0
           for r in per_sol]
    fig.add_trace(go.Scatter(
        x=sols, y=lat, mode="markers", name="median latency",
        marker={"color": "#e4572e", "size": 5, "symbol": "diamond"},
        hovertemplate="sol %{x}: median latency %{y:.1f} min<extra></extra>"),
        row=lat_row, col=1)
    finite = [v for v in lat if v is not None and v > 0]
    ticks = [(1, "1 min"), (2, "2 min"), (5, "5 min"), (10, "10 min"), (20, "20 min"),
             (30, "30 min"), (60, "1 h"), (120, "2 h"), (360, "6 h"), (720, "12 h"),
             (1440, "1 d"), (4320, "3 d"), (10080, "1 wk"), (20160, "2 wk"),
             (43200, "30 d")]
    if finite:
        lo, hi = min(finite), max(finite)
        ticks = [t for t in ticks if lo / 2.5 <= t[0] <= hi * 2.5] or ticks
    fig.update_yaxes(title_text="latency", type="log", tickmode="array",
                     tickvals=[t for t, _ in ticks], ticktext=[x for _, x in ticks],
                     row=lat_row, col=1)
    fig.update_layout(**LAYOUT, height=620 if has_rover else 480, barmode="stack",
                      bargap=0.15,
                      title={"text": "Relay per mission sol: capacity through each orbiter, the "
                                     "rover's data returned and the latency to Earth"},
                      legend={"orientation": "h", "y": -0.12})
    fig.update_yaxes(title_text="capacity (Mbit)", row=1, col=1)
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)", row=rows, col=1)
    return fig


def build_figures(*, site: Any, clock: Any, rover: Any, sols: int, transfer: Any,
                  orbiters: list[Any], relay: Any, campaign: Any | None,
                  trajectory: Any = None, edl: Any = None,
                  sample_return: Any = None) -> dict[str, Any]:
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
    if trajectory is not None:
        # the figures Trajectory.plot() and LaunchPeriodTable.plot() drew, kept as data
        # (plotly JSON, validated when drawn: the page takes them as they are)
        traj_figs = {"trajectory": trajectory.figures["trajectory"]}
        if "period" in trajectory.figures:
            traj_figs["launch-period"] = trajectory.figures["period"]
        figs = {"porkchop": figs["porkchop"], **traj_figs,
                **{k: v for k, v in figs.items() if k != "porkchop"}}
    if edl is not None:
        # the figures MonteCarlo.plot() and the nominal Flight.plot() drew, kept as data
        figs["edl"] = edl.figures["ellipse"]
        figs["edl-flight"] = edl.figures["flight"]
    if sample_return is not None:
        # RoundTrips.plot(), LaunchOpportunities.plot() and ReturnWindow.plot(), as data
        figs["return-trips"] = sample_return.figures["trips"]
        figs["ascent"] = sample_return.figures["ascent"]
        figs["earth-entry"] = sample_return.figures["entry"]
    if campaign is not None:
        figs["campaign"] = campaign_activities_figure(campaign.record)
        figs["soc"] = battery_figure(
            campaign.soc, None if rover is None else float(rover.min_soc),
            None if rover is None else float(rover.end_of_sol_soc_target))
    return figs
