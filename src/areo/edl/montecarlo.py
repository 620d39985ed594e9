"""Monte Carlo entry, descent and landing: dispersed runs, landing ellipse, hardware.

:func:`plan_monte_carlo` prepares everything a run needs (nominal reference flight,
guidance table, range-trigger value, tables for the kernel); :func:`run_chunk` flies one
chunk of runs and is a pure function of (plan, chunk seed, chunk id), the contract of
:mod:`areo._batch` (the sweep engine): chunk ``k`` of a Monte Carlo with seed ``s`` draws
from ``default_rng(chunk_seeds(s, K)[k])``, the 63-bit seed spawned from
``SeedSequence(s).spawn(K)[k]`` (independent of ``K``), so any chunk can be rerun alone,
anywhere, and ``monte_carlo(..., client=...)`` on Dask gives the runs of the in-process
loop bit for bit. Run 0 is the nominal (undispersed) flight; runs 1.. are dispersed.
:func:`monte_carlo` does it all and returns a :class:`MonteCarlo` result.

>>> from areo.edl import monte_carlo
>>> mc = monte_carlo("m2020", "jezero", "2021-02-18T20:36Z", runs=201, seed=1)
>>> mc.landed_fraction > 0.9
True
"""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from areo.constants import STANDARD_GRAVITY_M_S2 as G0
from areo.edl import _kernels as K
from areo.edl.atmosphere import Atmosphere, model
from areo.edl.dynamics import (
    FlightOptions,
    event_table,
    mars_model,
    nominal_disp,
    target_vector,
    vehicle_array,
)
from areo.edl.ellipse import Ellipse, bearing_distance, fit_ellipse, inside_polygon, to_local
from areo.edl.entry import EntryState, entry_from_site, reference_vehicle
from areo.edl.vehicles import TRIGGERS, Vehicle
from areo.errors import ParameterError
from areo.validate import in_range

__all__ = ["CHUNK", "MAX_RUNS", "Dispersions", "MonteCarlo", "MonteCarloPlan", "monte_carlo",
           "plan_monte_carlo", "run_chunk"]

#: Runs per chunk (a chunk's random stream is fixed by its id: do not change lightly).
CHUNK = 1024
#: Most runs one Monte Carlo accepts (a 1e6-run set is ~1 GB of results).
MAX_RUNS = 1_000_000

STATUS_NAMES = {K.S_LANDED: "landed", K.S_HARD: "hard impact", K.S_SKIP: "skip-out",
                K.S_TIMEOUT: "timeout"}


@dataclass(frozen=True)
class Dispersions:
    """1-sigma dispersions (normal draws). Fractions are relative (0.1 = 10 %).

    - Entry state: ``efpa_sigma_deg`` (None: the vehicle's catalog value),
      ``speed_sigma_ms``, ``azimuth_sigma_deg``, ``position_sigma_km`` (east and north);
      or ``covariance``: a 6x6 covariance of the entry state in the entry point's local
      East-North-Up frame (km, km/s), which replaces those four.
    - ``navigation_km``: the navigation's knowledge error of the position relative to the
      target (east and north), which guided vehicles and range triggers steer to.
    - ``mass``, ``cd``, ``lift_to_drag``, ``chute_cd``, ``thrust``: fractions.
    - Atmosphere: ``density`` (per-trajectory scale), ``scale_height`` (fractional change
      of the scale height), ``density_wave`` (amplitude of the altitude-correlated term),
      ``wind`` (multiplier on the wind profile), ``table_band`` (sigmas of a normal draw
      on the profile's own density band, a user table's rho_low/rho_high as -/+1 sigma;
      no effect without a band).
    - Triggers: ``trigger`` (fraction of Mach/q/speed/range thresholds), ``trigger_alt_km``,
      ``trigger_time_s`` (an altitude trigger's sigma is at most ``trigger`` times its
      value, so a cut-off a few metres up stays a few metres up).
    """

    efpa_sigma_deg: float | None = None
    speed_sigma_ms: float = 2.0
    azimuth_sigma_deg: float = 0.05
    position_sigma_km: float = 1.5
    covariance: Any = None
    navigation_km: float = 1.0
    mass: float = 0.005
    cd: float = 0.03
    lift_to_drag: float = 0.05
    chute_cd: float = 0.05
    thrust: float = 0.02
    density: float = 0.08
    scale_height: float = 0.03
    density_wave: float = 0.03
    wind: float = 0.5
    table_band: float = 1.0
    trigger: float = 0.02
    trigger_alt_km: float = 0.02
    trigger_time_s: float = 0.3

    def __post_init__(self) -> None:
        for f in ("speed_sigma_ms", "azimuth_sigma_deg", "position_sigma_km", "navigation_km",
                  "mass", "cd",
                  "lift_to_drag", "chute_cd", "thrust", "density", "scale_height",
                  "density_wave", "wind", "table_band", "trigger", "trigger_alt_km",
                  "trigger_time_s"):
            in_range(getattr(self, f), f, 0.0, 100.0, what="for a 1-sigma dispersion")
        if self.efpa_sigma_deg is not None:
            in_range(self.efpa_sigma_deg, "efpa_sigma_deg", 0.0, 5.0, unit="deg")
        if self.covariance is not None:
            c = np.asarray(self.covariance, dtype=float)
            if c.shape != (6, 6) or not np.all(np.isfinite(c)) or not np.allclose(c, c.T):
                raise ParameterError("covariance must be a finite symmetric 6x6 matrix (ENU "
                                     "position km, velocity km/s)")
            if np.min(np.linalg.eigvalsh(c)) < -1e-12 * max(1.0, float(np.max(np.abs(c)))):
                raise ParameterError("covariance must be positive semi-definite")

    @classmethod
    def none(cls) -> Dispersions:
        """No dispersion at all (every run is the nominal)."""
        z = {f: 0.0 for f in ("speed_sigma_ms", "azimuth_sigma_deg", "position_sigma_km",
                              "navigation_km",
                              "mass", "cd", "lift_to_drag", "chute_cd", "thrust", "density",
                              "scale_height", "density_wave", "wind", "table_band", "trigger",
                              "trigger_alt_km", "trigger_time_s")}
        return cls(efpa_sigma_deg=0.0, **z)


