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
    cd = np.cos(dec)
    p = np.stack([cd * np.cos(ra), cd * np.sin(ra), np.sin(dec)], axis=-1)
    q = np.stack([-np.sin(ra), np.cos(ra), np.zeros_like(ra)], axis=-1)
    return np.stack([q, np.cross(p, q), p], axis=-2)


def _arr(x: Any) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(x, dtype=float).ravel())


def coe_to_state(
    a: Any, e: Any, inc: Any, raan: Any, argp: Any, nu: Any, mu: Any
) -> np.ndarray:
    """States ``(n, 6)`` (km, km/s) in the element frame from classical elements.

    ``a`` km (negative for hyperbolas), ``e``, angles in rad, ``nu`` the true anomaly; all
    broadcast to one length ``n``. For parabolas give ``a`` as the semi-latus rectum p and
    ``e = 1``.
    """
    a, e, inc, raan, argp, nu, mu = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (a, e, inc, raan, argp, nu, mu))
    )
    p = np.where(e == 1.0, a, a * (1.0 - e * e))
    return _k.coe2rv(_arr(p), _arr(e), _arr(inc), _arr(raan), _arr(argp), _arr(nu), _arr(mu))


def state_to_coe(states: Any, mu: Any) -> dict[str, np.ndarray]:
    """Classical elements of states ``(..., 6)`` (km, km/s) in their own frame.

    Returns a dict of arrays with keys ``p, a, e, inc, raan, argp, nu, m`` (km, rad).
    Circular orbits (e < 1e-11): argp = 0, nu is the argument of latitude. Equatorial orbits:
    raan = 0, angles from the frame's x axis. Hyperbolas: a < 0 and m is the hyperbolic mean
    anomaly; parabolas: a = inf and m is Barker's ``D + D^3/3``.
    """
    s = np.asarray(states, dtype=float)
    shape = s.shape[:-1]
    flat = np.ascontiguousarray(s.reshape(-1, 6))
    mu_a = np.ascontiguousarray(np.broadcast_to(np.asarray(mu, dtype=float), shape).ravel())
    out = _k.rv2coe(flat, mu_a)
    keys = ("p", "a", "e", "inc", "raan", "argp", "nu", "m")
    return {k: out[:, i].reshape(shape) for i, k in enumerate(keys)}


def mean_to_true(m: Any, e: Any) -> np.ndarray:
    """True anomaly (rad) from mean anomaly (rad): Kepler's equation (elliptic, Barker's
    parabolic, hyperbolic), solved to machine precision."""
    m, e = np.broadcast_arrays(np.asarray(m, dtype=float), np.asarray(e, dtype=float))
    return _k.true_from_mean_vec(_arr(m), _arr(e)).reshape(m.shape)


def true_to_mean(nu: Any, e: Any) -> np.ndarray:
    """Mean anomaly (rad) from true anomaly (rad), any conic."""
    nu, e = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(e, dtype=float))
    return _k.mean_from_true_vec(_arr(nu), _arr(e)).reshape(nu.shape)


def true_to_eccentric(nu: Any, e: Any) -> np.ndarray:
    """Eccentric anomaly E (ellipses) or hyperbolic anomaly H (hyperbolas) from nu (rad)."""
    nu, e = np.broadcast_arrays(np.asarray(nu, dtype=float), np.asarray(e, dtype=float))
    with np.errstate(invalid="ignore"):
        ell = 2.0 * np.arctan2(np.sqrt(np.abs(1.0 - e)) * np.sin(nu / 2),
                               np.sqrt(1.0 + e) * np.cos(nu / 2))
        hyp = 2.0 * np.arctanh(np.sqrt(np.abs(e - 1.0) / (e + 1.0)) * np.tan(nu / 2))
    return np.where(e < 1.0, ell, hyp)


def eccentric_to_true(ea: Any, e: Any) -> np.ndarray:
    """True anomaly from eccentric anomaly E (ellipses) or hyperbolic anomaly H."""
    ea, e = np.broadcast_arrays(np.asarray(ea, dtype=float), np.asarray(e, dtype=float))
    with np.errstate(invalid="ignore"):
        ell = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(ea / 2),
                               np.sqrt(np.abs(1.0 - e)) * np.cos(ea / 2))
        hyp = 2.0 * np.arctan(np.sqrt((e + 1.0) / np.abs(e - 1.0)) * np.tanh(ea / 2))
    return np.where(e < 1.0, ell, hyp)


def eccentric_to_mean(ea: Any, e: Any) -> np.ndarray:
    """Mean anomaly from eccentric (E - e sin E) or hyperbolic (e sinh H - H) anomaly."""
    ea, e = np.broadcast_arrays(np.asarray(ea, dtype=float), np.asarray(e, dtype=float))
    return np.where(e < 1.0, ea - e * np.sin(ea), e * np.sinh(ea) - ea)
