"""Force models of the Cowell propagator: Mars gravity, Sun, drag, solar radiation pressure.

All forces act on a spacecraft whose state is Mars-centred ICRF (km, km/s) at TDB seconds
past J2000. Mars' body frame (pole, prime meridian) is the IAU 2015 model of
:mod:`areo.frames`, tabulated once per propagation (see :mod:`._forces`).

    >>> from areo.orbits.numerical import ForceModel, DragModel
    >>> fm = ForceModel()                      # Mars point mass + J2 + J3 (catalog)
    >>> fm_pm = ForceModel.point_mass()               # Mars point mass only
    >>> fm_full = ForceModel(sun=True, drag=DragModel(area_to_mass_m2_kg=0.01))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from areo import bodies as _bodies
from areo import catalog as _catalog
from areo._numba import inp
from areo.constants import AU_KM, C_M_S, DAY_S, SOLAR_CONSTANT_W_M2
from areo.errors import EpochOutOfRangeError, ParameterError
from areo.orbits.numerical import _forces as _f
from areo.orbits.numerical.atmosphere import (
    MARS_EXPONENTIAL,
    ExponentialAtmosphere,
    TabulatedAtmosphere,
)
from areo.orbits.numerical.gravity import GravityField

__all__ = ["SOLAR_PRESSURE_1AU", "DragModel", "ForceModel", "SRPModel"]

#: Solar radiation pressure at 1 AU on a black body, N/m^2: the total solar irradiance
#: (1361 W/m^2, IAU 2015 B3) over c.
SOLAR_PRESSURE_1AU = SOLAR_CONSTANT_W_M2 / C_M_S

# Spacing of the Mars body-frame table (s): linear interpolation of the pole and W between
# nodes a day apart is exact to ~1e-11 rad (IAU periodic terms have periods >= 1 Mars year).
_FRAME_STEP_S = DAY_S


@dataclass(frozen=True)
class DragModel:
    """Atmospheric drag ``a = -1/2 rho Cd (A/m) |v_rel| v_rel``, atmosphere co-rotating.

    ``area_to_mass_m2_kg``: A/m (m^2/kg); ``cd``: drag coefficient (2.2 is the usual
    free-molecular value for a compact spacecraft); ``atmosphere``: an
    :class:`~areo.orbits.numerical.atmosphere.ExponentialAtmosphere` or
    :class:`~areo.orbits.numerical.atmosphere.TabulatedAtmosphere` (default: NSSDC mean
    exponential, see its caveats).
    """

    area_to_mass_m2_kg: float
    cd: float = 2.2
    atmosphere: ExponentialAtmosphere | TabulatedAtmosphere = MARS_EXPONENTIAL

    def __post_init__(self) -> None:
        if not (self.area_to_mass_m2_kg >= 0 and math.isfinite(self.area_to_mass_m2_kg)):
            raise ParameterError(
                f"drag area_to_mass_m2_kg {self.area_to_mass_m2_kg} must be finite and >= 0 "
                "(TGO: ~40 m^2 / 3700 kg ~ 0.01 m^2/kg)"
            )
        if not (self.cd > 0 and math.isfinite(self.cd)):
            raise ParameterError(f"drag cd {self.cd} must be > 0 (typically 2.0-2.4)")


@dataclass(frozen=True)
class SRPModel:
    """Cannonball solar radiation pressure ``a = P(1 AU) (AU/d)^2 Cr (A/m)`` away from the Sun.

    ``shadow``: switch the force off inside Mars' cylindrical shadow (radius = equatorial).
    """

    area_to_mass_m2_kg: float
    cr: float = 1.3
    shadow: bool = True

    def __post_init__(self) -> None:
        if not (self.area_to_mass_m2_kg >= 0 and math.isfinite(self.area_to_mass_m2_kg)):
            raise ParameterError(
                f"srp area_to_mass_m2_kg {self.area_to_mass_m2_kg} must be finite and >= 0"
            )
        if not (0 < self.cr <= 2.5):
            raise ParameterError(f"srp cr {self.cr} must lie in (0, 2.5] (1 = absorber, 2 = "
                                 "mirror)")


def _default_zonals() -> tuple[float, float, tuple[float, ...]]:
    """(GM, R, (J2, J3)) from the catalog, J3 rescaled to J2's reference radius."""
    j2 = _catalog.constant("j2")
    j3 = _catalog.constant("j3")
    r2 = float(j2.extra["reference_radius_km"])
    r3 = float(j3.extra["reference_radius_km"])
    return (_bodies.body("mars").gm_km3s2, r2,
            (float(j2.value), float(j3.value) * (r3 / r2) ** 3))