@dataclass
class MonteCarloPlan:
    """Everything a chunk needs: pure inputs, no state between chunks."""

    entry: EntryState
    vehicle: Vehicle  # the flown vehicle (range trigger value filled in)
    atmosphere: Atmosphere
    dispersions: Dispersions
    options: FlightOptions
    runs: int
    ev: np.ndarray
    thr0: np.ndarray
    body_names: list[str]
    veh_arr: np.ndarray
    atm_tab: np.ndarray
    rref: np.ndarray
    opt_arr: np.ndarray
    scale_height_km: float

    @property
    def chunks(self) -> int:
        return (self.runs + CHUNK - 1) // CHUNK

    def chunk(self, seed: int, chunk: int, *, history: int = 0) -> dict[str, np.ndarray]:
        """Fly chunk ``chunk`` (runs ``chunk*CHUNK`` to the next chunk or ``runs``) of the
        Monte Carlo with seed ``seed``."""
        from areo._batch import chunk_seeds

        return self.fly_chunk(chunk_seeds(int(seed), chunk + 1)[chunk], chunk,
                              history=history)

    def fly_chunk(self, chunk_seed: int, chunk: int, *, history: int = 0
                  ) -> dict[str, np.ndarray]:
        """Fly chunk ``chunk`` drawing from ``default_rng(chunk_seed)``."""
        lo = chunk * CHUNK
        hi = min(self.runs, lo + CHUNK)
        if not 0 <= lo < self.runs:
            raise ParameterError(f"chunk {chunk} is outside 0..{self.chunks - 1}")
        n = hi - lo
        rng = np.random.default_rng(int(chunk_seed))
        y0, disp, thr, drawn = self._draw(rng, n)
        if lo == 0:  # run 0: the nominal flight
            y0[0] = self.entry.state
            disp[0] = nominal_disp(1)[0]
            thr[0] = self.thr0
            for k in drawn:
                drawn[k][0] = 0.0 if k.endswith("_d") else 1.0
        from areo._numba import inp, run
        from areo.edl.dynamics import _PARALLEL_MIN

        nev = self.ev.shape[0]
        land = np.empty((n, K.NL))
        peak = np.empty((n, K.NP))
        out_ev = np.empty((n, nev, K.NEV_OUT))
        out_b = np.empty((n, K.NBMAX, K.NB_OUT))
        nh = min(history, n)
        hist = np.empty((nh, 20000 if nh else 1, K.NH))
        run(K.fly_batch, n, (inp(y0), inp(thr), inp(disp), inp(self.ev), inp(self.veh_arr),
                             inp(self.atm_tab), inp(self.rref), inp(self.opt_arr), land, peak,
                             out_ev, out_b, hist), _PARALLEL_MIN)
        return {"run": np.arange(lo, hi), "land": land, "peak": peak, "events": out_ev,
                "bodies": out_b, "hist": hist, **{k: v for k, v in drawn.items()}}

    def _draw(self, rng: np.random.Generator, n: int):
        dp = self.dispersions
        v = self.vehicle
        e = self.entry
        y = np.tile(e.state, (n, 1))
        r = e.state[:3]
        rr = float(np.linalg.norm(r))
        up = r / rr
        lo = math.atan2(r[1], r[0])
        east = np.array([-math.sin(lo), math.cos(lo), 0.0])
        north = np.cross(up, east)
        basis = np.vstack([east, north, up])  # rows: E, N, U
        z = rng.standard_normal((n, 6))
        if dp.covariance is not None:
            c = np.asarray(dp.covariance, dtype=float)
            w, vec = np.linalg.eigh(c)
            dx = z @ (vec * np.sqrt(np.clip(w, 0.0, None))).T  # (n, 6) in ENU
            y[:, :3] += dx[:, :3] @ basis
            y[:, 3:6] += dx[:, 3:6] @ basis
            defpa = np.zeros(n)
        else:
            # inertial speed, flight-path angle and azimuth perturbed at the entry point
            om = np.array([0.0, 0.0, mars_model()["omega"]])
            vin = e.state[3:6] + np.cross(om, r)
            ve, vn, vu = basis @ vin
            sp = float(np.linalg.norm(vin))
            gam = math.asin(vu / sp)
            az = math.atan2(ve, vn)
            s_efpa = v.efpa_sigma_deg if dp.efpa_sigma_deg is None else dp.efpa_sigma_deg
            defpa = z[:, 0] * s_efpa
            g = gam + np.radians(defpa)
            a = az + np.radians(z[:, 1] * dp.azimuth_sigma_deg)
            s = sp + z[:, 2] * dp.speed_sigma_ms / 1000.0
            vloc = np.stack([s * np.cos(g) * np.sin(a), s * np.cos(g) * np.cos(a),
                             s * np.sin(g)], axis=1)
            pos = r + (z[:, 3:4] * east + z[:, 4:5] * north) * dp.position_sigma_km
            y[:, :3] = pos
            y[:, 3:6] = vloc @ basis - np.cross(om, pos)
        u = rng.standard_normal((n, 12))
        y[:, 6] = e.state[6] * np.clip(1.0 + u[:, 0] * dp.mass, 0.5, 1.5)
        d = nominal_disp(n)
        d[:, K.D_CDA] = np.clip(1.0 + u[:, 1] * dp.cd, 0.5, 1.5)
        d[:, K.D_LOD] = np.clip(1.0 + u[:, 2] * dp.lift_to_drag, 0.0, 2.0)
        d[:, K.D_RHO] = np.clip(1.0 + u[:, 3] * dp.density, 0.3, 2.0)
        dh = u[:, 4] * dp.scale_height
        d[:, K.D_HS] = dh / (self.scale_height_km * (1.0 + dh))
        d[:, K.D_WAMP] = np.clip(u[:, 5] * dp.density_wave, -0.5, 0.5)
        d[:, K.D_WPHASE] = rng.uniform(0.0, 2.0 * math.pi, n)
        d[:, K.D_CHUTE1] = np.clip(1.0 + u[:, 6] * dp.chute_cd, 0.5, 1.5)
        d[:, K.D_CHUTE2] = np.clip(1.0 + u[:, 7] * dp.chute_cd, 0.5, 1.5)
        d[:, K.D_WIND] = 1.0 + u[:, 8] * dp.wind
        d[:, K.D_THRUST] = np.clip(1.0 + u[:, 9] * dp.thrust, 0.5, 1.5)
        d[:, K.D_NAV_E] = u[:, 10] * dp.navigation_km
        d[:, K.D_NAV_N] = u[:, 11] * dp.navigation_km
        if dp.table_band > 0.0 and np.any(self.atm_tab[:, 5] != 0.0):
            d[:, K.D_ZTAB] = rng.standard_normal(n) * dp.table_band
        nev = self.ev.shape[0]
        tz = rng.standard_normal((n, nev))
        thr = np.tile(self.thr0, (n, 1))
        for j in range(nev):
            trig = int(self.ev[j, K.E_TRIG])
            if trig == TRIGGERS["alt_below"]:  # relative below 1 km (a 2 m cut-off)
                thr[:, j] += tz[:, j] * np.minimum(dp.trigger_alt_km, dp.trigger * thr[:, j])
            elif trig == TRIGGERS["time_after"]:
                thr[:, j] = np.maximum(thr[:, j] + tz[:, j] * dp.trigger_time_s, 0.0)
            elif trig != TRIGGERS["now"]:
                thr[:, j] *= 1.0 + tz[:, j] * dp.trigger
        drawn = {"efpa_d": defpa, "density_scale": d[:, K.D_RHO].copy(),
                 "mass_scale": y[:, 6] / e.state[6]}
        return y, d, thr, drawn


