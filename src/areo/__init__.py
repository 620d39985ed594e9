"""areo: plan Mars missions end to end.

Layers (imports only point down): ``time``, ``ephem``, ``frames``, ``bodies`` (foundation),
``catalog`` (data), then dynamics, geometry, planning and interfaces. See the README and
the design notes for the map.
"""

from __future__ import annotations

__version__ = "0.1.0"

from areo.time import Time

__all__ = ["Time", "__version__"]
