"""Mars-to-Earth returns by way of Venus: the inbound Venus swing-by of opposition-class trips.

A short stay at Mars leaves Earth far ahead on its orbit; a return that falls inside
Venus' orbit and passes Venus can catch it up for less than the direct arc costs (the
"Venus swing-by mode" of Mars stopover trips; compared with the standard mode for every
opportunity of 1980-1999 in J. Spacecraft Rockets 4(7), 1967). areo searches it as an
MGA sequence Mars -> Venus -> Earth (:mod:`areo.transfer.mga`'s model): two zero-revolution
prograde Lambert arcs (:func:`areo.transfer.lambert.lambert`, Izzo 2015) on DE440 joined by
a powered flyby of Venus (:func:`areo.transfer._mga_kernels.flyby_powered`: one impulse at
the pericentre, the pericentre at least the catalog's minimum flyby radius, 300 km above
Venus, the GTOP benchmarks' bound; a turn Venus cannot give is paid as a rotation impulse).

:func:`venus_return_cells` gives, for every Mars departure day and total return flight time
of the round-trip search's grid (:func:`areo.transfer.roundtrip.round_trips` with
``return_via='venus'`` or ``'either'``), the cheapest split of that time between the two
legs (Mars departure delta-v, with the plane term of
:func:`areo.transfer.returns.departure_dv_plane`, plus the flyby impulse), among the splits
whose Earth arrival meets the entry-speed cap and reaches the landing site. The flyby
impulse is limited to ``max_flyby_dv_kms``: a return that needs a large burn at Venus is a
powered trajectory, not a swing-by.

Not searched: outbound Venus swing-bys (Earth -> Venus -> Mars), multi-revolution arcs.
"""

from __future__ import annotations

import math

import numpy as np

from areo._numba import inp, run
from areo.constants import DAY_S
from areo.ephem import Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.time import Time
from areo.transfer import _mga_kernels
from areo.transfer.interplanetary import ECLIPTIC_POLE
from areo.transfer.lambert import GM_SUN, lambert
from areo.transfer.mga import _catalog_body
from areo.transfer.returns import (
    DepartureOrbit,
    departure_dv_plane,
    entry_speed,
    reachable_latitudes,
)

__all__ = ["DEFAULT_MAX_FLYBY_DV_KMS", "MIN_VENUS_EARTH_DAYS", "venus_return_cells"]

#: The largest impulse at Venus a swing-by return may need, km/s (larger: a powered
#: trajectory, outside this search).
DEFAULT_MAX_FLYBY_DV_KMS = 0.5
#: Shortest Venus -> Earth leg searched, days (shorter arcs need Venus and Earth within a
#: few degrees of each other, where Lambert arcs are near-singular).
MIN_VENUS_EARTH_DAYS = 30.0
# Rows from which the flyby kernel splits over threads (areo._numba.run).
_PARALLEL_MIN = 4000