def _scale_height(atm: Atmosphere) -> float:
    """Mean density scale height between 0 and 40 km, km."""
    r0, r1 = float(atm.density(0.0)), float(atm.density(40.0))
    return 40.0 / math.log(r0 / r1)


def plan_monte_carlo(veh: str | Vehicle | EntryState, site: Any = None, entry_utc: Any = None,
                     *, runs: int = 1000, atmosphere: str | Atmosphere | None = None,
                     dispersions: Dispersions | None = None,
                     options: FlightOptions | None = None) -> MonteCarloPlan:
    """Prepare a Monte Carlo: the nominal entry (from ``site`` and ``entry_utc``, or an
    :class:`~areo.edl.entry.EntryState` given as ``veh``), its planar reference flight
    for guidance and range triggers, and the kernel's tables."""
    from areo.edl.dynamics import fly

    runs = int(in_range(runs, "runs", 1, MAX_RUNS, hint="use 1000-10000 for an ellipse"))
    atm = model(atmosphere)
    opts = options or FlightOptions()
    entry = veh if isinstance(veh, EntryState) else entry_from_site(
        veh, site, entry_utc, atmosphere=atm, options=opts)
    v = entry.vehicle
    tgt = entry.target
    ref = reference_vehicle(v, tgt)
    nom = fly(ref, entry.state[None, :], atm, target_deg=(tgt.lat_deg, tgt.lon_east_deg),
              options=opts, history=1)
    for j, e in enumerate(ref.events):
        if not np.isfinite(nom.events[0, j, K.EV_T]):
            raise ParameterError(
                f"{v.key}: the nominal flight never reaches event {e.name!r} (trigger "
                f"{e.trigger} {e.value:g} {e.unit}) before "
                f"{'the ground' if nom.status[0] in (K.S_LANDED, K.S_HARD) else 'it ends'}"
                f" ({STATUS_NAMES[int(nom.status[0])]}): change the trigger or the entry")
    h = nom.hist[0]
    h = h[np.isfinite(h[:, K.H_T])]
    # reference tables on the speed grid: range-to-go (km) and drag (m/s^2) of the
    # nominal for range control, the bank profile
    from areo.edl.dynamics import REF_DV, bank_column

    rref = np.zeros((bank_column(v).size, 3))
    rref[:, 2] = bank_column(v)
    rangectl = False
    if v.guided and v.lift_to_drag != 0.0:
        ent = h[h[:, K.H_PHASE] == 0.0]
        k0 = int(np.argmax(ent[:, K.H_SPEED]))
        sp = ent[k0:, K.H_SPEED] / 1000.0
        d_m, _ = bearing_distance(tgt.lat_deg, tgt.lon_east_deg,
                                  np.degrees(ent[k0:, K.H_LAT]), np.degrees(ent[k0:, K.H_LON]))
        order = np.argsort(sp)
        grid = np.arange(rref.shape[0]) * REF_DV
        rref[:, 0] = np.interp(grid, sp[order], d_m[order] / 1000.0)
        rref[:, 1] = np.interp(grid, sp[order], ent[k0:, K.H_G][order] * G0)
        rangectl = True
    # range triggers: the nominal's range-to-go where its reference deploy happened
    evs = list(v.events)
    for j, e in enumerate(evs):
        if e.trigger == "range_below" and e.value <= 0.0:
            lat, lon = nom.events[0, j, K.EV_LAT], nom.events[0, j, K.EV_LON]
            if not np.isfinite(lat):
                raise ParameterError(f"{v.key}: the nominal flight never reaches the speed "
                                     f"window of its range trigger {e.name!r}")
            d_m, _ = bearing_distance(tgt.lat_deg, tgt.lon_east_deg, np.degrees(lat),
                                      np.degrees(lon))
            evs[j] = replace(e, value=float(d_m) / 1000.0)
    flown = replace(v, ground_alt_km=tgt.ground_alt_km, events=tuple(evs))
    ev, thr0, bodies = event_table(flown)
    va = vehicle_array(flown, target_vector(tgt.lat_deg, tgt.lon_east_deg), REF_DV)
    va[K.V_RANGECTL] = 1.0 if rangectl else 0.0
    if flown.flyaway_mass_kg > 0:
        va[K.V_FLY_SLOT] = len(bodies) - 1
    tab = atm.grid(-10.0, 200.0, opts.atm_step_km, opts.wave_km)
    disp = dispersions or Dispersions()
    return MonteCarloPlan(entry, flown, atm, disp, opts, runs, ev, thr0, bodies, va, tab,
                          rref, opts.array(), _scale_height(atm))


