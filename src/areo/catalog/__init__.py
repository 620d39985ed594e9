"""The catalog: Mars constants, bodies, landing sites and ground stations, each with a source.

The data live in TOML files under ``areo/catalog/data``. Users add or override entries with
their own TOML file of the same shape (``[sites.<key>]`` / ``[stations.<key>]`` tables, or a
file holding only sites or only stations)::

    >>> from areo import catalog
    >>> catalog.site("perseverance").lat_deg
    18.4447
    >>> round(catalog.station("DSS-43").lat_deg, 3)
    -35.402
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from areo.errors import CatalogFileError, CoordinateRangeError, UnknownEntryError

__all__ = [
    "Catalog",
    "Constant",
    "Site",
    "Station",
    "constant",
    "default_catalog",
    "load",
    "mars_constants",
    "orbit",
    "orbits",
    "read_toml",
    "site",
    "sites",
    "station",
    "stations",
]


def read_toml(path: str | Path, what: str = "catalog file") -> dict[str, Any]:
    """Parse a user TOML file, turning a missing or malformed file into a one-line
    :class:`CatalogFileError` that names it (``what`` says what kind of file it is)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogFileError(f"{what} {str(p)!r} does not exist: check the path") from None
    except IsADirectoryError:
        raise CatalogFileError(f"{what} {str(p)!r} is a directory, not a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogFileError(f"{what} {str(p)!r} is not valid TOML: {exc}") from None


def _key(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


def _check_lat(lat_deg: float, what: str) -> float:
    lat = float(lat_deg)
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise CoordinateRangeError(
            f"{what}: latitude {lat_deg} deg is outside [-90, 90]; give planetocentric "
            "latitude in degrees, north positive"
        )
    return lat


def _check_lon(lon_deg: float, what: str) -> float:
    lon = float(lon_deg)
    if not math.isfinite(lon):
        raise CoordinateRangeError(f"{what}: longitude {lon_deg} must be a finite number")
    return lon % 360.0


@dataclass(frozen=True)
class Constant:
    """A catalog constant with its source."""

    name: str
    value: float
    source: str
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class Site:
    """A surface site on Mars (or another body): planetocentric latitude, east longitude.

    ``height_km`` is above the reference ellipsoid, along its normal.
    """

    key: str
    name: str
    lat_deg: float
    lon_east_deg: float
    height_km: float = 0.0
    body: str = "mars"
    mission: str = ""
    landing_scet_utc: str | None = None
    landing_ert_utc: str | None = None
    elevation_areoid_m: float | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lat_deg", _check_lat(self.lat_deg, f"site {self.key!r}"))
        object.__setattr__(
            self, "lon_east_deg", _check_lon(self.lon_east_deg, f"site {self.key!r}")
        )

    @property
    def lon_west_deg(self) -> float:
        """West longitude, as Mars24 and older maps give it."""
        return (360.0 - self.lon_east_deg) % 360.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "body": self.body,
            "lat_deg": self.lat_deg, "lon_east_deg": self.lon_east_deg,
            "height_km": self.height_km, "mission": self.mission,
            "landing_scet_utc": self.landing_scet_utc, "landing_ert_utc": self.landing_ert_utc,
            "source": self.source,
        }

    def __repr__(self) -> str:
        ns = "N" if self.lat_deg >= 0 else "S"
        return f"Site({self.key!r}: {abs(self.lat_deg):.4f} {ns}, {self.lon_east_deg:.4f} E)"


@dataclass(frozen=True)
class Station:
    """An Earth ground station: geodetic WGS84 latitude, east longitude, height."""

    key: str
    name: str
    lat_deg: float
    lon_east_deg: float
    height_km: float
    agency: str = ""
    diameter_m: float | None = None
    itrf_xyz_km: tuple[float, float, float] | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lat_deg", _check_lat(self.lat_deg, f"station {self.key!r}"))
        object.__setattr__(
            self, "lon_east_deg", _check_lon(self.lon_east_deg, f"station {self.key!r}")
        )

    @classmethod
    def from_itrf(cls, key: str, name: str, xyz_km, **kwargs: Any) -> Station:
        """A station from ITRF Cartesian coordinates (km), geodetic by WGS84 (erfa.gc2gd)."""
        import erfa

        xyz_m = np.asarray(xyz_km, dtype=float) * 1000.0
        lon, lat, height_m = erfa.gc2gd(1, xyz_m)
        return cls(
            key, name, math.degrees(lat), math.degrees(lon), float(height_m) / 1000.0,
            itrf_xyz_km=tuple(float(v) for v in np.asarray(xyz_km, dtype=float)), **kwargs,
        )

    @property
    def itrf_km(self) -> np.ndarray:
        """ITRF position in km (from the published XYZ, else from geodetic WGS84)."""
        if self.itrf_xyz_km is not None:
            return np.array(self.itrf_xyz_km)
        import erfa

        xyz_m = erfa.gd2gc(
            1, math.radians(self.lon_east_deg), math.radians(self.lat_deg),
            self.height_km * 1000.0,
        )
        return np.asarray(xyz_m) / 1000.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "agency": self.agency,
            "lat_deg": self.lat_deg, "lon_east_deg": self.lon_east_deg,
            "height_km": self.height_km, "diameter_m": self.diameter_m, "source": self.source,
        }

    def __repr__(self) -> str:
        ns = "N" if self.lat_deg >= 0 else "S"
        lon = (self.lon_east_deg + 180.0) % 360.0 - 180.0
        ew = "E" if lon >= 0 else "W"
        return (
            f"Station({self.key!r}: {abs(self.lat_deg):.4f} {ns}, {abs(lon):.4f} {ew}, "
            f"{self.height_km * 1000:.0f} m)"
        )


