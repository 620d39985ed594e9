"""One flight with its time history, fault injection, and replays of real descents.

- :func:`fly_nominal`: the nominal flight of an entry state (guided vehicles with their
  guidance), as a :class:`Flight` (history, events, landing, hardware).
- :class:`Fault`: a fault injected into the sequence: a sensor fault (from a condition on,
  the navigation believes another altitude: every altitude trigger after it sees the
  wrong one) or a changed trigger of an event.
- :func:`replay`: ``replay("schiaparelli")`` flies the 2016 ExoMars Schiaparelli descent as
  the ESA inquiry describes it (ESA, 2017, "ExoMars 2016 - Schiaparelli Anomaly Inquiry",
  DG-I/2017/546/TTN, 18 May 2017; summarised in ESA's press release of 24 May 2017): the
  parachute opened normally at ~12 km and 1730 km/h; the heat shield was released at
  7.8 km; the inertial measurement unit saturated for ~1 s at parachute inflation, the
  navigation then estimated a negative altitude and, at ~3.7 km, released the parachute
  and backshell, fired the thrusters for ~3 s and switched to on-ground mode: a free fall.
  The replay keeps the nominal vehicle and injects two faults: from 3.7 km the sensed
  altitude is below ground; the thrusters' cut-off ('on ground') comes after 3 s.

>>> from areo.edl.replay import replay
>>> r = replay("schiaparelli")
>>> r.impact_speed_ms > 100
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from areo.edl import _kernels as K
from areo.edl.atmosphere import Atmosphere
from areo.edl.dynamics import FlightOptions
from areo.edl.ellipse import bearing_distance
from areo.edl.entry import EntryState, entry_from_site
from areo.edl.montecarlo import STATUS_NAMES, MonteCarloPlan, plan_monte_carlo
from areo.edl.vehicles import Event
from areo.errors import ParameterError, UnknownEntryError
from areo.time import Time

__all__ = ["REPLAYS", "Fault", "Flight", "Replay", "fly_nominal", "replay"]


@dataclass(frozen=True)
class Fault:
    """A fault injected into a descent sequence.

    - ``kind="sensed_altitude"``: when ``trigger`` reaches ``value`` (e.g. ``alt_below``,
      3.7 km, true altitude), the navigation's altitude becomes ``sensed_alt_km`` and stays
      offset by the same amount; placed after event ``after`` (default: first).
    - ``kind="trigger"``: event ``event`` fires on ``trigger`` / ``value`` instead.
    """

    kind: str
    trigger: str = "alt_below"
    value: float = 0.0
    sensed_alt_km: float = 0.0
    after: str | None = None
    event: str | None = None
    name: str = "fault"

    def apply(self, events: tuple[Event, ...]) -> tuple[Event, ...]:
        names = [e.name for e in events]
        if self.kind == "sensed_altitude":
            k = 0
            if self.after is not None:
                if self.after not in names:
                    raise ParameterError(f"fault after {self.after!r}: no such event; use "
                                         f"one of {', '.join(names)}")
                k = names.index(self.after) + 1
            ev = Event(self.name, "sensor", self.trigger, self.value,
                       sensed_alt_km=self.sensed_alt_km, source="injected fault")
            return (*events[:k], ev, *events[k:])
        if self.kind == "trigger":
            if self.event not in names:
                raise ParameterError(f"fault on event {self.event!r}: no such event; use one "
                                     f"of {', '.join(names)}")
            j = names.index(self.event)
            return (*events[:j], replace(events[j], trigger=self.trigger, value=self.value),
                    *events[j + 1:])
        raise ParameterError(f"fault kind {self.kind!r} is unknown: use 'sensed_altitude' or "
                             "'trigger'")


@dataclass
class Flight:
    """One flight: time history, events, landing and the separated hardware."""

    entry: EntryState
    events_table: tuple[Event, ...]
    history: np.ndarray  # (npts, NH)
    land: np.ndarray  # (NL,)
    peak: np.ndarray  # (NP,)
    events_raw: np.ndarray  # (nev, NEV_OUT)
    bodies_raw: np.ndarray  # (NBMAX, NB_OUT)
    body_names: list[str]
    label: str = "nominal"

    @property
    def status(self) -> str:
        return STATUS_NAMES[int(self.land[K.L_STATUS])]

    @property
    def impact_speed_ms(self) -> float:
        return float(self.land[K.L_SPEED])

    @property
    def impact_et(self) -> float:
        return float(self.entry.epoch.et) + float(self.land[K.L_T])

    @property
    def impact_lat_deg(self) -> float:
        return math.degrees(float(self.land[K.L_LAT]))

    @property
    def impact_lon_east_deg(self) -> float:
        return math.degrees(float(self.land[K.L_LON])) % 360.0

    def events(self) -> list[dict[str, Any]]:
        """The events that happened: name, time, altitude above ground, speed, Mach, q."""
        out = []
        et0 = float(self.entry.epoch.et)
        for e, r in zip(self.events_table, self.events_raw, strict=True):
            if not np.isfinite(r[K.EV_T]):
                continue
            out.append({"name": e.name, "utc": str(Time.from_et(et0 + r[K.EV_T]).utc_iso(3)),
                        "t_s": float(r[K.EV_T]), "altitude_m": float(r[K.EV_ALT] * 1000.0),
                        "speed_ms": float(r[K.EV_SPEED]), "mach": float(r[K.EV_MACH]),
                        "q_pa": float(r[K.EV_Q])})
        return out

    def hardware(self) -> list[dict[str, Any]]:
        out = []
        for k, name in enumerate(self.body_names):
            b = self.bodies_raw[k]
            if not np.isfinite(b[K.B_T]):
                continue
            d, brg = bearing_distance(math.degrees(b[K.B_LAT]), math.degrees(b[K.B_LON]),
                                      self.impact_lat_deg, self.impact_lon_east_deg)
            out.append({"name": name, "distance_m": float(d), "bearing_deg": float(brg),
                        "lat_deg": math.degrees(b[K.B_LAT]),
                        "lon_east_deg": math.degrees(b[K.B_LON]) % 360.0,
                        "impact_speed_ms": float(b[K.B_SPEED]),
                        "impact_utc": str(Time.from_et(float(self.entry.epoch.et) + b[K.B_T])
                                          .utc_iso(3))})
        return out

    def summary(self) -> dict[str, Any]:
        """The replay's per-flight keys: impact speed, time, point, events."""
        return {"impact_speed_ms": self.impact_speed_ms,
                "impact_utc": str(Time.from_et(self.impact_et).utc_iso(3)),
                "impact_lat_deg": self.impact_lat_deg,
                "impact_lon_east_deg": self.impact_lon_east_deg,
                "status": self.status,
                "events": [{k: e[k] for k in ("name", "utc", "altitude_m", "speed_ms")}
                           for e in self.events()],
                "hardware": self.hardware(),
                "peak_g": float(self.peak[K.P_G]),
                "peak_heat_w_cm2": float(self.peak[K.P_HEAT] / 1e4)}

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "vehicle": self.entry.vehicle.key,
                "entry": self.entry.to_dict(), **self.summary()}

    def to_json(self, **kw: Any) -> str:
        from areo.io.records import dumps

        return dumps(self.to_dict(), **kw)

    def to_frame(self) -> Any:
        """The time history: ``utc``, ``t_s``, ``altitude_m`` (above ground), ``speed_ms``,
        ``mach``, ``q_pa``, ``load_g``, ``lat_deg``, ``lon_east_deg``, ``phase``."""
        import pandas as pd

        from areo.io.records import utc_column

        h = self.history
        names = {0.0: "entry", 1.0: "parachute", 2.0: "powered", 3.0: "free fall"}
        return pd.DataFrame({
            "utc": utc_column(float(self.entry.epoch.et) + h[:, K.H_T]),
            "t_s": h[:, K.H_T], "altitude_m": h[:, K.H_ALT] * 1000.0,
            "speed_ms": h[:, K.H_SPEED], "mach": h[:, K.H_MACH], "q_pa": h[:, K.H_Q],
            "load_g": h[:, K.H_G], "lat_deg": np.degrees(h[:, K.H_LAT]),
            "lon_east_deg": np.degrees(h[:, K.H_LON]) % 360.0,
            "phase": [names.get(float(p), "?") for p in h[:, K.H_PHASE]]})

    def plot(self, path: Any = None, *, compare: Flight | None = None) -> Any:
        """Altitude against speed with the events (plotly); ``compare`` adds a flight."""
        from areo.edl.plots import flight_figure
        from areo.io.figures import show_or_save

        def evs(f: Flight) -> list[tuple[str, float, float]]:
            return [(e["name"], e["altitude_m"] / 1000.0, e["speed_ms"]) for e in f.events()]

        extra = [(compare.label, compare.history, evs(compare))] if compare else None
        fig = flight_figure(self.history, evs(self), repr(self), extra)
        fig.data[0].name = self.label
        return show_or_save(fig, path)

    def __repr__(self) -> str:
        return (f"Flight: {self.label} {self.entry.vehicle.key} to {self.entry.target.name}, "
                f"{self.status} at {self.impact_speed_ms:.1f} m/s after "
                f"{self.land[K.L_T]:.0f} s, {len(self.events())} events")