def _unit(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = np.linalg.norm(v, axis=-1)
    return v / n[..., None], n


def venus_return_cells(
    td: Time, k_ret: np.ndarray, step_days: float, departure_orbit: DepartureOrbit,
    k_venus: np.ndarray, *, site_lat: float | None, entry_fpa_deg: float,
    max_entry_speed_kms: float | None, max_flyby_dv_kms: float = DEFAULT_MAX_FLYBY_DV_KMS,
    ephemeris: Ephemeris | None = None,
) -> dict[str, np.ndarray]:
    """Per (Mars departure ``td[i]``, total return flight time ``k_ret[j] * step_days``), the
    cheapest Mars -> Venus -> Earth return on the day grid (see the module docstring).

    ``td``: consecutive departure days (one step apart); ``k_venus``: Mars -> Venus flight
    times in steps. Returns arrays of shape ``(len(td), len(k_ret))`` with the keys of
    :func:`areo.transfer.returns._return_cells` (``dv_depart_kms`` is the Mars departure
    plus the flyby impulse) and ``mars_depart_dv_kms``, ``flyby_et``, ``flyby_dv_kms``,
    ``flyby_alt_km``, ``venus_leg_days``; NaN (False) where no split qualifies; and
    ``lambert_solves``, the number of arcs solved (a 0-d array).
    """
    step_s = float(step_days) * DAY_S
    k_ret = np.asarray(k_ret, dtype=np.int64)
    k1 = np.asarray(k_venus, dtype=np.int64)
    et_d = np.atleast_1d(np.asarray(td.et, dtype=float))
    n_d, n_k, n1 = et_d.size, k_ret.size, k1.size
    if n_d > 1 and not np.allclose(np.diff(et_d), step_s, rtol=0, atol=1e-3):
        raise ParameterError("venus_return_cells needs consecutive departure days, one "
                             f"{step_days:g}-day step apart")
    k2_lo = max(math.ceil(MIN_VENUS_EARTH_DAYS / float(step_days) - 1e-9),
                int(k_ret[0] - k1[-1]))
    k2_hi = int(k_ret[-1] - k1[0])
    shape = (n_d, n_k)
    out = {key: np.full(shape, np.nan) for key in (
        "vinf_depart_kms", "dla_deg", "rla_deg", "asymptote_dec_orbit_deg", "dv_depart_kms",
        "mars_depart_dv_kms", "vinf_arrive_kms", "arrival_dec_deg", "entry_speed_kms",
        "flyby_et", "flyby_dv_kms", "flyby_alt_km", "venus_leg_days")}
    out["site_reachable"] = np.zeros(shape, dtype=bool)
    out["lambert_solves"] = np.array(0)
    if k2_hi < k2_lo:
        return out
    k2 = np.arange(k2_lo, k2_hi + 1)
    eph = default_ephemeris() if ephemeris is None else ephemeris
    venus_body = _catalog_body("venus")

    def states(body: str, et: np.ndarray) -> np.ndarray:
        return np.asarray(eph.state(body, Time.from_et(et), center="sun").states,
                          dtype=float).reshape(-1, 6)

    mars = states("mars", et_d)
    n_f = n_d + int(k1[-1] - k1[0])
    et_f = et_d[0] + (k1[0] + np.arange(n_f)) * step_s
    venus = states("venus", et_f)
    n_e = n_f + int(k2[-1] - k2[0])
    earth = states("earth", et_f[0] + (k2[0] + np.arange(n_e)) * step_s)
    # Leg 1, Mars (departure day i) -> Venus (flyby index i + k1 - k1[0]).
    fi = np.arange(n_d)[:, None] + (k1 - k1[0])[None, :]
    leg1 = lambert(mars[:, None, :3], venus[fi, :3], (k1 * step_s)[None, :], GM_SUN,
                   ref_axis=ECLIPTIC_POLE)
    v_dep = leg1.v1 - mars[:, None, 3:]
    v_in = leg1.v2 - venus[fi, 3:]
    s_dep, vd = _unit(v_dep)
    normal = departure_orbit.normal(td)
    if normal is None:
        delta = np.where(np.isfinite(vd), 0.0, np.nan)
    else:
        delta = np.degrees(np.arcsin(np.clip(np.einsum("ijk,ik->ij", s_dep, normal), -1, 1)))
    dv_dep = np.full(vd.shape, np.nan)
    ok1 = np.isfinite(vd)
    dv_dep[ok1] = departure_dv_plane(vd[ok1], departure_orbit.orbit, np.abs(delta[ok1]))
    dla = np.degrees(np.arcsin(np.clip(s_dep[..., 2], -1, 1)))
    rla = np.degrees(np.arctan2(s_dep[..., 1], s_dep[..., 0])) % 360.0
    a_in = np.linalg.norm(v_in, axis=-1)
    # Leg 2, Venus (flyby index f) -> Earth (index f + k2 - k2[0]).
    ei = np.arange(n_f)[:, None] + (k2 - k2[0])[None, :]
    leg2 = lambert(venus[:, None, :3], earth[ei, :3], (k2 * step_s)[None, :], GM_SUN,
                   ref_axis=ECLIPTIC_POLE)
    out["lambert_solves"] = np.array(n_d * n1 + n_f * k2.size)
    v_out = leg2.v1 - venus[:, None, 3:]
    v_arr = leg2.v2 - earth[ei, 3:]
    s_arr, va = _unit(v_arr)
    b_out = np.linalg.norm(v_out, axis=-1)
    ok2 = np.isfinite(va)
    v_entry = np.full(va.shape, np.nan)
    v_entry[ok2] = entry_speed(va[ok2])
    dec_a = np.degrees(np.arcsin(np.clip(s_arr[..., 2], -1, 1)))
    reach = np.ones(va.shape, dtype=bool)
    if site_lat is not None and ok2.any():
        lo, hi = reachable_latitudes(va[ok2], dec_a[ok2], entry_fpa_deg)
        reach = np.zeros(va.shape, dtype=bool)
        reach[ok2] = (lo <= site_lat) & (site_lat <= hi)
    ok2 &= reach
    if max_entry_speed_kms is not None:
        ok2 &= v_entry <= max_entry_speed_kms
    best = np.full(shape, np.inf)
    rows = np.arange(n_d)
    for i1 in range(n1):
        f = rows + int(k1[i1] - k1[0])
        j2 = k_ret - k1[i1] - k2[0]
        cols = np.flatnonzero((j2 >= 0) & (j2 < k2.size))
        if cols.size == 0:
            continue
        jj = j2[cols]
        b = b_out[f][:, jj]
        # |b - a| bounds the pericentre impulse from below when the turn can be made, so
        # rows further apart than the cap cannot qualify (and most rows are)
        cand = (ok2[f][:, jj] & ok1[:, i1, None]
                & (np.abs(b - a_in[:, i1, None]) <= max_flyby_dv_kms))
        ii, cc = np.nonzero(cand)
        if ii.size == 0:
            continue
        m = ii.size
        fb_dv, fb_rp, fb_miss = np.empty(m), np.empty(m), np.empty(m)
        run(_mga_kernels.flyby_powered, m, (
            inp(v_in[ii, i1]), inp(v_out[f[ii], jj[cc]]),
            inp(np.full(m, venus_body.mu_km3s2)), inp(np.full(m, venus_body.rp_min_km)),
            fb_dv, fb_rp, fb_miss), _PARALLEL_MIN)
        cost = dv_dep[ii, i1] + fb_dv
        good = (fb_dv <= max_flyby_dv_kms) & np.isfinite(cost)
        ii, cc, cost = ii[good], cc[good], cost[good]
        k = cols[cc]
        better = cost < best[ii, k]
        ii, k, cc, cost = ii[better], k[better], cc[better], cost[better]
        if ii.size == 0:
            continue
        # a (row, column) pair appears once per i1, so these writes do not collide
        best[ii, k] = cost
        e2 = (f[ii], jj[cc])
        sel = np.flatnonzero(good)[better]
        out["dv_depart_kms"][ii, k] = cost
        out["mars_depart_dv_kms"][ii, k] = dv_dep[ii, i1]
        out["vinf_depart_kms"][ii, k] = vd[ii, i1]
        out["dla_deg"][ii, k] = dla[ii, i1]
        out["rla_deg"][ii, k] = rla[ii, i1]
        out["asymptote_dec_orbit_deg"][ii, k] = delta[ii, i1]
        out["vinf_arrive_kms"][ii, k] = va[e2]
        out["arrival_dec_deg"][ii, k] = dec_a[e2]
        out["entry_speed_kms"][ii, k] = v_entry[e2]
        out["site_reachable"][ii, k] = reach[e2]
        out["flyby_et"][ii, k] = et_f[f[ii]]
        out["flyby_dv_kms"][ii, k] = fb_dv[sel]
        out["flyby_alt_km"][ii, k] = fb_rp[sel] - venus_body.radius_km
        out["venus_leg_days"][ii, k] = k1[i1] * float(step_days)
    return out

