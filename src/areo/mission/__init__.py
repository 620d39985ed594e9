"""Mission workflow: one scenario file from launch to the last sol, and every product.

>>> from areo.mission import load_scenario, run_mission
>>> sc = load_scenario("examples/exomars-2028.toml")            # doctest: +SKIP
>>> from areo.report import mission_page
>>> result = run_mission(sc, "out/exomars-2028", pages=[mission_page])  # doctest: +SKIP
>>> result.summary["launch"]["c3_km2s2"], result.report         # doctest: +SKIP

:mod:`~areo.mission.scenario` (the TOML schema, validated by pydantic),
:mod:`~areo.mission.pipeline` (the chain and its products) and :mod:`~areo.mission.cache`
(cached intermediate results); report.html is drawn by :func:`areo.report.mission_page`,
handed in by the caller (the interfaces layer).
"""

from areo.mission.pipeline import STEPS, MissionResult, StepEvent, run_mission
from areo.mission.scenario import Scenario, ScenarioError, load_scenario, parse_scenario

__all__ = [
    "STEPS",
    "MissionResult",
    "Scenario",
    "ScenarioError",
    "StepEvent",
    "load_scenario",
    "parse_scenario",
    "run_mission",
]
