"""Campaign figures: interactive (plotly: :func:`campaign_activities_figure`,
:func:`battery_figure`, :func:`sol_plan_figure`, what ``Campaign.plot()``, ``SolPlan.plot()``
and the mission report show) and static (matplotlib, for PNG/PDF/SVG: the sol-by-sol Gantt,
battery state of charge, data).

:func:`campaign_figure` draws, on a shared mission-sol axis, the activities by category
(each bar at its sol and LMST, phases shaded above), the battery state of charge through
every sol with the floor and the end-of-sol target, and the data returned per sol with the
onboard buffer.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np

from areo.io.figures import LAYOUT

__all__ = ["battery_figure", "campaign_activities_figure", "campaign_figure", "sol_figure",
           "sol_plan_figure"]

_ROWS = ("Mobility", "Remote sensing", "Drilling", "Analytical lab", "Communications")
_PHASE_PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
                  "#eeca3b", "#9d755d", "#bab0ac", "#ff9da6"]
_PHASE_COLORS = {"commissioning": "#dddddd", "EC": "#d8e8f6", "VS": "#f6e2cf"}


def campaign_figure(campaign: Any, path: str | Path | None = None, *, title: str | None = None
                    ) -> Any:
    """Gantt + SOC + data figure of a :class:`~areo.surface.campaign.Campaign`; saved
    atomically to ``path`` when given. Returns the matplotlib figure."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from areo.surface.categories import activity_category, category_color

    fig, (ax_g, ax_s, ax_d) = plt.subplots(
        3, 1, figsize=(13, 8.5), sharex=True, height_ratios=(2.2, 1.3, 1.0),
        constrained_layout=True)
    n = len(campaign.sols)
    # phases as shaded spans with labels
    spans: dict[str, list[int]] = {}
    for p in campaign.sols:
        for a in p.activities:
            if a.phase and a.phase != "relay":
                spans.setdefault(a.phase, []).append(p.sol)
    for ph, sols in spans.items():
        lo, hi = min(sols), max(sols) + 1
        color = _PHASE_COLORS.get(ph[:2] if ph[:2] in ("EC", "VS") else ph, "#eeeeee")
        ax_g.axvspan(lo, hi, color=color, zorder=0)
        ax_g.text(0.5 * (lo + hi), len(_ROWS) - 0.35, ph if ph != "commissioning" else "C",
                  ha="center", va="bottom", fontsize=8, color="#333333")
    for p in campaign.sols:
        for a in p.activities:
            cat = activity_category(a.name)
            y = _ROWS.index(cat)
            x0 = p.sol + a.start_lmst_h / 24.0
            # at least 0.3 sol wide: a 10-minute session must stay visible over 218 sols
            w = max((a.end_lmst_h - a.start_lmst_h) / 24.0, 0.3)
            ax_g.broken_barh([(x0, w)], (y - 0.38, 0.76),
                             facecolors=category_color(cat))
        if p.contingency:
            ax_g.axvspan(p.sol, p.sol + 1, ymin=0.0, ymax=0.03, color="#b22222", lw=0)
    kinds = sorted({p.contingency for p in campaign.sols if p.contingency})
    if kinds:
        first = min(p.sol for p in campaign.sols if p.contingency)
        ax_g.text(first, -0.42, "contingency sols: " + ", ".join(kinds), fontsize=8,
                  color="#b22222", va="bottom")
    last = campaign.summary["last_science_sol"]
    if last is not None and last + 1 < n:
        ax_g.text(0.5 * (last + 1 + n), len(_ROWS) - 0.35, "margin (campaign complete)",
                  ha="center", va="bottom", fontsize=8, color="#555555")
    for s in campaign.samples:
        ax_g.plot(s.sol + 0.5, _ROWS.index("Drilling") + 0.45, marker="v", ms=5, color="k")
    ax_g.set_yticks(range(len(_ROWS)), _ROWS)
    ax_g.set_ylim(-0.6, len(_ROWS) + 0.2)
    summ = campaign.summary
    ax_g.set_title(title or (
        f"{campaign.rover.name or campaign.rover.key} at "
        f"{getattr(campaign.site, 'name', campaign.site)}: {summ['experiment_cycles']} "
        f"experiment cycles, {summ['vertical_surveys']} vertical surveys, "
        f"{summ['n_samples']} samples (triangles) to {summ['max_depth_m']:g} m; "
        f"tau scenario '{summ['tau_scenario']}'"), fontsize=10)

    soc = campaign.soc_series()
    ax_s.plot(soc["mission_sol"], soc["soc_pct"], lw=0.6, color="#1f77b4",
              label="state of charge")
    ax_s.axhline(100 * campaign.rover.min_soc, color="#b22222", ls="--", lw=1,
                 label=f"floor {campaign.rover.min_soc:.0%}")
    ax_s.axhline(100 * campaign.rover.end_of_sol_soc_target, color="#2ca02c", ls=":", lw=1,
                 label=f"end-of-sol target {campaign.rover.end_of_sol_soc_target:.0%}")
    ax_s.set_ylabel("battery SOC (%)")
    ax_s.set_ylim(0, 105)
    ax_s.legend(loc="lower left", fontsize=8, ncols=3)

    sols = np.array([p.sol for p in campaign.sols])
    ret = np.array([p.data_returned_mbit for p in campaign.sols])
    ax_d.bar(sols + 0.5, ret, width=0.9, color="#9467bd", label="returned via relay")
    ax_d.set_ylabel("data (Mbit/sol)")
    ax_b = ax_d.twinx()
    ax_b.plot(soc["mission_sol"], soc["buffer_mbit"], color="#ff7f0e", lw=0.8,
              label="onboard buffer")
    ax_b.set_ylabel("buffer (Mbit)")
    h1, l1 = ax_d.get_legend_handles_labels()
    h2, l2 = ax_b.get_legend_handles_labels()
    ax_d.legend(h1 + h2, l1 + l2, loc="upper right", fontsize=8)
    ax_d.set_xlabel("mission sol (sol 0 = landing sol)")
    ax_d.set_xlim(0, max(n, 1))
    if path is not None:
        from areo._files import save_figure

        save_figure(fig, path, dpi=130)
    return fig


