"""Solar energy at the Martian surface: top-of-atmosphere irradiance, beam/diffuse/global
irradiance under dust, daily insolation, dust on the arrays and dust-opacity scenarios.

Model: Appelbaum & Flood, "Solar radiation on Mars", NASA TM-102299 (1989) and Solar Energy
45:353-363 (1990), doi:10.1016/0038-092X(90)90156-7; "Solar radiation on Mars - Update 1990",
NASA TM-103623 (1990/91); inclined surfaces: Appelbaum, Landis & Sherman, Solar Energy 50:35-51
(1993), doi:10.1016/0038-092X(93)90006-A.

* Beam on a horizontal plane (Beer-Lambert): ``G_bh = G_ob cos z exp(-tau / cos z)``.
* Global on a horizontal plane: ``G_h = G_ob cos z f(z, tau, al) / (1 - al)`` with ``f`` the
  normalised net flux function computed by Pollack (multiple-wavelength, multiple-scattering),
  tabulated in TM-103623 Table III for surface albedo 0.1 and 0.4.
* Diffuse = global - beam; a tilted plane takes the beam through the angle of incidence, the
  diffuse as isotropic sky, ``(1 + cos beta) / 2``, and ground reflection
  ``al G_h (1 - cos beta) / 2`` (Appelbaum, Landis & Sherman 1993).

Units: irradiance W/m^2, insolation Wh/m^2, angles in degrees at the API (names say so).
Insolation is SI energy: 1 Wh = 3600 J, the irradiance integrated over the sol's 88775 s
(24.66 Earth hours), ``hour='earth'``, the default. This is the unit of the Update 1990
(TM-103623) daily-insolation tables: its Table V (Viking Lander 1) beam column, which
depends on the opacity alone, is reproduced to 0.3 % in SI Wh with the Update's Fig. 3
opacities, and is 2.7 % (one Earth hour over one Mars hour) low if the irradiance is
integrated over Mars hours. ``hour='mars'`` gives the irradiance integrated over local solar
time in Mars hours (1/24 sol = 3698.9 s; W/m^2 x Mars hours, 2.7 % below the SI figure), the
unit of the 1989 memorandum's hourly Table IV (TM-102299), whose daily sums areo reproduces in
that unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from areo import validate
from areo.constants import AU_KM, LMST_HOUR_S, SOLAR_CONSTANT_W_M2
from areo.errors import CoordinateRangeError, ParameterError

__all__ = [
    "AF_ECCENTRICITY",
    "AF_MEAN_IRRADIANCE",
    "Cleaning",
    "ConstantTau",
    "DailyInsolation",
    "DustModel",
    "DustStormTau",
    "Irradiance",
    "SeasonalTau",
    "daily_insolation",
    "daily_insolation_at",
    "irradiance_at",
    "net_flux_function",
    "solar_zenith_ls",
    "surface_irradiance",
    "tilted_irradiance",
    "toa_irradiance",
    "toa_irradiance_ls",
]

#: Mean top-of-atmosphere irradiance at Mars, W/m^2 (Appelbaum & Flood 1990, eq. 2).
AF_MEAN_IRRADIANCE = 590.0
#: Mars orbital eccentricity used by Appelbaum & Flood 1990 (eq. 2).
AF_ECCENTRICITY = 0.093377
#: Areocentric longitude of perihelion used by Appelbaum & Flood 1990 (eq. 2), deg.
AF_LS_PERIHELION_DEG = 248.0
#: Obliquity in the declination formula sin(dec) = sin(24.936 deg) sin(Ls) (A&F 1990, eq. 7).
AF_OBLIQUITY_DEG = 24.936

# ---------------------------------------------------------------------------------------
# Normalised net flux function f(z, tau, al): NASA TM-103623 (Update 1990), Table III,
# re-keyed from the published table (rows tau, columns z = 0, 5, ..., 85 deg).
# Two entries of the al = 0.1 table break the table's own monotonic trends and are taken
# to be misprints / transcription slips; corrected to the value consistent with their
# neighbours (marked "corr."): tau 2.1, z 55: 0.339 -> 0.399; tau 2.2, z 10: 0.549 -> 0.545.
# ---------------------------------------------------------------------------------------
_Z_GRID = np.arange(0.0, 90.0, 5.0)
_TAU_GRID = np.array(
    [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75,
     0.80, 0.85, 0.90, 0.95, 1.00, 1.05, 1.10, 1.15, 1.20, 1.25, 1.30, 1.35, 1.40, 1.45,
     1.50, 1.55, 1.60, 1.65, 1.70, 1.75, 1.80, 1.85, 1.90, 1.95, 2.00, 2.10, 2.20, 2.30,
     2.40, 2.50, 2.60, 2.70, 2.80, 2.90, 3.00, 3.20, 3.40, 3.60, 3.80, 4.00, 4.50, 5.00,
     5.50, 6.00]
)  # fmt: skip

_F_AL01 = """
883 883 883 882 881 880 879 877 875 872 868 862 855 844 830 804 757 640
875 875 874 873 872 870 868 866 862 858 852 844 834 819 798 762 700 566
866 866 865 864 862 860 857 854 850 844 836 826 813 794 768 724 651 508
857 857 856 854 852 849 846 842 838 831 821 808 793 770 739 688 608 466
848 848 847 845 842 839 835 831 826 818 806 791 773 747 712 656 571 433
839 839 838 836 833 829 824 819 813 804 791 774 754 726 687 627 539 407
830 830 829 826 823 819 814 808 801 790 776 758 736 706 663 599 510 385
822 821 820 817 814 809 804 797 790 778 762 742 718 686 641 575 485 367
813 813 811 808 804 799 793 786 778 765 748 727 701 667 619 551 462 351
805 804 802 799 795 789 783 775 767 753 734 712 684 648 598 528 440 337
796 795 793 790 785 779 772 764 755 741 721 697 668 631 579 508 422 325
787 786 784 780 775 769 762 754 743 728 708 683 653 615 562 491 407 315
778 777 775 771 766 759 752 743 732 716 695 669 638 600 546 474 393 306
770 768 766 762 757 750 742 733 721 705 682 655 623 585 530 457 379 297
761 760 757 753 748 741 732 722 711 693 670 642 609 570 514 442 366 288
752 751 748 744 739 731 722 712 701 682 658 630 596 556 500 429 356 281
744 743 740 736 730 722 713 703 690 671 646 617 583 543 486 416 345 274
736 735 732 727 721 713 703 693 680 660 634 605 570 528 472 403 335 267
728 727 724 719 712 704 694 683 669 649 623 593 557 514 459 392 324 261
720 719 716 711 704 695 685 673 659 638 613 582 546 503 448 382 316 255
712 711 708 703 696 687 676 664 649 628 602 571 535 492 438 374 309 250
704 703 700 695 688 678 667 655 640 618 592 561 524 480 427 364 302 245
695 694 691 686 679 669 658 645 630 608 581 550 513 469 416 355 295 240
687 686 683 678 670 660 649 636 621 598 570 539 502 457 405 346 287 235
679 678 675 670 662 652 640 627 611 588 560 528 491 446 395 337 280 230
672 671 668 662 654 644 632 619 602 579 551 519 482 437 387 331 275 226
664 663 660 654 646 636 624 611 594 571 542 510 473 429 379 324 270 222
657 655 652 646 638 627 615 602 585 562 533 501 464 420 372 318 265 219
649 648 644 638 630 619 607 593 576 553 524 492 455 412 364 312 260 215
642 640 637 631 622 612 599 585 568 544 515 483 446 403 356 305 255 211
634 633 629 623 615 604 591 577 559 535 506 474 437 394 348 298 249 207
627 625 621 615 607 596 583 568 551 527 497 465 428 385 340 292 244 203
619 618 614 608 599 588 575 560 542 518 489 457 420 378 333 286 240 200
612 611 607 601 592 581 568 553 534 511 482 450 413 371 327 281 236 197
605 604 600 594 585 574 561 546 527 504 475 443 406 364 321 276 232 194
598 597 593 587 578 567 553 538 520 496 468 436 399 358 316 272 228 191
591 590 586 580 571 559 546 531 513 489 460 428 392 352 310 267 225 188
584 583 579 573 564 552 539 524 506 482 453 421 385 345 304 262 221 185
578 576 572 566 557 546 532 517 498 474 445 413 377 338 298 257 217 182
564 563 558 552 543 532 518 502 483 459 431 399 364 325 287 248 210 176
551 549 545 539 530 518 504 489 469 446 417 386 352 314 276 239 203 170
538 537 533 526 517 505 492 476 457 433 405 374 341 304 268 232 197 166
526 524 520 514 505 493 479 464 444 421 393 362 330 295 260 226 192 161
514 512 508 502 493 481 467 451 432 409 381 351 319 285 252 219 187 157
501 499 496 489 480 468 454 438 420 396 369 339 308 276 243 212 181 153
489 487 483 477 468 456 441 426 407 384 357 328 298 266 235 205 176 148
478 477 473 466 456 445 431 415 395 373 347 318 289 258 228 199 171 144
467 466 462 455 446 435 421 405 385 363 338 310 281 251 222 193 166 140
457 456 452 445 436 425 411 395 376 354 329 301 273 244 216 188 162 137
436 435 431 425 416 405 391 375 357 336 311 285 258 231 205 179 154 131
415 414 410 404 395 384 371 356 338 317 294 268 243 218 193 169 146 124
395 393 389 384 376 365 352 337 319 299 277 253 230 206 182 160 138 117
378 376 372 367 359 349 336 321 304 284 263 241 218 196 174 153 132 112
363 361 357 352 344 334 321 307 290 271 251 229 208 187 166 146 127 107
325 323 320 315 307 297 286 272 257 240 222 203 184 166 148 131 114 096
289 288 285 280 273 264 253 241 227 212 196 179 162 146 131 116 101 086
257 256 253 249 242 234 225 213 201 187 173 158 143 130 116 103 090 077
229 227 224 220 215 209 200 189 178 166 154 141 128 116 104 093 081 069
"""  # TM-103623 Table III(a,b), al = 0.1, values x 1000; rows 2.1 and 2.2 carry "corr." fixes

_F_AL04 = """
596 595 594 593 592 591 590 589 588 586 583 579 575 568 558 540 509 430
592 590 590 589 588 586 585 583 582 579 575 569 563 553 539 514 473 382
587 586 585 584 583 581 579 577 575 571 566 559 551 538 520 490 441 344
583 582 581 579 578 576 574 571 569 564 558 549 539 524 502 467 413 316
578 577 576 575 573 571 568 565 562 557 549 539 527 509 485 447 389 295
574 573 572 570 568 565 563 559 556 549 541 529 515 496 469 428 368 278
569 568 567 565 563 560 557 553 549 542 532 519 504 483 454 411 350 264
565 564 563 560 558 555 552 547 542 534 524 510 494 471 440 394 333 252
560 559 558 556 553 550 546 541 535 526 515 501 483 459 426 379 318 242
555 555 553 551 548 544 540 535 529 519 507 491 473 448 413 365 304 233
550 549 548 546 543 539 534 529 522 512 498 482 462 437 401 352 292 225
545 544 543 541 538 533 528 522 516 505 490 473 452 427 390 340 282 219
540 540 538 536 532 527 522 516 509 498 483 465 443 417 379 329 273 213
535 535 533 531 527 522 516 510 503 491 475 456 434 407 368 318 264 207
531 530 528 526 522 517 511 504 496 483 467 448 425 397 358 308 256 202
526 525 523 520 517 511 505 498 490 476 459 440 416 389 349 300 249 198
521 520 518 515 511 505 499 492 483 470 452 432 408 380 341 292 242 193
516 515 514 510 506 500 494 486 476 463 445 424 400 371 332 283 235 189
511 511 509 506 501 495 488 480 470 456 438 417 392 362 323 276 228 184
506 506 504 500 496 489 482 474 464 450 431 410 384 354 316 270 223 180
501 501 499 495 490 483 476 468 458 443 424 402 377 347 309 264 219 177
497 496 494 490 485 478 471 462 452 437 417 396 370 339 302 258 214 174
492 491 489 485 480 473 465 456 446 431 411 389 363 332 295 252 209 171
487 486 484 480 475 467 460 450 439 424 404 382 356 324 288 246 204 167
482 481 479 475 469 462 454 445 433 417 398 376 349 317 281 240 200 164
477 476 474 470 464 457 449 439 428 412 392 370 343 311 276 236 197 162
472 471 469 465 459 452 444 434 422 406 386 363 337 306 271 232 193 159
467 467 465 460 455 447 438 429 417 400 380 357 331 300 265 227 190 157
463 462 460 456 450 442 433 423 411 395 374 351 325 294 260 223 186 154
458 457 455 451 445 437 428 418 406 389 368 346 319 288 255 219 183 152
453 452 450 446 440 432 423 413 400 384 363 340 313 283 250 215 180 149
449 448 445 441 435 427 418 407 395 378 357 334 307 277 245 211 176 147
444 443 440 436 430 422 413 402 389 372 352 329 302 272 240 206 173 144
440 438 435 431 425 418 408 397 384 367 347 324 297 267 236 203 171 142
435 434 431 427 421 413 403 392 379 363 342 319 292 263 232 200 168 140
431 429 427 422 416 408 398 388 375 358 337 314 287 258 228 197 166 138
426 425 422 417 411 403 394 383 370 353 332 309 283 254 224 193 163 136
422 420 418 413 406 398 389 378 365 348 327 304 278 250 220 190 161 134
417 416 413 408 402 394 384 373 360 343 322 299 273 245 217 187 158 133
408 407 404 399 393 385 375 364 350 333 312 289 264 237 209 181 153 129
399 398 395 391 384 376 366 355 341 323 303 281 256 229 202 175 149 126
391 390 387 382 376 368 358 346 332 315 295 273 248 222 196 170 145 122
383 382 379 374 368 359 349 338 324 307 287 265 241 216 191 166 142 119
375 374 371 367 360 351 341 330 316 299 279 257 234 209 185 161 138 116
367 365 363 358 352 343 333 321 308 291 271 249 227 203 179 156 134 113
358 357 354 350 343 334 324 313 299 283 263 242 220 197 174 151 130 110
350 349 346 342 335 326 316 305 291 275 255 234 213 191 169 147 127 107
343 342 339 334 328 320 310 298 284 268 249 228 207 186 165 144 124 104
336 335 332 327 321 313 303 291 277 261 243 223 202 182 161 141 121 102
322 321 318 314 307 299 289 277 264 249 231 211 192 172 153 134 115 097
308 307 304 300 293 285 275 264 251 235 218 200 181 163 145 127 110 093
294 293 290 286 280 271 262 251 238 223 207 189 171 154 137 121 104 089
282 281 278 274 268 260 251 239 227 213 197 181 164 147 131 115 100 086
271 270 267 263 257 249 240 229 217 204 189 173 157 141 125 110 096 082
244 243 241 237 231 224 215 205 194 182 168 154 140 126 112 099 087 074
219 218 216 212 207 200 192 183 173 161 149 136 124 113 101 090 078 066
196 196 194 190 185 179 172 163 154 143 133 121 110 100 091 080 070 059
176 175 173 170 166 161 154 146 137 128 119 109 099 090 081 072 063 054
"""  # TM-103623 Table IV(a,b) (albedo 0.4), values x 1000


def _parse(block: str) -> np.ndarray:
    return np.array([[int(v) for v in line.split()] for line in block.strip().splitlines()]) / 1e3


_F_TABLES = {0.1: _parse(_F_AL01), 0.4: _parse(_F_AL04)}
# Interpolation works on log(f / (1 - al)): f decays nearly exponentially with tau. Beyond
# tau = 6 (global dust storms reach ~11) the last row is extended with the e-folding slope of
# its z = 0 column (the same for every z, which keeps f monotone in z); below tau = 0.1 the
# first row is held (the beam then bounds the global from below).
_LOG_G = {al: np.log(tab / (1.0 - al)) for al, tab in _F_TABLES.items()}


def _check_albedo(albedo: Any) -> np.ndarray:
    al = np.asarray(albedo, dtype=float)
    if not np.all((al >= 0.1) & (al <= 0.4)):
        raise ParameterError(
            f"albedo {albedo!r} must lie in [0.1, 0.4], the range of the Appelbaum & Flood "
            "net-flux tables (Mars surface albedo is 0.1-0.4); clip it to that range"
        )
    return al


def _check_tau(tau: Any) -> np.ndarray:
    t = np.asarray(tau, dtype=float)
    if not np.all((t >= 0.0) & (t <= 20.0) & np.isfinite(t)):
        raise ParameterError(
            f"optical depth tau {tau!r} must lie in [0, 20] (clear Mars ~0.3-0.5, global dust "
            "storms up to ~11); pass a finite non-negative value"
        )
    return t


def _interp_logg(table: np.ndarray, z: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Bilinear interpolation of a log table over (tau, z); log-linear extension above tau 6."""
    zc = np.clip(z, 0.0, _Z_GRID[-1])  # beyond 85 deg: f held at its 85 deg value (cos z -> 0)
    jz = np.clip(np.searchsorted(_Z_GRID, zc, side="right") - 1, 0, _Z_GRID.size - 2)
    wz = (zc - _Z_GRID[jz]) / (_Z_GRID[jz + 1] - _Z_GRID[jz])
    tc = np.clip(tau, _TAU_GRID[0], _TAU_GRID[-1])
    it = np.clip(np.searchsorted(_TAU_GRID, tc, side="right") - 1, 0, _TAU_GRID.size - 2)
    wt = (tc - _TAU_GRID[it]) / (_TAU_GRID[it + 1] - _TAU_GRID[it])
    slope = (table[-1, 0] - table[-2, 0]) / (_TAU_GRID[-1] - _TAU_GRID[-2])
    lo = table[it, jz] * (1 - wz) + table[it, jz + 1] * wz
    hi = table[it + 1, jz] * (1 - wz) + table[it + 1, jz + 1] * wz
    return lo + (hi - lo) * wt + slope * np.maximum(tau - _TAU_GRID[-1], 0.0)


