"""First-run cost: numba compilation on a newcomer's first commands, cold and warm.

Run: ``.venv/bin/python benchmarks/bench_first_run.py [--repeat 2] [--cowell] [--skip-mission]``.

Every figure comes from a fresh subprocess. "Cold" runs get an empty numba cache
(``NUMBA_CACHE_DIR`` pointing at a new temporary directory, so the ``__pycache__`` caches of
the working tree are neither used nor touched) and an empty areo cache (``AREO_CACHE_DIR``);
"warm" runs reuse the directories a previous run filled. Targets (issue: the first run is
fast, 2 cores, quiet machine): ``areo mission examples/exomars-2028.toml`` under 30 s from
empty caches and under 2 s warm; a scalar ``Orbit.from_state`` under 50 us; ``import
areo.cli`` and a cold ``areo time`` well under 1-2 s.

Other jobs may share the cores: the load average is printed before and after each block and
each figure is the best of ``--repeat`` runs. After the cold mission the script lists every
kernel the run compiled with its number of signatures (each kernel should compile once).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import cpu_model

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
AREO = str(Path(PY).parent / "areo")  # the console script of this environment
SCENARIO = ROOT / "examples" / "exomars-2028.toml"

# Each snippet prints one JSON object; times exclude the interpreter start and imports
# unless said otherwise.
KEPLER = """
import json, time
t0 = time.perf_counter()
import numpy as np
from areo.orbits import propagate_kepler
t1 = time.perf_counter()
s = np.array([[3796.19, 100.0, 50.0, -0.1, 3.3, 0.5]])
propagate_kepler(s, np.linspace(0.0, 86400.0, 10), 42828.375816)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_s": t2 - t1}))
"""

PORKCHOP = """
import json, time
t0 = time.perf_counter()
from areo.transfer import porkchop_span
t1 = time.perf_counter()
porkchop_span("2028-09-01", "2028-11-09", "2029-06-01", "2029-08-09", step_days=7.0)
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_s": t2 - t1}))
"""

FROM_STATE = """
import json, time, timeit
import numpy as np
from areo.orbits import Orbit
s = np.array([3796.19, 100.0, 50.0, -0.1, 3.3, 0.5])
t0 = time.perf_counter()
Orbit.from_state(s, 0.0)
first = time.perf_counter() - t0
ts = timeit.repeat(lambda: Orbit.from_state(s, 0.0), number=1, repeat=3000)
print(json.dumps({"first_s": first, "median_s": float(np.median(ts)), "best_s": min(ts)}))
"""

COWELL = """
import json, time
t0 = time.perf_counter()
import numpy as np
from areo.orbits.numerical import ForceModel, propagate_cowell
t1 = time.perf_counter()
s0 = np.array([3396.19 + 400.0, 0.0, 0.0, 0.0, 3.36, 0.1])
propagate_cowell(s0, 0.0, np.linspace(0.0, 7200.0, 5))
t2 = time.perf_counter()
propagate_cowell(s0, 1e8, 1e8 + np.linspace(0.0, 7200.0, 5), ForceModel(sun=True))
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_s": t2 - t1, "sun_after_s": t3 - t2}))
"""


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux
        return "load n/a"
    return f"load {one:.2f} (1 min) {five:.2f} (5 min)"


def machine() -> str:
    import numba

    return (f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"numba {numba.__version__}")


def _env(numba_dir: str, areo_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env["NUMBA_CACHE_DIR"] = numba_dir
    env["AREO_CACHE_DIR"] = areo_dir
    return env


def run_snippet(code: str, numba_dir: str, areo_dir: str) -> dict:
    res = subprocess.run([PY, "-c", code], env=_env(numba_dir, areo_dir), cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def run_wall(args: list[str], numba_dir: str, areo_dir: str) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(args, env=_env(numba_dir, areo_dir), cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if res.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    return wall


def fresh(parent: str) -> str:
    return tempfile.mkdtemp(dir=parent)


def signatures(numba_dir: str) -> dict[str, int]:
    """Kernel name -> number of compiled signatures, from numba's index files."""
    found: dict[str, int] = {}
    for idx in Path(numba_dir).rglob("*.nbi"):
        try:
            with open(idx, "rb") as fh:
                pickle.load(fh)  # numba version
                _stamp, overloads = pickle.loads(fh.read())
        except Exception:  # another numba version's layout: skip it
            continue
        name = idx.name.split("-")[0]
        found[name] = found.get(name, 0) + len(overloads)
    return dict(sorted(found.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2, help="runs per figure (best kept)")
    ap.add_argument("--cowell", action="store_true", help="also the first Cowell run (slow)")
    ap.add_argument("--skip-mission", action="store_true", help="no areo mission runs")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    print(f"{load()} at start")
    top = tempfile.mkdtemp(prefix="areo-first-run-")
    try:
        rows: list[tuple[str, float, str]] = []

        def best(label: str, fn, note: str = "") -> float:
            vals = [fn() for _ in range(args.repeat)]
            rows.append((label, min(vals), note))
            print(f"  {label:<52}{min(vals):>9.3f} s  {note}  [{load()}]", flush=True)
            return min(vals)

        print("imports and a small command (cold numba cache):")
        best("python -c 'import areo.cli' (wall)",
             lambda: run_wall([PY, "-c", "import areo.cli"], fresh(top), fresh(top)))
        best("areo time 2030-01-01 (wall)",
             lambda: run_wall([AREO, "time", "2030-01-01"], fresh(top), fresh(top)))
        print("first calls from a cold numba cache (after imports):")
        best("first propagate_kepler (1 orbit x 10 epochs)",
             lambda: run_snippet(KEPLER, fresh(top), fresh(top))["first_s"])
        best("first porkchop 10 x 10",
             lambda: run_snippet(PORKCHOP, fresh(top), fresh(top))["first_s"])
        if args.cowell:
            res = [run_snippet(COWELL, fresh(top), fresh(top)) for _ in range(args.repeat)]
            first = min(r["first_s"] for r in res)
            sun = min(r["sun_after_s"] for r in res)
            rows.append(("first propagate_cowell", first, ""))
            print(f"  {'first propagate_cowell (point mass + J2 + J3)':<52}{first:>9.3f} s")
            print(f"  {'then with the Sun (recompiles if signatures differ)':<52}{sun:>9.3f} s")
        print("scalar Orbit.from_state (warm numba cache):")
        warm = fresh(top)
        run_snippet(FROM_STATE, warm, fresh(top))
        fs = [run_snippet(FROM_STATE, warm, fresh(top)) for _ in range(args.repeat)]
        med = min(r["median_s"] for r in fs) * 1e6
        bst = min(r["best_s"] for r in fs) * 1e6
        print(f"  {'median of 3000 calls':<52}{med:>9.1f} us  (best call {bst:.1f} us) "
              f"[{load()}]")
        if not args.skip_mission:
            print(f"areo mission {SCENARIO.name} (wall, whole command):")
            cmd = [AREO, "mission", str(SCENARIO)]
            cold_dirs: list[str] = []

            def cold() -> float:
                nd = fresh(top)
                cold_dirs.append(nd)
                return run_wall([*cmd, "--out", fresh(top) + "/out"], nd, fresh(top))

            best("empty numba cache, empty areo cache", cold)
            nd = cold_dirs[-1]
            best("warm numba cache, empty areo cache",
                 lambda: run_wall([*cmd, "--out", fresh(top) + "/out"], nd, fresh(top)))
            ad = fresh(top)
            run_wall([*cmd, "--out", fresh(top) + "/out"], nd, ad)
            best("warm numba cache, warm areo cache",
                 lambda: run_wall([*cmd, "--out", fresh(top) + "/out"], nd, ad))
            sigs = signatures(cold_dirs[-1])
            multi = {k: v for k, v in sigs.items() if v > 1}
            print(f"kernels compiled by the cold mission: {len(sigs)} "
                  f"({sum(sigs.values())} signatures); more than one signature: "
                  f"{multi or 'none'}")
        print(f"{load()} at the end")
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
