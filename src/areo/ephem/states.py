"""The :class:`StateVectors` result: positions, velocities and their table/JSON forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from areo import bodies as _bodies
from areo.constants import C_KMS
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ROW_KEYS", "StateVectors"]

#: Keys of one row in :meth:`StateVectors.to_records` / columns of ``to_frame`` (CLI contract).
ROW_KEYS = (
    "utc", "x_km", "y_km", "z_km", "vx_kms", "vy_kms", "vz_kms", "range_km", "light_time_s",
)


class StateVectors:
    """States of ``target`` relative to ``center`` in ``frame`` at ``time``.

    Attributes:
        time: the epochs (:class:`~areo.time.Time`).
        states: (..., 6) array, km and km/s; ``time.shape + (6,)`` (a scalar time gives (6,)).
        target, center: resolved NAIF IDs (``target_name``/``center_name`` for words).
        frame: ``"j2000"`` or ``"eclipj2000"``.
        abcorr: aberration correction used (``"none"``, ``"lt"``, ``"cn"``, ``"xlt"``,
            ``"xcn"``).
    """

    __slots__ = ("_lt", "abcorr", "center", "frame", "states", "target", "time")

    def __init__(
        self,
        time: Time,
        states: np.ndarray,
        target: int,
        center: int,
        frame: str,
        abcorr: str = "none",
        light_time_s: np.ndarray | None = None,
    ):
        self.time = time
        self.states = states
        self.target = int(target)
        self.center = int(center)
        self.frame = frame
        self.abcorr = abcorr
        self._lt = light_time_s

    @property
    def position(self) -> np.ndarray:
        """Position, km, shape ``(..., 3)``."""
        return self.states[..., :3]

    @property
    def velocity(self) -> np.ndarray:
        """Velocity, km/s, shape ``(..., 3)``."""
        return self.states[..., 3:]

    @property
    def range_km(self) -> Any:
        """Distance target-centre, km (float for a scalar time)."""
        r = np.linalg.norm(self.position, axis=-1)
        return float(r) if r.ndim == 0 else r

    @property
    def light_time_s(self) -> Any:
        """One-way light time, s: the solved light time for a light-time corrected state,
        else the geometric range divided by c (not iterated)."""
        lt = self._lt if self._lt is not None else np.asarray(self.range_km) / C_KMS
        lt = np.asarray(lt)
        return float(lt) if lt.ndim == 0 else lt

    @property
    def target_name(self) -> str:
        return _bodies.body_name(self.target)

    @property
    def center_name(self) -> str:
        return _bodies.body_name(self.center)

    def __len__(self) -> int:
        if self.states.ndim == 1:
            raise TypeError("a single state has no len(); use .states")
        return self.states.shape[0]

    def _columns(self) -> dict[str, np.ndarray]:
        flat = self.states.reshape(-1, 6)
        utc = np.atleast_1d(self.time.utc_iso(3)).ravel()
        cols = {"utc": utc}
        for k, key in enumerate(ROW_KEYS[1:7]):
            cols[key] = flat[:, k]
        cols["range_km"] = np.atleast_1d(self.range_km).ravel()
        cols["light_time_s"] = np.atleast_1d(self.light_time_s).ravel()
        return cols

    def plot(self, path: Any = None) -> Any:
        """The range over time (plotly, :func:`areo.io.figures.series_figure`); saved to ``path``
        (.html) when given."""
        from areo.io.figures import series_figure, show_or_save

        frame = self.to_frame()
        fig = series_figure(
            frame["utc"], {c: frame[c] for c in ("range_km",)},
            title=repr(self),
            y_title="range (km)",
        )
        return show_or_save(fig, path)

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per epoch, with columns :data:`ROW_KEYS`; ``utc`` is
        ``datetime64[ns, UTC]`` (:meth:`to_records` keeps the ISO strings)."""
        import pandas as pd

        cols = self._columns()
        cols["utc"] = utc_column(self.time.et)
        return pd.DataFrame(cols, columns=list(ROW_KEYS))

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per epoch with keys :data:`ROW_KEYS`, ``utc`` an ISO 8601 string to
        the millisecond (the ``areo ephem --json`` rows)."""
        cols = self._columns()
        n = cols["utc"].shape[0]
        return [
            {key: (str(cols[key][i]) if key == "utc" else float(cols[key][i])) for key in ROW_KEYS}
            for i in range(n)
        ]

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "StateVectors", "target", "target_id", "center", "center_id", "frame",
        "abcorr", "count", "items"}`` with ``items`` from :meth:`to_records`."""
        return collection(
            "StateVectors", self.to_records(), target=self.target_name,
            target_id=self.target, center=self.center_name, center_id=self.center,
            frame=self.frame, abcorr=self.abcorr,
        )

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as strict JSON (``kwargs`` go to :func:`json.dumps`)."""
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        what = (f"{self.target_name} ({self.target}) from {self.center_name} ({self.center}), "
                f"{self.frame}" + (f", abcorr {self.abcorr}" if self.abcorr != "none" else ""))
        if self.states.ndim == 1:
            return (f"StateVectors: {what}, {self.time.iso}, range "
                    f"{self.range_km:,.1f} km, speed {np.linalg.norm(self.velocity):.6f} km/s")
        n = int(np.prod(self.states.shape[:-1]))
        if n == 0:
            return f"StateVectors: no states of {what}"
        flat = self.time.et.ravel()
        return (f"StateVectors: {n} states of {what}, "
                f"{span_text(float(flat[0]), float(flat[-1]))}")
