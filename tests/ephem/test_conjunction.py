"""Sun-Earth-Mars angle and solar conjunction windows against SPICE.

Oracles: the angle from SPICE positions (spkpos) and SPICE's vsep; the windows from a
dense brute-force scan of that SPICE angle (every 10 min, then every second around each
edge), with no use of areo's search. Known dates of Mars solar conjunctions (NASA Mars
Exploration Program announcements): 2021-10-08, 2023-11-18, 2026-01-09.
"""

from __future__ import annotations

import numpy as np
import pytest

from areo.ephem import Conjunction, Conjunctions, solar_conjunctions, sun_earth_mars_angle
from areo.errors import EpochOutOfRangeError, ParameterError
from areo.time import Time


def _spice_sem_deg(spice, et) -> np.ndarray:
    out = []
    for x in np.atleast_1d(et):
        sun = spice.spkpos("SUN", float(x), "J2000", "NONE", "EARTH")[0]
        mars = spice.spkpos("MARS BARYCENTER", float(x), "J2000", "NONE", "EARTH")[0]
        out.append(np.degrees(spice.vsep(sun, mars)))
    return np.array(out)


def test_angle_matches_spice_vsep(spice):
    rng = np.random.default_rng(11)
    et = rng.uniform(-12.6e9, 18.9e9, 200)
    np.testing.assert_allclose(sun_earth_mars_angle(et), _spice_sem_deg(spice, et), atol=1e-10)
    assert isinstance(sun_earth_mars_angle(float(et[0])), float)
    assert sun_earth_mars_angle(et.reshape(20, 10)).shape == (20, 10)


def _brute_force_edges(spice, et0: float, et1: float, sep: float) -> list[float]:
    """Edges of {angle < sep} in [et0, et1]: 10-min scan, then 1-s scan around flips."""
    coarse = np.arange(et0, et1, 600.0)
    inside = _spice_sem_deg(spice, coarse) < sep
    edges = []
    for k in np.flatnonzero(inside[:-1] != inside[1:]):
        fine = np.arange(coarse[k], coarse[k + 1] + 1.0, 1.0)
        fin = _spice_sem_deg(spice, fine) < sep
        j = int(np.flatnonzero(fin[:-1] != fin[1:])[0])
        edges.append(fine[j + 1] if fin[j + 1] else fine[j])  # the first/last second inside
    return edges


@pytest.mark.parametrize(
    ("around", "sep"),
    [("2021-10-08", 3.0), ("2023-11-18", 3.0), ("2026-01-09", 2.0), ("2028-03-21", 3.0)],
)
def test_windows_match_brute_force_spice_scan(spice, around, sep):
    mid = spice.str2et(around)
    et0, et1 = mid - 25 * 86400.0, mid + 25 * 86400.0
    found = solar_conjunctions(et0, et1, max_sep_deg=sep)
    assert len(found) == 1
    c = found[0]
    start, end = _brute_force_edges(spice, et0, et1, sep)
    # 1 s scan resolution + 1 ms search tolerance.
    assert abs(float(c.start.et) - start) <= 2.0
    assert abs(float(c.end.et) - end) <= 2.0
    np.testing.assert_allclose(c.min_sep_deg, _spice_sem_deg(spice, c.min_time.et)[0], atol=1e-9)
    # No SPICE sample in the window goes below areo's minimum.
    scan = _spice_sem_deg(spice, np.arange(start, end, 600.0))
    assert c.min_sep_deg <= scan.min() + 1e-12


def test_known_conjunctions_2020_2030():
    found = solar_conjunctions("2020-01-01", "2030-01-01", max_sep_deg=3.0)
    mins = [c.min_time.iso[:10] for c in found]
    for date in ("2021-10-08", "2023-11-18", "2026-01-09"):
        target = Time(date).et
        assert any(abs(float(c.min_time.et) - target) < 1.5 * 86400 for c in found), (date, mins)
    # One per synodic period (~780 d): 2021, 2023, 2026, 2028.
    assert len(found) == 4
    for c in found:
        assert 0.0 <= c.min_sep_deg < 3.0
        assert 10.0 < c.duration_days < 40.0
        assert c.start.et < c.min_time.et < c.end.et


