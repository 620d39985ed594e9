"""The batch engine: independent chunks of work on Dask, or in this process.

Every layer that has a heavy batch of independent work (a sweep of mission scenarios, an
EDL Monte Carlo, a launch period, a big porkchop, passes over many sites) runs it through
:func:`map_chunks` (results in chunk order) or :func:`iter_chunks` (results as they come),
never through its own pool. The public face is :mod:`areo.sweep.engine`; this module sits
with the shared infrastructure (it imports nothing of areo's layers) so that a lower layer
(``areo.edl``) may use it too.

The contract:

- **The work is a pure, importable function** ``func(inputs, seed, chunk_id) -> result``:
  a module-level function (pickled by reference, so workers import it), whose result
  depends only on its arguments. ``inputs`` is the chunk's data (a list of items, a block
  of an array), ``seed`` an integer spawned for the chunk from the batch's seed
  (:func:`chunks_of`: ``numpy.random.SeedSequence(seed).spawn``), so a chunk gives the same
  result on any worker, on a retry and in a resumed run. Use
  ``numpy.random.default_rng(seed)`` inside; never a global random state.
- **Chunks are sized to seconds of work**, never one task per tiny item: a Dask scheduler
  handles a few thousand tasks per second, and each task costs ~1-10 ms of scheduling and
  transfer (``benchmarks/bench_sweep.py`` measures it here); 1e5 tiny tasks stall it.
  :func:`chunks_of` splits a sequence into ``n`` chunks or chunks of ``size`` items.
- **Where it runs** (``client``): ``None`` uses the active Dask client if there is one, else
  starts a :class:`distributed.LocalCluster` on 127.0.0.1 (one single-threaded worker
  process per core, or ``workers``) for the call and closes it after; a scheduler address
  (``"tcp://host:8786"``) connects to an existing cluster (a SLURM/PBS cluster from
  dask-jobqueue, the Dask Kubernetes operator: see ``docs/sweep.md``); a
  :class:`distributed.Client` is used as it is; ``"serial"`` runs every chunk here, in
  order (debugging, small batches, the reference of the tests).
- **One chunk at a time per process.** A worker process may have several threads; chunks
  still run one after the other in it (a process-wide lock), because SPICE (spiceypy) and
  the per-process caches of areo are not thread-safe. Scale with processes
  (``dask worker --nworkers N --nthreads 1``). LocalCluster workers get
  ``NUMBA_NUM_THREADS=1`` so that kernels do not oversubscribe the cores the workers share.
- **Warm-up once per machine.** ``warmup(inputs)`` (importable) runs once in each worker
  process before its first chunk, with that chunk's inputs (to run a small version of
  them), under a machine-wide file lock: the first worker compiles the numba kernels into
  numba's on-disk cache (``cache=True``; the package's ``__pycache__`` or
  ``NUMBA_CACHE_DIR``, which should be a shared directory on a cluster), the others wait
  and then load them instead of compiling the same kernels at the same time. A warm-up
  must not raise (catch what a small run may refuse).
- **Failures.** A worker that dies (``kill -9``, a lost node) loses its running chunk, which
  the scheduler runs again elsewhere (up to ``retries`` times for errors raised by ``func``;
  lost workers are Dask's ``allowed-failures``). An exception from ``func`` ends
  :func:`map_chunks` with :class:`ChunkError` naming the chunk; :func:`iter_chunks` yields
  it as a :class:`ChunkFailure` and goes on. Work that must survive single bad items
  catches their errors inside ``func`` (as :mod:`areo.sweep` does per variant).
- **Progress**: ``progress(BatchProgress)`` is called as chunks finish and about every
  half second: done, failed, running (on workers now), total, the dashboard address.

Data travels with Dask's serialisation (pickle between the client and workers you run):
never point a client at a scheduler you do not trust. Nothing this engine writes to disk
is a pickle.

>>> from areo.sweep.engine import chunks_of, map_chunks
>>> from areo.sweep.engine import example_sum_of_squares as f     # a pure, importable func
>>> chunks = chunks_of(list(range(10)), n=3, seed=7)
>>> map_chunks(f, chunks, client="serial")
[5, 50, 230]
"""

from __future__ import annotations

import contextlib
import fcntl
import math
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from areo.errors import AreoError, ParameterError

