"""File formats: CCSDS OEM (KVN), state tables (CSV/Parquet), SPICE SPK reading.

- :mod:`areo.io.oem`: :func:`~areo.io.oem.write_oem`, :func:`~areo.io.oem.read_oem`.
- :mod:`areo.io.tables`: :func:`~areo.io.tables.write_states`,
  :func:`~areo.io.tables.read_states`.
- :mod:`areo.io.spk`: :func:`~areo.io.spk.read_spk_states` (any SPK type, needs spiceypy).
"""

from areo.io.oem import OemData, OemSegment, read_oem, write_oem
from areo.io.tables import read_states, write_states

__all__ = ["OemData", "OemSegment", "read_oem", "read_states", "write_oem", "write_states"]
