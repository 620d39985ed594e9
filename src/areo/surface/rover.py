"""Rover description, activity library and an independent energy/data re-simulation of a sol.

* :class:`RoverModel` is a declarative, pydantic-validated rover description (array, battery,
  loads, night heating, data buffer, UHF radio profile, drive and drill parameters). The
  default is ExoMars Rosalind Franklin, from ``areo/catalog/data/rovers.toml`` where every value
  carries a source (values not published are marked "representative", with the reasoning)::

      >>> from areo.surface.rover import rover
      >>> rover("rosalind_franklin").battery_wh
      1142.0

* :class:`Activity` and its factories (:func:`drive`, :func:`drill`, :func:`sample_delivery`,
  :func:`crushing`, :func:`micromega`, :func:`rls`, :func:`moma_ldms`, :func:`moma_gcms`,
  :func:`pancam`, :func:`wisdom`, :func:`clupi`, :func:`relay_session`, :func:`sleep`), each
  with a ``source`` string saying where its numbers come from.
* :func:`simulate_sol` steps through a sol's timeline (activities placed at LMST hours) with
  the planning-grade energy bucket of ops-facts 4.3,
  ``SOC(t+dt) = SOC + (P_gen * eta_c - P_load / eta_d) dt`` clamped to [0, capacity], and a
  data buffer, and lists the violations (SOC below the floor, buffer overflow, daylight-only
  activity at night, overlapping exclusive resources, missing preconditions, relay outside a
  window, drive limit, end-of-sol SOC target). It is the oracle for the sol planner: simple
  on purpose.

Units: power W, energy Wh (Earth hour, 3600 J), data Mbit, durations s (SI), times of day in
LMST hours (a Mars hour is 1/24 sol = 3698.97 s), depths m.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from areo.constants import LMST_HOUR_S  # re-exported: rover.LMST_HOUR_S
from areo.errors import CatalogFileError, ParameterError, UnknownEntryError

__all__ = [
    "LMST_HOUR_S",
    "Activity",
    "RelayWindow",
    "RoverModel",
    "Scheduled",
    "SolSimulation",
    "Violation",
    "clupi",
    "crushing",
    "drill",
    "drill_duration_s",
    "drive",
    "load_rovers",
    "micromega",
    "moma_gcms",
    "moma_ldms",
    "pancam",
    "relay_session",
    "rls",
    "rod_changes",
    "rover",
    "rovers",
    "sample_delivery",
    "simulate_sol",
    "sleep",
    "wisdom",
]

_EPS_H = 1e-9


# -- rover description -----------------------------------------------------------------------
class RoverModel(BaseModel):
    """A rover's resources for sol planning (units in the field names).

    The array is given either by a reference output (``array_ref_wh_per_sol`` at a daily
    insolation ``array_ref_insolation_wh_m2``) or by ``array_area_m2`` and an end-to-end
    ``array_efficiency``; the reference pair wins when both are present. Night heating is either
    a sol-night energy ``night_heating_wh`` (spread evenly over the night) or a heater curve
    ``heater_temp_c`` / ``heater_w`` (W vs temperature, linearly interpolated).
    ``awake_load_w`` is drawn whenever any awake activity runs, ``sleep_load_w`` otherwise;
    activity powers add on top of the awake load.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = ""
    name: str = ""
    aliases: tuple[str, ...] = ()
    mass_kg: float | None = Field(default=None, gt=0)
    # array
    array_ref_wh_per_sol: float | None = Field(default=None, gt=0)
    array_ref_insolation_wh_m2: float | None = Field(default=None, gt=0)
    array_area_m2: float | None = Field(default=None, gt=0)
    array_efficiency: float | None = Field(default=None, gt=0, le=1)
    # battery
    battery_wh: float = Field(gt=0)
    min_soc: float = Field(ge=0, le=1)
    end_of_sol_soc_target: float = Field(ge=0, le=1)
    charge_efficiency: float = Field(default=1.0, gt=0, le=1)
    discharge_efficiency: float = Field(default=1.0, gt=0, le=1)
    # loads
    awake_load_w: float = Field(ge=0)
    sleep_load_w: float = Field(ge=0)
    night_heating_wh: float = Field(default=0.0, ge=0)
    heater_temp_c: tuple[float, ...] | None = None
    heater_w: tuple[float, ...] | None = None
    # data and comms
    data_buffer_mbit: float = Field(gt=0)
    data_budget_mbit_per_sol: float | None = Field(default=None, gt=0)
    uhf_radio: str = "electra-lite"
    # mobility
    drive_speed_m_per_h: float = Field(gt=0)
    drive_limit_m_per_sol: float = Field(gt=0)
    drive_power_w: float = Field(default=100.0, ge=0)
    # drill (defaults: the Rosalind Franklin drill string, ESA rover-drill page)
    drill_max_depth_m: float = Field(default=2.0, ge=0)
    drill_tool_length_m: float = Field(default=0.7, gt=0)
    drill_rod_length_m: float = Field(default=0.5, gt=0)
    drill_rod_count: int = Field(default=3, ge=0)
    drill_power_w: float = Field(default=80.0, ge=0)
    # thermal: mechanisms (drill, sample handling, wheels) run in the warm hours only
    mechanisms_lmst_h: tuple[float, float] | None = (9.0, 17.0)
    # mission
    min_samples: int | None = Field(default=None, ge=0)
    nominal_mission_sols: int | None = Field(default=None, gt=0)
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> RoverModel:
        ref = self.array_ref_wh_per_sol is not None and self.array_ref_insolation_wh_m2 is not None
        area = self.array_area_m2 is not None and self.array_efficiency is not None
        if not (ref or area):
            raise ValueError(
                "the array needs array_ref_wh_per_sol and array_ref_insolation_wh_m2, "
                "or array_area_m2 and array_efficiency"
            )
        if self.end_of_sol_soc_target < self.min_soc:
            raise ValueError(
                f"end_of_sol_soc_target {self.end_of_sol_soc_target} is below min_soc "
                f"{self.min_soc}: the target must lie in [min_soc, 1]"
            )
        if self.mechanisms_lmst_h is not None:
            a, b = self.mechanisms_lmst_h
            if not 0.0 <= a < b <= 24.0:
                raise ValueError(
                    f"mechanisms_lmst_h {self.mechanisms_lmst_h} must be (start, end) LMST "
                    "hours with 0 <= start < end <= 24"
                )
        if (self.heater_temp_c is None) != (self.heater_w is None):
            raise ValueError("give both heater_temp_c and heater_w, or neither")
        if self.heater_temp_c is not None and self.heater_w is not None:
            t = np.asarray(self.heater_temp_c, dtype=float)
            if len(t) != len(self.heater_w) or len(t) < 1 or np.any(np.diff(t) <= 0):
                raise ValueError(
                    "heater_temp_c must be strictly increasing and as long as heater_w"
                )
        reach = self.drill_tool_length_m + self.drill_rod_count * self.drill_rod_length_m
        if self.drill_max_depth_m > reach + 1e-9:  # depth cannot exceed the string length
            raise ValueError(
                f"drill_max_depth_m {self.drill_max_depth_m} exceeds the drill string "
                f"({self.drill_tool_length_m} m tool + {self.drill_rod_count} x "
                f"{self.drill_rod_length_m} m rods = {reach:g} m)"
            )
        return self

    @property
    def effective_array_area_m2(self) -> float:
        """Array area x end-to-end efficiency (m^2): W out per W/m^2 of insolation."""
        if self.array_ref_wh_per_sol is not None and self.array_ref_insolation_wh_m2 is not None:
            return self.array_ref_wh_per_sol / self.array_ref_insolation_wh_m2
        assert self.array_area_m2 is not None and self.array_efficiency is not None
        return self.array_area_m2 * self.array_efficiency

    def array_power_w(self, irradiance_w_m2: float | np.ndarray) -> float | np.ndarray:
        """Array output (W) for a global irradiance on the array (W/m^2)."""
        return np.asarray(irradiance_w_m2, dtype=float) * self.effective_array_area_m2

    def array_energy_wh(self, insolation_wh_m2: float | np.ndarray) -> float | np.ndarray:
        """Array output over a sol (Wh) for a daily insolation (Wh/m^2), e.g. from
        :func:`areo.surface.environment.daily_insolation`."""
        return np.asarray(insolation_wh_m2, dtype=float) * self.effective_array_area_m2

    def heater_power_w(self, temp_c: float) -> float:
        """Heater power (W) at ``temp_c`` from the heater curve (0 without one)."""
        if self.heater_temp_c is None or self.heater_w is None:
            return 0.0
        return float(np.interp(temp_c, self.heater_temp_c, self.heater_w))

    @property
    def drill_string_m(self) -> float:
        """Length of the drill tool plus all extension rods (m): 2.2 m for Rosalind Franklin,
        whose quoted reach is 2 m (part of the string stays in the drill box)."""
        return self.drill_tool_length_m + self.drill_rod_count * self.drill_rod_length_m

    def radio(self) -> Any:
        """The UHF radio profile from :func:`areo.relay.link.radio` (imported lazily)."""
        from areo.relay.link import radio

        return radio(self.uhf_radio)