__all__ = [
    "BatchProgress",
    "Chunk",
    "ChunkError",
    "ChunkFailure",
    "SchedulerError",
    "chunks_of",
    "connect",
    "dashboard_of",
    "iter_chunks",
    "map_chunks",
]

#: Seconds a connection to a scheduler given by address may take before it is refused.
CONNECT_TIMEOUT_S = 10.0
#: How often the progress callback hears about running chunks when none finishes (s).
PROGRESS_EVERY_S = 0.5


class SchedulerError(ParameterError):
    """A Dask scheduler that cannot be reached (the message gives the address and how to
    start one)."""


class ChunkError(AreoError):
    """A chunk whose function raised (after its retries): names the chunk and the error."""


@dataclass(frozen=True)
class Chunk:
    """One task of a batch: ``id`` (its index), ``inputs`` (its data) and ``seed``."""

    id: int
    inputs: Any
    seed: int


@dataclass(frozen=True)
class ChunkFailure:
    """A chunk whose function raised: the exception's type and one-line message."""

    chunk_id: int
    error: str


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch stands: chunks ``done`` (including ``failed``), ``running`` on workers
    now, the ``total``, and the Dask dashboard address (None in-process or without bokeh)."""

    done: int
    failed: int
    running: int
    total: int
    dashboard: str | None = None


def chunks_of(items: Sequence[Any], *, n: int | None = None, size: int | None = None,
              seed: int = 0) -> list[Chunk]:
    """``items`` in ``n`` contiguous chunks (sizes differ by at most one) or in chunks of
    ``size`` items, each with a seed spawned from ``seed`` by its index.

    >>> [c.inputs for c in chunks_of("abcde", size=2)]
    ['ab', 'cd', 'e']
    """
    total = len(items)
    if (n is None) == (size is None):
        raise ParameterError("chunks_of: give n (the number of chunks) or size (items per "
                             "chunk), one of them")
    if n is not None:
        if int(n) < 1:
            raise ParameterError(f"chunks_of: n = {n} chunks: give n >= 1")
        n = min(int(n), max(total, 1))
        bounds = [total * k // n for k in range(n + 1)]
    else:
        if int(size) < 1:  # type: ignore[arg-type]
            raise ParameterError(f"chunks_of: size = {size} items: give size >= 1")
        bounds = [*range(0, total, int(size)), total]  # type: ignore[arg-type]
    if total == 0:
        return []
    seeds = chunk_seeds(seed, len(bounds) - 1)
    return [Chunk(k, items[bounds[k]:bounds[k + 1]], seeds[k]) for k in range(len(bounds) - 1)]


def chunk_seeds(seed: int, count: int) -> list[int]:
    """``count`` independent 63-bit seeds spawned from ``seed`` (numpy ``SeedSequence``):
    seed ``k`` depends only on ``seed`` and ``k``, not on ``count``."""
    import numpy as np

    root = np.random.SeedSequence(int(seed))
    return [int(s.generate_state(1, np.uint64)[0] >> np.uint64(1))
            for s in root.spawn(int(count))]


# --------------------------------------------------------------------------- workers
_RUN_LOCK = threading.Lock()
_WARMED: set[str] = set()


def _name_of(func: Callable[..., Any]) -> str:
    return f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"


@contextlib.contextmanager
def _machine_lock(name: str) -> Iterator[None]:
    """An exclusive lock shared by the processes of this machine and user (a ``flock``)."""
    path = os.path.join(tempfile.gettempdir(), f"areo-warmup-{os.getuid()}-{name}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def run_chunk(func: Callable[[Any, int, int], Any], chunk: Chunk,
              warmup: Callable[[Any], Any] | None = None) -> Any:
    """Run one chunk in this process: the warm-up first if this process has not run it
    (with this chunk's inputs, under the machine lock), then ``func``, one chunk at a time
    per process."""
    with _RUN_LOCK:
        if warmup is not None:
            key = _name_of(warmup)
            if key not in _WARMED:
                with _machine_lock("".join(ch if ch.isalnum() else "_" for ch in key)[-80:]):
                    warmup(chunk.inputs)
                _WARMED.add(key)
        return func(chunk.inputs, chunk.seed, chunk.id)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --------------------------------------------------------------------------- clients
def _local_cluster(workers: int | None) -> Any:
    import logging

    from distributed import LocalCluster

    n = int(workers) if workers else len(os.sched_getaffinity(0)) if hasattr(
        os, "sched_getaffinity") else (os.cpu_count() or 1)
    if n < 1:
        raise ParameterError(f"--workers {workers}: give at least 1 worker process")
    # The HTTP server (and the dashboard, when bokeh is installed) on a free local port.
    return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                        host="127.0.0.1", dashboard_address="127.0.0.1:0",
                        silence_logs=logging.ERROR,
                        env={"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})


def _unreachable(address: str, exc: BaseException) -> SchedulerError:
    return SchedulerError(
        f"--scheduler {address!r}: cannot reach a Dask scheduler there ({_one_line(exc)}); "
        f"start one with `dask scheduler --host HOST --port PORT` and its workers with "
        f"`dask worker {address} --nthreads 1`, or leave --scheduler out to run on a local "
        "cluster")


def _probe(given: str, address: str) -> None:
    """Refuse at once an address where nothing listens (Dask's client would retry until
    its timeout); other protocols (tls://, ucx://) are left to Dask."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    if parts.scheme != "tcp":
        return
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise _unreachable(given, exc) from None
    port = port or 8786  # Dask's default scheduler port
    if not host:
        raise SchedulerError(f"--scheduler {given!r} is not an address: write "
                             "tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise _unreachable(given, exc) from None


@contextlib.contextmanager
def connect(client: Any = None, *, workers: int | None = None) -> Iterator[Any]:
    """The Dask client a batch runs on (see the module docstring for ``client``); yields
    None for ``"serial"``. A cluster or client made here is closed on exit."""
    if workers is not None and client is not None:
        raise ParameterError(f"workers = {workers} sizes a local cluster; client {client!r} "
                             "has its own workers: give one of them")
    if isinstance(client, str) and client == "serial":
        yield None
        return
    from distributed import Client

    if isinstance(client, Client):
        yield client
        return
    if isinstance(client, str):
        address = client.strip()
        if "://" not in address:
            address = f"tcp://{address}"
        _probe(client, address)
        try:
            c = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise _unreachable(client, exc) from None
        try:
            yield c
        finally:
            c.close()
        return
    if client is not None:
        raise ParameterError(f"client {client!r}: give a distributed.Client, a scheduler "
                             "address ('tcp://host:8786'), 'serial', or None (a local "
                             "cluster)")
    if workers is None:
        from distributed import default_client

        try:
            active = default_client()
        except ValueError:  # no client yet: start a local cluster below
            active = None
        if active is not None:
            yield active
            return
    cluster = _local_cluster(workers)
    try:
        c = Client(cluster, set_as_default=False)
        try:
            yield c
        finally:
            c.close()
    finally:
        cluster.close()


def dashboard_of(client: Any) -> str | None:
    """The client's dashboard address, or None (in-process, or no bokeh installed)."""
    if client is None:
        return None
    try:
        info = client.scheduler_info()
        port = info.get("services", {}).get("dashboard")
    except Exception:  # a scheduler that no longer answers has no dashboard either
        return None
    if not port:
        return None
    with contextlib.suppress(Exception):
        return str(client.dashboard_link)
    return None


# --------------------------------------------------------------------------- running
def iter_chunks(func: Callable[[Any, int, int], Any], chunks: Sequence[Chunk], *,
                client: Any = None, workers: int | None = None,
                progress: Callable[[BatchProgress], None] | None = None,
                warmup: Callable[[Any], Any] | None = None,
                retries: int = 1) -> Iterator[tuple[Chunk, Any]]:
    """``(chunk, result)`` for every chunk, as they finish (in order with ``"serial"``);
    a chunk whose ``func`` raised after ``retries`` retries gives a :class:`ChunkFailure`.

    See the module docstring for the contract of ``func``, ``client`` and ``warmup``.
    """
    chunks = list(chunks)
    total = len(chunks)
    if total == 0:
        return
    with connect(client, workers=workers) as c:
        if c is None:
            yield from _serial(func, chunks, progress, warmup)
        else:
            yield from _on_dask(c, func, chunks, progress, warmup, retries)


def _serial(func: Callable[[Any, int, int], Any], chunks: list[Chunk],
            progress: Callable[[BatchProgress], None] | None,
            warmup: Callable[[Any], Any] | None) -> Iterator[tuple[Chunk, Any]]:
    done = failed = 0
    for ch in chunks:
        if progress is not None:
            progress(BatchProgress(done, failed, 1, len(chunks)))
        try:
            value: Any = run_chunk(func, ch, warmup)
        except Exception as exc:
            value, failed = ChunkFailure(ch.id, _one_line(exc)), failed + 1
        done += 1
        yield ch, value
    if progress is not None:
        progress(BatchProgress(done, failed, 0, len(chunks)))


def _on_dask(c: Any, func: Callable[[Any, int, int], Any], chunks: list[Chunk],
             progress: Callable[[BatchProgress], None] | None,
             warmup: Callable[[Any], Any] | None, retries: int) -> Iterator[tuple[Chunk, Any]]:
    import secrets

    from distributed import as_completed

    token = secrets.token_hex(6)
    tag = getattr(func, "__name__", "chunk")
    keys = [f"areo-{tag}-{token}-{ch.id}" for ch in chunks]
    futures = c.map(run_chunk, [func] * len(chunks), chunks, [warmup] * len(chunks),
                    key=keys, pure=False, retries=int(retries))
    by_key = dict(zip(keys, chunks, strict=True))
    dashboard = dashboard_of(c)
    done = failed = 0
    pending = set(keys)
    running = 0
    last = 0.0
    ac = as_completed(futures, loop=c.loop, with_results=False)
    try:
        while pending:
            batch = ac.next_batch(block=False)
            for fut in batch:
                ch = by_key[fut.key]
                pending.discard(fut.key)
                if fut.status == "error":
                    exc = fut.exception()
                    value: Any = ChunkFailure(ch.id, _one_line(exc))
                    failed += 1
                else:
                    value = fut.result()
                fut.release()
                done += 1
                yield ch, value
            now = time.monotonic()
            if progress is not None and (batch or now - last >= PROGRESS_EVERY_S):
                if now - last >= PROGRESS_EVERY_S:
                    running = _running(c, pending)
                    last = now
                progress(BatchProgress(done, failed, min(running, len(pending)),
                                       len(chunks), dashboard))
            if not batch:
                time.sleep(0.05)
    finally:
        if pending:  # the caller stopped early (or failed): free the workers
            with contextlib.suppress(Exception):
                c.cancel([f for f in futures if f.key in pending])


def _running(c: Any, pending: set[str]) -> int:
    """How many of ``pending`` run on a worker now: those assigned to each worker, at most
    its thread count (the rest wait in its queue)."""
    try:
        processing = c.processing()
        threads = c.nthreads()
    except Exception:  # progress is informative: a busy or lost scheduler shows 0
        return 0
    return sum(min(sum(1 for k in keys if k in pending), int(threads.get(w, 1)))
               for w, keys in processing.items())


def map_chunks(func: Callable[[Any, int, int], Any], chunks: Sequence[Chunk], *,
               client: Any = None, workers: int | None = None,
               progress: Callable[[BatchProgress], None] | None = None,
               warmup: Callable[[Any], Any] | None = None, retries: int = 1) -> list[Any]:
    """``[func(c.inputs, c.seed, c.id) for c in chunks]``, computed on Dask (or in this
    process with ``client="serial"``); raises :class:`ChunkError` for the first chunk
    whose function raised, after cancelling the rest.

    >>> from areo.sweep.engine import chunks_of, example_sum_of_squares
    >>> map_chunks(example_sum_of_squares, chunks_of(range(4), size=2), client="serial")
    [1, 13]
    """
    out: list[Any] = [None] * len(chunks)
    index = {ch.id: k for k, ch in enumerate(chunks)}
    for ch, value in iter_chunks(func, chunks, client=client, workers=workers,
                                 progress=progress, warmup=warmup, retries=retries):
        if isinstance(value, ChunkFailure):
            raise ChunkError(f"chunk {ch.id} of {len(chunks)} failed: {value.error}")
        out[index[ch.id]] = value
    return out


def example_sum_of_squares(inputs: Sequence[int], seed: int, chunk_id: int) -> int:
    """A pure, importable chunk function (the docstrings' example): the sum of squares."""
    return int(sum(int(x) * int(x) for x in inputs))


def estimate_chunk_size(n_items: int, n_workers: int, *, per_worker: int = 8,
                        max_size: int | None = None) -> int:
    """Items per chunk so that each worker gets about ``per_worker`` chunks (load balance
    and resume granularity against per-task overhead), at most ``max_size``."""
    size = max(1, math.ceil(n_items / max(1, n_workers * per_worker)))
    return min(size, max_size) if max_size else size
