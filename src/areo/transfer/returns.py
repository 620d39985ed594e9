"""Mars -> Earth return windows from DE440: Mars departure delta-v from a given orbit, Earth
arrival v-infinity and declination, entry speed at the entry interface, landing-site reach.

>>> from areo.transfer.returns import return_window
>>> rw = return_window("2032-10-01", "2033-03-31", "2033-06-01", "2033-12-31", step_days=10)
>>> p = rw.minimum("dv_depart")
>>> 11.0 < p.entry_speed_kms < 12.5
True

The grid is filled by the porkchop's compiled kernel (:func:`areo.transfer._kernels.
porkchop_grid`) with the bodies swapped: Mars (system barycentre, NAIF 4) states at departure,
Earth (399) states at arrival; its "capture" delta-v, given the Earth's GM, the entry-interface
radius and a zero orbit speed, is the entry speed ``sqrt(v_inf^2 + 2 mu_E / r_EI)`` (vis-viva,
energy conserved along the Earth-relative hyperbola). Models (impulsive, two-body):

* Mars departure: one impulse at the periapsis of the Mars orbit (periapsis and apoapsis
  altitudes, :class:`~areo.transfer.maneuvers.CaptureOrbit`) onto the departure hyperbola,
  combined with the plane change the asymptote needs when the orbit's plane does not hold
  it: ``dv = sqrt(v_p^2 + v_h^2 - 2 v_p v_h cos(delta))`` (the combined plane change,
  Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., sec. 6.4.2, eq. 6-26)
  with ``v_p`` the orbit's periapsis speed, ``v_h = sqrt(v_inf^2 + 2 mu_M / r_p)`` the
  hyperbola's and ``delta`` the declination of the outgoing asymptote above the orbit's
  plane, the smallest angle between that plane and any plane holding the asymptote. The
  periapsis is taken where the burn needs it (its argument is free; J2 drift of the orbit is
  not modelled here), so this is the one-impulse cost of the plane alone; ``delta = 0`` (no
  plane given) is the coplanar vis-viva burn of :mod:`areo.transfer.maneuvers`.
  The orbit's plane: inclination to the Mars equator of the IAU 2015 pole at the departure
  epoch and right ascension of the ascending node from that equator's node on the ICRF
  equator (the "Mars mean equator and IAU vector" frame).
* Earth arrival: v-infinity, and the declination of the incoming asymptote in the ICRF
  (J2000 mean equator; precession moves the pole ~0.2 deg by the 2030s, ignored).
* Landing-site reach: the capsule enters at the entry interface on a hyperbola of flight-path
  angle ``entry_fpa_deg`` there; the entry point lies at the central angle
  ``theta = nu_inf - |nu_EI|`` from the sub-point of the incoming asymptote (declination
  ``-dec``), ``nu_inf = acos(-1/e)``, ``nu_EI`` the true anomaly at the interface. With the
  arrival hour free (the Earth turns under the approach), a site is reachable when its
  latitude lies on that small circle's band; the downrange flight from the interface to the
  ground is neglected (a few degrees).
"""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import validate
from areo._numba import inp, run
from areo.constants import DAY_S
from areo.ephem import Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.frames.mars import icrf_to_iau_mars
from areo.io.records import dumps, jsonable, utc_column
from areo.time import Time
from areo.transfer import _kernels, maneuvers
from areo.transfer.interplanetary import ECLIPTIC_POLE
from areo.transfer.lambert import GM_SUN, type_name
from areo.transfer.porkchop import _PARALLEL_MIN, _SELECT, span_axes

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_DEPARTURE_ORBIT",
    "ENTRY_INTERFACE_ALT_KM",
    "STARDUST_ENTRY_FPA_DEG",
    "DepartureOrbit",
    "ReturnPoint",
    "ReturnWindow",
    "departure_dv_plane",
    "entry_speed",
    "reachable_latitudes",
    "return_window",
]

#: Earth entry interface altitude, km: Stardust's, 125 km (Desai, Lyons et al., "Entry,
#: Descent, and Landing Operations Analysis for the Stardust Entry Capsule", J. Spacecraft
#: Rockets 45(6), 2008), the value issue 15 asks for.
ENTRY_INTERFACE_ALT_KM = 125.0
#: Inertial entry flight-path angle of Stardust's capsule at the interface, -8.2 deg (Desai,
#: Lyons et al. 2008, as above): the default of the landing-site reach.
STARDUST_ENTRY_FPA_DEG = -8.2

