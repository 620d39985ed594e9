"""The mission chain: one scenario, every product.

:func:`run_mission` checks the output directory and the scenario (``validate``: the rover,
the landing site, the orbiter files), runs the steps of :data:`areo.mission.steps.STEPS`
in order, each cached (:mod:`areo.mission.cache`) under a key derived from what it declares
it reads, then writes the products (:mod:`areo.mission.products`), ``summary.json`` and the
pages it is given (``pages``: the CLI passes :func:`areo.report.mission_page`, which draws
``report.html``; the interfaces layer hands it down, so this layer never imports it) into a
staging directory that replaces ``out_dir`` only once complete
(:class:`areo._output.OutputDir`).

The steps: ``transfer`` (porkchop and the chosen transfer, its capture budget), ``orbiters``
(orbits, OEM-ready ephemerides, ground tracks), ``relay`` (passes, Earth contacts,
conjunctions, the CP-SAT relay plan) and ``campaign`` (the rover campaign, with a
``[rover]``). Mission sols: sol 0 is the landing sol, starting at local mean midnight at the
landing longitude (:class:`areo.time.MissionClock`, NASA sol length); the operations span
runs from the landing to the end of sol ``operations.sols``.

With ``partial=True`` (``areo mission --partial``) a campaign that does not fit, or stops at
a sol the rover cannot survive, still gives every product, the campaign marked incomplete
(``summary.json`` ``campaign.complete``, ``incomplete_reason``, ``remaining_tasks``);
without it the run ends in one error that names the scenario field and ``--partial``.
"""

from __future__ import annotations

import json
import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from areo._output import OutputDir
from areo.io.records import write_json
from areo.mission.cache import StepCache, step_key
from areo.mission.context import MissionContext, StepInputs, declared_fields
from areo.mission.products import MissionProducts, PageWriter, write_products
from areo.mission.products import summary as mission_summary
from areo.mission.scenario import Scenario, load_scenario
from areo.mission.steps import STEPS as _STEPS
from areo.mission.steps import Step

__all__ = ["STEPS", "MissionResult", "StepEvent", "run_mission"]

#: Every stage of a run, in order, with the label the progress display shows.
STEPS: tuple[tuple[str, str], ...] = (
    ("validate", "Checking the scenario"),
    *((s.name, s.label) for s in _STEPS),
    ("products", "Tables, OEM ephemerides, Open MCT plan"),
    ("report", "Report"),
)
_LABELS = dict(STEPS)
#: For each step, the steps after it (what ``run_mission(..., upto=step)`` leaves out).
_AFTER = {s.name: {t.name for t in _STEPS[k + 1:]} for k, s in enumerate(_STEPS)}


@dataclass(frozen=True)
class StepEvent:
    """A progress event: ``state`` is 'start', 'progress' (``done`` of ``total`` inside a
    long step), 'done', 'cached' or 'skipped'."""

    step: str
    label: str
    state: str
    seconds: float = 0.0
    detail: str = ""
    done: int = 0
    total: int = 0


Progress = Callable[[StepEvent], None]


@dataclass
class MissionResult:
    """What a run produced: the output directory, its report and summary, and per step
    whether it was computed or reused from the cache."""

    out_dir: Path
    summary: dict[str, Any]
    steps: list[StepEvent] = field(default_factory=list)
    runtime_s: float = 0.0

    @property
    def report(self) -> Path | None:
        """``report.html`` when a page writer drew it (``pages=[areo.report.mission_page]``,
        as the CLI does), else None."""
        page = self.out_dir / "report.html"
        return page if page.is_file() else None

    @property
    def cached_steps(self) -> list[str]:
        return [e.step for e in self.steps if e.state == "cached"]

    @property
    def computed_steps(self) -> list[str]:
        return [e.step for e in self.steps if e.state == "done"
                and e.step not in ("products", "report", "validate")]

    def __repr__(self) -> str:
        s = self.summary
        return (f"MissionResult: {s['scenario']['name']}, launch {s['launch']['utc'][:10]}, "
                f"landing {s['landing']['utc'][:10]} at {s['landing']['site']['name']}, "
                f"{self.runtime_s:.1f} s -> {self.out_dir}")


