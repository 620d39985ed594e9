"""SPK files that are not kernels: areo checks the DAF/SPK identification word itself, so
neither jplephem nor CSPICE sees them, and the error is one line that never quotes the file
(was: jplephem's "file starts with b'ROOT:X:0'", CSPICE's multi-line banner)."""

from __future__ import annotations

import os
import threading

import pytest

from areo.errors import SpkFileError

SECRET = b"root:x:0:0:hunter2:/root:/bin/bash\n"


def _files(tmp_path):
    (tmp_path / "passwd").write_bytes(SECRET * 100)
    (tmp_path / "dir.bsp").mkdir()
    os.mkfifo(tmp_path / "fifo.bsp")
    (tmp_path / "short.bsp").write_bytes(b"DAF/SPK " + b"\0" * 100)
    (tmp_path / "corrupt.bsp").write_bytes(b"DAF/SPK " + b"\xff" * 8000)
    return {
        "passwd": (tmp_path / "passwd", "is not an SPK kernel (DAF/SPK)"),
        "dir": (tmp_path / "dir.bsp", "is a directory"),
        "fifo": (tmp_path / "fifo.bsp", "is a FIFO"),
        "dev": ("/dev/zero", "is a character device"),
        "missing": (tmp_path / "nope.bsp", "does not exist"),
        "short": (tmp_path / "short.bsp", "is truncated"),
        "corrupt": (tmp_path / "corrupt.bsp", "SPK file"),
    }


def _one_line(fn) -> str:
    got: list[str] = []

    def run():
        with pytest.raises(SpkFileError) as exc:
            fn()
        got.append(str(exc.value))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(20.0)
    assert got, "hung"
    msg = got[0]
    assert "\n" not in msg and "hunter2" not in msg and "root:x" not in msg.lower()
    return msg


@pytest.mark.parametrize("kind", ["passwd", "dir", "fifo", "dev", "missing", "short", "corrupt"])
def test_ephemeris_refuses_non_kernels(tmp_path, kind):
    from areo.ephem import Ephemeris

    path, fragment = _files(tmp_path)[kind]
    msg = _one_line(lambda: Ephemeris(path))
    assert fragment in msg, msg


@pytest.mark.parametrize("kind", ["passwd", "dir", "fifo", "dev", "missing", "short", "corrupt"])
def test_spice_reader_refuses_non_kernels(tmp_path, kind):
    pytest.importorskip("spiceypy")
    from areo.io.spk import read_spk_states, spk_coverage

    path, fragment = _files(tmp_path)[kind]
    msg = _one_line(lambda: spk_coverage(path, -999))
    assert fragment in msg, msg
    msg = _one_line(lambda: read_spk_states(path, -999, 0.0))
    assert fragment in msg, msg


def test_cli_spk_passwd_is_one_line(tmp_path, capsys):
    from areo.cli import main

    path, _ = _files(tmp_path)["passwd"]
    with pytest.raises(SystemExit) as exc:
        main(["ephem", "mars", "--from", "2021-01-01", "--to", "2021-01-02", "--step", "3600",
              "--spk", str(path)])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == "" and err.count("\n") == 1
    assert "not an SPK kernel (DAF/SPK)" in err and "hunter2" not in err
