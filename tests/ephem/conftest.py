"""Fixtures for the ephemeris tests: the SPK files of tests/ephem/spk_files.py."""

from __future__ import annotations

import os

import pytest

from tests.ephem.spk_files import write_custom_spk, write_mars_centre_spk


@pytest.fixture(scope="session")
def custom_spk(spice, tmp_path_factory) -> str:
    """Path of the custom SPK, loaded into SPICE for the session (IDs clash with nothing)."""
    path = str(tmp_path_factory.mktemp("spk") / "custom.bsp")
    write_custom_spk(path, spice)
    spice.furnsh(path)
    yield path
    spice.unload(path)
    os.remove(path)


@pytest.fixture()
def mars_centre_spk(spice, tmp_path_factory) -> str:
    """Path of a 499-about-4 SPK, loaded into SPICE only during the test.

    The shared session fixture loads a zero 499 offset; this one overrides it, so it is
    unloaded again before any other test runs.
    """
    path = str(tmp_path_factory.mktemp("spk499") / "mars_centre.bsp")
    write_mars_centre_spk(path, spice)
    spice.furnsh(path)
    yield path
    spice.unload(path)