def _required(table: Mapping[str, Any], name: str, what: str, path: str) -> Any:
    if name not in table:
        raise CatalogFileError(f"{path}: {what} lacks the field {name!r}; add it")
    return table[name]


def _site_from_table(key: str, t: Mapping[str, Any], path: str) -> Site:
    what = f"site {key!r}"
    try:
        return Site(
            key=key,
            name=str(t.get("name", key)),
            lat_deg=float(_required(t, "lat_deg", what, path)),
            lon_east_deg=float(_required(t, "lon_east_deg", what, path)),
            height_km=float(t.get("height_km", 0.0)),
            body=str(t.get("body", "mars")).lower(),
            mission=str(t.get("mission", "")),
            landing_scet_utc=t.get("landing_scet_utc"),
            landing_ert_utc=t.get("landing_ert_utc"),
            elevation_areoid_m=t.get("elevation_areoid_m"),
            aliases=tuple(str(a) for a in t.get("aliases", ())),
            source=str(t.get("source", "")),
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, CoordinateRangeError | CatalogFileError):
            raise
        raise CatalogFileError(f"{path}: {what} has a non-numeric field ({exc})") from None


def _station_from_table(key: str, t: Mapping[str, Any], path: str) -> Station:
    what = f"station {key!r}"
    common = {
        "agency": str(t.get("agency", "")),
        "diameter_m": t.get("diameter_m"),
        "aliases": tuple(str(a) for a in t.get("aliases", ())),
        "source": str(t.get("source", "")),
    }
    name = str(t.get("name", key))
    try:
        if "itrf_xyz_m" in t:
            xyz = np.asarray(t["itrf_xyz_m"], dtype=float)
            if xyz.shape != (3,):
                raise CatalogFileError(f"{path}: {what} itrf_xyz_m must hold 3 numbers (m)")
            return Station.from_itrf(key, name, xyz / 1000.0, **common)
        return Station(
            key, name,
            float(_required(t, "lat_deg", what, path)),
            float(_required(t, "lon_east_deg", what, path)),
            float(t.get("height_km", 0.0)),
            **common,
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, CoordinateRangeError | CatalogFileError):
            raise
        raise CatalogFileError(f"{path}: {what} has a non-numeric field ({exc})") from None


