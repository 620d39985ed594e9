"""Orbiter-to-Earth contacts, X-band rate and latency."""

from __future__ import annotations

import numpy as np
import pytest

from areo.constants import AU_KM
from areo.errors import ParameterError
from areo.events.sources import orbiter
from areo.relay.earth import MRO_LIKE_XBAND, XBandLink, earth_contacts, next_contact_latency
from areo.time import Time


def test_mars_visibility_against_astropy():
    """Mars above 10 deg at New Norcia against astropy's own chain (builtin ephemeris,
    bundled IERS table, AltAz without refraction). astropy also applies annual aberration
    (~20"), which areo's light-time-only direction leaves out: edges agree to ~2 s."""
    pytest.importorskip("astropy")
    from astropy import units as u
    from astropy.coordinates import AltAz, EarthLocation, get_body
    from astropy.time import Time as AstropyTime
    from astropy.utils import iers

    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    c = earth_contacts(orbiter("tgo"), ["new norcia"], "2024-03-01", "2024-03-03",
                       conjunction_deg=0.0)
    vis = c.mars_visible["new norcia"]
    loc = EarthLocation.from_geodetic(116.1915 * u.deg, -31.048225 * u.deg, 252.26 * u.m)
    t = AstropyTime("2024-03-01T00:00:00", scale="utc") + np.arange(0, 2 * 86400, 10) * u.s
    alt = get_body("mars", t, loc).transform_to(AltAz(obstime=t, location=loc)).alt.deg
    et = Time(t.utc.isot).et
    up = alt > 10.0
    rises = et[1:][up[1:] & ~up[:-1]]
    sets = et[1:][~up[1:] & up[:-1]]
    starts = vis.starts[vis.starts > et[0] + 1.0]
    ends = vis.ends[vis.ends < et[-1] - 1.0]
    assert len(starts) == len(rises) == 2 and len(ends) == len(sets) == 2
    np.testing.assert_allclose(starts, rises - 5.0, atol=10.0)  # 10 s scan + aberration
    np.testing.assert_allclose(ends, sets - 5.0, atol=10.0)
    # contacts are the visible time less the occultations of the orbiter behind Mars
    usable = c.by_station["new norcia"]
    assert 0 < usable.total_duration < vis.total_duration
    assert (usable - vis).total_duration == 0.0


def test_conjunction_moratorium_removes_contacts():
    """The November 2023 solar conjunction (named in the issue as a known one): no contact
    inside the moratorium. Cebreros and Madrid share a longitude, so about 8 h a day."""
    c = earth_contacts(orbiter("mex"), ["cebreros", "DSS-63"], "2023-11-01", "2023-12-05")
    assert len(c.conjunctions) == 1
    mid = 0.5 * (c.conjunctions.starts[0] + c.conjunctions.ends[0])
    assert abs(mid - float(Time("2023-11-18").et)) < 3 * 86400.0
    assert (c.any_station & c.conjunctions).total_duration == 0.0
    assert c.any_station.total_duration > 60 * 3600.0
    assert {r["station"] for r in c.to_dict()} == {"cebreros", "DSS-63"}


def test_xband_rate_inverse_square():
    link = XBandLink("test", 4e6, AU_KM, 6e6, 1e5, "test case")
    d = np.array([0.5, 1.0, 2.0, 4.0, 8.0]) * AU_KM
    rate = link.rate_bps(d)
    assert rate[0] == 6e6  # capped at the maximum
    assert rate[1] == pytest.approx(4e6) and rate[2] == pytest.approx(1e6)
    assert rate[3] == pytest.approx(2.5e5) and rate[4] == 0.0  # below the floor: closed
    assert MRO_LIKE_XBAND.rate_bps(2.0 * AU_KM) == pytest.approx(0.49e6, rel=0.01)
    with pytest.raises(ParameterError, match="positive"):
        link.rate_bps(-1.0)
    with pytest.raises(ParameterError, match="positive"):
        XBandLink("bad", -1.0, AU_KM, 1.0, 0.0, "")


def test_latency_waits_for_the_next_contact_plus_light_time():
    from areo.ephem import light_time
    from areo.events import Windows

    t0 = float(Time("2024-03-01").et)
    contacts = Windows([t0 + 3600.0, t0 + 10 * 3600.0], [t0 + 7200.0, t0 + 12 * 3600.0])
    ready = np.array([t0, t0 + 5000.0, t0 + 8000.0, t0 + 13 * 3600.0])
    lat = next_contact_latency(ready, contacts)
    depart = np.array([t0 + 3600.0, t0 + 5000.0, t0 + 10 * 3600.0])
    lt = light_time("earth", "mars", depart, direction="transmit")
    np.testing.assert_allclose(lat[:3], depart - ready[:3] + lt, atol=1e-6)
    assert np.isnan(lat[3])
    assert 180.0 < lt.min() < 1400.0  # 3-22 min one way


def test_bad_input():
    with pytest.raises(ParameterError, match="station"):
        earth_contacts(orbiter("tgo"), [], "2024-03-01", "2024-03-02")
    with pytest.raises(ParameterError, match="mask"):
        earth_contacts(orbiter("tgo"), ["cebreros"], "2024-03-01", "2024-03-02",
                       min_elev_deg=95.0)
