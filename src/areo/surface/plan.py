"""Sol planning with OR-Tools CP-SAT: one sol's timeline, with an explanation when it cannot fit.

:func:`plan_sol` places candidate :class:`Task` s on a sol's LMST timeline and chooses which
of them to do, maximising their science value (plus the data returned) subject to

- **daylight**: an activity that needs light starts after sunrise and ends before sunset;
- **battery as a reservoir**: the state of charge, stepped slot by slot with the array's
  generation, the loads (sleep or awake load, activity power, night heating) and the
  charge/discharge efficiencies of :func:`areo.surface.rover.simulate_sol`, clipped at the
  capacity, never falls below the floor and ends the sol at the target;
- **data buffer**: data accumulate as activities end and leave only through relay sessions
  bound to the actual orbiter passes (their start, length and volume), never more than the
  buffer holds, nor more than the rover's data budget per sol;
- **exclusivity and ordering**: activities sharing a resource (drill, ALD, mast, UHF) never
  overlap; a task starts only after the tasks it depends on have ended (this sol or before);
  at most ``max_relay_sessions`` relay sessions per sol (ESA: "only 1 or 2 short sessions per
  sol" for communications).

Contract on step and tolerance: the sol is cut into slots of ``slot_minutes`` LMST minutes
(default 15); tasks start on slot boundaries and occupy whole slots (durations rounded up),
generation is integrated exactly over each slot for the piecewise-linear
:class:`~areo.surface.generation.SolGeneration`, loads are rounded up and generation down to
0.1 Wh, and the floor holds with a margin of ``floor_margin`` (0.5 % of the capacity) at every
slot boundary. The plan is therefore conservative with respect to the continuous
re-simulation :func:`~areo.surface.rover.simulate_sol` (5-minute steps), which the tests run
on every plan.

Among the plans as good in science and data as the first solve's, a second solve over the
chosen tasks alone keeps the most charge through the sol, so powered work runs while the array
would otherwise spill into a full battery rather than at night on the battery. A plan that
still runs a task at night (outside the array's daylight) while the battery fills by day is
tried once more with every task in daylight; when that cannot hold the same science and data,
:attr:`SolPlan.night_work` says what daylight alone would cost (e.g. the data of a pre-dawn
analysis would miss the sol's only usable pass): the night work is then forced.

When the constraints cannot all hold, the model is solved again with each constraint group
(battery floor, end-of-sol target, each required task, data buffer) behind an assumption
literal; CP-SAT's sufficient assumptions for infeasibility name the conflicting groups, and
the error gives the number to relax to (e.g. the best end-of-sol SOC reachable), in the spirit
of the Crosscheck tool of Mars 2020 surface operations.
"""

from __future__ import annotations

import itertools
import math
import time as _time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo.errors import AreoInputError, ParameterError
from areo.io.records import dumps
from areo.surface.rover import (
    LMST_HOUR_S,
    Activity,
    RelayWindow,
    RoverModel,
    Scheduled,
    SolSimulation,
    relay_session,
    simulate_sol,
)

__all__ = [
    "InfeasibleSolError",
    "PlannedActivity",
    "SolInputs",
    "SolPlan",
    "Task",
    "night_work",
    "plan_sol",
]

_WH = 10.0  # model energy unit: 0.1 Wh
_MB = 10.0  # model data unit: 0.1 Mbit
_SESSION = 20  # objective charge per relay session opened (0.4 Mbit's worth)


class InfeasibleSolError(AreoInputError):
    """A sol whose constraints cannot all hold; ``relaxations`` names what to relax."""

    def __init__(self, message: str, relaxations: Sequence[str] = ()):
        super().__init__(message)
        self.relaxations = list(relaxations)


@dataclass(frozen=True)
class Task:
    """A candidate activity for a sol.

    ``value`` is its science value (the planner maximises the sum over the tasks it keeps);
    ``required`` tasks must be kept. ``after`` names task ids that must have ended before this
    one starts (this sol, or earlier: see ``SolInputs.completed``). ``review`` names tasks
    whose data the ground team must have seen first (ground in the loop): they must be done
    on an earlier sol, so a task waiting for review is never planned the same sol.
    ``earliest_lmst_h`` / ``latest_lmst_h`` bound its start and end. ``label`` and ``phase``
    describe it in plans (e.g. ``'drill 0.70-1.20 m'``, ``'EC3'``); ``depth_m`` marks the
    drilling that captures a core at that depth.
    """

    id: str
    activity: Activity
    value: float = 1.0
    required: bool = False
    after: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    earliest_lmst_h: float = 0.0
    latest_lmst_h: float = 24.0
    label: str = ""
    phase: str = ""
    depth_m: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.value) and self.value >= 0):
            raise ParameterError(f"task {self.id!r}: value {self.value} must be finite and >= 0")
        if not 0.0 <= self.earliest_lmst_h < self.latest_lmst_h <= 24.0:
            raise ParameterError(
                f"task {self.id!r}: window {self.earliest_lmst_h}-{self.latest_lmst_h} LMST h "
                "must satisfy 0 <= earliest < latest <= 24"
            )
        object.__setattr__(self, "after", tuple(self.after))
        object.__setattr__(self, "review", tuple(self.review))
        if not self.label:
            object.__setattr__(self, "label", self.activity.name)


