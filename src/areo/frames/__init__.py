"""Reference frames: ICRF/J2000, ecliptic J2000, Mars body-fixed IAU_MARS, Earth ITRS,
reference ellipsoids and topocentric (East-North-Up) frames at surface sites.

Submodules:

- :mod:`areo.frames.mars`: IAU_MARS from the IAU/WGCCRE 2015 model (with its periodic terms)
  or the 2009 model; rotation matrices, 6x6 state transforms, vector transforms.
- :mod:`areo.frames.iau`: the generic IAU rotation model (pole RA/Dec and W).
- :mod:`areo.frames.earth`: ICRF (GCRS) <-> ITRS through erfa (IAU 2006/2000A), stations.
- :mod:`areo.frames.ellipsoid`: planetocentric / planetodetic coordinates on a spheroid.
- :mod:`areo.frames.topocentric`: ENU frames, azimuth/elevation/range, :class:`SurfacePoint`.
- :mod:`areo.frames.ecliptic`: the ecliptic J2000 frame.

Units: km, km/s, s, radians (degrees only in ``*_deg`` names). Epochs: anything
:class:`areo.time.Time` accepts; numbers are TDB seconds past J2000.
"""

from areo.frames._kernels import angles_one as iau_angles_one  # for other layers' kernels
from areo.frames.ecliptic import ECLIPJ2000_TO_ICRF, ICRF_TO_ECLIPJ2000
from areo.frames.ellipsoid import (
    EARTH_WGS84,
    MARS_ELLIPSOID,
    Ellipsoid,
    cartesian_to_planetocentric,
    cartesian_to_planetodetic,
    ellipsoid_of,
    planetocentric_to_cartesian,
    planetocentric_to_planetodetic_latitude,
    planetodetic_to_cartesian,
    planetodetic_to_planetocentric_latitude,
    site_position,
    surface_normal,
    surface_point_planetocentric,
)
from areo.frames.iau import IAURotationModel, RotationAngles
from areo.frames.mars import (
    MARS_MODELS,
    from_iau_mars,
    iau_mars_to_icrf,
    icrf_to_iau_mars,
    mars_pole_ra_dec_w,
    mars_rotation_model,
    to_iau_mars,
)
from areo.frames.topocentric import (
    LookAngles,
    SurfacePoint,
    enu_at,
    enu_matrix,
    look_angles,
    surface_point,
)

__all__ = [
    "EARTH_WGS84",
    "ECLIPJ2000_TO_ICRF",
    "ICRF_TO_ECLIPJ2000",
    "MARS_ELLIPSOID",
    "MARS_MODELS",
    "Ellipsoid",
    "IAURotationModel",
    "LookAngles",
    "RotationAngles",
    "SurfacePoint",
    "cartesian_to_planetocentric",
    "cartesian_to_planetodetic",
    "ellipsoid_of",
    "enu_at",
    "enu_matrix",
    "from_iau_mars",
    "iau_angles_one",
    "iau_mars_to_icrf",
    "icrf_to_iau_mars",
    "look_angles",
    "mars_pole_ra_dec_w",
    "mars_rotation_model",
    "planetocentric_to_cartesian",
    "planetocentric_to_planetodetic_latitude",
    "planetodetic_to_cartesian",
    "planetodetic_to_planetocentric_latitude",
    "site_position",
    "surface_normal",
    "surface_point",
    "surface_point_planetocentric",
    "to_iau_mars",
]
