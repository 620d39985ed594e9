"""Shared orbits for the Cowell tests."""

from __future__ import annotations

import numpy as np
import pytest

from areo import bodies
from areo.frames import icrf_to_iau_mars
from areo.time import Time

GM = bodies.body("mars").gm_km3s2
ET0 = float(Time.from_utc("2030-01-01T00:00:00").et)


def equatorial_basis(et: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Q, pole x Q, pole) of the IAU Mars equator at ``et`` (ICRF unit vectors)."""
    m = np.asarray(icrf_to_iau_mars(np.array([et]))).reshape(3, 3)
    p = m[2]
    q = np.cross([0.0, 0.0, 1.0], p)
    q /= np.linalg.norm(q)
    return q, np.cross(p, q), p


def circular_state(alt_km: float, inc_deg: float, et: float = ET0) -> np.ndarray:
    """Circular orbit at the ascending node of the Mars equator (ICRF state)."""
    q, e, p = equatorial_basis(et)
    a = 3396.19 + alt_km
    v = np.sqrt(GM / a)
    i = np.radians(inc_deg)
    return np.concatenate([a * q, v * (np.cos(i) * e + np.sin(i) * p)])


@pytest.fixture(scope="session")
def tgo_state() -> np.ndarray:
    return circular_state(400.0, 74.0)