def _plan_with(plan: MonteCarloPlan, events: tuple[Event, ...]) -> MonteCarloPlan:
    from areo.edl.dynamics import event_table

    v = replace(plan.vehicle, events=events)
    ev, thr0, bodies = event_table(v)
    return replace(plan, vehicle=v, ev=ev, thr0=thr0, body_names=bodies)


def fly_nominal(entry: EntryState | MonteCarloPlan, *, faults: Any = (),
                atmosphere: str | Atmosphere | None = None,
                options: FlightOptions | None = None, label: str = "nominal") -> Flight:
    """The nominal flight of ``entry`` (or of a prepared plan), with ``faults`` injected."""
    plan = entry if isinstance(entry, MonteCarloPlan) else plan_monte_carlo(
        entry, runs=1, atmosphere=atmosphere, options=options)
    events = plan.vehicle.events
    for f in faults:
        events = f.apply(events)
    if faults:
        plan = _plan_with(plan, events)
    r = replace(plan, runs=1).chunk(0, 0, history=1)
    h = r["hist"][0]
    h = h[np.isfinite(h[:, K.H_T])]
    return Flight(plan.entry, events, h, r["land"][0], r["peak"][0], r["events"][0],
                  r["bodies"][0], plan.body_names, label)


@dataclass
class Replay:
    """A faulty flight against the nominal plan."""

    name: str
    flight: Flight
    nominal: Flight
    faults: tuple[Fault, ...]
    reference: dict[str, Any]

    @property
    def impact_speed_ms(self) -> float:
        return self.flight.impact_speed_ms

    @property
    def miss_m(self) -> float:
        """Distance of the impact from the nominal touchdown, m."""
        d, _ = bearing_distance(self.flight.impact_lat_deg, self.flight.impact_lon_east_deg,
                                self.nominal.impact_lat_deg, self.nominal.impact_lon_east_deg)
        return float(d)

    def to_dict(self) -> dict[str, Any]:
        """``areo edl --replay`` keys: ``impact_speed_ms``, ``impact_utc``,
        ``impact_lat_deg``, ``impact_lon_east_deg``, ``events`` [{``name``, ``utc``,
        ``altitude_m``, ``speed_ms``}] and ``nominal`` (the same for the planned
        sequence), plus the miss from the nominal touchdown and the published figures."""
        return {"replay": self.name, "vehicle": self.flight.entry.vehicle.key,
                **self.flight.summary(), "nominal": self.nominal.summary(),
                "miss_from_nominal_m": self.miss_m,
                "entry": self.flight.entry.to_dict(), "reference": self.reference}

    def to_json(self, **kw: Any) -> str:
        from areo.io.records import dumps

        return dumps(self.to_dict(), **kw)

    def to_frame(self) -> Any:
        """Both time histories, a ``flight`` column naming them."""
        import pandas as pd

        a, b = self.flight.to_frame(), self.nominal.to_frame()
        a.insert(0, "flight", self.flight.label)
        b.insert(0, "flight", self.nominal.label)
        return pd.concat([a, b], ignore_index=True)

    def plot(self, path: Any = None) -> Any:
        return self.flight.plot(path, compare=self.nominal)

    def __repr__(self) -> str:
        return (f"Replay: {self.name}, impact at {self.impact_speed_ms:.0f} m/s "
                f"{self.miss_m / 1000.0:.2f} km from the nominal touchdown "
                f"({self.nominal.impact_speed_ms:.1f} m/s planned)")


