"""The CLI contract on bad input: one line on stderr and exit 2, checked before any long
computation (outputs, numbers, spans); an unexpected exception is one 'internal error' line
and exit 1 (AREO_DEBUG=1 shows the traceback); names from files never act as rich markup."""

from __future__ import annotations

import os
import sys

import pytest

S = ["--from", "2021-03-01", "--to", "2021-03-02"]


def run(capsys, *args) -> tuple[int, str, str]:
    from areo.cli import main

    code = 0
    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_error(capsys, *args) -> str:
    code, out, err = run(capsys, *args)
    assert code == 2, (code, err)
    assert out == "" and err.startswith("areo: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "Warning" not in err
    return err


@pytest.fixture
def no_work(monkeypatch):
    """Make the long computations fail loudly if they are reached."""
    def boom(*args, **kwargs):
        raise AssertionError("the computation ran before the input was refused")

    import importlib

    targets = (("areo.events", "passes"), ("areo.relay.plan", "plan_relay"),
               ("areo.surface.campaign", "plan_campaign"), ("areo.transfer.porkchop", "porkchop"))
    # every module imported before any is patched: one imported under a patch would keep
    # the stand-in (``from areo.events import passes``) after the test
    for module, _ in targets:
        importlib.import_module(module)
    for module, name in targets:
        monkeypatch.setattr(sys.modules[module], name, boom)


def test_last_resort_turns_a_bug_into_one_line(capsys, monkeypatch):
    import areo.cli.demo

    def bug(*args, **kwargs):
        raise RuntimeError("boom\nsecond line \x1b[31m")

    monkeypatch.setattr(areo.cli.demo, "run_demo", bug)
    monkeypatch.delenv("AREO_DEBUG", raising=False)
    code, _, err = run(capsys, "demo", "2021-01-01")
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith("areo: internal error: RuntimeError: boom second line \\x1b[31m ")
    assert "AREO_DEBUG=1" in err and "\x1b" not in err
    monkeypatch.setenv("AREO_DEBUG", "1")
    with pytest.raises(RuntimeError):
        run(capsys, "demo", "2021-01-01")


def test_error_lines_escape_control_characters(capsys):
    err = one_error(capsys, "time", "2021-01-01", "--site", "\x1b]0;title\x07")
    assert "\x1b" not in err and "\x07" not in err


PASSES = ["passes", *S, "--orbiter", "tgo", "--site", "jezero"]
RELAY = ["relay", "--lander", "jezero", "--orbiter", "tgo", *S]
SOLS = ["sols", "--landing", "2030-11-20", "--sols", "2"]
PORK = ["porkchop", "--launch-from", "2020-07-01", "--launch-to", "2020-08-31",
        "--arrive-from", "2021-01-15", "--arrive-to", "2021-03-31"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([*PASSES, "--plot", "{d}/x.bmp"], "--plot '{d}/x.bmp' has suffix '.bmp'"),
        ([*PASSES, "--plot", "{d}/sub"], "is a directory"),
        ([*PASSES, "--plot", "{d}/nodir/x.png"], "does not exist; create it first"),
        ([*PASSES, "--plot", "/proc/areo-x.png"], "cannot be written"),
        ([*RELAY, "--plot", "{d}/x.bmp"], "has suffix '.bmp'"),
        ([*SOLS, "--plot", "{d}/x.bmp"], "--plot"),
        ([*SOLS, "--csv", "{d}/sub"], "--csv"),
        ([*SOLS, "--openmct", "{d}/fifo"], "is a FIFO"),
        ([*SOLS, "--openmct", "{d}/plan.txt"], "--openmct"),
        ([*SOLS, "--detail", "0", "--plot-sol", "{d}/x.bmp"], "--plot-sol"),
        ([*PORK, "--plot", "{d}/x.bmp"], "has suffix '.bmp'"),
        ([*PORK, "--plot", "{d}/nodir/x.html"], "does not exist"),
        ([*PORK, "--mark", "x,y,z"], "LAUNCH is not a time"),
        ([*PORK, "--mark", "2020-07-30,2021-02-18,a$b"], "may not hold '$'"),
        (["groundtrack", "--orbit", "tgo", "--plot", "{d}/x.bmp"], "has suffix '.bmp'"),
        (["propagate", *S, "--step", "600", "--orbit", "tgo", "--oem", "{d}/sub"],
         "--oem '{d}/sub' is a directory"),
        (["propagate", *S, "--step", "600", "--orbit", "tgo", "--oem", "/proc/x.oem"],
         "cannot be written"),
        (["propagate", *S, "--step", "600", "--orbit", "tgo", "--csv", "{d}/fifo"],
         "--csv"),
        (["propagate", *S, "--step", "600", "--orbit", "tgo", "--csv", "{d}/x.txt"],
         "has suffix '.txt'"),
    ],
)
def test_outputs_are_checked_before_the_work(capsys, tmp_path, no_work, args, fragment):
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "fifo")
    before = sorted(tmp_path.iterdir())
    err = one_error(capsys, *[a.format(d=tmp_path) for a in args])
    assert fragment.format(d=tmp_path) in err, err
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["passes", *S, "--orbiter", "tgo", "--site-lat", "0", "--site-lon-east", "inf"],
         "--site-lon-east inf must be a finite number"),
        (["passes", *S, "--orbiter", "tgo", "--site-lat", "nan", "--site-lon-east", "0"],
         "--site-lat nan"),
        (["passes", *S, "--orbiter", "tgo", "--site-lat", "91", "--site-lon-east", "0"],
         "--site-lat 91 is outside [-90, 90]"),
        ([*PASSES, "--min-elev", "nan"], "--min-elev"),
        ([*PASSES, "--min-elev", "95"], "--min-elev 95 is outside (-90, 90)"),
        ([*RELAY, "--storage-mbit", "-5"], "--storage-mbit -5 is outside (0, inf)"),
        ([*RELAY, "--storage-mbit", "nan"], "--storage-mbit nan"),
        ([*RELAY, "--min-volume", "-1"], "--min-volume"),
        ([*RELAY, "--min-volume", "inf"], "--min-volume"),
        ([*RELAY, "--min-decisional", "nan"], "--min-decisional"),
        ([*RELAY, "--decisional-after-lmst", "30"], "--decisional-after-lmst 30"),
        ([*RELAY, "--planning-shift-utc", "nan"], "--planning-shift-utc"),
        (["relay", "--lander", "jezero", "--orbiter", "tgo", "--from", "2000-01-01",
          "--to", "2100-01-01"], "spans 36525 days, more than --max-days 700"),
        ([*RELAY, "--max-days", "0"], "--max-days"),
        (["passes", "--from", "2000-01-01", "--to", "2100-01-01", "--orbiter", "tgo",
          "--site", "jezero"], "spans 36525 days, more than --max-days 3660"),
    ],
)
def test_numbers_and_spans_are_checked_before_the_work(capsys, no_work, args, fragment):
    err = one_error(capsys, *args)
    assert fragment in err, err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["time", "2021-01-01", "--lon-east", "1e308"], "--lon-east 1e+308 is outside"),
        (["ephem", "mars", "--from", "2000-01-01", "--to", "2100-01-01", "--step", "1",
          "--max-rows", "1000000000000"], "--max-rows"),
        (["ephem", "mars", *S, "--step", "3600", "--max-rows", "-1"], "--max-rows -1"),
        (["propagate", "--from", "2000-01-01", "--to", "2100-01-01", "--step", "1",
          "--orbit", "tgo", "--max-rows", "1000000000000"], "--max-rows"),
        (["orbit", "--peri-alt", "1e30", "--inc", "10"], "beyond Mars's sphere of influence"),
        (["orbit", "--peri-alt", "300", "--apo-alt", "1e7", "--inc", "10"], "--apo-alt"),
        (["transfer", "--launch", "2020-07-30", "--arrive", "2021-02-18", "--revs", "1000"],
         "--revs 1000"),
        (["porkchop", "--launch-from", "2020-07-01", "--launch-to", "2020-08-31",
          "--arrive-from", "2021-01-15", "--arrive-to", "2021-03-31", "--parking-alt", "nan"],
         "--parking-alt"),
    ],
)
def test_other_numbers_are_refused(capsys, args, fragment):
    err = one_error(capsys, *args)
    assert fragment in err, err