#: The default departure orbit: circular at 300 km (frozen, so one shared default is safe).
_CIRCULAR_300 = maneuvers.CaptureOrbit(300.0, 300.0)
_OBJECTIVES = ("dv_depart", "entry_speed", "vinf_depart", "vinf_arrive")


def entry_speed(vinf_kms: Any, alt_km: float = ENTRY_INTERFACE_ALT_KM) -> Any:
    """Speed (km/s) at the Earth entry interface ``alt_km`` above the equatorial radius on the
    arrival hyperbola of excess speed ``vinf_kms``: ``sqrt(v_inf^2 + 2 mu_E / r_EI)``.

    >>> round(entry_speed(3.0), 3)
    11.471
    """
    v = maneuvers._check_vinf(vinf_kms)
    mu, req = maneuvers._mu_radius("earth")
    r = req + float(maneuvers._check_alt("alt_km", alt_km))
    out = np.sqrt(v * v + 2.0 * mu / r)
    return float(out) if out.ndim == 0 else out


def departure_dv_plane(vinf_kms: Any, orbit: maneuvers.CaptureOrbit, delta_deg: Any = 0.0) -> Any:
    """One-impulse delta-v (km/s) from ``orbit``'s periapsis onto the hyperbola of excess
    speed ``vinf_kms`` whose asymptote is ``delta_deg`` out of the orbit's plane (combined
    plane change, Vallado eq. 6-26; see the module docstring). Broadcasts.

    >>> from areo.transfer.maneuvers import CaptureOrbit
    >>> o = CaptureOrbit(300.0, 300.0)
    >>> round(departure_dv_plane(2.5, o), 3) < round(departure_dv_plane(2.5, o, 10.0), 3)
    True
    """
    v = maneuvers._check_vinf(vinf_kms)
    d = np.radians(np.asarray(validate.finite(delta_deg, "delta_deg", unit="deg")))
    vh = np.sqrt(v * v + 2.0 * orbit.mu / orbit.rp_km)
    vp = orbit.vp_kms
    out = np.sqrt(np.maximum(vp * vp + vh * vh - 2.0 * vp * vh * np.cos(d), 0.0))
    return float(out) if out.ndim == 0 else out


def reachable_latitudes(vinf_kms: Any, dec_deg: Any, entry_fpa_deg: float =
                        STARDUST_ENTRY_FPA_DEG, alt_km: float = ENTRY_INTERFACE_ALT_KM
                        ) -> tuple[Any, Any]:
    """(lowest, highest) latitudes (deg) of the entry points an arrival of ``vinf_kms`` and
    incoming-asymptote declination ``dec_deg`` can reach at the flight-path angle
    ``entry_fpa_deg`` (< 0) at the interface: the band of the small circle of radius
    ``theta = nu_inf - |nu_EI|`` about the sub-point of the incoming direction (at
    declination ``-dec``). Broadcasts.

    >>> lo, hi = reachable_latitudes(3.0, 20.0)
    >>> bool(lo < 40.365 < hi)
    True
    """
    fpa = float(validate.in_range(entry_fpa_deg, "entry_fpa_deg", -89.0, -0.01, unit="deg",
                                  hint="a descending flight-path angle, e.g. -8.2"))
    v = maneuvers._check_vinf(vinf_kms)
    dec = np.asarray(validate.in_range(dec_deg, "dec_deg", -90.0, 90.0, unit="deg"))
    mu, req = maneuvers._mu_radius("earth")
    r = req + float(maneuvers._check_alt("alt_km", alt_km))
    ve = np.sqrt(v * v + 2.0 * mu / r)
    g = math.radians(fpa)
    h = r * ve * math.cos(g)
    p = h * h / mu
    e = np.sqrt(1.0 + (v * v) * h * h / (mu * mu))  # e^2 = 1 + 2 eps h^2 / mu^2, eps = v^2/2
    nu_inf = np.arccos(-1.0 / e)
    nu_ei = np.arccos(np.clip((p / r - 1.0) / e, -1.0, 1.0))  # before periapsis: -nu_ei
    theta = np.degrees(nu_inf - nu_ei)
    colat0 = 90.0 + dec  # colatitude of the sub-point at declination -dec
    hi_colat = np.minimum(colat0 + theta, 360.0 - colat0 - theta)
    lo_colat = np.abs(colat0 - theta)
    lo, hi = 90.0 - hi_colat, 90.0 - lo_colat
    return ((float(lo), float(hi)) if np.ndim(lo) == 0 else (lo, hi))