@dataclass(frozen=True)
class SolInputs:
    """What a sol offers: array power over LMST, daylight, relay passes, starting state.

    ``generation_lmst_h`` / ``generation_w`` sample the array output (W) over the sol (a
    piecewise-linear curve, e.g. :class:`areo.surface.generation.SolGeneration`);
    ``daylight_lmst_h`` is (sunrise, sunset). ``relay_windows`` are the orbiter passes with
    the volume each can carry (Mbit). ``completed`` lists task ids (and activity names)
    finished on earlier sols.
    """

    sol: int
    generation_lmst_h: np.ndarray
    generation_w: np.ndarray
    daylight_lmst_h: tuple[float, float]
    relay_windows: tuple[RelayWindow, ...] = ()
    initial_soc: float = 1.0
    initial_buffer_mbit: float = 0.0
    completed: frozenset[str] = frozenset()
    tau: float | None = None
    dust_factor: float | None = None

    def generation_fn(self) -> Callable[[Any], Any]:
        h, p = self.generation_lmst_h, self.generation_w
        return lambda x: np.interp(np.asarray(x, dtype=float), h, p)

    @property
    def generation_wh(self) -> float:
        return float(np.trapezoid(self.generation_w, self.generation_lmst_h)
                     * LMST_HOUR_S / 3600.0)

    @classmethod
    def from_generation(cls, gen: Any, **kw: Any) -> SolInputs:
        """From a :class:`~areo.surface.generation.SolGeneration` (sunrise and sunset where the
        array output becomes positive / returns to zero on its samples)."""
        h = np.asarray(gen.lmst_hours, dtype=float)
        p = np.asarray(gen.power_w, dtype=float)
        kw.setdefault("daylight_lmst_h", daylight_from_power(h, p))
        kw.setdefault("tau", float(gen.tau))
        kw.setdefault("dust_factor", float(gen.dust_factor))
        return cls(sol=int(gen.sol), generation_lmst_h=h, generation_w=p, **kw)


def daylight_from_power(hours: np.ndarray, power_w: np.ndarray) -> tuple[float, float]:
    """(first, last) sample hour with positive array output: inside the true daylight by up
    to one sample step, on the safe side for daylight-only activities."""
    lit = np.flatnonzero(np.asarray(power_w) > 0.0)
    if lit.size == 0:
        return (12.0, 12.0)
    return (float(hours[lit[0]]), float(hours[lit[-1]]))


@dataclass(frozen=True)
class PlannedActivity:
    """A task placed in the sol."""

    task_id: str
    label: str
    phase: str
    scheduled: Scheduled
    depth_m: float | None = None

    @property
    def name(self) -> str:
        return self.scheduled.activity.name

    @property
    def start_lmst_h(self) -> float:
        return self.scheduled.start_lmst_h

    @property
    def end_lmst_h(self) -> float:
        return self.scheduled.end_lmst_h

    def to_dict(self) -> dict[str, Any]:
        a = self.scheduled.activity
        d = {"name": a.name, "label": self.label, "phase": self.phase,
             "start_lmst_h": round(self.start_lmst_h, 4), "end_lmst_h": round(self.end_lmst_h, 4),
             "energy_wh": round(a.energy_wh, 2), "data_mbit": round(a.data_mbit, 3)}
        if a.downlink_mbit > 0:
            d["downlink_mbit"] = round(a.downlink_mbit, 3)
        if self.depth_m is not None:
            d["depth_m"] = self.depth_m
        return d


