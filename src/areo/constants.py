"""Physical and conventional constants shared by all layers, each with its source.

Internal units: km, km/s, seconds, radians.
"""

from __future__ import annotations

import math

#: Speed of light in vacuum, km/s (exact, SI definition; also SPICE CLIGHT).
C_KMS = 299792.458

#: Astronomical unit, km (exact, IAU 2012 Resolution B2).
AU_KM = 149597870.700

#: Seconds in a day.
DAY_S = 86400.0

#: Julian date of the J2000.0 epoch (2000-01-01T12:00:00 TT/TDB).
JD_J2000 = 2451545.0

#: Days in a Julian century.
JULIAN_CENTURY_D = 36525.0

#: TT - TAI, seconds (exact, IAU 1991 Resolution A4).
TT_MINUS_TAI_S = 32.184

#: Obliquity of the ecliptic at J2000 used by SPICE's ECLIPJ2000 frame (IAU 1976 value),
#: 84381.448 arcsec (Lieske et al. 1977; NAIF Frames Required Reading).
OBLIQUITY_J2000_RAD = math.radians(84381.448 / 3600.0)

#: Mars solar day (Mars24 / Allison & McEwen 2000: 1.0274912517 d = 88775.244147 s).
SOL_MARS24_S = 1.0274912517 * DAY_S

#: Sol length used by NASA's LMST SCLK kernels (e.g. MSL, Mars 2020): 88775.244 s.
SOL_NASA_LMST_S = 88775.244

#: Sol length used by ESA ExoMars surface operations: 88775.244147 s.
SOL_ESA_EXOMARS_S = 88775.244147