#: Replays with their entry time and the published figures they are compared with.
REPLAYS: dict[str, dict[str, Any]] = {
    "schiaparelli": {
        "vehicle": "schiaparelli",
        "entry_utc": "2016-10-19T14:42:22Z",
        "faults": (
            Fault("sensed_altitude", trigger="alt_below", value=3.7, sensed_alt_km=-0.1,
                  after="heat shield", name="IMU saturation: altitude estimate below ground"),
            Fault("trigger", event="thrusters off", trigger="time_after", value=3.0,
                  name="on-ground mode after ~3 s of thrust"),
        ),
        "reference": {
            "source": "ESA 2017, ExoMars 2016 Schiaparelli Anomaly Inquiry (DG-I/2017/546/TTN)"
                      "; ESA press releases of 2016-11-23 and 2017-05-24",
            "parachute_altitude_m": 12000.0, "parachute_speed_ms": 1730.0 / 3.6,
            "heat_shield_altitude_m": 7800.0, "backshell_release_altitude_m": 3700.0,
            "thrust_s": 3.0, "entry_utc": "2016-10-19T14:42 (ESA)",
            "impact_site_lat_deg": -2.052, "impact_site_lon_east_deg": 353.792,
        },
    },
}


def replay(name: str, *, atmosphere: str | Atmosphere | None = None,
           options: FlightOptions | None = None) -> Replay:
    """Replay a documented descent (``'schiaparelli'``) against its nominal plan."""
    key = str(name).strip().lower()
    if key not in REPLAYS:
        raise UnknownEntryError(f"replay {name!r} is unknown: use one of "
                                f"{', '.join(sorted(REPLAYS))}")
    spec = REPLAYS[key]
    entry = entry_from_site(spec["vehicle"], None, spec["entry_utc"], atmosphere=atmosphere,
                            options=options)
    plan = plan_monte_carlo(entry, runs=1, atmosphere=atmosphere, options=options)
    nominal = fly_nominal(plan, label="nominal")
    faulty = fly_nominal(plan, faults=spec["faults"], label=key)
    return Replay(key, faulty, nominal, tuple(spec["faults"]), dict(spec["reference"]))
