"""The :class:`Orbit` type and the :class:`Trajectory` that its propagators return.

An ``Orbit`` is a batch of one or more osculating (or, for the J2 propagator, mean) orbits
around a body, each with its own epoch. Angles are relative to the Mars equator of the
IAU_MARS pole at the orbit's epoch, with the node counted from the IAU "Q" direction
(``z_ICRF x pole``): see :mod:`areo.orbits.elements`. States are body-centred ICRF, km and
km/s; epochs TDB.

    >>> from areo.orbits import Orbit
    >>> print(Orbit.from_catalog("mex"))
    298 x 10107 km, 86.3 deg, T = 6.725 h around Mars
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo import validate
from areo.constants import DAY_S, SOL_MARS24_S
from areo.errors import ParameterError
from areo.io.records import dumps, jsonable, span_text, utc_column
from areo.orbits import elements as _el
from areo.orbits.j2mean import j2_secular_rates, osculating_to_mean_sma, propagate_j2mean
from areo.orbits.kepler import _propagate_kepler

__all__ = ["MODELS", "CentralBody", "Orbit", "Trajectory"]

#: Propagation models accepted by :meth:`Orbit.propagate`.
MODELS = ("kepler", "j2mean", "numerical")

_FRAME_NOTE = (
    "Mars equator of the IAU_MARS pole (IAU 2015) at the epoch; node from the IAU Q "
    "direction (z_ICRF x pole)"
)


def _time(value: Any):
    from areo.time import Time

    return value if isinstance(value, Time) else Time(value)


def _mod2pi(x: np.ndarray) -> np.ndarray:
    r = np.mod(x, 2.0 * np.pi)
    return np.where(r >= 2.0 * np.pi, 0.0, r)


def _f(x: Any, name: str, unit: str) -> np.ndarray:
    return np.atleast_1d(validate.finite(x, name, unit=unit))


@dataclass(frozen=True)
class CentralBody:
    """What orbit mechanics needs of the body orbited: GM (km^3/s^2), radii (km), J2.

    From :mod:`areo.bodies` (GM, IAU radii) and, for Mars, the catalog's J2 with its
    reference radius; other bodies have ``j2 = None``. ``CentralBody.get("mars")``.
    """

    name: str
    mu: float
    r_eq: float
    j2: float | None
    j2_r_ref: float | None
    r_polar: float = 0.0

    @classmethod
    def get(cls, name: str) -> CentralBody:
        """The body's data (cached: the tables behind them do not change in a run)."""
        return _central_body(str(name))

    @classmethod
    def _load(cls, name: str) -> CentralBody:
        from areo.bodies import body

        b = body(name)
        if b.gm_km3s2 is None:
            raise ParameterError(f"body {name!r} has no GM in areo's table: choose another")
        r_eq = b.equatorial_radius_km if b.radii_km else 0.0
        r_polar = b.polar_radius_km if b.radii_km else 0.0
        j2 = r_ref = None
        if b.name == "mars":
            from areo.catalog import constant

            c = constant("j2")
            j2 = float(c.value)
            r_ref = float(c.extra.get("reference_radius_km", r_eq))
        return cls(b.name, float(b.gm_km3s2), float(r_eq), j2, r_ref, float(r_polar))


@functools.lru_cache(maxsize=32)
def _central_body(name: str) -> CentralBody:
    return CentralBody._load(name)


