"""Sweep files: a base scenario, the parameters to vary, what to collect.

A sweep file is TOML, validated by pydantic like a scenario (unknown fields refused, every
error one line naming the file and the field)::

    [sweep]
    name = "ExoMars 2028: landing date and dust"
    scenario = "exomars-2028.toml"   # relative to this file
    method = "grid"                  # grid | random | lhs (Latin hypercube)
    samples = 20                     # random and lhs: how many variants
    seed = 2028                      # sampling and the per-variant seeds

    [parameters]                     # scenario fields, by their TOML path
    "landing.utc" = { start = 2030-11-01, stop = 2030-11-29, step_days = 7 }
    "dust.tau" = ["clear", "dusty"]                       # a list of values
    "operations.min_elev_deg" = { start = 10, stop = 30, step = 10 }   # stop included
    "margins.link_fraction" = { distribution = "uniform", low = 0.0, high = 0.2 }
    "orbiters.tgo.raan_deg" = [0, 90]                     # an orbiter by name or index

    [collect]
    summary = ["relay.mean_mbit_per_sol", "campaign.n_samples"]   # summary.json keys
    tables = ["per_sol"]             # passes | per_sol | earth_contacts | campaign_activities

``grid`` takes the Cartesian product of lists and ranges (in the order of the file, the
last parameter varying fastest); ``random`` draws ``samples`` variants (a list or range:
a uniform choice; a distribution: a draw); ``lhs`` stratifies every parameter into
``samples`` equal-probability bins, one draw per bin, the bins shuffled independently per
parameter (McKay, Beckman & Conover 1979). Distributions: ``uniform`` (``low``, ``high``;
dates too), ``loguniform`` (``low``, ``high`` > 0), ``normal`` (``mean``, ``std``).

Every variant is built and validated as a scenario (:func:`areo.mission.parse_scenario`,
the scenario's own ranges and cross-checks) before any run: the first bad one is refused
with the variant's values and the scenario's message.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from areo._batch import chunk_seeds
from areo.errors import CatalogFileError

__all__ = [
    "COLLECT_TABLES",
    "Parameter",
    "SweepError",
    "SweepSpec",
    "Variant",
    "build_spec",
    "load_sweep",
]

#: Tables of a mission run a sweep can collect (areo.mission.products).
COLLECT_TABLES = ("passes", "per_sol", "earth_contacts", "campaign_activities")
#: Top-level keys of summary.json a sweep can collect from (runtime_s and cache vary from
#: run to run, so collecting them would make results depend on the machine).
SUMMARY_SECTIONS = ("scenario", "areo_version", "launch", "transfer", "arrival", "landing",
                    "orbiters", "relay", "campaign")
#: Most variants one sweep may hold (each is validated before any run).
MAX_VARIANTS = 100_000


class SweepError(CatalogFileError):
    """A sweep file or sweep arguments that cannot be used; the message names the field."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)


class SweepSection(_Spec):
    """``[sweep]``: the name, the base scenario and how variants are made."""

    name: str = Field(min_length=1, max_length=200)
    scenario: str = Field(min_length=1, max_length=4096)
    method: Literal["grid", "random", "lhs"] = "grid"
    samples: int | None = Field(default=None, ge=1, le=MAX_VARIANTS)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    chunk_size: int | None = Field(default=None, ge=1, le=10_000)
    partial: bool = True
    cache: bool = True


class CollectSection(_Spec):
    """``[collect]``: summary.json keys (dotted paths) and whole tables."""

    summary: tuple[str, ...] = Field(default=(), max_length=500)
    tables: tuple[Literal["passes", "per_sol", "earth_contacts", "campaign_activities"],
                  ...] = ()


class RangeSpec(_Spec):
    start: float | _dt.date
    stop: float | _dt.date
    step: float | None = Field(default=None, gt=0.0)
    step_days: float | None = Field(default=None, gt=0.0)


class DistSpec(_Spec):
    distribution: Literal["uniform", "loguniform", "normal"]
    low: float | _dt.date | None = None
    high: float | _dt.date | None = None
    mean: float | None = None
    std: float | None = Field(default=None, gt=0.0)


class SweepFile(_Spec):
    sweep: SweepSection
    parameters: dict[str, Any] = Field(min_length=1, max_length=200)
    collect: CollectSection = CollectSection()


