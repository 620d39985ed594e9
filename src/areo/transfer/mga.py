"""Gravity-assist trajectory models, batch-first: MGA (Lambert legs, powered flybys) and
MGA-1DSM (one deep-space manoeuvre per leg, unpowered flybys).

>>> import numpy as np
>>> from areo.transfer.mga import MGA1DSM
>>> prob = MGA1DSM(("earth", "mars"), t0_mjd2000=(10450, 10500), tof_days=[(200, 800)])
>>> x = np.array([10470.0, 0.5, 0.5, 3.5, 0.3, 400.0])
>>> ev = prob.evaluate(x[None])          # a batch of one
>>> ev.objective.shape
(1,)

Encodings (decision vectors, one per row of ``X``):

* MGA-1DSM, the standard encoding of Vasile & De Pascale (2006, J. Spacecraft Rockets
  43(6):1065-1076) as used by ESA's GTOP problems and pykep's ``mga_1dsm`` (direct time of
  flight encoding): ``[t0, u, v, vinf, eta_1, T_1, (beta_k, rp_k, eta_k, T_k) for k = 2..L]``
  with ``t0`` in MJD2000 days (TDB days from 2000-01-01T00:00), ``vinf`` the launch
  v-infinity in km/s, its direction ``theta = 2 pi u``, ``phi = acos(2 v - 1) - pi / 2``
  (uniform on the sphere) in the frame of the ephemeris (ecliptic J2000), ``T_k`` the leg's
  time of flight in days, ``eta_k`` the fraction of it flown before the DSM, ``rp_k`` the
  flyby pericentre in radii of the planet left at the start of leg k, ``beta_k`` the
  flyby plane angle in radians. The only difference from pykep 3: ``vinf`` in km/s (pykep:
  m/s).
* MGA: ``[t0, T_1, ..., T_L]``; each leg is the Lambert arc with the number of revolutions
  and branch (up to ``max_revs``) that, chained with the others, gives the lowest objective
  (an exact dynamic programme over the ``2 max_revs + 1`` arcs of each leg).

Leg arcs: Kepler propagation (:func:`areo.orbits.propagate_kepler`) to the DSM, then a
zero-revolution prograde Lambert arc (:mod:`areo.transfer.lambert`, Izzo 2015) to the next
planet, prograde about the ecliptic pole (the frame's +z axis).

Ephemerides: :class:`DE440Planets` (the default: JPL DE440 through :mod:`areo.ephem`, in
ECLIPJ2000) or :class:`AnalyticPlanets` (the mean Keplerian elements and constants that the
GTOP benchmark problems define, for reproducing their published values).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from areo import bodies as _bodies
from areo._numba import inp, run
from areo.catalog import default_catalog
from areo.constants import DAY_S, JULIAN_CENTURY_D
from areo.ephem import FRAMES, Ephemeris, default_ephemeris
from areo.errors import EpochOutOfRangeError, ParameterError, UnknownBodyError
from areo.orbits import propagate_kepler
from areo.transfer import _kernels, _mga_kernels
from areo.transfer.lambert import GM_SUN

__all__ = [
    "MGA",
    "MGA1DSM",
    "OBJECTIVES",
    "AnalyticPlanets",
    "DE440Planets",
    "Evaluation",
    "FlybyBody",
    "Planets",
]

# Rows from which a kernel splits over threads (areo._numba.run): a flyby costs ~0.1 us,
# a Lambert solve ~0.5 us.
_PARALLEL_MIN = 4000

#: Objectives of the models. ``dsm``: the DSM and powered-flyby ΔV (what the spacecraft pays
#: after launch); ``dsm+vinf``: plus the arrival v-infinity (pykep ``add_vinf_arr``);
#: ``dsm+capture``: plus the pericentre burn into the capture orbit; ``launch+dsm+vinf`` and
#: ``launch+dsm+capture``: also the launch v-infinity (pykep ``add_vinf_dep``; the GTOP
#: objectives: Cassini2 and Cassini1);
#: ``c3``: ``(vinf_launch + sum of DSMs)^2``, the launch C3 the trajectory would need if its
#: DSMs were given at launch (a DSM costs about what the same ΔV costs added to the launch
#: v-infinity, so minimising this minimises the C3 without hiding ΔV in DSMs).
OBJECTIVES = ("dsm", "dsm+vinf", "dsm+capture", "c3", "launch+dsm+vinf", "launch+dsm+capture")

_ICRF_TO_ECL = np.ascontiguousarray(FRAMES["eclipj2000"], dtype=float)
_MJD2000_ET0_D = 0.5  # J2000 (et = 0) is 2000-01-01T12:00 TDB, MJD2000 day 0.5


def mjd2000_to_et(mjd2000: Any) -> np.ndarray:
    """TDB seconds past J2000 of MJD2000 days (TDB)."""
    return (np.asarray(mjd2000, dtype=float) - _MJD2000_ET0_D) * DAY_S


def et_to_mjd2000(et: Any) -> np.ndarray:
    """MJD2000 days (TDB) of TDB seconds past J2000."""
    return np.asarray(et, dtype=float) / DAY_S + _MJD2000_ET0_D


@dataclass(frozen=True)
class FlybyBody:
    """What a model needs of a planet: GM (km^3/s^2), radius (km), the minimum flyby
    pericentre radius (km; NaN where none is known) and where the values come from."""

    name: str
    mu_km3s2: float
    radius_km: float
    rp_min_km: float
    source: str = ""


class Planets(Protocol):
    """A planet ephemeris for the models: heliocentric ECLIPJ2000 states, km and km/s."""

    name: str
    mu_sun: float

    def states(self, body: str, mjd2000: np.ndarray) -> np.ndarray:
        """(n, 6) states of ``body`` at ``mjd2000`` (n,) days."""
        ...

    def body(self, name: str) -> FlybyBody:
        ...


def _catalog_body(name: str) -> FlybyBody:
    key = name.strip().lower()
    table = default_catalog().bodies
    if key not in table or key in ("sun", "ssb", "emb", "moon"):
        planets = [k for k, t in table.items()
                   if "barycenter_id" in t and k not in ("moon",)]
        raise UnknownBodyError(
            f"body {name!r} is not a planet areo knows: use one of {', '.join(planets)}"
        )
    rec = table[key]
    b = _bodies.body(key)
    rp_min = math.nan
    src = str(rec.get("source", ""))
    if "min_flyby_alt_km" in rec:
        rp_min = b.equatorial_radius_km + float(rec["min_flyby_alt_km"])
        src += "; minimum flyby altitude: " + str(rec.get("min_flyby_alt_source", ""))
    return FlybyBody(key, float(b.gm_km3s2), b.equatorial_radius_km, rp_min, src)


class DE440Planets:
    """JPL DE440 (or another SPK through ``ephemeris``) heliocentric states in ECLIPJ2000,
    GM and radii from areo's catalog (DE440 GM, IAU 2015 radii), minimum flyby altitudes
    from ``bodies.toml`` (``min_flyby_alt_km``)."""

    name = "DE440"

    def __init__(self, ephemeris: Ephemeris | None = None):
        self._eph = default_ephemeris() if ephemeris is None else ephemeris
        self.mu_sun = GM_SUN
        self._bodies: dict[str, FlybyBody] = {}

    def states(self, body: str, mjd2000: np.ndarray) -> np.ndarray:
        et = mjd2000_to_et(mjd2000)
        icrf = self._eph.state(body, et, center="sun").states.reshape(-1, 6)
        # The rotation written out per component: numpy's (n, 3) @ (3, 3) matmul took
        # ~0.6 us a row here (more than the Chebyshev evaluation); this takes ~10 ns.
        out = np.empty_like(icrf)
        r = _ICRF_TO_ECL
        for k in (0, 3):
            x, y, z = icrf[:, k], icrf[:, k + 1], icrf[:, k + 2]
            for i in range(3):
                out[:, k + i] = r[i, 0] * x + r[i, 1] * y + r[i, 2] * z
        return out

    def body(self, name: str) -> FlybyBody:
        if name not in self._bodies:
            self._bodies[name] = _catalog_body(name)
        return self._bodies[name]

    def span_mjd2000(self, body: str) -> tuple[float, float]:
        lo, hi = self._eph.coverage(body, "sun")
        return float(et_to_mjd2000(lo)), float(et_to_mjd2000(hi))


# --------------------------------------------------------------------- analytic planets
# The analytic planets of ESA's GTOP benchmarks (the toolbox's Planet_Ephemerides_Analytical,
# also the "uplanet" function of Politecnico di Milano's space toolbox, Vasile et al.):
# classical elements of the mean ecliptic and equinox of date as polynomials in Julian
# centuries t from 1899-12-31T12:00 (t = (MJD2000 + 36525) / 36525), after the 1900-epoch
# mean elements of the Explanatory Supplement to the Astronomical Ephemeris (1961). Per
# planet: a (AU); then polynomial coefficients in t (constant, t, t^2, t^3) of e, i (deg),
# node (deg), argument of perihelion (deg); the mean anomaly is M0 + (n0 + n1 t + n2 t^2) t
# (deg). The benchmarks use them as ecliptic J2000 states, AU = 149597870.66 km, and the
# Sun GM below.
_GTOP_ELEMENTS: dict[str, tuple[float, tuple[float, ...], tuple[float, ...], tuple[float, ...],
                                tuple[float, ...], tuple[float, ...]]] = {
    "mercury": (0.38709860, (0.205614210, 0.000020460, -0.000000030, 0.0),
                (7.002880555555555560, 1.86083333333333333e-3, -1.83333333333333333e-5, 0.0),
                (4.71459444444444444e1, 1.185208333333333330, 1.73888888888888889e-4, 0.0),
                (2.87537527777777778e1, 3.70280555555555556e-1, 1.20833333333333333e-4, 0.0),
                (1.02279380555555556e2, 1.49472515288888889e5, 6.38888888888888889e-6, 0.0)),
    "venus": (0.72333160, (0.006820690, -0.000047740, 0.0000000910, 0.0),
              (3.393630555555555560, 1.00583333333333333e-3, -9.72222222222222222e-7, 0.0),
              (7.57796472222222222e1, 8.9985e-1, 4.1e-4, 0.0),
              (5.43841861111111111e1, 5.08186111111111111e-1, -1.38638888888888889e-3, 0.0),
              (2.12603219444444444e2, 5.8517803875e4, 1.28605555555555556e-3, 0.0)),
    "earth": (1.000000230, (0.016751040, -0.000041800, -0.0000001260, 0.0),
              (0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0),
              (1.01220833333333333e2, 1.7191750, 4.52777777777777778e-4,
               3.33333333333333333e-6),
              (3.58475844444444444e2, 3.599904975e4, -1.50277777777777778e-4,
               -3.33333333333333333e-6)),
    "mars": (1.5236883990, (0.093312900, 0.0000920640, -0.0000000770, 0.0),
             (1.850333333333333330, -6.75e-4, 1.26111111111111111e-5, 0.0),
             (4.87864416666666667e1, 7.70991666666666667e-1, -1.38888888888888889e-6,
              -5.33333333333333333e-6),
             (2.85431761111111111e2, 1.069766666666666670, 1.3125e-4, 4.13888888888888889e-6),
             (3.19529425e2, 1.91398585e4, 1.80805555555555556e-4, 1.19444444444444444e-6)),
    "jupiter": (5.2025610, (0.048334750, 0.000164180, -0.00000046760, -0.00000000170),
                (1.308736111111111110, -5.69611111111111111e-3, 3.88888888888888889e-6, 0.0),
                (9.94433861111111111e1, 1.010530, 3.52222222222222222e-4,
                 -8.51111111111111111e-6),
                (2.73277541666666667e2, 5.99431666666666667e-1, 7.0405e-4,
                 5.07777777777777778e-6),
                (2.25328327777777778e2, 3.03469202388888889e3, -7.21588888888888889e-4,
                 1.78444444444444444e-6)),
    "saturn": (9.5547470, (0.055892320, -0.00034550, -0.0000007280, 0.000000000740),
               (2.492519444444444440, -3.91888888888888889e-3, -1.54888888888888889e-5,
                4.44444444444444444e-8),
               (1.12790388888888889e2, 8.73195138888888889e-1, -1.52180555555555556e-4,
                -5.30555555555555556e-6),
               (3.38307772222222222e2, 1.085220694444444440, 9.78541666666666667e-4,
                9.91666666666666667e-6),
               (1.75466216666666667e2, 1.22155146777777778e3, -5.01819444444444444e-4,
                -5.19444444444444444e-6)),
}

# Constants of the GTOP toolbox (ESA ACT; as its problem definitions state them and TU
# Delft's tudat GTOP tests reproduce them): Sun GM, planet GM (km^3/s^2), radii (km), AU (km).
_GTOP_MU_SUN = 1.32712428e11
_GTOP_AU_KM = 149597870.66
_GTOP_BODIES = {
    "mercury": (22321.0, 2440.0),
    "venus": (324860.0, 6052.0),
    "earth": (398601.19, 6378.0),
    "mars": (42828.3, 3397.0),
    "jupiter": (1.267e8, 71492.0),
    "saturn": (3.79e7, 60330.0),
}


def _poly(c: tuple[float, ...], t: np.ndarray) -> np.ndarray:
    return c[0] + t * (c[1] + t * (c[2] + t * c[3]))


def _solve_kepler(m: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Eccentric anomaly from mean anomaly (rad), e < 1, Newton from E = M + e sin M."""
    ecc = m + e * np.sin(m)
    for _ in range(30):
        d = (ecc - e * np.sin(ecc) - m) / (1.0 - e * np.cos(ecc))
        ecc = ecc - d
        if np.all(np.abs(d) < 1e-15):
            break
    return ecc


