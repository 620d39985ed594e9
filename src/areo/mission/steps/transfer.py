"""The ``transfer`` step: the porkchop of the launch x arrival spans (DE440 Lambert arcs up
to ``transfer.max_revs`` revolutions), the transfer chosen for ``transfer.objective``
(polished continuously, or at the pinned dates), its capture budget and its arc."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from areo.constants import DAY_S
from areo.errors import AreoInputError
from areo.mission.context import StepInputs, field_error
from areo.mission.results import TransferResult
from areo.mission.steps.base import Step
from areo.transfer.plots import ecliptic_arc


def _axis(earliest: str | None, latest: str | None, pin: str | None, n_max: int,
          pad_days: float) -> Any:
    """The porkchop axis: the span, or the pinned date +- ``pad_days``, at most ``n_max``
    dates about a day apart."""
    from areo.time import Time

    if earliest is not None and latest is not None:
        a, b = Time(earliest), Time(latest)
    else:
        p = Time(pin)
        a, b = p - pad_days * DAY_S, p + pad_days * DAY_S
    days = float(b.et - a.et) / DAY_S
    if days <= 0:
        return Time.linspace(a, a, 1)
    return Time.linspace(a, b, int(min(n_max, max(2, math.floor(days) + 1))))


def capture_orbit(inp: StepInputs) -> Any:
    """The scenario's ``[capture]`` orbit (:class:`areo.transfer.CaptureOrbit`)."""
    from areo.transfer import CaptureOrbit

    sc = inp.scenario
    c = sc.capture
    if c.apoapsis_alt_km is not None:
        return CaptureOrbit.from_apoapsis(c.periapsis_alt_km, c.apoapsis_alt_km)
    try:
        return CaptureOrbit.from_period(c.periapsis_alt_km, float(c.period_h) * 3600.0)
    except AreoInputError as exc:
        raise field_error(sc, "capture.period_h", str(exc)) from None


def compute(inp: StepInputs) -> TransferResult:
    from areo.time import Time
    from areo.transfer import PorkchopOptions, porkchop, transfer

    sc = inp.scenario
    spec = sc.transfer
    cap = capture_orbit(inp)
    park = sc.launch.parking_alt_km
    tl = _axis(sc.launch.earliest, sc.launch.latest, sc.launch.utc, spec.grid_points, 30.0)
    ta = _axis(sc.arrival.earliest, sc.arrival.latest, sc.arrival.utc, spec.grid_points, 45.0)
    # With a DSM/MGA model the porkchop is the ballistic reference: its minimum C3 arc.
    objective = spec.objective if spec.model == "ballistic" else "c3"
    grid = PorkchopOptions(revs=spec.max_revs, select=objective, parking_alt_km=park,
                           capture=cap)
    pc = porkchop(tl, ta, grid)
    if not np.isfinite(pc.c3_km2s2).any():
        raise field_error(sc, "arrival", "no ballistic transfer exists between these launch "
                          "and arrival spans: move the arrival span later or allow more "
                          "revolutions (transfer.max_revs)")
    pinned_l, pinned_a = sc.launch.utc, sc.arrival.utc
    if pinned_l is not None or pinned_a is not None:
        # A replay (or a half-pinned search): the best branch at the pinned date(s).
        ll = Time([pinned_l]) if pinned_l else tl
        aa = Time([pinned_a]) if pinned_a else Time.linspace(ta[0], ta[-1], 4 * len(ta))
        sub = porkchop(ll, aa, grid)
        point = sub.minimum(objective)
        if pinned_l is None or pinned_a is None:
            point = sub.minimum(objective, refine=True)
    else:
        point = pc.minimum(objective, refine=True)
    # The full transfer (vectors) on the branch the grid kept.
    branches = [(point.revs, False)] if point.revs == 0 else [(point.revs, False),
                                                               (point.revs, True)]
    cands = [transfer(point.launch, point.arrive, revs=r, right=b, parking_alt_km=park,
                      capture=cap) for r, b in branches]
    cands = [c for c in cands if c.converged]
    tr = min(cands, key=lambda c: abs(c.c3_km2s2 - point.c3_km2s2))
    budget = tr.insertion(sc.capture.final_alt_km)
    return TransferResult(
        porkchop={
            "launch_et": np.asarray(pc.launch.et, dtype=float),
            "arrive_et": np.asarray(pc.arrive_et[0], dtype=float),
            "c3_km2s2": pc.c3_km2s2.astype(np.float32),
            "vinf_arrive_kms": pc.vinf_arrive_kms.astype(np.float32),
            "dv_total_kms": pc.dv_total_kms.astype(np.float32),
            "tof_days": pc.tof_days.astype(np.float32),
            "transfer_type": pc.transfer_type.astype(np.int8),
            "shape": list(pc.shape), "seconds": pc.seconds, "max_revs": pc.max_revs,
            "objective": objective,
            "grid_min": pc.minimum(objective).to_dict(),
        },
        chosen={**tr.to_dict(), "arrive": str(tr.arrive.utc_iso(3)),
                "launch": str(tr.launch.utc_iso(3)), "pinned": bool(pinned_l or pinned_a),
                "vinf_arrive_icrf_kms": [float(v) for v in np.ravel(tr.vinf_arrive_vec)]},
        insertion=budget.to_dict(),
        capture=cap.to_dict(),
        arc=ecliptic_arc(tr),
    )


def _detail(v: TransferResult) -> str:
    c = v.chosen
    return (f"{c['launch'][:10]} -> {c['arrive'][:10]}, C3 {c['c3_km2s2']:.2f} km2/s2, "
            f"v-inf {c['vinf_arrive_kms']:.2f} km/s")


def _land(ctx: Any, result: TransferResult) -> None:
    """The landing time is known: a pinned one, else the arrival (direct entry)."""
    ctx.land(ctx.scenario.landing.utc or result.chosen["arrive"])


STEP = Step("transfer", "Porkchop and transfer",
            reads=("launch.earliest", "launch.latest", "launch.utc", "launch.parking_alt_km",
                   "arrival.earliest", "arrival.latest", "arrival.utc", "transfer.model",
                   "transfer.objective", "transfer.max_revs", "transfer.grid_points",
                   "capture"), compute=compute,
            detail=_detail, then=_land)
