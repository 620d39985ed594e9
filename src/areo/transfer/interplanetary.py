"""Earth -> Mars transfers between two dates: C3, DLA/RLA, arrival v-infinity, delta-v.

Conventions (shared with :mod:`areo.transfer.porkchop`):

* Heliocentric states of the Earth (NAIF 399) and the Mars system barycentre (4) from the
  ephemeris (DE440 by default), ICRF axes; Lambert arcs about the Sun (DE440 GM), prograde
  meaning angular momentum towards the ecliptic north pole (so transfers highly inclined to
  the equator are still classified correctly).
* C3 = |v1 - v_earth|^2 (km^2/s^2); v-infinity = sqrt(C3). DLA and RLA: declination and right
  ascension of the outgoing asymptote (the v-infinity vector) in Earth equatorial J2000
  (ICRF) axes, degrees, RLA in [0, 360).
* Arrival: v-infinity = |v2 - v_mars| and its declination relative to the Mars equator of
  the IAU 2015 pole at the arrival epoch (``arrival_dec_deg``; "DAP" in NASA handbooks).
* Transfer type: 1 ("I") for transfer angles below 180 deg, 2 ("II") above; 2N+1 / 2N+2 with
  N full revolutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo.constants import DAY_S
from areo.ephem import FRAMES, Ephemeris, default_ephemeris
from areo.errors import ParameterError
from areo.frames.mars import icrf_to_iau_mars
from areo.io.records import dumps, jsonable, utc_column
from areo.time import Time
from areo.transfer import maneuvers
from areo.transfer.lambert import GM_SUN, LambertStatus, lambert, type_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ECLIPTIC_POLE", "Transfer", "endpoint_states", "transfer"]

#: Ecliptic (ECLIPJ2000, IAU 1976 obliquity) north pole in ICRF axes: the prograde axis.
ECLIPTIC_POLE: np.ndarray = np.ascontiguousarray(FRAMES["eclipj2000"][2])


def endpoint_states(
    et_launch: np.ndarray, et_arrive: np.ndarray, ephemeris: Ephemeris | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Earth states at launch, Mars states and Mars pole unit vectors at arrival (ICRF).

    Each array of epochs is evaluated once (1-D, TDB s past J2000); epochs outside the
    ephemeris raise :class:`~areo.errors.EpochOutOfRangeError`.
    """
    eph = default_ephemeris() if ephemeris is None else ephemeris
    tl = Time.from_et(np.ascontiguousarray(et_launch, dtype=float))
    ta = Time.from_et(np.ascontiguousarray(et_arrive, dtype=float))
    earth = eph.state("earth", tl, center="sun").states.reshape(-1, 6)
    mars = eph.state("mars", ta, center="sun").states.reshape(-1, 6)
    pole = np.asarray(icrf_to_iau_mars(ta))[..., 2, :].reshape(-1, 3)
    return (np.ascontiguousarray(earth), np.ascontiguousarray(mars),
            np.ascontiguousarray(pole))


