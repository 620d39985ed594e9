"""run_mission(..., upto=, products=False): a run stopped after a step gives what the full
run gives for the sections that step settles, runs no later step and writes no product but
summary.json (what a sweep collecting only the launch needs)."""

from __future__ import annotations

import pytest

from areo.errors import ParameterError
from areo.mission import run_mission
from areo.sweep.engine import last_step_for


def test_a_run_up_to_the_trajectory_gives_the_full_runs_launch(short_run, tmp_path):
    res = run_mission(short_run.scenario, tmp_path / "out", cache_dir=short_run.cache,
                      upto="trajectory", products=False)
    full = short_run.result.summary
    for section in ("launch", "arrival", "scenario"):
        assert res.summary[section] == full[section], section
    ran = {e.step for e in res.steps}
    assert {"transfer", "trajectory"} <= ran
    assert not ran & {"edl", "orbiters", "relay", "campaign"}
    assert res.summary["relay"] is None and res.summary["orbiters"] == []
    assert sorted(p.name for p in res.out_dir.iterdir()) == [".areo-output", "summary.json"]


def test_upto_names_a_step():
    with pytest.raises(ParameterError, match="upto 'relays' is not a step: use one of"):
        run_mission("examples/exomars-2028.toml", "unused", upto="relays")


def test_a_sweep_runs_only_the_steps_its_keys_need():
    assert last_step_for(["launch.c3_km2s2", "arrival.vinf_kms"]) == "trajectory"
    assert last_step_for(["launch.utc", "landing.lmst_hours"]) == "edl"
    assert last_step_for(["relay.mean_mbit_per_sol", "launch.utc"]) == "relay"
    assert last_step_for(["campaign.n_samples"]) == "campaign"
    assert last_step_for(["return.round_trip.total_dv_kms", "launch.utc"]) == "return"
    assert last_step_for(["cache.notes"]) is None and last_step_for([]) is None
