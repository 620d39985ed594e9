"""The mission chain: one scenario, every product.

:func:`run_mission` runs, in order (each step's result cached, see :mod:`areo.mission.cache`):

1. ``validate``: the checks that need more than the schema (rover file, orbiter files and
   their coverage, the output directory), before any long work;
2. ``transfer``: the porkchop of the launch x arrival spans (DE440 Lambert arcs up to
   ``transfer.max_revs`` revolutions), the transfer chosen for ``transfer.objective`` (polished
   continuously, or the pinned dates), its C3, DLA, arrival v-infinity and the capture
   budget, and the arc in the ecliptic;
3. ``orbiters``: each orbiter's period, an OEM-ready ephemeris of the first sols after the
   landing, its ground track over sol 1;
4. ``relay``: every pass over the landing site, its UHF volume, the Earth contacts through the
   ground stations, the solar conjunctions and the CP-SAT relay plan over the operations span
   (:func:`areo.relay.plan.plan_relay`), re-labelled with the mission's sols;
5. ``campaign``: the rover campaign (:func:`areo.surface.plan.plan_campaign`) on that relay
   plan, when the scenario has a ``[rover]``;
6. ``products`` and ``report``: summary.json, CSV and Parquet tables, CCSDS OEM files, the
   Open MCT plan and report.html, written into a temporary directory beside ``out_dir`` that
   replaces ``out_dir`` only once everything is written.

Mission sols: sol 0 is the landing sol, starting at local mean midnight at the landing
longitude (:class:`areo.time.MissionClock`, NASA sol length). The operations span runs from
the landing to the end of sol ``operations.sols``.

``summary.json`` (keys read by other tools; add, never rename): ``launch`` (``utc``,
``c3_km2s2``, ``dla_deg``, ...), ``arrival`` (``utc``, ``vinf_kms``, ``capture_dv_kms``, ...),
``orbiters`` (each ``{name, period_s, ...}``), ``relay`` (``mean_mbit_per_sol`` over sols 1
to ``operations.sols``, ``median_latency_s`` over the passes used, ...), ``campaign``
(``sols``, ``n_samples``, ``max_depth_m``, ``experiment_cycles``, ``vertical_surveys``; null
when the scenario has no ``[rover]``), ``runtime_s``. Times are UTC ISO strings.

Other products in the output directory: ``passes`` (every pass with its volume, share and
latency), ``per_sol`` (relay and campaign per mission sol) and ``earth_contacts`` tables as
CSV and Parquet, ``<orbiter>.oem`` (CCSDS OEM of the first ``operations.ephemeris_sols``),
``rover_plan.openmct.json`` (Open MCT plan) and ``campaign_activities`` tables, a copy of the
scenario, and ``report.html``.
"""

from __future__ import annotations

import json
import math
import shutil
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from areo._output import OutputDir, inside, unique_file_names
from areo.errors import AreoInputError
from areo.mission.cache import StepCache, step_key
from areo.mission.scenario import OrbiterSpec, Scenario, ScenarioError, load_scenario

__all__ = ["STEPS", "MissionResult", "StepEvent", "run_mission"]

DAY_S = 86400.0
#: Ground-track sampling (s) and the sol it covers.
GROUNDTRACK_STEP_S = 30.0
GROUNDTRACK_SOL = 1
#: Sampling of SPK orbiters before interpolation (s).
SPK_STEP_S = 60.0
#: The relay plan looks for Earth contacts 3 days past the last sol (areo.relay.plan).
CONTACT_TAIL_S = 3 * 86400.0 + 600.0
#: The event searches sample a little before the span they are given.
SEARCH_HEAD_S = 3600.0

#: The steps, in order, with the label the progress display shows.
STEPS: tuple[tuple[str, str], ...] = (
    ("validate", "Checking the scenario"),
    ("transfer", "Porkchop and transfer"),
    ("orbiters", "Orbiter ephemerides and ground tracks"),
    ("relay", "Passes, Earth contacts, conjunctions, relay plan"),
    ("campaign", "Rover campaign"),
    ("products", "Tables, OEM ephemerides, Open MCT plan"),
    ("report", "Report"),
)
_LABELS = dict(STEPS)


@dataclass(frozen=True)
class StepEvent:
    """A progress event: ``state`` is 'start', 'done', 'cached' or 'skipped'."""

    step: str
    label: str
    state: str
    seconds: float = 0.0
    detail: str = ""


Progress = Callable[[StepEvent], None]


@dataclass
class MissionResult:
    """What a run produced: the output directory, its report and summary, and per step
    whether it was computed or reused from the cache."""

    out_dir: Path
    summary: dict[str, Any]
    steps: list[StepEvent] = field(default_factory=list)
    runtime_s: float = 0.0

    @property
    def report(self) -> Path:
        return self.out_dir / "report.html"

    @property
    def cached_steps(self) -> list[str]:
        return [e.step for e in self.steps if e.state == "cached"]

    @property
    def computed_steps(self) -> list[str]:
        return [e.step for e in self.steps if e.state == "done"
                and e.step not in ("products", "report", "validate")]