class Orbit:
    """Keplerian orbits around a body, batch-first (a single orbit is a batch of one).

    Elements (arrays of shape ``(n,)``): semi-major axis ``a`` (km, negative for
    hyperbolas), eccentricity ``e``, inclination, RAAN, argument of pericentre and mean
    anomaly at the epoch (rad), relative to the Mars equator of the IAU_MARS pole at each
    orbit's epoch (ICRF equator for other bodies). Build one with :meth:`from_elements`,
    :meth:`from_state`, :meth:`from_catalog` or :meth:`circular`.

    The plain constructor takes any conic (``a`` as the semi-latus rectum for ``e = 1``),
    including trajectories whose pericentre is below the surface (an entry or an impact);
    it refuses non-finite elements, ``e < 0``, an ``a`` whose sign does not fit ``e``, an
    inclination outside [0, pi] and a closed orbit that lies wholly inside the body.
    :meth:`from_elements` and :meth:`circular` also refuse a pericentre below the surface.
    """

    def __init__(
        self,
        a: Any, e: Any, inc: Any, raan: Any, argp: Any, m: Any, et: Any,
        *,
        body: str = "mars",
        name: str | None = None,
        source: str = "",
        scalar: bool | None = None,
    ) -> None:
        arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(x, dtype=float))
                                       for x in (a, e, inc, raan, argp, m, et)))
        if arrays[0].ndim != 1:
            raise ParameterError("orbit elements must be scalars or 1-D arrays of one length")
        self._a, self._e, self._inc, self._raan, self._argp, self._m, self._et = (
            np.ascontiguousarray(x) for x in arrays
        )
        self._body = CentralBody.get(body)
        self._check_elements()
        self.name = name
        self.source = source
        self._scalar = (arrays[0].size == 1) if scalar is None else bool(scalar)

    def _check_elements(self) -> None:
        validate.finite(self._a, "a", unit="km")
        validate.non_negative(self._e, "e", hint="0 <= e < 1 ellipse, e = 1 parabola, "
                              "e > 1 hyperbola")
        validate.in_range(self._inc, "inc", 0.0, np.pi, unit="rad",
                          hint="the inclination, 0 to pi; above pi/2 is retrograde")
        validate.finite(self._raan, "raan", unit="rad")
        validate.finite(self._argp, "argp", unit="rad")
        validate.finite(self._m, "m", unit="rad")
        validate.finite(self._et, "et", unit="s (TDB past J2000)")
        _el._check_conic(self._a, self._e)
        r_in = self._body.r_polar
        inside = (self._e < 1.0) & (self._a * (1.0 + self._e) < r_in)
        if inside.any():
            k, i = _el._first(inside)
            raise ParameterError(
                f"the orbit{i} of a = {self._a[k]:.10g} km, e = {self._e[k]:.10g} lies wholly "
                f"inside {self._body.name.capitalize()} (apocentre radius "
                f"{self._a[k] * (1.0 + self._e[k]):.1f} km < polar radius {r_in} km): give "
                "radii from the body's centre, not altitudes"
            )

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_elements(
        cls,
        *,
        peri_alt_km: Any = None,
        apo_alt_km: Any = None,
        peri_radius_km: Any = None,
        apo_radius_km: Any = None,
        sma_km: Any = None,
        ecc: Any = None,
        inc_deg: Any = 0.0,
        raan_deg: Any = 0.0,
        argp_deg: Any = 0.0,
        anomaly_deg: Any = 0.0,
        anomaly: str = "mean",
        epoch: Any = 0.0,
        body: str = "mars",
        name: str | None = None,
        source: str = "",
    ) -> Orbit:
        """Closed orbits from classical elements (degrees at this edge, km).

        Size and shape: pericentre and apocentre altitudes (km above the equatorial
        radius) or radii, or ``sma_km`` and ``ecc``, or a pericentre with ``ecc``. Angles
        relative to the Mars equator of the IAU_MARS pole at ``epoch`` (node from the IAU Q
        direction). ``anomaly`` says what ``anomaly_deg`` is: 'mean', 'true' or
        'eccentric'. ``epoch``: anything :class:`areo.time.Time` takes (numbers are TDB
        seconds past J2000). All numeric inputs broadcast to a batch.

        Raises :class:`areo.errors.ParameterError` for e >= 1 (use :meth:`from_state` for
        open orbits), a pericentre below the surface, apocentre below pericentre, or an
        inclination outside [0, 180] deg.
        """
        bd = CentralBody.get(body)
        r_eq = bd.r_eq
        rp = ra = None
        if peri_alt_km is not None:
            rp = r_eq + _f(peri_alt_km, "peri_alt_km", "km")
        if peri_radius_km is not None:
            if rp is not None:
                raise ParameterError("give the pericentre as an altitude or a radius, not both")
            rp = np.atleast_1d(validate.positive(peri_radius_km, "peri_radius_km", unit="km"))
        if apo_alt_km is not None:
            ra = r_eq + _f(apo_alt_km, "apo_alt_km", "km")
        if apo_radius_km is not None:
            if ra is not None:
                raise ParameterError("give the apocentre as an altitude or a radius, not both")
            ra = np.atleast_1d(validate.positive(apo_radius_km, "apo_radius_km", unit="km"))
        if sma_km is not None and ecc is not None and rp is None and ra is None:
            e = _f(ecc, "ecc", "")
            cls._check_ecc(e)
            a = np.atleast_1d(validate.positive(sma_km, "sma_km", unit="km",
                                                what="for a closed orbit"))
            rp = a * (1.0 - e)
        elif rp is not None and ra is not None and sma_km is None and ecc is None:
            if np.any(ra < rp):
                raise ParameterError(
                    f"apocentre ({np.min(ra - r_eq):.1f} km altitude) is below the pericentre "
                    f"({np.max(rp - r_eq):.1f} km): swap --peri-alt and --apo-alt"
                )
            a = 0.5 * (rp + ra)
            e = (ra - rp) / (ra + rp)
        elif rp is not None and ecc is not None and ra is None and sma_km is None:
            e = _f(ecc, "ecc", "")
            cls._check_ecc(e)
            a = rp / (1.0 - e)
        else:
            raise ParameterError(
                "give the orbit size as pericentre and apocentre (altitudes or radii), or "
                "sma_km and ecc, or a pericentre and ecc"
            )
        if np.any(rp <= r_eq) and r_eq > 0:
            raise ParameterError(
                f"pericentre altitude {np.min(rp - r_eq):.1f} km is below the surface of "
                f"{bd.name.capitalize()} (equatorial radius {r_eq} km): give a pericentre "
                "altitude > 0 km"
            )
        inc = np.atleast_1d(validate.in_range(
            inc_deg, "inc_deg", 0.0, 180.0, unit="deg",
            hint="the inclination to the Mars equator; above 90 = retrograde"))
        kind = str(anomaly).lower()
        anom = np.radians(_f(anomaly_deg, "anomaly_deg", "deg"))
        if kind == "mean":
            m = anom
        elif kind == "true":
            m = _el.true_to_mean(anom, e)
        elif kind == "eccentric":
            m = _el.eccentric_to_mean(anom, e)
        else:
            raise ParameterError(f"anomaly {anomaly!r} is unknown: use 'mean', 'true' or "
                                 "'eccentric'")
        et = _time(epoch).et
        raan = _mod2pi(np.radians(_f(raan_deg, "raan_deg", "deg")))
        argp = _mod2pi(np.radians(_f(argp_deg, "argp_deg", "deg")))
        scalar = all(np.ndim(x) == 0 for x in (peri_alt_km, apo_alt_km, peri_radius_km,
                                                apo_radius_km, sma_km, ecc, inc_deg, raan_deg,
                                                argp_deg, anomaly_deg, et))
        return cls(a, e, np.radians(inc), raan, argp, _mod2pi(m), et, body=body,
                   name=name, source=source, scalar=scalar)

    @staticmethod
    def _check_ecc(e: np.ndarray) -> None:
        validate.in_range(e, "ecc", 0.0, 1.0, hi_open=True, what="for a closed orbit",
                          hint="this constructor builds closed orbits; build open orbits "
                          "with Orbit.from_state")

    @classmethod
    def circular(cls, alt_km: Any, inc_deg: Any = 0.0, **kwargs: Any) -> Orbit:
        """Circular orbits at ``alt_km`` above the equatorial radius."""
        return cls.from_elements(peri_alt_km=alt_km, apo_alt_km=alt_km, inc_deg=inc_deg,
                                 **kwargs)

    @classmethod
    def from_state(
        cls, state: Any, epoch: Any = 0.0, *, body: str = "mars", name: str | None = None
    ) -> Orbit:
        """Osculating orbits of body-centred ICRF states ``(6,)`` or ``(n, 6)`` (km, km/s).

        Open (parabolic, hyperbolic) states are allowed, and so are trajectories whose
        pericentre is below the surface (entry, impact); a position inside the body (closer
        to its centre than the polar radius) is refused, as are non-finite values and
        rectilinear states. ``epoch``: one epoch or one per state (anything
        :class:`areo.time.Time` takes; numbers are TDB s past J2000).
        """
        s = np.asarray(state, dtype=float)
        scalar = s.ndim == 1
        s = np.atleast_2d(s)
        if s.shape[-1] != 6 or s.ndim != 2:
            raise ParameterError(f"state has shape {np.shape(state)}: give (6,) or (n, 6) "
                                 "km and km/s")
        bd = CentralBody.get(body)
        et = np.broadcast_to(np.atleast_1d(_time(epoch).et), (s.shape[0],)).astype(float)
        coe, status = _el.state_elements(s, et, bd.name, bd.mu, bd.r_polar)
        if status.any():  # the Python checks word the first bad state
            _el._check_states(s, "state")
            r = np.linalg.norm(s[:, :3], axis=1)
            k, i = _el._first(r < bd.r_polar)
            raise ParameterError(
                f"state{i} is {r[k]:.1f} km from the centre of {bd.name.capitalize()}, inside "
                f"the body (polar radius {bd.r_polar} km): give body-centred positions in km "
                "(radius = altitude + radius of the body)"
            )
        # Within 1e-12 of e = 1 the kernel calls the orbit a parabola (a = inf): keep it
        # one, a = p and e = 1 exactly, so that a and e agree.
        para = ~np.isfinite(coe[:, 1])
        a = np.where(para, coe[:, 0], coe[:, 1])
        e = np.where(para, 1.0, coe[:, 2])
        # The elements of finite, non-rectilinear states outside the body are valid by
        # construction (e >= 0, inc in [0, pi], a of the conic's sign): no second check.
        o = object.__new__(cls)
        o._a, o._e, o._inc, o._raan, o._argp, o._m, o._et = (
            np.ascontiguousarray(x, dtype=float)
            for x in (a, e, coe[:, 3], coe[:, 4], coe[:, 5], coe[:, 7], et))
        o._body, o.name, o.source, o._scalar = bd, name, "", scalar
        return o

    @classmethod
    def from_catalog(cls, name: str) -> Orbit:
        """A catalog orbit ('mex', 'tgo', 'mro', 'maven', 'odyssey') as published."""
        from areo.catalog.orbits import orbit_entry

        c = orbit_entry(name)
        return cls.from_elements(
            peri_alt_km=c.peri_alt_km, apo_alt_km=c.apo_alt_km, inc_deg=c.inc_deg,
            raan_deg=c.raan_deg, argp_deg=c.argp_deg, anomaly_deg=c.mean_anomaly_deg,
            anomaly="mean", epoch=c.epoch_utc, body=c.body, name=c.name, source=c.source,
        )

    # ------------------------------------------------------------------ batch protocol

    def __len__(self) -> int:
        return self._a.size

    def __getitem__(self, item: Any) -> Orbit:
        idx = np.arange(len(self))[item]
        scalar = np.ndim(idx) == 0
        sel = np.atleast_1d(idx)
        return Orbit(self._a[sel], self._e[sel], self._inc[sel], self._raan[sel],
                     self._argp[sel], self._m[sel], self._et[sel], body=self._body.name,
                     name=self.name, source=self.source, scalar=scalar)

    def _out(self, x: np.ndarray) -> Any:
        return float(x[0]) if self._scalar else x

    # ------------------------------------------------------------------ properties

    @property
    def body(self) -> str:
        return self._body.name

    @property
    def mu(self) -> float:
        """GM of the central body, km^3/s^2."""
        return self._body.mu

    @property
    def is_scalar(self) -> bool:
        return self._scalar

    @property
    def is_closed(self) -> Any:
        c = (self._e < 1.0) & (self._a > 0)
        return bool(c[0]) if self._scalar else c

    @property
    def epoch(self):
        """Epochs as :class:`areo.time.Time`."""
        from areo.time import Time

        return Time.from_et(self._et[0] if self._scalar else self._et)

    @property
    def et(self) -> Any:
        return self._out(self._et)

    @property
    def sma_km(self) -> Any:
        return self._out(self._a)

    @property
    def ecc(self) -> Any:
        return self._out(self._e)

    @property
    def inc_deg(self) -> Any:
        return self._out(np.degrees(self._inc))

    @property
    def raan_deg(self) -> Any:
        return self._out(np.degrees(self._raan))

    @property
    def argp_deg(self) -> Any:
        return self._out(np.degrees(self._argp))

    @property
    def mean_anomaly_deg(self) -> Any:
        return self._out(np.degrees(self._m))

    @property
    def true_anomaly_deg(self) -> Any:
        nu = _el._mean_to_true(self._m, self._e)
        closed = self._e < 1.0
        return self._out(np.where(closed, np.degrees(nu) % 360.0, np.degrees(nu)))

    @property
    def p_km(self) -> Any:
        """Semi-latus rectum, km."""
        return self._out(self._p)

    @property
    def _p(self) -> np.ndarray:
        return np.where(self._e == 1.0, self._a, self._a * (1.0 - self._e**2))

    @property
    def peri_radius_km(self) -> Any:
        return self._out(self._p / (1.0 + self._e))

    @property
    def apo_radius_km(self) -> Any:
        closed = self._e < 1.0
        return self._out(np.where(closed, self._a * (1.0 + self._e), np.inf))

    @property
    def peri_alt_km(self) -> Any:
        """Pericentre altitude above the equatorial radius, km."""
        return self._out(self._p / (1.0 + self._e) - self._body.r_eq)

    @property
    def apo_alt_km(self) -> Any:
        closed = self._e < 1.0
        return self._out(np.where(closed, self._a * (1.0 + self._e), np.inf) - self._body.r_eq)

    @property
    def _n(self) -> np.ndarray:
        closed = (self._e < 1.0) & (self._a > 0)
        return np.where(closed, np.sqrt(self._body.mu / np.abs(self._a) ** 3), np.nan)

    @property
    def mean_motion_rad_s(self) -> Any:
        return self._out(self._n)

    @property
    def period_s(self) -> Any:
        """Keplerian (anomalistic two-body) period, s; NaN for open orbits."""
        return self._out(2.0 * np.pi / self._n)

    @property
    def period_h(self) -> Any:
        return self._out(2.0 * np.pi / self._n / 3600.0)

    def _j2(self, j2: float | None = None, r_ref: float | None = None) -> tuple[float, float]:
        j2 = self._body.j2 if j2 is None else float(validate.finite(j2, "j2"))
        r_ref = ((self._body.j2_r_ref or self._body.r_eq) if r_ref is None
                 else float(validate.positive(r_ref, "j2_radius_km", unit="km")))
        if j2 is None:
            raise ParameterError(
                f"no J2 is known for {self._body.name}: pass j2= and j2_radius_km="
            )
        return j2, r_ref

    def _rates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._body.j2 is None:
            nan = np.full(len(self), np.nan)
            return nan, nan, nan
        j2, r_ref = self._j2()
        return j2_secular_rates(self._a, self._e, self._inc, self._body.mu, j2, r_ref)

    @property
    def raan_rate_deg_per_day(self) -> Any:
        """Secular J2 nodal regression rate, deg/day (first-order Brouwer/Kozai)."""
        return self._out(np.degrees(self._rates()[0]) * DAY_S)

    @property
    def argp_rate_deg_per_day(self) -> Any:
        """Secular J2 apsidal precession rate, deg/day."""
        return self._out(np.degrees(self._rates()[1]) * DAY_S)

    @property
    def nodal_period_s(self) -> Any:
        """Node-to-node period under J2, ``2 pi / (dM/dt + d(argp)/dt)``, s."""
        _, wdot, mdot = self._rates()
        kepler = 2.0 * np.pi / self._n
        return self._out(np.where(np.isfinite(mdot), 2.0 * np.pi / (mdot + wdot), kepler))

    @property
    def orbits_per_sol(self) -> Any:
        """Keplerian orbits per Mars solar day (Mars24 sol, 88775.24415 s); NaN off Mars."""
        if self._body.name != "mars":
            return self._out(np.full(len(self), np.nan))
        return self._out(SOL_MARS24_S * self._n / (2.0 * np.pi))

    @property
    def state(self) -> np.ndarray:
        """Body-centred ICRF states at the epochs, ``(6,)`` or ``(n, 6)``, km and km/s."""
        s = self._states_icrf()
        return s[0] if self._scalar else s

    def _states_icrf(self) -> np.ndarray:
        nu = _el._mean_to_true(self._m, self._e)
        local = _el._coe_to_state(self._a, self._e, self._inc, self._raan, self._argp, nu,
                                  self._body.mu)
        rot_t = np.swapaxes(_el.element_frame(self._et, self._body.name), -1, -2)
        return np.concatenate([np.einsum("nij,nj->ni", rot_t, local[:, :3]),
                               np.einsum("nij,nj->ni", rot_t, local[:, 3:])], axis=1)

    # ------------------------------------------------------------------ propagation

    def propagate(
        self,
        t: Any,
        model: str = "kepler",
        *,
        mean_elements: bool = True,
        j2: float | None = None,
        j2_radius_km: float | None = None,
        forces: Any = None,
        rtol: float = 1e-10,
        atol: float | None = None,
        stop_at_surface: bool = True,
        method: str = "dop853",
    ) -> Trajectory:
        """States of every orbit at epochs ``t`` (dense output on the given epochs).

        ``model``:

        - ``"kepler"``: two-body, universal variables (any conic).
        - ``"j2mean"``: mean elements with the secular J2 rates (closed orbits). With
          ``mean_elements=False`` the orbit's elements are taken as osculating and the mean
          semi-major axis is recovered first (Kozai), as for an orbit built from a state.
        - ``"numerical"``: Cowell integration (``areo.orbits.numerical``; default forces:
          point mass + J2 + J3), stopping at the surface unless told otherwise; ``method``
          picks the integrator of :func:`~areo.orbits.numerical.propagate_cowell`
          (``"dop853"``, ``"taylor"`` for point mass + zonal models, ``"auto"``).

        ``t``: epochs (anything :class:`areo.time.Time` takes; numbers are TDB s past
        J2000), a scalar or 1-D. Returns a :class:`Trajectory` with states ``(m, 6)`` for a
        single orbit, ``(n, m, 6)`` for a batch.
        """
        times = _time(t)
        et = np.atleast_1d(np.asarray(times.et, dtype=float))
        if et.ndim != 1:
            raise ParameterError("t must be a scalar or a 1-D array of epochs")
        key = str(model).lower()
        if key != "numerical" and method != "dop853":
            raise ParameterError(f"method {method!r} chooses the integrator of model "
                                 f"'numerical'; model {model!r} has none: drop method or use "
                                 "model='numerical'")
        dt = et[None, :] - self._et[:, None]
        n = len(self)
        terminated = np.zeros(n, dtype=bool)
        reasons = [""] * n
        if key == "kepler":
            states = _propagate_kepler(self._states_icrf(), dt, self._body.mu)
        elif key == "j2mean":
            if np.any((self._e >= 1.0) | (self._a <= 0)):
                raise ParameterError("the j2mean model needs closed orbits (e < 1): use "
                                     "model='kepler' or 'numerical' for open ones")
            jj, r_ref = self._j2(j2, j2_radius_km)
            a = self._a
            if not mean_elements:
                nu = _el._mean_to_true(self._m, self._e)
                a = osculating_to_mean_sma(a, self._e, self._inc, self._argp, nu, jj, r_ref)
            elems = np.stack([a, self._e, self._inc, self._raan, self._argp, self._m], axis=1)
            rot_t = np.swapaxes(_el.element_frame(self._et, self._body.name), -1, -2)
            states = propagate_j2mean(elems, dt, np.full(n, self._body.mu), rot_t, jj, r_ref)
        elif key == "numerical":
            states, terminated, reasons = self._propagate_numerical(
                et, forces, rtol, atol, stop_at_surface, method
            )
        else:
            raise ParameterError(f"model {model!r} is unknown: use one of {', '.join(MODELS)}")
        return Trajectory(times if times.ndim == 1 else _time_1d(et), et, states, self,
                          key, terminated, reasons)

    def _propagate_numerical(self, et, forces, rtol, atol, stop_at_surface, method):
        try:
            from areo.orbits.numerical import propagate_cowell
        except ImportError as exc:  # the numerical subpackage is optional at run time
            raise ParameterError(
                f"model 'numerical' is not available ({exc}): use 'kepler' or 'j2mean'"
            ) from None
        if self._body.name != "mars":
            raise ParameterError("model 'numerical' integrates around Mars only")
        s0 = self._states_icrf()
        n, m = len(self), et.size
        out = np.full((n, m, 6), np.nan)
        terminated = np.zeros(n, dtype=bool)
        reasons = [""] * n
        for i in range(n):
            res = propagate_cowell(s0[i], float(self._et[i]), et, forces, rtol=rtol, atol=atol,
                                   stop_at_surface=stop_at_surface, method=method)
            k = np.asarray(res.states).shape[0]
            out[i, :k] = res.states
            terminated[i] = bool(res.terminated)
            reasons[i] = str(res.reason or "")
        return out, terminated, reasons

    # ------------------------------------------------------------------ output

    def _columns(self) -> dict[str, Any]:
        """The values of :meth:`to_records`, one array per key (``epoch`` ISO strings)."""
        return {
            "epoch": np.atleast_1d(self.epoch.utc_iso(decimals=3)),
            "period_s": 2.0 * np.pi / self._n,
            "sma_km": self._a,
            "ecc": self._e,
            "inc_deg": np.degrees(self._inc),
            "raan_deg": np.degrees(self._raan),
            "argp_deg": np.degrees(self._argp),
            "mean_anomaly_deg": np.degrees(self._m),
            "raan_rate_deg_per_day": np.degrees(self._rates()[0]) * DAY_S,
            "argp_rate_deg_per_day": np.degrees(self._rates()[1]) * DAY_S,
            "orbits_per_sol": np.atleast_1d(Orbit.orbits_per_sol.fget(_as_batch(self))),
            "true_anomaly_deg": np.atleast_1d(Orbit.true_anomaly_deg.fget(_as_batch(self))),
            "period_h": 2.0 * np.pi / self._n / 3600.0,
            "nodal_period_s": np.atleast_1d(Orbit.nodal_period_s.fget(_as_batch(self))),
            "peri_alt_km": self._p / (1.0 + self._e) - self._body.r_eq,
            "apo_alt_km": np.where(self._e < 1.0, self._a * (1.0 + self._e), np.inf)
            - self._body.r_eq,
            "peri_radius_km": self._p / (1.0 + self._e),
            "apo_radius_km": np.where(self._e < 1.0, self._a * (1.0 + self._e), np.inf),
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per orbit (the CLI ``--json`` keys; NaN/inf -> null)."""
        cols = self._columns()
        recs = []
        for i in range(len(self)):
            rec: dict[str, Any] = {k: str(v[i]) if k == "epoch" else float(v[i])
                                   for k, v in cols.items()}
            rec["body"] = self._body.name
            rec["frame"] = "ICRF" if self._body.name != "mars" else _FRAME_NOTE
            if self.name:
                rec["name"] = self.name
            if self.source:
                rec["source"] = self.source
            recs.append(rec)
        return jsonable(recs)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the orbit's record, or ``{"orbits": [...]}`` for a batch."""
        recs = self.to_records()
        return recs[0] if self._scalar else {"orbits": recs}

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The ground track over one orbital period from the epoch (Kepler with the
        secular J2 drift; plotly, :meth:`GroundTrack.plot <areo.orbits.groundtrack.
        GroundTrack.plot>`); saved to ``path`` when given. Mars orbits only."""
        from areo.time import Time

        if np.ndim(self.period_s) != 0:
            raise ParameterError("plot() draws one orbit, not a batch: index it first")
        t = Time.from_et(float(self.epoch.et) + np.linspace(0.0, float(self.period_s), 721))
        track = self.propagate(t).groundtrack()
        track.name = self.name or ""
        return track.plot(path)

    def to_frame(self):
        """A pandas DataFrame, one row per orbit: the numbers of :meth:`to_records` (NaN /
        inf where undefined), the epoch as ``epoch_utc`` (``datetime64[ns, UTC]``)."""
        import pandas as pd

        cols = self._columns()
        del cols["epoch"]
        frame = pd.DataFrame({k: np.broadcast_to(np.asarray(v, dtype=float), (len(self),))
                              for k, v in cols.items()})
        frame.insert(0, "epoch_utc", utc_column(np.broadcast_to(self.epoch.et, (len(self),))))
        frame["body"] = self._body.name
        if self.name:
            frame["name"] = self.name
        return frame

    def _describe(self, i: int) -> str:
        body = self._body.name.capitalize()
        e, a = self._e[i], self._a[i]
        inc = math.degrees(self._inc[i])
        if e < 1.0 and a > 0:
            rp = a * (1 - e) - self._body.r_eq
            ra = a * (1 + e) - self._body.r_eq
            t_h = 2 * math.pi / math.sqrt(self._body.mu / a**3) / 3600.0
            return f"{rp:.0f} x {ra:.0f} km, {inc:.1f} deg, T = {t_h:.3f} h around {body}"
        rp = self._p[i] / (1 + e) - self._body.r_eq
        vinf = math.sqrt(self._body.mu / -a) if a < 0 else 0.0
        kind = "hyperbolic" if e > 1 else "parabolic"
        return (f"{kind}, e = {e:.4f}, pericentre {rp:.0f} km, {inc:.1f} deg, "
                f"v_inf = {vinf:.3f} km/s around {body}")

    def __str__(self) -> str:
        if self._scalar:
            return self._describe(0)
        head = "; ".join(self._describe(i) for i in range(min(3, len(self))))
        more = f"; ... ({len(self)} orbits)" if len(self) > 3 else ""
        return head + more

    def __repr__(self) -> str:
        label = f"{self.name}: " if self.name else ""
        if self._scalar:
            return f"Orbit: {label}{self._describe(0)}, epoch {self.epoch.iso}"
        return f"Orbit: batch of {len(self)} {label}{self}"


def _as_batch(orbit: Orbit) -> Orbit:
    o = object.__new__(Orbit)
    o.__dict__.update(orbit.__dict__)
    o._scalar = False
    return o


def _time_1d(et: np.ndarray):
    from areo.time import Time

    return Time.from_et(et)


@dataclass
class Trajectory:
    """States of one or more orbits on a grid of epochs.

    ``states``: ``(m, 6)`` for a single orbit, ``(n, m, 6)`` for a batch (ICRF, km, km/s);
    ``time`` and ``et`` the ``m`` epochs; rows after a stop (numerical model, surface impact)
    are NaN and ``terminated``/``reason`` say why.
    """

    time: Any
    et: np.ndarray
    _states: np.ndarray
    orbit: Orbit
    model: str
    _terminated: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=bool))
    _reasons: list[str] = field(default_factory=list)

    @property
    def states(self) -> np.ndarray:
        return self._states[0] if self.orbit.is_scalar else self._states

    @property
    def positions(self) -> np.ndarray:
        return self.states[..., :3]

    @property
    def terminated(self) -> Any:
        t = np.asarray(self._terminated, dtype=bool)
        return bool(t[0]) if self.orbit.is_scalar else t

    @property
    def reason(self) -> Any:
        return self._reasons[0] if self.orbit.is_scalar else list(self._reasons)

    def __len__(self) -> int:
        return self.et.size

    def groundtrack(self):
        """The ground track (planetocentric latitude, east longitude, altitude)."""
        from areo.orbits.groundtrack import GroundTrack

        return GroundTrack.from_states(self.time, self.states, body=self.orbit.body)

    def to_records(self) -> list[dict[str, Any]]:
        """JSON rows: utc (ISO string), et, x_km..vz_kms (and ``orbit`` index for a batch);
        rows after a stop are left out (the ``areo propagate --json`` states)."""
        utc = np.atleast_1d(self.time.utc_iso(decimals=3))
        states = self._states
        rows = []
        names = ("x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms")
        for i in range(states.shape[0]):
            for j in range(states.shape[1]):
                s = states[i, j]
                if not np.all(np.isfinite(s)):
                    continue
                row: dict[str, Any] = {"utc": str(utc[j]), "et": float(self.et[j])}
                if not self.orbit.is_scalar:
                    row["orbit"] = i
                row.update({k: float(v) for k, v in zip(names, s, strict=True)})
                rows.append(row)
        return rows

    def plot(self, path: Any = None) -> Any:
        """The position components over time (plotly,
        :func:`areo.io.figures.position_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import position_figure, show_or_save

        return show_or_save(position_figure(self.to_frame(), repr(self)), path)

    def to_frame(self):
        """A pandas DataFrame (long format for a batch, with an ``orbit`` column): ``utc``
        (``datetime64[ns, UTC]``), ``et``, ``x_km`` .. ``vz_kms``."""
        import pandas as pd

        frame = pd.DataFrame(self.to_records())
        if len(frame):
            frame["utc"] = utc_column(frame["et"].to_numpy())
        return frame

    def to_dict(self) -> dict[str, Any]:
        """``{"model", "frame", "center", "terminated", "reason", "states"}`` with ``states``
        from :meth:`to_records` (the ``areo propagate --json`` document)."""
        return {
            "model": self.model,
            "frame": "ICRF",
            "center": self.orbit.body,
            "terminated": (bool(self.terminated) if self.orbit.is_scalar
                           else [bool(x) for x in self.terminated]),
            "reason": self.reason,
            "states": self.to_records(),
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        n = int(np.prod(self.states.shape[:-1]))
        who = f" of {self.orbit.name}" if self.orbit.name else ""
        span = (span_text(float(self.et.min()), float(self.et.max())) if self.et.size
                else "no epochs")
        batch = "" if self.orbit.is_scalar else f" ({len(self.orbit)} orbits)"
        return (f"Trajectory: {n} states{who}{batch} ({self.model}) around "
                f"{self.orbit.body.capitalize()}, {span}")
