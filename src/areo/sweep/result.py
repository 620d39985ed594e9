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

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SweepResult", "trade_figure", "trade_figures"]

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

    def plot(self, path: str | Path | None = None, *, y: str | None = None,
             x: str | None = None, color: str | None = None) -> Any:
        """One output (``y``, default the first numeric one) against one parameter (``x``,
        default the first), coloured by another parameter (default the second, if any);
        written to ``path`` (.html) when given.

        >>> result.plot(y="relay.mean_mbit_per_sol", x="landing.utc")   # doctest: +SKIP
        """
        from areo.io.figures import show_or_save

        return show_or_save(trade_figure(self, y=y, x=x, color=color), path)


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


def _axis(series: Any) -> list[Any]:
    """A frame column as plotly values: times as UTC strings (plotly's date axis), the
    rest as they are."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        t = pd.to_datetime(series, utc=True).dt.round("ms")
        return [None if pd.isna(v) else v.strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] for v in t]
    return list(series)


def trade_figure(result: SweepResult, *, y: str | None = None, x: str | None = None,
                 color: str | None = None) -> Any:
    """A collected output against a varied parameter, one marker per variant that ran;
    with ``color`` (another parameter) one line per value of it (up to ten values) or a
    colour scale (sampled numbers). Failed variants are marked at the foot of the axis."""
    import plotly.graph_objects as go

    from areo.io.figures import LAYOUT, PALETTE, label

    params, outs = result.columns()
    if not outs:
        from areo.errors import ParameterError

        raise ParameterError("this sweep collected no output to plot")
    df = result.to_frame()
    yc = _col(result, y, outs, "output") or next(
        (c for c in outs if _numeric(df[c])),
        next((c for c in outs if _is_time(c)), outs[0]))
    xc = _col(result, x, params, "parameter") or params[0]
    cc = _col(result, color, params, "parameter")
    if cc is None and color is None:
        cc = next((p for p in params if p != xc), None)
    ok = df[df["status"] == "ok"].sort_values(xc, kind="stable")
    fig = go.Figure()
    groups = ok[cc].nunique() if cc is not None else 0
    hover = "%{text}<br>%{x}<br>%{y}<extra></extra>"
    if cc is not None and 1 < groups <= len(PALETTE):
        for k, (val, g) in enumerate(ok.groupby(cc, sort=True)):
            fig.add_trace(go.Scatter(
                x=_axis(g[xc]), y=_axis(g[yc]), mode="lines+markers",
                name=label(f"{cc} = {_fmt(val)}"), line={"color": PALETTE[k]},
                text=[label(v) for v in g["variant"]], hovertemplate=hover))
    else:
        marker: dict[str, Any] = {"size": 8, "color": PALETTE[0]}
        if cc is not None and _numeric(ok[cc]):
            marker = {"size": 8, "color": list(ok[cc]), "colorscale": "Viridis",
                      "showscale": True, "colorbar": {"title": {"text": label(cc)}}}
        fig.add_trace(go.Scatter(
            x=_axis(ok[xc]), y=_axis(ok[yc]), mode="markers", name=label(yc), marker=marker,
            text=[label(v) for v in ok["variant"]], hovertemplate=hover))
    bad = df[df["status"] != "ok"]
    if len(bad):
        foot = _axis(ok[yc].sort_values().head(1)) if len(ok) else [0.0]
        fig.add_trace(go.Scatter(
            x=_axis(bad[xc]), y=foot * len(bad), mode="markers", name="failed",
            marker={"symbol": "x", "color": "#c1440e", "size": 10},
            text=[label(e) for e in bad["error"]],
            hovertemplate="%{text}<extra>failed</extra>"))
    fig.update_layout(**LAYOUT, height=380, title={"text": label(f"{yc} vs {xc}")},
                      xaxis={"title": label(xc), **({"type": "date"} if _is_time(xc) else {})},
                      yaxis={"title": label(yc), **({"type": "date"} if _is_time(yc) else {})},
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