def test_windows_are_clipped_and_serialise():
    found = solar_conjunctions("2021-10-01", "2021-10-10", max_sep_deg=3.0)
    assert len(found) == 1
    c = found[0]
    assert c.start.et == Time("2021-10-01").et and c.end.et == Time("2021-10-10").et
    d = c.to_dict()
    assert d["start"] == "2021-10-01T00:00:00Z" and d["end"] == "2021-10-10T00:00:00Z"
    assert set(d) >= {"start", "end", "min_sep_deg"} and isinstance(d["min_sep_deg"], float)
    assert isinstance(c, Conjunction) and repr(c).startswith("Conjunction: ")
    assert isinstance(found, Conjunctions) and found.to_records() == [d]


def test_small_threshold_dip_is_found():
    # 2023-11-18: the minimum is ~0.12 deg; a 0.2 deg window lasts ~ 1 day.
    found = solar_conjunctions("2023-11-01", "2023-12-01", max_sep_deg=0.2)
    assert len(found) == 1 and found[0].duration_days < 2.0
    none = solar_conjunctions("2023-11-01", "2023-12-01", max_sep_deg=0.1)
    assert isinstance(none, Conjunctions) and len(none) == 0 and none == []


def test_bad_inputs_raise():
    with pytest.raises(ParameterError, match="not after start"):
        solar_conjunctions("2022-01-01", "2021-01-01")
    with pytest.raises(ParameterError, match="not after start"):
        solar_conjunctions("2022-01-01", "2022-01-01")
    for bad in (0.0, -1.0, 180.0, 200.0, float("nan")):
        with pytest.raises(ParameterError, match="max_sep_deg"):
            solar_conjunctions("2021-01-01", "2022-01-01", max_sep_deg=bad)
    with pytest.raises(ParameterError, match="single time"):
        solar_conjunctions(["2021-01-01", "2021-02-01"], "2022-01-01")
    with pytest.raises(EpochOutOfRangeError, match="DE441"):
        solar_conjunctions("2600-01-01", "2700-01-01")


@pytest.mark.parametrize(
    ("start", "stop", "clipped"),
    [
        ("2021-09-15", "2021-11-01", (False, False)),  # the whole 2021 conjunction inside
        ("2021-10-05", "2021-11-01", (True, False)),  # starts inside it
        ("2021-09-15", "2021-10-12", (False, True)),  # ends inside it
        ("2021-10-05", "2021-10-12", (True, True)),
    ],
)
def test_conjunction_cut_by_the_span_says_so(spice, start, stop, clipped):
    """clipped_start / clipped_end against SPICE: the Sun-Earth-Mars angle (spkpos + vsep)
    at the span's edges is below 3 deg exactly where a flag is set, and the 10-min SPICE
    scan just inside each edge agrees (no edge of the conjunction within it)."""
    found = solar_conjunctions(start, stop, max_sep_deg=3.0)
    assert len(found) == 1
    c = found[0]
    et0, et1 = spice.str2et(start), spice.str2et(stop)
    inside0 = _spice_sem_deg(spice, et0 + np.arange(0.0, 3600.0, 600.0)) < 3.0
    inside1 = _spice_sem_deg(spice, et1 - np.arange(0.0, 3600.0, 600.0)) < 3.0
    assert inside0.all() == clipped[0] and inside0.any() == clipped[0]
    assert inside1.all() == clipped[1] and inside1.any() == clipped[1]
    assert (c.clipped_start, c.clipped_end) == clipped
    d = c.to_dict()
    assert (d["clipped_start"], d["clipped_end"]) == clipped
    frame = c.to_frame()
    assert tuple(frame[["clipped_start", "clipped_end"]].iloc[0]) == clipped