def sol_figure(plan: Any, rover: Any, path: str | Path | None = None) -> Any:
    """One sol: activities over LMST, battery SOC and array power."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from areo.surface.categories import activity_category, category_color

    sim = plan.simulation
    fig, (ax_a, ax_s) = plt.subplots(2, 1, figsize=(10, 5), sharex=True,
                                     height_ratios=(1.2, 1.5), constrained_layout=True)
    for k, a in enumerate(plan.activities):
        cat = activity_category(a.name)
        ax_a.broken_barh([(a.start_lmst_h, a.end_lmst_h - a.start_lmst_h)], (k - 0.4, 0.8),
                         facecolors=category_color(cat))
        ax_a.text(a.end_lmst_h + 0.1, k, a.label, va="center", fontsize=7)
    ax_a.set_yticks([])
    ax_a.invert_yaxis()
    rise, sset = plan.inputs.daylight_lmst_h
    for ax in (ax_a, ax_s):
        ax.axvspan(0, rise, color="#e5e5ee", zorder=0)
        ax.axvspan(sset, 24, color="#e5e5ee", zorder=0)
    ax_s.plot(sim.t_lmst_h, 100 * sim.soc, color="#1f77b4", label="SOC")
    ax_s.axhline(100 * rover.min_soc, color="#b22222", ls="--", lw=1, label="floor")
    ax_s.set_ylabel("SOC (%)")
    ax_p = ax_s.twinx()
    ax_p.plot(plan.inputs.generation_lmst_h, plan.inputs.generation_w, color="#ff7f0e",
              lw=0.8, label="array")
    ax_p.set_ylabel("array (W)")
    ax_s.set_xlabel("LMST (h)")
    ax_s.set_xlim(0, 24)
    # legends: the activity categories present, and the three curves with the night shading
    from matplotlib.patches import Patch

    cats = list(dict.fromkeys(activity_category(a.name) for a in plan.activities))
    ax_a.legend(handles=[Patch(color=category_color(c), label=c) for c in cats]
                + [Patch(color="#e5e5ee", label="Sun down")], loc="upper left",
                fontsize=7, ncol=min(len(cats) + 1, 6), frameon=False)
    lines = ax_s.get_lines() + ax_p.get_lines()
    ax_s.legend(lines, [ln.get_label() for ln in lines], loc="lower left", fontsize=7,
                frameon=False)
    ax_a.set_title(f"Sol {plan.sol}: {len(plan.activities)} activities, SOC min "
                   f"{plan.soc_min_pct:.0f} %, end {plan.soc_end_pct:.0f} %", fontsize=10)
    if path is not None:
        from areo._files import save_figure

        save_figure(fig, path, dpi=130)
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


def campaign_activities_figure(record: dict[str, Any]) -> Any:
    """The campaign sol by sol (plotly), from :meth:`Campaign.to_dict()
    <areo.surface.campaign.Campaign.to_dict>`: a heat map of the hours each kind of
    activity takes on each sol (a 10-minute session stays visible over 218 sols, where a
    bar of its LMST span would not), the campaign phases above, a row saying what each sol
    is (science, margin after the last science, contingency with its reason) and the depth
    of each sample delivered."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    data = record
    days = data.get("sols", [])
    n = max([int(d.get("sol", 0)) for d in days] or [0]) + 1
    hours: dict[str, np.ndarray] = {}
    what: dict[str, list[list[str]]] = {}
    phases: dict[str, list[int]] = {}
    for d in days:
        k = int(d.get("sol", 0))
        for a in d.get("activities", []):
            row = _activity_row(str(a.get("name", "")))
            hours.setdefault(row, np.zeros(n))
            what.setdefault(row, [[] for _ in range(n)])
            hours[row][k] += max(float(a["end_lmst_h"]) - float(a["start_lmst_h"]), 0.0)
            what[row][k].append(html.escape(str(a.get("label") or a.get("name"))))
            ph = str(a.get("phase") or "")
            if ph and ph != "relay":
                phases.setdefault(ph, []).append(k)
    rows = sorted(hours, key=lambda r: list(_ACTIVITY_ROWS.values()).index(r)
                  if r in _ACTIVITY_ROWS.values() else 99)
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.68, 0.08, 0.24],
                        vertical_spacing=0.04)
    z = np.array([hours[r] for r in rows]) if rows else np.zeros((1, n))
    text = [["<br>".join(what[r][k][:6]) or "–" for k in range(n)] for r in rows]
    fig.add_trace(go.Heatmap(
        x=np.arange(n), y=[html.escape(r) for r in rows] or ["–"],
        z=np.where(z > 0, z, np.nan), text=text or None, colorscale="Blues", zmin=0,
        colorbar={"title": "hours", "len": 0.6, "y": 0.72},
        hovertemplate="sol %{x}, %{y}: %{z:.2f} h<br>%{text}<extra></extra>",
        xgap=0.5, ygap=1), row=1, col=1)
    last_science = max([int(d.get("sol", 0)) for d in days
                        if any(a.get("phase") not in (None, "", "relay")
                               for a in d.get("activities", []))] or [-1])
    kinds = []
    for d in days:
        k = int(d.get("sol", 0))
        if d.get("contingency"):
            kinds.append((k, "contingency", f"contingency: {d['contingency']}", "#d62728"))
        elif k > last_science:
            kinds.append((k, "margin", "margin (science done)", "#bbbbbb"))
        elif any(a.get("phase") not in (None, "", "relay") for a in d.get("activities", [])):
            kinds.append((k, "science", "science", "#2ca02c"))
        else:
            kinds.append((k, "margin", "margin (relay only)", "#bbbbbb"))
    for kind in ("science", "margin", "contingency"):
        sel = [x for x in kinds if x[1] == kind]
        if sel:
            fig.add_trace(go.Bar(
                x=[x[0] for x in sel], y=[1] * len(sel), name=f"{kind} sol",
                marker={"color": sel[0][3], "line": {"width": 0}},
                text=[html.escape(x[2]) for x in sel], textposition="none",
                hovertemplate="sol %{x}: %{text}<extra></extra>"), row=2, col=1)
    for k, (ph, sols) in enumerate(sorted(phases.items(), key=lambda kv: min(kv[1]))):
        lo, hi = min(sols) - 0.5, max(sols) + 0.5
        fig.add_vrect(x0=lo, x1=hi, fillcolor=_PHASE_PALETTE[k % len(_PHASE_PALETTE)],
                      opacity=0.12, line_width=0, row=1, col=1)
        fig.add_annotation(x=0.5 * (lo + hi), y=1.0, yref="paper", yanchor="bottom",
                           text=html.escape(ph if ph != "commissioning" else "C"),
                           showarrow=False, font={"size": 10})
    samples = data.get("samples", [])
    if samples:
        fig.add_trace(go.Scatter(
            x=[smp["sol"] for smp in samples], y=[smp["depth_m"] for smp in samples],
            mode="markers", name="samples (depth)",
            marker={"color": "#8c564b", "size": 8, "symbol": "triangle-down"},
            text=[html.escape(str(smp.get("phase", ""))) for smp in samples],
            hovertemplate="sol %{x}: sample from %{y:.2f} m (%{text})<extra></extra>"),
            row=3, col=1)
    fig.update_layout(**LAYOUT, height=max(520, 260 + 26 * len(rows)), bargap=0,
                      title={"text": "Rover campaign: hours of each activity per sol, the "
                                     "campaign phases, what each sol is, and the samples"},
                      legend={"orientation": "h", "y": -0.12})
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_yaxes(showticklabels=False, range=[0, 1], row=2, col=1)
    fig.update_yaxes(title_text="sample depth (m)", autorange="reversed", row=3, col=1)
    fig.update_xaxes(range=[-0.5, n - 0.5])
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)", row=3, col=1)
    return fig


