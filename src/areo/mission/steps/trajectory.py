"""The ``trajectory`` step (``transfer.model = "dsm"`` or ``"mga"``): the trajectory along
``transfer.sequence`` optimised with pygmo (:func:`areo.transfer.optimise_trajectory`) under
the launch (``max_c3_km2s2``, ``dla_deg``), arrival (``max_vinf_kms``, ``ls_deg``, the
arrival span) and landing (``lmst_hours`` at the site) constraints, and the launch period of
``launch.period_days`` days around its launch day (:func:`areo.transfer.
optimise_launch_period`). The flown trajectory sets the landing time; the ballistic
porkchop of the ``transfer`` step stays as the reference it improves on."""

from __future__ import annotations

from typing import Any

from areo.constants import DAY_S
from areo.errors import AreoInputError
from areo.mission.context import StepInputs, field_error
from areo.mission.results import TrajectoryResult
from areo.mission.steps.base import Step
from areo.mission.steps.transfer import capture_orbit


def problem(inp: StepInputs) -> Any:
    """The scenario's :class:`areo.transfer.TrajectoryProblem` (spans, model, objective,
    constraints, capture orbit)."""
    from areo.transfer import Constraints, TrajectoryProblem

    sc = inp.scenario  # the spans are there: the scenario refused a DSM/MGA model without
    spec = sc.transfer
    c = sc.capture
    cap = capture_orbit(inp)
    try:
        cons = Constraints(
            max_c3_km2s2=sc.launch.max_c3_km2s2, dla_deg=sc.launch.dla_deg,
            max_vinf_arrive_kms=sc.arrival.max_vinf_kms, arrival_ls_deg=sc.arrival.ls_deg,
            landing_lmst_h=sc.landing.lmst_hours, site=inp.site.key)
        return TrajectoryProblem(
            sequence=spec.sequence, launch=(sc.launch.earliest, sc.launch.latest),
            arrive=(sc.arrival.earliest, sc.arrival.latest), model=spec.model,
            objective=spec.objective, constraints=cons, max_revs=spec.max_revs,
            capture=(c.periapsis_alt_km, cap.eccentricity))
    except AreoInputError as exc:
        raise field_error(sc, "transfer", str(exc)) from None


def compute(inp: StepInputs) -> TrajectoryResult:
    from areo.time import Time
    from areo.transfer import optimise_launch_period, optimise_trajectory
    from areo.transfer.maneuvers import orbit_insertion

    sc = inp.scenario
    prob = problem(inp)
    traj = optimise_trajectory(prob, seed=sc.transfer.seed)
    period = None
    days = sc.launch.period_days
    if days:
        # the period centred on the best launch day, inside the launch span
        lo, hi = (float(Time(t).et) for t in (sc.launch.earliest, sc.launch.latest))
        first = min(max(traj.launch_et - 0.5 * days * DAY_S, lo), max(hi - days * DAY_S, lo))
        last = min(first + days * DAY_S, hi)
        span = (str(Time.from_et(first).utc_iso(0)), str(Time.from_et(last).utc_iso(0)))
        period = optimise_launch_period(prob.with_launch(span), seed=sc.transfer.seed,
                                        progress=inp.progress)
    cap = capture_orbit(inp)
    budget = orbit_insertion(float(traj.arrival_vinf_kms), cap, sc.capture.final_alt_km)
    record = {**traj.to_dict(), "model": traj.model, "sequence": list(traj.sequence),
              "objective": traj.objective, "objective_value": traj.objective_value,
              "flybys": [{"body": f.body, "utc": str(Time.from_et(f.et).utc_iso(0)),
                          "altitude_km": f.altitude_km, "vinf_in_kms": f.vinf_in_kms,
                          "vinf_out_kms": f.vinf_out_kms, "turn_deg": f.turn_deg,
                          "dv_kms": f.dv_kms} for f in traj.flybys],
              "at_edge": list(traj.at_edge), "notes": list(traj.notes()),
              "launch_et": traj.launch_et, "arrive_et": traj.arrive_et,
              "runtime_s": traj.runtime_s, "evaluations": traj.evaluations,
              "vinf_arrive_icrf_kms": [float(v) for v in traj.arrival_vinf_vector_kms],
              "landing_utc": _landing_utc(traj.arrive_et, traj.landing_lmst_h,
                                          inp.site.lon_east_deg)}
    record["constraints"] = _constraint_lines(prob, record)
    figures = {"trajectory": traj.plot().to_plotly_json()}
    if period is not None:
        figures["period"] = period.plot().to_plotly_json()
    return TrajectoryResult(record=record, period=None if period is None else period.to_dict(),
                            figures=figures, insertion=budget.to_dict(),
                            capture=cap.to_dict())


