"""What each mission step returns: typed results that the products and the report read.

Each is a dataclass of plain values, numpy arrays, pandas frames and areo domain objects
(:class:`~areo.relay.plan.RelayPlan`, :class:`~areo.events.Windows`), so that the step
cache (:mod:`areo.mission.codec`) stores it without pickle and gives it back exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["CampaignResult", "EdlResult", "OrbiterResult", "RelayResult", "ReturnResult",
           "TrajectoryResult", "TransferResult"]


@dataclass
class TransferResult:
    """The ``transfer`` step: the porkchop grid searched, the transfer chosen in it, its
    capture budget and its arc in the ecliptic.

    ``porkchop``: ``launch_et``/``arrive_et`` axes (TDB s), ``c3_km2s2``,
    ``vinf_arrive_kms``, ``dv_total_kms``, ``tof_days`` (float32 grids), ``transfer_type``,
    ``shape``, ``seconds``, ``max_revs``, ``objective``, ``grid_min``. ``chosen``: the
    transfer's figures (:meth:`areo.transfer.Transfer.to_dict` with UTC ``launch``,
    ``arrive`` and ``pinned``). ``insertion``/``capture``: the insertion budget and the
    capture orbit. ``arc``: transfer and planet positions in ECLIPJ2000, AU.
    """

    porkchop: dict[str, Any]
    chosen: dict[str, Any]
    insertion: dict[str, Any]
    capture: dict[str, Any]
    arc: dict[str, Any]

    def __repr__(self) -> str:
        c = self.chosen
        return (f"TransferResult: launch {c['launch'][:10]}, arrival {c['arrive'][:10]}, "
                f"C3 {c['c3_km2s2']:.2f} km2/s2, v-inf {c['vinf_arrive_kms']:.2f} km/s")


@dataclass
class TrajectoryResult:
    """The ``trajectory`` step (``transfer.model`` ``"dsm"`` or ``"mga"``), as data.

    ``record``: the flown trajectory (:meth:`areo.transfer.Trajectory.to_dict`'s keys plus
    ``model``, ``sequence``, ``objective``, ``objective_value``, ``flybys``, ``at_edge``,
    ``notes``, ``launch_et``, ``arrive_et``, ``runtime_s``, ``evaluations``);
    ``period``: the launch period (:meth:`areo.transfer.LaunchPeriodTable.to_dict`) or
    None; ``figures``: the trajectory's and the period's plotly figures as JSON
    (``"trajectory"``, ``"period"``); ``insertion``/``capture``: the capture budget of the
    arrival v-infinity, as in :class:`TransferResult`."""

    record: dict[str, Any]
    period: dict[str, Any] | None
    figures: dict[str, Any]
    insertion: dict[str, Any]
    capture: dict[str, Any]

    def __repr__(self) -> str:
        r = self.record
        return (f"TrajectoryResult: {r['model']} {'-'.join(r['sequence'])}, launch "
                f"{r['launch']['utc'][:10]}, arrival {r['arrival']['utc'][:10]}, "
                f"{r['total_dv_kms']:.3f} km/s after launch")


@dataclass
class EdlResult:
    """The ``edl`` step, as data: ``record`` (:meth:`areo.edl.MonteCarlo.to_dict`: the
    ``areo edl --json`` keys with the entry state, event statistics and failures, plus
    ``nominal_events``: the undispersed flight's events); ``runs``: one row per dispersed trajectory
    (:meth:`areo.edl.MonteCarlo.to_frame`); ``figures``: the landing-ellipse map and the
    nominal flight as plotly JSON (``"ellipse"``, ``"flight"``)."""

    record: dict[str, Any]
    runs: Any  # pandas.DataFrame
    figures: dict[str, Any]

    def __repr__(self) -> str:
        e = self.record["ellipse"]
        return (f"EdlResult: {self.record['runs']} runs of {self.record['vehicle']}, 99% "
                f"ellipse {e['major_km']:.1f} x {e['minor_km']:.1f} km")


@dataclass
class ReturnResult:
    """The ``return`` step (a scenario with ``[return]``), as data: ``record`` (the
    summary's ``return`` section: the round trip chosen and the search, the ascent
    opportunities, the rendezvous phasing, the Earth entry); ``trips``: the round trips
    found (:meth:`areo.transfer.RoundTrips.to_frame`); ``opportunities``: the ascent
    launch opportunities (:meth:`areo.orbits.ascent.LaunchOpportunities.to_frame`);
    ``figures``: plotly JSON (``"trips"``, ``"ascent"``, ``"entry"``); ``alignment``: the
    Mars departure delta-v per departure day around the chosen one from the drifting orbit
    and an aligned one (:meth:`areo.transfer.ReturnWindow.alignment_by_day`)."""

    record: dict[str, Any]
    trips: Any  # pandas.DataFrame
    opportunities: Any  # pandas.DataFrame
    figures: dict[str, Any]
    alignment: Any = None  # pandas.DataFrame

    def __repr__(self) -> str:
        t = self.record["round_trip"]
        return (f"ReturnResult: launch {t['outbound']['launch_utc'][:10]}, back "
                f"{t['return']['arrive_utc'][:10]}, {t['total_dv_kms']:.3f} km/s, "
                f"{len(self.opportunities)} ascent opportunities")


@dataclass
class OrbiterResult:
    """One orbiter of the ``orbiters`` step: its orbit, its OEM-ready states over the
    first ``operations.ephemeris_sols`` and its ground track over mission sol 1."""

    name: str
    display_name: str
    source: str
    phasing: str
    catalog_source: str
    period_s: float
    peri_alt_km: float
    apo_alt_km: float
    inc_deg: float
    oem_et: np.ndarray
    oem_states: np.ndarray
    gt_et: np.ndarray
    gt_lat_deg: np.ndarray
    gt_lon_east_deg: np.ndarray
    gt_alt_km: np.ndarray

    def __repr__(self) -> str:
        return (f"OrbiterResult: {self.name}, {self.peri_alt_km:.0f} x {self.apo_alt_km:.0f} "
                f"km, {self.inc_deg:.1f} deg, T = {self.period_s / 3600:.2f} h ({self.source})")


@dataclass
class RelayResult:
    """The ``relay`` step: the relay plan over the operations span (its pass rows carry the
    mission's sols: the plan was made with the landing site's mission clock), the daylight
    over the first week at the site and the orbiters' UHF radios."""

    plan: Any  # areo.relay.plan.RelayPlan
    daylight_week: Any  # areo.events.Windows
    start_et: float
    stop_et: float
    radios: dict[str, str]

    def per_sol(self, sols: int) -> list[dict[str, Any]]:
        """Relay volume, passes used and latency per mission sol ``0..sols`` (every sol,
        also those without a pass), with the volume through each orbiter."""
        orbiters = sorted({r["orbiter"] for r in self.plan.rows})
        by_sol: dict[int, list[dict[str, Any]]] = {}
        for r in self.plan.rows:
            if r["share"] > 0:
                by_sol.setdefault(r["sol"], []).append(r)
        out = []
        for sol in range(0, int(sols) + 1):
            used = by_sol.get(sol, [])
            lat = [r["latency_s"] for r in used if math.isfinite(r["latency_s"])]
            row: dict[str, Any] = {
                "sol": sol,
                "relay_mbit": float(sum(r["volume_mbit"] * r["share"] for r in used)),
                "n_passes": len(used),
                "latency_s_median": float(np.median(lat)) if lat else None,
                "latency_s_min": float(np.min(lat)) if lat else None,
            }
            for o in orbiters:
                row[f"relay_mbit_{o}"] = float(sum(r["volume_mbit"] * r["share"] for r in used
                                                   if r["orbiter"] == o))
            out.append(row)
        return out

    def __repr__(self) -> str:
        return (f"RelayResult: {len(self.plan.rows)} passes, "
                f"{sum(1 for r in self.plan.rows if r['share'] > 0)} used, {self.plan.status}")


@dataclass
class CampaignResult:
    """The ``campaign`` step: the rover campaign as records (``record``: the ``areo sols
    --json`` contract), the state-of-charge series, the Open MCT plan and tables."""

    record: dict[str, Any]
    soc: Any  # pandas.DataFrame
    openmct: dict[str, Any]
    frame: Any  # pandas.DataFrame, one row per sol
    activities: Any  # pandas.DataFrame, one row per activity

    @property
    def summary(self) -> dict[str, Any]:
        return self.record.get("summary", {})

    @property
    def complete(self) -> bool:
        return bool(self.summary.get("complete", True))

    def __repr__(self) -> str:
        s = self.summary
        state = "complete" if self.complete else "INCOMPLETE"
        return (f"CampaignResult: {s.get('sols')} sols, {s.get('n_samples')} samples, max "
                f"depth {float(s.get('max_depth_m') or 0):.2f} m, {state}")
