"""One-way Newtonian light time and light-time corrected states.

The light time solves ``c * lt = |r_target(t -+ lt) - r_observer(t)|`` with both positions
relative to the solar-system barycentre in TDB (no relativistic delay, no stellar
aberration), as SPICE's ``'LT'``/``'CN'`` (reception at the observer at ``t``) and
``'XLT'``/``'XCN'`` (transmission from the observer at ``t``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.constants import C_KMS
from areo.ephem.spk import Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.time import Time

__all__ = ["corrected_state", "light_time", "one_way_light_time_earth_mars"]

# The fixed point contracts by |v|/c ~ 1e-4 per step: from the geometric guess, 3 steps reach
# 1e-13 s for the planets; 10 covers fast spacecraft and stops a non-converging case.
_MAX_ITER = 10


def corrected_state(
    eph: Ephemeris, target: int, observer: int, et: np.ndarray, abcorr: str
) -> tuple[np.ndarray, np.ndarray]:
    """Light-time corrected J2000 state (n, 6) of ``target`` about ``observer`` and lt (n,).

    ``abcorr`` is one of ``"lt", "cn", "xlt", "xcn"``. As in SPICE's SPKLTC, the state is the
    one from which the returned light time was computed, and its velocity includes the rate
    of change of the light time: ``v_target * (1 -+ dlt/dt) - v_observer``.
    """
    sign = 1.0 if abcorr.startswith("x") else -1.0  # epoch of the target: t + sign * lt
    converge = abcorr.endswith("cn")
    obs = eph._geometric(observer, 0, et)
    tgt = eph._geometric(target, 0, et)
    rel = tgt[:, :3] - obs[:, :3]
    lt = np.linalg.norm(rel, axis=1) / C_KMS
    for _ in range(_MAX_ITER if converge else 1):
        tgt = eph._geometric(target, 0, et + sign * lt)
        rel = tgt[:, :3] - obs[:, :3]
        prev, lt = lt, np.linalg.norm(rel, axis=1) / C_KMS
        # Converged when a further step could move lt by no more than rounding.
        if converge and np.all(np.abs(lt - prev) <= 4.0 * np.finfo(float).eps * lt):
            break
    dist = lt * C_KMS
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = rel / dist[:, None]
    unit = np.nan_to_num(unit)
    # d(lt)/dt from differentiating c*lt = |r_t(t + sign*lt) - r_o(t)|:
    # dlt = u.(v_t - v_o) / (c - sign * u.v_t)
    v_t, v_o = tgt[:, 3:], obs[:, 3:]
    dlt = np.einsum("ij,ij->i", unit, v_t - v_o) / (C_KMS - sign * np.einsum("ij,ij->i", unit, v_t))
    states = np.empty_like(tgt)
    states[:, :3] = rel
    states[:, 3:] = v_t * (1.0 + sign * dlt)[:, None] - v_o
    return states, lt


def _direction(direction: str) -> str:
    d = str(direction).strip().lower()
    if d not in ("receive", "transmit"):
        raise ParameterError(
            f"direction {direction!r} is not 'receive' (t = reception at the observer, the "
            "signal left the target at t - lt) or 'transmit' (t = emission by the observer)"
        )
    return d


def light_time(
    target: str | int,
    observer: str | int,
    t: Any,
    direction: str = "receive",
    ephemeris: Ephemeris | None = None,
) -> Any:
    """One-way Newtonian light time in seconds between ``observer`` and ``target``.

    ``direction="receive"``: ``t`` is the reception time at the observer and the signal left
    the target at ``t - lt`` (SPICE ``'CN'``). ``"transmit"``: the signal leaves the observer
    at ``t`` and reaches the target at ``t + lt`` (SPICE ``'XCN'``). Iterated to convergence.
    Bodies as names or NAIF IDs; ``t`` as :class:`~areo.time.Time` accepts. Returns a float
    for a scalar time, else an array of ``t``'s shape.
    """
    eph = default_ephemeris() if ephemeris is None else ephemeris
    mode = "cn" if _direction(direction) == "receive" else "xcn"
    time = t if isinstance(t, Time) else Time(t)
    et = np.ascontiguousarray(time.et.ravel(), dtype=np.float64)
    _, lt = corrected_state(eph, eph.resolve(target), eph.resolve(observer), et, mode)
    lt = lt.reshape(time.et.shape)
    return float(lt) if lt.ndim == 0 else lt


def one_way_light_time_earth_mars(
    t: Any, direction: str = "receive", ephemeris: Ephemeris | None = None
) -> Any:
    """One-way light time (s) between Mars and the Earth, with ``t`` an Earth time.

    ``"receive"`` (default): a downlink from Mars received on Earth at ``t``;
    ``"transmit"``: an uplink leaving the Earth at ``t``. Mars is the body centre where the
    ephemeris has it, else the Mars barycentre (< 1 m away, well under a nanosecond).
    Geocentre, not a ground station: a station adds up to ~21 ms.
    """
    return light_time("mars", "earth", t, direction=direction, ephemeris=ephemeris)
