"""Validation at the public edge: bad numbers raise AreoInputError naming the argument.

Three parts:

- every public function that used to return garbage (NaN, inf, 0, a negative speed) or a
  stray SystemError for NaN/inf or out-of-domain input now raises the right
  :class:`areo.errors.AreoInputError` subclass with the argument's name in the message
  (each case was run against the code before the validator and did not raise so);
- hypothesis: random finite in-domain inputs give finite results that satisfy a physical
  invariant written here (vis-viva energy, angular momentum, element round trips), and any
  NaN or infinity among the inputs raises AreoInputError, never a silent NaN;
- work that would allocate gigabytes (a 10-year span at 1 s) is refused at once with the
  size and the knob.

``areo.validate`` is imported inside the tests that need it, so that the first part runs
(and fails) on code without it.
"""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areo.errors import AreoInputError, CoordinateRangeError, ParameterError

NAN, INF = float("nan"), float("inf")
MU = 42828.375816  # km^3/s^2, JPL DE440 Mars GM (Park et al. 2021)
R_EQ = 3396.19  # km, IAU 2015 Mars equatorial radius
LEO = [R_EQ + 400.0, 0.0, 0.0, 0.0, 3.35, 0.5]  # a Mars orbit state, km and km/s


def _pair():
    from areo.relay import RadioPair

    return RadioPair("electra-lite", "electra")


def _m():
    import areo.orbits as m

    return m


def _design():
    from areo.orbits import design

    return design


def _atm():
    from areo.orbits.numerical import atmosphere

    return atmosphere


def _man():
    from areo.transfer import maneuvers

    return maneuvers


def _env():
    from areo.surface import environment

    return environment


def _ell():
    from areo.frames import ellipsoid

    return ellipsoid


def _orbit():
    from areo.orbits import Orbit

    return Orbit


def _sp():
    from areo.frames import SurfacePoint

    return SurfacePoint


def _link():
    from areo.relay import link

    return link