def net_flux_function(z_deg: Any, tau: Any, albedo: Any = 0.1) -> np.ndarray:
    """Normalised net flux function f(z, tau, al) (dimensionless), Pollack's radiative
    transfer as tabulated in NASA TM-103623 Tables III (al 0.1) and IV (al 0.4).

    Interpolated bilinearly over z (0-85 deg; held at 85 beyond) and tau (0.1-6, in log f;
    held below 0.1, extended log-linearly above 6 for storm opacities up to ~11).
    Albedo in [0.1, 0.4]: ``f / (1 - al)`` is interpolated linearly between the two tables,
    the albedo dependence of Appelbaum & Flood's polynomial fit (linear in al times (1-al)).
    Broadcasts over its arguments.
    """
    validate.finite(z_deg, "z_deg", unit="deg", hint="the solar zenith angle")
    z = np.asarray(z_deg, dtype=float)
    t = _check_tau(tau)
    al = _check_albedo(albedo)
    g1 = np.exp(_interp_logg(_LOG_G[0.1], *np.broadcast_arrays(z, t)))
    g4 = np.exp(_interp_logg(_LOG_G[0.4], *np.broadcast_arrays(z, t)))
    w = (al - 0.1) / 0.3
    return (g1 + (g4 - g1) * w) * (1.0 - al)


