"""Plain helpers shared by test packages (not a test module: tests import from here, never
from one another)."""

from __future__ import annotations


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run the ``areo`` CLI in-process: (exit code, stdout, stderr)."""
    from areo.cli import main

    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
