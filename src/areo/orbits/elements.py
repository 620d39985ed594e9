"""Classical orbital elements <-> Cartesian states, anomalies, and the element frame.

Element frame (the convention of all of :mod:`areo.orbits`): orbital elements around Mars are
relative to the **Mars equator of the IAU_MARS pole** (IAU/WGCCRE 2015, :mod:`areo.frames`)
at the orbit's epoch. The reference direction of the node is the ascending node of the Mars
equator on the ICRF equator, the IAU "Q" direction ``z_ICRF x pole`` (right ascension
``alpha0 + 90 deg``). So the frame's axes, in ICRF, are::

    x = Q = (z_ICRF x p) / |z_ICRF x p|,   y = p x x,   z = p   (p: unit Mars pole)

the IAU_MARS axes before the prime-meridian rotation W. Inclination 90 deg is polar about
Mars; the RAAN counts along the Mars equator from Q. The pole of the epoch is kept fixed for
the orbit: the IAU 2015 pole moves by ~0.1 deg per century, far below what a mean-element
or two-body propagation resolves. Around bodies other than Mars the element frame is the
ICRF itself (equator of the ICRF, node from the ICRF x axis).

States are Mars-centred (body-centred) ICRF (J2000) vectors in km and km/s; epochs are TDB
seconds past J2000 ("et"). Angles are radians here; degrees only in names ending ``_deg``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo import validate
from areo._numba import inp, run
from areo.errors import ParameterError
from areo.orbits import _kernels as _k

__all__ = [
    "coe_to_state",
    "eccentric_to_true",
    "element_frame",
    "mean_to_true",
    "state_to_coe",
    "true_to_eccentric",
    "true_to_mean",
]


def element_frame(et: Any, body: str = "mars") -> np.ndarray:
    """Rotation matrices ICRF -> element frame at epochs ``et`` (TDB s), shape ``(..., 3, 3)``.

    For Mars: rows Q, p x Q, p of the IAU 2015 pole (see the module docstring). For other
    bodies: the identity (elements relative to the ICRF equator).
    """
    et = np.asarray(et, dtype=float)
    if str(body).lower() not in ("mars", "499", "4"):
        return np.broadcast_to(np.eye(3), (*et.shape, 3, 3)).copy()
    from areo.frames import mars_pole_ra_dec_w

    ra, dec, _ = mars_pole_ra_dec_w(et)
    ra, dec = np.radians(ra), np.radians(dec)
    sa, ca, sd, cd = np.sin(ra), np.cos(ra), np.sin(dec), np.cos(dec)
    p0, p1, p2 = cd * ca, cd * sa, sd
    q0, q1, q2 = -sa, ca, 0.0
    # Rows q, p x q, p written element by element (a scalar call spends its time in numpy's
    # per-call overhead: stack/cross cost 4x these); the cross product is np.cross's formula.
    out = np.empty((*et.shape, 3, 3))
    out[..., 0, 0], out[..., 0, 1], out[..., 0, 2] = q0, q1, q2
    out[..., 1, 0] = p1 * q2 - p2 * q1
    out[..., 1, 1] = p2 * q0 - p0 * q2
    out[..., 1, 2] = p0 * q1 - p1 * q0
    out[..., 2, 0], out[..., 2, 1], out[..., 2, 2] = p0, p1, p2
    return out


#: Batch size from which the element kernels split over threads (below: one serial call,
#: e.g. a scalar ``Orbit.from_state``); each element costs ~0.1 us, so a batch this size is
#: ~0.5 ms of work, well above the ~50 us it takes to hand chunks to the thread pool.
_PARALLEL_MIN = 5000


def _arr(x: Any) -> np.ndarray:
    return inp(np.asarray(x, dtype=float).ravel())


def _first(bad: np.ndarray) -> tuple[int, str]:
    """Flat index of the first flagged element and its ``[i]`` label ('' for one element)."""
    k = int(np.argmax(np.ravel(bad)))
    return k, (f"[{k}]" if np.size(bad) > 1 else "")


def _check_ecc(e: Any) -> np.ndarray:
    return np.asarray(validate.non_negative(
        e, "e", hint="0 <= e < 1 ellipse, e = 1 parabola, e > 1 hyperbola"
    ))


def _check_conic(a: Any, e: Any) -> None:
    """Refuse a semi-major axis whose sign does not match the eccentricity.

    ``a > 0`` for ellipses (e < 1), ``a < 0`` for hyperbolas (e > 1); for parabolas
    (e = 1) ``a`` is the semi-latus rectum p > 0. ``a`` and ``e`` are finite arrays that
    broadcast together.
    """
    a, e = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(e, dtype=float))
    bad = np.where(e > 1.0, a >= 0.0, a <= 0.0)
    if bad.any():
        k, i = _first(bad)
        av, ev = float(a.ravel()[k]), float(e.ravel()[k])
        raise ParameterError(
            f"a{i} = {av:.10g} km does not fit e{i} = {ev:.10g}: give a > 0 km for an ellipse "
            "(e < 1), a < 0 km for a hyperbola (e > 1), and for a parabola (e = 1) a = p, the "
            "semi-latus rectum, > 0 km"
        )


def _check_nu_open(nu: np.ndarray, e: np.ndarray, name: str = "nu") -> None:
    """Refuse true anomalies beyond the asymptotes of open orbits (1 + e cos nu <= 0)."""
    open_ = e >= 1.0
    if not open_.any():
        return
    bad = np.zeros(open_.shape, dtype=bool)
    bad[open_] = 1.0 + e[open_] * np.cos(nu[open_]) <= 0.0
    if bad.any():
        k, i = _first(bad)
        nv, ev = float(np.ravel(nu)[k]), float(np.ravel(e)[k])
        lim = np.degrees(np.arccos(-1.0 / ev)) if ev > 1.0 else 180.0
        raise ParameterError(
            f"{name}{i} = {nv:.10g} rad ({np.degrees(nv):.6g} deg) is beyond the asymptote of "
            f"the open orbit of e{i} = {ev:.10g}: give |{name}| < {np.radians(lim):.10g} rad "
            f"({lim:.6g} deg), where 1 + e cos({name}) > 0"
        )


def _coe_to_state(a: Any, e: Any, inc: Any, raan: Any, argp: Any, nu: Any, mu: Any
                  ) -> np.ndarray:
    """:func:`coe_to_state` without the checks (for callers that validated already)."""
    a, e, inc, raan, argp, nu, mu = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (a, e, inc, raan, argp, nu, mu))
    )
    p = np.where(e == 1.0, a, a * (1.0 - e * e))
    out = np.empty((p.size, 6))
    run(_k.coe2rv, p.size,
        (_arr(p), _arr(e), _arr(inc), _arr(raan), _arr(argp), _arr(nu), _arr(mu), out),
        _PARALLEL_MIN)
    return out


def coe_to_state(
    a: Any, e: Any, inc: Any, raan: Any, argp: Any, nu: Any, mu: Any
) -> np.ndarray:
    """States ``(n, 6)`` (km, km/s) in the element frame from classical elements.

    ``a`` km (negative for hyperbolas), ``e``, angles in rad, ``nu`` the true anomaly; all
    broadcast to one length ``n``. For parabolas give ``a`` as the semi-latus rectum p and
    ``e = 1``.

    Raises :class:`areo.errors.ParameterError` for non-finite values, ``e < 0``, ``mu <= 0``,
    an ``a`` whose sign does not fit ``e``, an inclination outside [0, pi] or a true anomaly
    beyond the asymptotes of an open orbit.
    """
    a = validate.finite(a, "a", unit="km")
    e = _check_ecc(e)
    inc = validate.in_range(inc, "inc", 0.0, np.pi, unit="rad",
                            hint="the inclination, 0 to pi; above pi/2 is retrograde")
    raan = validate.finite(raan, "raan", unit="rad")
    argp = validate.finite(argp, "argp", unit="rad")
    nu = validate.finite(nu, "nu", unit="rad")
    mu = validate.positive(mu, "mu", unit="km^3/s^2", hint="GM of the central body")
    _check_conic(a, e)
    eb, nub = np.broadcast_arrays(np.asarray(e), np.asarray(nu))
    _check_nu_open(nub, eb)
    return _coe_to_state(a, e, inc, raan, argp, nu, mu)


def _state_to_coe(states: Any, mu: Any) -> dict[str, np.ndarray]:
    """:func:`state_to_coe` without the checks (for callers that validated already)."""
    s = np.asarray(states, dtype=float)
    shape = s.shape[:-1]
    flat = inp(s.reshape(-1, 6))
    mu_a = _arr(np.broadcast_to(np.asarray(mu, dtype=float), shape))
    out = np.empty((flat.shape[0], 8))
    run(_k.rv2coe, flat.shape[0], (flat, mu_a, out), _PARALLEL_MIN)
    keys = ("p", "a", "e", "inc", "raan", "argp", "nu", "m")
    return {k: out[:, i].reshape(shape) for i, k in enumerate(keys)}


def state_elements(states: np.ndarray, et: np.ndarray, body: str, mu: float, r_min: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Elements ``(n, 8)`` (columns as :func:`areo.orbits._kernels.rv2coe`: p, a, e, inc,
    raan, argp, nu, M) of ICRF states ``(n, 6)`` at TDB ``et`` ``(n,)`` in the element
    frame of ``body`` (:func:`element_frame`), and a status per state (0: valid; else
    non-finite, zero position, rectilinear or closer than ``r_min`` to the centre), in one
    compiled pass (a scalar ``Orbit.from_state`` is one kernel call)."""
    from areo.frames import mars_rotation_model

    flat = inp(states)
    n = flat.shape[0]
    use_pole = str(body).lower() in ("mars", "499", "4")
    poly, ab, coef = mars_rotation_model("iau2015").kernel_arrays()
    out = np.empty((n, 8))
    status = np.empty(n, dtype=np.int64)
    ang = np.empty((n, 6))
    run(_k.state_to_elements, n, (flat, inp(et), float(r_min), float(mu), bool(use_pole),
                                  poly, ab, coef, ang, out, status), _PARALLEL_MIN)
    return out, status


