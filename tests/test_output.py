"""Output directories (areo._output): areo replaces only what it created, an interrupted
replacement is recovered, names never become paths, the location is checked first.

Each test reproduces an attack or an accident that the previous implementation failed
(``--out`` on a user's directory deleted its contents; a kill between the two renames left
no output; killed runs left ``.partial`` directories; ``../../x`` wrote outside ``--out``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areo._output import (
    MARKER,
    OutputDir,
    OutputError,
    ascii_fold,
    inside,
    slug,
    unique_file_names,
)


def _write(od: OutputDir, files: dict[str, str]) -> None:
    with od, od.staging() as stage:
        for name, text in files.items():
            (stage / name).write_text(text)


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != MARKER}


def _siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


# ----------------------------------------------------------------------------- ownership
def test_user_directory_is_refused_and_untouched(tmp_path):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.tex").write_text("years of work")
    (thesis / "figs").mkdir()
    (thesis / "figs" / "a.png").write_bytes(b"png")
    with pytest.raises(OutputError, match="areo did not write") as err:
        _write(OutputDir(thesis), {"report.html": "x"})
    assert "\n" not in str(err.value)
    assert (thesis / "chapter1.tex").read_text() == "years of work"
    assert (thesis / "figs" / "a.png").read_bytes() == b"png"
    assert _siblings(thesis) == []


def test_own_output_is_replaced_and_marked(tmp_path):
    out = tmp_path / "out"
    _write(OutputDir(out), {"a.txt": "old", "gone.txt": "old"})
    marker = json.loads((out / MARKER).read_text())
    assert marker["kind"] == "mission" and "areo" in marker
    _write(OutputDir(out), {"a.txt": "new"})
    assert _tree(out) == {"a.txt": "new"}
    assert _siblings(out) == []


def test_empty_directory_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    _write(OutputDir(out), {"a.txt": "new"})
    assert _tree(out) == {"a.txt": "new"}


def test_pre_marker_areo_output_is_recognised(tmp_path):
    """An output of areo 0.1.0 (no marker): only its product files and a summary.json."""
    out = tmp_path / "old-run"
    out.mkdir()
    (out / "summary.json").write_text(json.dumps({"areo_version": "0.1.0"}))
    (out / "report.html").write_text("<html>")
    (out / "tgo.oem").write_text("CCSDS_OEM_VERS = 3.0")
    _write(OutputDir(out), {"a.txt": "new"})
    assert _tree(out) == {"a.txt": "new"}
    # one foreign file makes it the user's again
    user = tmp_path / "user"
    user.mkdir()
    (user / "summary.json").write_text(json.dumps({"areo_version": "0.1.0"}))
    (user / "notes.md").write_text("mine")
    with pytest.raises(OutputError, match="areo did not write"):
        _write(OutputDir(user), {"a.txt": "new"})
    assert (user / "notes.md").read_text() == "mine"


# ----------------------------------------------------------------------------- location
@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_out_is_refused(bad):
    with pytest.raises(OutputError, match="empty"):
        OutputDir(bad)


def test_file_symlink_proc_are_refused(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        OutputDir(f).check()
    assert f.read_text() == "x"
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    with pytest.raises(OutputError, match="symbolic link"):
        OutputDir(link).check()
    with pytest.raises(OutputError, match="cannot be"):
        OutputDir("/proc/self/areo-out").check()
    with pytest.raises(OutputError, match="cannot be"):
        OutputDir(f / "sub").check()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_read_only_parent_is_refused(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot be written"):
            OutputDir(ro / "out").check()
    finally:
        ro.chmod(0o700)


def test_second_run_on_the_same_out_is_refused_at_once(tmp_path):
    out = tmp_path / "out"
    first = OutputDir(out)
    with first:
        with pytest.raises(OutputError, match="another areo run"):
            OutputDir(out).__enter__()
        with first.staging() as stage:
            (stage / "a.txt").write_text("first")
    assert _tree(out) == {"a.txt": "first"}
    assert _siblings(out) == []  # the lock file is removed with the lock
    _write(OutputDir(out), {"a.txt": "second"})  # and the next run is free to go


def test_failure_inside_staging_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    _write(OutputDir(out), {"a.txt": "old"})
    with pytest.raises(ZeroDivisionError), OutputDir(out) as od, od.staging() as stage:
        (stage / "a.txt").write_text("half")
        1 / 0  # noqa: B018
    assert _tree(out) == {"a.txt": "old"}
    assert _siblings(out) == []


_FULL_DISK = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from areo._output import OutputDir, OutputError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
    out = Path(sys.argv[1])
    try:
        with OutputDir(out) as od, od.staging() as stage:
            (stage / "small.txt").write_text("new")
            (stage / "big.bin").write_bytes(b"x" * 1_000_000)
    except OutputError as exc:
        print(exc)
        sys.exit(2)
""")


