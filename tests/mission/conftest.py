"""Shared runs of the mission chain: a short version of the ExoMars 2028 example, run once.

The short scenario is ``examples/exomars-2028.toml`` with 20 sols of operations, one
Experiment Cycle, a 60 x 60 porkchop and one sol of OEM ephemerides: the same chain and the
same transfer spans as ``make demo`` in a few seconds.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.mission.helpers import ballistic_exomars_text, short_exomars_text


@pytest.fixture(scope="session")
def short_run(tmp_path_factory):
    """One cold run of the short ExoMars scenario (its own cache directory)."""
    from areo.mission import run_mission
    from areo.report import mission_page

    root = tmp_path_factory.mktemp("mission")
    scenario = root / "exomars-short.toml"
    scenario.write_text(short_exomars_text())
    out = root / "out"
    events = []
    result = run_mission(scenario, out, cache_dir=root / "cache", progress=events.append,
                         pages=[mission_page])
    return SimpleNamespace(root=root, scenario=scenario, out=out, result=result,
                           cache=root / "cache", events=events)


@pytest.fixture(scope="session")
def ballistic_run(tmp_path_factory):
    """The short scenario flying the ballistic minimum-C3 arc of the 2028 spans (the DSM
    trajectory's reference), two sols of operations."""
    from areo.mission import run_mission

    root = tmp_path_factory.mktemp("ballistic")
    scenario = root / "exomars-ballistic.toml"
    scenario.write_text(ballistic_exomars_text({"sols = 20 ": "sols = 2 "}))
    result = run_mission(scenario, root / "out", cache_dir=root / "cache", partial=True)
    return SimpleNamespace(root=root, scenario=scenario, out=root / "out", result=result)


@pytest.fixture(scope="session")
def pykep_lambert():
    """pykep's Lambert solver (pykep 3.0.1 needs heyoka loaded globally before its core
    extension, and its package __init__ fails on a missing data file)."""
    pytest.importorskip("heyoka")
    spec = importlib.util.find_spec("pykep")
    if spec is None or spec.origin is None:
        pytest.skip("pykep is not installed")
    folder = Path(spec.origin).parent
    ext = sorted(folder.glob("core.*.so"))
    if not ext:
        pytest.skip("pykep's compiled core is missing")
    old = sys.getdlopenflags()
    sys.setdlopenflags(old | os.RTLD_GLOBAL)
    try:
        loader = importlib.util.spec_from_file_location("pykep.core", ext[0])
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
    finally:
        sys.setdlopenflags(old)
    return module.lambert_problem