# (id, call, error type, text the message must contain: the argument's name)
BAD_INPUT = [
    # Reproduced in the issue.
    ("departure_dv(nan)", lambda: _man().departure_dv(NAN), ParameterError, "vinf_kms"),
    ("capture_dv(inf)", lambda: _man().capture_dv(INF), ParameterError, "vinf_kms"),
    ("coe_to_state(a=nan)", lambda: _m().coe_to_state(NAN, 0.1, 1.0, 0, 0, 0, MU),
     ParameterError, "a = nan"),
    ("coe_to_state(e=-0.5)", lambda: _m().coe_to_state(7000.0, -0.5, 1.0, 0, 0, 0, MU),
     ParameterError, "e = -0.5"),
    ("state_to_coe(inf)", lambda: _m().state_to_coe([INF, 0, 0, 0, 3, 0], MU),
     ParameterError, "states"),
    ("propagate_kepler(mu=-1)", lambda: _m().propagate_kepler(LEO, [0.0, 100.0], -1.0),
     ParameterError, "mu = -1"),
    ("j2_secular_rates(inc=nan)",
     lambda: _m().j2_secular_rates(4000.0, 0.01, NAN, MU, 1.96e-3, R_EQ), ParameterError,
     "inc"),
    ("mean_to_true(1, e=-0.5)", lambda: _m().mean_to_true(1.0, -0.5), ParameterError, "e"),
    ("mean_to_true(nan, 0.5)", lambda: _m().mean_to_true(NAN, 0.5), ParameterError, "m"),
    ("SurfacePoint.from_planetocentric_deg(10, inf)",
     lambda: _sp().from_planetocentric_deg(10.0, INF), CoordinateRangeError, "lon_east_deg"),
    ("ebn0_db(eirp=nan)", lambda: _link().ebn0_db(NAN, 1000.0, 401.0, 0.0, 1000.0),
     ParameterError, "eirp_dbw"),
    ("RadioPair.rate_bps(1000, elev_deg=nan)", lambda: _pair().rate_bps(1000.0, elev_deg=NAN),
     CoordinateRangeError, "elev_deg"),
    ("daily_insolation(18, nan, 0.5)", lambda: _env().daily_insolation(18.0, NAN, 0.5),
     ParameterError, "ls_deg"),
    # More of the same kind in the same modules.
    ("true_to_mean beyond the asymptote", lambda: _m().true_to_mean(3.0, 1.5), ParameterError,
     "nu"),
    ("true_to_eccentric(nan)", lambda: _m().true_to_eccentric(NAN, 0.5), ParameterError, "nu"),
    ("eccentric_to_true(0.3, e=1)", lambda: _m().eccentric_to_true(0.3, 1.0), ParameterError,
     "e"),
    ("coe_to_state hyperbola with a > 0",
     lambda: _m().coe_to_state(7000.0, 1.5, 1.0, 0, 0, 0, MU), ParameterError, "a = 7000"),
    ("state_to_coe zero position", lambda: _m().state_to_coe([0, 0, 0, 0, 3, 0], MU),
     ParameterError, "states"),
    ("state_to_coe rectilinear", lambda: _m().state_to_coe([4000, 0, 0, 1, 0, 0], MU),
     ParameterError, "states"),
    ("Orbit(a=nan)", lambda: _orbit()(NAN, 0.1, 0, 0, 0, 0, 0), ParameterError, "a"),
    ("Orbit(e=-1)", lambda: _orbit()(7000.0, -1.0, 0, 0, 0, 0, 0), ParameterError, "e"),
    ("Orbit wholly inside Mars", lambda: _orbit()(3000.0, 0.0, 0, 0, 0, 0, 0),
     ParameterError, "a = 3000"),
    ("Orbit.from_state inside Mars", lambda: _orbit().from_state([1000, 0, 0, 0, 3, 0]),
     ParameterError, "state"),
    ("sun_synchronous_inclination(nan)", lambda: _design().sun_synchronous_inclination(NAN),
     ParameterError, "alt_km"),
    ("sun_synchronous_inclination(-4000)",
     lambda: _design().sun_synchronous_inclination(-4000.0), ParameterError, "alt_km"),
    ("sun_synchronous_inclination(ecc=1.5)",
     lambda: _design().sun_synchronous_inclination(sma_km=4000.0, ecc=1.5), ParameterError,
     "ecc"),
    ("frozen_eccentricity(nan)", lambda: _design().frozen_eccentricity(NAN, 90.0),
     ParameterError, "sma_km"),
    ("hohmann(nan)", lambda: _design().hohmann(NAN, 5000.0), ParameterError, "r1_km"),
    ("hohmann(mu=-1)", lambda: _design().hohmann(4000.0, 5000.0, mu=-1.0), ParameterError,
     "mu"),
    ("plane_change_dv(-3)", lambda: _design().plane_change_dv(-3.0, 3.0), ParameterError,
     "v_kms"),
    ("combined_plane_change_dv(nan)", lambda: _design().combined_plane_change_dv(3.0, NAN, 3),
     ParameterError, "v2_kms"),
    ("lifetime_estimate(mass=nan)",
     lambda: _design().lifetime_estimate(_orbit().circular(150.0), mass_kg=NAN, area_m2=1.0),
     ParameterError, "mass_kg"),
    ("ExponentialAtmosphere(H=nan)",
     lambda: _atm().ExponentialAtmosphere(0.020, scale_height_km=NAN), ParameterError,
     "scale_height_km"),
    ("ExponentialAtmosphere(h0=nan)",
     lambda: _atm().ExponentialAtmosphere(0.020, 11.1, h0_km=NAN), ParameterError, "h0_km"),
    ("orbit_insertion(nan)", lambda: _man().orbit_insertion(NAN), ParameterError, "vinf_kms"),
    ("planetocentric_to_cartesian(lon=nan)",
     lambda: _ell().planetocentric_to_cartesian(0.1, NAN, 3396.0), CoordinateRangeError,
     "lon"),
    ("planetocentric_to_cartesian(radius<0)",
     lambda: _ell().planetocentric_to_cartesian(0.1, 0.0, -5.0), CoordinateRangeError,
     "radius"),
    ("planetodetic_to_cartesian(height=nan)",
     lambda: _ell().planetodetic_to_cartesian(0.1, 0.0, NAN), CoordinateRangeError, "height"),
    ("site_position(height=nan)", lambda: _ell().site_position(10.0, 10.0, NAN),
     CoordinateRangeError, "height_km"),
    ("RadioPair.ebn0_db(elev=nan)", lambda: _pair().ebn0_db(1000.0, 1000.0, NAN),
     CoordinateRangeError, "elev_deg"),
    ("RadioPair.rate_bps(elev=200)", lambda: _pair().rate_bps(1000.0, elev_deg=200.0),
     CoordinateRangeError, "elev_deg"),
    ("toa_irradiance_ls(nan)", lambda: _env().toa_irradiance_ls(NAN), ParameterError,
     "ls_deg"),
    ("solar_zenith_ls(ltst=nan)", lambda: _env().solar_zenith_ls(10.0, 10.0, NAN),
     ParameterError, "ltst_hours"),
    ("surface_irradiance(z=nan)", lambda: _env().surface_irradiance(NAN, 0.5, 590.0),
     ParameterError, "z_deg"),
    ("surface_irradiance(g_ob=-5)", lambda: _env().surface_irradiance(30.0, 0.5, -5.0),
     ParameterError, "g_ob"),
    ("tilted_irradiance(sun_azimuth=nan)",
     lambda: _env().tilted_irradiance(30.0, NAN, 0.5, 590.0, 10.0, 180.0), ParameterError,
     "sun_azimuth_deg"),
    ("daily_insolation(azimuth=nan)",
     lambda: _env().daily_insolation(18.0, 10.0, 0.5, tilt_deg=10.0, azimuth_deg=NAN),
     ParameterError, "azimuth_deg"),
    ("DustModel.factor(nan)", lambda: _env().DustModel().factor(NAN), ParameterError, "sol"),
]