def test_representative_phasing_note_follows_validation(capsys):
    err = one_error(capsys, "passes", *S, "--orbiter", "tgo", "--site", "nowhere")
    assert "note" not in err


def test_orbiter_oem_directory_says_so(capsys, tmp_path):
    (tmp_path / "d.oem").mkdir()
    err = one_error(capsys, "passes", *S, "--site", "jezero", "--orbiter-oem",
                    tmp_path / "d.oem")
    assert "is a directory" in err and "does not exist" not in err


def test_orbiter_oem_never_echoes_an_arbitrary_file(capsys, tmp_path):
    (tmp_path / "secret.oem").write_text("TOP SECRET hunter2\n")
    err = one_error(capsys, "passes", *S, "--site", "jezero", "--orbiter-oem",
                    tmp_path / "secret.oem")
    assert "line 1 is not a CCSDS OEM header" in err and "hunter2" not in err


def test_names_from_files_are_text_not_markup(capsys, tmp_path):
    cat = tmp_path / "markup.toml"
    cat.write_text('[sites.markup_site]\nname = "[/]"\nlat_deg = 1.0\nlon_east_deg = 2.0\n'
                   '[sites.markup_site2]\nname = "[blink red]evil"\nlat_deg = 1.0\n'
                   'lon_east_deg = 3.0\nsource = "[link=http://x]y[/link]"\n')
    code, out, err = run(capsys, "sites", "--catalog", cat)
    assert code == 0 and err == "", err
    assert "[/]" in out and "[blink red]evil" in out and "[link=http://x]y[/link]" in out
    code, out, err = run(capsys, "time", "2021-01-01", "--site", "markup_site")
    assert code == 0 and "([/])" in out, err