# ============================================================================ parameters
def _iso(v: Any) -> Any:
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(_dt.UTC).replace(tzinfo=None)
        return v.isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _seconds(d: _dt.date) -> float:
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day)
    if d.tzinfo is not None:
        d = d.astimezone(_dt.UTC).replace(tzinfo=None)
    return (d - _dt.datetime(2000, 1, 1)).total_seconds()


def _from_seconds(s: float) -> str:
    return (_dt.datetime(2000, 1, 1) + _dt.timedelta(seconds=round(s))).isoformat()


@dataclass(frozen=True)
class Parameter:
    """One varied scenario field: its TOML ``path``, where it goes in the scenario document
    (``section``, orbiter ``index`` or None, ``field``) and its values: a list
    (``values``) or a distribution (``dist``, sampled by ``random`` and ``lhs``)."""

    path: str
    section: str
    index: int | None
    field: str
    values: tuple[Any, ...] | None = None
    dist: DistSpec | None = None

    @property
    def is_dates(self) -> bool:
        d = self.dist
        return d is not None and isinstance(d.low, _dt.date)

    def quantile(self, u: Any) -> list[Any]:
        """Values at probabilities ``u`` (inverse CDF): a list picks a bin per value."""
        import numpy as np

        u = np.asarray(u, dtype=float)
        if self.values is not None:
            k = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
            return [self.values[i] for i in k]
        d = self.dist
        assert d is not None
        if d.distribution == "normal":
            from scipy.stats import norm

            return [float(x) for x in norm.ppf(u, loc=d.mean, scale=d.std)]
        if self.is_dates:
            lo, hi = _seconds(d.low), _seconds(d.high)  # type: ignore[arg-type]
            return [_from_seconds(lo + x * (hi - lo)) for x in u]
        lo, hi = float(d.low), float(d.high)  # type: ignore[arg-type]
        if d.distribution == "loguniform":
            return [float(math.exp(math.log(lo) + x * (math.log(hi) - math.log(lo))))
                    for x in u]
        return [float(lo + x * (hi - lo)) for x in u]


def _section_models() -> dict[str, type[BaseModel]]:
    """``{section: its pydantic model}`` of the scenario (from the Scenario's fields)."""
    from areo.mission import Scenario

    out: dict[str, type[BaseModel]] = {}
    for name, info in Scenario.model_fields.items():
        if info.exclude:
            continue
        stack = [info.annotation]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, BaseModel):
                out[name] = t
                break
            stack.extend(get_args(t))
    return out


def _fields(model: type[BaseModel]) -> list[str]:
    return [f for f, info in model.model_fields.items() if not info.exclude]


def _resolve(path: str, base_doc: Mapping[str, Any], where: str) -> tuple[str, int | None, str]:
    """Where ``path`` goes in a scenario document; unknown names refused naming the
    allowed ones."""
    sections = _section_models()
    parts = path.split(".")
    sec = parts[0]
    if sec not in sections:
        raise SweepError(f"{where}: parameter {path!r}: {sec!r} is not a scenario section "
                         f"(allowed: {', '.join(sections)}); write 'section.field', e.g. "
                         "'landing.utc'")
    model = sections[sec]
    index: int | None = None
    rest = parts[1:]
    if sec == "orbiters":
        orbiters = list(base_doc.get("orbiters") or [])
        names = [str(o.get("name", "")) for o in orbiters]
        if len(rest) != 2:
            raise SweepError(f"{where}: parameter {path!r}: write 'orbiters.NAME.field' or "
                             f"'orbiters.INDEX.field' (orbiters: {', '.join(names)})")
        key = rest[0]
        if key.isdigit() and int(key) < len(orbiters):
            index = int(key)
        elif key in names:
            index = names.index(key)
        else:
            raise SweepError(f"{where}: parameter {path!r}: the base scenario has no orbiter "
                             f"{key!r} (orbiters: {', '.join(names)}, or their index 0.."
                             f"{len(orbiters) - 1})")
        rest = rest[1:]
    if len(rest) != 1:
        raise SweepError(f"{where}: parameter {path!r}: write 'section.field' (fields of "
                         f"[{sec}]: {', '.join(_fields(model))})")
    name = rest[0]
    if name not in _fields(model):
        raise SweepError(f"{where}: parameter {path!r}: {name!r} is not a field of [{sec}] "
                         f"(allowed: {', '.join(_fields(model))})")
    return sec, index, name