def run_chunk(plan: MonteCarloPlan, seed: int, chunk_id: int) -> dict[str, np.ndarray]:
    """One chunk of a Monte Carlo: the :mod:`areo._batch` work function
    ``func(inputs, seed, chunk_id)`` (``seed`` the chunk's own, from ``chunk_seeds``)."""
    return plan.fly_chunk(seed, chunk_id)


def _warm(plan: MonteCarloPlan) -> None:
    """Per-worker warm-up: compile (or load) the kernel on a one-run chunk."""
    replace(plan, runs=1).fly_chunk(0, 0)


def monte_carlo(veh: str | Vehicle | EntryState, site: Any = None, entry_utc: Any = None,
                *, runs: int = 1000, seed: int = 0,
                atmosphere: str | Atmosphere | None = None,
                dispersions: Dispersions | None = None, options: FlightOptions | None = None,
                probability: float = 0.99, margin_km: float = 0.0,
                hazard: Any = None, progress: Any = None, client: Any = None) -> MonteCarlo:
    """A Monte Carlo of ``runs`` flights (run 0 nominal) of a vehicle to a site.

    ``veh``: a catalog name with ``site`` and ``entry_utc``, or an
    :class:`~areo.edl.entry.EntryState` (e.g. from :func:`~areo.edl.entry_from_arrival`).
    ``hazard``: an optional polygon of (lat_deg, lon_east_deg) vertices; the result says
    which fraction of landings falls inside it. ``client``: None flies the chunks here (on
    the kernel threads); ``"serial"``, a Dask scheduler address or client farms them out
    through :mod:`areo._batch` (the same runs bit for bit).

    Example:
        >>> mc = monte_carlo("m2020", None, "2021-02-18T20:36Z", runs=10, seed=1)
        >>> mc.runs, mc.landed_fraction
        (10, 1.0)
    """
    seed = int(in_range(seed, "seed", 0, 2**63 - 1))
    in_range(probability, "probability", 0.5, 0.9999)
    in_range(margin_km, "margin_km", 0.0, 1000.0, unit="km")
    t0 = _time.perf_counter()
    plan = plan_monte_carlo(veh, site, entry_utc, runs=runs, atmosphere=atmosphere,
                            dispersions=dispersions, options=options)
    t1 = _time.perf_counter()
    from areo._batch import Chunk, chunk_seeds, map_chunks

    seeds = chunk_seeds(seed, plan.chunks)
    if client is None:
        parts = []
        for c in range(plan.chunks):
            parts.append(plan.fly_chunk(seeds[c], c))
            if progress is not None:
                progress(min(plan.runs, (c + 1) * CHUNK), plan.runs)
    else:
        chunks = [Chunk(c, plan, seeds[c]) for c in range(plan.chunks)]
        parts = map_chunks(run_chunk, chunks, client=client, warmup=_warm)
    t2 = _time.perf_counter()
    res = {k: np.concatenate([p[k] for p in parts]) for k in parts[0] if k != "hist"}
    return MonteCarlo(plan, seed, res, probability, margin_km, hazard, t2 - t1, t2 - t0)


