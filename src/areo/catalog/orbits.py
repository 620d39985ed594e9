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

import math
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


#: Highest altitude (km) of a catalog or scenario orbit: Mars's sphere of influence
#: (Laplace radius ~577,000 km, rounded up); beyond it an orbit about Mars is meaningless.
MAX_ALT_KM = 600_000.0


def orbit_from_table(key: str, t: dict[str, Any], path: str) -> CatalogOrbit:
    """A :class:`CatalogOrbit` from one ``[orbits.<key>]`` TOML table, every field checked:
    finite numbers in range (altitudes above the surface and below :data:`MAX_ALT_KM`,
    apocentre not below pericentre, inclination 0-180 deg), names and text printable, the
    epoch a UTC time inside DE440."""
    from areo.catalog import _names, _number, _text, check_name, check_utc

    what = f"orbit {key!r}"
    peri = _number(t, "peri_alt_km", what, path, -math.inf, MAX_ALT_KM, "km", required=True)
    apo = _number(t, "apo_alt_km", what, path, -math.inf, MAX_ALT_KM, "km", required=True)
    assert peri is not None and apo is not None
    if peri <= 0.0:
        raise CatalogFileError(
            f"{path}: {what} pericentre altitude {peri:g} km is at or below the surface of "
            "Mars (altitudes are above the equatorial radius, 3396.19 km): give peri_alt_km > 0"
        )
    if apo < peri:
        raise CatalogFileError(f"{path}: {what} apo_alt_km {apo:g} is below peri_alt_km "
                               f"{peri:g}: swap them")
    inc = _number(t, "inc_deg", what, path, 0.0, 180.0, "deg", required=True)
    angles = {name: _number(t, name, what, path, -360.0, 360.0, "deg", default=0.0)
              for name in ("raan_deg", "argp_deg", "mean_anomaly_deg")}
    period = _number(t, "period_h_published", what, path, 0.0, 100_000.0, "h")
    if period is not None and period <= 0.0:
        raise CatalogFileError(f"{path}: {what} period_h_published must be > 0 h")
    verified = t.get("verified", False)
    if not isinstance(verified, bool):
        raise CatalogFileError(f"{path}: {what} field 'verified' must be true or false")
    if "epoch_utc" not in t:
        raise CatalogFileError(f"{path}: {what} lacks the field 'epoch_utc'; add it")
    return CatalogOrbit(
        key=key, name=check_name(t.get("name", key), f"{path}: {what} field 'name'"),
        peri_alt_km=peri, apo_alt_km=apo, inc_deg=inc,  # type: ignore[arg-type]
        raan_deg=angles["raan_deg"], argp_deg=angles["argp_deg"],  # type: ignore[arg-type]
        mean_anomaly_deg=angles["mean_anomaly_deg"],  # type: ignore[arg-type]
        epoch_utc=check_utc(t["epoch_utc"], f"{path}: {what} field 'epoch_utc'"),
        phasing=_text(t, "phasing", what, path, short=True),
        period_h_published=period,
        resonance=_text(t, "resonance", what, path),
        verified=verified, source=_text(t, "source", what, path),
        agency=_text(t, "agency", what, path, short=True),
        body=_text(t, "body", what, path, "mars", short=True) or "mars",
        aliases=_names(t, what, path),
    )


def orbit_entry(name: str) -> CatalogOrbit:
    """A catalog orbit by key, name or alias ('mex', 'Mars Express', 'TGO')."""
    from areo.catalog import default_catalog

    return default_catalog().orbit(name)


def orbit_entries() -> list[CatalogOrbit]:
    """All catalog orbits (built in and loaded)."""
    from areo.catalog import default_catalog

    return list(default_catalog().orbits.values())
