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
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from areo.catalog.records import (
    NAME_MAX,
    SITE_HEIGHT_KM,
    STATION_DIAMETER_M,
    STATION_HEIGHT_KM,
    TEXT_MAX,
    CatalogOrbit,
    Constant,
    Site,
    Station,
    _type_name,
    check_name,
    check_text,
    check_utc,
    orbit_from_table,
    site_from_table,
    station_from_table,
)
from areo.errors import CatalogFileError, UnknownEntryError

__all__ = [
    "NAME_MAX",
    "SITE_HEIGHT_KM",
    "STATION_DIAMETER_M",
    "STATION_HEIGHT_KM",
    "TEXT_MAX",
    "Basemap",
    "Catalog",
    "CatalogOrbit",
    "Constant",
    "Site",
    "Station",
    "basemap",
    "check_name",
    "check_text",
    "check_utc",
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


def _key(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


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
        readers = {"sites": (self.sites, site_from_table),
                   "stations": (self.stations, station_from_table),
                   "orbits": (self.orbits, orbit_from_table)}
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

    def orbit(self, name: str) -> CatalogOrbit:
        """A catalog orbit (:class:`CatalogOrbit`)."""
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
    """A surface site by key, name or alias ('jezero', 'Perseverance', 'oxia planum').

    Example:
        >>> s = site("perseverance")
        >>> s.key, s.lat_deg, s.lon_east_deg
        ('jezero', 18.4447, 77.4508)
    """
    return default_catalog().site(name)


def station(name: str) -> Station:
    """A ground station by key, name or alias ('DSS-43', 'new norcia', 'cebreros')."""
    return default_catalog().station(name)


def orbit(name: str) -> CatalogOrbit:
    """A published orbit by key, name or alias ('mex', 'Mars Express', 'TGO')."""
    return default_catalog().orbit(name)


def orbits() -> list[CatalogOrbit]:
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


@dataclass(frozen=True)
class Basemap:
    """An equirectangular image of a body's surface, with where it came from and its licence:
    ``image`` is the JPEG's bytes, ``extent`` (west, east, south, north) in degrees of east
    longitude and latitude; ``credit`` is the line to print under any figure that shows it."""

    body: str
    image: bytes
    mime: str
    extent: tuple[float, float, float, float]
    description: str
    source: str
    licence: str
    credit: str

    def data_uri(self) -> str:
        """The image as a ``data:`` URI (for a self-contained HTML figure)."""
        import base64

        return f"data:{self.mime};base64,{base64.b64encode(self.image).decode('ascii')}"

    def pixels(self) -> Any:
        """The image as an ``(rows, columns, 3)`` uint8 array, north up, west left."""
        import io

        import matplotlib.image

        return matplotlib.image.imread(io.BytesIO(self.image), format="jpeg")

    def __repr__(self) -> str:
        w, e, s, n = self.extent
        return (f"Basemap: {self.body}, {w:g}-{e:g} deg E x {s:g}-{n:g} deg, "
                f"{len(self.image) / 1024:.0f} KiB {self.mime}")


@functools.cache
def basemap(body: str = "mars") -> Basemap:
    """The basemap shipped for ``body`` (``'mars'``): drawn under ground-track maps.

    >>> from areo import catalog
    >>> catalog.basemap().extent
    (0.0, 360.0, -90.0, 90.0)
    """
    data = resources.files("areo.catalog") / "data"
    with (data / "basemaps.toml").open("rb") as fh:
        table = tomllib.load(fh)
    key = _key(str(body))
    if key not in table:
        raise UnknownEntryError(f"no basemap for body {body!r}: areo ships one for "
                                f"{', '.join(sorted(table))}")
    t = table[key]
    image = (data / t["file"]).read_bytes()
    extent = (float(t["lon_east_min_deg"]), float(t["lon_east_max_deg"]),
              float(t["lat_min_deg"]), float(t["lat_max_deg"]))
    return Basemap(key, image, "image/jpeg", extent, str(t["description"]), str(t["source"]),
                   str(t["licence"]), str(t["credit"]))
