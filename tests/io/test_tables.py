"""CSV/Parquet state tables: round trip and errors."""

from __future__ import annotations

import numpy as np
import pytest

from areo.errors import CatalogFileError, ParameterError
from areo.io.tables import COLUMNS, read_states, write_states
from areo.time import Time


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip(tmp_path, suffix):
    et = float(Time.from_utc("2030-01-01").et) + np.arange(0.0, 600.0, 60.0) + 0.25
    rng = np.random.default_rng(1)
    st = rng.normal(size=(et.size, 6)) * [4000, 4000, 4000, 3, 3, 3]
    path = write_states(tmp_path / f"s{suffix}", Time.from_et(et), st)
    t, back = read_states(path)
    np.testing.assert_array_equal(back, st)  # %.17g / binary: exact
    np.testing.assert_allclose(t.et, et, atol=2e-6)


def test_columns_and_errors(tmp_path):
    et = float(Time.from_utc("2030-01-01").et)
    path = write_states(tmp_path / "s.csv", Time.from_et([et]), np.zeros((1, 6)))
    assert path.read_text().splitlines()[0] == ",".join(COLUMNS)
    with pytest.raises(ParameterError, match="suffix"):
        write_states(tmp_path / "s.txt", Time.from_et([et]), np.zeros((1, 6)))
    with pytest.raises(ParameterError, match=r"\(n, 6\)"):
        write_states(tmp_path / "s.csv", Time.from_et([et]), np.zeros((2, 6)))
    (tmp_path / "bad.csv").write_text("utc,x_km\n2030-01-01T00:00:00Z,1\n")
    with pytest.raises(CatalogFileError, match="missing"):
        read_states(tmp_path / "bad.csv")
