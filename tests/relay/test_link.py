"""Tests of areo.relay.link against independent formulas and published relay anchors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo import relay
from areo.errors import AreoInputError, CatalogFileError, ParameterError, UnknownEntryError
from areo.events import passes
from areo.events.sources import orbiter

K_BOLTZMANN = 1.380649e-23  # J/K, exact (SI 2019)
C = 299_792_458.0  # m/s


@pytest.fixture(scope="module")
def pair() -> relay.RadioPair:
    return relay.RadioPair("electra-lite", "electra")


@pytest.fixture(scope="module")
def mro_passes():
    traj = orbiter("mro")
    found = passes(traj, "gale", "2014-11-06", "2014-11-09", min_elev_deg=10.0, step_s=120.0)
    assert len(found) >= 4
    return traj, found


# -- link budget ------------------------------------------------------------------------------
def test_free_space_loss_hand_value():
    # Hand computation: 4 pi d f / c with d = 1000 km, f = 400 MHz:
    # 4 * 3.14159265 * 1e6 * 4e8 / 299792458 = 1.676676e7 -> 20 log10 = 144.4887 dB.
    assert float(relay.free_space_loss_db(1000.0, 400.0)) == pytest.approx(144.4887, abs=1e-3)
    # Doubling the range adds 20 log10(2) = 6.0206 dB.
    d = relay.free_space_loss_db([500.0, 1000.0], 400.0)
    assert d[1] - d[0] == pytest.approx(6.0206, abs=1e-4)


def test_ebn0_independent_formula(pair):
    # Linear-power form of the budget (no dB algebra): Eb/N0 = P_r / (k T R), with
    # P_r = EIRP * G_r / (L_fs * L_other) and G_r / T given as G/T.
    d_km, rate, el = 1234.5, 256_000.0, 37.0
    eirp_w = 10 ** ((pair.lander.eirp_dbw + float(pair.lander.gain_db(el))) / 10)
    lfs = (4 * math.pi * d_km * 1e3 * pair.frequency_mhz * 1e6 / C) ** 2
    g_over_t = 10 ** (pair.orbiter.g_over_t_db_k / 10)
    other = 10 ** (pair.other_losses_db / 10)
    ebn0 = eirp_w / lfs / other * g_over_t / (K_BOLTZMANN * rate)
    assert float(pair.ebn0_db(d_km, rate, el)) == pytest.approx(10 * math.log10(ebn0), abs=1e-9)


def test_uncoded_requirement_matches_bpsk_theory():
    # BPSK BER = 0.5 erfc(sqrt(Eb/N0)) = 1e-5 at 9.59 dB (Sklar): the table's 9.6 dB.
    ber = 0.5 * math.erfc(math.sqrt(10 ** (relay.CODING_REQUIRED_EBN0_DB["uncoded"] / 10)))
    assert 0.8e-5 < ber < 1.05e-5


def test_rate_is_best_closing_table_rate(pair):
    ranges = np.array([300.0, 800.0, 2000.0, 5000.0, 20000.0, 1e6])
    el = np.full(ranges.shape, 45.0)
    got = pair.rate_bps(ranges, el)
    for d, r in zip(ranges, got, strict=True):
        closing = [x for x in pair.rates_bps
                   if float(pair.ebn0_db(d, x, 45.0)) - pair.required_ebn0_db
                   >= pair.link_margin_db]
        assert r == (max(closing) if closing else 0.0)
    assert got[-1] == 0.0  # 1e6 km: nothing closes
    assert set(got) <= set(pair.rates_bps) | {0.0}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(1.0, 1e5), min_size=2, max_size=50), st.floats(0.0, 90.0))
def test_rate_non_increasing_with_range(ranges, el):
    pair = relay.RadioPair("electra-lite", "electra")
    d = np.sort(np.asarray(ranges))
    r = pair.rate_bps(d, np.full(d.shape, el))
    assert np.all(np.diff(r) <= 0.0)


def test_max_range_consistent(pair):
    d = pair.max_range_km(2_048_000.0, 45.0)
    assert pair.rate_bps(d * 0.999, 45.0) == 2_048_000.0
    assert pair.rate_bps(d * 1.001, 45.0) < 2_048_000.0


def test_elevation_pattern_changes_rate(pair):
    d = pair.max_range_km(1_024_000.0, 45.0) * 0.99
    assert pair.rate_bps(d, 45.0) == 1_024_000.0
    assert pair.rate_bps(d, 0.0) < 1_024_000.0  # -6 dB at the horizon


# -- pass volume ------------------------------------------------------------------------------
def test_volume_is_trapezoid_of_profile(mro_passes, pair):
    traj, found = mro_passes
    p = found[0]
    link = relay.pass_volume(p, traj, "gale", pair, setup_s=60.0, step_s=2.0)
    t, r = link.times_et, link.rates_bps
    assert t[0] == pytest.approx(p.aos.et + 60.0)
    assert t[-1] == pytest.approx(p.los.et)
    trap = sum(0.5 * (r[i] + r[i + 1]) * (t[i + 1] - t[i]) for i in range(t.size - 1))
    assert link.volume_mbit == pytest.approx(trap / 1e6, rel=1e-12)
    assert link.mean_rate_bps == pytest.approx(trap / (t[-1] - t[0]), rel=1e-12)
    # Profile geometry matches the pass: the closest sampled range is the pass minimum.
    assert link.range_km.min() == pytest.approx(p.min_range_km, abs=2.0)


def test_modes_setup_and_margin(mro_passes, pair):
    traj, found = mro_passes
    p = found[0]
    adr = relay.pass_volume(p, traj, "gale", pair, margin_fraction=0.25)
    fixed = relay.pass_volume(p, traj, "gale", pair, mode="fixed")
    assert adr.planned_mbit == pytest.approx(0.75 * adr.volume_mbit)
    # Fixed over the whole pass: one rate, the lowest ADR rate; never more than ADR.
    assert np.all(fixed.rates_bps == fixed.fixed_rate_bps)
    assert fixed.fixed_rate_bps == adr.rates_bps.min()
    assert fixed.volume_mbit <= adr.volume_mbit
    hi = relay.pass_volume(p, traj, "gale", pair, mode="fixed", plan_elev_deg=30.0)
    assert hi.fixed_rate_bps >= fixed.fixed_rate_bps
    assert set(np.unique(hi.rates_bps)) <= {0.0, hi.fixed_rate_bps}
    no_setup = relay.pass_volume(p, traj, "gale", pair, setup_s=0.0)
    assert no_setup.volume_mbit > adr.volume_mbit
    swallowed = relay.pass_volume(p, traj, "gale", pair, setup_s=p.duration_s + 1)
    assert swallowed.volume_mbit == 0.0


def test_many_passes_match_one_by_one(mro_passes, pair):
    traj, found = mro_passes
    many = relay.pass_volumes(found, {found[0].orbiter: traj}, pair, step_s=5.0)
    assert len(many) == len(found)
    for p, link in zip(found, many, strict=True):
        one = relay.pass_volume(p, traj, "gale", pair, step_s=5.0)
        assert link.volume_mbit == pytest.approx(one.volume_mbit, rel=1e-12)


# -- independent re-derivation of pass volumes --------------------------------------------
# The link budget in linear power with the catalog radios' figures (P_r/N0 = EIRP G(el) (G/T)
# / (L_fs L_other k)), the best Proximity-1 rate both radios carry whose Eb/N0 = P_r/(N0 R)
# clears required x margin, on a geometry computed here: the orbiter's ICRF position rotated
# by SPICE pxform (IAU 2015 PCK) and the site on the IAU 2015 ellipsoid (Archinal et al. 2018:
# 3396.19 x 3376.20 km; catalog latitudes are planetocentric), elevation above the ellipsoid
# normal (SPICE surfnm).
MARS_A_KM, MARS_C_KM = 3396.19, 3376.20


def _oracle_geometry(spice, traj, site_key, et):
    from areo.catalog import site

    s = site(site_key)
    lat, lon = math.radians(s.lat_deg), math.radians(s.lon_east_deg)
    r = MARS_A_KM * MARS_C_KM / math.hypot(MARS_C_KM * math.cos(lat), MARS_A_KM * math.sin(lat))
    where = r * np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon),
                          math.sin(lat)])
    normal = np.asarray(spice.surfnm(MARS_A_KM, MARS_A_KM, MARS_C_KM, where))
    pos = np.asarray(traj.state(et))[:, :3]
    rho = np.array([spice.pxform("J2000", "IAU_MARS", e) @ x for e, x in zip(et, pos,
                                                                              strict=True)])
    rho -= where
    rng = np.linalg.norm(rho, axis=1)
    return rng, np.degrees(np.arcsin(rho @ normal / rng))


def _oracle_rates(pair, range_km, elev_deg):
    """(rate bit/s, dB above the nearest rate threshold) from the budget in linear power."""
    lander, orb = pair.lander, pair.orbiter
    gain_db = (np.interp(elev_deg, lander.pattern_elev_deg, lander.pattern_db)
               if lander.pattern_elev_deg else np.zeros_like(elev_deg))
    eirp_w = 10 ** ((lander.eirp_dbw + gain_db) / 10)
    lfs = (4 * math.pi * np.asarray(range_km) * 1e3 * pair.frequency_mhz * 1e6 / C) ** 2
    pr_n0 = eirp_w / lfs / 10 ** (pair.other_losses_db / 10) * 10 ** (orb.g_over_t_db_k / 10)
    pr_n0 /= K_BOLTZMANN
    rates = np.array(sorted(set(lander.rates_bps) & set(orb.rates_bps)))
    ratio = pr_n0[:, None] / rates[None, :] / 10 ** ((pair.required_ebn0_db
                                                      + pair.link_margin_db) / 10)
    best = np.where(ratio >= 1.0, rates[None, :], 0.0).max(axis=1)
    return best, np.min(np.abs(10 * np.log10(ratio)), axis=1)


def _check_against_oracle(spice, link, traj, site_key, pair):
    """Rates sample by sample and the volume; returns the oracle's (range, elevation)."""
    rng, el = _oracle_geometry(spice, traj, site_key, link.times_et)
    want, headroom = _oracle_rates(pair, rng, el)
    # geometry to 1e-5 km and 1e-5 deg (measured 3e-8 km, 7e-9 deg: SPICE vs areo's
    # interpolated rotation table); every sample >= 1e-3 dB from a rate threshold (measured
    # >= 5e-3 dB) while 1e-5 km moves Eb/N0 by < 1e-7 dB: the rates must be identical
    assert np.max(np.abs(link.range_km - rng)) < 1e-5
    assert np.max(np.abs(link.elev_deg - el)) < 1e-5
    assert headroom.min() > 1e-3
    np.testing.assert_array_equal(link.rates_bps, want)
    assert link.volume_mbit == pytest.approx(np.trapezoid(want, link.times_et) / 1e6,
                                             rel=1e-12)
    return rng, el


