"""Trajectories an analyst asks for: a typed problem (sequence, model, date spans,
constraints), its optimisation with pygmo on areo's batch fitness, the :class:`Trajectory`
result and launch periods.

>>> from areo.transfer.trajectory import Constraints, TrajectoryProblem, optimise_trajectory
>>> prob = TrajectoryProblem(("earth", "mars"), launch=("2028-09-01", "2028-12-31"),
...                          arrive=("2030-01-01", "2030-12-31"), model="dsm",
...                          constraints=Constraints(max_c3_km2s2=20.0))
>>> traj = optimise_trajectory(prob, seed=1)                  # doctest: +SKIP
>>> traj.launch_c3_km2s2 <= 20.0                              # doctest: +SKIP
True

Models: ``"dsm"`` (MGA-1DSM, one deep-space manoeuvre per leg), ``"mga"`` (Lambert legs and
powered flybys, up to ``max_revs`` revolutions) and ``"ballistic"`` (``"mga"`` on a
two-planet sequence: one Lambert arc). See :mod:`areo.transfer.mga` for the encodings.

Constraints (:class:`Constraints`) enter the search as penalties proportional to the
amount by which each is missed (scaled per constraint, see ``_SCALES``); the returned
:class:`Trajectory` names each violated constraint with the amount missed, and the
variables that ended on the edge of their search span (``at_edge``).

Arrival geometry at Mars (the ``declination`` and ``landing_lmst`` constraints): the
landing point is taken at the pericentre of the approach hyperbola with the pericentre at
the Mars equatorial radius (the entry interface and the downrange of entry, descent and
landing, a few degrees, are not modelled), so it lies on the circle of angular radius
``pi - nu_inf`` (``cos nu_inf = -1/e``, ``e = 1 + R v_inf^2 / mu``) about the arrival
v-infinity direction. The site's latitude is reachable when it lies within that circle's
latitude band (the approach declination constraint); the two points of the circle at the
site latitude give the two landing local times (approach from either side), LMST from
:func:`areo.time.local_mean_solar_time` at their longitudes in IAU_MARS
(:func:`areo.frames.mars.icrf_to_iau_mars`) at the arrival epoch: the arrival hour is then
tuned (free, by the final targeting) so that the site sits at that longitude, and local
time moves with the Sun by only ~0.5 deg/day. The solution whose LMST is in (or nearer to)
the window is reported.
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import validate
from areo.catalog import site as _site
from areo.constants import AU_KM, DAY_S
from areo.ephem import FRAMES
from areo.errors import ParameterError
from areo.frames.mars import icrf_to_iau_mars
from areo.io.records import dumps, jsonable, utc_column
from areo.orbits import propagate_kepler
from areo.time import Time, mars_sol_date, solar_longitude
from areo.transfer.mga import (
    MGA,
    MGA1DSM,
    DE440Planets,
    Evaluation,
    Planets,
    check_epochs_in,
    et_to_mjd2000,
    mjd2000_to_et,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MODELS",
    "Constraints",
    "LaunchPeriodTable",
    "Trajectory",
    "TrajectoryProblem",
    "optimise_launch_period",
    "optimise_trajectory",
]

MODELS = ("dsm", "mga", "ballistic")
#: Objectives offered to analysts (the CLI's ``--objective``).
USER_OBJECTIVES = ("dsm", "dsm+vinf", "dsm+capture", "c3")

# Amount of each constraint that costs as much as 1 km/s of ΔV in the search (penalty
# scale): what an analyst would trade for it, roughly. Named in results, not tuned per run.
_SCALES = {
    "max_c3": 1.0,            # km^2/s^2
    "dla": 1.0,               # deg
    "max_vinf_arrive": 0.1,   # km/s
    "arrival_ls": 5.0,        # deg
    "landing_lmst": 0.5,      # h
    "declination": 1.0,       # deg
    "arrive_span": 1.0,       # day
}
# A constraint counts as violated when missed by more than this (its unit): below the
# model's accuracy (patched conics, impulsive manoeuvres) and what a search polish leaves
# (0.001 km^2/s^2 of C3 is 0.1 m/s of launch v-infinity).
_TOL = {"max_c3": 1e-3, "dla": 1e-3, "max_vinf_arrive": 1e-4, "arrival_ls": 1e-3,
        "landing_lmst": 1e-3, "declination": 1e-3, "arrive_span": 1e-3}
_UNITS = {"max_c3": "km2/s2", "dla": "deg", "max_vinf_arrive": "km/s", "arrival_ls": "deg",
          "landing_lmst": "h", "declination": "deg", "arrive_span": "d"}
_ICRF_TO_ECL = np.asarray(FRAMES["eclipj2000"], dtype=float)


def _pair(value: Any, name: str, unit: str, lo: float, hi: float, *, wrap: bool = False,
          ) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, str):
        parts = value.replace("..", ",").split(",")
        value = [p for p in parts if p.strip()]
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{name} {value!r} must be a (min, max) pair in {unit}, e.g. (0, 150) or '0..150'"
        ) from None
    validate.in_range(np.array([a, b]), name, lo, hi, unit=unit)
    if a > b and not wrap:
        raise ParameterError(
            f"{name} ({a:g}, {b:g}) has its minimum above its maximum: give (min, max) in {unit}"
        )
    return a, b


@dataclass(frozen=True)
class Constraints:
    """What the analyst requires of a trajectory (``None``: no constraint).

    Attributes:
        max_c3_km2s2: launch vehicle's maximum C3, km^2/s^2.
        dla_deg: (min, max) declination of the launch asymptote (Earth equator), deg.
        max_vinf_arrive_kms: maximum arrival v-infinity (entry system), km/s.
        arrival_ls_deg: (from, to) solar longitude window at arrival, deg; may wrap through
            360 (``(300, 30)``).
        landing_lmst_h: (from, to) local mean solar time window at the landing site, hours;
            may wrap through midnight.
        site: catalog landing site (``"oxia_planum"``) for the local time and the approach
            declination (reaching the site's latitude); needed by ``landing_lmst_h``.
    """

    max_c3_km2s2: float | None = None
    dla_deg: tuple[float, float] | None = None
    max_vinf_arrive_kms: float | None = None
    arrival_ls_deg: tuple[float, float] | None = None
    landing_lmst_h: tuple[float, float] | None = None
    site: str | None = None

    def __post_init__(self) -> None:
        if self.max_c3_km2s2 is not None:
            object.__setattr__(self, "max_c3_km2s2", float(validate.positive(
                self.max_c3_km2s2, "max_c3_km2s2", unit="km^2/s^2")))
        if self.max_vinf_arrive_kms is not None:
            object.__setattr__(self, "max_vinf_arrive_kms", float(validate.positive(
                self.max_vinf_arrive_kms, "max_vinf_arrive_kms", unit="km/s")))
        object.__setattr__(self, "dla_deg", _pair(self.dla_deg, "dla_deg", "deg", -90, 90))
        object.__setattr__(self, "arrival_ls_deg", _pair(
            self.arrival_ls_deg, "arrival_ls_deg", "deg", 0, 360, wrap=True))
        object.__setattr__(self, "landing_lmst_h", _pair(
            self.landing_lmst_h, "landing_lmst_h", "h", 0, 24, wrap=True))
        if self.landing_lmst_h is not None and self.site is None:
            raise ParameterError(
                "landing_lmst_h needs a landing site: pass site='oxia_planum' (a catalog site)"
            )
        if self.site is not None:
            object.__setattr__(self, "site", _site(self.site).key)


def _utc_et(value: Any, name: str) -> float:
    try:
        return float(Time(value).et)
    except ValueError as exc:
        raise ParameterError(f"{name} {value!r} is not a UTC time: {exc}") from None


@dataclass(frozen=True)
class TrajectoryProblem:
    """A validated trajectory problem.

    Attributes:
        sequence: planets, departure first (``("earth", "mars")``).
        launch: (from, to) launch span, UTC (strings, datetimes or :class:`Time`).
        arrive: (from, to) arrival span, UTC; ``None`` for no arrival constraint (then
            ``tof_days`` bounds every leg).
        model: ``"dsm"``, ``"mga"`` or ``"ballistic"``.
        objective: one of ``"dsm"``, ``"dsm+vinf"``, ``"dsm+capture"``, ``"c3"``.
        constraints: :class:`Constraints`.
        tof_days: per-leg (min, max) days; default from the spans for one leg, else
            (30, 1000) per leg.
        vinf_kms: launch v-infinity bounds for the DSM model, km/s.
        max_revs: revolutions allowed on the Lambert arcs of the MGA/ballistic models.
        capture: (pericentre altitude km, eccentricity) of the capture orbit for
            ``dsm+capture`` (default 250 km x e 0.9).
    """

    sequence: tuple[str, ...] = ("earth", "mars")
    launch: tuple[Any, Any] = ("2028-09-01", "2028-12-31")
    arrive: tuple[Any, Any] | None = None
    model: str = "dsm"
    objective: str = "dsm+vinf"
    constraints: Constraints = field(default_factory=Constraints)
    tof_days: tuple[tuple[float, float], ...] | None = None
    vinf_kms: tuple[float, float] = (0.5, 6.0)
    max_revs: int = 0
    capture: tuple[float, float] = (250.0, 0.9)

    def __post_init__(self) -> None:
        seq = self.sequence
        if isinstance(seq, str):
            seq = tuple(s for s in seq.split(",") if s.strip())
        object.__setattr__(self, "sequence", tuple(str(s).strip().lower() for s in seq))
        if self.model not in MODELS:
            raise ParameterError(f"model {self.model!r} is not known: use one of "
                                 f"{', '.join(MODELS)}")
        if self.objective not in USER_OBJECTIVES:
            raise ParameterError(f"objective {self.objective!r} is not known: use one of "
                                 f"{', '.join(USER_OBJECTIVES)}")
        if self.model == "ballistic" and len(self.sequence) != 2:
            raise ParameterError(
                f"model 'ballistic' flies one Lambert arc: give two planets, not "
                f"{'-'.join(self.sequence)} (use model 'mga' or 'dsm' for flybys)"
            )
        l0, l1 = (_utc_et(v, f"launch[{k}]") for k, v in enumerate(self.launch))
        if l1 < l0:
            raise ParameterError(
                f"launch span {self.launch[0]} .. {self.launch[1]} is reversed: give "
                "(from, to) with from <= to"
            )
        if self.arrive is not None:
            a0, a1 = (_utc_et(v, f"arrive[{k}]") for k, v in enumerate(self.arrive))
            if a1 < a0:
                raise ParameterError(
                    f"arrival span {self.arrive[0]} .. {self.arrive[1]} is reversed: give "
                    "(from, to) with from <= to"
                )
            if a1 <= l0:
                raise ParameterError(
                    f"arrival span ends ({self.arrive[1]}) before the launch span opens "
                    f"({self.launch[0]}): arrive after launching"
                )
        if not 0 <= int(self.max_revs) <= 5:
            raise ParameterError(f"max_revs {self.max_revs} must be in [0, 5]")
        cap_alt, cap_e = self.capture
        validate.positive(cap_alt, "capture periapsis altitude", unit="km")
        validate.in_range(cap_e, "capture eccentricity", 0.0, 1.0, hi_open=True)

    # ---------------------------------------------------------------- derived spans
    @property
    def launch_et(self) -> tuple[float, float]:
        return (_utc_et(self.launch[0], "launch[0]"), _utc_et(self.launch[1], "launch[1]"))

    @property
    def arrive_et(self) -> tuple[float, float] | None:
        if self.arrive is None:
            return None
        return (_utc_et(self.arrive[0], "arrive[0]"), _utc_et(self.arrive[1], "arrive[1]"))

    def leg_bounds(self) -> list[tuple[float, float]]:
        """Per-leg time-of-flight bounds, days."""
        n = len(self.sequence) - 1
        if self.tof_days is not None:
            if len(self.tof_days) != n:
                raise ParameterError(f"tof_days has {len(self.tof_days)} pairs for {n} legs")
            return [(float(a), float(b)) for a, b in self.tof_days]
        if n == 1 and self.arrive is not None:
            (l0, l1), (a0, a1) = self.launch_et, self.arrive_et  # type: ignore[misc]
            lo = max(1.0, (a0 - l1) / DAY_S)
            hi = (a1 - l0) / DAY_S
            return [(lo, max(hi, lo))]
        return [(30.0, 1000.0)] * n

    def with_launch(self, launch: tuple[Any, Any]) -> TrajectoryProblem:
        """The same problem over another launch span."""
        import dataclasses

        return dataclasses.replace(self, launch=launch)


# ----------------------------------------------------------------------- the search
class _Fitness:
    """Penalised batch fitness of a :class:`TrajectoryProblem` on a model."""

    def __init__(self, problem: TrajectoryProblem, planets: Planets | None = None):
        self.problem = problem
        planets = DE440Planets() if planets is None else planets
        l0, l1 = (float(v) for v in et_to_mjd2000(problem.launch_et))
        legs = problem.leg_bounds()
        if problem.model == "dsm":
            arrive = planets.body(problem.sequence[-1])
            self.model: MGA1DSM | MGA = MGA1DSM(
                problem.sequence, (l0, l1), legs, vinf_kms=problem.vinf_kms,
                objective=problem.objective,
                capture=(arrive.radius_km + problem.capture[0], problem.capture[1]),
                planets=planets)
        else:
            arrive = planets.body(problem.sequence[-1])
            self.model = MGA(problem.sequence, (l0, l1), legs, max_revs=problem.max_revs,
                             objective=problem.objective,
                             capture=(arrive.radius_km + problem.capture[0],
                                      problem.capture[1]), planets=planets)
        check_epochs_in(planets, problem.sequence, l0, l1 + sum(b for _, b in legs))
        self.planets = planets
        c = problem.constraints
        self.site = _site(c.site) if c.site else None
        self.evaluations = 0
        self.arrive_span = problem.arrive_et
        # Mars clocks tabulated over every arrival the search can reach (nodes every 0.25 d):
        # Ls is smooth and the Mars sol date linear in TT, so linear interpolation is exact
        # to < 1e-6 deg and < 1e-5 h, and the search avoids erfa's TDB-TT per evaluation.
        et0 = mjd2000_to_et(l0) + DAY_S * min(a for a, _ in legs)
        et1 = mjd2000_to_et(l1) + DAY_S * sum(b for _, b in legs)
        self._clock_et = np.arange(et0 - DAY_S, et1 + DAY_S, 0.25 * DAY_S)
        self._clock: tuple[np.ndarray, np.ndarray] | None = None

    def mars_clock(self, et: np.ndarray, exact: bool) -> tuple[np.ndarray, np.ndarray]:
        """Ls (deg) and Mars sol date at ``et``: from areo.time when ``exact``, else
        interpolated in the table."""
        if exact or not (self._clock_et[0] <= et.min() and et.max() <= self._clock_et[-1]):
            t = Time.from_et(et)
            return (np.atleast_1d(np.asarray(solar_longitude(t), dtype=float)),
                    np.atleast_1d(np.asarray(mars_sol_date(t), dtype=float)))
        if self._clock is None:
            t = Time.from_et(self._clock_et)
            ls = np.unwrap(np.radians(np.asarray(solar_longitude(t), dtype=float)))
            self._clock = (np.degrees(ls), np.asarray(mars_sol_date(t), dtype=float))
        ls = np.mod(np.interp(et, self._clock_et, self._clock[0]), 360.0)
        return ls, np.interp(et, self._clock_et, self._clock[1])

    def derived(self, ev: Evaluation, full: bool = False) -> dict[str, np.ndarray]:
        """Launch and arrival quantities of each row (n,) used by constraints and results."""
        c = self.problem.constraints
        out: dict[str, np.ndarray] = {}
        vd = ev.vinf_dep @ _ICRF_TO_ECL  # ecliptic -> ICRF: the transpose of ICRF -> ecliptic
        vdn = np.linalg.norm(vd, axis=1)
        out["c3"] = vdn**2
        with np.errstate(invalid="ignore", divide="ignore"):
            out["dla"] = np.degrees(np.arcsin(np.clip(vd[:, 2] / vdn, -1, 1)))
        out["rla"] = np.mod(np.degrees(np.arctan2(vd[:, 1], vd[:, 0])), 360.0)
        va = ev.vinf_arr @ _ICRF_TO_ECL
        van = np.linalg.norm(va, axis=1)
        out["vinf_arr"] = van
        et_a = mjd2000_to_et(ev.planet_mjd2000[:, -1])
        arrive_mars = self.problem.sequence[-1] == "mars"
        need_mars = arrive_mars and (full or c.arrival_ls_deg is not None or
                                     c.landing_lmst_h is not None or c.site is not None)
        n = van.size
        nan = np.full(n, np.nan)
        out.update(dec_arr=nan, ls=nan, lmst=nan, lmst_alt=nan, dec_miss=np.zeros(n))
        if need_mars:
            t = Time.from_et(et_a)
            out["ls"], msd = self.mars_clock(et_a, full)
            # Local mean solar time at an east longitude: the Mars24 relation LMST = MTC +
            # lon / 15 h, MTC = 24 h x the fraction of the Mars sol date (areo.time).
            mtc = 24.0 * np.mod(msd, 1.0)
            rot = np.asarray(icrf_to_iau_mars(t)).reshape(n, 3, 3)
            s_bf = np.einsum("nij,nj->ni", rot, va) / van[:, None]
            dec_s = np.arcsin(np.clip(s_bf[:, 2], -1, 1))
            out["dec_arr"] = np.degrees(dec_s)
            if self.site is not None:
                mars = self.planets.body("mars")
                e = 1.0 + mars.radius_km * van**2 / mars.mu_km3s2
                theta = np.pi - np.arccos(-1.0 / e)  # landing ring radius about v-inf dir
                phi = math.radians(self.site.lat_deg)
                cos_h = (np.cos(theta) - math.sin(phi) * np.sin(dec_s)) / (
                    math.cos(phi) * np.cos(dec_s))
                lat_lo = np.degrees(dec_s - theta)
                lat_hi = np.degrees(dec_s + theta)
                lat = self.site.lat_deg
                out["dec_miss"] = np.maximum(0.0, np.maximum(lat_lo - lat, lat - lat_hi)) * (
                    np.abs(cos_h) > 1.0)
                h = np.arccos(np.clip(cos_h, -1.0, 1.0))
                lon_s = np.arctan2(s_bf[:, 1], s_bf[:, 0])
                lm1 = np.mod(mtc + np.degrees(lon_s + h) / 15.0, 24.0)
                lm2 = np.mod(mtc + np.degrees(lon_s - h) / 15.0, 24.0)
                if c.landing_lmst_h is not None:
                    m1 = _window_miss(lm1, c.landing_lmst_h, 24.0)
                    m2 = _window_miss(lm2, c.landing_lmst_h, 24.0)
                    pick2 = m2 < m1
                else:
                    pick2 = np.zeros(n, dtype=bool)
                out["lmst"] = np.where(pick2, lm2, lm1)
                out["lmst_alt"] = np.where(pick2, lm1, lm2)
        out["arrive_et"] = et_a
        return out

    def violations(self, ev: Evaluation, d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Amount by which each active constraint is missed (n,), in its unit (0 = met)."""
        c = self.problem.constraints
        v: dict[str, np.ndarray] = {}
        if c.max_c3_km2s2 is not None:
            v["max_c3"] = np.maximum(0.0, d["c3"] - c.max_c3_km2s2)
        if c.dla_deg is not None:
            v["dla"] = np.maximum(0.0, np.maximum(c.dla_deg[0] - d["dla"],
                                                  d["dla"] - c.dla_deg[1]))
        if c.max_vinf_arrive_kms is not None:
            v["max_vinf_arrive"] = np.maximum(0.0, d["vinf_arr"] - c.max_vinf_arrive_kms)
        if c.arrival_ls_deg is not None:
            v["arrival_ls"] = _window_miss(d["ls"], c.arrival_ls_deg, 360.0)
        if c.landing_lmst_h is not None:
            v["landing_lmst"] = _window_miss(d["lmst"], c.landing_lmst_h, 24.0)
        if self.site is not None:
            v["declination"] = d["dec_miss"]
        span = self.arrive_span
        if span is not None:
            a = d["arrive_et"]
            v["arrive_span"] = np.maximum(0.0, np.maximum(span[0] - a, a - span[1])) / DAY_S
        return {k: np.where(np.isfinite(x), x, 1e6) for k, x in v.items()}

    def penalised(self, X: np.ndarray) -> np.ndarray:
        ev = self.model.evaluate(X)
        self.evaluations += X.shape[0]
        f = ev.objective.copy()
        if not np.any(np.isfinite(f)):
            return np.full_like(f, 1e9)
        d = self.derived(ev)
        for k, miss in self.violations(ev, d).items():
            f += miss / _SCALES[k]
        return np.where(np.isfinite(f), f, 1e9)


def _window_miss(x: np.ndarray, window: tuple[float, float], period: float) -> np.ndarray:
    """Distance from ``x`` to the window ``[a, b]`` on a circle of ``period`` (``a > b``
    wraps through 0); 0 inside."""
    a, b = window
    if a < b and b - a >= period:
        return np.zeros_like(x)
    width = (b - a) % period
    off = np.mod(x - a, period)
    return np.where(off <= width, 0.0, np.minimum(off - width, period - off))


class _UDP:
    """pygmo user-defined problem: bounds and the batch fitness."""

    def __init__(self, fit: _Fitness):
        self.fit = fit

    def __deepcopy__(self, memo: dict) -> _UDP:
        # pygmo copies its problem; the fitness holds an open ephemeris file and is only
        # read, so the copy shares it (and counts evaluations in one place).
        return self

    def fitness(self, x: np.ndarray) -> list[float]:
        return [float(self.fit.penalised(np.asarray(x)[None])[0])]

    def batch_fitness(self, dvs: np.ndarray) -> np.ndarray:
        X = np.asarray(dvs).reshape(-1, self.fit.model.dim)
        return self.fit.penalised(X)

    def has_batch_fitness(self) -> bool:
        return True

    def get_bounds(self) -> tuple[list[float], list[float]]:
        return list(self.fit.model.lower), list(self.fit.model.upper)

    def get_name(self) -> str:
        return "areo " + "-".join(self.fit.model.sequence)


def _search(fit: _Fitness, seed: int, restarts: int, pop: int, gens: int,
            seed_x: np.ndarray | None = None, polish_evals: int = 300,
            ) -> tuple[np.ndarray, float]:
    """``restarts`` seeded runs of pygmo's generational PSO (global exploration) then
    CMA-ES started narrow on the swarm (local convergence), both evaluating whole
    populations through areo's batch fitness (``bfe``); then NLopt's subplex polishes the
    best. Measured on Earth-Mars 2028 (benchmarks/bench_trajectory.py): CMA-ES alone fell
    into the 300-day basin in 15 of 16 runs; PSO then CMA-ES reached the 800-day optimum in
    7 of 8 runs at ~0.3 s each."""
    import pygmo as pg

    prob = pg.problem(_UDP(fit))
    bfe = pg.bfe()
    best_x, best_f = None, math.inf
    for r in range(restarts):
        pso = pg.pso_gen(gen=gens, seed=seed + r)
        pso.set_bfe(bfe)
        popn = pg.population(prob, size=pop, b=bfe, seed=seed + 1000 + r)
        if seed_x is not None and r == 0:
            popn.set_x(0, np.clip(seed_x, fit.model.lower, fit.model.upper))
        popn = pg.algorithm(pso).evolve(popn)
        cma = pg.cmaes(gen=max(50, 2 * gens // 3), sigma0=0.05, force_bounds=True,
                       seed=seed + r, ftol=1e-10, xtol=1e-10)
        cma.set_bfe(bfe)
        popn = pg.algorithm(cma).evolve(popn)
        if popn.champion_f[0] < best_f:
            best_x, best_f = np.array(popn.champion_x), float(popn.champion_f[0])
    polish = pg.algorithm(pg.nlopt("sbplx"))
    polish.extract(pg.nlopt).maxeval = polish_evals
    popn = pg.population(prob, size=0, seed=seed)
    popn.push_back(best_x, [best_f])
    popn = polish.evolve(popn)
    if popn.champion_f[0] < best_f:
        best_x, best_f = np.array(popn.champion_x), float(popn.champion_f[0])
    assert best_x is not None
    return best_x, best_f


def optimise_trajectory(
    problem: TrajectoryProblem,
    *,
    seed: int = 0,
    restarts: int = 3,
    population: int = 40,
    generations: int = 300,
    planets: Planets | None = None,
    x0: Any = None,
) -> Trajectory:
    """The best trajectory of ``problem`` (its objective plus constraint penalties),
    found by pygmo on areo's batch fitness: ``restarts`` seeded runs of a generational
    particle swarm (``population`` particles, ``generations``) each refined by CMA-ES, then
    NLopt's subplex (the same ``seed`` gives the same trajectory); ``x0`` seeds the first
    population.

    Constraints still missed by the best trajectory are named in
    :attr:`Trajectory.constraints_violated` with the amount missed (the search never
    raises for them); :func:`require_feasible` turns them into an error.

    Example:
        >>> problem = TrajectoryProblem(("earth", "mars"), launch=("2028-09-20", "2028-10-20"),
        ...                             arrive=("2030-06-01", "2031-01-31"), model="dsm")
        >>> best = optimise_trajectory(problem, seed=3, restarts=1, population=16, generations=20)
        >>> best.feasible, best.sequence
        (True, ('earth', 'mars'))
    """
    for name, v in (("restarts", restarts), ("population", population),
                    ("generations", generations)):
        if int(v) != v or v < 1:
            raise ParameterError(f"{name} {v} must be a whole number >= 1")
    t_start = _time.perf_counter()
    fit = _Fitness(problem, planets)
    seed_x = None if x0 is None else np.asarray(x0, dtype=float)
    x, _f = _search(fit, int(seed), int(restarts), int(population), int(generations), seed_x)
    return Trajectory.from_x(fit, x, runtime_s=_time.perf_counter() - t_start,
                             evaluations=fit.evaluations)


def evaluate_trajectory(problem: TrajectoryProblem, x: Any, *,
                        planets: Planets | None = None) -> Trajectory:
    """The :class:`Trajectory` of one decision vector ``x`` of ``problem`` (e.g.
    ``traj.x`` kept in a cache: the result is rebuilt exactly, no search)."""
    fit = _Fitness(problem, planets)
    xa = np.asarray(x, dtype=float)
    if xa.shape != (fit.model.dim,):
        raise ParameterError(
            f"x has shape {xa.shape}: give the {fit.model.dim} values of the problem's "
            "decision vector (Trajectory.x)"
        )
    return Trajectory.from_x(fit, xa)


# ----------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Leg:
    """One leg: planets, epochs (TDB s past J2000), DSM epoch and ΔV (NaN/0 without)."""

    body_from: str
    body_to: str
    depart_et: float
    arrive_et: float
    dsm_et: float
    dsm_dv_kms: float
    revs: int


@dataclass(frozen=True)
class Flyby:
    """A flyby: planet, epoch, pericentre altitude (km), v-infinity in/out (km/s), turn
    (deg) and the ΔV it needed (km/s; 0 for an unpowered flyby)."""

    body: str
    et: float
    altitude_km: float
    vinf_in_kms: float
    vinf_out_kms: float
    turn_deg: float
    dv_kms: float


@dataclass(frozen=True, repr=False)
class Trajectory:
    """An optimised (or evaluated) trajectory.

    Attributes:
        sequence, model, objective: what was solved.
        x: the decision vector (see :mod:`areo.transfer.mga`).
        objective_value: the model's objective (km/s; km^2/s^2 for ``c3``).
        launch_et: launch epoch (TDB s past J2000); ``launch_c3_km2s2``, ``launch_dla_deg``
            (declination of the launch asymptote, Earth equator), ``launch_rla_deg``.
        legs: :class:`Leg` per leg; flybys: :class:`Flyby` per intermediate planet.
        arrive_et, arrival_vinf_kms, arrival_declination_deg (Mars equator, IAU 2015),
        arrival_ls_deg, landing_lmst_h (NaN without a site or not at Mars).
        total_dv_kms: ΔV paid after launch: the DSMs and powered flybys, plus the capture
            burn for the ``dsm+capture`` objective.
        constraints_violated: ``{name: {"value", "limit", "missed_by", "unit"}}`` for each
            constraint missed by more than its tolerance (0.001 km^2/s^2 of C3, 0.001 deg,
            0.0001 km/s, 0.001 h, 0.001 day: below the model's accuracy).
        at_edge: decision variables that ended on the edge of their search span.
        runtime_s, evaluations: search cost.
    """

    sequence: tuple[str, ...]
    model: str
    objective: str
    x: np.ndarray
    objective_value: float
    launch_et: float
    launch_c3_km2s2: float
    launch_dla_deg: float
    launch_rla_deg: float
    legs: tuple[Leg, ...]
    flybys: tuple[Flyby, ...]
    arrive_et: float
    arrival_vinf_kms: float
    arrival_declination_deg: float
    arrival_ls_deg: float
    landing_lmst_h: float
    total_dv_kms: float
    constraints_violated: dict[str, dict[str, Any]]
    at_edge: tuple[str, ...]
    site: str | None = None
    runtime_s: float = 0.0
    evaluations: int = 0
    _states: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_x(cls, fit: _Fitness, x: Any, *, runtime_s: float = 0.0,
               evaluations: int = 0) -> Trajectory:
        """Evaluate one decision vector of ``fit``'s model into a result."""
        X = np.asarray(x, dtype=float)[None]
        ev = fit.model.evaluate(X)
        d = fit.derived(ev, full=True)
        viol = fit.violations(ev, d)
        prob = fit.problem
        c = prob.constraints
        seq = prob.sequence
        L = len(seq) - 1
        legs = []
        for k in range(L):
            has_dsm = prob.model == "dsm"
            legs.append(Leg(
                seq[k], seq[k + 1], float(mjd2000_to_et(ev.planet_mjd2000[0, k])),
                float(mjd2000_to_et(ev.planet_mjd2000[0, k + 1])),
                float(mjd2000_to_et(ev.dsm_mjd2000[0, k])) if has_dsm else math.nan,
                float(ev.dsm_dv[0, k]), int(ev.leg_revs[0, k])))
        flybys = []
        for k in range(L - 1):
            b = fit.planets.body(seq[k + 1])
            vp = ev.planet_states[0, k + 1, 3:]
            flybys.append(Flyby(
                seq[k + 1], float(mjd2000_to_et(ev.planet_mjd2000[0, k + 1])),
                float(ev.flyby_rp[0, k] - b.radius_km),
                float(np.linalg.norm(ev.leg_v_arr[0, k] - vp)),
                float(np.linalg.norm(ev.leg_v_dep[0, k + 1] - vp)),
                float(np.degrees(ev.flyby_turn[0, k])), float(ev.flyby_dv[0, k])))
        total = float(ev.dsm_dv[0].sum() + ev.flyby_dv[0].sum())
        if prob.objective == "dsm+capture":
            arrive = fit.planets.body(seq[-1])
            rp = arrive.radius_km + prob.capture[0]
            va = float(d["vinf_arr"][0])
            total += abs(math.sqrt(va**2 + 2 * arrive.mu_km3s2 / rp)
                         - math.sqrt(arrive.mu_km3s2 * (1 + prob.capture[1]) / rp))
        limits = {"max_c3": (d["c3"], c.max_c3_km2s2), "dla": (d["dla"], c.dla_deg),
                  "max_vinf_arrive": (d["vinf_arr"], c.max_vinf_arrive_kms),
                  "arrival_ls": (d["ls"], c.arrival_ls_deg),
                  "landing_lmst": (d["lmst"], c.landing_lmst_h),
                  "declination": (d["dec_arr"], c.site),
                  "arrive_span": (d["arrive_et"], prob.arrive)}
        violated = {}
        for k, miss in viol.items():
            if miss[0] > _TOL[k]:
                value, limit = limits[k]
                val = float(value[0])
                if k == "arrive_span":
                    val = str(Time.from_et(val).utc_iso(0))
                violated[k] = {"value": val, "limit": jsonable(limit),
                               "missed_by": float(miss[0]), "unit": _UNITS[k]}
        lo, hi = fit.model.lower, fit.model.upper
        names = _variable_names(prob, fit.model)
        span = hi - lo
        edge = tuple(n for n, v, a, b, s in zip(names, X[0], lo, hi, span, strict=True)
                     if s > 0 and n.split("[")[0] in ("launch", "tof", "vinf")
                     and min(v - a, b - v) <= 1e-3 * s)
        if prob.arrive_et is not None:
            a0, a1 = prob.arrive_et
            ae = float(d["arrive_et"][0])
            if min(abs(ae - a0), abs(a1 - ae)) <= 0.5 * DAY_S:
                edge += ("arrival",)
        return cls(
            sequence=seq, model=prob.model, objective=prob.objective, x=X[0],
            objective_value=float(ev.objective[0]),
            launch_et=float(mjd2000_to_et(ev.planet_mjd2000[0, 0])),
            launch_c3_km2s2=float(d["c3"][0]), launch_dla_deg=float(d["dla"][0]),
            launch_rla_deg=float(d["rla"][0]), legs=tuple(legs), flybys=tuple(flybys),
            arrive_et=float(d["arrive_et"][0]), arrival_vinf_kms=float(d["vinf_arr"][0]),
            arrival_declination_deg=float(d["dec_arr"][0]),
            arrival_ls_deg=float(d["ls"][0]), landing_lmst_h=float(d["lmst"][0]),
            total_dv_kms=total, constraints_violated=violated, at_edge=edge, site=c.site,
            runtime_s=float(runtime_s), evaluations=int(evaluations),
            _states={"ev": ev, "planets": fit.planets},
        )

    # ------------------------------------------------------------------ contract
    @property
    def launch_utc(self) -> str:
        return str(Time.from_et(self.launch_et).utc_iso(0))

    @property
    def arrive_utc(self) -> str:
        return str(Time.from_et(self.arrive_et).utc_iso(0))

    @property
    def feasible(self) -> bool:
        """True when no constraint is violated."""
        return not self.constraints_violated

    @property
    def arrival_vinf_vector_kms(self) -> np.ndarray:
        """The arrival v-infinity (Mars-relative velocity on the approach asymptote) in
        ICRF, km/s: what the entry or the capture sees."""
        ev = self._states["ev"]
        # the evaluation works in ECLIPJ2000; v_icrf = M^T v_ecl as the constraints use it
        return np.asarray(ev.vinf_arr[0], dtype=float) @ _ICRF_TO_ECL

    def to_dict(self) -> dict[str, Any]:
        """The ``areo trajectory --json`` document: ``launch`` {``utc``, ``c3_km2s2``,
        ``dla_deg``, ``rla_deg``}, ``legs`` [{``from``, ``to``, ``depart_utc``,
        ``arrive_utc``, ``dsm_utc``, ``dsm_dv_kms``}], ``arrival`` {``utc``, ``vinf_kms``,
        ``declination_deg``, ``ls_deg``, ``landing_lmst_h``}, ``total_dv_kms``,
        ``constraints_violated`` (name -> value, limit, missed_by, unit)."""
        def utc(et: float) -> str | None:
            return None if not math.isfinite(et) else str(Time.from_et(et).utc_iso(0))

        return jsonable({
            "launch": {"utc": self.launch_utc, "c3_km2s2": self.launch_c3_km2s2,
                       "dla_deg": self.launch_dla_deg, "rla_deg": self.launch_rla_deg},
            "legs": [{"from": g.body_from, "to": g.body_to, "depart_utc": utc(g.depart_et),
                      "arrive_utc": utc(g.arrive_et), "dsm_utc": utc(g.dsm_et),
                      "dsm_dv_kms": g.dsm_dv_kms} for g in self.legs],
            "arrival": {"utc": self.arrive_utc, "vinf_kms": self.arrival_vinf_kms,
                        "declination_deg": self.arrival_declination_deg,
                        "ls_deg": self.arrival_ls_deg, "landing_lmst_h": self.landing_lmst_h},
            "total_dv_kms": self.total_dv_kms,
            "constraints_violated": self.constraints_violated,
        })

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def to_frame(self) -> pd.DataFrame:
        """One row per event (launch, DSMs, flybys, arrival): ``utc`` (datetime64[ns, UTC]),
        ``event``, ``body``, ``dv_kms``, ``vinf_kms``, ``altitude_km``."""
        import pandas as pd

        rows: list[tuple[float, str, str, float, float, float]] = [
            (self.launch_et, "launch", self.sequence[0], math.nan,
             math.sqrt(self.launch_c3_km2s2), math.nan)]
        for g in self.legs:
            if math.isfinite(g.dsm_et):
                rows.append((g.dsm_et, "dsm", "", g.dsm_dv_kms, math.nan, math.nan))
        for f in self.flybys:
            rows.append((f.et, "flyby", f.body, f.dv_kms, f.vinf_in_kms, f.altitude_km))
        rows.append((self.arrive_et, "arrival", self.sequence[-1], math.nan,
                     self.arrival_vinf_kms, math.nan))
        rows.sort(key=lambda r: r[0])
        et = np.array([r[0] for r in rows])
        return pd.DataFrame({
            "utc": utc_column(et), "event": [r[1] for r in rows], "body": [r[2] for r in rows],
            "dv_kms": [r[3] for r in rows], "vinf_kms": [r[4] for r in rows],
            "altitude_km": [r[5] for r in rows]})

    def __repr__(self) -> str:
        dsm = sum(g.dsm_dv_kms for g in self.legs)
        extra = ""
        if self.constraints_violated:
            extra += f", violates {','.join(self.constraints_violated)}"
        if self.at_edge:
            extra += f", at span edge: {','.join(self.at_edge)}"
        text = (f"Trajectory: {'-'.join(self.sequence)} {self.model}, launch "
                f"{self.launch_utc[:10]} C3 {self.launch_c3_km2s2:.1f}, DSM {dsm:.3f} km/s, "
                f"arrive {self.arrive_utc[:10]} vinf {self.arrival_vinf_kms:.2f} km/s"
                + (f", Ls {self.arrival_ls_deg:.0f}" if math.isfinite(self.arrival_ls_deg)
                   else "")
                + (f", LMST {self.landing_lmst_h:.1f} h" if math.isfinite(self.landing_lmst_h)
                   else "") + extra)
        return text if len(text) < 200 else text[:196] + "..."

    def notes(self) -> list[str]:
        """Plain-language warnings: violated constraints and search-span edges."""
        out = [f"constraint {k} missed by {v['missed_by']:.3g} {v['unit']} (value "
               f"{v['value']}, limit {v['limit']})" for k, v in self.constraints_violated.items()]
        out += [f"{name} is on the edge of its search span: widen the span to be sure it is "
                "the optimum" for name in self.at_edge]
        return out

    def arc_states(self, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
        """The trajectory sampled in time: (et (m,), ECLIPJ2000 positions (m, 3) km)."""
        ev: Evaluation = self._states["ev"]
        planets = self._states["planets"]
        mu = planets.mu_sun
        ets, pos = [], []
        for k, g in enumerate(self.legs):
            start = np.concatenate([ev.planet_states[0, k, :3], ev.leg_v_dep[0, k]])
            splits = [(g.depart_et, g.dsm_et, start)]
            if math.isfinite(g.dsm_et):
                splits = [(g.depart_et, g.dsm_et, start),
                          (g.dsm_et, g.arrive_et, ev.dsm_state_after[0, k])]
            else:
                splits = [(g.depart_et, g.arrive_et, start)]
            for a, b, s0 in splits:
                tt = np.linspace(0.0, b - a, max(2, int(n * (b - a) / (self.arrive_et
                                                                      - self.launch_et))))
                st = propagate_kepler(s0, tt, mu)[0]
                ets.append(a + tt)
                pos.append(st[:, :3])
        return np.concatenate(ets), np.concatenate(pos)

    def plot(self, path: Any = None) -> Any:
        """The trajectory in the ecliptic plane (plotly): the Sun, the planets' orbits and
        positions at the encounters, the arc with date ticks every 30 days, the DSMs and
        flybys marked; saved to ``path`` (.html) when given."""
        import plotly.graph_objects as go

        from areo.io.figures import LAYOUT, show_or_save

        planets = self._states["planets"]
        fig = go.Figure()
        fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", name="Sun",
                                 marker={"size": 14, "color": "#f2c12e"}))
        colours = {"earth": "#2a6fdb", "mars": "#c1440e", "venus": "#b08d2b",
                   "jupiter": "#8a5a2b", "mercury": "#777777", "saturn": "#c9a13b"}
        period_d = {"mercury": 88, "venus": 225, "earth": 366, "mars": 687, "jupiter": 4333,
                    "saturn": 10759}
        m0 = float(et_to_mjd2000(self.launch_et))
        for body in dict.fromkeys(self.sequence):
            days = np.linspace(0, period_d.get(body, 700), 300)
            xyz = planets.states(body, m0 + days)[:, :3] / AU_KM
            fig.add_trace(go.Scatter(x=xyz[:, 0], y=xyz[:, 1], mode="lines",
                                     name=f"{body.title()} orbit", hoverinfo="skip",
                                     line={"width": 1, "color": colours.get(body, "#555")}))
        et, pos = self.arc_states()
        p = pos / AU_KM
        dates = np.atleast_1d(Time.from_et(et).utc_iso(0))
        fig.add_trace(go.Scatter(x=p[:, 0], y=p[:, 1], mode="lines", name="trajectory",
                                 line={"color": "black", "width": 2.5},
                                 text=[str(s)[:10] for s in dates],
                                 hovertemplate="%{text}<extra>trajectory</extra>"))
        ticks = np.arange(self.launch_et, self.arrive_et, 30 * DAY_S)[1:]
        idx = np.searchsorted(et, ticks).clip(0, len(et) - 1)
        fig.add_trace(go.Scatter(
            x=p[idx, 0], y=p[idx, 1], mode="markers+text", name="every 30 days",
            marker={"size": 5, "color": "black"},
            text=[str(s)[:10] for s in np.atleast_1d(Time.from_et(et[idx]).utc_iso(0))],
            textposition="top center", textfont={"size": 9}))
        ev: Evaluation = self._states["ev"]
        for j, body in enumerate(self.sequence):
            r = ev.planet_states[0, j, :3] / AU_KM
            what = "launch" if j == 0 else ("arrival" if j == len(self.sequence) - 1
                                            else "flyby")
            when = str(Time.from_et(mjd2000_to_et(ev.planet_mjd2000[0, j])).utc_iso(0))[:10]
            fig.add_trace(go.Scatter(x=[r[0]], y=[r[1]], mode="markers",
                                     name=f"{body.title()} {what} {when}",
                                     marker={"size": 11, "color": colours.get(body, "#555"),
                                             "symbol": "circle" if what != "flyby" else
                                             "star"}))
        for k, g in enumerate(self.legs):
            if math.isfinite(g.dsm_et):
                r = ev.dsm_state_before[0, k, :3] / AU_KM
                when = str(Time.from_et(g.dsm_et).utc_iso(0))[:10]
                fig.add_trace(go.Scatter(
                    x=[r[0]], y=[r[1]], mode="markers",
                    name=f"DSM {when} {g.dsm_dv_kms * 1000:.0f} m/s",
                    marker={"size": 12, "color": "#d62728", "symbol": "diamond"}))
        fig.update_layout(
            **LAYOUT, height=600,
            title={"text": f"{'-'.join(s.title() for s in self.sequence)} trajectory in the "
                           "ecliptic plane (ECLIPJ2000, from the north)"},
            xaxis={"title": "x (AU)", "zeroline": False},
            yaxis={"title": "y (AU)", "scaleanchor": "x", "scaleratio": 1, "zeroline": False})
        return show_or_save(fig, path)


def _variable_names(prob: TrajectoryProblem, model: MGA1DSM | MGA) -> list[str]:
    if isinstance(model, MGA1DSM):
        names = ["launch", "u", "v", "vinf", "eta[1]", "tof[1]"]
        for k in range(1, model.n_legs):
            names += [f"beta[{k}]", f"rp[{k}]", f"eta[{k + 1}]", f"tof[{k + 1}]"]
        return names
    return ["launch"] + [f"tof[{k + 1}]" for k in range(model.n_legs)]


def require_feasible(traj: Trajectory) -> Trajectory:
    """``traj`` when it meets every constraint, else a :class:`ParameterError` naming the
    constraints no trajectory in the spans met and the best values reached."""
    if traj.feasible:
        return traj
    parts = [f"{k} (best reachable {v['value']:.4g} {v['unit']} vs limit {v['limit']})"
             if isinstance(v["value"], float) else f"{k} (best {v['value']})"
             for k, v in traj.constraints_violated.items()]
    raise ParameterError(
        "no trajectory found meets " + "; ".join(parts)
        + ": relax these constraints or widen the spans"
    )


# ----------------------------------------------------------------------- launch period
@dataclass(frozen=True, repr=False)
class LaunchPeriodTable:
    """For each launch day of a period, the best trajectory under the constraints.

    ``trajectories`` one per day; ``max_c3_km2s2`` the cap used for :meth:`widest_period`.
    """

    trajectories: tuple[Trajectory, ...]
    max_c3_km2s2: float | None
    runtime_s: float

    def __len__(self) -> int:
        return len(self.trajectories)

    def __getitem__(self, i: int) -> Trajectory:
        return self.trajectories[i]

    def widest_period(self) -> tuple[str, str, int] | None:
        """(first, last launch day, days) of the longest run of consecutive days whose
        trajectory meets every constraint (the C3 cap included); None when no day does."""
        best: tuple[int, int] | None = None
        start = None
        ok = [t.feasible for t in self.trajectories] + [False]
        for i, good in enumerate(ok):
            if good and start is None:
                start = i
            elif not good and start is not None:
                if best is None or i - start > best[1] - best[0]:
                    best = (start, i)
                start = None
        if best is None:
            return None
        a, b = best
        return (self.trajectories[a].launch_utc[:10], self.trajectories[b - 1].launch_utc[:10],
                b - a)

    def to_records(self) -> list[dict[str, Any]]:
        rows = []
        for t in self.trajectories:
            rows.append({
                "launch_utc": t.launch_utc, "c3_km2s2": t.launch_c3_km2s2,
                "dla_deg": t.launch_dla_deg, "rla_deg": t.launch_rla_deg,
                "dsm_dv_kms": sum(g.dsm_dv_kms for g in t.legs), "arrive_utc": t.arrive_utc,
                "vinf_arrive_kms": t.arrival_vinf_kms, "landing_lmst_h": t.landing_lmst_h,
                "ls_deg": t.arrival_ls_deg, "feasible": t.feasible,
                "constraints_violated": sorted(t.constraints_violated)})
        return jsonable(rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per launch day: ``launch_utc``, ``arrive_utc`` (datetime64[ns, UTC]),
        ``c3_km2s2``, ``dla_deg``, ``rla_deg``, ``dsm_dv_kms``, ``vinf_arrive_kms``,
        ``landing_lmst_h``, ``ls_deg``, ``feasible``."""
        import pandas as pd

        recs = self.to_records()
        df = pd.DataFrame(recs).drop(columns=["constraints_violated"])
        df["launch_utc"] = utc_column([t.launch_et for t in self.trajectories])
        df["arrive_utc"] = utc_column([t.arrive_et for t in self.trajectories])
        return df

    def to_dict(self) -> dict[str, Any]:
        from areo.io.records import collection

        wp = self.widest_period()
        return collection("LaunchPeriodTable", self.to_records(),
                          max_c3_km2s2=self.max_c3_km2s2,
                          widest_period=None if wp is None else
                          {"first_utc": wp[0], "last_utc": wp[1], "days": wp[2]},
                          runtime_s=self.runtime_s)

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        n = len(self.trajectories)
        if n == 0:
            return "LaunchPeriodTable: no launch days"
        wp = self.widest_period()
        cap = f" under C3 {self.max_c3_km2s2:g}" if self.max_c3_km2s2 is not None else ""
        w = f"widest period {wp[2]} d ({wp[0]} to {wp[1]})" if wp else "no feasible day"
        return (f"LaunchPeriodTable: {n} launch days {self.trajectories[0].launch_utc[:10]} "
                f"to {self.trajectories[-1].launch_utc[:10]}, {w}{cap}")

    def plot(self, path: Any = None) -> Any:
        """C3, DSM ΔV and arrival v-infinity against the launch day (plotly), infeasible days
        hollow; saved to ``path`` (.html) when given."""
        import plotly.graph_objects as go
        from plotly.subplots import make_subplots

        from areo.io.figures import LAYOUT, show_or_save

        df = self.to_frame()
        # Full ISO times (plotly reads them as dates): the launch epochs themselves.
        x = [str(Time.from_et(t.launch_et).utc_iso(3))[:23] for t in self.trajectories]
        fig = make_subplots(rows=3, cols=1, shared_xaxes=True,
                            subplot_titles=("launch C3 (km²/s²)", "DSM ΔV (km/s)",
                                            "arrival v∞ (km/s)"))
        sym = ["circle" if f else "circle-open" for f in df["feasible"]]
        for row, col in enumerate(("c3_km2s2", "dsm_dv_kms", "vinf_arrive_kms"), start=1):
            fig.add_trace(go.Scatter(x=x, y=df[col], mode="lines+markers", name=col,
                                     marker={"symbol": sym}), row=row, col=1)
        if self.max_c3_km2s2 is not None:
            fig.add_hline(y=self.max_c3_km2s2, line_dash="dash", row=1, col=1)
        fig.update_layout(**LAYOUT, height=650, showlegend=False,
                          title={"text": repr(self)})
        return show_or_save(fig, path)


def optimise_launch_period(
    problem: TrajectoryProblem,
    *,
    seed: int = 0,
    step_days: float = 1.0,
    population: int = 20,
    generations: int = 60,
    progress: Callable[[int, int], None] | None = None,
    planets: Planets | None = None,
    client: Any = None,
    block_days: int = 7,
) -> LaunchPeriodTable:
    """For each launch day of ``problem.launch`` (every ``step_days``), the best trajectory
    with the launch fixed to that day (same constraints). The first day gets a wider search
    (two restarts of twice the population for three times the generations); each next day
    starts from the previous day's solution (continuation) in a seeded swarm
    of ``population`` for ``generations``, then the subplex polish; a backward pass then
    carries each day's solution to the day before wherever it is better there.

    ``client``: ``"serial"``, a Dask scheduler address or a ``distributed.Client`` cuts the
    period into blocks of ``block_days`` launch days, each searched as above (its own first
    day, continuation and backward pass) on :mod:`areo._batch`, seeded by its first day: the
    same blocks give the same table on any cluster and in this process
    (``client="serial"``); None searches the whole period as one continuation here."""
    validate.positive(step_days, "step_days", unit="days")
    l0, l1 = problem.launch_et
    days = np.arange(l0, l1 + 1.0, step_days * DAY_S)
    if client is not None:
        return _launch_period_on_engine(problem, days, seed, step_days, population,
                                        generations, planets, client, int(block_days))
    t0 = _time.perf_counter()
    out: list[Trajectory] = []
    planets = DE440Planets() if planets is None else planets
    prev: np.ndarray | None = None
    fits: list[_Fitness] = []
    xs: list[np.ndarray] = []
    fs: list[float] = []
    for i, et in enumerate(days):
        day = Time.from_et(et)
        fit = _Fitness(problem.with_launch((day, day)), planets)
        if prev is None:
            x, f = _search(fit, seed, 2, 2 * population, 3 * generations, None)
        else:
            x0 = prev.copy()
            x0[0] = fit.model.lower[0]
            # The day before is a near-optimal start: a short polish suffices (subplex
            # evaluates one vector at a time, ~0.3 ms each).
            x, f = _search(fit, seed + i, 1, population, generations, x0, polish_evals=60)
        fits.append(fit)
        xs.append(x)
        fs.append(f)
        prev = x
        if progress is not None:
            progress(i + 1, len(days))
    # Backward pass: a basin found late in the period (the swarm may jump to it on any day)
    # is carried back to the earlier days when it beats what they found (one batch
    # evaluation per day, a polish only where it helps).
    for i in range(len(days) - 2, -1, -1):
        cand = xs[i + 1].copy()
        cand[0] = fits[i].model.lower[0]
        fc = float(fits[i].penalised(cand[None])[0])
        if fc < fs[i] - 1e-9:
            x, f = _search(fits[i], seed + 7919 + i, 1, population // 2, generations // 3,
                           cand, polish_evals=60)
            xs[i], fs[i] = (x, f) if f < fc else (cand, fc)
    for fit, x in zip(fits, xs, strict=True):
        out.append(Trajectory.from_x(fit, x, evaluations=fit.evaluations))
    return LaunchPeriodTable(tuple(out), problem.constraints.max_c3_km2s2,
                             _time.perf_counter() - t0)


def launch_period_block(inputs: Any, seed: int, chunk_id: int) -> list[np.ndarray]:
    """The chunk function of :func:`optimise_launch_period` on :mod:`areo._batch`:
    ``inputs`` = (the problem over one block of launch days, the search's keywords);
    returns each day's best decision vector."""
    problem, kw = inputs
    return [t.x for t in optimise_launch_period(problem, **kw)]


def _launch_period_on_engine(problem: TrajectoryProblem, days: np.ndarray, seed: int,
                             step_days: float, population: int, generations: int,
                             planets: Planets | None, client: Any,
                             block_days: int) -> LaunchPeriodTable:
    from areo._batch import Chunk, map_chunks

    if planets is not None:
        raise ParameterError("optimise_launch_period: client= searches on DE440 in each "
                             "worker; custom planets cannot travel: drop planets= or client=")
    if block_days < 1:
        raise ParameterError(f"block_days = {block_days}: give at least one day per block")
    t0 = _time.perf_counter()
    chunks = []
    for k, i in enumerate(range(0, days.size, block_days)):
        first, last = Time.from_et(days[i]), Time.from_et(days[min(i + block_days, days.size)
                                                                 - 1])
        kw = dict(seed=seed + i, step_days=step_days, population=population,
                  generations=generations)
        chunks.append(Chunk(k, (problem.with_launch((first, last)), kw), 0))
    xs = [x for block in map_chunks(launch_period_block, chunks, client=client) for x in block]
    planets = DE440Planets()
    out = []
    for et, x in zip(days, xs, strict=True):
        day = Time.from_et(et)
        out.append(Trajectory.from_x(_Fitness(problem.with_launch((day, day)), planets), x))
    return LaunchPeriodTable(tuple(out), problem.constraints.max_c3_km2s2,
                             _time.perf_counter() - t0)


__all__ += ["Flyby", "Leg", "evaluate_trajectory", "require_feasible"]