def _check_states(states: Any, name: str = "states", *, rectilinear: bool = False
                  ) -> np.ndarray:
    """``states`` ``(..., 6)`` (km, km/s) as floats after refusing a wrong shape, non-finite
    values, a zero position or (unless ``rectilinear``) a zero angular momentum (position
    parallel to velocity)."""
    s = np.asarray(states, dtype=float)
    if s.ndim < 1 or s.shape[-1] != 6:
        raise ParameterError(
            f"{name} has shape {s.shape}: give (6,) or (n, 6) states, km and km/s"
        )
    validate.finite(s, name, hint="positions in km, velocities in km/s")
    r0 = ~np.any(s[..., :3] != 0.0, axis=-1)
    if r0.any():
        _, i = _first(r0)
        raise ParameterError(f"{name}{i} has a zero position vector: give a position in km")
    if rectilinear:
        return s
    x, y, z, vx, vy, vz = (s[..., k] for k in range(6))
    h0 = (y * vz - z * vy == 0.0) & (z * vx - x * vz == 0.0) & (x * vy - y * vx == 0.0)
    if h0.any():
        _, i = _first(h0)
        raise ParameterError(
            f"{name}{i} is rectilinear (position parallel to velocity, zero angular "
            "momentum): classical elements need a non-zero angular momentum"
        )
    return s


