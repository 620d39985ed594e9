"""The entry-interface state: from a site and an entry time, or from the arrival hyperbola.

Two ways in:

- :func:`entry_from_site`: the vehicle's published entry conditions (inertial speed,
  flight-path angle, azimuth at the entry altitude) placed uprange of the target so that
  the nominal flight lands on it, at a given entry time.
- :func:`entry_from_arrival`: B-plane targeting from an arrival v-infinity (ICRF, e.g.
  ``Transfer.vinf_arrive_vec``). The hyperbola's energy gives the entry speed at the entry
  radius; the target flight-path angle gives the angular momentum, hence the impact
  parameter ``B = h / v_inf`` and the hyperbola; the plane through the asymptote that
  contains the site at the landing instant fixes the B-plane angle, and the entry time
  near the arrival is the one at which Mars's rotation brings the site to the downrange
  angle the nominal flight covers (Vallado 2013, sec. 12.6; Kizner 1961 for the B-plane).
  A few nominal flights refine the downrange angle, flight time and crossrange.

The entry time sets the landing time, and with it the landing LMST (Mars24).

>>> from areo.edl import entry_from_site
>>> e = entry_from_site("m2020", "jezero", "2021-02-18T20:36:00Z")
>>> e.miss_km < 0.1
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.edl import _kernels as K
from areo.edl.atmosphere import Atmosphere
from areo.edl.dynamics import FlightOptions, fly, local_state, mars_model
from areo.edl.vehicles import Vehicle, vehicle
from areo.errors import ParameterError
from areo.time import Time
from areo.validate import finite, in_range

__all__ = ["EntryState", "Target", "entry_from_arrival", "entry_from_site", "target"]


@dataclass(frozen=True)
class Target:
    """A landing target: name, planetocentric latitude, east longitude, ground altitude
    above the ellipsoid (km)."""

    name: str
    lat_deg: float
    lon_east_deg: float
    ground_alt_km: float


def target(site: Any, veh: Vehicle) -> Target:
    """The target from a catalog site name, a :class:`~areo.catalog.Site`, a ``(lat_deg,
    lon_east_deg)`` pair, or None (the vehicle's own target). The ground altitude is the
    vehicle's where the site is within 1 deg of its own target, else the site's height."""
    if isinstance(site, Target):
        return site
    if site is None:
        return Target(veh.key, veh.target_lat_deg, veh.target_lon_east_deg, veh.ground_alt_km)
    if isinstance(site, str):
        from areo.catalog import site as find

        s = find(site)
        if s.body != "mars":
            raise ParameterError(f"site {site!r} is on {s.body.capitalize()}, not Mars: give "
                                 "a Mars site (areo.catalog.sites()) or (lat_deg, lon_east_deg)")
        name, lat, lon, hk = s.key, s.lat_deg, s.lon_east_deg, s.height_km
    elif hasattr(site, "lat_deg") and hasattr(site, "lon_east_deg"):
        name, lat, lon = getattr(site, "key", "site"), site.lat_deg, site.lon_east_deg
        hk = float(getattr(site, "height_km", 0.0))
    else:
        try:
            lat, lon = (float(v) for v in site)
        except (TypeError, ValueError):
            raise ParameterError(f"site {site!r}: give a catalog name or (lat_deg, "
                                 "lon_east_deg)") from None
        name, hk = "site", 0.0
    in_range(lat, "site latitude", -90.0, 90.0, unit="deg")
    finite(lon, "site longitude", unit="deg")
    dlon = (float(lon) - veh.target_lon_east_deg + 180.0) % 360.0 - 180.0
    if abs(float(lat) - veh.target_lat_deg) < 1.0 and abs(dlon) < 1.0:
        hk = veh.ground_alt_km
    return Target(str(name), float(lat), float(lon) % 360.0, float(hk))


@dataclass(frozen=True)
class EntryState:
    """Entry-interface state of a vehicle and the nominal flight it leads to.

    ``state``: Mars-fixed (IAU_MARS) position km, velocity km/s, mass kg; the angles and
    speed are inertial, at the entry interface; ``miss_km``: the nominal landing's distance
    from the target after targeting.
    """

    vehicle: Vehicle
    target: Target
    epoch: Time
    state: np.ndarray
    lat_deg: float
    lon_east_deg: float
    alt_km: float
    speed_kms: float
    fpa_deg: float
    azimuth_deg: float
    flight_time_s: float
    miss_km: float
    method: str
    vinf_kms: float = math.nan
    bplane_angle_deg: float = math.nan

    @property
    def landing_epoch(self) -> Time:
        return Time.from_et(float(self.epoch.et) + self.flight_time_s)

    @property
    def landing_lmst_hours(self) -> float:
        """LMST at the target at the nominal landing (Mars24)."""
        from areo.time import mars_time

        return float(mars_time(self.landing_epoch, self.target.lon_east_deg).lmst_hours)

    def to_dict(self) -> dict[str, Any]:
        return {
            "vehicle": self.vehicle.key, "site": self.target.name,
            "entry_utc": str(self.epoch.utc_iso(decimals=3)),
            "landing_utc": str(self.landing_epoch.utc_iso(decimals=3)),
            "landing_lmst_hours": self.landing_lmst_hours,
            "lat_deg": self.lat_deg, "lon_east_deg": self.lon_east_deg, "alt_km": self.alt_km,
            "speed_kms": self.speed_kms, "fpa_deg": self.fpa_deg,
            "azimuth_deg": self.azimuth_deg, "flight_time_s": self.flight_time_s,
            "miss_km": self.miss_km, "method": self.method, "vinf_kms": self.vinf_kms,
            "bplane_angle_deg": self.bplane_angle_deg,
        }

    def to_json(self, **kw: Any) -> str:
        from areo.io.records import dumps

        return dumps(self.to_dict(), **kw)

    def __repr__(self) -> str:
        return (f"EntryState: {self.vehicle.key} to {self.target.name}, "
                f"{self.epoch.utc_iso(decimals=0)}, {self.speed_kms:.3f} km/s at "
                f"{self.alt_km:g} km, FPA {self.fpa_deg:.2f} deg, miss {self.miss_km:.2f} km")


def _dest(lat: float, lon: float, az: float, ang: float) -> tuple[float, float]:
    """Great-circle destination (rad) from (lat, lon) along azimuth ``az`` by angle
    ``ang``."""
    la2 = math.asin(math.sin(lat) * math.cos(ang) + math.cos(lat) * math.sin(ang) * math.cos(az))
    lo2 = lon + math.atan2(math.sin(az) * math.sin(ang) * math.cos(lat),
                           math.cos(ang) - math.sin(lat) * math.sin(la2))
    return la2, lo2


def _dist_km(la1: float, lo1: float, la2: float, lo2: float) -> float:
    c = (math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(lo2 - lo1))
    return math.acos(max(-1.0, min(1.0, c))) * mars_model()["re"]


def _planar(veh: Vehicle) -> Vehicle:
    """The vehicle flying its reference bank's vertical lift only, unguided: the planar
    reference trajectory that targeting and range-control guidance use."""
    from dataclasses import replace

    return replace(veh, guided=False, planar=True)


def reference_vehicle(veh: Vehicle, tgt: Target) -> Vehicle:
    """The nominal (reference) flight's vehicle: planar (see :func:`_planar`), on the
    target's ground, range triggers replaced by a speed trigger in the middle of their
    speed window (the nominal range-to-go there becomes the trigger's value)."""
    from dataclasses import replace

    evs = tuple(replace(e, trigger="speed_below", value=0.5 * (e.speed_hi_ms + e.speed_lo_ms))
                if e.trigger == "range_below" else e for e in veh.events)
    return replace(_planar(veh), ground_alt_km=tgt.ground_alt_km, events=evs)


def _fly_one(veh: Vehicle, tgt: Target, y0: np.ndarray, atmosphere: Any,
             options: FlightOptions | None, history: int = 0):
    v = reference_vehicle(veh, tgt)
    return fly(v, y0[None, :], atmosphere, target_deg=(tgt.lat_deg, tgt.lon_east_deg),
               options=options, history=history)


def entry_from_site(veh: str | Vehicle, site: Any = None, entry_utc: Any = None, *,
                    fpa_deg: float | None = None, azimuth_deg: float | None = None,
                    speed_kms: float | None = None, alt_km: float | None = None,
                    atmosphere: str | Atmosphere | None = None,
                    options: FlightOptions | None = None) -> EntryState:
    """The entry state that brings ``veh``'s nominal flight onto ``site`` (default: the
    vehicle's own target), entering at ``entry_utc`` with the vehicle's published (or the
    given) inertial speed, flight-path angle and azimuth.
    """
    v = vehicle(veh)
    tgt = target(site, v)
    if entry_utc is None:
        raise ParameterError("entry_utc is required: give the entry-interface time (UTC), "
                             "e.g. '2021-02-18T20:36Z', or use entry_from_arrival")
    epoch = entry_utc if isinstance(entry_utc, Time) else Time(entry_utc)
    fpa = float(in_range(v.entry_fpa_deg if fpa_deg is None else fpa_deg, "fpa_deg",
                         -60.0, -1.0, unit="deg", hint="entry is descending"))
    az = float(finite(v.entry_azimuth_deg if azimuth_deg is None else azimuth_deg,
                      "azimuth_deg", unit="deg"))
    sp = float(in_range(v.entry_speed_kms if speed_kms is None else speed_kms, "speed_kms",
                        3.0, 12.0, unit="km/s", hint="Mars arrivals enter at 4.5-7.5 km/s"))
    alt = float(in_range(v.entry_alt_km if alt_km is None else alt_km, "alt_km", 50.0, 200.0,
                         unit="km", hint="the atmosphere tables reach 200 km"))
    la_t, lo_t = math.radians(tgt.lat_deg), math.radians(tgt.lon_east_deg)
    # first guess: ~12 deg of downrange back along the approach azimuth
    ang = math.radians(12.0)
    la, lo = _dest(la_t, lo_t, math.radians(az) + math.pi, ang)
    miss = math.inf
    tf = math.nan
    y0 = np.zeros(7)
    for _ in range(8):
        y0 = local_state(math.degrees(la), math.degrees(lo), alt, sp, fpa, az, v.entry_mass_kg)
        out = _fly_one(v, tgt, y0, atmosphere, options)
        st = int(out.status[0])
        if st == K.S_SKIP:
            raise ParameterError(f"fpa_deg = {fpa:g} deg: {v.key} skips out of the "
                                 "atmosphere: give a steeper angle")
        if st == K.S_TIMEOUT:
            raise ParameterError(f"{v.key} does not reach the ground from this entry "
                                 "state within the time limit: check fpa_deg")
        lla, llo = out.land[0, K.L_LAT], out.land[0, K.L_LON]
        tf = out.land[0, K.L_T]
        miss = _dist_km(lla, llo, la_t, lo_t)
        if miss < 0.01:
            break
        la += la_t - lla  # translate the entry point by the landing error
        lo += ((lo_t - llo + math.pi) % (2 * math.pi)) - math.pi
    if miss > 1.0:
        raise ParameterError(f"the nominal flight of {v.key} cannot be brought onto "
                             f"{tgt.name} (miss {miss:.1f} km): check the entry conditions")
    return EntryState(v, tgt, epoch, y0, math.degrees(la), math.degrees(lo) % 360.0, alt, sp,
                      fpa, az % 360.0, float(tf), float(miss), "site")


def _icrf_site(tgt: Target, et: float) -> np.ndarray:
    from areo.frames.mars import from_iau_mars

    la, lo = math.radians(tgt.lat_deg), math.radians(tgt.lon_east_deg)
    u = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    return np.asarray(from_iau_mars(u, et))


def entry_from_arrival(veh: str | Vehicle, site: Any, vinf_icrf_kms: Any, arrival: Any, *,
                       fpa_deg: float | None = None, alt_km: float | None = None,
                       atmosphere: str | Atmosphere | None = None,
                       options: FlightOptions | None = None,
                       window_hours: float = 14.0) -> EntryState:
    """B-plane targeting: the entry state on the arrival hyperbola of v-infinity
    ``vinf_icrf_kms`` (Mars-relative, ICRF, km/s) whose nominal flight lands on ``site``,
    entering within ``window_hours`` of ``arrival`` (the time nearest to it).

    Raises :class:`~areo.errors.ParameterError` when no plane through the asymptote
    reaches the site in that window (a site too far from the approach declination).
    """
    from scipy.optimize import brentq

    from areo.frames.mars import to_iau_mars

    v = vehicle(veh)
    tgt = target(site, v)
    vinf = finite(np.asarray(vinf_icrf_kms, dtype=float), "vinf_icrf_kms", unit="km/s")
    if vinf.shape != (3,):
        raise ParameterError("vinf_icrf_kms must be one 3-vector (km/s), e.g. "
                             "Transfer.vinf_arrive_vec")
    vi = float(np.linalg.norm(vinf))
    in_range(vi, "|vinf|", 0.5, 10.0, unit="km/s", hint="Mars arrivals have 2-6 km/s")
    t_a = arrival if isinstance(arrival, Time) else Time(arrival)
    fpa = float(in_range(v.entry_fpa_deg if fpa_deg is None else fpa_deg, "fpa_deg",
                         -60.0, -1.0, unit="deg"))
    alt = float(in_range(v.entry_alt_km if alt_km is None else alt_km, "alt_km", 50.0, 200.0,
                         unit="km"))
    mm = mars_model()
    mu = mm["mu"]
    lat_t = math.radians(tgt.lat_deg)  # entry radius: the ellipsoid near the target + alt
    r_ei = mm["re"] * mm["rp"] / math.hypot(mm["rp"] * math.cos(lat_t),
                                            mm["re"] * math.sin(lat_t)) + alt
    sp = math.sqrt(vi * vi + 2.0 * mu / r_ei)
    g = math.radians(fpa)
    h = r_ei * sp * math.cos(g)
    e = math.sqrt(1.0 + (vi * h / mu) ** 2)
    p = h * h / mu
    f_ei = -math.acos(max(-1.0, min(1.0, (p / r_ei - 1.0) / e)))
    f_inf = math.acos(-1.0 / e)
    s = vinf / vi
    # downrange angle and flight time of the nominal flight: first from a site-based entry
    try:
        first = entry_from_site(v, tgt, t_a, fpa_deg=fpa, speed_kms=sp, alt_km=alt,
                                azimuth_deg=v.entry_azimuth_deg, atmosphere=atmosphere,
                                options=options)
        tf = first.flight_time_s
        phi = _dist_km(math.radians(first.lat_deg), math.radians(first.lon_east_deg),
                       math.radians(tgt.lat_deg), math.radians(tgt.lon_east_deg)) / mm["re"]
    except ParameterError:  # e.g. near a pole: start from typical values
        tf, phi = 300.0, math.radians(12.0)
    # aim at a virtual target, moved by each flight's landing error (as entry_from_site
    # moves its entry point): the geometry below is exact for a point that the flight
    # reaches at the downrange angle phi after tf seconds
    aim = Target(tgt.name, tgt.lat_deg, tgt.lon_east_deg, tgt.ground_alt_km)
    t0 = float(t_a.et)
    best = None
    te_prev = None
    for _ in range(8):
        need = f_ei + f_inf + phi

        def angle_gap(te: float, need: float = need, tf: float = tf, aim: Target = aim
                      ) -> float:
            u = _icrf_site(aim, te + tf)
            return math.acos(max(-1.0, min(1.0, float(-s @ u)))) - need

        grid = t0 + np.arange(-window_hours, window_hours + 1e-9, 0.1) * 3600.0
        vals = np.array([angle_gap(x) for x in grid])
        roots = [brentq(angle_gap, grid[k], grid[k + 1], xtol=1e-4)
                 for k in np.nonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))[0]]
        if not roots:
            raise ParameterError(
                f"site {tgt.name!r} is not reachable from this arrival within "
                f"{window_hours:g} h of {t_a.utc_iso(decimals=0)}: the site never comes to "
                f"{math.degrees(need):.1f} deg from the incoming asymptote (declination "
                "too far from the approach); choose another arrival date or site")
        te = min(roots, key=lambda x: abs(x - (t0 if te_prev is None else te_prev)))
        te_prev = te
        u = _icrf_site(aim, te + tf)
        a_ang = math.acos(max(-1.0, min(1.0, float(-s @ u))))
        w = (u + math.cos(a_ang) * s) / math.sin(a_ang)
        beta = f_ei + f_inf
        rhat = math.cos(beta) * (-s) + math.sin(beta) * w
        that = math.sin(beta) * s + math.cos(beta) * w
        vel = sp * (math.sin(g) * rhat + math.cos(g) * that)
        bf = np.asarray(to_iau_mars(np.concatenate([r_ei * rhat, vel]), te))
        y0 = np.concatenate([bf, [v.entry_mass_kg]])
        out = _fly_one(v, tgt, y0, atmosphere, options)
        if int(out.status[0]) == K.S_SKIP:
            raise ParameterError(f"fpa_deg = {fpa:g} deg: {v.key} skips out of the "
                                 "atmosphere: give a steeper angle")
        lla, llo = out.land[0, K.L_LAT], out.land[0, K.L_LON]
        tf_new = float(out.land[0, K.L_T])
        land_icrf = _icrf_site(Target("", math.degrees(lla), math.degrees(llo), 0.0),
                               te + tf_new)
        phi = math.acos(max(-1.0, min(1.0, float(rhat @ land_icrf))))
        miss = _dist_km(lla, llo, math.radians(tgt.lat_deg), math.radians(tgt.lon_east_deg))
        best = (te, y0, tf_new, miss, w)
        tf = tf_new
        if miss < 0.02:
            break
        dlat = tgt.lat_deg - math.degrees(lla)
        dlon = (tgt.lon_east_deg - math.degrees(llo) + 180.0) % 360.0 - 180.0
        aim = Target(aim.name, aim.lat_deg + dlat, aim.lon_east_deg + dlon, aim.ground_alt_km)
    assert best is not None
    te, y0, tf, miss, w = best
    r = y0[:3]
    rr = float(np.linalg.norm(r))
    la, lo = math.asin(r[2] / rr), math.atan2(r[1], r[0])
    up = r / rr
    east = np.array([-math.sin(lo), math.cos(lo), 0.0])
    north = np.cross(up, east)
    vin = y0[3:6] + np.cross([0.0, 0.0, mm["omega"]], r)
    az = math.degrees(math.atan2(float(vin @ east), float(vin @ north))) % 360.0
    fpa_out = math.degrees(math.asin(float(vin @ up) / float(np.linalg.norm(vin))))
    alt_out = rr - mm["re"] * mm["rp"] / math.hypot(mm["rp"] * math.cos(la),
                                                    mm["re"] * math.sin(la))
    bpl = _bplane_angle(s, np.cross(-s, w))
    return EntryState(v, tgt, Time.from_et(te), y0, math.degrees(la),
                      math.degrees(lo) % 360.0, float(alt_out), float(np.linalg.norm(vin)),
                      fpa_out, az, float(tf), float(miss), "arrival", vi, bpl)


def _bplane_angle(s: np.ndarray, h_dir: np.ndarray) -> float:
    """B-plane angle (deg) of the trajectory: the angle of B from T, T = unit(s x k) in the
    ICRF (k the ICRF pole), R = s x T (Kizner 1961 convention)."""
    t_ax = np.cross(s, [0.0, 0.0, 1.0])
    t_ax /= np.linalg.norm(t_ax)
    r_ax = np.cross(s, t_ax)
    b_dir = np.cross(s, h_dir)  # B points from the planet to the asymptote's crossing
    return math.degrees(math.atan2(float(b_dir @ r_ax), float(b_dir @ t_ax))) % 360.0
