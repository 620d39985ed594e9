"""Kernel hygiene (areo._numba): serial below a size, chunks on threads above it, each
compiled kernel with exactly one signature whatever the callers pass.

The oracle for the threaded runs is the same kernel run serially on slices below the
threshold: the results must agree bit for bit (each row is computed by the same code on the
same inputs, whichever thread runs it).
"""

from __future__ import annotations

import multiprocessing
import threading

import numpy as np
import pytest

from areo import _numba


@pytest.fixture(autouse=True)
def quiet_machine(monkeypatch):
    """The threaded paths under test, whatever else runs on the machine: no core counts as
    held by other work (run() would otherwise fall back to one thread; that fallback has
    its own test below)."""
    monkeypatch.setattr(_numba, "_busy_cores", lambda: 0)


def _count(out, lo, hi):
    out[lo:hi] += 1


def test_all_cores_busy_runs_in_the_calling_thread(monkeypatch):
    """With every core held by other runnable threads, a large call stays in the calling
    thread (a second thread would only wait for a time slice, and the call for it)."""
    monkeypatch.setattr(_numba, "threads", lambda: 2)
    monkeypatch.setattr(_numba, "_cpu_count", lambda: 2)
    monkeypatch.setattr(_numba, "_busy_cores", lambda: 2)
    assert _numba.threads_now(10**6, 100) == 1
    seen: list[int] = []
    _numba.run(lambda lo, hi: seen.append(threading.get_ident()), 1000, (), 100)
    _numba.run_pieces(lambda lo, hi: seen.append(threading.get_ident()), 1000, (), 100)
    assert set(seen) == {threading.get_ident()}
    monkeypatch.setattr(_numba, "_busy_cores", lambda: 1)
    assert _numba.threads_now(10**6, 100) == 1
    monkeypatch.setattr(_numba, "_busy_cores", lambda: 0)
    assert _numba.threads_now(10**6, 100) == 2
    assert _numba.threads_now(99, 100) == 1


def test_busy_cores_reads_the_runnable_count(monkeypatch, tmp_path):
    """/proc/loadavg's fourth field is 'runnable/total' (proc(5)); this thread is one of the
    runnable ones. Unreadable: no core counted as busy."""
    import builtins

    real_open = builtins.open
    fake = tmp_path / "loadavg"

    def fake_open(path, *args, **kwargs):
        return real_open(fake if path == "/proc/loadavg" else path, *args, **kwargs)

    monkeypatch.undo()  # the real _busy_cores, not the fixture's
    monkeypatch.setattr(builtins, "open", fake_open)
    fake.write_text("2.10 1.20 0.90 3/345 12345\n")
    assert _numba._busy_cores() == 2
    fake.write_text("0.00 0.00 0.00 1/100 1\n")
    assert _numba._busy_cores() == 0
    fake.write_text("garbage\n")
    assert _numba._busy_cores() == 0


def test_run_covers_the_range_once():
    for n in (0, 1, 2, 3, 7, 1000, 1001):
        for serial_below in (1, 5, 10_000):
            out = np.zeros(n)
            _numba.run(_count, n, (out,), serial_below)
            assert np.all(out == 1.0), (n, serial_below)


def test_small_batches_stay_in_the_calling_thread():
    seen: list[int] = []

    def kernel(lo, hi):
        seen.append(threading.get_ident())

    _numba.run(kernel, 99, (), 100)
    assert seen == [threading.get_ident()]
    if _numba.threads() < 2:
        pytest.skip("one thread allowed here: nothing runs on the pool")
    seen.clear()
    _numba.run(kernel, 100, (), 100)
    assert len(seen) == min(_numba.threads(), 100)
    assert threading.get_ident() in seen


def test_worker_errors_reach_the_caller():
    if _numba.threads() < 2:
        pytest.skip("one thread allowed here")

    def kernel(lo, hi):
        if lo > 0:
            raise ValueError("chunk failed")

    with pytest.raises(ValueError, match="chunk failed"):
        _numba.run(kernel, 10, (), 1)


def _child(queue):
    out = np.zeros(1000)
    _numba.run(_count, out.size, (out,), 1)
    queue.put(float(out.sum()))


def test_pool_works_in_a_forked_child():
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    out = np.zeros(1000)
    _numba.run(_count, out.size, (out,), 1)  # the parent's pool exists now
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue,))
    proc.start()
    try:
        assert queue.get(timeout=60) == 1000.0
    finally:
        proc.join(timeout=60)
        if proc.is_alive():  # pragma: no cover - a hang is the failure
            proc.kill()


