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

from dataclasses import asdict, dataclass
from typing import Any

from areo.errors import CatalogFileError

__all__ = ["CatalogOrbit", "orbit_entries", "orbit_entry", "orbit_from_table"]


@dataclass(frozen=True)
class CatalogOrbit:
    """A published orbit: altitudes (km above the equatorial radius), angles (deg)."""

    key: str
    name: str
    peri_alt_km: float
    apo_alt_km: float
    inc_deg: float
    raan_deg: float
    argp_deg: float
    mean_anomaly_deg: float
    epoch_utc: str
    phasing: str
    period_h_published: float | None
    resonance: str
    verified: bool
    source: str
    agency: str = ""
    body: str = "mars"
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        return d


def orbit_from_table(key: str, t: dict[str, Any], path: str) -> CatalogOrbit:
    """A :class:`CatalogOrbit` from one ``[orbits.<key>]`` TOML table."""
    try:
        return CatalogOrbit(
            key=key, name=str(t.get("name", key)),
            peri_alt_km=float(t["peri_alt_km"]), apo_alt_km=float(t["apo_alt_km"]),
            inc_deg=float(t["inc_deg"]), raan_deg=float(t.get("raan_deg", 0.0)),
            argp_deg=float(t.get("argp_deg", 0.0)),
            mean_anomaly_deg=float(t.get("mean_anomaly_deg", 0.0)),
            epoch_utc=str(t["epoch_utc"]), phasing=str(t.get("phasing", "")),
            period_h_published=t.get("period_h_published"),
            resonance=str(t.get("resonance", "")), verified=bool(t.get("verified", False)),
            source=str(t.get("source", "")), agency=str(t.get("agency", "")),
            body=str(t.get("body", "mars")), aliases=tuple(t.get("aliases", ())),
        )
    except KeyError as exc:
        raise CatalogFileError(
            f"{path}: orbit {key!r} lacks the field {exc.args[0]!r}; add it"
        ) from None
    except (TypeError, ValueError) as exc:
        raise CatalogFileError(f"{path}: orbit {key!r} has a non-numeric field ({exc})") from None


def orbit_entry(name: str) -> CatalogOrbit:
    """A catalog orbit by key, name or alias ('mex', 'Mars Express', 'TGO')."""
    from areo.catalog import default_catalog

    return default_catalog().orbit(name)


def orbit_entries() -> list[CatalogOrbit]:
    """All catalog orbits (built in and loaded)."""
    from areo.catalog import default_catalog

    return list(default_catalog().orbits.values())
