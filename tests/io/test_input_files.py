"""areo._files: input files are checked by type and size before they are read, output files
by format and location before any work; every refusal is one AreoInputError line."""

from __future__ import annotations

import os
import threading

import pytest

from areo._files import check_input_file, check_output_file, read_input_file
from areo.errors import AreoInputError, CatalogFileError, ParameterError, SpkFileError


def _one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and text.strip() == text
    return text


def test_reads_a_regular_file(tmp_path):
    p = tmp_path / "a.toml"
    p.write_bytes(b"x = 1\n")
    assert read_input_file(p, "catalog file", 100) == b"x = 1\n"
    assert check_input_file(str(p), "catalog file", 100) == p


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: os.mkfifo(p), "is a FIFO"),
    ],
)
def test_refuses_missing_directory_and_fifo_without_blocking(tmp_path, make, fragment):
    p = tmp_path / "in.toml"
    make(p)
    done = []

    def run():
        with pytest.raises(CatalogFileError) as exc:
            read_input_file(p, "scenario file", 1000)
        done.append(_one_line(exc))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10.0)
    assert done, "reading hung"
    assert fragment in done[0] and "scenario file" in done[0]


def test_refuses_devices_before_reading():
    with pytest.raises(CatalogFileError) as exc:
        read_input_file("/dev/zero", "catalog file", 1 << 20)
    assert "character device" in _one_line(exc)


def test_refuses_large_file_by_size_before_reading(tmp_path):
    p = tmp_path / "big.toml"
    with open(p, "wb") as fh:
        fh.truncate(17 << 20)  # sparse: no data written
    with pytest.raises(CatalogFileError) as exc:
        read_input_file(p, "catalog file", 16 << 20)
    msg = _one_line(exc)
    assert "17.0 MiB" in msg and "16.0 MiB" in msg


def test_path_oddities_and_error_class(tmp_path):
    with pytest.raises(CatalogFileError, match="NUL"):
        read_input_file("a\0b", "rover file", 10)
    with pytest.raises(CatalogFileError, match="empty"):
        read_input_file("", "rover file", 10)
    (tmp_path / "f").write_text("x")
    with pytest.raises(CatalogFileError, match="part of the path is a file"):
        read_input_file(tmp_path / "f" / "g", "rover file", 10)
    with pytest.raises(SpkFileError):
        check_input_file(tmp_path / "nope.bsp", "SPK file", error=SpkFileError)


@pytest.mark.parametrize(
    ("name", "suffixes", "fragment"),
    [
        ("x.bmp", (".png", ".svg"), "has suffix '.bmp'"),
        ("x", (".png",), "has no suffix"),
        ("nodir/x.png", (".png",), "does not exist; create it first"),
        ("sub", None, "is a directory"),
        ("fifo", None, "is a FIFO"),
        ("file/x.png", (".png",), "is not a directory"),
        ("", None, "is empty"),
    ],
)
def test_check_output_file_refusals(tmp_path, name, suffixes, fragment):
    (tmp_path / "sub").mkdir()
    (tmp_path / "file").write_text("x")
    os.mkfifo(tmp_path / "fifo")
    before = sorted(tmp_path.iterdir())
    path = name if name == "" else tmp_path / name
    with pytest.raises(ParameterError) as exc:
        check_output_file(path, "--plot", suffixes)
    msg = _one_line(exc)
    assert fragment in msg and "--plot" in msg
    assert sorted(tmp_path.iterdir()) == before


def test_check_output_file_accepts_and_leaves_nothing(tmp_path):
    assert check_output_file(tmp_path / "x.PNG", "--plot", (".png",)) == tmp_path / "x.PNG"
    (tmp_path / "old.csv").write_text("keep")
    check_output_file(tmp_path / "old.csv", "--csv", (".csv",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]
    assert (tmp_path / "old.csv").read_text() == "keep"


def test_check_output_file_unwritable_location():
    with pytest.raises(ParameterError) as exc:
        check_output_file("/proc/areo-test.png", "--plot", (".png",))
    assert "cannot be written" in _one_line(exc)


def test_errors_are_input_errors():
    assert issubclass(CatalogFileError, AreoInputError)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: "/dev/zero", "character device"),
        (lambda d: (os.mkfifo(d / "fifo"), str(d / "fifo"))[1], "is a FIFO"),
        (lambda d: ((d / "r.toml").write_bytes(b"[rovers.x]\nname = '\xff'\n"),
                    str(d / "r.toml"))[1], "is not UTF-8 text"),
        (lambda d: ((d / "sub").mkdir(), str(d / "sub"))[1], "is a directory"),
        (lambda d: str(d / "missing" / "rover"), "does not exist"),
    ],
)
def test_rover_files_are_checked_before_reading(tmp_path, make, fragment):
    from areo.surface.rover import rover

    path = make(tmp_path)
    got = []

    def run():
        with pytest.raises(AreoInputError) as exc:
            rover(path)
        got.append(_one_line(exc))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10.0)
    assert got and fragment in got[0] and "rover file" in got[0], got
