"""The CLI as one tool: --version, help text without reST markup or '<bool>' labels, one
meaning per option name across commands, repeated options (and comma lists inside them),
and the old spellings of renamed options still read for one release with a note."""

from __future__ import annotations

import json
import re

import pytest
import typer

from areo import __version__
from areo.cli import app, split_names
from areo.errors import AreoInputError
from tests.helpers import run


def _group():
    return typer.main.get_command(app)


def _commands() -> dict:
    group = _group()
    ctx = typer.Context(group)
    return {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}


COMMANDS = sorted(_commands())

#: Option names whose help differs between commands, and what every one of their helps
#: says (the one meaning of the name). A name shared with different help and missing here
#: fails the test: give it the same help, or say here what its meaning is.
MEANING = {
    "--from": r"^Start, UTC ISO",
    "--to": r"^End, UTC ISO",
    "--site": r"^Catalog (landing )?site",
    "--min-elev": r"(?i)elevation (mask|threshold).*deg above the horizon",
    "--model": r"^Propagation model: kepler \(two-body\), j2mean \(J2 secular\) or "
               r"numerical \(Cowell\)\.",
    "--plot": r"(?i)png",
    "--csv": r"^Write .* as CSV",
    "--max-rows": r"^Refuse more rows",
    "--max-days": r"^Refuse spans longer than this \(days\)",
    "--partial": r"campaign that does not fit",
    "--revs": r"(?i)full revolutions",
    "--seed": r"^Seed of the .*\(same seed, same answer\)\.$",
    "--orbiter": r"^Catalog orbiter \(tgo, mex, mro\.\.\.\); repeat for several \(or a comma "
                 r"list\)\.",
}


def test_version(capsys):
    code, out, err = run(capsys, "--version")
    assert (code, out, err) == (0, f"areo {__version__}\n", "")


def test_top_level_help_lists_every_command(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "--help")
    assert code == 0
    listed = re.findall(r"^│ (\w[\w-]*) ", out, flags=re.M)
    assert sorted(listed) == COMMANDS
    assert {"mission", "relay", "sols", "passes", "porkchop", "windows", "transfer",
            "orbit", "events", "time"} <= set(listed)
    assert "--version" in out
    # one line per command in the listing
    rows = [line for line in out.splitlines() if re.match(r"^│ +\S", line)]
    assert len(rows) == len(COMMANDS) + 2  # + --version, --help


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_plain_text(capsys, monkeypatch, command):
    """No reST markup (``literal``, :func:, :mod:, :class:) and no '<bool>' type beside
    flags, which take no value."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run(capsys, *([command] if command else []), "--help")
    assert code == 0 and err == ""
    for markup in ("``", ":func:", ":mod:", ":class:", ":data:", ":meth:", "<bool>"):
        assert markup not in out, (command, markup)


def _options():
    """{option name: [(command, flag, type name, help)]} over the visible options."""
    group = _group()
    found: dict[str, list[tuple[str, bool, str, str]]] = {}
    for name, cmd in _commands().items():
        ctx = typer.Context(cmd, info_name=name, parent=typer.Context(group))
        for p in cmd.get_params(ctx):
            if getattr(p, "hidden", False) or not hasattr(p, "is_flag"):
                continue
            for opt in [*p.opts, *p.secondary_opts]:
                if opt.startswith("--") and opt != "--help":
                    found.setdefault(opt, []).append(
                        (name, bool(p.is_flag), _kind(p), " ".join((p.help or "").split())))
    return found


def _kind(param) -> str:
    """The type of one value ('str', 'float', 'Path'...): a repeatable option's items."""
    kind = param.bare_type()
    return kind[5:-1] if kind.startswith("list[") else kind


