"""Batch flight of entry vehicles: tables for the compiled kernel and the call itself.

:func:`fly` takes entry states in the Mars-fixed frame (IAU_MARS, km, km/s, kg), a vehicle
and an atmosphere, and returns every trajectory's landing, event, peak and separated-body
figures as arrays (:class:`FlightArrays`). Mars's GM and radii come from
:mod:`areo.bodies`, J2 from the catalog (``mars.toml``), the rotation rate from
:mod:`areo.frames.mars` (IAU 2015).

>>> import numpy as np
>>> from areo.edl.dynamics import fly, FlightOptions, local_state
>>> from areo.edl import vehicle
>>> v = vehicle("msl")
>>> y0 = local_state(-4.6, 130.0, 125.0, 5.845, -15.5, 100.0, v.entry_mass_kg)
>>> out = fly(v, y0[None, :], "exponential", target_deg=(-4.6, 137.4))
>>> int(out.status[0])
0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo._numba import inp, run
from areo.constants import STANDARD_GRAVITY_M_S2
from areo.edl import _kernels as K
from areo.edl.atmosphere import Atmosphere, model
from areo.edl.vehicles import _LAWS, KINDS, TRIGGERS, Event, Vehicle
from areo.validate import in_range

__all__ = ["FlightArrays", "FlightOptions", "event_table", "fly", "local_state", "mars_model"]

#: Batches at least this large run in chunks on the kernel thread pool.
_PARALLEL_MIN = 64


@functools.cache
def mars_model() -> dict[str, float]:
    """GM (km^3/s^2), J2, equatorial and polar radii (km), rotation rate (rad/s)."""
    from areo.bodies import body
    from areo.catalog import constant
    from areo.frames.mars import MARS_ROTATION_RATE_RAD_S

    b = body("mars")
    return {"mu": float(b.gm_km3s2), "j2": float(constant("j2").value),
            "re": float(b.equatorial_radius_km), "rp": float(b.polar_radius_km),
            "omega": float(MARS_ROTATION_RATE_RAD_S)}


@dataclass(frozen=True)
class FlightOptions:
    """Integration settings (steps in s; see :mod:`areo.edl._kernels`).

    - ``step_entry_s``: RK4 step of the hypersonic phase (default 3).
    - ``step_chute_s``: under parachutes (default 4; inflation at an eighth of its time).
    - ``step_terminal_s``: powered descent, free fall and below ``terminal_alt_km`` (1).
    - ``step_body_s``: separated hardware (default 4).
    - ``step_coast_s``: entry above the sensible atmosphere, where the drag deceleration is
      below ``coast_accel_ms2`` (defaults 8 s, 0.5 m/s^2).

    The defaults move an MSL or MER landing point and its hardware by < 10 m from a
    0.05 s-step reference (``tests/edl``).
    - ``max_time_s``: a trajectory still flying then is reported as timed out (1800).
    - ``skip_km``: climbing this far above the entry altitude counts as a skip-out (5).
    - ``wave_km``: wavelength of the altitude-correlated density term (default 20).
    - ``terminal_alt_km``: altitude above ground below which the terminal step is used (0.3).
    - ``atm_step_km``: altitude step of the atmosphere table (default 0.25).
    """

    step_entry_s: float = 3.0
    step_chute_s: float = 4.0
    step_terminal_s: float = 1.0
    step_body_s: float = 4.0
    step_coast_s: float = 8.0
    coast_accel_ms2: float = 0.5
    max_time_s: float = 1800.0
    skip_km: float = 5.0
    wave_km: float = 20.0
    terminal_alt_km: float = 0.3
    atm_step_km: float = 0.25

    def __post_init__(self) -> None:
        in_range(self.coast_accel_ms2, "coast_accel_ms2", 0.0, 100.0, unit="m/s^2")
        for f in ("step_entry_s", "step_chute_s", "step_terminal_s", "step_body_s",
                  "step_coast_s"):
            in_range(getattr(self, f), f, 1e-4, 10.0, unit="s")
        in_range(self.max_time_s, "max_time_s", 1.0, 86400.0, unit="s")
        in_range(self.skip_km, "skip_km", 0.0, 1000.0, unit="km")
        in_range(self.wave_km, "wave_km", 0.1, 1000.0, unit="km")
        in_range(self.terminal_alt_km, "terminal_alt_km", 0.0, 50.0, unit="km")
        in_range(self.atm_step_km, "atm_step_km", 0.01, 5.0, unit="km")

    def array(self) -> np.ndarray:
        mm = mars_model()
        o = np.zeros(K.NO)
        o[K.O_H_ENTRY] = self.step_entry_s
        o[K.O_H_CHUTE] = self.step_chute_s
        o[K.O_H_TERM] = self.step_terminal_s
        o[K.O_H_BODY] = self.step_body_s
        o[K.O_TMAX] = self.max_time_s
        o[K.O_ALT_EXIT] = self.skip_km
        o[K.O_WAVE_KM] = self.wave_km
        o[K.O_HIST_EVERY] = 1.0
        o[K.O_MU] = mm["mu"]
        o[K.O_J2] = mm["j2"]
        o[K.O_RE] = mm["re"]
        o[K.O_RP] = mm["rp"]
        o[K.O_OMEGA] = mm["omega"]
        o[K.O_G0] = STANDARD_GRAVITY_M_S2
        o[K.O_TERM_ALT] = self.terminal_alt_km
        o[K.O_H_COAST] = self.step_coast_s
        o[K.O_A_COAST] = self.coast_accel_ms2
        return o


def local_state(lat_deg: float, lon_east_deg: float, alt_km: float, speed_kms: float,
                fpa_deg: float, azimuth_deg: float, mass_kg: float, *,
                inertial: bool = True) -> np.ndarray:
    """A Mars-fixed state (x, y, z km; vx, vy, vz km/s; mass kg) from planetocentric
    latitude, east longitude, altitude above the ellipsoid, speed, flight-path angle and
    azimuth (from north, clockwise). With ``inertial`` (the default, as entry conditions
    are published) speed, angle and azimuth describe the inertial velocity and the
    rotation ``w x r`` is taken off."""
    mm = mars_model()
    lat, lon = math.radians(lat_deg), math.radians(lon_east_deg)
    rl = mm["re"] * mm["rp"] / math.hypot(mm["rp"] * math.cos(lat), mm["re"] * math.sin(lat))
    r = rl + alt_km
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.cross(up, east)
    g, a = math.radians(fpa_deg), math.radians(azimuth_deg)
    v = speed_kms * (math.sin(g) * up + math.cos(g) * (math.cos(a) * north + math.sin(a) * east))
    pos = r * up
    if inertial:
        v = v - np.cross([0.0, 0.0, mm["omega"]], pos)
    return np.concatenate([pos, v, [mass_kg]])


def event_table(veh: Vehicle, events: tuple[Event, ...] | None = None
                ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The kernel's event table (nev, NC), the nominal thresholds (nev,) and the names of
    the body slots (separated hardware, then a fly-away stage)."""
    evs = veh.events if events is None else events
    ev = np.zeros((len(evs), K.NC))
    thr = np.zeros(len(evs))
    bodies: list[str] = []
    for j, e in enumerate(evs):
        ev[j, K.E_KIND] = KINDS[e.kind]
        ev[j, K.E_TRIG] = TRIGGERS[e.trigger]
        ev[j, K.E_CDA] = e.cda_m2
        ev[j, K.E_TINF] = e.inflation_s
        ev[j, K.E_CHUTE] = e.chute
        ev[j, K.E_MDROP] = e.mass_drop_kg
        ev[j, K.E_BCDA] = e.body_cda_m2 if e.body else -1.0
        ev[j, K.E_BODY] = -1
        if e.body and e.body_cda_m2 > 0 and e.mass_drop_kg > 0:
            ev[j, K.E_BODY] = len(bodies)
            bodies.append(e.body)
        ev[j, K.E_THRUST] = e.thrust_n
        ev[j, K.E_ISP] = e.isp_s if e.isp_s > 0 else 300.0
        ev[j, K.E_MODE] = _LAWS[e.law]
        ev[j, K.E_VTD] = e.stop_height_m if e.law == "gravity_turn" else e.touchdown_ms
        ev[j, K.E_ANOM] = e.decel_ms2
        ev[j, K.E_VAL] = e.sensed_alt_km
        ev[j, K.E_VHI] = e.speed_hi_ms
        ev[j, K.E_VLO] = e.speed_lo_ms
        ev[j, K.E_ARM] = 1.0 if e.armed_after_peak else 0.0
        thr[j] = e.value
    if veh.flyaway_mass_kg > 0:
        bodies.append("descent stage")
    if len(bodies) > K.NBMAX:
        from areo.errors import ParameterError

        raise ParameterError(f"vehicle {veh.key!r} leaves {len(bodies)} bodies behind: at "
                             f"most {K.NBMAX} are flown")
    return ev, thr, bodies