@dataclass(frozen=True)
class DepartureOrbit:
    """The Mars orbit a return leaves from: its shape (``orbit``, periapsis/apoapsis) and, when
    known, its plane (inclination to the Mars equator and node from the IAU vector, deg; see
    the module docstring). Without a plane the asymptote is taken to lie in it. With an
    ``epoch`` (UTC text) the node is ``raan_deg`` then and regresses at the secular J2 rate of
    :attr:`areo.orbits.Orbit.raan_rate_deg_per_day` (first-order Brouwer/Kozai), so the plane
    a departure day sees drifts over the stay; without one the plane is fixed.

    >>> o = DepartureOrbit(inclination_deg=25.0, raan_deg=0.0, epoch="2032-11-01")
    >>> round(o.raan_rate_deg_per_day, 2)
    -10.26
    """

    orbit: maneuvers.CaptureOrbit = _CIRCULAR_300
    inclination_deg: float | None = None
    raan_deg: float = 0.0
    epoch: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.orbit, maneuvers.CaptureOrbit) or self.orbit.body != "mars":
            raise ParameterError(f"orbit {self.orbit!r} must be a CaptureOrbit about mars, e.g. "
                                 "CaptureOrbit(300, 300)")
        if self.inclination_deg is not None:
            validate.in_range(self.inclination_deg, "inclination_deg", 0.0, 180.0, unit="deg")
        validate.finite(self.raan_deg, "raan_deg", unit="deg")
        if self.epoch is not None:
            if self.inclination_deg is None:
                raise ParameterError("epoch is given without inclination_deg: the node drift "
                                     "needs the orbit's plane; give inclination_deg too")
            Time(self.epoch)  # raises for a bad time

    @property
    def raan_rate_deg_per_day(self) -> float:
        """Secular J2 regression of the node, deg/day (0 without an epoch)."""
        if self.epoch is None:
            return 0.0
        from areo.orbits import Orbit

        o = Orbit.from_elements(peri_alt_km=self.orbit.periapsis_alt_km,
                                apo_alt_km=self.orbit.apoapsis_alt_km,
                                inc_deg=self.inclination_deg, raan_deg=self.raan_deg,
                                epoch=self.epoch)
        return float(o.raan_rate_deg_per_day)

    def raan_at(self, t: Time) -> np.ndarray:
        """Node (deg, 0-360) at epochs ``t``: drifted from ``epoch`` when one is given."""
        et = np.atleast_1d(np.asarray(t.et, dtype=float))
        if self.epoch is None:
            return np.full(et.shape, float(self.raan_deg) % 360.0)
        days = (et - float(Time(self.epoch).et)) / DAY_S
        return (float(self.raan_deg) + self.raan_rate_deg_per_day * days) % 360.0

    def normal(self, t: Time) -> np.ndarray | None:
        """Unit normals (n, 3) of the orbit's plane in ICRF at epochs ``t``; None if no plane."""
        if self.inclination_deg is None:
            return None
        rot = np.asarray(icrf_to_iau_mars(t)).reshape(-1, 3, 3)
        pole = rot[:, 2, :]
        node = np.cross(np.array([0.0, 0.0, 1.0]), pole)
        node /= np.linalg.norm(node, axis=-1, keepdims=True)
        y = np.cross(pole, node)
        i = math.radians(self.inclination_deg)
        o = np.radians(self.raan_at(t))[:, None]
        # normal = R3(-O) R1(-i) z in the (node, y, pole) frame
        return (math.sin(i) * np.sin(o) * node - math.sin(i) * np.cos(o) * y
                + math.cos(i) * pole)

    def to_dict(self) -> dict[str, Any]:
        return {**self.orbit.to_dict(), "inclination_deg": self.inclination_deg,
                "raan_deg": self.raan_deg, "epoch_utc": self.epoch,
                "raan_rate_deg_per_day": self.raan_rate_deg_per_day}