# ============================================================================ runner
class _Runner:
    def __init__(self, progress: Progress | None, cache: StepCache):
        self.progress = progress
        self.cache = cache
        self.events: list[StepEvent] = []

    def emit(self, step: str, state: str, seconds: float = 0.0, detail: str = "") -> None:
        ev = StepEvent(step, _LABELS[step], state, seconds, detail)
        if state != "start":
            self.events.append(ev)
        if self.progress is not None:
            self.progress(ev)

    def cached(self, step: str, inputs: Any, compute: Callable[[], Any],
               detail: Callable[[Any], str] | None = None) -> tuple[Any, str]:
        """Run ``compute`` unless the cache holds its result for these inputs."""
        key = step_key(step, inputs)
        self.emit(step, "start")
        t0 = _time.perf_counter()
        n_notes = len(self.cache.notes)
        value = self.cache.load(step, key)
        if value is not None:
            self.emit(step, "cached", _time.perf_counter() - t0,
                      detail(value) if detail else "")
            return value, key
        value = compute()
        self.cache.save(step, key, value)
        text = detail(value) if detail else ""
        # An unreadable cache entry was recomputed: say so, in one line.
        notes = "; ".join(self.cache.notes[n_notes:])
        text = f"{text}; {notes}" if text and notes else text or notes
        self.emit(step, "done", _time.perf_counter() - t0, text)
        return value, key

    def plain(self, step: str, compute: Callable[[], Any]) -> Any:
        self.emit(step, "start")
        t0 = _time.perf_counter()
        value = compute()
        self.emit(step, "done", _time.perf_counter() - t0)
        return value


