"""Catalog records and the checks every field goes through: constants, sites, stations,
orbits, each built from one TOML table by a ``*_from_table`` reader.

The data layer's lowest module: :mod:`areo.catalog` reads the files and keeps the tables;
scenarios and CLI arguments reuse the same checks (:func:`check_name`, :func:`check_text`,
:func:`check_utc`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from areo.constants import MARS_MAX_ORBIT_ALT_KM
from areo.errors import CatalogFileError, CoordinateRangeError

__all__ = [
    "NAME_MAX",
    "SITE_HEIGHT_KM",
    "STATION_DIAMETER_M",
    "STATION_HEIGHT_KM",
    "TEXT_MAX",
    "CatalogOrbit",
    "Constant",
    "Site",
    "Station",
    "check_name",
    "check_text",
    "check_utc",
    "orbit_from_table",
    "site_from_table",
    "station_from_table",
]


#: Longest key, name or alias of a catalog record or a scenario (printable, one line).
NAME_MAX = 64
#: Longest free text (a source, a description).
TEXT_MAX = 4000


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


def site_from_table(key: str, t: Mapping[str, Any], path: str) -> Site:
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


def station_from_table(key: str, t: Mapping[str, Any], path: str) -> Station:
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
    """A :class:`CatalogOrbit` from one ``[orbits.<key>]`` TOML table, every field checked:
    finite numbers in range (altitudes above the surface and below Mars's sphere of
    influence, :data:`areo.constants.MARS_MAX_ORBIT_ALT_KM`; apocentre not below
    pericentre; inclination 0-180 deg), names and text printable, the epoch a UTC time
    inside DE440."""
    what = f"orbit {key!r}"
    peri = _number(t, "peri_alt_km", what, path, -math.inf, MARS_MAX_ORBIT_ALT_KM, "km",
                   required=True)
    apo = _number(t, "apo_alt_km", what, path, -math.inf, MARS_MAX_ORBIT_ALT_KM, "km",
                  required=True)
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
