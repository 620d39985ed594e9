"""The second hop: orbiter-to-Earth X-band contacts, data rate, light time and latency.

A contact with a ground station is possible while Mars stands above the station's
elevation mask, the orbiter is not hidden behind Mars as seen from that station, and the
Sun-Earth-Mars angle is above the solar-conjunction moratorium (about 2-3 deg: the solar
corona corrupts the link; operations stop commanding for a couple of weeks every 26
months). Mars rather than the orbiter is used for the station's elevation: an orbiter is
at most ~10^5 km from Mars, under 0.003 deg at the closest Earth-Mars distance.

The X-band rate scales with the inverse square of the Earth-Mars distance from a reference
point (the received power does), capped by the radio's maximum and floored by its minimum
useful rate; ``XBandLink`` holds those three numbers with their source.

End-to-end latency of a data product: from the end of the relay pass that carried it to
the start of the next usable Earth contact (or at once if one is under way), plus the
one-way light time at that moment.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from areo.constants import AU_KM
from areo.ephem import default_ephemeris, look, solar_conjunctions
from areo.errors import ParameterError
from areo.events.finder import find_windows_multi, span_et
from areo.events.occultation import earth_occultations
from areo.events.windows import Windows
from areo.frames.earth import EarthOrientationTable
from areo.frames.topocentric import look_angles, surface_point
from areo.io.records import collection, dumps, span_text, utc_column
from areo.time import Time

#: Edge tolerance (s) of the tabulated Mars visibility: refinement epochs are cheap there.
_EDGE_TOL_S = 1e-4
#: Longest piece of a span searched at once for visibility and occultations, s (30 days:
#: ~15 MB of samples at the occultation search's 60 s step).
_CHUNK_S = 30.0 * 86400.0

__all__ = ["Contacts", "XBandLink", "earth_contacts", "mars_visibility",
           "next_contact_latency"]


@dataclass(frozen=True)
class XBandLink:
    """Orbiter-to-Earth X-band rate model: ``rate = ref_rate * (ref_distance / d)^2``,
    clipped to ``[min_rate_bps, max_rate_bps]`` (below the minimum the link is closed)."""

    name: str
    ref_rate_bps: float
    ref_distance_km: float
    max_rate_bps: float
    min_rate_bps: float
    source: str

    def __post_init__(self) -> None:
        values = (self.ref_rate_bps, self.ref_distance_km, self.max_rate_bps)
        if not all(np.isfinite(v) and v > 0 for v in values) or self.min_rate_bps < 0:
            raise ParameterError(
                f"X-band link {self.name!r}: rates and the reference distance must be "
                "positive numbers (bits/s, km)"
            )

    def rate_bps(self, distance_km: Any) -> Any:
        """Downlink rate (bit/s) at Earth-Mars distances ``distance_km``; 0 when closed."""
        d = np.asarray(distance_km, dtype=float)
        if np.any(~np.isfinite(d)) or np.any(d <= 0):
            raise ParameterError("distance_km must be positive and finite (km)")
        rate = np.minimum(self.ref_rate_bps * (self.ref_distance_km / d) ** 2,
                          self.max_rate_bps)
        rate = np.where(rate >= self.min_rate_bps, rate, 0.0)
        return rate[()] if rate.ndim == 0 else rate


#: MRO-like X-band return: 0.5 to 4 Mb/s over the Earth-Mars distance range, 6 Mb/s at
#: most (NASA MRO communications page, mars.nasa.gov/mro/mission/communications); the
#: inverse-square reference is representative: 4 Mb/s at 0.7 AU reaches 0.5 Mb/s at 2 AU.
MRO_LIKE_XBAND = XBandLink(
    name="MRO-like X-band to a 34 m antenna",
    ref_rate_bps=4.0e6,
    ref_distance_km=0.7 * AU_KM,
    max_rate_bps=6.0e6,
    min_rate_bps=1.0e5,
    source=(
        "representative: 0.5-4 Mb/s, 6 Mb/s maximum (NASA MRO communications page); "
        "inverse-square scaling from 4 Mb/s at 0.7 AU"
    ),
)


@dataclass(frozen=True)
class Contacts:
    """Usable Earth contacts of one orbiter: windows per station and their union.

    ``span_et``: the searched span (TDB s); a contact that starts at its start (ends at its
    end) is reported with ``clipped_start`` (``clipped_end``) true: it began before the
    span (goes on after it), so its edge there is not an acquisition (a loss) of Mars.
    """

    orbiter: str
    by_station: dict[str, Windows]
    conjunctions: Windows
    mars_visible: dict[str, Windows]
    span_et: tuple[float, float] | None = None

    @property
    def any_station(self) -> Windows:
        out = Windows()
        for w in self.by_station.values():
            out = out | w
        return out

    def _items(self) -> list[tuple[str, float, float]]:
        """(station, start_et, end_et) of every contact, in time order."""
        items = [(name, float(s), float(e)) for name, win in self.by_station.items()
                 for s, e in zip(win.starts, win.ends, strict=True)]
        return sorted(items, key=lambda x: x[1])

    def _clipped(self, s: float, e: float) -> tuple[bool, bool]:
        t0, t1 = self.span_et if self.span_et is not None else (-np.inf, np.inf)
        return bool(s <= t0), bool(e >= t1)

    def to_records(self) -> list[dict[str, Any]]:
        """``[{orbiter, station, start, end, duration_s, clipped_start, clipped_end}]`` in
        time order (UTC ISO strings)."""
        rows = []
        for name, win in self.by_station.items():
            for row, s, e in zip(win.to_records(), win.starts, win.ends, strict=True):
                cut_s, cut_e = self._clipped(s, e)
                rows.append({"orbiter": self.orbiter, "station": name, **row,
                             "clipped_start": cut_s, "clipped_end": cut_e})
        rows.sort(key=lambda r: r["start"])
        return rows

    def to_dict(self) -> dict[str, Any]:
        """``{"kind": "Contacts", "orbiter", "stations", "conjunctions" (Windows records),
        "count", "items": to_records()}``."""
        return collection("Contacts", self.to_records(), orbiter=self.orbiter,
                          stations=list(self.by_station),
                          conjunctions=self.conjunctions.to_records())

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The contacts on a UTC timeline, a row per station (plotly,
        :func:`areo.io.figures.timeline_figure`); saved to ``path`` (.html) when given."""
        from areo.io.figures import show_or_save, timeline_figure

        fig = timeline_figure(
            self.to_frame(),
            row="station",
            hover=("orbiter",),
            title=repr(self),
        )
        return show_or_save(fig, path)

    def to_frame(self):
        """One row per contact: ``orbiter``, ``station``, ``start_utc``, ``end_utc``
        (``datetime64[ns, UTC]``), ``duration_s``, ``clipped_start``, ``clipped_end``."""
        import pandas as pd

        items = self._items()
        s = np.array([x[1] for x in items], dtype=float)
        e = np.array([x[2] for x in items], dtype=float)
        cut = [self._clipped(a, b) for a, b in zip(s, e, strict=True)]
        return pd.DataFrame({
            "orbiter": [self.orbiter] * len(items), "station": [x[0] for x in items],
            "start_utc": utc_column(s), "end_utc": utc_column(e), "duration_s": e - s,
            "clipped_start": np.array([c[0] for c in cut], dtype=bool),
            "clipped_end": np.array([c[1] for c in cut], dtype=bool),
        })

    def __repr__(self) -> str:
        total = self.any_station.total_duration / 3600.0
        items = self._items()
        span = span_text(items[0][1], max(x[2] for x in items)) if items else "none found"
        return (
            f"Contacts: {len(items)} Earth contacts of {self.orbiter} through "
            f"{len(self.by_station)} stations, {total:.1f} h with at least one, "
            f"{len(self.conjunctions)} conjunction moratoria, {span}"
        )


