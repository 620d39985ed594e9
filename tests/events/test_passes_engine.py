"""Passes over many sites on areo's batch engine: groups of sites searched in this process
(client="serial") or on Dask workers give one call's passes, in one call's order, each
time to the search tolerance (the refinement batches differ), and the same windows."""

from __future__ import annotations

import numpy as np
import pytest

from areo.events import passes
from areo.events.sources import orbiter

ORBITERS = [orbiter("tgo"), orbiter("mex")]

SITES = ["jezero", "gale", "oxia_planum", "gusev", "meridiani", "zhurong",
         "insight", "mawrth_vallis", "viking1", "viking2", "pathfinder", "phoenix"]
SPAN = ("2021-02-19", "2021-02-21")


def _close(a, b) -> None:
    assert [(p.orbiter, p.site) for p in a] == [(p.orbiter, p.site) for p in b]
    for x, y in zip(a, b, strict=True):
        assert abs(float(x.aos.et - y.aos.et)) < 1e-3 and abs(float(x.los.et - y.los.et)) < 1e-3
        assert x.max_elev_deg == pytest.approx(y.max_elev_deg, abs=1e-6)
    assert list(a.windows) == list(b.windows)


@pytest.fixture(scope="module")
def one_call():
    from areo import catalog

    sites = [s for s in SITES if s in {x.key for x in catalog.sites()}]
    assert len(sites) >= 8
    return sites, passes(ORBITERS, sites, *SPAN)


def test_serial_groups_equal_one_call(one_call):
    sites, ref = one_call
    got = passes(ORBITERS, sites, *SPAN, client="serial")
    _close(got, ref)
    assert len(got) == len(ref) > 20


def test_dask_workers_equal_one_call(one_call):
    distributed = pytest.importorskip("distributed")
    sites, ref = one_call
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster, \
            distributed.Client(cluster) as client:
        _close(passes(ORBITERS, sites, *SPAN, client=client), ref)
    assert np.isfinite([p.max_elev_deg for p in ref]).all()
