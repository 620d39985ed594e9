"""Ground tracks on Mars: planetocentric latitude, east longitude and altitude of the
sub-spacecraft point, from any propagator, and a plot on a plain latitude/longitude map
with the catalog landing sites marked (no map tiles, nothing downloaded).

The body-fixed position comes from rotating the ICRF state into IAU_MARS (IAU 2015 with its
periodic terms, :func:`areo.frames.to_iau_mars`); latitude and longitude are
planetocentric (SPICE ``reclat``), altitude is the height above the IAU 2015 ellipsoid
along its normal (SPICE ``recgeo``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from areo.errors import ParameterError
from areo.io.records import collection, dumps, span_text, utc_column

__all__ = ["GroundTrack", "groundtrack", "groundtrack_figure", "plot_groundtrack"]


@dataclass
class GroundTrack:
    """Sub-spacecraft points: arrays ``(m,)`` for one orbit or ``(n, m)`` for a batch."""

    time: Any
    lat_deg: np.ndarray
    lon_east_deg: np.ndarray
    alt_km: np.ndarray
    name: str = ""

    @classmethod
    def from_states(cls, time: Any, states: Any, *, body: str = "mars",
                    name: str = "") -> GroundTrack:
        """From ICRF Mars-centred states ``(m, 6)``/``(n, m, 6)`` (or positions) at ``time``."""
        from areo.frames import (
            cartesian_to_planetocentric,
            cartesian_to_planetodetic,
            to_iau_mars,
        )
        from areo.time import Time

        if str(body).lower() != "mars":
            raise ParameterError(f"ground tracks are computed on Mars only, not {body!r}")
        t = time if isinstance(time, Time) else Time(time)
        pos = np.asarray(states, dtype=float)[..., :3]
        fixed = to_iau_mars(pos, t)
        lat, lon, _ = cartesian_to_planetocentric(fixed)
        ok = np.all(np.isfinite(fixed), axis=-1)
        safe = np.where(ok[..., None], fixed, 1e4)
        _, _, h = cartesian_to_planetodetic(safe)
        nan = np.nan
        return cls(t, np.where(ok, np.degrees(lat), nan),
                   np.where(ok, np.degrees(lon) % 360.0, nan), np.where(ok, h, nan), name)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per finite point: ``utc`` (ISO string), (``orbit`` for a batch),
        ``lat_deg``, ``lon_east_deg``, ``alt_km`` (the ``areo groundtrack --json`` rows)."""
        utc = np.atleast_1d(self.time.utc_iso(decimals=3))
        lat = np.atleast_2d(self.lat_deg)
        lon = np.atleast_2d(self.lon_east_deg)
        alt = np.atleast_2d(self.alt_km)
        batch = np.ndim(self.lat_deg) == 2
        rows = []
        for i in range(lat.shape[0]):
            for j in range(lat.shape[1]):
                if not np.isfinite(lat[i, j]):
                    continue
                row: dict[str, Any] = {"utc": str(utc[j])}
                if batch:
                    row["orbit"] = i
                row.update(lat_deg=float(lat[i, j]), lon_east_deg=float(lon[i, j]),
                           alt_km=float(alt[i, j]))
                rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "GroundTrack", "name", "count", "items": to_records()}``."""
        return collection("GroundTrack", self.to_records(), name=self.name)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def to_frame(self):
        """The finite points: ``utc`` (``datetime64[ns, UTC]``), (``orbit`` for a batch),
        ``lat_deg``, ``lon_east_deg``, ``alt_km``."""
        import pandas as pd

        lat = np.atleast_2d(self.lat_deg)
        et = np.broadcast_to(np.atleast_1d(self.time.et), lat.shape)
        orbit = np.broadcast_to(np.arange(lat.shape[0])[:, None], lat.shape)
        ok = np.isfinite(lat)
        cols: dict[str, Any] = {"utc": utc_column(et[ok])}
        if np.ndim(self.lat_deg) == 2:
            cols["orbit"] = orbit[ok]
        cols.update(lat_deg=lat[ok], lon_east_deg=np.atleast_2d(self.lon_east_deg)[ok],
                    alt_km=np.atleast_2d(self.alt_km)[ok])
        return pd.DataFrame(cols)

    def __repr__(self) -> str:
        lat = np.atleast_2d(self.lat_deg)
        n = int(np.count_nonzero(np.isfinite(lat)))
        who = f" of {self.name}" if self.name else ""
        et = np.atleast_1d(self.time.et)
        span = span_text(float(et.min()), float(et.max())) if et.size else "no epochs"
        batch = f" ({lat.shape[0]} orbits)" if np.ndim(self.lat_deg) == 2 else ""
        return f"GroundTrack: {n} points{who}{batch} on Mars, {span}"

    def plot(self, path: str | Path | None = None, **kwargs: Any):
        """The track on a latitude / east-longitude map with the catalog's sites (plotly,
        :func:`groundtrack_figure`); saved to ``path`` when given: .html interactive, .png,
        .pdf or .svg static (:func:`plot_groundtrack`, matplotlib, taking its keywords)."""
        from areo.io.figures import show_or_save

        if kwargs or (path is not None and Path(path).suffix.lower() != ".html"):
            return plot_groundtrack(self, path, **kwargs)
        lat, lon = np.atleast_2d(self.lat_deg), np.atleast_2d(self.lon_east_deg)
        et = np.atleast_1d(self.time.et)
        tracks = [(self.name or "ground track" if len(lat) == 1 else f"{self.name} {i}".strip(),
                   et, lat[i], lon[i]) for i in range(len(lat))]
        return show_or_save(groundtrack_figure(tracks, title=repr(self)), path)


def groundtrack(orbit: Any, t: Any, model: str = "kepler", **kwargs: Any) -> GroundTrack:
    """Ground track of ``orbit`` (:class:`areo.orbits.Orbit`) at epochs ``t``."""
    traj = orbit.propagate(t, model=model, **kwargs)
    gt = traj.groundtrack()
    gt.name = orbit.name or ""
    return gt


def _split_at_dateline(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Insert NaN where the track wraps from 360 to 0 so matplotlib breaks the line.
    jump = np.abs(np.diff(lon)) > 180.0
    idx = np.nonzero(jump)[0] + 1
    return np.insert(lon, idx, np.nan), np.insert(lat, idx, np.nan)


def plot_groundtrack(
    track: GroundTrack,
    path: str | Path | None = None,
    *,
    sites: bool = True,
    title: str | None = None,
    ax: Any = None,
    dpi: int = 130,
):
    """Plot ground tracks on an equirectangular latitude / east-longitude map.

    Catalog landing sites (``areo.catalog.sites()``) are marked and labelled when
    ``sites``. Longitudes are planetocentric east, 0-360 deg, as in the report and the CLI.
    Saves to ``path`` (PNG, SVG, PDF by suffix) when given. Returns the matplotlib figure.
    """
    import matplotlib

    if ax is None:
        matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 5.8))
    else:
        fig = ax.figure
    from areo.catalog import basemap

    bm = basemap("mars")
    ax.imshow(bm.pixels(), extent=bm.extent, origin="upper", aspect="auto", alpha=0.85,
              zorder=0)
    ax.text(1.0, -0.12, bm.credit, transform=ax.transAxes, ha="right", va="top", fontsize=6,
            color="0.45")
    lat = np.atleast_2d(track.lat_deg)
    lon = np.atleast_2d(track.lon_east_deg) % 360.0
    for i in range(lat.shape[0]):
        x, y = _split_at_dateline(lon[i], lat[i])
        ax.plot(x, y, lw=1.0, color=f"C{i % 10}",
                label=track.name if (i == 0 and track.name) else None)
    if lat.shape[1]:
        ax.plot(lon[:, 0], lat[:, 0], "o", color="k", ms=4, label="start")
    if sites:
        from matplotlib import patheffects

        from areo import catalog

        halo = patheffects.withStroke(linewidth=2.0, foreground="white")
        for s in catalog.sites():
            if s.body != "mars":
                continue
            x = s.lon_east_deg % 360.0
            ax.plot(x, s.lat_deg, marker="^", color="white", mec="black", ms=6, ls="none")
            ax.annotate(s.key.replace("_", " "), (x, s.lat_deg), xytext=(3, 3),
                        textcoords="offset points", fontsize=7, color="black",
                        path_effects=[halo])
    ax.set_xlim(0, 360)
    ax.set_ylim(-90, 90)
    ax.set_xticks(np.arange(0, 361, 30))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.grid(True, lw=0.4, color="0.7")
    ax.set_aspect("equal")
    ax.set_xlabel("planetocentric longitude (deg east)")
    ax.set_ylabel("planetocentric latitude (deg)")
    if title is None:
        t = track.time
        title = (f"{track.name or 'Ground track'} on Mars, "
                 f"{t[0].iso[:16].replace('T', ' ')} to {t[-1].iso[:16].replace('T', ' ')} UTC")
    ax.set_title(title, fontsize=10)
    if track.name:
        ax.legend(loc="lower left", fontsize=8)
    if path is not None:
        from areo._files import save_figure

        save_figure(fig, path, dpi=dpi)
    return fig


def groundtrack_figure(tracks: Sequence[tuple[str, Any, Any, Any]], *, site: Any = None,
                       title: str = "") -> Any:
    """Ground tracks on an east-longitude (0-360) / latitude map (plotly) with the catalog's
    Mars sites, ``site`` (a catalog site) starred. ``tracks``: ``(label, et, lat_deg,
    lon_east_deg)`` per track, arrays of one length; lines break where a track wraps."""
    import plotly.graph_objects as go

    from areo import catalog
    from areo.io.figures import LAYOUT, PALETTE, add_basemap, label, utc_axis

    fig = go.Figure()
    add_basemap(fig)
    for k, (name, et, lat, lon) in enumerate(tracks):
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        jump = np.nonzero(np.abs(np.diff(lon)) > 180.0)[0] + 1
        times = np.insert(np.asarray([t[:19] for t in utc_axis(et)], dtype=object), jump, "")
        lon, lat = np.insert(lon, jump, np.nan), np.insert(lat, jump, np.nan)
        # a pale halo under each track keeps its colour (the orbiter's in every figure)
        # readable on the dark and the bright parts of the basemap
        fig.add_trace(go.Scatter(
            x=lon, y=lat, mode="lines", connectgaps=False, showlegend=False,
            hoverinfo="skip", line={"color": "rgba(255,255,255,0.65)", "width": 3.2}))
        fig.add_trace(go.Scatter(
            x=lon, y=lat, mode="lines", name=label(name), connectgaps=False,
            line={"color": PALETTE[k % len(PALETTE)], "width": 1.4}, customdata=times,
            hovertemplate="%{customdata} UTC<br>%{y:.2f}° N, %{x:.2f}° E<extra>"
                          f"{label(name)}</extra>"))
    others = [s for s in catalog.sites() if s.body == "mars"
              and (site is None or s.key != site.key)]
    fig.add_trace(go.Scatter(
        x=[s.lon_east_deg for s in others], y=[s.lat_deg for s in others],
        mode="markers+text", text=[label(s.key.replace("_", " ")) for s in others],
        textposition="top center", textfont={"size": 10, "color": "#111"},
        name="catalog sites",
        marker={"size": 7, "color": "white", "line": {"color": "#111", "width": 1}},
        hovertemplate="%{text}: %{y:.2f}° N, %{x:.2f}° E<extra></extra>"))
    if site is not None:
        fig.add_trace(go.Scatter(
            x=[site.lon_east_deg], y=[site.lat_deg], mode="markers+text",
            text=[label(site.name.split(" (")[0])],
            name=f"landing site: {label(site.name)}",
            textposition="bottom left" if site.lon_east_deg > 300 else (
                "bottom right" if site.lon_east_deg < 60 else "bottom center"),
            marker={"size": 16, "symbol": "star", "color": "gold",
                    "line": {"color": "black", "width": 1}},
            hovertemplate=f"{label(site.name)}<br>%{{y:.3f}}° N, %{{x:.3f}}° E"
                          "<extra></extra>"))
    fig.update_layout(
        **LAYOUT, height=500, title={"text": label(title)},
        xaxis={"title": "planetocentric east longitude (°)", "range": [0, 360], "dtick": 30,
               "showgrid": False, "zeroline": False},
        yaxis={"title": "planetocentric latitude (°)", "range": [-90, 90], "dtick": 30,
               "showgrid": False, "zeroline": False},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
