"""UHF proximity-link models: link budget, achievable rate, and data volume per pass.

The return link (lander -> orbiter) carries the science data, so a :class:`RadioPair` models
that direction: the lander radio transmits, the orbiter radio receives.

Link budget (textbook form; Sklar, *Digital Communications*, 2nd ed., ch. 5 "Communications
link analysis"; the same bookkeeping as the DESCANSO Mars relay telecom articles, e.g. Edwards
et al., "Relay support for the Mars Science Laboratory mission", IEEE Aerospace 2013)::

    Eb/N0 [dB] = EIRP [dBW] + G_pattern(elev) [dB] - L_fs(d, f) [dB] - L_other [dB]
                 + G/T [dB/K] - 10 log10(k) [dBW/K/Hz] - 10 log10(R [bit/s])
    L_fs = 20 log10(4 pi d f / c)

The rate set is the discrete CCSDS Proximity-1 table (CCSDS 211.1-B, physical layer:
1, 2, 4, ... 2048 kb/s, powers of two), restricted to the rates both radios support. The
achievable rate at an instant is the highest one whose Eb/N0 exceeds the coding scheme's
required Eb/N0 by at least ``link_margin_db``; zero when none does.

Modes (:func:`pass_volume`):

- ``"adaptive"`` (Electra's Adaptive Data Rate, ADR): at each sample the best rate that closes.
- ``"fixed"``: one rate for the whole pass, the best rate that closes at every sample whose
  elevation is at or above ``plan_elev_deg`` (default: every sample of the pass above its
  mask, i.e. the rate closes from AOS to LOS). With a planning elevation above the mask the
  link carries data only while that rate closes (the radio drops lock below it).

Volume = trapezoid integral of the rate profile on a uniform grid over
``[AOS + setup_s, LOS]``: the first ``setup_s`` seconds are hailing / link set-up and carry no
data. ADR rates are a step function; the 1 s default step keeps the trapezoid's error at the
rate switches below 0.5 % of a pass of several minutes.

Radio profiles (EIRP, G/T, gain patterns) are in ``areo/catalog/data/radios.toml`` with a
source per value. Radio EIRP and G/T of the flight units are not published in any source we
hold: those values are *representative, calibrated* to the published pass volumes (see the
TOML); treat volumes as planning estimates, not predictions for a given pass.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from areo import validate
from areo.constants import BOLTZMANN_J_K, C_M_S
from areo.errors import (
    CatalogFileError,
    CoordinateRangeError,
    ParameterError,
    UnknownEntryError,
)
from areo.io.records import dumps, span_text, utc_column

__all__ = [
    "BOLTZMANN_DBW_K_HZ",
    "CODING_REQUIRED_EBN0_DB",
    "PROXIMITY1_RATES_BPS",
    "PassLink",
    "Radio",
    "RadioPair",
    "ebn0_db",
    "free_space_loss_db",
    "load_radios",
    "pass_volume",
    "pass_volumes",
    "radio",
    "radios",
]

#: 10 log10(k), k the Boltzmann constant (1.380649e-23 J/K, SI 2019), in dBW/(K Hz).
BOLTZMANN_DBW_K_HZ = 10.0 * math.log10(BOLTZMANN_J_K)
#: CCSDS Proximity-1 data rates (CCSDS 211.1-B physical layer), bit/s: 1 to 2048 kb/s.
PROXIMITY1_RATES_BPS = tuple(1000.0 * 2.0**k for k in range(12))
#: Required Eb/N0 (dB) for a bit error rate of 1e-5 on an AWGN channel, BPSK/QPSK:
#: "uncoded": 9.6 dB (Sklar 2nd ed. fig. 4.25 / erfc formula); "convolutional": the CCSDS
#: (7, 1/2) code with soft Viterbi decoding, 4.4 dB (Sklar 2nd ed. table 7.x and CCSDS
#: 130.1-G; general knowledge, verify). Proximity-1 carries both. Pass ``required_ebn0_db`` to
#: a :class:`RadioPair` for another scheme or target error rate.
CODING_REQUIRED_EBN0_DB: Mapping[str, float] = {"uncoded": 9.6, "convolutional": 4.4}

#: Planning margin on predicted volume: the MER team planned below the predicted volume
#: (about one sigma; NASA LLIS-1765 and Barrett et al., "A retrospective ... MER operations
#: after five years"). No published sigma for other pairs: the default 0 keeps the prediction
#: and callers choose their own fraction.
DEFAULT_MARGIN_FRACTION = 0.0


# -- link budget kernels (plain numpy, vectorised) -------------------------------------------
def free_space_loss_db(range_km: Any, frequency_mhz: Any) -> np.ndarray:
    """Free-space path loss ``20 log10(4 pi d f / c)`` in dB (range in km, frequency in MHz)."""
    d = np.asarray(range_km, dtype=np.float64)
    _check_range(d)
    f = validate.positive(frequency_mhz, "frequency_mhz", unit="MHz",
                          hint="the carrier; UHF relay: 390-450 MHz")
    return 20.0 * np.log10(4.0 * np.pi * (d * 1e3) * (f * 1e6) / C_M_S)


def ebn0_db(eirp_dbw: Any, range_km: Any, frequency_mhz: Any, g_over_t_db_k: Any,
            rate_bps: Any, other_losses_db: Any = 0.0) -> np.ndarray:
    """Received Eb/N0 (dB); arguments broadcast (EIRP in dBW, G/T in dB/K, rate in bit/s).

    Raises :class:`areo.errors.ParameterError` for a non-finite value, a range, frequency or
    rate that is not positive."""
    r = validate.positive(rate_bps, "rate_bps", unit="bit/s", hint="bits per second")
    eirp = validate.finite(eirp_dbw, "eirp_dbw", unit="dBW")
    g_t = validate.finite(g_over_t_db_k, "g_over_t_db_k", unit="dB/K")
    other = validate.finite(other_losses_db, "other_losses_db", unit="dB")
    return (eirp - free_space_loss_db(range_km, frequency_mhz) - other + g_t
            - BOLTZMANN_DBW_K_HZ - 10.0 * np.log10(r))


def _check_elev(elev_deg: Any) -> np.ndarray:
    return np.asarray(validate.in_range(
        elev_deg, "elev_deg", -90.0, 90.0, unit="deg", error=CoordinateRangeError,
        hint="the orbiter's elevation seen from the lander",
    ))


def _check_range(d: np.ndarray) -> None:
    bad = ~np.isfinite(d) | (d <= 0.0)
    if np.any(bad):
        first = float(d.ravel()[int(np.flatnonzero(bad.ravel())[0])])
        raise ParameterError(
            f"range_km {first:g} is not a positive finite distance: give the lander-orbiter "
            "range in km (> 0)"
        )


# -- radio profiles --------------------------------------------------------------------------
@dataclass(frozen=True)
class Radio:
    """A UHF proximity radio with its antenna, as one end of a relay link.

    Attributes:
        key: catalog key ('electra', 'electra-lite', ...).
        name: display name.
        role: 'orbiter' or 'lander' (the end it usually sits at).
        eirp_dbw: transmit EIRP at the antenna's reference gain (pattern 0 dB), dBW.
        g_over_t_db_k: receive figure of merit, dB/K.
        frequency_mhz: return-link carrier, MHz.
        rates_bps: data rates the radio supports, bit/s (subset of the Proximity-1 set).
        pattern_elev_deg / pattern_db: antenna gain relative to the reference vs elevation
            seen from the lander (deg, dB); empty for an orbiter (pattern folded into G/T).
        source: where each value comes from.
    """

    key: str
    name: str
    role: str
    eirp_dbw: float
    g_over_t_db_k: float
    frequency_mhz: float
    rates_bps: tuple[float, ...] = PROXIMITY1_RATES_BPS
    pattern_elev_deg: tuple[float, ...] = ()
    pattern_db: tuple[float, ...] = ()
    hosts: tuple[str, ...] = ()
    source: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        what = f"radio {self.key!r}"
        if self.role not in ("orbiter", "lander"):
            raise ParameterError(f"{what}: role {self.role!r} must be 'orbiter' or 'lander'")
        validate.finite(self.eirp_dbw, f"{what}: eirp_dbw", unit="dBW")
        validate.finite(self.g_over_t_db_k, f"{what}: g_over_t_db_k", unit="dB/K")
        validate.in_range(self.frequency_mhz, f"{what}: frequency_mhz", 100.0, 1000.0,
                          unit="MHz", hint="proximity links are UHF, 390-450 MHz")
        rates = np.asarray(self.rates_bps, dtype=np.float64)
        if rates.size == 0:
            raise ParameterError(
                f"{what}: rates_bps is empty: give at least one data rate in bit/s "
                "(Proximity-1: 1000 to 2048000)"
            )
        validate.positive(rates, f"{what}: rates_bps", unit="bit/s")
        el, g = self.pattern_elev_deg, self.pattern_db
        if len(el) != len(g):
            raise ParameterError(
                f"{what}: pattern_elev_deg has {len(el)} points and pattern_db {len(g)}: "
                "give one gain per elevation"
            )
        if len(el) and (np.any(np.diff(el) <= 0) or el[0] < -90.0 or el[-1] > 90.0):
            raise ParameterError(
                f"{what}: pattern_elev_deg must increase strictly within [-90, 90] deg"
            )

    def gain_db(self, elev_deg: Any) -> np.ndarray:
        """Antenna gain relative to the reference (dB) at elevation ``elev_deg`` (deg).

        Linear interpolation in the table, clamped at its ends; 0 dB where there is no table.
        """
        e = _check_elev(elev_deg)
        if not self.pattern_elev_deg:
            return np.zeros_like(e)
        return np.interp(e, self.pattern_elev_deg, self.pattern_db)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "role": self.role, "eirp_dbw": self.eirp_dbw,
            "g_over_t_db_k": self.g_over_t_db_k, "frequency_mhz": self.frequency_mhz,
            "rates_kbps": [r / 1000.0 for r in self.rates_bps],
            "pattern_elev_deg": list(self.pattern_elev_deg), "pattern_db": list(self.pattern_db),
            "hosts": list(self.hosts), "source": dict(self.source),
        }


def _norm(name: str) -> str:
    return " ".join(str(name).strip().lower().replace("_", " ").replace("-", " ").split())


def _radio_from_table(key: str, t: Mapping[str, Any], path: str) -> Radio:
    def need(name: str) -> Any:
        if name not in t:
            raise CatalogFileError(
                f"{path}: radio {key!r} lacks {name!r}: add it (see areo/catalog/data/"
                "radios.toml for the fields)"
            )
        return t[name]

    source = t.get("sources", {})
    if isinstance(source, str):
        source = {"all": source}
    if not isinstance(source, Mapping):
        raise CatalogFileError(f"{path}: radio {key!r}: 'sources' must be a table or a string")
    try:
        rates = tuple(1000.0 * float(r) for r in t.get("rates_kbps",
                                                       [r / 1000 for r in PROXIMITY1_RATES_BPS]))
        return Radio(
            key=key, name=str(t.get("name", key)), role=str(need("role")),
            eirp_dbw=float(need("eirp_dbw")), g_over_t_db_k=float(need("g_over_t_db_k")),
            frequency_mhz=float(need("frequency_mhz")), rates_bps=rates,
            pattern_elev_deg=tuple(float(x) for x in t.get("pattern_elev_deg", ())),
            pattern_db=tuple(float(x) for x in t.get("pattern_db", ())),
            hosts=tuple(str(h) for h in t.get("hosts", ())),
            source={str(k): str(v) for k, v in source.items()},
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ParameterError):
            raise CatalogFileError(f"{path}: {exc}") from None
        raise CatalogFileError(f"{path}: radio {key!r}: {exc}") from None


def load_radios(path: str | Path) -> dict[str, Radio]:
    """Radios from a TOML file of ``[radios.<key>]`` tables (the shape of the built-in file)."""
    from areo.catalog import read_toml

    return _radios_from_doc(read_toml(path, "radio file"), str(path))


def _radios_from_doc(doc: Mapping[str, Any], path: str) -> dict[str, Radio]:
    table = doc.get("radios")
    if not isinstance(table, Mapping) or not table:
        raise CatalogFileError(f"{path}: no [radios.<key>] tables: add at least one radio")
    out: dict[str, Radio] = {}
    for key, t in table.items():
        if not isinstance(t, Mapping):
            raise CatalogFileError(f"{path}: radios.{key} must be a table")
        r = _radio_from_table(str(key), t, path)
        out[_norm(key)] = r
        for alias in t.get("aliases", ()):
            out.setdefault(_norm(alias), r)
    return out


@functools.cache
def _builtin() -> dict[str, Radio]:
    data = resources.files("areo.catalog") / "data" / "radios.toml"
    with data.open("rb") as fh:
        return _radios_from_doc(tomllib.load(fh), "areo/catalog/data/radios.toml")


def radios() -> list[Radio]:
    """The built-in radio profiles (one per radio, aliases folded)."""
    seen: dict[str, Radio] = {}
    for r in _builtin().values():
        seen.setdefault(r.key, r)
    return list(seen.values())


def radio(name: str | Radio, extra: Mapping[str, Radio] | None = None) -> Radio:
    """A radio profile by key or alias ('electra', 'Electra-Lite', 'melacom', 'mro', ...).

    ``extra`` (e.g. from :func:`load_radios`) is searched first, so user files override.
    """
    if isinstance(name, Radio):
        return name
    k = _norm(name)
    for table in (extra or {}, _builtin()):
        if k in table:
            return table[k]
    known = sorted({r.key for r in _builtin().values()} | {r.key for r in (extra or {}).values()})
    raise UnknownEntryError(
        f"radio {name!r} is not in the radio catalog (known: {', '.join(known)}): use one of "
        "these, load your own with areo.relay.load_radios(path), or build a Radio(...)"
    )


# -- a link between two radios --------------------------------------------------------------
@dataclass(frozen=True)
class RadioPair:
    """The return link from a lander radio to an orbiter radio.

    Args:
        lander: transmitting radio (key or :class:`Radio`); its EIRP and gain pattern are used.
        orbiter: receiving radio; its G/T is used.
        coding: key of :data:`CODING_REQUIRED_EBN0_DB`, unless ``required_ebn0_db`` is given.
        required_ebn0_db: the Eb/N0 (dB) the decoder needs for the target error rate.
        link_margin_db: margin over the required Eb/N0 before a rate counts as closing
            (3 dB is the usual design margin for Mars relay links; Edwards et al. 2013).
        other_losses_db: polarisation, pointing, multipath and implementation losses, dB.
        frequency_mhz: carrier; default the lander radio's return frequency.
        rates_bps: rate table; default the rates both radios support.
    """

    lander: Radio
    orbiter: Radio
    coding: str = "convolutional"
    required_ebn0_db: float | None = None
    link_margin_db: float = 3.0
    other_losses_db: float = 2.0
    frequency_mhz: float | None = None
    rates_bps: tuple[float, ...] | None = None

    def __init__(self, lander: str | Radio, orbiter: str | Radio, *,
                 coding: str = "convolutional", required_ebn0_db: float | None = None,
                 link_margin_db: float = 3.0, other_losses_db: float = 2.0,
                 frequency_mhz: float | None = None,
                 rates_bps: Sequence[float] | None = None,
                 extra: Mapping[str, Radio] | None = None):
        lo, orb = radio(lander, extra), radio(orbiter, extra)
        if required_ebn0_db is None:
            if coding not in CODING_REQUIRED_EBN0_DB:
                raise ParameterError(
                    f"coding {coding!r} is unknown (known: "
                    f"{', '.join(CODING_REQUIRED_EBN0_DB)}): pick one or give required_ebn0_db"
                )
            required_ebn0_db = CODING_REQUIRED_EBN0_DB[coding]
        for name, v in (("required_ebn0_db", required_ebn0_db),
                        ("link_margin_db", link_margin_db),
                        ("other_losses_db", other_losses_db)):
            validate.finite(v, name, unit="dB")
        if rates_bps is None:
            common = sorted(set(lo.rates_bps) & set(orb.rates_bps))
        else:
            common = sorted(float(r) for r in rates_bps)
        if not common:
            raise ParameterError(
                f"rates_bps: the rate table of {lo.key!r} -> {orb.key!r} is empty (no rate "
                "both radios support, or an empty list given): give at least one rate in "
                "bit/s, e.g. rates_bps=[256000]"
            )
        validate.positive(common, "rates_bps", unit="bit/s")
        f = lo.frequency_mhz if frequency_mhz is None else float(frequency_mhz)
        object.__setattr__(self, "lander", lo)
        object.__setattr__(self, "orbiter", orb)
        object.__setattr__(self, "coding", coding)
        object.__setattr__(self, "required_ebn0_db", float(required_ebn0_db))
        object.__setattr__(self, "link_margin_db", float(link_margin_db))
        object.__setattr__(self, "other_losses_db", float(other_losses_db))
        object.__setattr__(self, "frequency_mhz", f)
        object.__setattr__(self, "rates_bps", tuple(common))
        free_space_loss_db(1.0, f)  # validates the frequency

    def ebn0_db(self, range_km: Any, rate_bps: Any, elev_deg: Any = 90.0) -> np.ndarray:
        """Received Eb/N0 (dB) at ``range_km`` (km), ``rate_bps`` and lander elevation (deg)."""
        eirp = self.lander.eirp_dbw + self.lander.gain_db(elev_deg)
        return ebn0_db(eirp, range_km, self.frequency_mhz, self.orbiter.g_over_t_db_k,
                       rate_bps, self.other_losses_db)

    def rate_bps(self, range_km: Any, elev_deg: Any = 90.0) -> np.ndarray:
        """Best closing rate (bit/s) of the table at each range (km) / elevation (deg); 0 if none.

        A rate closes when ``Eb/N0 - required_Eb/N0 >= link_margin_db``. Eb/N0 falls by
        exactly 10 log10(R2/R1) from rate R1 to R2, so the closing rates are those below
        a threshold rate: the best one is found from the Eb/N0 at 1 bit/s.
        """
        return self._rate_of(self._headroom_db(range_km, elev_deg))

    def _headroom_db(self, range_km: Any, elev_deg: Any) -> np.ndarray:
        """C/N0 less the required Eb/N0 and the margin (dB-Hz): a rate R closes when this
        is at least 10 log10(R)."""
        d = np.asarray(range_km, dtype=np.float64)
        e = _check_elev(elev_deg)
        # Eb/N0 at 1 bit/s = C/N0 in dB-Hz.
        return self.ebn0_db(d, 1.0, e) - self.required_ebn0_db - self.link_margin_db

    def _thresholds_db(self) -> np.ndarray:
        """10 log10(R) of the (ascending) rate table, less the 1e-9 dB that makes a headroom
        equal to a table value close (no rounding surprise at equality)."""
        return 10.0 * np.log10(np.asarray(self.rates_bps)) - 1e-9

    def _rate_of(self, headroom: np.ndarray) -> np.ndarray:
        table = np.asarray(self.rates_bps)
        # The closing rates are a prefix of the ascending table: count them.
        n_ok = np.searchsorted(self._thresholds_db(), headroom, side="right")
        return np.where(n_ok > 0, table[np.maximum(n_ok - 1, 0)], 0.0)

    def max_range_km(self, rate_bps: float, elev_deg: float = 90.0) -> float:
        """The longest range (km) at which ``rate_bps`` closes with the margin."""
        ref = float(self.ebn0_db(1.0, rate_bps, elev_deg))
        excess = ref - self.required_ebn0_db - self.link_margin_db
        return float(10.0 ** (excess / 20.0))


# -- pass volumes ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PassLink:
    """The link over one pass: the rate profile and the data volume it carries.

    ``times_et`` are TDB seconds past J2000 from ``AOS + setup_s`` to LOS; ``rates_bps`` the
    rate at each; ``volume_mbit`` the trapezoid integral (1 Mbit = 1e6 bit);
    ``planned_mbit = volume_mbit * (1 - margin_fraction)``.
    """

    mode: str
    times_et: np.ndarray
    rates_bps: np.ndarray
    range_km: np.ndarray
    elev_deg: np.ndarray
    volume_mbit: float
    planned_mbit: float
    margin_fraction: float
    setup_s: float
    fixed_rate_bps: float | None = None
    orbiter: str = ""
    site: str = ""

    @property
    def duration_s(self) -> float:
        """Seconds of the profile (after set-up)."""
        return float(self.times_et[-1] - self.times_et[0]) if self.times_et.size else 0.0

    @property
    def mean_rate_bps(self) -> float:
        """Volume / time after set-up, bit/s (0 for a pass shorter than the set-up)."""
        d = self.duration_s
        return self.volume_mbit * 1e6 / d if d > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "orbiter": self.orbiter, "site": self.site, "mode": self.mode,
            "volume_mbit": self.volume_mbit, "planned_mbit": self.planned_mbit,
            "mean_rate_kbps": self.mean_rate_bps / 1000.0, "duration_s": self.duration_s,
            "setup_s": self.setup_s, "margin_fraction": self.margin_fraction,
            "fixed_rate_kbps": None if self.fixed_rate_bps is None
            else self.fixed_rate_bps / 1000.0,
        }

    def to_json(self, **kwargs: Any) -> str:
        return dumps(self.to_dict(), **kwargs)

    def plot(self, path: Any = None) -> Any:
        """The data rate over the pass (plotly, :func:`areo.io.figures.series_figure`); saved to
        ``path`` (.html) when given."""
        from areo.io.figures import series_figure, show_or_save

        frame = self.to_frame()
        fig = series_figure(
            frame["utc"], {c: frame[c] for c in ("rate_bps",)},
            title=repr(self),
            y_title="data rate (bit/s)",
        )
        return show_or_save(fig, path)

    def to_frame(self) -> Any:
        """The rate profile, one row per sample: ``utc`` (``datetime64[ns, UTC]``),
        ``rate_bps``, ``range_km``, ``elev_deg``."""
        import pandas as pd

        return pd.DataFrame({"utc": utc_column(self.times_et), "rate_bps": self.rates_bps,
                             "range_km": self.range_km, "elev_deg": self.elev_deg})

    def __repr__(self) -> str:
        who = f" of {self.orbiter} over {self.site}" if self.orbiter or self.site else ""
        span = (span_text(float(self.times_et[0]), float(self.times_et[-1]))
                if self.times_et.size else "no samples")
        return (f"PassLink: {self.volume_mbit:.1f} Mbit{who} ({self.mode}, "
                f"{self.mean_rate_bps / 1000.0:.1f} kb/s mean), {span}")


def _interval(p: Any) -> tuple[float, float, str, str]:
    """(start_et, end_et, orbiter, site) of a Pass, a one-interval Windows or a pair."""
    from areo.events.windows import Windows
    from areo.time import Time

    if hasattr(p, "aos") and hasattr(p, "los"):
        return float(p.aos.et), float(p.los.et), str(getattr(p, "orbiter", "")), \
            str(getattr(p, "site", ""))
    if isinstance(p, Windows):
        if len(p.starts) != 1:
            raise ParameterError(
                f"pass_or_window: a Windows with {len(p.starts)} intervals: give one pass "
                "(or use pass_volumes for many)"
            )
        return float(p.starts[0]), float(p.ends[0]), "", ""
    if isinstance(p, tuple | list) and len(p) == 2:
        t = Time([p[0], p[1]]).et if not all(isinstance(x, int | float) for x in p) \
            else validate.finite(p, "pass_or_window", unit="s (TDB past J2000)")
        return float(t[0]), float(t[1]), "", ""
    raise ParameterError(
        f"pass_or_window {p!r}: give an areo.events Pass, a one-interval Windows or an "
        "(aos, los) pair of epochs"
    )


def _check_params(mode: str, setup_s: float, step_s: float, margin_fraction: float,
                  plan_elev_deg: float | None = None) -> None:
    if mode not in ("adaptive", "fixed"):
        raise ParameterError(f"mode {mode!r} must be 'adaptive' (ADR) or 'fixed'")
    validate.non_negative(setup_s, "setup_s", unit="s", hint="hail / link set-up time")
    validate.positive(step_s, "step_s", unit="s", hint="try 1.0")
    validate.in_range(margin_fraction, "margin_fraction", 0.0, 1.0, hi_open=True,
                      hint="the fraction of the predicted volume held back when planning, "
                      "e.g. 0.2")
    if plan_elev_deg is not None:
        validate.in_range(plan_elev_deg, "plan_elev_deg", -90.0, 90.0, unit="deg",
                          error=CoordinateRangeError)


def _grid(t0: float, t1: float, setup_s: float, step_s: float) -> np.ndarray:
    """Uniform grid over ``[t0 + setup_s, t1]`` with both ends; empty if set-up eats the pass."""
    a = t0 + setup_s
    if t1 <= a:
        return np.empty(0)
    n = max(math.ceil((t1 - a) / step_s), 1) + 1
    return np.linspace(a, t1, n)


def _profile(pair: RadioPair, rng: np.ndarray, el_deg: np.ndarray, mode: str,
             plan_elev_deg: float | None) -> tuple[np.ndarray, float | None]:
    adr = pair.rate_bps(rng, el_deg)
    if mode == "adaptive" or adr.size == 0:
        return adr, None
    sel = adr if plan_elev_deg is None else adr[el_deg >= plan_elev_deg]
    fixed = float(sel.min()) if sel.size else 0.0
    # The radio holds the fixed rate while it closes and drops lock where it does not.
    return np.where(adr >= fixed, fixed, 0.0), fixed


#: Profile samples per geometry batch: bounds the memory of one batch (~100 bytes a sample).
_BATCH_SAMPLES = 200_000


def _range_elev(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rng = np.linalg.norm(v, axis=1)
    return rng, np.degrees(np.arcsin(np.clip(v[:, 2] / rng, -1.0, 1.0)))


def _batches(sizes: Sequence[int]) -> list[list[int]]:
    """Consecutive indices in groups of at most ``_BATCH_SAMPLES`` samples (at least one)."""
    out: list[list[int]] = []
    room = 0
    for j, n in enumerate(sizes):
        if not out or n > room:
            out.append([])
            room = _BATCH_SAMPLES
        out[-1].append(j)
        room -= n
    return out


def _check_samples(intervals: Sequence[tuple[float, float, str, str]], setup_s: float,
                   step_s: float) -> None:
    total = sum(max(math.ceil((b - a - setup_s) / step_s), 1) + 1
                for a, b, _, _ in intervals if b > a + setup_s)
    if total > validate.MAX_SAMPLES:
        raise ParameterError(
            f"{len(intervals)} passes sampled every {step_s:g} s give {total:,} samples (limit "
            f"{validate.MAX_SAMPLES:,}, areo.validate.MAX_SAMPLES): use a larger step_s or "
            "fewer, shorter passes"
        )


def _links(intervals: Sequence[tuple[float, float, str, str]], orbiter: Any, site: Any,
           pair: RadioPair, mode: str, setup_s: float, step_s: float,
           margin_fraction: float, plan_elev_deg: float | None) -> list[PassLink]:
    """All intervals of one orbiter-site pair, one geometry call per batch of samples."""
    from areo.events.passes import PairGeometry
    from areo.frames.topocentric import surface_point

    _check_samples(intervals, setup_s, step_s)
    grids = [_grid(a, b, setup_s, step_s) for a, b, _, _ in intervals]
    geo = PairGeometry([orbiter], [surface_point(site)])
    out: list[PassLink] = []
    for batch in _batches([t.size for t in grids]):
        et = np.concatenate([grids[j] for j in batch])
        rng, el = (_range_elev(geo.relative(et, np.zeros(et.size, dtype=np.int64)))
                   if et.size else (et, et))
        k = 0
        for j in batch:
            t = grids[j]
            _, _, oname, sname = intervals[j]
            r, e = rng[k:k + t.size], el[k:k + t.size]
            k += t.size
            rates, fixed = _profile(pair, r, e, mode, plan_elev_deg)
            vol = float(np.trapezoid(rates, t)) / 1e6 if t.size > 1 else 0.0
            out.append(PassLink(mode, t, rates, r, e, vol, vol * (1.0 - margin_fraction),
                                margin_fraction, setup_s, fixed, oname, sname))
    return out


#: Samples between the nodes of :func:`_volumes_mbit` whose rates it evaluates exactly.
_NODE_EVERY = 20


def _volumes_mbit(intervals: Sequence[tuple[float, float, str, str]], orbiter: Any, site: Any,
                  pair: RadioPair, mode: str, setup_s: float, step_s: float) -> np.ndarray:
    """The ``volume_mbit`` of :func:`_links` (``plan_elev_deg`` None) without the profiles.

    The ADR rate is a step function of time: constant between the epochs where the link's
    headroom crosses a rate threshold. The geometry is evaluated every ``_NODE_EVERY``
    samples (the nodes); a node interval whose headroom, widened by twice the largest second
    difference at its ends (which bounds the departure from the chord of a smooth headroom,
    and of one kink of the piecewise-linear antenna pattern), keeps clear of every threshold
    (by 1e-3 dB more) holds the rate of its ends at every sample; in the others every sample
    is evaluated. So the rates are the dense profile's sample by sample and the volume its
    trapezoid (to rounding: tests/relay/test_link.py compares both on every pass of months).
    """
    from areo.events.passes import PairGeometry
    from areo.frames.topocentric import surface_point

    _check_samples(intervals, setup_s, step_s)
    out = np.zeros(len(intervals))
    geo = PairGeometry([orbiter], [surface_point(site)])
    first = np.array([a + setup_s for a, _, _, _ in intervals], dtype=float)
    last = np.array([b for _, b, _, _ in intervals], dtype=float)
    n = np.where(last > first, np.maximum(np.ceil((last - first) / step_s), 1) + 1, 0)
    n = n.astype(np.int64)
    dt = np.where(n > 1, (last - first) / np.maximum(n - 1, 1), 0.0)
    thr = pair._thresholds_db()
    # Batches by samples, not nodes: short passes may need every sample evaluated.
    for batch in _batches(n.tolist()):
        sel = np.asarray([j for j in batch if n[j] > 1], dtype=np.int64)
        if sel.size:
            out[sel] = _batch_volumes(geo, pair, thr, mode, first[sel], last[sel], n[sel],
                                      dt[sel])
    return out


def _sample_times(a: np.ndarray, b: np.ndarray, n: np.ndarray, dt: np.ndarray,
                  i: np.ndarray) -> np.ndarray:
    """Sample ``i`` of ``np.linspace(a, b, n)`` (the same float operations)."""
    return np.where(i == n - 1, b, i * dt + a)


def _segments(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(segment id, position within it) of each element of consecutive segments."""
    seg = np.repeat(np.arange(lengths.size), lengths)
    start = np.cumsum(lengths) - lengths
    return seg, np.arange(seg.size) - start[seg]


