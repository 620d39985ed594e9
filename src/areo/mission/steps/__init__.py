"""The mission's steps as data.

A :class:`Step` declares what it reads from the scenario (sections, or single fields as
``"margins.link_fraction"``) and which earlier steps' results it needs; it computes a typed
result (:mod:`areo.mission.results`) from a :class:`~areo.mission.context.StepInputs`,
which lets it see nothing else. The runner derives each step's cache key from those
declarations, so a new scenario field can never be left out of a key.

Adding a step is one new module here and one line in :data:`STEPS`.
"""

from __future__ import annotations

from areo.mission.steps import campaign, edl, orbiters, relay, sample_return, trajectory, transfer
from areo.mission.steps.base import Step

__all__ = ["STEPS", "Step"]

#: The steps in the order they run.
STEPS: tuple[Step, ...] = (transfer.STEP, trajectory.STEP, edl.STEP, sample_return.STEP,
                           orbiters.STEP, relay.STEP, campaign.STEP)
