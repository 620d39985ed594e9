"""Helpers of the sweep tests (tests/sweep and tests/test_contract.py): a cheap base
scenario (a pinned Perseverance-like transfer, a 10 x 10 porkchop, one orbiter, one
station, two sols of relay: ~0.2 s a variant warm), a sweep file over it, and a Dask
scheduler with two worker processes started on 127.0.0.1 by the tests and stopped by
them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE = """\
[mission]
name = "cheap"
[launch]
utc = 2020-07-30T11:50:00
[arrival]
utc = 2021-02-18T20:55:00
[transfer]
grid_points = 10
[[orbiters]]
name = "tgo"
[landing]
site = "jezero"
[stations]
names = ["DSS-14"]
[operations]
sols = 2
ephemeris_sols = 0.1
"""

SWEEP = """\
[sweep]
name = "cheap trade"
scenario = "base.toml"
cache = false
chunk_size = {chunk}
[parameters]
"operations.min_elev_deg" = {{ start = 5, stop = {stop}, step = 5 }}
"dust.tau" = ["clear", 0.5]
[collect]
summary = ["relay.mean_mbit_per_sol", "relay.passes_used", "launch.c3_km2s2",
           "landing.utc"]
tables = ["passes"]
"""

BIN = Path(sys.executable).parent


def write_sweep(folder: Path, *, stop: int = 30, chunk: int = 1) -> Path:
    """base.toml and sweep.toml in ``folder`` (2 x stop/5 variants); returns the sweep."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.toml").write_text(BASE)
    path = folder / "sweep.toml"
    path.write_text(SWEEP.format(stop=stop, chunk=chunk))
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "NUMBA_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}


def _wait_for(proc: subprocess.Popen, log: Path, pattern: str, timeout: float = 60.0) -> str:
    """The first match of ``pattern`` (its group 1) in ``log``, the process's stderr."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(pattern, log.read_text(errors="replace"))
        if m:
            return m.group(1)
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} ended with {proc.returncode}: "
                               f"{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.05)
    raise TimeoutError(f"{proc.args}: no line matching {pattern!r}")


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes (no nanny: a worker killed stays
    dead) on 127.0.0.1; their logs go to files in ``folder`` (a pipe nobody reads would
    fill up and block them)."""

    def __init__(self, folder: Path, n_workers: int = 2):
        self.folder = folder
        self.procs: list[subprocess.Popen] = []
        self.scheduler = self._start("scheduler", [
            "scheduler", "--host", "127.0.0.1", "--port", "0",
            "--dashboard-address", "127.0.0.1:0", "--no-show"], r"Scheduler at:\s+(tcp://\S+)")
        self.address = self.found
        self.workers = [self.start_worker() for _ in range(n_workers)]

    def _start(self, name: str, args: list[str], pattern: str) -> subprocess.Popen:
        log = self.folder / f"{name}-{len(self.procs)}.log"
        with open(log, "w") as fh:
            p = subprocess.Popen([str(BIN / "dask"), *args], stderr=fh,
                                 stdout=subprocess.DEVNULL, env=_env())
        self.procs.append(p)
        self.found = _wait_for(p, log, pattern)
        return p

    def start_worker(self) -> subprocess.Popen:
        return self._start("worker", [
            "worker", self.address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
            "--dashboard-address", "127.0.0.1:0"], r"(Registered to)")

    def close(self) -> None:
        # Workers first (they would try to reconnect to a closed scheduler).
        for p in [*self.workers, self.scheduler]:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
