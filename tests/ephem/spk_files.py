"""Small SPK files written by SPICE itself for the ephemeris tests.

spiceypy's writers (spkw02, spkw03) lay out the records, so areo's reader is checked
against NAIF's layout, and spiceypy's reader (spkgeo) is the oracle for the values.
"""

from __future__ import annotations

import numpy as np

DAY = 86400.0
#: Base epoch of the custom segments: 2020-01-01T12:00 TDB.
T0 = 631152000.0

# Custom NAIF IDs chosen far from real spacecraft codes.
SC1, SC2, SC3 = -990001, -990002, -990003


def _coeffs(rng, nrec: int, ncomp: int, ncoef: int, scale: float) -> np.ndarray:
    # Decaying Chebyshev coefficients, like a smooth trajectory, random so that any
    # mix-up of components, records or segments shows.
    decay = scale * 0.3 ** np.arange(ncoef)
    return (rng.standard_normal((nrec, ncomp, ncoef)) * decay).ravel()


def write_custom_spk(path: str, spice) -> None:
    """Type 2 and 3 segments, several per target, one in ECLIPJ2000, one with a gap.

    SC1 about the Mars barycentre (4):
      seg A type 2, [T0, T0 + 10 d], 1-day records, degree 7
      seg B type 3, [T0 + 10 d, T0 + 20 d], 2-day records, degree 5 (shares the 10 d epoch)
      seg C type 2, [T0 + 3 d, T0 + 6 d], one 3-day record: later in the file, so it wins
    SC2 about SC1: type 3 in ECLIPJ2000, [T0, T0 + 20 d], 4-day records
    SC3 about the Sun (10): type 2, [T0, T0 + 1 d] and [T0 + 2 d, T0 + 3 d] (gap between)
    """
    rng = np.random.default_rng(20240601)
    handle = spice.spkopn(path, "areo-test", 0)
    spice.spkw02(handle, SC1, 4, "J2000", T0, T0 + 10 * DAY, "A", DAY, 10, 7,
                 _coeffs(rng, 10, 3, 8, 5.0e4), T0)
    spice.spkw03(handle, SC1, 4, "J2000", T0 + 10 * DAY, T0 + 20 * DAY, "B", 2 * DAY, 5,
                 5, _coeffs(rng, 5, 6, 6, 5.0e4), T0 + 10 * DAY)
    spice.spkw02(handle, SC1, 4, "J2000", T0 + 3 * DAY, T0 + 6 * DAY, "C", 3 * DAY, 1, 9,
                 _coeffs(rng, 1, 3, 10, 5.0e4), T0 + 3 * DAY)
    spice.spkw03(handle, SC2, SC1, "ECLIPJ2000", T0, T0 + 20 * DAY, "D", 4 * DAY, 5, 6,
                 _coeffs(rng, 5, 6, 7, 2.0e3), T0)
    spice.spkw02(handle, SC3, 10, "J2000", T0, T0 + DAY, "E1", DAY, 1, 4,
                 _coeffs(rng, 1, 3, 5, 1.0e8), T0)
    spice.spkw02(handle, SC3, 10, "J2000", T0 + 2 * DAY, T0 + 3 * DAY, "E2", DAY, 1, 4,
                 _coeffs(rng, 1, 3, 5, 1.0e8), T0 + 2 * DAY)
    spice.spkcls(handle)


def write_mars_centre_spk(path: str, spice) -> None:
    """Mars (499) about its barycentre (4): a made-up 1000-km wobble over 2020-2021."""
    rng = np.random.default_rng(7)
    handle = spice.spkopn(path, "areo-test-499", 0)
    spice.spkw02(handle, 499, 4, "J2000", T0, T0 + 400 * DAY, "499", 20 * DAY, 20, 6,
                 _coeffs(rng, 20, 3, 7, 1.0e3), T0)
    spice.spkcls(handle)
