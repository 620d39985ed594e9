"""The batch engine (areo._batch, public as areo.sweep.engine): results equal plain
Python on the same inputs, seeds depend only on (seed, chunk), failures are named, the
warm-up runs once per worker process and never two at a time on a machine."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from areo.sweep.engine import ChunkError, ChunkFailure, chunks_of, iter_chunks, map_chunks
from tests.sweep import workfuncs


@given(items=st.lists(st.integers(), max_size=200), n=st.integers(1, 50))
def test_chunks_cover_items_in_order(items, n):
    chunks = chunks_of(items, n=n)
    assert [x for c in chunks for x in c.inputs] == items
    sizes = [len(c.inputs) for c in chunks]
    assert not items or (max(sizes) - min(sizes) <= 1 and len(chunks) == min(n, len(items)))
    by_size = chunks_of(items, size=n)
    assert [x for c in by_size for x in c.inputs] == items
    assert all(len(c.inputs) == n for c in by_size[:-1])


def test_seeds_are_numpys_spawned_seeds():
    """Chunk k's seed is numpy's SeedSequence(seed).spawn(...)[k] state: the oracle."""
    chunks = chunks_of(list(range(10)), size=2, seed=42)
    ref = [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1))
           for s in np.random.SeedSequence(42).spawn(5)]
    assert [c.seed for c in chunks] == ref


def test_local_cluster_equals_plain_python(tmp_path):
    items = list(range(100))
    chunks = chunks_of(items, n=7, seed=3)
    expected = [{"chunk": c.id, "sum": sum(c.inputs),
                 "draws": np.random.default_rng(c.seed).random(3).tolist()} for c in chunks]
    assert map_chunks(workfuncs.draws, chunks, client="serial") == expected
    seen = []
    got = map_chunks(workfuncs.draws, chunks, workers=2, progress=seen.append)
    assert got == expected
    assert seen[-1].done == 7 and seen[-1].failed == 0 and seen[-1].total == 7


def test_a_failing_chunk_is_named():
    chunks = chunks_of([1, 2, 3, 4], size=2)
    with pytest.raises(ChunkError, match=r"chunk 1 of 2 failed: ValueError: three is not"):
        map_chunks(workfuncs.fails_on_three, chunks, client="serial")
    out = dict((c.id, v) for c, v in iter_chunks(workfuncs.fails_on_three, chunks,
                                                  client="serial"))
    assert out[0] == [1, 2] and isinstance(out[1], ChunkFailure)


def test_warmup_once_per_process_never_two_at_once(tmp_path):
    """Two workers, eight chunks: each process warms up once, and the warm-ups (which
    would compile numba kernels) never overlap in time (the machine-wide lock)."""
    chunks = chunks_of([{"log": str(tmp_path)}] * 8, size=1)
    pids = map_chunks(workfuncs.pid_of, chunks, workers=2, warmup=workfuncs.log_warmup)
    logs = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("warm-*.json"))]
    assert sorted(x["pid"] for x in logs) == sorted(set(pids)) and len(logs) == 2
    spans = sorted((x["start"], x["end"]) for x in logs)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_unreachable_scheduler_says_how_to_start_one():
    from areo.sweep import SchedulerError

    with pytest.raises(SchedulerError) as exc:
        map_chunks(workfuncs.draws, chunks_of([1], n=1), client="tcp://127.0.0.1:9")
    text = str(exc.value)
    for w in ("tcp://127.0.0.1:9", "dask scheduler", "dask worker", "leave --scheduler out"):
        assert w in text


def test_one_chunk_at_a_time_in_a_process_with_two_threads():
    """A worker with two threads still runs one chunk at a time (SPICE and areo's caches
    are per process and not thread-safe): no two chunks of one process overlap."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster, set_as_default=False) as c:
        out = map_chunks(workfuncs.spans, chunks_of(list(range(6)), size=1), client=c)
    assert len({pid for pid, *_ in out}) == 1
    times = sorted((a, b) for _, a, b in out)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(times))


def test_an_active_client_is_used_and_errors_pass_through(tmp_path):
    """With a default Dask client (the user's), client=None runs on it and leaves it
    open; an error raised by the caller's code inside passes through unchanged."""
    from distributed import Client, LocalCluster

    from areo._batch import connect
    from areo.errors import ParameterError

    with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as mine:
        assert map_chunks(workfuncs.draws, chunks_of([1, 2], n=1))[0]["sum"] == 3
        with pytest.raises(ParameterError, match="mine"), connect() as c:
            assert c is mine
            raise ParameterError("mine")
        assert mine.status == "running"
