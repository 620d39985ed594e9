"""The ``edl`` step (a scenario with ``[edl]``): the entry targeted from the arrival
hyperbola (B-plane, :func:`areo.edl.entry_from_arrival`) to land on the site at the planned
landing time, and a seeded Monte Carlo of ``edl.runs`` dispersed trajectories
(:func:`areo.edl.monte_carlo`): the 99 % landing ellipse, loads, parachute conditions, the
separated hardware's impact points, failures. The nominal touchdown becomes the landing
time of the rest of the mission (unless ``landing.utc`` pins it)."""

from __future__ import annotations

from typing import Any

from areo.errors import AreoInputError
from areo.mission.context import StepInputs, field_error
from areo.mission.results import EdlResult
from areo.mission.steps.base import Step


def _vinf_vector(inp: StepInputs) -> list[float]:
    """The arrival v-infinity (ICRF, km/s) of the flown trajectory: the DSM/MGA one, else
    the ballistic transfer."""
    traj = inp.result("trajectory")
    if traj is not None:
        return traj.record["vinf_arrive_icrf_kms"]
    return inp.result("transfer").chosen["vinf_arrive_icrf_kms"]


def compute(inp: StepInputs) -> EdlResult:
    from areo import edl

    sc = inp.scenario
    spec = sc.edl
    try:
        entry = edl.entry_from_arrival(spec.vehicle, inp.site, _vinf_vector(inp), inp.landing)
        mc = edl.monte_carlo(entry, runs=spec.runs, seed=spec.seed)
    except AreoInputError as exc:
        raise field_error(sc, "edl", str(exc)) from None
    nominal = edl.fly_nominal(mc.plan)
    record = {**mc.to_dict(), "nominal_events": nominal.events()}
    figures = {"ellipse": mc.plot().to_plotly_json(), "flight": nominal.plot().to_plotly_json()}
    return EdlResult(record=record, runs=mc.to_frame(), figures=figures)


def _detail(v: EdlResult) -> str:
    r = v.record
    e = r["ellipse"]
    return (f"{r['runs']} runs of {r['vehicle']}, 99% ellipse {e['major_km']:.1f} x "
            f"{e['minor_km']:.1f} km, landing {r['entry']['landing_utc'][:16]}")


def _land(ctx: Any, result: EdlResult) -> None:
    """The nominal touchdown is the landing, unless the scenario pins it."""
    ctx.land(ctx.scenario.landing.utc or result.record["entry"]["landing_utc"])


STEP = Step("edl", "Entry, descent and landing Monte Carlo", reads=("edl",),
            uses=("site", "landing"), needs=("transfer", "trajectory"), compute=compute,
            detail=_detail, then=_land, applies=lambda sc: sc.edl is not None,
            skipped="no [edl] section")
