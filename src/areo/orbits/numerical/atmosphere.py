"""Mars atmospheric density models for drag: exponential and user tables.

Heights are km above the reference ellipsoid (3396.19 x 3376.20 km, IAU 2015) measured
along the radius; densities are kg/m^3.

The default :data:`MARS_EXPONENTIAL` is the NSSDC Mars fact sheet's global mean: surface
density ~0.020 kg/m^3 and scale height 11.1 km (https://nssdc.gsfc.nasa.gov/planetary/
factsheet/marsfact.html). It is a single isothermal exponential fitted to the lower
atmosphere: it is good to a factor of a few up to ~60 km, and it *overestimates* the
thermosphere (at 100-130 km, where aerobraking flies, the measured densities are of order
1e-8..1e-10 kg/m^3 and vary by x2-x10 with season, latitude, local time and dust; see
Bougher et al. 2006, Mars 2:10, doi:10.1555/mars.2006.0002, for MRO's predicted 120 km
densities). For aerobraking and lifetime studies give a :class:`TabulatedAtmosphere` from
Mars-GRAM / the Mars Climate Database or an :class:`ExponentialAtmosphere` anchored at the
altitude of interest (``h0_km`` with the local density and scale height).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from areo import validate
from areo.errors import CatalogFileError, ParameterError

__all__ = ["MARS_EXPONENTIAL", "ExponentialAtmosphere", "TabulatedAtmosphere"]


@dataclass(frozen=True)
class ExponentialAtmosphere:
    """``rho(h) = rho0 exp(-(h - h0) / H)`` (kg/m^3, h in km); calling it gives ``density``.

    :data:`MARS_EXPONENTIAL` is the NSSDC lower-atmosphere mean. For the thermosphere
    (above ~100 km: hotter, a larger scale height, density varying by an order of magnitude
    with season, solar activity and dust) anchor ``h0_km`` near the altitude of interest with
    the local density and scale height (e.g. from Mars-GRAM or the Mars Climate Database).
    """

    rho0_kg_m3: float
    scale_height_km: float
    h0_km: float = 0.0
    source: str = ""

    def __post_init__(self) -> None:
        validate.non_negative(self.rho0_kg_m3, "rho0_kg_m3", unit="kg/m^3",
                              hint="the density at h0_km")
        validate.positive(self.scale_height_km, "scale_height_km", unit="km",
                          hint="Mars: ~11 km near the surface, ~6-12 km in the thermosphere")
        validate.finite(self.h0_km, "h0_km", unit="km")

    def density(self, altitude_km: np.ndarray | float) -> np.ndarray:
        """Density (kg/m^3) at heights (km)."""
        h = np.asarray(altitude_km, dtype=float)
        return self.rho0_kg_m3 * np.exp(-(h - self.h0_km) / self.scale_height_km)

    __call__ = density


#: NSSDC Mars fact sheet: surface density ~0.020 kg/m^3, scale height 11.1 km.
MARS_EXPONENTIAL = ExponentialAtmosphere(
    0.020, 11.1, 0.0,
    source="NSSDC Mars fact sheet (surface density ~0.020 kg/m^3, scale height 11.1 km)",
)


@dataclass(frozen=True, eq=False)
class TabulatedAtmosphere:
    """Density vs height, interpolated linearly in ln(rho) (exponential between nodes).

    Below the first height the first density holds; above the last height the top
    interval's scale height continues. Heights strictly increasing (km), densities > 0.
    """

    altitude_km: np.ndarray
    density_kg_m3: np.ndarray
    source: str = ""

    def __post_init__(self) -> None:
        h = np.ascontiguousarray(self.altitude_km, dtype=float).ravel()
        rho = np.ascontiguousarray(self.density_kg_m3, dtype=float).ravel()
        if h.size < 2 or h.shape != rho.shape:
            raise ParameterError(
                "atmosphere table: give at least 2 heights and as many densities "
                f"(got {h.size} and {rho.size})"
            )
        if np.any(np.diff(h) <= 0) or not np.all(np.isfinite(h)):
            raise ParameterError(
                "atmosphere table: heights must be finite and strictly increasing (km); sort "
                "the table and drop duplicate heights"
            )
        if np.any(rho <= 0) or not np.all(np.isfinite(rho)):
            raise ParameterError(
                "atmosphere table: densities must be finite and > 0 kg/m^3 (use a tiny "
                "value such as 1e-20 instead of 0)"
            )
        object.__setattr__(self, "altitude_km", h)
        object.__setattr__(self, "density_kg_m3", rho)

    def density(self, altitude_km: np.ndarray | float) -> np.ndarray:
        """Density (kg/m^3) at heights (km), as the compiled right-hand side computes it."""
        h = np.asarray(altitude_km, dtype=float)
        lnr = np.log(self.density_kg_m3)
        hh = self.altitude_km
        out = np.exp(np.interp(h, hh, lnr))
        slope = (lnr[-1] - lnr[-2]) / (hh[-1] - hh[-2])
        top = h > hh[-1]
        return np.where(top, np.exp(lnr[-1] + slope * (h - hh[-1])), out)

    __call__ = density

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> TabulatedAtmosphere:
        """Read a two-column text/CSV table: height (km), density (kg/m^3).

        Lines starting with ``#`` and a non-numeric header line are skipped; separators are
        commas, semicolons or blanks.
        """
        p = Path(path)
        if not p.is_file():
            raise CatalogFileError(
                f"atmosphere table {str(p)!r} does not exist: give a text file with columns "
                "height_km, density_kg_m3"
            )
        rows: list[tuple[float, float]] = []
        for k, line in enumerate(p.read_text().splitlines(), start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            tok = text.replace(",", " ").replace(";", " ").split()
            try:
                rows.append((float(tok[0]), float(tok[1])))
            except (ValueError, IndexError):
                if rows:
                    raise CatalogFileError(
                        f"atmosphere table {p.name}, line {k}: {line[:60]!r} is not "
                        "'height_km, density_kg_m3'"
                    ) from None
                continue  # a header line
        if not rows:
            raise CatalogFileError(f"atmosphere table {p.name} holds no numeric rows")
        arr = np.array(rows)
        return cls(arr[:, 0], arr[:, 1], source=str(p.name))
