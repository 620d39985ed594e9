"""A longer fuzz of the scenario loader than the test suite runs (not collected by pytest).

    .venv/bin/python -m tests.fuzz.fuzz_scenario [EXAMPLES] [--seed N] [--cli N]

Runs the property of tests/mission/test_scenario_fuzz.py (kept in tests/mission/fuzzing.py:
load_scenario returns a Scenario or one ScenarioError line, never another exception, never a
hang, never a file's secret)
over EXAMPLES random mutations (default 5000) with a random seed (printed, so a failure can
be replayed with --seed), then ``--cli N`` runs of ``areo mission`` on mutated short
scenarios (default 0; each valid one takes ~6 s).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", type=int, nargs="?", default=5000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--cli", type=int, default=0, help="runs of areo mission")
    args = ap.parse_args(argv)
    seed = random.randrange(2**32) if args.seed is None else args.seed
    print(f"seed {seed}, {args.examples} loader examples, {args.cli} CLI runs", flush=True)

    import pytest
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    from tests.mission import fuzzing as fz

    root = Path(tempfile.mkdtemp(prefix="areo-fuzz-"))
    arena = fz.make_arena(root)
    stats: dict[str, int] = {"scenario": 0, "error": 0}
    kinds: dict[str, int] = {}

    @hseed(seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(base=st.sampled_from(sorted(fz.BASES)),
           mutations=st.lists(fz.MUTATION, min_size=1, max_size=4))
    def loader(base, mutations):
        path = arena / "scenario.toml"
        path.write_bytes(fz.mutate(fz.BASES[base], mutations, arena))
        got = fz.check_load(path)
        stats["scenario" if isinstance(got, fz.Scenario) else "error"] += 1
        if isinstance(got, str):
            kind = got.split(": ", 1)[-1].split("'")[0][:40]
            kinds[kind] = kinds.get(kind, 0) + 1

    t0 = time.perf_counter()
    loader()
    print(f"loader: {stats['scenario']} scenarios accepted, {stats['error']} refused in one "
          f"line, {time.perf_counter() - t0:.0f} s", flush=True)
    for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:25]:
        print(f"{n:6d}  {kind}")
    if args.cli:
        code = pytest.main(["-q", "-p", "no:cacheprovider", "-k",
                            "test_cli_mission_on_mutated_scenarios",
                            f"--hypothesis-seed={seed}",
                            str(Path(fz.__file__).with_name("test_scenario_fuzz.py"))])
        if code:
            return int(code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
