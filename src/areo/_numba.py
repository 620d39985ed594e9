"""numba options shared by the compiled kernels.

``NO_REFCOUNT`` turns off numba's reference counting (the private ``_nrt`` target option)
for hot inlined functions that never allocate: in the numerical propagator each array taken
from the force-model tuple otherwise costs an atomic incref/decref pair (~35 ns per
right-hand side call, 4x the point-mass + J2 arithmetic). The option is private, so it is
used only when this numba still has it; without it the kernels stay correct, only slower.
"""

from __future__ import annotations

try:
    from numba.core.cpu import CPUTargetOptions

    _HAS_NRT_OPTION = hasattr(CPUTargetOptions, "_nrt")
except ImportError:  # pragma: no cover - numba layout changed
    _HAS_NRT_OPTION = False

NO_REFCOUNT: dict[str, bool] = {"_nrt": False} if _HAS_NRT_OPTION else {}