# ------------------------------------------------------------------ top of atmosphere
def toa_irradiance_ls(ls_deg: Any) -> np.ndarray:
    """Top-of-atmosphere irradiance on a plane normal to the Sun, W/m^2, from Ls (deg):
    ``590 (1 + e cos(Ls - 248))^2 / (1 - e^2)^2`` (Appelbaum & Flood 1990, eq. 2; 718 W/m^2
    at perihelion, 493 at aphelion)."""
    validate.finite(ls_deg, "ls_deg", unit="deg", hint="the solar longitude Ls")
    e = AF_ECCENTRICITY
    c = np.cos(np.radians(np.asarray(ls_deg, dtype=float) - AF_LS_PERIHELION_DEG))
    return AF_MEAN_IRRADIANCE * (1.0 + e * c) ** 2 / (1.0 - e * e) ** 2


def toa_irradiance(t: Any) -> Any:
    """Top-of-atmosphere irradiance at Mars, W/m^2: ``S0 / r^2`` with S0 = 1361 W/m^2 at
    1 AU (IAU 2015 B3) and r the Sun-Mars distance from DE440 (geometric, AU). ``t`` is
    anything :class:`areo.time.Time` accepts; returns a float or an array of its shape."""
    from areo.ephem import default_ephemeris
    from areo.time import Time

    time = t if isinstance(t, Time) else Time(t)
    et = np.atleast_1d(time.et).ravel()
    pos = default_ephemeris().state("sun", et, center="mars").position
    r_au = np.linalg.norm(np.reshape(pos, (-1, 3)), axis=-1) / AU_KM
    g = (SOLAR_CONSTANT_W_M2 / r_au**2).reshape(time.shape)
    return g[()] if time.is_scalar else g


