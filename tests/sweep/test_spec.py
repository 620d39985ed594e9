"""Sweep files: parameters, variant generation and the errors, each checked against an
independent construction (itertools/numpy for grids and ranges, the defining property of a
Latin hypercube, the scenario's own ranges)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo.sweep import SweepError, build_spec, load_sweep
from tests.sweep.helpers import BASE


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    p = tmp_path_factory.mktemp("spec") / "base.toml"
    p.write_text(BASE)
    return p


def test_grid_is_the_cartesian_product_in_file_order(base):
    spec = build_spec(base, {"operations.min_elev_deg": [5, 10, 20],
                             "dust.tau": ["clear", "dusty"],
                             "orbiters.tgo.raan_deg": [0.0, 90.0]},
                      summary=["relay.mean_mbit_per_sol"])
    got = [tuple(v.values.values()) for v in spec.check()]
    assert got == list(itertools.product([5, 10, 20], ["clear", "dusty"], [0.0, 90.0]))
    assert [v.id for v in spec.variants()][:2] == ["v000000", "v000001"]
    doc = spec.document(spec.variants()[-1])
    assert doc["orbiters"][0]["raan_deg"] == 90.0 and doc["dust"]["tau"] == "dusty"
    assert "dust" not in spec.base_doc  # the base is not changed


@settings(max_examples=60, deadline=None)
@given(start=st.floats(0, 80), n=st.integers(1, 30), step=st.floats(0.05, 10))
def test_range_matches_numpy(base, start, n, step):
    """A range {start, stop, step} holds start + k*step up to stop inclusive: numpy's
    linspace over the same count is the oracle."""
    stop = start + (n - 1) * step
    spec = build_spec(base, {"margins.link_fraction": {"start": start, "stop": stop,
                                                       "step": step}},
                      summary=["relay.mean_mbit_per_sol"])
    vals = spec.parameters[0].values
    assert len(vals) == n
    np.testing.assert_allclose(vals, np.linspace(start, stop, n), rtol=0, atol=1e-9)


def test_date_range_steps_in_days(base):
    spec = build_spec(base, {"landing.utc": {"start": dt.date(2021, 2, 19),
                                             "stop": dt.date(2021, 3, 5), "step_days": 7}},
                      summary=["relay.mean_mbit_per_sol"])
    assert spec.parameters[0].values == ("2021-02-19T00:00:00", "2021-02-26T00:00:00",
                                         "2021-03-05T00:00:00")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**32))
def test_latin_hypercube_has_one_sample_per_stratum(base, n, seed):
    """The defining property (McKay et al. 1979): for every parameter, each of the n
    equal-probability intervals holds exactly one sample."""
    spec = build_spec(base, {"margins.link_fraction": {"distribution": "uniform", "low": 0.1,
                                                       "high": 0.5},
                             "operations.min_elev_deg": {"distribution": "normal",
                                                         "mean": 20.0, "std": 3.0}},
                      summary=["relay.mean_mbit_per_sol"], method="lhs", samples=n,
                      seed=seed)
    vs = spec.variants()
    u = np.array([(v.values["margins.link_fraction"] - 0.1) / 0.4 for v in vs])
    assert sorted(np.floor(u * n).astype(int)) == list(range(n))
    from scipy.stats import norm

    z = norm.cdf([v.values["operations.min_elev_deg"] for v in vs], 20.0, 3.0)
    assert sorted(np.minimum(np.floor(z * n + 1e-9), n - 1).astype(int)) == list(range(n))


def test_random_is_reproducible_and_seeds_are_independent(base):
    kw = {"summary": ["relay.mean_mbit_per_sol"], "method": "random", "samples": 40}
    grid = {"margins.link_fraction": {"distribution": "loguniform", "low": 0.01, "high": 0.5},
            "dust.tau": ["clear", "dusty", "storm"]}
    a = build_spec(base, grid, seed=1, **kw).variants()
    b = build_spec(base, grid, seed=1, **kw).variants()
    c = build_spec(base, grid, seed=2, **kw).variants()
    assert a == b and a != c
    assert len({v.seed for v in a}) == 40
    x = np.log([v.values["margins.link_fraction"] for v in a])
    assert math.log(0.01) <= x.min() and x.max() <= math.log(0.5)
    assert {v.values["dust.tau"] for v in a} == {"clear", "dusty", "storm"}
    # the k-th variant's seed does not depend on how many are drawn
    more = build_spec(base, grid, seed=1, **{**kw, "samples": 41}).variants()
    assert [v.seed for v in more[:40]] == [v.seed for v in a]


@pytest.mark.parametrize(("grid", "words"), [
    ({"landing.foo": [1]}, ["'foo' is not a field of [landing]",
                            "allowed: site, name, lat_deg, lon_east_deg, utc, radio"]),
    ({"lander.utc": [1]}, ["not a scenario section", "allowed: mission, launch"]),
    ({"orbiters.mex.raan_deg": [1]}, ["no orbiter 'mex'", "orbiters: tgo"]),
    ({"operations.min_elev_deg": [10, 95]},
     ["variant v000001", "operations.min_elev_deg=95", "less than 90"]),
    ({"capture.final_alt_km": [-5]}, ["variant v000000", "capture.final_alt_km"]),
    ({"landing.utc": ["2021-01-01"]}, ["landing.utc", "before the arrival"]),
    ({"operations.min_elev_deg": []}, ["list of values is empty"]),
    ({"operations.min_elev_deg": {"start": 30, "stop": 10, "step": 5}}, ["range is empty",
                                                                          "swap them"]),
    ({}, ["[parameters] is empty"]),
    ({"margins.link_fraction": {"distribution": "uniform", "low": 0, "high": 1}},
     ["a grid takes lists and ranges", "'random' or 'lhs'"]),
])
def test_bad_parameters_are_refused_before_any_run(base, grid, words):
    with pytest.raises(SweepError) as exc:
        build_spec(base, grid, summary=["relay.mean_mbit_per_sol"]).check()
    text = str(exc.value)
    assert "\n" not in text
    for w in words:
        assert w in text


def test_bad_collect_is_refused(base):
    with pytest.raises(SweepError, match="allowed: scenario, areo_version, launch"):
        build_spec(base, {"dust.tau": ["clear"]}, summary=["runtime_s"])
    with pytest.raises(SweepError, match="allowed: passes, per_sol"):
        build_spec(base, {"dust.tau": ["clear"]}, tables=["porkchop"])
    with pytest.raises(SweepError, match=r"\[collect\] is empty"):
        build_spec(base, {"dust.tau": ["clear"]})
    with pytest.raises(SweepError, match="also a varied parameter"):
        build_spec(base, {"landing.utc": ["2021-02-19"]}, summary=["landing.utc"])


def test_sweep_file_errors_name_the_file_and_field(tmp_path, base):
    f = tmp_path / "s.toml"
    f.write_text(f'[sweep]\nname = "x"\nscenario = "{base}"\nmethd = "grid"\n'
                 '[parameters]\n"dust.tau" = ["clear"]\n[collect]\nsummary = ["relay.x"]\n')
    with pytest.raises(SweepError, match=r"field 'sweep.methd' is not a sweep field here "
                       r"\(allowed: name, scenario, method"):
        load_sweep(f)
    f.write_text(f'[sweep]\nname = "x"\nscenario = "{base}"\nmethod = "lhs"\n'
                 '[parameters]\n"dust.tau" = ["clear"]\n[collect]\nsummary = ["relay.x"]\n')
    with pytest.raises(SweepError, match="needs samples"):
        load_sweep(f)
    with pytest.raises(SweepError, match=r"scenario file .*not a sweep file"):
        load_sweep(base)


def test_example_sweep_file_is_valid():
    """examples/sweep-exomars-landing.toml: every variant a valid ExoMars scenario."""
    from pathlib import Path

    ex = Path(__file__).resolve().parents[2] / "examples" / "sweep-exomars-landing.toml"
    spec = load_sweep(ex)
    vs = spec.check()
    assert len(vs) == 3 * 3
    assert {v.values["landing.utc"] for v in vs} == {"2030-11-01T00:00:00",
                                                     "2030-11-15T00:00:00",
                                                     "2030-11-29T00:00:00"}