def vehicle_array(veh: Vehicle, target_xyz: np.ndarray, rref_dv: float) -> np.ndarray:
    """The kernel's vehicle scalars."""
    a = np.zeros(K.NV)
    a[K.V_CDA] = veh.cda_m2
    a[K.V_LOD] = veh.lift_to_drag
    a[K.V_BANK] = math.radians(veh.bank_deg)
    a[K.V_RN] = veh.nose_radius_m
    a[K.V_GUIDED] = 1.0 if veh.guided else 0.0
    a[K.V_GND] = veh.ground_alt_km
    a[K.V_TDMAX] = veh.touchdown_max_ms
    a[K.V_FLY_MASS] = veh.flyaway_mass_kg
    a[K.V_FLY_CDA] = veh.flyaway_cda_m2
    a[K.V_FLY_THRUST] = veh.flyaway_thrust_n
    a[K.V_FLY_TIME] = veh.flyaway_time_s
    a[K.V_FLY_PITCH] = math.radians(veh.flyaway_pitch_deg)
    a[K.V_FLY_SLOT] = -1
    a[K.V_GAIN] = veh.guidance_gain_per_km
    a[K.V_VEND] = veh.guidance_end_kms
    a[K.V_DB0] = 0.5  # crossrange deadband: 0.5 km + 1 km per km/s (representative)
    a[K.V_DB1] = 1.0
    a[K.V_TX:K.V_TX + 3] = target_xyz
    east = np.array([-target_xyz[1], target_xyz[0], 0.0])
    east = east / max(float(np.linalg.norm(east)), 1e-12)
    a[K.V_TE:K.V_TE + 3] = east
    a[K.V_TN:K.V_TN + 3] = np.cross(target_xyz, east)
    a[K.V_RREF_DV] = rref_dv
    a[K.V_FLY_DH] = veh.flyaway_rise_m / 1000.0
    a[K.V_DRAGK] = 1.0
    a[K.V_PLANAR] = 1.0 if veh.planar else 0.0
    return a