def _range_values(r: RangeSpec, where: str) -> tuple[Any, ...]:
    dates = isinstance(r.start, _dt.date), isinstance(r.stop, _dt.date)
    if any(dates) and not all(dates):
        raise SweepError(f"{where}: give start and stop both as dates or both as numbers")
    if all(dates):
        if r.step_days is None or r.step is not None:
            raise SweepError(f"{where}: a range of dates takes step_days (e.g. step_days = 7)")
        lo, hi, step = _seconds(r.start), _seconds(r.stop), r.step_days * 86400.0  # type: ignore[arg-type]
        n = math.floor((hi - lo) / step + 1e-9) + 1
        if n < 1:
            raise SweepError(f"{where}: the range is empty (stop {_iso(r.stop)} is before "
                             f"start {_iso(r.start)}): swap them")
        return tuple(_from_seconds(lo + k * step) for k in range(n))
    if r.step is None or r.step_days is not None:
        raise SweepError(f"{where}: a range of numbers takes step (e.g. step = 5)")
    start, stop, step = float(r.start), float(r.stop), float(r.step)  # type: ignore[arg-type]
    n = math.floor((stop - start) / step + 1e-9) + 1
    if n < 1:
        raise SweepError(f"{where}: the range is empty (stop {stop:g} is below start "
                         f"{start:g}): swap them")
    ints = all(float(x).is_integer() for x in (start, stop, step))
    vals = [start + k * step for k in range(n)]
    # round away the float residue of k * step (0.1 * 3 = 0.30000000000000004)
    return tuple(round(v) if ints else round(v, 12) for v in vals)


def _parameter(path: str, raw: Any, base_doc: Mapping[str, Any], origin: str) -> Parameter:
    where = f"{origin}: parameter {path!r}"
    sec, index, name = _resolve(path, base_doc, origin)
    if isinstance(raw, list | tuple):
        if not raw:
            raise SweepError(f"{where}: the list of values is empty: give at least one value")
        if len(raw) > MAX_VARIANTS:
            raise SweepError(f"{where}: {len(raw)} values: give at most {MAX_VARIANTS}")
        return Parameter(path, sec, index, name, values=tuple(_iso(v) for v in raw))
    if isinstance(raw, Mapping):
        try:
            if "distribution" in raw:
                d = DistSpec.model_validate(raw)
                _check_dist(d, where)
                return Parameter(path, sec, index, name, dist=d)
            return Parameter(path, sec, index, name,
                             values=_range_values(RangeSpec.model_validate(raw), where))
        except ValidationError as exc:
            e = exc.errors()[0]
            loc = ".".join(str(p) for p in e.get("loc", ()))
            allowed = ("distribution, low, high, mean, std" if "distribution" in raw
                       else "start, stop, step (or step_days for dates)")
            raise SweepError(f"{where}: {loc + ': ' if loc else ''}"
                             f"{' '.join(str(e.get('msg')).split())} (allowed: {allowed})"
                             ) from None
    raise SweepError(f"{where}: give a list of values, a range {{start, stop, step}} or a "
                     f"distribution {{distribution = 'uniform', low, high}} (got "
                     f"{type(raw).__name__})")


def _check_dist(d: DistSpec, where: str) -> None:
    if d.distribution == "normal":
        if d.mean is None or d.std is None or d.low is not None or d.high is not None:
            raise SweepError(f"{where}: a normal distribution takes mean and std (> 0)")
        return
    if d.low is None or d.high is None or d.mean is not None or d.std is not None:
        raise SweepError(f"{where}: a {d.distribution} distribution takes low and high")
    dates = isinstance(d.low, _dt.date), isinstance(d.high, _dt.date)
    if any(dates) and not all(dates):
        raise SweepError(f"{where}: give low and high both as dates or both as numbers")
    lo = _seconds(d.low) if all(dates) else float(d.low)  # type: ignore[arg-type]
    hi = _seconds(d.high) if all(dates) else float(d.high)  # type: ignore[arg-type]
    if not hi > lo:
        raise SweepError(f"{where}: high must be above low (the distribution is empty)")
    if d.distribution == "loguniform" and (all(dates) or lo <= 0):
        raise SweepError(f"{where}: a loguniform distribution needs numbers 0 < low < high")


