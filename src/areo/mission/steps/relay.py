"""The ``relay`` step: every pass over the landing site with its UHF volume, the Earth
contacts through the ground stations, the solar conjunctions and the CP-SAT relay plan over
the operations span (:func:`areo.relay.plan.plan_relay`), counted in the mission's sols."""

from __future__ import annotations

from areo.constants import DAY_S
from areo.mission.context import StepInputs
from areo.mission.results import RelayResult
from areo.mission.steps.base import Step


def compute(inp: StepInputs) -> RelayResult:
    from areo.events import daylight
    from areo.relay.plan import ORBITER_RADIOS, RelayOptions, plan_relay

    sc = inp.scenario
    start, stop = inp.ops_span()
    radios = {o.name: (o.radio or ORBITER_RADIOS.get(o.name, "electra")) for o in sc.orbiters}
    ops = sc.operations
    # The site carries the landing time: the plan's sols are the mission's (sol 0 = landing).
    plan = plan_relay([inp.site], inp.trajectories, start, stop, RelayOptions(
        min_elev_deg=ops.min_elev_deg, mode=ops.rate_mode, lander_radio=inp.lander_radio,
        orbiter_radios=radios, stations=list(sc.stations.names),
        margin_fraction=sc.margins.link_fraction, storage_mbit=ops.orbiter_storage_mbit,
    ), progress=inp.progress)
    week = daylight(inp.site, start, start + 7 * DAY_S)[0]
    return RelayResult(plan=plan, daylight_week=week.windows, start_et=float(start.et),
                       stop_et=float(stop.et), radios=radios)


def _detail(v: RelayResult) -> str:
    return f"{len(v.plan.rows)} passes, {v.plan.status}"


STEP = Step("relay", "Passes, Earth contacts, conjunctions, relay plan",
            reads=("orbiters", "operations.min_elev_deg", "operations.rate_mode",
                   "operations.orbiter_storage_mbit", "stations", "margins.link_fraction"),
            uses=("site", "lander_radio", "sols", "landing", "clock", "trajectories"),
            compute=compute, detail=_detail)
