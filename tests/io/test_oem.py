"""CCSDS OEM (KVN) write/read: round trip, a hand-written 502.0-B-3 example, bad files."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import CatalogFileError, ParameterError
from areo.io.oem import read_oem, write_oem
from areo.time import Time

ET0 = float(Time.from_utc("2030-01-01T00:00:00").et)


def _states(n):
    k = np.arange(n)[:, None]
    return np.hstack([3796.19 * np.cos(k * 0.05 + [0, 1, 2]), 3.36 * np.sin(k * 0.05 + [1, 2, 3])])


@pytest.mark.parametrize("system", ["UTC", "TDB", "TT"])
def test_round_trip(tmp_path, system):
    et = ET0 + np.arange(0.0, 3600.0, 60.0) + 0.123456
    st = _states(et.size)
    path = write_oem(tmp_path / "a.oem", Time.from_et(et), st, object_name="TGO",
                     object_id="2016-017A", time_system=system, comments=("areo test",))
    data = read_oem(path)
    seg = data.segments[0]
    assert seg.metadata["OBJECT_NAME"] == "TGO" and seg.metadata["TIME_SYSTEM"] == system
    assert seg.metadata["CENTER_NAME"] == "MARS" and seg.metadata["REF_FRAME"] == "ICRF"
    assert seg.comments == ["areo test"]
    np.testing.assert_allclose(data.states, st, rtol=1e-9, atol=0)
    np.testing.assert_allclose(data.time.et, et, atol=2e-6)  # microsecond epochs
    assert data.header["CCSDS_OEM_VERS"] == "3.0"
    assert not list(tmp_path.glob(".*tmp"))  # atomic write left no temporary behind


# Written by hand after CCSDS 502.0-B-3 figure 5-1/5-2 (KVN OEM with comments, two segments,
# the second with accelerations, day-of-year epochs and a covariance block).
EXAMPLE = """CCSDS_OEM_VERS = 3.0
COMMENT  OEM example, Mars orbiter, hand written for the areo tests
CREATION_DATE = 2030-002T10:00:00
ORIGINATOR = ESOC
MESSAGE_ID = OEM 201113719185

META_START
OBJECT_NAME = TGO
OBJECT_ID = 2016-017A
CENTER_NAME = MARS
REF_FRAME = ICRF
TIME_SYSTEM = UTC
START_TIME = 2030-01-01T00:00:00.000
USEABLE_START_TIME = 2030-01-01T00:00:00.000
USEABLE_STOP_TIME = 2030-01-01T00:02:00.000
STOP_TIME = 2030-01-01T00:02:00.000
INTERPOLATION = HERMITE
INTERPOLATION_DEGREE = 7
META_STOP

COMMENT  This block has 3 states
2030-01-01T00:00:00.000  3796.190000  0.000000  0.000000  0.000000  0.930000  3.230000
2030-01-01T00:01:00.000  3795.000000  55.800000  193.800000  -0.040000  0.930000  3.229000
2030-01-01T00:02:00.000  3791.500000  111.600000  387.500000  -0.080000  0.928000  3.226000

META_START
OBJECT_NAME = TGO
OBJECT_ID = 2016-017A
CENTER_NAME = MARS
REF_FRAME = EME2000
TIME_SYSTEM = TDB
START_TIME = 2030-001T00:03:00
STOP_TIME = 2030-001T00:04:00
META_STOP
2030-001T00:03:00 3786.0 167.0 580.0 -0.12 0.926 3.22 -0.0025 -0.0001 -0.0004
2030-001T00:04:00 3778.0 222.0 773.0 -0.16 0.923 3.21 -0.0025 -0.0001 -0.0005

