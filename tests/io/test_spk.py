"""SPK reading through spiceypy of SPK files written by spiceypy (types 13 and 9)."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import EpochOutOfRangeError, SpkFileError
from areo.io.spk import read_spk_states, spk_coverage

spiceypy = pytest.importorskip("spiceypy")

GM = 42828.375816
ET0 = 946728000.0  # 2030-01-01T12:00 TDB


def _kepler_states(et):
    # Circular 400 km orbit in the J2000 x-y plane: exact states at any epoch.
    a = 3796.19
    n = np.sqrt(GM / a**3)
    ang = n * (et - ET0)
    return np.column_stack([a * np.cos(ang), a * np.sin(ang), 0 * ang,
                            -a * n * np.sin(ang), a * n * np.cos(ang), 0 * ang])


@pytest.fixture(scope="module", params=[13, 9])
def spk_file(tmp_path_factory, request):
    path = tmp_path_factory.mktemp("spk") / f"orbiter_{request.param}.bsp"
    et = ET0 + np.arange(0.0, 7200.0 + 1, 60.0)
    states = _kepler_states(et)
    handle = spiceypy.spkopn(str(path), "areo test", 0)
    writer = spiceypy.spkw13 if request.param == 13 else spiceypy.spkw09
    writer(handle, -999, 499, "J2000", et[0], et[-1], "test orbiter", 7, et.size,
           states, et)
    spiceypy.spkcls(handle)
    return path, et, states


def test_read_nodes_and_between(spk_file):
    path, et, states = spk_file
    got = read_spk_states(path, -999, et[::10], center=499)
    np.testing.assert_allclose(got, states[::10], rtol=0, atol=1e-8)
    mid = et[:-1] + 30.0
    got = read_spk_states(path, "-999", mid, center="MARS")
    # Degree-7 interpolation of a circular orbit sampled every 60 s: ~1e-9 km.
    np.testing.assert_allclose(got, _kepler_states(mid), atol=1e-6)


def test_coverage_and_errors(spk_file, tmp_path):
    path, et, _ = spk_file
    (a, b), = spk_coverage(path, -999)
    assert a == et[0] and b == et[-1]
    with pytest.raises(EpochOutOfRangeError, match="coverage"):
        read_spk_states(path, -999, [et[-1] + 3600.0], center=499)
    with pytest.raises(SpkFileError, match="does not exist"):
        read_spk_states(tmp_path / "missing.bsp", -999, [et[0]])
    # The kernel pool is left as it was.
    assert spiceypy.ktotal("SPK") == 0 or all(
        str(path) not in spiceypy.kdata(i, "SPK")[0] for i in range(spiceypy.ktotal("SPK")))
