"""Array generation of a rover at its site over one sol: the environment meets the rover.

``sol_generation`` samples the surface irradiance (Appelbaum & Flood, DE440 geometry) over
a mission sol on the rover's LMST clock and scales it by the array's effective area and the
dust factor, giving the ``generation_w_fn(lmst_hours)`` that
:func:`areo.surface.rover.simulate_sol` (and the planners) consume.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.surface.environment import DustModel, irradiance_at
from areo.surface.rover import RoverModel
from areo.time import MissionClock

__all__ = ["SolGeneration", "sol_generation"]


@dataclass(frozen=True)
class SolGeneration:
    """Array power (W) over one sol sampled on LMST hours, and its energy (Wh)."""

    sol: int
    lmst_hours: np.ndarray
    power_w: np.ndarray
    tau: float
    dust_factor: float

    @property
    def energy_wh(self) -> float:
        """Energy over the sol: LMST hours are Mars hours (1/24 sol = 3698.97 s)."""
        from areo.surface.rover import LMST_HOUR_S

        return float(np.trapezoid(self.power_w, self.lmst_hours) * LMST_HOUR_S / 3600.0)

    def __repr__(self) -> str:
        return (f"SolGeneration: sol {self.sol}, {self.energy_wh:.0f} Wh, peak "
                f"{float(np.max(self.power_w)):.0f} W, tau {self.tau:g}, dust factor "
                f"{self.dust_factor:.3f}")

    def as_function(self) -> Callable[[Any], Any]:
        """``generation_w_fn(lmst_hours)`` for :func:`areo.surface.rover.simulate_sol`."""
        return lambda h: np.interp(np.asarray(h, dtype=float) % 24.0, self.lmst_hours,
                                   self.power_w)


def sol_generation(
    rover: RoverModel,
    site: Any,
    clock: MissionClock,
    sol: int,
    *,
    tau: float = 0.5,
    dust: DustModel | None = None,
    samples: int = 97,
) -> SolGeneration:
    """Array output of ``rover`` at ``site`` on mission ``sol`` (of ``clock``) for dust
    optical depth ``tau``; ``dust`` gives the array's dust factor on that sol (none: clean)."""
    hours = np.linspace(0.0, 24.0, int(samples))
    t = clock.time_of(np.full(hours.size, int(sol)), hours)
    irr = irradiance_at(site, t, tau)
    factor = 1.0 if dust is None else float(dust.factor(int(sol)))
    power = rover.array_power_w(np.asarray(irr.global_)) * factor
    return SolGeneration(int(sol), hours, np.asarray(power, dtype=float), float(tau), factor)
