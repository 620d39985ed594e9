"""The Rosalind Franklin Reference Surface Mission, planned sol by sol.

:func:`reference_surface_mission` lays out the campaign as tasks with dependencies:
commissioning, then **6 Experiment Cycles and 2 Vertical Surveys** (Vago et al. 2017,
Astrobiology 17(6-7):471-510; ESA rover surface operations page), in the order
EC1, EC2, VS1, EC3, EC4, VS2, EC5, EC6:

- an Experiment Cycle traverses 100-500 m (ESA) in drives of at most the rover's per-sol
  limit, surveys the new site (PanCam panorama, WISDOM grid "in one sol" (Vago et al. 2017),
  CLUPI close-ups) and takes two samples, one from the top centimetres and one from depth,
  each delivered to the Analytical Laboratory Drawer, crushed and analysed by MicrOmega, RLS,
  MOMA LDMS and MOMA GC-MS;
- a Vertical Survey characterises one location as a function of depth: samples at 0.05, 0.5,
  1.0, 1.5 and 2.0 m from one borehole (the depths are *representative*: the published
  sources give "down to 2 m", not the list);
- 6 x 2 + 2 x 5 = 22 samples, above the minimum of 17 (ESA rover-drill page).

Drilling longer than ``max_drill_session_h`` is split into sessions over several sols
(the drill string stays in its borehole; each session pays the set-up time again).

:func:`plan_campaign` walks the sols from landing: each sol it offers the planner
(:func:`areo.surface.plan.plan_sol`) the next tasks whose predecessors are done, with that
sol's array power (Appelbaum & Flood irradiance on DE440 geometry, the tau scenario and the
dust on the arrays) and the relay passes of the orbiters over the site with their volumes
(:func:`areo.relay.plan.plan_relay`), carrying the battery and the data buffer from sol to sol.
Contingency sols: during a solar conjunction no new tasks are commanded; when the sol cannot
meet the end-of-sol SOC target even idle (dust storm, low power) the target is relaxed to
what the sol can reach, science stops, and the campaign says so; when the battery would go
below its floor the rover cannot survive the scenario and :class:`CampaignError` says on
which sol.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time as _time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from areo import validate
from areo.constants import DAY_S, SOL_NASA_LMST_S
from areo.errors import AreoInputError, ParameterError
from areo.io.records import dumps
from areo.surface.categories import CATEGORY_COLORS, activity_category, category_color
from areo.surface.environment import ConstantTau, DustModel, DustStormTau, SeasonalTau
from areo.surface.plan import (
    InfeasibleSolError,
    SolInputs,
    SolPlan,
    Task,
    daylight_from_power,
    plan_sol,
)
from areo.surface.rover import (
    RelayWindow,
    RoverModel,
    clupi,
    crushing,
    drill,
    drill_duration_s,
    drive,
    micromega,
    moma_gcms,
    moma_ldms,
    pancam,
    rls,
    sample_delivery,
    wisdom,
)
from areo.surface.rover import (
    rover as get_rover,
)

__all__ = [
    "CATEGORY_COLORS",
    "TAU_SCENARIOS",
    "Campaign",
    "CampaignError",
    "CampaignOptions",
    "Sample",
    "activity_category",
    "category_color",
    "plan_campaign",
    "reference_surface_mission",
    "tau_scenario",
]


class CampaignError(AreoInputError):
    """A campaign that cannot be completed or survived as asked; the message says why."""


#: Dust optical depth scenarios for ``tau=`` (name -> callable(ls_deg, sol)).
TAU_SCENARIOS: dict[str, Any] = {
    # A&F's clear-sky reference opacity of the Viking years.
    "clear": ConstantTau(0.5),
    # Representative seasonal curve: 0.4 with a dusty-season bump centred on Ls 250.
    "seasonal": SeasonalTau("representative"),
    # A persistently hazy year.
    "dusty": ConstantTau(1.0),
    # A regional storm (representative): tau 0.5 -> 3 within 5 sols from sol 100, decaying
    # over 15 sols; Rosalind Franklin rides it out on contingency sols.
    "storm": DustStormTau(onset_sol=100.0, peak=3.0, rise_sols=5.0, decay_sols=15.0,
                          background=0.5),
    # The MY34 planet-encircling storm that ended Opportunity (tau ~2 -> 10.8 in about two
    # weeks; NASA MER status reports), starting on sol 120.
    "global-storm": DustStormTau(onset_sol=120.0),
}


def tau_scenario(spec: Any) -> Callable[[Any, Any], Any]:
    """A tau scenario from a name of :data:`TAU_SCENARIOS`, a number, or a callable."""
    if callable(spec):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in TAU_SCENARIOS:
            return TAU_SCENARIOS[key]
        try:
            spec = float(key)
        except ValueError:
            raise ParameterError(
                f"tau scenario {spec!r} is unknown: use one of {', '.join(TAU_SCENARIOS)} "
                "or an optical depth such as 0.8"
            ) from None
    tau = float(spec)
    if not (math.isfinite(tau) and 0.0 <= tau <= 15.0):
        raise ParameterError(f"tau = {tau} must lie in [0, 15] (dust optical depth)")
    return ConstantTau(tau)


# ----------------------------------------------------------------------- the RSM template
#: Traverse of each Experiment Cycle (m): within the 100-500 m of the ESA RSM description;
#: the individual values are representative.
EC_TRAVERSE_M = (300.0, 200.0, 400.0, 150.0, 500.0, 250.0)
#: Depth of each Experiment Cycle's deep sample (m): representative, spread over 1-2 m.
EC_DEEP_SAMPLE_M = (1.0, 1.5, 2.0, 1.2, 1.7, 2.0)
#: Depth of a "surface" sample (m): the top centimetres the drill cores (representative).
SURFACE_SAMPLE_M = 0.05
#: Vertical-survey sample depths (m): representative ("down to 2 m" is what is published).
VS_DEPTHS_M = (0.05, 0.5, 1.0, 1.5, 2.0)
#: Phase order of the RSM (Vago et al. 2017 give the counts; the interleaving is ours).
RSM_ORDER = ("EC1", "EC2", "VS1", "EC3", "EC4", "VS2", "EC5", "EC6")


@dataclass(frozen=True)
class Sample:
    """A core captured on ``sol`` from ``depth_m`` during ``phase``."""

    sol: int
    depth_m: float
    phase: str

    def to_dict(self) -> dict[str, Any]:
        return {"sol": self.sol, "depth_m": round(self.depth_m, 3), "phase": self.phase}


def _drill_sessions(to_m: float, from_m: float, max_h: float, r: RoverModel
                    ) -> list[tuple[float, float]]:
    """Depth intervals, each drillable within ``max_h`` hours (set-up included)."""
    out = []
    top = from_m
    while top < to_m - 1e-9:
        if drill_duration_s(to_m, top, r) <= max_h * 3600.0:
            out.append((top, to_m))
            break
        lo, hi = top, to_m
        for _ in range(40):  # bisection on the reachable depth
            mid = 0.5 * (lo + hi)
            if drill_duration_s(mid, top, r) <= max_h * 3600.0:
                lo = mid
            else:
                hi = mid
        bottom = math.floor(lo * 100.0) / 100.0  # whole centimetres
        if bottom <= top + 1e-9:
            raise ParameterError(
                f"max_drill_session_h = {max_h} h is too short to drill even 1 cm below "
                f"{top:.2f} m: allow longer drilling sessions"
            )
        out.append((top, bottom))
        top = bottom
    return out


def _is_mechanism(act: Any) -> bool:
    """Drill, sample transfer or wheels: the activities bound to the warm hours."""
    return bool({"drill", "locomotion"} & set(act.resources))


class _Builder:
    def __init__(self, r: RoverModel, max_drill_h: float):
        self.r, self.max_drill_h = r, max_drill_h
        self.tasks: list[Task] = []
        self.n = 0

    def add(self, act: Any, phase: str, label: str, after: Sequence[str], value: float,
            depth: float | None = None, review: Sequence[str] | None = None) -> str:
        """A task after ``after``; ``review`` (default: all of ``after``) must also have been
        seen on the ground (ground in the loop), ``()`` for an autonomous continuation."""
        self.n += 1
        tid = f"{phase}.{self.n:03d}"
        lo, hi = 0.0, 24.0
        if self.r.mechanisms_lmst_h is not None and _is_mechanism(act):
            lo, hi = self.r.mechanisms_lmst_h  # thermal: actuators in the warm hours
        self.tasks.append(Task(tid, act, value=value, after=tuple(after),
                               review=tuple(after if review is None else review),
                               earliest_lmst_h=lo, latest_lmst_h=hi,
                               label=label, phase=phase, depth_m=depth))
        return tid

    def sample(self, phase: str, to_m: float, from_m: float, after: Sequence[str],
               ald_free: Sequence[str], review: Sequence[str]) -> tuple[str, list[str]]:
        """Drill sessions (the first after the ground's review of ``review``), delivery
        (once the ALD is free), crushing, MicrOmega and RLS, then MOMA LDMS on targets chosen
        from them and GC-MS decided from LDMS (each a ground review). Returns (delivery id,
        analysis ids)."""
        prev = list(after)
        sessions = _drill_sessions(to_m, from_m, self.max_drill_h, self.r)
        for k, (a, b) in enumerate(sessions):
            last = k == len(sessions) - 1
            label = f"drill {a:.2f}-{b:.2f} m" + (f", core at {b:.2f} m" if last else "")
            prev = [self.add(drill(b, a, self.r), phase, label, prev, 10.0,
                             depth=b if last else None, review=review if k == 0 else ())]
        dlv = self.add(sample_delivery(), phase, f"deliver {to_m:.2f} m core",
                       prev + list(ald_free), 10.0, review=())
        cr = self.add(crushing(), phase, f"crush {to_m:.2f} m core", [dlv], 10.0, review=())
        mm = self.add(micromega(), phase, f"MicrOmega {to_m:.2f} m", [cr], 12.0, review=())
        ra = self.add(rls(), phase, f"RLS {to_m:.2f} m", [cr], 12.0, review=())
        ld = self.add(moma_ldms(), phase, f"MOMA LDMS {to_m:.2f} m", [cr], 12.0,
                      review=[mm, ra])
        gc = self.add(moma_gcms(), phase, f"MOMA GC-MS {to_m:.2f} m", [cr], 12.0,
                      review=[ld])
        return dlv, [mm, ra, ld, gc]


def reference_surface_mission(
    rover: RoverModel | str | None = None,
    *,
    experiment_cycles: int = 6,
    vertical_surveys: int = 2,
    max_drill_session_h: float = 3.0,
    commissioning: bool = True,
) -> list[Task]:
    """The Rosalind Franklin Reference Surface Mission as a list of dependent tasks.

    ``max_drill_session_h`` (3 h, representative) caps one drilling session; deeper cores
    take several sessions on successive sols.

    ``experiment_cycles`` (0-6) and ``vertical_surveys`` (0-2) take the first cycles and
    surveys in :data:`RSM_ORDER` (a shorter campaign for tests or a partial mission).
    """
    r = get_rover() if rover is None else get_rover(rover)
    if not (isinstance(experiment_cycles, int) and 0 <= experiment_cycles <= 6):
        raise ParameterError(f"experiment_cycles = {experiment_cycles} must be 0-6 (the RSM has 6)")
    if not (isinstance(vertical_surveys, int) and 0 <= vertical_surveys <= 2):
        raise ParameterError(f"vertical_surveys = {vertical_surveys} must be 0-2 (the RSM has 2)")
    if not (math.isfinite(max_drill_session_h) and max_drill_session_h > 0.5):
        raise ParameterError(f"max_drill_session_h = {max_drill_session_h} must be > 0.5 h")
    if r.drill_max_depth_m + 1e-9 < max(VS_DEPTHS_M + EC_DEEP_SAMPLE_M[:experiment_cycles]):
        raise ParameterError(
            f"rover {r.key!r} drills to {r.drill_max_depth_m:g} m but the RSM samples down to "
            "2 m: use a rover with a 2 m drill"
        )
    b = _Builder(r, max_drill_session_h)
    prev_phase: list[str] = []
    if commissioning:
        ph = "commissioning"
        pano = b.add(pancam(20), ph, "landing-site panorama", [], 8.0)
        egress = b.add(drive(min(10.0, r.drive_limit_m_per_sol), r), ph, "egress 10 m",
                       [pano], 8.0)
        chk = b.add(wisdom(1800.0), ph, "WISDOM checkout", [egress], 8.0)
        blank = b.add(replace(moma_gcms(), name="moma_gcms_blank", preconditions=()), ph,
                      "MOMA blank run (organic cleanliness)", [egress], 8.0)
        prev_phase = [chk, blank]
    ec = vs = 0
    for phase in RSM_ORDER:
        if phase.startswith("EC"):
            if ec >= experiment_cycles:
                continue
            dist = EC_TRAVERSE_M[ec]
            deep = EC_DEEP_SAMPLE_M[ec]
            ec += 1
            prev = prev_phase
            left = dist
            first = True
            while left > 1e-9:
                # Legs of half the daily limit, so that a sol short of energy still
                # progresses; the ground reviews the route before each traverse, AutoNav
                # drives the legs.
                leg = min(left, 0.5 * r.drive_limit_m_per_sol)
                prev = [b.add(drive(leg, r), phase, f"drive {leg:.0f} m", prev, 6.0,
                              review=None if first else ())]
                left -= leg
                first = False
            pano = b.add(pancam(20), phase, "PanCam panorama", prev, 8.0)
            grid = b.add(wisdom(3600.0), phase, "WISDOM grid", prev, 8.0)
            close = b.add(clupi(5), phase, "CLUPI close-ups", [pano], 8.0)
            dlv1, an1 = b.sample(phase, SURFACE_SAMPLE_M, 0.0, [grid, close], [],
                                 review=[grid, close])
            _dlv2, an2 = b.sample(phase, deep, 0.0, [dlv1], an1, review=[grid, close])
            prev_phase = an2
        else:
            if vs >= vertical_surveys:
                continue
            vs += 1
            grid = b.add(wisdom(3600.0), phase, "WISDOM site survey", prev_phase, 8.0)
            pano = b.add(pancam(10), phase, "PanCam borehole site", prev_phase, 8.0)
            prev, analyses, top = [grid, pano], [], 0.0
            for depth in VS_DEPTHS_M:
                # Deeper only once the ground has seen the last core's first analyses.
                seen = [grid, pano] if not analyses else analyses[:2]
                dlv, analyses = b.sample(phase, depth, top, prev + seen, analyses, review=seen)
                prev, top = [dlv], depth
            prev_phase = analyses
    return b.tasks


# ------------------------------------------------------------------------------ campaign
@dataclass
class Campaign:
    """A planned surface campaign: per-sol plans, samples and what they add up to."""

    rover: RoverModel
    site: Any
    clock: Any
    sols: list[SolPlan]
    samples: list[Sample]
    tasks: list[Task]
    done: dict[str, int]
    tau_name: str
    relay: Any = None
    runtime_s: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: Sols asked for, and why planning stopped before them (``plan_campaign`` with
    #: ``require_complete=False``: a sol the rover cannot survive ends the plan there).
    planned_sols: int | None = None
    stopped: str | None = None

    @property
    def complete(self) -> bool:
        """Every task done and every sol planned."""
        return self.stopped is None and len(self.done) == len(self.tasks)

    @property
    def remaining(self) -> dict[str, int]:
        """Tasks not done, counted per campaign phase (in campaign order)."""
        out: dict[str, int] = {}
        for t in self.tasks:
            if t.id not in self.done:
                out[t.phase] = out.get(t.phase, 0) + 1
        return out

    @property
    def incomplete_reason(self) -> str | None:
        """Why the campaign is incomplete, in one sentence (None when complete)."""
        if self.stopped is not None:
            return self.stopped
        if self.complete:
            return None
        remaining = self.remaining
        left = ", ".join(f"{p} ({n} tasks)" for p, n in remaining.items())
        return (f"the campaign does not fit in {len(self.sols)} sols: "
                f"{sum(remaining.values())} of {len(self.tasks)} tasks remain ({left}); "
                f"{len(self.samples)} samples taken: plan more sols, fewer experiment cycles "
                "/ vertical surveys, or a clearer tau scenario")

    # -- figures
    def _phases_done(self, prefix: str) -> int:
        phases = {t.phase for t in self.tasks if t.phase.startswith(prefix)}
        return sum(1 for p in phases
                   if all(t.id in self.done for t in self.tasks if t.phase == p))

    @property
    def summary(self) -> dict[str, Any]:
        ret = [p.data_returned_mbit for p in self.sols]
        return {
            "sols": len(self.sols),
            "experiment_cycles": self._phases_done("EC"),
            "vertical_surveys": self._phases_done("VS"),
            "n_samples": len(self.samples),
            "max_depth_m": round(max((s.depth_m for s in self.samples), default=0.0), 3),
            "tasks_done": len(self.done),
            "tasks_total": len(self.tasks),
            "last_science_sol": max(self.done.values(), default=None),
            "contingency_sols": sum(1 for p in self.sols if p.contingency),
            "relaxed_target_sols": sum(1 for p in self.sols
                                       if p.end_soc_target < self.rover.end_of_sol_soc_target),
            "night_work_forced_sols": sum(1 for p in self.sols if p.night_work),
            "night_work_forced": [{"sol": p.sol, "reason": p.night_work} for p in self.sols
                                  if p.night_work],
            "data_returned_mbit": round(float(np.sum(ret)), 1),
            "mean_data_returned_mbit_per_sol": round(float(np.mean(ret)) if ret else 0.0, 2),
            "soc_min_pct": round(min((p.soc_min_pct for p in self.sols), default=100.0), 2),
            "tau_scenario": self.tau_name,
            "runtime_s": round(self.runtime_s, 2),
            "complete": self.complete,
            "remaining_tasks": self.remaining,
            "incomplete_reason": self.incomplete_reason,
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``areo sols --json`` contract: ``sols``, ``samples``, ``summary``."""
        return {
            "rover": self.rover.key,
            "site": getattr(self.site, "key", str(self.site)),
            "landing_sol0_midnight_utc": str(self.clock.sol0_midnight.iso),
            "sols": [p.to_dict() for p in self.sols],
            "samples": [s.to_dict() for s in self.samples],
            "summary": self.summary,
        }

    def plot(self, path: Any = None, *, what: str = "activities") -> Any:
        """The campaign (plotly): ``what='activities'`` the activities per sol and the
        samples (:func:`areo.surface.plots.campaign_activities_figure`), ``'battery'`` the
        state of charge and data buffer (:func:`areo.surface.plots.battery_figure`). Saved
        to ``path`` when given: .html interactive; .png, .pdf or .svg the static summary
        figure (:func:`areo.surface.plots.campaign_figure`, matplotlib)."""
        from areo.io.figures import show_or_save
        from areo.surface import plots

        if path is not None and Path(path).suffix.lower() in (".png", ".pdf", ".svg"):
            return plots.campaign_figure(self, path)
        if what == "activities":
            fig = plots.campaign_activities_figure(self.to_dict())
        elif what == "battery":
            fig = plots.battery_figure(self.soc_series(), float(self.rover.min_soc),
                                       float(self.rover.end_of_sol_soc_target))
        else:
            raise ParameterError(f"what {what!r} is unknown: use 'activities' or 'battery'")
        return show_or_save(fig, path)

    def sol_notes(self) -> list[str]:
        """What each sol is, one line each (the ``areo sols`` table's note): ``science``,
        ``margin`` (nothing left to do: the science is done) or ``contingency: <why>``, plus
        ``end-of-sol target relaxed to N %`` where the planner had to lower it (the sols the
        summary's ``relaxed_target_sols`` counts), and why powered work runs at night while
        the battery is full by day where a plan keeps it (:attr:`SolPlan.night_work`, the
        sols ``night_work_forced_sols`` counts)."""
        target = self.rover.end_of_sol_soc_target
        last = self.summary.get("last_science_sol")
        out = []
        for p in self.sols:
            science = any(a.phase not in (None, "", "relay") for a in p.activities)
            if p.contingency:
                kind = f"contingency: {p.contingency}"
            elif science:
                kind = "science"
            elif last is not None and p.sol > last:
                kind = "margin (science done)"
            else:
                kind = "margin (no task ready)"
            if p.end_soc_target < target:
                kind += f"; end-of-sol target relaxed to {100.0 * p.end_soc_target:.0f} %"
            if p.night_work:
                kind += f"; {p.night_work}"
            out.append(kind)
        return out

    def to_frame(self) -> Any:
        """One row per sol (pandas): ``sol``, the keys of :meth:`SolPlan.to_dict` and the
        activities' count, labels, energy and data (the mission's ``per_sol`` table joins
        it). Sols are mission sols; :meth:`activities_frame` has UTC times."""
        import pandas as pd

        rows = []
        for p in self.sols:
            d = p.to_dict()
            acts = d.pop("activities")
            d["n_activities"] = len(acts)
            d["activities"] = "; ".join(a["label"] for a in acts)
            d["energy_wh"] = round(sum(a["energy_wh"] for a in acts), 1)
            d["data_mbit"] = round(sum(a["data_mbit"] for a in acts), 2)
            rows.append(d)
        return pd.DataFrame(rows)

    def activities_frame(self) -> Any:
        """One row per planned activity with UTC start/end (pandas)."""
        import pandas as pd

        rows = []
        for p in self.sols:
            for a in p.activities:
                t0, t1 = self.clock.time_of([p.sol, p.sol], [a.start_lmst_h, a.end_lmst_h])
                rows.append({"sol": p.sol, **a.to_dict(), "start_utc": str(t0.iso),
                             "end_utc": str(t1.iso)})
        return pd.DataFrame(rows)

    def soc_series(self) -> Any:
        """Battery state of charge (%) and data buffer (Mbit) through the mission (pandas):
        ``mission_sol`` is sol + LMST/24."""
        import pandas as pd

        parts = []
        for p in self.sols:
            sim = p.simulation
            parts.append(pd.DataFrame({"mission_sol": p.sol + sim.t_lmst_h / 24.0,
                                       "soc_pct": 100.0 * sim.soc,
                                       "buffer_mbit": sim.buffer_mbit}))
        if not parts:
            return pd.DataFrame(columns=["mission_sol", "soc_pct", "buffer_mbit"])
        return pd.concat(parts, ignore_index=True)

    # -- exports
    def to_openmct(self) -> dict[str, list[dict[str, Any]]]:
        """NASA Open MCT plan JSON: ``{category: [{name, start, end, type, color,
        textColor}]}`` with start/end in ms since the Unix epoch (UTC)."""
        df = self.activities_frame()
        out: dict[str, list[dict[str, Any]]] = {}
        if df.empty:
            return out
        t0 = self.clock.time_of(df["sol"].to_numpy(), df["start_lmst_h"].to_numpy())
        t1 = self.clock.time_of(df["sol"].to_numpy(), df["end_lmst_h"].to_numpy())
        ms0, ms1 = _unix_ms(t0), _unix_ms(t1)
        for k, row in enumerate(df.itertuples(index=False)):
            cat = activity_category(row.name)
            out.setdefault(cat, []).append({
                "name": f"Sol {row.sol}: {row.label}", "start": int(ms0[k]),
                "end": int(max(ms1[k], ms0[k] + 1)), "type": cat,
                "color": category_color(cat), "textColor": "#ffffff",
            })
        return out

    def write_openmct(self, path: str | Path) -> Path:
        from areo._files import atomic_write

        with atomic_write(path) as fh:
            json.dump(self.to_openmct(), fh, indent=1)
        return Path(path)

    def write_csv(self, path: str | Path) -> Path:
        """The activity list as CSV (one row per activity, LMST and UTC)."""
        from areo._files import atomic_write

        buf = io.StringIO()
        self.activities_frame().to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL)
        with atomic_write(path) as fh:
            fh.write(buf.getvalue())
        return Path(path)

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as strict JSON (the ``areo sols --json`` document)."""
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        s = self.summary
        first = str(self.clock.sol0_midnight.iso)[:10]
        return (f"Campaign: {self.rover.key} at {getattr(self.site, 'key', self.site)}, "
                f"{s['sols']} sols from {first}, {s['experiment_cycles']} experiment cycles, "
                f"{s['vertical_surveys']} vertical surveys, {s['n_samples']} samples to "
                f"{s['max_depth_m']:g} m, {'complete' if self.complete else 'incomplete'}")


def _unix_ms(t: Any) -> np.ndarray:
    """Unix milliseconds (UTC; leap seconds fold, as in Unix time)."""
    return np.atleast_1d(t.to_datetime64()).astype("datetime64[ms]").astype(np.int64)


# --------------------------------------------------------------------- the planning loop
#: Dust on the arrays by default: 0.2 %/sol (Lorenz et al. 2021; see DustModel).
_DEFAULT_DUST = DustModel()


@dataclass(frozen=True)
class CampaignOptions:
    """The tuning knobs of :func:`plan_campaign`, checked once when built.

    ``CampaignOptions(tau="storm", experiment_cycles=2)``; derive variants with
    ``dataclasses.replace``.
    """

    #: Dust optical depth: a name of :data:`TAU_SCENARIOS`, a number in [0, 15] or a
    #: callable ``(ls_deg, sol) -> tau``; 'seasonal'.
    tau: Any = "seasonal"
    #: Dust on the arrays (:class:`~areo.surface.environment.DustModel`; None: clean
    #: arrays); 0.2 %/sol (Lorenz et al. 2021).
    dust: DustModel | None = _DEFAULT_DUST
    #: Relay orbiters (catalog names) when no relay plan is given; ('tgo',).
    orbiters: Sequence[str] = ("tgo",)
    #: Experiment Cycles of the Reference Surface Mission to plan, 0-6; 6.
    experiment_cycles: int = 6
    #: Vertical Surveys to plan, 0-2; 2.
    vertical_surveys: int = 2
    #: Battery state of charge on sol 0, fraction in (0, 1]; 1.
    initial_soc: float = 1.0
    #: Tasks offered to the sol planner each sol, >= 1; 8.
    lookahead: int = 8
    #: Optical depth from which a sol is a dust-storm contingency sol with no science, > 0;
    #: 2 (representative: solar rovers went to minimal operations in storms of tau 2 and
    #: more, e.g. Opportunity in 2007 and 2018).
    storm_tau: float = 2.0
    #: CP-SAT deterministic effort per sol (see :func:`~areo.surface.plan.plan_sol`), > 0;
    #: 0.3.
    effort_per_sol: float = 0.3
    #: Raise :class:`CampaignError` when the tasks do not all fit (else the campaign stops
    #: and says why); True.
    require_complete: bool = True

    def __post_init__(self) -> None:
        tau_scenario(self.tau)  # a known name, a depth in [0, 15] or a callable
        if self.dust is not None and not isinstance(self.dust, DustModel):
            raise ParameterError(f"dust {self.dust!r} must be a DustModel or None (clean "
                                 "arrays)")
        object.__setattr__(self, "orbiters", validate.names(
            self.orbiters, "orbiters", what="catalog orbiter names", example="('tgo',)"))
        for name, hi in (("experiment_cycles", 6), ("vertical_surveys", 2)):
            value = getattr(self, name)
            if not (isinstance(value, int | np.integer) and not isinstance(value, bool)
                    and 0 <= value <= hi):
                raise ParameterError(f"{name} = {value!r} must be a whole number in 0-{hi} "
                                     f"(the RSM has {hi})")
        validate.in_range(self.initial_soc, "initial_soc", 0.0, 1.0, lo_open=True,
                          hint="a fraction of the battery capacity, e.g. 1.0")
        if not (isinstance(self.lookahead, int | np.integer) and self.lookahead >= 1):
            raise ParameterError(f"lookahead = {self.lookahead!r} must be a whole number "
                                 ">= 1 (tasks offered per sol), e.g. 8")
        validate.positive(self.storm_tau, "storm_tau", hint="a dust optical depth, e.g. 2")
        validate.positive(self.effort_per_sol, "effort_per_sol",
                          hint="CP-SAT deterministic seconds per sol, e.g. 0.3")
        if not isinstance(self.require_complete, bool):
            raise ParameterError(f"require_complete = {self.require_complete!r} must be "
                                 "True or False")


def _generation(rover: RoverModel, site: Any, clock: Any, sols: np.ndarray, scenario: Any,
                dust: DustModel | None, samples: int = 97):
    """Array power (W) on an LMST grid for every sol at once, and tau per sol."""
    from areo.surface.environment import irradiance_at
    from areo.time import solar_longitude

    hours = np.linspace(0.0, 24.0, samples)
    noon = clock.time_of(sols, 12.0)
    ls = np.atleast_1d(np.asarray(solar_longitude(noon), dtype=float))
    tau = np.broadcast_to(np.asarray(scenario(ls, sols), dtype=float), sols.shape).copy()
    t = clock.time_of(np.repeat(sols, samples), np.tile(hours, sols.size))
    irr = irradiance_at(site, t, np.repeat(tau, samples))
    factor = np.ones(sols.size) if dust is None else np.asarray(dust.factor(sols), dtype=float)
    power = np.asarray(irr.global_).reshape(sols.size, samples)
    power = rover.array_power_w(power) * factor[:, None]
    return hours, power, tau, factor


def _relay_windows(relay: Any, clock: Any, n_sols: int) -> dict[int, list[RelayWindow]]:
    from areo.time import Time

    out: dict[int, list[RelayWindow]] = {}
    rows = relay.schedule() if relay is not None else []
    if not rows:
        return out
    aos = np.array([r["aos_et"] for r in rows])
    los = np.array([r["los_et"] for r in rows])
    sol_a = np.atleast_1d(clock.sol(Time.from_et(aos)))
    sol_b = np.atleast_1d(clock.sol(Time.from_et(los)))
    h_a = np.atleast_1d(clock.lmst_hours(Time.from_et(aos)))
    h_b = np.atleast_1d(clock.lmst_hours(Time.from_et(los)))
    for k, r in enumerate(rows):
        if sol_a[k] != sol_b[k] or not 0 <= sol_a[k] < n_sols:
            continue  # passes across local midnight are left out (a few per mission)
        vol = float(r["volume_mbit"] * r["share"])
        out.setdefault(int(sol_a[k]), []).append(
            RelayWindow(float(h_a[k]), float(h_b[k]), vol))
    return out


def _check_landing(landing: Any, sols: int) -> Any:
    from areo.ephem import default_ephemeris
    from areo.errors import EpochOutOfRangeError
    from areo.time import Time

    t = Time(landing)
    if not t.is_scalar:
        raise ParameterError("landing must be one epoch (UTC), not an array")
    lo, hi = default_ephemeris().span
    need = (sols + 2) * SOL_NASA_LMST_S
    if not lo + DAY_S <= float(t.et) <= hi - need:
        raise EpochOutOfRangeError(
            f"landing {landing!r} puts the {sols}-sol campaign outside the DE440 span "
            f"({Time.from_et(lo).iso[:10]} to {Time.from_et(hi).iso[:10]}): give a landing "
            "date inside it"
        )
    return t


def plan_campaign(
    rover: RoverModel | str | Path = "rosalind_franklin",
    site: Any = "oxia_planum",
    landing: Any = "2030-11-20T12:00:00",
    sols: int = 218,
    options: CampaignOptions = CampaignOptions(),  # frozen: one shared default is safe
    *,
    relay: Any = None,
    tasks: Iterable[Task] | None = None,
    progress: Callable[[int, int], None] | None = None,
    **overrides: Any,
) -> Campaign:
    """Plan a surface campaign sol by sol (see the module doc).

    ``options``: the :class:`CampaignOptions` (dust scenario, relay orbiters, how much of
    the RSM, battery at landing, planner knobs, whether an incomplete campaign raises);
    ``**overrides`` replaces some of its fields (``plan_campaign(..., tau="storm")``).
    ``relay``: a :class:`areo.relay.plan.RelayPlan` covering the sols (else one is computed
    for ``options.orbiters`` over the site). ``tasks`` replaces the RSM template. With
    ``require_complete`` a campaign whose tasks do not all fit raises :class:`CampaignError`.
    ``progress``: called as ``progress(sols_done, sols)`` after each sol.

    Example:
        >>> camp = plan_campaign("rosalind_franklin", "oxia_planum", "2030-11-20T12:00", 3,
        ...                      experiment_cycles=0, vertical_surveys=0)
        >>> camp.summary["sols"], camp.summary["complete"]
        (3, True)
    """
    from areo import catalog
    from areo.time import MissionClock

    opt = validate.with_overrides(options, overrides, kind=CampaignOptions,
                                  where="plan_campaign")
    tau, lookahead, storm_tau = opt.tau, opt.lookahead, opt.storm_tau
    t_start = _time.perf_counter()
    r = get_rover(rover)
    s = catalog.site(site) if isinstance(site, str) else site
    if not (isinstance(sols, int | np.integer) and 1 <= sols <= 2000):
        raise ParameterError(f"sols = {sols} must be an integer in [1, 2000]")
    scenario = tau_scenario(tau)
    tau_name = tau if isinstance(tau, str) else (f"{float(tau):g}" if isinstance(
        tau, int | float) else type(tau).__name__)
    t_land = _check_landing(landing, int(sols))
    clock = MissionClock.from_landing(t_land, float(s.lon_east_deg),
                                      name=f"{r.key} at {getattr(s, 'key', s)}")
    task_list = list(tasks) if tasks is not None else reference_surface_mission(
        r, experiment_cycles=opt.experiment_cycles, vertical_surveys=opt.vertical_surveys)

    sol_ids = np.arange(int(sols))
    hours, power, tau_sol, factor = _generation(r, s, clock, sol_ids, scenario, opt.dust)
    if relay is None:
        from areo.relay.plan import plan_relay

        relay = plan_relay([getattr(s, "key", site)], list(opt.orbiters), clock.time_of(0, 0.0),
                           clock.time_of(int(sols), 0.0))
    windows = _relay_windows(relay, clock, int(sols))
    conj = getattr(relay, "conjunctions", None)
    if conj is not None and len(conj):
        mid_et = np.asarray(clock.time_of(sol_ids, 12.0).et)
        in_conj = np.asarray(conj.contains(mid_et), dtype=bool)
    else:
        in_conj = np.zeros(sol_ids.size, dtype=bool)

    done: dict[str, int] = {}
    names_done: set[str] = set()
    # Ground in the loop: a task's data reach the ground once the cumulative downlink passes
    # the cumulative production at the end of its sol (first in, first out).
    data_mark: dict[str, float] = {}
    produced = downlinked = 0.0
    samples: list[Sample] = []
    plans: list[SolPlan] = []
    soc, buf = float(opt.initial_soc), 0.0
    pending = list(task_list)
    stopped: str | None = None
    for sol in sol_ids:
        sol = int(sol)
        # (to within 1 Mbit: the planner does not open a relay session for crumbs)
        reviewed = {tid for tid, mark in data_mark.items() if mark <= downlinked + 1.0}
        inp = SolInputs(
            sol=sol, generation_lmst_h=hours, generation_w=power[sol],
            daylight_lmst_h=daylight_from_power(hours, power[sol]),
            relay_windows=tuple(windows.get(sol, ())) if not in_conj[sol] else (),
            initial_soc=min(max(soc, 0.0), 1.0), initial_buffer_mbit=buf,
            completed=frozenset(done) | frozenset(names_done),
            tau=float(tau_sol[sol]), dust_factor=float(factor[sol]))
        contingency = None
        if in_conj[sol]:
            contingency = "solar conjunction"
        elif tau_sol[sol] >= storm_tau:
            contingency = "dust storm"
        offer = [] if contingency else _candidates(pending, done, reviewed, lookahead)
        try:
            plan = _plan_or_relax(r, offer, inp, sol, contingency, opt.effort_per_sol)
        except CampaignError as exc:
            if opt.require_complete:
                raise
            stopped = str(exc)  # what was planned so far stands; the reason goes with it
            break
        offered = {t.id for t in offer}
        produced += sum(a.scheduled.activity.data_mbit for a in plan.activities)
        downlinked += plan.data_returned_mbit
        for a in plan.activities:
            if a.task_id in offered:
                done[a.task_id] = sol
                data_mark[a.task_id] = produced
                names_done.add(a.name)
                if a.depth_m is not None:
                    samples.append(Sample(sol, float(a.depth_m), a.phase))
        pending = [t for t in pending if t.id not in done]
        soc = float(plan.simulation.soc[-1])
        buf = float(plan.simulation.buffer_mbit[-1])
        plans.append(plan)
        if progress is not None:
            progress(sol + 1, int(sols))
    camp = Campaign(r, s, clock, plans, samples, task_list, done,
                    str(tau_name), relay, _time.perf_counter() - t_start,
                    planned_sols=int(sols), stopped=stopped)
    if pending and opt.require_complete:
        raise CampaignError(camp.incomplete_reason)
    return camp


def _candidates(pending: list[Task], done: dict[str, int], reviewed: set[str], k: int
                ) -> list[Task]:
    """The first ``k`` pending tasks whose predecessors are done or offered with them (and
    reviewed on the ground where they must be); the earlier in the campaign, the higher the
    value, so the plan keeps the campaign's order."""
    chosen: list[Task] = []
    ids: set[str] = set()
    for t in pending[: 6 * k]:
        if all(d in done or d in ids for d in t.after) and all(d in reviewed for d in t.review):
            chosen.append(t)
            ids.add(t.id)
            if len(chosen) >= k:
                break
    return [replace(t, value=t.value * (1.0 + 0.5 * (k - i) / k))
            for i, t in enumerate(chosen)]


