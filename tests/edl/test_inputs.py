"""Bad input: one AreoInputError naming the input (property-based where inputs vary)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.edl import Dispersions, FlightOptions, entry_from_site, from_table, monte_carlo
from areo.edl.atmosphere import exponential, glenn, model
from areo.edl.vehicles import Event, vehicle
from areo.errors import AreoInputError

FAST = settings(max_examples=40, deadline=None)


@FAST
@given(st.text(min_size=1, max_size=20).filter(lambda s: s.strip().lower() not in {
    "msl", "m2020", "mer", "phoenix", "insight", "schiaparelli", "exomars2028"}))
def test_unknown_vehicle(name):
    try:
        vehicle(name)
    except AreoInputError as exc:
        assert "vehicle" in str(exc)


@FAST
@given(st.one_of(st.integers(max_value=0), st.integers(min_value=1_000_001, max_value=10**12)))
def test_runs_out_of_range(runs):
    with pytest.raises(AreoInputError, match="runs"):
        monte_carlo("mer", None, "2004-01-04T04:29Z", runs=runs)


@FAST
@given(st.floats(allow_nan=True, allow_infinity=True).filter(
    lambda x: not (-60.0 <= x <= -1.0)))
def test_flight_path_angle_out_of_range(fpa):
    with pytest.raises(AreoInputError, match="fpa_deg"):
        entry_from_site("mer", None, "2004-01-04T04:29Z", fpa_deg=fpa)


@FAST
@given(st.floats(max_value=0.0, allow_nan=False))
def test_non_positive_mass_or_area(x):
    from dataclasses import replace

    v = vehicle("mer")
    with pytest.raises(AreoInputError):
        replace(v, entry_mass_kg=x)
    with pytest.raises(AreoInputError):
        replace(v, diameter_m=x)
    with pytest.raises(AreoInputError):
        Event("chute", "chute", cda_m2=x)


@FAST
@given(st.floats(min_value=-1e6, max_value=49.9) | st.floats(min_value=200.1, max_value=1e6))
def test_entry_altitude_outside_the_atmosphere_model(alt):
    with pytest.raises(AreoInputError, match="alt_km"):
        entry_from_site("mer", None, "2004-01-04T04:29Z", alt_km=alt)


def _table(n: int = 20) -> np.ndarray:
    h = np.linspace(0.0, 120.0, n)
    rho = 0.015 * np.exp(-h / 11.0)
    return np.column_stack([h, np.full(n, 200.0), rho * 191.8 * 200.0, rho])


@FAST
@given(st.integers(0, 19), st.integers(0, 3),
       st.sampled_from([np.nan, np.inf, -1.0, 0.0, 1e9]))
def test_atmosphere_table_checks(row, col, bad):
    tab = _table()
    tab[row, col] = bad
    try:
        atm = from_table(tab)
    except AreoInputError:
        return
    # accepted only when the value is still physical for that column
    assert np.all(np.isfinite(atm.rho)) and np.all(atm.rho > 0)


def test_atmosphere_table_shape_order_and_bounds(tmp_path):
    from_table(_table())  # fine
    with pytest.raises(AreoInputError, match="shape"):
        from_table(_table()[:, :3])
    with pytest.raises(AreoInputError, match="increase"):
        from_table(_table()[::-1])
    t6 = np.column_stack([_table(), _table()[:, 3] * 1.1, _table()[:, 3] * 0.9])
    with pytest.raises(AreoInputError, match="rho_low"):
        from_table(t6)
    p = tmp_path / "atm.csv"
    np.savetxt(p, _table(), delimiter=",", header="h_km,T_K,p_Pa,rho", comments="")
    atm = from_table(p)
    assert atm.density(0.0) == pytest.approx(0.015)
    with pytest.raises(AreoInputError):
        model("mars-gram")


def test_builtin_atmospheres_against_their_sources():
    """The exponential model is exact; the Glenn fit at 5 km: T = -31 - 0.000998 h deg C,
    p = 0.699 exp(-0.00009 h) kPa, rho = p / (0.1921 (T + 273.1)) (NASA GRC)."""
    e = exponential()
    assert e.density(22.2) == pytest.approx(0.020 * np.exp(-2.0), rel=1e-12)
    t = -31.0 - 0.000998 * 5000.0
    p = 0.699 * np.exp(-0.00009 * 5000.0)
    assert glenn().density(5.0) == pytest.approx(p / (0.1921 * (t + 273.1)), rel=1e-3)


@FAST
@given(st.sampled_from(["mass", "cd", "density", "wind", "trigger"]),
       st.sampled_from([-0.1, np.nan, np.inf, 1e3]))
def test_dispersions_checked(name, value):
    with pytest.raises(AreoInputError, match=name):
        Dispersions(**{name: value})


def test_options_checked():
    with pytest.raises(AreoInputError, match="step_entry_s"):
        FlightOptions(step_entry_s=0.0)
    with pytest.raises(AreoInputError, match="covariance"):
        Dispersions(covariance=np.eye(5))


def test_table_band_draw_is_the_band_edge_at_one_sigma():
    """A trajectory drawn at +1 sigma of a table's (rho/f, rho*f) band flies through rho*f:
    the same landing as the table built from the high column alone (within 1 m)."""
    from areo.edl import _kernels as K
    from areo.edl.dynamics import fly, nominal_disp
    from areo.edl.entry import entry_from_site, reference_vehicle

    h = np.arange(-10.0, 200.1, 1.0)
    rho = 0.016 * np.exp(-h / 10.5)
    f = 1.15
    band = from_table(np.column_stack([h, np.full(h.size, 200.0), rho * 191.8 * 200.0, rho,
                                       rho / f, rho * f]))
    high = from_table(np.column_stack([h, np.full(h.size, 200.0), rho * f * 191.8 * 200.0,
                                       rho * f]))
    e = entry_from_site("insight", "insight", "2018-11-26T19:47Z", atmosphere=band)
    v = reference_vehicle(e.vehicle, e.target)
    d = nominal_disp(1)
    d[0, K.D_ZTAB] = 1.0
    a = fly(v, e.state[None], band, disp=d)
    b = fly(v, e.state[None], high)
    assert np.allclose(a.land[0, K.L_LAT:K.L_LON + 1], b.land[0, K.L_LAT:K.L_LON + 1],
                       atol=1e-6 / 3.4)  # rad: 1 m on Mars is 3e-7 rad