def _format_validation(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e.get("loc", ()))
        kind = e.get("type", "")
        msg = str(e.get("msg", "")).replace("\n", " ")
        if kind == "missing":
            parts.append(f"field {loc!r} is required: add it")
        elif kind == "extra_forbidden":
            known = ", ".join(k for k in RoverModel.model_fields if k != "key")
            parts.append(f"field {loc!r} is not a rover field (known: {known})")
        elif loc:
            parts.append(f"field {loc!r}: {msg} (got {e.get('input')!r})")
        else:
            parts.append(msg.removeprefix("Value error, "))
    return "; ".join(parts)


def _rover_from_table(key: str, t: Mapping[str, Any], path: str) -> RoverModel:
    if not isinstance(t, Mapping):
        raise CatalogFileError(f"rover file {path}: rovers.{key} must be a table")
    try:
        return RoverModel.model_validate({**t, "key": key})
    except ValidationError as exc:
        raise CatalogFileError(
            f"rover file {path}: rover {key!r}: {_format_validation(exc)}"
        ) from None


def _rovers_from_doc(doc: Mapping[str, Any], path: str) -> dict[str, RoverModel]:
    table = doc.get("rovers")
    if not isinstance(table, Mapping) or not table:
        raise CatalogFileError(
            f"rover file {path}: no [rovers.<key>] tables: add at least one rover"
        )
    out: dict[str, RoverModel] = {}
    for key, t in table.items():
        r = _rover_from_table(str(key), t, path)
        out[_norm(str(key))] = r
        for alias in r.aliases:
            out.setdefault(_norm(alias), r)
    return out


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