def test_msl_mro_volumes_rederived(spice, mro_passes, pair):
    """Every MRO pass over Gale (ADR, 2 s steps, 60 s set-up) re-derived here (was: each
    volume within 50-600 Mbit, the median within 150-450)."""
    assert (pair.required_ebn0_db, pair.link_margin_db, pair.other_losses_db) == (4.4, 3.0, 2.0)
    traj, found = mro_passes
    vols = []
    for p in found:
        link = relay.pass_volume(p, traj, "gale", pair, step_s=2.0)
        assert link.times_et[0] == pytest.approx(p.aos.et + 60.0, abs=1e-6)
        assert link.times_et[-1] == pytest.approx(p.los.et, abs=1e-6)
        _rng, el = _check_against_oracle(spice, link, traj, "gale", pair)
        # the pass ends where the orbiter sets through the 10 deg mask (finder tol 1e-3 s)
        assert el[-1] == pytest.approx(10.0, abs=1e-3)
        vols.append(link.volume_mbit)
    # Published: MSL-MRO passes of ~8 min (mars.jpl.nasa.gov/msl, ops-facts 1.3); the
    # catalog orbit's passes above 10 deg last 8.8-9.2 min. The volumes (311-496 Mbit, median
    # 445) are not compared with the published 100-250 Mbit per pass: the radio figures are
    # representative values calibrated to it (radios.toml), so that comparison would test the
    # calibration, not the code; the re-derivation above is the oracle.
    assert all(8.0 < p.duration_s / 60 < 10.0 for p in found)
    assert len(vols) == len(found) >= 4