def _plan_or_relax(r: RoverModel, offer: list[Task], inp: SolInputs, sol: int,
                   contingency: str | None, effort: float) -> SolPlan:
    """Plan with the rover's end-of-sol target; failing that, an energy-neutral sol (end at
    the start SOC) that still does science; failing that, an idle contingency sol ending as
    high as it can; failing that (the floor breaks even asleep), the rover cannot survive."""
    try:
        return plan_sol(r, offer, inp, effort=effort, contingency=contingency)
    except InfeasibleSolError as exc:
        if "battery_floor" in exc.relaxations and "end_soc_target" not in exc.relaxations:
            raise _not_survivable(r, inp, sol) from None
    neutral = min(r.end_of_sol_soc_target, inp.initial_soc)
    if offer and neutral < r.end_of_sol_soc_target:
        try:
            plan = plan_sol(r, offer, inp, end_soc_target=neutral, effort=effort,
                            contingency=contingency)
            plan.notes.append(f"end-of-sol SOC target relaxed to the start SOC {neutral:.1%} "
                              f"(array {inp.generation_wh:.0f} Wh, tau {inp.tau:.2f})")
            return plan
        except InfeasibleSolError:
            pass
    best = _best_idle_end_soc(r, inp)
    if best is None or best < r.min_soc:
        raise _not_survivable(r, inp, sol)
    target = max(r.min_soc, math.floor(best * 1000.0) / 1000.0 - 0.005)
    # Short of energy with work waiting: a low-power contingency sol; with nothing left to
    # do (margin sols after the campaign) only the relaxed target is noted.
    why = contingency or ("low power" if offer else None)
    try:
        plan = plan_sol(r, [], inp, end_soc_target=target, effort=effort,
                        contingency=why)
    except InfeasibleSolError:
        raise _not_survivable(r, inp, sol) from None
    plan.notes.append(f"end-of-sol SOC target relaxed to {target:.1%} (array "
                      f"{inp.generation_wh:.0f} Wh, tau {inp.tau:.2f}); "
                      + ("no science this sol" if offer else "no task was waiting"))
    return plan


def _best_idle_end_soc(r: RoverModel, inp: SolInputs) -> float | None:
    from areo.surface.rover import simulate_sol

    sim = simulate_sol(r, [], inp.generation_fn(), (), initial_soc=inp.initial_soc,
                       initial_buffer_mbit=inp.initial_buffer_mbit,
                       daylight_lmst_h=inp.daylight_lmst_h)
    if np.min(sim.soc) < r.min_soc:
        return None
    return float(sim.soc[-1])


def _not_survivable(r: RoverModel, inp: SolInputs, sol: int) -> CampaignError:
    return CampaignError(
        f"the rover cannot survive sol {sol}: even asleep its battery falls below the "
        f"{r.min_soc:.0%} floor (array {inp.generation_wh:.0f} Wh at tau {inp.tau:.2f}, dust "
        f"factor {inp.dust_factor:.2f}, start SOC {inp.initial_soc:.0%}): choose a milder "
        "dust scenario (tau), a larger battery or array, or a lower night heating"
    )