class AnalyticPlanets:
    """The analytic planets of the GTOP benchmarks (mean elements of date as polynomials in
    time, used as ecliptic J2000 states); velocities from the two-body relation with the
    benchmark's Sun GM. ``rp_min`` maps planet names to minimum flyby radii (km),
    as each benchmark problem defines them."""

    name = "GTOP analytic planets"

    def __init__(self, rp_min: dict[str, float] | None = None):
        self.mu_sun = _GTOP_MU_SUN
        self._rp_min = dict(rp_min or {})

    def states(self, body: str, mjd2000: np.ndarray) -> np.ndarray:
        key = body.strip().lower()
        if key not in _GTOP_ELEMENTS:
            raise UnknownBodyError(
                f"body {body!r} has no analytic elements: use one of {', '.join(_GTOP_ELEMENTS)}"
            )
        a_au, ce, ci, cn, cw, cm = _GTOP_ELEMENTS[key]
        t = (np.asarray(mjd2000, dtype=float).ravel() + JULIAN_CENTURY_D) / JULIAN_CENTURY_D
        a = a_au * _GTOP_AU_KM
        e = _poly(ce, t)
        inc = np.radians(_poly(ci, t))
        node = np.radians(_poly(cn, t))
        argp = np.radians(_poly(cw, t))
        m = np.mod(np.radians(cm[0] + (cm[1] + t * (cm[2] + t * cm[3])) * t), 2 * np.pi)
        ecc = _solve_kepler(m, e)
        # Perifocal position/velocity, then the 3-1-3 rotation (node, inclination, argp).
        mu = self.mu_sun
        ce, se = np.cos(ecc), np.sin(ecc)
        sq = np.sqrt(1.0 - e * e)
        r = a * (1.0 - e * ce)
        xp = a * (ce - e)
        yp = a * sq * se
        vf = np.sqrt(mu * a) / r
        vxp = -vf * se
        vyp = vf * sq * ce
        co, so = np.cos(node), np.sin(node)
        cw, sw = np.cos(argp), np.sin(argp)
        ci, si = np.cos(inc), np.sin(inc)
        r11 = co * cw - so * sw * ci
        r12 = -co * sw - so * cw * ci
        r21 = so * cw + co * sw * ci
        r22 = -so * sw + co * cw * ci
        r31 = sw * si
        r32 = cw * si
        out = np.empty((t.size, 6))
        out[:, 0] = (r11 * xp + r12 * yp).ravel()
        out[:, 1] = (r21 * xp + r22 * yp).ravel()
        out[:, 2] = (r31 * xp + r32 * yp).ravel()
        out[:, 3] = (r11 * vxp + r12 * vyp).ravel()
        out[:, 4] = (r21 * vxp + r22 * vyp).ravel()
        out[:, 5] = (r31 * vxp + r32 * vyp).ravel()
        return out

    def body(self, name: str) -> FlybyBody:
        key = name.strip().lower()
        if key not in _GTOP_BODIES:
            raise UnknownBodyError(
                f"body {name!r} has no GTOP constants: use one of {', '.join(_GTOP_BODIES)}"
            )
        mu, rad = _GTOP_BODIES[key]
        return FlybyBody(key, mu, rad, float(self._rp_min.get(key, math.nan)),
                         "GTOP toolbox constants (ESA ACT)")


