"""Property-based fuzzing of the scenario loader and of ``areo mission``.

Mutations of examples/exomars-2028.toml and examples/perseverance-2020.toml (lines dropped,
duplicated or truncated, values replaced by wrong types, extreme numbers, unicode, control
characters, huge strings, hostile paths such as ../../etc/passwd, /dev/zero, a FIFO, a
directory; TOML syntax errors and bytes that are not UTF-8): ``load_scenario`` returns a
Scenario or raises ScenarioError with a one-line message that never quotes a file the
scenario points at; never another exception, never a hang. A handful of mutations also run
the whole ``areo mission`` in-process: exit 0, or exit 2 with exactly one stderr line; no
traceback; nothing written outside the test's directory.

Reproducible (derandomized, no example database) and fast; ``tests/fuzz/fuzz_scenario.py``
runs the same properties for longer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areo.mission import Scenario
from tests.mission.fuzzing import (
    BASES,
    MUTATION,
    SECRET,
    check_load,
    deadline,
    make_arena,
    mutate,
)
from tests.mission.helpers import short_exomars_text


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    return make_arena(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(base=st.sampled_from(sorted(BASES)), mutations=st.lists(MUTATION, min_size=1,
                                                                   max_size=3))
def test_load_scenario_never_fails_otherwise(arena, base, mutations):
    path = arena / "scenario.toml"
    path.write_bytes(mutate(BASES[base], mutations, arena))
    check_load(path)


@pytest.mark.parametrize("base", sorted(BASES))
def test_examples_load(base, arena):
    path = arena / f"{base}.toml"
    path.write_text(BASES[base], encoding="utf-8")
    assert isinstance(check_load(path), Scenario)


# ---------------------------------------------------------------------------- areo mission
def _snapshot(*dirs: Path) -> dict[Path, list[str]]:
    return {d: sorted(p.name for p in d.iterdir()) for d in dirs}


def _run_mission(capsys, scenario: Path, out: Path) -> tuple[int, str, str]:
    from areo.cli import main

    code = 0
    try:
        with deadline(240.0):
            main(["mission", str(scenario), "--out", str(out)])
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _check_cli(capsys, tmp_path, monkeypatch, content: bytes) -> int:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    monkeypatch.setenv("AREO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AREO_DEBUG", raising=False)
    monkeypatch.chdir(work)
    scenario = work / "s.toml"
    scenario.write_bytes(content)
    watched = (tmp_path.parent, Path.home(), Path(sys.prefix))
    before = _snapshot(*watched)
    code, out, err = _run_mission(capsys, scenario, work / "out")
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert out == "" and err.startswith("areo: error: ") and err.count("\n") == 1, err
        assert SECRET not in err
        assert not (work / "out").exists()
    else:
        assert (work / "out" / "report.html").is_file()
    assert _snapshot(*watched) == before, "a file was written outside the test directory"
    return code


@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(MUTATION, min_size=1, max_size=2))
def test_cli_mission_on_mutated_scenarios(capsys, tmp_path, monkeypatch, arena, mutations):
    _check_cli(capsys, tmp_path, monkeypatch, mutate(short_exomars_text(), mutations, arena))


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({'rate_mode = "adaptive"': 'rate_mode = "adaptive"\norbiter_storage_mbit = inf'}, 2),
        ({'name = "mex"                    # Melacom UHF':
          'name = "relay"\noem = "../../../../../../../../etc/passwd"'}, 2),
        ({'name = "mex"                    # Melacom UHF': 'name = "x"\nspk = "{arena}/fifo"\n'
          'naif_id = -5'}, 2),
        ({'site = "oxia_planum"': 'site = "oxia_planum"\nutc = "2649-12-31T00:00:00"'}, 2),
        # Markup-like and non-Latin names are plain text all the way to the report.
        ({'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"':
          'name = "[/] Tianwen-1 天问 [bold]"'}, 0),
    ],
)
def test_cli_mission_on_chosen_mutations(capsys, tmp_path, monkeypatch, arena, replace,
                                         expected):
    text = short_exomars_text({k: v.replace("{arena}", str(arena)) for k, v in replace.items()})
    assert _check_cli(capsys, tmp_path, monkeypatch, text.encode()) == expected