@pytest.mark.parametrize(("call", "error", "name"), [c[1:] for c in BAD_INPUT],
                         ids=[c[0] for c in BAD_INPUT])
def test_bad_input_raises_naming_the_argument(call, error, name):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, AreoInputError)
    assert name in str(info.value)


# ------------------------------------------------------------------ the validator itself
def test_validator_messages_name_argument_range_value_and_fix():
    from areo import validate

    with pytest.raises(ParameterError) as info:
        validate.in_range(-0.5, "e", 0.0, 1.0, hi_open=True, what="for an elliptic orbit",
                          hint="use Orbit.from_state for open orbits")
    assert str(info.value) == ("e = -0.5 is outside [0, 1) for an elliptic orbit: give "
                               "0 <= e < 1 (use Orbit.from_state for open orbits)")
    with pytest.raises(ParameterError, match=r"^a\[1\] = nan km \(and 1 more of 3\) is not "
                       r"a finite number: give a finite number of km$"):
        validate.finite([1.0, NAN, INF], "a", unit="km")
    with pytest.raises(CoordinateRangeError, match=r"lat\[0, 1\] = 95 deg is outside "
                       r"\[-90, 90\] deg"):
        validate.in_range([[0.0, 95.0]], "lat", -90, 90, unit="deg",
                          error=CoordinateRangeError)
    with pytest.raises(ParameterError, match=r"mu = 0 km\^3/s\^2 is not positive: give mu > 0"):
        validate.positive(0.0, "mu", unit="km^3/s^2")
    with pytest.raises(ParameterError, match="is not a finite number >= 0"):
        validate.non_negative(-INF, "x")
    with pytest.raises(ParameterError, match="is not a number"):
        validate.finite("abc", "x")
    with pytest.raises(ParameterError, match="None is not a number"):
        validate.positive(None, "x")


def test_validator_returns_float64_of_the_input_shape():
    from areo import validate

    assert validate.finite(2, "x") == 2.0 and np.ndim(validate.finite(2, "x")) == 0
    out = validate.in_range(np.arange(6).reshape(2, 3), "x", 0, 5)
    assert out.dtype == np.float64 and out.shape == (2, 3)
    assert validate.positive([1, 2], "x").tolist() == [1.0, 2.0]
    assert validate.non_negative(0, "x") == 0.0
    assert validate.sample_count(0.0, 10.0, 1.0) == 11