def run_mission(
    scenario: Scenario | str | Path,
    out_dir: str | Path,
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> MissionResult:
    """Run the whole chain for ``scenario`` and write every product into ``out_dir``.

    ``scenario``: a :class:`~areo.mission.scenario.Scenario` or the path of a scenario TOML
    file. ``cache=False`` recomputes every step (results are still stored for the next run);
    ``cache_dir`` overrides ``$AREO_CACHE_DIR`` / ``~/.cache/areo``. ``progress`` receives a
    :class:`StepEvent` as each step starts and ends.

    ``out_dir`` is built in a temporary sibling directory and moved into place at the end: a
    failure leaves an existing ``out_dir`` as it was and never a partial one.

    Raises:
        ScenarioError, AreoInputError subclasses: bad input, named by its scenario field;
        the rover campaign's errors (a rover that cannot survive the dust scenario) pass
        through.
    """
    t_start = _time.perf_counter()
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    out = OutputDir(out_dir, kind="mission")
    with out:
        return _run(sc, out, _Runner(progress, StepCache(cache_dir, enabled=cache)), t_start)


def _run(sc: Scenario, out: OutputDir, run: _Runner, t_start: float) -> MissionResult:
    ctx = run.plain("validate", lambda: _preflight(sc))
    base = sc.fingerprint()
    tr_inputs = {k: base[k] for k in ("launch", "arrival", "transfer", "capture")}
    transfer, _ = run.cached("transfer", tr_inputs, lambda: _transfer_step(sc),
                                  lambda v: _transfer_detail(v))
    landing_utc = sc.landing.utc or transfer["chosen"]["arrive"]
    ctx.update(_landing_context(sc, ctx, landing_utc))
    _check_orbiter_coverage(sc, ctx)

    orb_inputs = {"orbiters": base["orbiters"], "files": base["_files"],
                  "landing": landing_utc, "operations": base["operations"]}
    orbiters, _ = run.cached("orbiters", orb_inputs, lambda: _orbiters_step(sc, ctx),
                             lambda v: ", ".join(f"{o['name']} T={o['period_s'] / 3600:.2f} h"
                                                 for o in v))
    relay_inputs = {"orbiters": base["orbiters"], "files": base["_files"],
                    "landing": base["landing"], "landing_utc": landing_utc,
                    "site": ctx["site_dict"], "stations": base["stations"],
                    "operations": base["operations"], "link": sc.margins.link_fraction,
                    "lander_radio": ctx["lander_radio"], "sols": ctx["sols"]}
    relay, relay_key = run.cached("relay", relay_inputs, lambda: _relay_step(sc, ctx),
                                  lambda v: f"{len(v['plan'].rows)} passes, "
                                            f"{v['plan'].status}")

    campaign = None
    if sc.rover is not None:
        camp_inputs = {"rover": ctx["rover_dict"], "relay": relay_key, "dust": base["dust"],
                       "margins": base["margins"], "sols": ctx["sols"],
                       "landing_utc": landing_utc, "site": ctx["site_dict"],
                       "orbiters": [o.name for o in sc.orbiters]}
        campaign, _ = run.cached("campaign", camp_inputs,
                                 lambda: _campaign_step(sc, ctx, relay["plan"]),
                                 lambda v: _campaign_detail(v))
    else:
        run.emit("campaign", "skipped", detail="no [rover] section")

    summary = _summary(sc, ctx, transfer, orbiters, relay, campaign)
    result = MissionResult(out.path, summary, run.events)
    with out.staging() as stage:
        run.plain("products", lambda: _write_products(sc, ctx, stage, transfer, orbiters,
                                                      relay, campaign))
        summary["runtime_s"] = _time.perf_counter() - t_start
        summary["cache"] = {"cached_steps": [e.step for e in run.events
                                             if e.state == "cached"],
                            "computed_steps": [e.step for e in run.events
                                               if e.state == "done"
                                               and e.step in ("transfer", "orbiters", "relay",
                                                              "campaign")],
                            "notes": list(run.cache.notes)}

        def _report() -> None:
            # The one upward import (workflows -> interfaces), lazy: the page is a product
            # of the run, written inside its atomic staging directory.
            from areo.report import write_report

            summary["runtime_s"] = _time.perf_counter() - t_start
            write_report(stage / "report.html", sc, ctx, summary, transfer, orbiters, relay,
                         campaign)
            summary["runtime_s"] = _time.perf_counter() - t_start
            _write_json(stage / "summary.json", summary)

        run.plain("report", _report)
    result.steps = run.events
    result.runtime_s = summary["runtime_s"]
    return result


# ============================================================================ validate
def _field_error(sc: Scenario, field_name: str, message: str) -> ScenarioError:
    return ScenarioError(f"{sc.origin}: field {field_name!r}: {message}")


def _preflight(sc: Scenario) -> dict[str, Any]:
    """Checks beyond the schema, before the long work; returns the run context."""
    ctx: dict[str, Any] = {}
    # rover
    if sc.rover is not None:
        from areo.surface.rover import rover as load_rover

        model = sc.rover.model
        source: Any = sc.path(model) if model.lower().endswith(".toml") else model
        try:
            r = load_rover(source, key=sc.rover.key)
        except AreoInputError as exc:
            raise _field_error(sc, "rover.model", str(exc)) from None
        ctx["rover"] = r
        ctx["rover_dict"] = r.model_dump(mode="json")
        try:
            campaign_api()
        except ImportError:  # pragma: no cover - the campaign planner ships with areo
            raise _field_error(sc, "rover", "this areo has no rover campaign planner "
                               "(areo.surface.plan.plan_campaign): remove [rover]") from None
    # orbiter files
    for k, o in enumerate(sc.orbiters):
        rel = o.oem or o.spk
        if rel is None:
            continue
        p = sc.path(rel)
        what = "oem" if o.oem else "spk"
        if not p.is_file():
            raise _field_error(sc, f"orbiters.{k}.{what}", f"file {str(p)!r} does not exist: "
                               "check the path (relative to the scenario file)")
        if o.spk:
            try:
                import spiceypy  # noqa: F401
            except ImportError:
                raise _field_error(sc, f"orbiters.{k}.spk", "reading SPK kernels needs "
                                   "spiceypy: pip install spiceypy (areo[spice])") from None
    # landing site
    ctx["site"] = _site(sc)
    s = ctx["site"]
    ctx["site_dict"] = {"key": s.key, "name": s.name, "lat_deg": s.lat_deg,
                        "lon_east_deg": s.lon_east_deg}
    rover = ctx.get("rover")
    ctx["lander_radio"] = sc.landing.radio or (rover.uhf_radio if rover else "electra-lite")
    sols = sc.operations.sols
    if sols is None:
        sols = (rover.nominal_mission_sols if rover is not None
                and rover.nominal_mission_sols else 30)
    ctx["sols"] = int(sols)
    return ctx


def _site(sc: Scenario) -> Any:
    from areo import catalog
    from areo.catalog import Site

    lan = sc.landing
    if lan.site is not None:
        return catalog.site(lan.site)
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
            raise _field_error(sc, "landing.name", f"{lan.name!r} is already the catalog site "
                               f"{known.key!r} at other coordinates: choose another name, or "
                               f"give site = {known.key!r}")
        return known
    # plan_relay looks landers up in the catalog: register the scenario's site there.
    catalog.default_catalog().sites.add(site)
    return site


def _landing_context(sc: Scenario, ctx: dict[str, Any], landing_utc: str) -> dict[str, Any]:
    from areo.time import MissionClock, Time

    t = Time(landing_utc)
    lon = float(ctx["site"].lon_east_deg)
    clock = MissionClock.from_landing(t, lon, name=sc.mission.name)
    return {"landing": t, "landing_utc": str(t.utc_iso(3)), "clock": clock}


def _ops_span(ctx: dict[str, Any]) -> tuple[Any, Any]:
    clock = ctx["clock"]
    return ctx["landing"], clock.time_of(ctx["sols"] + 1)


def _orbiter_span(sc: Scenario, ctx: dict[str, Any]) -> tuple[float, float]:
    """What the chain evaluates orbiters over (TDB s): the landing to the last sol plus the
    contact search, the OEM products and the ground-track sol."""
    start, stop = _ops_span(ctx)
    clock = ctx["clock"]
    ends = (float(stop.et) + CONTACT_TAIL_S,
            float(start.et) + sc.operations.ephemeris_sols * clock.sol_s + 600.0,
            float(clock.time_of(GROUNDTRACK_SOL + 1).et) + 600.0)
    return float(start.et) - SEARCH_HEAD_S, max(ends)


def _check_orbiter_coverage(sc: Scenario, ctx: dict[str, Any]) -> None:
    """OEM and SPK orbiters must cover the span the chain evaluates them over."""
    t0, t1 = _orbiter_span(sc, ctx)
    for k, o in enumerate(sc.orbiters):
        if o.oem:
            from areo.io.oem import read_oem

            data = read_oem(sc.path(o.oem))
            segs = getattr(data, "segments", None) or [data]
            lo = min(float(np.min(s.et)) for s in segs)
            hi = max(float(np.max(s.et)) for s in segs)
            what = f"orbiters.{k}.oem"
        elif o.spk:
            from areo.io.spk import spk_coverage

            try:
                cov = spk_coverage(sc.path(o.spk), int(o.naif_id))  # type: ignore[arg-type]
            except AreoInputError as exc:
                raise _field_error(sc, f"orbiters.{k}.spk", str(exc)) from None
            if not cov:
                raise _field_error(sc, f"orbiters.{k}.naif_id", f"the kernel holds no data "
                                   f"for NAIF ID {o.naif_id}: check the ID")
            lo = min(a for a, _ in cov)
            hi = max(b for _, b in cov)
            what = f"orbiters.{k}.spk"
        else:
            continue
        if lo > t0 or hi < t1:
            from areo.time import Time

            raise _field_error(
                sc, what,
                f"the file covers {Time.from_et(lo).utc_iso(0)} .. "
                f"{Time.from_et(hi).utc_iso(0)} but operations need "
                f"{Time.from_et(t0).utc_iso(0)} .. {Time.from_et(t1).utc_iso(0)} (landing to "
                "the last sol plus 3 days of Earth contacts, with an hour's margin): give a "
                "file covering them or fewer operations.sols")


# ============================================================================ transfer
def _axis(earliest: str | None, latest: str | None, pin: str | None, n_max: int,
          pad_days: float) -> Any:
    """The porkchop axis: the span, or the pinned date +- ``pad_days``, at most ``n_max``
    dates about a day apart."""
    from areo.time import Time

    if earliest is not None and latest is not None:
        a, b = Time(earliest), Time(latest)
    else:
        p = Time(pin)
        a, b = p - pad_days * DAY_S, p + pad_days * DAY_S
    days = float(b.et - a.et) / DAY_S
    if days <= 0:
        return Time.linspace(a, a, 1)
    return Time.linspace(a, b, int(min(n_max, max(2, math.floor(days) + 1))))


def _capture(sc: Scenario) -> Any:
    from areo.transfer import CaptureOrbit

    c = sc.capture
    if c.apoapsis_alt_km is not None:
        if c.apoapsis_alt_km < c.periapsis_alt_km:
            raise ScenarioError(f"{sc.origin}: field 'capture.apoapsis_alt_km': "
                                f"{c.apoapsis_alt_km} km is below periapsis_alt_km "
                                f"{c.periapsis_alt_km} km: swap them")
        return CaptureOrbit.from_apoapsis(c.periapsis_alt_km, c.apoapsis_alt_km)
    try:
        return CaptureOrbit.from_period(c.periapsis_alt_km, float(c.period_h) * 3600.0)
    except AreoInputError as exc:
        raise ScenarioError(f"{sc.origin}: field 'capture.period_h': {exc}") from None


def _objective(tr: Any, objective: str) -> float:
    return float({"c3": tr.c3_km2s2, "dv_total": tr.dv_total_kms,
                  "vinf_arrive": tr.vinf_arrive_kms}[objective])


def _transfer_step(sc: Scenario) -> dict[str, Any]:
    from areo.time import Time
    from areo.transfer import porkchop, transfer

    spec = sc.transfer
    cap = _capture(sc)
    park = sc.launch.parking_alt_km
    tl = _axis(sc.launch.earliest, sc.launch.latest, sc.launch.utc, spec.grid_points, 30.0)
    ta = _axis(sc.arrival.earliest, sc.arrival.latest, sc.arrival.utc, spec.grid_points, 45.0)
    pc = porkchop(tl, ta, revs=spec.max_revs, select=spec.objective, parking_alt_km=park,
                  capture=cap)
    if not np.isfinite(pc.c3_km2s2).any():
        raise ScenarioError(f"{sc.origin}: field 'arrival': no ballistic transfer exists "
                            "between these launch and arrival spans: move the arrival span "
                            "later or allow more revolutions (transfer.max_revs)")
    pinned_l, pinned_a = sc.launch.utc, sc.arrival.utc
    if pinned_l is not None or pinned_a is not None:
        # A replay (or a half-pinned search): the best branch at the pinned date(s).
        ll = Time([pinned_l]) if pinned_l else tl
        aa = Time([pinned_a]) if pinned_a else Time.linspace(ta[0], ta[-1], 4 * len(ta))
        sub = porkchop(ll, aa, revs=spec.max_revs, select=spec.objective,
                       parking_alt_km=park, capture=cap)
        point = sub.minimum(spec.objective)
        if pinned_l is None or pinned_a is None:
            point = sub.minimum(spec.objective, refine=True)
    else:
        point = pc.minimum(spec.objective, refine=True)
    # The full transfer (vectors) on the branch the grid kept.
    branches = [(point.revs, False)] if point.revs == 0 else [(point.revs, False),
                                                               (point.revs, True)]
    cands = [transfer(point.launch, point.arrive, revs=r, right=b, parking_alt_km=park,
                      capture=cap) for r, b in branches]
    cands = [c for c in cands if c.converged]
    tr = min(cands, key=lambda c: abs(c.c3_km2s2 - point.c3_km2s2))
    budget = tr.insertion(sc.capture.final_alt_km)
    return {
        "porkchop": {
            "launch_et": np.asarray(pc.launch.et, dtype=float),
            "arrive_et": np.asarray(pc.arrive_et[0], dtype=float),
            "c3_km2s2": pc.c3_km2s2.astype(np.float32),
            "vinf_arrive_kms": pc.vinf_arrive_kms.astype(np.float32),
            "dv_total_kms": pc.dv_total_kms.astype(np.float32),
            "tof_days": pc.tof_days.astype(np.float32),
            "transfer_type": pc.transfer_type.astype(np.int8),
            "shape": list(pc.shape), "seconds": pc.seconds, "max_revs": pc.max_revs,
            "objective": spec.objective,
            "grid_min": pc.minimum(spec.objective).to_dict(),
        },
        "chosen": {**tr.to_dict(), "arrive": str(tr.arrive.utc_iso(3)),
                   "launch": str(tr.launch.utc_iso(3)),
                   "pinned": bool(pinned_l or pinned_a)},
        "insertion": budget.to_dict(),
        "capture": cap.to_dict(),
        "arc": _arc(tr),
    }


def _transfer_detail(v: dict[str, Any]) -> str:
    c = v["chosen"]
    return (f"{c['launch'][:10]} -> {c['arrive'][:10]}, C3 {c['c3_km2s2']:.2f} km2/s2, "
            f"v-inf {c['vinf_arrive_kms']:.2f} km/s")


def _arc(tr: Any) -> dict[str, Any]:
    """The transfer arc and the planets' orbits in the ecliptic (ECLIPJ2000), AU."""
    from areo.constants import AU_KM
    from areo.ephem import FRAMES, default_ephemeris
    from areo.orbits import Orbit
    from areo.time import Time

    eph = default_ephemeris()
    rot = np.asarray(FRAMES["eclipj2000"], dtype=float)
    et0, et1 = float(tr.launch.et), float(tr.arrive.et)
    earth0 = eph.state("earth", tr.launch, center="sun").states.reshape(6)
    state = np.concatenate([earth0[:3], np.asarray(tr.v1, dtype=float).reshape(3)])
    arc_t = Time.from_et(np.linspace(et0, et1, 400))
    arc = Orbit.from_state(state, et0, body="sun").propagate(arc_t, model="kepler")
    arc_xyz = np.asarray(arc.states, dtype=float).reshape(-1, 6)[:, :3]

    def planet(name: str, days: float, t_mark: Any) -> dict[str, Any]:
        t = Time.from_et(np.linspace(et0, et0 + days * DAY_S, 361))
        xyz = eph.state(name, t, center="sun").states.reshape(-1, 6)[:, :3]
        mark = eph.state(name, t_mark, center="sun").states.reshape(6)[:3]
        return {"xyz": (xyz @ rot.T) / AU_KM, "mark": (rot @ mark) / AU_KM}

    return {
        "transfer": (arc_xyz @ rot.T) / AU_KM,
        "earth": planet("earth", 365.25636, tr.launch),
        "mars": planet("mars", 686.98, tr.arrive),
        "mars_at_launch": (rot @ eph.state("mars", tr.launch, center="sun")
                           .states.reshape(6)[:3]) / AU_KM,
        "earth_at_arrival": (rot @ eph.state("earth", tr.arrive, center="sun")
                             .states.reshape(6)[:3]) / AU_KM,
    }


# ============================================================================ orbiters
def _elements_orbit(o: OrbiterSpec, default_epoch: Any) -> Any:
    from areo.orbits import Orbit

    return Orbit.from_elements(
        peri_alt_km=o.peri_alt_km, apo_alt_km=o.apo_alt_km, inc_deg=o.inc_deg,
        raan_deg=o.raan_deg, argp_deg=o.argp_deg, anomaly_deg=o.mean_anomaly_deg,
        epoch=o.epoch_utc or default_epoch, name=o.name)


def _trajectory(sc: Scenario, o: OrbiterSpec, ctx: dict[str, Any]) -> Any:
    """A trajectory with ``state(t)`` for one orbiter spec (elements without an epoch are
    taken at the landing; SPK kernels are sampled over :func:`_orbiter_span`)."""
    start = ctx["landing"]
    from areo.events.sources import orbiter

    if o.source == "catalog":
        return orbiter(o.name, name=o.name)
    if o.source == "elements":
        return orbiter(_elements_orbit(o, start), name=o.name)
    if o.source == "oem":
        return orbiter(Path(sc.path(str(o.oem))), name=o.name)
    from areo.ephem import TabulatedTrajectory
    from areo.io.spk import read_spk_states
    from areo.time import Time

    t0, t1 = _orbiter_span(sc, ctx)
    t = Time.arange(Time.from_et(t0), Time.from_et(t1), SPK_STEP_S)
    states = read_spk_states(sc.path(str(o.spk)), int(o.naif_id), t)  # type: ignore[arg-type]
    return TabulatedTrajectory(t, states, name=o.name)


def _orbit_of(sc: Scenario, o: OrbiterSpec, traj: Any, t0: Any) -> Any:
    from areo.orbits import Orbit

    if o.source == "catalog":
        return Orbit.from_catalog(o.name)
    if o.source == "elements":
        return _elements_orbit(o, t0)
    # osculating orbit of the tabulated state at the landing
    return Orbit.from_state(np.asarray(traj.state(t0), dtype=float).reshape(6), t0)


def _orbiters_step(sc: Scenario, ctx: dict[str, Any]) -> list[dict[str, Any]]:
    from areo.orbits.groundtrack import GroundTrack
    from areo.time import Time

    clock = ctx["clock"]
    t0 = ctx["landing"]
    eph_stop = t0 + sc.operations.ephemeris_sols * clock.sol_s
    t_oem = Time.arange(t0, eph_stop, sc.operations.ephemeris_step_s)
    g0, g1 = clock.time_of(GROUNDTRACK_SOL), clock.time_of(GROUNDTRACK_SOL + 1)
    t_gt = Time.arange(g0, g1, GROUNDTRACK_STEP_S)
    out = []
    for o in sc.orbiters:
        traj = _trajectory(sc, o, ctx)
        orbit = _orbit_of(sc, o, traj, t0)
        states = np.asarray(traj.state(t_oem), dtype=float).reshape(-1, 6)
        gt_states = np.asarray(traj.state(t_gt), dtype=float).reshape(-1, 6)
        gt = GroundTrack.from_states(t_gt, gt_states, name=o.name)
        entry: dict[str, Any] = {
            "name": o.name, "source": o.source, "period_s": float(orbit.period_s),
            "peri_alt_km": float(orbit.peri_alt_km), "apo_alt_km": float(orbit.apo_alt_km),
            "inc_deg": float(orbit.inc_deg),
            "oem_et": np.asarray(t_oem.et, dtype=float), "oem_states": states,
            "gt_et": np.asarray(t_gt.et, dtype=float),
            "gt_lat_deg": np.asarray(gt.lat_deg, dtype=float),
            "gt_lon_east_deg": np.asarray(gt.lon_east_deg, dtype=float),
            "gt_alt_km": np.asarray(gt.alt_km, dtype=float),
        }
        if o.source == "catalog":
            from areo.catalog.orbits import orbit_entry

            c = orbit_entry(o.name)
            entry.update(display_name=c.name, phasing=c.phasing, catalog_source=c.source)
        else:
            entry.update(display_name=o.name, phasing="", catalog_source=str(o.oem or o.spk
                                                                           or "elements"))
        out.append(entry)
    return out


# ============================================================================ relay
def _relay_step(sc: Scenario, ctx: dict[str, Any]) -> dict[str, Any]:
    from areo.events import daylight
    from areo.relay.plan import ORBITER_RADIOS, plan_relay

    start, stop = _ops_span(ctx)
    trajs = {o.name: _trajectory(sc, o, ctx) for o in sc.orbiters}
    radios = {o.name: (o.radio or ORBITER_RADIOS.get(o.name, "electra")) for o in sc.orbiters}
    site = ctx["site"]
    ops = sc.operations
    plan = plan_relay(
        [site.key], trajs, start, stop, min_elev_deg=ops.min_elev_deg, mode=ops.rate_mode,
        lander_radio=ctx["lander_radio"], orbiter_radios=radios,
        stations=list(sc.stations.names), margin_fraction=sc.margins.link_fraction,
        storage_mbit=ops.orbiter_storage_mbit,
    )
    clock = ctx["clock"]
    if plan.rows:
        sols = np.atleast_1d(clock.sol(np.array([r["aos_et"] for r in plan.rows])))
        for r, s in zip(plan.rows, sols, strict=True):
            r["sol"] = int(s)  # the mission's sols (sol 0 = landing sol)
    week = daylight(site.key, start, start + 7 * DAY_S)
    light = week[0] if isinstance(week, list) else week
    return {"plan": plan, "daylight_week": light.windows, "start_et": float(start.et),
            "stop_et": float(stop.et), "radios": radios}


# ============================================================================ campaign
def campaign_api() -> tuple[Any, dict[str, Any]]:
    """``(plan_campaign, TAU_SCENARIOS)`` of the surface campaign planner."""
    try:
        from areo.surface.plan import TAU_SCENARIOS, plan_campaign
    except ImportError:
        from areo.surface.campaign import TAU_SCENARIOS, plan_campaign
    return plan_campaign, TAU_SCENARIOS


def _rover_for_campaign(sc: Scenario, rover: Any) -> Any:
    """The rover with the scenario's margins applied (array derated, battery floor)."""
    upd: dict[str, Any] = {}
    f = sc.margins.energy_fraction
    if f > 0:
        if rover.array_ref_wh_per_sol is not None and rover.array_ref_insolation_wh_m2:
            upd["array_ref_wh_per_sol"] = rover.array_ref_wh_per_sol * (1.0 - f)
        else:
            upd["array_efficiency"] = rover.array_efficiency * (1.0 - f)
    if sc.margins.min_soc is not None:
        upd["min_soc"] = sc.margins.min_soc
        upd["end_of_sol_soc_target"] = max(rover.end_of_sol_soc_target, sc.margins.min_soc)
    if not upd:
        return rover
    return type(rover).model_validate({**rover.model_dump(), **upd})


def _campaign_step(sc: Scenario, ctx: dict[str, Any], plan: Any) -> dict[str, Any]:
    from areo.surface.environment import Cleaning, DustModel

    plan_campaign = campaign_api()[0]
    dust = DustModel(loss_per_sol=sc.dust.loss_per_sol,
                     cleanings=tuple(Cleaning(c.sol, c.restore) for c in sc.dust.cleanings))
    try:
        camp = plan_campaign(
            rover=_rover_for_campaign(sc, ctx["rover"]), site=ctx["site"],
            landing=ctx["landing_utc"], sols=ctx["sols"], tau=sc.dust.tau, dust=dust,
            orbiters=tuple(o.name for o in sc.orbiters), relay=plan,
            experiment_cycles=sc.rover.experiment_cycles,  # type: ignore[union-attr]
            vertical_surveys=sc.rover.vertical_surveys,  # type: ignore[union-attr]
        )
    except AreoInputError as exc:
        # Name the scenario field behind the campaign's verdict.
        text = str(exc)
        where = ("dust.tau" if "surviv" in text else "operations.sols" if "fit" in text
                 else "rover")
        raise _field_error(sc, where, text) from None
    acts = camp.activities_frame() if hasattr(camp, "activities_frame") else None
    return {"dict": camp.to_dict(), "soc": camp.soc_series(), "openmct": camp.to_openmct(),
            "frame": camp.to_frame(), "activities": acts}


def _campaign_detail(v: dict[str, Any]) -> str:
    s = v["dict"].get("summary", {})
    return (f"{s.get('n_samples', '?')} samples, max depth {s.get('max_depth_m', 0):.2f} m, "
            f"{s.get('experiment_cycles', '?')} experiment cycles")


# ============================================================================ summary
def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def per_sol_relay(relay: dict[str, Any], ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """Relay volume, passes and latency per mission sol 0..sols, per orbiter too."""
    plan = relay["plan"]
    orbiters = sorted({r["orbiter"] for r in plan.rows})
    rows = []
    for sol in range(0, ctx["sols"] + 1):
        used = [r for r in plan.rows if r["sol"] == sol and r["share"] > 0]
        lat = [r["latency_s"] for r in used if math.isfinite(r["latency_s"])]
        d: dict[str, Any] = {
            "sol": sol,
            "relay_mbit": float(sum(r["volume_mbit"] * r["share"] for r in used)),
            "n_passes": len(used),
            "latency_s_median": float(np.median(lat)) if lat else None,
            "latency_s_min": float(np.min(lat)) if lat else None,
        }
        for o in orbiters:
            d[f"relay_mbit_{o}"] = float(sum(r["volume_mbit"] * r["share"] for r in used
                                             if r["orbiter"] == o))
        rows.append(d)
    return rows


def _summary(sc: Scenario, ctx: dict[str, Any], transfer: dict[str, Any],
             orbiters: list[dict[str, Any]], relay: dict[str, Any],
             campaign: dict[str, Any] | None) -> dict[str, Any]:
    from areo import __version__
    from areo.time import Time, mars_time

    c = transfer["chosen"]
    ins = transfer["insertion"]
    plan = relay["plan"]
    per_sol = per_sol_relay(relay, ctx)
    full = [r for r in per_sol if r["sol"] >= 1]
    used = [r for r in plan.rows if r["share"] > 0 and math.isfinite(r["latency_s"])]
    lat = [r["latency_s"] for r in used]
    mt = mars_time(ctx["landing"], ctx["site"].lon_east_deg)
    cw = plan.conjunctions
    conj = [{"start": str(Time.from_et(a).utc_iso(0)), "end": str(Time.from_et(b).utc_iso(0)),
             "days": (b - a) / DAY_S} for a, b in zip(cw.starts, cw.ends, strict=True)]
    contacts = {}
    t0, t1 = relay["start_et"], relay["stop_et"]
    for name, win in plan.contacts.items():
        sel = (win.ends > t0) & (win.starts < t1)
        a, b = np.maximum(win.starts[sel], t0), np.minimum(win.ends[sel], t1)
        hours = float(np.sum(b - a)) / 3600.0
        contacts[name] = {"hours_per_day": hours / ((t1 - t0) / DAY_S),
                          "n_contacts": int(a.size)}
    summary: dict[str, Any] = {
        "scenario": {"name": sc.mission.name, "file": sc.origin.removeprefix("scenario "),
                     "description": sc.mission.description},
        "areo_version": __version__,
        "launch": {"utc": c["launch"], "c3_km2s2": c["c3_km2s2"], "dla_deg": c["dla_deg"],
                   "rla_deg": c["rla_deg"], "vinf_kms": c["vinf_depart_kms"],
                   "dv_depart_kms": c["dv_depart_kms"],
                   "parking_alt_km": sc.launch.parking_alt_km},
        "transfer": {"tof_days": c["tof_days"], "type": c["transfer_type_name"],
                     "revs": c["revs"], "objective": sc.transfer.objective,
                     "pinned": c["pinned"],
                     "porkchop_shape": transfer["porkchop"]["shape"]},
        "arrival": {"utc": c["arrive"], "vinf_kms": c["vinf_arrive_kms"],
                    "declination_deg": c["arrival_dec_deg"],
                    "capture_dv_kms": ins["dv_capture_kms"],
                    "capture_orbit": transfer["capture"],
                    "insertion": {k: ins[k] for k in ("dv_direct_kms", "dv_propulsive_kms",
                                                      "dv_aerobraking_kms",
                                                      "aerobraking_saving_kms",
                                                      "final_alt_km")}},
        "landing": {"utc": ctx["landing_utc"], "site": ctx["site_dict"],
                    "mars_year": int(mt.mars_year), "ls_deg": float(mt.ls_deg),
                    "lmst_hours": float(mt.lmst_hours),
                    "sol0_midnight_utc": str(ctx["clock"].sol0_midnight.utc_iso(3))},
        "orbiters": [{"name": o["name"], "period_s": o["period_s"],
                      "peri_alt_km": o["peri_alt_km"], "apo_alt_km": o["apo_alt_km"],
                      "inc_deg": o["inc_deg"], "source": o["source"]} for o in orbiters],
        "relay": {
            "mean_mbit_per_sol": float(np.mean([r["relay_mbit"] for r in full]))
            if full else 0.0,
            "median_latency_s": float(np.median(lat)) if lat else None,
            "passes_used": len([r for r in plan.rows if r["share"] > 0]),
            "passes_found": len(plan.rows),
            "status": plan.status,
            "sols": ctx["sols"],
            "lander_radio": ctx["lander_radio"],
            "stations": list(sc.stations.names),
            "earth_contacts": contacts,
            "conjunctions": conj,
        },
        "campaign": None,
        "runtime_s": None,
    }
    if campaign is not None:
        s = campaign["dict"].get("summary", {})
        summary["campaign"] = {k: s.get(k) for k in (
            "sols", "n_samples", "max_depth_m", "experiment_cycles", "vertical_surveys",
            "last_science_sol", "contingency_sols", "data_returned_mbit",
            "mean_data_returned_mbit_per_sol")}
        soc = campaign["soc"]
        if len(soc):
            summary["campaign"]["soc_min_pct"] = float(np.min(soc["soc_pct"]))
        summary["campaign"]["rover"] = ctx["rover"].name or ctx["rover"].key
        summary["campaign"]["dust_tau"] = sc.dust.tau
    return _jsonable(summary)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if math.isfinite(v) else None
    return x


def _write_json(path: Path, data: Any) -> None:
    from areo._files import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as fh:
        json.dump(_jsonable(data), fh, indent=2, allow_nan=False)
        fh.write("\n")


# ============================================================================ products
def _write_table(stage: Path, name: str, frame: Any) -> list[str]:
    from areo._files import atomic_path

    with atomic_path(stage / f"{name}.csv") as tmp:
        frame.to_csv(tmp, index=False)
    with atomic_path(stage / f"{name}.parquet") as tmp:
        frame.to_parquet(tmp, index=False)
    return [f"{name}.csv", f"{name}.parquet"]


def passes_frame(relay: dict[str, Any]) -> Any:
    import pandas as pd

    cols = ["orbiter", "lander", "sol", "aos", "los", "lmst_aos_hours", "max_elev_deg",
            "volume_mbit", "share", "relayed_mbit", "latency_s", "decisional", "rate_mode"]
    rows = []
    for r in relay["plan"].rows:
        d = {k: r.get(k) for k in cols if k != "relayed_mbit"}
        d["duration_s"] = r["los_et"] - r["aos_et"]
        d["relayed_mbit"] = r["volume_mbit"] * r["share"]
        rows.append(d)
    return pd.DataFrame(rows, columns=[*cols, "duration_s"])


def per_sol_frame(relay: dict[str, Any], ctx: dict[str, Any],
                  campaign: dict[str, Any] | None) -> Any:
    import pandas as pd

    from areo.time import mars_time

    df = pd.DataFrame(per_sol_relay(relay, ctx))
    clock = ctx["clock"]
    starts = clock.time_of(df["sol"].to_numpy(dtype=float))
    df.insert(1, "utc_start", [str(s).rstrip("Z") for s in np.atleast_1d(starts.utc_iso(3))])
    df.insert(2, "ls_deg", np.atleast_1d(mars_time(starts, 0.0).ls_deg))
    if campaign is not None:
        camp = campaign["frame"]
        if camp is not None and len(camp) and "sol" in camp.columns:
            camp = camp.rename(columns={c: (c if c == "sol" else f"campaign_{c}")
                                        for c in camp.columns})
            df = df.merge(camp, on="sol", how="left")
    return df


def contacts_frame(relay: dict[str, Any]) -> Any:
    import pandas as pd

    from areo.time import Time

    rows = []
    for name, win in relay["plan"].contacts.items():
        if not len(win):
            continue
        starts = np.atleast_1d(Time.from_et(win.starts).utc_iso(0))
        ends = np.atleast_1d(Time.from_et(win.ends).utc_iso(0))
        for k in range(len(win)):
            rows.append({"orbiter": name, "start": str(starts[k]), "end": str(ends[k]),
                         "duration_s": float(win.ends[k] - win.starts[k])})
    return pd.DataFrame(rows, columns=["orbiter", "start", "end", "duration_s"])


def activities_frame(campaign: dict[str, Any]) -> Any:
    import pandas as pd

    rows = []
    for s in campaign["dict"].get("sols", []):
        for a in s.get("activities", []):
            rows.append({"sol": s.get("sol"), **a})
    return pd.DataFrame(rows)


#: Products with fixed names: an orbiter's OEM file never takes one of them.
FIXED_PRODUCTS = ("report.html", "summary.json", "scenario.toml", "rover_plan.openmct.json")


def oem_file_names(orbiter_names: list[str]) -> dict[str, str]:
    """``{orbiter name: OEM file name}``: unique slugs (``../../x`` gives ``x.oem``)."""
    return unique_file_names(orbiter_names, ".oem", taken=FIXED_PRODUCTS)


def _write_products(sc: Scenario, ctx: dict[str, Any], stage: Path, transfer: dict[str, Any],
                    orbiters: list[dict[str, Any]], relay: dict[str, Any],
                    campaign: dict[str, Any] | None) -> list[str]:
    from areo.io.oem import write_oem
    from areo.time import Time

    files: list[str] = []
    files += _write_table(stage, "passes", passes_frame(relay))
    files += _write_table(stage, "per_sol", per_sol_frame(relay, ctx, campaign))
    files += _write_table(stage, "earth_contacts", contacts_frame(relay))
    # Orbiter names come from the scenario: they reach the disk only as unique slugs.
    oem_names = oem_file_names([o["name"] for o in orbiters])
    for o in orbiters:
        name = oem_names[o["name"]]
        write_oem(inside(stage, name), Time.from_et(o["oem_et"]), o["oem_states"],
                  object_name=str(o["display_name"]).upper(), center_name="MARS",
                  ref_frame="ICRF", time_system="UTC",
                  comments=[f"areo mission: {sc.mission.name}",
                            f"source: {o['source']} ({o['phasing'] or 'as given'})",
                            f"first {sc.operations.ephemeris_sols:g} sols after the landing"])
        files.append(name)
    if campaign is not None:
        _write_json(stage / "rover_plan.openmct.json", campaign["openmct"])
        files.append("rover_plan.openmct.json")
        act = campaign.get("activities")
        if act is None:
            act = activities_frame(campaign)
        if len(act):
            files += _write_table(stage, "campaign_activities", act)
    src = Path(sc.origin.removeprefix("scenario "))
    if src.is_file():
        shutil.copyfile(src, stage / "scenario.toml")
        files.append("scenario.toml")
    ctx["files"] = files
    return files
