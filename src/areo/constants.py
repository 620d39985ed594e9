"""Physical and conventional constants shared by all layers, each once, with its source.

Internal units: km, km/s, seconds, radians. Body data (GM, radii) live in :mod:`areo.bodies`
(from ``catalog/data/bodies.toml``), Mars model constants (J2, J3, ...) in the catalog
(``catalog/data/mars.toml``); where that file repeats a value defined here
(``sol_s``, ``sol_nasa_lmst_s``, ``tropical_year_days``) a test keeps the two equal.
"""

from __future__ import annotations

import math

#: Speed of light in vacuum, m/s (exact, SI definition of the metre, 1983).
C_M_S = 299792458.0

#: Speed of light in vacuum, km/s (exact, SI definition; also SPICE CLIGHT).
C_KMS = 299792.458

#: Boltzmann constant, J/K (exact, SI 2019 redefinition).
BOLTZMANN_J_K = 1.380649e-23

#: Astronomical unit, km (exact, IAU 2012 Resolution B2).
AU_KM = 149597870.700

#: Seconds in a day (86400 SI seconds: the Julian day of TT/TDB and SPICE's SPD()).
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

#: Mars mean solar day in Earth days (Mars24 / Allison & McEwen 2000, Planet. Space Sci.
#: 48:215; NASA GISS Mars24 algorithm page, C-2).
SOL_MARS24_D = 1.0274912517

#: Mars solar day in seconds (Mars24: 1.0274912517 d = 88775.24414688 s).
SOL_MARS24_S = SOL_MARS24_D * DAY_S

#: Mean Mars tropical year in Earth days (Allison & McEwen 2000, Planet. Space Sci. 48:215).
MARS_TROPICAL_YEAR_D = 686.9726

#: Sol length used by NASA's LMST SCLK kernels (e.g. MSL, Mars 2020): 88775.244 s.
SOL_NASA_LMST_S = 88775.244

#: Sol length used by ESA ExoMars surface operations: 88775.244147 s.
SOL_ESA_EXOMARS_S = 88775.244147

#: One hour of Mars local mean solar time: 1/24 of the NASA LMST sol, s.
LMST_HOUR_S = SOL_NASA_LMST_S / 24.0

#: Standard acceleration of gravity, m/s^2 (exact, 3rd CGPM 1901): converts specific
#: impulse in seconds to exhaust velocity.
STANDARD_GRAVITY_M_S2 = 9.80665

#: Molar gas constant, J/(mol K) (exact, SI 2019: N_A k).
UNIVERSAL_GAS_J_MOL_K = 8.314462618

#: Total solar irradiance at 1 AU, W/m^2: IAU 2015 Resolution B3 nominal solar constant
#: (Prsa et al. 2016, AJ 152:41), after Kopp & Lean 2011, GRL 38:L01706.
SOLAR_CONSTANT_W_M2 = 1361.0

#: Highest altitude (km) of an orbit about Mars that areo accepts: Mars's sphere of influence
#: (Laplace radius a (m/M)^(2/5) = 227.9e6 km x (3.227e-7)^0.4 ~ 577,000 km, rounded up).
MARS_MAX_ORBIT_ALT_KM = 600_000.0