def test_adr_trapezoid_error_within_its_bound(spice, mro_passes, pair):
    """The module's claim that a 1 s step keeps the trapezoid within 0.5 % of a pass: the
    oracle's rate step function integrated exactly on a 0.05 s grid against pass_volume at
    the default 1 s; the trapezoid's error is bounded by sum |rate jump| x step / 2."""
    traj, found = mro_passes
    p = found[0]
    link = relay.pass_volume(p, traj, "gale", pair)  # step_s = 1.0
    t = np.linspace(link.times_et[0], link.times_et[-1],
                    round((link.times_et[-1] - link.times_et[0]) / 0.05) + 1)
    rates, _ = _oracle_rates(pair, *_oracle_geometry(spice, traj, "gale", t))
    exact = float(np.sum(rates[:-1] * np.diff(t))) / 1e6  # left sums of a step function
    # each jump costs the 1 s trapezoid at most |jump| x 0.5 s, the 0.05 s sums |jump| x 0.05 s
    bound = float(np.sum(np.abs(np.diff(rates)))) * (0.5 + 0.05) / 1e6
    assert abs(link.volume_mbit - exact) <= bound
    assert bound < 0.005 * exact


def test_maven_like_range_sweep_analytic(pair):
    """A sweep 1110 -> 3700 km over 2 h at 30 deg: each rate R closes out to the range where
    Eb/N0 = required + margin, d_R = c / (4 pi f) sqrt(P_t G(30) (G/T) / (k R L_o x)); the
    volume is sum R x (time in its band), exactly, against the sampled trapezoid within
    sum |jump| x 0.5 s. (Was: 200-1000 Mbit.) MAVEN's first relay moved 550 Mbit over that
    range band (NASA via marsnews.com) with an unpublished duration: 364 Mbit in 2 h here is
    a calibration figure, kept to the order of magnitude only."""
    d = np.linspace(1110.0, 3700.0, 7201)
    r = pair.rate_bps(d, np.full(d.shape, 30.0))
    want, _ = _oracle_rates(pair, d, np.full(d.shape, 30.0))
    np.testing.assert_array_equal(r, want)
    lander, orb = pair.lander, pair.orbiter
    p_lin = (10 ** ((lander.eirp_dbw + float(np.interp(30.0, lander.pattern_elev_deg,
                                                       lander.pattern_db))) / 10)
             * 10 ** (orb.g_over_t_db_k / 10) / K_BOLTZMANN
             / 10 ** ((pair.other_losses_db + pair.required_ebn0_db + pair.link_margin_db) / 10))
    rates = sorted(set(lander.rates_bps) & set(orb.rates_bps), reverse=True)
    reach = [C / (4 * math.pi * pair.frequency_mhz * 1e6) * math.sqrt(p_lin / x) / 1e3
             for x in rates]  # km
    speed = (3700.0 - 1110.0) / 7200.0  # km/s
    exact, inner = 0.0, 1110.0
    for rate, dmax in zip(rates, reach, strict=True):
        outer = min(max(dmax, 1110.0), 3700.0)
        if outer > inner:
            exact += rate * (outer - inner) / speed
            inner = outer
    vol = np.trapezoid(r, dx=1.0) / 1e6
    assert vol == pytest.approx(exact / 1e6, abs=np.sum(np.abs(np.diff(r))) * 0.5 / 1e6)
    assert 100.0 < vol < 1100.0  # 550 Mbit published: order of magnitude (calibration)