# ------------------------------------------------------------------ geometry
def solar_declination_ls(ls_deg: Any) -> np.ndarray:
    """Solar declination, deg: ``sin(dec) = sin(24.936 deg) sin(Ls)`` (A&F 1990, eq. 7)."""
    validate.finite(ls_deg, "ls_deg", unit="deg", hint="the solar longitude Ls")
    s = np.sin(np.radians(AF_OBLIQUITY_DEG)) * np.sin(np.radians(np.asarray(ls_deg, float)))
    return np.degrees(np.arcsin(s))


def _check_lat(lat_deg: Any) -> np.ndarray:
    lat = np.asarray(lat_deg, dtype=float)
    if not np.all(np.abs(lat) <= 90.0):
        raise CoordinateRangeError(
            f"latitude {lat_deg!r} must lie in [-90, 90] degrees north; pass a planetocentric "
            "latitude in degrees"
        )
    return lat


def solar_zenith_ls(lat_deg: Any, ls_deg: Any, ltst_hours: Any) -> np.ndarray:
    """Solar zenith angle, deg, from latitude, Ls and local true solar time (hours):
    ``cos z = sin(lat) sin(dec) + cos(lat) cos(dec) cos(omega)``, ``omega = 15 LTST - 180``
    (Appelbaum & Flood 1990, eqs. 6-8). Broadcasts."""
    validate.finite(ltst_hours, "ltst_hours", unit="h", hint="local true solar time, 0-24")
    lat = np.radians(_check_lat(lat_deg))
    dec = np.radians(solar_declination_ls(ls_deg))
    om = np.radians(15.0 * np.asarray(ltst_hours, dtype=float) - 180.0)
    cz = np.sin(lat) * np.sin(dec) + np.cos(lat) * np.cos(dec) * np.cos(om)
    return np.degrees(np.arccos(np.clip(cz, -1.0, 1.0)))


