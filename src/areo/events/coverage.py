"""Coverage of Mars by a nadir swath instrument: which cells of a latitude/longitude grid a
swath of given width sweeps over a period, how often, and the covered fraction of the
planet or of a latitude band (area-weighted).

The ground track is sampled at the sub-orbiter point (planetodetic nadir on the IAU 2015
ellipsoid) with an along-track spacing of at most a quarter of the swath or of a cell; a
cell counts as seen when its centre lies within half a swath (great-circle distance on the
mean sphere, R = 3389.5 km) of a track sample, optionally only with the Sun high enough
at the cell. Edges are therefore as fine as a quarter swath along track.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from areo import validate
from areo.ephem import default_ephemeris
from areo.errors import ParameterError
from areo.events.passes import as_trajectory
from areo.frames.ellipsoid import MARS_ELLIPSOID, cartesian_to_planetodetic
from areo.frames.mars import to_iau_mars
from areo.io.records import dumps, span_text, utc_column
from areo.time import Time

__all__ = ["Coverage", "coverage"]

#: IAU 2015 mean radius of Mars (Archinal et al. 2018), km.
MEAN_RADIUS_KM = 3389.50


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    cl = np.cos(lat)
    return np.stack([cl * np.cos(lon), cl * np.sin(lon), np.sin(lat)], axis=-1)


@dataclass(frozen=True, eq=False)  # arrays compare element-wise
class Coverage:
    """A coverage map: cells of ``cell_deg`` with pass counts and first-seen epochs."""

    lat_edges_deg: np.ndarray
    lon_edges_deg: np.ndarray
    passes: np.ndarray  # (n_lat, n_lon) distinct passes over each cell
    first_et: np.ndarray  # (n_lat, n_lon) first epoch seen, NaN if never
    swath_km: float
    start_et: float
    stop_et: float

    @property
    def covered(self) -> np.ndarray:
        return self.passes > 0

    @property
    def lat_centers_deg(self) -> np.ndarray:
        return 0.5 * (self.lat_edges_deg[1:] + self.lat_edges_deg[:-1])

    @property
    def lon_centers_deg(self) -> np.ndarray:
        return 0.5 * (self.lon_edges_deg[1:] + self.lon_edges_deg[:-1])

    def fraction(self, lat_min_deg: float = -90.0, lat_max_deg: float = 90.0) -> float:
        """Area-weighted covered fraction of the band ``[lat_min_deg, lat_max_deg]``."""
        lo, hi = np.radians(self.lat_edges_deg[:-1]), np.radians(self.lat_edges_deg[1:])
        band = (self.lat_centers_deg >= lat_min_deg) & (self.lat_centers_deg <= lat_max_deg)
        if not band.any():
            raise ParameterError(
                f"no cell centre lies in the band {lat_min_deg}..{lat_max_deg} deg: widen it"
            )
        area = (np.sin(hi) - np.sin(lo))[band][:, None] * np.ones(self.passes.shape[1])
        return float(np.sum(area * self.covered[band]) / np.sum(area))

    @property
    def cell_deg(self) -> float:
        return float(self.lat_edges_deg[1] - self.lat_edges_deg[0])

    def to_frame(self):
        """One row per cell: ``lat_deg``, ``lon_east_deg`` (centres), ``passes``,
        ``first_seen_utc`` (``datetime64[ns, UTC]``, NaT if never seen)."""
        import pandas as pd

        lat, lon = np.meshgrid(self.lat_centers_deg, self.lon_centers_deg, indexing="ij")
        first = np.where(self.covered, self.first_et, np.nan).ravel()
        return pd.DataFrame({
            "lat_deg": lat.ravel(), "lon_east_deg": lon.ravel(),
            "passes": self.passes.ravel(), "first_seen_utc": utc_column(first),
        })

    def to_dict(self) -> dict[str, Any]:
        """The map: ``{"kind": "Coverage", "swath_km", "start", "stop" (UTC ISO),
        "cell_deg", "covered_fraction", "lat_edges_deg", "lon_edges_deg", "passes"}`` with
        ``passes`` a list of rows (one per latitude band, south to north)."""
        start, stop = Time.from_et([self.start_et, self.stop_et]).iso
        return {
            "kind": "Coverage", "swath_km": self.swath_km, "start": str(start),
            "stop": str(stop), "cell_deg": self.cell_deg, "covered_fraction": self.fraction(),
            "lat_edges_deg": self.lat_edges_deg, "lon_edges_deg": self.lon_edges_deg,
            "passes": self.passes,
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"Coverage: {100.0 * self.fraction():.1f} % of Mars seen by a "
                f"{self.swath_km:g} km swath in {self.cell_deg:g} deg cells, "
                f"{span_text(self.start_et, self.stop_et)}")

    def plot(self, path: str | None = None, title: str | None = None):
        """A map of pass counts per cell: interactive (plotly) when no ``path`` is given or
        it ends in .html, else static (matplotlib) saved to ``path`` (PNG, SVG, PDF)."""
        if path is None or str(path).lower().endswith(".html"):
            import plotly.graph_objects as go

            from areo.io.figures import LAYOUT, label, show_or_save

            fig = go.Figure(go.Heatmap(
                x=self.lon_centers_deg, y=self.lat_centers_deg,
                z=np.where(self.covered, self.passes, np.nan), colorscale="Viridis",
                colorbar={"title": "passes"},
                hovertemplate="%{y:.1f}° N, %{x:.1f}° E: %{z} passes<extra></extra>"))
            fig.update_layout(**LAYOUT, height=480, title={"text": label(title or repr(self))},
                              xaxis={"title": "east longitude (°)", "range": [0, 360]},
                              yaxis={"title": "planetocentric latitude (°)",
                                     "range": [-90, 90]})
            return show_or_save(fig, path)
        import matplotlib

        if path is not None:
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 5), dpi=120)
        shown = np.where(self.covered, self.passes, np.nan)
        mesh = ax.pcolormesh(self.lon_edges_deg, self.lat_edges_deg, shown, cmap="viridis",
                             shading="flat")
        fig.colorbar(mesh, ax=ax, label="passes")
        ax.set_xlabel("east longitude (deg)")
        ax.set_ylabel("planetocentric latitude (deg)")
        ax.set_xlim(0, 360)
        ax.set_ylim(-90, 90)
        ax.set_title(title or (
            f"Coverage, {self.swath_km:g} km swath, {Time.from_et(self.start_et).iso[:16]} to "
            f"{Time.from_et(self.stop_et).iso[:16]} ({100 * self.fraction():.1f} % of Mars)"
        ))
        ax.grid(alpha=0.3)
        if path is not None:
            from areo._files import save_figure

            save_figure(fig, path)
            plt.close(fig)
        return fig


def coverage(
    orbiter: Any,
    start: Any,
    stop: Any,
    *,
    swath_km: float,
    cell_deg: float = 1.0,
    max_incidence_deg: float | None = None,
    step_s: float | None = None,
    chunk: int = 20000,
) -> Coverage:
    """Cells of Mars swept by a nadir swath of ``swath_km`` between ``start`` and ``stop``.

    ``max_incidence_deg`` keeps only samples where the Sun at the cell is at most that far
    from the zenith (daylight imaging). ``step_s`` defaults to a quarter of the smaller of
    the swath and a cell, divided by the ground speed.
    """
    swath_km = float(validate.positive(swath_km, "swath_km", unit="km", hint="the swath width"))
    if max_incidence_deg is not None:
        validate.in_range(max_incidence_deg, "max_incidence_deg", 0.0, 180.0, unit="deg",
                    hint="the largest Sun angle from the zenith at the cell, or None")
    if not (np.isfinite(cell_deg) and 0.05 <= cell_deg <= 30.0 and (180.0 / cell_deg) % 1 < 1e-9):
        raise ParameterError(
            f"cell_deg {cell_deg} must divide 180 and lie within 0.05..30 (e.g. 0.5, 1, 2)"
        )
    t0, t1 = float(Time(start).et), float(Time(stop).et)
    if not t1 > t0:
        raise ParameterError("coverage window is empty or inverted: stop must follow start")
    traj = as_trajectory(orbiter)
    probe = traj(np.array([t0, t0 + 1.0]))
    body = to_iau_mars(probe[:, :3], np.array([t0, t0 + 1.0]))
    radius = np.linalg.norm(body[0])
    ground_speed = np.linalg.norm(body[1] - body[0]) * MEAN_RADIUS_KM / radius
    cell_km = np.radians(cell_deg) * MEAN_RADIUS_KM
    if step_s is None:
        step_s = 0.25 * min(swath_km, cell_km) / max(ground_speed, 1e-3)
    step_s = float(validate.positive(step_s, "step_s", unit="s", hint="or leave it None"))
    validate.sample_count(t0, t1, step_s, labels=(str(Time.from_et(t0).iso),
                                            str(Time.from_et(t1).iso)))

    lat_edges = np.arange(-90.0, 90.0 + 0.5 * cell_deg, cell_deg)
    lon_edges = np.arange(0.0, 360.0 + 0.5 * cell_deg, cell_deg)
    lat_c = np.radians(0.5 * (lat_edges[1:] + lat_edges[:-1]))
    lon_c = np.radians(0.5 * (lon_edges[1:] + lon_edges[:-1]))
    glat, glon = np.meshgrid(lat_c, lon_c, indexing="ij")
    cells = _unit(glat.ravel(), glon.ravel())
    from scipy.spatial import cKDTree  # 0.2 s to import: only when coverage is computed

    tree = cKDTree(cells)
    chord = 2.0 * np.sin(0.5 * swath_km / 2.0 / MEAN_RADIUS_KM)

    n_cells = cells.shape[0]
    passes = np.zeros(n_cells, dtype=np.int64)
    first = np.full(n_cells, np.nan)
    last_seen = np.full(n_cells, -2, dtype=np.int64)
    eph = default_ephemeris()
    et_all = np.arange(t0, t1, step_s)
    et_all = np.append(et_all, t1) if et_all[-1] < t1 else et_all
    cos_limit = None if max_incidence_deg is None else np.cos(np.radians(max_incidence_deg))
    for c0 in range(0, et_all.size, chunk):
        et = et_all[c0:c0 + chunk]
        pos = to_iau_mars(traj(et)[:, :3], et)
        lat, lon, _ = cartesian_to_planetodetic(pos, a=MARS_ELLIPSOID.a, c=MARS_ELLIPSOID.c)
        ground = _unit(lat, lon)
        hits = tree.query_ball_point(ground, chord)
        counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        if not counts.any():
            continue
        sample = np.repeat(np.arange(et.size), counts) + c0
        cell = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits if h])
        if cos_limit is not None:
            sun = to_iau_mars(eph.state("sun", et, center="mars", abcorr="cn").position, et)
            sun_dir = sun / np.linalg.norm(sun, axis=1)[:, None]
            lit = np.einsum("ij,ij->i", cells[cell], sun_dir[sample - c0]) >= cos_limit
            sample, cell = sample[lit], cell[lit]
        # Samples come in time order: a cell seen again by the next sample is the same pass.
        order = np.lexsort((sample, cell))
        sample, cell = sample[order], cell[order]
        prev = np.concatenate([[-2], sample[:-1]])
        same_cell = np.concatenate([[False], cell[1:] == cell[:-1]])
        prev = np.where(same_cell, prev, last_seen[cell])
        new_pass = sample - prev > 1
        np.add.at(passes, cell[new_pass], 1)
        unseen = np.isnan(first[cell])
        first_idx = np.flatnonzero(unseen & ~same_cell)
        first[cell[first_idx]] = et_all[sample[first_idx]]
        last_seen[cell] = np.maximum(last_seen[cell], sample)
    shape = (lat_c.size, lon_c.size)
    return Coverage(lat_edges, lon_edges, passes.reshape(shape), first.reshape(shape),
                    float(swath_km), t0, t1)
