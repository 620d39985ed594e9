"""Compiled Dormand-Prince 8(5,3) integrator with 7th-order dense output and impact location.

The method is DOP853 of Hairer, Norsett & Wanner, *Solving Ordinary Differential Equations I*
(2nd ed., Springer 1993), section II.10 (Dormand & Prince's 8th-order pair with Hairer's
combined 5th/3rd-order error estimator and the 7th-order continuous extension). The
coefficients below are transcribed from the authors' published DOP853 tableau (the constants
that accompany the book's code); ``tests/orbits_numerical/test_integrator.py`` checks them
against the Runge-Kutta order conditions, so a transcription slip cannot pass silently.

Contract (what :func:`integrate` promises)
-----------------------------------------
- State ``y = (r, v)`` (6,), km and km/s; the right-hand side is ``(v, a(t, r, v))`` with the
  acceleration from :func:`areo.orbits.numerical._forces.acceleration`.
- Error control: per step, the scaled error ``err = |h| * E5^2 / sqrt(E5^2 + 0.01 E3^2)`` with
  ``E5``, ``E3`` the RMS over the 6 components of the 5th- and 3rd-order estimates divided by
  ``sk_i = atol + rtol * max(|y_i|, |y_new_i|)`` (HNW II.10). A step is accepted when
  ``err <= 1``; rtol and atol are therefore *local* (per-step) tolerances, and the global
  error over many orbits grows roughly linearly with the number of steps.
- Step control: ``h_new = h * clip(0.9 * err^(-1/8), 1/3, 6)``; after a rejection the step may
  not grow. Steps never overshoot the last requested epoch. The first step comes from the
  starting-step estimate of HNW II.4 (an explicit Euler probe of the second derivative).
- Dense output: every requested epoch inside an accepted step is evaluated with the
  7th-order continuous extension (3 extra right-hand-side calls per step that holds an
  output epoch), so output epochs never shorten the steps. The interpolant has the local
  accuracy of the 8th-order step to within a factor of ~a few.
- Surface impact: after each accepted step the altitude above the reference ellipsoid is
  checked at the step end; when it is negative the crossing is bracketed in the step and
  located on the dense output by the Illinois (modified regula falsi) method to 1e-6 s. The
  epoch is therefore as accurate as the dense output (~ tolerance-level position error over
  the vertical speed: far below 1 ms for rtol <= 1e-8). A grazing dip below the surface that
  re-emerges within one step is not seen (steps near the surface are a few tens of seconds).
- Failures: a step below ``1e-12 |t|`` (status 2) or more than ``max_steps`` steps (status 3)
  stop the run; states already written stay valid.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from areo._numba import NO_REFCOUNT
from areo.orbits.numerical._forces import acceleration, altitude

__all__ = ["BHH", "ER", "A", "B", "C", "D", "integrate"]

# ---------------------------------------------------------------- the DOP853 tableau
# Stage nodes c_i. Stages 1..12 make the step, stage 13 is f(t+h, y_new) (reused as the next
# step's first stage), stages 14..16 serve only the dense output.
C = np.zeros(16)
C[1] = 0.526001519587677318785587544488e-01
C[2] = 0.789002279381515978178381316732e-01
C[3] = 0.118350341907227396726757197510e00
C[4] = 0.281649658092772603273242802490e00
C[5] = 0.333333333333333333333333333333e00
C[6] = 0.25e00
C[7] = 0.307692307692307692307692307692e00
C[8] = 0.651282051282051282051282051282e00
C[9] = 0.6e00
C[10] = 0.857142857142857142857142857142e00
C[11] = 1.0
C[12] = 1.0
C[13] = 0.1e00
C[14] = 0.2e00
C[15] = 0.777777777777777777777777777778e00

# A[i, j]: weight of stage j in stage i (0-based); row 12 holds the 8th-order weights b.
A = np.zeros((16, 16))
A[1, 0] = 5.26001519587677318785587544488e-2
A[2, 0] = 1.97250569845378994544595329183e-2
A[2, 1] = 5.91751709536136983633785987549e-2
A[3, 0] = 2.95875854768068491816892993775e-2
A[3, 2] = 8.87627564304205475450678981324e-2
A[4, 0] = 2.41365134159266685502369798665e-1
A[4, 2] = -8.84549479328286085344864962717e-1
A[4, 3] = 9.24834003261792003115737966543e-1
A[5, 0] = 3.7037037037037037037037037037e-2
A[5, 3] = 1.70828608729473871279604482173e-1
A[5, 4] = 1.25467687566822425016691814123e-1
A[6, 0] = 3.7109375e-2
A[6, 3] = 1.70252211019544039314978060272e-1
A[6, 4] = 6.02165389804559606850219397283e-2
A[6, 5] = -1.7578125e-2
A[7, 0] = 3.70920001185047927108779319836e-2
A[7, 3] = 1.70383925712239993810214054705e-1
A[7, 4] = 1.07262030446373284651809199168e-1
A[7, 5] = -1.53194377486244017527936158236e-2
A[7, 6] = 8.27378916381402288758473766002e-3
A[8, 0] = 6.24110958716075717114429577812e-1
A[8, 3] = -3.36089262944694129406857109825e0
A[8, 4] = -8.68219346841726006818189891453e-1
A[8, 5] = 2.75920996994467083049415600797e1
A[8, 6] = 2.01540675504778934086186788979e1
A[8, 7] = -4.34898841810699588477366255144e1
A[9, 0] = 4.77662536438264365890433908527e-1
A[9, 3] = -2.48811461997166764192642586468e0
A[9, 4] = -5.90290826836842996371446475743e-1
A[9, 5] = 2.12300514481811942347288949897e1
A[9, 6] = 1.52792336328824235832596922938e1
A[9, 7] = -3.32882109689848629194453265587e1
A[9, 8] = -2.03312017085086261358222928593e-2
A[10, 0] = -9.3714243008598732571704021658e-1
A[10, 3] = 5.18637242884406370830023853209e0
A[10, 4] = 1.09143734899672957818500254654e0
A[10, 5] = -8.14978701074692612513997267357e0
A[10, 6] = -1.85200656599969598641566180701e1
A[10, 7] = 2.27394870993505042818970056734e1
A[10, 8] = 2.49360555267965238987089396762e0
A[10, 9] = -3.0467644718982195003823669022e0
A[11, 0] = 2.27331014751653820792359768449e0
A[11, 3] = -1.05344954667372501984066689879e1
A[11, 4] = -2.00087205822486249909675718444e0
A[11, 5] = -1.79589318631187989172765950534e1
A[11, 6] = 2.79488845294199600508499808837e1
A[11, 7] = -2.85899827713502369474065508674e0
A[11, 8] = -8.87285693353062954433549289258e0
A[11, 9] = 1.23605671757943030647266201528e1
A[11, 10] = 6.43392746015763530355970484046e-1
# 8th-order weights b (stages 1, 6..12).
B = np.zeros(16)
B[0] = 5.42937341165687622380535766363e-2
B[5] = 4.45031289275240888144113950566e0
B[6] = 1.89151789931450038304281599044e0
B[7] = -5.8012039600105847814672114227e0
B[8] = 3.1116436695781989440891606237e-1
B[9] = -1.52160949662516078556178806805e-1
B[10] = 2.01365400804030348374776537501e-1
B[11] = 4.47106157277725905176885569043e-2
A[12, :] = B
# Dense-output stages 14..16.
A[13, 0] = 5.61675022830479523392909219681e-2
A[13, 6] = 2.53500210216624811088794765333e-1
A[13, 7] = -2.46239037470802489917441475441e-1
A[13, 8] = -1.24191423263816360469010140626e-1
A[13, 9] = 1.5329179827876569731206322685e-1
A[13, 10] = 8.20105229563468988491666602057e-3
A[13, 11] = 7.56789766054569976138603589584e-3
A[13, 12] = -8.298e-3
A[14, 0] = 3.18346481635021405060768473261e-2
A[14, 5] = 2.83009096723667755288322961402e-2
A[14, 6] = 5.35419883074385676223797384372e-2
A[14, 7] = -5.49237485713909884646569340306e-2
A[14, 10] = -1.08347328697249322858509316994e-4
A[14, 11] = 3.82571090835658412954920192323e-4
A[14, 12] = -3.40465008687404560802977114492e-4
A[14, 13] = 1.41312443674632500278074618366e-1
A[15, 0] = -4.28896301583791923408573538692e-1
A[15, 5] = -4.69762141536116384314449447206e0
A[15, 6] = 7.68342119606259904184240953878e0
A[15, 7] = 4.06898981839711007970213554331e0
A[15, 8] = 3.56727187455281109270669543021e-1
A[15, 12] = -1.39902416515901462129418009734e-3
A[15, 13] = 2.9475147891527723389556272149e0
A[15, 14] = -9.15095847217987001081870187138e0

# 5th-order error estimator (difference of b and a 5th-order solution), stages 1, 6..12.
ER = np.zeros(16)
ER[0] = 0.1312004499419488073250102996e-01
ER[5] = -0.1225156446376204440720569753e01
ER[6] = -0.4957589496572501915214079952e00
ER[7] = 0.1664377182454986536961530415e01
ER[8] = -0.3503288487499736816886487290e00
ER[9] = 0.3341791187130174790297318841e00
ER[10] = 0.8192320648511571246570742613e-01
ER[11] = -0.2235530786388629525884427845e-01
# 3rd-order embedded weights (stages 1, 9, 12) for the second estimator.
BHH = np.zeros(16)
BHH[0] = 0.244094488188976377952755905512e00
BHH[8] = 0.733846688281611857341361741547e00
BHH[11] = 0.220588235294117647058823529412e-01

# Dense output: rows 4..7 of the continuous extension (stages 1, 6..16).
D = np.zeros((4, 16))
D[0, 0] = -0.84289382761090128651353491142e01
D[0, 5] = 0.56671495351937776962531783590e00
D[0, 6] = -0.30689499459498916912797304727e01
D[0, 7] = 0.23846676565120698287728149680e01
D[0, 8] = 0.21170345824450282767155149946e01
D[0, 9] = -0.87139158377797299206789907490e00
D[0, 10] = 0.22404374302607882758541771650e01
D[0, 11] = 0.63157877876946881815570249290e00
D[0, 12] = -0.88990336451333310820698117400e-01
D[0, 13] = 0.18148505520854727256656404962e02
D[0, 14] = -0.91946323924783554000451984436e01
D[0, 15] = -0.44360363875948939664310572000e01
D[1, 0] = 0.10427508642579134603413151009e02
D[1, 5] = 0.24228349177525818288430175319e03
D[1, 6] = 0.16520045171727028198505394887e03
D[1, 7] = -0.37454675472269020279518312152e03
D[1, 8] = -0.22113666853125306036270938578e02
D[1, 9] = 0.77334326684722638389603898808e01
D[1, 10] = -0.30674084731089398182061213626e02
D[1, 11] = -0.93321305264302278729567221706e01
D[1, 12] = 0.15697238121770843886131091075e02
D[1, 13] = -0.31139403219565177677282850411e02
D[1, 14] = -0.93529243588444783865713862664e01
D[1, 15] = 0.35816841486394083752465898540e02
D[2, 0] = 0.19985053242002433820987653617e02
D[2, 5] = -0.38703730874935176555105901742e03
D[2, 6] = -0.18917813819516756882830838328e03
D[2, 7] = 0.52780815920542364900561016686e03
D[2, 8] = -0.11573902539959630126141871134e02
D[2, 9] = 0.68812326946963000169666922661e01
D[2, 10] = -0.10006050966910838403183860980e01
D[2, 11] = 0.77771377980534432092869265740e00
D[2, 12] = -0.27782057523535084065932004339e01
D[2, 13] = -0.60196695231264120758267380846e02
D[2, 14] = 0.84320405506677161018159903784e02
D[2, 15] = 0.11992291136182789328035130030e02
D[3, 0] = -0.25693933462703749003312586129e02
D[3, 5] = -0.15418974869023643374053993627e03
D[3, 6] = -0.23152937917604549567536039109e03
D[3, 7] = 0.35763911791061412378285349910e03
D[3, 8] = 0.93405324183624310003907691704e02
D[3, 9] = -0.37458323136451633156875139351e02
D[3, 10] = 0.10409964950896230045147246184e03
D[3, 11] = 0.29840293426660503123344363579e02
D[3, 12] = -0.43533456590011143754432175058e02
D[3, 13] = 0.96324553959188282948394950600e02
D[3, 14] = -0.39177261675615439165231486172e02
D[3, 15] = -0.14972683625798562581422125276e03

#: Status codes returned by :func:`integrate`.
REACHED_END, IMPACT, STEP_TOO_SMALL, TOO_MANY_STEPS = 0, 1, 2, 3

_SAFETY = 0.9
_FAC_MIN = 1.0 / 3.0  # smallest h_new / h
_FAC_MAX = 6.0  # largest h_new / h
_ORDER = 8

# As in _forces: inlined and free of numba's reference counting (atomic increfs of the
# arrays in ``fm`` cost more than the arithmetic); nothing here may allocate, the caller
# hands in the work space.
_HOT = {"cache": True, "inline": "always", **NO_REFCOUNT}
#: Rows of the work array handed to :func:`integrate`.
WORK_ROWS = 30


@njit(**_HOT)
def _rhs_inline(t, y, fm, out):
    """f(t, y) = (v, a) into ``out`` (6,)."""
    out[0] = y[3]
    out[1] = y[4]
    out[2] = y[5]
    ax, ay, az = acceleration(t, y, fm)
    out[3] = ax
    out[4] = ay
    out[5] = az


# The same as a plain call for the once-per-step sites: inlining the whole force model at
# every call site multiplies numba's compile time (~5x) for no measurable gain there.
@njit(cache=True, **NO_REFCOUNT)
def _rhs(t, y, fm, out):
    """f(t, y) = (v, a) into ``out`` (6,)."""
    _rhs_inline(t, y, fm, out)


@njit(**_HOT)
def _stage(s, t, h, y, k, ytmp, fm):
    """Stage ``s``: ytmp = y + h * sum_j A[s, j] k_j, then k_s = f(t + c_s h, ytmp)."""
    for i in range(6):
        acc = 0.0
        for j in range(s):
            acc += A[s, j] * k[j, i]
        ytmp[i] = y[i] + h * acc
    _rhs_inline(t + C[s] * h, ytmp, fm, k[s])


@njit(**_HOT)
def _stage_call(s, t, h, y, k, ytmp, fm):
    """As :func:`_stage` through the out-of-line right-hand side (dense-output stages)."""
    for i in range(6):
        acc = 0.0
        for j in range(s):
            acc += A[s, j] * k[j, i]
        ytmp[i] = y[i] + h * acc
    _rhs(t + C[s] * h, ytmp, fm, k[s])


@njit(**_HOT)
def _dense_coefficients(h, y, ynew, k, ytmp, t, fm, rc):
    """The 8 coefficient vectors of the 7th-order interpolant over the last step.

    Needs stages 1..13 in ``k``; computes stages 14..16 (3 right-hand-side calls).
    """
    for s in range(13, 16):
        _stage_call(s, t, h, y, k, ytmp, fm)
    for i in range(6):
        dy = ynew[i] - y[i]
        bspl = h * k[0, i] - dy
        rc[0, i] = y[i]
        rc[1, i] = dy
        rc[2, i] = bspl
        rc[3, i] = dy - h * k[12, i] - bspl
        for r in range(4):
            acc = D[r, 0] * k[0, i]
            for j in range(5, 16):
                acc += D[r, j] * k[j, i]
            rc[4 + r, i] = h * acc


@njit(**_HOT)
def _dense(rc, theta, out, row):
    """Interpolant at fraction ``theta`` of the step into ``out[row]``."""
    t1 = 1.0 - theta
    for i in range(6):
        out[row, i] = rc[0, i] + theta * (rc[1, i] + t1 * (rc[2, i] + theta * (
            rc[3, i] + t1 * (rc[4, i] + theta * (rc[5, i] + t1 * (
                rc[6, i] + theta * rc[7, i]))))))


@njit(**_HOT)
def _norm_scaled(y, sk_y, rtol, atol, v):
    acc = 0.0
    for i in range(6):
        sk = atol + rtol * abs(sk_y[i])
        acc += (v[i] / sk) ** 2
    return np.sqrt(acc / 6.0)


@njit(**_HOT)
def _initial_step(t, y, f0, direction, rtol, atol, hmax, fm, ytmp, f1, diff):
    """Starting step of HNW II.4: Euler probe, then h^8 max(|f|, |f'|) = 0.01."""
    dny = _norm_scaled(y, y, rtol, atol, y)
    dnf = _norm_scaled(y, y, rtol, atol, f0)
    if dnf <= 1e-5 or dny <= 1e-5:
        h = 1e-3
    else:
        h = 0.01 * dny / dnf
    h = min(h, hmax)
    for i in range(6):
        ytmp[i] = y[i] + direction * h * f0[i]
    _rhs(t + direction * h, ytmp, fm, f1)
    for i in range(6):
        diff[i] = f1[i] - f0[i]
    der2 = _norm_scaled(y, y, rtol, atol, diff) / h
    der12 = max(abs(der2), dnf)
    if der12 <= 1e-15:
        h1 = max(1e-6, h * 1e-3)
    else:
        h1 = (0.01 / der12) ** (1.0 / _ORDER)
    return min(100.0 * h, h1, hmax)


@njit(**_HOT)
def illinois_update(a_lo, b_hi, f_lo, f_hi, side, m, fv):
    """The bracket ``[a_lo, b_hi]`` (values ``f_lo``, ``f_hi``) after the sample ``fv`` at
    ``m``, by the Illinois rule (halve the kept end's value when the same end is kept
    twice); ``side`` remembers which end moved last (-1 low, 1 high, 0 none yet)."""
    if (fv > 0.0) == (f_lo > 0.0):
        if side == -1:
            f_hi *= 0.5
        return m, b_hi, fv, f_hi, -1
    if side == 1:
        f_lo *= 0.5
    return a_lo, m, f_lo, fv, 1


@njit(cache=True, **NO_REFCOUNT)
def _locate_impact(t, h, rc, fm, tmp):
    """Epoch in [t, t+h] where the altitude on the dense output crosses zero (Illinois)."""
    a_lo, b_hi = 0.0, 1.0
    _dense(rc, 0.0, tmp, 0)
    f_lo = altitude(t, tmp[0], fm)
    _dense(rc, 1.0, tmp, 0)
    f_hi = altitude(t + h, tmp[0], fm)
    side = 0
    tol = 1e-6 / abs(h)
    for it in range(200):
        if b_hi - a_lo <= tol:
            break
        m = (a_lo * f_hi - b_hi * f_lo) / (f_hi - f_lo)
        if not (a_lo < m < b_hi):
            m = 0.5 * (a_lo + b_hi)
        _dense(rc, m, tmp, 0)
        fm_val = altitude(t + m * h, tmp[0], fm)
        if fm_val == 0.0:
            a_lo = b_hi = m
            break
        a_lo, b_hi, f_lo, f_hi, side = illinois_update(a_lo, b_hi, f_lo, f_hi, side, m,
                                                       fm_val)
        # Guarantee the bracket shrinks even when the secant creeps from one side.
        if b_hi - a_lo > tol and side != 0 and it > 60:
            mid = 0.5 * (a_lo + b_hi)
            _dense(rc, mid, tmp, 0)
            fmid = altitude(t + mid * h, tmp[0], fm)
            if (fmid > 0.0) == (f_lo > 0.0):
                a_lo, f_lo = mid, fmid
            else:
                b_hi, f_hi = mid, fmid
    return t + 0.5 * (a_lo + b_hi) * h


@njit(cache=True, **NO_REFCOUNT)
def integrate(y0, t0, tout, rtol, atol, hmax, max_steps, stop_at_surface, fm, out, event, wk):
    """Integrate from ``(t0, y0)`` through the epochs ``tout`` (monotonic away from t0).

    ``tout`` (n,) TDB s, all on one side of ``t0`` (ascending forward, descending backward);
    ``out`` (n, 6) receives the states; ``event`` (7,) receives the impact epoch and state;
    ``wk`` (WORK_ROWS, 6) is work space (the function allocates nothing).
    ``hmax`` > 0 caps |h|. Returns ``(n_written, status, n_steps, n_rhs, n_rejected)``
    with status 0 (reached the last epoch), 1 (surface impact), 2 (step too small) or
    3 (more than ``max_steps`` steps).
    """
    n = tout.shape[0]
    if n == 0:
        return 0, REACHED_END, 0, 0, 0
    t_end = tout[n - 1]
    direction = 1.0 if t_end >= t0 else -1.0
    k = wk[0:16]
    rc = wk[16:24]
    y = wk[24]
    ynew = wk[25]
    ytmp = wk[26]
    f1 = wk[27]
    diff = wk[28]
    tmp = wk[29:30]
    for i in range(6):
        y[i] = y0[i]
    iout = 0
    # Epochs at t0 itself: the initial state.
    while iout < n and tout[iout] == t0:
        for i in range(6):
            out[iout, i] = y0[i]
        iout += 1
    if iout == n:
        return n, REACHED_END, 0, 0, 0
    t = t0
    _rhs(t, y, fm, k[0])
    n_rhs = 1
    h = _initial_step(t, y, k[0], direction, rtol, atol, hmax, fm, ytmp, f1, diff)
    n_rhs += 1
    n_steps = 0
    n_rej = 0
    rejected = False
    expo = 1.0 / _ORDER
    while True:
        if n_steps >= max_steps:
            return iout, TOO_MANY_STEPS, n_steps, n_rhs, n_rej
        if 0.1 * abs(h) <= abs(t) * 2.2e-16 or h < 1e-12:
            return iout, STEP_TOO_SMALL, n_steps, n_rhs, n_rej
        last = False
        if (t + direction * 1.01 * h - t_end) * direction >= 0.0:
            h = abs(t_end - t)
            last = True
        hs = direction * h  # signed step
        n_steps += 1
        for s in range(1, 12):
            _stage(s, t, hs, y, k, ytmp, fm)
        n_rhs += 11
        err5 = 0.0
        err3 = 0.0
        for i in range(6):
            acc_b = 0.0
            acc_e = 0.0
            for j in range(12):
                acc_b += B[j] * k[j, i]
                acc_e += ER[j] * k[j, i]
            ynew[i] = y[i] + hs * acc_b
            sk = atol + rtol * max(abs(y[i]), abs(ynew[i]))
            e3 = acc_b - BHH[0] * k[0, i] - BHH[8] * k[8, i] - BHH[11] * k[11, i]
            err5 += (acc_e / sk) ** 2
            err3 += (e3 / sk) ** 2
        deno = err5 + 0.01 * err3
        if deno <= 0.0:
            deno = 1.0
        err = h * err5 / np.sqrt(6.0 * deno)
        if err > 1.0 or not np.isfinite(err):
            # Rejected: shrink, never grow right after a rejection.
            fac = _SAFETY * err ** (-expo) if np.isfinite(err) else _FAC_MIN
            h = h * max(_FAC_MIN, min(1.0, fac))
            rejected = True
            n_rej += 1
            continue
        fac = _SAFETY * err ** (-expo) if err > 0.0 else _FAC_MAX
        fac = max(_FAC_MIN, min(_FAC_MAX, fac))
        if rejected:
            fac = min(fac, 1.0)
        rejected = False
        t_new = t_end if last else t + hs
        _rhs(t_new, ynew, fm, k[12])
        n_rhs += 1
        have_dense = False
        impact = False
        if stop_at_surface and altitude(t_new, ynew, fm) < 0.0:
            _dense_coefficients(hs, y, ynew, k, ytmp, t, fm, rc)
            n_rhs += 3
            have_dense = True
            t_hit = _locate_impact(t, hs, rc, fm, tmp)
            theta = (t_hit - t) / hs
            _dense(rc, theta, tmp, 0)
            event[0] = t_hit
            for i in range(6):
                event[1 + i] = tmp[0, i]
            impact = True
            t_stop = t_hit
        else:
            t_stop = t_new
        if iout < n and (tout[iout] - t_stop) * direction <= 0.0:
            if not have_dense:
                _dense_coefficients(hs, y, ynew, k, ytmp, t, fm, rc)
                n_rhs += 3
            while iout < n and (tout[iout] - t_stop) * direction <= 0.0:
                if tout[iout] == t_new and not impact:
                    for i in range(6):
                        out[iout, i] = ynew[i]
                else:
                    _dense(rc, (tout[iout] - t) / hs, out, iout)
                iout += 1
        if impact:
            return iout, IMPACT, n_steps, n_rhs, n_rej
        t = t_new
        for i in range(6):
            y[i] = ynew[i]
            k[0, i] = k[12, i]
        if last or iout >= n:
            return iout, REACHED_END, n_steps, n_rhs, n_rej
        h = min(h * fac, hmax)