def test_disk_full_while_writing_is_one_error_and_keeps_the_old_output(tmp_path):
    out = tmp_path / "out"
    _write(OutputDir(out), {"a.txt": "old"})
    proc = subprocess.run([sys.executable, "-c", _FULL_DISK, str(out)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "could not be written" in proc.stdout and proc.stdout.count("\n") == 1
    assert "previous output" in proc.stdout
    assert _tree(out) == {"a.txt": "old"}
    assert _siblings(out) == []


# ----------------------------------------------------------------------- kill at each step
_KILL = textwrap.dedent("""
    import os, shutil, sys
    from pathlib import Path
    import areo._output as o
    out, point = Path(sys.argv[1]), sys.argv[2]
    renames = []
    real_rename, real_rmtree = os.rename, shutil.rmtree

    def rename(a, b):
        renames.append(a)
        if point == "after-marker" and len(renames) == 1:
            os._exit(9)
        if point == "between-renames" and len(renames) == 2:
            os._exit(9)
        return real_rename(a, b)

    def rmtree(path, *args, **kwargs):
        if point == "before-cleanup":
            os._exit(9)
        if point == "during-cleanup":
            first = sorted(Path(path).iterdir())[0]
            first.unlink()
            os._exit(9)
        return real_rmtree(path, *args, **kwargs)

    o.os.rename, o.shutil.rmtree = rename, rmtree
    with o.OutputDir(out) as od, od.staging() as stage:
        (stage / "a.txt").write_text("new")
        if point == "while-writing":
            os._exit(9)
        (stage / "b.txt").write_text("new")
""")

#: Where the kill lands, and which output the next run must find.
_KILL_POINTS = {
    "while-writing": {"a.txt": "old", "b.txt": "old"},
    "after-marker": {"a.txt": "old", "b.txt": "old"},
    "between-renames": {"a.txt": "new", "b.txt": "new"},
    "before-cleanup": {"a.txt": "new", "b.txt": "new"},
    "during-cleanup": {"a.txt": "new", "b.txt": "new"},
}


@pytest.mark.parametrize("point", list(_KILL_POINTS))
def test_a_kill_at_each_step_is_recovered_by_the_next_run(tmp_path, point):
    out = tmp_path / "out"
    _write(OutputDir(out), {"a.txt": "old", "b.txt": "old"})
    proc = subprocess.run([sys.executable, "-c", _KILL, str(out), point],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    left = _siblings(out)
    if point == "between-renames":
        assert not out.exists()  # the state the old code never recovered from
    assert left, "the kill should leave staging or old siblings behind"
    # Any later run on that --out (here one that fails early) recovers first.
    od = OutputDir(out)
    with od:
        pass
    assert _tree(out) == _KILL_POINTS[point]
    assert (out / MARKER).is_file()
    assert _siblings(out) == []


# --------------------------------------------------------------------------------- names
@pytest.mark.parametrize("name, expected", [
    ("../../x", "x"), ("/abs/path", "abs-path"), ("TGO", "tgo"), ("..", "object"),
    ("", "object"), ("Tianwen-1 天问", "tianwen-1-u-5929u-95ee"), ("Mars Express – ESA",
                                                                   "mars-express-esa"),
    ("a\nMETA_START", "a-meta_start"), ("C:\\win\\x", "c-win-x"), ("x" * 300, "x" * 48),
])
def test_slug_examples(name, expected):
    assert slug(name) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_slug_is_always_a_plain_file_name_inside(name):
    s = slug(name)
    assert 1 <= len(s) <= 48 and s.isascii()
    assert "/" not in s and "\\" not in s and not s.startswith((".", "-"))
    assert inside(Path("/tmp/areo-out"), s + ".oem").parent == Path("/tmp/areo-out")


def test_colliding_slugs_do_not_overwrite():
    names = unique_file_names(["TGO", "tgo", "t/g/o", "report"], ".html",
                              taken=["report.html"])
    assert names == {"TGO": "tgo.html", "tgo": "tgo-2.html", "t/g/o": "t-g-o.html",
                     "report": "report-2.html"}
    assert len(set(names.values())) == len(names)


@pytest.mark.parametrize("bad", ["../x", "/etc/passwd", "a/b", "..", ".", "", "x\0y"])
def test_inside_refuses_paths(bad, tmp_path):
    with pytest.raises(OutputError):
        inside(tmp_path, bad)


def test_ascii_fold_is_ascii_and_keeps_ascii():
    assert ascii_fold("Schiaparelli EDM") == "Schiaparelli EDM"
    assert ascii_fold("Curiosité") == "Curiosite"
    assert ascii_fold("天问").isascii()
