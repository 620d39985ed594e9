"""Mission scenario files: one TOML file describes a mission from launch to the last sol.

A scenario names the launch and arrival spans (the porkchop searched for the transfer), the
capture orbit, the orbiters (catalog names, classical elements, CCSDS OEM files or SPICE
SPK kernels), the landing site and time, the rover (catalog or a rover TOML file; optional),
the ground stations, the span of surface operations, the dust scenario and the planning
margins. ``examples/exomars-2028.toml`` documents every field.

Validation is strict and happens before any long computation: unknown fields, unknown
catalog names, times that cannot be read or lie outside the DE440 ephemeris, inconsistent
spans. Every error is a :class:`ScenarioError` whose one-line message names the file, the
field (its TOML path, e.g. ``orbiters.0.name``), what is allowed and how to fix it.

Relative paths in the file (rover, OEM and SPK files) are relative to the scenario file.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from areo.constants import DAY_S, MARS_MAX_ORBIT_ALT_KM, SOL_NASA_LMST_S
from areo.errors import AreoInputError, CatalogFileError

__all__ = [
    "ArrivalSpec",
    "CaptureSpec",
    "DustSpec",
    "LandingSpec",
    "LaunchSpec",
    "MarginsSpec",
    "MissionSpec",
    "OperationsSpec",
    "OrbiterSpec",
    "ReturnSpec",
    "RoverSpec",
    "Scenario",
    "ScenarioError",
    "StationsSpec",
    "TransferSpec",
    "load_scenario",
    "parse_scenario",
]



class ScenarioError(CatalogFileError):
    """A scenario file that cannot be read or fails validation; the message names the field."""


# ----------------------------------------------------------------------------- helpers
def _iso(value: Any) -> Any:
    """TOML dates and datetimes to ISO strings (TOML has native date types)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _ephemeris_span() -> tuple[float, float, str, str]:
    from areo.ephem import default_ephemeris

    a, b = default_ephemeris().span_time
    return float(a.et), float(b.et), str(a.utc_iso(0))[:10], str(b.utc_iso(0))[:10]


def _check_time(value: str, *, margin_s: float = 0.0) -> str:
    """A UTC time areo can read and that lies inside DE440 (with ``margin_s`` after it)."""
    from areo.time import Time

    try:
        t = Time(value)
    except AreoInputError as exc:
        raise ValueError(f"{value!r} is not a UTC time ({exc}); write e.g. "
                         "'2030-11-20T12:00:00'") from None
    if t.ndim != 0:
        raise ValueError(f"{value!r} must be one time, not a list")
    lo, hi, lo_s, hi_s = _ephemeris_span()
    et = float(t.et)
    if not lo <= et <= hi - margin_s:
        extra = (f" (including {margin_s / DAY_S:.0f} days of operations after it)"
                 if margin_s else "")
        raise ValueError(
            f"{value} is outside the DE440 ephemeris span {lo_s} .. {hi_s}{extra}: choose a "
            "date inside it"
        )
    return value


UtcTime = Annotated[str, BeforeValidator(_iso)]

#: Highest orbit altitude (km) a scenario may give: Mars's sphere of influence.
#: Longest launch or arrival span searched, and longest time of flight (days).
MAX_SPAN_DAYS = 5 * 365.25
MAX_TOF_DAYS = 10 * 365.25
#: Longest wait in orbit between the arrival and the landing (days): Viking 1 waited
#: 31 days, Tianwen-1 93 days.
MAX_LANDING_WAIT_DAYS = 365.0
#: Longest path of a file a scenario names.
PATH_MAX = 4096


def _name(v: Any) -> Any:
    """A name: <= 64 printable characters on one line (any script: 'Tianwen-1 天问')."""
    if v is None:
        return v
    from areo.catalog import check_name

    return check_name(v, "the name", error=ValueError)


def _path_text(v: Any) -> Any:
    if v is None:
        return v
    from areo.catalog import check_name

    return check_name(v, "the path", max_len=PATH_MAX, error=ValueError)


Name = Annotated[str, BeforeValidator(_name)]
PathText = Annotated[str, BeforeValidator(_path_text)]


def _check_radio(v: str | None) -> str | None:
    if v is None:
        return v
    from areo.relay.link import radio, radios

    try:
        return radio(v).key
    except AreoInputError:
        raise ValueError(
            f"unknown radio {v!r} (known: {_known([r.key for r in radios()])})"
        ) from None


def _known(names: list[str]) -> str:
    return ", ".join(sorted(names))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_") or "site"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)


# ----------------------------------------------------------------------------- sections
class MissionSpec(_Spec):
    """``[mission]``: names for the report."""

    name: Name = Field(min_length=1)
    description: str = ""

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, v: Any) -> Any:
        from areo.catalog import check_text

        return check_text(v, "the description", error=ValueError)


class _SpanSpec(_Spec):
    earliest: UtcTime | None = None
    latest: UtcTime | None = None
    utc: UtcTime | None = None

    @field_validator("earliest", "latest", "utc")
    @classmethod
    def _time(cls, v: str | None) -> str | None:
        return None if v is None else _check_time(v)


