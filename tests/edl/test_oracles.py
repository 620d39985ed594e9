"""EDL dynamics against closed forms and invariants (nothing areo wrote).

- Allen & Eggers (1958, NACA Report 1381): a ballistic entry along a straight line at a
  constant flight-path angle through an exponential atmosphere, without gravity, has
  ``V = V_E exp(-rho H / (2 beta sin|gamma|))``, the peak deceleration
  ``V_E^2 sin|gamma| / (2 e H)`` at the altitude ``H ln(rho0 H / (beta sin|gamma|))``.
  A vertical entry over a non-rotating Mars without gravity is such a line.
- Without drag: the Jacobi integral in the rotating frame (v^2/2 - w^2 (x^2+y^2)/2 + U,
  U the point-mass + J2 potential) and the polar component of the inertial angular momentum
  are conserved (Vallado 2013 sec. 8.6; the J2 field is axially symmetric).
- Step convergence: the default steps against 0.05 s steps.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from areo.edl import FlightOptions, exponential, vehicle
from areo.edl import _kernels as K
from areo.edl.dynamics import fly, local_state, mars_model, nominal_disp
from areo.edl.ellipse import bearing_distance

RHO0, H_KM = 0.020, 11.1
ATM = exponential(RHO0, H_KM)


def _ballistic(mass: float, cda: float):
    """A vehicle with no events, ballistic, drag area ``cda``."""
    v = vehicle("mer")
    d = math.sqrt(4.0 * cda / (math.pi * v.cd))
    return replace(v, entry_mass_kg=mass, diameter_m=d, events=(), ground_alt_km=-9.0,
                   flyaway_mass_kg=0.0)


@pytest.mark.parametrize("speed_kms,beta", [(6.0, 100.0), (4.5, 60.0)])
def test_allen_eggers_peak_deceleration_and_its_altitude(speed_kms, beta):
    veh = _ballistic(1000.0, 1000.0 / beta)
    y0 = local_state(0.0, 0.0, 125.0, speed_kms, -90.0, 0.0, 1000.0, inertial=False)
    opts = FlightOptions(step_entry_s=0.002, step_coast_s=0.002, atm_step_km=0.5)
    out = fly(veh, y0[None], ATM, options=opts, history=1, history_points=100_000,
              physics={"mu": 0.0, "j2": 0.0, "omega": 0.0})
    h = out.hist[0]
    h = h[np.isfinite(h[:, K.H_T])]
    k = int(np.argmax(h[:, K.H_G]))
    # parabola through the three samples around the peak (in time)
    t3, g3, a3 = h[k - 1:k + 2, K.H_T], h[k - 1:k + 2, K.H_G], h[k - 1:k + 2, K.H_ALT]
    c = np.polyfit(t3 - t3[1], g3, 2)
    tp = -c[1] / (2 * c[0])
    gpk = np.polyval(c, tp)
    alt_pk = np.polyval(np.polyfit(t3 - t3[1], a3, 2), tp) - 9.0  # above the ellipsoid
    g0 = 9.80665
    v_e = speed_kms * 1000.0
    a_ae = v_e ** 2 / (2.0 * math.e * H_KM * 1000.0)
    h_ae = H_KM * math.log(RHO0 * H_KM * 1000.0 / beta)
    assert abs(gpk * g0 / a_ae - 1.0) < 0.01, (gpk * g0, a_ae)
    assert abs(alt_pk / h_ae - 1.0) < 0.01, (alt_pk, h_ae)
    # the whole velocity history
    alt = h[:, K.H_ALT] - 9.0
    sel = alt > 2.0
    v_ae = v_e * np.exp(-RHO0 * np.exp(-alt[sel] / H_KM) * H_KM * 1000.0 / (2.0 * beta))
    assert np.max(np.abs(h[sel, K.H_SPEED] / v_ae - 1.0)) < 1e-3


def _jacobi_and_hz(hist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mm = mars_model()
    s = hist[:, K.H_STATE:K.H_STATE + 6]
    r = np.linalg.norm(s[:, :3], axis=1)
    sinphi = s[:, 2] / r
    u = -mm["mu"] / r + mm["mu"] * mm["j2"] * mm["re"] ** 2 / (2 * r ** 3) * (
        3 * sinphi ** 2 - 1)
    w = mm["omega"]
    jac = 0.5 * np.sum(s[:, 3:] ** 2, axis=1) - 0.5 * w ** 2 * (s[:, 0] ** 2 + s[:, 1] ** 2) + u
    vx_in = s[:, 3] - w * s[:, 1]
    vy_in = s[:, 4] + w * s[:, 0]
    hz = s[:, 0] * vy_in - s[:, 1] * vx_in
    return jac, hz


def test_without_drag_jacobi_integral_and_polar_angular_momentum_are_conserved():
    veh = _ballistic(1000.0, 10.0)
    y0 = local_state(20.0, 30.0, 125.0, 5.8, -8.0, 60.0, 1000.0)
    disp = nominal_disp(1)
    disp[0, K.D_CDA] = 0.0  # no drag at all
    out = fly(veh, y0[None], ATM, disp=disp, history=1,
              options=FlightOptions(step_entry_s=1.0, step_coast_s=1.0))
    h = out.hist[0]
    h = h[np.isfinite(h[:, K.H_T])]
    assert h.shape[0] > 50
    jac, hz = _jacobi_and_hz(h)
    assert np.max(np.abs(jac / jac[0] - 1.0)) < 1e-10
    assert np.max(np.abs(hz / hz[0] - 1.0)) < 1e-10


@pytest.mark.parametrize("name", ["msl", "mer"])
def test_default_steps_converge_to_small_steps(name):
    from areo.edl.entry import entry_from_site, reference_vehicle

    times = {"msl": "2012-08-06T05:10:45Z", "mer": "2004-01-04T04:29:00Z"}
    e = entry_from_site(name, None, times[name])
    v = reference_vehicle(e.vehicle, e.target)
    fine = FlightOptions(step_entry_s=0.05, step_chute_s=0.05, step_terminal_s=0.02,
                         step_body_s=0.05, step_coast_s=0.05)
    ref = fly(v, e.state[None], options=fine)
    out = fly(v, e.state[None])
    d, _ = bearing_distance(np.degrees(out.land[0, K.L_LAT]), np.degrees(out.land[0, K.L_LON]),
                            np.degrees(ref.land[0, K.L_LAT]), np.degrees(ref.land[0, K.L_LON]))
    assert d < 10.0
    for k in range(len(out.body_names)):
        db, _ = bearing_distance(np.degrees(out.bodies[0, k, K.B_LAT]),
                                 np.degrees(out.bodies[0, k, K.B_LON]),
                                 np.degrees(ref.bodies[0, k, K.B_LAT]),
                                 np.degrees(ref.bodies[0, k, K.B_LON]))
        assert db < 10.0
    assert abs(out.peak[0, K.P_G] / ref.peak[0, K.P_G] - 1.0) < 0.01


def test_a_wind_layer_drifts_the_parachute_descent_with_the_air():
    """Under a parachute at terminal speed a light vehicle moves with the air: a 20 m/s
    east wind below 7 km (above the ellipsoid; none above 7.5 km) shifts the touchdown east
    by 20 m/s x the time from entering the layer to the start of the powered descent (whose
    law nulls the ground-relative motion), within 10 %."""
    from areo.edl import glenn
    from areo.edl.entry import entry_from_site, reference_vehicle

    e = entry_from_site("phoenix", None, "2008-05-25T23:30Z")
    v = reference_vehicle(e.vehicle, e.target)
    calm = fly(v, e.state[None], glenn(), history=1)
    windy_atm = glenn().with_wind([-10.0, 7.0, 7.5, 200.0], [20.0, 20.0, 0.0, 0.0],
                                  [0.0, 0.0, 0.0, 0.0])
    windy = fly(v, e.state[None], windy_atm)
    d, brg = bearing_distance(np.degrees(windy.land[0, K.L_LAT]),
                              np.degrees(windy.land[0, K.L_LON]),
                              np.degrees(calm.land[0, K.L_LAT]),
                              np.degrees(calm.land[0, K.L_LON]))
    h = calm.hist[0]
    h = h[np.isfinite(h[:, K.H_T])]
    alt_ellipsoid = h[:, K.H_ALT] + v.ground_alt_km
    t_in = h[np.argmax(alt_ellipsoid < 7.25), K.H_T]
    t_powered = calm.events[0, 3, K.EV_T]
    want = 20.0 * (t_powered - t_in)
    assert abs(d / want - 1.0) < 0.10, (d, want)
    assert abs(brg - 90.0) < 5.0


def test_bank_profile_mirror_symmetry_and_constant_profile():
    """Over a spherical non-rotating Mars a bank of +sigma and -sigma are mirror images
    about the initial trajectory plane: equal and opposite crossrange (to 1e-9 relative).
    A constant profile is the constant bank."""
    from areo.edl.ellipse import to_local

    v0 = replace(vehicle("msl"), guided=False, events=(), flyaway_mass_kg=0.0,
                 ground_alt_km=-4.0)
    y0 = local_state(0.0, 0.0, 125.0, 5.8, -14.0, 90.0, v0.entry_mass_kg, inertial=False)
    phys = {"j2": 0.0, "omega": 0.0}
    land = {}
    for s in (+1, -1):
        v = replace(v0, bank_profile=((0.0, s * 30.0), (3.0, s * 30.0), (4.0, s * 80.0)))
        out = fly(v, y0[None], ATM, physics=phys)
        land[s] = to_local(np.degrees(out.land[0, K.L_LAT]), np.degrees(out.land[0, K.L_LON]),
                           0.0, 0.0)
    (e1, n1), (e2, n2) = land[1], land[-1]
    assert abs(n1) > 1.0  # a real crossrange, km
    assert abs(n1 + n2) < 1e-9 * abs(n1) + 1e-9 and abs(e1 - e2) < 1e-9 * abs(e1)
    a = fly(replace(v0, bank_deg=50.0), y0[None], ATM)
    b = fly(replace(v0, bank_deg=10.0, bank_profile=((1.0, 50.0), (2.0, 50.0))), y0[None], ATM)
    assert np.array_equal(a.land, b.land)