def state_to_coe(states: Any, mu: Any) -> dict[str, np.ndarray]:
    """Classical elements of states ``(..., 6)`` (km, km/s) in their own frame.

    Returns a dict of arrays with keys ``p, a, e, inc, raan, argp, nu, m`` (km, rad).
    Circular orbits (e < 1e-11): argp = 0, nu is the argument of latitude. Equatorial orbits:
    raan = 0, angles from the frame's x axis. Hyperbolas: a < 0 and m is the hyperbolic mean
    anomaly; parabolas: a = inf and m is Barker's ``D + D^3/3``.

    Raises :class:`areo.errors.ParameterError` for non-finite states, a zero position, a
    rectilinear state (zero angular momentum) or ``mu <= 0``.
    """
    s = _check_states(states)
    mu = validate.positive(mu, "mu", unit="km^3/s^2", hint="GM of the central body")
    return _state_to_coe(s, mu)


def _mean_to_true(m: Any, e: Any) -> np.ndarray:
    """:func:`mean_to_true` without the checks (for callers that validated already)."""
    m, e = np.broadcast_arrays(np.asarray(m, dtype=float), np.asarray(e, dtype=float))
    out = np.empty(m.size)
    run(_k.true_from_mean_vec, m.size, (_arr(m), _arr(e), out), _PARALLEL_MIN)
    return out.reshape(m.shape)


