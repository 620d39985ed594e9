"""The scenario fuzzer's machinery: mutations of the example scenarios, the arena of hostile
files they point at and the loader's property (a Scenario or one ScenarioError line, never a
file's secret, never a hang). Shared by tests/mission/test_scenario_fuzz.py and the longer
tests/fuzz/fuzz_scenario.py; not a test module."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
from pathlib import Path

from hypothesis import strategies as st

from areo.mission import Scenario, ScenarioError, load_scenario
from tests.mission.helpers import EXAMPLES

SECRET = "hunter2-do-not-echo"
#: Seconds one load may take before it counts as a hang.
LOAD_LIMIT_S = 20.0

BASES = {
    "exomars": (EXAMPLES / "exomars-2028.toml").read_text(encoding="utf-8"),
    "perseverance": (EXAMPLES / "perseverance-2020.toml").read_text(encoding="utf-8"),
}
FIELDS = sorted({
    "name", "description", "earliest", "latest", "utc", "parking_alt_km", "objective",
    "max_revs", "grid_points", "periapsis_alt_km", "period_h", "apoapsis_alt_km",
    "final_alt_km", "radio", "peri_alt_km", "apo_alt_km", "inc_deg", "raan_deg", "argp_deg",
    "mean_anomaly_deg", "epoch_utc", "oem", "spk", "naif_id", "site", "lat_deg",
    "lon_east_deg", "model", "key", "experiment_cycles", "vertical_surveys", "names", "sols",
    "min_elev_deg", "rate_mode", "orbiter_storage_mbit", "ephemeris_sols", "ephemeris_step_s",
    "tau", "loss_per_sol", "cleanings", "energy_fraction", "link_fraction", "min_soc",
    "base_dir", "origin", "unknown_field",
})
SECTIONS = ["mission", "launch", "arrival", "transfer", "capture", "[orbiters]", "landing",
            "rover", "stations", "operations", "dust", "margins", "bogus", "mission.name"]

# Paths relative to the scenario file (it lives in the arena directory); "{arena}" is
# replaced by the arena's absolute path.
HOSTILE_PATHS = [
    "../../../../../../../../etc/passwd", "/etc/passwd", "/dev/zero", "/dev/null",
    "/dev/urandom", "/proc/self/environ", "fifo", "fifo.toml", "dir", "dir.toml",
    "secret.txt", "secret.toml", "big.oem", "header.oem", "notdaf.bsp", "missing.oem",
    "{arena}/secret.txt", "~/nonexistent.toml", "", " ", "a\\u0000b", "rovers/x",
    "x" * 5000 + ".toml",
]
LITERALS = [
    "0", "-1", "1", "1e308", "-1e308", "inf", "-inf", "nan", "+nan", "5e-324", "1e-300",
    "9223372036854775807", "-9223372036854775808", "99999999999999999999999",
    "true", "false", "[]", "[1, 2, 3]", '["a", "b"]', "{}", "{a = 1}", "[[1], [2]]",
    "1000-01-01", "1549-12-31", "2649-12-31", "2650-01-26", "9999-12-31",
    "2030-11-20T12:00:00Z", "2030-11-20T12:00:00+14:00", "00:00:00", '"2030-02-30"',
    '"yesterday"', '""', '"   "', '"tgo"', '"jezero"', '"seasonal"', '"storm"',
    '"Tianwen-1 天问"', '"\\u0000"', '"\\u001b[31m"', '"a\\nb"', '"a\\tb"', '"[/]"',
    '"\\u202eevil"', '"' + "x" * 300 + '"', '"' + "y" * 100_000 + '"', "'''multi\nline'''",
]


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _toml_float(x: float) -> str:
    r = repr(x)
    return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(r, r)


VALUES = st.one_of(
    st.sampled_from(LITERALS),
    st.sampled_from(HOSTILE_PATHS).map(_toml_string),
    st.floats(allow_nan=True, allow_infinity=True).map(_toml_float),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80).map(_toml_string),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),  # raw, often bad TOML
)
# Weighted towards value replacements (schema errors) over syntax errors.
OPS = ["replace"] * 8 + ["insert"] * 3 + ["drop", "duplicate", "section", "garbage",
                                          "truncate", "bytes"]
MUTATION = st.tuples(st.sampled_from(OPS), st.integers(0, 10**6), VALUES,
                     st.sampled_from(FIELDS), st.sampled_from(SECTIONS),
                     st.binary(min_size=1, max_size=8))
_ASSIGN = re.compile(r"^(\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*)(.*)$")


def mutate(text: str, mutations, arena: Path) -> bytes:
    """Apply ``mutations`` (from MUTATION) to the scenario text; returns the file bytes."""
    lines = text.split("\n")
    tail = b""
    for op, k, value, field, section, raw in mutations:
        value = value.replace("{arena}", str(arena))
        assigns = [i for i, ln in enumerate(lines) if _ASSIGN.match(ln)]
        if op == "replace" and assigns:
            i = assigns[k % len(assigns)]
            lines[i] = _ASSIGN.match(lines[i]).group(1) + value  # type: ignore[union-attr]
        elif op == "drop" and lines:
            del lines[k % len(lines)]
        elif op == "duplicate" and lines:
            i = k % len(lines)
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(k % (len(lines) + 1), f"{field} = {value}")
        elif op == "section":
            heads = [i for i, ln in enumerate(lines) if ln.startswith("[")]
            if heads:
                lines[heads[k % len(heads)]] = f"[{section}]"
        elif op == "garbage":
            lines.insert(k % (len(lines) + 1), value)
        elif op == "truncate":
            joined = "\n".join(lines)
            lines = joined[: k % (len(joined) + 1)].split("\n")
        elif op == "bytes":
            tail += raw
    return "\n".join(lines).encode("utf-8", errors="surrogatepass") + tail


def make_arena(root: Path) -> Path:
    """Fill ``root`` with the hostile files the mutated scenarios point at."""
    (root / "secret.txt").write_text(f"root:x:0:0:{SECRET}:/root\n{SECRET}\n")
    (root / "secret.toml").write_text(f"{SECRET} = 1\n[rovers.x]\nname = '{SECRET}'\n")
    (root / "header.oem").write_text(f"CCSDS_OEM_VERS = 3.0\n{SECRET}\n")
    (root / "notdaf.bsp").write_bytes(b"DAF/SPX " + SECRET.encode() * 100)
    with open(root / "big.oem", "wb") as fh:
        fh.truncate((512 << 20) + 1)  # sparse
    for name in ("fifo", "fifo.toml"):
        os.mkfifo(root / name)
    for name in ("dir", "dir.toml"):
        (root / name).mkdir()
    return root


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail (TimeoutError) if the block runs longer than ``seconds``: a hang."""
    def on_alarm(signum, frame):
        raise TimeoutError(f"hung for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check_load(path: Path) -> Scenario | str:
    """load_scenario's property: a Scenario, or a one-line ScenarioError (returned)."""
    try:
        with deadline(LOAD_LIMIT_S):
            return load_scenario(path)
    except ScenarioError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg and "\r" not in msg, repr(msg)
        assert SECRET not in msg, msg
        assert msg.startswith("scenario "), msg
        return msg