# ============================================================================ runner
class _Runner:
    def __init__(self, progress: Progress | None, cache: StepCache):
        self.progress = progress
        self.cache = cache
        self.events: list[StepEvent] = []

    def emit(self, step: str, state: str, seconds: float = 0.0, detail: str = "",
             done: int = 0, total: int = 0) -> None:
        ev = StepEvent(step, _LABELS[step], state, seconds, detail, done, total)
        if state not in ("start", "progress"):
            self.events.append(ev)
        if self.progress is not None:
            self.progress(ev)

    def cached(self, step: str, key: str, compute: Callable[[], Any],
               detail: Callable[[Any], str]) -> Any:
        """Run ``compute`` unless the cache holds its result under ``key``."""
        self.emit(step, "start")
        t0 = _time.perf_counter()
        n_notes = len(self.cache.notes)
        value = self.cache.load(step, key)
        if value is not None:
            self.emit(step, "cached", _time.perf_counter() - t0, detail(value))
            return value
        value = compute()
        self.cache.save(step, key, value)
        text = detail(value)
        # An unreadable cache entry was recomputed: say so, in one line.
        notes = "; ".join(self.cache.notes[n_notes:])
        text = f"{text}; {notes}" if text and notes else text or notes
        self.emit(step, "done", _time.perf_counter() - t0, text)
        return value

    def plain(self, step: str, compute: Callable[[], Any]) -> Any:
        self.emit(step, "start")
        t0 = _time.perf_counter()
        value = compute()
        self.emit(step, "done", _time.perf_counter() - t0)
        return value


def key_inputs(step: Step, fingerprint: dict[str, Any], keys: dict[str, str],
               ctx: MissionContext | None = None) -> dict[str, Any]:
    """What a step's cache key hashes: the scenario fields it declares it reads, the
    contents (sha256) of the files those fields name, the fingerprints of the derived
    values it uses (from ``ctx``) and the keys of the steps it needs."""
    reads: dict[str, Any] = {}
    for section, names in declared_fields(step.reads).items():
        value = fingerprint[section]
        reads[section] = (value if names is None or value is None
                          else {n: value[n] for n in sorted(names)})
    text = json.dumps(reads, sort_keys=True, default=str)
    files = {rel: sha for rel, sha in fingerprint["_files"].items()
             if json.dumps(rel) in text}
    uses = {u: ctx.fingerprint(u) for u in step.uses} if ctx is not None else {}
    return {"reads": reads, "files": files, "uses": uses,
            "needs": {n: keys.get(n) for n in step.needs}}  # None: that step did not apply


