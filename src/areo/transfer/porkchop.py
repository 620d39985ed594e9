"""Porkchop grids of Earth -> Mars transfers from DE440: C3, DLA/RLA, arrival v-infinity.

>>> from areo.transfer.porkchop import porkchop_span
>>> pc = porkchop_span("2020-07-01", "2020-08-31", "2021-01-15", "2021-03-31", step_days=5)
>>> pc.shape, pc.min_c3().transfer_type_name
((13, 16), 'I')

One compiled kernel fills the grid (numba, cells on threads): per cell, every Lambert branch
up to ``revs`` revolutions is solved and the best by ``select`` kept. Ephemeris states are
evaluated once per unique date. Conventions as in :mod:`areo.transfer.interplanetary`.
Two grid layouts: departure x arrival dates (``arrive=``) or departure x time of flight
(``tof_days=``). Cells whose arrival is not after the launch hold NaN and status 4.
"""

from __future__ import annotations

import os
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import validate
from areo._numba import inp, run
from areo.constants import DAY_S
from areo.ephem import Ephemeris
from areo.errors import ParameterError
from areo.io.records import dumps, utc_column
from areo.time import Time
from areo.transfer import _kernels, maneuvers
from areo.transfer.interplanetary import ECLIPTIC_POLE, endpoint_states, transfer
from areo.transfer.lambert import GM_SUN, type_name

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BYTES_PER_CELL",
    "Porkchop",
    "PorkchopOptions",
    "PorkchopPoint",
    "estimate_bytes",
    "porkchop",
    "porkchop_span",
    "refine_point",
    "span_axes",
]

_SELECT = {"c3": 0, "vinf_arrive": 1, "dv_total": 2}
# Cells from which the grid kernel splits over threads (areo._numba.run): a cell solves up
# to 2 revs + 1 Lambert problems, ~1-5 us.
_PARALLEL_MIN = 200
#: Memory held per grid cell: 7 float64 outputs, 3 int8 codes, the int32 arrival index and
#: the float64 time of flight.
BYTES_PER_CELL = 7 * 8 + 3 + 4 + 8
Progress = Callable[[int, int], None]


def _available_bytes() -> int:
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 8 * 1024**3


def estimate_bytes(n_launch: int, n_arrive: int) -> int:
    """Bytes a porkchop of ``n_launch x n_arrive`` cells holds (outputs and indices)."""
    return int(n_launch) * int(n_arrive) * BYTES_PER_CELL


def _fmt_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}"
        n /= 1024.0
    return f"{n:.1f} TiB"  # pragma: no cover