#: A circular 300 km Mars orbit whose plane holds the asymptote (frozen: a safe default).
DEFAULT_DEPARTURE_ORBIT = DepartureOrbit()


@dataclass(frozen=True)
class ReturnPoint:
    """One Mars -> Earth return: dates, Mars departure and Earth arrival numbers."""

    depart: Time
    arrive: Time
    vinf_depart_kms: float
    dv_depart_kms: float
    asymptote_dec_orbit_deg: float
    dla_deg: float
    rla_deg: float
    vinf_arrive_kms: float
    arrival_dec_deg: float
    entry_speed_kms: float
    site_reachable: bool
    revs: int
    transfer_type: int

    @property
    def tof_days(self) -> float:
        return float(self.arrive.et - self.depart.et) / DAY_S

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "depart_utc": str(self.depart.utc_iso(decimals=0)),
            "arrive_utc": str(self.arrive.utc_iso(decimals=0)), "tof_days": self.tof_days,
            "vinf_depart_kms": self.vinf_depart_kms, "c3_depart_km2s2": self.vinf_depart_kms**2,
            "mars_dv_kms": self.dv_depart_kms,
            "asymptote_dec_orbit_deg": self.asymptote_dec_orbit_deg,
            "dla_deg": self.dla_deg, "rla_deg": self.rla_deg,
            "vinf_arrive_kms": self.vinf_arrive_kms, "arrival_dec_deg": self.arrival_dec_deg,
            "entry_speed_kms": self.entry_speed_kms, "site_reachable": self.site_reachable,
            "revs": self.revs, "transfer_type": type_name(self.transfer_type),
        })

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """One row: ``depart_utc``, ``arrive_utc`` (``datetime64[ns, UTC]``) and the numbers."""
        import pandas as pd

        d = self.to_dict()
        del d["depart_utc"], d["arrive_utc"]
        return pd.DataFrame({"depart_utc": utc_column(self.depart.et),
                             "arrive_utc": utc_column(self.arrive.et),
                             **{k: [v] for k, v in d.items()}})

    def __repr__(self) -> str:
        return (f"ReturnPoint: {str(self.depart.utc_iso(decimals=0))[:10]} to "
                f"{str(self.arrive.utc_iso(decimals=0))[:10]}, {self.tof_days:.0f} d, Mars dv "
                f"{self.dv_depart_kms:.3f} km/s, entry {self.entry_speed_kms:.2f} km/s")


