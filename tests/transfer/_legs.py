"""A round trip's leg checked against SPICE: the Lambert arc between the planets' DE440
states (SPICE), Kepler-propagated about the Sun for its time of flight, ends within 1 km of
the arrival planet, and its excess speeds are the ones given."""

from __future__ import annotations

import numpy as np
import pytest


def check_leg(spice, bodies: tuple[str, str], ets: tuple[float, float],
              vinf: tuple[float, float], rel: float = 1e-9) -> None:
    """``bodies``: NAIF ids (departure, arrival); ``ets``: TDB seconds; ``vinf``: km/s."""
    from areo.orbits import propagate_kepler
    from areo.transfer.lambert import GM_SUN, lambert

    (a, b), (e1, e2) = bodies, ets
    s1, _ = spice.spkezr(a, e1, "J2000", "NONE", "10")
    s2, _ = spice.spkezr(b, e2, "J2000", "NONE", "10")
    sol = lambert(np.asarray(s1[:3]), np.asarray(s2[:3]), e2 - e1, GM_SUN)
    v1, v2 = np.asarray(sol.v1).ravel(), np.asarray(sol.v2).ravel()
    end = propagate_kepler(np.r_[s1[:3], v1][None], [e2 - e1], GM_SUN)[0, 0]
    assert np.linalg.norm(end[:3] - s2[:3]) < 1.0
    assert np.linalg.norm(v1 - s1[3:]) == pytest.approx(vinf[0], rel=rel)
    assert np.linalg.norm(v2 - s2[3:]) == pytest.approx(vinf[1], rel=rel)
