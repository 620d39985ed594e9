"""Small helpers shared by the frame modules: epochs in, matrices applied to vectors/states."""

from __future__ import annotations

from typing import Any

import numpy as np

from areo.errors import ParameterError
from areo.time import Time


def as_et(t: Any) -> np.ndarray:
    """TDB seconds past J2000 from anything :class:`areo.time.Time` accepts (numbers are et)."""
    if isinstance(t, Time):
        return t.et
    if isinstance(t, np.ndarray) and t.dtype.kind == "f":
        # Fast path for the common batch case; Time() would copy and re-validate.
        if not np.all(np.isfinite(t)):
            return Time(t).et  # raises the TimeFormatError with its message
        return t
    return Time(t).et


def apply_rotation(m: np.ndarray, v: np.ndarray, name: str = "vectors") -> np.ndarray:
    """Rotate ``(..., 3)`` vectors or ``(..., 6)`` states by ``(..., 3, 3)`` matrices ``m``.

    A state ``(r, v)`` is rotated as ``(m r, m v)``; use a 6x6 state transform where the
    frame rotates (body-fixed frames).
    """
    v = np.asarray(v, dtype=float)
    if v.shape[-1:] == (3,):
        return np.matmul(m, v[..., None])[..., 0]
    if v.shape[-1:] == (6,):
        r = np.matmul(m, v[..., :3, None])[..., 0]
        w = np.matmul(m, v[..., 3:, None])[..., 0]
        return np.concatenate([r, w], axis=-1)
    raise ParameterError(
        f"{name} have shape {v.shape}: the last axis must hold 3 (position, km) or 6 "
        "(position km, velocity km/s) components"
    )


def apply_state_transform(
    m: np.ndarray, dm: np.ndarray | None, v: np.ndarray, name: str = "vectors"
) -> np.ndarray:
    """Apply the state transform ``[[m, 0], [dm, m]]`` to ``(..., 6)`` states.

    ``(..., 3)`` positions are rotated by ``m`` alone.
    """
    v = np.asarray(v, dtype=float)
    if v.shape[-1:] == (3,):
        return np.matmul(m, v[..., None])[..., 0]
    if v.shape[-1:] == (6,) and dm is not None:
        r = v[..., :3, None]
        pos = np.matmul(m, r)[..., 0]
        vel = (np.matmul(dm, r) + np.matmul(m, v[..., 3:, None]))[..., 0]
        return np.concatenate([pos, vel], axis=-1)
    raise ParameterError(
        f"{name} have shape {v.shape}: the last axis must hold 3 (position, km) or 6 "
        "(position km, velocity km/s) components"
    )


def state_matrix(m: np.ndarray, dm: np.ndarray) -> np.ndarray:
    """Assemble ``(..., 6, 6)`` state transforms ``[[m, 0], [dm, m]]``."""
    shape = np.broadcast_shapes(m.shape, dm.shape)[:-2]
    out = np.zeros((*shape, 6, 6))
    out[..., :3, :3] = m
    out[..., 3:, 3:] = m
    out[..., 3:, :3] = dm
    return out