@dataclass(frozen=True, repr=False)
class ReturnWindow:
    """A Mars departure x Earth arrival grid of returns; arrays ``(n_depart, n_arrive)``, NaN
    where no arc. ``depart``/``arrive``: the axes (1-D Time)."""

    depart: Time
    arrive: Time
    arrive_et: np.ndarray
    vinf_depart_kms: np.ndarray
    dla_deg: np.ndarray
    rla_deg: np.ndarray
    asymptote_dec_orbit_deg: np.ndarray
    dv_depart_kms: np.ndarray
    vinf_arrive_kms: np.ndarray
    arrival_dec_deg: np.ndarray
    entry_speed_kms: np.ndarray
    site_reachable: np.ndarray
    revs: np.ndarray
    transfer_type: np.ndarray
    status: np.ndarray
    departure_orbit: DepartureOrbit
    site: str | None
    site_lat_deg: float | None
    entry_fpa_deg: float
    max_entry_speed_kms: float | None
    seconds: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.vinf_depart_kms.shape  # type: ignore[return-value]

    @property
    def tof_days(self) -> np.ndarray:
        return (self.arrive_et - self.depart.et[:, None]) / DAY_S

    @property
    def c3_depart_km2s2(self) -> np.ndarray:
        return self.vinf_depart_kms**2

    @property
    def dv_aligned_kms(self) -> np.ndarray:
        """Mars departure delta-v from an orbit of the same shape whose plane holds the
        asymptote (the optimally aligned orbit), km/s."""
        v = self.vinf_depart_kms
        out = np.full(v.shape, np.nan)
        fin = np.isfinite(v)
        out[fin] = departure_dv_plane(v[fin], self.departure_orbit.orbit, 0.0)
        return out

    def alignment_by_day(self) -> pd.DataFrame:
        """Plane alignment per Mars departure day: the least delta-v over the feasible
        arrivals from the given orbit (its node drifted to that day when it has an epoch) and
        from an aligned one, their difference, the asymptote's declination above the orbit
        plane and the node of that day. Columns ``depart_utc``, ``mars_dv_kms``,
        ``mars_dv_aligned_kms``, ``plane_penalty_kms``, ``asymptote_dec_orbit_deg``,
        ``raan_deg``; NaN on days with no feasible arrival."""
        import pandas as pd

        ok = self.feasible()
        dv = np.where(ok, self.dv_depart_kms, np.inf)
        al = np.where(ok, self.dv_aligned_kms, np.inf)
        j = np.argmin(dv, axis=1)
        rows = np.arange(self.shape[0])
        best = dv[rows, j]
        has = np.isfinite(best)
        aligned = np.min(al, axis=1)
        with np.errstate(invalid="ignore"):
            penalty = best - aligned
        return pd.DataFrame({
            "depart_utc": utc_column(np.atleast_1d(self.depart.et)),
            "mars_dv_kms": np.where(has, best, np.nan),
            "mars_dv_aligned_kms": np.where(has, aligned, np.nan),
            "plane_penalty_kms": np.where(has, penalty, np.nan),
            "asymptote_dec_orbit_deg": np.where(has, self.asymptote_dec_orbit_deg[rows, j],
                                                np.nan),
            "raan_deg": self.departure_orbit.raan_at(self.depart),
        })

    def feasible(self) -> np.ndarray:
        """Cells with an arc, under the entry-speed cap and (if a site) reaching the site."""
        ok = np.isfinite(self.entry_speed_kms)
        if self.max_entry_speed_kms is not None:
            ok &= self.entry_speed_kms <= self.max_entry_speed_kms
        if self.site is not None:
            ok &= self.site_reachable
        return ok

    def _field(self, objective: str) -> np.ndarray:
        if objective not in _OBJECTIVES:
            raise ParameterError(f"objective {objective!r} is unknown: use one of "
                                 f"{', '.join(_OBJECTIVES)}")
        return {"dv_depart": self.dv_depart_kms, "entry_speed": self.entry_speed_kms,
                "vinf_depart": self.vinf_depart_kms,
                "vinf_arrive": self.vinf_arrive_kms}[objective]

    def point(self, i: int, j: int) -> ReturnPoint:
        """The return of cell (i, j)."""
        return ReturnPoint(
            depart=self.depart[int(i)], arrive=Time.from_et(self.arrive_et[i, j]),
            vinf_depart_kms=float(self.vinf_depart_kms[i, j]),
            dv_depart_kms=float(self.dv_depart_kms[i, j]),
            asymptote_dec_orbit_deg=float(self.asymptote_dec_orbit_deg[i, j]),
            dla_deg=float(self.dla_deg[i, j]), rla_deg=float(self.rla_deg[i, j]),
            vinf_arrive_kms=float(self.vinf_arrive_kms[i, j]),
            arrival_dec_deg=float(self.arrival_dec_deg[i, j]),
            entry_speed_kms=float(self.entry_speed_kms[i, j]),
            site_reachable=bool(self.site_reachable[i, j]), revs=int(self.revs[i, j]),
            transfer_type=int(self.transfer_type[i, j]))

    def minimum(self, objective: str = "dv_depart") -> ReturnPoint:
        """The feasible cell (:meth:`feasible`) of least ``objective``: 'dv_depart' (Mars
        departure delta-v), 'entry_speed', 'vinf_depart' or 'vinf_arrive'. Raises when no cell
        qualifies, naming the lowest entry speed of the grid."""
        f = self._field(objective)
        ok = self.feasible() & np.isfinite(f)
        if not ok.any():
            lowest = (float(np.nanmin(self.entry_speed_kms))
                      if np.isfinite(self.entry_speed_kms).any() else math.nan)
            raise ParameterError(
                f"no return in this grid meets the constraints (entry speed cap "
                f"{self.max_entry_speed_kms} km/s, site {self.site!r}); the lowest entry speed "
                f"here is {lowest:.3f} km/s: raise the cap, drop the site or widen the dates")
        k = int(np.argmin(np.where(ok, f, np.inf)))
        return self.point(*divmod(k, self.shape[1]))

    def to_frame(self) -> pd.DataFrame:
        """One row per cell with an arc: ``depart_utc``, ``arrive_utc`` and the numbers."""
        import pandas as pd

        ok = np.isfinite(self.vinf_depart_kms)
        ii, _jj = np.nonzero(ok)
        return pd.DataFrame({
            "depart_utc": utc_column(np.atleast_1d(self.depart.et)[ii]),
            "arrive_utc": utc_column(self.arrive_et[ok]), "tof_days": self.tof_days[ok],
            "vinf_depart_kms": self.vinf_depart_kms[ok],
            "c3_depart_km2s2": self.c3_depart_km2s2[ok], "mars_dv_kms": self.dv_depart_kms[ok],
            "mars_dv_aligned_kms": self.dv_aligned_kms[ok],
            "asymptote_dec_orbit_deg": self.asymptote_dec_orbit_deg[ok],
            "dla_deg": self.dla_deg[ok], "rla_deg": self.rla_deg[ok],
            "vinf_arrive_kms": self.vinf_arrive_kms[ok],
            "arrival_dec_deg": self.arrival_dec_deg[ok],
            "entry_speed_kms": self.entry_speed_kms[ok],
            "site_reachable": self.site_reachable[ok], "feasible": self.feasible()[ok],
            "revs": self.revs[ok], "transfer_type": self.transfer_type[ok],
        })

    def to_dict(self) -> dict[str, Any]:
        """Summary for JSON (``areo return-window --json``): ``min_mars_dv``,
        ``min_entry_speed`` (each a :meth:`ReturnPoint.to_dict`, None if nothing feasible),
        grid_shape, cells, feasible cells, the constraints and the departure orbit."""

        def best(obj: str) -> Any:
            try:
                return self.minimum(obj).to_dict()
            except ParameterError:
                return None

        return jsonable({
            "min_mars_dv": best("dv_depart"), "min_entry_speed": best("entry_speed"),
            "grid_shape": list(self.shape),
            "cells_with_transfer": int(np.count_nonzero(np.isfinite(self.vinf_depart_kms))),
            "cells_feasible": int(np.count_nonzero(self.feasible())),
            "lowest_entry_speed_kms": float(np.nanmin(self.entry_speed_kms))
            if np.isfinite(self.entry_speed_kms).any() else None,
            "max_entry_speed_kms": self.max_entry_speed_kms, "site": self.site,
            "site_lat_deg": self.site_lat_deg, "entry_fpa_deg": self.entry_fpa_deg,
            "entry_interface_alt_km": ENTRY_INTERFACE_ALT_KM,
            "departure_orbit": self.departure_orbit.to_dict(), "seconds": self.seconds,
        })

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None, *, c3_max: float = 40.0, title: str | None = None) -> Any:
        """Porkchop of the returns (:func:`areo.transfer.plots.porkchop_plotly`): Mars
        departure C3 filled, Earth entry speed (km/s) as red lines, the least Mars delta-v
        starred; written to ``path`` (.html) when given."""
        from areo.transfer.plots import porkchop_plotly

        if min(self.shape) < 2:
            raise ParameterError(f"grid {self.shape} is too small to contour: give >= 2 x 2 "
                                 "dates")
        try:
            p = self.minimum("dv_depart")
            best = (p.depart, p.arrive, "min Mars dv")
        except ParameterError:
            best = None
        fig = porkchop_plotly(
            self.depart, self.arrive, self.c3_depart_km2s2, self.entry_speed_kms,
            self.tof_days, c3_max=c3_max, best=best,
            title=title or "Mars → Earth returns (DE440): Mars departure C3, entry speed",
            line_levels=np.arange(11.0, 14.01, 0.25), line_name="entry speed (km/s)",
            axis_titles=("Mars departure (UTC)", "Earth arrival (UTC)"))
        if path is not None:
            from areo._files import atomic_path

            with atomic_path(path) as tmp:
                fig.write_html(str(tmp), include_plotlyjs=True)
        return fig

    def __repr__(self) -> str:
        n = int(np.count_nonzero(self.feasible()))
        d0, d1 = (str(x)[:10] for x in self.depart.utc_iso(decimals=0)[[0, -1]])
        text = (f"ReturnWindow: {self.shape[0]} x {self.shape[1]} grid, depart {d0} to {d1}, "
                f"{n} feasible")
        if n:
            text += f", min Mars dv {self.minimum('dv_depart').dv_depart_kms:.3f} km/s"
        return text


