"""The ``areo`` command line.

Every command prints a rich table for people and, with ``--json``, machine-readable output
whose keys are a contract (add, never rename). A bad input prints one line on stderr and
exits with code 2, never a traceback.

The typer app and the helpers the command modules share live in :mod:`areo.cli._app`; each
``*_cmds`` module registers its commands on it when imported (below), so the modules never
import this package back.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import typer

from areo.cli import basic_cmds as _basic_cmds  # noqa: F401
from areo.cli import edl_cmds as _edl_cmds  # noqa: F401
from areo.cli import events_cmds as _events_cmds  # noqa: F401
from areo.cli import mission_cmds as _mission_cmds  # noqa: F401
from areo.cli import orbit_cmds as _orbit_cmds  # noqa: F401
from areo.cli import relay_cmds as _relay_cmds  # noqa: F401
from areo.cli import sample_return_cmds as _sample_return_cmds  # noqa: F401
from areo.cli import sols_cmds as _sols_cmds  # noqa: F401
from areo.cli import sweep_cmds as _sweep_cmds  # noqa: F401
from areo.cli import trajectory_cmds as _trajectory_cmds  # noqa: F401
from areo.cli import transfer_cmds as _transfer_cmds  # noqa: F401
from areo.cli._app import (  # noqa: F401 - the package's public names
    RENAMED,
    Table,
    _renamed,
    app,
    out,
    progress_bar,
    split_names,
)
from areo.errors import AreoError, AreoInputError

try:  # typer >= 0.20 vendors click
    from typer._click import exceptions as _click_exceptions
except ImportError:  # pragma: no cover - older typer on click
    from click import exceptions as _click_exceptions

__all__ = ["app", "main", "progress_bar", "split_names"]


def _one_line(message: Any) -> str:
    """``message`` on one line with no control characters (escaped), at most 2000 chars."""
    text = " ".join(str(message).split())
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
    return text if len(text) <= 2000 else text[:1997] + "..."


def _fail(message: str) -> None:
    sys.stderr.write(f"areo: error: {_one_line(message)}\n")
    sys.exit(2)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``areo`` console script."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        args = ["--help"]
    try:
        args = _renamed(args)
        app(args=args, prog_name="areo", standalone_mode=False)
    except AreoInputError as exc:
        _fail(str(exc))
    except _click_exceptions.UsageError as exc:
        _fail(exc.format_message())
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("areo: aborted\n")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except _click_exceptions.ClickException as exc:
        _fail(exc.format_message())
    except AreoError as exc:
        sys.stderr.write(f"areo: {_one_line(exc)}\n")
        sys.exit(1)
    except BrokenPipeError:
        # Nothing more reaches the reader; keep Python from complaining at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:  # last resort: a bug, never a traceback for the user
        if os.environ.get("AREO_DEBUG", "") not in ("", "0"):
            raise
        detail = _one_line(exc) or "(no message)"
        sys.stderr.write(f"areo: internal error: {type(exc).__name__}: {detail} (please "
                         "report; run with AREO_DEBUG=1 for the traceback)\n")
        sys.exit(1)
