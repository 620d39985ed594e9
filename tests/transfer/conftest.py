"""Peer Lambert solvers, loaded only where installed (test extras)."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest


@pytest.fixture(scope="session")
def pykep_core():
    """pykep's compiled core (pykep 3.0.1's ``import pykep`` fails on a missing data file).

    Workaround from peer-libraries.md: import heyoka first, then load the extension module
    ``pykep.core`` with RTLD_GLOBAL, as pykep's own __init__ does.
    """
    pytest.importorskip("heyoka")
    spec = importlib.util.find_spec("pykep")
    if spec is None or spec.origin is None:
        pytest.skip("pykep is not installed")
    folder = os.path.dirname(spec.origin)
    names = [f for f in os.listdir(folder) if f.startswith("core.") and f.endswith(".so")]
    if not names:
        pytest.skip("pykep core extension not found")
    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | os.RTLD_GLOBAL)
    try:
        s = importlib.util.spec_from_file_location("pykep.core", os.path.join(folder, names[0]))
        core = importlib.util.module_from_spec(s)
        s.loader.exec_module(core)
    finally:
        sys.setdlopenflags(flags)
    return core