@dataclass(frozen=True)
class PorkchopPoint:
    """One transfer picked from a grid (or refined): dates, energies, angles, delta-v."""

    launch: Time
    arrive: Time
    c3_km2s2: float
    vinf_arrive_kms: float
    dla_deg: float
    rla_deg: float
    arrival_dec_deg: float
    dv_depart_kms: float
    dv_capture_kms: float
    revs: int
    transfer_type: int

    @property
    def tof_days(self) -> float:
        return float(self.arrive.et - self.launch.et) / DAY_S

    @property
    def vinf_depart_kms(self) -> float:
        return float(np.sqrt(self.c3_km2s2))

    @property
    def dv_total_kms(self) -> float:
        return self.dv_depart_kms + self.dv_capture_kms

    @property
    def transfer_type_name(self) -> str:
        return type_name(self.transfer_type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "launch": str(self.launch.utc_iso(decimals=0)),
            "arrive": str(self.arrive.utc_iso(decimals=0)),
            "c3_km2s2": self.c3_km2s2, "vinf_arrive_kms": self.vinf_arrive_kms,
            "vinf_depart_kms": self.vinf_depart_kms, "tof_days": self.tof_days,
            "dla_deg": self.dla_deg, "rla_deg": self.rla_deg,
            "arrival_dec_deg": self.arrival_dec_deg, "dv_depart_kms": self.dv_depart_kms,
            "dv_capture_kms": self.dv_capture_kms, "dv_total_kms": self.dv_total_kms,
            "revs": self.revs, "transfer_type": self.transfer_type_name,
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def to_frame(self):
        """This transfer as a one-row table: ``launch_utc``, ``arrive_utc``
        (``datetime64[ns, UTC]``) and the numbers of :meth:`to_dict`."""
        import pandas as pd

        d = self.to_dict()
        del d["launch"], d["arrive"]
        return pd.DataFrame({"launch_utc": utc_column(self.launch.et),
                             "arrive_utc": utc_column(self.arrive.et),
                             **{k: [v] for k, v in d.items()}})

    def __repr__(self) -> str:
        return (
            f"PorkchopPoint: {str(self.launch.utc_iso(decimals=0))[:10]} to "
            f"{str(self.arrive.utc_iso(decimals=0))[:10]}, {self.tof_days:.1f} d, type "
            f"{self.transfer_type_name}, C3 {self.c3_km2s2:.3f} km2/s2, vinf arrive "
            f"{self.vinf_arrive_kms:.3f} km/s, dv {self.dv_total_kms:.3f} km/s"
        )


@dataclass(frozen=True, repr=False)
class Porkchop:
    """A grid of transfers: axis 0 launch dates, axis 1 arrival dates (or times of flight).

    Attributes (arrays of shape ``(n_launch, n_arrive)`` unless said):
        launch: launch epochs (1-D :class:`~areo.time.Time`).
        arrive_et: arrival epochs, TDB s past J2000.
        arrive: the arrival axis (1-D Time) in date x date mode, else None.
        tof_axis_days: the time-of-flight axis in departure x TOF mode, else None.
        c3_km2s2, vinf_arrive_kms, dla_deg, rla_deg, arrival_dec_deg, dv_depart_kms,
        dv_capture_kms: per cell, NaN where no transfer.
        revs (int8, -1 none), transfer_type (int8: 1 I, 2 II, ...), status (Lambert codes).
        seconds: wall time of the computation, s.
    """

    launch: Time
    arrive_et: np.ndarray
    arrive: Time | None
    tof_axis_days: np.ndarray | None
    c3_km2s2: np.ndarray
    vinf_arrive_kms: np.ndarray
    dla_deg: np.ndarray
    rla_deg: np.ndarray
    arrival_dec_deg: np.ndarray
    dv_depart_kms: np.ndarray
    dv_capture_kms: np.ndarray
    revs: np.ndarray
    transfer_type: np.ndarray
    status: np.ndarray
    max_revs: int
    select: str
    parking_alt_km: float
    capture: maneuvers.CaptureOrbit
    seconds: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.c3_km2s2.shape  # type: ignore[return-value]

    @property
    def tof_days(self) -> np.ndarray:
        return (self.arrive_et - self.launch.et[:, None]) / DAY_S

    @property
    def vinf_depart_kms(self) -> np.ndarray:
        return np.sqrt(self.c3_km2s2)

    @property
    def dv_total_kms(self) -> np.ndarray:
        return self.dv_depart_kms + self.dv_capture_kms

    def _field(self, name: str) -> np.ndarray:
        if name in ("c3", "c3_km2s2"):
            return self.c3_km2s2
        if name in ("vinf_arrive", "vinf_arrive_kms"):
            return self.vinf_arrive_kms
        if name in ("dv_total", "dv_total_kms"):
            return self.dv_total_kms
        raise ParameterError(
            f"objective {name!r} is unknown: use 'c3', 'vinf_arrive' or 'dv_total'"
        )

    def point(self, i: int, j: int) -> PorkchopPoint:
        """The transfer of cell (i, j)."""
        return PorkchopPoint(
            launch=self.launch[int(i)], arrive=Time.from_et(self.arrive_et[i, j]),
            c3_km2s2=float(self.c3_km2s2[i, j]),
            vinf_arrive_kms=float(self.vinf_arrive_kms[i, j]),
            dla_deg=float(self.dla_deg[i, j]), rla_deg=float(self.rla_deg[i, j]),
            arrival_dec_deg=float(self.arrival_dec_deg[i, j]),
            dv_depart_kms=float(self.dv_depart_kms[i, j]),
            dv_capture_kms=float(self.dv_capture_kms[i, j]),
            revs=int(self.revs[i, j]), transfer_type=int(self.transfer_type[i, j]),
        )

    def argmin(self, objective: str = "c3", mask: np.ndarray | None = None) -> tuple[int, int]:
        """Cell index of the minimum of ``objective`` ('c3', 'vinf_arrive', 'dv_total') among
        cells where ``mask`` is True (default all); raises if no cell qualifies."""
        f = self._field(objective)
        ok = np.isfinite(f) if mask is None else (np.isfinite(f) & mask)
        if not ok.any():
            raise ParameterError(
                f"no transfer in this grid satisfies the constraints for minimum {objective}: "
                "widen the date ranges or relax the ceilings"
            )
        k = int(np.argmin(np.where(ok, f, np.inf)))
        return divmod(k, self.shape[1])

    def minimum(self, objective: str = "c3", mask: np.ndarray | None = None,
                refine: bool = False) -> PorkchopPoint:
        """Grid minimum of ``objective``; ``refine=True`` polishes it continuously in
        (launch, arrival) for the same revolutions/branch (Nelder-Mead, inside the grid's
        date box), so the answer does not depend on the grid step."""
        i, j = self.argmin(objective, mask)
        p = self.point(i, j)
        if not refine:
            return p
        return refine_point(p, objective, self.parking_alt_km, self.capture,
                            bounds=(float(self.launch.et.min()), float(self.launch.et.max()),
                                    float(np.nanmin(self.arrive_et)),
                                    float(np.nanmax(self.arrive_et))))

    def min_c3(self, refine: bool = False) -> PorkchopPoint:
        return self.minimum("c3", refine=refine)

    def min_vinf_arrive(self, refine: bool = False) -> PorkchopPoint:
        return self.minimum("vinf_arrive", refine=refine)

    def min_dv_total(self, refine: bool = False) -> PorkchopPoint:
        return self.minimum("dv_total", refine=refine)

    def to_frame(self) -> pd.DataFrame:
        """Long table, one row per cell with a transfer: ``launch_utc``, ``arrive_utc``
        (``datetime64[ns, UTC]``), ``tof_days``, ``c3_km2s2``, ..."""
        import pandas as pd

        ok = np.isfinite(self.c3_km2s2)
        ii, jj = np.nonzero(ok)
        return pd.DataFrame({
            "launch_utc": utc_column(np.atleast_1d(self.launch.et)[ii]),
            "arrive_utc": utc_column(self.arrive_et[ii, jj]),
            "tof_days": self.tof_days[ii, jj], "c3_km2s2": self.c3_km2s2[ok],
            "vinf_depart_kms": self.vinf_depart_kms[ok], "dla_deg": self.dla_deg[ok],
            "rla_deg": self.rla_deg[ok], "vinf_arrive_kms": self.vinf_arrive_kms[ok],
            "arrival_dec_deg": self.arrival_dec_deg[ok],
            "dv_depart_kms": self.dv_depart_kms[ok], "dv_capture_kms": self.dv_capture_kms[ok],
            "dv_total_kms": self.dv_total_kms[ok], "revs": self.revs[ok],
            "transfer_type": self.transfer_type[ok],
        })

    def to_dict(self, refine: bool = False) -> dict[str, Any]:
        """Summary for JSON (the ``areo porkchop --json`` contract): min_c3, min_vinf_arrive,
        min_dv_total (launch, arrive, c3_km2s2, vinf_arrive_kms, ...), grid_shape, seconds."""
        return {
            "min_c3": self.min_c3(refine).to_dict(),
            "min_vinf_arrive": self.min_vinf_arrive(refine).to_dict(),
            "min_dv_total": self.min_dv_total(refine).to_dict(),
            "grid_shape": list(self.shape),
            "seconds": self.seconds,
            "max_revs": self.max_revs,
            "select": self.select,
            "parking_alt_km": self.parking_alt_km,
            "capture": self.capture.to_dict(),
            "cells_with_transfer": int(np.count_nonzero(np.isfinite(self.c3_km2s2))),
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None, **kwargs: Any) -> Any:
        """Contour plot; see :func:`areo.transfer.plots.plot_porkchop`."""
        from areo.transfer.plots import plot_porkchop

        return plot_porkchop(self, path, **kwargs)

    def __repr__(self) -> str:
        n = int(np.count_nonzero(np.isfinite(self.c3_km2s2)))
        l0, l1 = (str(x)[:10] for x in self.launch.utc_iso(decimals=0)[[0, -1]])
        text = (f"Porkchop: {self.shape[0]} x {self.shape[1]} grid, launch {l0} to {l1}, {n} "
                f"transfers, revs <= {self.max_revs}, {self.seconds:.3f} s")
        if n:
            text += f", min C3 {np.nanmin(self.c3_km2s2):.3f} km2/s2"
        return text


@dataclass(frozen=True)
class PorkchopOptions:
    """The tuning knobs of :func:`porkchop` and :func:`porkchop_span`, checked once when
    built: ``PorkchopOptions(revs=1, select="dv_total")``."""

    #: Most full revolutions of the Lambert arcs, a whole number in 0-20 (0: direct arcs
    #: only); 0.
    revs: int = 0
    #: Branch each cell keeps where several exist: 'c3', 'vinf_arrive' or 'dv_total'; 'c3'.
    select: str = "c3"
    #: Earth circular parking orbit altitude of the departure delta-v, km >= 0; 200.
    parking_alt_km: float = 200.0
    #: Mars capture orbit of the capture delta-v; TGO's (:data:`maneuvers.TGO_CAPTURE`).
    capture: maneuvers.CaptureOrbit = maneuvers.TGO_CAPTURE
    #: Most memory the grid may take, bytes > 0; None: half the available RAM.
    max_bytes: int | None = None

    def __post_init__(self) -> None:
        try:
            whole = not isinstance(self.revs, bool) and float(self.revs).is_integer()
        except (TypeError, ValueError):
            whole = False
        if not (whole and 0 <= self.revs <= 20):
            raise ParameterError(f"revs {self.revs!r} must be a whole number of revolutions "
                                 "in 0..20")
        object.__setattr__(self, "revs", int(self.revs))
        if self.select not in _SELECT:
            raise ParameterError(f"select {self.select!r} is unknown: use one of "
                                 f"{', '.join(_SELECT)}")
        validate.non_negative(self.parking_alt_km, "parking_alt_km", unit="km",
                              hint="an altitude above the equatorial radius, e.g. 200")
        if not isinstance(self.capture, maneuvers.CaptureOrbit):
            raise ParameterError(f"capture {self.capture!r} must be a CaptureOrbit, e.g. "
                                 "CaptureOrbit.from_period(250, 4 * 86400)")
        if self.max_bytes is not None:
            validate.positive(self.max_bytes, "max_bytes", unit="bytes",
                              hint="None for half the available memory")


def porkchop(
    launch: Any,
    arrive: Any = None,
    options: PorkchopOptions = PorkchopOptions(),  # frozen: one shared default is safe
    *,
    tof_days: Any = None,
    ephemeris: Ephemeris | None = None,
    progress: Progress | None = None,
    client: Any = None,
    **overrides: Any,
) -> Porkchop:
    """Porkchop grid of Earth -> Mars transfers.

    Args:
        launch: 1-D launch epochs (anything :class:`~areo.time.Time` accepts).
        arrive: 1-D arrival epochs (date x date grid); or give ``tof_days`` instead
            (1-D times of flight in days, departure x TOF grid).
        options: the :class:`PorkchopOptions` (revolutions, branch selection, parking and
            capture orbits of the delta-v, memory limit); ``**overrides`` replaces some of
            its fields (``porkchop(tl, ta, revs=1)``).
        ephemeris: defaults to DE440.
        progress: called as ``progress(rows_done, rows_total)`` between chunks of rows.
        client: None computes here (the kernel threads); ``"serial"``, a Dask scheduler
            address or a ``distributed.Client`` farms contiguous blocks of launch rows out
            through :mod:`areo._batch` (a grid too big for one machine's time). Every cell
            is computed exactly as here, so the grid is the same, bit for bit.

    Raises:
        ParameterError: no arrival after any launch, grid too large for memory (with the
        estimate), bad options. EpochOutOfRangeError: dates outside the ephemeris.

    Example:
        >>> from areo.time import Time
        >>> pc = porkchop(Time.linspace("2028-10-01", "2028-12-31", 10),
        ...               Time.linspace("2029-08-01", "2029-11-30", 10))
        >>> pc.shape, round(float(pc.min_c3().c3_km2s2), 1)
        ((10, 10), 9.0)
    """
    opt = validate.with_overrides(options, overrides, kind=PorkchopOptions, where="porkchop")
    if client is not None:
        return _porkchop_on_engine(launch, arrive, tof_days, opt, ephemeris, client)
    revs, select, parking_alt_km, capture = opt.revs, opt.select, opt.parking_alt_km, \
        opt.capture
    if (arrive is None) == (tof_days is None):
        raise ParameterError("give either arrive (dates) or tof_days (days), not both/neither")
    t0 = _time.perf_counter()
    tl = launch if isinstance(launch, Time) else Time(launch)
    et_l = np.ascontiguousarray(np.atleast_1d(tl.et).astype(float).ravel())
    if et_l.size == 0:
        raise ParameterError("launch dates are empty: give at least one date")
    if arrive is not None:
        ta = arrive if isinstance(arrive, Time) else Time(arrive)
        et_u = np.ascontiguousarray(np.atleast_1d(ta.et).astype(float).ravel())
        n_a = et_u.size
        tof_axis = None
        arrive_axis: Time | None = Time.from_et(et_u)
    else:
        tof_axis = np.atleast_1d(np.asarray(tof_days, dtype=float)).ravel()
        if not np.all(np.isfinite(tof_axis)) or np.any(tof_axis <= 0):
            raise ParameterError(
                f"tof_days must be finite positive days, got min {np.min(tof_axis)}: "
                "give times of flight > 0"
            )
        n_a = tof_axis.size
        arrive_axis = None
        et_u = np.empty(0)
    if n_a == 0:
        raise ParameterError("arrival dates / times of flight are empty: give at least one")
    need = estimate_bytes(et_l.size, n_a)
    limit = int(opt.max_bytes) if opt.max_bytes is not None else _available_bytes() // 2
    if need > limit:
        raise ParameterError(
            f"porkchop grid {et_l.size} x {n_a} = {et_l.size * n_a:,} cells needs about "
            f"{_fmt_bytes(need)}, more than the {_fmt_bytes(limit)} allowed (half the free "
            "memory unless max_bytes is given): use a larger step or shorter date ranges"
        )
    if arrive is not None:
        if not (et_u.max() > et_l.min()):
            raise ParameterError(
                f"every arrival date (latest {Time.from_et(et_u.max()).iso}) is before the "
                f"first launch date {Time.from_et(et_l.min()).iso}: arrival must come after "
                "launch"
            )
        idx = np.broadcast_to(np.arange(n_a, dtype=np.int32), (et_l.size, n_a)).copy()
    else:
        grid = et_l[:, None] + tof_axis[None, :] * DAY_S
        # Round to 1 us so that dates shared by several cells are evaluated once.
        et_u, inv = np.unique(np.round(grid, 6), return_inverse=True)
        idx = inv.reshape(grid.shape).astype(np.int32)
    earth, mars, pole = endpoint_states(et_l, et_u, ephemeris)
    cap_rp, cap_vp = capture.rp_km, capture.vp_kms
    mu_e, r_e = maneuvers._mu_radius("earth")
    r_park = r_e + float(maneuvers._check_alt("parking_alt_km", parking_alt_km))
    mu_m = capture.mu
    shape = (et_l.size, n_a)
    outs = [np.empty(shape) for _ in range(7)]
    codes = [np.empty(shape, dtype=np.int8) for _ in range(3)]
    cells_per_chunk = 1 << 18
    rows = max(1, cells_per_chunk // n_a) if progress is not None else et_l.size
    # Normalised arguments (read-only float64/int32 inputs, Python scalars): one signature.
    et_l_k, earth_k, idx_k = inp(et_l), inp(earth), inp(idx, np.int32)
    fixed = (inp(et_u), inp(mars), inp(pole))
    consts = (float(GM_SUN), inp(ECLIPTIC_POLE), int(revs), _SELECT[select], True,
              float(mu_e), float(r_park), float(mu_m), float(cap_rp), float(cap_vp))
    for i0 in range(0, et_l.size, rows):
        i1 = min(et_l.size, i0 + rows)
        run(_kernels.porkchop_grid, (i1 - i0) * n_a, (
            et_l_k[i0:i1], earth_k[i0:i1], *fixed, idx_k[i0:i1], *consts,
            *(o[i0:i1] for o in outs), *(c[i0:i1] for c in codes),
        ), _PARALLEL_MIN)
        if progress is not None:
            progress(i1, et_l.size)
    c3, va, dla, rla, dap, dvd, dvc = outs
    return Porkchop(
        launch=Time.from_et(et_l), arrive_et=et_u[idx], arrive=arrive_axis,
        tof_axis_days=tof_axis, c3_km2s2=c3, vinf_arrive_kms=va, dla_deg=dla, rla_deg=rla,
        arrival_dec_deg=dap, dv_depart_kms=dvd, dv_capture_kms=dvc, revs=codes[0],
        transfer_type=codes[1], status=codes[2], max_revs=int(revs), select=select,
        parking_alt_km=float(parking_alt_km), capture=capture,
        seconds=_time.perf_counter() - t0,
    )


#: The fields of a porkchop that hold one value per cell (stacked by launch rows).
_CELL_FIELDS = ("arrive_et", "c3_km2s2", "vinf_arrive_kms", "dla_deg", "rla_deg",
                "arrival_dec_deg", "dv_depart_kms", "dv_capture_kms", "revs",
                "transfer_type", "status")


def porkchop_rows(inputs: Any, seed: int, chunk_id: int) -> dict[str, Any]:
    """A block of launch rows of a porkchop (the chunk function of :func:`porkchop` on
    :mod:`areo._batch`): ``inputs`` = (launch TDB s, arrival TDB s or None, times of flight
    in days or None, the :class:`PorkchopOptions`); returns the rows' cell arrays."""
    et_l, et_a, tof, opt = inputs
    pc = porkchop(Time.from_et(np.asarray(et_l, dtype=float)),
                  None if et_a is None else Time.from_et(np.asarray(et_a, dtype=float)), opt,
                  tof_days=tof)
    return {f: np.asarray(getattr(pc, f)) for f in _CELL_FIELDS}


def _porkchop_on_engine(launch: Any, arrive: Any, tof_days: Any, opt: PorkchopOptions,
                        ephemeris: Any, client: Any) -> Porkchop:
    from areo._batch import Chunk, map_chunks

    if ephemeris is not None:
        raise ParameterError("porkchop: client= computes on DE440 in each worker; a custom "
                             "ephemeris cannot travel: drop ephemeris= or client=")
    if (arrive is None) == (tof_days is None):
        raise ParameterError("give either arrive (dates) or tof_days (days), not both/neither")
    t0 = _time.perf_counter()
    tl = launch if isinstance(launch, Time) else Time(launch)
    et_l = np.atleast_1d(np.asarray(tl.et, dtype=float)).ravel()
    if et_l.size == 0:
        raise ParameterError("launch dates are empty: give at least one date")
    et_a = None if arrive is None else np.atleast_1d(np.asarray(
        (arrive if isinstance(arrive, Time) else Time(arrive)).et, dtype=float)).ravel()
    tof = None if tof_days is None else np.atleast_1d(np.asarray(tof_days, dtype=float))
    # blocks of rows of ~1e5 cells: seconds of work each, never one task per cell
    n_cols = et_a.size if et_a is not None else tof.size
    rows = max(1, 100_000 // max(1, n_cols))
    chunks = [Chunk(k, (et_l[i:i + rows], et_a, tof, opt), 0)
              for k, i in enumerate(range(0, et_l.size, rows))]
    parts = map_chunks(porkchop_rows, chunks, client=client)
    cells = {f: np.concatenate([p[f] for p in parts]) for f in _CELL_FIELDS}
    return Porkchop(
        launch=Time.from_et(et_l), arrive_et=cells["arrive_et"],
        arrive=None if et_a is None else Time.from_et(et_a),
        tof_axis_days=tof, c3_km2s2=cells["c3_km2s2"],
        vinf_arrive_kms=cells["vinf_arrive_kms"], dla_deg=cells["dla_deg"],
        rla_deg=cells["rla_deg"], arrival_dec_deg=cells["arrival_dec_deg"],
        dv_depart_kms=cells["dv_depart_kms"], dv_capture_kms=cells["dv_capture_kms"],
        revs=cells["revs"], transfer_type=cells["transfer_type"], status=cells["status"],
        max_revs=int(opt.revs), select=opt.select, parking_alt_km=float(opt.parking_alt_km),
        capture=opt.capture, seconds=_time.perf_counter() - t0,
    )


def porkchop_span(
    launch_from: Any, launch_to: Any, arrive_from: Any, arrive_to: Any,
    step_days: float = 1.0,
    options: PorkchopOptions = PorkchopOptions(),  # frozen: one shared default is safe
    *,
    ephemeris: Ephemeris | None = None,
    progress: Progress | None = None,
    client: Any = None,
    **overrides: Any,
) -> Porkchop:
    """Date x date porkchop every ``step_days`` over the two spans (ends included); the
    other arguments as in :func:`porkchop`."""
    opt = validate.with_overrides(options, overrides, kind=PorkchopOptions,
                                  where="porkchop_span")
    tl, ta = span_axes(launch_from, launch_to, arrive_from, arrive_to, step_days,
                       opt.max_bytes)
    return porkchop(tl, ta, opt, ephemeris=ephemeris, progress=progress, client=client)


def span_axes(
    launch_from: Any, launch_to: Any, arrive_from: Any, arrive_to: Any,
    step_days: float = 1.0, max_bytes: int | None = None,
) -> tuple[Time, Time]:
    """Launch and arrival axes every ``step_days`` (ends included), after checking the spans
    and the memory the grid would need (raises before any work)."""
    if not (np.isfinite(step_days) and step_days > 0):
        raise ParameterError(f"step_days {step_days} must be a positive number of days")
    tl0, tl1, ta0, ta1 = (Time(x) for x in (launch_from, launch_to, arrive_from, arrive_to))
    for a, b, what in ((tl0, tl1, "launch"), (ta0, ta1, "arrival")):
        if float(b.et) < float(a.et):
            raise ParameterError(
                f"{what} span ends ({b.iso}) before it starts ({a.iso}): swap the dates"
            )
    if float(ta1.et) <= float(tl0.et):
        raise ParameterError(
            f"the arrival span ends ({ta1.iso}) before the first launch ({tl0.iso}): arrival "
            "must come after launch"
        )
    n_l = int((float(tl1.et) - float(tl0.et)) / (step_days * DAY_S)) + 1
    n_a = int((float(ta1.et) - float(ta0.et)) / (step_days * DAY_S)) + 1
    need = estimate_bytes(n_l, n_a)
    limit = max_bytes if max_bytes is not None else _available_bytes() // 2
    if need > limit:
        raise ParameterError(
            f"porkchop grid {n_l} x {n_a} = {n_l * n_a:,} cells at {step_days} d steps needs "
            f"about {_fmt_bytes(need)}, more than the {_fmt_bytes(limit)} allowed (half the "
            "free memory unless max_bytes is given): use a larger step or shorter spans"
        )
    return (Time.arange(tl0, tl1, step_days * DAY_S),
            Time.arange(ta0, ta1, step_days * DAY_S))


def refine_point(
    p: PorkchopPoint,
    objective: str = "c3",
    parking_alt_km: float = 200.0,
    capture: maneuvers.CaptureOrbit = maneuvers.TGO_CAPTURE,
    bounds: Sequence[float] | None = None,
    ephemeris: Ephemeris | None = None,
) -> PorkchopPoint:
    """Polish a grid minimum in continuous (launch, arrival) with Nelder-Mead (scipy), same
    revolutions; the type (branch) is kept by rejecting points of another type."""
    from scipy.optimize import minimize

    right = False
    if p.revs > 0:
        right = p.transfer_type % 2 == 0  # both branches share N; pick by re-solving below
    t0l, t0a = float(p.launch.et), float(p.arrive.et)
    lo_l, hi_l, lo_a, hi_a = bounds if bounds is not None else (-np.inf, np.inf, -np.inf,
                                                                 np.inf)

    def build(z: np.ndarray, rb: bool) -> Any:
        etl, eta = t0l + z[0] * DAY_S, t0a + z[1] * DAY_S
        if not (lo_l <= etl <= hi_l and lo_a <= eta <= hi_a and eta > etl):
            return None
        return transfer(Time.from_et(etl), Time.from_et(eta), revs=p.revs, right=rb,
                        parking_alt_km=parking_alt_km, capture=capture, ephemeris=ephemeris)

    def value(tr: Any) -> float:
        if tr is None or not tr.converged or int(tr.transfer_type) != p.transfer_type:
            return np.inf
        return float({"c3": tr.c3_km2s2, "vinf_arrive": tr.vinf_arrive_kms,
                      "dv_total": tr.dv_total_kms}[objective])

    if p.revs > 0:  # the grid kept the better branch; find which one it was
        a, b = value(build(np.zeros(2), False)), value(build(np.zeros(2), True))
        right = b < a
    res = minimize(lambda z: value(build(z, right)), np.zeros(2), method="Nelder-Mead",
                   options={"xatol": 1e-4, "fatol": 1e-10, "initial_simplex":
                            np.array([[0.0, 0.0], [0.5, 0.0], [0.0, 0.5]]), "maxiter": 400})
    tr = build(res.x, right)
    if tr is None or value(tr) > value(build(np.zeros(2), right)):
        tr = build(np.zeros(2), right)
    if tr is None:
        return p
    return PorkchopPoint(
        launch=tr.launch, arrive=tr.arrive, c3_km2s2=float(tr.c3_km2s2),
        vinf_arrive_kms=float(tr.vinf_arrive_kms), dla_deg=float(tr.dla_deg),
        rla_deg=float(tr.rla_deg), arrival_dec_deg=float(tr.arrival_dec_deg),
        dv_depart_kms=float(tr.dv_depart_kms), dv_capture_kms=float(tr.dv_capture_kms),
        revs=int(tr.revs), transfer_type=int(tr.transfer_type),
    )
