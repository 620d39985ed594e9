"""The entry corridor against Allen & Eggers (1958): for a steep ballistic entry the peak
deceleration is V_E^2 sin|gamma| / (2 e H), so peak g / sin|gamma| is a constant of the
the entry speed and scale height (within 15 % with gravity and curvature
over the exponential atmosphere for gamma <= -20 deg; V_E the speed relative to the
rotating atmosphere)."""

from __future__ import annotations

import math

import numpy as np

from areo.edl import entry_corridor, entry_from_site, exponential


def test_peak_load_scales_with_sin_gamma_and_corridor_edges():
    e = entry_from_site("mer", None, "2004-01-04T04:29Z", atmosphere="exponential")
    c = entry_corridor(e, np.arange(-40.0, -5.9, 1.0), atmosphere=exponential())
    steep = c.fpa_deg <= -20.0
    v_rel = float(np.linalg.norm(e.state[3:6])) * 1000.0
    ae = v_rel ** 2 / (2 * math.e * 11100.0) / 9.80665
    ratio = c.peak_g[steep] / (ae * np.sin(np.radians(-c.fpa_deg[steep])))
    assert np.all(np.abs(ratio - 1.0) < 0.12), ratio
    assert np.all(np.diff(c.peak_g[steep]) < 0)  # shallower (larger fpa): lower peak
    assert -40.0 < c.steep_deg < c.shallow_deg < -6.0
    fr = c.to_frame()
    assert fr.in_corridor.sum() == c.ok.sum() and repr(c).startswith("Corridor:")
