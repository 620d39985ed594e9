"""Helpers of the mission tests: the short scenario text and an in-process CLI runner."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

_SHORT = (
    ("sols = 218 ", "sols = 20 "),
    ("grid_points = 200 ", "grid_points = 60 "),
    ("period_days = 21 ", "period_days = 0 "),
    ("runs = 2001", "runs = 401"),
    ("ephemeris_sols = 3 ", "ephemeris_sols = 1 "),
    ('model = "rosalind_franklin"',
     'model = "rosalind_franklin"\nexperiment_cycles = 1\nvertical_surveys = 0'),
)


def short_exomars_text(replace: dict[str, str] | None = None) -> str:
    """The ExoMars example cut to a short campaign (20 sols, one Experiment Cycle, a 60 x 60
    porkchop, no launch period, 401 EDL runs, one sol of OEM); ``replace`` maps further
    text to swap."""
    text = (EXAMPLES / "exomars-2028.toml").read_text()
    for old, new in _SHORT:
        assert old in text, f"the example no longer has {old!r}: update the test"
        text = text.replace(old, new)
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    return text



def cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run the ``areo`` CLI in-process: (exit code, stdout, stderr)."""
    from areo.cli import main

    code = 0
    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ballistic_exomars_text(replace: dict[str, str] | None = None) -> str:
    """:func:`short_exomars_text` flying the ballistic minimum-C3 arc of the porkchop (the
    spans of the example's earlier, ballistic version: launch October-December 2028,
    arrival October-November 2030) instead of the DSM trajectory."""
    return short_exomars_text({
        'model = "dsm"                   # ballistic | dsm | mga': 'model = "ballistic"',
        'objective = "dsm+vinf"': 'objective = "c3"  #',
        "earliest = 2028-09-01": "earliest = 2028-10-01",
        "earliest = 2030-07-01": "earliest = 2030-10-01",
        "latest = 2031-03-01": "latest = 2030-11-30",
        **(replace or {})})
