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

import datetime as _dt
import functools
import math
import re
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


#: Longest key, name or alias of a catalog record or a scenario (printable, one line).
NAME_MAX = 64
#: Longest free text (a source, a description).
TEXT_MAX = 4000
#: Longest line of a TOML file areo reads (real files stay under a few hundred characters;
#: the limit keeps a pathological key from costing quadratic memory in the parser).
TOML_LINE_MAX = 20_000
#: Most parts of one dotted TOML key (``a.b.c``) or table header.
TOML_KEY_PARTS_MAX = 32

# Strings and comments blanked before looking at the keys (approximate: enough to find
# pathological dotted keys without ever refusing a normal file).
_TOML_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*+"'
                           r"|'[^'\n]*+'|#[^\n]*+")
_TOML_DOTTED = re.compile(rf"(?<![\w-])[\w-]++(?:[ \t]*+\.[ \t]*+[\w-]++){{{TOML_KEY_PARTS_MAX},}}")


def _toml_text(data: bytes, what: str, p: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogFileError(
            f"{what} {p!r} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): "
            "save it as UTF-8, as TOML requires"
        ) from None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if len(line) > TOML_LINE_MAX:
            raise CatalogFileError(f"{what} {p!r}: line {lineno} is longer than "
                                   f"{TOML_LINE_MAX:,} characters: is it the right file?")
    found = _TOML_DOTTED.search(_TOML_STRINGS.sub("s", text))
    if found is not None:
        lineno = text.count("\n", 0, found.start()) + 1
        raise CatalogFileError(f"{what} {p!r}: line {lineno} has a dotted key of more than "
                               f"{TOML_KEY_PARTS_MAX} parts: is it the right file?")
    return text


def read_toml(path: str | Path, what: str = "catalog file") -> dict[str, Any]:
    """Parse a user TOML file, turning a missing, unreadable or malformed file into a
    one-line :class:`CatalogFileError` that names it (``what`` says what kind of file it is).

    The file is checked before it is read (:func:`areo._files.read_input_file`: a regular
    file of at most 16 MiB, so FIFOs, devices and directories are refused without blocking),
    must be UTF-8, and may not hold pathological lines or keys. Messages never quote the
    file's content.
    """
    from areo._files import MAX_TOML_BYTES, read_input_file

    p = str(path)
    text = _toml_text(read_input_file(path, what, MAX_TOML_BYTES), what, p)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogFileError(f"{what} {p!r} is not valid TOML: {' '.join(str(exc).split())}"
                               ) from None
    except RecursionError:
        raise CatalogFileError(f"{what} {p!r} nests arrays or tables too deeply to be read"
                               ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise CatalogFileError(f"{what} {p!r} holds a value that cannot be read "
                               f"({' '.join(str(exc).split())[:120]})") from None
    if not doc:
        raise CatalogFileError(f"{what} {p!r} is empty: it holds no TOML table or field")
    return doc


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "a table"
    return f"a {type(value).__name__}"


def _bad_char(text: str, allow: str = "") -> str | None:
    for ch in text:
        if not ch.isprintable() and ch not in allow:
            return f"U+{ord(ch):04X}"
    return None


def check_name(value: Any, what: str, *, max_len: int = NAME_MAX, allow_empty: bool = False,
               error: type[Exception] = CatalogFileError) -> str:
    """A key, name or alias: a string of at most ``max_len`` printable characters on one
    line (letters of any script are fine: 'Tianwen-1 天问'; control characters, line breaks
    and invisible format characters are not). Returns it stripped; raises ``error``."""
    if not isinstance(value, str):
        raise error(f"{what} must be a string, not {_type_name(value)}")
    text = value.strip()
    if not text and not allow_empty:
        raise error(f"{what} is empty: give a name")
    if len(text) > max_len:
        raise error(f"{what} is {len(text)} characters long: keep it to {max_len}")
    bad = _bad_char(text)
    if bad is not None:
        raise error(f"{what} holds the non-printable character {bad}: use printable "
                    "characters on one line")
    return text


def check_text(value: Any, what: str, *, max_len: int = TEXT_MAX,
               error: type[Exception] = CatalogFileError) -> str:
    """Free text (a source, a description): a string of at most ``max_len`` characters,
    printable apart from line breaks and tabs."""
    if not isinstance(value, str):
        raise error(f"{what} must be a string, not {_type_name(value)}")
    if len(value) > max_len:
        raise error(f"{what} is {len(value)} characters long: keep it to {max_len}")
    bad = _bad_char(value, allow="\n\t")
    if bad is not None:
        raise error(f"{what} holds the control character {bad}: remove it")
    return value.strip()


def _number(t: Mapping[str, Any], name: str, what: str, path: str, lo: float, hi: float,
            unit: str, *, required: bool = False, default: float | None = None,
            error: type[Exception] = CatalogFileError) -> float | None:
    """A finite number field of a record within [lo, hi]."""
    if name not in t:
        if required:
            raise CatalogFileError(f"{path}: {what} lacks the field {name!r}; add it")
        return default
    v = t[name]
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise CatalogFileError(f"{path}: {what} has a non-numeric field {name!r} "
                               f"({_type_name(v)}): give a number ({unit})")
    x = float(v)
    if not (math.isfinite(x) and lo <= x <= hi):
        raise error(f"{path}: {what} field {name!r} = {v!r} is outside [{lo:g}, {hi:g}] "
                    f"{unit}: give a finite value in that range")
    return x


def _names(t: Mapping[str, Any], what: str, path: str) -> tuple[str, ...]:
    v = t.get("aliases", [])
    if not isinstance(v, list | tuple):
        raise CatalogFileError(f"{path}: {what} field 'aliases' must be an array of names, "
                               f"not {_type_name(v)}")
    if len(v) > 100:
        raise CatalogFileError(f"{path}: {what} has {len(v)} aliases: keep it to 100")
    return tuple(check_name(a, f"{path}: {what} alias") for a in v)


def _text(t: Mapping[str, Any], name: str, what: str, path: str, default: str = "",
          *, short: bool = False) -> str:
    if name not in t:
        return default
    if short:
        return check_name(t[name], f"{path}: {what} field {name!r}", allow_empty=True)
    return check_text(t[name], f"{path}: {what} field {name!r}")


_ISO_UTC = re.compile(r"(\d{4})-(\d{2})-(\d{2})"
                      r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?Z?")


def check_utc(value: Any, what: str, *, error: type[Exception] = CatalogFileError) -> str:
    """A UTC time of a record (ISO 8601 text or a TOML date/datetime) inside the DE440 span
    (1550..2649), as an ISO string."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.UTC).replace(tzinfo=None)
        value = value.isoformat()
    elif isinstance(value, _dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise error(f"{what} must be a UTC time such as '2021-02-18T20:43:48Z', not "
                    f"{_type_name(value)}")
    text = value.strip()
    m = _ISO_UTC.fullmatch(text)
    ok = m is not None
    if ok:
        y, mo, d, hh, mi, ss = (int(g) if g else 0 for g in m.groups())
        try:
            _dt.datetime(y, mo, d, hh, mi, min(ss, 59))
        except ValueError:
            ok = False
    if not ok:
        shown = repr(text) if len(text) <= 40 else f"{text[:40]!r}..."
        raise error(f"{what} {shown} is not a UTC time: write e.g. '2021-02-18T20:43:48Z'")
    if not 1550 <= y <= 2649:
        raise error(f"{what} {text} is outside the DE440 ephemeris span 1550..2649: give a "
                    "date inside it")
    return text


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
        object.__setattr__(self, "height_km", _check_height(
            self.height_km, f"site {self.key!r}", SITE_HEIGHT_KM))

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
        object.__setattr__(self, "height_km", _check_height(
            self.height_km, f"station {self.key!r}", STATION_HEIGHT_KM))

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


#: Heights of surface sites above their body's reference ellipsoid (km): Mars spans
#: -8.2 km (Hellas) to +21.9 km (Olympus Mons) about the areoid.
SITE_HEIGHT_KM = (-20.0, 30.0)
#: Heights of Earth ground stations above the WGS84 ellipsoid (km).
STATION_HEIGHT_KM = (-0.5, 10.0)
#: Dish diameters of ground stations (m).
STATION_DIAMETER_M = (0.0, 1000.0)


def _check_height(height_km: float, what: str, bounds: tuple[float, float]) -> float:
    h = float(height_km)
    lo, hi = bounds
    if not (math.isfinite(h) and lo <= h <= hi):
        raise CoordinateRangeError(
            f"{what}: height {height_km} km is outside [{lo:g}, {hi:g}] km: give the height "
            "above the reference ellipsoid in km (not m)"
        )
    return h


def _site_from_table(key: str, t: Mapping[str, Any], path: str) -> Site:
    what = f"site {key!r}"
    lat = _number(t, "lat_deg", what, path, -90.0, 90.0, "deg", required=True,
                  error=CoordinateRangeError)
    lon = _number(t, "lon_east_deg", what, path, -360.0, 360.0, "deg", required=True,
                  error=CoordinateRangeError)
    height = _number(t, "height_km", what, path, *SITE_HEIGHT_KM, "km", default=0.0,
                     error=CoordinateRangeError)
    elev = _number(t, "elevation_areoid_m", what, path, -20000.0, 30000.0, "m")
    times = {}
    for name in ("landing_scet_utc", "landing_ert_utc"):
        v = t.get(name)
        times[name] = None if v is None else check_utc(v, f"{path}: {what} field {name!r}")
    return Site(
        key=key,
        name=check_name(t.get("name", key), f"{path}: {what} field 'name'"),
        lat_deg=lat,  # type: ignore[arg-type]
        lon_east_deg=lon,  # type: ignore[arg-type]
        height_km=height,  # type: ignore[arg-type]
        body=_text(t, "body", what, path, "mars", short=True).lower() or "mars",
        mission=_text(t, "mission", what, path, short=True),
        landing_scet_utc=times["landing_scet_utc"],
        landing_ert_utc=times["landing_ert_utc"],
        elevation_areoid_m=elev,
        aliases=_names(t, what, path),
        source=_text(t, "source", what, path),
    )


def _station_from_table(key: str, t: Mapping[str, Any], path: str) -> Station:
    what = f"station {key!r}"
    common = {
        "agency": _text(t, "agency", what, path, short=True),
        "diameter_m": _number(t, "diameter_m", what, path, *STATION_DIAMETER_M, "m"),
        "aliases": _names(t, what, path),
        "source": _text(t, "source", what, path),
    }
    name = check_name(t.get("name", key), f"{path}: {what} field 'name'")
    if "itrf_xyz_m" in t:
        v = t["itrf_xyz_m"]
        if (not isinstance(v, list | tuple) or len(v) != 3
                or any(isinstance(x, bool) or not isinstance(x, int | float) for x in v)):
            raise CatalogFileError(f"{path}: {what} itrf_xyz_m must hold 3 numbers (m)")
        xyz = np.asarray(v, dtype=float)
        r_km = float(np.linalg.norm(xyz)) / 1000.0 if np.all(np.isfinite(xyz)) else math.nan
        if not 6300.0 <= r_km <= 6400.0:
            raise CoordinateRangeError(
                f"{path}: {what} itrf_xyz_m lies {r_km:.1f} km from the Earth's centre, not on "
                "its surface (6357-6378 km): give ITRF X, Y, Z in metres"
            )
        return Station.from_itrf(key, name, xyz / 1000.0, **common)
    return Station(
        key, name,
        _number(t, "lat_deg", what, path, -90.0, 90.0, "deg", required=True,  # type: ignore
                error=CoordinateRangeError),
        _number(t, "lon_east_deg", what, path, -360.0, 360.0, "deg",  # type: ignore
                required=True, error=CoordinateRangeError),
        _number(t, "height_km", what, path, *STATION_HEIGHT_KM, "km",  # type: ignore
                default=0.0, error=CoordinateRangeError),
        **common,
    )


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
        """Validate every record of ``doc`` first, then add them all (a bad file adds
        nothing)."""
        readers = {"sites": (self.sites, _site_from_table),
                   "stations": (self.stations, _station_from_table)}
        if doc.get("orbits") is not None:
            from areo.catalog.orbits import orbit_from_table

            readers["orbits"] = (self.orbits, orbit_from_table)
        entries: list[tuple[_Table, Any]] = []
        for kind, (table, read) in readers.items():
            section = doc.get(kind)
            if section is None:
                continue
            if not isinstance(section, Mapping):
                raise CatalogFileError(
                    f"{path}: {kind} must be a table of [{kind}.<key>] tables, not "
                    f"{_type_name(section)}"
                )
            for key, record in section.items():
                check_name(key, f"{path}: {kind} key")
                if not isinstance(record, Mapping):
                    raise CatalogFileError(
                        f"{path}: {kind}.{key} must be a table of fields ([{kind}.{key}]), "
                        f"not {_type_name(record)}"
                    )
                entries.append((table, read(key.strip(), record, path)))
        for table, entry in entries:
            table.add(entry)

    def load(self, path: str | Path) -> Catalog:
        """Add (or override) sites and stations from a user TOML file; returns self.

        The file holds ``[sites.<key>]``, ``[stations.<key>]`` and/or ``[orbits.<key>]``
        tables with the fields of the built-in files (sites: ``lat_deg``, ``lon_east_deg``,
        optional ``height_km``, ``name``, ``aliases``, ``source``; stations: ``lat_deg``/
        ``lon_east_deg``/``height_km`` or ``itrf_xyz_m``; orbits: ``peri_alt_km``,
        ``apo_alt_km``, ``inc_deg``, ``epoch_utc`` and optional angles).
        """
        p = Path(path)
        doc = read_toml(path)
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
