"""AMAT 2.3.0 (NASA, GPL-3.0) as a peer on the part both model: the hypersonic ballistic
entry of an MSL-like capsule on an exponential atmosphere given to both (AMAT's tables are
not in its wheel). AMAT runs in its own venv (numpy 1.26): ``AMAT_PYTHON`` or
/tmp/amat-venv/bin/python (see ../shared/reference/peer-libraries.md); skipped without it.
Not a dependency and nothing copied: its output is compared, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace

import numpy as np
import pytest

PY = os.environ.get("AMAT_PYTHON", "/tmp/amat-venv/bin/python")

SCRIPT = r"""
import json, os, tempfile
import numpy as np
from AMAT.planet import Planet
from AMAT.vehicle import Vehicle
h = np.arange(0.0, 200001.0, 1000.0)
rho = 0.020 * np.exp(-h / 11100.0)
f = os.path.join(tempfile.mkdtemp(), "exp.dat")
np.savetxt(f, np.column_stack([h, np.full(h.size, 210.0), rho * 191.8 * 210.0, rho]))
planet = Planet("MARS")
planet.loadAtmosphereModel(f, 0, 1, 2, 3)
planet.h_skip, planet.h_trap, planet.h_low = 125000.0, 10000.0, 10000.0
area = np.pi * 4.5 ** 2 / 4
veh = Vehicle("MSL-like", 3257.0, 3257.0 / (1.45 * area), 0.0, area, 0.0, 1.125, planet)
veh.setInitialState(125.0, 0.0, 0.0, 5.845, 0.0, -15.5, 0.0, 0.0)
veh.setSolverParams(1e-8)
veh.propogateEntry(2400.0, 0.1, 0.0)
print(json.dumps({"h_km": veh.h_kmc.tolist(), "v_kms": veh.v_kmsc.tolist(),
                  "g": veh.acc_net_g.tolist()}))
"""


@pytest.mark.skipif(not os.path.exists(PY), reason="no AMAT venv (AMAT_PYTHON)")
def test_hypersonic_entry_matches_amat():
    from areo.edl import FlightOptions, exponential, vehicle
    from areo.edl import _kernels as K
    from areo.edl.dynamics import fly, local_state

    out = subprocess.run([PY, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        pytest.skip(f"AMAT did not run: {out.stderr.strip().splitlines()[-1:]}")
    peer = json.loads(out.stdout.strip().splitlines()[-1])
    v = replace(vehicle("msl"), lift_to_drag=0.0, guided=False, events=(),
                flyaway_mass_kg=0.0, ground_alt_km=-5.0)
    y0 = local_state(0.0, 0.0, 125.0, 5.845, -15.5, 90.0, 3257.0, inertial=False)
    res = fly(v, y0[None], exponential(0.020, 11.1, 210.0), history=1, physics={"j2": 0.0},
              options=FlightOptions(step_entry_s=0.1, step_coast_s=0.1))
    h = res.hist[0]
    h = h[np.isfinite(h[:, K.H_T])]
    ha, va = np.asarray(peer["h_km"]), np.asarray(peer["v_kms"])
    sel = ha > 15.0
    alt = h[:, K.H_ALT] - 5.0
    v_areo = np.interp(ha[sel], alt[::-1], h[::-1, K.H_SPEED] / 1000.0)
    # AMAT's planet radius and GM differ slightly from areo's (IAU / DE440) and its heading
    # convention may differ: a few m/s
    assert np.max(np.abs(v_areo - va[sel])) < 0.005
    assert abs(np.max(h[:, K.H_G]) / np.max(peer["g"]) - 1.0) < 0.01