@dataclass(frozen=True)
class ForceModel:
    """What accelerates the spacecraft. Default: Mars point mass + J2 + J3 (catalog values).

    - ``gm_km3s2``: Mars GM (default: :func:`areo.bodies.body` ('mars'), 42828.375816,
      JPL; a ``field``'s own GM wins when a field is given).
    - ``radius_km``: reference radius of ``zonal`` (default: the catalog J2's, 3396.19 km).
    - ``zonal``: unnormalised (J2, J3, ..., Jn); ``()`` for a point mass. Ignored with a field.
    - ``field``: a :class:`~areo.orbits.numerical.gravity.GravityField` (e.g. from
      :func:`~areo.orbits.numerical.gravity.read_shadr`) used to ``degree``/``order``.
    - ``sun``: Sun third body from DE440 (direct and indirect terms).
    - ``drag``: :class:`DragModel` or None; ``srp``: :class:`SRPModel` or None.
    - ``surface_radii_km``: (equatorial, polar) of the ellipsoid for altitudes and impacts
      (IAU 2015: 3396.19, 3376.20).
    - ``frozen_frame_et``: hold Mars' pole (and the rate of W) at their values at this TDB
      epoch instead of following the IAU model (for comparisons with simple models that use
      a fixed pole; the IAU pole moves by ~1e-5 rad per Mars year).
    """

    gm_km3s2: float | None = None
    radius_km: float | None = None
    zonal: tuple[float, ...] | None = None
    field: GravityField | None = None
    degree: int | None = None
    order: int | None = None
    sun: bool = False
    drag: DragModel | None = None
    srp: SRPModel | None = None
    surface_radii_km: tuple[float, float] | None = None
    frozen_frame_et: float | None = None

    @classmethod
    def point_mass(cls) -> ForceModel:
        """Mars point mass only."""
        return cls(zonal=())

    # ------------------------------------------------------------------ resolved values
    def resolved(self) -> dict:
        """GM, reference radius, J_n list and field limits actually used."""
        gm0, r0, jj0 = _default_zonals()
        if self.field is not None:
            lmax = self.field.degree if self.degree is None else int(self.degree)
            mmax = lmax if self.order is None else int(self.order)
            if not (2 <= lmax <= self.field.degree and 0 <= mmax <= lmax):
                raise ParameterError(
                    f"force model degree {self.degree}/order {self.order}: degree must lie in "
                    f"2..{self.field.degree} (the field's) and order in 0..degree"
                )
            return {"gm": self.field.gm_km3s2, "rref": self.field.radius_km, "zonal": (),
                    "lmax": lmax, "mmax": mmax}
        gm = gm0 if self.gm_km3s2 is None else float(self.gm_km3s2)
        rref = r0 if self.radius_km is None else float(self.radius_km)
        zonal = jj0 if self.zonal is None else tuple(float(v) for v in self.zonal)
        if not (gm > 0 and rref > 0):
            raise ParameterError(f"force model GM {gm} and radius {rref} km must be positive")
        return {"gm": gm, "rref": rref, "zonal": zonal, "lmax": 0, "mmax": 0}

    # ------------------------------------------------------------------ packing
    def _pack(self, et_lo: float, et_hi: float) -> tuple:
        """The tuple handed to the compiled right-hand side for epochs in [et_lo, et_hi].

        One numba type for every force model, so that the integrator compiles once: the
        data arrays are C-contiguous read-only views (:func:`areo._numba.inp`; the DE
        records of the Sun are read-only, a field's coefficients may be), the three work
        spaces fresh writable arrays.
        """
        r = self.resolved()
        iprm = np.zeros(_f.N_IPRM, dtype=np.int64)
        prm = np.zeros(_f.N_PRM)
        prm[_f.P_GM] = r["gm"]
        prm[_f.P_RREF] = r["rref"]
        zon = np.zeros(max(len(r["zonal"]) + 2, 3))
        for i, v in enumerate(r["zonal"]):
            zon[i + 2] = v
        iprm[_f.I_NZONAL] = len(r["zonal"]) + 1 if r["zonal"] else 0
        radii = self.surface_radii_km or _bodies.body("mars").radii_km[::2]
        req, rpol = float(radii[0]), float(radii[1])
        prm[_f.P_REQ], prm[_f.P_RPOL] = req, rpol
        prm[_f.P_SHADOW_R] = req
        # Body-frame table.
        tab, t0, dt = _frame_table(et_lo, et_hi, self.frozen_frame_et)
        iprm[_f.I_NTAB] = tab.shape[0]
        prm[_f.P_TAB_T0], prm[_f.P_TAB_DT] = t0, dt
        prm[_f.P_OMEGA] = (tab[-1, 6] - tab[0, 6]) / (t0 + dt * (tab.shape[0] - 1) - t0)
        # Field.
        if r["lmax"]:
            fld = self.field
            assert fld is not None
            iprm[_f.I_LMAX], iprm[_f.I_MMAX] = r["lmax"], r["mmax"]
            prm[_f.P_FIELD_R] = fld.radius_km
            cbar, sbar, gfac = fld.cbar, fld.sbar, fld._gfac
        else:
            cbar = sbar = np.zeros((3, 3))
            gfac = np.zeros((7, 4, 4))
        vw = np.zeros((2, gfac.shape[1], gfac.shape[2]))
        # Sun.
        dummy = np.zeros((1, 8))
        sun_a = sun_b = dummy
        if self.sun or self.srp is not None:
            iprm[_f.I_NEED_SUN] = 1
            iprm[_f.I_SUN] = int(bool(self.sun))
            prm[_f.P_SUN_GM] = _bodies.body("sun").gm_km3s2
            legs = _sun_legs(et_lo, et_hi)
            (sun_a, ia, la, na, ta, sa), (sun_b, ib, lb, nb, tb, sb) = legs
            prm[_f.P_INIT_A], prm[_f.P_INTLEN_A], prm[_f.P_SIGN_A] = ia, la, sa
            prm[_f.P_INIT_B], prm[_f.P_INTLEN_B], prm[_f.P_SIGN_B] = ib, lb, sb
            iprm[_f.I_NCOEF_A], iprm[_f.I_TYPE3_A] = na, ta
            iprm[_f.I_NCOEF_B], iprm[_f.I_TYPE3_B] = nb, tb
        if self.srp is not None:
            iprm[_f.I_SRP] = 1
            iprm[_f.I_SHADOW] = int(bool(self.srp.shadow))
            prm[_f.P_SRP_K] = (SOLAR_PRESSURE_1AU * self.srp.cr * self.srp.area_to_mass_m2_kg
                               * 1e-3 * AU_KM**2)
        # Drag.
        d_alt = np.zeros(2)
        d_lnr = np.zeros(2)
        if self.drag is not None:
            atm = self.drag.atmosphere
            prm[_f.P_DRAG_K] = 0.5 * self.drag.cd * self.drag.area_to_mass_m2_kg * 1e3
            if isinstance(atm, ExponentialAtmosphere):
                iprm[_f.I_DRAG] = _f.DRAG_EXPONENTIAL
                prm[_f.P_RHO0] = atm.rho0_kg_m3
                prm[_f.P_H0] = atm.h0_km
                prm[_f.P_SCALE_H] = atm.scale_height_km
            elif isinstance(atm, TabulatedAtmosphere):
                iprm[_f.I_DRAG] = _f.DRAG_TABLE
                d_alt = np.ascontiguousarray(atm.altitude_km)
                d_lnr = np.log(atm.density_kg_m3)
            else:
                raise ParameterError(
                    f"drag atmosphere {type(atm).__name__} is not supported: use "
                    "ExponentialAtmosphere or TabulatedAtmosphere"
                )
        return (inp(iprm, np.int64), inp(prm), inp(zon), inp(tab), inp(gfac), inp(cbar),
                inp(sbar), vw, inp(sun_a), inp(sun_b), np.zeros((1, 6)), inp(d_alt),
                inp(d_lnr), np.zeros((3, 3)))