# ============================================================================ the spec
@dataclass(frozen=True)
class Variant:
    """One scenario of a sweep: ``id`` ('v000012'), ``index``, the varied ``values``
    (parameter path -> value) and its ``seed``."""

    id: str
    index: int
    values: dict[str, Any]
    seed: int


@dataclass
class SweepSpec:
    """A validated sweep: the base scenario document, the parameters, how variants are
    drawn and what is collected (see the module docstring)."""

    name: str
    base_doc: dict[str, Any]
    base_dir: str
    base_origin: str
    parameters: list[Parameter]
    method: str = "grid"
    samples: int | None = None
    seed: int = 0
    summary_keys: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    chunk_size: int | None = None
    partial: bool = True
    cache: bool = True
    origin: str = "sweep"
    _variants: list[Variant] | None = field(default=None, repr=False)

    # -- variants
    def variants(self) -> list[Variant]:
        """Every variant, in a fixed order (the same for every run of the same spec)."""
        if self._variants is None:
            self._variants = self._make_variants()
        return self._variants

    def _make_variants(self) -> list[Variant]:
        import numpy as np

        params = self.parameters
        if self.method == "grid":
            n = math.prod(len(p.values or ()) for p in params)
            self._check_count(n)
            rows = [dict(zip([p.path for p in params], combo, strict=True))
                    for combo in itertools.product(*(p.values or () for p in params))]
        else:
            n = int(self.samples or 0)
            self._check_count(n)
            rng = np.random.default_rng(self.seed)
            cols: dict[str, list[Any]] = {}
            for p in params:  # one stream, parameters in file order: reproducible
                if self.method == "lhs":
                    u = (rng.permutation(n) + rng.random(n)) / n
                    cols[p.path] = p.quantile(u)
                elif p.dist is not None and p.dist.distribution == "normal":
                    cols[p.path] = [float(x) for x in rng.normal(p.dist.mean, p.dist.std, n)]
                else:
                    cols[p.path] = p.quantile(rng.random(n))
            rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
        seeds = chunk_seeds(self.seed, len(rows))
        width = max(6, len(str(len(rows) - 1)))
        return [Variant(f"v{i:0{width}d}", i, row, seeds[i]) for i, row in enumerate(rows)]

    def _check_count(self, n: int) -> None:
        if n == 0:
            raise SweepError(f"{self.origin}: the sweep is empty (no variant): give each "
                             "parameter at least one value" + (
                                 "" if self.method == "grid" else " and samples >= 1"))
        if n > MAX_VARIANTS:
            raise SweepError(f"{self.origin}: {n} variants, more than {MAX_VARIANTS}: use "
                             "method = 'random' or 'lhs' with fewer samples, or split it")

    # -- scenarios
    def document(self, variant: Variant) -> dict[str, Any]:
        """The variant's scenario document: the base with the variant's values set."""
        doc = copy.deepcopy(self.base_doc)
        by_path = {p.path: p for p in self.parameters}
        for path, value in variant.values.items():
            p = by_path[path]
            if p.index is not None:
                doc["orbiters"][p.index][p.field] = value
            else:
                section = doc.setdefault(p.section, {})
                if not isinstance(section, dict):
                    raise SweepError(f"{self.origin}: parameter {path!r}: [{p.section}] of the "
                                     "base scenario is not a table")
                section[p.field] = value
        return doc

    def variant_origin(self, variant: Variant) -> str:
        shown = ", ".join(f"{k}={_short(v)}" for k, v in variant.values.items())
        return f"{self.origin}: variant {variant.id} ({shown}): {self.base_origin}"

    def scenario(self, variant: Variant) -> Any:
        """The variant as a validated :class:`areo.mission.Scenario` (raises
        :class:`areo.mission.ScenarioError` naming the variant and the field)."""
        from areo.mission import parse_scenario

        return parse_scenario(self.document(variant), base_dir=self.base_dir,
                              origin=self.variant_origin(variant))

    def check(self) -> list[Variant]:
        """Build and validate every variant's scenario before any run; returns them."""
        from areo.mission import ScenarioError

        variants = self.variants()
        for v in variants:
            try:
                self.scenario(v)
            except ScenarioError as exc:
                raise SweepError(str(exc)) from None
        return variants

    # -- identity
    def base_fingerprint(self) -> dict[str, Any]:
        from areo.mission import parse_scenario

        sc = parse_scenario(self.base_doc, base_dir=self.base_dir, origin=self.base_origin)
        return sc.fingerprint()

    def identity(self) -> dict[str, Any]:
        """What makes two sweeps the same (their results and variants): everything but
        the chunk size and the step cache, which change how, not what, is computed."""
        return {"name": self.name, "base": self.base_fingerprint(),
                "parameters": [{"path": p.path, "values": p.values,
                                "dist": None if p.dist is None else p.dist.model_dump(
                                    mode="json")} for p in self.parameters],
                "method": self.method, "samples": self.samples, "seed": self.seed,
                "summary": list(self.summary_keys), "tables": list(self.tables),
                "partial": self.partial}

    def spec_hash(self) -> str:
        return _sha(self.identity())

    def inputs_hash(self, variant: Variant, spec_hash: str | None = None) -> str:
        """The hash of everything a variant's result depends on (the sweep's identity, its
        values and seed, areo's version): a resumed run reuses a result only if equal."""
        from areo import __version__

        return _sha({"spec": spec_hash or self.spec_hash(), "values": variant.values,
                     "seed": variant.seed, "areo": __version__})