def test_inp_is_read_only_and_contiguous():
    a = np.arange(12.0).reshape(3, 4)[:, ::2]
    v = _numba.inp(a)
    assert v.flags.c_contiguous and not v.flags.writeable and v.dtype == np.float64
    b = np.ones(5)
    w = _numba.inp(b)
    assert np.shares_memory(w, b) and b.flags.writeable  # a view: nothing copied


def test_threaded_runs_match_serial_slices():
    from areo.ephem import default_ephemeris, spk
    from areo.orbits import kepler, propagate_kepler

    rng = np.random.default_rng(3)
    s0 = np.column_stack([rng.uniform(3600, 9000, 3), rng.uniform(-100, 100, 3),
                          rng.uniform(-100, 100, 3), rng.uniform(-0.1, 0.1, 3),
                          rng.uniform(2.5, 3.5, 3), rng.uniform(-0.5, 0.5, 3)])
    m = kepler._PARALLEL_MIN  # 3 x m cells: above the threshold
    dt = rng.uniform(-1e6, 1e6, m)
    whole = propagate_kepler(s0, dt, 42828.375816)
    part = np.concatenate([propagate_kepler(s0[i:i + 1], dt[j:j + 1000], 42828.375816)
                           for i in range(3) for j in range(0, m, 1000)], axis=1)
    part = part.reshape(3, m, 6)  # slices are (1, 1000) blocks in (orbit, epoch) order
    assert np.array_equal(whole, part)
    eph = default_ephemeris()
    et = np.linspace(-1e9, 1e9, 3 * spk._PARALLEL_MIN + 17)
    whole = eph.state("mars", et).states
    part = np.concatenate([eph.state("mars", et[k:k + 500]).states
                           for k in range(0, et.size, 500)])
    assert np.array_equal(whole, part)


def _signatures(*kernels) -> dict[str, int]:
    return {k.py_func.__qualname__: len(k.signatures) for k in kernels if k.signatures}


