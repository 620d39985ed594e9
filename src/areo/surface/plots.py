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

from areo.io.figures import LAYOUT, minmax_indices

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
    """The campaign's activities per sol (bars span their LMST hours, a row per kind of
    activity, a colour per phase) above the samples' depths (plotly), from
    :meth:`Campaign.to_dict() <areo.surface.campaign.Campaign.to_dict>`."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    data = record
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
            marker={"color": _PHASE_PALETTE[k % len(_PHASE_PALETTE)], "line": {"width": 0}},
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
    fig.update_layout(**LAYOUT, height=max(460, 160 + 26 * len(order)), barmode="overlay",
                      title={"text": "Rover campaign: activities per sol (bars span their "
                                     "LMST hours) and the samples"},
                      legend={"orientation": "h", "y": -0.12})
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), row=1, col=1)
    fig.update_yaxes(title_text="sample depth (m)", autorange="reversed", row=2, col=1)
    last = max([int(s.get("sol", 0)) for s in data.get("sols", [])] or [1])
    fig.update_xaxes(range=[-0.5, last + 1.5])
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)", row=2, col=1)
    return fig


def battery_figure(soc: Any, min_soc: float | None = None) -> Any:
    """The battery state of charge and the data buffer over the mission (plotly), from
    :meth:`Campaign.soc_series() <areo.surface.campaign.Campaign.soc_series>`; ``min_soc``
    (a fraction) draws the floor. Curves keep every low and high of each bin
    (:func:`areo.io.figures.minmax_indices`)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    x = np.asarray(soc["mission_sol"], dtype=float)
    y = np.asarray(soc["soc_pct"], dtype=float)
    keep = minmax_indices(y, 20000)  # a light page that still shows every low and high
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(x=x[keep], y=y[keep], mode="lines",
                             name="battery state of charge (%)",
                             line={"color": "#2ca02c", "width": 1.2},
                             hovertemplate="sol %{x:.2f}: %{y:.1f} %<extra></extra>"),
                  secondary_y=False)
    if "buffer_mbit" in soc:
        b = np.asarray(soc["buffer_mbit"], dtype=float)
        kb = minmax_indices(b, 20000)
        fig.add_trace(go.Scatter(x=x[kb], y=b[kb], mode="lines",
                                 name="data buffer (Mbit)",
                                 line={"color": "#9467bd", "width": 1, "dash": "dot"},
                                 hovertemplate="sol %{x:.2f}: %{y:.0f} Mbit<extra></extra>"),
                      secondary_y=True)
    if min_soc is not None:
        fig.add_hline(y=100.0 * min_soc, line={"color": "#d62728", "dash": "dash"},
                      annotation_text=f"floor {100 * min_soc:.0f} %",
                      annotation_position="bottom right")
    fig.update_layout(**LAYOUT, height=440,
                      title={"text": "Battery state of charge and data buffer over the mission"},
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(title_text="mission sol (sol 0 = landing sol)")
    fig.update_yaxes(title_text="state of charge (%)", range=[0, 100], secondary_y=False)
    fig.update_yaxes(title_text="buffer (Mbit)", secondary_y=True, showgrid=False,
                     rangemode="tozero")
    return fig


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