def test_an_option_name_has_one_meaning_across_commands():
    """The same option name takes the same kind of value everywhere (a flag, a number, a
    path, a text) and says the same thing: identical help, or help that states the one
    meaning recorded in MEANING."""
    problems = []
    for opt, uses in sorted(_options().items()):
        if len(uses) < 2:
            continue
        kinds = {(flag, kind) for _, flag, kind, _ in uses}
        if len(kinds) > 1:
            problems.append(f"{opt} takes different kinds of value: "
                            f"{sorted((c, k) for c, _, k, _ in uses)}")
        helps = {h for *_, h in uses}
        if len(helps) > 1:
            if opt not in MEANING:
                problems.append(f"{opt} has {len(helps)} helps and no entry in MEANING: "
                                f"{sorted(helps)}")
                continue
            for command, _, _, h in uses:
                if not re.search(MEANING[opt], h):
                    problems.append(f"{command} {opt}: {h!r} does not say {MEANING[opt]!r}")
    assert not problems, "\n".join(problems)


def test_catalog_is_a_toml_file_everywhere_and_orbit_names_an_orbit():
    uses = _options()
    assert {c for c, *_ in uses["--catalog"]} >= {"time", "sites", "stations", "passes",
                                                  "relay", "sols", "orbit", "propagate",
                                                  "groundtrack"}
    assert {k for _, _, k, _ in uses["--catalog"]} == {"Path"}
    assert {c for c, *_ in uses["--orbit"]} == {"orbit", "propagate", "groundtrack"}
    # lists are repeated options everywhere (no --orbiters/--landers comma-list options)
    assert not {"--orbiters", "--landers"} & set(uses)


def test_split_names():
    assert split_names(None) == []
    assert split_names(["tgo", "mex"]) == ["tgo", "mex"]
    assert split_names(["tgo, mex", " mro ,", "tgo"]) == ["tgo", "mex", "mro"]


class _Seen(AreoInputError):
    """Raised by the stand-ins below: the CLI prints it on one line and exits 2."""


@pytest.fixture
def seen(monkeypatch):
    """Stand-ins for the planners: record what the CLI passed them and stop."""
    calls = {}

    def stop(name):
        def stand_in(*args, **kwargs):
            calls[name] = (args, kwargs)
            raise _Seen(f"{name} called")
        return stand_in

    monkeypatch.setattr("areo.relay.plan.plan_relay", stop("plan_relay"))
    monkeypatch.setattr("areo.surface.campaign.plan_campaign", stop("plan_campaign"))
    monkeypatch.setattr("areo.transfer.windows.launch_windows", stop("launch_windows"))
    return calls


RELAY = ("relay", "--from", "2021-02-19", "--to", "2021-02-21")


@pytest.mark.parametrize("args", [
    ("--lander", "jezero", "--lander", "oxia_planum", "--orbiter", "tgo", "--orbiter", "mex"),
    ("--lander", "jezero,oxia_planum", "--orbiter", "tgo,mex"),
    ("--lander", "jezero", "--lander", "oxia_planum,jezero", "--orbiter", "tgo, mex",
     "--orbiter", "tgo"),
])
def test_relay_takes_repeated_options(capsys, seen, args):
    code, _, err = run(capsys, *RELAY, *args)
    assert code == 2 and err == "areo: error: plan_relay called\n"
    (landers, orbiters, *_), _ = seen["plan_relay"]
    assert (landers, orbiters) == (["jezero", "oxia_planum"], ["tgo", "mex"])


def test_sols_takes_repeated_orbiters(capsys, seen):
    code, _, err = run(capsys, "sols", "--landing", "2030-11-20T12:00", "--orbiter", "tgo",
                       "--orbiter", "mex")
    assert code == 2, err
    args, _ = seen["plan_campaign"]
    assert args[4].orbiters == ("tgo", "mex")
    run(capsys, "sols", "--landing", "2030-11-20T12:00")
    assert seen["plan_campaign"][0][4].orbiters == ("tgo",)  # the default


def test_passes_takes_repeated_orbiters_and_sites(capsys):
    code, out, err = run(capsys, "passes", "--from", "2021-02-19", "--to", "2021-02-19T12:00",
                         "--orbiter", "tgo", "--orbiter", "mex", "--site", "jezero,oxia_planum",
                         "--json")
    assert code == 0, err
    rows = json.loads(out)
    rows = rows["passes"] if isinstance(rows, dict) else rows
    assert {r["orbiter"] for r in rows} == {"tgo", "mex"}
    assert {r["site"] for r in rows} == {"jezero", "oxia_planum"}


