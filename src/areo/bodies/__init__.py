"""Solar-system bodies: names, NAIF IDs, GM and reference ellipsoids.

The values and their sources live in the catalog (``areo/catalog/data/bodies.toml``): GM from
JPL DE440 (Park et al. 2021), radii from the IAU WGCCRE 2015 report (Archinal et al. 2018),
Earth's from WGS84.
"""

from __future__ import annotations

from dataclasses import dataclass

from areo.errors import UnknownBodyError

__all__ = ["BODIES", "Body", "body", "naif_id"]


@dataclass(frozen=True)
class Body:
    """A body: NAIF ID, GM (km^3/s^2) and triaxial radii (km, may be None)."""

    name: str
    naif_id: int
    gm_km3s2: float | None = None
    radii_km: tuple[float, float, float] | None = None
    barycenter_id: int | None = None

    @property
    def equatorial_radius_km(self) -> float:
        if self.radii_km is None:
            raise UnknownBodyError(f"body {self.name!r} has no radii in areo's table")
        return self.radii_km[0]

    @property
    def polar_radius_km(self) -> float:
        if self.radii_km is None:
            raise UnknownBodyError(f"body {self.name!r} has no radii in areo's table")
        return self.radii_km[2]

    @property
    def flattening(self) -> float:
        a, _, c = self.radii_km or (0.0, 0.0, 0.0)
        return (a - c) / a if a else 0.0


def _load_bodies() -> dict[str, Body]:
    from areo.catalog import default_catalog

    table = {}
    for name, t in default_catalog().bodies.items():
        radii = t.get("radii_km")
        table[name] = Body(
            name, int(t["naif_id"]), t.get("gm_km3s2"),
            tuple(float(r) for r in radii) if radii else None, t.get("barycenter_id"),
        )
    return table


#: Bodies by lower-case name, from ``areo/catalog/data/bodies.toml`` (sources there).
BODIES: dict[str, Body] = _load_bodies()

_ALIASES = {
    "solar system barycenter": "ssb",
    "solar_system_barycenter": "ssb",
    "earth barycenter": "emb",
    "earth-moon barycenter": "emb",
    "earth_barycenter": "emb",
    "mars barycenter": "mars barycenter",
}

_BARYCENTER_NAMES = {
    1: "mercury barycenter", 2: "venus barycenter", 3: "emb", 4: "mars barycenter",
    5: "jupiter barycenter", 6: "saturn barycenter", 7: "uranus barycenter",
    8: "neptune barycenter", 9: "pluto barycenter",
}

_BY_ID = {b.naif_id: b.name for b in BODIES.values()} | _BARYCENTER_NAMES


def naif_id(name_or_id: str | int) -> int:
    """NAIF ID of a body given by name ('mars', 'Earth', 'mars barycenter') or ID."""
    if isinstance(name_or_id, int | float) and not isinstance(name_or_id, bool):
        return int(name_or_id)
    key = str(name_or_id).strip().lower()
    if key.lstrip("-").isdigit():
        return int(key)
    key = _ALIASES.get(key, key)
    if key in BODIES:
        return BODIES[key].naif_id
    for code, name in _BARYCENTER_NAMES.items():
        if key == name or key == name.replace(" ", "_"):
            return code
    known = ", ".join(sorted(BODIES))
    raise UnknownBodyError(
        f"body {name_or_id!r} is unknown: use one of {known}, '<planet> barycenter' or a "
        "NAIF ID"
    )


def body_name(code: int) -> str:
    """Readable name of a NAIF ID (the ID itself when areo has no name for it)."""
    return _BY_ID.get(int(code), str(code))


def body(name_or_id: str | int) -> Body:
    """The :class:`Body` record of a planet, the Sun or the Moon."""
    code = naif_id(name_or_id)
    if 1 <= code <= 9:
        code = code * 100 + 99
    for b in BODIES.values():
        if b.naif_id == code:
            return b
    raise UnknownBodyError(f"body {name_or_id!r} has no physical data in areo's table")
