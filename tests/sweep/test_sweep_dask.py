"""Sweeps on a real Dask engine: a LocalCluster, and a separate scheduler with two worker
processes started here; a worker killed with SIGKILL mid-sweep; the client killed and the
sweep resumed. Every result must equal the serial run, bit for bit, and the serial run
must equal missions run on their own (``run_mission`` on a scenario written by hand)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from tests.sweep.helpers import BASE, BIN, write_sweep

N_VARIANTS = 12  # min_elev_deg 5..30 step 5 x dust.tau clear, 0.5


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    assert sorted(a.tables) == sorted(b.tables)
    for t in a.tables:
        pd.testing.assert_frame_equal(a.tables[t], b.tables[t], check_exact=True)


def test_serial_equals_missions_run_on_their_own(serial, tmp_path):
    """The oracle: the mission pipeline on a scenario file written by hand (not through the
    sweep's document builder) gives the values the sweep collected for that variant."""
    from areo.mission import run_mission

    assert len(serial) == N_VARIANTS and serial.n_failed == 0
    row = serial.frame.set_index("variant").loc["v000003"]
    assert (row["operations_min_elev_deg"], row["dust_tau"]) == (10.0, "0.5")
    text = BASE.replace("sols = 2\n", "sols = 2\nmin_elev_deg = 10\n") + "[dust]\ntau = 0.5\n"
    (tmp_path / "v3.toml").write_text(text)
    s = run_mission(tmp_path / "v3.toml", tmp_path / "out", cache=False).summary
    assert row["relay_mean_mbit_per_sol"] == s["relay"]["mean_mbit_per_sol"]
    assert row["relay_passes_used"] == s["relay"]["passes_used"]
    assert row["launch_c3_km2s2"] == s["launch"]["c3_km2s2"]
    assert row["landing_utc"] == s["landing"]["utc"]
    passes = pd.read_parquet(tmp_path / "out" / "passes.parquet")
    mine = serial.tables["passes"]
    mine = mine[mine["variant"] == "v000003"].drop(columns="variant").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, passes, check_exact=True)
    # the variants differ where they should: a higher mask keeps fewer passes
    used = serial.frame.groupby("operations_min_elev_deg")["relay_passes_used"].max()
    assert used.is_monotonic_decreasing and used.iloc[0] > used.iloc[-1]


def test_local_cluster_two_workers_equals_serial(sweep_file, serial):
    from areo.sweep import run_sweep_file

    seen = []
    r = run_sweep_file(sweep_file, workers=2, progress=seen.append)
    _same(r, serial)
    assert seen[-1].done == N_VARIANTS and seen[-1].workers == 2
    assert seen[0].dashboard and seen[0].dashboard.startswith("http://127.0.0.1:")


def test_scheduler_and_workers_equal_serial(cluster, sweep_file, serial):
    from areo.sweep import run_sweep_file

    r = run_sweep_file(sweep_file, client=cluster.address)
    _same(r, serial)


def test_killed_client_resumes_only_the_missing_variants(cluster, tmp_path, serial):
    """``areo sweep`` killed with SIGKILL after a few variants; ``--resume`` runs the rest
    and the directory's results.parquet equals an uninterrupted run's, byte for byte."""

    path = write_sweep(tmp_path / "files")
    out = tmp_path / "out"
    manifest = out / "manifest.jsonl"
    cmd = [str(BIN / "areo"), "sweep", str(path), "--out", str(out), "--scheduler",
           cluster.address]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if manifest.is_file() and len(manifest.read_text().splitlines()) >= 3:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = [json.loads(x)["variant"] for x in manifest.read_text().splitlines()]
    assert 3 <= len(before) < N_VARIANTS, "the client finished before it was killed"

    res = subprocess.run([*cmd, "--resume", "--json"], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert (doc["skipped"], doc["ran"]) == (len(before), N_VARIANTS - len(before))
    lines = [json.loads(x) for x in manifest.read_text().splitlines() if x.strip()]
    ids = [x["variant"] for x in lines if "variant" in x]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == N_VARIANTS  # none ran twice
    assert {x["status"] for x in lines} == {"ok"}
    assert all(x["areo_version"] and len(x["inputs_hash"]) == 64 for x in lines)

    ref = serial.out_dir  # the same sweep file, uninterrupted
    assert (out / "results.parquet").read_bytes() == (ref / "results.parquet").read_bytes()
    assert (out / "tables" / "passes.parquet").read_bytes() == \
        (ref / "tables" / "passes.parquet").read_bytes()
    assert (out / "sweep_report.html").is_file()


def test_worker_killed_mid_sweep_loses_nothing(cluster, sweep_file, serial):
    """SIGKILL to one of the two workers once two variants are done: the scheduler runs
    its chunk again on the other; the sweep completes equal to the serial run. (Last in
    this module: it leaves the cluster with one worker.)"""
    from areo.sweep import run_sweep_file

    victim = cluster.workers[0]
    killed = []

    def progress(p):
        if p.done >= 2 and not killed:
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(p.done)

    r = run_sweep_file(sweep_file, client=cluster.address, progress=progress)
    assert killed and killed[0] < N_VARIANTS
    assert victim.wait(timeout=10) == -signal.SIGKILL
    _same(r, serial)


@pytest.mark.skipif(sys.platform != "linux", reason="flock and /proc as on Linux")
def test_numba_threads_one_per_local_worker():
    """LocalCluster workers run kernels on one thread each (two workers on two cores do not
    oversubscribe them)."""
    from areo._batch import connect

    with connect(workers=1) as c:
        env = c.run(lambda: os.environ.get("NUMBA_NUM_THREADS"))
    assert list(env.values()) == ["1"]