def _deg_dec(v: np.ndarray, axis: np.ndarray | None = None) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1)
    z = v[..., 2] if axis is None else np.einsum("...k,...k->...", v, axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.degrees(np.arcsin(np.clip(z / n, -1.0, 1.0)))


def _scalar(a: np.ndarray) -> Any:
    a = np.asarray(a)
    return a.item() if a.ndim == 0 else a


@dataclass(frozen=True, repr=False)
class Transfer:
    """Ballistic Earth -> Mars transfers (arrays share the broadcast shape of the dates).

    Vectors are heliocentric ICRF, km/s. See the module docstring for conventions.
    """

    launch: Time
    arrive: Time
    v1: np.ndarray
    v2: np.ndarray
    vinf_depart_vec: np.ndarray
    vinf_arrive_vec: np.ndarray
    mars_pole: np.ndarray
    revs: np.ndarray
    right: np.ndarray
    transfer_type: np.ndarray
    status: np.ndarray
    parking_alt_km: float
    capture: maneuvers.CaptureOrbit

    @property
    def tof_days(self) -> Any:
        return _scalar((self.arrive.et - self.launch.et) / DAY_S)

    @property
    def c3_km2s2(self) -> Any:
        return _scalar(np.einsum("...k,...k->...", self.vinf_depart_vec, self.vinf_depart_vec))

    @property
    def vinf_depart_kms(self) -> Any:
        return _scalar(np.linalg.norm(self.vinf_depart_vec, axis=-1))

    @property
    def vinf_arrive_kms(self) -> Any:
        return _scalar(np.linalg.norm(self.vinf_arrive_vec, axis=-1))

    @property
    def dla_deg(self) -> Any:
        return _scalar(_deg_dec(self.vinf_depart_vec))

    @property
    def rla_deg(self) -> Any:
        v = self.vinf_depart_vec
        return _scalar(np.degrees(np.arctan2(v[..., 1], v[..., 0])) % 360.0)

    @property
    def arrival_dec_deg(self) -> Any:
        """Declination of the arrival v-infinity in the Mars equator (IAU 2015 pole)."""
        return _scalar(_deg_dec(self.vinf_arrive_vec, self.mars_pole))

    @property
    def dv_depart_kms(self) -> Any:
        """Delta-v from the circular parking orbit to the departure hyperbola, km/s."""
        v = np.asarray(self.vinf_depart_kms, dtype=float)
        dv = maneuvers.departure_dv(np.where(np.isfinite(v), v, 0.0), self.parking_alt_km)
        return _scalar(np.where(np.isfinite(v), dv, np.nan))

    @property
    def dv_capture_kms(self) -> Any:
        """Delta-v from the arrival hyperbola into the capture orbit, km/s."""
        v = np.asarray(self.vinf_arrive_kms, dtype=float)
        dv = maneuvers.capture_dv(np.where(np.isfinite(v), v, 0.0), self.capture)
        return _scalar(np.where(np.isfinite(v), dv, np.nan))

    @property
    def dv_total_kms(self) -> Any:
        return _scalar(np.asarray(self.dv_depart_kms) + np.asarray(self.dv_capture_kms))

    @property
    def converged(self) -> Any:
        return _scalar(self.status == LambertStatus.CONVERGED)

    def insertion(self, final_alt_km: float = 400.0) -> maneuvers.InsertionBudget:
        """Mars orbit insertion options (scalar transfer only)."""
        if np.ndim(self.status):
            raise ParameterError("insertion() needs a single transfer: index the batch first")
        return maneuvers.orbit_insertion(float(self.vinf_arrive_kms), self.capture,
                                         final_alt_km)

    def _columns(self) -> dict[str, Any]:
        def f(a: Any) -> np.ndarray:
            return np.ravel(np.asarray(a, dtype=float))

        return {
            "launch": np.ravel(np.asarray(self.launch.utc_iso(decimals=0))),
            "arrive": np.ravel(np.asarray(self.arrive.utc_iso(decimals=0))),
            "tof_days": f(self.tof_days), "c3_km2s2": f(self.c3_km2s2),
            "dla_deg": f(self.dla_deg), "rla_deg": f(self.rla_deg),
            "vinf_depart_kms": f(self.vinf_depart_kms),
            "vinf_arrive_kms": f(self.vinf_arrive_kms),
            "arrival_dec_deg": f(self.arrival_dec_deg),
            "dv_depart_kms": f(self.dv_depart_kms), "dv_capture_kms": f(self.dv_capture_kms),
            "dv_total_kms": f(self.dv_total_kms),
            "revs": np.ravel(self.revs), "transfer_type": np.ravel(self.transfer_type),
            "converged": np.ravel(self.status == 0),
        }

    def plot(self, path: Any = None) -> Any:
        """The transfer in the ecliptic with Earth and Mars (plotly,
        :func:`areo.transfer.plots.ecliptic_figure`); saved to ``path`` (.html) when given.
        A scalar transfer only: plot one of a batch with ``tr[i]``."""
        from areo.io.figures import show_or_save
        from areo.transfer.plots import ecliptic_arc, ecliptic_figure

        if np.ndim(self.status) != 0:
            raise ParameterError(f"plot() needs a single transfer, not {np.size(self.status)}:"
                                 " build one transfer(launch, arrive) per plot")
        fig = ecliptic_figure(ecliptic_arc(self), launch_utc=str(self.launch.utc_iso(0)),
                              arrive_utc=str(self.arrive.utc_iso(0)),
                              tof_days=float(self.tof_days))
        return show_or_save(fig, path)

    def to_frame(self) -> pd.DataFrame:
        """One row per transfer: ``launch_utc``, ``arrive_utc`` (``datetime64[ns, UTC]``),
        then the numbers of :meth:`to_dict`."""
        import pandas as pd

        cols = self._columns()
        del cols["launch"], cols["arrive"]
        n = np.size(self.status)
        return pd.DataFrame({
            "launch_utc": utc_column(np.broadcast_to(self.launch.et, np.shape(self.status))),
            "arrive_utc": utc_column(np.broadcast_to(self.arrive.et, np.shape(self.status))),
            **{k: np.broadcast_to(v, (n,)) for k, v in cols.items()},
        })

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; a scalar transfer gives the ``areo transfer --json`` contract
        (c3_km2s2, dla_deg, rla_deg, vinf_depart_kms, vinf_arrive_kms, tof_days, revs,
        converged, ...); a batch gives lists. NaN becomes None."""

        def conv(v: Any) -> Any:
            out = jsonable(np.asarray(v).tolist())
            return out[0] if np.ndim(self.status) == 0 else out

        d = {k: conv(v) for k, v in self._columns().items()}
        d["transfer_type_name"] = (
            type_name(int(self.transfer_type)) if np.ndim(self.status) == 0
            else [type_name(c) for c in np.ravel(self.transfer_type)]
        )
        d["branch"] = (
            ("right" if bool(self.right) else "left") if np.ndim(self.status) == 0
            else np.where(np.ravel(self.right), "right", "left").tolist()
        )
        d["status"] = (
            LambertStatus(int(self.status)).name if np.ndim(self.status) == 0
            else [LambertStatus(int(s)).name for s in np.ravel(self.status)]
        )
        d["parking_alt_km"] = self.parking_alt_km
        d["capture"] = self.capture.to_dict()
        return d

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def __repr__(self) -> str:
        if np.ndim(self.status):
            ok = int(np.count_nonzero(self.status == LambertStatus.CONVERGED))
            return (f"Transfer: {np.size(self.status)} Earth -> Mars transfers of shape "
                    f"{np.shape(self.status)}, {ok} converged")
        return (
            f"Transfer: Earth -> Mars, {str(self.launch.utc_iso(decimals=0))[:10]} to "
            f"{str(self.arrive.utc_iso(decimals=0))[:10]}, {self.tof_days:.1f} d, type "
            f"{type_name(self.transfer_type)}, C3 {self.c3_km2s2:.3f} km2/s2, DLA "
            f"{self.dla_deg:.2f} deg, vinf arrive {self.vinf_arrive_kms:.3f} km/s, "
            f"{LambertStatus(int(self.status)).name}"
        )


def transfer(
    launch: Any,
    arrive: Any,
    *,
    revs: Any = 0,
    right: Any = False,
    parking_alt_km: float = 200.0,
    capture: maneuvers.CaptureOrbit = maneuvers.TGO_CAPTURE,
    ephemeris: Ephemeris | None = None,
) -> Transfer:
    """Ballistic Earth -> Mars transfer(s) leaving at ``launch`` and arriving at ``arrive``.

    Args:
        launch, arrive: anything :class:`~areo.time.Time` accepts; they broadcast.
        revs, right: revolutions N and branch (N >= 1) of the Lambert arc; broadcast.
        parking_alt_km: circular Earth parking orbit altitude for the departure delta-v.
        capture: Mars capture orbit for the insertion delta-v (default TGO's 4-day orbit).
        ephemeris: defaults to DE440.

    Raises:
        ParameterError: arrival not after launch. EpochOutOfRangeError: dates outside the
        ephemeris.

    Example:
        >>> m2020 = transfer("2020-07-30T11:50", "2021-02-18T20:43")   # Perseverance
        >>> round(float(m2020.c3_km2s2), 2), round(float(m2020.vinf_arrive_kms), 2)
        (14.57, 2.55)
    """
    tl = launch if isinstance(launch, Time) else Time(launch)
    ta = arrive if isinstance(arrive, Time) else Time(arrive)
    shape = np.broadcast_shapes(tl.shape, ta.shape, np.shape(revs), np.shape(right))
    etl = np.broadcast_to(tl.et, shape)
    eta = np.broadcast_to(ta.et, shape)
    bad = ~(eta > etl)
    if np.any(bad):
        k = np.flatnonzero(bad.ravel())[0]
        raise ParameterError(
            f"arrival {Time.from_et(eta.ravel()[k]).iso} is not after launch "
            f"{Time.from_et(etl.ravel()[k]).iso}: the time of flight must be > 0; swap the "
            "dates"
        )
    maneuvers._check_alt("parking_alt_km", parking_alt_km)
    earth, mars, pole = endpoint_states(etl.ravel(), eta.ravel(), ephemeris)
    sol = lambert(earth[:, :3], mars[:, :3], (eta - etl).ravel(), GM_SUN,
                  revs=np.broadcast_to(revs, shape).ravel(),
                  right=np.broadcast_to(right, shape).ravel(), ref_axis=ECLIPTIC_POLE)
    v1, v2 = sol.v1, sol.v2
    return Transfer(
        launch=Time.from_et(etl), arrive=Time.from_et(eta),
        v1=v1.reshape((*shape, 3)), v2=v2.reshape((*shape, 3)),
        vinf_depart_vec=(v1 - earth[:, 3:]).reshape((*shape, 3)),
        vinf_arrive_vec=(v2 - mars[:, 3:]).reshape((*shape, 3)),
        mars_pole=pole.reshape((*shape, 3)), revs=np.asarray(sol.revs).reshape(shape),
        right=np.asarray(sol.right).reshape(shape),
        transfer_type=sol.transfer_type.reshape(shape), status=sol.status.reshape(shape),
        parking_alt_km=float(parking_alt_km), capture=capture,
    )