@pytest.mark.parametrize(("args", "note", "check"), [
    (("relay", "--landers", "jezero,oxia_planum", "--orbiters=tgo,mex", "--from",
      "2021-02-19", "--to", "2021-02-21"),
     ["relay --landers is deprecated: use --lander", "relay --orbiters is deprecated: use "
      "--orbiter"],
     lambda seen: seen["plan_relay"][0][:2] == (["jezero", "oxia_planum"], ["tgo", "mex"])),
    (("sols", "--landing", "2030-11-20T12:00", "--orbiters", "tgo,mex"),
     ["sols --orbiters is deprecated: use --orbiter"],
     lambda seen: seen["plan_campaign"][0][4].orbiters == ("tgo", "mex")),
    (("windows", "--from", "2018", "--to", "2020"),
     ["windows --from is deprecated: use --from-year", "windows --to is deprecated: use "
      "--to-year"],
     lambda seen: seen["launch_windows"][0][:2] == (2018, 2020)),
])
def test_old_spellings_still_work_with_a_note(capsys, seen, args, note, check):
    code, _, err = run(capsys, *args)
    lines = err.splitlines()
    assert lines[:-1] == [f"areo: note: {n}" for n in note]
    assert lines[-1] == f"areo: error: {next(iter(seen))} called" and code == 2
    assert check(seen)


def test_orbit_catalog_name_is_read_as_orbit_with_a_note(capsys, tmp_path):
    code, out, err = run(capsys, "orbit", "--catalog", "mex", "--json")
    assert code == 0
    assert err == "areo: note: orbit --catalog is deprecated: use --orbit\n"
    assert json.loads(out) == json.loads(run(capsys, "orbit", "--orbit", "mex", "--json")[1])
    # --catalog FILE loads extra orbits for --orbit, as it loads sites for the others
    user = tmp_path / "orbits.toml"
    user.write_text('[orbits.low]\nname = "Low test orbit"\nperi_alt_km = 300.0\n'
                    'apo_alt_km = 320.0\ninc_deg = 92.0\nepoch_utc = "2030-01-01T00:00:00"\n'
                    'source = "test"\n', encoding="utf-8")
    code, out, err = run(capsys, "orbit", "--catalog", str(user), "--orbit", "low", "--json")
    assert code == 0, err
    assert err == "" and json.loads(out)["peri_alt_km"] == pytest.approx(300.0)


def test_ephem_csv_to_stdout_or_a_file(capsys, tmp_path):
    args = ("ephem", "mars", "--from", "2021-01-01", "--to", "2021-01-02", "--step", "86400",
            "--center", "earth")
    code, out, err = run(capsys, *args, "--csv", "-")
    assert code == 0 and err == "" and out.splitlines()[0].startswith("utc,x_km")
    assert len(out.splitlines()) == 3
    code, old, err = run(capsys, *args, "--csv")  # the old bare flag, for one release
    assert code == 0 and old == out
    assert err == "areo: note: ephem --csv without a file is deprecated: use --csv - (stdout) " \
                  "or --csv FILE\n"
    path = tmp_path / "mars.csv"
    code, printed, err = run(capsys, *args, "--csv", str(path))
    assert code == 0 and err == "" and path.read_bytes().decode() == out
    assert "2 states written to" in printed


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    from areo.cli import progress_bar

    with progress_bar("relay plan") as progress:
        assert progress is None  # stderr is not a terminal under pytest: no bar
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: treat stderr as a terminal
    with progress_bar("relay plan", show=False) as progress:
        assert progress is None  # --json: no bar
    with progress_bar("relay plan") as progress:
        for done in range(1, 4):
            progress(done, 3)
    assert capsys.readouterr().out == ""  # the bar is on stderr, never on stdout
