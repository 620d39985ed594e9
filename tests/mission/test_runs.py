"""Runs of the chain: the cache (reuse, --no-cache), atomic output directories, the CLI,
a rover that cannot survive its dust scenario, and the Perseverance replay."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from areo.errors import AreoInputError
from areo.mission import run_mission
from areo.report import mission_page
from areo.time import Time
from tests.mission.helpers import EXAMPLES, cli, short_exomars_text

GM_SUN = 132712440041.279419  # km^3/s^2, DE440 (Park et al. 2021)
STEPS = ["transfer", "trajectory", "edl", "orbiters", "relay", "campaign"]


def _strip(summary: dict) -> dict:
    """What a recomputation must reproduce: everything but the timings, and of the campaign
    its contract figures (the campaign planner's CP-SAT solves are time-limited, so details
    such as the lowest state of charge may differ by a fraction of a percent)."""
    out = {k: v for k, v in summary.items() if k not in ("runtime_s", "cache", "campaign")}
    traj = out.get("transfer", {}).get("trajectory")
    if traj:  # the optimiser's run time is a timing too
        out["transfer"] = {**out["transfer"], "trajectory": {
            k: v for k, v in traj.items() if k != "runtime_s"}}
    if out.get("edl"):  # and the Monte Carlo's
        out["edl"] = {k: v for k, v in out["edl"].items() if k != "seconds"}
    out["campaign"] = {k: summary["campaign"][k] for k in (
        "sols", "n_samples", "max_depth_m", "experiment_cycles", "vertical_surveys")}
    return out


def test_warm_run_reuses_every_step(short_run, tmp_path):
    """Reuse is read from the step events (a clock says nothing on a loaded machine): the
    cold run computed each step ('done', with its progress), the warm one only loaded it
    ('start' then 'cached': no 'progress', no 'done', so no step's compute ran)."""
    out = tmp_path / "warm"
    events = []
    again = run_mission(short_run.scenario, out, cache_dir=short_run.cache,
                        progress=events.append, pages=[mission_page])
    assert again.cached_steps == STEPS and again.computed_steps == []
    for step in STEPS:
        assert [e.state for e in events if e.step == step] == ["start", "cached"], step
        assert "done" in [e.state for e in short_run.events if e.step == step], step
    assert any(e.state == "progress" for e in short_run.events)
    for step in ("relay", "campaign"):  # the long steps count their parts up to the total
        parts = [(e.done, e.total) for e in short_run.events
                 if e.step == step and e.state == "progress"]
        assert parts and parts[-1][0] == parts[-1][1] > 1, step
        assert [d for d, _ in parts] == sorted(d for d, _ in parts), step
    # cached: exactly the same figures
    assert {k: v for k, v in again.summary.items() if k not in ("runtime_s", "cache")} == {
        k: v for k, v in short_run.result.summary.items() if k not in ("runtime_s", "cache")}
    assert again.summary["cache"]["cached_steps"] == STEPS
    assert (out / "report.html").stat().st_size > 1_000_000


def test_cli_says_cached_and_no_cache_recomputes(short_run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AREO_CACHE_DIR", str(short_run.cache))
    out = tmp_path / "cli"
    code, stdout, err = cli(capsys, "mission", short_run.scenario, "--out", out)
    assert code == 0, err
    assert ("Reused cached results for: transfer, trajectory, edl, orbiters, relay, "
            "campaign" in err)
    assert err.count("cached") >= 6
    assert f"Report: {(out / 'report.html').resolve()}" in stdout
    code, stdout, err = cli(capsys, "mission", short_run.scenario, "--out", out,
                            "--no-cache", "--json")
    assert code == 0, err
    assert "cached" not in err and "Reused" not in err
    data = json.loads(stdout)
    assert data["cache"]["cached_steps"] == [] and data["cache"]["computed_steps"] == STEPS
    assert data == json.loads((out / "summary.json").read_text())
    assert _strip(data) == _strip(short_run.result.summary)


def test_a_changed_input_misses_the_cache(short_run, tmp_path):
    """Only the steps whose inputs changed are recomputed (here: the link margin feeds the
    relay plan and, through it, the campaign)."""
    path = tmp_path / "margin.toml"
    path.write_text(short_exomars_text({"link_fraction = 0.10 ": "link_fraction = 0.20 "}))
    res = run_mission(path, tmp_path / "out", cache_dir=short_run.cache)
    assert res.cached_steps == ["transfer", "trajectory", "edl", "orbiters"]
    assert res.computed_steps == ["relay", "campaign"]
    # a larger margin holds back more of every pass
    assert (res.summary["relay"]["mean_mbit_per_sol"]
            < short_run.result.summary["relay"]["mean_mbit_per_sol"])


def test_failure_leaves_no_partial_directory(short_run, tmp_path):
    def boom(products):
        (products.out_dir / "report.html").write_text("half a page")
        raise RuntimeError("disk full while writing the report")

    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError, match="disk full"):
        run_mission(short_run.scenario, fresh, cache_dir=short_run.cache, pages=[boom])
    assert list(tmp_path.iterdir()) == []  # neither the directory nor a temporary one
    # an existing output of areo's stays as it was
    old = tmp_path / "old"
    run_mission(short_run.scenario, old, cache_dir=short_run.cache, pages=[mission_page])
    before = {p.name: p.read_bytes() for p in old.iterdir()}
    with pytest.raises(RuntimeError):
        run_mission(short_run.scenario, old, cache_dir=short_run.cache, pages=[boom])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before
    # ... and is replaced whole when a run succeeds
    (old / "tgo.oem").unlink()
    run_mission(short_run.scenario, old, cache_dir=short_run.cache, pages=[mission_page])
    assert (old / "tgo.oem").is_file() and (old / "report.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]


def test_out_on_a_users_directory_is_refused_before_any_work(short_run, tmp_path, capsys):
    """The old runner replaced any --out directory, deleting a user's files."""
    thesis = tmp_path / "thesis"
    (thesis / "src").mkdir(parents=True)
    (thesis / "main.tex").write_text("years of work")
    (thesis / "src" / "x.py").write_text("print(1)")
    events = []
    with pytest.raises(AreoInputError, match="areo did not write"):
        run_mission(short_run.scenario, thesis, cache_dir=short_run.cache,
                    progress=events.append)
    assert events == []  # refused before the first step
    code, out, err = cli(capsys, "mission", short_run.scenario, "--out", thesis)
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert (thesis / "main.tex").read_text() == "years of work"
    assert (thesis / "src" / "x.py").read_text() == "print(1)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


@pytest.mark.parametrize("where", ["file", "proc", "empty"])
def test_unusable_out_is_refused_in_one_line(short_run, tmp_path, capsys, where):
    target = {"file": tmp_path / "f.txt", "proc": Path("/proc/self/areo-out"),
              "empty": ""}[where]
    if where == "file":
        target.write_text("x")
    code, out, err = cli(capsys, "mission", short_run.scenario, "--out", target)
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    assert "--out" in err and "Traceback" not in err


def test_rover_that_cannot_survive_the_dust(short_run, tmp_path, capsys, monkeypatch):
    """tau = 12 (the MY34 storm peaked at 10.8 over Opportunity): the rover's battery cannot
    last a sol; one line names the field, exit 2, no output directory."""
    monkeypatch.setenv("AREO_CACHE_DIR", str(short_run.cache))
    path = tmp_path / "storm.toml"
    path.write_text(short_exomars_text({'tau = "seasonal"': "tau = 12.0"}))
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, "mission", path, "--out", out)
    assert code == 2 and stdout == ""
    # the progress lines of the steps that ran, then one error line
    line = err.splitlines()[-1]
    assert line.startswith("areo: error: scenario ") and "areo: error" not in err[:-len(line)]
    assert "field 'dust.tau'" in line and "cannot survive" in line
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["storm.toml"]


def test_perseverance_replay(tmp_path, spice, pykep_lambert):
    """The Perseverance example (3 sols here): the pinned flown dates, C3 from SPICE + pykep,
    relay through TGO over Jezero, and no rover campaign."""
    text = (EXAMPLES / "perseverance-2020.toml").read_text()
    assert "sols = 250 " in text
    path = tmp_path / "m2020.toml"
    path.write_text(text.replace("sols = 250 ", "sols = 3 ").replace("grid_points = 120",
                                                                   "grid_points = 30"))
    res = run_mission(path, tmp_path / "out", cache_dir=tmp_path / "cache",
                      pages=[mission_page])
    s = res.summary
    assert s["launch"]["utc"].startswith("2020-07-30T11:50:00")
    assert s["arrival"]["utc"].startswith("2021-02-18T20:43:00")
    assert s["landing"]["site"]["key"] == "jezero" and s["campaign"] is None
    et1, et2 = spice.str2et("2020-07-30T11:50:00"), spice.str2et("2021-02-18T20:43:00")
    earth, _ = spice.spkezr("399", et1, "J2000", "NONE", "10")
    mars, _ = spice.spkezr("4", et2, "J2000", "NONE", "10")
    lp = pykep_lambert(list(earth[:3]), list(mars[:3]), et2 - et1, GM_SUN, False, 0)
    vd = np.array(lp.v0[0]) - earth[3:]
    assert s["launch"]["c3_km2s2"] == pytest.approx(vd @ vd, rel=1e-9)
    # published launch energy of Mars 2020: C3 14.49 km2/s2 (NASA) to within the
    # difference between the flown and the ballistic arc
    assert s["launch"]["c3_km2s2"] == pytest.approx(14.5, abs=0.3)
    assert [o["name"] for o in s["orbiters"]] == ["tgo"]
    # EDL from the flown arrival: the pinned touchdown stays (NAIF 20:43:48.8 SCET) and the
    # entry, targeted to it, touches down within minutes; the 99 % ellipse is of the size
    # of Perseverance's range-trigger ellipse, 7.7 x 6.6 km (NASA/JPL), as plausibility
    edl = s["edl"]
    assert s["landing"]["utc"].startswith("2021-02-18T20:43:49")
    assert abs(float(Time(edl["entry"]["landing_utc"]).et - Time(s["landing"]["utc"]).et)) < 900
    assert edl["ellipse"]["major_km"] == pytest.approx(7.7, rel=0.3)
    assert edl["ellipse"]["minor_km"] == pytest.approx(6.6, rel=0.3)
    assert s["relay"]["passes_used"] > 0
    assert not (tmp_path / "out" / "rover_plan.openmct.json").exists()
    html = (tmp_path / "out" / "report.html").read_text()
    assert "no rover campaign was planned" in html


_FULL_DISK = """
import resource, signal, sys
from areo.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
main(sys.argv[1:])
"""


def test_full_disk_is_one_line_and_keeps_the_previous_output(short_run, tmp_path):
    """A disk that fills while the products are written (here: a file-size limit, so that
    report.html cannot be written) ends in one line, exit 2, the previous output intact."""
    import subprocess
    import sys

    out = tmp_path / "out"
    run_mission(short_run.scenario, out, cache_dir=short_run.cache, pages=[mission_page])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    env = {**__import__("os").environ, "AREO_CACHE_DIR": str(short_run.cache)}
    proc = subprocess.run([sys.executable, "-c", _FULL_DISK, "mission", str(short_run.scenario),
                           "--out", str(out)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 2, proc.stderr
    err = [line for line in proc.stderr.splitlines() if line.startswith("areo")]
    assert len(err) == 1 and "could not be written" in err[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