def earth_contacts(
    orbiter: Any,
    stations: Sequence[str],
    start: Any,
    stop: Any,
    *,
    min_elev_deg: float | dict[str, float] = 10.0,
    conjunction_deg: float = 3.0,
    step_s: float = 600.0,
    name: str = "",
    mars_visible: list[Windows] | None = None,
) -> Contacts:
    """When an orbiter can downlink to each of ``stations`` (catalog names).

    Mars above the station mask (light-time corrected, 10 deg by default or a mask per
    station), the orbiter not occulted by Mars as seen from the Earth (epochs of reception;
    the station's parallax shifts occultation edges by seconds at most), and the
    Sun-Earth-Mars angle above ``conjunction_deg``. ``mars_visible`` (one Windows per
    station, from :func:`mars_visibility`) spares recomputing what all orbiters share.
    """
    if not stations:
        raise ParameterError("give at least one ground station (e.g. 'new norcia', 'DSS-43')")
    if not (np.isfinite(conjunction_deg) and 0.0 <= conjunction_deg < 90.0):
        raise ParameterError(
            f"conjunction_deg {conjunction_deg} must be within [0, 90): use ~2-3 deg"
        )
    visible = (mars_visible if mars_visible is not None
               else mars_visibility(stations, start, stop, min_elev_deg=min_elev_deg,
                                    step_s=step_s))
    t0, t1 = float(Time(start).et), float(Time(stop).et)
    conj = Windows()
    if conjunction_deg > 0.0:
        found = solar_conjunctions(Time.from_et(t0), Time.from_et(t1),
                                   max_sep_deg=conjunction_deg)
        conj = Windows([float(c.start.et) for c in found], [float(c.end.et) for c in found])
    # Occultations seen from the Earth's centre, once for all stations: a station's 6400 km
    # parallax moves the edges by a few seconds at most, nothing for contact planning.
    hidden = Windows()
    for a, b in _chunks(t0, t1):
        hidden = hidden | earth_occultations(orbiter, a, b, observer="earth",
                                             epochs_at="observer", step_s=60.0)
    by_station = {}
    for st, win in zip(stations, visible, strict=True):
        by_station[st] = (win - hidden - conj).filter(min_duration=1.0)
    label = name or str(getattr(orbiter, "name", "") or "orbiter")
    return Contacts(label, by_station, conj, dict(zip(stations, visible, strict=True)),
                    span_et=(t0, t1))


