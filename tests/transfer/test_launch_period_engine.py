"""A launch period on areo's batch engine: blocks of launch days searched in this process
(client="serial") and on Dask workers give the same table, bit for bit; each day's result
is a trajectory launched that day, re-evaluated exactly from its decision vector."""

from __future__ import annotations

import numpy as np
import pytest

from areo.transfer import Constraints, TrajectoryProblem, optimise_launch_period
from areo.transfer.trajectory import evaluate_trajectory

PROBLEM = TrajectoryProblem(("earth", "mars"), launch=("2028-10-01", "2028-10-04"),
                            arrive=("2030-06-01", "2031-01-31"),
                            constraints=Constraints(max_c3_km2s2=20.0))
KW = dict(population=8, generations=10, block_days=2)


@pytest.fixture(scope="module")
def serial():
    return optimise_launch_period(PROBLEM, client="serial", **KW)


def test_blocks_cover_every_day_and_rebuild_exactly(serial):
    assert len(serial) == 4
    launch = [t.launch_et for t in serial.trajectories]
    np.testing.assert_allclose(np.diff(launch), 86400.0, atol=1e-6)
    for t in serial.trajectories:
        day = PROBLEM.with_launch((t.launch_utc, t.launch_utc))
        again = evaluate_trajectory(day, t.x)
        assert again.objective_value == t.objective_value


def test_dask_workers_give_the_serial_table(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster, \
            distributed.Client(cluster) as client:
        got = optimise_launch_period(PROBLEM, client=client, **KW)
    for a, b in zip(got.trajectories, serial.trajectories, strict=True):
        np.testing.assert_array_equal(a.x, b.x)