def _solar_azimuth_ls(lat_deg: Any, ls_deg: Any, ltst_hours: Any) -> np.ndarray:
    """Solar azimuth, deg clockwise from north (east = 90), from the same spherical geometry."""
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    dec = np.radians(solar_declination_ls(ls_deg))
    om = np.radians(15.0 * np.asarray(ltst_hours, dtype=float) - 180.0)
    east = -np.cos(dec) * np.sin(om)
    north = np.cos(lat) * np.sin(dec) - np.sin(lat) * np.cos(dec) * np.cos(om)
    return np.mod(np.degrees(np.arctan2(east, north)), 360.0)


# ------------------------------------------------------------------ surface irradiance
@dataclass(frozen=True)
class Irradiance:
    """Irradiance components, W/m^2, arrays of a common shape."""

    global_: np.ndarray
    beam: np.ndarray
    diffuse: np.ndarray

    def to_frame(self):
        """The components as a pandas DataFrame (columns global, beam, diffuse, W/m^2)."""
        import pandas as pd

        return pd.DataFrame(
            {
                "global": np.ravel(self.global_),
                "beam": np.ravel(self.beam),
                "diffuse": np.ravel(self.diffuse),
            }
        )


def surface_irradiance(z_deg: Any, tau: Any, g_ob: Any, albedo: Any = 0.1) -> Irradiance:
    """Global, beam and diffuse irradiance on a horizontal plane at the surface, W/m^2.

    ``z_deg`` solar zenith angle (deg; >= 90 is night, all zero), ``tau`` optical depth,
    ``g_ob`` top-of-atmosphere normal irradiance (W/m^2, from :func:`toa_irradiance` or
    :func:`toa_irradiance_ls`), ``albedo`` surface albedo in [0.1, 0.4].
    Beam ``G_ob cos z exp(-tau/cos z)``; global ``G_ob cos z f(z, tau, al) / (1 - al)``
    (Appelbaum & Flood 1990, eqs. 3 and 13); diffuse = global - beam (clipped at 0).
    """
    validate.finite(z_deg, "z_deg", unit="deg", hint="the solar zenith angle")
    validate.non_negative(g_ob, "g_ob", unit="W/m^2",
                          hint="the top-of-atmosphere irradiance, e.g. toa_irradiance(t)")
    z = np.asarray(z_deg, dtype=float)
    t = _check_tau(tau)
    al = _check_albedo(albedo)
    z, t, g, al = np.broadcast_arrays(z, t, np.asarray(g_ob, dtype=float), al)
    cz = np.cos(np.radians(z))
    # z >= 90 deg is night as documented: cos(radians(90)) is 6e-17, not 0
    day = (z < 90.0) & (cz > 0.0)
    czd = np.where(day, cz, 1.0)
    beam = np.where(day, g * czd * np.exp(-t / czd), 0.0)
    glob = np.where(day, g * czd * net_flux_function(z, t, al) / (1.0 - al), 0.0)
    glob = np.maximum(glob, beam)  # f is a fit; the total never falls below its beam part
    return Irradiance(glob, beam, glob - beam)