def return_window(
    depart_from: Any, depart_to: Any, arrive_from: Any, arrive_to: Any,
    step_days: float = 1.0, *,
    departure_orbit: DepartureOrbit = DEFAULT_DEPARTURE_ORBIT,
    max_entry_speed_kms: float | None = None,
    site: str | None = None,
    entry_fpa_deg: float = STARDUST_ENTRY_FPA_DEG,
    revs: int = 0,
    ephemeris: Ephemeris | None = None,
) -> ReturnWindow:
    """Mars -> Earth returns every ``step_days`` over the departure x arrival spans.

    Args:
        depart_from, depart_to, arrive_from, arrive_to: the spans (ends included).
        departure_orbit: the Mars orbit left from (:class:`DepartureOrbit`).
        max_entry_speed_kms: entry-speed cap at the interface (e.g. 12), None for none.
        site: an Earth catalog site (``body = "earth"``, e.g. "uttr") to reach; None: any.
        entry_fpa_deg: flight-path angle at the interface for the site reach (deg < 0).
        revs: most full revolutions of the arcs (each cell keeps the least Mars C3).

    Raises:
        ParameterError / AreoInputError: reversed spans, grid too large, a cap below 11 km/s
        (the entry speed of a parabolic arrival is 11.07 km/s), a site not on the Earth.

    Example:
        >>> rw = return_window("2031-06-01", "2031-07-01", "2032-02-01", "2032-04-01", 15)
        >>> rw.shape
        (3, 5)
    """
    t0 = _time.perf_counter()
    if not isinstance(departure_orbit, DepartureOrbit):
        raise ParameterError(f"departure_orbit {departure_orbit!r} must be a DepartureOrbit")
    site_lat = _check_inputs(max_entry_speed_kms, entry_fpa_deg, site, revs)
    td, ta = span_axes(depart_from, depart_to, arrive_from, arrive_to, step_days)
    et_a = np.ascontiguousarray(np.atleast_1d(ta.et).astype(float))
    idx = np.broadcast_to(np.arange(et_a.size, dtype=np.int32), (td.size, et_a.size)).copy()
    cells = _return_cells(td, et_a, idx, departure_orbit, revs, site_lat, entry_fpa_deg,
                          ephemeris)
    shape = idx.shape
    return ReturnWindow(
        depart=Time.from_et(np.atleast_1d(td.et)), arrive=Time.from_et(et_a),
        arrive_et=np.broadcast_to(et_a, shape).copy(), **cells,
        departure_orbit=departure_orbit, site=site, site_lat_deg=site_lat,
        entry_fpa_deg=float(entry_fpa_deg),
        max_entry_speed_kms=None if max_entry_speed_kms is None else float(max_entry_speed_kms),
        seconds=_time.perf_counter() - t0)