def _batch_volumes(geo: Any, pair: RadioPair, thr: np.ndarray, mode: str, a: np.ndarray,
                   b: np.ndarray, n: np.ndarray, dt: np.ndarray) -> np.ndarray:
    def headroom(idx: np.ndarray, which: np.ndarray) -> np.ndarray:
        t = _sample_times(a[which], b[which], n[which], dt[which], idx)
        rng, el = _range_elev(geo.relative(t, np.zeros(t.size, dtype=np.int64)))
        return pair._headroom_db(rng, el)

    # Nodes: every _NODE_EVERY-th sample and the last one of each pass.
    k = _NODE_EVERY
    n_nodes = (n - 1) // k + 1 + ((n - 1) % k > 0)
    pas, pos = _segments(n_nodes)
    idx = np.minimum(pos * k, n[pas] - 1)
    h = headroom(idx, pas)
    rate = pair._rate_of(h)
    # Interval q joins nodes q and q + 1 of the same pass.
    same = pas[1:] == pas[:-1]
    d2 = np.full(h.size, np.inf)
    d2[1:-1] = np.abs(h[:-2] - 2.0 * h[1:-1] + h[2:])
    inner = same & np.r_[False, same[:-1]] & np.r_[same[1:], False]  # q-1 .. q+2 in the pass
    uniform = (idx[1:] - idx[:-1] == k) & np.r_[idx[2:] - idx[1:-1] == k, False]
    slack = 2.0 * np.maximum(d2[:-1], d2[1:]) + 1e-3
    lo = np.minimum(h[:-1], h[1:]) - slack
    hi = np.maximum(h[:-1], h[1:]) + slack
    clear = np.searchsorted(thr, lo) == np.searchsorted(thr, hi)
    flat = same & inner & uniform & clear & (rate[:-1] == rate[1:])
    active = np.flatnonzero(same & ~flat)
    # Every sample of the active intervals, their end nodes included.
    inside = idx[active + 1] - idx[active] + 1
    seg, off = _segments(inside)
    q = active[seg]
    s_idx = idx[q] + off
    s_rate = np.where(off == 0, rate[q], np.where(off == inside[seg] - 1, rate[q + 1], np.nan))
    mid = np.flatnonzero(np.isnan(s_rate))
    if mid.size:
        s_rate[mid] = pair._rate_of(headroom(s_idx[mid], pas[q[mid]]))
    p_s = pas[q]
    if mode == "fixed":
        low = np.full(n.size, np.inf)
        np.minimum.at(low, pas, rate)
        np.minimum.at(low, p_s, s_rate)
        return np.where(np.isfinite(low), low, 0.0) * (b - a) / 1e6
    t_s = _sample_times(a[p_s], b[p_s], n[p_s], dt[p_s], s_idx)
    pair_ok = seg[1:] == seg[:-1]
    trap = 0.5 * (s_rate[1:] + s_rate[:-1]) * (t_s[1:] - t_s[:-1])
    vol = np.bincount(p_s[1:][pair_ok], trap[pair_ok], minlength=n.size)
    f = np.flatnonzero(flat)
    t_f = _sample_times(a[pas[f]], b[pas[f]], n[pas[f]], dt[pas[f]], idx[f + 1])
    t_0 = _sample_times(a[pas[f]], b[pas[f]], n[pas[f]], dt[pas[f]], idx[f])
    vol += np.bincount(pas[f], rate[f] * (t_f - t_0), minlength=n.size)
    return vol / 1e6


