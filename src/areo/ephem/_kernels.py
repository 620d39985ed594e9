"""Compiled kernels: Chebyshev states from SPK Type 2 and Type 3 records.

Plain functions on arrays, no Python objects, so numba compiles them once (``cache=True``)
and the friendly API in :mod:`areo.ephem.spk` stays free of loops.

Record layout (NAIF SPK Required Reading, types 2 and 3), one row of ``records`` per record:
``MID, RADIUS, c[0, 0..ncoef-1], c[1, ...], ...`` with 3 components (type 2: x, y, z) or 6
(type 3: x, y, z, vx, vy, vz). A record covers ``[MID - RADIUS, MID + RADIUS]`` TDB seconds
and the series argument is ``s = (et - MID) / RADIUS`` in [-1, 1].

The kernels *accumulate* ``sign * state`` into ``out`` so that a chain of segments (Earth =
SSB->EMB + EMB->Earth) sums in place without temporaries.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["accumulate_one", "accumulate_states"]


@njit(cache=True, nogil=True)
def accumulate_one(t, records, init, intlen, ncoef, type3, sign, out, i):
    """Add ``sign`` times the state at one epoch ``t`` to row ``i`` of ``out``.

    The per-epoch primitive, also called from other compiled code (the Cowell propagator's
    Sun, :mod:`areo.orbits.numerical._forces`); ``t`` inside the segment.
    """
    nrec = records.shape[0]
    # Record choice as in SPICE's SPKR02/SPKR03: by the fixed interval length from INIT,
    # the last record also taking the segment's end epoch.
    k = int(np.floor((t - init) / intlen))
    if k < 0:
        k = 0
    elif k >= nrec:
        k = nrec - 1
    rec = records[k]
    radius = rec[1]
    s = (t - rec[0]) / radius
    s2 = 2.0 * s
    ox = 2
    oy = 2 + ncoef
    oz = 2 + 2 * ncoef
    # The three components (and their derivatives) run in one loop: each Clenshaw
    # recurrence is a serial dependency chain, so interleaving them keeps the FPU busy.
    bx1 = bx2 = by1 = by2 = bz1 = bz2 = 0.0
    if type3:
        ou = 2 + 3 * ncoef
        ov = 2 + 4 * ncoef
        ow = 2 + 5 * ncoef
        bu1 = bu2 = bv1 = bv2 = bw1 = bw2 = 0.0
        for j in range(ncoef - 1, 0, -1):
            bx = rec[ox + j] + s2 * bx1 - bx2
            by = rec[oy + j] + s2 * by1 - by2
            bz = rec[oz + j] + s2 * bz1 - bz2
            bu = rec[ou + j] + s2 * bu1 - bu2
            bv = rec[ov + j] + s2 * bv1 - bv2
            bw = rec[ow + j] + s2 * bw1 - bw2
            bx2, by2, bz2, bu2, bv2, bw2 = bx1, by1, bz1, bu1, bv1, bw1
            bx1, by1, bz1, bu1, bv1, bw1 = bx, by, bz, bu, bv, bw
        out[i, 0] += sign * (rec[ox] + s * bx1 - bx2)
        out[i, 1] += sign * (rec[oy] + s * by1 - by2)
        out[i, 2] += sign * (rec[oz] + s * bz1 - bz2)
        out[i, 3] += sign * (rec[ou] + s * bu1 - bu2)
        out[i, 4] += sign * (rec[ov] + s * bv1 - bv2)
        out[i, 5] += sign * (rec[ow] + s * bw1 - bw2)
        return
    # Type 2: Clenshaw for the value and, differentiated term by term, for d/ds; ds/dt is
    # 1/RADIUS, which turns km per unit s into km/s.
    dx1 = dx2 = dy1 = dy2 = dz1 = dz2 = 0.0
    for j in range(ncoef - 1, 0, -1):
        bx = rec[ox + j] + s2 * bx1 - bx2
        by = rec[oy + j] + s2 * by1 - by2
        bz = rec[oz + j] + s2 * bz1 - bz2
        dx = 2.0 * bx1 + s2 * dx1 - dx2
        dy = 2.0 * by1 + s2 * dy1 - dy2
        dz = 2.0 * bz1 + s2 * dz1 - dz2
        bx2, by2, bz2, dx2, dy2, dz2 = bx1, by1, bz1, dx1, dy1, dz1
        bx1, by1, bz1, dx1, dy1, dz1 = bx, by, bz, dx, dy, dz
    rate = sign / radius
    out[i, 0] += sign * (rec[ox] + s * bx1 - bx2)
    out[i, 1] += sign * (rec[oy] + s * by1 - by2)
    out[i, 2] += sign * (rec[oz] + s * bz1 - bz2)
    out[i, 3] += rate * (bx1 + s * dx1 - dx2)
    out[i, 4] += rate * (by1 + s * dy1 - dy2)
    out[i, 5] += rate * (bz1 + s * dz1 - dz2)


@njit(cache=True, nogil=True)
def accumulate_states(et, records, init, intlen, ncoef, type3, sign, out, lo, hi):
    """Add ``sign`` times the state (km, km/s) at ``et[lo:hi]`` to rows ``lo:hi`` of ``out``
    (n, 6); :func:`areo._numba.run` splits large batches over threads.

    ``et`` (n,) TDB seconds past J2000, all inside the segment; ``records`` (nrec, rsize).
    """
    for i in range(lo, hi):
        accumulate_one(et[i], records, init, intlen, ncoef, type3, sign, out, i)
