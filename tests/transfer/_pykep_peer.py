"""Run pykep 3.0.1's ``mga_1dsm`` fitness on decision vectors, in a child process.

pykep's PyPI wheel lacks ``pykep/trajopt/gym/tops/*.json``, so ``import pykep`` fails unless
a stub module stands in for ``pykep.trajopt.gym``; ``heyoka`` must be imported first, and the
interpreter may crash at exit (../shared/reference/peer-libraries.md). A child process keeps
both away from pytest: it reads a JSON request on stdin, prints one JSON line and leaves with
``os._exit(0)``.

The planets are *user planets* fed with areo's DE440 states (ECLIPJ2000, heliocentric),
tabulated by the parent at every epoch the child will ask for: pykep and areo then see the
same planets bit for bit, and the comparison tests the trajectory model only.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r'''
import json, os, sys, types, importlib.util
req = json.loads(sys.stdin.read())
try:
    import heyoka  # noqa: F401  (pykep aborts later without it)
    spec = importlib.util.find_spec("pykep")
    root = spec.submodule_search_locations[0]
    gym = types.ModuleType("pykep.trajopt.gym")
    gym.__path__ = [os.path.join(root, "trajopt", "gym")]
    sys.modules["pykep.trajopt.gym"] = gym
    import pykep as pk
except Exception as exc:  # reported to the parent, which skips with the reason
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    sys.stdout.flush()
    os._exit(0)

class Tabulated:
    """A pykep user planet answering from a table of states (m, m/s) keyed by epoch."""
    def __init__(self, name, table, mu_sun, mu_self, radius, safe_radius):
        self.name, self.table = name, {float(k): v for k, v in table}
        self.mu_sun, self.mu_self, self.radius, self.safe = mu_sun, mu_self, radius, safe_radius
    def eph(self, mjd2000):
        s = self.table[round(float(mjd2000), 9)]
        return [s[:3], s[3:]]
    def get_mu_central_body(self): return self.mu_sun
    def get_mu_self(self): return self.mu_self
    def get_radius(self): return self.radius
    def get_safe_radius(self): return self.safe
    def get_name(self): return self.name

seq = [pk.planet(Tabulated(**p)) for p in req["planets"]]
udp = pk.trajopt.mga_1dsm(seq=seq, t0=req["t0"], tof=req["tof"], vinf=req["vinf"],
                          add_vinf_dep=req["add_vinf_dep"], add_vinf_arr=req["add_vinf_arr"],
                          tof_encoding="direct", eta_bounds=req["eta"], rp_ub=req["rp_ub"])
out = [udp.fitness(x)[0] for x in req["x"]]
print(json.dumps({"f": out}))
sys.stdout.flush()
os._exit(0)
'''


def pykep_mga_1dsm(request: dict) -> dict:
    """Run the child on ``request``; returns its JSON answer (``{"f": [...]}`` or
    ``{"error": ...}``)."""
    proc = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(request),
                          capture_output=True, text=True, timeout=120)
    for line in proc.stdout.splitlines()[::-1]:
        if line.startswith("{"):
            return json.loads(line)
    return {"error": f"pykep child failed (rc {proc.returncode}): {proc.stderr[-500:]}"}