def _frame_table(et_lo: float, et_hi: float, frozen: float | None = None
                 ) -> tuple[np.ndarray, float, float]:
    """Pole, node and unwrapped W of IAU_MARS on a uniform grid covering [et_lo, et_hi]."""
    from areo.frames import icrf_to_iau_mars
    from areo.frames.mars import MARS_ROTATION_RATE_RAD_S

    span = max(et_hi - et_lo, 0.0)
    nint = max(1, math.ceil(span / _FRAME_STEP_S))
    dt = max(span / nint, 1.0)
    et = et_lo + dt * np.arange(nint + 1)
    if frozen is not None:
        m0 = np.asarray(icrf_to_iau_mars(np.array([float(frozen)]))).reshape(3, 3)
        p = np.repeat(m0[2][None, :], et.size, axis=0)
        q = np.cross(np.array([0.0, 0.0, 1.0]), m0[2])
        q /= np.linalg.norm(q)
        w0 = math.atan2(m0[0] @ np.cross(m0[2], q), m0[0] @ q)
        rate = MARS_ROTATION_RATE_RAD_S
        w = w0 + rate * (et - float(frozen))
        tab = np.ascontiguousarray(np.column_stack([p, np.repeat(q[None, :], et.size, 0), w]))
        return tab, float(et[0]), float(dt)
    m = np.asarray(icrf_to_iau_mars(et)).reshape(-1, 3, 3)
    p = m[:, 2, :]
    q = np.cross(np.array([0.0, 0.0, 1.0]), p)
    q /= np.linalg.norm(q, axis=1)[:, None]
    e = np.cross(p, q)
    w = np.arctan2(np.einsum("ij,ij->i", m[:, 0, :], e), np.einsum("ij,ij->i", m[:, 0, :], q))
    # Unwrap with the known rate: a day is ~350.9 deg, so np.unwrap alone would be ambiguous.
    rate = MARS_ROTATION_RATE_RAD_S
    pred = w[0] + rate * (et - et[0])
    w = pred + np.angle(np.exp(1j * (w - pred)))
    tab = np.ascontiguousarray(np.column_stack([p, q, w]))
    return tab, float(et[0]), float(dt)


