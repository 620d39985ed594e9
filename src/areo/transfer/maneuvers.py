"""Departure from a parking orbit and Mars orbit insertion: impulsive delta-v budgets.

All burns are impulsive and tangential at pericentre (the optimum for a coplanar
hyperbola-ellipse change), computed with vis-viva:

* departure: from a circular parking orbit of radius ``r_p`` onto the hyperbola of excess
  speed ``v_inf``: ``dv = sqrt(v_inf^2 + 2 mu / r_p) - sqrt(mu / r_p)``;
* capture: from the arrival hyperbola into an ellipse of pericentre ``r_p`` (given period or
  apoapsis): ``dv = sqrt(v_inf^2 + 2 mu / r_p) - sqrt(mu (2 / r_p - 1 / a))``;
* final orbit, three ways so that the value of aerobraking shows: direct insertion into the
  final circular orbit; capture then all-propulsive descent (apoapsis burn to move the
  pericentre to the final radius, then circularisation there, or circularisation at the
  capture pericentre then a Hohmann transfer, whichever is cheaper); capture then
  aerobraking (apoapsis burn to lower the pericentre into the atmosphere, drag removes the
  apoapsis energy for free, then an apoapsis burn raises the pericentre to the final
  altitude).

Radii are measured from the body centre: altitude + equatorial radius (IAU 2015 for Mars,
3396.19 km; WGS84/IERS 6378.137 km for the Earth, from :mod:`areo.bodies`). Mars' GM is the
DE440 system value. Gravity losses of finite burns are not included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import bodies as _bodies
from areo import validate
from areo.constants import DAY_S
from areo.errors import ParameterError
from areo.io.records import dumps

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TGO_CAPTURE",
    "CaptureOrbit",
    "InsertionBudget",
    "capture_dv",
    "departure_dv",
    "orbit_insertion",
]

_EARTH = _bodies.body("earth")
_MARS = _bodies.body("mars")

#: Pericentre altitude of TGO's aerobraking passes: walked down from 200 km to about 114 km,
#: lowest passes about 103 km (ESA, TGO first-year page and "Aerobraking completed", 2018).
AEROBRAKING_PERIAPSIS_ALT_KM = 110.0


def _mu_radius(body: str) -> tuple[float, float]:
    b = _bodies.body(body)
    if b.gm_km3s2 is None:
        raise ParameterError(f"body {body!r} has no GM in areo's table: use 'earth' or 'mars'")
    return float(b.gm_km3s2), float(b.equatorial_radius_km)


def _check_alt(name: str, alt: Any) -> np.ndarray:
    return np.asarray(validate.non_negative(
        alt, name, unit="km", hint="an altitude above the equatorial radius, e.g. 200"
    ))


def _check_vinf(vinf: Any) -> np.ndarray:
    return np.asarray(validate.non_negative(
        vinf, "vinf_kms", unit="km/s", hint="the hyperbolic excess speed sqrt(C3), e.g. 2.6"
    ))


def departure_dv(vinf_kms: Any, parking_alt_km: Any = 200.0, body: str = "earth") -> Any:
    """Delta-v (km/s) from a circular parking orbit at ``parking_alt_km`` onto the departure
    hyperbola of excess speed ``vinf_kms`` (sqrt(C3)). Broadcasts."""
    mu, req = _mu_radius(body)
    rp = req + _check_alt("parking_alt_km", parking_alt_km)
    v = _check_vinf(vinf_kms)
    dv = np.sqrt(v * v + 2.0 * mu / rp) - np.sqrt(mu / rp)
    return float(dv) if dv.ndim == 0 else dv


@dataclass(frozen=True)
class CaptureOrbit:
    """An elliptical capture orbit about a body (default Mars), from the centre in km.

    Build with :meth:`from_period` (e.g. TGO's 4-day, 250 km pericentre orbit) or
    :meth:`from_apoapsis`.
    """

    periapsis_alt_km: float
    apoapsis_alt_km: float
    body: str = "mars"

    def __post_init__(self) -> None:
        _check_alt("periapsis_alt_km", self.periapsis_alt_km)
        _check_alt("apoapsis_alt_km", self.apoapsis_alt_km)
        if self.apoapsis_alt_km < self.periapsis_alt_km:
            raise ParameterError(
                f"apoapsis altitude {self.apoapsis_alt_km} km is below the periapsis altitude "
                f"{self.periapsis_alt_km} km: swap them"
            )
        _mu_radius(self.body)

    @classmethod
    def from_period(
        cls, periapsis_alt_km: float, period_s: float, body: str = "mars"
    ) -> CaptureOrbit:
        """Orbit of pericentre altitude ``periapsis_alt_km`` and period ``period_s`` seconds."""
        mu, req = _mu_radius(body)
        _check_alt("periapsis_alt_km", periapsis_alt_km)
        period_s = float(validate.positive(period_s, "period_s", unit="s",
                                     hint="the orbital period, e.g. 345600 for 4 days"))
        a = (mu * (period_s / (2.0 * math.pi)) ** 2) ** (1.0 / 3.0)
        rp = req + float(periapsis_alt_km)
        ra = 2.0 * a - rp
        if ra < rp:
            p_min = 2 * math.pi * math.sqrt(rp**3 / mu)
            raise ParameterError(
                f"period {period_s} s is shorter than that of the circular orbit at "
                f"{periapsis_alt_km} km ({p_min:.0f} s): give a longer period"
            )
        return cls(float(periapsis_alt_km), ra - req, body)

    @classmethod
    def from_apoapsis(
        cls, periapsis_alt_km: float, apoapsis_alt_km: float, body: str = "mars"
    ) -> CaptureOrbit:
        return cls(float(periapsis_alt_km), float(apoapsis_alt_km), body)

    @property
    def mu(self) -> float:
        return _mu_radius(self.body)[0]

    @property
    def rp_km(self) -> float:
        return _mu_radius(self.body)[1] + self.periapsis_alt_km

    @property
    def ra_km(self) -> float:
        return _mu_radius(self.body)[1] + self.apoapsis_alt_km

    @property
    def a_km(self) -> float:
        return 0.5 * (self.rp_km + self.ra_km)

    @property
    def eccentricity(self) -> float:
        return (self.ra_km - self.rp_km) / (self.ra_km + self.rp_km)

    @property
    def period_s(self) -> float:
        return 2.0 * math.pi * math.sqrt(self.a_km**3 / self.mu)

    @property
    def vp_kms(self) -> float:
        """Speed at pericentre, km/s."""
        return math.sqrt(self.mu * (2.0 / self.rp_km - 1.0 / self.a_km))

    def to_dict(self) -> dict[str, Any]:
        return {
            "body": self.body, "periapsis_alt_km": self.periapsis_alt_km,
            "apoapsis_alt_km": self.apoapsis_alt_km, "period_hours": self.period_s / 3600.0,
            "eccentricity": self.eccentricity,
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (
            f"CaptureOrbit: {self.periapsis_alt_km:.0f} x {self.apoapsis_alt_km:.0f} km about "
            f"{self.body}, period {self.period_s / 3600:.2f} h"
        )


#: TGO's capture orbit: 250 km pericentre, 4-day period (ESA: "250 x 100 000 km, 4-day").
TGO_CAPTURE = CaptureOrbit.from_period(250.0, 4.0 * DAY_S)


def capture_dv(vinf_kms: Any, capture: CaptureOrbit = TGO_CAPTURE) -> Any:
    """Delta-v (km/s) at pericentre from the arrival hyperbola into ``capture``. Broadcasts."""
    v = _check_vinf(vinf_kms)
    dv = np.sqrt(v * v + 2.0 * capture.mu / capture.rp_km) - capture.vp_kms
    return float(dv) if dv.ndim == 0 else dv


def _v(mu: float, r: float, a: float) -> float:
    return math.sqrt(mu * (2.0 / r - 1.0 / a))


@dataclass(frozen=True)
class InsertionBudget:
    """Mars orbit insertion budget for one arrival v-infinity, km/s.

    Attributes:
        vinf_kms: arrival hyperbolic excess speed.
        capture: the capture orbit; ``final_alt_km``: the final circular orbit altitude.
        dv_capture_kms: hyperbola -> capture orbit (at its pericentre).
        dv_direct_kms: hyperbola -> final circular orbit in one burn at the final radius.
        dv_propulsive_kms: capture, then all-propulsive descent to the final orbit (total).
        dv_aerobraking_kms: capture, pericentre walk-in, free aerobraking, pericentre raise
            (total).
        aerobraking_saving_kms: dv_propulsive_kms - dv_aerobraking_kms.
    """

    vinf_kms: float
    capture: CaptureOrbit
    final_alt_km: float
    aerobraking_periapsis_alt_km: float
    dv_capture_kms: float
    dv_direct_kms: float
    dv_propulsive_kms: float
    dv_aerobraking_kms: float

    @property
    def aerobraking_saving_kms(self) -> float:
        return self.dv_propulsive_kms - self.dv_aerobraking_kms

    def to_dict(self) -> dict[str, Any]:
        return {
            "vinf_kms": self.vinf_kms, "capture": self.capture.to_dict(),
            "final_alt_km": self.final_alt_km,
            "aerobraking_periapsis_alt_km": self.aerobraking_periapsis_alt_km,
            "dv_capture_kms": self.dv_capture_kms, "dv_direct_kms": self.dv_direct_kms,
            "dv_propulsive_kms": self.dv_propulsive_kms,
            "dv_aerobraking_kms": self.dv_aerobraking_kms,
            "aerobraking_saving_kms": self.aerobraking_saving_kms,
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            ("capture", self.dv_capture_kms),
            ("direct to final", self.dv_direct_kms),
            ("capture + propulsive to final", self.dv_propulsive_kms),
            ("capture + aerobraking to final", self.dv_aerobraking_kms),
            ("aerobraking saving", self.aerobraking_saving_kms),
        ]
        return pd.DataFrame(rows, columns=["option", "dv_kms"])

    def __repr__(self) -> str:
        return (
            f"InsertionBudget: vinf {self.vinf_kms:.3f} km/s, capture {self.dv_capture_kms:.3f}"
            f", direct {self.dv_direct_kms:.3f}, propulsive {self.dv_propulsive_kms:.3f}, "
            f"aerobraking {self.dv_aerobraking_kms:.3f} km/s into {self.final_alt_km:.0f} km "
            "circular"
        )


def orbit_insertion(
    vinf_kms: float,
    capture: CaptureOrbit = TGO_CAPTURE,
    final_alt_km: float = 400.0,
    aerobraking_periapsis_alt_km: float = AEROBRAKING_PERIAPSIS_ALT_KM,
) -> InsertionBudget:
    """Mars orbit insertion options for one arrival v-infinity (see the module docstring)."""
    v = float(_check_vinf(vinf_kms))
    _check_alt("final_alt_km", final_alt_km)
    _check_alt("aerobraking_periapsis_alt_km", aerobraking_periapsis_alt_km)
    mu, req = _mu_radius(capture.body)
    rp, ra = capture.rp_km, capture.ra_km
    rf = req + float(final_alt_km)
    if rf > ra:
        raise ParameterError(
            f"final altitude {final_alt_km} km is above the capture apoapsis "
            f"{capture.apoapsis_alt_km:.0f} km: choose a higher capture orbit or a lower "
            "final orbit"
        )
    dv_cap = float(capture_dv(v, capture))
    v_hyp_f = math.sqrt(v * v + 2.0 * mu / rf)
    vc_f = math.sqrt(mu / rf)
    dv_direct = v_hyp_f - vc_f
    # Route A: at apoapsis move the pericentre to rf, then circularise at rf.
    a_cap, a_mid = 0.5 * (rp + ra), 0.5 * (rf + ra)
    route_a = abs(_v(mu, ra, a_mid) - _v(mu, ra, a_cap)) + abs(_v(mu, rf, a_mid) - vc_f)
    # Route B: circularise at rp, then Hohmann between rp and rf.
    a_h = 0.5 * (rp + rf)
    route_b = (abs(_v(mu, rp, a_cap) - math.sqrt(mu / rp))
               + abs(_v(mu, rp, a_h) - math.sqrt(mu / rp))
               + abs(math.sqrt(mu / rf) - _v(mu, rf, a_h)))
    dv_prop = dv_cap + min(route_a, route_b)
    # Aerobraking: walk the pericentre in at apoapsis, drag lowers the apoapsis to rf,
    # then raise the pericentre out of the atmosphere at the new apoapsis.
    rab = req + float(aerobraking_periapsis_alt_km)
    walk_in = abs(_v(mu, ra, a_cap) - _v(mu, ra, 0.5 * (rab + ra)))
    raise_p = abs(vc_f - _v(mu, rf, 0.5 * (rab + rf)))
    dv_aero = dv_cap + walk_in + raise_p
    return InsertionBudget(
        vinf_kms=v, capture=capture, final_alt_km=float(final_alt_km),
        aerobraking_periapsis_alt_km=float(aerobraking_periapsis_alt_km),
        dv_capture_kms=dv_cap, dv_direct_kms=dv_direct, dv_propulsive_kms=dv_prop,
        dv_aerobraking_kms=dv_aero,
    )
