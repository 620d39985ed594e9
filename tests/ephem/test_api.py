"""Public API of areo.ephem: shapes, result forms, name resolution, errors, invariants.

The numbers themselves are checked against SPICE in test_vs_spice.py; here the oracles are
published facts (DE440's span, NAIF IDs), the JSON/pandas contract of ``areo ephem``, and
physical invariants (antisymmetry, chains) as a complement, not as the main check.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.constants import AU_KM, C_KMS
from areo.ephem import (
    ROW_KEYS,
    Ephemeris,
    StateVectors,
    default_ephemeris,
    light_time,
    position,
    state,
)
from areo.errors import AreoInputError, EpochOutOfRangeError, ParameterError, UnknownBodyError
from areo.time import Time


def test_default_ephemeris_is_de440_and_shared():
    eph = default_ephemeris()
    assert eph is default_ephemeris()
    assert eph.paths[0].endswith("de440.bsp")
    # DE440 span, JPL IOM 392R-21-005: JED 2287184.5 .. 2688976.5 (1549-12-31 .. 2650-01-25).
    lo, hi = eph.span
    assert lo == (2287184.5 - 2451545.0) * 86400.0 and hi == (2688976.5 - 2451545.0) * 86400.0
    a, b = eph.span_time
    assert a.iso.startswith("1549-12-3") and b.iso.startswith("2650-01-2")
    assert set(eph.bodies) == {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 199, 299, 301, 399}
    assert "de440.bsp" in repr(eph)


def test_name_resolution():
    eph = default_ephemeris()
    assert eph.resolve("mars") == 4  # DE440 has no 499: the barycentre, < 1 m away
    assert eph.resolve("Jupiter") == 5 and eph.resolve(599) == 5
    assert eph.resolve("earth") == 399 and eph.resolve("EMB") == 3
    assert eph.resolve("mars barycenter") == 4 and eph.resolve("ssb") == 0
    assert eph.resolve("sun") == 10 and eph.resolve("moon") == 301 and eph.resolve(" 301 ") == 301


def test_shapes_scalar_and_arrays():
    sv = state("mars", "2024-01-01")
    assert sv.states.shape == (6,) and sv.position.shape == (3,) and sv.velocity.shape == (3,)
    assert isinstance(sv.range_km, float) and isinstance(sv.light_time_s, float)
    sv = state("mars", ["2024-01-01", "2024-01-02"], center="earth")
    assert sv.states.shape == (2, 6) and sv.range_km.shape == (2,) and len(sv) == 2
    et = np.linspace(0.0, 1e8, 12).reshape(3, 4)
    sv = state("earth", et, center="sun", frame="eclipj2000")
    assert sv.states.shape == (3, 4, 6) and sv.time.shape == (3, 4)
    assert state("earth", np.array([])).states.shape == (0, 6)
    assert position("moon", 0.0, center="earth").shape == (3,)


def test_time_inputs_agree():
    iso = "2030-06-01T12:00:00Z"
    ref = state("mars", iso, center="earth").states
    for t in (Time(iso), dt.datetime(2030, 6, 1, 12), np.datetime64("2030-06-01T12:00:00"),
              float(Time(iso).et)):
        np.testing.assert_array_equal(state("mars", t, center="earth").states, ref)


def test_values_are_physical():
    # Published magnitudes: Earth-Sun 0.983-1.017 AU, Earth-Moon 356 000-407 000 km,
    # Earth orbital speed 29.3-30.3 km/s.
    et = np.linspace(0.0, 3.15e8, 400)
    es = state("earth", et, center="sun")
    assert 0.983 < es.range_km.min() / AU_KM and es.range_km.max() / AU_KM < 1.017
    speed = np.linalg.norm(es.velocity, axis=1)
    assert 29.2 < speed.min() and speed.max() < 30.4
    em = state("moon", et, center="earth")
    assert 356_000 < em.range_km.min() and em.range_km.max() < 407_000
    np.testing.assert_allclose(em.light_time_s, em.range_km / C_KMS)


def test_state_to_frame_and_json_rows():
    sv = state("mars", ["2021-02-18T20:55:00Z", "2021-02-19T00:00:00Z"], center="earth")
    df = sv.to_frame()
    assert list(df.columns) == list(ROW_KEYS)
    assert list(ROW_KEYS) == [
        "utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms", "range_km", "light_time_s",
    ]
    assert str(df["utc"].dtype) == "datetime64[ns, UTC]"
    assert abs(df["utc"].iloc[0] - pd.Timestamp("2021-02-18T20:55:00Z")) < pd.Timedelta("1us")
    np.testing.assert_array_equal(df[["x_km", "y_km", "z_km"]].to_numpy(), sv.position)
    d = json.loads(sv.to_json())
    assert d["kind"] == "StateVectors" and d["count"] == 2
    assert d["target"] == "mars barycenter" and d["target_id"] == 4 and d["center_id"] == 399
    assert d["frame"] == "j2000" and len(d["items"]) == 2
    assert list(d["items"][0]) == list(ROW_KEYS)
    assert d["items"][1]["range_km"] == pytest.approx(float(sv.range_km[1]))
    single = state("mars", "2021-02-18T20:55:00Z").to_records()
    assert len(single) == 1 and single[0]["utc"] == "2021-02-18T20:55:00.000Z"


def test_repr_is_readable():
    text = repr(state("mars", "2021-02-18T20:55:00Z", center="sun"))
    assert "mars barycenter (4)" in text and "sun (10)" in text and "range" in text
    assert "\n" not in text
    text = repr(state("earth", np.linspace(0, 1e6, 5), abcorr="lt", center="mars"))
    assert "5 states" in text and "abcorr lt" in text
    assert isinstance(state("earth", 0.0), StateVectors)


def test_out_of_range_epoch_names_epoch_span_and_fix():
    with pytest.raises(EpochOutOfRangeError) as info:
        state("mars", ["2020-01-01", "2700-01-01"])
    msg = str(info.value)
    assert "2700-01-01T00:00:00" in msg  # the bad epoch, UTC ISO
    assert "1549-12-3" in msg and "2650-01-2" in msg  # the span, UTC ISO
    assert "DE441" in msg and "de440.bsp" in msg  # the fix, the file
    assert isinstance(info.value, AreoInputError) and isinstance(info.value, ValueError)
    with pytest.raises(EpochOutOfRangeError, match="1500-06-01"):
        light_time("mars", "earth", "1500-06-01")
    with pytest.raises(EpochOutOfRangeError, match="et 1e"):
        state("earth", 1e20)


def test_unknown_bodies_list_what_is_available():
    with pytest.raises(UnknownBodyError) as info:
        state("vulcan", 0.0)
    assert "mars barycenter (4)" in str(info.value) and "moon (301)" in str(info.value)
    with pytest.raises(UnknownBodyError, match="NAIF 999"):
        state("pluto", 0.0)  # Charon moves Pluto ~2100 km from its barycentre: no fallback
    with pytest.raises(UnknownBodyError, match="NAIF -82"):
        state(-82, 0.0, center="earth")


def test_bad_frame_and_abcorr():
    with pytest.raises(ParameterError, match="eclipj2000"):
        state("mars", 0.0, frame="iau_mars")
    with pytest.raises(ParameterError, match="stellar"):
        state("mars", 0.0, abcorr="lt+s")
    with pytest.raises(ParameterError, match="receive"):
        light_time("mars", "earth", 0.0, direction="uplink")
    np.testing.assert_array_equal(
        state("mars", 0.0, frame="ICRF").states, state("mars", 0.0, frame="j2000").states
    )


def test_same_body_is_zero_and_explicit_ephemeris():
    assert np.all(state("earth", [0.0, 1.0], center=399).states == 0.0)
    eph = Ephemeris()
    np.testing.assert_array_equal(
        state("venus", 1e7, ephemeris=eph).states, state("venus", 1e7).states
    )
    eph.close()


BODIES = ["ssb", "sun", "mercury", "venus", "emb", "earth", "moon", "mars",
          "jupiter", "saturn", "uranus", "neptune", "pluto barycenter"]
ETS = st.floats(-1.2e10, 1.8e10, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(a=st.sampled_from(BODIES), b=st.sampled_from(BODIES), et=ETS)
def test_antisymmetry(a, b, et):
    # A complement to the SPICE tests: reversing target and centre negates the state.
    ab = state(a, et, center=b).states
    ba = state(b, et, center=a).states
    scale = max(1.0, float(np.linalg.norm(ab[:3])))
    np.testing.assert_allclose(ab[:3], -ba[:3], rtol=0, atol=1e-15 * scale * 8)
    np.testing.assert_allclose(ab[3:], -ba[3:], rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(a=st.sampled_from(BODIES), b=st.sampled_from(BODIES), c=st.sampled_from(BODIES), et=ETS)
def test_chain_addition(a, b, c, et):
    ac = state(a, et, center=c).states
    ab_bc = state(a, et, center=b).states + state(b, et, center=c).states
    np.testing.assert_allclose(ac[:3], ab_bc[:3], rtol=0, atol=2e-6)  # km, rounding of 1e10 km
    np.testing.assert_allclose(ac[3:], ab_bc[3:], rtol=0, atol=1e-12)