@dataclass
class MonteCarlo:
    """Result of :func:`monte_carlo`: every run's landing, events, peaks and hardware;
    the landing ellipse; statistics; failures (never hidden)."""

    plan: MonteCarloPlan
    seed: int
    raw: dict[str, np.ndarray]
    probability: float = 0.99
    margin_km: float = 0.0
    hazard: Any = None
    fly_seconds: float = 0.0
    seconds: float = 0.0
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # --------------------------------------------------------------- basic arrays
    @property
    def vehicle(self) -> Vehicle:
        return self.plan.vehicle

    @property
    def entry(self) -> EntryState:
        return self.plan.entry

    @property
    def runs(self) -> int:
        return self.plan.runs

    @property
    def status(self) -> np.ndarray:
        return self.raw["land"][:, K.L_STATUS].astype(int)

    @property
    def landed(self) -> np.ndarray:
        """Runs that landed softly (touchdown speed within the vehicle's limit)."""
        return self.status == K.S_LANDED

    @property
    def reached_ground(self) -> np.ndarray:
        return (self.status == K.S_LANDED) | (self.status == K.S_HARD)

    @property
    def landed_fraction(self) -> float:
        return float(np.mean(self.landed))

    @property
    def lat_deg(self) -> np.ndarray:
        return np.degrees(self.raw["land"][:, K.L_LAT])

    @property
    def lon_east_deg(self) -> np.ndarray:
        return np.degrees(self.raw["land"][:, K.L_LON]) % 360.0

    def local_km(self) -> tuple[np.ndarray, np.ndarray]:
        """(east, north) km of every landing from the target."""
        t = self.entry.target
        return to_local(self.lat_deg, self.lon_east_deg, t.lat_deg, t.lon_east_deg)

    # --------------------------------------------------------------- products
    @property
    def ellipse(self) -> Ellipse:
        """The ``probability`` landing ellipse of the runs that reached the ground."""
        if "ellipse" not in self._cache:
            e, n = self.local_km()
            ok = self.reached_ground
            t = self.entry.target
            self._cache["ellipse"] = fit_ellipse(e[ok], n[ok], t.lat_deg, t.lon_east_deg,
                                                 probability=self.probability,
                                                 margin_km=self.margin_km)
        return self._cache["ellipse"]

    def _ellipse_or_none(self) -> Ellipse | None:
        """The ellipse, or None below 3 runs on the ground (too few to fit one)."""
        return self.ellipse if int(np.sum(self.reached_ground)) >= 3 else None

    def event_stats(self) -> list[dict[str, Any]]:
        """Per event: how many runs reached it, and mean / std / 1st / 99th percentile of
        its time (s from entry), altitude above ground (m), air speed, Mach, dynamic
        pressure."""
        ev = self.raw["events"]
        out = []
        cols = (("t_s", K.EV_T, 1.0), ("altitude_m", K.EV_ALT, 1000.0),
                ("speed_ms", K.EV_SPEED, 1.0), ("mach", K.EV_MACH, 1.0),
                ("q_pa", K.EV_Q, 1.0))
        for j, e in enumerate(self.vehicle.events):
            x = ev[:, j]
            ok = np.isfinite(x[:, K.EV_T])
            row: dict[str, Any] = {"name": e.name, "reached": int(ok.sum()),
                                   "reached_fraction": float(ok.mean()),
                                   "nominal": {n: float(x[0, c] * s) for n, c, s in cols}}
            for n, c, s in cols:
                v = x[ok, c] * s
                row[n] = ({"mean": float(v.mean()), "std": float(v.std()),
                           "p01": float(np.percentile(v, 1)),
                           "p99": float(np.percentile(v, 99))} if v.size else None)
            out.append(row)
        return out

    def hardware(self) -> list[dict[str, Any]]:
        """Per separated body: impact point of the nominal run and, over the runs, the
        median distance (m) and the bearing of the mean offset (deg) from the lander."""
        b = self.raw["bodies"]
        land = self.raw["land"]
        out = []
        for k, name in enumerate(self.plan.body_names):
            lat = np.degrees(b[:, k, K.B_LAT])
            lon = np.degrees(b[:, k, K.B_LON])
            ok = np.isfinite(b[:, k, K.B_T]) & self.reached_ground
            llat = np.degrees(land[:, K.L_LAT])
            llon = np.degrees(land[:, K.L_LON])
            d, brg = bearing_distance(lat[ok], lon[ok], llat[ok], llon[ok])
            if d.size:
                x, y = d * np.sin(np.radians(brg)), d * np.cos(np.radians(brg))
                mean_brg = math.degrees(math.atan2(float(x.mean()), float(y.mean()))) % 360.0
                dn, bn = bearing_distance(lat[0], lon[0], llat[0], llon[0])
            else:
                mean_brg, dn, bn = math.nan, math.nan, math.nan
            out.append({"name": name, "distance_m": float(np.median(d)) if d.size else None,
                        "bearing_deg": mean_brg,
                        "distance_p05_m": float(np.percentile(d, 5)) if d.size else None,
                        "distance_p95_m": float(np.percentile(d, 95)) if d.size else None,
                        "nominal_distance_m": float(dn), "nominal_bearing_deg": float(bn),
                        "nominal_lat_deg": float(lat[0]),
                        "nominal_lon_east_deg": float(lon[0] % 360.0),
                        "impact_speed_ms": float(np.median(b[ok, k, K.B_SPEED]))
                        if d.size else None,
                        "count": int(d.size)})
        return out

    def failures(self) -> dict[str, Any]:
        """Runs that did not land softly, by outcome, and events some runs never reached."""
        st = self.status
        counts = {STATUS_NAMES[s]: int(np.sum(st == s)) for s in STATUS_NAMES}
        missed = []
        for j, e in enumerate(self.vehicle.events):
            never = ~np.isfinite(self.raw["events"][:, j, K.EV_T])
            if never.any():
                missed.append({"event": e.name, "runs": int(never.sum()),
                               "fraction": float(never.mean()),
                               "why": _why(e, st[never])})
        return {"counts": counts, "failed": int(np.sum(st != K.S_LANDED)),
                "failed_fraction": float(np.mean(st != K.S_LANDED)),
                "failed_runs": [int(r) for r in self.raw["run"][st != K.S_LANDED][:100]],
                "events_not_reached": missed}

    def fraction_inside(self, polygon: Any) -> float:
        """Fraction of all runs that reached the ground inside ``polygon`` ((lat_deg,
        lon_east_deg) vertices)."""
        ins = inside_polygon(self.lat_deg, self.lon_east_deg, polygon)
        return float(np.mean(ins & self.reached_ground))

    def peaks(self) -> dict[str, Any]:
        p = self.raw["peak"]

        def st(x: np.ndarray) -> dict[str, float]:
            return {"mean": float(x.mean()), "p99": float(np.percentile(x, 99)),
                    "max": float(x.max()), "nominal": float(x[0])}

        return {"g": st(p[:, K.P_G]), "q_pa": st(p[:, K.P_Q]),
                "heat_rate_w_cm2": st(p[:, K.P_HEAT] / 1e4),
                "heat_load_j_cm2": st(p[:, K.P_LOAD] / 1e4)}

    # --------------------------------------------------------------- contract
    def to_frame(self) -> Any:
        """One row per run: landing (``landing_utc``, lat, lon, east/north km from the
        target, touchdown speed), outcome, peaks, each event's time/altitude/Mach/q, each
        body's impact point and its distance and bearing from the lander, dispersions."""
        import pandas as pd

        from areo.io.records import utc_column

        land, peak, ev, b = (self.raw[k] for k in ("land", "peak", "events", "bodies"))
        e, n = self.local_km()
        et0 = float(self.entry.epoch.et)
        cols: dict[str, Any] = {
            "run": self.raw["run"],
            "landing_utc": utc_column(et0 + land[:, K.L_T]),
            "status": [STATUS_NAMES[int(s)] for s in land[:, K.L_STATUS]],
            "flight_time_s": land[:, K.L_T], "lat_deg": self.lat_deg,
            "lon_east_deg": self.lon_east_deg, "east_km": e, "north_km": n,
            "touchdown_speed_ms": land[:, K.L_SPEED], "touchdown_vz_ms": land[:, K.L_VZ],
            "landed_mass_kg": land[:, K.L_MASS], "peak_g": peak[:, K.P_G],
            "peak_q_pa": peak[:, K.P_Q], "peak_heat_w_cm2": peak[:, K.P_HEAT] / 1e4,
            "heat_load_j_cm2": peak[:, K.P_LOAD] / 1e4,
            "efpa_dispersion_deg": self.raw["efpa_d"],
            "density_scale": self.raw["density_scale"],
            "mass_scale": self.raw["mass_scale"],
        }
        for j, evn in enumerate(self.vehicle.events):
            key = _slug(evn.name)
            cols[f"{key}_time_s"] = ev[:, j, K.EV_T]
            cols[f"{key}_alt_m"] = ev[:, j, K.EV_ALT] * 1000.0
            cols[f"{key}_mach"] = ev[:, j, K.EV_MACH]
            cols[f"{key}_q_pa"] = ev[:, j, K.EV_Q]
        llat, llon = land[:, K.L_LAT], land[:, K.L_LON]
        for k, name in enumerate(self.plan.body_names):
            key = _slug(name)
            lat, lon = np.degrees(b[:, k, K.B_LAT]), np.degrees(b[:, k, K.B_LON])
            d, brg = bearing_distance(lat, lon, np.degrees(llat), np.degrees(llon))
            cols[f"{key}_lat_deg"] = lat
            cols[f"{key}_lon_east_deg"] = lon % 360.0
            cols[f"{key}_distance_m"] = d
            cols[f"{key}_bearing_deg"] = brg
            cols[f"{key}_impact_speed_ms"] = b[:, k, K.B_SPEED]
        return pd.DataFrame(cols)

    def to_parquet(self, path: Any) -> Any:
        """Write :meth:`to_frame` as Parquet (atomically); returns the path."""
        from pathlib import Path

        from areo._files import atomic_path

        p = Path(path)
        frame = self.to_frame()
        with atomic_path(p) as tmp:
            frame.to_parquet(tmp, index=False)
        return p

    def to_dict(self) -> dict[str, Any]:
        """The ``areo edl --json`` document: ``ellipse``, ``hardware``, ``peak_g``,
        ``chute_mach``, ``runs``, ``seconds`` and more (entry, events, failures)."""
        ell = self._ellipse_or_none()
        stats = self.event_stats()
        chute = next((s for s, e in zip(stats, self.vehicle.events, strict=True)
                      if e.kind == "chute"), None)
        hw = self.hardware()
        d = {
            "vehicle": self.vehicle.key, "site": self.entry.target.name,
            "ellipse": None if ell is None else {k: ell.to_dict()[k] for k in (
                "major_km", "minor_km", "azimuth_deg", "center_lat_deg",
                "center_lon_east_deg", "margined_major_km", "margined_minor_km",
                "probability")},
            "target_lat_deg": self.entry.target.lat_deg,
            "target_lon_east_deg": self.entry.target.lon_east_deg,
            "hardware": [{"name": h["name"], "distance_m": h["distance_m"],
                          "bearing_deg": h["bearing_deg"]} for h in hw],
            "peak_g": self.peaks()["g"],
            "chute_mach": chute["mach"] if chute else None,
            "peaks": self.peaks(),
            "events": stats,
            "entry": self.entry.to_dict(),
            "landed_fraction": self.landed_fraction,
            "failures": self.failures(),
            "runs": self.runs, "seed": self.seed, "seconds": self.seconds,
        }
        if self.hazard is not None:
            d["hazard_fraction"] = self.fraction_inside(self.hazard)
        return d

    def to_json(self, **kw: Any) -> str:
        from areo.io.records import dumps

        return dumps(self.to_dict(), **kw)

    def plot(self, path: Any = None) -> Any:
        """Landing points, the ellipse (and margined one), the target and the hardware on
        the target's local map (plotly); saved to ``path`` (.html) when given."""
        from areo.edl.plots import ellipse_figure
        from areo.io.figures import show_or_save

        return show_or_save(ellipse_figure(self), path)

    def __repr__(self) -> str:
        ell = self._ellipse_or_none()
        shape = ("no ellipse (< 3 runs on the ground)" if ell is None else
                 f"{ell.probability:.0%} ellipse {ell.major_km:.1f} x {ell.minor_km:.1f} km "
                 f"at {ell.azimuth_deg:.0f} deg")
        return (f"MonteCarlo: {self.runs} runs of {self.vehicle.key} to "
                f"{self.entry.target.name}, {self.landed_fraction:.1%} landed, {shape}, "
                f"seed {self.seed}")


def _why(event: Any, status: np.ndarray) -> str:
    """Why runs missed ``event``, from their outcomes."""
    if np.any(status == K.S_SKIP):
        return "some of them skipped out of the atmosphere first"
    if np.any(status == K.S_TIMEOUT):
        return "some of them were still flying at the time limit"
    cond = "now" if event.trigger == "now" else f"{event.trigger} {event.value:g} {event.unit}"
    why = f"they reached the ground before its condition ({cond.strip()}) or the event before it"
    if event.kind == "chute":
        why += " (a steep or heavy entry, a thin atmosphere)"
    return why


def _slug(name: str) -> str:
    out = "".join(c if c.isalnum() else "_" for c in name.lower())
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")
