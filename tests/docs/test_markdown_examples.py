"""Every shell command and Python snippet in README.md and docs/*.md runs, and prints what
the page shows where it shows an output (docs/hooks/mdrun.py: directives, output matching).

Blocks marked ``<!-- run: test: OLD -> NEW; why -->`` run with a smaller span here;
``<!-- run: instead: COMMAND # why -->`` blocks (``make demo``, the suite itself) run COMMAND,
a cheaper command of the same kind; ``<!-- run: skip: why -->`` blocks are not run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import mdrun  # noqa: E402

# docs/cli.md is generated from the commands by the docs build (nothing to run in it).
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "cli.md")]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_examples_run(page: Path, tmp_path: Path) -> None:
    runner = mdrun.Runner(
        cwd=tmp_path / "work", fast=True, env={"AREO_CACHE_DIR": str(tmp_path / "cache")}
    )
    runner.run_file(page)
    print({k: round(v, 2) for k, v in runner.seconds.items() if v > 1})


def test_directives_are_understood(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- run: test: 218 -> 3; a shorter span -->\n```python\nprint(218)\n```\n"
        "<!-- run: output -->\n```text\n3\n```\n"
        "<!-- run: skip: shown only -->\n```sh\nexit 1\n```\n"
        "```console\n$ echo one two\none ...\n```\n"
    )
    ran = mdrun.Runner(cwd=tmp_path, fast=True).run_file(page)
    assert len(ran) == 2
    with pytest.raises(mdrun.ExampleError, match="differs"):
        mdrun.Runner(cwd=tmp_path, fast=False).run_file(page)
    page.write_text("<!-- run: skip -->\n```sh\ntrue\n```\n")
    with pytest.raises(mdrun.ExampleError, match="needs its reason"):
        mdrun.parse(page)


def test_api_reference_docstrings_become_markdown():
    """docs/hooks/griffe_rst.py: reST roles and literals become inline code, doctests a
    pycon block left verbatim (the API reference renders them; help() keeps the source).
    griffe comes with the docs extras (make docs, which CI runs too), not the test ones."""
    pytest.importorskip("griffe", reason="the docs extras are not installed (make docs)")
    import griffe_rst

    doc = (
        "See :func:`~areo.transfer.porkchop` and :class:`areo.time.Time`, ``tof_days``.\n\n"
        "Example:\n    >>> x = ``1``\n    >>> x\n    1\n\nAfter."
    )
    got = griffe_rst.to_markdown(doc)
    assert got.startswith("See `porkchop` and `areo.time.Time`, `tof_days`.")
    assert "```pycon\n>>> x = ``1``\n>>> x\n1\n```" in got and got.endswith("After.")


def test_figure_pages_share_one_plotly(tmp_path):
    """docs/hooks/build.py: a figure page's inlined plotly.js becomes one shared file that
    the page loads by a relative path (the site stays offline and tens of MB smaller)."""
    import build
    from plotly.offline import get_plotlyjs

    page = tmp_path / "gen" / "sub" / "fig.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><script>{get_plotlyjs()}</script><div>plot</div></html>")
    assert build.share_plotly(tmp_path) == 1
    assert (
        page.read_text() == '<html><script src="../plotly.min.js"></script><div>plot</div></html>'
    )
    assert (tmp_path / "gen" / "plotly.min.js").read_text() == get_plotlyjs()