@functools.cache
def _builtin() -> dict[str, RoverModel]:
    data = resources.files("areo.catalog") / "data" / "rovers.toml"
    with data.open("rb") as fh:
        return _rovers_from_doc(tomllib.load(fh), "areo/catalog/data/rovers.toml")


def load_rovers(path: str | Path) -> dict[str, RoverModel]:
    """Rovers from a user TOML file of ``[rovers.<key>]`` tables (keys and aliases, normalised)."""
    from areo.catalog import read_toml

    return _rovers_from_doc(read_toml(path, "rover file"), str(path))


def rovers() -> list[RoverModel]:
    """The built-in rovers (one per rover, aliases folded)."""
    seen: dict[str, RoverModel] = {}
    for r in _builtin().values():
        seen.setdefault(r.key, r)
    return list(seen.values())


def rover(name: str | Path | RoverModel = "rosalind_franklin", key: str | None = None
          ) -> RoverModel:
    """A rover by catalog key or alias, or from a TOML file path (``key`` picks one rover
    of a file that holds several)."""
    if isinstance(name, RoverModel):
        return name
    p = Path(name)
    text = str(name)
    # A path (anything with a directory separator, a .toml name or an existing entry) is
    # read as a rover file: load_rovers refuses directories, FIFOs and devices in one line.
    if (isinstance(name, Path) or p.suffix.lower() == ".toml" or "/" in text
            or os.sep in text or ("\0" not in text and os.path.lexists(text))):
        table = load_rovers(p)
        distinct = {r.key: r for r in table.values()}
        if key is not None:
            if _norm(key) in table:
                return table[_norm(key)]
            raise UnknownEntryError(
                f"rover {key!r} is not in {str(p)!r} (holds: {', '.join(distinct)}): pick one"
            )
        if len(distinct) == 1:
            return next(iter(distinct.values()))
        raise ParameterError(
            f"rover file {str(p)!r} holds {len(distinct)} rovers ({', '.join(distinct)}): "
            "pass key= to pick one"
        )
    k = _norm(str(name))
    if k in _builtin():
        return _builtin()[k]
    known = ", ".join(r.key for r in rovers())
    raise UnknownEntryError(
        f"rover {name!r} is not in the rover catalog (known: {known}): use one of these or "
        "give the path of your own rovers TOML file"
    )


def _rf(r: RoverModel | None) -> RoverModel:
    return rover() if r is None else r


# -- activities ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Activity:
    """One rover activity.

    ``power_w`` is drawn on top of the rover's awake load (W); ``data_mbit`` is produced evenly
    over the duration; ``downlink_mbit`` is sent evenly over the duration, inside relay
    windows only. ``resources`` are exclusive: two activities sharing one must not overlap.
    ``preconditions`` name activities that must have ended earlier (this sol or before).
    ``awake=False`` (sleep) lets the rover drop to its sleep load.
    """

    name: str
    duration_s: float
    power_w: float = 0.0
    data_mbit: float = 0.0
    needs_daylight: bool = False
    resources: tuple[str, ...] = ()
    preconditions: tuple[str, ...] = ()
    downlink_mbit: float = 0.0
    distance_m: float = 0.0
    awake: bool = True
    source: str = ""

    def __post_init__(self) -> None:
        for what, v in (("duration_s", self.duration_s), ("power_w", self.power_w),
                        ("data_mbit", self.data_mbit), ("downlink_mbit", self.downlink_mbit),
                        ("distance_m", self.distance_m)):
            if not (math.isfinite(v) and v >= 0):
                raise ParameterError(
                    f"activity {self.name!r}: {what} = {v} must be finite and >= 0"
                )
        if self.duration_s <= 0:
            raise ParameterError(
                f"activity {self.name!r}: duration_s = {self.duration_s} must be > 0"
            )
        object.__setattr__(self, "resources", tuple(self.resources))
        object.__setattr__(self, "preconditions", tuple(self.preconditions))

    @property
    def energy_wh(self) -> float:
        """Energy of the activity's own power over its duration (Wh), awake load excluded."""
        return self.power_w * self.duration_s / 3600.0