def mean_to_true(m: Any, e: Any) -> np.ndarray:
    """True anomaly (rad) from mean anomaly (rad): Kepler's equation (elliptic, Barker's
    parabolic, hyperbolic), solved to machine precision. ``e >= 0``, finite ``m``."""
    m = validate.finite(m, "m", unit="rad")
    e = _check_ecc(e)
    return _mean_to_true(m, e)


def _true_to_mean(nu: Any, e: Any) -> np.ndarray:
    nu, e = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(e, dtype=float))
    out = np.empty(nu.size)
    run(_k.mean_from_true_vec, nu.size, (_arr(nu), _arr(e), out), _PARALLEL_MIN)
    return out.reshape(nu.shape)


def _check_nu_e(nu: Any, e: Any) -> tuple[np.ndarray, np.ndarray]:
    nu = validate.finite(nu, "nu", unit="rad")
    e = _check_ecc(e)
    nub, eb = np.broadcast_arrays(np.asarray(nu), np.asarray(e))
    _check_nu_open(nub, eb)
    return nub, eb


def true_to_mean(nu: Any, e: Any) -> np.ndarray:
    """Mean anomaly (rad) from true anomaly (rad), any conic (``e >= 0``; on an open orbit
    ``nu`` must lie between the asymptotes, ``1 + e cos nu > 0``)."""
    return _true_to_mean(*_check_nu_e(nu, e))


def true_to_eccentric(nu: Any, e: Any) -> np.ndarray:
    """Eccentric anomaly E (ellipses) or hyperbolic anomaly H (hyperbolas) from nu (rad).

    Undefined for parabolas (e = 1: use :func:`true_to_mean`, Barker's equation)."""
    nu, e = _check_nu_e(nu, e)
    _not_parabolic(e)
    with np.errstate(invalid="ignore"):
        ell = 2.0 * np.arctan2(np.sqrt(np.abs(1.0 - e)) * np.sin(nu / 2),
                               np.sqrt(1.0 + e) * np.cos(nu / 2))
        hyp = 2.0 * np.arctanh(np.sqrt(np.abs(e - 1.0) / (e + 1.0)) * np.tan(nu / 2))
    return np.where(e < 1.0, ell, hyp)


def eccentric_to_true(ea: Any, e: Any) -> np.ndarray:
    """True anomaly from eccentric anomaly E (ellipses) or hyperbolic anomaly H."""
    ea = validate.finite(ea, "ea", unit="rad")
    e = _check_ecc(e)
    ea, e = np.broadcast_arrays(np.asarray(ea, dtype=float), np.asarray(e, dtype=float))
    _not_parabolic(e)
    with np.errstate(invalid="ignore"):
        ell = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(ea / 2),
                               np.sqrt(np.abs(1.0 - e)) * np.cos(ea / 2))
        hyp = 2.0 * np.arctan(np.sqrt((e + 1.0) / np.abs(e - 1.0)) * np.tanh(ea / 2))
    return np.where(e < 1.0, ell, hyp)


def eccentric_to_mean(ea: Any, e: Any) -> np.ndarray:
    """Mean anomaly from eccentric (E - e sin E) or hyperbolic (e sinh H - H) anomaly."""
    ea = validate.finite(ea, "ea", unit="rad")
    e = _check_ecc(e)
    ea, e = np.broadcast_arrays(np.asarray(ea, dtype=float), np.asarray(e, dtype=float))
    _not_parabolic(e)
    return np.where(e < 1.0, ea - e * np.sin(ea), e * np.sinh(ea) - ea)


def _not_parabolic(e: np.ndarray) -> None:
    bad = np.asarray(e) == 1.0
    if bad.any():
        _, i = _first(bad)
        raise ParameterError(
            f"e{i} = 1 (a parabola) has no eccentric or hyperbolic anomaly: use "
            "true_to_mean / mean_to_true (Barker's equation) for parabolas"
        )
