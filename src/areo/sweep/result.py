"""The result of a sweep, with the result contract, and its trade figures.

:class:`SweepResult` holds one row per variant (inputs, collected outputs, status) and the
collected tables. ``to_frame()`` gives the rows with time columns (``*_utc``, e.g. the
varied ``landing.utc`` as ``landing_utc``) as ``datetime64[ns, UTC]``; ``to_dict()`` is a
collection (``{"kind": "SweepResult", ..., "count", "items"}``) of ``to_records()`` (times
as the ISO text the scenarios and summary.json hold); ``plot()`` draws one collected output
against one varied parameter (:func:`trade_figure`, the figure the sweep report shows for
every pair).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SweepResult", "trade_figure", "trade_figures"]

#: The mission report's plotly layout (areo.report.figures), for figures that sit beside
#: it in the same style.
LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 70, "r": 30, "t": 50, "b": 55},
    "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
    "hoverlabel": {"namelength": -1},
}
_COLORS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b",
           "#9d755d", "#bab0ac", "#ff9da6"]


def _is_time(col: str) -> bool:
    return col == "utc" or col.endswith("_utc")


@dataclass
class SweepResult:
    """A finished sweep: ``frame`` (one row per variant: ``variant``, ``seed``,
    ``status``, ``error``, parameters, outputs), ``tables`` (collected tables, each with
    a ``variant`` column), where it was written and how long it took."""

    name: str
    parameters: list[str]
    outputs: list[str]
    frame: Any
    tables: dict[str, Any] = field(default_factory=dict)
    out_dir: Path | None = None
    runtime_s: float = 0.0
    method: str = "grid"
    base: str = ""
    ran: int = 0
    skipped: int = 0

    # -- counts
    @property
    def n_ok(self) -> int:
        return int((self.frame["status"] == "ok").sum())

    @property
    def n_failed(self) -> int:
        return int((self.frame["status"] != "ok").sum())

    @property
    def failed(self) -> Any:
        """The rows of the variants that failed, with their one-line errors."""
        return self.frame[self.frame["status"] != "ok"]

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        varied = " x ".join(self.parameters[:3]) + (
            f" and {len(self.parameters) - 3} more" if len(self.parameters) > 3 else "")
        text = (f"SweepResult: {len(self)} variants of {self.name!r} ({self.method}: "
                f"{varied}), {self.n_ok} ok, {self.n_failed} failed, "
                f"{self.runtime_s:.1f} s")
        text = " ".join(text.split())
        return text if len(text) < 200 else text[:196] + "..."

    # -- the contract
    def columns(self) -> tuple[list[str], list[str]]:
        """(parameter columns, output columns) of the frame."""
        from areo.sweep.spec import column_name

        return ([column_name(p) for p in self.parameters],
                [column_name(k) for k in self.outputs])

    def to_frame(self) -> Any:
        """One row per variant; time columns (``*_utc``) as ``datetime64[ns, UTC]``."""
        import pandas as pd

        df = self.frame.copy()
        for c in df.columns:
            if _is_time(c):
                df[c] = pd.to_datetime(df[c], utc=True, format="ISO8601").astype(
                    "datetime64[ns, UTC]")
        return df

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per variant (times as the ISO text of the scenarios)."""
        from areo.io.records import jsonable

        return [jsonable({k: (None if isinstance(v, float) and math.isnan(v) else v)
                          for k, v in row.items()})
                for row in self.frame.to_dict(orient="records")]

    def to_dict(self) -> dict[str, Any]:
        from areo.io.records import collection

        return collection("SweepResult", self.to_records(), name=self.name,
                          base=self.base, method=self.method, parameters=self.parameters,
                          outputs=self.outputs, ok=self.n_ok, failed=self.n_failed,
                          tables=sorted(self.tables))

    def to_json(self, **kwargs: Any) -> str:
        from areo.io.records import dumps

        return dumps(self.to_dict(), **kwargs)

    def plot(self, y: str | None = None, x: str | None = None,
             color: str | None = None) -> Any:
        """One output (``y``, default the first) against one parameter (``x``, default
        the first), coloured by another parameter (default the second, if any).

        >>> result.plot("relay.mean_mbit_per_sol", "landing.utc")     # doctest: +SKIP
        """
        return trade_figure(self, y=y, x=x, color=color)