def _sun_legs(et_lo: float, et_hi: float) -> list[tuple]:
    """Chebyshev records of the DE440 legs Sun->SSB (+) and Mars barycentre->SSB (-)."""
    from areo.ephem import default_ephemeris

    eph = default_ephemeris()
    sun = eph.resolve("sun")
    mars = eph.resolve("mars")
    chain = eph.chain(sun, mars)
    if len(chain) != 2:
        raise ParameterError(
            f"the Sun third body needs the ephemeris chain Sun->SSB<-Mars; this ephemeris "
            f"links them through {len(chain)} segments"
        )
    out = []
    for node, sign in chain:
        legs = [s for s in eph.segments_of(node) if s.start <= et_lo and s.end >= et_hi]
        if not legs:
            a, b = eph.span
            raise EpochOutOfRangeError(
                f"Sun third body: epochs {et_lo:.0f}..{et_hi:.0f} s TDB are not covered by one "
                f"DE440 segment of body {node} (ephemeris span {a:.0f}..{b:.0f} s): shorten "
                "the propagation or switch the Sun off"
            )
        seg = legs[-1]
        rec = seg.records()
        # Keep only the records the span needs (plus one each side), re-based INIT.
        k0 = max(0, math.floor((et_lo - seg.init) / seg.intlen) - 1)
        k1 = min(rec.shape[0], math.floor((et_hi - seg.init) / seg.intlen) + 2)
        sub = np.ascontiguousarray(rec[k0:k1])
        out.append((sub, seg.init + k0 * seg.intlen, seg.intlen, seg.ncoef,
                    int(seg.data_type == 3), float(sign)))
    return out
