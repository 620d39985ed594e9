"""Launch opportunities from a Mars surface site into a given orbit's plane (issue 15).

>>> from areo.orbits import Orbit
>>> from areo.orbits.ascent import launch_opportunities
>>> orb = Orbit.from_elements(peri_alt_km=343.0, apo_alt_km=343.0, inc_deg=25.0,
...                           epoch="2031-03-01")
>>> lo = launch_opportunities("jezero", orb, "2031-03-01", "2031-03-03")
>>> len(lo) >= 3, lo.items[0].direction in ("northbound", "southbound")
(True, True)

A Mars Ascent Vehicle reaches an orbit's plane without a plane change only when the plane
passes over its site. The plane's normal is the angular momentum of the orbit propagated by
:meth:`areo.orbits.Orbit.propagate` (``model``: 'j2mean' by default, so the node regresses
at the secular J2 rate; any of its models) and the site is the catalog site's body-fixed
position rotated to ICRF with the IAU 2015 Mars rotation. An opportunity is a root of the
site's signed distance to the plane, ``d(t) = r_site(t) . h(t) / |h(t)|``: sign changes on a
``step_s`` grid, refined by bisection to 1 ms. At each the inertial launch azimuth is the
direction of the orbit's motion over the site (``h x r_site`` in the site's east/north
plane; the surface's rotation speed is not removed, so this is the inertial azimuth, which
obeys ``sin(Az) = cos(i) / cos(lat)``), northbound or southbound.

Rendezvous phasing (:func:`rendezvous_phasing`), coplanar circular orbits, impulsive:

* different radii: wait until the target leads the chaser by ``pi - n_target t_H``, then a
  Hohmann transfer (:func:`areo.orbits.design.hohmann`) of duration ``t_H``; the phase angle
  changes at ``n_target - n_chaser`` while waiting (Vallado, Fundamentals of Astrodynamics
  and Applications, 4th ed., sec. 6.6.2, Algorithm 44 "Hohmann phasing");
* the same radius: a phasing orbit of period ``T (1 - phase / (2 pi k))`` flown ``k`` times,
  entered and left at the same point with equal tangential burns (Vallado Algorithm 45,
  co-orbital rendezvous).

A plane difference adds the impulse ``2 v sin(di / 2)`` of
:func:`areo.orbits.design.plane_change_dv` at the slower orbit's speed (the cheaper place).

Mars Ascent Vehicle delta-v (:func:`ascent_budget`), from a site at planetocentric latitude
``lat`` and radius ``R`` to a circular orbit of radius ``r`` and inclination ``i``:

* launch azimuth (inertial, prograde): ``sin(Az) = cos(i) / cos(lat)`` (the plane passes over
  the site; northbound, and the southbound pass has the mirror azimuth ``180 - Az``);
* the surface's rotation speed ``v_rot = omega R cos(lat)`` eastward (``omega``: the IAU 2015
  W rate, :data:`areo.frames.mars.MARS_ROTATION_RATE_RAD_S`); its gain along the azimuth is
  ``v_rot sin(Az)``;
* the ideal (impulsive) delta-v: a Hohmann ellipse from the surface to the orbit's radius,
  its perigee speed ``v_p = sqrt(mu (2/R - 2/(R + r)))`` reached from the rotating surface
  (``|v_p e_Az - v_rot e_E| = sqrt(v_p^2 + v_rot^2 - 2 v_p v_rot sin(Az))``), then the
  circularisation ``sqrt(mu/r) - sqrt(mu (2/r - 2/(R + r)))`` at apoapsis (vis-viva): the
  least any ascent can spend;
* the budget: what a flown ascent spends beyond that bound, from the decomposition of
  J. Jaron, "Mars Ascent Delta-V Trade Study & Trajectory", NASA Mars Ascent Team / Mars
  Lander-Ascent Vehicle Ad Hoc Group, 25 January 2005: to a 350 km orbit, the orbit's speed
  (3380 m/s) less the rotation gain (241 m/s) plus the gravity (203 m/s), steering (34 m/s)
  and drag (169 m/s) losses of its simulated trajectory, 3545 m/s in all
  (:data:`MAV_LOSSES_KMS`, at ``MAV_LOSS_ALT_KM``). That sum at the reference altitude,
  for this site and azimuth, less the ideal delta-v to the same altitude, is the flown
  excess (~65 m/s: the gravity loss of a flown ascent holds the climb, so the losses are not
  added to the ideal); the budget is the ideal to the target plus that excess, so it equals
  Jaron's decomposition at 350 km and moves with the ideal for other altitudes (an
  extrapolation: the losses of a vehicle flown to another orbit are not published here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import validate
from areo.errors import ParameterError
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

if TYPE_CHECKING:
    import pandas as pd

    from areo.orbits.orbit import Orbit

__all__ = ["MAV_LOSSES_KMS", "MAV_LOSS_ALT_KM", "AscentBudget", "LaunchOpportunities",
           "LaunchOpportunity", "Phasing", "ascent_budget", "launch_opportunities",
           "plane_distance_km", "rendezvous_phasing"]

#: Gravity, steering and drag losses (km/s) of a Mars ascent to a 350 km orbit: J. Jaron,
#: "Mars Ascent Delta-V Trade Study & Trajectory", NASA Mars Ascent Team, 25 Jan 2005
#: (gravity 203 m/s, steering 34 m/s, drag 169 m/s; total 3545 m/s with 3380 m/s orbital
#: speed and a 241 m/s rotation gain).
MAV_LOSSES_KMS = {"gravity": 0.203, "steering": 0.034, "drag": 0.169}
#: The orbit altitude (km) of those losses (Jaron 2005's parking orbit).
MAV_LOSS_ALT_KM = 350.0


@dataclass(frozen=True)
class LaunchOpportunity:
    """One pass of the orbit's plane over the site."""

    time: Time
    azimuth_deg: float
    direction: str

    def to_dict(self) -> dict[str, Any]:
        return {"utc": str(self.time.utc_iso(decimals=3)), "azimuth_deg": self.azimuth_deg,
                "direction": self.direction}

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"LaunchOpportunity: {str(self.time.utc_iso(decimals=0))[:19]}, "
                f"{self.direction}, azimuth {self.azimuth_deg:.2f} deg")