def _sha(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


# ============================================================================ building
def _check_collect(summary: Sequence[str], tables: Sequence[str], params: list[Parameter],
                   origin: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    keys = []
    for k in summary:
        k = str(k).strip()
        head = k.split(".")[0]
        if head not in SUMMARY_SECTIONS:
            raise SweepError(f"{origin}: collect.summary {k!r}: {head!r} is not a section of "
                             f"summary.json that a sweep collects (allowed: "
                             f"{', '.join(SUMMARY_SECTIONS)}); write e.g. "
                             "'relay.mean_mbit_per_sol'")
        if any(not part for part in k.split(".")):
            raise SweepError(f"{origin}: collect.summary {k!r} has an empty part: write "
                             "dotted keys such as 'arrival.vinf_kms'")
        keys.append(k)
    names = [column_name(k) for k in keys] + [column_name(p.path) for p in params]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SweepError(f"{origin}: collect.summary: {', '.join(dup)} would be collected "
                         "twice or is also a varied parameter: list each once")
    for t in tables:
        if t not in COLLECT_TABLES:
            raise SweepError(f"{origin}: collect.tables {t!r} is not a mission table "
                             f"(allowed: {', '.join(COLLECT_TABLES)})")
    if not keys and not tables:
        raise SweepError(f"{origin}: [collect] is empty: name summary keys (e.g. summary = "
                         "['relay.mean_mbit_per_sol']) or tables to collect")
    return tuple(keys), tuple(dict.fromkeys(tables))


def column_name(path: str) -> str:
    """The results table's column for a parameter or summary key: dots become '_'
    ('landing.utc' -> 'landing_utc', a time column of the result contract)."""
    return path.replace(".", "_")


def build_spec(base: Any, parameters: Mapping[str, Any], *, summary: Sequence[str] = (),
               tables: Sequence[str] = (), name: str | None = None, method: str = "grid",
               samples: int | None = None, seed: int = 0, chunk_size: int | None = None,
               partial: bool = True, cache: bool = True, origin: str = "sweep") -> SweepSpec:
    """A :class:`SweepSpec` from Python values (what a sweep file holds; see
    :func:`load_sweep`). ``base``: a scenario file path or a :class:`areo.mission.Scenario`.

    >>> spec = build_spec("examples/exomars-2028.toml",            # doctest: +SKIP
    ...                   {"dust.tau": ["clear", "dusty"]}, summary=["campaign.n_samples"])
    """
    from areo.mission import Scenario, ScenarioError

    if isinstance(base, Scenario):
        base_doc = base.model_dump(mode="json")
        base_dir, base_origin = base.base_dir, base.origin
    else:
        from areo.catalog import read_toml

        p = Path(base)
        try:
            base_doc = read_toml(p, "scenario file")
        except CatalogFileError as exc:
            raise SweepError(f"{origin}: sweep.scenario: {exc}") from None
        base_dir, base_origin = str(p.resolve().parent), f"scenario {p}"
    try:
        section = SweepSection(name=name or "sweep", scenario=str(base_origin), method=method,
                               samples=samples, seed=seed, chunk_size=chunk_size,
                               partial=partial, cache=cache)
    except ValidationError as exc:
        raise SweepError(f"{origin}: {_describe(exc, 'sweep')}") from None
    if section.method != "grid" and section.samples is None:
        raise SweepError(f"{origin}: method {section.method!r} needs samples (how many "
                         "variants to draw, e.g. samples = 50)")
    if section.method == "grid" and section.samples is not None:
        raise SweepError(f"{origin}: samples is for method 'random' or 'lhs'; a grid has "
                         "one variant per combination: remove samples")
    if not parameters:
        raise SweepError(f"{origin}: [parameters] is empty: give at least one scenario field "
                         "to vary, e.g. \"dust.tau\" = [\"clear\", \"dusty\"]")
    params = [_parameter(str(k), v, base_doc, origin) for k, v in parameters.items()]
    if section.method == "grid":
        bad = [p.path for p in params if p.dist is not None]
        if bad:
            raise SweepError(f"{origin}: parameter {bad[0]!r} is a distribution: a grid takes "
                             "lists and ranges; use method = 'random' or 'lhs' to sample it")
    keys, tabs = _check_collect(summary, tables, params, origin)
    try:  # the base alone must be a valid scenario (its own errors, named as such)
        from areo.mission import parse_scenario

        parse_scenario(base_doc, base_dir=base_dir, origin=base_origin)
    except ScenarioError as exc:
        raise SweepError(f"{origin}: base scenario: {exc}") from None
    return SweepSpec(name=section.name, base_doc=base_doc, base_dir=str(base_dir),
                     base_origin=base_origin, parameters=params, method=section.method,
                     samples=section.samples, seed=section.seed, summary_keys=keys,
                     tables=tabs, chunk_size=section.chunk_size, partial=section.partial,
                     cache=section.cache, origin=origin)


def _describe(exc: ValidationError, prefix: str = "") -> str:
    e = exc.errors()[0]
    loc = ".".join(str(p) for p in (prefix, *e.get("loc", ())) if p != "")
    kind = str(e.get("type", ""))
    if kind == "extra_forbidden":
        return f"field {loc!r} is not a sweep field here (allowed: {_allowed(e)})"
    if kind == "missing":
        return f"field {loc!r} is required: add it"
    text = " ".join(str(e.get("msg", "")).split())
    return f"field {loc!r}: {text} (got {_short(e.get('input'))})"


def _allowed(err: Mapping[str, Any]) -> str:
    loc = [str(p) for p in err.get("loc", ())][:-1]
    model: type[BaseModel] = {"sweep": SweepSection, "collect": CollectSection}.get(
        loc[-1] if loc else "", SweepFile)
    return ", ".join(model.model_fields)


def load_sweep(path: str | Path) -> SweepSpec:
    """Read and validate a sweep TOML file (see the module docstring). The base scenario
    path is relative to the sweep file. Raises :class:`SweepError` (one line)."""
    from areo.catalog import read_toml

    p = Path(path)
    origin = f"sweep {p}"
    try:
        doc = read_toml(p, "sweep file")
    except CatalogFileError as exc:
        raise SweepError(str(exc)) from None
    if "sweep" not in doc and "mission" in doc:
        raise SweepError(f"{origin}: this is a scenario file ([mission]), not a sweep file: a "
                         "sweep file has [sweep] (name, scenario = the scenario's path), "
                         "[parameters] and [collect]; see examples/sweep-exomars-landing.toml")
    try:
        f = SweepFile.model_validate(doc)
    except ValidationError as exc:
        raise SweepError(f"{origin}: {_describe(exc)}") from None
    s = f.sweep
    base = Path(s.scenario).expanduser()
    if not base.is_absolute():
        base = p.resolve().parent / base
    return build_spec(base, f.parameters, summary=f.collect.summary, tables=f.collect.tables,
                      name=s.name, method=s.method, samples=s.samples, seed=s.seed,
                      chunk_size=s.chunk_size, partial=s.partial, cache=s.cache,
                      origin=origin)