def pass_volume(pass_or_window: Any, orbiter: Any, site: Any, radio_pair: RadioPair, *,
                mode: str = "adaptive", setup_s: float = 60.0, step_s: float = 1.0,
                margin_fraction: float = DEFAULT_MARGIN_FRACTION,
                plan_elev_deg: float | None = None) -> PassLink:
    """Data volume of one relay pass.

    Args:
        pass_or_window: an :class:`areo.events.Pass`, a one-interval ``Windows`` or an
            ``(aos, los)`` pair (TDB seconds past J2000, or anything ``Time`` reads).
        orbiter: the orbiter trajectory (anything :func:`areo.events.passes` accepts, e.g.
            ``areo.events.sources.orbiter('mro')``).
        site: the lander's site (catalog name, Site or SurfacePoint).
        radio_pair: the :class:`RadioPair` of the return link.
        mode: 'adaptive' (ADR) or 'fixed' (see the module doc).
        setup_s: hail / link set-up time at the start of the pass, carrying no data (s).
            60 s is representative of Proximity-1 hailing; set it from your mission's plans.
        step_s: sampling step of the rate profile (s).
        margin_fraction: fraction held back in ``planned_mbit`` (see
            :data:`DEFAULT_MARGIN_FRACTION`).
        plan_elev_deg: fixed mode only: the elevation (deg) above which the fixed rate must
            close; None = over the whole pass.
    """
    _check_params(mode, setup_s, step_s, margin_fraction, plan_elev_deg)
    iv = _interval(pass_or_window)
    if iv[1] < iv[0]:
        raise ParameterError("pass_or_window ends before it starts: give (aos, los)")
    return _links([iv], orbiter, site, radio_pair, mode, setup_s, step_s, margin_fraction,
                  plan_elev_deg)[0]


