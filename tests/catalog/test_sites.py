"""Landing sites: every entry has a source and coordinates in areo's frame (planetocentric
latitude, east longitude in [0, 360)); the flown sites agree with the sourced values in the
workspace's ``../shared/reference/mars-facts.md`` (where that file exists: a clone does not
have it); every landing has its time at Mars (SCET), and where the Earth-received time is
given too, the two differ by the one-way light time SPICE computes on DE440."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from areo import catalog
from areo.time import Time

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "mars-facts.md"

# Sites that were flown to (a landing time must be given, at least ERT or SCET).
FLOWN = [
    "viking1",
    "viking2",
    "pathfinder",
    "gusev",
    "meridiani",
    "phoenix",
    "gale",
    "insight",
    "jezero",
    "zhurong",
]
# Row labels of mars-facts.md tables -> site keys.
REFERENCE_ROWS = {
    "Curiosity": "gale",
    "InSight": "insight",
    "Zhurong": "zhurong",
    "Perseverance": "jezero",
    "Landing site": "oxia_planum",
    "Coordinates": "jezero",
}
_COORD = re.compile(r"\*\*(?:Oxia Planum, )?(\d+\.\d+)°([NS]), (\d+\.\d+)°E\*\*")


def _reference_coordinates() -> dict[str, tuple[float, float]]:
    found: dict[str, tuple[float, float]] = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        m = _COORD.search(line)
        if not m or not line.startswith("|"):
            continue
        label = line.split("|")[1].strip()
        key = next((k for name, k in REFERENCE_ROWS.items() if label.startswith(name)), None)
        if key:
            lat = float(m.group(1)) * (1 if m.group(2) == "N" else -1)
            found[key] = (lat, float(m.group(3)))
    return found


def test_every_site_has_a_source_and_areo_frame_coordinates():
    sites = catalog.sites()
    assert len(sites) >= 12
    for s in sites:
        assert len(s.source) > 40, s.key  # a citation, not a word
        assert -90.0 <= s.lat_deg <= 90.0 and 0.0 <= s.lon_east_deg < 360.0, s.key


def test_the_issue_sites_are_there():
    for name in (
        "Viking 1",
        "viking 2",
        "pathfinder",
        "Spirit",
        "gusev",
        "Opportunity",
        "meridiani",
        "phoenix",
        "curiosity",
        "InSight",
        "Perseverance",
        "zhurong",
        "oxia planum",
        "mawrth vallis",
    ):
        assert catalog.site(name)


def test_flown_sites_have_a_landing_time():
    for key in FLOWN:
        s = catalog.site(key)
        if key == "zhurong":  # announced to the minute, at Mars or Earth-received unknown
            assert "23:18" in s.source
            continue
        assert s.landing_scet_utc, key


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not in a clone")
def test_flown_sites_match_the_reference():
    ref = _reference_coordinates()
    assert {"gale", "insight", "zhurong", "jezero", "oxia_planum"} <= set(ref)
    for key, (lat, lon) in ref.items():
        s = catalog.site(key)
        assert s.lat_deg == pytest.approx(lat, abs=1e-4), key
        assert s.lon_east_deg == pytest.approx(lon, abs=1e-4), key


def test_scet_is_ert_minus_the_light_time(spice):
    """ERT - SCET against SPICE's light time from the Mars barycentre to the Earth at the
    ERT (receive case, 'CN'): within 1.5 s (both times are published or kept to the second;
    InSight's ERT and SCET come from different sources and differ from it by 0.9 s)."""
    checked = 0
    for s in catalog.sites():
        if not (s.landing_scet_utc and s.landing_ert_utc):
            continue
        ert = float(Time(s.landing_ert_utc).et)
        scet = float(Time(s.landing_scet_utc).et)
        _state, lt = spice.spkezr("4", ert, "J2000", "CN", "399")
        assert abs((ert - scet) - lt) < 1.5, (s.key, ert - scet, lt)
        checked += 1
    assert checked >= 8


def test_every_station_has_a_source_and_sits_at_its_complex():
    """Each DSN antenna lies within 15 km of its complex's 70 m antenna (DSS-1x/2x at
    Goldstone with DSS-14, DSS-3x/4x at Canberra with DSS-43, DSS-5x/6x at Madrid with
    DSS-63, the DSN numbering; a sign or digit slip would be thousands of km), at a
    plausible height."""
    import numpy as np

    complexes = {
        "1": "DSS-14",
        "2": "DSS-14",
        "3": "DSS-43",
        "4": "DSS-43",
        "5": "DSS-63",
        "6": "DSS-63",
    }
    for st in catalog.stations():
        assert len(st.source) > 40, st.key
        assert -0.1 < st.height_km < 2.0, st.key
        if st.key.startswith("dss-"):
            ref = catalog.station(complexes[st.key[4]])
            d_km = float(np.linalg.norm(np.asarray(st.itrf_km) - np.asarray(ref.itrf_km)))
            assert d_km < 15.0, (st.key, d_km)  # Goldstone spreads over ~12 km
