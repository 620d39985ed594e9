"""Scenario validation: every bad input is one message naming the TOML field, the allowed
values and the fix; the CLI turns it into one stderr line and exit code 2, before any long
work and without an output directory."""

from __future__ import annotations

import tomllib

import pytest

from areo.mission import ScenarioError, load_scenario, parse_scenario
from tests.mission.helpers import EXAMPLES, cli, short_exomars_text


def _base() -> dict:
    return tomllib.loads(short_exomars_text())


def _error(mutate) -> str:
    data = _base()
    mutate(data)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, origin="scenario test.toml")
    text = str(info.value)
    assert "\n" not in text and text.startswith("scenario test.toml: ")
    return text


def test_examples_validate():
    exo = load_scenario(EXAMPLES / "exomars-2028.toml")
    assert [o.name for o in exo.orbiters] == ["tgo", "mex"]
    assert exo.landing.site == "oxia_planum" and exo.landing.utc is None
    assert exo.rover is not None and exo.operations.sols == 218
    assert exo.transfer.max_revs == 1
    m2020 = load_scenario(EXAMPLES / "perseverance-2020.toml")
    assert m2020.rover is None  # Perseverance is not the solar rover the planner models
    assert m2020.launch.utc == "2020-07-30T11:50:00"
    assert m2020.landing.site == "jezero"


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (lambda d: d["orbiters"][0].update(name="tgx"),
         ["field 'orbiters.0.name'", "unknown orbiter 'tgx'", "known:", "tgo", "mex"]),
        (lambda d: d["landing"].update(utc="2700-01-01T00:00:00"),
         ["field 'landing.utc'", "outside the DE440 ephemeris span", "1549", "2650"]),
        # inside DE440, but the 20 sols of operations run past its end
        (lambda d: d["landing"].update(utc="2650-01-10T00:00:00"),
         ["field 'landing.utc'", "days of operations after it"]),
        (lambda d: d["launch"].update(earliset="2028-10-01"),
         ["field 'launch.earliset'", "not a scenario field", "earliest, latest, utc"]),
        (lambda d: d.update(orbiter=[{"name": "tgo"}]),
         ["field 'orbiter'", "allowed:", "orbiters"]),
        (lambda d: d["transfer"].update(objective="fastest"),
         ["field 'transfer.objective'", "'c3'", "'dv_total'"]),
        (lambda d: d["landing"].update(site="atlantis"),
         ["field 'landing.site'", "unknown site 'atlantis'", "oxia_planum"]),
        (lambda d: d["stations"].update(names=["kourou"]),
         ["field 'stations.names'", "unknown station 'kourou'", "dss-43"]),
        (lambda d: d["dust"].update(tau="blizzard"),
         ["field 'dust.tau'", "unknown dust scenario 'blizzard'", "seasonal"]),
        (lambda d: d["dust"].update(tau=40.0),
         ["field 'dust.tau'", "[0, 15]"]),
        (lambda d: d["launch"].update(latest="2028-08-01"),
         ["field 'launch.latest'", "before earliest", "swap"]),
        (lambda d: d["launch"].update(earliest="2028-13-01"),
         ["field 'launch.earliest'", "month 13"]),
        (lambda d: d["orbiters"].append({"name": "Mars Express"}),
         ["field 'orbiters'", "'mex' is listed twice"]),
        (lambda d: d["orbiters"][1].update(peri_alt_km=300.0),
         ["field 'orbiters.1'", "apo_alt_km, inc_deg"]),
        (lambda d: d["orbiters"][0].update(radio="walkie-talkie"),
         ["field 'orbiters.0.radio'", "electra"]),
        (lambda d: d.pop("landing"), ["field 'landing' is required"]),
        (lambda d: d["operations"].update(sols=0), ["field 'operations.sols'", "1"]),
    ],
)
def test_bad_fields_are_named(mutate, fragments):
    text = _error(mutate)
    for f in fragments:
        assert f in text, (f, text)


def test_misspelt_field_reported_before_what_it_causes():
    text = _error(lambda d: d["dust"].update(cleanings=[{"sol": 3, "restor": 0.5}]))
    assert "field 'dust.cleanings.0.restor' is not a scenario field" in text
    assert "sol, restore" in text


def test_relative_paths_and_missing_files(tmp_path, capsys):
    """Paths in a scenario are relative to it; a missing file is named by its field."""
    text = short_exomars_text({'model = "rosalind_franklin"': 'model = "rovers/mine.toml"'})
    path = tmp_path / "s.toml"
    path.write_text(text)
    code, out, err = cli(capsys, "mission", path, "--out", tmp_path / "out")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "field 'rover.model'" in err
    assert str(tmp_path / "rovers" / "mine.toml") in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("replace", "fragment"),
    [
        ({'name = "tgo" ': 'name = "tgx" '}, "field 'orbiters.0.name': unknown orbiter 'tgx'"),
        ({'site = "oxia_planum"': 'site = "oxia_planum"\nutc = "2700-02-01T00:00:00"'},
         "field 'landing.utc': 2700-02-01T00:00:00 is outside the DE440 ephemeris span"),
        ({"[operations]": "[operation]"}, "field 'operation' is not a scenario field"),
    ],
)
def test_cli_bad_scenario_exits_2_without_output(tmp_path, capsys, replace, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(short_exomars_text(replace))
    out_dir = tmp_path / "out"
    code, out, err = cli(capsys, "mission", path, "--out", out_dir)
    assert code == 2 and out == ""
    assert err.startswith("areo: error: scenario ") and err.count("\n") == 1, err
    assert fragment in err
    assert not out_dir.exists() and list(tmp_path.iterdir()) == [path]


def test_cli_missing_or_broken_scenario_file(tmp_path, capsys):
    code, _, err = cli(capsys, "mission", tmp_path / "nope.toml", "--out", tmp_path / "o")
    assert code == 2 and "does not exist" in err and err.count("\n") == 1
    broken = tmp_path / "broken.toml"
    broken.write_text("[mission\nname = 'x'\n")
    code, _, err = cli(capsys, "mission", broken, "--out", tmp_path / "o")
    assert code == 2 and "not valid TOML" in err
    assert not (tmp_path / "o").exists()
