"""Shared fixtures: SPICE loaded with NAIF/JPL kernels as an independent oracle."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spice():
    """spiceypy with the LSK, DE440, a Mars IAU 2015 PCK and a 499 SPK loaded."""
    spiceypy = pytest.importorskip("spiceypy")
    from tests.spice_kernels import load_standard_kernels

    load_standard_kernels("iau2015")
    yield spiceypy
    spiceypy.kclear()
