"""Entry vehicles and their descent sequences, from ``catalog/data/edl_vehicles.toml``.

Every number carries its source in the catalog; representative values say so there.

>>> from areo.edl import vehicle
>>> v = vehicle("perseverance")
>>> v.key, v.entry_mass_kg, [e.name for e in v.events][:2]
('m2020', 3440.0, ['parachute', 'heat shield'])
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from areo.errors import CatalogFileError, ParameterError, UnknownEntryError

__all__ = ["KINDS", "TRIGGERS", "Event", "Vehicle", "vehicle", "vehicles"]

#: Event kinds and trigger names (the catalog's words) -> kernel codes.
KINDS = {"chute": 1, "jettison": 2, "separate": 3, "thrust_on": 4, "thrust_off": 5,
         "sensor": 6, "chute_release": 7}
TRIGGERS = {"now": 0, "mach_below": 1, "q_below": 2, "speed_below": 3, "range_below": 4,
            "alt_below": 5, "time_after": 6}
_TRIGGER_UNITS = {"now": "", "mach_below": "", "q_below": "Pa", "speed_below": "m/s",
                  "range_below": "km", "alt_below": "km", "time_after": "s"}
_LAWS = {"track": 0, "gravity_turn": 1}

_SCALARS = (
    "entry_mass_kg", "diameter_m", "nose_radius_m", "cd", "lift_to_drag", "bank_deg",
    "guided", "entry_speed_kms", "entry_fpa_deg", "entry_alt_km", "entry_azimuth_deg",
    "target_lat_deg", "target_lon_east_deg", "ground_alt_km", "touchdown_max_ms",
    "efpa_sigma_deg", "guidance_gain_per_km", "guidance_end_kms", "flyaway_mass_kg",
    "flyaway_cda_m2", "flyaway_thrust_n", "flyaway_time_s", "flyaway_pitch_deg",
    "flyaway_rise_m",
)


@dataclass(frozen=True)
class Event:
    """One step of a descent sequence (see the catalog file's header for the fields)."""

    name: str
    kind: str
    trigger: str = "now"
    value: float = 0.0
    cda_m2: float = -1.0
    inflation_s: float = 0.0
    chute: int = 0
    mass_drop_kg: float = 0.0
    body: str = ""
    body_cda_m2: float = -1.0
    thrust_n: float = 0.0
    isp_s: float = 0.0
    law: str = "track"
    touchdown_ms: float = 1.0
    decel_ms2: float = 3.0
    stop_height_m: float = 0.0
    sensed_alt_km: float = 0.0
    speed_hi_ms: float = 1e9
    speed_lo_ms: float = -1e9
    armed_after_peak: bool = False
    source: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ParameterError(f"event {self.name!r}: kind {self.kind!r} is unknown: use "
                                 f"one of {', '.join(KINDS)}")
        if self.trigger not in TRIGGERS:
            raise ParameterError(f"event {self.name!r}: trigger {self.trigger!r} is unknown: "
                                 f"use one of {', '.join(TRIGGERS)}")
        if self.law not in _LAWS:
            raise ParameterError(f"event {self.name!r}: law {self.law!r} is unknown: use "
                                 "'track' or 'gravity_turn'")
        for f in ("value", "cda_m2", "inflation_s", "mass_drop_kg", "body_cda_m2", "thrust_n",
                  "isp_s", "touchdown_ms", "decel_ms2", "sensed_alt_km", "stop_height_m"):
            if not math.isfinite(float(getattr(self, f))):
                raise ParameterError(f"event {self.name!r}: {f} must be a finite number")
        if self.kind in ("chute", "chute_release") and self.cda_m2 <= 0:
            raise ParameterError(f"event {self.name!r}: a parachute needs cda_m2 > 0 (m^2)")
        if self.mass_drop_kg < 0 or self.inflation_s < 0 or self.thrust_n < 0:
            raise ParameterError(f"event {self.name!r}: mass_drop_kg, inflation_s and "
                                 "thrust_n must be >= 0")
        if self.kind == "thrust_on" and (self.thrust_n <= 0 or self.isp_s <= 0):
            raise ParameterError(f"event {self.name!r}: engines need thrust_n > 0 (N) and "
                                 "isp_s > 0 (s)")
        if self.trigger == "time_after" and self.value < 0:
            raise ParameterError(f"event {self.name!r}: time_after needs value >= 0 (s)")

    @property
    def unit(self) -> str:
        """Unit of the trigger value."""
        return _TRIGGER_UNITS[self.trigger]


@dataclass(frozen=True)
class Vehicle:
    """An entry vehicle: aeroshell, entry conditions, target, sequence (SI, km, degrees)."""

    key: str
    name: str
    entry_mass_kg: float
    diameter_m: float
    nose_radius_m: float
    cd: float
    lift_to_drag: float
    bank_deg: float
    guided: bool
    entry_speed_kms: float
    entry_fpa_deg: float
    entry_alt_km: float
    entry_azimuth_deg: float
    target_lat_deg: float
    target_lon_east_deg: float
    ground_alt_km: float
    touchdown_max_ms: float
    efpa_sigma_deg: float
    guidance_gain_per_km: float
    guidance_end_kms: float
    flyaway_mass_kg: float
    flyaway_cda_m2: float
    flyaway_thrust_n: float
    flyaway_time_s: float
    flyaway_pitch_deg: float
    flyaway_rise_m: float
    events: tuple[Event, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    #: Reference bank against air speed: ((speed km/s, bank deg), ...), speeds increasing;
    #: empty: ``bank_deg`` at every speed. Held constant beyond its ends.
    bank_profile: tuple[tuple[float, float], ...] = ()
    #: Fly the bank's vertical lift only (the planar reference of guidance and targeting).
    planar: bool = False

    def __post_init__(self) -> None:
        for f in ("entry_mass_kg", "diameter_m", "nose_radius_m", "cd", "entry_speed_kms"):
            v = float(getattr(self, f))
            if not (math.isfinite(v) and v > 0):
                raise ParameterError(f"vehicle {self.key!r}: {f} = {v} must be > 0: give a "
                                     "positive number")
        if not 50.0 <= self.entry_alt_km <= 200.0:
            raise ParameterError(f"vehicle {self.key!r}: entry_alt_km = {self.entry_alt_km} is "
                                 "outside 50..200 km (the atmosphere model's range)")
        if not -60.0 < self.entry_fpa_deg < 0.0:
            raise ParameterError(f"vehicle {self.key!r}: entry_fpa_deg = {self.entry_fpa_deg}"
                                 " must be in (-60, 0) deg (negative: descending)")
        if self.bank_profile:
            bp = [(float(a), float(b)) for a, b in self.bank_profile]
            sp = [a for a, _ in bp]
            if not all(math.isfinite(a) and math.isfinite(b) and -180.0 <= b <= 180.0
                       for a, b in bp) or any(b <= a for a, b in itertools.pairwise(sp)):
                raise ParameterError(f"vehicle {self.key!r}: bank_profile must be (speed "
                                     "km/s, bank deg) pairs, speeds increasing, banks in "
                                     "[-180, 180] deg")
        drops = sum(e.mass_drop_kg for e in self.events)
        if drops >= self.entry_mass_kg:
            raise ParameterError(f"vehicle {self.key!r}: the sequence drops {drops:g} kg of "
                                 f"a {self.entry_mass_kg:g} kg vehicle: leave a lander")

    @property
    def area_m2(self) -> float:
        return math.pi * self.diameter_m ** 2 / 4.0

    @property
    def cda_m2(self) -> float:
        """Hypersonic drag area Cd x A, m^2."""
        return self.cd * self.area_m2

    @property
    def ballistic_coefficient(self) -> float:
        """m / (Cd A), kg/m^2."""
        return self.entry_mass_kg / self.cda_m2

    def with_events(self, events: Any) -> Vehicle:
        """This vehicle with another sequence."""
        return replace(self, events=tuple(events))

    def __repr__(self) -> str:
        return (f"Vehicle: {self.name}, {self.entry_mass_kg:g} kg, {self.diameter_m:g} m, "
                f"beta {self.ballistic_coefficient:.0f} kg/m^2, {len(self.events)} events")


def _value(t: Mapping[str, Any], key: str, f: str, path: str) -> tuple[float, str]:
    rec = t.get(f)
    if not isinstance(rec, Mapping) or "value" not in rec or "source" not in rec:
        raise CatalogFileError(f"{path}: vehicles.{key}.{f} must be {{value = ..., source = "
                               "\"...\"}}")
    try:
        v = float(rec["value"])
    except (TypeError, ValueError):
        raise CatalogFileError(f"{path}: vehicles.{key}.{f} value must be a number") from None
    if not math.isfinite(v):
        raise CatalogFileError(f"{path}: vehicles.{key}.{f} value must be finite")
    return v, str(rec["source"])


def _vehicle(key: str, t: Mapping[str, Any], path: str) -> Vehicle:
    vals: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for f in _SCALARS:
        vals[f], sources[f] = _value(t, key, f, path)
    vals["guided"] = bool(vals["guided"])
    evs = []
    for e in t.get("events", []):
        if not isinstance(e, Mapping) or "source" not in e:
            raise CatalogFileError(f"{path}: vehicles.{key}.events entries need a source")
        try:
            evs.append(Event(**{k: v for k, v in e.items()}))
        except TypeError as exc:
            raise CatalogFileError(f"{path}: vehicles.{key}.events: {exc}") from None
    return Vehicle(key=key, name=str(t.get("name", key)), events=tuple(evs),
                   aliases=tuple(str(a) for a in t.get("aliases", [])), sources=sources,
                   **vals)


@functools.cache
def _builtin() -> dict[str, Vehicle]:
    import tomllib

    path = "areo/catalog/data/edl_vehicles.toml"
    with (resources.files("areo.catalog") / "data" / "edl_vehicles.toml").open("rb") as fh:
        doc = tomllib.load(fh)
    return {k: _vehicle(k, t, path) for k, t in doc["vehicles"].items()}


def vehicles() -> list[Vehicle]:
    """The built-in vehicles."""
    return list(_builtin().values())


def vehicle(name: str | Vehicle) -> Vehicle:
    """A vehicle by key or alias (case-insensitive), or the vehicle itself.

    Raises :class:`~areo.errors.UnknownEntryError` naming the known vehicles.
    """
    if isinstance(name, Vehicle):
        return name
    if not isinstance(name, str):
        raise UnknownEntryError(f"vehicle {name!r} must be a name, e.g. 'm2020'")
    k = " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
    for v in _builtin().values():
        names = {v.key, v.key.replace("_", " ")} | {
            " ".join(a.lower().replace("-", " ").split()) for a in v.aliases}
        if k in names or k.replace(" ", "") == v.key:
            return v
    raise UnknownEntryError(f"vehicle {name!r} is unknown: use one of "
                            f"{', '.join(sorted(_builtin()))}")