def _window(v: tuple[float, float] | None, lo: float, hi: float, unit: str,
            wraps: bool) -> tuple[float, float] | None:
    """A (from, to) window inside [lo, hi]; ``wraps``: from > to runs through ``hi``."""
    if v is None:
        return None
    a, b = (float(x) for x in v)
    if not (math.isfinite(a) and math.isfinite(b) and lo <= a <= hi and lo <= b <= hi):
        raise ValueError(f"give [from, to] within [{lo:g}, {hi:g}] {unit}")
    if a > b and not wraps:
        raise ValueError(f"[{a:g}, {b:g}] {unit} is reversed: give [from, to] with from <= to")
    return (a, b)


class LaunchSpec(_SpanSpec):
    """``[launch]``: the launch span searched (``earliest`` .. ``latest``, UTC) and the Earth
    parking orbit; ``utc`` pins the launch (a replay) instead of searching.

    Constraints of the launch vehicle and site (for ``transfer.model = "dsm"``/``"mga"``):
    ``max_c3_km2s2``, ``dla_deg = [min, max]`` (declination of the launch asymptote);
    ``period_days``: the launch period tabulated around the best launch day (0: none)."""

    parking_alt_km: float = Field(default=200.0, ge=100.0, le=2000.0)
    max_c3_km2s2: float | None = Field(default=None, gt=0.0, le=200.0)
    dla_deg: tuple[float, float] | None = None
    period_days: int = Field(default=0, ge=0, le=90)

    @field_validator("dla_deg")
    @classmethod
    def _dla(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        return _window(v, -90.0, 90.0, "deg", wraps=False)


class ArrivalSpec(_SpanSpec):
    """``[arrival]``: the arrival span (``earliest`` .. ``latest``) or a pinned ``utc``.

    Constraints (``transfer.model = "dsm"``/``"mga"``): ``max_vinf_kms``, the entry
    system's largest arrival v-infinity; ``ls_deg = [from, to]``, the season of arrival
    (solar longitude; may wrap through 360, as [300, 30])."""

    max_vinf_kms: float | None = Field(default=None, gt=0.0, le=20.0)
    ls_deg: tuple[float, float] | None = None

    @field_validator("ls_deg")
    @classmethod
    def _ls(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        return _window(v, 0.0, 360.0, "deg", wraps=True)


#: Objectives of the ballistic porkchop search and of the DSM/MGA optimiser.
BALLISTIC_OBJECTIVES = ("c3", "dv_total", "vinf_arrive")
TRAJECTORY_OBJECTIVES = ("dsm", "dsm+vinf", "dsm+capture", "c3")


class TransferSpec(_Spec):
    """``[transfer]``: how the transfer is chosen in the spans.

    ``model``: ``"ballistic"`` (the best Lambert arc of the porkchop, ``objective`` one of
    c3, dv_total, vinf_arrive), ``"dsm"`` (one deep-space manoeuvre per leg, MGA-1DSM) or
    ``"mga"`` (Lambert legs with powered flybys) along ``sequence``, optimised with pygmo
    for ``objective`` dsm, dsm+vinf, dsm+capture or c3 under the launch, arrival and
    landing constraints; ``seed`` makes that search repeatable. The porkchop of the spans
    is drawn whatever the model."""

    model: Literal["ballistic", "dsm", "mga"] = "ballistic"
    sequence: tuple[Name, ...] = ("earth", "mars")
    objective: Literal["c3", "dv_total", "vinf_arrive", "dsm", "dsm+vinf", "dsm+capture"] = "c3"
    max_revs: int = Field(default=0, ge=0, le=3)
    grid_points: int = Field(default=200, ge=10, le=600)
    seed: int = Field(default=1, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def _objective_of_model(self) -> TransferSpec:
        allowed = BALLISTIC_OBJECTIVES if self.model == "ballistic" else TRAJECTORY_OBJECTIVES
        if self.objective not in allowed:
            raise _FieldError("objective", f"{self.objective!r} is not an objective of model "
                              f"{self.model!r}: use one of {', '.join(allowed)}")
        seq = tuple(s.lower() for s in self.sequence)
        if len(seq) < 2 or seq[0] != "earth" or seq[-1] != "mars":
            raise _FieldError("sequence", f"{list(self.sequence)} must run from earth to mars "
                              "(e.g. [\"earth\", \"venus\", \"mars\"])")
        if self.model == "ballistic" and len(seq) != 2:
            raise _FieldError("sequence", "a ballistic transfer is one arc, earth to mars: "
                              "use model = \"dsm\" or \"mga\" for flybys")
        object.__setattr__(self, "sequence", seq)
        return self


class CaptureSpec(_Spec):
    """``[capture]``: the Mars capture orbit (pericentre and period or apocentre) and the
    final circular orbit of the insertion budget."""

    periapsis_alt_km: float = Field(default=250.0, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)
    period_h: float | None = Field(default=None, gt=0.0, le=1000.0)
    apoapsis_alt_km: float | None = Field(default=None, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)
    final_alt_km: float = Field(default=400.0, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)

    @model_validator(mode="after")
    def _one_size(self) -> CaptureSpec:
        if self.period_h is not None and self.apoapsis_alt_km is not None:
            raise ValueError("give period_h or apoapsis_alt_km, not both")
        if self.apoapsis_alt_km is not None and self.apoapsis_alt_km < self.periapsis_alt_km:
            raise _FieldError("apoapsis_alt_km", f"{self.apoapsis_alt_km:g} is below "
                              f"periapsis_alt_km {self.periapsis_alt_km:g}: swap them")
        if self.period_h is None and self.apoapsis_alt_km is None:
            object.__setattr__(self, "period_h", 96.0)  # TGO's 4-day capture orbit
        if self.period_h is not None:
            from areo.transfer.maneuvers import CaptureOrbit

            try:  # the period must at least be that of the circular orbit at the pericentre
                CaptureOrbit.from_period(self.periapsis_alt_km, self.period_h * 3600.0)
            except AreoInputError as exc:
                raise _FieldError("period_h", f"{self.period_h:g} h: {exc}") from None
        return self


_ELEMENT_FIELDS = ("peri_alt_km", "apo_alt_km", "inc_deg")


class OrbiterSpec(_Spec):
    """``[[orbiters]]``: a relay orbiter, from one of four sources:

    - ``name`` alone: a catalog orbit (``tgo``, ``mex``, ``mro``, ``maven``, ``odyssey``);
    - ``peri_alt_km``, ``apo_alt_km``, ``inc_deg`` (+ optional ``raan_deg``, ``argp_deg``,
      ``mean_anomaly_deg``, ``epoch_utc``): classical elements, J2 mean propagation;
    - ``oem``: a CCSDS OEM file about Mars;
    - ``spk`` with ``naif_id``: a SPICE SPK kernel (needs spiceypy).

    ``radio``: its UHF relay radio (catalog orbiters default to theirs; others 'electra').
    """

    name: Name = Field(min_length=1)
    radio: Name | None = None
    peri_alt_km: float | None = Field(default=None, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)
    apo_alt_km: float | None = Field(default=None, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)
    inc_deg: float | None = Field(default=None, ge=0.0, le=180.0)
    raan_deg: float = Field(default=0.0, ge=-360.0, le=360.0)
    argp_deg: float = Field(default=0.0, ge=-360.0, le=360.0)
    mean_anomaly_deg: float = Field(default=0.0, ge=-360.0, le=360.0)
    epoch_utc: UtcTime | None = None
    oem: PathText | None = None
    spk: PathText | None = None
    naif_id: int | None = Field(default=None, ge=-(2**31), le=2**31 - 1, strict=True)

    @property
    def source(self) -> str:
        if self.oem is not None:
            return "oem"
        if self.spk is not None:
            return "spk"
        if self.peri_alt_km is not None:
            return "elements"
        return "catalog"

    @field_validator("epoch_utc")
    @classmethod
    def _epoch(cls, v: str | None) -> str | None:
        return None if v is None else _check_time(v)

    @field_validator("radio")
    @classmethod
    def _radio(cls, v: str | None) -> str | None:
        return _check_radio(v)

    @model_validator(mode="after")
    def _one_source(self) -> OrbiterSpec:
        given = [f for f in _ELEMENT_FIELDS if getattr(self, f) is not None]
        kinds = [k for k, on in (("elements", bool(given)), ("oem", self.oem is not None),
                                 ("spk", self.spk is not None)) if on]
        if len(kinds) > 1:
            raise ValueError(f"give one source for the orbit, not {' and '.join(kinds)}")
        if given and len(given) != len(_ELEMENT_FIELDS):
            missing = [f for f in _ELEMENT_FIELDS if getattr(self, f) is None]
            raise ValueError(f"elements need {', '.join(_ELEMENT_FIELDS)}: add "
                             f"{', '.join(missing)}")
        if given and self.apo_alt_km < self.peri_alt_km:  # type: ignore[operator]
            raise ValueError(f"apo_alt_km {self.apo_alt_km} is below peri_alt_km "
                             f"{self.peri_alt_km}: swap them")
        if self.spk is not None and self.naif_id is None:
            raise ValueError("an spk orbiter needs naif_id (e.g. -143 for TGO, -41 for MEX)")
        if not kinds:
            from areo.catalog.orbits import orbit_entries, orbit_entry

            try:
                entry = orbit_entry(self.name)
            except AreoInputError:
                known = _known([o.key for o in orbit_entries()])
                raise _FieldError(
                    "name",
                    f"unknown orbiter {self.name!r} (known: {known}); or give its elements "
                    "(peri_alt_km, apo_alt_km, inc_deg), an oem file or an spk kernel",
                ) from None
            object.__setattr__(self, "name", entry.key)
        return self


class LandingSpec(_Spec):
    """``[landing]``: where and when the lander touches down.

    ``site``: a catalog site (``oxia_planum``, ``jezero``, ...), or ``lat_deg`` and
    ``lon_east_deg`` (planetocentric) with ``name``. ``utc``: the landing time; left out, the
    lander enters directly from the arrival hyperbola and lands at the transfer's arrival.
    ``radio``: the lander's UHF radio (default: the rover's, else 'electra-lite').
    ``lmst_hours = [from, to]``: the local mean solar time window the landing must fall in
    (a constraint of ``transfer.model = "dsm"``/``"mga"``; may wrap through midnight).
    """

    site: Name | None = None
    name: Name | None = None
    lat_deg: float | None = Field(default=None, ge=-90.0, le=90.0)
    lon_east_deg: float | None = Field(default=None, ge=-360.0, le=360.0)
    utc: UtcTime | None = None
    radio: Name | None = None
    lmst_hours: tuple[float, float] | None = None

    @field_validator("utc")
    @classmethod
    def _utc(cls, v: str | None) -> str | None:
        return None if v is None else _check_time(v)

    @field_validator("lmst_hours")
    @classmethod
    def _lmst(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        return _window(v, 0.0, 24.0, "h", wraps=True)

    @field_validator("lon_east_deg")
    @classmethod
    def _lon(cls, v: float | None) -> float | None:
        if v is not None and not math.isfinite(v):
            raise ValueError("must be a finite east longitude in degrees")
        return v

    @field_validator("radio")
    @classmethod
    def _radio(cls, v: str | None) -> str | None:
        return _check_radio(v)

    @model_validator(mode="after")
    def _where(self) -> LandingSpec:
        inline = self.lat_deg is not None or self.lon_east_deg is not None
        if self.site is not None and inline:
            raise ValueError("give site (a catalog name) or lat_deg/lon_east_deg, not both")
        if inline:
            if self.lat_deg is None or self.lon_east_deg is None:
                raise ValueError("give both lat_deg and lon_east_deg")
            if not self.name:
                raise ValueError("a site given by coordinates needs a name")
            return self
        if self.site is None:
            raise ValueError("give site (a catalog name such as 'oxia_planum') or "
                             "lat_deg, lon_east_deg and name")
        from areo import catalog

        try:
            s = catalog.site(self.site)
        except AreoInputError:
            raise _FieldError("site", f"unknown site {self.site!r} (known: "
                              f"{_known([s.key for s in catalog.sites()])}), or give "
                              "lat_deg, lon_east_deg and name") from None
        if s.body != "mars":
            raise _FieldError("site", f"{self.site!r} is a site on {s.body.capitalize()}, "
                              "not Mars: give a Mars landing site (e.g. 'oxia_planum')")
        object.__setattr__(self, "site", s.key)
        return self

    @property
    def key(self) -> str:
        return self.site if self.site is not None else _slug(self.name or "site")


class RoverSpec(_Spec):
    """``[rover]`` (optional; without it no rover campaign is planned): ``model`` is a rover
    catalog key or alias (``rosalind_franklin``) or the path of a rover TOML file; ``key``
    picks one rover of a file that holds several. ``experiment_cycles`` (0-6) and
    ``vertical_surveys`` (0-2): how much of the Reference Surface Mission to plan (Vago et
    al. 2017: 6 and 2); the campaign must fit in ``operations.sols``."""

    model: PathText = "rosalind_franklin"
    key: Name | None = None
    experiment_cycles: int = Field(default=6, ge=0, le=6)
    vertical_surveys: int = Field(default=2, ge=0, le=2)

    @field_validator("model")
    @classmethod
    def _model(cls, v: str) -> str:
        if v.lower().endswith(".toml"):
            return v
        if "/" in v or "\\" in v:
            raise ValueError(f"{v!r} looks like a path: a rover file must end in .toml (or "
                             "give a rover catalog key such as 'rosalind_franklin')")
        from areo.surface.rover import rovers

        def norm(text: str) -> str:
            return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())

        known = {norm(k) for r in rovers() for k in (r.key, *r.aliases)}
        if norm(v) not in known:
            raise ValueError(f"unknown rover {v!r} (known: {_known([r.key for r in rovers()])})"
                             ", or give the path of a rover file ending in .toml")
        return v


class StationsSpec(_Spec):
    """``[stations]``: Earth ground stations for the second hop (catalog names); Mars must
    stand 10 deg above a station's horizon (areo.relay.earth)."""

    names: tuple[Name, ...] = ("DSS-14", "DSS-43", "DSS-63", "new norcia", "cebreros",
                               "malargue")

    @field_validator("names")
    @classmethod
    def _names(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        from areo import catalog

        if not v:
            raise ValueError("give at least one ground station")
        if len(v) > 50:
            raise ValueError(f"{len(v)} ground stations: give at most 50")
        out = []
        for name in v:
            try:
                out.append(catalog.station(name).key)
            except AreoInputError:
                raise ValueError(f"unknown station {name!r} (known: "
                                 f"{_known([s.key for s in catalog.stations()])})") from None
        return tuple(out)


class OperationsSpec(_Spec):
    """``[operations]``: the span of surface operations and the relay settings.

    ``sols``: sols of operations after the landing sol (default: the rover's nominal mission,
    else 30). ``min_elev_deg``: relay pass mask at the lander. ``rate_mode``: 'adaptive' or
    'fixed' UHF rate. ``orbiter_storage_mbit``: each orbiter's store for relayed data
    (unlimited if left out). ``ephemeris_sols``: sols of orbiter ephemerides written as OEM.
    """

    sols: int | None = Field(default=None, ge=1, le=2000)
    min_elev_deg: float = Field(default=10.0, ge=0.0, lt=90.0)
    rate_mode: Literal["adaptive", "fixed"] = "adaptive"
    orbiter_storage_mbit: float | None = Field(default=None, gt=0.0, le=1e7)
    ephemeris_sols: float = Field(default=3.0, ge=0.01, le=30.0)
    ephemeris_step_s: float = Field(default=60.0, ge=1.0, le=3600.0)


class CleaningSpec(_Spec):
    sol: float = Field(ge=0.0, le=2000.0)
    restore: float = Field(ge=0.0, le=1.0)


class DustSpec(_Spec):
    """``[dust]``: the atmospheric opacity scenario and the dust on the arrays.

    ``tau``: a named scenario of the campaign planner's ``TAU_SCENARIOS`` (e.g. 'clear',
    'seasonal', 'dusty', 'storm') or a constant optical depth. ``loss_per_sol``: array output
    lost to dust per sol (0.002 = 0.2 %/sol, Lorenz et al. 2021); ``cleanings``: wind
    cleaning events ``{sol, restore}``.
    """

    tau: str | float = "seasonal"
    loss_per_sol: float = Field(default=0.002, ge=0.0, lt=1.0)
    cleanings: tuple[CleaningSpec, ...] = Field(default=(), max_length=2000)

    @field_validator("tau", mode="before")
    @classmethod
    def _tau(cls, v: Any) -> str | float:
        if isinstance(v, int | float) and not isinstance(v, bool):
            if not (math.isfinite(v) and 0.0 <= v <= 15.0):
                raise ValueError(f"optical depth {v} must be a finite number in [0, 15]")
            return float(v)
        if not isinstance(v, str):
            raise ValueError("give a dust scenario name such as 'seasonal' or a constant "
                             "optical depth such as 0.5")
        v = _name(v)
        from areo.surface.campaign import TAU_SCENARIOS

        names = {str(k).lower(): str(k) for k in TAU_SCENARIOS}
        if str(v).lower() not in names:
            raise ValueError(f"unknown dust scenario {v!r} (known: {_known(list(names))}), "
                             "or give a constant optical depth such as 0.5")
        return names[str(v).lower()]


class MarginsSpec(_Spec):
    """``[margins]``: planning margins. ``energy_fraction`` derates the rover's array output
    (0.1 plans with 90 % of the predicted energy); ``link_fraction`` holds back that
    fraction of every relay pass volume; ``min_soc`` overrides the rover's battery floor."""

    energy_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    link_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    min_soc: float | None = Field(default=None, ge=0.0, le=1.0)


class EdlSpec(_Spec):
    """``[edl]``: entry, descent and landing. ``vehicle``: a catalog EDL vehicle
    (``areo/catalog/data/edl_vehicles.toml``: msl, m2020, mer, phoenix, insight,
    schiaparelli, exomars2028); its entry is targeted (B-plane) from the arrival hyperbola to
    land on the site at the planned landing time, and ``runs`` dispersed trajectories
    (seeded by ``seed``) give the landing ellipse, the loads and the hardware's impact
    points."""

    vehicle: Name
    runs: int = Field(default=2001, ge=1, le=100_000)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class ReturnSpec(_Spec):
    """``[return]``: a sample return (issue 15). The Earth Return Orbiter's round trip
    (:func:`areo.transfer.round_trips`): launches ``earliest`` .. ``latest`` every
    ``step_days``, a stay at Mars of ``min_stay_days`` .. ``max_stay_days`` (and at most
    ``max_total_days`` in all), flight times ``outbound_tof_days``/``return_tof_days``
    ([shortest, longest]), ``max_c3_km2s2``, ranked by ``objective``, returning
    ``return_via`` "direct", "venus" (a Venus swing-by) or "either", trips above
    ``max_total_dv_kms`` left out of the list; the capsule's Earth
    entry speed at 125 km under ``max_entry_speed_kms`` and reaching the Earth site
    ``earth_site`` (e.g. ``uttr``). The orbiter waits in a circular orbit at
    ``orbiter_alt_km``, ``orbiter_inc_deg``, node ``orbiter_raan_deg`` (at the ascent; it
    regresses with J2), which it captures into and leaves from. The Mars Ascent Vehicle
    lifts the sample container from ``ascent_site`` (default: the landing site) into a
    circular orbit at ``container_alt_km``, ``container_inc_deg`` (default: the orbiter's)
    in the orbiter's plane; its launch opportunities are tabulated over ``ascent_days``
    from ``ascent_utc`` (default: the landing), and the trip must be at Mars over that
    span. The orbiter's rendezvous starts at the container's first launch opportunity with
    the container ``phase_deg`` ahead (a Hohmann phasing between different altitudes, else
    ``rendezvous_revs`` phasing orbits), plus the plane change between the two planes when
    they meet (their nodes, equal at the ascent, regress at their own J2 rates)."""

    earliest: UtcTime
    latest: UtcTime
    step_days: float = Field(default=1.0, ge=0.25, le=30.0)
    min_stay_days: float = Field(default=30.0, ge=0.0, le=3000.0)
    max_stay_days: float = Field(default=700.0, ge=0.0, le=3000.0)
    max_total_days: float | None = Field(default=None, gt=0.0, le=MAX_TOF_DAYS)
    outbound_tof_days: tuple[float, float] = (120.0, 400.0)
    return_tof_days: tuple[float, float] = (120.0, 400.0)
    max_c3_km2s2: float | None = Field(default=None, gt=0.0, le=200.0)
    parking_alt_km: float = Field(default=200.0, ge=100.0, le=2000.0)
    objective: Literal["total_dv", "mars_dv", "total_days"] = "total_dv"
    return_via: Literal["direct", "venus", "either"] = "direct"
    max_total_dv_kms: float | None = Field(default=None, gt=0.0, le=100.0)
    max_entry_speed_kms: float | None = Field(default=12.0, gt=0.0, le=20.0)
    earth_site: Name | None = "uttr"
    orbiter_alt_km: float = Field(default=343.0, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)
    orbiter_inc_deg: float = Field(default=25.0, ge=0.0, le=180.0)
    orbiter_raan_deg: float = Field(default=0.0, ge=-360.0, le=360.0)
    container_alt_km: float = Field(default=343.0, gt=0.0, le=MARS_MAX_ORBIT_ALT_KM)
    container_inc_deg: float | None = Field(default=None, ge=0.0, le=180.0)
    ascent_site: Name | None = None
    ascent_utc: UtcTime | None = None
    ascent_days: float = Field(default=2.0, gt=0.0, le=60.0)
    phase_deg: float = Field(default=180.0, ge=0.0, lt=360.0)
    rendezvous_revs: int = Field(default=1, ge=1, le=1000)

    @field_validator("earliest", "latest", "ascent_utc")
    @classmethod
    def _time(cls, v: str | None) -> str | None:
        return None if v is None else _check_time(v)

    @field_validator("outbound_tof_days", "return_tof_days")
    @classmethod
    def _tof(cls, v: tuple[float, float]) -> tuple[float, float]:
        return _window(v, 1.0, 2000.0, "days", wraps=False)  # type: ignore[return-value]

    @model_validator(mode="after")
    def _bounds(self) -> ReturnSpec:
        from areo.time import Time

        if self.max_stay_days < self.min_stay_days:
            raise _FieldError("max_stay_days", f"{self.max_stay_days:g} is below "
                              f"min_stay_days {self.min_stay_days:g}: swap them")
        span = (float(Time(self.latest).et) - float(Time(self.earliest).et)) / DAY_S
        if span < 0:
            raise _FieldError("latest", f"{self.latest} is before earliest {self.earliest}: "
                              "swap them")
        from areo import catalog

        for name, body in (("earth_site", "earth"), ("ascent_site", "mars")):
            key = getattr(self, name)
            if key is None:
                continue
            try:
                site = catalog.site(key)
            except AreoInputError as exc:
                raise _FieldError(name, str(exc)) from None
            if site.body != body:
                raise _FieldError(name, f"{key!r} is on {site.body}, not {body}: give a "
                                  f"{body} site ({'uttr' if body == 'earth' else 'jezero'})")
        return self


class Scenario(_Spec):
    """A whole mission scenario (see the module docstring)."""

    # ``[return]`` is the field ``sample_return``: a scenario dumped by name (a sweep's base
    # document) reads back
    model_config = ConfigDict(**_Spec.model_config, validate_by_name=True,
                              validate_by_alias=True)

    mission: MissionSpec
    launch: LaunchSpec = LaunchSpec()
    arrival: ArrivalSpec = ArrivalSpec()
    transfer: TransferSpec = TransferSpec()
    capture: CaptureSpec = CaptureSpec()
    orbiters: tuple[OrbiterSpec, ...] = Field(min_length=1, max_length=20)
    landing: LandingSpec
    rover: RoverSpec | None = None
    edl: EdlSpec | None = None
    #: ``[return]`` (``return`` is a Python keyword: the field is ``sample_return``)
    sample_return: ReturnSpec | None = Field(default=None, alias="return")
    stations: StationsSpec = StationsSpec()
    operations: OperationsSpec = OperationsSpec()
    dust: DustSpec = DustSpec()
    margins: MarginsSpec = MarginsSpec()
    #: Directory that relative paths are relative to (set by :func:`load_scenario`).
    base_dir: str = Field(default=".", exclude=True)
    #: Where the scenario came from, for messages.
    origin: str = Field(default="scenario", exclude=True)

    @field_validator("orbiters")
    @classmethod
    def _unique(cls, v: tuple[OrbiterSpec, ...]) -> tuple[OrbiterSpec, ...]:
        seen: set[str] = set()
        for o in v:
            if o.name in seen:
                raise ValueError(f"orbiter {o.name!r} is listed twice: give each orbiter "
                                 "once (rename one)")
            seen.add(o.name)
        return v

    @model_validator(mode="after")
    def _spans(self) -> Scenario:
        from areo.time import Time

        for sec in ("launch", "arrival"):
            s = getattr(self, sec)
            if s.utc is None and (s.earliest is None or s.latest is None):
                raise _FieldError(f"{sec}", "give earliest and latest (the span searched) "
                                  "or utc (a fixed date)")
            if self.transfer.model != "ballistic" and (s.earliest is None or s.latest is None):
                raise _FieldError(f"{sec}.earliest", f"transfer.model "
                                  f"{self.transfer.model!r} searches a span: give "
                                  f"{sec}.earliest and {sec}.latest (a pinned {sec}.utc is "
                                  "a ballistic replay)")
            if s.earliest is not None and s.latest is not None:
                days = (float(Time(s.latest).et) - float(Time(s.earliest).et)) / DAY_S
                if days < 0:
                    raise _FieldError(f"{sec}.latest", f"{s.latest} is before earliest "
                                      f"{s.earliest}: swap them")
                if days > MAX_SPAN_DAYS:
                    raise _FieldError(f"{sec}.latest", f"the {sec} span {s.earliest} .. "
                                      f"{s.latest} is {days:.0f} days long, more than "
                                      f"{MAX_SPAN_DAYS:.0f}: search one launch window")
        la = self.launch.utc or self.launch.earliest
        ar = self.arrival.utc or self.arrival.latest
        if float(Time(ar).et) <= float(Time(la).et):
            raise _FieldError("arrival", f"the arrival ({ar}) must come after the launch "
                              f"({la})")
        first_ar = self.arrival.utc or self.arrival.earliest
        tof = (float(Time(first_ar).et) - float(Time(self.launch.utc or self.launch.latest
                                                     ).et)) / DAY_S
        if tof > MAX_TOF_DAYS:
            raise _FieldError("arrival", f"the shortest time of flight in these spans is "
                              f"{tof:.0f} days, more than {MAX_TOF_DAYS:.0f}: an Earth-Mars "
                              "transfer takes months, not decades; check the years")
        ops_s = (self.operations.sols or 30) * SOL_NASA_LMST_S + 4 * DAY_S
        landing, where = ((self.landing.utc, "landing.utc") if self.landing.utc is not None
                          else (ar, "arrival.utc" if self.arrival.utc else "arrival.latest"))
        try:
            _check_time(landing, margin_s=ops_s)
        except ValueError as exc:
            raise _FieldError(where, str(exc)) from None
        if self.landing.utc is not None:
            land = float(Time(self.landing.utc).et)
            first = self.arrival.utc or self.arrival.earliest
            last = self.arrival.utc or self.arrival.latest
            if land < float(Time(first).et) - DAY_S:
                raise _FieldError("landing.utc", f"{self.landing.utc} is before the "
                                  f"arrival {first}: land after arriving")
            wait = (land - float(Time(last).et)) / DAY_S
            if wait > MAX_LANDING_WAIT_DAYS:
                raise _FieldError("landing.utc", f"{self.landing.utc} is {wait:.0f} days "
                                  f"after the arrival {last}, more than "
                                  f"{MAX_LANDING_WAIT_DAYS:.0f}: land within a year of "
                                  "arriving (or leave utc out to land at arrival)")
        return self

    # -- derived --------------------------------------------------------------------------
    def path(self, relative: str) -> Path:
        """A path given in the scenario, resolved against the scenario's directory."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else Path(self.base_dir) / p

    def fingerprint(self) -> dict[str, Any]:
        """The scenario's content as JSON-ready data, with the sha256 of every file it
        names (so that cache keys change when a referenced file changes)."""
        data = self.model_dump(mode="json")
        files: dict[str, str] = {}
        for rel in self.referenced_files():
            p = self.path(rel)
            files[rel] = _sha256(p) if p.is_file() else "missing"
        data["_files"] = files
        return data

    def referenced_files(self) -> list[str]:
        out = [o.oem or o.spk for o in self.orbiters if (o.oem or o.spk)]
        if self.rover is not None and _looks_like_file(self.rover.model):
            out.append(self.rover.model)
        return [str(x) for x in out]


class _FieldError(ValueError):
    """A cross-field error raised by a model validator, with the field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _looks_like_file(name: str) -> bool:
    return name.lower().endswith(".toml") or "/" in name or "\\" in name


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ----------------------------------------------------------------------------- errors
_SECTION_FIELDS: dict[str, type[BaseModel]] = {
    "": Scenario, "mission": MissionSpec, "launch": LaunchSpec, "arrival": ArrivalSpec,
    "transfer": TransferSpec, "capture": CaptureSpec, "orbiters": OrbiterSpec,
    "landing": LandingSpec, "rover": RoverSpec, "stations": StationsSpec,
    "operations": OperationsSpec, "dust": DustSpec, "margins": MarginsSpec,
    "cleanings": CleaningSpec, "return": ReturnSpec,
}
_HIDDEN = {"base_dir", "origin"}


def _allowed_fields(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc[:-1] if not isinstance(p, int)]
    model = _SECTION_FIELDS.get(names[-1] if names else "", Scenario)
    return ", ".join(v.alias or f for f, v in model.model_fields.items() if f not in _HIDDEN)


def _describe(err: Mapping[str, Any]) -> str:
    loc = tuple(err.get("loc", ()))
    field = ".".join(str(p) for p in loc)
    kind = str(err.get("type", ""))
    msg = str(err.get("msg", "")).replace("\n", " ")
    ctx = err.get("ctx") or {}
    given = _shown(err.get("input"))
    if kind == "missing":
        return f"field {field!r} is required: add it"
    if kind == "extra_forbidden":
        return f"field {field!r} is not a scenario field here (allowed: {_allowed_fields(loc)})"
    if kind == "literal_error":
        return f"field {field!r}: {given} is not allowed ({msg.replace('Input ', '')})"
    if kind == "value_error":
        cause = ctx.get("error")
        where = getattr(cause, "field", None)
        if where is not None:
            where = ".".join([*(str(p) for p in loc), where])
            return f"field {where!r}: {cause}"
        text = msg.removeprefix("Value error, ")
        return f"field {field!r}: {text}" if field else text
    if kind in ("greater_than", "greater_than_equal") and field.endswith("alt_km"):
        return (f"field {field!r}: {given} km is at or below the surface of Mars (altitudes "
                "are above the equatorial radius, 3396.19 km): give a value > 0")
    if kind == "finite_number":
        return f"field {field!r}: {given} is not a finite number: give a finite value"
    return f"field {field!r}: {msg} (got {given})"


def _shown(value: Any) -> str:
    """A short one-line repr of a value from the file, for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_scenario(data: Mapping[str, Any], *, base_dir: str | Path = ".",
                   origin: str = "scenario") -> Scenario:
    """Validate a scenario given as a mapping (parsed TOML); raises :class:`ScenarioError`."""
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{origin}: a scenario is a TOML table of sections")
    payload = {**data, "base_dir": str(base_dir), "origin": origin}
    try:
        sc = Scenario.model_validate(payload)
    except ValidationError as exc:
        # Misspelt field names first: they often cause the other errors.
        errors = sorted(exc.errors(), key=lambda e: e.get("type") != "extra_forbidden")
        first = _describe(errors[0])
        more = f" (and {len(errors) - 1} more: fix this one first)" if len(errors) > 1 else ""
        raise ScenarioError(f"{origin}: {first}{more}") from None
    _check_files(sc)
    return sc


def _head(path: Path, n: int = 4096) -> bytes:
    """The first ``n`` bytes of a regular file (opened without blocking)."""
    import os

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        return os.read(fd, n)
    finally:
        os.close(fd)


def _check_files(sc: Scenario) -> None:
    """Every file the scenario names exists, is a regular file of sane size and of the right
    kind (an OEM starts with its header, an SPK with the DAF/SPK word), before any work.
    Messages name the field and the path, never the file's content."""
    from areo._files import (
        MAX_OEM_BYTES,
        MAX_TOML_BYTES,
        check_input_file,
        check_spk_file,
    )

    def fail(field: str, exc: Exception) -> ScenarioError:
        return ScenarioError(f"{sc.origin}: field {field!r}: {exc} (paths are relative to "
                             "the scenario file)")

    for k, o in enumerate(sc.orbiters):
        if o.oem is not None:
            field = f"orbiters.{k}.oem"
            try:
                p = check_input_file(sc.path(o.oem), "OEM file", MAX_OEM_BYTES)
                head = _head(p).lstrip()
            except (AreoInputError, OSError) as exc:
                raise fail(field, exc) from None
            if not head.startswith(b"CCSDS_OEM_VERS"):
                raise fail(field, ValueError(f"OEM file {str(p)!r}: line 1 is not a CCSDS OEM "
                                             "header (CCSDS_OEM_VERS = 3.0): is it an OEM "
                                             "file?"))
        elif o.spk is not None:
            try:
                check_spk_file(sc.path(o.spk), "SPK file")
            except AreoInputError as exc:
                raise fail(f"orbiters.{k}.spk", exc) from None
    if sc.rover is not None and _looks_like_file(sc.rover.model):
        try:
            check_input_file(sc.path(sc.rover.model), "rover file", MAX_TOML_BYTES)
        except AreoInputError as exc:
            raise fail("rover.model", exc) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file (see :mod:`areo.mission.scenario`)."""
    from areo.catalog import read_toml

    p = Path(path)
    try:
        doc = read_toml(p, "scenario file")
    except CatalogFileError as exc:
        raise ScenarioError(str(exc)) from None
    return parse_scenario(doc, base_dir=p.resolve().parent, origin=f"scenario {p}")
