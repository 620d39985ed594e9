"""Compiled kernels of the event searches (plain functions on arrays).

Serial ``nogil`` loops over rows ``[lo, hi)``, run through :func:`areo._numba.run`.
"""

from __future__ import annotations

from numba import njit


@njit(cache=True, nogil=True)
def site_enu(body, inv, site, pos, enu, out, lo, hi):
    """ENU vectors (km) from sites to targets: ``out[i] = enu[site[i]] @ (body[inv[i]] -
    pos[site[i]])`` for the (epoch, pair) rows ``i`` in ``lo:hi``; ``out`` rows may be
    scattered by the caller."""
    for i in range(lo, hi):
        j = inv[i]
        s = site[i]
        dx = body[j, 0] - pos[s, 0]
        dy = body[j, 1] - pos[s, 1]
        dz = body[j, 2] - pos[s, 2]
        for a in range(3):
            out[i, a] = enu[s, a, 0] * dx + enu[s, a, 1] * dy + enu[s, a, 2] * dz