def tilted_irradiance(
    z_deg: Any,
    sun_azimuth_deg: Any,
    tau: Any,
    g_ob: Any,
    tilt_deg: Any,
    azimuth_deg: Any,
    albedo: Any = 0.1,
) -> Irradiance:
    """Irradiance on a tilted panel, W/m^2 (isotropic sky, Appelbaum, Landis & Sherman 1993).

    ``tilt_deg`` from horizontal (0-90), ``azimuth_deg`` the direction the panel faces,
    clockwise from north (180 = facing south), ``sun_azimuth_deg`` likewise.
    Beam ``G_ob cos(i) exp(-tau/cos z)``, diffuse ``G_dh (1 + cos tilt)/2``, ground-reflected
    ``al G_h (1 - cos tilt)/2`` (counted in ``diffuse``); ``global_`` is the total.
    """
    validate.finite(sun_azimuth_deg, "sun_azimuth_deg", unit="deg")
    validate.finite(azimuth_deg, "azimuth_deg", unit="deg", hint="the panel's facing")
    tilt = np.asarray(tilt_deg, dtype=float)
    if not np.all((tilt >= 0.0) & (tilt <= 90.0)):
        raise ParameterError(
            f"tilt_deg {tilt_deg!r} must lie in [0, 90] degrees from horizontal; "
            "use azimuth_deg for the facing direction"
        )
    h = surface_irradiance(z_deg, tau, g_ob, albedo)
    z, saz, t, g, b, paz, al = np.broadcast_arrays(
        np.radians(np.asarray(z_deg, float)),
        np.radians(np.asarray(sun_azimuth_deg, float)),
        np.asarray(tau, float),
        np.asarray(g_ob, float),
        np.radians(tilt),
        np.radians(np.asarray(azimuth_deg, float)),
        np.asarray(albedo, float),
    )
    cz = np.cos(z)
    day = cz > 0.0
    ci = cz * np.cos(b) + np.sin(z) * np.sin(b) * np.cos(saz - paz)
    beam = np.where(
        day & (ci > 0.0), g * np.maximum(ci, 0.0) * np.exp(-t / np.where(day, cz, 1.0)), 0.0
    )
    diffuse = h.diffuse * (1.0 + np.cos(b)) / 2.0 + al * h.global_ * (1.0 - np.cos(b)) / 2.0
    return Irradiance(beam + diffuse, beam, diffuse)


# ------------------------------------------------------------------ at a site and time
def _site_latlon(site: Any) -> tuple[float, float, str]:
    from areo.catalog import site as catalog_site

    s = catalog_site(site) if isinstance(site, str) else site
    return float(s.lat_deg), float(s.lon_east_deg), str(getattr(s, "name", site))


def irradiance_at(
    site: Any,
    t: Any,
    tau: Any,
    *,
    albedo: Any = 0.1,
    tilt_deg: float = 0.0,
    azimuth_deg: float = 180.0,
) -> Irradiance:
    """Surface irradiance (W/m^2) at a catalog site (name or Site) at times ``t``.

    Zenith from the DE440 Sun direction (:func:`areo.events.solar_elevation`), top of
    atmosphere from the DE440 Sun-Mars distance (:func:`toa_irradiance`). For a tilted
    panel the Sun's azimuth comes from the Ls/LTST spherical geometry (A&F 1990).
    """
    validate.in_range(tilt_deg, "tilt_deg", 0.0, 90.0, unit="deg")
    validate.finite(azimuth_deg, "azimuth_deg", unit="deg", hint="the panel's facing")
    from areo.events import solar_elevation
    from areo.time import Time, local_true_solar_time, solar_longitude

    time = t if isinstance(t, Time) else Time(t)
    z = 90.0 - np.asarray(solar_elevation(site, time), dtype=float)
    g = np.asarray(toa_irradiance(time), dtype=float)
    if tilt_deg == 0.0:
        return surface_irradiance(z, tau, g, albedo)
    lat, lon, _ = _site_latlon(site)
    ls = np.asarray(solar_longitude(time))
    az = _solar_azimuth_ls(lat, ls, np.asarray(local_true_solar_time(time, lon)))
    return tilted_irradiance(z, az, tau, g, tilt_deg, azimuth_deg, albedo)


# ------------------------------------------------------------------ daily insolation
@dataclass(frozen=True)
class DailyInsolation:
    """Energy per unit area over one sol, arrays of one shape: SI Wh/m^2 (3600 J) when
    ``hour == 'earth'``, W h_Mars/m^2 (1/24 sol) when ``hour == 'mars'``."""

    global_: np.ndarray
    beam: np.ndarray
    diffuse: np.ndarray
    hour: str = "earth"

    @property
    def unit(self) -> str:
        """The energy unit of the values: 'Wh/m^2' (SI, 3600 J) or 'W h_Mars/m^2'."""
        return "Wh/m^2" if self.hour == "earth" else "W h_Mars/m^2"

    def to_frame(self):
        """The components as a pandas DataFrame, columns named with their unit:
        ``global_wh_m2``, ``beam_wh_m2``, ``diffuse_wh_m2`` (SI Wh) or, for
        ``hour='mars'``, ``global_w_hmars_m2``, ... (W x Mars hours)."""
        import pandas as pd

        suffix = "wh_m2" if self.hour == "earth" else "w_hmars_m2"
        return pd.DataFrame(
            {
                f"global_{suffix}": np.ravel(self.global_),
                f"beam_{suffix}": np.ravel(self.beam),
                f"diffuse_{suffix}": np.ravel(self.diffuse),
            }
        )


