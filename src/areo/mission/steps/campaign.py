"""The ``campaign`` step: the rover's surface campaign (:func:`areo.surface.campaign.
plan_campaign`) on the relay plan, with the scenario's margins applied to the rover. With
``partial`` (``areo mission --partial``), a campaign that does not fit, or stops at a sol
the rover cannot survive, is kept and marked incomplete instead of ending the run."""

from __future__ import annotations

from typing import Any

from areo.errors import AreoInputError
from areo.mission.context import StepInputs, field_error
from areo.mission.results import CampaignResult
from areo.mission.steps.base import Step


def rover_with_margins(rover: Any, margins: Any) -> Any:
    """The rover with the scenario's margins applied (array derated, battery floor)."""
    upd: dict[str, Any] = {}
    f = margins.energy_fraction
    if f > 0:
        if rover.array_ref_wh_per_sol is not None and rover.array_ref_insolation_wh_m2:
            upd["array_ref_wh_per_sol"] = rover.array_ref_wh_per_sol * (1.0 - f)
        else:
            upd["array_efficiency"] = rover.array_efficiency * (1.0 - f)
    if margins.min_soc is not None:
        upd["min_soc"] = margins.min_soc
        upd["end_of_sol_soc_target"] = max(rover.end_of_sol_soc_target, margins.min_soc)
    if not upd:
        return rover
    return type(rover).model_validate({**rover.model_dump(), **upd})


def compute(inp: StepInputs) -> CampaignResult:
    """The campaign as far as it goes: complete, or marked incomplete with what remains and
    why (:func:`accept` decides whether an incomplete one ends the run)."""
    from areo.surface.campaign import CampaignOptions, plan_campaign
    from areo.surface.environment import Cleaning, DustModel

    sc = inp.scenario
    dust = DustModel(loss_per_sol=sc.dust.loss_per_sol,
                     cleanings=tuple(Cleaning(c.sol, c.restore) for c in sc.dust.cleanings))
    try:
        camp = plan_campaign(
            rover_with_margins(inp.rover, sc.margins), inp.site, inp.landing, inp.sols,
            CampaignOptions(tau=sc.dust.tau, dust=dust,
                            experiment_cycles=sc.rover.experiment_cycles,
                            vertical_surveys=sc.rover.vertical_surveys, require_complete=False),
            relay=inp.result("relay").plan, progress=inp.progress,
        )
    except AreoInputError as exc:
        raise field_error(sc, "rover", str(exc)) from None
    return CampaignResult(record=camp.to_dict(), soc=camp.soc_series(),
                          openmct=camp.to_openmct(), frame=camp.to_frame(),
                          activities=camp.activities_frame())


def accept(result: CampaignResult, scenario: Any, partial: bool) -> None:
    """An incomplete campaign ends the run with one line naming the scenario field behind
    it and ``--partial``, unless the run keeps partial results."""
    if result.complete or partial:
        return
    text = str(result.summary.get("incomplete_reason"))
    where = "dust.tau" if "surviv" in text else "operations.sols"
    raise field_error(scenario, where, text + " (or run areo mission with --partial to "
                      "keep the report with the campaign marked incomplete)")


def _detail(v: CampaignResult) -> str:
    s = v.summary
    text = (f"{s.get('n_samples', '?')} samples, max depth {s.get('max_depth_m', 0):.2f} m, "
            f"{s.get('experiment_cycles', '?')} experiment cycles")
    return text if v.complete else f"{text}; INCOMPLETE: {s.get('incomplete_reason')}"


STEP = Step("campaign", "Rover campaign",
            reads=("rover", "dust", "margins"),
            uses=("rover", "site", "landing", "sols"),
            needs=("relay",), compute=compute, detail=_detail, accept=accept,
            applies=lambda sc: sc.rover is not None, skipped="no [rover] section")
