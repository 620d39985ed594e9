"""Mission sol clocks: sol number and local mean solar time (LMST) of a landed mission.

NASA convention: sol 0 is the landing sol and starts at local mean midnight at the landing
longitude (e.g. MSL: sol 0 began 2012-08-05 13:50:00 UTC at the planned 137.42 E). The clock
then runs linearly in TDB with a fixed sol length, as the LMST SCLK kernels do (NASA's use
88775.244 s; ESA ExoMars uses 88775.244147 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.constants import SOL_MARS24_S, SOL_NASA_LMST_S
from areo.errors import ParameterError
from areo.time.core import Time, TimeLike, _squeeze
from areo.time.mars import local_mean_solar_time

__all__ = ["MissionClock"]


@dataclass(frozen=True)
class MissionClock:
    """The LMST clock of a landed mission.

    ``sol0_midnight`` is the epoch where sol 0 starts; build the clock with
    :meth:`from_landing` to derive it from the landing time and longitude with the Mars24
    clock, or pass it directly (e.g. from an LMST SCLK kernel).
    """

    sol0_midnight: Time
    lon_east_deg: float
    sol_s: float = SOL_NASA_LMST_S
    name: str = ""

    def __post_init__(self) -> None:
        if not np.isfinite(self.sol_s) or not 80000.0 < self.sol_s < 100000.0:
            raise ParameterError(
                f"sol length {self.sol_s} s is not a Mars solar day: use about 88775.244 s"
            )

    @classmethod
    def from_landing(
        cls,
        landing: TimeLike,
        lon_east_deg: float,
        sol_s: float = SOL_NASA_LMST_S,
        name: str = "",
    ) -> MissionClock:
        """Clock whose sol 0 is the sol of ``landing`` at ``lon_east_deg``."""
        t = Time(landing)
        if not t.is_scalar:
            raise ParameterError("landing must be a single epoch, not an array")
        lmst_h = float(local_mean_solar_time(t, lon_east_deg))
        # The local midnight before landing, on the Mars24 mean-solar clock.
        midnight = t - lmst_h / 24.0 * SOL_MARS24_S
        return cls(midnight, float(lon_east_deg), float(sol_s), name)

    def elapsed_sols(self, t: TimeLike) -> Any:
        """Sols since the start of sol 0, as a real number."""
        return _squeeze((Time(t).et - self.sol0_midnight.et) / self.sol_s)

    def sol(self, t: TimeLike) -> Any:
        """Mission sol number (sol 0 = landing sol; negative before it)."""
        return _squeeze(np.floor(np.asarray(self.elapsed_sols(t))).astype(np.int64))

    def lmst_hours(self, t: TimeLike) -> Any:
        """Mission local mean solar time in hours, [0, 24)."""
        return _squeeze(24.0 * np.mod(np.asarray(self.elapsed_sols(t)), 1.0))

    def time_of(self, sol: Any, lmst_hours: Any = 0.0) -> Time:
        """The epoch of a mission sol and LMST (inverse of :meth:`sol` / :meth:`lmst_hours`)."""
        sols = np.asarray(sol, dtype=float) + np.asarray(lmst_hours, dtype=float) / 24.0
        return self.sol0_midnight + sols * self.sol_s

    def label(self, t: TimeLike) -> Any:
        """Labels such as ``'Sol 0012 14:03:27'``."""
        sols = np.atleast_1d(self.sol(t))
        hours = np.atleast_1d(self.lmst_hours(t))
        out = np.empty(sols.size, dtype=object)
        for k, (s, h) in enumerate(zip(sols.ravel(), hours.ravel(), strict=True)):
            total = min(int(np.floor(h * 3600.0 + 1e-6)), 86399)
            out[k] = f"Sol {s:04d} {total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
        return _squeeze(out.reshape(np.shape(self.sol(t))))

    def __repr__(self) -> str:
        who = f"{self.name}: " if self.name else ""
        return (
            f"MissionClock({who}sol 0 from {self.sol0_midnight.iso} at "
            f"{self.lon_east_deg:.4f} E, sol = {self.sol_s} s)"
        )
