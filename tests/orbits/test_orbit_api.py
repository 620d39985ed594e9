"""Orbit API: constructors, bad input, JSON, numerical dispatch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from areo.errors import AreoInputError
from areo.orbits import Orbit

ET = 5.0e8

CLI_KEYS = {"epoch", "period_s", "sma_km", "ecc", "inc_deg", "raan_deg", "argp_deg",
            "mean_anomaly_deg", "raan_rate_deg_per_day", "argp_rate_deg_per_day",
            "orbits_per_sol"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(peri_alt_km=-5, apo_alt_km=400, inc_deg=10), "below the surface"),
        (dict(sma_km=9000, ecc=1.0, inc_deg=10), r"outside \[0, 1\)"),
        (dict(sma_km=9000, ecc=1.3, inc_deg=10), "Orbit.from_state"),
        (dict(peri_alt_km=300, apo_alt_km=400, inc_deg=181), r"\[0, 180\]"),
        (dict(peri_alt_km=300, apo_alt_km=400, inc_deg=-1), r"\[0, 180\]"),
        (dict(peri_alt_km=500, apo_alt_km=400, inc_deg=10), "swap"),
        (dict(peri_alt_km=float("nan"), apo_alt_km=400, inc_deg=10), "finite"),
        (dict(inc_deg=10), "pericentre and apocentre"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(AreoInputError, match=match):
        Orbit.from_elements(**kwargs)


def test_anomaly_kinds_agree():
    m = Orbit.from_elements(peri_alt_km=300, apo_alt_km=5000, inc_deg=50, anomaly_deg=40,
                            anomaly="mean")
    t = Orbit.from_elements(peri_alt_km=300, apo_alt_km=5000, inc_deg=50,
                            anomaly_deg=m.true_anomaly_deg, anomaly="true")
    assert t.mean_anomaly_deg == pytest.approx(40, abs=1e-10)


def test_to_dict_keys_and_json():
    d = Orbit.from_catalog("tgo").to_dict()
    assert CLI_KEYS <= set(d)
    json.dumps(d, allow_nan=False)
    hyp = Orbit.from_state([-4000.0, 9000.0, 300.0, 0.5, -3.9, 0.2], ET)
    dh = hyp.to_dict()
    assert dh["period_s"] is None and dh["sma_km"] < 0
    json.dumps(dh, allow_nan=False)
    assert "hyperbolic" in str(hyp)


def test_batch_indexing_and_repr():
    b = Orbit.from_elements(peri_alt_km=[300, 400, 500], ecc=0.01, inc_deg=[10, 20, 30])
    assert len(b) == 3 and not b.is_scalar
    assert b[1].inc_deg == pytest.approx(20)
    assert "batch of 3" in repr(b)
    assert len(b.to_frame()) == 3


def test_numerical_dispatch_or_skip():
    pytest.importorskip("areo.orbits.numerical")
    o = Orbit.from_catalog("tgo")
    t = o.et + np.arange(0, 3 * 3600.0, 600.0)
    num = o.propagate(t, model="numerical")
    kep = o.propagate(t, model="kepler")
    assert num.states.shape == kep.states.shape
    # J2 moves TGO by tens of km in 3 h, not hundreds.
    assert np.max(np.linalg.norm(num.states[:, :3] - kep.states[:, :3], axis=1)) < 200
