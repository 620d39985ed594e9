"""Orbiters for the event searches: catalog names, areo orbits, tabulated states, files.

Every search in :mod:`areo.events` takes a trajectory: anything with ``state(t)``, or a
function of TDB seconds returning Mars-centred ICRF states. :func:`orbiter` builds one from
what a user has at hand:

- a catalog name ('tgo', 'Mars Express') or an :class:`areo.orbits.Orbit`, propagated with
  an analytic model on demand (``'j2mean'`` by default: nodal regression matters within
  days) or, for ``'numerical'``, integrated once over the search span with margins and
  interpolated;
- a CCSDS OEM file (through :mod:`areo.io.oem`), interpolated as its ``INTERPOLATION`` and
  ``INTERPOLATION_DEGREE`` say (Hermite by default);
- a :class:`~areo.ephem.TabulatedTrajectory` or any object with ``state(t)`` (returned as is).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from areo.ephem import TabulatedTrajectory
from areo.errors import ParameterError
from areo.time import Time

__all__ = ["OrbitTrajectory", "orbiter"]

#: Sampling of a numerically integrated orbit before interpolation (degree-5 Hermite on 30 s
#: samples of a 400 km orbit is good to better than 1 m).
_NUMERICAL_STEP_S = 30.0


class OrbitTrajectory:
    """An :class:`areo.orbits.Orbit` evaluated with an analytic model at any epochs."""

    def __init__(self, orbit: Any, model: str = "j2mean", name: str = ""):
        if model not in ("kepler", "j2mean"):
            raise ParameterError(
                f"model {model!r} is not analytic: use 'kepler' or 'j2mean', or orbiter(..., "
                "model='numerical', start=..., stop=...) to integrate once and interpolate"
            )
        self.orbit, self.model = orbit, model
        self.name = name or str(getattr(orbit, "name", "") or "orbiter")

    def state(self, t: Any) -> np.ndarray:
        time = t if isinstance(t, Time) else Time(t)
        et = np.atleast_1d(time.et).ravel()
        states = self.orbit.propagate(Time.from_et(et), model=self.model).states
        return states.reshape((*np.shape(time.et), 6))

    def __repr__(self) -> str:
        return f"OrbitTrajectory({self.name}: {self.orbit!r}, model {self.model})"


def orbiter(
    source: Any,
    *,
    model: str = "j2mean",
    start: Any = None,
    stop: Any = None,
    name: str = "",
) -> Any:
    """A trajectory for the event searches from a catalog name, Orbit, OEM path or table.

    ``start``/``stop`` are needed only for ``model='numerical'`` (the span to integrate).
    """
    if isinstance(source, TabulatedTrajectory) or (
        hasattr(source, "state") and callable(source.state)
    ):
        return source
    if isinstance(source, Path) or (
        isinstance(source, str) and Path(source).suffix.lower() in (".oem", ".kvn", ".txt")
    ):
        path = Path(str(source))
        if not path.is_file():
            raise ParameterError(f"OEM file {str(path)!r} does not exist: check the path")
        return _from_oem(path, name)
    from areo.orbits import Orbit

    orbit = Orbit.from_catalog(source) if isinstance(source, str) else source
    if not isinstance(orbit, Orbit):
        raise ParameterError(
            f"orbiter {source!r} is neither a catalog name, an Orbit, an OEM file nor a "
            "trajectory with state(t)"
        )
    label = name or (str(source) if isinstance(source, str) else "")
    if model != "numerical":
        return OrbitTrajectory(orbit, model, label)
    if start is None or stop is None:
        raise ParameterError("model='numerical' needs start and stop: the span to integrate")
    t0, t1 = float(Time(start).et), float(Time(stop).et)
    et = np.arange(t0 - 2 * _NUMERICAL_STEP_S, t1 + 3 * _NUMERICAL_STEP_S, _NUMERICAL_STEP_S)
    traj = orbit.propagate(Time.from_et(et), model="numerical")
    states = traj.states
    good = np.all(np.isfinite(states), axis=-1)
    if not good.all():
        raise ParameterError(
            f"the numerical propagation of {label or 'the orbit'} stopped early "
            f"({traj.reason}): shorten the span or check the orbit"
        )
    return TabulatedTrajectory(et, states, name=label)


def _from_oem(path: Path, name: str) -> TabulatedTrajectory:
    from areo.io.oem import read_oem

    data = read_oem(path)
    segments = getattr(data, "segments", None) or [data]
    seg = segments[0]
    meta = getattr(seg, "metadata", {}) or {}
    center = str(meta.get("CENTER_NAME", "MARS")).upper()
    frame = str(meta.get("REF_FRAME", "ICRF")).upper()
    if center not in ("MARS", "MARS BARYCENTER"):
        raise ParameterError(
            f"OEM {path.name}: CENTER_NAME {center} is not Mars: give states about MARS or "
            "MARS BARYCENTER"
        )
    if frame not in ("ICRF", "EME2000", "J2000"):
        raise ParameterError(
            f"OEM {path.name}: REF_FRAME {frame} is not supported: use ICRF or EME2000"
        )
    method = str(meta.get("INTERPOLATION", "HERMITE")).lower()
    method = "lagrange" if method.startswith("lagrange") else "hermite"
    degree = int(meta.get("INTERPOLATION_DEGREE", 5 if method == "hermite" else 7))
    if method == "hermite" and degree % 2 == 0:
        degree += 1  # an even Hermite degree has no pos+vel form: use the next odd one
    label = name or str(meta.get("OBJECT_NAME", path.stem))
    return TabulatedTrajectory(seg.time, seg.states, interpolation=method, degree=degree,
                               name=label)