def test_each_kernel_compiles_one_signature():
    """Callers with scalars, broadcast (read-only) inputs, non-contiguous views, batches
    below and above the thread threshold all reach the same compiled specialisation."""
    from areo.ephem import _kernels as ek
    from areo.ephem import default_ephemeris, tabulated
    from areo.frames import _kernels as fk
    from areo.frames.iau import RotationTable
    from areo.frames.mars import MARS_IAU2015
    from areo.orbits import (
        Orbit,
        coe_to_state,
        mean_to_true,
        propagate_kepler,
        state_to_coe,
        true_to_mean,
    )
    from areo.orbits import _kernels as ok
    from areo.transfer import _kernels as tk
    from areo.transfer import lambert, porkchop_span

    s = np.array([3796.19, 100.0, 50.0, -0.1, 3.3, 0.5])
    Orbit.from_state(s, 0.0)
    Orbit.from_state(np.tile(s, (6000, 1)), 0.0)
    big = np.tile(s, (3, 1))[:, ::1]
    coe_to_state(7000.0, 0.1, 1.0, 0.2, 0.3, 0.4, 42828.0)
    coe_to_state(np.full(6000, 7000.0), 0.1, 1.0, 0.2, 0.3, np.linspace(0, 6, 6000), 42828)
    state_to_coe(big, 42828.0)
    state_to_coe(np.asfortranarray(big), np.full(3, 42828.0))
    mean_to_true(0.5, 0.1)
    true_to_mean(np.linspace(0, 1, 7)[::2], 0.2)
    propagate_kepler(s, [0.0, 60.0], 42828.0)
    propagate_kepler(big, np.linspace(0, 1e5, 3000), 42828.0)
    orbs = Orbit.from_state(big, 0.0)
    for model in ("kepler", "j2mean"):
        orbs.propagate(np.linspace(0, 86400.0, 5), model=model)
        orbs.propagate(np.linspace(0, 86400.0, 4000), model=model)
        orbs[0].propagate(0.0, model=model)
    MARS_IAU2015.matrix_and_rate(np.linspace(0, 1e8, 3))
    MARS_IAU2015.matrix(np.linspace(0, 1e8, 30_000))
    MARS_IAU2015.angles_at(0.0)
    table = RotationTable(MARS_IAU2015, 0.0, 1e6)
    table.to_body(np.ones((2, 3)), [0.0, 1.0])
    table.to_body(np.ones((30_000, 3)).T.copy().T, np.linspace(0, 1e6, 30_000))
    eph = default_ephemeris()
    eph.state("mars", 0.0)
    eph.state("earth", np.linspace(0, 1e8, 5000))
    traj = tabulated.TabulatedTrajectory(np.linspace(0, 1e4, 50), np.ones((50, 6)))
    traj.state(5.0)
    traj.position(np.linspace(0, 1e4, 3000))
    lag = tabulated.TabulatedTrajectory(np.linspace(0, 1e4, 50), np.ones((50, 6)),
                                        interpolation="lagrange")
    lag.state(np.linspace(0, 1e4, 3000)[::3])
    r1 = np.array([1.5e8, 0.0, 0.0])
    r2 = np.array([[0.0, 2.2e8, 0.0], [-2.0e8, 1e7, 0.0]])
    lambert(r1, r2, 2e7)
    lambert(r1[None], r2, np.array([2e7, 3e7]), revs=[0, 1], right=True)
    lambert(np.tile(r1, (600, 1)), np.tile(r2[0], (600, 1)), np.full(600, 2e7))
    porkchop_span("2028-09-01", "2028-09-15", "2029-06-01", "2029-06-15", step_days=7.0)
    porkchop_span("2028-09-01", "2028-10-31", "2029-06-01", "2029-12-31", step_days=3.0,
                  revs=1, select="dv_total")
    from areo.transfer import _mga_kernels as mk
    from areo.transfer.mga import MGA, MGA1DSM

    evm = MGA1DSM(("earth", "venus", "mars"), (10400, 10500), [(100, 300), (100, 400)])
    for n in (1, 5000):
        x = evm.lower + np.linspace(0, 1, n)[:, None] * (evm.upper - evm.lower)
        evm.fitness(x)
        MGA(("earth", "venus", "mars"), (10400, 10500), [(100, 300), (100, 400)],
            max_revs=1).fitness(x[:, [0, 5, 9]][:, ::1])
    from areo.orbits.numerical import ForceModel, propagate_cowell
    from areo.orbits.numerical import _taylor as nt

    et0 = 9.5e8
    for fm, tol, epochs in ((ForceModel.point_mass(), 1e-10, [et0 - 60.0, et0 + 60.0]),
                            (ForceModel(), 1e-15, np.array([et0, et0 + 600.0])[::1]),
                            (ForceModel(frozen_frame_et=et0), 2.3e-16, (et0 + 1.0,))):
        propagate_cowell(np.array([3796.19, 0.0, 0.0, 0.0, 3.36, 0.5]), et0, epochs, fm,
                         rtol=tol, method="taylor")
    propagate_cowell([3796.19, 0.0, 0.0, 0.0, 0.5, 0.0], et0, [et0 + 3000.0],
                     ForceModel(frozen_frame_et=et0), method="taylor")  # an impact
    from areo.events import _kernels as vk
    from areo.events import passes

    tab_et = np.arange(0.0, 2 * 86400.0 + 1.0, 60.0)
    u, r, w = tab_et * 9.0e-4, 3796.19, 9.0e-4 * 3796.19
    ci, si = np.cos(1.2), np.sin(1.2)
    orbiter = tabulated.TabulatedTrajectory(tab_et, np.column_stack([
        r * np.cos(u), r * np.sin(u) * ci, r * np.sin(u) * si,
        -w * np.sin(u), w * np.cos(u) * ci, w * np.cos(u) * si]))
    passes(orbiter, "jezero", 100.0, 86400.0)
    passes(orbiter, ["jezero", "gale"], 100.0, 1.9 * 86400.0, step_s=5.0,
           min_elev_deg=([0.0, 180.0], [5.0, 15.0]))
    called = (vk.scan_passes, vk.pass_extrema, vk.grid_sample, nt.integrate, ok.coe2rv, ok.rv2coe,
              ok.state_to_elements, ok.true_from_mean_vec, ok.mean_from_true_vec,
              ok.kepler_uv, ok.j2mean_states, fk.iau_angles, fk.euler_matrices,
              fk.rotate_interp, ek.accumulate_states, tabulated._hermite, tabulated._lagrange,
              tk.lambert_batch, tk.porkchop_grid, mk.flyby_unpowered, mk.flyby_powered)
    # Functions called only from compiled code get signatures here only when this process
    # compiled their caller (a cold cache); then they too must have exactly one.
    inner = (ok._kepler_uv_one, ok._rv2coe_one, ok._rv2coe_values, ok._coe2rv_one, fk.angles_one,
             fk._euler_one, fk._rotate_interp_one, ek.accumulate_one, tk.lambert_one,
             tk._hyperbola_dv, nt.coefficients, nt._pole_and_rate, nt._locate_impact,
             fk.rotate_xyz, tabulated.hermite_setup, tabulated.hermite_position,
             tabulated.hermite_state, vk._could_rise, vk._brent, vk._crossing, vk._golden,
             vk._g, vk._h, vk._enu_at, vk._position, vk._mask_at, vk._elevation,
             vk._site_enu_of)
    sigs = _signatures(*called, *inner)
    assert set(sigs) >= {k.py_func.__qualname__ for k in called}
    assert {k: v for k, v in sigs.items() if v != 1} == {}
