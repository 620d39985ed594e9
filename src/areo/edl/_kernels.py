"""Compiled entry, descent and landing kernel: a batch of 3-DOF point-mass trajectories.

Plain arrays in, plain arrays out (km, km/s, s, rad inside; SI for aerodynamics: kg, m^2,
Pa, N, m/s). The friendly layer (:mod:`areo.edl.dynamics`) builds the tables and checks
inputs; nothing here validates.

Physics (each from its textbook, written here):

- Equations of motion in the Mars-fixed rotating frame (IAU_MARS, uniform rotation about
  its z axis at the IAU 2015 rate): ``a = g(r) + a_aero + a_thrust - 2 w x v - w x (w x r)``
  (e.g. Vinh, Busemann & Culp, *Hypersonic and Planetary Entry Flight Mechanics*, 1980,
  ch. 2), gravity point mass + J2 (Vallado 2013, eq. 8-30).
- Aerodynamics: drag ``0.5 rho V^2 CdA`` against the air-relative velocity (winds from the
  atmosphere table in East/North components), lift ``L/D`` times drag perpendicular to it,
  rotated about the velocity by the bank angle from the vertical plane.
- Altitude above the IAU ellipsoid from the planetocentric latitude (the oblate radius at
  that latitude; the difference from the geodetic height is below 5 m at entry altitudes).
- Stagnation-point heating by Sutton & Graves (1971, NASA TR R-376) with the Mars
  constant ``k = 1.9027e-4 kg^0.5/m`` (Tauber & Sutton 1991, J. Spacecraft 28:40, table 1).
- Integration: classical fourth-order Runge-Kutta at a fixed step per flight mode (entry,
  parachute, terminal, separated body). Events (parachute deploy, jettisons, separation,
  engines, sensor faults, touchdown) are located inside the step where their trigger
  function crosses zero (Illinois regula falsi on re-integrated partial steps), applied
  there, and the integration goes on from that instant. Each trajectory runs its own phase
  sequence with its own steps, so a batch never waits for its slowest member, and the
  arithmetic of a trajectory does not depend on its neighbours: results are reproducible
  bit for bit whatever the chunking.
- Range-control guidance (MSL-like, simplified): the bank magnitude follows
  ``cos(sigma) = cos(sigma_ref) + K (R_togo - R_pred)`` with the predicted range
  ``R_pred = R_ref(V) - R_ref(V) (D - D_ref(V)) / D_ref(V)``: the nominal trajectory's
  range-to-go and drag at the same speed, the range to decelerate scaling as 1 / drag
  (the Apollo final-phase form, Moseley's predictor reduced to its drag term; MSL's entry
  guidance descends from it: Mendeck & Craig 2011, AAS 11-301); bank reversals when the
  crossrange leaves a velocity-dependent deadband; below the guidance's end speed, heading
  alignment (the reference vertical lift, the horizontal part toward the target). Not
  MSL's gains: a representative controller.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# --- per-trajectory dispersion columns (``disp``) -------------------------------------
D_CDA = 0  # entry CdA multiplier
D_LOD = 1  # L/D multiplier
D_RHO = 2  # density multiplier
D_HS = 3  # log-density slope perturbation, 1/km (scale-height change)
D_WAMP = 4  # altitude-correlated density wave amplitude (fraction)
D_WPHASE = 5  # its phase, rad
D_CHUTE1 = 6  # first parachute CdA multiplier
D_CHUTE2 = 7  # second parachute CdA multiplier
D_WIND = 8  # wind multiplier
D_THRUST = 9  # thrust multiplier
D_BANK = 10  # reference bank offset, rad
D_NAV_E = 11  # navigation knowledge error: where the vehicle believes the target is,
D_NAV_N = 12  # km east / north of the true target (guidance and range triggers)
D_ZTAB = 13  # normal deviate on the table's density band: ln rho += z sigma_ln(h)
ND = 14

# --- vehicle scalars (``veh``) ----------------------------------------------------------
V_CDA = 0  # entry Cd * A, m^2
V_LOD = 1  # hypersonic L/D
V_BANK = 2  # reference bank angle, rad
V_RN = 3  # nose radius, m
V_GUIDED = 4  # 1: range-control guidance
V_GND = 5  # ground altitude above the ellipsoid at the target, km
V_TDMAX = 6  # largest touchdown speed that counts as landed, m/s
V_FLY_MASS = 7  # fly-away stage mass, kg (0: none)
V_FLY_CDA = 8  # its Cd * A, m^2
V_FLY_THRUST = 9  # its thrust, N
V_FLY_TIME = 10  # its burn, s
V_FLY_PITCH = 11  # its thrust elevation above the horizon, rad
V_FLY_SLOT = 12  # body slot of the fly-away stage
V_GAIN = 13  # guidance range gain, 1/km
V_VEND = 14  # guidance ends below this speed, km/s
V_DB0 = 15  # crossrange deadband at zero speed, km
V_DB1 = 16  # deadband growth, km per km/s
V_TX = 17  # target unit vector, Mars-fixed (3 values)
V_RREF_DV = 20  # reference range table: speed step, km/s (0: no table)
V_FLY_DH = 21  # fly-away stage starts this far above the touchdown point, km
V_DRAGK = 22  # guidance: weight of the drag correction of the predicted range
V_TE = 23  # unit east vector at the target (3 values)
V_TN = 26  # unit north vector at the target (3 values)
V_PLANAR = 29  # 1: fly the bank's vertical lift only (the planar reference trajectory)
V_RANGECTL = 30  # 1: the reference table holds range-to-go and drag (range control)
NV = 31

# --- options (``opt``) -------------------------------------------------------------------
O_H_ENTRY = 0
O_H_CHUTE = 1
O_H_TERM = 2
O_H_BODY = 3
O_TMAX = 4
O_ALT_EXIT = 5  # skip-out altitude above the entry altitude, km
O_WAVE_KM = 6  # wavelength of the altitude-correlated density term, km
O_HIST_EVERY = 7
O_MU = 8
O_J2 = 9
O_RE = 10
O_RP = 11
O_OMEGA = 12
O_G0 = 13
O_RGAS = 14  # unused by the kernel (the table holds the speed of sound)
O_TERM_ALT = 15  # below this altitude above ground (km) the terminal step is used
O_H_COAST = 16  # step above the sensible atmosphere (drag below O_A_COAST)
O_A_COAST = 17  # m/s^2
NO = 18

# --- event table columns (``ev``) --------------------------------------------------------
E_KIND = 0
E_TRIG = 1
E_CDA = 2  # main-body Cd * A after the event, m^2 (< 0: unchanged)
E_TINF = 3  # inflation time, s
E_CHUTE = 4  # 1 or 2: which parachute multiplier applies; 0 none
E_MDROP = 5  # mass left behind, kg
E_BCDA = 6  # separated body's Cd * A, m^2 (< 0: no body)
E_BODY = 7  # its body slot
E_THRUST = 8  # N
E_ISP = 9  # s
E_MODE = 10  # powered-descent law: 0 velocity tracking, 1 constant deceleration (gravity turn)
E_VTD = 11  # target touchdown speed, m/s
E_ANOM = 12  # nominal powered deceleration, m/s^2
E_VAL = 13  # sensor fault: the sensed altitude becomes this, km
E_VHI = 14  # range trigger: never above this speed, m/s
E_VLO = 15  # range trigger: always below this speed, m/s
E_ARM = 16  # 1: armed only after peak deceleration
NC = 17

# event kinds
K_CHUTE = 1
K_JETTISON = 2
K_SEPARATE = 3
K_THRUST_ON = 4
K_THRUST_OFF = 5
K_SENSOR = 6
K_CHUTE_RELEASE = 7

# triggers
T_NOW = 0
T_MACH_BELOW = 1
T_Q_BELOW = 2
T_SPEED_BELOW = 3
T_RANGE_BELOW = 4
T_ALT_BELOW = 5
T_TIME_AFTER = 6

# outcome codes
S_LANDED = 0
S_HARD = 1  # reached the ground faster than the vehicle's touchdown limit
S_SKIP = 2  # skipped out of the atmosphere
S_TIMEOUT = 3  # still flying at the time limit

# output columns
L_STATUS, L_T, L_LAT, L_LON, L_SPEED, L_VZ, L_MASS, L_HEAD = range(8)
NL = 8
P_G, P_T_G, P_Q, P_HEAT, P_LOAD, P_QDYN = range(6)
NP = 6
EV_T, EV_ALT, EV_SPEED, EV_MACH, EV_Q, EV_LAT, EV_LON = range(7)
NEV_OUT = 7
B_T, B_LAT, B_LON, B_SPEED, B_STATUS = range(5)
NB_OUT = 5
NBMAX = 4
H_T, H_ALT, H_SPEED, H_MACH, H_Q, H_G, H_LAT, H_LON, H_PHASE = range(9)
H_STATE = 9  # x, y, z, vx, vy, vz, m (Mars-fixed km, km/s, kg) in columns 9..15
NH = 16

_SG_K = 1.9027e-4  # Sutton-Graves Mars constant, kg^0.5/m (Tauber & Sutton 1991)
_TWO_PI = 2.0 * math.pi


@njit(cache=True, nogil=True)
def _alt_r(r, z, re, rp):
    """Altitude above the oblate ellipsoid, km, of a point at radius ``r`` and height ``z``
    over the equator (through the planetocentric latitude)."""
    s = z / r
    c2 = 1.0 - s * s
    return r - re * rp / math.sqrt(rp * rp * c2 + re * re * s * s)


@njit(cache=True, nogil=True)
def _alt(x, y, z, re, rp):
    """Altitude above the oblate ellipsoid, km (through the planetocentric latitude)."""
    return _alt_r(math.sqrt(x * x + y * y + z * z), z, re, rp)


@njit(cache=True, nogil=True)
def _atm(h, disp, atm, h0, dh):
    """(rho kg/m^3, sound speed m/s, wind east m/s, wind north m/s) at altitude h (km)."""
    na = atm.shape[0]
    f = (h - h0) / dh
    k = math.floor(f)
    if k < 0:
        k = 0
    elif k > na - 2:
        k = na - 2
    w = f - k  # may leave [0, 1]: ln(rho) extrapolates linearly (exponential tails)
    lnr = atm[k, 0] + w * (atm[k + 1, 0] - atm[k, 0])
    wc = min(max(w, 0.0), 1.0)
    a = atm[k, 1] + wc * (atm[k + 1, 1] - atm[k, 1])
    ue = atm[k, 2] + wc * (atm[k + 1, 2] - atm[k, 2])
    un = atm[k, 3] + wc * (atm[k + 1, 3] - atm[k, 3])
    if disp[D_ZTAB] != 0.0:  # the profile's own 1-sigma band (a user table's low/high)
        lnr += disp[D_ZTAB] * (atm[k, 5] + wc * (atm[k + 1, 5] - atm[k, 5]))
    rho = math.exp(lnr + disp[D_HS] * h) * disp[D_RHO]
    if disp[D_WAMP] != 0.0:
        rho *= 1.0 + disp[D_WAMP] * math.sin(_TWO_PI * h / atm[0, 4] + disp[D_WPHASE])
    return rho, a, ue * disp[D_WIND], un * disp[D_WIND]


@njit(cache=True, nogil=True)
def _air(x, y, z, vx, vy, vz, ue, un):
    """Air-relative velocity (km/s): the velocity minus the wind (East/North, m/s)."""
    if ue == 0.0 and un == 0.0:
        return vx, vy, vz
    rxy = math.sqrt(x * x + y * y)
    r = math.sqrt(rxy * rxy + z * z)
    if rxy < 1e-9:
        return vx, vy, vz
    ex, ey = -y / rxy, x / rxy
    nx, ny, nz = -x * z / (r * rxy), -y * z / (r * rxy), rxy / r
    wx = (ue * ex + un * nx) * 1e-3
    wy = (ue * ey + un * ny) * 1e-3
    wz = (un * nz) * 1e-3
    return vx - wx, vy - wy, vz - wz


@njit(cache=True, nogil=True)
def _deriv(s, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, tdx, tdy, tdz,
           disp, atm, h0, dh, opt, gnd):
    """Time derivative of the state ``s = (x, y, z, vx, vy, vz, m)`` and the
    non-gravitational acceleration (m/s^2) and dynamic pressure (Pa) there."""
    x, y, z, vx, vy, vz, m = s[0], s[1], s[2], s[3], s[4], s[5], s[6]
    mu, j2, re, rp, om = opt[O_MU], opt[O_J2], opt[O_RE], opt[O_RP], opt[O_OMEGA]
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    ir3 = 1.0 / (r2 * r)
    zr2 = z * z / r2
    k = 1.5 * j2 * re * re / r2
    gx = -mu * x * ir3 * (1.0 + k * (1.0 - 5.0 * zr2))
    gy = -mu * y * ir3 * (1.0 + k * (1.0 - 5.0 * zr2))
    gz = -mu * z * ir3 * (1.0 + k * (3.0 - 5.0 * zr2))
    h = _alt_r(r, z, re, rp)
    rho, _, ue, un = _atm(h, disp, atm, h0, dh)
    ax_, ay_, az_ = _air(x, y, z, vx, vy, vz, ue, un)
    vr = math.sqrt(ax_ * ax_ + ay_ * ay_ + az_ * az_)
    vm = vr * 1000.0
    q = 0.5 * rho * vm * vm
    fx = 0.0
    fy = 0.0
    fz = 0.0
    if vr > 0.0 and m > 0.0:
        d = q * cda / m  # m/s^2
        ux, uy, uz = ax_ / vr, ay_ / vr, az_ / vr
        fx, fy, fz = -d * ux, -d * uy, -d * uz
        if lod != 0.0:
            # n = unit(r x v): out of the vertical plane; l = v x n: up in it
            nx = y * uz - z * uy
            ny = z * ux - x * uz
            nz = x * uy - y * ux
            nn = math.sqrt(nx * nx + ny * ny + nz * nz)
            if nn > 0.0:
                nx, ny, nz = nx / nn, ny / nn, nz / nn
                lx = uy * nz - uz * ny
                ly = uz * nx - ux * nz
                lz = ux * ny - uy * nx
                lift = lod * d
                fx += lift * (cb * lx + sb * nx)
                fy += lift * (cb * ly + sb * ny)
                fz += lift * (cb * lz + sb * nz)
    mdot = 0.0
    if tmax > 0.0 and m > 0.0:
        tx = 0.0
        ty = 0.0
        tz = 0.0
        amax = tmax / m
        if tmode == 2:  # fixed direction at full thrust (a fly-away stage)
            tx, ty, tz = amax * tdx, amax * tdy, amax * tdz
        else:
            upx, upy, upz = x / r, y / r, z / r
            g = math.sqrt(gx * gx + gy * gy + gz * gz) * 1000.0
            hg = max(h - gnd, 0.0) * 1000.0  # m above ground
            vxm, vym, vzm = vx * 1000.0, vy * 1000.0, vz * 1000.0
            if tmode == 1:  # constant deceleration along -v (gravity turn), to stop at
                sp = math.sqrt(vxm * vxm + vym * vym + vzm * vzm)  # vtd metres up
                if sp > 0.0:
                    acc = sp * sp / (2.0 * max(hg - vtd, 1.0)) + g
                    acc = min(acc, amax)
                    tx, ty, tz = -acc * vxm / sp, -acc * vym / sp, -acc * vzm / sp
            else:  # track a descent-rate profile, null the horizontal velocity
                # the profile: constant deceleration anom high up, an exponential approach
                # (time constant 3 s) to the touchdown speed near the ground; its own
                # deceleration along the flight is fed forward so that it is tracked
                # without lag
                vup = vxm * upx + vym * upy + vzm * upz
                sq = math.sqrt(2.0 * anom * hg)
                if sq < hg / 3.0:
                    vdes = -(vtd + sq)
                    aff = anom * max(-vup, 0.0) / max(sq, 1e-3)
                else:
                    vdes = -(vtd + hg / 3.0)
                    aff = max(-vup, 0.0) / 3.0
                tau = 1.0
                rx = (vdes * upx - vxm) / tau + (g + aff) * upx
                ry = (vdes * upy - vym) / tau + (g + aff) * upy
                rz = (vdes * upz - vzm) / tau + (g + aff) * upz
                rr = math.sqrt(rx * rx + ry * ry + rz * rz)
                if rr > amax:
                    rx, ry, rz = rx * amax / rr, ry * amax / rr, rz * amax / rr
                    rr = amax
                if (rx * upx + ry * upy + rz * upz) < 0.0:  # engines cannot pull down
                    rx, ry, rz, rr = 0.0, 0.0, 0.0, 0.0
                tx, ty, tz = rx, ry, rz
        fx += tx
        fy += ty
        fz += tz
        mdot = -math.sqrt(tx * tx + ty * ty + tz * tz) * m / (isp * opt[O_G0])
    dx = (gx + fx * 1e-3 + 2.0 * om * vy + om * om * x)
    dy = (gy + fy * 1e-3 - 2.0 * om * vx + om * om * y)
    dz = (gz + fz * 1e-3)
    acc = math.sqrt(fx * fx + fy * fy + fz * fz)
    return vx, vy, vz, dx, dy, dz, mdot, acc, q


@njit(cache=True, nogil=True)
def _rk4(s, hstep, out, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, tdx, tdy, tdz,
         disp, atm, h0, dh, opt, gnd, k):
    """One RK4 step of ``hstep`` seconds from ``s`` into ``out`` (``k``: 4 x 7 scratch)."""
    tmp = out  # out doubles as the stage state
    d = _deriv(s, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, tdx, tdy, tdz,
               disp, atm, h0, dh, opt, gnd)
    for j in range(7):
        k[0, j] = d[j]
        tmp[j] = s[j] + 0.5 * hstep * d[j]
    d = _deriv(tmp, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, tdx, tdy, tdz,
               disp, atm, h0, dh, opt, gnd)
    for j in range(7):
        k[1, j] = d[j]
        tmp[j] = s[j] + 0.5 * hstep * d[j]
    d = _deriv(tmp, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, tdx, tdy, tdz,
               disp, atm, h0, dh, opt, gnd)
    for j in range(7):
        k[2, j] = d[j]
        tmp[j] = s[j] + hstep * d[j]
    d = _deriv(tmp, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, tdx, tdy, tdz,
               disp, atm, h0, dh, opt, gnd)
    for j in range(7):
        out[j] = s[j] + hstep / 6.0 * (k[0, j] + 2.0 * k[1, j] + 2.0 * k[2, j] + d[j])
    if out[6] < 1e-3:
        out[6] = 1e-3


@njit(cache=True, nogil=True)
def _range_to_go(s, opt, veh, disp):
    """Great-circle distance to the target as navigation sees it (km) and the crossrange
    (km, + on the side of ``r x v``)."""
    x, y, z = s[0], s[1], s[2]
    fe = disp[D_NAV_E] / opt[O_RE]
    fn = disp[D_NAV_N] / opt[O_RE]
    tx = veh[V_TX] + fe * veh[V_TE] + fn * veh[V_TN]
    ty = veh[V_TX + 1] + fe * veh[V_TE + 1] + fn * veh[V_TN + 1]
    tz = veh[V_TX + 2] + fe * veh[V_TE + 2] + fn * veh[V_TN + 2]
    tn = math.sqrt(tx * tx + ty * ty + tz * tz)
    tx, ty, tz = tx / tn, ty / tn, tz / tn
    cx = y * tz - z * ty
    cy = z * tx - x * tz
    cz = x * ty - y * tx
    ang = math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), x * tx + y * ty + z * tz)
    nx = y * s[5] - z * s[4]
    ny = z * s[3] - x * s[5]
    nz = x * s[4] - y * s[3]
    nn = math.sqrt(nx * nx + ny * ny + nz * nz)
    cr = 0.0
    if nn > 0.0:
        cr = math.asin(max(-1.0, min(1.0, (nx * tx + ny * ty + nz * tz) / nn)))
    return ang * opt[O_RE], cr * opt[O_RE]


@njit(cache=True, nogil=True)
def _trigger_at(s, t, ev, j, thr, tlast, armed, bias, disp, opt, veh, h, vm, mach, qd):
    """Trigger function of event ``j`` from a sample of the state (altitude ``h`` km, air
    speed ``vm`` m/s, Mach, dynamic pressure ``qd`` Pa): fires where it is <= 0. Returns
    (g, locatable)."""
    trig = int(ev[j, E_TRIG])
    if ev[j, E_ARM] > 0.0 and not armed:
        return 1.0, False
    if trig == T_NOW:
        return -1.0, False
    if trig == T_TIME_AFTER:
        return tlast + thr - t, True
    if trig == T_ALT_BELOW:
        return h - veh[V_GND] + bias - thr, True
    if trig == T_MACH_BELOW:
        return mach - thr, True
    if trig == T_Q_BELOW:
        return qd - thr, True
    if trig == T_SPEED_BELOW:
        return vm - thr, True
    # range trigger with its speed window
    rtg, _ = _range_to_go(s, opt, veh, disp)
    return max(vm - ev[j, E_VHI], min(rtg - thr, vm - ev[j, E_VLO])), True


@njit(cache=True, nogil=True)
def _trigger(s, t, ev, j, thr, tlast, armed, bias, disp, atm, h0, dh, opt, veh):
    """Trigger function of event ``j`` at state ``s`` (see :func:`_trigger_at`)."""
    h, vm, mach, qd, _ = _sample(s, disp, atm, h0, dh, opt)
    return _trigger_at(s, t, ev, j, thr, tlast, armed, bias, disp, opt, veh, h, vm, mach, qd)


@njit(cache=True, nogil=True)
def _locate(s0, t0, g0, s1, hstep, ev, j, thr, tlast, armed, bias, out, cda, lod, cb, sb,
            tmode, tmax, isp, vtd, anom, tdx, tdy, tdz, disp, atm, h0, dh, opt, veh, gnd, k,
            ground):
    """Fraction of the step where the trigger (or, with ``ground``, the altitude above
    ground) crosses zero; ``out`` gets the state there. Illinois regula falsi on
    re-integrated partial steps, to 1e-9 of the trigger's unit (1 um of altitude) or 12
    re-integrations."""
    if ground:
        g1 = _alt(s1[0], s1[1], s1[2], opt[O_RE], opt[O_RP]) - gnd
    else:
        g1, _ = _trigger(s1, t0 + hstep, ev, j, thr, tlast, armed, bias, disp, atm, h0, dh,
                         opt, veh)
    a, ga, b, gb = 0.0, g0, 1.0, g1
    th = 1.0
    side = 0
    for _ in range(12):
        if ga == gb:
            break
        th = a + (b - a) * ga / (ga - gb)
        th = min(max(th, 1e-12), 1.0)
        _rk4(s0, th * hstep, out, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom,
             tdx, tdy, tdz, disp, atm, h0, dh, opt, gnd, k)
        if ground:
            gt = _alt(out[0], out[1], out[2], opt[O_RE], opt[O_RP]) - gnd
        else:
            gt, _ = _trigger(out, t0 + th * hstep, ev, j, thr, tlast, armed, bias, disp, atm,
                             h0, dh, opt, veh)
        if abs(gt) < 1e-9:
            break
        if (gt > 0.0) == (ga > 0.0):
            a, ga = th, gt
            if side == -1:
                gb *= 0.5  # Illinois: the end kept twice in a row is halved
            side = -1
        else:
            b, gb = th, gt
            if side == 1:
                ga *= 0.5
            side = 1
    return th


@njit(cache=True, nogil=True)
def _latlon(s):
    r = math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2])
    return math.asin(s[2] / r), math.atan2(s[1], s[0])


@njit(cache=True, nogil=True)
def _sample(s, disp, atm, h0, dh, opt):
    """(altitude km, air speed m/s, Mach, q Pa, rho) at state ``s``."""
    h = _alt(s[0], s[1], s[2], opt[O_RE], opt[O_RP])
    rho, a_snd, ue, un = _atm(h, disp, atm, h0, dh)
    ax_, ay_, az_ = _air(s[0], s[1], s[2], s[3], s[4], s[5], ue, un)
    vm = math.sqrt(ax_ * ax_ + ay_ * ay_ + az_ * az_) * 1000.0
    return h, vm, vm / a_snd, 0.5 * rho * vm * vm, rho


@njit(cache=True, nogil=True)
def _fly_body(s, t, cda, tmax, tburn, tdx, tdy, tdz, disp, atm, h0, dh, opt, gnd, k, tmp):
    """Fly a separated body (ballistic; with ``tmax`` > 0 a fixed-direction burn of
    ``tburn`` s first) to the ground: (t, lat, lon, speed m/s, status)."""
    hb = opt[O_H_BODY]
    tend = t + opt[O_TMAX]
    fixed = np.int64(2)  # thrust mode 2, a fixed direction (typed, not a literal)
    while t < tend:
        th = tmax if t < tburn else 0.0
        hs = hb
        _, vm_, _, q_, _ = _sample(s, disp, atm, h0, dh, opt)
        if q_ > 0.0 and cda > 0.0:
            hs = min(hs, 0.7 * vm_ * s[6] / (q_ * cda))
        if th > 0.0 and t + hs > tburn:
            hs = max(tburn - t, 1e-6)
        _rk4(s, hs, tmp, cda, 0.0, 1.0, 0.0, fixed, th, 300.0, 0.0, 0.0, tdx, tdy, tdz,
             disp, atm, h0, dh, opt, gnd, k)
        g1 = _alt(tmp[0], tmp[1], tmp[2], opt[O_RE], opt[O_RP]) - gnd
        if g1 <= 0.0:
            g0 = _alt(s[0], s[1], s[2], opt[O_RE], opt[O_RP]) - gnd
            a, ga, b, gb = 0.0, g0, 1.0, g1
            th2 = 1.0
            side = 0
            for _ in range(12):
                if ga == gb:
                    break
                th2 = a + (b - a) * ga / (ga - gb)
                _rk4(s, th2 * hs, tmp, cda, 0.0, 1.0, 0.0, fixed, th, 300.0, 0.0, 0.0,
                     tdx, tdy, tdz, disp, atm, h0, dh, opt, gnd, k)
                gt = _alt(tmp[0], tmp[1], tmp[2], opt[O_RE], opt[O_RP]) - gnd
                if abs(gt) < 1e-9:
                    break
                if (gt > 0.0) == (ga > 0.0):
                    a, ga = th2, gt
                    if side == -1:
                        gb *= 0.5
                    side = -1
                else:
                    b, gb = th2, gt
                    if side == 1:
                        ga *= 0.5
                    side = 1
            lat, lon = _latlon(tmp)
            sp = math.sqrt(tmp[3] ** 2 + tmp[4] ** 2 + tmp[5] ** 2) * 1000.0
            return t + th2 * hs, lat, lon, sp, 0.0
        for j in range(7):
            s[j] = tmp[j]
        t += hs
    lat, lon = _latlon(s)
    return t, lat, lon, math.nan, float(S_TIMEOUT)


@njit(cache=True, nogil=True)
def fly_batch(y0, thr, disp, ev, veh, atm, rref, opt, out_land, out_peak, out_ev, out_body,
              hist, lo, hi):
    """Fly trajectories ``lo..hi-1`` of the batch from their entry states ``y0`` (n, 7:
    Mars-fixed km, km/s, kg) through the event table ``ev`` to the ground.

    ``thr`` (n, nev): each trajectory's trigger thresholds; ``disp`` (n, ND): its
    dispersions; ``atm`` (na, 6): ln rho, sound speed, wind east, wind north, (column 4:
    metadata), the 1-sigma of ln rho, on the uniform
    altitude grid ``atm[1, 4]`` (start km) + k ``atm[2, 4]`` (step km), ``atm[0, 4]`` the
    density-wave wavelength; ``rref`` (nr, 3): the guidance reference range-to-go (km),
    aerodynamic deceleration (m/s^2) and bank profile (rad) on the speed grid
    ``k * veh[V_RREF_DV]``.
    Outputs: ``out_land`` (n, NL), ``out_peak`` (n, NP),
    ``out_ev`` (n, nev, NEV_OUT; NaN where an event never happened), ``out_body`` (n,
    NBMAX, NB_OUT), ``hist`` (nh, npts, NH) for the first nh trajectories (NaN-padded).
    """
    nev = ev.shape[0]
    h0 = atm[1, 4]
    dh = atm[2, 4]
    re = opt[O_RE]
    rp = opt[O_RP]
    g0 = opt[O_G0]
    nh = hist.shape[0]
    npts = hist.shape[1]
    every = max(1, int(opt[O_HIST_EVERY]))
    k = np.empty((4, 7))
    s = np.empty(7)
    s1 = np.empty(7)
    se = np.empty(7)
    se2 = np.empty(7)
    bst = np.empty((NBMAX, 7))
    bpar = np.empty((NBMAX, 8))  # t, cda, thrust, burn end, tdx, tdy, tdz, used
    nref = rref.shape[0]
    for i in range(lo, hi):
        d = disp[i]
        for j in range(7):
            s[j] = y0[i, j]
        for b in range(NBMAX):
            bpar[b, 7] = 0.0
            for c in range(NB_OUT):
                out_body[i, b, c] = math.nan
        for j in range(nev):
            for c in range(NEV_OUT):
                out_ev[i, j, c] = math.nan
        t = 0.0
        cda = veh[V_CDA] * d[D_CDA]
        cda_from = cda
        cda_to = cda
        t_inf0 = 0.0
        t_inf = 0.0
        lod = veh[V_LOD] * d[D_LOD]
        bank = veh[V_BANK] + d[D_BANK]
        bsign = 1.0
        # typed, not literal: an int or bool literal passed on to a helper compiles a second
        # version of it (Literal[int](0) is a type of its own)
        tmode = np.int64(0)
        tmax = 0.0
        isp = 300.0
        vtd = 0.0
        anom = 0.0
        bias = 0.0
        nxt = np.int64(0)
        tlast = 0.0
        armed = np.bool_(False)
        gmax = 0.0
        t_gmax = 0.0
        qmax = 0.0
        heat = 0.0
        load = 0.0
        status = S_TIMEOUT
        h_entry = _alt(s[0], s[1], s[2], re, rp)
        gnd = veh[V_GND]
        nstep = 0
        nrec = 0
        phase = 0.0
        qprev = -1.0
        hdg = 0.0
        force = False
        gc_ok = False
        gcached = 0.0
        smp = _sample(s, d, atm, h0, dh, opt)
        qlast = smp[3]
        vlast = smp[1]
        while t < opt[O_TMAX]:
            # events due now (zero-time triggers, conditions already met, or one located
            # at the end of the last step)
            while nxt < nev:
                if gc_ok:  # the value at the end of the last step is the value here
                    g = gcached
                    gc_ok = False
                else:
                    g, _ = _trigger(s, t, ev, nxt, thr[i, nxt], tlast, armed, bias, d, atm,
                                    h0, dh, opt, veh)
                if g > 0.0 and not force:
                    break
                force = False
                # apply event nxt at the current state
                kind = int(ev[nxt, E_KIND])
                alt, vm, mach, qd, rho = _sample(s, d, atm, h0, dh, opt)
                la, lo_ = _latlon(s)
                o = out_ev[i, nxt]
                o[EV_T] = t
                o[EV_ALT] = alt - gnd
                o[EV_SPEED] = vm
                o[EV_MACH] = mach
                o[EV_Q] = qd
                o[EV_LAT] = la
                o[EV_LON] = lo_
                if ev[nxt, E_CDA] >= 0.0:
                    newc = ev[nxt, E_CDA]
                    ch = int(ev[nxt, E_CHUTE])
                    if ch == 1:
                        newc *= d[D_CHUTE1]
                    elif ch == 2:
                        newc *= d[D_CHUTE2]
                    cur = cda_from + (cda_to - cda_from) * min(
                        1.0, ((t - t_inf0) / t_inf) ** 2 if t_inf > 0.0 else 1.0)
                    cda_from = cur
                    cda_to = newc
                    t_inf0 = t
                    t_inf = ev[nxt, E_TINF]
                    cda = cur if t_inf > 0.0 else newc
                if kind == K_CHUTE:
                    lod = 0.0
                    phase = 1.0
                if ev[nxt, E_MDROP] > 0.0:
                    mb = min(ev[nxt, E_MDROP], s[6] - 1.0)
                    bi = int(ev[nxt, E_BODY])
                    if ev[nxt, E_BCDA] > 0.0 and 0 <= bi < NBMAX:
                        for j in range(7):
                            bst[bi, j] = s[j]
                        bst[bi, 6] = mb
                        bpar[bi, 0] = t
                        bpar[bi, 1] = ev[nxt, E_BCDA]
                        bpar[bi, 2] = 0.0
                        bpar[bi, 3] = 0.0
                        bpar[bi, 7] = 1.0
                    s[6] -= mb
                if kind == K_THRUST_ON:
                    tmax = ev[nxt, E_THRUST] * d[D_THRUST]
                    isp = ev[nxt, E_ISP]
                    tmode = int(ev[nxt, E_MODE])
                    vtd = ev[nxt, E_VTD]
                    anom = ev[nxt, E_ANOM]
                    phase = 2.0
                elif kind == K_THRUST_OFF:
                    tmax = 0.0
                    phase = 3.0
                elif kind == K_SENSOR:
                    bias = ev[nxt, E_VAL] - (alt - gnd)
                tlast = t
                nxt += 1
            # step size by flight mode
            if phase == 0.0:
                hs = (opt[O_H_ENTRY] if qlast * cda > opt[O_A_COAST] * s[6]
                      else opt[O_H_COAST])
            elif tmax > 0.0 or phase == 3.0 or (_alt(s[0], s[1], s[2], re, rp) - gnd
                                                 < opt[O_TERM_ALT]):
                hs = opt[O_H_TERM]
            else:
                hs = opt[O_H_CHUTE]
            if t_inf > 0.0 and t - t_inf0 < t_inf:
                hs = min(hs, t_inf / 8.0)
            # drag time scale V / a (RK4 on v' = -k v^2 needs h < 1.39 V / a): keep h
            # below 0.7 of it (a light body under a big parachute)
            cmax = max(cda, cda_to)
            if qlast > 0.0 and vlast > 0.0 and cmax > 0.0:
                hs = min(hs, 0.7 * vlast * s[6] / (qlast * cmax))
            if nxt < nev and int(ev[nxt, E_TRIG]) == T_TIME_AFTER:
                due = tlast + thr[i, nxt] - t
                if 0.0 < due < hs:
                    hs = due  # land on a timed event exactly
            # parachute inflation: Cd*A grows as the square of time (held over the step)
            if t_inf > 0.0:
                fr = (t + 0.5 * hs - t_inf0) / t_inf
                cda = cda_to if fr >= 1.0 else cda_from + (cda_to - cda_from) * fr * fr
            # guidance: bank for this step
            cb = 1.0
            sb = 0.0
            if lod != 0.0:
                vr = math.sqrt(s[3] ** 2 + s[4] ** 2 + s[5] ** 2)
                tab = nref > 1 and veh[V_RREF_DV] > 0.0
                kk = 0
                w = 0.0
                if tab:  # the reference bank profile against speed
                    f = vr / veh[V_RREF_DV]
                    kk = min(max(int(f), 0), nref - 2)
                    w = min(max(f - kk, 0.0), 1.0)
                    bref = rref[kk, 2] + w * (rref[kk + 1, 2] - rref[kk, 2]) + d[D_BANK]
                else:
                    bref = bank
                cref = math.cos(bref)
                # unguided: the bank's own side; guided: the side guidance chose
                side = bsign if veh[V_GUIDED] > 0.0 else (1.0 if math.sin(bref) >= 0.0
                                                          else -1.0)
                if veh[V_GUIDED] > 0.0:
                    rtg, cr = _range_to_go(s, opt, veh, d)
                    if vr > veh[V_VEND] and tab and veh[V_RANGECTL] > 0.0:
                        rr = rref[kk, 0] + w * (rref[kk + 1, 0] - rref[kk, 0])
                        dr = rref[kk, 1] + w * (rref[kk + 1, 1] - rref[kk, 1])
                        # Apollo-style predicted range: the reference corrected for the
                        # drag (range to decelerate ~ 1 / drag), then range feedback
                        # qlast: the dynamic pressure here (the last step's end)
                        dg = qlast * cda / s[6] * math.sqrt(1.0 + lod * lod)
                        if dr > 0.05:
                            rr -= veh[V_DRAGK] * rr * (dg - dr) / dr
                        cref = cref + veh[V_GAIN] * (rtg - rr)
                        db = veh[V_DB0] + veh[V_DB1] * vr
                        if cr * bsign < -db:
                            bsign = -bsign
                    elif vr <= veh[V_VEND]:
                        # heading alignment: the reference's vertical lift, the horizontal
                        # part turned toward the target (0.2 km hysteresis)
                        if cr * bsign < -0.2:
                            bsign = -bsign
                cref = min(max(cref, -1.0), 1.0)
                cb = cref
                sb = 0.0 if veh[V_PLANAR] > 0.0 else side * math.sqrt(1.0 - cref * cref)
            _rk4(s, hs, s1, cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, 0.0, 0.0, 0.0,
                 d, atm, h0, dh, opt, gnd, k)
            # the next event and the ground: whichever comes first in the step
            alt, vm, mach, qd, rho = _sample(s1, d, atm, h0, dh, opt)
            th_e = 2.0
            g1 = 1.0
            if nxt < nev:
                g1, loc = _trigger_at(s1, t + hs, ev, nxt, thr[i, nxt], tlast, armed, bias, d,
                                      opt, veh, alt, vm, mach, qd)
                if g1 <= 0.0:
                    gv0, _ = _trigger(s, t, ev, nxt, thr[i, nxt], tlast, armed, bias, d,
                                      atm, h0, dh, opt, veh)
                    th_e = 1.0
                    for j in range(7):
                        se2[j] = s1[j]
                    if loc and gv0 > 0.0:
                        th_e = _locate(s, t, gv0, s1, hs, ev, nxt, thr[i, nxt], tlast, armed,
                                       bias, se2, cda, lod, cb, sb, tmode, tmax, isp, vtd,
                                       anom, 0.0, 0.0, 0.0, d, atm, h0, dh, opt, veh, gnd, k,
                                       np.bool_(False))
            hg1 = _alt(s1[0], s1[1], s1[2], re, rp) - gnd
            th_g = 2.0
            if hg1 <= 0.0:
                hg0 = _alt(s[0], s[1], s[2], re, rp) - gnd
                th_g = _locate(s, t, hg0, s1, hs, ev, np.int64(0), 0.0, tlast, armed, bias, se,
                               cda, lod, cb, sb, tmode, tmax, isp, vtd, anom, 0.0, 0.0, 0.0, d,
                               atm, h0, dh, opt, veh, gnd, k, np.bool_(True))
            if th_e <= 1.0 and th_e < th_g:  # the event first: apply it, fly on
                for j in range(7):
                    s1[j] = se2[j]
                hs = th_e * hs
                force = True
                th_g = 2.0
            elif th_g <= 1.0:  # touchdown
                for j in range(7):
                    s1[j] = se[j]
                hs = th_g * hs
            if th_e <= 1.0 or th_g <= 1.0:
                alt, vm, mach, qd, rho = _sample(s1, d, atm, h0, dh, opt)
            # bookkeeping at the end of the (possibly shortened) step
            armed_before = armed
            qlast = qd
            vlast = vm
            # aerodynamic load (lift and drag), Earth g: the peak is an entry quantity
            gl = qd * cda / s1[6] * math.sqrt(1.0 + lod * lod) / g0
            if gl > gmax:
                gmax = gl
                t_gmax = t + hs
            if not armed and gmax > 0.5 and gl < gmax:
                armed = np.bool_(True)
            # the trigger value at the step's end serves the next step's start, unless an
            # event fired or the arming changed it
            gc_ok = nxt < nev and th_e > 1.0 and armed == armed_before
            gcached = g1
            if qd > qmax:
                qmax = qd
            qh = _SG_K * math.sqrt(rho / veh[V_RN]) * vm * vm * vm if phase == 0.0 else 0.0
            if qh > heat:
                heat = qh
            if qprev >= 0.0:
                load += 0.5 * (qprev + qh) * hs
            qprev = qh
            vrs = math.sqrt(s1[3] ** 2 + s1[4] ** 2 + s1[5] ** 2)
            if vrs > 0.0:
                la, lo_ = _latlon(s1)
                # heading: azimuth of the ground velocity from north
                ve = -math.sin(lo_) * s1[3] + math.cos(lo_) * s1[4]
                vn = (-math.sin(la) * math.cos(lo_) * s1[3] - math.sin(la) * math.sin(lo_)
                      * s1[4] + math.cos(la) * s1[5])
                if ve * ve + vn * vn > 1e-12:
                    hdg = math.atan2(ve, vn)
            for j in range(7):
                s[j] = s1[j]
            t += hs
            nstep += 1
            if i < nh and nrec < npts and (nstep % every == 0 or th_g <= 1.0):
                hrow = hist[i, nrec]
                la, lo_ = _latlon(s)
                hrow[H_T] = t
                hrow[H_ALT] = alt - gnd
                hrow[H_SPEED] = vm
                hrow[H_MACH] = mach
                hrow[H_Q] = qd
                hrow[H_G] = gl
                hrow[H_LAT] = la
                hrow[H_LON] = lo_
                hrow[H_PHASE] = phase
                for j in range(7):
                    hrow[H_STATE + j] = s[j]
                nrec += 1
            if th_g <= 1.0:
                status = S_LANDED if vm <= veh[V_TDMAX] else S_HARD
                break
            if alt > h_entry + opt[O_ALT_EXIT]:
                status = S_SKIP
                break
        la, lo_ = _latlon(s)
        ol = out_land[i]
        ol[L_STATUS] = status
        ol[L_T] = t
        ol[L_LAT] = la
        ol[L_LON] = lo_
        r = math.sqrt(s[0] ** 2 + s[1] ** 2 + s[2] ** 2)
        ol[L_SPEED] = math.sqrt(s[3] ** 2 + s[4] ** 2 + s[5] ** 2) * 1000.0
        ol[L_VZ] = (s[0] * s[3] + s[1] * s[4] + s[2] * s[5]) / r * 1000.0
        ol[L_MASS] = s[6]
        ol[L_HEAD] = hdg
        op = out_peak[i]
        op[P_G] = gmax
        op[P_T_G] = t_gmax
        op[P_Q] = qmax
        op[P_HEAT] = heat
        op[P_LOAD] = load
        op[P_QDYN] = qmax
        # a fly-away stage leaves from the touchdown point
        fs = int(veh[V_FLY_SLOT])
        if status == S_LANDED and veh[V_FLY_MASS] > 0.0 and 0 <= fs < NBMAX:
            up0, up1, up2 = s[0] / r, s[1] / r, s[2] / r
            for j in range(7):
                bst[fs, j] = s[j]
            bst[fs, 0] = s[0] + veh[V_FLY_DH] * up0
            bst[fs, 1] = s[1] + veh[V_FLY_DH] * up1
            bst[fs, 2] = s[2] + veh[V_FLY_DH] * up2
            bst[fs, 6] = veh[V_FLY_MASS]
            la, lo_ = _latlon(s)
            ex, ey = -math.sin(lo_), math.cos(lo_)
            nx = -math.sin(la) * math.cos(lo_)
            ny = -math.sin(la) * math.sin(lo_)
            nz = math.cos(la)
            ce, cn = math.sin(hdg), math.cos(hdg)
            cp, sp = math.cos(veh[V_FLY_PITCH]), math.sin(veh[V_FLY_PITCH])
            bpar[fs, 4] = cp * (ce * ex + cn * nx) + sp * up0
            bpar[fs, 5] = cp * (ce * ey + cn * ny) + sp * up1
            bpar[fs, 6] = cp * (cn * nz) + sp * up2
            bpar[fs, 0] = t
            bpar[fs, 1] = veh[V_FLY_CDA]
            bpar[fs, 2] = veh[V_FLY_THRUST]
            bpar[fs, 3] = t + veh[V_FLY_TIME]
            bpar[fs, 7] = 1.0
        for b in range(NBMAX):
            if bpar[b, 7] == 0.0:
                continue
            for j in range(7):
                s[j] = bst[b, j]
            tx = bpar[b, 4] if bpar[b, 2] > 0.0 else 0.0
            ty = bpar[b, 5] if bpar[b, 2] > 0.0 else 0.0
            tz = bpar[b, 6] if bpar[b, 2] > 0.0 else 0.0
            res = _fly_body(s, bpar[b, 0], bpar[b, 1], bpar[b, 2], bpar[b, 3], tx, ty, tz,
                            d, atm, h0, dh, opt, gnd, k, s1)
            for c in range(NB_OUT):
                out_body[i, b, c] = res[c]
        if i < nh:
            for r_ in range(nrec, npts):
                for c in range(NH):
                    hist[i, r_, c] = math.nan