def run_mission(
    scenario: Scenario | str | Path,
    out_dir: str | Path,
    *,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    progress: Progress | None = None,
    partial: bool = False,
    pages: Sequence[PageWriter] = (),
    upto: str | None = None,
    products: bool = True,
) -> MissionResult:
    """Run the whole chain for ``scenario`` and write every product into ``out_dir``.

    ``scenario``: a :class:`~areo.mission.scenario.Scenario` or the path of a scenario TOML
    file. ``cache=False`` recomputes every step (results are still stored for the next run);
    ``cache_dir`` overrides ``$AREO_CACHE_DIR`` / ``~/.cache/areo``. ``progress`` receives a
    :class:`StepEvent` as each step starts, progresses and ends. ``partial`` keeps an
    incomplete rover campaign (marked so) instead of raising. ``pages`` write further files
    from the run's results (``pages=[areo.report.mission_page]`` adds ``report.html``).
    ``upto`` stops after that step (a name of :data:`areo.mission.steps.STEPS`): the
    summary then holds what the steps run give (``orbiters`` empty, ``relay`` and
    ``campaign`` None before their steps) - what a sweep collecting only the launch needs.
    ``products=False`` writes ``summary.json`` alone (no tables, OEM files or pages).

    ``out_dir`` is checked and locked before any work, built beside itself and moved into
    place at the end: a failure leaves an existing ``out_dir`` as it was and never a partial
    one; a directory areo did not write is refused (:class:`areo._output.OutputDir`).

    Raises:
        ScenarioError, AreoInputError subclasses: bad input, named by its scenario field;
        an incomplete campaign without ``partial``, naming the field and ``--partial``.

    Example:
        >>> from areo.mission import parse_scenario
        >>> scenario = parse_scenario({
        ...     "mission": {"name": "demo"}, "launch": {"utc": "2020-07-30T11:50:00"},
        ...     "arrival": {"utc": "2021-02-18T20:55:00"}, "transfer": {"grid_points": 10},
        ...     "orbiters": [{"name": "tgo"}], "landing": {"site": "jezero"},
        ...     "stations": {"names": ["DSS-14"]},
        ...     "operations": {"sols": 2, "ephemeris_sols": 0.1}})
        >>> result = run_mission(scenario, "demo-out", cache=False)
        >>> sorted(result.summary)[:4]
        ['areo_version', 'arrival', 'cache', 'campaign']
    """
    t_start = _time.perf_counter()
    if upto is not None and upto not in _AFTER:
        from areo.errors import ParameterError

        raise ParameterError(f"upto {upto!r} is not a step: use one of {', '.join(_AFTER)}")
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    out = OutputDir(out_dir, kind="mission")
    with out:
        runner = _Runner(progress, StepCache(cache_dir, enabled=cache))
        return _run(sc, out, runner, t_start, partial, tuple(pages), upto, products)


def _run(sc: Scenario, out: OutputDir, runner: _Runner, t_start: float,
         partial: bool, pages: tuple[PageWriter, ...], upto: str | None = None,
         products: bool = True) -> MissionResult:
    ctx: MissionContext = runner.plain("validate", lambda: MissionContext.from_scenario(sc))
    fingerprint = sc.fingerprint()
    results: dict[str, Any] = {}
    keys: dict[str, str] = {}
    for step in _STEPS:
        if upto is not None and step.name in _AFTER[upto]:
            break
        if not step.applies(sc):
            runner.emit(step.name, "skipped", detail=step.skipped)
            continue
        key = step_key(step.name, key_inputs(step, fingerprint, keys, ctx))

        def report_progress(done: int, total: int, name: str = step.name) -> None:
            runner.emit(name, "progress", done=int(done), total=int(total))

        inputs = StepInputs(ctx, step, results, progress=report_progress)
        value = runner.cached(step.name, key, lambda s=step, i=inputs: s.compute(i),
                              step.detail)
        if step.accept is not None:
            step.accept(value, sc, partial)
        results[step.name], keys[step.name] = value, key
        if step.then is not None:
            step.then(ctx, value)

    transfer, orbiters, relay = (results["transfer"], results.get("orbiters"),
                                 results.get("relay"))
    campaign = results.get("campaign")
    summary = mission_summary(ctx, transfer, orbiters, relay, campaign,
                              results.get("trajectory"), results.get("edl"),
                              results.get("return"))
    with out.staging() as stage:
        files = runner.plain("products", lambda: write_products(
            stage, ctx, transfer, orbiters, relay, campaign, results.get("edl"),
            results.get("return"))
            if products and relay is not None else [])
        summary["cache"] = {
            "cached_steps": [e.step for e in runner.events if e.state == "cached"],
            "computed_steps": [e.step for e in runner.events if e.state == "done"
                               and e.step in keys],
            "notes": list(runner.cache.notes)}

        def report() -> None:
            summary["runtime_s"] = _time.perf_counter() - t_start
            made = MissionProducts(stage, summary, ctx, dict(results),
                                   (*files, "summary.json"))
            for page in pages if files else ():  # pages draw the products
                page(made)
            summary["runtime_s"] = _time.perf_counter() - t_start
            write_json(stage / "summary.json", summary)

        runner.plain("report", report)
    return MissionResult(out.path, summary, runner.events, summary["runtime_s"])