_REP = "representative (not published; verify): "


def drive(meters: float, rover_model: RoverModel | None = None) -> Activity:
    """A traverse of ``meters`` m: daylight only, duration from the rover's effective speed,
    refused beyond the rover's per-sol limit (Rosalind Franklin: ~100 m/sol, ESA)."""
    r = _rf(rover_model)
    if not (math.isfinite(meters) and 0 < meters <= r.drive_limit_m_per_sol):
        raise ParameterError(
            f"drive distance {meters} m is outside (0, {r.drive_limit_m_per_sol:g}] m, the "
            f"{r.name or r.key} per-sol limit: split the traverse over several sols"
        )
    return Activity(
        "drive", meters / r.drive_speed_m_per_h * 3600.0, power_w=r.drive_power_w,
        data_mbit=0.05 * meters, needs_daylight=True, resources=("locomotion", "mast"),
        distance_m=float(meters),
        source=(f"speed {r.drive_speed_m_per_h:g} m/h and power {r.drive_power_w:g} W from the "
                "rover model (see its sources); navigation imaging 0.05 Mbit/m "
                + _REP + "stereo navcam pairs every few metres, compressed"),
    )


#: Penetration rate per depth band (top_m, bottom_m, rate_m_per_h): REPRESENTATIVE. The
#: drill increment per step is not published (mars-facts 9); loose regolith near the surface,
#: slower in consolidated material below ~1 m, including pauses to limit sample heating.
DRILL_BANDS_M_PER_H: tuple[tuple[float, float, float], ...] = (
    (0.0, 0.5, 0.5),
    (0.5, 1.0, 0.3),
    (1.0, 2.0, 0.2),
)
#: Time to add (and later remove) one extension rod (s): REPRESENTATIVE.
ROD_CHANGE_S = 900.0
#: Deployment, positioning, sample capture and retraction per drilling (s): REPRESENTATIVE.
DRILL_SETUP_S = 1800.0


def _check_depths(to_depth_m: float, from_depth_m: float, r: RoverModel) -> None:
    if not (math.isfinite(to_depth_m) and 0 < to_depth_m <= r.drill_max_depth_m + 1e-12):
        raise ParameterError(
            f"drill depth {to_depth_m} m is outside 0 < depth <= {r.drill_max_depth_m:g} m, the "
            f"deepest the {r.name or r.key} drill reaches ({r.drill_tool_length_m:g} m tool + "
            f"{r.drill_rod_count} x {r.drill_rod_length_m:g} m rods): ask for a shallower "
            "sample"
        )
    if not (math.isfinite(from_depth_m) and 0 <= from_depth_m < to_depth_m):
        raise ParameterError(
            f"drill from_depth_m {from_depth_m} m must lie in [0, to_depth_m = {to_depth_m} m)"
        )


def rod_changes(to_depth_m: float, from_depth_m: float = 0.0,
                rover_model: RoverModel | None = None) -> int:
    """Extension rods added going from ``from_depth_m`` to ``to_depth_m``.

    A rod goes on at each depth tool + k * rod (0.7, 1.2, 1.7 m for Rosalind Franklin) that
    the drill passes below: the count of those depths ``d`` with ``from <= d < to``.
    """
    r = _rf(rover_model)
    _check_depths(to_depth_m, from_depth_m, r)
    marks = [r.drill_tool_length_m + k * r.drill_rod_length_m for k in range(r.drill_rod_count)]
    return sum(1 for d in marks if from_depth_m <= d + 1e-9 and d < to_depth_m - 1e-9)


def drill_duration_s(to_depth_m: float, from_depth_m: float = 0.0,
                     rover_model: RoverModel | None = None) -> float:
    """Drilling time (s): setup + penetration per depth band + rod changes (representative)."""
    r = _rf(rover_model)
    n_rods = rod_changes(to_depth_m, from_depth_m, r)
    t_h = 0.0
    for top, bottom, rate in DRILL_BANDS_M_PER_H:
        overlap = min(bottom, to_depth_m) - max(top, from_depth_m)
        if overlap > 0:
            t_h += overlap / rate
    return DRILL_SETUP_S + t_h * 3600.0 + n_rods * ROD_CHANGE_S