def daily_insolation(
    lat_deg: Any,
    ls_deg: Any,
    tau: Any,
    *,
    albedo: Any = 0.1,
    g_ob: Any = None,
    tilt_deg: float = 0.0,
    azimuth_deg: float = 180.0,
    hour: str = "earth",
    n_steps: int = 481,
) -> DailyInsolation:
    """Daily insolation over one sol (sunrise to sunset), Wh/m^2.

    Integrates the irradiance over local true solar time 0-24 h (trapezoid, ``n_steps``
    samples; night contributes zero) at fixed Ls, tau and top-of-atmosphere irradiance
    (``g_ob`` W/m^2; default Appelbaum & Flood's eq. 2 at ``ls_deg``). ``hour='earth'``
    (default) gives SI Wh (3600 J) over the whole sol (88775 s), the unit of the Update 1990
    tables (TM-103623 Table V); ``hour='mars'`` gives W/m^2 x Mars hours (1/24 sol =
    3698.9 s), 2.7 % less, the unit of the 1989 hourly Table IV (TM-102299).
    ``lat_deg``, ``ls_deg``, ``tau``, ``albedo``, ``g_ob`` broadcast together.
    """
    validate.finite(ls_deg, "ls_deg", unit="deg", hint="the solar longitude Ls")
    if g_ob is not None:
        validate.non_negative(g_ob, "g_ob", unit="W/m^2",
                              hint="the top-of-atmosphere irradiance, or None for A&F eq. 2")
    validate.in_range(tilt_deg, "tilt_deg", 0.0, 90.0, unit="deg")
    validate.finite(azimuth_deg, "azimuth_deg", unit="deg", hint="the panel's facing")
    if hour not in ("earth", "mars"):
        raise ParameterError(f"hour {hour!r} must be 'earth' (3600 s) or 'mars' (1/24 sol)")
    if int(n_steps) < 25:
        raise ParameterError(f"n_steps {n_steps!r} must be >= 25 samples over the sol; use 481")
    lat = _check_lat(lat_deg)
    ls = np.asarray(ls_deg, dtype=float)
    t = _check_tau(tau)
    al = _check_albedo(albedo)
    g = toa_irradiance_ls(ls) if g_ob is None else np.asarray(g_ob, dtype=float)
    lat, ls, t, al, g = np.broadcast_arrays(lat, ls, t, al, g)
    ltst = np.linspace(0.0, 24.0, int(n_steps))
    shape = (*lat.shape, 1)
    z = solar_zenith_ls(lat.reshape(shape), ls.reshape(shape), ltst)
    args = (t.reshape(shape), g.reshape(shape))
    if tilt_deg == 0.0:
        irr = surface_irradiance(z, *args, al.reshape(shape))
    else:
        az = _solar_azimuth_ls(lat.reshape(shape), ls.reshape(shape), ltst)
        irr = tilted_irradiance(z, az, *args, tilt_deg, azimuth_deg, al.reshape(shape))
    scale = 1.0 if hour == "mars" else LMST_HOUR_S / 3600.0

    def integ(a: np.ndarray) -> np.ndarray:
        return np.trapezoid(a, ltst, axis=-1) * scale

    return DailyInsolation(integ(irr.global_), integ(irr.beam), integ(irr.diffuse), hour)


def daily_insolation_at(
    site: Any,
    t: Any,
    tau: Any,
    *,
    albedo: Any = 0.1,
    tilt_deg: float = 0.0,
    azimuth_deg: float = 180.0,
    hour: str = "earth",
) -> DailyInsolation:
    """Daily insolation (Wh/m^2) at a catalog site on the sol containing ``t``: Ls from
    :func:`areo.time.solar_longitude`, top of atmosphere from DE440 (:func:`toa_irradiance`),
    zenith from the A&F spherical geometry at the site's latitude."""
    from areo.time import Time, solar_longitude

    time = t if isinstance(t, Time) else Time(t)
    lat, _, _ = _site_latlon(site)
    return daily_insolation(
        lat,
        solar_longitude(time),
        tau,
        albedo=albedo,
        g_ob=toa_irradiance(time),
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        hour=hour,
    )


# ------------------------------------------------------------------ dust on the arrays
@dataclass(frozen=True)
class Cleaning:
    """A cleaning event on sol ``sol``: ``restore`` (0-1) of the output lost to dust comes
    back (dust factor DF -> DF + restore (1 - DF)), as MER wind cleanings did."""

    sol: float
    restore: float


