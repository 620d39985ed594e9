"""IAU_MARS against SPICE reading a PCK typed in from the IAU/WGCCRE reports (conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import ParameterError
from areo.frames import mars
from areo.time import Time

# Rotation-matrix elements: SPICE and areo evaluate the same formulas in the same order, so
# they agree to a few 1e-16; 1e-12 is the requirement (2e-4 mm at the Mars surface).
MATRIX_TOL = 1e-12
# Lower-left (dM/dt) block of sxform: entries are ~7e-5 1/s; same reasoning, absolute 1/s.
RATE_TOL = 1e-17


def _epochs(sp, n_random: int = 600) -> np.ndarray:
    """Uniform and random epochs across 1900-2100 (TDB seconds past J2000)."""
    t0 = sp.str2et("1900-01-01T00:00:00")
    t1 = sp.str2et("2100-01-01T00:00:00")
    rng = np.random.default_rng(2015)
    return np.concatenate([np.linspace(t0, t1, 401), rng.uniform(t0, t1, n_random), [0.0]])


@pytest.mark.parametrize("model", ["iau2015", "iau2009"])
def test_matrices_match_spice_pxform_sxform(model, request):
    sp = request.getfixturevalue(f"spice_mars{model[3:]}")
    et = _epochs(sp)
    ref_m = np.array([sp.pxform("J2000", "IAU_MARS", e) for e in et])
    ref_s = np.array([sp.sxform("J2000", "IAU_MARS", e) for e in et])
    m = mars.icrf_to_iau_mars(et, model=model)
    s = mars.state_transform(et, model=model)
    assert m.shape == (et.size, 3, 3) and s.shape == (et.size, 6, 6)
    assert np.max(np.abs(m - ref_m)) < MATRIX_TOL
    assert np.max(np.abs(s[:, :3, :3] - ref_s[:, :3, :3])) < MATRIX_TOL
    assert np.max(np.abs(s[:, 3:, 3:] - ref_s[:, 3:, 3:])) < MATRIX_TOL
    assert np.max(np.abs(s[:, :3, 3:])) == 0.0
    assert np.max(np.abs(s[:, 3:, :3] - ref_s[:, 3:, :3])) < RATE_TOL
    # Inverses: SPICE's IAU_MARS -> J2000.
    ref_inv = np.array([sp.sxform("IAU_MARS", "J2000", e) for e in et[:50]])
    inv = mars.state_transform_from_iau_mars(et[:50], model=model)
    assert np.max(np.abs(inv[:, :3, :3] - ref_inv[:, :3, :3])) < MATRIX_TOL
    assert np.max(np.abs(inv[:, 3:, :3] - ref_inv[:, 3:, :3])) < RATE_TOL


def test_models_differ(spice_mars2015):
    """pck00011 comments: the 2015 pole stays within 0.01 deg of the 2009 pole near J2000
    (areo: 0.00035 deg at J2000, 0.00076 deg in 2019), yet the models are distinct."""
    et = np.array([0.0, 6e8])
    m15 = mars.icrf_to_iau_mars(et, model="iau2015")
    m09 = mars.icrf_to_iau_mars(et, model="iau2009")
    sep = np.degrees(np.arccos(np.clip(np.sum(m15[:, 2] * m09[:, 2], axis=-1), -1, 1)))
    assert np.all((sep > 1e-4) & (sep < 0.01))


def test_pole_ra_dec_w_vs_spice_and_pck00011_comment(spice_mars2015):
    sp = spice_mars2015
    et = _epochs(sp, 100)
    ra, dec, w = mars.mars_pole_ra_dec_w(et)
    m = np.array([sp.pxform("J2000", "IAU_MARS", e) for e in et])
    # Row 3 of the matrix is the pole; W is the angle of the x axis from the node
    # (pole x ICRF z), measured about the pole: W = atan2(M[0, 2], M[1, 2]).
    ref_ra = np.degrees(np.arctan2(m[:, 2, 1], m[:, 2, 0])) % 360.0
    ref_dec = np.degrees(np.arcsin(m[:, 2, 2]))
    ref_w = np.degrees(np.arctan2(m[:, 0, 2], m[:, 1, 2])) % 360.0
    assert np.max(np.abs(ra - ref_ra)) < 1e-9
    assert np.max(np.abs(dec - ref_dec)) < 1e-9
    dw = (w - ref_w + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(dw)) < 1e-9
    assert np.all((w >= 0.0) & (w < 360.0))
    # NAIF pck00011 comments: at J2000 the 2015 model's pole is at about RA 317.68086,
    # Dec 52.88643 deg (0.01 deg from the 2009 pole at 317.68143, 52.88650). Stated to 5
    # decimals; areo gives 317.680854, 52.886439.
    ra0, dec0, _ = mars.mars_pole_ra_dec_w(0.0)
    assert ra0 == pytest.approx(317.68086, abs=1e-5)
    assert dec0 == pytest.approx(52.88643, abs=1e-5)
    ra9, dec9, w9 = mars.mars_pole_ra_dec_w(0.0, model="iau2009")
    assert (ra9, dec9, w9) == pytest.approx((317.68143, 52.88650, 176.630), abs=1e-12)


def test_utc_inputs_agree_with_spice_str2et(spice_mars2015):
    """Times as UTC strings: areo's Time vs SPICE's str2et through the same LSK.

    SPICE's LSK TDB formula and erfa's dtdb differ by up to ~30 microseconds; Mars turns by
    7.1e-5 rad/s, so the matrices may differ by up to ~3e-9.
    """
    sp = spice_mars2015
    utc = ["1976-07-20T11:53:06", "2004-01-04T04:35:00", "2021-02-18T20:55:00",
           "2030-06-01T00:00:00"]
    m = mars.icrf_to_iau_mars(Time([u + "Z" for u in utc]))
    ref = np.array([sp.pxform("J2000", "IAU_MARS", sp.str2et(u)) for u in utc])
    assert np.max(np.abs(m - ref)) < 5e-9


def test_vector_and_state_transforms(spice_mars2015):
    sp = spice_mars2015
    rng = np.random.default_rng(7)
    et = rng.uniform(-3e9, 3e9, 64)
    states = rng.normal(size=(64, 6)) * np.array([4000.0] * 3 + [3.0] * 3)
    ref = np.array(
        [sp.mxvg(sp.sxform("J2000", "IAU_MARS", e), s) for e, s in zip(et, states, strict=True)]
    )
    out = mars.to_iau_mars(states, et)
    assert np.max(np.abs(out[:, :3] - ref[:, :3])) < 1e-9  # km
    assert np.max(np.abs(out[:, 3:] - ref[:, 3:])) < 1e-12  # km/s
    assert np.allclose(mars.from_iau_mars(out, et), states, rtol=0, atol=1e-9)
    pos = mars.to_iau_mars(states[:, :3], et)
    assert np.max(np.abs(pos - ref[:, :3])) < 1e-9
    # Broadcasting: many vectors at one epoch, one vector at many epochs.
    many = mars.to_iau_mars(states[:, :3], 1e8)
    ref_many = states[:, :3] @ np.array(sp.pxform("J2000", "IAU_MARS", 1e8)).T
    assert np.max(np.abs(many - ref_many)) < 1e-9
    one = mars.to_iau_mars(np.array([1.0, 2.0, 3.0]), et)
    assert one.shape == (64, 3)
    # A point fixed on Mars has zero body-fixed velocity after to_iau_mars.
    fixed_bf = np.array([3396.19, 0.0, 0.0, 0.0, 0.0, 0.0])
    inertial = mars.from_iau_mars(fixed_bf, et)
    assert np.allclose(mars.to_iau_mars(inertial, et), fixed_bf, atol=1e-9)
    # its inertial speed is omega x rho = 7.088e-5 rad/s * 3396.19 km * cos(lat) ~ 0.24 km/s
    speed = np.linalg.norm(inertial[:, 3:], axis=-1)
    assert np.all(np.abs(speed - 0.2407) < 0.001)


def test_shapes_and_scalar():
    assert mars.icrf_to_iau_mars(0.0).shape == (3, 3)
    assert mars.icrf_to_iau_mars(np.zeros((4, 5))).shape == (4, 5, 3, 3)
    assert mars.state_transform(np.zeros(2)).shape == (2, 6, 6)
    ra, dec, w = mars.mars_pole_ra_dec_w(np.zeros((2, 3)))
    assert ra.shape == dec.shape == w.shape == (2, 3)
    m = mars.icrf_to_iau_mars(np.linspace(-1e9, 1e9, 7))
    assert np.allclose(m @ np.swapaxes(m, -1, -2), np.eye(3), atol=1e-15)
    assert np.allclose(np.linalg.det(m), 1.0)
    assert np.allclose(mars.iau_mars_to_icrf(3e8), mars.icrf_to_iau_mars(3e8).T)


def test_bad_model_and_vectors():
    with pytest.raises(ParameterError, match="iau2015"):
        mars.icrf_to_iau_mars(0.0, model="iau1991")
    with pytest.raises(ParameterError, match="last axis"):
        mars.to_iau_mars(np.zeros((3, 4)), 0.0)


def test_threaded_batch_matches_spice(spice_mars2015):
    """A batch far above the threading size (areo._numba.run splits it into chunks) gives
    every chunk the right rows: a strided sample across all chunks against SPICE pxform at
    MATRIX_TOL. (Its speed is benchmarks' business, not a test's.)"""
    sp = spice_mars2015
    et = np.linspace(-3e9, 3e9, 200_001)
    m = mars.icrf_to_iau_mars(et)
    assert m.shape == (et.size, 3, 3)
    idx = np.r_[0:et.size:397, et.size - 1]  # ~500 rows, in every chunk, both ends
    ref = np.array([sp.pxform("J2000", "IAU_MARS", e) for e in et[idx]])
    assert np.max(np.abs(m[idx] - ref)) < MATRIX_TOL


def test_rotation_table_matches_spice(spice_mars2015):
    """The interpolated rotation table against SPICE pxform (IAU 2015 PCK typed from the
    report): agreement to the float64 rounding of W far from J2000 (~1e-10 rad)."""
    from areo.frames.iau import RotationTable

    sp = spice_mars2015
    t0, t1 = 9.0e8, 9.0e8 + 687 * 86400.0
    table = RotationTable(mars.MARS_IAU2015, t0, t1)
    rng = np.random.default_rng(7)
    et = np.sort(rng.uniform(t0, t1, 300))
    vec = rng.normal(size=(300, 3)) * 4000.0
    ours = table.to_body(vec, et)
    ref = np.array([sp.pxform("J2000", "IAU_MARS", float(t)) @ v
                    for t, v in zip(et, vec, strict=True)])
    assert np.max(np.abs(ours - ref)) / 4000.0 < 3e-10
    with pytest.raises(ParameterError, match="outside the rotation table"):
        table.to_body(vec[:1], [t1 + 10 * 86400.0])