def _return_cells(td: Time, et_u: np.ndarray, idx: np.ndarray, departure_orbit: DepartureOrbit,
                  revs: int, site_lat: float | None, entry_fpa_deg: float,
                  ephemeris: Ephemeris | None) -> dict[str, np.ndarray]:
    """The per-cell arrays of :class:`ReturnWindow` for Mars departures ``td`` (1-D) and Earth
    arrivals ``et_u[idx[i, j]]`` (any layout: date x date or departure x time of flight)."""
    et_d = np.ascontiguousarray(np.atleast_1d(td.et).astype(float))
    et_u = np.ascontiguousarray(et_u, dtype=float)
    eph = default_ephemeris() if ephemeris is None else ephemeris
    mars = np.ascontiguousarray(
        eph.state("mars", Time.from_et(et_d), center="sun").states.reshape(-1, 6))
    earth = np.ascontiguousarray(
        eph.state("earth", Time.from_et(et_u), center="sun").states.reshape(-1, 6))
    pole = np.ascontiguousarray(np.broadcast_to([0.0, 0.0, 1.0], (et_u.size, 3)))
    mu_m, _rm = maneuvers._mu_radius("mars")
    mu_e, r_e = maneuvers._mu_radius("earth")
    orbit = departure_orbit.orbit
    shape = idx.shape
    outs = [np.empty(shape) for _ in range(7)]
    codes = [np.empty(shape, dtype=np.int8) for _ in range(3)]
    # The porkchop kernel with the bodies swapped; its capture delta-v into an "orbit" of
    # pericentre r_EI and speed 0 is the entry speed. Same argument types: one signature.
    run(_kernels.porkchop_grid, shape[0] * shape[1], (
        inp(et_d), inp(mars), inp(et_u), inp(earth), inp(pole), inp(idx, np.int32),
        float(GM_SUN), inp(ECLIPTIC_POLE), int(revs), _SELECT["c3"], True,
        float(mu_m), float(orbit.rp_km), float(mu_e), float(r_e + ENTRY_INTERFACE_ALT_KM),
        0.0, *outs, *codes), _PARALLEL_MIN)
    c3, va, dla, rla, dec_a, _dv_circ, v_entry = outs
    vd = np.sqrt(c3)
    fin = np.isfinite(vd)
    normal = departure_orbit.normal(Time.from_et(et_d))
    if normal is None:
        delta = np.where(fin, 0.0, np.nan)
    else:
        dl, rl = np.radians(dla), np.radians(rla)
        s = np.stack([np.cos(dl) * np.cos(rl), np.cos(dl) * np.sin(rl), np.sin(dl)], axis=-1)
        delta = np.degrees(np.arcsin(np.clip(np.einsum("ijk,ik->ij", s, normal), -1.0, 1.0)))
    dv = np.full(shape, np.nan)
    dv[fin] = departure_dv_plane(vd[fin], orbit, np.abs(delta[fin]))
    reach = np.zeros(shape, dtype=bool)
    if site_lat is not None and fin.any():
        lo, hi = reachable_latitudes(va[fin], dec_a[fin], entry_fpa_deg)
        reach[fin] = (lo <= site_lat) & (site_lat <= hi)
    return {"vinf_depart_kms": vd, "dla_deg": dla, "rla_deg": rla,
            "asymptote_dec_orbit_deg": delta, "dv_depart_kms": dv, "vinf_arrive_kms": va,
            "arrival_dec_deg": dec_a, "entry_speed_kms": v_entry, "site_reachable": reach,
            "revs": codes[0], "transfer_type": codes[1], "status": codes[2]}


