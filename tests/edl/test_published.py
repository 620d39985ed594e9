"""Plausibility against published figures (sources in each test). These are not
validations of the model's physics (the oracles are in test_oracles.py): several catalog
values are representative (the catalog says which), so the tolerances are wide."""

from __future__ import annotations

import math

import numpy as np
import pytest

from areo.edl import monte_carlo
from areo.edl.dynamics import mars_model

RUNS = 1001


@pytest.fixture(scope="module")
def runs():
    return {
        "mer": monte_carlo("mer", None, "2004-01-04T04:29:00Z", runs=RUNS, seed=11),
        "msl": monte_carlo("msl", "gale", "2012-08-06T05:10:45Z", runs=RUNS, seed=11),
        "m2020": monte_carlo("m2020", "jezero", "2021-02-18T20:36:00Z", runs=RUNS, seed=11),
    }


# (major, minor) km of the published 99 % ellipses
PUBLISHED = {
    # Golombek et al. 2003, JGR 108(E12):8072 / Knocke et al. 2003: MER-A Gusev 78.2 x 10.4
    # km (margined)
    "mer": (78.2, 10.4),
    # Way et al. 2013 (IEEE Aerospace): MSL guided ellipse ~20 x 7 km
    "msl": (20.0, 7.0),
    # NASA/JPL (Nelessen et al. 2019): Perseverance with the Range Trigger, 7.7 x 6.6 km
    "m2020": (7.7, 6.6),
}


@pytest.mark.parametrize("name", ["mer", "msl", "m2020"])
def test_ellipses_are_of_the_published_size(runs, name):
    ell = runs[name].ellipse
    major, minor = PUBLISHED[name]
    assert major / 1.5 < ell.major_km < major * 1.5, ell
    assert minor / 2.0 < ell.minor_km < minor * 2.0, ell
    assert runs[name].landed_fraction > 0.9


def test_guided_ellipses_are_much_smaller_than_ballistic(runs):
    assert runs["msl"].ellipse.major_km < runs["mer"].ellipse.major_km / 3
    assert runs["m2020"].ellipse.major_km < runs["msl"].ellipse.major_km


@pytest.mark.parametrize("name", ["msl", "m2020"])
def test_parachute_deploys_near_11_km(runs, name):
    """MSL and Perseverance deployed their parachutes at ~11 km (Way et al. 2013; NASA
    Mars 2020 press kit), Mach ~1.7-2."""
    st = runs[name].event_stats()[0]
    assert 8000.0 < st["altitude_m"]["mean"] < 13000.0
    assert 1.4 < st["mach"]["mean"] < 2.2


def test_ellipse_long_axis_follows_the_approach(runs):
    """A ballistic ellipse is long along the ground track (Golombek et al. 2003)."""
    ell = runs["mer"].ellipse
    az = runs["mer"].entry.azimuth_deg % 180.0
    assert abs((ell.azimuth_deg - az + 90.0) % 180.0 - 90.0) < 10.0


@pytest.mark.parametrize("launch,arrive,alt,published", [
    # MSL: launch 2011-11-26 15:02 UTC, entry 2012-08-06 05:10; 5.845 km/s inertial at
    # 125 km (Way et al. 2013)
    ("2011-11-26T15:02Z", "2012-08-06T05:10Z", 125.0, 5.845),
    # ExoMars 2016: launch 2016-03-14 09:31 UTC, Schiaparelli entry 2016-10-19 14:42;
    # ~5.83 km/s at ~121 km (ESA)
    ("2016-03-14T09:31Z", "2016-10-19T14:42Z", 121.0, 5.83),
])
def test_entry_speed_from_the_transfer(launch, arrive, alt, published):
    """Energy on the Lambert arrival hyperbola between the real launch and entry dates:
    within 8 % (the flown arcs had trajectory corrections and arrive at the entry point,
    not at Mars's centre)."""
    from areo.transfer import transfer

    tr = transfer(launch, arrive)
    mm = mars_model()
    v = math.sqrt(tr.vinf_arrive_kms ** 2 + 2 * mm["mu"] / (mm["re"] + alt))
    assert abs(v / published - 1.0) < 0.08


def test_hardware_lands_near_the_lander_as_photographed(runs):
    """Perseverance's hardware (TGO CaSSIS, 2021-02-23): descent stage ~650 m from the
    rover, heat shield ~1.45 km, backshell and parachute ~1.2 km. Without winds areo's
    backshell comes down close to the lander; the fly-away stage is calibrated (catalog),
    so only orders of magnitude are checked here."""
    hw = {h["name"]: h for h in runs["m2020"].hardware()}
    assert 300.0 < hw["descent stage"]["distance_m"] < 1500.0
    assert 100.0 < hw["heat shield"]["distance_m"] < 5000.0
    assert hw["backshell and parachute"]["distance_m"] < 3000.0
    assert np.isfinite(hw["heat shield"]["bearing_deg"])
