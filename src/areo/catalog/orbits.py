"""Catalog orbits of the seed missions (``areo/catalog/data/orbits.toml``), with sources.

    >>> from areo.catalog.orbits import orbit_entry
    >>> orbit_entry("Mars Express").inc_deg
    86.3

Entries marked ``phasing == "representative"`` publish only size, shape and inclination; their
RAAN, argument of pericentre, mean anomaly and epoch are representative. ``verified`` is
false where the values were quoted from the cited paper without re-checking. Build an
:class:`areo.orbits.Orbit` with ``Orbit.from_catalog(name)``.
"""

from __future__ import annotations

from areo.catalog import default_catalog
from areo.catalog.records import CatalogOrbit, orbit_from_table

__all__ = ["CatalogOrbit", "orbit_entries", "orbit_entry", "orbit_from_table"]


def orbit_entry(name: str) -> CatalogOrbit:
    """A catalog orbit by key, name or alias ('mex', 'Mars Express', 'TGO')."""
    return default_catalog().orbit(name)


def orbit_entries() -> list[CatalogOrbit]:
    """All catalog orbits (built in and loaded)."""
    return list(default_catalog().orbits.values())
