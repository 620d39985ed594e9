"""areo._files: atomic output keeps the usual file permissions (not mkstemp's 0600)."""

from __future__ import annotations

import os
import stat

from areo._files import atomic_write


def test_atomic_write_uses_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "a.txt") as fh:
            fh.write("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