# ------------------------------------------------------------------ sane sizes
TEN_YEARS_S = 10 * 365.25 * 86400.0
# "Refused at once" is checked by memory, not by a clock: 10 years at 1 s is 315,532,801
# samples (2.5 GB of float64) and even the 50,000,000-sample limit is 400 MB, so a refusal
# whose traced peak (tracemalloc sees numpy's buffers) stays under 1 MiB allocated nothing
# of that size: the size was checked before any work. Measured peak: 3-11 kB.
REFUSAL_PEAK_BYTES = 1 << 20


def _refusal_peak(call, match: str):
    """(peak traced bytes, ExceptionInfo) of ``call`` raising ParameterError(match); a first
    unmeasured call does any lazy import or cache fill, so the peak is the refusal's own."""
    with pytest.raises(ParameterError, match=match):
        call()
    tracemalloc.start()
    try:
        with pytest.raises(ParameterError, match=match) as info:
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, info


def test_time_arange_refuses_a_ten_year_span_at_one_second_at_once():
    from areo.time import Time

    peak, info = _refusal_peak(lambda: Time.arange("2030-01-01", "2040-01-01", 1.0), "limit")
    assert peak < REFUSAL_PEAK_BYTES
    msg = str(info.value)
    assert "from 2030-01-01T00:00:00.000Z to 2040-01-01T00:00:00.000Z" in msg
    assert "step of 1 s gives 315,532,801 samples (limit 50,000,000" in msg
    assert "use a larger step_s or a shorter span" in msg
    for step in (0.0, -60.0, NAN, INF):
        with pytest.raises(ParameterError, match="step_s"):
            Time.arange("2030-01-01", "2030-01-02", step)
    peak, _ = _refusal_peak(lambda: Time.linspace("2030-01-01", "2040-01-01", 10**9),
                            "limit 50,000,000")
    assert peak < REFUSAL_PEAK_BYTES
    with pytest.raises(ParameterError, match="num"):
        Time.linspace("2030-01-01", "2040-01-01", NAN)
    assert len(Time.arange("2030-01-01", "2030-01-02", 3600.0)) == 25


def test_the_limit_is_a_module_knob(monkeypatch):
    from areo import validate
    from areo.time import Time

    monkeypatch.setattr(validate, "MAX_SAMPLES", 10)
    with pytest.raises(ParameterError, match=r"25 samples \(limit 10"):
        Time.arange("2030-01-01", "2030-01-02", 3600.0)
    assert len(Time.arange("2030-01-01", "2030-01-01T09:00", 3600.0)) == 10


def test_event_searches_refuse_a_ten_year_span_at_one_second_at_once():
    from areo import _search
    from areo.events import find_extrema, find_windows, find_windows_multi

    calls = []

    def f(et, *which):
        calls.append(np.size(et))
        return np.sin(et / 1000.0)

    for search in (
        lambda: find_windows(f, 0.0, TEN_YEARS_S, step_s=1.0),
        lambda: find_windows_multi(f, 0.0, TEN_YEARS_S / 100, step_s=1.0, n_objects=60),
        lambda: find_extrema(f, 0.0, TEN_YEARS_S, step_s=1.0),
        lambda: _search.find_windows(f, 0.0, TEN_YEARS_S, 1.0, 0.5),
        lambda: _search.window_minima(f, np.array([0.0]), np.array([TEN_YEARS_S]), 1.0),
    ):
        peak, _ = _refusal_peak(search, r"samples.*limit 50,000,000")
        assert peak < REFUSAL_PEAK_BYTES
    assert calls == []  # refused before the function was sampled


def test_passes_refuse_a_ten_year_span_at_one_second():
    from areo.events import passes
    from areo.events.sources import orbiter

    tgo = orbiter("tgo")
    peak, _ = _refusal_peak(
        lambda: passes(tgo, "jezero", "2030-01-01", "2040-01-01", step_s=1.0),
        "at a step of 1 s gives 315,532,801 samples")
    assert peak < REFUSAL_PEAK_BYTES


