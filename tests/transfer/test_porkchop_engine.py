"""The porkchop on areo's batch engine (areo._batch): blocks of launch rows computed in
this process (client="serial") or on Dask workers give the grid the kernel gives in one
call, bit for bit, for date x date and departure x time-of-flight grids."""

from __future__ import annotations

import numpy as np
import pytest

from areo.time import Time
from areo.transfer import porkchop
from areo.transfer.porkchop import _CELL_FIELDS


def _same(a, b) -> None:
    for f in _CELL_FIELDS:
        np.testing.assert_array_equal(np.asarray(getattr(a, f)), np.asarray(getattr(b, f)),
                                      err_msg=f)
    np.testing.assert_array_equal(a.launch.et, b.launch.et)


def test_serial_blocks_equal_one_call():
    tl = Time.linspace("2028-08-01", "2028-12-31", 400)  # 4 blocks of 100 rows
    ta = Time.linspace("2029-06-01", "2030-12-31", 1000)
    ref = porkchop(tl, ta, revs=1)
    _same(porkchop(tl, ta, revs=1, client="serial"), ref)
    tof = np.linspace(150.0, 450.0, 1500)
    _same(porkchop(tl[:90], tof_days=tof, client="serial"), porkchop(tl[:90], tof_days=tof))


def test_dask_workers_equal_one_call():
    distributed = pytest.importorskip("distributed")
    tl = Time.linspace("2028-09-01", "2028-11-30", 240)
    ta = Time.linspace("2029-07-01", "2030-12-31", 1000)
    ref = porkchop(tl, ta)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster, \
            distributed.Client(cluster) as client:
        _same(porkchop(tl, ta, client=client), ref)


def test_a_custom_ephemeris_cannot_travel():
    from areo.ephem import default_ephemeris
    from areo.errors import ParameterError

    with pytest.raises(ParameterError, match="custom ephemeris cannot travel"):
        porkchop(Time(["2028-10-01"]), Time(["2029-09-01"]), ephemeris=default_ephemeris(),
                 client="serial")