class _Table(Mapping[str, Any]):
    """Entries by key, found by key, name or alias, case-, dash- and space-insensitively."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, Any] = {}
        self._index: dict[str, str] = {}

    def add(self, entry: Any) -> None:
        self._entries[entry.key] = entry
        for label in (entry.key, entry.name, *entry.aliases):
            self._index[_key(label)] = entry.key

    def find(self, name: str) -> Any:
        wanted = _key(name)
        if wanted in self._index:
            return self._entries[self._index[wanted]]
        raise UnknownEntryError(
            f"{self.kind} {name!r} is not in the catalog: use one of "
            f"{', '.join(sorted(self._entries))}, or add it from a TOML file "
            "(areo.catalog.load(path) / --catalog PATH)"
        )

    def __getitem__(self, key: str) -> Any:
        return self.find(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class Catalog:
    """Sites, stations, bodies and Mars constants, with user additions."""

    def __init__(self) -> None:
        self.sites = _Table("site")
        self.stations = _Table("station")
        self.orbits = _Table("orbit")
        self.constants: dict[str, Constant] = {}
        self.bodies: dict[str, dict[str, Any]] = {}

    @classmethod
    def builtin(cls) -> Catalog:
        cat = cls()
        data = resources.files("areo.catalog") / "data"
        for name, kind in (("sites.toml", "sites"), ("stations.toml", "stations")):
            with (data / name).open("rb") as fh:
                cat._merge({kind: tomllib.load(fh)}, f"areo/catalog/data/{name}")
        with (data / "orbits.toml").open("rb") as fh:
            cat._merge(tomllib.load(fh), "areo/catalog/data/orbits.toml")
        with (data / "mars.toml").open("rb") as fh:
            for key, t in tomllib.load(fh).items():
                extra = {k: v for k, v in t.items() if k not in ("value", "source")}
                cat.constants[key] = Constant(key, float(t["value"]), str(t["source"]), extra)
        with (data / "bodies.toml").open("rb") as fh:
            cat.bodies = tomllib.load(fh)
        return cat

    def _merge(self, doc: Mapping[str, Any], path: str) -> None:
        for key, table in doc.get("sites", {}).items():
            self.sites.add(_site_from_table(key, table, path))
        for key, table in doc.get("stations", {}).items():
            self.stations.add(_station_from_table(key, table, path))
        if doc.get("orbits"):
            from areo.catalog.orbits import orbit_from_table

            for key, table in doc["orbits"].items():
                self.orbits.add(orbit_from_table(key, table, path))

    def load(self, path: str | Path) -> Catalog:
        """Add (or override) sites and stations from a user TOML file; returns self.

        The file holds ``[sites.<key>]``, ``[stations.<key>]`` and/or ``[orbits.<key>]``
        tables with the fields of the built-in files (sites: ``lat_deg``, ``lon_east_deg``,
        optional ``height_km``, ``name``, ``aliases``, ``source``; stations: ``lat_deg``/
        ``lon_east_deg``/``height_km`` or ``itrf_xyz_m``; orbits: ``peri_alt_km``,
        ``apo_alt_km``, ``inc_deg``, ``epoch_utc`` and optional angles).
        """
        p = Path(path)
        doc = read_toml(p)
        if not ({"sites", "stations", "orbits"} & set(doc)):
            raise CatalogFileError(
                f"catalog file {str(p)!r} holds no [sites.<key>], [stations.<key>] or "
                "[orbits.<key>] tables"
            )
        self._merge(doc, str(p))
        return self

    def site(self, name: str) -> Site:
        return self.sites.find(name)

    def station(self, name: str) -> Station:
        return self.stations.find(name)

    def orbit(self, name: str):
        """A catalog orbit (:class:`areo.catalog.orbits.CatalogOrbit`)."""
        return self.orbits.find(name)

    def constant(self, name: str) -> Constant:
        if name not in self.constants:
            raise UnknownEntryError(
                f"constant {name!r} is not in the catalog: use one of "
                f"{', '.join(sorted(self.constants))}"
            )
        return self.constants[name]


@functools.cache
def default_catalog() -> Catalog:
    """The built-in catalog plus whatever :func:`load` added to it."""
    return Catalog.builtin()


def load(path: str | Path) -> Catalog:
    """Add sites and stations from a user TOML file to the default catalog."""
    return default_catalog().load(path)


def site(name: str) -> Site:
    """A surface site by key, name or alias ('jezero', 'Perseverance', 'oxia planum')."""
    return default_catalog().site(name)


def station(name: str) -> Station:
    """A ground station by key, name or alias ('DSS-43', 'new norcia', 'cebreros')."""
    return default_catalog().station(name)


def orbit(name: str):
    """A published orbit by key, name or alias ('mex', 'Mars Express', 'TGO')."""
    return default_catalog().orbit(name)


def orbits() -> list:
    return list(default_catalog().orbits.values())


def sites() -> list[Site]:
    return list(default_catalog().sites.values())


def stations() -> list[Station]:
    return list(default_catalog().stations.values())


def constant(name: str) -> Constant:
    """A Mars constant with its source (``constant('gm_km3s2').value``)."""
    return default_catalog().constant(name)


def mars_constants() -> dict[str, Constant]:
    return dict(default_catalog().constants)
