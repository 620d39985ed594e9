"""Mars body-fixed frame IAU_MARS: rotation from the ICRF from the IAU/WGCCRE models.

Two models, selected with ``model=``:

- ``"iau2015"`` (default): Archinal et al. 2018, "Report of the IAU Working Group on
  Cartographic Coordinates and Rotational Elements: 2015", Celest. Mech. Dyn. Astr. 130:22,
  Table 2, with its periodic terms, as distributed by NAIF in ``pck00011.tpc``. The periodic
  terms move the pole by ~1.6 deg in declination and ~0.4 deg in right ascension from the
  polynomial part (the long-period theta_15, theta_20, theta_26 terms, B = 0.5042615
  deg/century) and add sub-arcsecond terms with periods near a Mars year and its harmonics.
- ``"iau2009"``: Archinal et al. 2011, Celest. Mech. Dyn. Astr. 109:101 (also the 2000
  model), as in NAIF ``pck00010.tpc``; no periodic terms.

Both are the frames SPICE calls IAU_MARS when the matching PCK is loaded; the ICRF here is
SPICE's J2000. Rotation matrices act on column vectors: ``v_mars = M @ v_icrf``.

Epochs ``t`` are anything :class:`areo.time.Time` accepts; numbers are TDB seconds past
J2000. Everything broadcasts: ``t`` of shape S gives matrices of shape ``S + (3, 3)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.constants import DAY_S
from areo.errors import ParameterError
from areo.frames._common import apply_state_transform, state_matrix
from areo.frames.iau import IAURotationModel
from areo.frames.topocentric import LookAngles, SurfacePoint, look_angles

__all__ = [
    "MARS_IAU2009",
    "MARS_IAU2015",
    "MARS_MODELS",
    "MARS_ROTATION_RATE_RAD_S",
    "from_iau_mars",
    "iau_mars_to_icrf",
    "icrf_to_iau_mars",
    "mars_pole_ra_dec_w",
    "mars_rotation_model",
    "site_look",
    "state_transform",
    "state_transform_from_iau_mars",
    "to_iau_mars",
]

# Archinal et al. 2018 (IAU WGCCRE 2015), Table 2 (Mars) and its footnote angles M1..M16;
# NAIF pck00011.tpc holds the same numbers as BODY499_* and BODY4_NUT_PREC_ANGLES entries
# 11..26 (entries 1..10 are the Phobos and Deimos angles, with zero Mars coefficients, so
# they are left out here: the k-th pair below is PCK angle 10 + k).
_ANGLES_2015 = (
    (198.991226, 19139.4819985),  # 11
    (226.292679, 38280.8511281),  # 12
    (249.663391, 57420.7251593),  # 13
    (266.183510, 76560.6367950),  # 14
    (79.398797, 0.5042615),  # 15
    (122.433576, 19139.9407476),  # 16
    (43.058401, 38280.8753272),  # 17
    (57.663379, 57420.7517205),  # 18
    (79.476401, 76560.6495004),  # 19
    (166.325722, 0.5042615),  # 20
    (129.071773, 19140.0328244),  # 21
    (36.352167, 38281.0473591),  # 22
    (56.668646, 57420.9295360),  # 23
    (67.364003, 76560.2552215),  # 24
    (104.792680, 95700.4387578),  # 25
    (95.391654, 0.5042615),  # 26
)

#: IAU/WGCCRE 2015 Mars rotation (Archinal et al. 2018; NAIF pck00011).
MARS_IAU2015 = IAURotationModel(
    name="iau2015",
    pole_ra=(317.269202, -0.10927547),
    pole_dec=(54.432516, -0.05827105),
    pm=(176.049863, 350.891982443297),
    angles=_ANGLES_2015,
    ra_terms=(0.000068, 0.000238, 0.000052, 0.000009, 0.419057),
    dec_terms=(0.0,) * 5 + (0.000051, 0.000141, 0.000031, 0.000005, 1.591274),
    pm_terms=(0.0,) * 10 + (0.000145, 0.000157, 0.000040, 0.000001, 0.000001, 0.584542),
    source="Archinal et al. 2018, Celest. Mech. Dyn. Astr. 130:22 (IAU WGCCRE 2015); "
    "NAIF pck00011.tpc",
)

#: Mars sidereal rotation rate, rad/s: the IAU 2015 W rate 350.891982443297 deg/day
#: (Archinal et al. 2018), the rate of the polynomial part of W.
MARS_ROTATION_RATE_RAD_S = MARS_IAU2015.pm[1] * np.pi / 180.0 / DAY_S

#: IAU/WGCCRE 2009 Mars rotation (Archinal et al. 2011; NAIF pck00010).
MARS_IAU2009 = IAURotationModel(
    name="iau2009",
    pole_ra=(317.68143, -0.1061),
    pole_dec=(52.88650, -0.0609),
    pm=(176.630, 350.89198226),
    source="Archinal et al. 2011, Celest. Mech. Dyn. Astr. 109:101 (IAU WGCCRE 2009); "
    "NAIF pck00010.tpc",
)

#: The selectable Mars rotation models by name.
MARS_MODELS: dict[str, IAURotationModel] = {"iau2015": MARS_IAU2015, "iau2009": MARS_IAU2009}


def mars_rotation_model(model: str | IAURotationModel = "iau2015") -> IAURotationModel:
    """The Mars rotation model named ``model`` ('iau2015' or 'iau2009'), or ``model`` itself."""
    if isinstance(model, IAURotationModel):
        return model
    key = str(model).strip().lower().replace("_", "").replace("-", "").replace(" ", "")
    if key in MARS_MODELS:
        return MARS_MODELS[key]
    raise ParameterError(
        f"Mars rotation model {model!r} is unknown: use 'iau2015' (Archinal et al. 2018, "
        "the default) or 'iau2009' (Archinal et al. 2011)"
    )


def mars_pole_ra_dec_w(
    t: Any, model: str | IAURotationModel = "iau2015"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mars pole right ascension and declination (ICRF) and prime meridian angle W, degrees.

    W is reduced to [0, 360). Each output has the shape of ``t``.
    """
    ang = mars_rotation_model(model).angles_at(t)
    return np.degrees(ang.ra), np.degrees(ang.dec), np.degrees(ang.w)