COVARIANCE_START
EPOCH = 2030-001T00:04:00
COV_REF_FRAME = RTN
3.3313494e-04
4.6189273e-04 6.7824216e-04
COVARIANCE_STOP
"""


def test_hand_written_example(tmp_path):
    path = tmp_path / "example.oem"
    path.write_text(EXAMPLE)
    data = read_oem(path)
    assert data.header["ORIGINATOR"] == "ESOC"
    assert data.comments == ["OEM example, Mars orbiter, hand written for the areo tests"]
    assert len(data.segments) == 2
    s1, s2 = data.segments
    assert s1.comments == ["This block has 3 states"]
    assert s1.metadata["INTERPOLATION_DEGREE"] == "7"
    assert s1.states.shape == (3, 6) and s1.accelerations is None
    assert s1.states[1, 1] == 55.8
    np.testing.assert_allclose(s1.et - s1.et[0], [0.0, 60.0, 120.0])
    assert s1.time.utc_iso(0)[0] == "2030-01-01T00:00:00Z"
    assert s2.metadata["TIME_SYSTEM"] == "TDB" and s2.accelerations.shape == (2, 3)
    # TDB calendar epoch: et = seconds since 2000-01-01T12:00 TDB.
    want = (np.datetime64("2030-01-01T00:03:00") - np.datetime64("2000-01-01T12:00:00")) \
        / np.timedelta64(1, "s")
    assert s2.et[0] == pytest.approx(want, abs=1e-6)
    assert s2.covariance[0] == "EPOCH = 2030-001T00:04:00" and len(s2.covariance) == 4
    assert data.states.shape == (5, 6)


def test_bad_files_and_inputs(tmp_path):
    with pytest.raises(CatalogFileError, match="does not exist"):
        read_oem(tmp_path / "none.oem")
    bad = tmp_path / "bad.oem"
    bad.write_text(EXAMPLE.replace("3786.0 167.0 580.0", "3786.0 167.0"))
    with pytest.raises(CatalogFileError, match="fields"):
        read_oem(bad)
    bad.write_text(EXAMPLE.replace("REF_FRAME = ICRF\n", ""))
    with pytest.raises(CatalogFileError, match="REF_FRAME"):
        read_oem(bad)
    with pytest.raises(ParameterError, match="increasing"):
        write_oem(tmp_path / "x.oem", [ET0, ET0], _states(2), object_name="X")
    with pytest.raises(ParameterError, match="time_system"):
        write_oem(tmp_path / "x.oem", [ET0], _states(1), object_name="X", time_system="GPS")


# ----------------------------------------------------------------------------- KVN safety
def _one_state():
    from areo.time import Time

    t = Time(["2030-01-01T00:00:00", "2030-01-01T00:01:00"])
    return t, np.array([[4000.0, 0, 0, 0, 3.3, 0], [4000.0, 198.0, 0, 0, 3.3, 0]])


@pytest.mark.parametrize("name", ["TGO\nMETA_START", "TGO\rX", "TGO\x00", "TGO\x1b[31m",
                                  "TGO\tX"])
def test_control_characters_cannot_inject_keywords(tmp_path, name):
    """A newline in a name used to start a new META_START block in the file."""
    from areo.errors import ParameterError
    from areo.io.oem import write_oem

    t, st = _one_state()
    with pytest.raises(ParameterError, match="control characters"):
        write_oem(tmp_path / "x.oem", t, st, object_name=name)
    assert not (tmp_path / "x.oem").exists()


def test_comments_stay_comment_lines_and_names_are_ascii(tmp_path):
    """A non-ASCII name used to crash with UnicodeEncodeError; comments with line breaks
    injected keywords."""
    from areo.io.oem import read_oem, write_oem

    t, st = _one_state()
    p = write_oem(tmp_path / "x.oem", t, st, object_name="Tianwen-1 天问 – Orbiter",
                  comments=["mission: Tianwen-1 天问\nMETA_START", "x\u2028OBJECT_NAME = Y"])
    raw = p.read_bytes()
    lines = raw.decode("ascii").splitlines()
    assert lines.count("META_START") == 1
    # every line that is not a data line or a keyword of ours is a COMMENT
    assert "COMMENT META_START" in lines
    assert not any(line.startswith("OBJECT_NAME = Y") for line in lines)
    back = read_oem(p)
    assert back.segments[0].metadata["OBJECT_NAME"] == "Tianwen-1 U+5929U+95EE - Orbiter"
    assert np.allclose(back.states, st, rtol=1e-15, atol=0)
