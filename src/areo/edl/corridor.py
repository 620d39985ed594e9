"""The entry corridor: the flight-path angles a vehicle can enter at, from one batch.

Every angle of a grid is flown (the vehicle's reference bank, nominal atmosphere) from the
same entry point and speed: the shallow edge is where it stops landing (skips out, or
flies past the time limit), the steep edge where the peak load or the peak Sutton-Graves
heat rate passes its limit, or the descent runs out of altitude (a hard impact).

>>> from areo.edl import entry_from_site
>>> from areo.edl.corridor import entry_corridor
>>> c = entry_corridor(entry_from_site("mer", None, "2004-01-04T04:29Z"))
>>> c.shallow_deg > c.steep_deg
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.edl import _kernels as K
from areo.edl.atmosphere import Atmosphere
from areo.edl.dynamics import FlightOptions, fly, local_state
from areo.edl.entry import EntryState, reference_vehicle
from areo.validate import in_range

__all__ = ["Corridor", "entry_corridor"]


@dataclass
class Corridor:
    """Peak load, heat rate and outcome per entry flight-path angle; the corridor's edges
    (NaN where the grid does not reach one)."""

    entry: EntryState
    fpa_deg: np.ndarray
    status: np.ndarray
    peak_g: np.ndarray
    peak_heat_w_cm2: np.ndarray
    heat_load_j_cm2: np.ndarray
    g_limit: float
    heat_limit_w_cm2: float

    @property
    def ok(self) -> np.ndarray:
        return (self.status == K.S_LANDED) & (self.peak_g <= self.g_limit) & (
            self.peak_heat_w_cm2 <= self.heat_limit_w_cm2)

    @property
    def shallow_deg(self) -> float:
        """Shallowest angle of the grid inside the corridor (deg)."""
        return float(self.fpa_deg[self.ok].max()) if self.ok.any() else math.nan

    @property
    def steep_deg(self) -> float:
        """Steepest angle of the grid inside the corridor (deg)."""
        return float(self.fpa_deg[self.ok].min()) if self.ok.any() else math.nan

    def to_frame(self) -> Any:
        import pandas as pd

        from areo.edl.montecarlo import STATUS_NAMES

        return pd.DataFrame({"fpa_deg": self.fpa_deg,
                             "status": [STATUS_NAMES[int(s)] for s in self.status],
                             "peak_g": self.peak_g, "peak_heat_w_cm2": self.peak_heat_w_cm2,
                             "heat_load_j_cm2": self.heat_load_j_cm2,
                             "in_corridor": self.ok})

    def to_dict(self) -> dict[str, Any]:
        return {"vehicle": self.entry.vehicle.key, "shallow_deg": self.shallow_deg,
                "steep_deg": self.steep_deg, "g_limit": self.g_limit,
                "heat_limit_w_cm2": self.heat_limit_w_cm2,
                "items": self.to_frame().to_dict(orient="records")}

    def to_json(self, **kw: Any) -> str:
        from areo.io.records import dumps

        return dumps(self.to_dict(), **kw)

    def plot(self, path: Any = None) -> Any:
        """Peak load and heat rate against the flight-path angle, the corridor shaded."""
        import plotly.graph_objects as go

        from areo.io.figures import label, show_or_save

        fig = go.Figure()
        fig.add_trace(go.Scatter(x=self.fpa_deg, y=self.peak_g, name="peak load, g"))
        fig.add_trace(go.Scatter(x=self.fpa_deg, y=self.peak_heat_w_cm2, yaxis="y2",
                                 name="peak heat rate, W/cm2"))
        if self.ok.any():
            fig.add_vrect(x0=self.steep_deg, x1=self.shallow_deg, fillcolor="#2ca02c",
                          opacity=0.12, line_width=0)
        fig.update_layout(title=label(repr(self)), xaxis_title="entry flight-path angle, deg",
                          yaxis_title="peak load, g", template="plotly_white",
                          yaxis2={"title": "peak heat rate, W/cm2", "overlaying": "y",
                                  "side": "right"})
        return show_or_save(fig, path)

    def __repr__(self) -> str:
        return (f"Corridor: {self.entry.vehicle.key} at {self.entry.speed_kms:.2f} km/s, "
                f"{self.steep_deg:.2f} to {self.shallow_deg:.2f} deg (peak <= "
                f"{self.g_limit:g} g, <= {self.heat_limit_w_cm2:g} W/cm2)")


def entry_corridor(entry: EntryState, fpa_deg: Any = None, *, g_limit: float = 15.0,
                   heat_limit_w_cm2: float = 150.0,
                   atmosphere: str | Atmosphere | None = None,
                   options: FlightOptions | None = None) -> Corridor:
    """Fly ``fpa_deg`` (default -6 to -25 deg by 0.25) from the entry point and inertial
    speed of ``entry``; limits on the peak load (Earth g) and heat rate (W/cm^2)."""
    g_limit = float(in_range(g_limit, "g_limit", 1.0, 200.0, unit="g"))
    heat = float(in_range(heat_limit_w_cm2, "heat_limit_w_cm2", 1.0, 10000.0, unit="W/cm^2"))
    grid = np.arange(-25.0, -5.99, 0.25) if fpa_deg is None else np.atleast_1d(
        np.asarray(fpa_deg, dtype=float))
    in_range(grid, "fpa_deg", -60.0, -1.0, unit="deg")
    v = reference_vehicle(entry.vehicle, entry.target)
    y0 = np.array([local_state(entry.lat_deg, entry.lon_east_deg, entry.alt_km,
                               entry.speed_kms, f, entry.azimuth_deg, v.entry_mass_kg)
                   for f in grid])
    out = fly(v, y0, atmosphere, target_deg=(entry.target.lat_deg,
                                             entry.target.lon_east_deg), options=options)
    return Corridor(entry, grid, out.status, out.peak[:, K.P_G], out.peak[:, K.P_HEAT] / 1e4,
                    out.peak[:, K.P_LOAD] / 1e4, g_limit, heat)