def drill(to_depth_m: float, from_depth_m: float = 0.0,
          rover_model: RoverModel | None = None) -> Activity:
    """Drill from ``from_depth_m`` to ``to_depth_m`` (m) and capture a core; depths beyond the
    drill string (2.0 m for Rosalind Franklin) are refused."""
    r = _rf(rover_model)
    return Activity(
        "drill", drill_duration_s(to_depth_m, from_depth_m, r), power_w=r.drill_power_w,
        data_mbit=1.0 + 5.0 * (to_depth_m - from_depth_m), resources=("drill",),
        source=(f"power {r.drill_power_w:g} W: drill system 80 W average (satcatalog via "
                "mars-facts 4); rods at 0.7/1.2/1.7 m (ESA rover-drill page); penetration "
                "rates, rod-change and setup times " + _REP + "drill increment per step not "
                "published; Ma_MISS housekeeping/spectra 1 Mbit + 5 Mbit/m " + _REP),
    )


def _act(name: str, duration_s: float, power_w: float, data_mbit: float,
         resources_: tuple[str, ...], pre: tuple[str, ...] = (), daylight: bool = False,
         why: str = "") -> Activity:
    return Activity(name, duration_s, power_w=power_w, data_mbit=data_mbit,
                    needs_daylight=daylight, resources=resources_, preconditions=pre,
                    source=_REP + why)


def sample_delivery() -> Activity:
    """Hand the core from the drill to the ALD's core sample transport mechanism."""
    return _act("sample_delivery", 1800.0, 40.0, 0.5, ("drill", "ald"), ("drill",),
                why="drill positioner + CSTM motion, ~30 min; chain drill -> CSTM -> crushing "
                    "from Vago et al. 2017 Fig. 6")


def crushing() -> Activity:
    """Crush and dose the sample in the ALD (Sample Preparation and Distribution System)."""
    return _act("crushing", 1800.0, 50.0, 0.2, ("ald",), ("sample_delivery",),
                why="crushing station + dosing motors ~50 W for ~30 min; SPDS chain from "
                    "Vago et al. 2017 Fig. 6")


def micromega() -> Activity:
    """MicrOmega Vis/IR hyperspectral imaging of the crushed sample."""
    return _act("micromega", 3600.0, 30.0, 100.0, ("ald",), ("crushing",),
                why="cooled IR imaging spectrometer; one hyperspectral cube of 256 x 256 "
                    "pixels x ~320 channels at 12 bit is ~250 Mbit raw (Bibring et al. 2017, "
                    "Astrobiology 17(6-7)), ~100 Mbit compressed")


def rls() -> Activity:
    """RLS Raman spectroscopy of the crushed sample."""
    return _act("rls", 3600.0, 30.0, 10.0, ("ald",), ("crushing",),
                why="laser + CCD, tens of spectra per sample")


def moma_ldms() -> Activity:
    """MOMA laser-desorption mass spectrometry."""
    return _act("moma_ldms", 3600.0, 60.0, 10.0, ("ald",), ("crushing",),
                why="pulsed UV laser + ion trap")


def moma_gcms() -> Activity:
    """MOMA pyrolysis gas chromatography-mass spectrometry (one oven)."""
    return _act("moma_gcms", 3 * 3600.0, 100.0, 15.0, ("ald",), ("crushing",),
                why="oven heating to several hundred C dominates; ~3 h per run")


def pancam(frames: int = 10) -> Activity:
    """PanCam imaging (WAC/HRC), daylight only, ``frames`` images."""
    if frames < 1:
        raise ParameterError(f"pancam frames = {frames} must be >= 1")
    return _act("pancam", 60.0 * frames, 15.0, 5.0 * frames, ("mast",), daylight=True,
                why="~1 min and ~5 Mbit per frame: a 1024 x 1024 WAC image at 12 bit is "
                    "12.6 Mbit raw (Coates et al. 2017, Astrobiology 17(6-7)), ~2.5:1 "
                    "compressed")


def wisdom(duration_s: float = 1800.0) -> Activity:
    """WISDOM ground-penetrating radar sounding."""
    return _act("wisdom", duration_s, 20.0, 5.0 * duration_s / 1800.0, ("wisdom",),
                why="GPR ~20 W, ~5 Mbit per 30 min of soundings")


def clupi(frames: int = 5) -> Activity:
    """CLUPI close-up imaging, daylight only."""
    if frames < 1:
        raise ParameterError(f"clupi frames = {frames} must be >= 1")
    return _act("clupi", 120.0 * frames, 15.0, 10.0 * frames, ("clupi",), daylight=True,
                why="~2 min and ~10 Mbit per frame: a 2652 x 1768 colour image (Josset et "
                    "al. 2017, Astrobiology 17(6-7)) compressed ~5:1")


