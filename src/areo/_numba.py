"""numba options shared by the compiled kernels, and how the kernels run on several threads.

Kernel hygiene (``DESIGN.md``: "every parallel kernel has a size below which it runs
serially; kernels take normalised argument types so that each compiles once"):

- Kernels are serial, ``nogil=True`` loops over an index range ``[lo, hi)``. :func:`run`
  calls one directly in the calling thread below its size threshold (a scalar pays no
  thread start-up) and, above it, on contiguous chunks of the range in a small thread pool.
  numba's ``parallel=True`` is not used: each such kernel cost 0.5-1 s more to compile than
  its serial twin (2 cores, numba 0.68) and needed a twin anyway for small calls, and the
  OpenMP layer's threads spin or sleep between calls (24 ms for a one-state call on a
  loaded machine).
- Arguments are normalised at the wrapper: every input array goes through :func:`inp`
  (C-contiguous, the kernel's dtype, read-only view: a broadcast or memory-mapped input and
  a fresh array then have the same numba type), outputs are fresh ``np.empty`` arrays,
  scalars plain ``float``/``int``/``bool``. So each kernel compiles exactly one signature.

``NO_REFCOUNT`` turns off numba's reference counting (the private ``_nrt`` target option)
for hot inlined functions that never allocate: in the numerical propagator each array taken
from the force-model tuple otherwise costs an atomic incref/decref pair (~35 ns per
right-hand side call, 4x the point-mass + J2 arithmetic). The option is private, so it is
used only when this numba still has it; without it the kernels stay correct, only slower.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

try:
    from numba.core.cpu import CPUTargetOptions

    _HAS_NRT_OPTION = hasattr(CPUTargetOptions, "_nrt")
except ImportError:  # pragma: no cover - numba layout changed
    _HAS_NRT_OPTION = False

NO_REFCOUNT: dict[str, bool] = {"_nrt": False} if _HAS_NRT_OPTION else {}


def inp(x: Any, dtype: Any = np.float64) -> np.ndarray:
    """``x`` as a C-contiguous, read-only array of ``dtype``: the one layout input arrays of
    kernels are compiled for (writable and read-only arrays are different numba types; the
    read-only view costs nothing and copies nothing that was already right)."""
    a = np.ascontiguousarray(x, dtype=dtype).view()
    a.flags.writeable = False
    return a


def threads() -> int:
    """Threads a chunked kernel may use: numba's ``NUMBA_NUM_THREADS`` (the environment
    variable when set), else the CPUs this process may run on."""
    from numba import config

    n = int(config.NUMBA_NUM_THREADS)
    if "NUMBA_NUM_THREADS" not in os.environ and hasattr(os, "sched_getaffinity"):
        n = min(n, len(os.sched_getaffinity(0)))
    return max(1, n)


def _busy_cores() -> int:
    """Other runnable threads on the machine right now (Linux: the ``runnable`` count of
    ``/proc/loadavg``, less this one); 0 where it cannot be read. An instantaneous snapshot,
    unlike the load averages, which lag by a minute."""
    try:
        with open("/proc/loadavg", "rb") as fh:
            runnable = int(fh.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, runnable - 1)


def threads_now(n: int, serial_below: int) -> int:
    """Threads a call over ``n`` rows should use now: 1 below ``serial_below``, else
    :func:`threads` less the cores other work holds at this moment (at least 1). On a machine
    whose cores are all busy a second thread only waits for a time slice, and the call
    would wait for it (2 threads under 2 busy loops took 19-25 s where 1 took about 1 s)."""
    if n < serial_below:
        return 1
    nt = threads()
    if nt > 1:
        nt = max(1, min(nt, _cpu_count() - _busy_cores()))
    return nt


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_POOL: ThreadPoolExecutor | None = None
_POOL_KEY: tuple[int, int] | None = None  # (pid, workers) the pool was made for
_POOL_LOCK = threading.Lock()


def _forget_pool() -> None:
    """In a forked child: the parent's worker threads did not survive, nor may its lock."""
    global _POOL, _POOL_KEY, _POOL_LOCK
    _POOL, _POOL_KEY, _POOL_LOCK = None, None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's worker pool, made on first use (a new one after a fork)."""
    global _POOL, _POOL_KEY
    key = (os.getpid(), workers)
    with _POOL_LOCK:
        if _POOL is None or _POOL_KEY != key:
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="areo-kernel")
            _POOL_KEY = key
        return _POOL


def run(kernel: Callable[..., Any], n: int, args: tuple, serial_below: int) -> None:
    """``kernel(*args, lo, hi)`` over ``[0, n)``: one call in this thread when ``n <
    serial_below`` (or one thread is allowed), else one contiguous chunk per thread (static
    split, as numba's ``prange``), the calling thread taking the first. ``kernel`` must be
    compiled ``nogil=True`` and write only the rows of its chunk."""
    nt = threads_now(n, serial_below)
    nt = min(nt, n)
    if nt <= 1:
        kernel(*args, 0, n)
        return
    bounds = [n * k // nt for k in range(nt + 1)]
    try:
        pool = _pool(nt - 1)
        futures: list[Future] = [pool.submit(kernel, *args, bounds[k], bounds[k + 1])
                                 for k in range(1, nt)]
    except RuntimeError:  # interpreter shutting down: no new threads, run it here
        kernel(*args, 0, n)
        return
    try:
        kernel(*args, bounds[0], bounds[1])
    finally:
        for f in futures:
            f.result()


def run_pieces(kernel: Callable[..., Any], n: int, args: tuple, serial_below: int) -> None:
    """:func:`run` with the range cut into pieces (8 a thread) that the threads take in turn
    as they finish, on the same pool: on a busy machine a thread that the system holds back
    delays only the piece it holds, and the caller returns once every piece is done, without
    waiting for a pool thread that never got to start. For kernels whose rows cost unevenly
    (the passes search: sites see different numbers of passes)."""
    nt = threads_now(n, serial_below)
    pieces = min(n, 8 * nt)
    if nt <= 1 or pieces <= 1:
        kernel(*args, 0, n)
        return
    bounds = [n * k // pieces for k in range(pieces + 1)]
    taken = itertools.count()  # next() is atomic under the GIL
    lock = threading.Lock()
    done = [0]
    errors: list[BaseException] = []
    finished = threading.Event()

    def work() -> None:
        while (k := next(taken)) < pieces:
            try:
                kernel(*args, bounds[k], bounds[k + 1])
            except BaseException as exc:  # handed to the caller below
                errors.append(exc)
            with lock:
                done[0] += 1
                if done[0] == pieces:
                    finished.set()

    try:
        pool = _pool(nt - 1)
        for _ in range(nt - 1):
            pool.submit(work)
    except RuntimeError:  # interpreter shutting down: no new threads; this thread does all
        pass
    work()
    finished.wait()
    if errors:
        raise errors[0]
