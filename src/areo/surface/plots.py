"""Campaign figures (matplotlib): the sol-by-sol Gantt, battery state of charge, data.

:func:`campaign_figure` draws, on a shared mission-sol axis, the activities by category
(each bar at its sol and LMST, phases shaded above), the battery state of charge through
every sol with the floor and the end-of-sol target, and the data returned per sol with the
onboard buffer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["campaign_figure", "sol_figure"]

_ROWS = ("Mobility", "Remote sensing", "Drilling", "Analytical lab", "Communications")
_PHASE_COLORS = {"commissioning": "#dddddd", "EC": "#d8e8f6", "VS": "#f6e2cf"}


def campaign_figure(campaign: Any, path: str | Path | None = None, *, title: str | None = None
                    ) -> Any:
    """Gantt + SOC + data figure of a :class:`~areo.surface.campaign.Campaign`; saved
    atomically to ``path`` when given. Returns the matplotlib figure."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from areo.surface.campaign import activity_category, category_color

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

    from areo.surface.campaign import activity_category, category_color

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
