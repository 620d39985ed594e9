"""The relay plan's fast paths against the dense computations they replace (issue 18).

Oracles, each a brute-force evaluation areo's fast path must reproduce:
- pass volumes: the rate profile evaluated at every 1 s sample with the exact geometry
  (``_links``, the profile ``pass_volume`` returns), against ``_volumes_mbit``, which
  evaluates the geometry every 20 samples and every sample only where a rate threshold may
  be crossed: the rates are the same sample by sample, so the volumes agree to rounding;
- Earth orientation: erfa's ``c2t06a`` / ``c2t00b`` chain at every epoch against the
  tabulated ``EarthOrientationTable`` (< 1 microarcsecond measured; 1 mas allowed);
- Mars visibility edges: full-precision elevations (IAU 2006/2000A at every epoch, erfa)
  straddle every edge the tabulated search reports within +-1 ms;
- the whole plan: the dense reference path (``_DENSE_REFERENCE``: every pass sampled every
  second, erfa at every epoch, one search over the span) against the default: same passes,
  volumes per pass and per sol within 0.1 Mbit, contact edges within 1 ms.
"""

from __future__ import annotations

import erfa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.events import passes
from areo.events.sources import orbiter
from areo.frames.earth import EarthOrientationTable, icrf_to_itrs
from areo.relay import plan as relay_plan
from areo.relay.earth import earth_contacts, mars_visibility
from areo.relay.link import RadioPair, _interval, _links, _volumes_mbit
from areo.time import Time
from areo.time.scales import cubic_lagrange

MAS = np.pi / (180.0 * 3600.0 * 1000.0)


@pytest.fixture(scope="module")
def pass_sets():
    """MEX (long, elliptical-orbit passes) and TGO (short ones) over Jezero, 6 days."""
    out = {}
    for name in ("mex", "tgo"):
        traj = orbiter(name)
        found = passes(traj, "jezero", "2030-11-01", "2030-11-07", min_elev_deg=10.0)
        out[name] = (traj, [_interval(p) for p in found])
    return out


@pytest.mark.parametrize("name, radio", [("mex", "melacom"), ("tgo", "electra")])
@pytest.mark.parametrize("mode", ["adaptive", "fixed"])
def test_volumes_equal_the_dense_profile(pass_sets, name, radio, mode):
    traj, ivs = pass_sets[name]
    pair = RadioPair("electra-lite", radio)
    dense = _links(ivs, traj, "jezero", pair, mode, 60.0, 1.0, 0.0, None)
    fast = _volumes_mbit(ivs, traj, "jezero", pair, mode, 60.0, 1.0)
    want = np.array([link.volume_mbit for link in dense])
    assert len(ivs) >= 10 and want.sum() > 100.0
    # rates identical sample by sample: only the summation order differs (1e-9 Mbit)
    np.testing.assert_allclose(fast, want, rtol=1e-12, atol=1e-9)


@settings(max_examples=8, deadline=None)
@given(margin=st.floats(0.0, 12.0), setup=st.floats(0.0, 300.0), step=st.floats(0.25, 6.0),
       other=st.floats(0.0, 6.0))
