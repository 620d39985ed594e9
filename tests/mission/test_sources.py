"""Orbiters from classical elements, a CCSDS OEM file and a SPICE SPK kernel, and a landing
site given by coordinates: the chain reads each, passes are found over the site, and each
orbiter's period follows Kepler's third law for its elements."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo.mission import run_mission
from tests.mission.helpers import cli

GM_MARS = 42828.375816  # km^3/s^2, DE440 Mars system (Park et al. 2021)
R_MARS = 3396.19  # km, IAU 2015

SCENARIO = """
[mission]
name = "Three kinds of orbiter"

[launch]
utc = "2030-11-01T00:00:00"
[arrival]
earliest = 2031-06-01
latest = 2031-09-30
[transfer]
grid_points = 20

[[orbiters]]
name = "relaysat"
peri_alt_km = 350.0
apo_alt_km = 450.0
inc_deg = 60.0
epoch_utc = "2032-01-01T00:00:00"

[[orbiters]]
name = "from-oem"
oem = "orbits/polar.oem"

[[orbiters]]
name = "from-spk"
spk = "orbits/polar.bsp"
naif_id = -999
radio = "electra"

[landing]
name = "My crater"
lat_deg = 12.5
lon_east_deg = 33.0
utc = "2032-01-01T00:00:00"

[operations]
sols = 2
ephemeris_sols = 1
"""


def _polar_states(t0: str, days: float):
    from areo.orbits import Orbit
    from areo.time import Time

    orbit = Orbit.from_elements(peri_alt_km=300.0, apo_alt_km=320.0, inc_deg=88.0,
                                epoch="2032-01-01T00:00:00")
    t = Time.arange(Time(t0), Time(t0) + days * 86400.0, 30.0)
    return t, orbit.propagate(t, model="j2mean").states


@pytest.fixture(scope="module")
def sources(tmp_path_factory, spice):
    from areo.io.oem import write_oem

    root = tmp_path_factory.mktemp("sources")
    (root / "orbits").mkdir()
    t, states = _polar_states("2031-12-31T12:00:00", 7.0)
    write_oem(root / "orbits" / "polar.oem", t, states, object_name="POLAR")
    # the same trajectory as a type 13 (Hermite) SPK written by SPICE, about Mars (499)
    et = np.asarray(t.et, dtype=float)
    handle = spice.spkopn(str(root / "orbits" / "polar.bsp"), "test", 0)
    spice.spkw13(handle, -999, 499, "J2000", float(et[0]), float(et[-1]), "polar", 7,
                 len(et), np.ascontiguousarray(states), et)
    spice.spkcls(handle)
    (root / "s.toml").write_text(SCENARIO)
    return root


def test_orbiters_from_elements_oem_and_spk(sources):
    res = run_mission(sources / "s.toml", sources / "out", cache_dir=sources / "cache")
    s = res.summary
    by_name = {o["name"]: o for o in s["orbiters"]}
    assert by_name["relaysat"]["source"] == "elements"
    assert by_name["from-oem"]["source"] == "oem" and by_name["from-spk"]["source"] == "spk"
    a = R_MARS + 400.0
    assert by_name["relaysat"]["period_s"] == pytest.approx(
        2 * math.pi * math.sqrt(a**3 / GM_MARS), rel=1e-6)
    # A tabulated orbiter's period is the osculating one of its state at the landing
    # (vis-viva, typed here): the J2 mean-element trajectory's velocity includes the secular
    # drift, so its osculating a is ~0.5 % below the mean 310 km orbit's.
    _, st = _polar_states("2032-01-01T00:00:00", 0.0001)
    r, v = np.linalg.norm(st[0, :3]), np.linalg.norm(st[0, 3:])
    a_osc = 1.0 / (2.0 / r - v * v / GM_MARS)
    for name in ("from-oem", "from-spk"):
        assert by_name[name]["period_s"] == pytest.approx(
            2 * math.pi * math.sqrt(a_osc**3 / GM_MARS), rel=1e-6), name
        assert by_name[name]["period_s"] == pytest.approx(
            2 * math.pi * math.sqrt((R_MARS + 310.0) ** 3 / GM_MARS), rel=0.02), name
    assert s["landing"]["site"] == {"key": "my_crater", "name": "My crater",
                                    "lat_deg": 12.5, "lon_east_deg": 33.0}
    import pandas as pd

    passes = pd.read_csv(sources / "out" / "passes.csv")
    counts = passes.groupby("orbiter").size()
    assert set(counts.index) == {"relaysat", "from-oem", "from-spk"}
    # the OEM and the SPK hold the same trajectory: the same passes, to the second
    a = passes[passes.orbiter == "from-oem"][["aos", "los"]].to_numpy()
    b = passes[passes.orbiter == "from-spk"][["aos", "los"]].to_numpy()
    assert len(a) == len(b) > 0
    ta = np.array([[np.datetime64(x.rstrip("Z")) for x in row] for row in a])
    tb = np.array([[np.datetime64(x.rstrip("Z")) for x in row] for row in b])
    assert np.all(np.abs((ta - tb) / np.timedelta64(1, "s")) < 1.0)
    for name in ("relaysat", "from-oem", "from-spk"):
        assert (sources / "out" / f"{name}.oem").is_file()


def test_short_orbiter_file_is_named(sources, tmp_path, capsys):
    """An OEM that ends before the operations do: the field, the coverage, exit 2."""
    from areo.io.oem import write_oem

    (tmp_path / "orbits").mkdir()
    t, states = _polar_states("2031-12-31T12:00:00", 1.0)
    write_oem(tmp_path / "orbits" / "polar.oem", t, states, object_name="POLAR")
    head, spk = SCENARIO.split('[[orbiters]]\nname = "from-spk"')
    (tmp_path / "s.toml").write_text(head + "[landing]" + spk.split("[landing]")[1])
    code, out, err = cli(capsys, "mission", tmp_path / "s.toml", "--out", tmp_path / "out")
    assert code == 2 and out == ""
    line = err.splitlines()[-1]
    assert "field 'orbiters.1.oem'" in line and "the file covers 2031-12-31" in line
    assert not (tmp_path / "out").exists()