def pass_volumes(pass_list: Iterable[Any], orbiters: Any, radio_pair: RadioPair, *,
                 site: Any = None, mode: str = "adaptive", setup_s: float = 60.0,
                 step_s: float = 1.0, margin_fraction: float = DEFAULT_MARGIN_FRACTION,
                 plan_elev_deg: float | None = None) -> list[PassLink]:
    """Volumes of many passes, in the order given, one geometry evaluation per orbiter-site.

    Args:
        pass_list: :class:`areo.events.Passes` or Pass rows (their ``orbiter`` / ``site`` names
            pick the trajectory and the site), or (aos, los) pairs with ``site`` given.
        orbiters: one trajectory for all passes, or a mapping ``{orbiter name: trajectory}``
            keyed like the Pass rows' ``orbiter``.
        site: the site for passes that do not name one, or a Site object used for the
            passes that name its key (a site that need not be in the catalog).

    Other arguments as :func:`pass_volume`.
    """
    _check_params(mode, setup_s, step_s, margin_fraction, plan_elev_deg)
    ivs = [_interval(p) for p in pass_list]
    groups: dict[tuple[str, str], list[int]] = {}
    for k, (_, _, o, s) in enumerate(ivs):
        groups.setdefault((o, s), []).append(k)
    out: list[PassLink | None] = [None] * len(ivs)
    for (o, s), idx in groups.items():
        if isinstance(orbiters, Mapping):
            if o not in orbiters:
                raise ParameterError(
                    f"orbiters: no trajectory for orbiter {o!r} (have: {', '.join(orbiters)}): "
                    "key the mapping by the Pass rows' orbiter names"
                )
            traj = orbiters[o]
        else:
            traj = orbiters
        where = s or site
        if site is not None and not isinstance(site, str) and s == getattr(site, "key", None):
            where = site  # the site object itself (it need not be in the catalog)
        if not where:
            raise ParameterError("site: these passes name no site: pass site=...")
        links = _links([ivs[k] for k in idx], traj, where, radio_pair, mode, setup_s, step_s,
                       margin_fraction, plan_elev_deg)
        for k, link in zip(idx, links, strict=True):
            out[k] = link
    return [x for x in out if x is not None]