# ============================================================================ figures
def _col(result: SweepResult, name: str | None, pool: list[str], what: str) -> str | None:
    from areo.errors import ParameterError
    from areo.sweep.spec import column_name

    if name is None:
        return None
    c = column_name(name)
    if c not in pool:
        raise ParameterError(f"{what} {name!r} is not one of this sweep's {what}s (known: "
                             f"{', '.join(pool) or 'none'})")
    return c


def trade_figure(result: SweepResult, *, y: str | None = None, x: str | None = None,
                 color: str | None = None) -> Any:
    """A collected output against a varied parameter, one marker per variant that ran;
    with ``color`` (another parameter) one line per value of it (lists and ranges) or a
    colour scale (sampled values). Failed variants are marked on the axis."""
    import plotly.graph_objects as go

    from areo.errors import ParameterError

    params, outs = result.columns()
    num_outs = [c for c in outs if _numeric(result.frame[c])]
    if not num_outs:
        raise ParameterError("this sweep collected no numeric output to plot (collect a "
                             "number such as 'relay.mean_mbit_per_sol')")
    yc = _col(result, y, outs, "output") or num_outs[0]
    xc = _col(result, x, params, "parameter") or params[0]
    cc = _col(result, color, params, "parameter")
    if cc is None and color is None:
        cc = next((p for p in params if p != xc), None)
    df = result.to_frame()
    ok = df[df["status"] == "ok"].sort_values(xc, kind="stable")
    fig = go.Figure()
    groups = ok[cc].nunique() if cc is not None else 0
    if cc is not None and 1 < groups <= len(_COLORS):
        for k, (val, g) in enumerate(ok.groupby(cc, sort=True)):
            fig.add_trace(go.Scatter(
                x=g[xc], y=g[yc], mode="lines+markers",
                name=html.escape(f"{cc} = {_fmt(val)}"),
                line={"color": _COLORS[k % len(_COLORS)]},
                text=[html.escape(v) for v in g["variant"]],
                hovertemplate="%{text}<br>%{x}<br>%{y}<extra></extra>"))
    else:
        marker: dict[str, Any] = {"size": 8, "color": _COLORS[0]}
        if cc is not None and _numeric(ok[cc]):
            marker = {"size": 8, "color": ok[cc], "colorscale": "Viridis", "showscale": True,
                      "colorbar": {"title": {"text": html.escape(cc)}}}
        fig.add_trace(go.Scatter(
            x=ok[xc], y=ok[yc], mode="markers", name=html.escape(yc), marker=marker,
            text=[html.escape(v) for v in ok["variant"]],
            hovertemplate="%{text}<br>%{x}<br>%{y}<extra></extra>"))
    bad = df[df["status"] != "ok"]
    if len(bad):
        floor = float(ok[yc].min()) if len(ok) else 0.0  # failed variants sit on the floor
        fig.add_trace(go.Scatter(
            x=bad[xc], y=[floor] * len(bad), mode="markers", name="failed",
            marker={"symbol": "x", "color": "#c1440e", "size": 10},
            text=[html.escape(str(e)) for e in bad["error"]],
            hovertemplate="%{text}<extra>failed</extra>"))
    fig.update_layout(**LAYOUT, height=380, title=html.escape(f"{yc} vs {xc}"),
                      xaxis_title=html.escape(xc), yaxis_title=html.escape(yc),
                      showlegend=True)
    return fig


def trade_figures(result: SweepResult, *, max_figures: int = 24) -> dict[str, Any]:
    """Every numeric output against every varied parameter (``{id: figure}``), at most
    ``max_figures`` (outputs first)."""
    params, outs = result.columns()
    out: dict[str, Any] = {}
    for yc in outs:
        if not _numeric(result.frame[yc]):
            continue
        for xc in params:
            if len(out) >= max_figures:
                return out
            out[f"{yc}--{xc}"] = trade_figure(result, y=_path(result, yc, result.outputs),
                                              x=_path(result, xc, result.parameters))
    return out


def _path(result: SweepResult, column: str, names: list[str]) -> str:
    from areo.sweep.spec import column_name

    return next(n for n in names if column_name(n) == column)


def _numeric(series: Any) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_numeric_dtype(series)) and not pd.api.types.is_bool_dtype(
        series)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)