# ------------------------------------------------------------------ properties
fin = dict(allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    rp=st.floats(R_EQ + 100.0, R_EQ + 50_000.0, **fin),
    e=st.floats(0.0, 0.95, **fin),
    inc=st.floats(0.0, math.pi, **fin),
    raan=st.floats(-10.0, 10.0, **fin),
    argp=st.floats(-10.0, 10.0, **fin),
    nu=st.floats(-10.0, 10.0, **fin),
)
def test_elliptic_elements_give_finite_states_with_vis_viva_energy(rp, e, inc, raan, argp, nu):
    from areo.orbits import coe_to_state, state_to_coe

    a = rp / (1.0 - e)
    s = coe_to_state(a, e, inc, raan, argp, nu, MU)[0]
    assert np.all(np.isfinite(s))
    r, v = np.linalg.norm(s[:3]), np.linalg.norm(s[3:])
    # Vis-viva: v^2/2 - mu/r = -mu/(2a); h^2 = mu p.
    assert 0.5 * v * v - MU / r == pytest.approx(-MU / (2.0 * a), rel=1e-10)
    h = np.linalg.norm(np.cross(s[:3], s[3:]))
    assert h * h == pytest.approx(MU * a * (1.0 - e * e), rel=1e-10)
    coe = state_to_coe(s, MU)
    assert all(np.all(np.isfinite(x)) for x in coe.values())
    assert float(coe["a"]) == pytest.approx(a, rel=1e-8)
    assert float(coe["e"]) == pytest.approx(e, abs=1e-8)


@settings(max_examples=200, deadline=None)
@given(
    rp=st.floats(R_EQ + 100.0, R_EQ + 50_000.0, **fin),
    e=st.floats(1.01, 5.0, **fin),
    frac=st.floats(-0.99, 0.99, **fin),
    inc=st.floats(0.0, math.pi, **fin),
)
def test_hyperbolic_elements_give_finite_states_with_vis_viva_energy(rp, e, frac, inc):
    from areo.orbits import coe_to_state, propagate_kepler, true_to_mean

    a = rp / (1.0 - e)  # negative
    nu = frac * math.acos(-1.0 / e)  # inside the asymptotes
    s = coe_to_state(a, e, inc, 0.3, 0.2, nu, MU)[0]
    assert np.all(np.isfinite(s))
    r, v = np.linalg.norm(s[:3]), np.linalg.norm(s[3:])
    assert 0.5 * v * v - MU / r == pytest.approx(-MU / (2.0 * a), rel=1e-9)
    assert np.isfinite(true_to_mean(nu, e))
    out = propagate_kepler(s, [-3600.0, 0.0, 7200.0], MU)[0]
    assert np.all(np.isfinite(out))
    energy = 0.5 * np.sum(out[:, 3:] ** 2, axis=1) - MU / np.linalg.norm(out[:, :3], axis=1)
    np.testing.assert_allclose(energy, -MU / (2.0 * a), rtol=1e-8)


@settings(max_examples=100, deadline=None)
@given(vinf=st.floats(0.0, 20.0, **fin), alt=st.floats(0.0, 5000.0, **fin),
       period_h=st.floats(4.0, 200.0, **fin))
def test_manoeuvres_are_finite_and_positive(vinf, alt, period_h):
    from areo.transfer.maneuvers import CaptureOrbit, capture_dv, departure_dv

    dv = departure_dv(vinf, alt)
    # Vis-viva at the parking radius, written here.
    rp = 6378.137 + alt
    mu_e = 398600.435507
    assert dv == pytest.approx(math.sqrt(vinf**2 + 2 * mu_e / rp) - math.sqrt(mu_e / rp))
    cap = CaptureOrbit.from_period(250.0, period_h * 3600.0)
    assert np.isfinite(capture_dv(vinf, cap)) and capture_dv(vinf, cap) > 0.0


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.floats(100.0, 1e5, **fin), elev=st.floats(-90.0, 90.0, **fin))
def test_link_rates_are_table_values_or_zero(rng, elev):
    pair = _pair()
    r = float(pair.rate_bps(rng, elev))
    assert r == 0.0 or r in pair.rates_bps
    assert np.isfinite(pair.ebn0_db(rng, 1000.0, elev))


@settings(max_examples=50, deadline=None)
@given(lat=st.floats(-90.0, 90.0, **fin), ls=st.floats(-720.0, 720.0, **fin),
       tau=st.floats(0.0, 10.0, **fin))
