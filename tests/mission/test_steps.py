"""The mission's steps as data: a step sees only the scenario fields it declares, its cache
key changes with exactly those (so a new field can never be forgotten), the catalog is never
changed by a run, and ``--partial`` keeps an incomplete campaign with the reason."""

from __future__ import annotations

import json

import pytest

from areo.mission import load_scenario, run_mission
from areo.mission.cache import step_key
from areo.mission.context import MissionContext, StepInputs, UndeclaredInput
from areo.mission.pipeline import key_inputs
from areo.mission.scenario import parse_scenario
from areo.mission.steps import STEPS, Step
from tests.mission.helpers import EXAMPLES, cli, short_exomars_text


def _keys(sc) -> dict[str, str]:
    """Every step's key, as the runner derives it (the landing taken at the arrival
    span's end: the keys depend on the landing time, not on how it was found)."""
    ctx = MissionContext.from_scenario(sc)
    ctx.land(sc.landing.utc or sc.arrival.latest)
    fp = sc.fingerprint()
    keys: dict[str, str] = {}
    for step in STEPS:
        keys[step.name] = step_key(step.name, key_inputs(step, fp, keys, ctx))
    return keys


def _scenario(text: str, tmp_path):
    import tomllib

    return parse_scenario(tomllib.loads(text), base_dir=tmp_path)


# Each change, and the steps whose results depend on it (through the steps they need).
CHANGES = [
    # a finer porkchop: the transfer (the landing time is held fixed here), and the EDL,
    # which takes its arrival from the transfer step when the model is ballistic
    ("grid_points = 60 ", "grid_points = 61 ", {"transfer", "edl"}),
    ("link_fraction = 0.10 ", "link_fraction = 0.20 ", {"relay", "campaign"}),
    # the OEM products' span: inside the span the trajectories cover for the relay plan
    ("ephemeris_sols = 1 ", "ephemeris_sols = 2 ", {"orbiters"}),
    ('tau = "seasonal"', 'tau = "clear"', {"campaign"}),
    ("energy_fraction = 0.05", "energy_fraction = 0.15", {"campaign"}),
    # with operations.sols given, the rover's template does not move the relay plan
    ("experiment_cycles = 1", "experiment_cycles = 2", {"campaign"}),
    ("sols = 20 ", "sols = 21 ", {"orbiters", "relay", "campaign"}),
    ("min_elev_deg = 10.0", "min_elev_deg = 15.0", {"relay", "campaign"}),
]


@pytest.mark.parametrize("old, new, affected", CHANGES)
def test_a_key_changes_exactly_with_what_the_step_reads(tmp_path, old, new, affected):
    base = _keys(_scenario(short_exomars_text(), tmp_path))
    text = short_exomars_text()
    if old not in text:
        pytest.skip(f"the example no longer has {old!r}")
    changed = _keys(_scenario(text.replace(old, new), tmp_path))
    assert {k for k in base if base[k] != changed[k]} == affected


def test_the_rovers_nominal_sols_reach_the_orbiter_key(tmp_path):
    """The hand-listed keys of the old runner left the rover out of the orbiters step,
    although without operations.sols the rover's nominal sols set the span the orbiters
    are evaluated over."""
    text = short_exomars_text().replace("sols = 20 ", "# sols from the rover ")
    base = _keys(_scenario(text, tmp_path))
    other = _keys(_scenario(text.replace('model = "rosalind_franklin"',
                                         'model = "rosalind_franklin"\nkey = "rf2"'),
                            tmp_path))
    assert base["orbiters"] == other["orbiters"]  # same rover figures: same sols
    ctx = MissionContext.from_scenario(_scenario(text, tmp_path))
    assert ctx.sols == 218  # Vago et al. 2017's nominal mission


def test_a_step_cannot_read_what_it_did_not_declare(tmp_path):
    sc = load_scenario(EXAMPLES / "exomars-2028.toml")
    ctx = MissionContext.from_scenario(sc)
    sneaky = Step("sneaky", "x", reads=("transfer",), compute=lambda inp: None)
    inp = StepInputs(ctx, sneaky, {})
    assert inp.scenario.transfer.grid_points == sc.transfer.grid_points
    with pytest.raises(UndeclaredInput, match="dust"):
        inp.scenario.dust  # noqa: B018
    with pytest.raises(UndeclaredInput, match="site"):
        inp.site  # noqa: B018
    with pytest.raises(UndeclaredInput, match="relay"):
        inp.result("relay")
    field_only = Step("one-field", "x", reads=("margins.link_fraction",),
                      compute=lambda inp: None)
    inp = StepInputs(ctx, field_only, {})
    assert inp.scenario.margins.link_fraction == sc.margins.link_fraction
    with pytest.raises(UndeclaredInput, match=r"margins\.min_soc"):
        inp.scenario.margins.min_soc  # noqa: B018