# --------------------------------------------------------------------------- helpers
def _check_sequence(sequence: Sequence[str], planets: Planets) -> tuple[str, ...]:
    if isinstance(sequence, str):
        sequence = [s for s in sequence.split(",") if s.strip()]
    seq = tuple(str(s).strip().lower() for s in sequence)
    if len(seq) < 2:
        raise ParameterError(
            f"sequence {list(seq)} has {len(seq)} body: give at least a departure and an "
            "arrival planet, e.g. earth,mars or earth,venus,mars"
        )
    for s in seq:
        planets.body(s)  # raises UnknownBodyError naming the known ones
    return seq


def _bounds_pair(value: Any, name: str, unit: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{name} {value!r} must be a (min, max) pair in {unit}, e.g. (100, 400)"
        ) from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ParameterError(f"{name} {value!r} must be finite numbers in {unit}")
    if lo > hi:
        raise ParameterError(
            f"{name} ({lo:g}, {hi:g}) has its minimum above its maximum: give (min, max) in "
            f"{unit}"
        )
    return lo, hi


def _norm(v: np.ndarray) -> np.ndarray:
    return np.sqrt(np.einsum("...k,...k->...", v, v))


def _lambert0(r1: np.ndarray, r2: np.ndarray, tof: np.ndarray, mu: float,
              revs: np.ndarray | None = None, right: np.ndarray | None = None,
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch Lambert (prograde about +z of the ecliptic frame): v1, v2, status."""
    n = r1.shape[0]
    v1 = np.empty((n, 3))
    v2 = np.empty((n, 3))
    status = np.empty(n, dtype=np.int8)
    iters = np.empty(n, dtype=np.int8)
    ttype = np.empty(n, dtype=np.int8)
    revs_a = np.zeros(n, dtype=np.int64) if revs is None else revs.astype(np.int64)
    right_a = np.zeros(n, dtype=np.bool_) if right is None else right.astype(np.bool_)
    run(_kernels.lambert_batch, n, (
        inp(r1), inp(r2), inp(tof), inp(np.full(n, mu)), inp(revs_a, np.int64),
        inp(right_a, np.bool_), inp(np.ones(n, dtype=np.bool_), np.bool_),
        inp(np.array([0.0, 0.0, 1.0])), v1, v2, status, iters, ttype,
    ), _PARALLEL_MIN)
    return v1, v2, status


def _capture_dv(vinf: np.ndarray, mu: float, rp: float, e: float) -> np.ndarray:
    """Pericentre burn from a hyperbola of v-infinity ``vinf`` into an orbit (rp, e)."""
    return np.abs(np.sqrt(vinf * vinf + 2.0 * mu / rp) - np.sqrt(mu * (1.0 + e) / rp))


@dataclass
class Evaluation:
    """Everything a batch evaluation computed, one row per decision vector (n rows, L legs).

    Epochs in MJD2000 days (TDB); vectors heliocentric ECLIPJ2000, km and km/s.
    ``objective`` (n,) in the model's unit (km/s; km^2/s^2 for ``c3``);
    ``planet_mjd2000`` (n, L+1) encounter epochs; ``planet_states`` (n, L+1, 6);
    ``vinf_dep`` (n, 3) launch v-infinity; ``vinf_arr`` (n, 3) arrival v-infinity;
    ``dsm_mjd2000``, ``dsm_dv`` (n, L) (MGA: NaN, 0); ``dsm_state_before``/``after`` (n, L, 6);
    ``leg_v_dep``, ``leg_v_arr`` (n, L, 3) heliocentric velocity leaving each planet (after
    the flyby) and reaching the next; ``flyby_rp``, ``flyby_dv``, ``flyby_turn``,
    ``flyby_miss`` (n, L-1) km, km/s, rad, rad; ``lambert_ok`` (n,) all arcs solved;
    ``leg_revs`` (n, L) revolutions of each Lambert arc.
    """

    objective: np.ndarray
    planet_mjd2000: np.ndarray
    planet_states: np.ndarray
    vinf_dep: np.ndarray
    vinf_arr: np.ndarray
    dsm_mjd2000: np.ndarray
    dsm_dv: np.ndarray
    dsm_state_before: np.ndarray
    dsm_state_after: np.ndarray
    leg_v_dep: np.ndarray
    leg_v_arr: np.ndarray
    flyby_rp: np.ndarray
    flyby_dv: np.ndarray
    flyby_turn: np.ndarray
    flyby_miss: np.ndarray
    lambert_ok: np.ndarray
    leg_revs: np.ndarray
    extra: dict[str, Any] = field(default_factory=dict)


def _finish_objective(kind: str, dsm_total: np.ndarray, vinf_dep: np.ndarray,
                      vinf_arr: np.ndarray, arrive: FlybyBody, capture: tuple[float, float],
                      ok: np.ndarray) -> np.ndarray:
    vd = _norm(vinf_dep)
    va = _norm(vinf_arr)
    if kind == "dsm":
        f = dsm_total.copy()
    elif kind == "dsm+vinf":
        f = dsm_total + va
    elif kind == "dsm+capture":
        f = dsm_total + _capture_dv(va, arrive.mu_km3s2, capture[0], capture[1])
    elif kind == "launch+dsm+vinf":
        f = dsm_total + vd + va
    elif kind == "launch+dsm+capture":
        f = dsm_total + vd + _capture_dv(va, arrive.mu_km3s2, capture[0], capture[1])
    else:  # c3
        f = (vd + dsm_total) ** 2
    # A failed Lambert arc (no solution) is the worst possible value, never a silent NaN.
    f = np.where(ok & np.isfinite(f), f, np.inf)
    return f


class _Model:
    sequence: tuple[str, ...]
    planets: Planets
    lower: np.ndarray
    upper: np.ndarray

    @property
    def n_legs(self) -> int:
        return len(self.sequence) - 1

    def _setup(self, sequence: Sequence[str], planets: Planets | None, objective: str,
               t0_mjd2000: Any, tof_days: Any, capture: tuple[float, float] | None,
               ) -> tuple[tuple[float, float], list[tuple[float, float]]]:
        """Checks shared by the models; returns the launch and time-of-flight bounds."""
        self.planets = DE440Planets() if planets is None else planets
        self.sequence = _check_sequence(sequence, self.planets)
        if objective not in OBJECTIVES:
            raise ParameterError(
                f"objective {objective!r} is not known: use one of {', '.join(OBJECTIVES)}"
            )
        self.objective = objective
        t0 = _bounds_pair(t0_mjd2000, "t0_mjd2000", "MJD2000 days")
        tofs = [_bounds_pair(t, f"tof_days[{k}]", "days") for k, t in enumerate(tof_days)]
        if len(tofs) != self.n_legs:
            raise ParameterError(
                f"tof_days has {len(tofs)} (min, max) pairs for {self.n_legs} legs of "
                f"{'-'.join(self.sequence)}: give one pair per leg"
            )
        if any(lo <= 0 for lo, _ in tofs):
            raise ParameterError("tof_days minimums must be > 0 days")
        for k in range(1, self.n_legs):
            fb = self.planets.body(self.sequence[k])
            if not math.isfinite(fb.rp_min_km):
                raise ParameterError(
                    f"no minimum flyby altitude is known for {fb.name}: add "
                    f"min_flyby_alt_km to its catalog entry or pass planets with rp_min"
                )
        arrive = self.planets.body(self.sequence[-1])
        self.capture = capture if capture is not None else (arrive.radius_km + 250.0, 0.9)
        return t0, tofs

    @property
    def dim(self) -> int:
        return self.lower.size

    def _check_x(self, x: Any) -> np.ndarray:
        X = np.asarray(x, dtype=float)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.dim:
            raise ParameterError(
                f"decision vectors have shape {np.shape(x)}: give (n, {self.dim}) or "
                f"({self.dim},) values (see {type(self).__name__}.lower/upper)"
            )
        if not np.all(np.isfinite(X)):
            raise ParameterError("decision vectors hold non-finite values: give finite numbers")
        return X

    def _planet_states(self, epochs: np.ndarray) -> np.ndarray:
        n, k = epochs.shape
        out = np.empty((n, k, 6))
        for j, body in enumerate(self.sequence):
            out[:, j] = self.planets.states(body, epochs[:, j])
        return out

    def fitness(self, x: Any) -> np.ndarray:
        """Objective of each decision vector (n,): the batch fitness."""
        return self.evaluate(x).objective


class MGA1DSM(_Model):
    """MGA-1DSM problem (see the module docstring for the encoding).

    Args:
        sequence: planet names, departure first (``("earth", "mars")``).
        t0_mjd2000: launch epoch bounds, MJD2000 days.
        tof_days: per-leg time-of-flight bounds, days, ``[(lo, hi), ...]``.
        vinf_kms: launch v-infinity bounds, km/s.
        eta: bounds of the DSM's fraction of each leg.
        rp_max_radii: upper bound of flyby pericentres, planet radii.
        objective: one of :data:`OBJECTIVES`.
        capture: (pericentre radius km, eccentricity) of the capture orbit for the
            ``+capture`` objectives (default: 250 km altitude, e = 0.9).
        planets: :class:`DE440Planets` (default) or :class:`AnalyticPlanets`.
        vinf_frame: axes of the launch v-infinity direction ``(u, v)``: ``"inertial"`` (the
            ephemeris frame, as pykep) or ``"planet"`` (x along the departure planet's
            velocity, z along its orbital angular momentum, as the GTOP MGA-DSM problems).
    """

    def __init__(
        self,
        sequence: Sequence[str],
        t0_mjd2000: tuple[float, float],
        tof_days: Sequence[tuple[float, float]],
        *,
        vinf_frame: str = "inertial",
        vinf_kms: tuple[float, float] = (0.5, 6.0),
        eta: tuple[float, float] = (0.01, 0.99),
        rp_max_radii: float = 30.0,
        objective: str = "dsm+vinf",
        capture: tuple[float, float] | None = None,
        planets: Planets | None = None,
    ):
        if vinf_frame not in ("inertial", "planet"):
            raise ParameterError(
                f"vinf_frame {vinf_frame!r} is not known: use 'inertial' or 'planet'"
            )
        self.vinf_frame = vinf_frame
        t0, tofs = self._setup(sequence, planets, objective, t0_mjd2000, tof_days, capture)
        vinf = _bounds_pair(vinf_kms, "vinf_kms", "km/s")
        if vinf[0] < 0:
            raise ParameterError(f"vinf_kms {vinf} must be >= 0 km/s")
        eta_b = _bounds_pair(eta, "eta", "(fraction of a leg)")
        if not (0.0 <= eta_b[0] and eta_b[1] <= 1.0):
            raise ParameterError(f"eta {eta_b} must lie within [0, 1]")
        lo = [t0[0], 0.0, 0.0, vinf[0], eta_b[0], tofs[0][0]]
        hi = [t0[1], 1.0, 1.0, vinf[1], eta_b[1], tofs[0][1]]
        for k in range(1, self.n_legs):
            fb = self.planets.body(self.sequence[k])
            lo += [-2.0 * math.pi, fb.rp_min_km / fb.radius_km, eta_b[0], tofs[k][0]]
            hi += [2.0 * math.pi, max(rp_max_radii, fb.rp_min_km / fb.radius_km),
                   eta_b[1], tofs[k][1]]
        self.lower = np.array(lo)
        self.upper = np.array(hi)

    def decode(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Times of flight (n, L) days, encounter epochs (n, L+1) MJD2000 and launch
        v-infinity vectors (n, 3) km/s."""
        T = X[:, 5::4]
        epochs = X[:, :1] + np.concatenate([np.zeros((X.shape[0], 1)),
                                            np.cumsum(T, axis=1)], axis=1)
        theta = 2.0 * np.pi * X[:, 1]
        phi = np.arccos(np.clip(2.0 * X[:, 2] - 1.0, -1.0, 1.0)) - np.pi / 2.0
        vinf = X[:, 3:4] * np.stack([np.cos(phi) * np.cos(theta), np.cos(phi) * np.sin(theta),
                                     np.sin(phi)], axis=1)
        return T, epochs, vinf

    def evaluate(self, x: Any) -> Evaluation:
        """Evaluate decision vectors (n, dim) or (dim,); see :class:`Evaluation`."""
        X = self._check_x(x)
        n, L = X.shape[0], self.n_legs
        mu = self.planets.mu_sun
        T, epochs, vinf = self.decode(X)
        P = self._planet_states(epochs)
        if self.vinf_frame == "planet":
            ix = P[:, 0, 3:] / _norm(P[:, 0, 3:])[:, None]
            iz = np.cross(P[:, 0, :3], P[:, 0, 3:])
            iz /= _norm(iz)[:, None]
            iy = np.cross(iz, ix)
            vinf = vinf[:, :1] * ix + vinf[:, 1:2] * iy + vinf[:, 2:] * iz
        dsm_t = np.empty((n, L))
        dsm_dv = np.empty((n, L))
        before = np.empty((n, L, 6))
        after = np.empty((n, L, 6))
        vdep = np.empty((n, L, 3))
        varr = np.empty((n, L, 3))
        fb_rp = np.zeros((n, max(L - 1, 0)))
        fb_turn = np.zeros((n, max(L - 1, 0)))
        ok = np.ones(n, dtype=bool)
        v_leave = P[:, 0, 3:] + vinf
        for k in range(L):
            if k > 0:
                body = self.planets.body(self.sequence[k])
                beta = X[:, 2 + 4 * k]
                rp = X[:, 3 + 4 * k] * body.radius_km
                v_leave = np.empty((n, 3))
                turn = np.empty(n)
                run(_mga_kernels.flyby_unpowered, n, (
                    inp(varr[:, k - 1]), inp(P[:, k, 3:]), inp(rp), inp(beta),
                    inp(np.full(n, body.mu_km3s2)), v_leave, turn), _PARALLEL_MIN)
                fb_rp[:, k - 1] = rp
                fb_turn[:, k - 1] = turn
            eta = X[:, 4 + 4 * k]
            tof_s = T[:, k] * DAY_S
            s0 = np.concatenate([P[:, k, :3], v_leave], axis=1)
            dt1 = eta * tof_s
            s1 = propagate_kepler(s0, dt1[:, None], mu)[:, 0]
            v1, v2, st = _lambert0(s1[:, :3].copy(), P[:, k + 1, :3].copy(),
                                   (1.0 - eta) * tof_s, mu)
            ok &= st == _kernels.OK
            vdep[:, k] = v_leave
            varr[:, k] = v2
            before[:, k] = s1
            after[:, k, :3] = s1[:, :3]
            after[:, k, 3:] = v1
            dsm_dv[:, k] = _norm(v1 - s1[:, 3:])
            dsm_t[:, k] = epochs[:, k] + eta * T[:, k]
        vinf_arr = varr[:, -1] - P[:, -1, 3:]
        dsm_total = np.where(np.isfinite(dsm_dv), dsm_dv, np.inf).sum(axis=1)
        f = _finish_objective(self.objective, dsm_total, vinf, vinf_arr,
                              self.planets.body(self.sequence[-1]), self.capture, ok)
        return Evaluation(
            objective=f, planet_mjd2000=epochs, planet_states=P, vinf_dep=vinf,
            vinf_arr=vinf_arr, dsm_mjd2000=dsm_t, dsm_dv=dsm_dv, dsm_state_before=before,
            dsm_state_after=after, leg_v_dep=vdep, leg_v_arr=varr, flyby_rp=fb_rp,
            flyby_dv=np.zeros_like(fb_rp), flyby_turn=fb_turn,
            flyby_miss=np.zeros_like(fb_rp), lambert_ok=ok,
            leg_revs=np.zeros((n, L), dtype=np.int64),
        )


class MGA(_Model):
    """MGA problem: Lambert legs (up to ``max_revs`` revolutions, both branches) joined by
    powered flybys above each planet's minimum pericentre, decision vector
    ``[t0, T_1..T_L]`` (MJD2000 days, days).

    Objective: one of :data:`OBJECTIVES` (``dsm`` counts the flyby ΔV;
    ``launch+dsm+capture`` is the GTOP Cassini1 objective).
    """

    def __init__(
        self,
        sequence: Sequence[str],
        t0_mjd2000: tuple[float, float],
        tof_days: Sequence[tuple[float, float]],
        *,
        max_revs: int = 0,
        objective: str = "launch+dsm+capture",
        capture: tuple[float, float] | None = None,
        planets: Planets | None = None,
    ):
        if int(max_revs) != max_revs or not 0 <= max_revs <= 5:
            raise ParameterError(f"max_revs {max_revs} must be a whole number in [0, 5]")
        self.max_revs = int(max_revs)
        t0, tofs = self._setup(sequence, planets, objective, t0_mjd2000, tof_days, capture)
        self.lower = np.array([t0[0]] + [t[0] for t in tofs])
        self.upper = np.array([t0[1]] + [t[1] for t in tofs])

    def evaluate(self, x: Any) -> Evaluation:
        X = self._check_x(x)
        n, L = X.shape[0], self.n_legs
        mu = self.planets.mu_sun
        T = X[:, 1:]
        epochs = X[:, :1] + np.concatenate([np.zeros((n, 1)), np.cumsum(T, axis=1)], axis=1)
        P = self._planet_states(epochs)
        nb = 2 * self.max_revs + 1
        revs = np.array([0] + [m for m in range(1, self.max_revs + 1) for _ in (0, 1)])
        right = np.array([False] + [b for _ in range(self.max_revs) for b in (False, True)])
        # Every arc of every leg: (n, L, nb) problems in one batch.
        r1 = np.repeat(P[:, :-1, :3][:, :, None, :], nb, axis=2).reshape(-1, 3)
        r2 = np.repeat(P[:, 1:, :3][:, :, None, :], nb, axis=2).reshape(-1, 3)
        tof = np.repeat((T * DAY_S)[:, :, None], nb, axis=2).reshape(-1)
        rv = np.broadcast_to(revs, (n, L, nb)).reshape(-1)
        rb = np.broadcast_to(right, (n, L, nb)).reshape(-1)
        v1, v2, st = _lambert0(np.ascontiguousarray(r1), np.ascontiguousarray(r2), tof, mu,
                               rv, rb)
        v1 = v1.reshape(n, L, nb, 3)
        v2 = v2.reshape(n, L, nb, 3)
        good = (st == _kernels.OK).reshape(n, L, nb)
        vinf_dep_all = v1[:, 0] - P[:, 0, None, 3:]  # (n, nb, 3)
        vinf_arr_all = v2[:, -1] - P[:, -1, None, 3:]
        kind = self.objective
        arrive = self.planets.body(self.sequence[-1])
        # Dynamic programme over the arcs: cost[j] = best cost up to leg k ending on arc j.
        if kind.startswith("launch+"):
            cost = _norm(vinf_dep_all)
        else:
            cost = np.zeros((n, nb))
        cost = np.where(good[:, 0], cost, np.inf)
        back = np.zeros((n, L, nb), dtype=np.int64)
        fb_dv_all = np.zeros((n, max(L - 1, 0), nb, nb))
        fb_rp_all = np.zeros_like(fb_dv_all)
        fb_miss_all = np.zeros_like(fb_dv_all)
        for k in range(1, L):
            body = self.planets.body(self.sequence[k])
            vin = (v2[:, k - 1] - P[:, k, None, 3:])  # (n, nb, 3) arriving arcs
            vout = (v1[:, k] - P[:, k, None, 3:])     # (n, nb, 3) leaving arcs
            a = np.repeat(vin[:, :, None, :], nb, axis=2).reshape(-1, 3)
            b = np.repeat(vout[:, None, :, :], nb, axis=1).reshape(-1, 3)
            m = a.shape[0]
            dv = np.empty(m)
            rp = np.empty(m)
            miss = np.empty(m)
            run(_mga_kernels.flyby_powered, m, (
                inp(a), inp(b), inp(np.full(m, body.mu_km3s2)),
                inp(np.full(m, body.rp_min_km)), dv, rp, miss), _PARALLEL_MIN)
            dv = dv.reshape(n, nb, nb)
            fb_dv_all[:, k - 1] = dv
            fb_rp_all[:, k - 1] = rp.reshape(n, nb, nb)
            fb_miss_all[:, k - 1] = miss.reshape(n, nb, nb)
            total = cost[:, :, None] + np.where(np.isfinite(dv), dv, np.inf)
            total = np.where(good[:, k][:, None, :], total, np.inf)
            back[:, k] = np.argmin(total, axis=1)
            cost = np.take_along_axis(total, back[:, k][:, None, :], axis=1)[:, 0]
        va_n = _norm(vinf_arr_all)
        if kind.endswith("+vinf"):
            cost = cost + va_n
        elif kind.endswith("+capture"):
            cost = cost + _capture_dv(va_n, arrive.mu_km3s2, *self.capture)
        elif kind == "c3":
            cost = (cost + _norm(vinf_dep_all)) ** 2
        last = np.argmin(cost, axis=1)
        f = cost[np.arange(n), last]
        # Walk back the chosen arcs.
        arcs = np.zeros((n, L), dtype=np.int64)
        arcs[:, -1] = last
        for k in range(L - 1, 0, -1):
            arcs[:, k - 1] = back[np.arange(n), k, arcs[:, k]]
        rows = np.arange(n)
        vdep = np.stack([v1[rows, k, arcs[:, k]] for k in range(L)], axis=1)
        varr = np.stack([v2[rows, k, arcs[:, k]] for k in range(L)], axis=1)
        fsel = [(fb_dv_all[rows, k, arcs[:, k], arcs[:, k + 1]],
                 fb_rp_all[rows, k, arcs[:, k], arcs[:, k + 1]],
                 fb_miss_all[rows, k, arcs[:, k], arcs[:, k + 1]]) for k in range(L - 1)]
        shape_fb = (n, max(L - 1, 0))
        fb_dv = np.stack([s[0] for s in fsel], axis=1) if fsel else np.zeros(shape_fb)
        fb_rp = np.stack([s[1] for s in fsel], axis=1) if fsel else np.zeros(shape_fb)
        fb_miss = np.stack([s[2] for s in fsel], axis=1) if fsel else np.zeros(shape_fb)
        ok = np.isfinite(f)
        vin_fb = varr[:, :-1] - P[:, 1:-1, 3:]
        vout_fb = vdep[:, 1:] - P[:, 1:-1, 3:]
        cosang = np.einsum("nkj,nkj->nk", vin_fb, vout_fb) / (_norm(vin_fb) * _norm(vout_fb))
        nan_l = np.full((n, L), np.nan)
        return Evaluation(
            objective=np.where(ok, f, np.inf), planet_mjd2000=epochs, planet_states=P,
            vinf_dep=vdep[:, 0] - P[:, 0, 3:], vinf_arr=varr[:, -1] - P[:, -1, 3:],
            dsm_mjd2000=nan_l, dsm_dv=np.zeros((n, L)),
            dsm_state_before=np.full((n, L, 6), np.nan),
            dsm_state_after=np.full((n, L, 6), np.nan), leg_v_dep=vdep, leg_v_arr=varr,
            flyby_rp=fb_rp, flyby_dv=fb_dv,
            flyby_turn=np.arccos(np.clip(cosang, -1.0, 1.0)), flyby_miss=fb_miss,
            lambert_ok=ok, leg_revs=revs[arcs],
            extra={"right_branch": right[arcs]},
        )


def check_epochs_in(planets: Planets, sequence: Sequence[str], lo: float, hi: float) -> None:
    """Refuse a search whose encounters may fall outside the ephemeris (MJD2000 days)."""
    span = getattr(planets, "span_mjd2000", None)
    if span is None:
        return
    for body in sequence:
        a, b = span(body)
        if lo < a or hi > b:
            raise EpochOutOfRangeError(
                f"the search reaches MJD2000 {lo:.0f}..{hi:.0f} but the ephemeris covers "
                f"{body} over {a:.0f}..{b:.0f}: narrow the launch and arrival spans"
            )