@dataclass(frozen=True, repr=False)
class LaunchOpportunities:
    """Every plane pass over ``site`` between ``start`` and ``end``, in time order."""

    items: tuple[LaunchOpportunity, ...]
    site: str
    site_lat_deg: float
    inclination_deg: float
    start: Time
    end: Time
    model: str

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k: int) -> LaunchOpportunity:
        return self.items[k]

    def to_records(self) -> list[dict[str, Any]]:
        return [x.to_dict() for x in self.items]

    def to_frame(self) -> pd.DataFrame:
        """``utc`` (``datetime64[ns, UTC]``), ``azimuth_deg``, ``direction``."""
        import pandas as pd

        return pd.DataFrame({
            "utc": utc_column([float(x.time.et) for x in self.items]),
            "azimuth_deg": [x.azimuth_deg for x in self.items],
            "direction": [x.direction for x in self.items],
        })

    def to_dict(self) -> dict[str, Any]:
        return collection("LaunchOpportunities", self.to_records(), site=self.site,
                          site_lat_deg=self.site_lat_deg,
                          inclination_deg=self.inclination_deg, model=self.model,
                          start_utc=str(self.start.utc_iso(0)), end_utc=str(self.end.utc_iso(0)))

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """Launch azimuth of each opportunity against time (plotly)."""
        import plotly.graph_objects as go

        from areo.io.figures import show_or_save

        fig = go.Figure()
        for d, sym in (("northbound", "triangle-up"), ("southbound", "triangle-down")):
            sel = [x for x in self.items if x.direction == d]
            fig.add_trace(go.Scatter(
                x=[str(x.time.utc_iso(decimals=3))[:23] for x in sel],
                y=[x.azimuth_deg for x in sel], mode="markers", name=d,
                marker={"symbol": sym, "size": 9}))
        fig.update_layout(title="Launch opportunities into the orbit plane",
                          xaxis_title="UTC", yaxis_title="inertial launch azimuth (deg)")
        return show_or_save(fig, path)

    def __repr__(self) -> str:
        text = f"LaunchOpportunities: {len(self.items)} passes of the plane over {self.site}"
        if self.items:
            text += ", " + span_text(float(self.items[0].time.et), float(self.items[-1].time.et))
        return text


