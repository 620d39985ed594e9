"""Catalog orbits: every entry loads, carries a source, and matches its published period."""

from __future__ import annotations

import pytest

from areo.catalog.orbits import orbit_entries, orbit_entry
from areo.errors import UnknownEntryError
from areo.orbits import Orbit


@pytest.mark.parametrize("entry", orbit_entries(), ids=lambda e: e.key)
def test_entry_period_and_source(entry):
    o = Orbit.from_catalog(entry.key)
    assert entry.source and entry.phasing
    # Published periods are rounded (TGO "about 2 h", MRO "~112 min"): 3 %.
    assert o.period_h == pytest.approx(entry.period_h_published, rel=0.03)
    assert o.inc_deg == entry.inc_deg
    assert o.name == entry.name


def test_lookup_by_alias_and_unknown():
    assert orbit_entry("Mars Express").key == "mex"
    assert orbit_entry("Trace Gas Orbiter").key == "tgo"
    with pytest.raises(UnknownEntryError, match="mex"):
        orbit_entry("voyager")