def icrf_to_iau_mars(t: Any, model: str | IAURotationModel = "iau2015") -> np.ndarray:
    """Rotation matrices ICRF (SPICE J2000) -> IAU_MARS, shape ``t.shape + (3, 3)``.

    Equal to SPICE ``pxform('J2000', 'IAU_MARS', et)`` with the model's PCK loaded.
    """
    return mars_rotation_model(model).matrix(t)


def iau_mars_to_icrf(t: Any, model: str | IAURotationModel = "iau2015") -> np.ndarray:
    """Rotation matrices IAU_MARS -> ICRF: the transposes of :func:`icrf_to_iau_mars`."""
    return np.swapaxes(icrf_to_iau_mars(t, model), -1, -2)


def _rates(t: Any, model: str | IAURotationModel) -> tuple[np.ndarray, np.ndarray]:
    return mars_rotation_model(model).matrix_and_rate(t)


def state_transform(t: Any, model: str | IAURotationModel = "iau2015") -> np.ndarray:
    """6x6 state transforms ICRF -> IAU_MARS, shape ``t.shape + (6, 6)``.

    ``[[M, 0], [dM/dt, M]]`` with ``dM/dt`` from the rates of all three angles (rotation,
    precession and the periodic terms), as SPICE ``sxform('J2000', 'IAU_MARS', et)``:
    body-fixed velocity = ``dM/dt r + M v`` (km/s for km and km/s inputs).
    """
    m, dm = _rates(t, model)
    return state_matrix(m, dm)


def state_transform_from_iau_mars(
    t: Any, model: str | IAURotationModel = "iau2015"
) -> np.ndarray:
    """6x6 state transforms IAU_MARS -> ICRF (the inverse of :func:`state_transform`)."""
    m, dm = _rates(t, model)
    mt = np.swapaxes(m, -1, -2)
    return state_matrix(mt, np.swapaxes(dm, -1, -2))


def to_iau_mars(
    vectors: Any, t: Any, model: str | IAURotationModel = "iau2015"
) -> np.ndarray:
    """ICRF positions ``(..., 3)`` (km) or states ``(..., 6)`` (km, km/s) -> IAU_MARS.

    Positions are rotated; states also get the frame-rotation term (``dM/dt r``), so a
    point fixed on Mars has zero body-fixed velocity. ``vectors`` and ``t`` broadcast:
    ``(n, 3)`` with a single epoch, or one vector per epoch with ``t`` of shape ``(n,)``.
    """
    v = np.asarray(vectors, dtype=float)
    if v.shape[-1:] == (6,):
        m, dm = _rates(t, model)
        return apply_state_transform(m, dm, v)
    return apply_state_transform(icrf_to_iau_mars(t, model), None, v)


def from_iau_mars(
    vectors: Any, t: Any, model: str | IAURotationModel = "iau2015"
) -> np.ndarray:
    """IAU_MARS positions ``(..., 3)`` or states ``(..., 6)`` -> ICRF (inverse of
    :func:`to_iau_mars`)."""
    v = np.asarray(vectors, dtype=float)
    if v.shape[-1:] == (6,):
        m, dm = _rates(t, model)
        return apply_state_transform(
            np.swapaxes(m, -1, -2), np.swapaxes(dm, -1, -2), v
        )
    return apply_state_transform(iau_mars_to_icrf(t, model), None, v)


def site_look(
    site: SurfacePoint,
    targets_icrf: Any,
    t: Any,
    model: str | IAURotationModel = "iau2015",
) -> LookAngles:
    """Azimuth, elevation, range (and range rate) of targets from a Mars surface site.

    ``targets_icrf``: Mars-centred ICRF positions ``(..., 3)`` km or states ``(..., 6)``
    (km, km/s), broadcast against epochs ``t``; they are rotated into IAU_MARS (with the
    frame-rotation term for states) and seen from ``site``. Geometric, no light time.
    """
    if not isinstance(site, SurfacePoint) or site.ellipsoid.name != "mars":
        raise ParameterError(
            "site must be a Mars SurfacePoint: build it with "
            "SurfacePoint.from_planetocentric_deg(lat_deg, lon_east_deg, height_km)"
        )
    return look_angles(site.position_km, site.enu, to_iau_mars(targets_icrf, t, model))