def battery_figure(soc: Any, min_soc: float | None = None, target: float | None = None
                   ) -> Any:
    """The battery over the mission (plotly), from :meth:`Campaign.soc_series()
    <areo.surface.campaign.Campaign.soc_series>`: each sol's lowest and highest state of
    charge as an envelope (a line through every daily swing would merge into a band), the
    planning floor ``min_soc`` and the end-of-sol ``target`` (fractions), and below, on its
    own axis, the most data waiting on board each sol."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    x = np.asarray(soc["mission_sol"], dtype=float)
    y = np.asarray(soc["soc_pct"], dtype=float)
    sol = np.floor(x).astype(np.int64)
    sols, first = np.unique(sol, return_index=True)
    lo = np.minimum.reduceat(y, first) if y.size else y
    hi = np.maximum.reduceat(y, first) if y.size else y
    has_buffer = "buffer_mbit" in soc
    fig = make_subplots(rows=2 if has_buffer else 1, cols=1, shared_xaxes=True,
                        row_heights=[0.7, 0.3] if has_buffer else [1.0],
                        vertical_spacing=0.08)
    fig.add_trace(go.Scatter(x=sols, y=hi, mode="lines", name="highest of the sol",
                             line={"color": "#2ca02c", "width": 1},
                             hovertemplate="sol %{x}: up to %{y:.1f} %<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=sols, y=lo, mode="lines", name="lowest of the sol",
                             line={"color": "#1f6f1f", "width": 1}, fill="tonexty",
                             fillcolor="rgba(44,160,44,0.25)",
                             hovertemplate="sol %{x}: down to %{y:.1f} %<extra></extra>"),
                  row=1, col=1)
    for value, label, color in ((target, "end-of-sol target", "#1f77b4"),
                                (min_soc, "floor", "#d62728")):
        if value is not None:
            fig.add_hline(y=100.0 * value, line={"color": color, "dash": "dash"},
                          annotation_text=f"{label} {100 * value:.0f} %",
                          annotation_position="bottom right", row=1, col=1)
    if has_buffer:
        b = np.asarray(soc["buffer_mbit"], dtype=float)
        peak = np.maximum.reduceat(b, first) if b.size else b
        fig.add_trace(go.Bar(x=sols, y=peak, name="most data on board (Mbit)",
                             marker={"color": "#9467bd"},
                             hovertemplate="sol %{x}: %{y:.0f} Mbit on board<extra></extra>"),
                      row=2, col=1)
        top = float(np.nanmax(peak)) if peak.size else 0.0
        fig.update_yaxes(title_text="on board (Mbit)", rangemode="tozero",
                         dtick=_round_step(top), tickformat=",.0f", row=2, col=1)
    fig.update_layout(**LAYOUT, height=520 if has_buffer else 420, bargap=0.1,
                      title={"text": "Battery state of charge per sol (lowest to highest) and "
                                     "the data waiting for relay"},
                      legend={"orientation": "h", "y": -0.15})
    fig.update_yaxes(title_text="state of charge (%)", range=[0, 100], dtick=20, row=1, col=1)
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)",
                     row=2 if has_buffer else 1, col=1)
    return fig


def _round_step(top: float) -> float:
    """A round tick step (1, 2 or 5 x 10^k) giving 3-6 ticks up to ``top``."""
    if not np.isfinite(top) or top <= 0:
        return 1.0
    raw = top / 4.0
    mag = 10.0 ** np.floor(np.log10(raw))
    return float(min((m * mag for m in (1.0, 2.0, 5.0, 10.0)), key=lambda v: abs(v - raw)))


def sol_plan_figure(frame: Any, title: str = "") -> Any:
    """One sol's activities over local mean solar time (plotly), a row per activity, from
    :meth:`SolPlan.to_frame() <areo.surface.plan.SolPlan.to_frame>`."""
    import plotly.graph_objects as go

    fig = go.Figure()
    names = [html.escape(str(v)) for v in frame["label"]] if len(frame) else []
    start = np.asarray(frame["start_lmst_h"], dtype=float)
    width = np.asarray(frame["end_lmst_h"], dtype=float) - start
    text = [f"{n}: {a:05.2f}-{a + w:05.2f} h LMST, {e:.0f} Wh, {d:.0f} Mbit" for n, a, w, e, d
            in zip(names, start, width, frame["energy_wh"], frame["data_mbit"], strict=True)]
    fig.add_trace(go.Bar(x=width, base=start, y=names, orientation="h", text=text,
                         textposition="none", hovertemplate="%{text}<extra></extra>",
                         marker={"color": "#4c78a8"}, name="activities"))
    fig.update_layout(**LAYOUT, height=160 + 24 * max(1, len(names)),
                      title={"text": html.escape(title)}, showlegend=False,
                      xaxis={"title": "local mean solar time (h)", "range": [0, 24], "dtick": 2},
                      yaxis={"autorange": "reversed"})
    return fig