def mars_visibility(
    stations: Sequence[str],
    start: Any,
    stop: Any,
    *,
    min_elev_deg: float | dict[str, float] = 10.0,
    step_s: float = 600.0,
    exact: bool = False,
) -> list[Windows]:
    """When Mars stands above each station's mask (light-time corrected), one Windows each.

    The event finder brackets each rise and set on a ``step_s`` grid and refines it to
    0.1 ms (``exact``: 1 ms). Earth orientation: IAU 2006/2000A tabulated over the span
    (:class:`areo.frames.earth.EarthOrientationTable`: within a few microarcseconds of
    erfa at every epoch, so the edges move by well under a millisecond). ``exact``: erfa's
    IAU 2000B chain at every epoch instead (within 1 mas of 2006A; ten times slower), the
    reference the tabulated default is tested against.
    """
    if not stations:
        raise ParameterError("give at least one ground station (e.g. 'new norcia', 'DSS-43')")
    masks = []
    for st in stations:
        mask = min_elev_deg.get(st, 10.0) if isinstance(min_elev_deg, dict) else min_elev_deg
        if not (np.isfinite(mask) and -90.0 < mask < 90.0):
            raise ParameterError(f"elevation mask {mask} deg for {st!r} is outside (-90, 90)")
        masks.append(np.radians(mask))
    eph = default_ephemeris()

    def exact_margin(et: np.ndarray, which: np.ndarray) -> np.ndarray:
        out = np.empty(et.size)
        for k, st in enumerate(stations):
            sel = which == k
            if sel.any():
                out[sel] = look(st, "mars", et[sel], ephemeris=eph,
                                earth_model="iau2000b").el - masks[k]
        return out

    points = [surface_point(st) for st in stations]
    table = None

    def tabulated_margin(et: np.ndarray, which: np.ndarray) -> np.ndarray:
        # The finder's grid repeats each epoch once per station: rotate Mars once per epoch.
        uniq, inv = np.unique(et, return_inverse=True)
        # Mars from the geocentre, light-time corrected (as look() with abcorr "cn").
        mars = eph.state("mars", Time.from_et(uniq), center="earth", abcorr="cn").states
        itrs = np.matmul(table.matrices(uniq), mars[:, :3, None])[inv, :, 0]
        out = np.empty(et.size)
        for k, point in enumerate(points):
            sel = which == k
            if sel.any():
                out[sel] = look_angles(point.position_km, point.enu, itrs[sel]).el - masks[k]
        return out

    out = [Windows() for _ in stations]
    for a, b in _chunks(*span_et(start, stop)):
        if exact:
            found = find_windows_multi(exact_margin, a, b, step_s=step_s, threshold=0.0,
                                       n_objects=len(stations))
        else:
            table = EarthOrientationTable(a, b, model="iau2006a")
            found = find_windows_multi(tabulated_margin, a, b, step_s=step_s,
                                       threshold=0.0, n_objects=len(stations),
                                       tol_s=_EDGE_TOL_S)
        out = [w | f for w, f in zip(out, found, strict=True)]
    return out


def _chunks(t0: float, t1: float) -> list[tuple[float, float]]:
    """``[t0, t1]`` cut into consecutive pieces of at most ``_CHUNK_S``: searched one by one
    (windows that meet at a cut merge again), the memory of a search stays that of a piece
    whatever the span."""
    n = max(1, int(np.ceil((t1 - t0) / _CHUNK_S)))
    edges = np.linspace(t0, t1, n + 1)
    edges[-1] = t1
    return [(float(a), float(b)) for a, b in itertools.pairwise(edges)]


def next_contact_latency(
    ready: Any, contacts: Windows, *, ephemeris: Any = None
) -> Any:
    """Latency (s) from data ready on the orbiter at ``ready`` to its arrival on Earth.

    The data leave at the start of the next contact (at once if one is under way) and
    travel one light time (Mars to Earth, at that moment). NaN where no contact follows in
    the windows given.
    """
    from areo.ephem import light_time

    t = np.atleast_1d(Time(ready).et if not isinstance(ready, Time) else ready.et)
    if not len(contacts):
        return np.full(t.shape, np.nan)
    k = np.searchsorted(contacts.ends, t, side="left")
    ok = k < len(contacts)
    depart = np.full(t.shape, np.nan)
    kk = np.minimum(k, len(contacts) - 1)
    depart[ok] = np.maximum(t[ok], contacts.starts[kk[ok]])
    latency = np.full(t.shape, np.nan)
    if ok.any():
        lt = np.atleast_1d(light_time("earth", "mars", depart[ok], direction="transmit",
                                      ephemeris=ephemeris))
        # "transmit" from Mars: signal leaves Mars at depart and reaches Earth lt later.
        latency[ok] = depart[ok] - t[ok] + lt
    return latency
