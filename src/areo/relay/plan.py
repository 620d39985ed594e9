"""Relay planning: candidate passes with volumes, per-sol totals, and a CP-SAT allocation.

For a set of orbiters and landers over a span, :func:`plan_relay` finds every pass of every
orbiter over every lander (``areo.events.passes``), its volume through the radio pair
(``areo.relay.link``), the orbiter's next Earth contact and the end-to-end latency
(``areo.relay.earth``), and then chooses with OR-Tools CP-SAT how each orbiter's time is
shared when several landers see it at once:

- each candidate pass gets a share 0..100 % of its volume; passes of the same orbiter that
  overlap in time (two landers in view together) share the radio: their shares add up to at
  most 100 %;
- optional minimum volume per lander and sol (hard), lander priorities (weights of the
  objective), maximising the weighted volume returned;
- before solving, every constraint that cannot be met is named (a lander with no pass in a
  sol, a minimum above what its passes can carry): an :class:`InfeasiblePlanError`
  explains it instead of an empty plan.

Sols are each lander's mission sols (NASA convention, sol 0 = landing sol) when the catalog
has its landing time, else the local Mars Sol Date integer (Mars24) at its longitude.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from areo import catalog, validate
from areo.catalog import Site
from areo.constants import DAY_S
from areo.errors import AreoInputError, ParameterError
from areo.events import Windows, passes
from areo.events.finder import span_et
from areo.events.sources import orbiter as make_orbiter
from areo.io.records import dumps, utc_column
from areo.relay.earth import (
    MRO_LIKE_XBAND,
    XBandLink,
    earth_contacts,
    mars_visibility,
    next_contact_latency,
)
from areo.relay.link import RadioPair, _volumes_mbit, pass_volumes
from areo.time import MissionClock, Time, local_mean_solar_time, mars_sol_date

__all__ = ["InfeasiblePlanError", "RelayOptions", "RelayPlan", "plan_relay"]

#: Relay radio of each catalog orbiter (Electra on MRO, MAVEN and TGO; Melacom on MEX).
ORBITER_RADIOS = {"tgo": "electra", "mro": "electra", "maven": "electra", "mex": "melacom"}
#: Default ground stations for the second hop (DSN 70 m and ESTRACK 35 m antennas).
DEFAULT_STATIONS = ("DSS-14", "DSS-43", "DSS-63", "new norcia", "cebreros", "malargue")
#: Link set-up time and profile step of the pass volumes (pass_volumes' defaults), s.
_SETUP_S, _STEP_S = 60.0, 1.0
#: Longest piece of the span searched for passes at once, s (memory flat in the span).
_PASS_CHUNK_S = 60.0 * DAY_S
#: Benchmarks and tests only: True plans through the dense reference computations (each
#: pass's rate profile at every second, erfa's Earth orientation at every epoch) that the
#: default path is checked against.
_DENSE_REFERENCE = False


class InfeasiblePlanError(AreoInputError):
    """Constraints that no allocation of the passes can meet; the message names them."""


def _each(spec: Any, check: Callable[[Any, str], Any], name: str) -> None:
    """Apply ``check`` to one value or to every value of a per-lander/orbiter mapping."""
    if isinstance(spec, Mapping):
        for key, value in spec.items():
            check(value, f"{name}[{key!r}]")
    else:
        check(spec, name)


def _copy(spec: Any) -> Any:
    return dict(spec) if isinstance(spec, Mapping) else spec


@dataclass(frozen=True)
class RelayOptions:
    """The tuning knobs of :func:`plan_relay`, checked once when built.

    ``RelayOptions(min_elev_deg=5.0, storage_mbit=2000.0)``; derive variants with
    ``dataclasses.replace``. Mappings are copied (later changes to the caller's dict do not
    reach the options).
    """

    #: Elevation mask of the passes above each lander's horizon, deg in (-90, 90); 10.
    min_elev_deg: float = 10.0
    #: Data rate: 'adaptive' (ADR, rate follows the link margin) or 'fixed'; 'adaptive'.
    mode: str = "adaptive"
    #: The landers' UHF radio: one name for all or ``{lander: radio}`` (radios:
    #: ``areo.relay.radios()``); 'electra-lite'.
    lander_radio: str | Mapping[str, str] = "electra-lite"
    #: Radios of orbiters outside the catalog, ``{orbiter: radio}``, added to the catalog's
    #: (TGO, MRO, MAVEN: Electra; MEX: Melacom); None.
    orbiter_radios: Mapping[str, str] | None = None
    #: Weights of the landers in the objective, ``{lander: weight > 0}``; None: all 1.
    priorities: Mapping[str, float] | None = None
    #: Least volume per lander and full sol, Mbit >= 0: one value or ``{lander: Mbit}``; 0.
    min_volume_mbit_per_sol: float | Mapping[str, float] = 0.0
    #: Ground stations of the second hop (catalog names); DSN 70 m and ESTRACK 35 m.
    stations: Sequence[str] = DEFAULT_STATIONS
    #: Fraction of each predicted pass volume held back when planning, in [0, 1); 0.
    margin_fraction: float = 0.0
    #: Onboard store of each orbiter for relayed data, Mbit > 0: one value or
    #: ``{orbiter: Mbit}``; it drains through the Earth contacts at the ``xband`` rate.
    #: None: unlimited.
    storage_mbit: float | Mapping[str, float] | None = None
    #: Orbiter-to-Earth X-band rate model of the store's drain; MRO-like (0.5-4 Mb/s).
    xband: XBandLink = MRO_LIKE_XBAND
    #: Passes starting after this LMST hour, in [0, 24), are decisional when their data
    #: reach Earth before the next planning shift; None: no decisional data. Needs
    #: ``planning_shift_utc_hours``.
    decisional_after_lmst_hours: float | None = None
    #: UTC hour of day of the planning shift, in [0, 24); None. Needs
    #: ``decisional_after_lmst_hours``.
    planning_shift_utc_hours: float | None = None
    #: Least decisional volume per full sol, Mbit >= 0; 0.
    min_decisional_mbit: float = 0.0
    #: Wall-clock limit of the CP-SAT allocation, s > 0; 10.
    time_limit_s: float = 10.0

    def __post_init__(self) -> None:
        validate.in_range(self.min_elev_deg, "min_elev_deg", -90.0, 90.0, lo_open=True,
                          hi_open=True, unit="deg", hint="the elevation mask, e.g. 10")
        if self.mode not in ("adaptive", "fixed"):
            raise ParameterError(f"mode {self.mode!r} must be 'adaptive' (ADR) or 'fixed'")
        for name in ("lander_radio", "orbiter_radios", "priorities", "min_volume_mbit_per_sol",
                     "storage_mbit"):
            object.__setattr__(self, name, _copy(getattr(self, name)))
        object.__setattr__(self, "stations", validate.names(
            self.stations, "stations", what="catalog station names",
            example="('DSS-43', 'new norcia')"))
        if self.priorities is not None:
            for key, value in self.priorities.items():
                validate.positive(value, f"priorities[{key!r}]",
                                  hint="lander priorities are positive weights")
        _each(self.min_volume_mbit_per_sol, lambda v, n: validate.non_negative(
            v, n, unit="Mbit", hint="Mbit per lander and full sol"), "min_volume_mbit_per_sol")
        validate.in_range(self.margin_fraction, "margin_fraction", 0.0, 1.0, hi_open=True,
                          hint="the fraction of the predicted volume held back, e.g. 0.2")
        if self.storage_mbit is not None:
            _each(self.storage_mbit, lambda v, n: validate.positive(
                v, n, unit="Mbit", hint="the orbiter's store; None for unlimited"),
                "storage_mbit")
        if not isinstance(self.xband, XBandLink):
            raise ParameterError(f"xband {self.xband!r} must be an XBandLink")
        after, shift = self.decisional_after_lmst_hours, self.planning_shift_utc_hours
        if (after is None) != (shift is None):
            raise ParameterError(
                "decisional data need both decisional_after_lmst_hours (LMST) and "
                "planning_shift_utc_hours (UTC hour of the planning shift)"
            )
        if after is not None:
            validate.in_range(after, "decisional_after_lmst_hours", 0.0, 24.0, hi_open=True,
                              unit="h", hint="an LMST hour, e.g. 12")
            validate.in_range(shift, "planning_shift_utc_hours", 0.0, 24.0, hi_open=True,
                              unit="h", hint="a UTC hour of day, e.g. 16")
        validate.non_negative(self.min_decisional_mbit, "min_decisional_mbit", unit="Mbit")
        validate.positive(self.time_limit_s, "time_limit_s", unit="s", hint="e.g. 10")


@dataclass
class RelayPlan:
    """Candidate passes, the chosen allocation, per-sol totals and Earth contacts."""

    rows: list[dict[str, Any]]
    contacts: dict[str, Windows]
    conjunctions: Windows
    status: str
    objective_mbit: float
    solve_s: float
    daylight: dict[str, Windows] = field(default_factory=dict)

    def schedule(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["share"] > 0]

    def per_sol(self) -> list[dict[str, Any]]:
        out: dict[tuple[str, int], dict[str, Any]] = {}
        for r in self.rows:
            key = (r["lander"], r["sol"])
            d = out.setdefault(key, {"lander": r["lander"], "sol": r["sol"],
                                     "volume_mbit": 0.0, "decisional_mbit": 0.0,
                                     "n_passes": 0, "_lat": []})
            if r["share"] > 0:
                d["volume_mbit"] += r["volume_mbit"] * r["share"]
                if r.get("decisional"):
                    d["decisional_mbit"] += r["volume_mbit"] * r["share"]
                d["n_passes"] += 1
                if np.isfinite(r["latency_s"]):
                    d["_lat"].append(r["latency_s"])
        rows = []
        for key in sorted(out):
            d = out[key]
            lat = d.pop("_lat")
            d["latency_s_median"] = float(np.median(lat)) if lat else None
            rows.append(d)
        return rows

    def to_dict(self) -> dict[str, Any]:
        keys = ("orbiter", "lander", "aos", "los", "max_elev_deg", "volume_mbit", "rate_mode",
                "sol", "lmst_aos_hours", "share", "latency_s", "decisional")
        # clipped_start / clipped_end: the pass was cut by the planning span's start / end
        # (already up at the start, still up at the end).
        flags = ("clipped_start", "clipped_end")

        def row(r: dict[str, Any]) -> dict[str, Any]:
            return {**{k: r[k] for k in keys}, **{k: bool(r.get(k, False)) for k in flags}}

        return {
            "passes": [row(r) for r in self.rows],
            "per_sol": self.per_sol(),
            "schedule": [row(r) for r in self.schedule()],
            "conjunctions": self.conjunctions.to_records(),
            "status": self.status,
            "objective_mbit": self.objective_mbit,
        }

    def to_records(self) -> list[dict[str, Any]]:
        """The passes (``to_dict()["passes"]``): one record per candidate pass."""
        return self.to_dict()["passes"]

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as strict JSON (the ``areo relay --json`` document)."""
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The planned passes on a UTC timeline, a row per orbiter (plotly,
        :func:`areo.io.figures.timeline_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            start="aos_utc",
            end="los_utc",
            row="orbiter",
            hover=("lander", "sol", "relayed_mbit"),
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """One row per candidate pass: ``orbiter``, ``lander``, ``sol``, ``aos_utc``,
        ``los_utc`` (``datetime64[ns, UTC]``), ``duration_s``, ``lmst_aos_hours``,
        ``max_elev_deg``, ``volume_mbit``, ``share``, ``relayed_mbit``, ``latency_s``,
        ``decisional``, ``rate_mode``, ``clipped_start``, ``clipped_end``."""
        import pandas as pd

        rows = self.rows

        def col(key: str, dtype: Any = float) -> np.ndarray:
            return np.array([r.get(key) for r in rows], dtype=dtype)

        aos, los = col("aos_et"), col("los_et")
        return pd.DataFrame({
            "orbiter": col("orbiter", object), "lander": col("lander", object),
            "sol": col("sol", np.int64), "aos_utc": utc_column(aos), "los_utc": utc_column(los),
            "duration_s": los - aos, "lmst_aos_hours": col("lmst_aos_hours"),
            "max_elev_deg": col("max_elev_deg"), "volume_mbit": col("volume_mbit"),
            "share": col("share"), "relayed_mbit": col("volume_mbit") * col("share"),
            "latency_s": col("latency_s"), "decisional": col("decisional", bool),
            "rate_mode": col("rate_mode", object),
            "clipped_start": np.array([bool(r.get("clipped_start")) for r in rows], dtype=bool),
            "clipped_end": np.array([bool(r.get("clipped_end")) for r in rows], dtype=bool),
        })

    def __repr__(self) -> str:
        used = [r for r in self.rows if r["share"] > 0]
        orbiters = ", ".join(dict.fromkeys(str(r["orbiter"]) for r in self.rows))
        landers = ", ".join(dict.fromkeys(str(r["lander"]) for r in self.rows))
        sols = [int(r["sol"]) for r in self.rows]
        span = f"sols {min(sols)}-{max(sols)}" if sols else "no sols"
        mbit = sum(r["volume_mbit"] * r["share"] for r in used)
        return (f"RelayPlan: {len(self.rows)} passes ({len(used)} used) of "
                f"{orbiters or 'no orbiter'} over {landers or 'no lander'}, {span}, "
                f"{self.status}, {mbit:,.0f} Mbit")


def _sol_clock(site: Any) -> tuple[Any, float]:
    """(MissionClock or None, east longitude) of a lander."""
    lon = float(site.lon_east_deg)
    landed = getattr(site, "landing_scet_utc", None)
    if landed:
        return MissionClock.from_landing(landed, lon), lon
    return None, lon


def _sol_of(clock: Any, lon: float, et: np.ndarray) -> np.ndarray:
    if clock is not None:
        return np.atleast_1d(clock.sol(Time.from_et(et)))
    return np.floor(np.atleast_1d(mars_sol_date(Time.from_et(et))) + lon / 360.0).astype(int)


def plan_relay(
    landers: Sequence[str | Site],
    orbiters: Sequence[str] | Mapping[str, Any],
    start: Any,
    stop: Any,
    options: RelayOptions = RelayOptions(),  # frozen: one shared default is safe
    *,
    progress: Callable[[int, int], None] | None = None,
    **overrides: Any,
) -> RelayPlan:
    """Plan the relay of ``landers`` through ``orbiters`` over a span.

    ``landers``: catalog site names or :class:`~areo.catalog.Site` objects (a site with a
    ``landing_scet_utc`` counts its passes in that lander's mission sols, sol 0 = landing
    sol; others in Mars Sol Dates shifted to local time).

    ``orbiters``: catalog names (J2 mean propagation of their representative orbits) or a
    mapping ``{name: trajectory}`` (e.g. from OEM files).

    ``options``: the :class:`RelayOptions` (mask, rate mode, radios, priorities, minimum
    volumes per full sol inside the span, stations, onboard storage, decisional data, solver
    time); ``**overrides`` replaces some of its fields (``plan_relay(..., min_elev_deg=5)``).

    ``storage_mbit``: the orbiter's onboard store for relayed data drains through the Earth
    contacts at the X-band rate of ``xband`` at the Earth-Mars distance, and the relayed
    volume may never overflow it.

    Decisional data: passes starting after ``decisional_after_lmst_hours`` (the afternoon
    of the lander's sol) count as decisional when their data reach Earth (next contact plus
    light time) before the next planning shift at ``planning_shift_utc_hours`` (UTC hour of
    day); each full sol must then return at least ``min_decisional_mbit`` of them.

    ``progress``: called as ``progress(done, total)`` after each part of the work (the pass
    search, each orbiter's Earth contacts, each lander's pass volumes, the allocation).

    Example:
        >>> plan = plan_relay(["jezero"], ["tgo"], "2021-02-19", "2021-02-20")
        >>> plan.status
        'OPTIMAL'
    """
    opt = validate.with_overrides(options, overrides, kind=RelayOptions, where="plan_relay")
    if not landers or not orbiters:
        raise ParameterError("give at least one lander and one orbiter")
    mode, lander_radio, stations = opt.mode, opt.lander_radio, opt.stations
    sites = [catalog.site(x) if isinstance(x, str) else x for x in landers]
    landers = [x if isinstance(x, str) else x.key for x in landers]
    if isinstance(orbiters, Mapping):
        trajs = dict(orbiters)
    else:
        trajs = {name: make_orbiter(name) for name in orbiters}
    radios_by_orbiter = {**ORBITER_RADIOS, **(opt.orbiter_radios or {})}
    for name in trajs:
        if name not in radios_by_orbiter:
            raise ParameterError(
                f"orbiter {name!r} has no relay radio: give orbiter_radios={{'{name}': "
                "'electra'} in Python (radios: areo.relay.radios()); catalog orbiters with "
                f"radios: {', '.join(sorted(ORBITER_RADIOS))}"
            )
    priorities = opt.priorities or {}
    prio = {s.key: float(priorities.get(s.key, priorities.get(n, 1.0)))
            for s, n in zip(sites, landers, strict=True)}
    total = 2 + len(trajs) + len(sites)
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    found = _passes(list(_named(trajs)), sites, start, stop, opt.min_elev_deg)
    advance()
    rows: list[dict[str, Any]] = []
    contacts = {}
    conj = Windows()
    # Data from the last passes still need a contact: look three days past the span.
    contact_stop = Time(stop) + 3 * DAY_S
    visible = mars_visibility(list(stations), Time(start), contact_stop,
                              exact=_DENSE_REFERENCE)
    for o_name, traj in trajs.items():
        c = earth_contacts(traj, list(stations), Time(start), contact_stop, name=o_name,
                           mars_visible=visible)
        contacts[o_name] = c.any_station
        conj = c.conjunctions
        advance()
    for s_obj in sites:
        clock, lon = _sol_clock(s_obj)
        lander_r = lander_radio.get(s_obj.key, "electra-lite") if isinstance(
            lander_radio, Mapping) else lander_radio
        for o_name in trajs:
            group = [p for p in found if p.orbiter == o_name and p.site == s_obj.key]
            if not group:
                continue
            pair = RadioPair(lander_r, radios_by_orbiter[o_name])
            aos = np.array([p.aos.et for p in group])
            los = np.array([p.los.et for p in group])
            if _DENSE_REFERENCE:
                links = pass_volumes(group, {o_name: trajs[o_name]}, pair, mode=mode,
                                     margin_fraction=opt.margin_fraction, site=s_obj)
                planned = np.array([link.planned_mbit for link in links])
            else:
                planned = _volumes_mbit(
                    [(a, b, o_name, s_obj.key) for a, b in zip(aos, los, strict=True)],
                    trajs[o_name], s_obj, pair, mode, _SETUP_S, _STEP_S,
                ) * (1.0 - opt.margin_fraction)
            lat = next_contact_latency(los, contacts[o_name])
            sols = _sol_of(clock, lon, aos)
            lmst = np.atleast_1d(local_mean_solar_time(Time.from_et(aos), lon))
            aos_iso = np.atleast_1d(Time.from_et(aos).iso)
            los_iso = np.atleast_1d(Time.from_et(los).iso)
            for k, p in enumerate(group):
                rows.append({
                    "orbiter": o_name, "lander": s_obj.key, "aos": str(aos_iso[k]),
                    "los": str(los_iso[k]), "aos_et": float(aos[k]), "los_et": float(los[k]),
                    "max_elev_deg": p.max_elev_deg, "volume_mbit": float(planned[k]),
                    "rate_mode": mode, "sol": int(sols[k]), "lmst_aos_hours": float(lmst[k]),
                    "latency_s": float(lat[k]), "share": 0.0, "decisional": False,
                    "clipped_start": p.clipped_start, "clipped_end": p.clipped_end,
                })
        advance()
    rows.sort(key=lambda r: r["aos_et"])
    no_pass = [s.key for s in sites if not any(r["lander"] == s.key for r in rows)]
    if no_pass:
        raise InfeasiblePlanError(
            f"relay plan infeasible: lander {', '.join(no_pass)} has no pass above "
            f"{opt.min_elev_deg:g} deg from {', '.join(trajs)} in the span: widen the span, "
            "lower the mask or add orbiters"
        )
    if opt.decisional_after_lmst_hours is not None:  # with planning_shift_utc_hours
        _mark_decisional(rows, float(opt.decisional_after_lmst_hours),
                         float(opt.planning_shift_utc_hours))  # type: ignore[arg-type]
    _check_feasible(rows, sites, landers, opt.min_volume_mbit_per_sol, start, stop)
    _check_decisional(rows, sites, opt.min_decisional_mbit, start, stop)
    downlink = None
    if opt.storage_mbit is not None:
        downlink = {o: _downlink_mbit(contacts[o], opt.xband) for o in trajs}
    status, objective, seconds = _allocate(
        rows, prio, opt.min_volume_mbit_per_sol, opt.time_limit_s, storage=opt.storage_mbit,
        downlink=downlink, min_decisional=float(opt.min_decisional_mbit),
    )
    advance()
    return RelayPlan(rows, contacts, conj, status, objective, seconds)


def _passes(orbiters: list[Any], sites: list[Any], start: Any, stop: Any,
            mask_deg: float) -> list[Any]:
    """:func:`areo.events.passes` over the span, searched in pieces of ``_PASS_CHUNK_S`` so
    that the search's memory stays that of a piece: a pass cut by a piece's end is joined
    to its continuation in the next piece (AOS of the first part, LOS of the last, the
    higher culmination and the closer range)."""
    t0, t1 = span_et(start, stop)
    n = 1 if _DENSE_REFERENCE else max(1, int(np.ceil((t1 - t0) / _PASS_CHUNK_S)))
    edges = np.linspace(t0, t1, n + 1)
    edges[-1] = t1
    out: list[Any] = []
    cut: dict[tuple[str, str], int] = {}  # (orbiter, site) -> its pass cut at a piece's end
    for a, b in itertools.pairwise(edges):
        found = passes(orbiters, sites, Time.from_et(a), Time.from_et(b),
                       min_elev_deg=mask_deg)
        still: dict[tuple[str, str], int] = {}
        for p in found:
            key = (p.orbiter, p.site)
            k = cut.pop(key, None) if p.clipped_start else None
            if k is None:
                out.append(p)
                k = len(out) - 1
            else:
                first = out[k]
                higher = p if p.max_elev_deg > first.max_elev_deg else first
                closer = p if p.min_range_km < first.min_range_km else first
                out[k] = replace(first, los=p.los, clipped_end=p.clipped_end,
                                 tmax=higher.tmax, max_elev_deg=higher.max_elev_deg,
                                 min_range_km=closer.min_range_km)
            if out[k].clipped_end:
                still[key] = k
        cut = still
    return sorted(out, key=lambda p: float(p.aos.et))


def _mark_decisional(rows, after_lmst: float, shift_utc_hours: float) -> None:
    if not (0.0 <= after_lmst < 24.0 and 0.0 <= shift_utc_hours < 24.0):
        raise ParameterError("decisional LMST and planning-shift UTC hours must be in [0, 24)")
    for r in rows:
        if r["lmst_aos_hours"] < after_lmst or not np.isfinite(r["latency_s"]):
            continue
        los = Time.from_et(r["los_et"])
        midnight = float(Time(str(los.iso)[:10]).et)
        shift = midnight + shift_utc_hours * 3600.0
        if shift <= r["los_et"]:
            shift += DAY_S  # the next planning shift after the pass
        r["decisional"] = r["los_et"] + r["latency_s"] <= shift


def _check_decisional(rows, sites, need: float, start, stop) -> None:
    if need <= 0:
        return
    problems = []
    for site in sites:
        for sol in _full_sols(rows, site.key, site, start, stop):
            cap = sum(r["volume_mbit"] for r in rows if r["lander"] == site.key
                      and r["sol"] == sol and r["decisional"])
            if cap < need:
                problems.append(f"{site.key} sol {sol}: decisional minimum {need:g} Mbit but "
                                f"its afternoon passes in time for the shift carry {cap:.1f}")
    if problems:
        raise InfeasiblePlanError(
            "relay plan infeasible: " + "; ".join(problems[:3])
            + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
            + ": move the planning shift later, lower the minimum or add orbiters"
        )


def _downlink_mbit(contacts: Windows, xband: XBandLink):
    """Function (t_a, t_b) -> Mbit the orbiter can send to Earth between two epochs."""
    from areo.ephem import default_ephemeris

    eph = default_ephemeris()

    def capacity(ta: float, tb: float) -> float:
        part = contacts & Windows(ta, tb) if tb > ta else Windows()
        total = 0.0
        for s0, e0 in zip(part.starts, part.ends, strict=True):
            t = np.linspace(s0, e0, max(2, int((e0 - s0) // 3600.0) + 2))
            d = eph.state("mars", t, center="earth").range_km
            rate = np.atleast_1d(xband.rate_bps(d))
            total += float(np.trapezoid(rate, t)) / 1e6
        return total

    return capacity


def _named(trajs: Mapping[str, Any]):
    """Trajectories carrying their dictionary name (what passes() reports as orbiter)."""
    for name, traj in trajs.items():
        yield _Named(name, traj)


class _Named:
    def __init__(self, name: str, traj: Any):
        self.name, self._traj = name, traj

    def state(self, t: Any) -> np.ndarray:
        return self._traj.state(t)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._traj, attr)


def _min_for(spec: float | Mapping[str, float], key: str, name: str) -> float:
    if isinstance(spec, Mapping):
        return float(spec.get(key, spec.get(name, 0.0)))
    return float(spec)


def _full_sols(rows: list[dict[str, Any]], lander: str, site: Any, start: Any, stop: Any):
    clock, lon = _sol_clock(site)
    t0, t1 = float(Time(start).et), float(Time(stop).et)
    first, last = _sol_of(clock, lon, np.array([t0, t1]))
    return range(int(first) + 1, int(last))  # sols entirely inside the span


def _check_feasible(rows, sites, landers, spec, start, stop) -> None:
    problems = []
    for site, name in zip(sites, landers, strict=True):
        need = _min_for(spec, site.key, name)
        if need <= 0:
            continue
        for sol in _full_sols(rows, site.key, site, start, stop):
            cap = sum(r["volume_mbit"] for r in rows
                      if r["lander"] == site.key and r["sol"] == sol)
            if cap < need:
                problems.append(
                    f"{site.key} sol {sol}: minimum {need:g} Mbit but its passes can carry "
                    f"at most {cap:.1f} Mbit"
                )
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InfeasiblePlanError(
            "relay plan infeasible: " + "; ".join(problems[:3]) + more
            + ": lower the minimum volume per sol, add orbiters, or lower the elevation mask"
        )


def _allocate(rows, prio, spec, time_limit_s, *, storage=None, downlink=None,
              min_decisional: float = 0.0) -> tuple[str, float, float]:
    """CP-SAT: shares 0..100 % per pass; overlapping passes of an orbiter share its radio;
    optional onboard storage (a backlog that drains through Earth contacts) and a minimum
    of decisional data per sol."""
    from ortools.sat.python import cp_model

    if not rows:
        return "EMPTY", 0.0, 0.0
    model = cp_model.CpModel()
    share = [model.NewIntVar(0, 100, f"s{k}") for k in range(len(rows))]
    # Volumes in 10 kbit units keep the objective integral without losing what matters.
    vol = [round(r["volume_mbit"] * 100.0) for r in rows]
    by_orbiter: dict[str, list[int]] = {}
    for k, r in enumerate(rows):
        by_orbiter.setdefault(r["orbiter"], []).append(k)
    for idx in by_orbiter.values():
        idx.sort(key=lambda k: rows[k]["aos_et"])
        for a_pos, a in enumerate(idx):
            for b in idx[a_pos + 1:]:
                if rows[b]["aos_et"] >= rows[a]["los_et"]:
                    break  # sorted by AOS: no later pass overlaps a either
                if rows[b]["lander"] != rows[a]["lander"]:
                    model.Add(share[a] + share[b] <= 100)
    sol_groups: dict[tuple[str, int], list[int]] = {}
    for k, r in enumerate(rows):
        sol_groups.setdefault((r["lander"], r["sol"]), []).append(k)
    for (lander, _sol), idx in sol_groups.items():
        need = _min_for(spec, lander, lander)
        cap = sum(vol[k] for k in idx) / 100.0
        if need > 0 and cap >= need:  # partial sols at the span's ends only count if they can
            model.Add(sum(vol[k] * share[k] for k in idx) >= int(need * 100.0 * 100.0))
    if min_decisional > 0:
        for idx in sol_groups.values():
            dec = [k for k in idx if rows[k].get("decisional")]
            cap = sum(vol[k] for k in dec) / 100.0
            if dec and cap >= min_decisional:
                model.Add(sum(vol[k] * share[k] for k in dec)
                          >= int(min_decisional * 100.0 * 100.0))
    if storage is not None and downlink is not None:
        for orb, idx in by_orbiter.items():
            cap = storage.get(orb) if isinstance(storage, Mapping) else storage
            if cap is None:
                continue
            limit = int(float(cap) * 100.0 * 100.0)
            backlog_prev = None
            t_prev = rows[idx[0]]["aos_et"]
            for k in sorted(idx, key=lambda j: rows[j]["los_et"]):
                # Backlog after pass k: what was left, plus what it relayed, less what the
                # contacts since the last pass could send (never below zero).
                drained = int(downlink[orb](t_prev, rows[k]["los_et"]) * 100.0 * 100.0)
                inflow = vol[k] * share[k]
                level = model.NewIntVar(-limit - drained, limit + 10**12, f"lvl{k}")
                model.Add(level == (backlog_prev if backlog_prev is not None else 0)
                          + inflow - drained)
                backlog = model.NewIntVar(0, limit, f"b{k}")
                model.AddMaxEquality(backlog, [level, 0])
                backlog_prev, t_prev = backlog, rows[k]["los_et"]
    weight = {lander: max(1, round(p * 100)) for lander, p in prio.items()}
    model.Maximize(sum(weight[rows[k]["lander"]] * vol[k] * share[k] for k in range(len(rows))))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_search_workers = 2
    status = solver.Solve(model)
    name = solver.StatusName(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasiblePlanError(
            f"relay plan infeasible ({name}): the minimum volumes per sol conflict where "
            "landers share an orbiter's passes; lower the minimums or add orbiters"
        )
    total = 0.0
    for k, r in enumerate(rows):
        r["share"] = solver.Value(share[k]) / 100.0
        total += r["volume_mbit"] * r["share"]
    return name, total, float(solver.WallTime())