def relay_session(volume_mbit: float, duration_s: float) -> Activity:
    """A UHF relay session that sends ``volume_mbit`` over ``duration_s`` (inside a window)."""
    if not (math.isfinite(volume_mbit) and volume_mbit >= 0):
        raise ParameterError(f"relay volume_mbit = {volume_mbit} must be finite and >= 0")
    return Activity("relay_session", duration_s, power_w=40.0, downlink_mbit=float(volume_mbit),
                    resources=("uhf",),
                    source=_REP + "UHF transceiver transmitting ~40 W DC; volume and duration "
                    "from the relay planner (areo.relay)")


def sleep(duration_s: float) -> Activity:
    """Sleep: the rover draws only its sleep load (plus heating)."""
    return Activity("sleep", duration_s, awake=False, source="rover sleep load (rover model)")


# -- the sol simulation ----------------------------------------------------------------------
@dataclass(frozen=True)
class Scheduled:
    """An activity placed in a sol at ``start_lmst_h`` (LMST hours, [0, 24))."""

    start_lmst_h: float
    activity: Activity

    @property
    def end_lmst_h(self) -> float:
        return self.start_lmst_h + self.activity.duration_s / LMST_HOUR_S


@dataclass(frozen=True)
class RelayWindow:
    """An orbiter pass usable for relay: LMST hours and the most it can carry (Mbit)."""

    start_lmst_h: float
    end_lmst_h: float
    volume_mbit: float = math.inf


@dataclass(frozen=True)
class Violation:
    """A broken constraint: ``kind`` is one of soc_below_floor, buffer_overflow,
    night_activity, resource_conflict, precondition, relay_outside_window, drive_limit,
    end_soc_below_target."""

    kind: str
    t_lmst_h: float
    activity: str
    message: str


@dataclass
class SolSimulation:
    """State over a sol: ``t_lmst_h`` (n+1 boundaries), ``soc_wh`` and ``buffer_mbit`` at those
    boundaries, ``gen_w`` / ``load_w`` / ``daylight`` per segment (n), and the violations."""

    t_lmst_h: np.ndarray
    soc_wh: np.ndarray
    buffer_mbit: np.ndarray
    gen_w: np.ndarray
    load_w: np.ndarray
    daylight: np.ndarray
    violations: list[Violation]
    battery_wh: float
    generated_wh: float
    consumed_wh: float
    downlinked_mbit: float
    lost_mbit: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def soc(self) -> np.ndarray:
        """State of charge as a fraction of capacity."""
        return self.soc_wh / self.battery_wh

    @property
    def final_soc_wh(self) -> float:
        return float(self.soc_wh[-1])

    @property
    def ok(self) -> bool:
        return not self.violations

    def kinds(self) -> set[str]:
        return {v.kind for v in self.violations}

    def to_frame(self) -> Any:
        """Per-boundary table (pandas): LMST hour, SOC (Wh, fraction), buffer (Mbit)."""
        import pandas as pd

        return pd.DataFrame({"t_lmst_h": self.t_lmst_h, "soc_wh": self.soc_wh,
                             "soc": self.soc, "buffer_mbit": self.buffer_mbit})

    def __repr__(self) -> str:
        return (f"SolSimulation: {self.t_lmst_h.size - 1} steps, SOC min "
                f"{100.0 * float(np.min(self.soc)):.1f} %, end {100.0 * float(self.soc[-1]):.1f}"
                f" %, {self.generated_wh:.0f} Wh generated, {self.consumed_wh:.0f} Wh used, "
                f"{self.downlinked_mbit:.0f} Mbit sent, {len(self.violations)} violations")


def _as_scheduled(item: Any) -> Scheduled:
    if isinstance(item, Scheduled):
        return item
    if isinstance(item, Sequence) and len(item) == 2:
        a, b = item
        if isinstance(b, Activity):
            return Scheduled(float(a), b)
        if isinstance(a, Activity):
            return Scheduled(float(b), a)
    raise ParameterError(
        f"timeline item {item!r} is not a Scheduled(start_lmst_h, activity) or a "
        "(start_lmst_h, activity) pair"
    )