def test_mex_opportunity_volumes_rederived(spice):
    """MEX (Melacom) -> a MER-class lander over Gale, 2004: the short pericentre passes
    re-derived here (was: each within x2 of 42.6 Mbit). Calibration anchor: MEX relayed 42.6
    Mbit from Opportunity in ~6 min (astrobio.net, ops-facts 1.3), a mean 109-129 kb/s for
    5.5-6.5 min; these passes run at the 128 kb/s top rate throughout, as the calibration
    intends (radios.toml), i.e. volume = 128 kb/s x duration (an invariant of a link that
    always closes at its top rate)."""
    traj = orbiter("mex")
    found = passes(traj, "gale", "2004-01-28", "2004-02-20", min_elev_deg=10.0, step_s=120.0)
    pair = relay.RadioPair("mer-uhf", "melacom")
    short = [p for p in found if 5 * 60 <= p.duration_s <= 7 * 60 and p.min_range_km < 1500]
    assert len(short) == 3
    for p in short:
        link = relay.pass_volume(p, traj, "gale", pair, setup_s=0.0, step_s=2.0)
        _check_against_oracle(spice, link, traj, "gale", pair)
        assert np.all(link.rates_bps == 128_000.0)
        assert link.volume_mbit == pytest.approx(0.128 * p.duration_s, rel=1e-9)
        assert 109_000.0 <= link.mean_rate_bps <= 129_000.0


