"""Spherical-harmonic gravity fields: the normalised C_nm/S_nm model and a PDS SHADR reader.

Convention (the one of the Mars fields GMM-3 and MRO120, and of the PDS SHADR files):

    U(r, lat, lon) = GM/r [1 + sum_{n>=2} sum_{m=0..n} (R/r)^n Pbar_nm(sin lat)
                          (Cbar_nm cos m lon + Sbar_nm sin m lon)]

in the body-fixed frame (IAU_MARS), with ``Pbar_nm = N_nm P_nm``, ``P_nm`` the associated
Legendre functions *without* the Condon-Shortley phase and
``N_nm = sqrt((2 - delta_m0) (2n + 1) (n - m)! / (n + m)!)``. Zonal J_n = -C_n0
(unnormalised) = -sqrt(2n + 1) Cbar_n0. Degree-1 terms are ignored (the origin is the centre
of mass). Units: km, km^3/s^2.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from areo.errors import CatalogFileError, ParameterError
from areo.orbits.numerical import _forces

__all__ = ["GravityField", "read_shadr"]


def _factors(lmax: int) -> np.ndarray:
    """Factor tables (7, L+2, L+2) used by the compiled normalised recursion.

    0: a_nm, 1: b_nm of the column recursion V_nm = a zR V_{n-1,m} - b rr V_{n-2,m};
    2: diagonal factor f_m (at [m, m]); 3: k+ = N_nm/N_{n+1,m+1}; 4: k- = (n-m+1)(n-m+2)
    N_nm/N_{n+1,m-1}; 5: kz = (n-m+1) N_nm/N_{n+1,m}; 6: k1 = N_n0/N_{n+1,1} (m = 0).
    All are ratios of normalisations, so they stay O(n) where the factorials would overflow.
    """
    size = lmax + 2
    g = np.zeros((7, size, size))
    for n in range(size):
        for m in range(0, n + 1):
            if n >= 1 and n > m:
                g[0, n, m] = math.sqrt((2 * n + 1) * (2 * n - 1) / ((n - m) * (n + m)))
                if n >= 2 and n - m >= 2:
                    g[1, n, m] = math.sqrt((2 * n + 1) * (n + m - 1) * (n - m - 1)
                                           / ((2 * n - 3) * (n + m) * (n - m)))
    for m in range(1, size):
        g[2, m, m] = math.sqrt(3.0) if m == 1 else math.sqrt((2 * m + 1) / (2 * m))
    for n in range(size - 1):
        q = (2 * n + 1) / (2 * n + 3)
        for m in range(0, n + 1):
            g[3, n, m] = math.sqrt(q * (n + m + 1) * (n + m + 2) * (0.5 if m == 0 else 1.0))
            if m >= 1:
                g[4, n, m] = math.sqrt((2.0 if m == 1 else 1.0) * q * (n - m + 1) * (n - m + 2))
            g[5, n, m] = math.sqrt(q * (n + m + 1) * (n - m + 1))
        g[6, n, 0] = math.sqrt(0.5 * q * (n + 1) * (n + 2))
    return g


def _norm(n: int, m: int) -> float:
    return math.sqrt((1 if m == 0 else 2) * (2 * n + 1) * math.factorial(n - m)
                     / math.factorial(n + m))


@dataclass(frozen=True, eq=False)
class GravityField:
    """A normalised spherical-harmonic field (see the module docstring for the convention).

    ``cbar``/``sbar`` are (L+1, L+1) arrays indexed ``[n, m]``; ``gm_km3s2`` and
    ``radius_km`` are the field's own GM and reference radius (they replace Mars' point mass
    GM in a :class:`~areo.orbits.numerical.ForceModel` that uses the field).
    """

    gm_km3s2: float
    radius_km: float
    cbar: np.ndarray
    sbar: np.ndarray
    source: str = ""
    _gfac: np.ndarray = field(default=None, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        c = np.ascontiguousarray(self.cbar, dtype=float)
        s = np.ascontiguousarray(self.sbar, dtype=float)
        if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape != s.shape or c.shape[0] < 3:
            raise ParameterError(
                f"gravity field: cbar/sbar must be square (L+1, L+1) arrays with L >= 2, got "
                f"{c.shape} and {s.shape}: index them [degree, order]"
            )
        if not (self.gm_km3s2 > 0 and self.radius_km > 0):
            raise ParameterError(
                f"gravity field: GM {self.gm_km3s2} km^3/s^2 and reference radius "
                f"{self.radius_km} km must be positive"
            )
        object.__setattr__(self, "cbar", c)
        object.__setattr__(self, "sbar", s)
        object.__setattr__(self, "_gfac", _factors(c.shape[0] - 1))

    @property
    def degree(self) -> int:
        """Largest degree L held."""
        return int(self.cbar.shape[0] - 1)

    def __repr__(self) -> str:
        return (f"GravityField(degree {self.degree}, GM {self.gm_km3s2} km^3/s^2, "
                f"R {self.radius_km} km{', ' + self.source if self.source else ''})")

    @classmethod
    def from_zonal(cls, gm_km3s2: float, radius_km: float, j: dict[int, float] | list[float],
                   source: str = "") -> GravityField:
        """A zonal field from unnormalised J_n (``{2: J2, 3: J3}`` or ``[J2, J3, ...]``)."""
        jj = dict(j) if isinstance(j, dict) else {n + 2: v for n, v in enumerate(j)}
        lmax = max(max(jj), 2)
        c = np.zeros((lmax + 1, lmax + 1))
        for n, v in jj.items():
            c[n, 0] = -float(v) / math.sqrt(2 * n + 1)
        return cls(gm_km3s2, radius_km, c, np.zeros_like(c), source)

    def acceleration(self, r_body_km: np.ndarray, degree: int | None = None,
                     order: int | None = None) -> np.ndarray:
        """Non-central acceleration (km/s^2) at body-fixed positions ``(..., 3)`` km.

        The point-mass term ``-GM r/|r|^3`` is not included.
        """
        lmax = self.degree if degree is None else int(degree)
        mmax = lmax if order is None else int(order)
        pos = np.ascontiguousarray(np.asarray(r_body_km, dtype=float).reshape(-1, 3))
        out = np.empty_like(pos)
        vw = np.zeros((2, self.degree + 2, self.degree + 2))
        _forces.field_accelerations_bf(pos, float(self.gm_km3s2), float(self.radius_km), lmax,
                                       mmax, self.cbar, self.sbar, self._gfac, vw, out)
        return out.reshape(np.shape(r_body_km))

    def potential(self, r_body_km: np.ndarray) -> np.ndarray:
        """Potential U (km^2/s^2, positive convention, central term included) at positions.

        Plain numpy (for checks and maps, not for integration).
        """
        p = np.asarray(r_body_km, dtype=float)
        x, y, z = p[..., 0], p[..., 1], p[..., 2]
        r = np.sqrt(x * x + y * y + z * z)
        sl = z / r
        cl = np.sqrt(np.maximum(0.0, 1.0 - sl * sl))
        lon = np.arctan2(y, x)
        total = np.ones_like(r)
        lmax = self.degree
        # Unnormalised P_nm(sin lat) by the standard recursions, then scaled by N_nm.
        pmm = np.ones_like(r)
        for m in range(lmax + 1):
            if m > 0:
                pmm = pmm * (2 * m - 1) * cl
            p_prev = np.zeros_like(r)
            p_cur = pmm
            for n in range(m, lmax + 1):
                if n > m:
                    p_next = ((2 * n - 1) * sl * p_cur - (n + m - 1) * p_prev) / (n - m)
                    p_prev, p_cur = p_cur, p_next
                if n >= 2 and (self.cbar[n, m] != 0.0 or self.sbar[n, m] != 0.0):
                    total = total + (self.radius_km / r) ** n * _norm(n, m) * p_cur * (
                        self.cbar[n, m] * np.cos(m * lon) + self.sbar[n, m] * np.sin(m * lon))
        return self.gm_km3s2 / r * total


def _split(line: str) -> list[str]:
    return [tok for tok in line.replace(",", " ").split() if tok]


def _float(tok: str) -> float:
    return float(tok.replace("D", "E").replace("d", "e"))


def read_shadr(path: str | os.PathLike[str], degree: int | None = None,
               order: int | None = None) -> GravityField:
    """Read a PDS SHADR gravity file (GMM-3 ``gmm3_120_sha.tab``, MRO120 ``jgmro_120*``).

    Layout (PDS Geosciences SHADR label): a header record ``reference radius (km), GM
    (km^3/s^2), GM sigma, max degree, max order, normalisation state (1 = normalised, 0 = not),
    reference longitude, reference latitude``, then one record per coefficient ``n, m, C, S,
    sigma C, sigma S``; fields separated by commas and/or blanks. Unnormalised files are
    normalised on reading. ``degree``/``order`` truncate while reading.
    """
    p = Path(path)
    if not p.is_file():
        raise CatalogFileError(
            f"SHADR file {str(p)!r} does not exist: pass the path of a PDS SHADR .tab file "
            "(e.g. gmm3_120_sha.tab)"
        )
    lines = [ln for ln in p.read_text().splitlines() if ln.strip()]
    try:
        head = _split(lines[0])
        radius = _float(head[0])
        gm = _float(head[1])
        lmax_file = int(_float(head[3]))
        normalised = int(_float(head[5])) if len(head) > 5 else 1
    except (IndexError, ValueError):
        raise CatalogFileError(
            f"SHADR file {p.name}: the header {lines[0][:80] if lines else ''!r} is not "
            "'radius, GM, sigma GM, degree, order, normalisation, ...': is it a SHADR file?"
        ) from None
    if gm > 1e8:  # some SHADR headers give GM in m^3/s^2
        gm = gm * 1e-9
    lmax = lmax_file if degree is None else min(int(degree), lmax_file)
    mmax = lmax if order is None else min(int(order), lmax)
    if lmax < 2:
        raise ParameterError(f"SHADR degree {degree}: need a degree of at least 2")
    c = np.zeros((lmax + 1, lmax + 1))
    s = np.zeros((lmax + 1, lmax + 1))
    for k, line in enumerate(lines[1:], start=2):
        tok = _split(line)
        try:
            n, m = int(tok[0]), int(tok[1])
            cv, sv = _float(tok[2]), _float(tok[3])
        except (IndexError, ValueError):
            raise CatalogFileError(
                f"SHADR file {p.name}, line {k}: {line[:80]!r} is not 'n, m, C, S, ...'"
            ) from None
        if n > lmax or m > mmax:
            continue
        if m > n or n < 0 or m < 0:
            raise CatalogFileError(f"SHADR file {p.name}, line {k}: order {m} > degree {n}")
        if not normalised:
            f = _norm(n, m)
            cv, sv = cv / f, sv / f
        c[n, m] = cv
        s[n, m] = sv
    c[0, 0] = 0.0
    c[1, :] = 0.0
    s[1, :] = 0.0
    return GravityField(gm, radius, c, s, source=f"SHADR {p.name}")
