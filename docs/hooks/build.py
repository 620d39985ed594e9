"""MkDocs hooks for areo's site (mkdocs.yml ``hooks:``), run by ``make docs``.

Before MkDocs reads the pages (``on_pre_build``):

1. ``docs/cli.md`` is written from the ``areo`` command tree itself (typer/click
   introspection: every command, its help, every option with its help and default), so the
   CLI reference cannot drift from the commands. It is not committed.
2. Every worked-example page's code runs (``docs/hooks/mdrun.py``, the runner the tests
   use, here with the spans as shown) with ``docs/gen/`` as its working directory: the
   figures the snippets write (``.plot("porkchop.html")``, ``--plot passes.png``) land there
   and the pages show them from ``gen/``. A failing example fails the build.

Set ``AREO_DOCS_RUN=0`` to build the pages without running their examples (a quick look at
the layout; figures from an earlier build are kept).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent
GEN = DOCS / "gen"
sys.path.insert(0, str(HERE))

import mdrun  # noqa: E402

# Pages with no examples of their own, or whose examples run in the tests only (sweep.md's
# are cluster schematics, all skipped; cli.md is generated here).
_NOT_RUN = {"cli.md", "design.md", "validation.md", "index.md"}


def _write_if_changed(path: Path, text: str) -> None:
    # mkdocs serve watches docs/: rewriting an unchanged file would rebuild forever.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _md_escape(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def cli_markdown() -> str:
    """The ``areo`` command reference as Markdown, from the typer app."""
    import typer

    from areo.cli import app

    try:
        from typer._click.core import Context
    except ImportError:  # pragma: no cover - typer on an external click
        from click import Context

    root = typer.main.get_command(app)
    lines = [
        "# Command line reference",
        "",
        "Generated from the `areo` commands when the site is built (`docs/hooks/build.py`);"
        " `areo COMMAND --help` prints the same. A bad input prints one line on stderr and"
        " exits with code 2.",
        "",
    ]
    ctx = Context(root, info_name="areo")

    def command(name: str, cmd, parent: Context, depth: int) -> None:
        sub = Context(cmd, info_name=name, parent=parent)
        path = sub.command_path
        lines.extend([f"{'#' * depth} `{path}`", ""])
        if cmd.help:
            lines.extend([cmd.help.strip().replace("\b\n", ""), ""])
        pieces = " ".join(cmd.collect_usage_pieces(sub))
        lines.extend(["```text", f"{path} {pieces}".rstrip(), "```", ""])
        rows = []
        for p in cmd.params:
            if getattr(p, "hidden", False):
                continue
            record = p.get_help_record(sub)
            if record is None:  # an argument
                rows.append((f"`{p.human_readable_name}`", "argument"))
                continue
            opts, help_text = record  # the help says [default: ...] and [required]
            rows.append((f"`{opts}`", _md_escape(help_text)))
        if rows:
            lines.extend(["| option | meaning |", "|---|---|"])
            lines.extend(f"| {a} | {b} |" for a, b in rows)
            lines.append("")
        for child in getattr(cmd, "list_commands", lambda _c: [])(sub):
            command(child, cmd.get_command(sub, child), sub, depth + 1)

    for name in root.list_commands(ctx):
        command(name, root.get_command(ctx, name), ctx, 2)
    return "\n".join(lines) + "\n"


def run_pages(docs: Path = DOCS, gen: Path = GEN) -> dict[str, float]:
    """Run every page's examples in ``gen``, emptied first (the examples write output
    directories that areo refuses to overwrite with another run's); seconds per page."""
    import shutil

    if gen.exists():
        for item in gen.iterdir():
            if item.name != ".cache":  # the mission step cache may stay
                shutil.rmtree(item) if item.is_dir() else item.unlink()
    gen.mkdir(exist_ok=True)
    runner = mdrun.Runner(cwd=gen, fast=False, env={"AREO_CACHE_DIR": str(gen / ".cache")})
    seconds = {}
    for page in sorted(docs.glob("*.md")):
        if page.name in _NOT_RUN:
            continue
        t0 = time.perf_counter()
        runner.run_file(page)
        seconds[page.name] = time.perf_counter() - t0
    return seconds


def on_pre_build(config, **kwargs) -> None:  # mkdocs hook
    _write_if_changed(DOCS / "cli.md", cli_markdown())
    if os.environ.get("AREO_DOCS_RUN", "1") == "0":
        return
    t0 = time.perf_counter()
    seconds = run_pages()
    slow = ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items() if v > 1.0)
    print(f"INFO    -  areo: ran the examples in {time.perf_counter() - t0:.1f} s ({slow})")


def share_plotly(site_dir: Path) -> int:
    """Replace the copy of plotly.js inlined in each figure page the examples wrote
    (``site/gen/**.html``, ~3.6 MB each) by one shared ``gen/plotly.min.js`` beside them: the
    site shrinks by tens of MB and still opens offline. Pages without that exact copy are left
    as they are. Returns the number of pages changed."""
    import os

    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    gen = site_dir / "gen"
    if not gen.is_dir():
        return 0
    changed = 0
    for page in gen.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if js not in text:
            continue
        rel = os.path.relpath(gen / "plotly.min.js", page.parent).replace(os.sep, "/")
        for opening in (
            "<script>",
            '<script charset="utf-8" type="text/javascript">',
            '<script type="text/javascript">',
        ):
            text = text.replace(f"{opening}{js}</script>", f'<script src="{rel}"></script>')
        if 'src="' + rel + '"' not in text:
            continue  # another layout: leave the page alone
        page.write_text(text, encoding="utf-8")
        changed += 1
    if changed:
        (gen / "plotly.min.js").write_text(js, encoding="utf-8")
    return changed


def on_post_build(config, **kwargs) -> None:  # mkdocs hook
    n = share_plotly(Path(config["site_dir"]))
    if n:
        print(f"INFO    -  areo: {n} figure pages share gen/plotly.min.js")