def _constraint_lines(prob: Any, record: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per constraint the scenario set: what it asks, what the trajectory does,
    met or missed by how much (the amounts of ``constraints_violated``)."""
    c = prob.constraints
    la, ar = record["launch"], record["arrival"]
    missed = record["constraints_violated"]
    rows = []

    def line(key: str, name: str, limit: str, value: str) -> None:
        m = missed.get(key)
        rows.append({"name": name, "limit": limit, "value": value, "met": m is None,
                     "missed_by": None if m is None else f"{m['missed_by']:.3g} {m['unit']}"})

    if c.max_c3_km2s2 is not None:
        line("max_c3", "launch energy C3", f"≤ {c.max_c3_km2s2:g} km²/s²",
             f"{la['c3_km2s2']:.2f} km²/s²")
    if c.dla_deg is not None:
        line("dla", "declination of the launch asymptote",
             f"{c.dla_deg[0]:g} to {c.dla_deg[1]:g} deg", f"{la['dla_deg']:.2f} deg")
    if prob.arrive is not None:
        line("arrive_span", "arrival date", f"{str(prob.arrive[0])[:10]} to "
             f"{str(prob.arrive[1])[:10]}", ar["utc"][:10])
    if c.max_vinf_arrive_kms is not None:
        line("max_vinf_arrive", "arrival v-infinity (entry system)",
             f"≤ {c.max_vinf_arrive_kms:g} km/s", f"{ar['vinf_kms']:.3f} km/s")
    if c.arrival_ls_deg is not None:
        line("arrival_ls", "season at arrival (Ls)",
             f"{c.arrival_ls_deg[0]:g} to {c.arrival_ls_deg[1]:g} deg", f"{ar['ls_deg']:.1f} deg")
    if c.landing_lmst_h is not None:
        line("landing_lmst", "local mean solar time at landing",
             f"{c.landing_lmst_h[0]:g} to {c.landing_lmst_h[1]:g} h",
             f"{ar['landing_lmst_h']:.2f} h")
    if c.site is not None:
        line("declination", "approach reaches the site's latitude",
             "landing ring crosses the site's latitude",
             f"arrival declination {ar['declination_deg']:.1f} deg")
    return rows


def _landing_utc(arrive_et: float, lmst_h: float, lon_east_deg: float) -> str:
    """When the lander touches down: the approach hyperbola fixes where its landing ring
    crosses the site's latitude relative to the Sun, so the landing's local mean solar time
    is the trajectory's ``landing_lmst_h``; the entry is timed (B-plane targeting on
    approach) so that the site is there, at the nearest such time to the arrival epoch
    (within half a sol)."""
    import math

    from areo.constants import LMST_HOUR_S
    from areo.time import Time, mars_time

    if not math.isfinite(lmst_h):
        return str(Time.from_et(arrive_et).utc_iso(3))
    now = float(mars_time(Time.from_et(arrive_et), lon_east_deg).lmst_hours)
    shift_h = (lmst_h - now + 12.0) % 24.0 - 12.0
    return str(Time.from_et(arrive_et + shift_h * LMST_HOUR_S).utc_iso(3))


def _detail(v: TrajectoryResult) -> str:
    r = v.record
    text = (f"{r['launch']['utc'][:10]} -> {r['arrival']['utc'][:10]}, C3 "
            f"{r['launch']['c3_km2s2']:.2f} km2/s2, {r['total_dv_kms']:.3f} km/s after launch")
    if r["constraints_violated"]:
        text += f"; misses {', '.join(r['constraints_violated'])}"
    return text


def _land(ctx: Any, result: TrajectoryResult) -> None:
    """The flown trajectory sets the landing (direct entry at the approach geometry's local
    time), unless the scenario pins it."""
    ctx.land(ctx.scenario.landing.utc or result.record["landing_utc"])


STEP = Step("trajectory", "Trajectory with deep-space manoeuvres, launch period",
            reads=("launch.earliest", "launch.latest", "launch.max_c3_km2s2", "launch.dla_deg",
                   "launch.period_days", "arrival.earliest", "arrival.latest",
                   "arrival.max_vinf_kms", "arrival.ls_deg", "transfer.model",
                   "transfer.sequence", "transfer.objective", "transfer.max_revs",
                   "transfer.seed", "capture", "landing.lmst_hours"),
            uses=("site",), compute=compute, detail=_detail, then=_land,
            applies=lambda sc: sc.transfer.model != "ballistic",
            skipped="ballistic transfer (transfer.model)")