def test_volumes_equal_the_dense_profile_for_any_link(pass_sets, margin, setup, step, other):
    traj, ivs = pass_sets["mex"]
    ivs = ivs[:6]
    pair = RadioPair("electra-lite", "electra", link_margin_db=margin, other_losses_db=other)
    dense = _links(ivs, traj, "jezero", pair, "adaptive", setup, step, 0.0, None)
    fast = _volumes_mbit(ivs, traj, "jezero", pair, "adaptive", setup, step)
    np.testing.assert_allclose(fast, [link.volume_mbit for link in dense], rtol=1e-12,
                               atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(coef=st.lists(st.floats(-10.0, 10.0), min_size=4, max_size=4),
       x=st.lists(st.floats(1.0, 8.0), min_size=1, max_size=20))
def test_cubic_lagrange_reproduces_cubics(coef, x):
    """A cubic through four nodes is the cubic itself (closed form)."""
    nodes = np.arange(10.0)
    x = np.asarray(x)
    got = cubic_lagrange(np.polyval(coef, nodes), x)
    np.testing.assert_allclose(got, np.polyval(coef, x), rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("model, erfa_c2t", [("iau2006a", erfa.c2t06a),
                                             ("iau2000b", erfa.c2t00b)])
@pytest.mark.parametrize("span", [("2030-11-01", "2031-01-01"),
                                  ("2016-12-20", "2017-01-10")])  # a leap second inside
def test_orientation_table_against_erfa_at_every_epoch(model, erfa_c2t, span):
    t0, t1 = (float(Time(s).et) for s in span)
    et = np.sort(np.random.default_rng(3).uniform(t0, t1, 400))
    got = EarthOrientationTable(t0, t1, model=model).matrices(et)
    # erfa's own chain, UT1 = UTC, no polar motion (the table's and icrf_to_itrs' default)
    tt = Time.from_et(et)
    utc1, utc2 = tt.utc_jd()
    from areo.time import scales

    tt1, tt2 = scales.et_to_tt(et)
    ut11, ut12 = scales.erfa_quiet(erfa.utcut1, utc1, utc2, 0.0)
    want = erfa_c2t(tt1, tt2, ut11, ut12, 0.0, 0.0)
    if model == "iau2006a":  # c2t06a includes the TIO locator s'; so does the table
        np.testing.assert_allclose(got, icrf_to_itrs(et, model=model), atol=1e-11)
    dev = np.abs(np.einsum("nji,njk->nik", want, got) - np.eye(3)).max()
    assert dev < 1.0 * MAS  # measured 0.9 microarcsecond


def test_mars_visibility_edges_straddle_full_precision_elevations():
    """Each reported edge within 1 ms: the full-precision elevation (IAU 2006/2000A at
    every epoch through erfa) minus the mask changes sign between edge - 1 ms and
    edge + 1 ms; and a 10-min scan of it finds as many edges."""
    from areo.ephem import look

    stations = ["DSS-43", "cebreros"]
    start, stop = Time("2030-11-01"), Time("2030-11-03")
    found = mars_visibility(stations, start, stop)
    for st_name, win in zip(stations, found, strict=True):
        inner = [e for e in [*win.starts, *win.ends] if start.et + 1 < e < stop.et - 1]
        assert len(inner) >= 3
        edges = np.asarray(inner)
        lo = look(st_name, "mars", edges - 1e-3, earth_model="iau2006a").el_deg - 10.0
        hi = look(st_name, "mars", edges + 1e-3, earth_model="iau2006a").el_deg - 10.0
        assert np.all(lo * hi < 0.0)
        grid = np.arange(start.et, stop.et, 600.0)
        above = look(st_name, "mars", grid, earth_model="iau2006a").el_deg > 10.0
        assert int(np.count_nonzero(above[1:] != above[:-1])) == len(inner)


def test_contacts_searched_in_pieces_equal_one_search(monkeypatch):
    """The span is searched in pieces (memory flat in the span): the windows equal one
    search's within 1 ms (1-day pieces over 3 days here)."""
    from areo.relay import earth as relay_earth

    traj, stations = orbiter("tgo"), ["DSS-14", "new norcia"]
    whole = earth_contacts(traj, stations, "2030-11-01", "2030-11-04")
    monkeypatch.setattr(relay_earth, "_CHUNK_S", 86400.0)
    cut = earth_contacts(traj, stations, "2030-11-01", "2030-11-04")
    for st_name in stations:
        _assert_same_windows(whole.by_station[st_name], cut.by_station[st_name], least=4)


def test_plan_equals_the_dense_reference(monkeypatch):
    """Four sols of TGO + MEX over Jezero and Gale, passes searched in 1-day pieces: the
    default plan against the dense reference (every pass sampled every second, erfa at
    every epoch, one pass search over the span)."""
    landers, orbiters = ["jezero", "gale"], ["tgo", "mex"]
    monkeypatch.setattr(relay_plan, "_PASS_CHUNK_S", 86400.0)
    fast = relay_plan.plan_relay(landers, orbiters, "2030-11-01", "2030-11-05")
    monkeypatch.setattr(relay_plan, "_DENSE_REFERENCE", True)
    dense = relay_plan.plan_relay(landers, orbiters, "2030-11-01", "2030-11-05")
    assert len(fast.rows) == len(dense.rows) > 20
    cuts = float(Time("2030-11-01").et) + 86400.0 * np.arange(1, 4)
    joined = [r for r in fast.rows if np.any((r["aos_et"] < cuts) & (cuts < r["los_et"]))]
    assert joined  # passes cut by a piece's end were joined again
    for a, b in zip(fast.rows, dense.rows, strict=True):
        assert (a["orbiter"], a["lander"], a["sol"]) == (b["orbiter"], b["lander"], b["sol"])
        assert abs(a["aos_et"] - b["aos_et"]) < 1e-3 and abs(a["los_et"] - b["los_et"]) < 1e-3
        assert abs(a["volume_mbit"] - b["volume_mbit"]) < 0.1
    # the same allocation problem: the same optimum, the same volume per lander and sol
    assert fast.objective_mbit == pytest.approx(dense.objective_mbit, abs=0.1)
    cap_f = _per_sol_capacity(fast.rows)
    assert cap_f.keys() == _per_sol_capacity(dense.rows).keys()
    for key, v in _per_sol_capacity(dense.rows).items():
        assert abs(cap_f[key] - v) < 0.1
    for name in orbiters:
        _assert_same_windows(fast.contacts[name], dense.contacts[name], least=1)


def _assert_same_windows(a, b, *, least: int) -> None:
    """As many windows, each edge within 1 ms."""
    assert len(a) == len(b) >= least
    assert np.max(np.abs(a.starts - b.starts)) < 1e-3
    assert np.max(np.abs(a.ends - b.ends)) < 1e-3


def _per_sol_capacity(rows):
    out: dict[tuple[str, int], float] = {}
    for r in rows:
        key = (r["lander"], r["sol"])
        out[key] = out.get(key, 0.0) + r["volume_mbit"]
    return out

