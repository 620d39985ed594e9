"""The step type of the mission chain (:mod:`areo.mission.steps` holds the registry)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Step"]


def _no_detail(value: Any) -> str:
    return ""


def _always(scenario: Any) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One cached step of :func:`areo.mission.run_mission`.

    ``reads``: scenario sections or ``section.field`` names the result depends on.
    ``uses``: values the run derives from the scenario (:data:`areo.mission.context.
    DERIVED`: the site, the rover, the sols, the landing time, the trajectories ...), which
    enter the key by their fingerprint.
    ``needs``: earlier steps whose results it takes (their keys enter this one's).
    ``compute(inputs)`` returns the step's result. ``detail(result)`` is the one-line
    summary the progress display shows. ``applies(scenario)`` is False when the scenario
    has nothing for this step (``skipped`` says why). ``accept(result, scenario,
    partial)`` may refuse a result that is incomplete unless the run keeps partial ones.
    ``then(context, result)`` completes the run's context from the result (the transfer
    fixes the landing time).
    """

    name: str
    label: str
    reads: tuple[str, ...]
    compute: Callable[[Any], Any]
    uses: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    detail: Callable[[Any], str] = _no_detail
    applies: Callable[[Any], bool] = _always
    skipped: str = ""
    accept: Callable[[Any, Any, bool], None] | None = None
    then: Callable[[Any, Any], None] | None = None
