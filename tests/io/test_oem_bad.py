"""read_oem on hostile and malformed files: one-line CatalogFileError naming the line, never
the file's content, never another exception, never a hang; special files refused before
reading."""

from __future__ import annotations

import os
import threading

import pytest

from areo.errors import CatalogFileError
from areo.io.oem import read_oem

HEAD = """CCSDS_OEM_VERS = 3.0
CREATION_DATE = 2030-01-01T00:00:00
ORIGINATOR = TEST

META_START
OBJECT_NAME = SAT
OBJECT_ID = SAT
CENTER_NAME = MARS
REF_FRAME = ICRF
TIME_SYSTEM = UTC
START_TIME = 2030-01-01T00:00:00
STOP_TIME = 2030-01-01T00:02:00
META_STOP
"""
LINES = ["2030-01-01T00:00:00.000 3800.0 0.0 0.0 0.0 3.3 0.0",
         "2030-01-01T00:01:00.000 3799.0 198.0 0.0 -0.1 3.3 0.0",
         "2030-01-01T00:02:00.000 3796.0 396.0 0.0 -0.2 3.3 0.0"]
SECRET = "hunter2"


def _oem(tmp_path, text: str):
    p = tmp_path / "x.oem"
    p.write_text(text)
    return p


def _refused(path) -> str:
    got: list[str] = []

    def run():
        with pytest.raises(CatalogFileError) as exc:
            read_oem(path)
        got.append(str(exc.value))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(20.0)
    assert got, "read_oem hung"
    assert "\n" not in got[0] and SECRET not in got[0]
    return got[0]


def test_good_file_still_reads(tmp_path):
    data = read_oem(_oem(tmp_path, HEAD + "\n".join(LINES) + "\n"))
    assert data.states.shape == (3, 6)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (f"root:x:0:0:{SECRET}:/root:/bin/bash\nline two\n",
         "line 1 is not a CCSDS OEM header"),
        (f"\n\nCOMMENT {SECRET}\nCCSDS_OEM_VERS = 3.0\n", "line 3 is not a CCSDS OEM header"),
        (f"CCSDS_OEM_VERS = 3.0\n{SECRET} without equals\n", "line 2 is not 'KEY = value'"),
        (HEAD + f"2030-01-01T00:00:00 1 2 3 4 5 {SECRET}\n", "a state value is not a number"),
        (HEAD + "2030-01-01T00:00:00 1 2 nan 4 5 6\n", "not finite"),
        (HEAD + "2030-01-01T00:00:00 1 2 inf 4 5 6\n", "not finite"),
        (HEAD + f"{SECRET}-01-01T00:00:00 1 2 3 4 5 6\n", "the epoch is not a CCSDS time"),
        (HEAD + "2030-02-30T00:00:00 1 2 3 4 5 6\n", "an epoch is not a valid UTC"),
        (HEAD + "0000-001T00:00:00 1 2 3 4 5 6\n", "an epoch is not a valid UTC"),
        (HEAD.replace("UTC", "TDB") + "2030-13-01T00:00:00 1 2 3 4 5 6\n",
         "an epoch is not a valid TDB"),
        (HEAD + "\n".join([LINES[1], LINES[0]]) + "\n", "are not increasing"),
        (HEAD + "\n".join([LINES[0], LINES[0]]) + "\n", "are not increasing"),
        (HEAD, "has no data lines"),
        (HEAD.replace("TIME_SYSTEM = UTC", f"TIME_SYSTEM = {SECRET * 5}") + LINES[0] + "\n",
         "is not supported"),
        (HEAD + LINES[0] + f"\nCOVARIANCE_START\nCOVARIANCE_STOP\n{SECRET}\n",
         "is not an OEM keyword or data line"),
    ],
)
def test_malformed_files_name_the_line_not_the_content(tmp_path, text, fragment):
    msg = _refused(_oem(tmp_path, text))
    assert fragment in msg, msg
    assert msg.startswith("OEM x.oem")


def test_non_utf8_bytes_do_not_crash(tmp_path):
    p = tmp_path / "x.oem"
    p.write_bytes(b"\xff\xfe\x00garbage\n")
    assert "is not a CCSDS OEM header" in _refused(p)


def test_special_files_are_refused_before_reading(tmp_path):
    (tmp_path / "dir.oem").mkdir()
    assert "is a directory" in _refused(tmp_path / "dir.oem")
    assert "does not exist" in _refused(tmp_path / "missing.oem")
    assert "character device" in _refused("/dev/zero")
    os.mkfifo(tmp_path / "fifo.oem")
    assert "is a FIFO" in _refused(tmp_path / "fifo.oem")
    big = tmp_path / "big.oem"
    with open(big, "wb") as fh:
        fh.truncate((512 << 20) + 1)
    assert "more than the 512.0 MiB" in _refused(big)