def _check_inputs(max_entry_speed_kms: float | None, entry_fpa_deg: float, site: str | None,
                  revs: int) -> float | None:
    """Check the return constraints (shared with the round-trip search); the site's
    latitude, or None."""
    floor = entry_speed(0.0)
    if max_entry_speed_kms is not None:
        validate.finite(max_entry_speed_kms, "max_entry_speed_kms", unit="km/s")
        if max_entry_speed_kms < floor:
            raise ParameterError(
                f"max_entry_speed_kms {max_entry_speed_kms} km/s is below {floor:.3f} km/s, "
                f"the entry speed at {ENTRY_INTERFACE_ALT_KM:g} km of an arrival from infinity "
                "at zero excess speed: give a cap above it, e.g. 12")
    validate.in_range(entry_fpa_deg, "entry_fpa_deg", -89.0, -0.01, unit="deg",
                      hint="a descending flight-path angle, e.g. -8.2")
    site_lat = None
    if site is not None:
        from areo import catalog

        s = catalog.site(site)
        if s.body != "earth":
            raise ParameterError(f"site {site!r} is on {s.body}, not the Earth: give an Earth "
                                 "landing site, e.g. uttr")
        site_lat = float(s.lat_deg)
    if not (isinstance(revs, int | np.integer) and 0 <= revs <= 20):
        raise ParameterError(f"revs {revs!r} must be a whole number of revolutions in 0..20")
    return site_lat