def test_every_registered_step_declares_known_fields_and_earlier_steps():
    from areo.mission.context import DERIVED

    fields = load_scenario(EXAMPLES / "exomars-2028.toml").fingerprint()
    seen: set[str] = set()
    for step in STEPS:
        for r in step.reads:
            section, _, name = r.partition(".")
            assert section in fields, (step.name, r)
            assert not name or name in fields[section], (step.name, r)
        assert set(step.uses) <= set(DERIVED), step.name
        assert set(step.needs) <= seen, step.name
        seen.add(step.name)


def test_a_run_leaves_the_catalog_as_it_was(tmp_path):
    """The old runner added a scenario's landing site to the global catalog."""
    from areo import catalog
    from areo.errors import UnknownEntryError

    text = (EXAMPLES / "perseverance-2020.toml").read_text()
    text = text.replace('site = "jezero"', 'name = "Not In Catalog"\nlat_deg = 18.4\n'
                        "lon_east_deg = 77.5")
    text = text.replace("sols = 250 ", "sols = 2 ").replace("grid_points = 120",
                                                             "grid_points = 20")
    path = tmp_path / "s.toml"
    path.write_text(text)
    before = [s.key for s in catalog.sites()]
    res = run_mission(path, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert res.summary["landing"]["site"]["key"] == "not_in_catalog"
    assert [s.key for s in catalog.sites()] == before
    with pytest.raises(UnknownEntryError):
        catalog.site("not_in_catalog")


# ----------------------------------------------------------------------------- --partial
def _crowded(tmp_path):
    """Two Experiment Cycles in 6 sols: the campaign cannot fit."""
    path = tmp_path / "crowded.toml"
    path.write_text(short_exomars_text({"sols = 20 ": "sols = 6 ",
                                        "experiment_cycles = 1": "experiment_cycles = 2"}))
    return path


def test_a_campaign_that_does_not_fit_names_partial(short_run, tmp_path, capsys,
                                                    monkeypatch):
    monkeypatch.setenv("AREO_CACHE_DIR", str(short_run.cache))
    code, out, err = cli(capsys, "mission", _crowded(tmp_path), "--out", tmp_path / "out")
    assert code == 2 and out == ""
    line = err.splitlines()[-1]
    assert "field 'operations.sols'" in line and "does not fit" in line
    assert "--partial" in line
    assert not (tmp_path / "out").exists()


def test_partial_keeps_the_report_with_the_campaign_marked_incomplete(short_run, tmp_path,
                                                                      capsys, monkeypatch):
    monkeypatch.setenv("AREO_CACHE_DIR", str(short_run.cache))
    out = tmp_path / "out"
    code, stdout, err = cli(capsys, "mission", _crowded(tmp_path), "--out", out,
                            "--partial", "--json")
    assert code == 0, err
    s = json.loads(stdout)
    camp = s["campaign"]
    assert camp["complete"] is False and "does not fit in 6 sols" in camp["incomplete_reason"]
    # what remains is what was not done: an invariant of the campaign's own task list
    record = json.loads((out / "summary.json").read_text())["campaign"]
    assert record == camp
    assert sum(camp["remaining_tasks"].values()) > 0
    assert camp["experiment_cycles"] < 2
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Campaign incomplete." in page and "does not fit in 6 sols" in page
    for name in ("per_sol.csv", "rover_plan.openmct.json", "passes.csv"):
        assert (out / name).is_file()


def test_partial_keeps_a_campaign_the_rover_cannot_survive(short_run, tmp_path, capsys,
                                                          monkeypatch):
    """tau 12: planning stops at the first sol the battery cannot survive; with --partial
    the report says so and the sols before it stand."""
    monkeypatch.setenv("AREO_CACHE_DIR", str(short_run.cache))
    path = tmp_path / "storm.toml"
    path.write_text(short_exomars_text({'tau = "seasonal"': "tau = 12.0"}))
    code, stdout, err = cli(capsys, "mission", path, "--out", tmp_path / "out", "--partial",
                            "--json")
    assert code == 0, err
    camp = json.loads(stdout)["campaign"]
    assert camp["complete"] is False and "cannot survive sol" in camp["incomplete_reason"]
    stop = int(camp["incomplete_reason"].split("cannot survive sol ")[1].split(":")[0])
    assert camp["sols"] == stop


def test_a_scenario_built_in_python_copies_no_file(short_run, tmp_path, monkeypatch):
    """A Scenario made with parse_scenario is named 'scenario': a file of that name in the
    working directory must not be copied into the products as if it were the scenario."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenario").write_text("not mine to copy")
    sc = _scenario(short_exomars_text(), EXAMPLES)
    res = run_mission(sc, tmp_path / "out", cache_dir=short_run.cache)
    assert not (res.out_dir / "scenario.toml").exists()
    assert (res.out_dir / "summary.json").is_file()
