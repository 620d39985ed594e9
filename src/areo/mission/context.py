"""The run context of a mission, and what one step may see of it.

:class:`MissionContext` is built once per run from the scenario (the landing site, the
rover, the lander's radio, the number of sols) and completed when the landing time is
known (the mission clock, the orbiters' trajectories, read once). Nothing global is
changed: the landing site is an object handed to the planners, never a catalog entry.

A step sees the context through :class:`StepInputs`, which lets it read only the scenario
fields it declared (:attr:`areo.mission.steps.Step.reads`), the derived values it declared
it uses (:attr:`~areo.mission.steps.Step.uses`, one of :data:`DERIVED`) and the results of
the steps it declared it needs. That is what makes the step cache sound: a step's key is
the hash of exactly what it declared (a derived value enters by
:meth:`MissionContext.fingerprint`, so a rover change that does not change the number of
sols does not invalidate the relay plan), and reading anything else raises
:class:`UndeclaredInput` in the first test that runs the step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from areo.constants import DAY_S
from areo.errors import AreoInputError
from areo.mission.scenario import OrbiterSpec, Scenario, ScenarioError

__all__ = ["DERIVED", "MissionContext", "StepInputs", "UndeclaredInput", "field_error"]

#: Ground-track sampling (s) and the mission sol it covers.
GROUNDTRACK_STEP_S = 30.0
GROUNDTRACK_SOL = 1
#: Sampling of SPK orbiters before interpolation (s).
SPK_STEP_S = 60.0
#: The relay plan looks for Earth contacts 3 days past the last sol (areo.relay.plan).
CONTACT_TAIL_S = 3 * DAY_S + 600.0
#: The event searches sample a little before the span they are given.
SEARCH_HEAD_S = 3600.0

#: The values a run derives from the scenario that a step may use (``Step.uses``).
DERIVED = ("site", "rover", "lander_radio", "sols", "landing", "clock", "trajectories")


class UndeclaredInput(RuntimeError):
    """A step read a scenario field or a result it did not declare (a programming error:
    its cache key would not change with that input)."""


def field_error(sc: Scenario, field_name: str, message: str) -> ScenarioError:
    """A one-line error naming the scenario file and field."""
    return ScenarioError(f"{sc.origin}: field {field_name!r}: {message}")


# ============================================================================ the context
@dataclass
class MissionContext:
    """What a run knows beyond the scenario. ``landing``, ``clock`` and ``trajectories``
    are set by :meth:`land` once the landing time is known (after the transfer)."""

    scenario: Scenario
    site: Any  # areo.catalog.Site
    rover: Any  # areo.surface.rover.RoverModel | None
    lander_radio: str
    sols: int
    landing: Any = None  # areo.time.Time
    clock: Any = None  # areo.time.MissionClock
    trajectories: dict[str, Any] = field(default_factory=dict)
    _scenario_fp: dict[str, Any] | None = field(default=None, repr=False)
    _landing_utc: str | None = field(default=None, repr=False)

    @classmethod
    def from_scenario(cls, sc: Scenario) -> MissionContext:
        """Checks beyond the schema (the rover, the site), before any long work."""
        rover = None
        if sc.rover is not None:
            from areo.surface.rover import rover as load_rover

            model = sc.rover.model
            source: Any = sc.path(model) if model.lower().endswith(".toml") else model
            try:
                rover = load_rover(source, key=sc.rover.key)
            except AreoInputError as exc:
                raise field_error(sc, "rover.model", str(exc)) from None
        for k, o in enumerate(sc.orbiters):
            if o.spk:
                try:
                    import spiceypy  # noqa: F401
                except ImportError:
                    raise field_error(sc, f"orbiters.{k}.spk", "reading SPK kernels needs "
                                      "spiceypy: pip install spiceypy (areo[spice])") from None
        radio = sc.landing.radio or (rover.uhf_radio if rover else "electra-lite")
        sols = sc.operations.sols
        if sols is None:
            sols = (rover.nominal_mission_sols if rover is not None
                    and rover.nominal_mission_sols else 30)
        return cls(scenario=sc, site=_site(sc), rover=rover, lander_radio=radio,
                   sols=int(sols))

    def land(self, landing_utc: str) -> None:
        """Set the landing time: the mission clock (sol 0 = landing sol), the site's
        landing time (so that planners count the mission's sols) and the trajectories."""
        from areo.time import MissionClock, Time

        t = Time(landing_utc)
        self.landing, self._landing_utc = t, None
        self.clock = MissionClock.from_landing(t, float(self.site.lon_east_deg),
                                               name=self.scenario.mission.name)
        self.site = dataclasses.replace(self.site, landing_scet_utc=str(landing_utc))
        orbiters = self.scenario.orbiters
        # OEM files are read once (their span is checked on the trajectory); SPK kernels are
        # sampled only once their coverage is known to hold the span.
        built = {o.name: _trajectory(self, o) for o in orbiters if o.source != "spk"}
        self.trajectories = built
        _check_orbiter_coverage(self)
        built.update({o.name: _trajectory(self, o) for o in orbiters if o.source == "spk"})
        self.trajectories = {o.name: built[o.name] for o in orbiters}

    @property
    def landing_utc(self) -> str:
        if self._landing_utc is None:
            self._landing_utc = str(self.landing.utc_iso(3))
        return self._landing_utc

    def fingerprint(self, what: str) -> Any:
        """JSON-ready data that determine the derived value ``what`` (for cache keys)."""
        if self._scenario_fp is None:
            self._scenario_fp = self.scenario.fingerprint()
        fp = self._scenario_fp
        if what in ("landing", "clock", "trajectories") and self.landing is None:
            raise UndeclaredInput(f"the run's {what} is used before the transfer step fixed "
                                  "the landing time: order the steps after it")
        if what == "site":
            s = self.site
            return {"key": s.key, "name": s.name, "lat_deg": s.lat_deg,
                    "lon_east_deg": s.lon_east_deg, "height_km": s.height_km}
        if what == "rover":
            return None if self.rover is None else self.rover.model_dump(mode="json")
        if what == "lander_radio":
            return self.lander_radio
        if what == "sols":
            return self.sols
        if what in ("landing", "clock"):
            return {"utc": self.landing_utc, "lon_east_deg": self.site.lon_east_deg}
        if what == "trajectories":
            return {"orbiters": fp["orbiters"], "files": fp["_files"],
                    "landing": self.landing_utc, "span_et": list(self.orbiter_span())}
        raise KeyError(what)

    def ops_span(self) -> tuple[Any, Any]:
        """Landing to the end of the last sol of operations."""
        return self.landing, self.clock.time_of(self.sols + 1)

    def orbiter_span(self) -> tuple[float, float]:
        """What the chain evaluates orbiters over (TDB s): the landing to the last sol plus
        the contact search, the OEM products and the ground-track sol."""
        start, stop = self.ops_span()
        ends = (float(stop.et) + CONTACT_TAIL_S,
                float(start.et) + self.scenario.operations.ephemeris_sols * self.clock.sol_s
                + 600.0,
                float(self.clock.time_of(GROUNDTRACK_SOL + 1).et) + 600.0)
        return float(start.et) - SEARCH_HEAD_S, max(ends)


# ============================================================================ a step's view
class _SectionView:
    """One scenario section, limited to the fields a step declared."""

    def __init__(self, section: Any, path: str, allowed: set[str] | None, step: str):
        self._section, self._path, self._allowed, self._step = section, path, allowed, step

    def __getattr__(self, name: str) -> Any:
        if self._allowed is not None and name not in self._allowed and not name.startswith(
                "_"):
            raise UndeclaredInput(f"step {self._step!r} reads {self._path}.{name} without "
                                  "declaring it in its reads")
        return getattr(self._section, name)

    def __iter__(self) -> Any:
        return iter(self._section)

    def __len__(self) -> int:
        return len(self._section)

    def __getitem__(self, k: Any) -> Any:
        return self._section[k]


class _ScenarioView:
    """The scenario as a step sees it: only its declared sections and fields."""

    def __init__(self, sc: Scenario, declared: dict[str, set[str] | None], step: str):
        self._sc, self._declared, self._step = sc, declared, step

    def __getattr__(self, name: str) -> Any:
        if name in type(self._sc).model_fields and name not in ("base_dir", "origin"):
            if name not in self._declared:
                raise UndeclaredInput(f"step {self._step!r} reads scenario section {name!r} "
                                      "without declaring it in its reads")
            value = getattr(self._sc, name)
            allowed = self._declared[name]
            return value if allowed is None or value is None else _SectionView(
                value, name, allowed, self._step)
        return getattr(self._sc, name)  # origin, path(), ...


def declared_fields(reads: tuple[str, ...]) -> dict[str, set[str] | None]:
    """``("margins.link_fraction", "landing")`` -> ``{"margins": {"link_fraction"},
    "landing": None}`` (None: the whole section)."""
    out: dict[str, set[str] | None] = {}
    for r in reads:
        section, _, name = r.partition(".")
        if not name:
            out[section] = None
        elif section not in out:
            out[section] = {name}
        elif out[section] is not None:
            out[section].add(name)  # type: ignore[union-attr]
    return out


class StepInputs:
    """What one step may use: its declared scenario fields, the derived values built only
    from them, and the results of the steps it needs."""

    def __init__(self, ctx: MissionContext, step: Any, results: dict[str, Any],
                 progress: Any = None):
        self._ctx, self._step, self._results = ctx, step, results
        self._progress = progress
        self._declared = declared_fields(step.reads)
        self.scenario = _ScenarioView(ctx.scenario, self._declared, step.name)

    def _derived(self, what: str) -> Any:
        if what not in self._step.uses:
            raise UndeclaredInput(f"step {self._step.name!r} uses the run's {what} without "
                                  "declaring it in its uses")
        return getattr(self._ctx, what)

    @property
    def site(self) -> Any:
        return self._derived("site")

    @property
    def rover(self) -> Any:
        return self._derived("rover")

    @property
    def lander_radio(self) -> str:
        return self._derived("lander_radio")

    @property
    def sols(self) -> int:
        return self._derived("sols")

    @property
    def landing(self) -> Any:
        return self._derived("landing")

    @property
    def clock(self) -> Any:
        return self._derived("clock")

    @property
    def trajectories(self) -> dict[str, Any]:
        return self._derived("trajectories")

    def ops_span(self) -> tuple[Any, Any]:
        self._derived("sols")
        self._derived("clock")
        return self._ctx.ops_span()

    def result(self, step: str) -> Any:
        """The result of an earlier step this one declared it needs (None when that step
        did not apply to the scenario)."""
        if step not in self._step.needs:
            raise UndeclaredInput(f"step {self._step.name!r} uses the result of {step!r} "
                                  "without declaring it in its needs")
        return self._results.get(step)

    @property
    def progress(self) -> Any:
        """A callback ``(done, total)`` for progress inside the step (may be a no-op)."""
        return self._progress or (lambda done, total: None)


# ============================================================================ derivations
def _site(sc: Scenario) -> Any:
    """The landing site: a catalog site, or one made from the scenario's coordinates (an
    object handed to the planners: the catalog is never changed)."""
    from areo import catalog
    from areo.catalog import Site

    lan = sc.landing
    if lan.site is not None:
        return catalog.site(lan.site)  # a Mars site: checked when the scenario loaded
    key = lan.key
    try:
        known = catalog.site(key)
    except AreoInputError:
        known = None
    site = Site(key=key, name=str(lan.name), lat_deg=float(lan.lat_deg),  # type: ignore[arg-type]
                lon_east_deg=float(lan.lon_east_deg),  # type: ignore[arg-type]
                source=f"scenario {sc.mission.name}")
    if known is not None:
        if (abs(known.lat_deg - site.lat_deg) > 1e-9
                or abs(known.lon_east_deg - site.lon_east_deg) > 1e-9):
            raise field_error(sc, "landing.name", f"{lan.name!r} is already the catalog site "
                              f"{known.key!r} at other coordinates: choose another name, or "
                              f"give site = {known.key!r}")
        return known
    return site


def elements_orbit(o: OrbiterSpec, default_epoch: Any) -> Any:
    """The J2-mean orbit of an orbiter given by classical elements."""
    from areo.orbits import Orbit

    return Orbit.from_elements(
        peri_alt_km=o.peri_alt_km, apo_alt_km=o.apo_alt_km, inc_deg=o.inc_deg,
        raan_deg=o.raan_deg, argp_deg=o.argp_deg, anomaly_deg=o.mean_anomaly_deg,
        epoch=o.epoch_utc or default_epoch, name=o.name)


def _trajectory(ctx: MissionContext, o: OrbiterSpec) -> Any:
    """A trajectory with ``state(t)`` for one orbiter (elements without an epoch are taken
    at the landing; OEM files are read once; SPK kernels are sampled over the span the
    chain evaluates)."""
    from areo.events.sources import orbiter

    sc = ctx.scenario
    if o.source == "catalog":
        return orbiter(o.name, name=o.name)
    if o.source == "elements":
        return orbiter(elements_orbit(o, ctx.landing), name=o.name)
    if o.source == "oem":
        return orbiter(Path(sc.path(str(o.oem))), name=o.name)
    from areo.ephem import TabulatedTrajectory
    from areo.io.spk import read_spk_states
    from areo.time import Time

    t0, t1 = ctx.orbiter_span()
    t = Time.arange(Time.from_et(t0), Time.from_et(t1), SPK_STEP_S)
    states = read_spk_states(sc.path(str(o.spk)), int(o.naif_id), t)  # type: ignore[arg-type]
    return TabulatedTrajectory(t, states, name=o.name)


def _check_orbiter_coverage(ctx: MissionContext) -> None:
    """OEM and SPK orbiters must cover the span the chain evaluates them over."""
    from areo.time import Time

    sc = ctx.scenario
    t0, t1 = ctx.orbiter_span()
    for k, o in enumerate(sc.orbiters):
        if o.oem:
            lo, hi = ctx.trajectories[o.name].span
            what = f"orbiters.{k}.oem"
        elif o.spk:
            from areo.io.spk import spk_coverage

            try:
                cov = spk_coverage(sc.path(o.spk), int(o.naif_id))  # type: ignore[arg-type]
            except AreoInputError as exc:
                raise field_error(sc, f"orbiters.{k}.spk", str(exc)) from None
            if not cov:
                raise field_error(sc, f"orbiters.{k}.naif_id", f"the kernel holds no data "
                                  f"for NAIF ID {o.naif_id}: check the ID")
            lo = min(a for a, _ in cov)
            hi = max(b for _, b in cov)
            what = f"orbiters.{k}.spk"
        else:
            continue
        if lo > t0 or hi < t1:
            raise field_error(
                sc, what,
                f"the file covers {Time.from_et(lo).utc_iso(0)} .. "
                f"{Time.from_et(hi).utc_iso(0)} but operations need "
                f"{Time.from_et(t0).utc_iso(0)} .. {Time.from_et(t1).utc_iso(0)} (landing to "
                "the last sol plus 3 days of Earth contacts, with an hour's margin): give a "
                "file covering them or fewer operations.sols")