def test_daily_insolation_is_finite_and_non_negative(lat, ls, tau):
    d = _env().daily_insolation(lat, ls, tau)
    for x in (d.global_, d.beam, d.diffuse):
        assert np.isfinite(x) and x >= -1e-9


# Each entry: a function and valid arguments; the property test poisons one of them (as a
# number, or inside an array where the argument broadcasts; state vectors are poisoned
# element by element).
VALID_CALLS = [
    ("departure_dv", lambda a: _man().departure_dv(*a), [2.6, 200.0]),
    ("capture_dv", lambda a: _man().capture_dv(a[0]), [2.6]),
    ("coe_to_state", lambda a: _m().coe_to_state(*a), [7000.0, 0.1, 1.0, 0.2, 0.3, 0.4, MU]),
    ("state_to_coe", lambda a: _m().state_to_coe(np.array(a, dtype=float), MU), list(LEO)),
    ("propagate_kepler", lambda a: _m().propagate_kepler(np.array(a[:6], dtype=float),
                                                         a[6:8], a[8]),
     [*LEO, 0.0, 600.0, MU]),
    ("j2_secular_rates", lambda a: _m().j2_secular_rates(*a), [4000.0, 0.01, 1.0, MU,
                                                              1.96e-3, R_EQ]),
    ("mean_to_true", lambda a: _m().mean_to_true(*a), [1.0, 0.3]),
    ("true_to_mean", lambda a: _m().true_to_mean(*a), [1.0, 1.3]),
    ("Orbit.from_elements", lambda a: _orbit().from_elements(
        peri_alt_km=a[0], apo_alt_km=a[1], inc_deg=a[2], raan_deg=a[3], argp_deg=a[4],
        anomaly_deg=a[5]), [300.0, 10000.0, 86.0, 10.0, 20.0, 30.0]),
    ("Orbit.from_state", lambda a: _orbit().from_state(np.array(a, dtype=float)), list(LEO)),
    ("SurfacePoint", lambda a: _sp().from_planetocentric_deg(*a), [18.4, 77.5, -2.0]),
    ("site_position", lambda a: _ell().site_position(*a), [18.4, 77.5, -2.0]),
    ("ebn0_db", lambda a: _link().ebn0_db(*a), [10.0, 1000.0, 401.0, -20.0, 1000.0, 2.0]),
    ("rate_bps", lambda a: _pair().rate_bps(*a), [1000.0, 45.0]),
    ("daily_insolation", lambda a: _env().daily_insolation(*a), [18.0, 90.0, 0.5]),
    ("surface_irradiance", lambda a: _env().surface_irradiance(*a), [30.0, 0.5, 590.0]),
    ("hohmann", lambda a: _design().hohmann(*a), [3796.0, 20000.0]),
    ("sun_synchronous_inclination", lambda a: _design().sun_synchronous_inclination(*a),
     [400.0]),
]
VECTOR_ARGS = {"state_to_coe", "Orbit.from_state", "propagate_kepler"}


def _finite_leaves(out) -> list[np.ndarray]:
    items = out.values() if isinstance(out, dict) else (
        out if isinstance(out, tuple) else [out])
    leaves = []
    for v in items:
        for attr in ("position_km", "state", "global_", "dv_total_kms"):
            if hasattr(v, attr):
                v = getattr(v, attr)
                break
        leaves.append(np.asarray(v, dtype=float))
    return leaves


@pytest.mark.parametrize(("call", "args"), [c[1:] for c in VALID_CALLS],
                         ids=[c[0] for c in VALID_CALLS])
def test_valid_calls_give_finite_results(call, args):
    assert all(np.all(np.isfinite(v)) for v in _finite_leaves(call(list(args))))


@settings(max_examples=300, deadline=None)
@given(
    which=st.integers(0, len(VALID_CALLS) - 1),
    pos=st.integers(0, 20),
    bad=st.sampled_from([NAN, INF, -INF]),
    as_array=st.booleans(),
)
def test_any_nan_or_inf_raises_never_a_silent_nan(which, pos, bad, as_array):
    name, call, args = VALID_CALLS[which]
    args = list(args)
    k = pos % len(args)
    array = as_array and name not in VECTOR_ARGS
    args[k] = np.array([args[k], bad]) if array else bad
    with pytest.raises(AreoInputError):
        call(args)