@dataclass
class SolPlan:
    """One sol's plan and its re-simulation (:func:`areo.surface.rover.simulate_sol`)."""

    inputs: SolInputs
    activities: list[PlannedActivity]
    simulation: SolSimulation
    end_soc_target: float
    status: str
    objective: float
    solve_s: float
    contingency: str | None = None
    gap_pct: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: Why powered work runs on the battery at night while the array fills it by day (None
    #: when no such work is planned): what daylight alone would cost (see :func:`plan_sol`).
    night_work: str | None = None

    @property
    def sol(self) -> int:
        return self.inputs.sol

    def timeline(self) -> list[Scheduled]:
        """The activities as :class:`Scheduled` items, for :func:`simulate_sol`."""
        return [p.scheduled for p in self.activities]

    @property
    def soc_min_pct(self) -> float:
        return 100.0 * float(np.min(self.simulation.soc))

    @property
    def soc_end_pct(self) -> float:
        return 100.0 * float(self.simulation.soc[-1])

    @property
    def data_returned_mbit(self) -> float:
        return float(self.simulation.downlinked_mbit)

    @property
    def end_buffer_mbit(self) -> float:
        return float(self.simulation.buffer_mbit[-1])

    def task_ids(self) -> list[str]:
        return [p.task_id for p in self.activities]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sol": self.sol,
            "activities": [p.to_dict() for p in self.activities],
            "soc_min_pct": round(self.soc_min_pct, 2),
            "soc_end_pct": round(self.soc_end_pct, 2),
            "data_returned_mbit": round(self.data_returned_mbit, 2),
            "generation_wh": round(self.inputs.generation_wh, 1),
            "tau": None if self.inputs.tau is None else round(self.inputs.tau, 3),
            "buffer_end_mbit": round(self.end_buffer_mbit, 2),
            "contingency": self.contingency,
            "status": self.status,
            "optimality_gap_pct": round(self.gap_pct, 2),
            "night_work": self.night_work,
            "notes": list(self.notes),
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The sol's activities over LMST (plotly, :func:`areo.surface.plots.sol_plan_figure`);
        saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save
        from areo.surface.plots import sol_plan_figure

        return show_or_save(sol_plan_figure(self.to_frame(), title=repr(self)), path)

    def to_frame(self) -> Any:
        """One row per planned activity: ``sol``, ``task_id``, then the keys of
        :meth:`PlannedActivity.to_dict` (``name``, ``label``, ``phase``, ``start_lmst_h``,
        ``end_lmst_h``, ``energy_wh``, ``data_mbit``, ``downlink_mbit``, ``depth_m``; NaN where
        an activity has none). Times are mission LMST hours of the sol: a SolPlan knows its
        sol, not the mission clock (:meth:`areo.surface.Campaign.activities_frame` has UTC)."""
        import pandas as pd

        cols = ["sol", "task_id", "name", "label", "phase", "start_lmst_h", "end_lmst_h",
                "energy_wh", "data_mbit", "downlink_mbit", "depth_m"]
        rows = [{"sol": self.sol, "task_id": p.task_id, **p.to_dict()} for p in self.activities]
        frame = pd.DataFrame(rows, columns=cols)
        for c in ("downlink_mbit", "depth_m"):
            frame[c] = frame[c].astype(float)
        return frame

    def __repr__(self) -> str:
        names = [p.label for p in self.activities]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return (f"SolPlan: sol {self.sol}, {len(self.activities)} activities"
                f"{f' ({shown})' if shown else ''}, SOC min {self.soc_min_pct:.0f} %, end "
                f"{self.soc_end_pct:.0f} %, {self.data_returned_mbit:.0f} Mbit returned, "
                f"{self.status}")


# ------------------------------------------------------------------------------- the model
@dataclass
class _Model:
    model: Any
    present: dict[str, Any]
    starts: dict[str, list[tuple[int, Any]]]
    relay_on: list[Any]
    sent: list[Any]
    soc: list[Any]
    groups: dict[str, Any]
    dur_slots: dict[str, int]
    slot_h: float
    score: Any = None  # the science objective (None for the other objectives)
    # the model's integer numbers, for the greedy first plan (_greedy_hint)
    numbers: dict[str, Any] = field(default_factory=dict)


def _slot_energy_wh(h: np.ndarray, p: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Exact integral (Wh) of the piecewise-linear power curve over each slot."""
    knots = np.union1d(h[(h > edges[0]) & (h < edges[-1])], edges)
    vals = np.interp(knots, h, p)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (vals[1:] + vals[:-1]) * np.diff(knots))])
    at_edges = np.interp(edges, knots, cum)
    return np.diff(at_edges) * LMST_HOUR_S / 3600.0


def _overlap_h(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _build(rover: RoverModel, tasks: Sequence[Task], inp: SolInputs, *, slot_minutes: float,
           end_soc_target: float, max_relay_sessions: int, floor_margin: float,
           data_budget_mbit: float | None, objective: str = "science") -> _Model:
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    n = round(24 * 60 / slot_minutes)
    slot_h = 24.0 / n
    edges = np.linspace(0.0, 24.0, n + 1)
    earth_h = slot_h * LMST_HOUR_S / 3600.0
    cap = rover.battery_wh
    eta_c, eta_d = rover.charge_efficiency, rover.discharge_efficiency
    rise, sset = inp.daylight_lmst_h

    gen = _slot_energy_wh(inp.generation_lmst_h, inp.generation_w, edges) * eta_c
    night_h = (24.0 - max(0.0, sset - rise)) * LMST_HOUR_S / 3600.0
    heat_rate = rover.night_heating_wh / night_h if night_h > 0 else 0.0
    fixed = np.empty(n)
    for k in range(n):
        night = slot_h - _overlap_h(edges[k], edges[k + 1], rise, sset)
        fixed[k] = (rover.sleep_load_w * earth_h
                    + heat_rate * night * LMST_HOUR_S / 3600.0) / eta_d
    wake_cost = (rover.awake_load_w - rover.sleep_load_w) * earth_h / eta_d

    groups = {name: m.NewBoolVar(name) for name in
              ("battery_floor", "end_soc_target", "data_buffer")}
    present: dict[str, Any] = {}
    starts: dict[str, list[tuple[int, Any]]] = {}
    dur: dict[str, int] = {}
    # Per-slot linear terms: load (0.1 Wh), occupancy per resource, awake drivers.
    load_terms: list[list[tuple[int, Any]]] = [[] for _ in range(n)]
    occupancy: dict[str, list[list[Any]]] = {}
    awake_drivers: list[list[Any]] = [[] for _ in range(n)]
    by_id = {t.id: t for t in tasks}
    for t in tasks:
        a = t.activity
        d = max(1, math.ceil(a.duration_s / LMST_HOUR_S / slot_h - 1e-9))
        lo, hi = t.earliest_lmst_h, t.latest_lmst_h
        if a.needs_daylight:
            lo, hi = max(lo, rise), min(hi, sset)
        first = math.ceil(lo / slot_h - 1e-9)
        last = math.floor(hi / slot_h + 1e-9) - d
        pres = m.NewBoolVar(f"p[{t.id}]")
        present[t.id], dur[t.id] = pres, d
        choices = []
        energy_u = math.ceil(a.power_w * earth_h / eta_d * _WH)
        occ = [occupancy.setdefault(res, [[] for _ in range(n)]) for res in a.resources]
        for s in range(max(first, 0), min(last, n - d) + 1):
            y = m.NewBoolVar(f"y[{t.id},{s}]")
            choices.append((s, y))
            for k in range(s, s + d):
                load_terms[k].append((energy_u, y))
                for per_slot in occ:
                    per_slot[k].append(y)
                if a.awake:
                    awake_drivers[k].append(y)
        starts[t.id] = choices
        m.Add(sum(y for _, y in choices) == pres)
        if not choices:
            m.Add(pres == 0)
        if t.required:
            groups[f"required:{t.id}"] = g = m.NewBoolVar(f"req[{t.id}]")
            m.Add(pres == 1).OnlyEnforceIf(g)
    done = set(inp.completed)
    for t in tasks:
        if any(dep not in done for dep in t.review):
            m.Add(present[t.id] == 0)  # awaits the ground's review of an earlier sol
        for dep in t.after:
            if dep in done:
                continue
            if dep not in by_id:  # depends on something not offered today: cannot run
                m.Add(present[t.id] == 0)
                continue
            m.AddImplication(present[t.id], present[dep])
            start_t = sum(s * y for s, y in starts[t.id])
            end_dep = sum((s + dur[dep]) * y for s, y in starts[dep])
            m.Add(start_t >= end_dep).OnlyEnforceIf(present[t.id])
    # Drive limit per sol.
    drives = [(t, present[t.id]) for t in tasks if t.activity.distance_m > 0]
    if drives:
        m.Add(sum(round(t.activity.distance_m * 100) * p for t, p in drives)
              <= round(rover.drive_limit_m_per_sol * 100))

    # Relay sessions, bound to the passes.
    relay_on, sent = [], []
    uhf = relay_session(0.0, 1.0)
    windows = [w for w in inp.relay_windows
               if 0.0 <= w.start_lmst_h < w.end_lmst_h <= 24.0]
    for j, w in enumerate(windows):
        r = m.NewBoolVar(f"relay[{j}]")
        vol = w.volume_mbit if math.isfinite(w.volume_mbit) else 1e6
        x = m.NewIntVar(0, int(vol * _MB), f"sent[{j}]")
        m.Add(x <= int(vol * _MB) * r)
        relay_on.append(r)
        sent.append(x)
        for k in range(n):
            ov = _overlap_h(edges[k], edges[k + 1], w.start_lmst_h, w.end_lmst_h)
            if ov > 0:
                # the pass keeps the rover awake for its overlap with the slot only (a
                # whole slot's awake load, 2.4 times a 12-min pass's over two slots, kept
                # evening passes out of reach); counted again if a task wakes the slot
                e = (uhf.power_w + rover.awake_load_w - rover.sleep_load_w) * ov \
                    * LMST_HOUR_S / 3600.0 / eta_d
                load_terms[k].append((math.ceil(e * _WH), r))
                occupancy.setdefault("uhf", [[] for _ in range(n)])[k].append(r)
    if relay_on:
        m.Add(sum(relay_on) <= max_relay_sessions)
    for per_slot in occupancy.values():
        for k in range(n):
            if len(per_slot[k]) > 1:
                m.Add(sum(per_slot[k]) <= 1)

    # Awake slots and the battery reservoir.
    awake = []
    for k in range(n):
        if awake_drivers[k]:
            w_k = m.NewBoolVar(f"awake[{k}]")
            for y in awake_drivers[k]:
                m.AddImplication(y, w_k)
            awake.append(w_k)
        else:
            awake.append(None)
    cap_u = math.floor(cap * _WH)
    floor_u = math.ceil((rover.min_soc + floor_margin) * cap * _WH)
    soc0 = round(inp.initial_soc * cap * _WH)
    big = cap_u * 4 + 10**7
    soc = [m.NewConstant(min(soc0, cap_u))]
    for k in range(n):
        gk = math.floor(gen[k] * _WH)
        fk = math.ceil(fixed[k] * _WH)
        expr = soc[-1] + gk - fk - sum(c * y for c, y in load_terms[k])
        if awake[k] is not None:
            expr -= math.ceil(wake_cost * _WH) * awake[k]
        # soc <= min(raw, capacity): the solver may "spill" energy, which never helps it,
        # so feasibility is that of the clipped reservoir, with a linear (LP-tight) model.
        nxt = m.NewIntVar(-big, cap_u, f"soc[{k + 1}]")
        m.Add(nxt <= expr)
        m.Add(nxt >= floor_u).OnlyEnforceIf(groups["battery_floor"])
        soc.append(nxt)
    target_u = math.ceil(end_soc_target * cap * _WH)
    m.Add(soc[-1] >= target_u).OnlyEnforceIf(groups["end_soc_target"])
    # The same budget over the whole sol on the start literals alone (implied by the chain
    # above; a knapsack row the solver can cut on, which closes the gap much sooner).
    energy_of: dict[int, list[Any]] = {}
    for k in range(n):
        for c, y in load_terms[k]:
            energy_of.setdefault(id(y), [0, y])[0] += c
    slack = soc0 + sum(math.floor(g * _WH) for g in gen) - sum(
        math.ceil(f * _WH) for f in fixed) - target_u
    m.Add(sum(c * y for c, y in energy_of.values()) <= slack).OnlyEnforceIf(
        groups["end_soc_target"])

    # Data buffer: data count as available once their activity has ended (sending), and as
    # stored from the moment it starts (capacity): both on the safe side, and so is the
    # rounding to 0.1 Mbit (down for what can be sent, up for what must fit).
    buf_cap = math.floor(rover.data_buffer_mbit * _MB)
    b0 = math.floor(inp.initial_buffer_mbit * _MB)
    b0_up = math.ceil(inp.initial_buffer_mbit * _MB)
    data = {t.id: math.floor(t.activity.data_mbit * _MB) for t in tasks}
    data_up = {t.id: math.ceil(t.activity.data_mbit * _MB) for t in tasks}
    order = sorted(range(len(windows)), key=lambda j: windows[j].start_lmst_h)
    for pos, j in enumerate(order):
        w = windows[j]
        kb = math.floor(w.start_lmst_h / slot_h + 1e-9)
        ready = sum(data[t.id] * y for t in tasks for s, y in starts[t.id]
                    if s + dur[t.id] <= kb and data[t.id] > 0)
        m.Add(sent[j] <= b0 + ready - sum(sent[i] for i in order[:pos]))
    checkpoints = [(windows[j].end_lmst_h, order[:pos + 1]) for pos, j in enumerate(order)]
    checkpoints.append((24.0, order))
    for t_h, gone in checkpoints:
        k = math.ceil(t_h / slot_h - 1e-9)
        stored = sum(data_up[t.id] * y for t in tasks for s, y in starts[t.id]
                     if s < k and data_up[t.id] > 0)
        earlier_gone = [i for i in gone if windows[i].end_lmst_h <= t_h - 1e-9]
        m.Add(b0_up + stored - sum(sent[i] for i in earlier_gone) <= buf_cap).OnlyEnforceIf(
            groups["data_buffer"])
    if data_budget_mbit is not None and sent:
        m.Add(sum(sent) <= int(data_budget_mbit * _MB))

    # Objective: science value first, then data returned (the charge held through the sol
    # is a second solve's, in plan_sol).
    score = None
    if objective == "science":
        score = sum(round(t.value * 1000) * present[t.id] for t in tasks)
        score += sum(5 * x for x in sent)  # 0.5 per Mbit: below any task's value
        score -= sum(_SESSION * r for r in relay_on)  # worth opening for > 0.4 Mbit
        m.Maximize(score)
    elif objective == "end_soc":
        m.Maximize(soc[-1])
    numbers = {
        "net": np.array([math.floor(g * _WH) for g in gen])
        - np.array([math.ceil(f * _WH) for f in fixed]),
        "wake": math.ceil(wake_cost * _WH), "cap": cap_u, "floor": floor_u,
        "soc0": min(soc0, cap_u), "target": target_u, "n": n,
        "task_load": {t.id: math.ceil(t.activity.power_w * earth_h / eta_d * _WH)
                      for t in tasks},
        "relay_load": [[(k, c) for k in range(n) for c, y in load_terms[k] if y is r]
                       for r in relay_on],
        "data": data, "budget": None if data_budget_mbit is None
        else int(data_budget_mbit * _MB),
    }
    return _Model(m, present, starts, relay_on, sent, soc, groups, dur, slot_h, score,
                  numbers)


def _greedy_hint(built: _Model, tasks: Sequence[Task], inp: SolInputs,
                 max_relay_sessions: int, drive_limit_m: float) -> float:
    """Hint the first solve with a greedy plan on the model's own integer reservoir, and
    return its objective. Tasks go in by value (the most valuable whose offered
    dependencies are placed), each at the feasible start keeping the most charge through
    the sol, or (a second greedy) the highest lowest charge; then the set of at most
    ``max_relay_sessions`` passes that scores best. The better of the two plans is the
    hint. CP-SAT's own first plans on this model are erratic (on the benchmark sol 29680,
    71480 or 78480 after 0.2 deterministic s, by seed); from the hint it has to improve."""
    nb = built.numbers
    n, net, wake, cap = nb["n"], nb["net"], nb["wake"], nb["cap"]
    done = set(inp.completed)
    windows = _windows_of(inp)
    budget = nb["budget"] if nb["budget"] is not None else 10**12
    b0 = math.floor(inp.initial_buffer_mbit * _MB)

    def reservoir(extra: np.ndarray) -> np.ndarray:
        """The charge after each slot, one row per extra-load row: soc_k = min(cap,
        soc_k-1 + x_k) in closed form, S_k + min(soc0, cap - max_j<=k S_j), S the
        cumulative net inflow."""
        cum = np.cumsum(net[None, :] - extra, axis=1)
        return cum + np.minimum(nb["soc0"], cap - np.maximum.accumulate(cum, axis=1))

    def ok(socs: np.ndarray) -> np.ndarray:
        return (socs.min(axis=1) >= nb["floor"]) & (socs[:, -1] >= nb["target"])

    def greedy(rule: Callable[[np.ndarray], np.ndarray]) -> tuple[float, dict, dict]:
        load = np.zeros(n, dtype=np.int64)
        awake = np.zeros(n, dtype=bool)
        busy: dict[str, np.ndarray] = {}
        end: dict[str, int] = {}
        drive = 0.0
        pending = sorted(tasks, key=lambda t: -t.value)
        while (t := next((t for t in pending
                          if all(x in done or x in end for x in t.after)), None)):
            pending.remove(t)
            a, d = t.activity, built.dur_slots[t.id]
            if drive + a.distance_m > drive_limit_m + 1e-9:
                continue
            ready = max((end[x] for x in t.after if x not in done), default=0)
            cands = [s for s, _ in built.starts[t.id] if s >= ready and not any(
                busy[r][s:s + d].any() for r in a.resources if r in busy)]
            if not cands:
                continue
            extra = np.tile(load + wake * awake, (len(cands), 1))
            for i, s in enumerate(cands):
                extra[i, s:s + d] += nb["task_load"][t.id]
                if a.awake:
                    extra[i, s:s + d] += wake * ~awake[s:s + d]
            socs = reservoir(extra)
            good = np.flatnonzero(ok(socs))
            if good.size == 0:
                continue
            s = cands[good[np.argmax(rule(socs[good]))]]
            load[s:s + d] += nb["task_load"][t.id]
            if a.awake:
                awake[s:s + d] = True
            for r in a.resources:
                busy.setdefault(r, np.zeros(n, bool))[s:s + d] = True
            end[t.id] = s + d
            drive += a.distance_m
        # the passes: every set of at most max_relay_sessions, data sent as it is ready
        base = load + wake * awake
        best: tuple[float, dict] = (0.0, {})
        for size in range(1, max_relay_sessions + 1):
            for chosen in itertools.combinations(range(len(windows)), size):
                sent, on = 0, {}
                for j in sorted(chosen, key=lambda j: windows[j].start_lmst_h):
                    w = windows[j]
                    kb = math.floor(w.start_lmst_h / built.slot_h + 1e-9)
                    ready = b0 + sum(nb["data"][i] for i, e in end.items() if e <= kb)
                    vol = w.volume_mbit if math.isfinite(w.volume_mbit) else 1e6
                    on[j] = max(0, min(int(vol * _MB), ready - sent, budget - sent))
                    sent += on[j]
                score = 5 * sent - _SESSION * size
                if score <= best[0]:
                    continue
                extra = base[None, :].copy()
                for j in chosen:
                    for k, c in nb["relay_load"][j]:
                        extra[0, k] += c
                if ok(reservoir(extra))[0]:
                    best = (score, on)
        value = sum(round(t.value * 1000) for t in tasks if t.id in end)
        return value + best[0], end, best[1]

    score, end, on = max((greedy(lambda x: x.sum(axis=1)), greedy(lambda x: x.min(axis=1))),
                         key=lambda g: g[0])
    for t in tasks:
        built.model.AddHint(built.present[t.id], int(t.id in end))
        for s, y in built.starts[t.id]:
            built.model.AddHint(y, int(t.id in end and s == end[t.id] - built.dur_slots[t.id]))
    for j, (r, x) in enumerate(zip(built.relay_on, built.sent, strict=True)):
        built.model.AddHint(r, int(j in on))
        built.model.AddHint(x, on.get(j, 0))
    return score


def _hold_charge(rover: RoverModel, tasks: Sequence[Task], inp: SolInputs, kw: dict[str, Any],
                 built: _Model, first: Any, effort: float, time_limit_s: float, *,
                 daylight_only: bool = False, hold: bool = True) -> tuple[_Model, Any] | None:
    """A second solve among the plans as good as the first one found (its tasks, and science
    and data score held): the one keeping the most charge through the sol (the sum of the
    slots' state of charge), i.e. running powered work while the array would otherwise
    spill into a full battery rather than at night on the battery. Only the chosen tasks
    enter its model (a fraction of the first's), so CP-SAT usually proves the placement
    optimal within a small part of its effort. Starts from the first plan (a hint); returns
    the model and solver, or None when it found nothing.

    ``daylight_only`` keeps every task between sunrise and sunset (relay sessions stay on
    any pass);
    ``hold=False`` drops the score hold and maximises the score instead (what daylight
    alone can return: the reason night work is forced)."""
    from ortools.sat.python import cp_model

    chosen = [t for t in tasks if first.Value(built.present[t.id])]
    if not chosen:
        return None  # relay sessions alone: bound to their passes, nothing to move
    again = _build(rover, chosen, inp, **kw)
    m = again.model
    for g in again.groups.values():
        m.Add(g == 1)
    for p in again.present.values():
        m.Add(p == 1)
    if daylight_only:
        rise, sset = inp.daylight_lmst_h
        h = again.slot_h
        for t in chosen:
            d = again.dur_slots[t.id]
            for s, y in again.starts[t.id]:
                if s * h < rise - 1e-9 or (s + d) * h > sset + 1e-9:
                    m.Add(y == 0)
    for t in chosen:
        old = dict(built.starts[t.id])
        for s, y in again.starts[t.id]:
            m.AddHint(y, first.Value(old[s]))
    for new, old in zip((*again.relay_on, *again.sent), (*built.relay_on, *built.sent),
                        strict=True):
        m.AddHint(new, first.Value(old))
    if hold:
        # science and data held; the small charge per relay session (a tie-breaker
        # against opening one for crumbs) may give way to charge held
        sessions = sum(first.Value(r) for r in built.relay_on)
        m.Add(again.score + _SESSION * sum(again.relay_on)
              >= round(first.ObjectiveValue()) + _SESSION * sessions)
        m.Maximize(sum(again.soc[1:]))
    else:
        m.Maximize(again.score)
    second = cp_model.CpSolver()
    second.parameters.max_deterministic_time = max(0.2, 0.1 * float(effort))
    second.parameters.max_time_in_seconds = float(time_limit_s)
    second.parameters.num_workers = 1
    second.parameters.random_seed = 1
    # the LP's cuts prove the placement, and probing in presolve (which fixes nothing the
    # hold has not fixed) only costs: on the benchmark sol 0.12 deterministic s, against
    # 0.17 with probing and 0.44 at the default LP level
    second.parameters.linearization_level = 2
    second.parameters.cp_model_probing_level = 0
    status = second.Solve(m)
    return (again, second) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _placed(built: _Model, solver: Any, tasks: Sequence[Task], inp: SolInputs
            ) -> list[PlannedActivity]:
    """The activities and relay sessions a solved model places, in start order."""
    placed: list[PlannedActivity] = []
    for t in tasks:
        if t.id not in built.present or not solver.Value(built.present[t.id]):
            continue
        s = next(s for s, y in built.starts[t.id] if solver.Value(y))
        placed.append(PlannedActivity(t.id, t.label, t.phase,
                                      Scheduled(s * built.slot_h, t.activity), t.depth_m))
    for j, w in enumerate(_windows_of(inp)):
        if solver.Value(built.relay_on[j]):
            vol = solver.Value(built.sent[j]) / _MB
            act = relay_session(vol, (w.end_lmst_h - w.start_lmst_h) * LMST_HOUR_S)
            placed.append(PlannedActivity(
                f"relay@{w.start_lmst_h:.4f}", f"relay {vol:.0f} Mbit", "relay",
                Scheduled(w.start_lmst_h, act)))
    placed.sort(key=lambda p: p.start_lmst_h)
    return placed


def night_work(plan_or_activities: Any, daylight_lmst_h: tuple[float, float] | None = None
               ) -> list[PlannedActivity]:
    """The planned tasks that run at least partly outside ``daylight_lmst_h`` (sunrise,
    sunset; a :class:`SolPlan`'s own by default): powered work on the battery at night.
    Relay sessions are left out: their time is the orbiter pass's, not the planner's.

    Example:
        >>> night_work([], daylight_lmst_h=(5.5, 18.25))  # a plan's activities, or a plan
        []
    """
    acts = getattr(plan_or_activities, "activities", plan_or_activities)
    if daylight_lmst_h is None:
        daylight_lmst_h = plan_or_activities.inputs.daylight_lmst_h
    rise, sset = daylight_lmst_h
    return [p for p in acts if p.phase != "relay"
            and (p.start_lmst_h < rise - 1e-9 or p.end_lmst_h > sset + 1e-9)]


def _full_by_day(sim: SolSimulation) -> bool:
    """The battery reaches full charge (the array's surplus spills)."""
    return bool(np.max(sim.soc) >= 1.0 - 1e-3)


def _hhmm(h: float) -> str:
    m = round(h * 60.0)
    return f"{m // 60:02d}:{m % 60:02d}"


def _returned(placed: Sequence[PlannedActivity]) -> tuple[float, int]:
    relays = [p for p in placed if p.phase == "relay"]
    return sum(p.scheduled.activity.downlink_mbit for p in relays), len(relays)


def _why_night(placed: list[PlannedActivity], inp: SolInputs,
               day: tuple[_Model, Any] | None, tasks: Sequence[Task]) -> str:
    """Why the night work stays: what the best daylight-only plan of the same tasks loses."""
    what = ", ".join(f"{p.label} {_hhmm(p.start_lmst_h)}-{_hhmm(p.end_lmst_h)}"
                     for p in night_work(placed, inp.daylight_lmst_h))
    rise, sset = inp.daylight_lmst_h
    head = (f"night work forced ({what} LMST, daylight {_hhmm(rise)}-{_hhmm(sset)}, "
            "battery full by day): in daylight alone ")
    if day is None:
        return head + ("these tasks do not fit within the battery floor, the end-of-sol "
                       "SOC target and their time windows")
    mbit, sessions = _returned(placed)
    d_mbit, d_sessions = _returned(_placed(*day, tasks, inp))
    if mbit - d_mbit > 0.05:
        return head + (f"{d_mbit:.1f} Mbit of its {mbit:.1f} would be returned this sol "
                       "(the rest on a later sol)")
    if d_sessions > sessions:
        return head + f"the same data need {d_sessions - sessions} more relay session(s)"
    return head + "no plan as good in science and data was found"


def _windows_of(inp: SolInputs) -> list[RelayWindow]:
    return [w for w in inp.relay_windows if 0.0 <= w.start_lmst_h < w.end_lmst_h <= 24.0]


def plan_sol(
    rover: RoverModel,
    tasks: Iterable[Task],
    inputs: SolInputs,
    *,
    end_soc_target: float | None = None,
    slot_minutes: float = 15.0,
    max_relay_sessions: int = 2,
    data_budget_mbit: float | None = None,
    floor_margin: float = 0.005,
    effort: float = 0.15,
    time_limit_s: float = 20.0,
    contingency: str | None = None,
) -> SolPlan:
    """Plan one sol: choose and place ``tasks`` (see the module doc for the constraints).

    ``end_soc_target`` defaults to the rover's ``end_of_sol_soc_target``; ``data_budget_mbit``
    to its ``data_budget_mbit_per_sol`` (the share of the orbiter's relay capacity). Raises
    :class:`InfeasibleSolError` naming the constraints to relax when no plan exists.

    CP-SAT starts from a greedy plan (a hint) and usually finds its best plan within a few
    tenths of a second but may need much longer to prove it optimal. The search runs on one
    worker for ``effort`` units of CP-SAT's *deterministic* time (about a second each on a
    quiet 2-core machine), so the same inputs give the same plan on any machine and under
    any load; the best plan found is returned with ``status`` FEASIBLE and its distance to
    the proven bound in ``gap_pct``; a search that finds no plan at all within ``effort``
    is given 4 and then 16 times as much before the sol is declared unplannable.
    ``time_limit_s`` is a wall-clock safety net only. The
    charge-holding second solve (over the chosen tasks) gets ``max(0.2, effort / 10)``,
    and usually proves its placement optimal well before.
    """
    task_list = list(tasks)
    ids = [t.id for t in task_list]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ParameterError(f"task ids must be unique: {', '.join(dup)} repeat")
    if not (0 < slot_minutes <= 120 and (24 * 60 / slot_minutes) % 1 < 1e-9):
        raise ParameterError(
            f"slot_minutes = {slot_minutes} must divide the 1440-minute sol (e.g. 5, 10, 15, 30)"
        )
    if not 0.0 <= inputs.initial_soc <= 1.0:
        raise ParameterError(f"initial_soc = {inputs.initial_soc} must lie in [0, 1]")
    target = rover.end_of_sol_soc_target if end_soc_target is None else float(end_soc_target)
    if not 0.0 <= target <= 1.0:
        raise ParameterError(f"end_soc_target = {target} must lie in [0, 1]")
    budget = rover.data_budget_mbit_per_sol if data_budget_mbit is None else data_budget_mbit
    kw = dict(slot_minutes=slot_minutes, end_soc_target=target,
              max_relay_sessions=max_relay_sessions, floor_margin=floor_margin,
              data_budget_mbit=budget)
    from ortools.sat.python import cp_model

    built = _build(rover, task_list, inputs, **kw)
    for g in built.groups.values():
        built.model.Add(g == 1)
    _greedy_hint(built, task_list, inputs, max_relay_sessions, rover.drive_limit_m_per_sol)
    solver = cp_model.CpSolver()
    if not (math.isfinite(effort) and effort > 0):
        raise ParameterError(f"effort = {effort} must be > 0 (CP-SAT deterministic seconds)")
    solver.parameters.max_deterministic_time = float(effort)
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = 1  # one worker: reproducible plans
    solver.parameters.random_seed = 1
    solver.parameters.relative_gap_limit = 0.002
    solver.parameters.linearization_level = 2
    t0 = _time.perf_counter()
    status = solver.Solve(built.model)
    # No plan at all within the effort (the hint was not completed into one): the same
    # search, given 4 and then 16 times the effort, before giving up. Deterministic time
    # again, so the plan still depends only on the inputs.
    tried = float(effort)
    for scale in (4.0, 16.0):
        if status != cp_model.UNKNOWN:
            break
        tried = scale * float(effort)
        solver.parameters.max_deterministic_time = tried
        status = solver.Solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.UNKNOWN:
            raise InfeasibleSolError(
                f"sol {inputs.sol}: no plan found within effort {tried:g}: raise "
                "effort or offer fewer tasks"
            )
        raise _explain(rover, task_list, inputs, kw)
    # the science objective and its gap are the first solve's; the placement may come from
    # the second (as good in science and data, more charge held)
    obj, bound = float(solver.ObjectiveValue()), float(solver.BestObjectiveBound())
    status_name = solver.StatusName(status)
    first_model, first = built, solver
    built, solver = _hold_charge(rover, task_list, inputs, kw, built, solver, effort,
                                 time_limit_s) or (built, solver)
    windows = _windows_of(inputs)

    def simulate(placed: list[PlannedActivity]) -> SolSimulation:
        return simulate_sol(
            rover, [p.scheduled for p in placed], inputs.generation_fn(), windows,
            initial_soc=inputs.initial_soc, initial_buffer_mbit=inputs.initial_buffer_mbit,
            daylight_lmst_h=inputs.daylight_lmst_h, completed=inputs.completed,
        )

    placed = _placed(built, solver, task_list, inputs)
    sim = simulate(placed)
    notes: list[str] = []
    forced: str | None = None
    if night_work(placed, inputs.daylight_lmst_h) and _full_by_day(sim):
        # Powered work on the battery at night while the array spills by day: the charge
        # held did not move it, so try daylight alone, as good in science and data; failing
        # that, say what daylight alone would cost (the night work is forced).
        day = _hold_charge(rover, task_list, inputs, kw, first_model, first, effort,
                           time_limit_s, daylight_only=True)
        if day is not None:
            placed = _placed(*day, task_list, inputs)
            sim = simulate(placed)
            notes.append("night work moved into daylight (the array spilled into a full "
                         "battery)")
        else:
            probe = _hold_charge(rover, task_list, inputs, kw, first_model, first, effort,
                                 time_limit_s, daylight_only=True, hold=False)
            forced = _why_night(placed, inputs, probe, task_list)
    elapsed = _time.perf_counter() - t0
    # The end-of-sol target is the planner's own (possibly relaxed) one, not the rover's.
    if target < rover.end_of_sol_soc_target:
        sim.violations = [v for v in sim.violations if v.kind != "end_soc_below_target"
                          or sim.soc[-1] < target - 1e-9]
    gap = 100.0 * max(0.0, bound - obj) / max(abs(bound), 1.0)
    return SolPlan(inputs, placed, sim, target, status_name, obj, elapsed,
                   contingency, gap_pct=gap, notes=notes, night_work=forced)


_GROUP_TEXT = {
    "battery_floor": "the battery floor",
    "end_soc_target": "the end-of-sol SOC target",
    "data_buffer": "the data buffer capacity",
}


def _explain(rover: RoverModel, tasks: list[Task], inp: SolInputs, kw: dict[str, Any]
             ) -> InfeasibleSolError:
    """Name the conflicting constraint groups and the numbers to relax them to."""
    from ortools.sat.python import cp_model

    if inp.initial_soc < rover.min_soc + kw["floor_margin"]:
        return InfeasibleSolError(
            f"sol {inp.sol} cannot be planned: it starts at SOC {inp.initial_soc:.1%}, below "
            f"the floor {rover.min_soc:.0%} (+{kw['floor_margin']:.1%} margin): the rover "
            "cannot survive this sol as planned; raise the start SOC (an earlier sol must end "
            "higher) or lower min_soc", ["battery_floor"])
    built = _build(rover, tasks, inp, **kw)
    lits = list(built.groups.values())
    built.model.AddAssumptions(lits)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 5.0
    solver.parameters.max_time_in_seconds = 30.0
    solver.Solve(built.model)
    core_idx = set(solver.SufficientAssumptionsForInfeasibility())
    names = {v.Index(): k for k, v in built.groups.items()}
    core = [names[i] for i in core_idx if i in names] or list(built.groups)
    # CP-SAT's core need not be minimal: drop each group that the conflict holds without.
    for name in list(core):
        trial = [c for c in core if c != name]
        built.model.ClearAssumptions()
        built.model.AddAssumptions([built.groups[c] for c in trial])
        if solver.Solve(built.model) == cp_model.INFEASIBLE:
            core = trial
    advice: list[str] = []
    cap = rover.battery_wh
    if "end_soc_target" in core:
        probe = _build(rover, tasks, inp, **kw, objective="end_soc")
        for name, g in probe.groups.items():
            probe.model.Add(g == (0 if name == "end_soc_target" else 1))
        s2 = cp_model.CpSolver()
        s2.parameters.num_workers = 1
        s2.parameters.max_deterministic_time = 3.0
        s2.parameters.max_time_in_seconds = 30.0
        st = s2.Solve(probe.model)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = s2.Value(probe.soc[-1]) / _WH / cap
            advice.append(f"relax the end-of-sol SOC target {kw['end_soc_target']:.0%} to "
                          f"{math.floor(best * 1000) / 10:.1f} % or less")
    req = [c.split(":", 1)[1] for c in core if c.startswith("required:")]
    if req:
        advice.append("drop or split the required task(s) " + ", ".join(repr(r) for r in req)
                      + " (make them optional or move them to another sol)")
    if "data_buffer" in core:
        advice.append(f"free the data buffer ({rover.data_buffer_mbit:g} Mbit): add relay "
                      "passes or produce less data")
    what = ", ".join(_GROUP_TEXT.get(c, f"required task {c.split(':', 1)[-1]!r}")
                     for c in sorted(core))
    gen = inp.generation_wh
    verb = "cannot all hold" if len(core) > 1 else "cannot hold"
    msg = (f"sol {inp.sol} cannot be planned: {what} {verb} (array "
           f"{gen:.0f} Wh this sol, start SOC {inp.initial_soc:.0%}): " + "; ".join(advice or [
               "relax one of them"]))
    return InfeasibleSolError(msg, core)