@dataclass(frozen=True)
class DustModel:
    """Fraction of clean-array output left after dust deposition (the MER "dust factor").

    ``loss_per_sol`` compounds each sol: DF(n) = (1 - loss)^n. Default 0.2 %/sol, typical of
    InSight's first 800 sols, Pathfinder, Phoenix and most of MER (Lorenz et al. 2021,
    PSS 207:105337; observed range 0.05-2 %/sol). ``cleanings`` apply in sol order.
    """

    loss_per_sol: float = 0.002
    cleanings: Sequence[Cleaning] = field(default_factory=tuple)
    initial: float = 1.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.loss_per_sol < 1.0:
            raise ParameterError(
                f"loss_per_sol {self.loss_per_sol!r} must lie in [0, 1) (fraction per sol; "
                "0.002 = 0.2 %/sol typical, Lorenz et al. 2021)"
            )
        if not 0.0 < self.initial <= 1.0:
            raise ParameterError(f"initial dust factor {self.initial!r} must lie in (0, 1]")
        for c in self.cleanings:
            if not 0.0 <= c.restore <= 1.0:
                raise ParameterError(
                    f"cleaning restore {c.restore!r} on sol {c.sol} must lie in [0, 1] "
                    "(fraction of the dust loss recovered)"
                )

    def factor(self, sol: Any) -> np.ndarray:
        """Dust factor (0-1) at ``sol`` (sols since the array was clean; array-friendly)."""
        validate.non_negative(sol, "sol", hint="sols since deployment")
        n = np.asarray(sol, dtype=float)
        if np.any(n < 0):
            raise ParameterError(f"sol {sol!r} must be >= 0 (sols since deployment)")
        keep = 1.0 - self.loss_per_sol
        df = np.full(n.shape, self.initial)
        last = np.zeros(n.shape)
        for c in sorted(self.cleanings, key=lambda c: c.sol):
            hit = n >= c.sol
            before = df * keep ** (c.sol - last)
            df = np.where(hit, before + c.restore * (1.0 - before), df)
            last = np.where(hit, c.sol, last)
        return df * keep ** (n - last)


# ------------------------------------------------------------------ opacity scenarios
@dataclass(frozen=True)
class ConstantTau:
    """Constant optical depth (e.g. 0.5, a clear-season Mars average)."""

    tau: float = 0.5

    def __call__(self, ls_deg: Any = 0.0, sol: Any = 0.0) -> np.ndarray:
        """tau at Ls (deg) and mission sol, broadcast."""
        shape = np.broadcast_shapes(np.shape(ls_deg), np.shape(sol))
        return np.full(shape, float(self.tau))


@dataclass(frozen=True)
class SeasonalTau:
    """Ls-dependent optical depth.

    ``kind='representative'``: a smooth, *representative* (unsourced) curve, ``base`` plus a
    Gaussian dusty-season bump of ``amplitude`` centred on Ls 250 deg (width 45 deg).
    ``kind='viking'``: Appelbaum, Landis & Sherman 1993 (Update 1991) eq. 1, fit to the VL1/VL2
    opacities with the two 1977 global storms (Ls 215 and 295), floor 0.5; needs ``lat_deg``.
    """

    kind: str = "representative"
    base: float = 0.4
    amplitude: float = 0.5
    lat_deg: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("representative", "viking"):
            raise ParameterError(f"kind {self.kind!r} must be 'representative' or 'viking'")

    def __call__(self, ls_deg: Any, sol: Any = 0.0) -> np.ndarray:
        """tau at Ls (deg); ``sol`` is accepted for a common signature and ignored."""
        ls = np.asarray(ls_deg, dtype=float)
        if self.kind == "representative":
            d = (ls - 250.0 + 180.0) % 360.0 - 180.0
            return self.base + self.amplitude * np.exp(-((d / 45.0) ** 2))
        phi = self.lat_deg
        a = 16787.0 * (1.0 + phi / 150.0) / (1917.0 + (phi + 38.27) ** 2)
        tau = a * (
            0.779 * np.exp(-((ls - 215.0) ** 2) / 730.0) + np.exp(-((ls - 295.0) ** 2) / 730.0)
        )
        return np.maximum(0.5, tau)


@dataclass(frozen=True)
class DustStormTau:
    """A global dust storm on top of a background opacity (representative shape).

    tau rises smoothly from ``background`` to ``peak`` over ``rise_sols`` after
    ``onset_sol``, then decays back with e-folding ``decay_sols``. Defaults mimic the 2018
    (MY34) storm at Opportunity: tau ~2 -> 10.8 within about two weeks (NASA MER status
    reports; ops-facts 4.2), slow decay over months.
    """

    onset_sol: float = 0.0
    peak: float = 10.8
    rise_sols: float = 10.0
    decay_sols: float = 60.0
    background: float = 0.5

    def __call__(self, ls_deg: Any = 0.0, sol: Any = 0.0) -> np.ndarray:
        """tau at mission sol (``ls_deg`` accepted for a common signature and ignored)."""
        s = np.asarray(sol, dtype=float) - self.onset_sol
        shape = np.broadcast_shapes(np.shape(ls_deg), np.shape(s))
        x = np.clip(s / self.rise_sols, 0.0, 1.0)
        rise = x * x * (3.0 - 2.0 * x)  # smoothstep
        decay = np.exp(-np.maximum(s - self.rise_sols, 0.0) / self.decay_sols)
        return np.broadcast_to(
            self.background + (self.peak - self.background) * rise * decay, shape
        )
