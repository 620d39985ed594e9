"""Fixtures of the sweep tests (the helpers they use are in tests/sweep/helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sweep.helpers import Cluster, write_sweep


@pytest.fixture(scope="session")
def sweep_file(tmp_path_factory) -> Path:
    return write_sweep(tmp_path_factory.mktemp("sweep"))


@pytest.fixture(scope="session")
def serial(sweep_file):
    """The reference: every variant in this process, one after the other, written to
    ``sweep_file``'s folder / "serial-out"."""
    from areo.sweep import run_sweep_file

    return run_sweep_file(sweep_file, client="serial", out=sweep_file.parent / "serial-out")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("dask"), 2)
    try:
        yield c
    finally:
        c.close()


#: The functions tests/cli/test_cli_bad.py's ``no_work`` fixture replaces, by the module
#: that defines them.
_PATCHED_BY_NO_WORK = {"passes": "areo.events", "plan_relay": "areo.relay.plan",
                       "plan_campaign": "areo.surface.campaign",
                       "porkchop": "areo.transfer.porkchop"}


@pytest.fixture(autouse=True, scope="session")
def _real_functions():
    """Undo a leak of tests/cli/test_cli_bad.py: its ``no_work`` fixture patches
    ``areo.events.passes`` & co with a function that fails, and a module first imported
    while they are patched keeps that function for the rest of the session
    (``areo.relay.plan.passes``), so every later in-process mission run fails. Put the real
    functions back for the sweep tests (their serial runs are the oracle)."""
    import sys

    mp = pytest.MonkeyPatch()
    for name, module in list(sys.modules.items()):
        if not name.startswith("areo") or module is None:
            continue
        for attr, origin in _PATCHED_BY_NO_WORK.items():
            obj = getattr(module, attr, None)
            if getattr(obj, "__qualname__", "").startswith("no_work."):
                mp.setattr(module, attr, getattr(sys.modules[origin], attr))
    yield
    mp.undo()
