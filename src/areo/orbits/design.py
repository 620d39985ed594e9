"""Orbit design at Mars: sun-synchronous inclination, orbit-sol resonances (repeat ground
tracks), frozen eccentricity, Hohmann and plane-change delta-v, lifetime under drag.

Formulas from Vallado (2013) ch. 6 (Hohmann, plane changes), ch. 9 (J2 secular rates),
ch. 11 (sun-synchronous, repeat ground track and frozen orbits) and King-Hele, *Satellite
Orbits in an Atmosphere* (1987) for orbit-averaged drag decay. Units: km, s, degrees at the
edges (``*_deg``). Altitudes are above the equatorial radius (3396.19 km for Mars).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from areo import validate
from areo.constants import DAY_S, MARS_TROPICAL_YEAR_D, SOL_MARS24_S
from areo.errors import ParameterError
from areo.io.records import dumps, span_text, utc_column
from areo.orbits.j2mean import j2_secular_rates
from areo.orbits.orbit import CentralBody, Orbit

__all__ = [
    "FrozenOrbit",
    "Hohmann",
    "Lifetime",
    "RepeatOrbit",
    "combined_plane_change_dv",
    "frozen_eccentricity",
    "hohmann",
    "lifetime_estimate",
    "mars_j3",
    "plane_change_dv",
    "repeat_orbit",
    "sun_synchronous_inclination",
]


def _mars() -> CentralBody:
    return CentralBody.get("mars")


def mars_j3() -> tuple[float, float, str]:
    """Mars J3 (unnormalised, = -C30), its reference radius (km) and source."""
    from areo.catalog import constant

    c = constant("j3")
    return float(c.value), float(c.extra["reference_radius_km"]), c.source


def sun_synchronous_inclination(
    alt_km: Any = None, *, sma_km: Any = None, ecc: Any = 0.0
) -> Any:
    """Inclination (deg) that makes the J2 nodal regression follow the mean Sun at Mars.

    The node must turn eastward by 360 deg per Mars tropical year (686.9726 d, Allison &
    McEwen 2000; the tropical year because local solar time is measured from the mean Sun,
    whose longitude counts from the equinox). Solves ``dRAAN/dt = -(3/2) n J2 (R/p)^2 cos i``
    for i. Give ``alt_km`` (circular) or ``sma_km`` with ``ecc``.

    Example:
        >>> round(float(sun_synchronous_inclination(287.5)), 1)        # MRO
        92.6
    """
    bd = _mars()
    if (alt_km is None) == (sma_km is None):
        raise ParameterError("give alt_km (circular) or sma_km (with ecc), one of them")
    e = np.asarray(validate.in_range(ecc, "ecc", 0.0, 1.0, hi_open=True,
                                     what="for a closed orbit"))
    if sma_km is None:
        a = bd.r_eq + np.asarray(validate.positive(alt_km, "alt_km", unit="km",
                                                   hint="the altitude above the surface"))
    else:
        a = np.asarray(validate.positive(sma_km, "sma_km", unit="km"))
    _above_surface(a, e, bd)
    year_s = MARS_TROPICAL_YEAR_D * DAY_S
    need = 2.0 * math.pi / year_s
    n = np.sqrt(bd.mu / a**3)
    p = a * (1.0 - e * e)
    cos_i = -need / (1.5 * n * bd.j2 * (bd.j2_r_ref / p) ** 2)
    if np.any(np.abs(cos_i) > 1.0):
        raise ParameterError(
            f"no sun-synchronous orbit exists at a = {np.max(a):.0f} km around Mars: J2 "
            "regression is too slow; lower the orbit (Mars SSOs exist below roughly "
            "a = 5100 km for circular orbits)"
        )
    out = np.degrees(np.arccos(cos_i))
    return float(out) if out.ndim == 0 else out


def _above_surface(a: np.ndarray, e: np.ndarray, bd: CentralBody) -> None:
    """Refuse orbits of semi-major axis ``a`` and eccentricity ``e`` with a pericentre at or
    below the equatorial radius."""
    rp = np.broadcast_to(a * (1.0 - e), np.broadcast_shapes(np.shape(a), np.shape(e)))
    if np.any(rp <= bd.r_eq):
        alt = float(np.min(rp)) - bd.r_eq
        raise ParameterError(
            f"pericentre altitude {alt:.1f} km is below the surface of Mars (equatorial "
            f"radius {bd.r_eq} km): give an orbit with a pericentre altitude > 0 km"
        )


@dataclass
class RepeatOrbit:
    """An orbit-sol resonance: ``orbits`` revolutions in ``days`` days (sols by default)."""

    orbits: int
    days: int
    day: str
    j2: bool
    period_s: float
    nodal_period_s: float
    sma_km: float
    ecc: float
    peri_alt_km: float
    apo_alt_km: float
    inc_deg: float
    orbit: Orbit = field(repr=False)

    @property
    def period_h(self) -> float:
        return self.period_s / 3600.0

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "orbit"}
        d["period_h"] = self.period_h
        return d

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"RepeatOrbit: {self.orbits} orbits in {self.days} {self.day}s"
                f"{' (J2)' if self.j2 else ''}, {self.peri_alt_km:.0f} x {self.apo_alt_km:.0f} "
                f"km, {self.inc_deg:g} deg, T = {self.period_h:.4f} h")


def repeat_orbit(
    orbits: int,
    days: int,
    *,
    peri_alt_km: float | None = None,
    inc_deg: float = 90.0,
    j2: bool = False,
    day: str = "sol",
) -> RepeatOrbit:
    """The orbit that makes ``orbits`` revolutions in ``days`` Mars days.

    ``day = "sol"`` (default): the mean solar day (Mars24, 88775.24415 s), the definition of
    the published Mars Express resonances (11:3 -> 6.725 h, 18:5 -> 6.850 h): the same
    local solar time returns after ``days`` sols. ``day = "sidereal"``: the ground track
    repeats on the rotating planet (with ``j2=True`` relative to the regressing node:
    ``orbits * T_nodal = days * 2 pi / (omega_Mars - dRAAN/dt)``).

    Without J2 the Keplerian period is ``days * day / orbits``. With ``j2=True`` the
    *nodal* period (``2 pi / (dM/dt + dargp/dt)``) is matched instead, solving for a.
    ``peri_alt_km`` fixes the pericentre (the apocentre follows); default circular.

    Example:
        >>> round(repeat_orbit(11, 3, peri_alt_km=298).period_h, 3)   # Mars Express, 11:3
        6.725
    """
    from scipy.optimize import brentq

    from areo.frames.mars import MARS_ROTATION_RATE_RAD_S

    for name, n in (("orbits", orbits), ("days", days)):
        validate.in_range(n, name, 1, None, hint="a whole number of revolutions / days")
        if int(n) != n:
            raise ParameterError(f"{name} = {n!r} is not a whole number: give an integer >= 1")
    orbits, days = int(orbits), int(days)
    validate.in_range(inc_deg, "inc_deg", 0.0, 180.0, unit="deg")
    if peri_alt_km is not None:
        validate.positive(peri_alt_km, "peri_alt_km", unit="km",
                          hint="the pericentre altitude above the surface")
    bd = _mars()
    key = day.lower()
    omega = MARS_ROTATION_RATE_RAD_S  # IAU 2015 W rate
    if key not in ("sol", "sidereal"):
        raise ParameterError(f"day {day!r} is unknown: use 'sol' or 'sidereal'")
    inc = math.radians(inc_deg)
    if not 0.0 <= inc_deg <= 180.0:
        raise ParameterError(f"inc_deg {inc_deg} is outside [0, 180]")
    rp = None if peri_alt_km is None else bd.r_eq + float(peri_alt_km)

    def ecc_of(a: float) -> float:
        return 0.0 if rp is None else 1.0 - rp / a

    def target_and_nodal(a: float) -> tuple[float, float]:
        e = ecc_of(a)
        if not j2:
            period = 2 * math.pi * math.sqrt(a**3 / bd.mu)
            d = SOL_MARS24_S if key == "sol" else 2 * math.pi / omega
            return orbits * period - days * d, period
        rd, wd, md = (float(x) for x in j2_secular_rates(a, e, inc, bd.mu, bd.j2, bd.j2_r_ref))
        nodal = 2 * math.pi / (md + wd)
        d = SOL_MARS24_S if key == "sol" else 2 * math.pi / (omega - rd)
        return orbits * nodal - days * d, nodal

    d0 = SOL_MARS24_S if key == "sol" else 2 * math.pi / omega
    a0 = (bd.mu * (days * d0 / orbits / (2 * math.pi)) ** 2) ** (1.0 / 3.0)
    a = a0 if not j2 else brentq(lambda x: target_and_nodal(x)[0], 0.9 * a0, 1.1 * a0,
                                 xtol=1e-9, rtol=1e-15)
    if rp is not None and rp > a:
        raise ParameterError(
            f"pericentre altitude {peri_alt_km} km is above the semi-major axis "
            f"({a - bd.r_eq:.0f} km altitude) of the {orbits}:{days} orbit: lower it"
        )
    if rp is not None and rp <= bd.r_eq:
        raise ParameterError(f"pericentre altitude {peri_alt_km} km is below the surface")
    e = ecc_of(a)
    if a * (1 - e) <= bd.r_eq:
        raise ParameterError(f"the {orbits}:{days} orbit (a = {a:.0f} km) hits Mars")
    nodal = target_and_nodal(a)[1]
    orb = Orbit.from_elements(sma_km=a, ecc=e, inc_deg=inc_deg,
                              name=f"{orbits}:{days} {key} resonance")
    return RepeatOrbit(orbits, days, key, j2, float(orb.period_s), float(nodal), float(a),
                       float(e), a * (1 - e) - bd.r_eq, a * (1 + e) - bd.r_eq, inc_deg, orb)


@dataclass
class FrozenOrbit:
    """Frozen eccentricity and argument of pericentre (deg) under J2 + J3."""

    ecc: float
    argp_deg: float
    sma_km: float
    inc_deg: float
    j3: float
    j3_source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"FrozenOrbit: e = {self.ecc:.6f}, argp = {self.argp_deg:g} deg at a = "
                f"{self.sma_km:.1f} km, i = {self.inc_deg:g} deg")


def frozen_eccentricity(sma_km: float, inc_deg: float) -> FrozenOrbit:
    """The eccentricity that freezes e and argp under Mars J2 and J3.

    Setting the long-period rates of e and argp from J2 and J3 to zero gives (Cook 1966,
    Planet. Space Sci. 14:433; Vallado 2013 sec. 11.4.2), for small e and i away from the
    critical 63.4 deg: ``e = -(J3 / 2 J2) (R / a) sin i`` with ``argp = 90 deg``. Mars J3
    is positive, so the frozen pericentre sits over the south pole (argp = 270 deg) with
    ``e = (J3 / 2 J2) (R / a) sin i``, as flown by MGS and MRO. J3 from
    :func:`mars_j3`.
    """
    bd = _mars()
    j3, r3, src = mars_j3()
    a = float(validate.positive(sma_km, "sma_km", unit="km"))
    inc_deg = float(validate.in_range(inc_deg, "inc_deg", 0.0, 180.0, unit="deg"))
    if a <= bd.r_eq:
        raise ParameterError(f"sma_km {sma_km} is inside Mars (R = {bd.r_eq} km)")
    if not 0.0 <= inc_deg <= 180.0:
        raise ParameterError(f"inc_deg {inc_deg} is outside [0, 180]")
    # Both zonals scaled to the J2 reference radius before taking the ratio.
    j3_at = j3 * (r3 / bd.j2_r_ref) ** 3
    e = -(j3_at / (2.0 * bd.j2)) * (bd.j2_r_ref / a) * math.sin(math.radians(inc_deg))
    argp = 90.0
    if e < 0:
        e, argp = -e, 270.0
    return FrozenOrbit(e, argp, a, inc_deg, j3, src)


@dataclass
class Hohmann:
    """Two-impulse Hohmann transfer between coplanar circular orbits (km/s, s, km)."""

    dv1_kms: float
    dv2_kms: float
    dv_total_kms: float
    tof_s: float
    sma_transfer_km: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"Hohmann: {self.dv1_kms:.4f} + {self.dv2_kms:.4f} = {self.dv_total_kms:.4f} "
                f"km/s in {self.tof_s / 3600.0:.3f} h (a = {self.sma_transfer_km:.1f} km)")


def hohmann(r1_km: float, r2_km: float, *, mu: float | None = None) -> Hohmann:
    """Hohmann transfer from circular radius ``r1_km`` to ``r2_km`` (Vallado Alg. 36).

    ``mu`` defaults to Mars GM. Radii, not altitudes (add 3396.19 km at Mars).
    """
    mu = _mars().mu if mu is None else float(validate.positive(mu, "mu", unit="km^3/s^2"))
    hint = "a radius from the body's centre: altitude + 3396.19 km at Mars"
    r1_km = float(validate.positive(r1_km, "r1_km", unit="km", hint=hint))
    r2_km = float(validate.positive(r2_km, "r2_km", unit="km", hint=hint))
    at = 0.5 * (r1_km + r2_km)
    v1 = math.sqrt(mu / r1_km)
    v2 = math.sqrt(mu / r2_km)
    vp = math.sqrt(mu * (2 / r1_km - 1 / at))
    va = math.sqrt(mu * (2 / r2_km - 1 / at))
    dv1, dv2 = abs(vp - v1), abs(v2 - va)
    return Hohmann(dv1, dv2, dv1 + dv2, math.pi * math.sqrt(at**3 / mu), at)


def plane_change_dv(v_kms: float, delta_inc_deg: float) -> float:
    """Delta-v (km/s) to turn a velocity ``v_kms`` by ``delta_inc_deg``: 2 v sin(di/2)."""
    validate.non_negative(v_kms, "v_kms", unit="km/s", hint="a speed")
    validate.in_range(delta_inc_deg, "delta_inc_deg", -180.0, 180.0, unit="deg")
    return 2.0 * float(v_kms) * math.sin(math.radians(abs(delta_inc_deg)) / 2.0)


def combined_plane_change_dv(v1_kms: float, v2_kms: float, delta_inc_deg: float) -> float:
    """Delta-v (km/s) changing speed and plane in one burn (law of cosines)."""
    validate.non_negative(v1_kms, "v1_kms", unit="km/s", hint="a speed")
    validate.non_negative(v2_kms, "v2_kms", unit="km/s", hint="a speed")
    validate.in_range(delta_inc_deg, "delta_inc_deg", -180.0, 180.0, unit="deg")
    c = math.cos(math.radians(delta_inc_deg))
    return math.sqrt(v1_kms**2 + v2_kms**2 - 2.0 * v1_kms * v2_kms * c)


@dataclass(eq=False)  # arrays compare element-wise
class Lifetime:
    """Result of :func:`lifetime_estimate`: days to decay and the history (days after the
    orbit's epoch ``epoch_et``, TDB s past J2000; altitudes km)."""

    days: float
    decayed: bool
    reason: str
    t_days: np.ndarray = field(repr=False)
    peri_alt_km: np.ndarray = field(repr=False)
    apo_alt_km: np.ndarray = field(repr=False)
    epoch_et: float = float("nan")

    @property
    def end_et(self) -> float:
        """The epoch of the decay (or of the end of the run), TDB s past J2000."""
        return self.epoch_et + self.days * DAY_S

    def to_dict(self) -> dict[str, Any]:
        """``{"days", "decayed", "reason", "epoch", "end"}`` (UTC ISO strings, null without
        an epoch); the history is in :meth:`to_frame`."""
        from areo.time import Time

        ok = math.isfinite(self.epoch_et)
        epoch, end = Time.from_et([self.epoch_et, self.end_et]).iso if ok else (None, None)
        return {"days": self.days, "decayed": self.decayed, "reason": self.reason,
                "epoch": None if epoch is None else str(epoch),
                "end": None if end is None else str(end)}

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """Periapsis and apoapsis altitude as the orbit decays (plotly,
        :func:`areo.io.figures.series_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import series_figure, show_or_save

        frame = self.to_frame()
        fig = series_figure(
            frame["utc"], {c: frame[c] for c in ("peri_alt_km", "apo_alt_km")},
            title=repr(self),
            y_title="altitude (km)",
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """The decay history, one row per integrator step: ``utc``
        (``datetime64[ns, UTC]``, NaT without an epoch), ``t_days``, ``peri_alt_km``,
        ``apo_alt_km``."""
        import pandas as pd

        t = np.asarray(self.t_days, dtype=float)
        return pd.DataFrame({"utc": utc_column(self.epoch_et + t * DAY_S), "t_days": t,
                             "peri_alt_km": self.peri_alt_km, "apo_alt_km": self.apo_alt_km})

    def __repr__(self) -> str:
        what = "decays" if self.decayed else "still in orbit"
        start = span_text(self.epoch_et, self.end_et) if math.isfinite(self.epoch_et) else ""
        return (f"Lifetime: {what} after {self.days:,.1f} days ({self.reason})"
                + (f", {start}" if start else ""))


def lifetime_estimate(
    orbit: Orbit,
    *,
    mass_kg: float,
    area_m2: float,
    cd: float = 2.2,
    atmosphere: Callable[[Any], Any] | None = None,
    reentry_alt_km: float = 80.0,
    max_days: float = 36525.0,
    n_quad: int = 512,
) -> Lifetime:
    """Orbit lifetime under drag, from orbit-averaged Gauss equations for a and e.

    The drag deceleration ``0.5 rho v^2 Cd A / m`` acts against the velocity (atmosphere
    at rest, no rotation, no lift); its effect on a and e is averaged over each orbit by
    quadrature in eccentric anomaly, in the spirit of King-Hele's theory, and the averaged
    equations are integrated until the pericentre falls below ``reentry_alt_km``. The
    answer is only as good as the density model (``atmosphere(alt_km) -> kg/m^3``, default
    :data:`~areo.orbits.numerical.MARS_EXPONENTIAL`; an
    :class:`~areo.orbits.numerical.ExponentialAtmosphere` anchored near the pericentre, a
    :class:`~areo.orbits.numerical.TabulatedAtmosphere` or any function of the altitude):
    Mars thermospheric density varies by ~10x with season, dust and solar activity, so
    treat the result as an order of magnitude. Single orbits.
    """
    from scipy.integrate import solve_ivp

    from areo.orbits.numerical.atmosphere import MARS_EXPONENTIAL

    if len(orbit) != 1 or not orbit.is_closed:
        raise ParameterError("lifetime_estimate takes one closed orbit")
    validate.positive(mass_kg, "mass_kg", unit="kg")
    validate.positive(area_m2, "area_m2", unit="m^2")
    validate.positive(cd, "cd", hint="the drag coefficient, about 2.2")
    validate.finite(reentry_alt_km, "reentry_alt_km", unit="km")
    validate.positive(max_days, "max_days", unit="days")
    validate.in_range(n_quad, "n_quad", 8, None, hint="quadrature points per orbit, e.g. 512")
    rho = atmosphere if atmosphere is not None else MARS_EXPONENTIAL
    mu = orbit.mu
    r_eq = orbit._body.r_eq
    # Cd A / m in m^2/kg times rho in kg/m^3 is 1/m; times 1000 gives 1/km.
    b = cd * area_m2 / mass_kg * 1000.0
    ea = (np.arange(n_quad) + 0.5) * (2 * np.pi / n_quad)
    ce = np.cos(ea)

    def rates(_t: float, y: np.ndarray) -> list[float]:
        a, e = y[0], min(max(y[1], 0.0), 0.99)
        r = a * (1 - e * ce)
        v2 = mu * (2.0 / r - 1.0 / a)
        v = np.sqrt(v2)
        drag = 0.5 * rho(r - r_eq) * b * v2  # km/s^2
        # cos(nu) from E; dM = (1 - e cos E) dE gives the time-average weights.
        cnu = (ce - e) / (1 - e * ce)
        w = (1 - e * ce) / n_quad
        dadt = np.sum(w * (-2.0 * a * a * v * drag / mu))
        dedt = np.sum(w * (-2.0 * (e + cnu) * drag / v))
        return [float(dadt), float(dedt) if y[1] > 0 else max(float(dedt), 0.0)]

    def low(_t: float, y: np.ndarray) -> float:
        return y[0] * (1 - max(y[1], 0.0)) - r_eq - reentry_alt_km

    low.terminal = True  # type: ignore[attr-defined]
    a0, e0 = float(orbit.sma_km), float(orbit.ecc)
    if a0 * (1 - e0) - r_eq <= reentry_alt_km:
        raise ParameterError(f"the pericentre is already below reentry_alt_km {reentry_alt_km}")
    sol = solve_ivp(rates, (0.0, max_days * DAY_S), [a0, e0], events=low, rtol=1e-6,
                    atol=[1e-4, 1e-9], method="LSODA")
    t = sol.t / DAY_S
    a, e = sol.y
    e = np.clip(e, 0, None)
    decayed = sol.status == 1
    days = float(t[-1])
    reason = (f"pericentre below {reentry_alt_km:g} km after {days:.1f} days" if decayed
              else f"still in orbit after {days:.0f} days (pericentre "
                   f"{a[-1] * (1 - e[-1]) - r_eq:.1f} km)")
    return Lifetime(days, bool(decayed), reason, t, a * (1 - e) - r_eq, a * (1 + e) - r_eq,
                    epoch_et=float(np.ravel(orbit.epoch.et)[0]))
