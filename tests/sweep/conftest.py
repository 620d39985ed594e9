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
