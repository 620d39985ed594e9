"""``areo sweep`` on bad input: one line on stderr naming the problem and the fix, exit 2,
before any variant runs; and the output directory rules."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.helpers import run
from tests.sweep.helpers import write_sweep


def _edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))
    return path


def _fails(capsys, *args, words):
    code, out, err = run(capsys, "sweep", *map(str, args))
    assert code == 2, err
    assert out == "" and err.count("\n") == 1 and err.startswith("areo: error: ")
    for w in words:
        assert w in err, (w, err)
    return err


@pytest.mark.parametrize(("old", "new", "words"), [
    ('"dust.tau"', '"dust.taux"', ["'taux' is not a field of [dust]",
                                   "allowed: tau, loss_per_sol, cleanings"]),
    ('["clear", 0.5]', '["clear", 16.0]', ["variant v000001", "dust.tau=16.0",
                                           "must be a finite number in [0, 15]"]),
    ('["clear", 0.5]', '[]', ["list of values is empty"]),
    ("stop = 30", "stop = 1", ["range is empty"]),
])
def test_bad_sweep_file(capsys, tmp_path, old, new, words):
    path = _edit(write_sweep(tmp_path), old, new)
    _fails(capsys, path, "--out", tmp_path / "out", words=words)
    assert not (tmp_path / "out").exists()  # refused before the output was made


def test_unreachable_scheduler(capsys, tmp_path):
    _fails(capsys, write_sweep(tmp_path), "--out", tmp_path / "out", "--scheduler",
           "tcp://127.0.0.1:9", words=["tcp://127.0.0.1:9", "dask scheduler",
                                       "dask worker"])


def test_workers_with_a_scheduler(capsys, tmp_path):
    _fails(capsys, write_sweep(tmp_path), "--out", tmp_path / "out", "--scheduler",
           "tcp://127.0.0.1:9", "--workers", "2", words=["give one of them"])


def test_output_directory_rules(capsys, tmp_path):
    path = write_sweep(tmp_path / "a", stop=5)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    _fails(capsys, path, "--out", foreign, words=["areo did not write"])
    (tmp_path / "file").write_text("x")
    _fails(capsys, path, "--out", tmp_path / "file", words=["is not a directory"])

    out = tmp_path / "out"
    code, stdout, err = run(capsys, "sweep", str(path), "--out", str(out), "--json",
                            "--workers", "1")
    assert code == 0, err
    doc = json.loads(stdout)
    assert (doc["variants"], doc["ok"], doc["failed"]) == (2, 2, 0)
    assert (out / "sweep_report.html").is_file() and (out / "results.parquet").is_file()

    # the same file again: resumed, nothing to run; or replaced without --resume
    from areo.sweep import run_sweep_file

    again = run_sweep_file(path, out=out, client="serial", resume=True)
    assert (again.ran, again.skipped, again.n_ok) == (0, 2, 2)
    # another sweep file into it: refused
    other = _edit(write_sweep(tmp_path / "b", stop=5), '"clear", 0.5', '"clear", 0.7')
    _fails(capsys, other, "--out", out, words=["holds a sweep of another sweep file"])
    # a mission output directory: refused
    from areo.mission import run_mission

    run_mission(tmp_path / "a" / "base.toml", tmp_path / "mission", cache=False)
    _fails(capsys, path, "--out", tmp_path / "mission", words=["mission output, not a sweep"])


def test_a_failing_variant_is_recorded_and_the_sweep_goes_on(tmp_path):
    """A variant that validates but fails in the run (the landing lies outside the
    orbiter's ephemeris? here: a key the summary lacks) is recorded with its one-line
    error; the others complete."""
    from areo.sweep import run_sweep_file

    path = write_sweep(tmp_path, stop=5)
    _edit(path, '"landing.utc"]', '"landing.utc", "campaign.n_samples", "relay.nope"]')
    r = run_sweep_file(path, out=tmp_path / "out", client="serial")
    assert r.n_failed == 2
    assert set(r.failed["error"]) == {"summary.json has no key 'relay.nope' "
                                      "(relay has: mean_mbit_per_sol, median_latency_s, "
                                      "passes_used, passes_found, status, sols, "
                                      "lander_radio, stations, earth_contacts, "
                                      "conjunctions)"}
    lines = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text()
             .splitlines()]
    assert [x["status"] for x in lines] == ["failed", "failed"]


def test_resume_runs_lost_variants_again(tmp_path):
    """A variant whose chunk was lost (status "lost": not its own error) is run again by
    --resume; "ok" and "failed" ones are not."""
    from areo.sweep import run_sweep_file

    path = write_sweep(tmp_path, stop=10)
    out = tmp_path / "out"
    first = run_sweep_file(path, out=out, client="serial")
    manifest = out / "manifest.jsonl"
    lines = [json.loads(x) for x in manifest.read_text().splitlines()]
    lines[1].update(status="lost", error="chunk failed: KilledWorker", outputs={})
    lines[2].update(status="failed", error="boom", outputs={})
    manifest.write_text("".join(json.dumps(x) + "\n" for x in lines) + '{"variant": "v0')
    again = run_sweep_file(path, out=out, client="serial", resume=True)
    assert (again.ran, again.skipped) == (1, 3)
    assert list(again.frame["status"]) == ["ok", "ok", "failed", "ok"]
    ok = again.frame["status"] == "ok"
    pd.testing.assert_frame_equal(again.frame[ok].drop(columns="error"),
                                  first.frame[ok].drop(columns="error"), check_exact=True)
