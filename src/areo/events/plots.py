"""Timeline (Gantt) plots of event windows: passes per orbiter and site, with daylight."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from areo.events.windows import Windows
from areo.time import Time

__all__ = ["timeline"]

_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]


def _dates(et: np.ndarray) -> np.ndarray:
    import matplotlib.dates as mdates

    return mdates.date2num(np.atleast_1d(Time.from_et(et).to_datetime64()))


def timeline(
    rows: Mapping[str, Windows] | Sequence[tuple[str, Windows]],
    *,
    background: Mapping[str, Windows] | None = None,
    colors: Mapping[str, str] | None = None,
    title: str = "",
    path: str | None = None,
    background_label: str = "daylight",
) -> Any:
    """A Gantt chart: one row per label with its windows as bars.

    ``rows`` maps labels (e.g. ``"TGO / Jezero"``) to windows, in display order.
    ``background`` maps the same labels to windows drawn as a pale band behind the bars
    (e.g. daylight at the site). ``colors`` maps label prefixes (before ``" / "``) to
    colours. Saved atomically to ``path`` if given; returns the figure.
    """
    import matplotlib

    if path is not None:
        matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    items = list(rows.items()) if isinstance(rows, Mapping) else list(rows)
    fig, ax = plt.subplots(figsize=(12, 0.55 * len(items) + 1.6), dpi=120)
    prefixes: dict[str, str] = {}
    for k, (label, win) in enumerate(items):
        y = len(items) - 1 - k
        if background and label in background and len(background[label]):
            bg = background[label]
            x0 = _dates(bg.starts)
            ax.broken_barh(list(zip(x0, _dates(bg.ends) - x0, strict=True)), (y - 0.45, 0.9),
                           facecolors="#fff3b0", edgecolors="none", zorder=1)
        prefix = label.split(" / ")[0]
        color = (colors or {}).get(prefix) or prefixes.setdefault(
            prefix, _COLORS[len(prefixes) % len(_COLORS)])
        prefixes.setdefault(prefix, color)
        if len(win):
            x0 = _dates(win.starts)
            # a pass of a few minutes is a hairline on a week: give bars a visible minimum
            width = np.maximum(_dates(win.ends) - x0, 2.0 / 1440.0)
            ax.broken_barh(list(zip(x0, width, strict=True)), (y - 0.3, 0.6),
                           facecolors=color, edgecolors="none", zorder=2)
    ax.set_yticks(range(len(items)))
    ax.set_yticklabels([label for label, _ in reversed(items)])
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d\n%H:%M"))
    ax.set_xlabel("UTC")
    ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color=c, label=p) for p, c in prefixes.items()]
    if background:
        handles.append(Patch(color="#fff3b0", label=background_label))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    if path is not None:
        from areo._files import save_figure

        save_figure(fig, path)
        plt.close(fig)
    return fig