def simulate_sol(
    rover_model: RoverModel,
    timeline: Iterable[Scheduled | tuple[float, Activity]],
    generation_w_fn: Callable[[float], float] | float,
    relay_windows: Iterable[RelayWindow | tuple[float, float] | tuple[float, float, float]]
    = (),
    *,
    initial_soc: float = 1.0,
    initial_buffer_mbit: float = 0.0,
    daylight_lmst_h: tuple[float, float] | None = None,
    temperature_c_fn: Callable[[float], float] | None = None,
    completed: Iterable[str] = (),
    max_step_s: float = 300.0,
) -> SolSimulation:
    """Re-simulate one sol (LMST 0-24 h) of ``timeline`` and list the violations.

    ``generation_w_fn(t_lmst_h)`` gives the array output (W), evaluated at each segment's
    midpoint (a constant is accepted). Segments break at every activity start/end, window
    edge and daylight edge, and at most every ``max_step_s`` s. In each segment the load is
    ``awake_load_w`` (if any awake activity runs, else ``sleep_load_w``) + the activities'
    ``power_w`` + heating, and the battery follows ops-facts 4.3:
    ``SOC += (P_gen * eta_c - P_load / eta_d) * dt``, clamped to [0, battery_wh].
    Heating is the heater curve at ``temperature_c_fn(t)`` when both exist, else
    ``night_heating_wh`` spread evenly over the night segments. Daylight is
    ``daylight_lmst_h = (sunrise, sunset)`` when given, else ``generation > 0``.
    ``relay_windows`` are :class:`RelayWindow` or ``(start_h, end_h[, volume_mbit])``; a
    relay session sends data only inside a window. ``completed`` names activities done on
    earlier sols (for preconditions).
    """
    r = rover_model
    items = sorted((_as_scheduled(i) for i in timeline), key=lambda s: s.start_lmst_h)
    for s in items:
        if not (0.0 <= s.start_lmst_h < 24.0) or s.end_lmst_h > 24.0 + _EPS_H:
            raise ParameterError(
                f"activity {s.activity.name!r} runs {s.start_lmst_h:.3f}-{s.end_lmst_h:.3f} "
                "LMST h, outside the sol [0, 24] h: split it or move it"
            )
    if not 0.0 <= initial_soc <= 1.0:
        raise ParameterError(f"initial_soc = {initial_soc} must lie in [0, 1]")
    if not 0.0 <= initial_buffer_mbit:
        raise ParameterError(f"initial_buffer_mbit = {initial_buffer_mbit} must be >= 0")
    if not (math.isfinite(max_step_s) and max_step_s > 0):
        raise ParameterError(f"max_step_s = {max_step_s} must be > 0 (s)")
    windows = [w if isinstance(w, RelayWindow) else RelayWindow(*map(float, w))
               for w in relay_windows]
    gen_fn: Callable[[float], float]
    if callable(generation_w_fn):
        gen_fn = generation_w_fn
    else:
        const = float(generation_w_fn)
        gen_fn = lambda _t: const  # noqa: E731

    # segment boundaries
    edges = {0.0, 24.0}
    for s in items:
        edges.update((s.start_lmst_h, min(s.end_lmst_h, 24.0)))
    for w in windows:
        edges.update((min(max(w.start_lmst_h, 0.0), 24.0), min(max(w.end_lmst_h, 0.0), 24.0)))
    if daylight_lmst_h is not None:
        edges.update(min(max(float(x), 0.0), 24.0) for x in daylight_lmst_h)
    coarse = sorted(edges)
    step_h = max_step_s / LMST_HOUR_S
    t_list: list[float] = [coarse[0]]
    for a, b in itertools.pairwise(coarse):
        if b - a <= _EPS_H:
            continue
        n = max(1, math.ceil((b - a) / step_h - 1e-9))
        t_list.extend(a + (b - a) * k / n for k in range(1, n + 1))
    t = np.asarray(t_list)
    mid = 0.5 * (t[:-1] + t[1:])
    dt_h = np.diff(t) * LMST_HOUR_S / 3600.0  # Earth hours, so W * dt_h is Wh
    nseg = len(mid)

    gen = np.array([float(gen_fn(float(m))) for m in mid])
    if daylight_lmst_h is not None:
        rise, set_ = daylight_lmst_h
        day = (mid >= rise) & (mid < set_)
    else:
        day = gen > 0.0

    active = [[s for s in items if s.start_lmst_h <= m < s.end_lmst_h] for m in mid]
    load = np.empty(nseg)
    for i, acts in enumerate(active):
        awake = any(s.activity.awake for s in acts)
        load[i] = (r.awake_load_w if awake else r.sleep_load_w) + sum(
            s.activity.power_w for s in acts)
    if r.heater_temp_c is not None and temperature_c_fn is not None:
        load += np.array([r.heater_power_w(float(temperature_c_fn(float(m)))) for m in mid])
    elif r.night_heating_wh > 0:
        night_h = float(np.sum(dt_h[~day]))
        if night_h > 0:
            load[~day] += r.night_heating_wh / night_h

    violations: list[Violation] = []
    cap = r.battery_wh
    floor = r.min_soc * cap
    soc = np.empty(nseg + 1)
    soc[0] = initial_soc * cap
    buf = np.empty(nseg + 1)
    buf[0] = initial_buffer_mbit
    window_left = [w.volume_mbit for w in windows]
    below = initial_soc * cap < floor - 1e-9
    if below:
        violations.append(Violation("soc_below_floor", float(t[0]), "",
                                    f"initial SOC {initial_soc:.3f} is below the floor "
                                    f"{r.min_soc:.3f}"))
    overflowing = False
    downlinked = lost = 0.0
    eta_c, eta_d = r.charge_efficiency, r.discharge_efficiency
    for i in range(nseg):
        rate = gen[i] * eta_c - load[i] / eta_d  # W into the battery
        new = soc[i] + rate * dt_h[i]
        if new < floor - 1e-9 and not below:
            frac = (soc[i] - floor) / (soc[i] - new) if soc[i] > new else 0.0
            tc = float(t[i] + frac * (t[i + 1] - t[i]))
            who = ", ".join(s.activity.name for s in active[i]) or "sleep"
            violations.append(Violation(
                "soc_below_floor", tc, who,
                f"SOC falls below the floor {r.min_soc:.0%} ({floor:.1f} Wh) at LMST "
                f"{tc:.3f} h during {who}"))
        below = new < floor - 1e-9
        soc[i + 1] = min(max(new, 0.0), cap)

        seg_s = dt_h[i] * 3600.0
        b = buf[i] + sum(s.activity.data_mbit * seg_s / s.activity.duration_s
                         for s in active[i])
        for s in active[i]:
            if s.activity.downlink_mbit <= 0:
                continue
            want = s.activity.downlink_mbit * seg_s / s.activity.duration_s
            for k, w in enumerate(windows):
                if w.start_lmst_h <= mid[i] < w.end_lmst_h:
                    sent = min(want, window_left[k], b)
                    window_left[k] -= sent
                    b -= sent
                    downlinked += sent
                    break
        if b > r.data_buffer_mbit + 1e-9:
            if not overflowing:
                violations.append(Violation(
                    "buffer_overflow", float(t[i + 1]),
                    ", ".join(s.activity.name for s in active[i]),
                    f"data buffer exceeds {r.data_buffer_mbit:g} Mbit at LMST "
                    f"{t[i + 1]:.3f} h"))
            overflowing = True
            lost += b - r.data_buffer_mbit
            b = r.data_buffer_mbit
        else:
            overflowing = False
        buf[i + 1] = b

    # per-activity checks
    done = set(completed)
    drive_m = 0.0
    for idx, s in enumerate(items):
        a = s.activity
        segs = [i for i in range(nseg) if s.start_lmst_h <= mid[i] < s.end_lmst_h]
        if a.needs_daylight and any(not day[i] for i in segs):
            violations.append(Violation(
                "night_activity", s.start_lmst_h, a.name,
                f"{a.name} at LMST {s.start_lmst_h:.3f}-{s.end_lmst_h:.3f} h needs daylight"))
        if a.downlink_mbit > 0 and not any(
                w.start_lmst_h - _EPS_H <= s.start_lmst_h and s.end_lmst_h
                <= w.end_lmst_h + _EPS_H for w in windows):
            violations.append(Violation(
                "relay_outside_window", s.start_lmst_h, a.name,
                f"relay session at LMST {s.start_lmst_h:.3f}-{s.end_lmst_h:.3f} h is not "
                "inside a relay window"))
        for p in a.preconditions:
            ok = p in done or any(
                o.activity.name == p and o.end_lmst_h <= s.start_lmst_h + _EPS_H
                for o in items[:idx] + items[idx + 1:])
            if not ok:
                violations.append(Violation(
                    "precondition", s.start_lmst_h, a.name,
                    f"{a.name} at LMST {s.start_lmst_h:.3f} h needs {p!r} to have ended first"))
        for o in items[idx + 1:]:
            shared = set(a.resources) & set(o.activity.resources)
            if shared and o.start_lmst_h < s.end_lmst_h - _EPS_H and \
                    s.start_lmst_h < o.end_lmst_h - _EPS_H:
                violations.append(Violation(
                    "resource_conflict", o.start_lmst_h, f"{a.name}, {o.activity.name}",
                    f"{a.name} and {o.activity.name} overlap on {', '.join(sorted(shared))}"))
        drive_m += a.distance_m
    if drive_m > r.drive_limit_m_per_sol + 1e-9:
        violations.append(Violation(
            "drive_limit", 0.0, "drive",
            f"drives total {drive_m:g} m, above the {r.drive_limit_m_per_sol:g} m/sol limit"))
    if soc[-1] < r.end_of_sol_soc_target * cap - 1e-9:
        violations.append(Violation(
            "end_soc_below_target", float(t[-1]), "",
            f"end-of-sol SOC {soc[-1] / cap:.1%} is below the target "
            f"{r.end_of_sol_soc_target:.0%}"))
    violations.sort(key=lambda v: v.t_lmst_h)
    return SolSimulation(
        t_lmst_h=t, soc_wh=soc, buffer_mbit=buf, gen_w=gen, load_w=load, daylight=day,
        violations=violations, battery_wh=cap, generated_wh=float(np.sum(gen * dt_h)),
        consumed_wh=float(np.sum(load * dt_h)), downlinked_mbit=downlinked, lost_mbit=lost,
    )
