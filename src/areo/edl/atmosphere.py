"""Mars atmosphere models for entry: ``density(h, lat, lon, Ls)`` and what the kernel needs.

Built-ins (no tables from GPL projects):

- :func:`exponential`: ``rho = rho0 exp(-h / H)`` with the NSSDC Mars fact sheet values
  (surface density ~0.020 kg/m^3, scale height 11.1 km, mean temperature ~210 K; Williams,
  NASA NSSDC "Mars Fact Sheet"). Isothermal, so the speed of sound is constant.
- :func:`glenn`: the NASA Glenn Research Center curve fit to Mars Global Surveyor data of
  April 1996 (Benson, NASA GRC "Beginner's Guide to Aeronautics", *Mars Atmosphere Model -
  Metric Units*): ``p = 0.699 exp(-0.00009 h)`` kPa, ``T = -31 - 0.000998 h`` deg C below
  7000 m and ``-23.4 - 0.00222 h`` above, ``rho = p / (0.1921 (T + 273.1))``. The fit's
  temperature falls below what Mars has above ~40 km (161 K there, 28 K at 100 km), so it
  is used up to :data:`GLENN_TOP_KM` and continued isothermally (the density and its slope
  continuous) above: say so when quoting results that depend on the upper atmosphere.
- :func:`from_table`: a user profile (h, T, p, rho, optional rho low/high: Mars-GRAM or
  Mars Climate Database output the user obtained), checked.

Every model has ``density``, ``temperature``, ``sound_speed`` and ``wind`` in SI at
altitudes in km (lat, lon east in degrees and Ls in degrees are accepted; the built-ins do
not depend on them), and :meth:`Atmosphere.grid` samples it for the compiled kernel, which
uses the profile at the target (an EDL footprint spans a few hundred km).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from areo.constants import UNIVERSAL_GAS_J_MOL_K
from areo.errors import ParameterError
from areo.validate import finite, in_range, positive

__all__ = [
    "GLENN_TOP_KM",
    "MARS_GAMMA",
    "MARS_MOLAR_MASS_KG_MOL",
    "MARS_R_SPECIFIC",
    "Atmosphere",
    "exponential",
    "from_table",
    "glenn",
    "model",
]

#: Mean molecular weight of the Mars atmosphere, 43.34 g/mol (NSSDC Mars Fact Sheet).
MARS_MOLAR_MASS_KG_MOL = 43.34e-3
#: Specific gas constant of the Mars atmosphere, J/(kg K): R / M = 191.8 ([C]; NASA Glenn's
#: fit uses 192.1).
MARS_R_SPECIFIC = UNIVERSAL_GAS_J_MOL_K / MARS_MOLAR_MASS_KG_MOL
#: Ratio of specific heats used for the speed of sound: CO2 near 200-250 K has
#: cp = 0.73-0.79 kJ/(kg K) (NIST Chemistry WebBook, CO2 ideal-gas cp), so cp / (cp - R)
#: = 1.31-1.35; 1.33 ([C]).
MARS_GAMMA = 1.33
#: Highest altitude (km) where the NASA Glenn fit is used (its temperature is below Mars's
#: above this; see the module docstring).
GLENN_TOP_KM = 40.0
#: Highest altitude an atmosphere table may describe or an entry start from, km.
TOP_KM = 200.0

# NSSDC Mars fact sheet (Williams, NASA GSFC): surface density, scale height, mean temp.
_NSSDC_RHO0 = 0.020
_NSSDC_H_KM = 11.1
_NSSDC_T_K = 210.0


@dataclass(frozen=True)
class Atmosphere:
    """An atmosphere profile on an altitude grid (km): density (kg/m^3), temperature (K),
    pressure (Pa), winds east/north (m/s); log-density interpolated linearly, so an
    exponential atmosphere is reproduced exactly between and beyond grid points.

    >>> atm = exponential()
    >>> round(float(atm.density(11.1)), 5)
    0.00736
    """

    name: str
    h_km: np.ndarray
    rho: np.ndarray
    temperature_k: np.ndarray
    pressure_pa: np.ndarray
    wind_east_ms: np.ndarray = field(default_factory=lambda: np.zeros(0))
    wind_north_ms: np.ndarray = field(default_factory=lambda: np.zeros(0))
    rho_low: np.ndarray | None = None
    rho_high: np.ndarray | None = None
    source: str = ""

    def _interp_log(self, h: Any) -> np.ndarray:
        h = np.asarray(h, dtype=float)
        lr = np.log(self.rho)
        x = self.h_km
        k = np.clip(np.searchsorted(x, h, side="right") - 1, 0, x.size - 2)
        w = (h - x[k]) / (x[k + 1] - x[k])
        return np.exp(lr[k] + w * (lr[k + 1] - lr[k]))

    def density(self, h: Any, lat: Any = 0.0, lon: Any = 0.0, Ls: Any = 0.0) -> Any:
        """Density, kg/m^3, at altitude ``h`` (km) above the ellipsoid (``lat``, ``lon``
        east and ``Ls`` in degrees are accepted for the interface; this profile does not
        depend on them)."""
        out = self._interp_log(h)
        return out[()] if np.ndim(h) == 0 else out

    def temperature(self, h: Any, lat: Any = 0.0, lon: Any = 0.0, Ls: Any = 0.0) -> Any:
        """Temperature, K (held constant beyond the grid)."""
        out = np.interp(np.asarray(h, dtype=float), self.h_km, self.temperature_k)
        return out[()] if np.ndim(h) == 0 else out

    def sound_speed(self, h: Any, lat: Any = 0.0, lon: Any = 0.0, Ls: Any = 0.0) -> Any:
        """Speed of sound, m/s: sqrt(gamma R T) with :data:`MARS_GAMMA`, :data:`MARS_R_SPECIFIC`."""
        return np.sqrt(MARS_GAMMA * MARS_R_SPECIFIC * np.asarray(self.temperature(h)))

    def wind(self, h: Any, lat: Any = 0.0, lon: Any = 0.0, Ls: Any = 0.0) -> tuple[Any, Any]:
        """(east, north) wind, m/s (zero where the model has none)."""
        h = np.asarray(h, dtype=float)
        if self.wind_east_ms.size == 0:
            return np.zeros_like(h), np.zeros_like(h)
        return (np.interp(h, self.h_km, self.wind_east_ms),
                np.interp(h, self.h_km, self.wind_north_ms))

    def sigma_ln_rho(self, h: Any) -> np.ndarray:
        """1-sigma of ln(rho) at ``h`` (km) from the profile's density band: half the
        log-width of (rho_low, rho_high), taken as -/+ 1 sigma (Mars-GRAM's low and high
        density columns); zero without a band."""
        h = np.asarray(h, dtype=float)
        if self.rho_low is None or self.rho_high is None:
            return np.zeros_like(h)
        s = 0.5 * np.log(self.rho_high / self.rho_low)
        return np.interp(h, self.h_km, s)

    def with_wind(self, h_km: Any, east_ms: Any, north_ms: Any) -> Atmosphere:
        """This profile with a wind profile (east and north components, m/s, at altitudes
        ``h_km``) interpolated onto its grid."""
        h = finite(np.atleast_1d(h_km), "wind h_km")
        e = finite(np.atleast_1d(east_ms), "wind east_ms")
        n = finite(np.atleast_1d(north_ms), "wind north_ms")
        if not (h.shape == e.shape == n.shape) or h.size < 2 or np.any(np.diff(h) <= 0):
            raise ParameterError("wind profile: give >= 2 strictly increasing altitudes (km) "
                                 "and as many east and north values (m/s)")
        in_range(np.abs(np.concatenate([e, n])), "wind speed", 0.0, 300.0, unit="m/s",
                 hint="Mars winds stay below ~200 m/s")
        from dataclasses import replace

        return replace(self, wind_east_ms=np.interp(self.h_km, h, e),
                       wind_north_ms=np.interp(self.h_km, h, n))

    def grid(self, h_lo: float, h_hi: float, dh: float, wave_km: float) -> np.ndarray:
        """The kernel table: rows on ``h_lo, h_lo + dh, ...`` up to ``h_hi``; columns
        ln rho, sound speed, wind east, wind north, in column 4 the metadata (wave
        length, start, step), in column 5 the 1-sigma of ln rho (:meth:`sigma_ln_rho`)."""
        n = max(3, math.ceil((h_hi - h_lo) / dh) + 1)
        h = h_lo + dh * np.arange(n)
        tab = np.zeros((n, 6))
        tab[:, 0] = np.log(self._interp_log(h))
        tab[:, 5] = self.sigma_ln_rho(h)
        tab[:, 1] = self.sound_speed(h)
        tab[:, 2], tab[:, 3] = self.wind(h)
        tab[0, 4], tab[1, 4], tab[2, 4] = wave_km, h_lo, dh
        return tab

    def __repr__(self) -> str:
        return (f"Atmosphere: {self.name}, {self.h_km[0]:g}-{self.h_km[-1]:g} km, "
                f"rho(0) {self.rho[0]:.4g} kg/m^3")


def exponential(rho0: float = _NSSDC_RHO0, scale_height_km: float = _NSSDC_H_KM,
                temperature_k: float = _NSSDC_T_K) -> Atmosphere:
    """``rho = rho0 exp(-h / H)``, isothermal at ``temperature_k`` (defaults: NSSDC Mars
    fact sheet: 0.020 kg/m^3, 11.1 km, 210 K).

    >>> round(float(exponential().density(0.0)), 3)
    0.02
    """
    rho0 = float(positive(rho0, "rho0", unit="kg/m^3"))
    hs = float(in_range(scale_height_km, "scale_height_km", 1.0, 50.0, unit="km"))
    tk = float(in_range(temperature_k, "temperature_k", 50.0, 400.0, unit="K"))
    h = np.array([-10.0, 0.0, TOP_KM])
    rho = rho0 * np.exp(-h / hs)
    return Atmosphere("exponential", h, rho, np.full(3, tk), rho * MARS_R_SPECIFIC * tk,
                      source=f"exponential rho0={rho0:g} kg/m^3, H={hs:g} km "
                      "(defaults: NSSDC Mars Fact Sheet)")


def _glenn_tp(h_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t_c = np.where(h_m < 7000.0, -31.0 - 0.000998 * h_m, -23.4 - 0.00222 * h_m)
    p_kpa = 0.699 * np.exp(-0.00009 * h_m)
    return t_c + 273.1, p_kpa


def glenn() -> Atmosphere:
    """The NASA Glenn Mars fit up to :data:`GLENN_TOP_KM`, isothermal above it.

    >>> round(float(glenn().density(0.0)), 4)
    0.0155
    """
    h = np.concatenate([np.arange(-10.0, GLENN_TOP_KM + 0.25, 0.5), [TOP_KM]])
    t_k, p_kpa = _glenn_tp(np.minimum(h, GLENN_TOP_KM) * 1000.0)
    rho = p_kpa / (0.1921 * t_k)
    top = h <= GLENN_TOP_KM
    rho_top = rho[top][-1]
    hs = MARS_R_SPECIFIC * t_k[top][-1] / 3.60 / 1000.0  # isothermal scale height, km
    rho = np.where(top, rho, rho_top * np.exp(-(h - GLENN_TOP_KM) / hs))
    return Atmosphere("glenn", h, rho, t_k, rho * MARS_R_SPECIFIC * t_k,
                      source="NASA Glenn Research Center Mars atmosphere model (metric), "
                      "MGS April 1996 fit, below 40 km; isothermal above")


def from_table(path_or_array: Any, *, name: str = "table") -> Atmosphere:
    """A user profile: a CSV/whitespace file or an array with columns h (km), T (K), p (Pa),
    rho (kg/m^3) and optionally rho_low, rho_high (kg/m^3), altitudes increasing.

    Checked: at least 3 rows, altitudes strictly increasing within -10..200 km, T in
    50..400 K, p and rho positive, rho decreasing overall, rho_low <= rho <= rho_high.
    """
    if isinstance(path_or_array, str | Path):
        from areo._files import read_input_file

        text = read_input_file(path_or_array, "atmosphere table", 10_000_000)
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        rows = [ln.replace(",", " ").split() for ln in text.splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")]
        try:
            arr = np.array([[float(v) for v in r] for r in rows if r[0][0] not in "hH"])
        except ValueError as exc:
            raise ParameterError(f"atmosphere table {str(path_or_array)!r}: {exc}: give "
                                 "numeric columns h_km, T_K, p_Pa, rho") from None
    else:
        arr = np.asarray(path_or_array, dtype=float)
    if arr.ndim != 2 or arr.shape[1] not in (4, 6) or arr.shape[0] < 3:
        raise ParameterError(
            f"atmosphere table has shape {arr.shape}: give >= 3 rows of 4 columns (h_km, "
            "T_K, p_Pa, rho_kg_m3) or 6 (with rho_low, rho_high)")
    finite(arr, "atmosphere table")
    h, t, p, rho = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]
    in_range(h, "atmosphere table h_km", -10.0, TOP_KM, unit="km")
    if np.any(np.diff(h) <= 0):
        raise ParameterError("atmosphere table h_km must increase strictly: sort the rows by "
                             "altitude and drop duplicates")
    in_range(t, "atmosphere table T_K", 50.0, 400.0, unit="K")
    positive(p, "atmosphere table p_Pa", unit="Pa")
    positive(rho, "atmosphere table rho", unit="kg/m^3")
    if rho[-1] >= rho[0]:
        raise ParameterError("atmosphere table rho must decrease with altitude (rows are h "
                             "increasing): check the column order h, T, p, rho")
    lo = hi = None
    if arr.shape[1] == 6:
        lo, hi = arr[:, 4], arr[:, 5]
        if np.any(lo > rho) or np.any(hi < rho):
            raise ParameterError("atmosphere table: need rho_low <= rho <= rho_high on "
                                 "every row (columns 5 and 6)")
    return Atmosphere(name, h.copy(), rho.copy(), t.copy(), p.copy(), rho_low=lo, rho_high=hi,
                      source=f"user table {name}")


def model(atm: str | Atmosphere | None) -> Atmosphere:
    """An :class:`Atmosphere` from a name ('exponential', 'glenn') or itself."""
    if isinstance(atm, Atmosphere):
        return atm
    if atm is None or atm == "glenn":
        return glenn()
    if atm == "exponential":
        return exponential()
    raise ParameterError(f"atmosphere {atm!r} is unknown: use 'glenn', 'exponential', or "
                         "areo.edl.atmosphere.from_table(path) for a profile of your own")