def _site(site: Any) -> Any:
    from areo.frames.topocentric import surface_point

    p = surface_point(site)
    if p.body != "mars":
        raise ParameterError(f"site {p.name!r} is on {p.body}, not Mars: give a Mars site, "
                             "e.g. jezero")
    return p


def plane_distance_km(site: Any, orbit: Orbit, t: Any, model: str = "j2mean"
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Signed distance (km) of ``site`` from ``orbit``'s plane at epochs ``t`` (1-D), with the
    site's ICRF position (n, 3) and the plane's unit normal (n, 3)."""
    from areo.frames.mars import iau_mars_to_icrf

    p = _site(site)
    times = t if isinstance(t, Time) else Time(t)
    st = np.asarray(orbit.propagate(times, model=model).states).reshape(-1, 6)
    h = np.cross(st[:, :3], st[:, 3:])
    h /= np.linalg.norm(h, axis=1, keepdims=True)
    rot = np.asarray(iau_mars_to_icrf(times)).reshape(-1, 3, 3)
    r = np.einsum("nij,j->ni", rot, np.asarray(p.position_km, dtype=float))
    return np.einsum("ni,ni->n", r, h), r, h


def launch_opportunities(site: Any, orbit: Orbit, start: Any, end: Any, *,
                         step_s: float = 60.0, model: str = "j2mean") -> LaunchOpportunities:
    """Times the plane of ``orbit`` (a scalar :class:`areo.orbits.Orbit`) passes over the Mars
    ``site`` (catalog name or entry) between ``start`` and ``end``, with the inclination-reach
    check: a plane of inclination ``i`` passes over latitudes up to ``min(i, 180 - i)``.

    Raises:
        ParameterError: a site the plane never reaches (names the minimum inclination), a
        site off Mars, an empty span or a step outside 1-600 s.
    """
    from areo import catalog

    _site(site)  # a Mars site, or say where it is
    if isinstance(site, str):
        entry = catalog.site(site)
        name, lat_c = entry.key, float(entry.lat_deg)
    else:
        name = getattr(site, "key", getattr(site, "name", "site"))
        lat_c = float(getattr(site, "lat_deg", math.degrees(_site(site).lat)))
    if not orbit.is_scalar:
        raise ParameterError("orbit must be a single orbit, not a batch: index it first")
    inc = float(orbit.inc_deg)
    reach = min(inc, 180.0 - inc)
    if abs(lat_c) > reach + 1e-9:
        raise ParameterError(
            f"site {name} at latitude {lat_c:.2f} deg is beyond the reach of an orbit inclined "
            f"{inc:.2f} deg (its plane passes over latitudes up to {reach:.2f} deg): give an "
            f"inclination between {abs(lat_c):.2f} and {180.0 - abs(lat_c):.2f} deg")
    step = float(validate.in_range(step_s, "step_s", 1.0, 600.0, unit="s",
                                   hint="the scan step, e.g. 60"))
    t0, t1 = Time(start), Time(end)
    if not float(t1.et) > float(t0.et):
        raise ParameterError(f"the span ends ({t1.iso[:19]}) before it starts "
                             f"({t0.iso[:19]}): swap the dates")
    et = np.arange(float(t0.et), float(t1.et) + 1e-6, step)
    d, _r, _h = plane_distance_km(site, orbit, Time.from_et(et), model)
    k = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
    lo, hi = et[k], et[k + 1]
    dlo = d[k]
    while lo.size and np.max(hi - lo) > 1e-3:  # bisection on every bracket at once
        mid = 0.5 * (lo + hi)
        dm, _, _ = plane_distance_km(site, orbit, Time.from_et(mid), model)
        same = np.sign(dm) == np.sign(dlo)
        lo, dlo = np.where(same, mid, lo), np.where(same, dm, dlo)
        hi = np.where(same, hi, mid)
    items: list[LaunchOpportunity] = []
    if lo.size:
        tt = Time.from_et(0.5 * (lo + hi))
        _d, r, h = plane_distance_km(site, orbit, tt, model)
        from areo.frames.mars import iau_mars_to_icrf

        p = _site(site)
        rot = np.asarray(iau_mars_to_icrf(tt)).reshape(-1, 3, 3)
        east = np.einsum("nij,j->ni", rot, np.asarray(p.enu[0], dtype=float))
        north = np.einsum("nij,j->ni", rot, np.asarray(p.enu[1], dtype=float))
        v = np.cross(h, r)  # direction of the orbit's motion over the site
        az = np.degrees(np.arctan2(np.einsum("ni,ni->n", v, east),
                                   np.einsum("ni,ni->n", v, north))) % 360.0
        for q in range(lo.size):
            items.append(LaunchOpportunity(
                time=tt[q], azimuth_deg=float(az[q]),
                direction="northbound" if (az[q] < 90.0 or az[q] > 270.0) else "southbound"))
    return LaunchOpportunities(items=tuple(items), site=name, site_lat_deg=lat_c,
                               inclination_deg=inc, start=t0, end=t1, model=model)


@dataclass(frozen=True)
class Phasing:
    """A coplanar rendezvous plan: wait, transfer (or phasing orbits), delta-v."""

    wait_s: float
    transfer_s: float
    dv_kms: float
    plane_change_dv_kms: float
    method: str
    revolutions: int

    @property
    def total_s(self) -> float:
        return self.wait_s + self.transfer_s

    @property
    def total_dv_kms(self) -> float:
        return self.dv_kms + self.plane_change_dv_kms

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "wait_s": self.wait_s, "transfer_s": self.transfer_s,
                "total_s": self.total_s, "dv_kms": self.dv_kms,
                "plane_change_dv_kms": self.plane_change_dv_kms,
                "total_dv_kms": self.total_dv_kms, "revolutions": self.revolutions}

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"Phasing: {self.method}, wait {self.wait_s / 3600:.2f} h, transfer "
                f"{self.transfer_s / 3600:.2f} h, dv {self.total_dv_kms * 1000:.1f} m/s")


def rendezvous_phasing(chaser_alt_km: float, target_alt_km: float, phase_deg: float, *,
                       revolutions: int = 1, plane_change_deg: float = 0.0,
                       body: str = "mars") -> Phasing:
    """Time and delta-v for a chaser in a circular orbit at ``chaser_alt_km`` to meet a
    target at ``target_alt_km`` leading it by ``phase_deg`` (see the module docstring).

    >>> p = rendezvous_phasing(300.0, 350.0, 40.0)
    >>> p.method, round(p.dv_kms * 1000, 1)
    ('hohmann', 22.8)
    """
    from areo.bodies import body as _body
    from areo.orbits.design import hohmann, plane_change_dv

    b = _body(body)
    mu, req = float(b.gm_km3s2), float(b.equatorial_radius_km)
    r1 = req + float(validate.non_negative(chaser_alt_km, "chaser_alt_km", unit="km"))
    r2 = req + float(validate.non_negative(target_alt_km, "target_alt_km", unit="km"))
    phi = math.radians(float(validate.finite(phase_deg, "phase_deg", unit="deg")) % 360.0)
    if not (isinstance(revolutions, int) and 1 <= revolutions <= 1000):
        raise ParameterError(f"revolutions {revolutions!r} must be a whole number in 1..1000")
    di = float(validate.in_range(plane_change_deg, "plane_change_deg", -180.0, 180.0,
                                 unit="deg"))
    dv_plane = plane_change_dv(math.sqrt(mu / max(r1, r2)), di)
    n1, n2 = math.sqrt(mu / r1**3), math.sqrt(mu / r2**3)
    if abs(r1 - r2) < 1e-6:
        period = 2 * math.pi / n1
        t_ph = period * (1.0 - phi / (2 * math.pi * revolutions))
        a_ph = (mu * (t_ph / (2 * math.pi)) ** 2) ** (1.0 / 3.0)
        other = 2 * a_ph - r1  # the phasing orbit's other apsis
        if other < req:
            raise ParameterError(
                f"a phasing orbit catching {math.degrees(phi):.1f} deg in {revolutions} "
                f"revolution(s) dips {req - other:.0f} km below the surface: give more "
                "revolutions")
        v_ph = math.sqrt(mu * (2 / r1 - 1 / a_ph))
        return Phasing(0.0, revolutions * t_ph, 2 * abs(v_ph - math.sqrt(mu / r1)), dv_plane,
                       "coorbital", revolutions)
    h = hohmann(r1, r2, mu=mu)
    need = (math.pi - n2 * h.tof_s) % (2 * math.pi)
    rate = n2 - n1
    wait = ((need - phi) % (2 * math.pi)) / rate if rate > 0 else \
        ((phi - need) % (2 * math.pi)) / -rate
    return Phasing(wait, h.tof_s, h.dv_total_kms, dv_plane, "hohmann", 0)


@dataclass(frozen=True)
class AscentBudget:
    """A Mars Ascent Vehicle's delta-v from a site to a circular orbit (see the module
    docstring): km/s, degrees."""

    site: str
    site_lat_deg: float
    target_alt_km: float
    inclination_deg: float
    azimuth_deg: float
    surface_speed_kms: float
    rotation_gain_kms: float
    orbit_speed_kms: float
    ideal_dv_kms: float
    losses_kms: dict[str, float]
    loss_alt_km: float
    flown_excess_kms: float

    @property
    def total_dv_kms(self) -> float:
        return self.ideal_dv_kms + self.flown_excess_kms

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site, "site_lat_deg": self.site_lat_deg,
                "target_alt_km": self.target_alt_km, "inclination_deg": self.inclination_deg,
                "azimuth_deg": self.azimuth_deg, "surface_speed_kms": self.surface_speed_kms,
                "rotation_gain_kms": self.rotation_gain_kms,
                "orbit_speed_kms": self.orbit_speed_kms, "ideal_dv_kms": self.ideal_dv_kms,
                "losses_kms": dict(self.losses_kms), "loss_alt_km": self.loss_alt_km,
                "flown_excess_kms": self.flown_excess_kms, "total_dv_kms": self.total_dv_kms,
                "loss_model": "Jaron 2005 (NASA Mars Ascent Team), 350 km orbit"
                if self.losses_kms == MAV_LOSSES_KMS and self.loss_alt_km == MAV_LOSS_ALT_KM
                else "given"}

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        return (f"AscentBudget: {self.site} to {self.target_alt_km:g} km at "
                f"{self.inclination_deg:g} deg, azimuth {self.azimuth_deg:.1f} deg, ideal "
                f"{self.ideal_dv_kms:.3f} km/s, total {self.total_dv_kms:.3f} km/s")


def ascent_budget(site: Any, target_alt_km: float, inc_deg: float, *,
                  losses: dict[str, float] | None = None,
                  loss_alt_km: float = MAV_LOSS_ALT_KM) -> AscentBudget:
    """The Mars Ascent Vehicle delta-v from the Mars ``site`` (catalog name or entry) to a
    circular orbit ``target_alt_km`` above the equatorial radius at inclination ``inc_deg``
    (prograde, northbound launch; see the module docstring). ``losses``: gravity, steering
    and drag losses (km/s) of a flown ascent to a circular orbit at ``loss_alt_km``, by
    default :data:`MAV_LOSSES_KMS` at 350 km (Jaron 2005).

    >>> b = ascent_budget("jezero", 343.0, 25.0)
    >>> round(b.azimuth_deg, 1), round(b.total_dv_kms, 2)
    (72.8, 3.57)

    Raises:
        ParameterError: a site off Mars, an altitude <= 0, or an inclination whose plane
        never passes over the site (names the inclinations that do).
    """
    from areo.bodies import body as _body
    from areo.frames.mars import MARS_ROTATION_RATE_RAD_S

    p = _site(site)
    name = getattr(site, "key", None) or (site if isinstance(site, str) else p.name)
    pos = np.asarray(p.position_km, dtype=float)
    r_s = float(np.linalg.norm(pos))
    lat = math.asin(pos[2] / r_s)  # planetocentric
    b = _body("mars")
    mu, req = float(b.gm_km3s2), float(b.equatorial_radius_km)
    alt = float(validate.positive(target_alt_km, "target_alt_km", unit="km", hint="e.g. 343"))
    inc = float(validate.in_range(inc_deg, "inc_deg", 0.0, 180.0, unit="deg"))
    lat_d = math.degrees(lat)
    if abs(lat_d) > min(inc, 180.0 - inc) + 1e-9:
        raise ParameterError(
            f"site {name} at latitude {lat_d:.2f} deg is beyond the reach of an orbit inclined "
            f"{inc:.2f} deg: give an inclination between {abs(lat_d):.2f} and "
            f"{180.0 - abs(lat_d):.2f} deg")
    s_az = max(-1.0, min(1.0, math.cos(math.radians(inc)) / math.cos(lat)))
    az = math.asin(s_az)  # northbound; retrograde orbits launch west of north
    v_rot = MARS_ROTATION_RATE_RAD_S * r_s * math.cos(lat)
    gain = v_rot * s_az

    def ideal(h: float) -> tuple[float, float]:
        """(ideal delta-v, circular speed) to a circular orbit ``h`` km up."""
        r = req + h
        a_t = 0.5 * (r_s + r)
        v_p = math.sqrt(mu * (2.0 / r_s - 1.0 / a_t))
        v_a = math.sqrt(mu * (2.0 / r - 1.0 / a_t))
        v_c = math.sqrt(mu / r)
        first = math.sqrt(max(v_p * v_p + v_rot * v_rot - 2.0 * v_p * v_rot * s_az, 0.0))
        return first + (v_c - v_a), v_c

    ls = dict(MAV_LOSSES_KMS if losses is None else losses)
    for k, v in ls.items():
        validate.non_negative(v, f"losses[{k!r}]", unit="km/s")
    h_ref = float(validate.positive(loss_alt_km, "loss_alt_km", unit="km", hint="e.g. 350"))
    dv, v_c = ideal(alt)
    dv_ref, v_ref = ideal(h_ref)
    excess = v_ref - gain + sum(float(v) for v in ls.values()) - dv_ref
    return AscentBudget(site=str(name), site_lat_deg=lat_d, target_alt_km=alt,
                        inclination_deg=inc, azimuth_deg=math.degrees(az) % 360.0,
                        surface_speed_kms=v_rot, rotation_gain_kms=gain,
                        orbit_speed_kms=v_c, ideal_dv_kms=dv,
                        losses_kms={k: float(v) for k, v in ls.items()},
                        loss_alt_km=h_ref, flown_excess_kms=excess)