@dataclass
class FlightArrays:
    """Raw results of a batch (angles in radians, SI otherwise; see the kernel)."""

    land: np.ndarray  # (n, NL)
    peak: np.ndarray  # (n, NP)
    events: np.ndarray  # (n, nev, NEV_OUT)
    bodies: np.ndarray  # (n, NBMAX, NB_OUT)
    hist: np.ndarray  # (nh, npts, NH)
    body_names: list[str] = field(default_factory=list)
    event_names: list[str] = field(default_factory=list)

    @property
    def status(self) -> np.ndarray:
        return self.land[:, K.L_STATUS].astype(int)


#: Speed step (km/s) and top (km/s) of the reference tables (bank profile, guidance).
REF_DV = 0.01
REF_TOP = 9.0


def bank_column(veh: Vehicle) -> np.ndarray:
    """The reference bank (rad) on the speed grid ``k * REF_DV`` up to ``REF_TOP``."""
    grid = np.arange(0.0, REF_TOP + REF_DV / 2, REF_DV)
    if not veh.bank_profile:
        return np.full(grid.size, math.radians(veh.bank_deg))
    sp = np.array([a for a, _ in veh.bank_profile], dtype=float)
    bk = np.radians(np.array([b for _, b in veh.bank_profile], dtype=float))
    return np.interp(grid, sp, bk)