# -- catalog and errors -----------------------------------------------------------------------
def test_catalog_profiles_have_sources():
    keys = {r.key for r in relay.radios()}
    assert {"electra", "electra-lite", "melacom", "mer-uhf"} <= keys
    for r in relay.radios():
        assert {"eirp_dbw", "g_over_t_db_k", "rates_kbps", "frequency_mhz"} <= set(r.source)
    assert relay.radio("Perseverance").key == "electra-lite"
    assert relay.radio("mars express").key == "melacom"


def test_user_radio_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[radios.cubesat]\nrole = "orbiter"\neirp_dbw = 0.0\ng_over_t_db_k = -35.0\n'
        'frequency_mhz = 401.5\nrates_kbps = [8, 16]\nsources = "made up for a test"\n'
    )
    mine = relay.load_radios(path)
    pair = relay.RadioPair("electra-lite", "cubesat", extra=mine)
    assert pair.rates_bps == (8000.0, 16000.0)
    bad = tmp_path / "bad.toml"
    bad.write_text('[radios.x]\nrole = "orbiter"\n')
    with pytest.raises(CatalogFileError, match="eirp_dbw"):
        relay.load_radios(bad)


def test_bad_inputs(pair):
    with pytest.raises(UnknownEntryError, match="'nosuchradio'"):
        relay.radio("nosuchradio")
    with pytest.raises(ParameterError, match="range_km -5 "):
        pair.rate_bps([100.0, -5.0])
    with pytest.raises(ParameterError, match="rates_bps"):
        relay.RadioPair("electra-lite", "electra", rates_bps=[])
    with pytest.raises(ParameterError, match="rates_bps"):
        relay.Radio("x", "x", "orbiter", 0.0, -30.0, 401.0, rates_bps=())
    with pytest.raises(ParameterError, match="coding"):
        relay.RadioPair("electra-lite", "electra", coding="turbo-magic")
    with pytest.raises(ParameterError, match="mode"):
        relay.pass_volume((0.0, 600.0), orbiter("mro"), "gale", pair, mode="burst")
    with pytest.raises(AreoInputError, match="margin_fraction"):
        relay.pass_volume((0.0, 600.0), orbiter("mro"), "gale", pair, margin_fraction=1.5)
