"""The main entry points' docstrings each hold an example, and it runs and prints what it
shows (doctest, ELLIPSIS and NORMALIZE_WHITESPACE, in a scratch directory). The examples
are small on purpose (a 10 x 10 porkchop, one day of passes, a few sols)."""

from __future__ import annotations

import doctest
import importlib

import pytest

ENTRY_POINTS = [
    ("areo.transfer.porkchop", "porkchop"),
    ("areo.transfer.interplanetary", "transfer"),
    ("areo.events.passes", "passes"),
    ("areo.relay.plan", "plan_relay"),
    ("areo.surface.campaign", "plan_campaign"),
    ("areo.edl.montecarlo", "monte_carlo"),
    ("areo.transfer.trajectory", "optimise_trajectory"),
    ("areo.mission.pipeline", "run_mission"),
    ("areo.sweep", "sweep"),
    # and other public functions a newcomer meets first
    ("areo.time.mars", "mars_time"),
    ("areo.ephem.lighttime", "light_time"),
    ("areo.ephem.conjunction", "solar_conjunctions"),
    ("areo.events.illumination", "daylight"),
    ("areo.orbits.design", "repeat_orbit"),
    ("areo.orbits.design", "sun_synchronous_inclination"),
    ("areo.catalog", "site"),
]


@pytest.mark.parametrize(("module", "name"), ENTRY_POINTS, ids=[n for _m, n in ENTRY_POINTS])
def test_docstring_example_runs(module, name, tmp_path, monkeypatch):
    mod = importlib.import_module(module)
    func = getattr(mod, name)
    assert ">>>" in (func.__doc__ or ""), f"{module}.{name} has no example"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AREO_CACHE_DIR", str(tmp_path / "cache"))
    tests = doctest.DocTestFinder(recurse=False).find(func, name, globs=dict(vars(mod)))
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{module}.{name}: see the output above"