def target_vector(lat_deg: float, lon_east_deg: float) -> np.ndarray:
    lat, lon = math.radians(lat_deg), math.radians(lon_east_deg)
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon),
                     math.sin(lat)])


def fly(veh: Vehicle, y0: Any, atmosphere: str | Atmosphere | None = None, *,
        target_deg: tuple[float, float] | None = None, thresholds: Any = None,
        disp: Any = None, events: tuple[Event, ...] | None = None,
        rref: Any = None, rref_dv: float = 0.0, options: FlightOptions | None = None,
        history: int = 0, history_points: int = 20000,
        physics: dict[str, float] | None = None) -> FlightArrays:
    """Fly the entry states ``y0`` (n, 7) of ``veh`` to the ground (see module docstring).

    ``thresholds`` (n, nev) and ``disp`` (n, ND) default to the nominal values (no
    dispersion); ``history`` keeps the time history of the first that many trajectories.
    ``physics`` overrides Mars's ``mu``, ``j2``, ``omega`` (for closed-form checks).
    """
    opts = options or FlightOptions()
    atm = model(atmosphere)
    y = np.atleast_2d(np.asarray(y0, dtype=float))
    n = y.shape[0]
    ev, thr0, bodies = event_table(veh, events)
    if target_deg is None:
        target_deg = (veh.target_lat_deg, veh.target_lon_east_deg)
    va = vehicle_array(veh, target_vector(*target_deg), rref_dv)
    if veh.flyaway_mass_kg > 0:
        va[K.V_FLY_SLOT] = len(bodies) - 1
    thr = np.broadcast_to(thr0, (n, len(thr0))) if thresholds is None else thresholds
    if disp is None:
        disp = nominal_disp(n)
    tab = atm.grid(-10.0, 200.0, opts.atm_step_km, opts.wave_km)
    if rref is None:  # the bank profile alone (no range control)
        rr = np.zeros((round(REF_TOP / REF_DV) + 1, 3))
        rr[:, 2] = bank_column(veh)
        va[K.V_RREF_DV] = REF_DV
        va[K.V_RANGECTL] = 0.0
    else:
        rr = np.asarray(rref, dtype=float)
    o = opts.array()
    for k, v in (physics or {}).items():
        o[{"mu": K.O_MU, "j2": K.O_J2, "omega": K.O_OMEGA}[k]] = float(v)
    nh = min(history, n)
    land = np.empty((n, K.NL))
    peak = np.empty((n, K.NP))
    out_ev = np.empty((n, len(thr0), K.NEV_OUT))
    out_b = np.empty((n, K.NBMAX, K.NB_OUT))
    hist = np.empty((nh, history_points if nh else 1, K.NH))
    if len(thr0) == 0:  # a kernel table needs a row: a never-firing one
        ev = np.zeros((1, K.NC))
        ev[0, K.E_TRIG] = TRIGGERS["time_after"]
        ev[0, K.E_CDA] = -1.0
        ev[0, K.E_BCDA] = -1.0
        ev[0, K.E_BODY] = -1.0
        thr = np.full((n, 1), 1e12)
        out_ev = np.empty((n, 1, K.NEV_OUT))
    run(K.fly_batch, n, (inp(y), inp(thr), inp(disp), inp(ev), inp(va), inp(tab), inp(rr),
                         inp(o), land, peak, out_ev, out_b, hist), _PARALLEL_MIN)
    if len(thr0) == 0:
        out_ev = out_ev[:, :0]
    return FlightArrays(land, peak, out_ev, out_b, hist, bodies,
                        [e.name for e in (veh.events if events is None else events)])


def nominal_disp(n: int) -> np.ndarray:
    """Dispersion rows that change nothing (multipliers 1, offsets 0)."""
    d = np.zeros((n, K.ND))
    for c in (K.D_CDA, K.D_LOD, K.D_RHO, K.D_CHUTE1, K.D_CHUTE2, K.D_WIND, K.D_THRUST):
        d[:, c] = 1.0
    return d
